"""quota: allocate new construction-land plan quota (新增建设用地计划指标) across projects, and explain it.

The pipeline, one stage folder each::

    input/  ──load──▶ Scenario ──model/ build_model──▶ QuotaModel ──solve/ solve──▶ Solution
            ──pipeline (evaluate, explain/, check/ verify)──▶ RunResult ──report/──▶ run folder ──check/ audit

The public API for notebooks and scripts (imported on first use, so ``import quota`` stays light)::

    import quota
    s = quota.load(quota.default_scenario())         # or quota.load_variant(path, ["quota.scale=0.9"])
    result = quota.solve_scenario(s)                   # build, solve, explain, verify: a RunResult
    result = quota.run_scenario(path, out="runs/x")    # the same from a folder, and the run folder written
    print(quota.format_summary(result.summary, "runs/x"))  # the lines `quota run` prints
    out = quota.default_run_folder(path)               # runs/<name>, as `quota run` without --out (sweep, compare alike)
    m = quota.build_model(s); sol = quota.solve(m, quota.SolveOptions(gap=1e-4))
    checks = quota.verify(s, result.allocations, result.projects, result.solution.objective)
    files = quota.render_report(result, quota.output_tables(result), result.summary)
    audit = quota.audit_run("runs/x")
    cf = quota.eval_counterfactuals(result.model, result.solution, projects=["P001"])  # why / why not, re-solved
"""

_API = {
    "load": "quota.input.validate", "load_variant": "quota.input.variants", "Scenario": "quota.input.scenario",
    "build_model": "quota.model.build", "QuotaModel": "quota.model.quota_model",
    "solve": "quota.solve.solution", "SolveOptions": "quota.solve.solution", "Solution": "quota.solve.solution",
    "solve_scenario": "quota.pipeline", "factor_scenario": "quota.pipeline", "RunResult": "quota.pipeline",
    "run_scenario": "quota.run", "default_scenario": "quota.run", "write_result": "quota.run",
    "output_tables": "quota.run",
    "verify": "quota.check.verify", "audit_run": "quota.check.audit", "format_audit": "quota.check.audit",
    "eval_counterfactuals": "quota.explain.counterfactual",
    "render_report": "quota.report.render", "format_summary": "quota.report.summary",
    "default_run_folder": "quota.report.write", "default_sweep_folder": "quota.report.write",
    "default_compare_folder": "quota.report.write",
    "compare_runs": "quota.commands.compare", "read_run": "quota.commands.compare",
    "format_comparison": "quota.commands.compare_report", "plot_gantt": "quota.commands.compare_report",
    "QuotaError": "quota.errors", "ScenarioError": "quota.errors", "InfeasibleError": "quota.errors",
    "SolverError": "quota.errors",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'quota' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
