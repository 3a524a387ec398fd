"""``run``: the whole way through — load, build, solve, explain, verify, write.

Library users call ``run_scenario``; the command line is a thin layer over it.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .model.build import build_model
from .errors import InfeasibleError, QuotaError, SolverError
from .explain.explain import eval_explanations
from .solve.evaluate import (eval_allocations, eval_counties, eval_plan_values, eval_project_schedule, eval_status_counts,
                       eval_value_by_year, eval_years)
from .model.quota_model import QuotaModel
from .explain.reasons import eval_reasons
from .report import render_report, render_short_report
from .input.scenario import Scenario
from .solve.solution import Solution, SolveOptions, solve
from .input.validate import load
from .check.verify import describe_violations, verify, violations
from .report.write import write_run

SCORE_COLUMNS = ["w", "w_base", "w_investment_intensity", "w_tax_intensity", "w_jobs_intensity", "w_urgent", "w_key",
                 "investment_intensity", "tax_intensity", "jobs_intensity"]


@dataclass
class RunResult:
    scenario: Scenario
    model: QuotaModel
    solution: Solution
    allocations: pd.DataFrame  # hectares
    projects: pd.DataFrame  # indexed by project_id
    counties: pd.DataFrame  # hectares
    years: pd.DataFrame  # hectares
    checks: pd.DataFrame
    lang: str
    timings: dict[str, float] = field(default_factory=dict)
    explanations: dict[str, pd.DataFrame] = field(default_factory=dict)  # shadow_prices, constraints, project_prices, counterfactuals
    method: str = "optimise"  # or "factor": the factor-method baseline (quota.factor)
    extras: dict[str, object] = field(default_factory=dict)  # more run-folder files (quota.alternatives); "report.md" is appended
    overrides: dict = field(default_factory=dict)  # --set keys with their values (quota.variants), recorded in the manifest

    @property
    def summary(self) -> dict:
        return eval_summary(self)


def default_scenario() -> Path:
    """The bundled illustrative scenario (石家庄 2023—2025), installed or in the source tree."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "scenarios" / "shijiazhuang", here.parent / "scenarios" / "shijiazhuang"):
        if (candidate / "scenario.yaml").exists():
            return candidate
    try:
        from importlib.resources import files

        return Path(str(files("quota.scenarios") / "shijiazhuang"))
    except ModuleNotFoundError:  # pragma: no cover - broken install
        raise SolverError("the bundled default scenario is missing from this installation; reinstall quota.") from None


AUTO_COUNTERFACTUALS = 300  # in-model projects up to which "auto" computes every counterfactual


def solve_scenario(s: Scenario, opts: SolveOptions | None = None, lang: str | None = None,
                   counterfactuals: bool | str = False) -> RunResult:
    """Build, solve, explain and verify. ``counterfactuals`` (True, False or "auto") re-solves once per
    project to say why it is, or is not, approved."""
    timings = {}
    t = time.perf_counter()
    m = build_model(s)
    timings["build"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        sol = solve(m, opts)
    except InfeasibleError:
        from .explain.infeasible import diagnose_infeasibility, format_diagnosis

        table = diagnose_infeasibility(s, opts, lang)
        raise InfeasibleError(format_diagnosis(table, lang or s.lang), diagnosis=table) from None
    timings["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    lang = lang or s.lang
    if counterfactuals == "auto":
        counterfactuals = int(m.projects["in_model"].sum()) <= AUTO_COUNTERFACTUALS
    explanations = eval_explanations(m, sol, lang, bool(counterfactuals))
    timings.update(explanations.pop("timings"))
    alloc = eval_allocations(m, sol)
    schedule = eval_project_schedule(m, sol)
    schedule["reason"] = eval_reasons(m, sol, schedule, lang, explanations["project_prices"])
    projects = m.projects.join(schedule, validate="one_to_one")
    counties = eval_counties(m, sol)
    years = eval_years(m, sol)
    timings["explain"] = time.perf_counter() - t
    t = time.perf_counter()
    checks = verify(s, alloc, projects, sol.objective)
    timings["verify"] = time.perf_counter() - t
    bad = violations(checks)
    if len(bad):
        raise SolverError(f"the solver's allocation failed independent verification ({describe_violations(bad)}). "
                          "It is not written. Try --solver highs, or a smaller --gap.")
    return RunResult(s, m, sol, alloc, projects, counties, years, checks, lang, timings, explanations)


METHODS = ("optimise", "factor")


def run_scenario(path: str | Path | None, out: str | Path | None = None, opts: SolveOptions | None = None,
                 lang: str | None = None, force: bool = False, counterfactuals: bool | str = False,
                 sets=(), method: str = "optimise", alternatives: int = 0, within: float = 0.01) -> RunResult:
    """``sets``: ``--set key.path=value`` overrides (quota.variants). ``method`` "factor": the factor-method
    baseline instead of the optimiser (quota.factor). ``alternatives``: K near-optimal alternatives within
    ``within`` of the optimum (quota.alternatives)."""
    from .input.variants import load_variant, overrides_applied

    if method not in METHODS or (alternatives and method != "optimise"):
        raise QuotaError(f"method {method!r} with {alternatives} alternatives is not possible: the method is one of "
                         f"{', '.join(METHODS)}, and alternatives need the optimiser.")
    t = time.perf_counter()
    s = load_variant(path if path is not None else default_scenario(), sets)
    load_time = time.perf_counter() - t
    if method == "factor":
        from .solve.factor import factor_scenario

        result = factor_scenario(s, lang)
    else:
        result = solve_scenario(s, opts, lang, counterfactuals)
    if alternatives:
        from .solve.alternatives import add_alternatives

        add_alternatives(result, alternatives, within, opts)
    result.overrides = overrides_applied(s.config, sets)
    result.timings = {"read_validate": load_time, **result.timings}
    if out is not None:
        t = time.perf_counter()
        write_result(result, out, force)
        result.timings["write"] = time.perf_counter() - t
    return result


# ------------------------------------------------------------- tables ----

def output_tables(r: RunResult) -> dict[str, pd.DataFrame]:
    """The run folder's CSV tables, areas converted to the scenario's unit."""
    f = r.scenario.unit_factor
    alloc = r.allocations.assign(area=r.allocations["area"] * f)
    p = r.projects
    projects = pd.DataFrame({
        "project_id": p.index, "name": p["name"], "county_id": p["county_id"], "category": p["category"],
        "status": p["status"], "reason": p["reason"], "plan": p["plan"], "first_year": p["first_year"].astype("Int64"),
        "phase1_earliest": p["phase1_earliest"].astype("Int64"), "deferral_years": p["deferral_years"].astype("Int64"),
        "discount_lost": p["discount_lost"], "phases_approved": p["phases_approved"], "phases_total": p["phases_total"].astype("Int64"),
        "area": p["area"] * f, "urgent": p["urgent"], "key_level": p["key_level"], "ready": p["ready"], "lock": p["lock"],
        "stock_ok": p["stock_ok"], "exclusion": p["exclusion"], "exclusion_via": p["exclusion_via"],
        **{c: p[c] for c in SCORE_COLUMNS}, "penalty_per_ha": p["penalty"], "net_value_per_ha": p["w"] - p["penalty"],
        "value": p["value"],
    })
    c = r.counties.copy()
    area_cols = ["unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed", "idle_disposed",
                 "usable_stock", "overplan", "cap_base", "stock_total", "disposed_total", "task_total", "cap_first_year",
                 "cap_later_years", "new_used", "advance_used", "stock_used"] + [k for k in c.columns if k.startswith("quota_")]
    for col in area_cols:
        c[col] = c[col].astype(float) * f
    counties = c.reset_index()
    tables = {"allocations.csv": alloc, "projects.csv": projects, "counties.csv": counties}
    tables.update(explanation_tables(r))
    plans = eval_plan_values(r.model, r.solution)
    plans["area_in_horizon"] = plans["area_in_horizon"] * f
    if r.scenario.idle_parcels is not None:  # 闲置土地 (Order 53): per parcel, and a per-county summary
        from .input.idle import idle_tables

        idle, tables["counties.csv"] = idle_tables(r.scenario, counties, r.lang)
        tables["idle_parcels.csv"] = idle
    tables["plans.csv"] = plans
    return tables


def explanation_tables(r: RunResult) -> dict[str, pd.DataFrame]:
    """shadow_prices.csv, constraints.csv (slack of every row) and, when computed, counterfactuals.csv."""
    e = r.explanations
    if "shadow_prices" not in e:  # the factor method has no duals
        return {}
    out = {"shadow_prices.csv": e["shadow_prices"], "constraints.csv": e["constraints"]}
    if "counterfactuals" in e:
        cf = e["counterfactuals"].reset_index()
        out["counterfactuals.csv"] = cf
    return out


def warning_records(s: Scenario) -> list[dict]:
    """The input normalisations validation reported (nothing is changed silently)."""
    return [{"code": w.code, "file": w.file, "row": w.row, "column": w.column, "message": w.message} for w in s.warnings]


def eval_summary(r: RunResult) -> dict:
    s, sol = r.scenario, r.solution
    f = s.unit_factor
    years = []
    for y, row in r.years.iterrows():
        item = {"year": int(y)}
        for k, v in row.items():
            item[k] = None if v is None or pd.isna(v) else (float(v) if k == "utilisation" else float(v) * f)
        years.append(item)
    return {
        "status": sol.status, "objective": sol.objective, "bound": sol.bound, "gap": sol.gap, "solver": sol.solver, "method": r.method,
        "proven_optimal": sol.proven_optimal, "message": sol.message, "scenario": s.name, "unit": s.unit,
        "objective_unit": "value-weighted hectares", "lang": r.lang, "solve_seconds": sol.seconds,
        "time_limit": sol.options.time_limit, "gap_target": sol.options.gap,
        "years": years, "utilisation": {str(y["year"]): y["utilisation"] for y in years},
        "value_by_year": {str(y): float(v) for y, v in eval_value_by_year(r.model, r.solution).items()},
        "advance_owed": r.years.attrs.get("advance_owed", 0.0) * f,
        "projects": eval_status_counts(r.projects),
        "verification": {"checks": int(len(r.checks)), "violations": int((~r.checks["ok"]).sum())},
        "warnings": warning_records(s),
        "timings": r.timings,
    }


def write_result(r: RunResult, out: str | Path, force: bool = False, full_report: bool = True) -> Path:
    """``full_report`` False writes only the short report.md, without html, xlsx and charts (sweep points: quota.sweep)."""
    tables = output_tables(r)
    files: dict[str, object] = dict(tables)
    summary = eval_summary(r)
    files["summary.json"] = summary
    files.update(render_report(r, tables, summary) if full_report  # report.md, report.html, report.xlsx, figures/*.png
                 else {"report.md": render_short_report(r, summary)})
    files["checks.csv"] = r.checks
    for name, content in r.extras.items():
        files[name] = files[name] + content if name == "report.md" and isinstance(files.get(name), str) else content
    s = r.scenario
    manifest = {"scenario": s.name, "scenario_path": str(s.root), "scenario_file": str(s.files[0]) if s.files else None,
                "unit": s.unit, "lang": r.lang,
                "parameters": s.config, "encodings": s.encodings, "warnings": warning_records(s),
                "solve": {"solver": r.solution.solver, "time_limit": r.solution.options.time_limit,
                          "gap": r.solution.options.gap, "threads": r.solution.options.threads}}
    if r.overrides:
        manifest["overrides"] = r.overrides  # quota run --set; quota audit applies them over the yaml
    return write_run(out, files, list(s.files), manifest, force)
