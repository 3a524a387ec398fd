"""``run``: the whole way through — load, build, solve, explain, verify, write.

Library users call ``run_scenario``; the command line is a thin layer over it. The path from a scenario
to a verified result is ``quota.pipeline``; this module adds loading, the method, and the run folder.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from .counties_table import join_years
from .errors import QuotaError, SolverError
from .input.rules import rules_manifest
from .input.scenario import Scenario
from .pipeline import AUTO_COUNTERFACTUALS, RunResult, eval_summary, solve_scenario, warning_records  # noqa: F401
from .report.render import render_report, render_short_report
from .solve.county_years import AREA_COLUMNS
from .solve.evaluate import eval_plan_values
from .solve.solution import SolveOptions
from .report.write import check_target, write_run
from .ledger.facts import LedgerFacts, facts_hash, facts_tables
from .replan import with_facts

SCORE_COLUMNS = ["w", "w_base", "w_investment_intensity", "w_tax_intensity", "w_jobs_intensity", "w_urgent", "w_key",
                 "investment_intensity", "tax_intensity", "jobs_intensity"]


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
        raise SolverError.of("error.run.no_default") from None


METHODS = ("optimise", "factor")


def run_scenario(path: str | Path | None, out: str | Path | None = None, opts: SolveOptions | None = None,
                 lang: str | None = None, force: bool = False, counterfactuals: bool | str = False,
                 sets=(), method: str = "optimise", alternatives: int = 0, within: float = 0.01,
                 facts: LedgerFacts | None = None, progress=None) -> RunResult:
    """``sets``: ``--set key.path=value`` overrides (quota.input.variants). ``method`` "factor": the factor-method
    baseline instead of the optimiser (quota.solve.factor). ``alternatives``: K near-optimal alternatives within
    ``within`` of the optimum (quota.solve.alternatives). ``facts``: re-plan with the years before ``facts.as_of``
    fixed to the ledger's facts (quota.replan); None plans every year, exactly as without a ledger. ``progress``:
    called ``(exact, total)`` as counterfactuals become exact (``counterfactuals="full"``)."""
    from .input.variants import load_variant, overrides_applied

    if facts is not None and method != "optimise":
        raise QuotaError.of("error.run.replan_factor")
    if method not in METHODS or (alternatives and method != "optimise"):
        raise QuotaError.of("error.run.method", method=repr(method), alternatives=alternatives, methods=", ".join(METHODS))
    t = time.perf_counter()
    s = load_variant(path if path is not None else default_scenario(), sets)
    if facts is not None:
        s = with_facts(s, facts)  # ScenarioError listing every contradiction between the facts and the scenario
    load_time = time.perf_counter() - t
    if out is not None:  # before solving: a long solve must not end in a refusal to write (checked again then)
        check_target(out, force, "run", [*s.files, s.root])
    if method == "factor":
        from .pipeline import factor_scenario

        result = factor_scenario(s, lang)
    else:
        result = solve_scenario(s, opts, lang, counterfactuals, progress=progress)
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
    if r.scenario.idle_parcels is not None:  # 闲置土地 (Order 53): per parcel, a per-county summary, and the findings
        from .input.idle import idle_tables
        from .input.idle_findings import idle_findings_table

        idle, tables["counties.csv"] = idle_tables(r.scenario, counties, r.lang)
        tables["idle_parcels.csv"] = idle
        tables["idle_findings.csv"] = idle_findings_table(r.scenario, r.lang)
    tables["plans.csv"] = plans
    if r.county_years is not None:  # earned linkage or dynamic restriction: one row per county and year (RULES.md)
        cy = r.county_years.copy()
        for col in [c for c in AREA_COLUMNS if c in cy]:
            cy[col] = cy[col].astype(float) * f
        tables["counties.csv"] = join_years(tables["counties.csv"], cy)
    if r.scenario.spatial is not None and r.scenario.spatial.figures is not None:  # spatial: every site's figures
        from .spatial.outputs import eval_sites_table

        tables["sites.csv"] = eval_sites_table(r.scenario)
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


def write_result(r: RunResult, out: str | Path, force: bool = False, full_report: bool = True) -> Path:
    """``full_report`` False writes only the short report.md, without html, xlsx and charts (sweep points: quota.commands.sweep)."""
    tables = output_tables(r)
    files: dict[str, object] = dict(tables)
    summary = eval_summary(r)
    files["summary.json"] = summary
    files.update(render_report(r, tables, summary) if full_report  # report.md, report.html, report.xlsx, figures/*.png
                 else {"report.md": render_short_report(r, summary)})
    files["checks.csv"] = r.checks
    if r.scenario.facts is not None:
        files.update(facts_tables(r.scenario.facts))
    if r.scenario.spatial is not None and full_report:  # spatial: the layers for QGIS (quota.spatial.outputs)
        from .spatial.outputs import gpkg_writer

        files["spatial.gpkg"] = gpkg_writer(r.scenario, tables)
    for name, content in r.extras.items():
        files[name] = files[name] + content if name == "report.md" and isinstance(files.get(name), str) else content
    s = r.scenario
    manifest = {"scenario": s.name, "scenario_path": str(s.root), "scenario_file": str(s.files[0]) if s.files else None,
                "unit": s.unit, "lang": r.lang,
                "parameters": s.config, "encodings": s.encodings, "warnings": warning_records(s),
                "solve": {"solver": r.solution.solver, "time_limit": r.solution.options.time_limit,
                          "gap": r.solution.options.gap, "threads": r.solution.options.threads},
                "report": "full" if full_report else "short"}  # quota audit: which files the folder must hold
    if s.rules.name:  # rules: NAME (RULES.md): the set, and each key the scenario overrode
        manifest["rules"] = rules_manifest(s)
    if r.overrides:
        manifest["overrides"] = r.overrides  # quota run --set; quota audit applies them over the yaml
    if s.facts is not None:  # re-planning: the facts the past was fixed to, in facts/*.csv (ha), hashed with the outputs
        manifest["facts"] = {"as_of": int(s.facts.as_of), "sha256": facts_hash(s.facts), "unit": "ha",
                             "files": sorted(facts_tables(s.facts))}
    inputs = list(dict.fromkeys(Path(f).resolve() for f in s.files))  # absolute, each once: audited from any folder
    return write_run(out, files, inputs, manifest, force, protect=[s.root] if s.root else [])
