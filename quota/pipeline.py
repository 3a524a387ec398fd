"""The one path from a scenario to a verified result: build → solve → explain → verify.

    Scenario ──build_model──▶ QuotaModel ──solve──▶ Solution ──eval_*, explanations──▶ tables
             ──verified──▶ RunResult (or SolverError: an allocation that fails the verifier is never returned)

``solve_scenario`` is the optimiser's path; the factor method (``quota.solve.factor``) and the
near-optimal alternatives (``quota.solve.alternatives``) make their allocations their own way and end
in the same ``verified`` step. ``RunResult`` is what every path gives; ``quota.run`` loads the
scenario before it and writes the run folder after it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from .check.verify import describe_violations, verify, violations
from .errors import InfeasibleError, SolverError
from .explain.explain import eval_explanations
from .explain.infeasible import diagnose_infeasibility, format_diagnosis
from .explain.past import fact_reasons
from .explain.reasons import eval_reasons
from .input.options import FactorOptions
from .input.rules import check_implemented, refuse_rules
from .input.scenario import Scenario
from .model.build import build_model
from .model.quota_model import QuotaModel
from .solve.factor import factor_reasons, factor_solution
from .solve.evaluate import (eval_allocations, eval_counties, eval_project_schedule, eval_status_counts,
                             eval_value_by_year, eval_years)
from .solve.county_years import eval_county_years
from .solve.solution import Solution, SolveOptions, solve


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
    method: str = "optimise"  # or "factor": the factor-method baseline (quota.solve.factor)
    extras: dict[str, object] = field(default_factory=dict)  # more run-folder files (quota.solve.alternatives); "report.md" is appended
    overrides: dict = field(default_factory=dict)  # --set keys with their values (quota.input.variants), recorded in the manifest
    # under earned linkage or dynamic restriction: the year columns of counties.csv (quota.solve.county_years), hectares;
    # quota.run joins them to ``counties``, one row per county and year (quota.counties_table)
    county_years: pd.DataFrame | None = None

    @property
    def summary(self) -> dict:
        return eval_summary(self)


def verified(s: Scenario, allocations: pd.DataFrame, projects: pd.DataFrame, objective: float | None,
             which: str, county_years: pd.DataFrame | None = None, **fields) -> pd.DataFrame:
    """The independent verifier's checks of an allocation (``quota.check.verify``); if any check fails, a
    ``SolverError`` with the catalogue's message ``which`` (``error.verify.*``: whose allocation, what to do)."""
    checks = verify(s, allocations, projects, objective, county_years)
    bad = violations(checks)
    if len(bad):
        rows = bad.head(10).itertuples()
        raise SolverError.of(which, found=describe_violations(bad), n=len(bad), **fields,
                             found_zh=";".join(f"{r.family} {r.key}:{r.lhs:g}(界限 {r.rhs:g})" for r in rows))
    return checks


AUTO_COUNTERFACTUALS = 300  # in-model projects up to which "auto" computes every counterfactual


def solve_scenario(s: Scenario, opts: SolveOptions | None = None, lang: str | None = None,
                   counterfactuals: bool | str = False, progress=None) -> RunResult:
    """Build, solve, explain and verify. ``counterfactuals`` (True, False, "auto" or "full") says for each project
    why it is, or is not, approved (``quota.explain.counterfactual``): True and "auto" within a time budget, "auto"
    only up to ``AUTO_COUNTERFACTUALS`` projects, "full" until every interval is within the run's gap (``progress``
    is told as they become exact)."""
    check_implemented(s)  # a rule the model does not follow yet is refused, never run as the first contract
    timings = {}
    t = time.perf_counter()
    m = build_model(s)
    timings["build"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        sol = solve(m, opts)
    except InfeasibleError:
        table = diagnose_infeasibility(s, opts, lang)
        raise InfeasibleError.diagnosed(table, format_diagnosis, lang or s.lang) from None
    timings["solve"] = time.perf_counter() - t
    t = time.perf_counter()
    lang = lang or s.lang
    mode = counterfactuals
    if counterfactuals == "off":
        counterfactuals = False
    if counterfactuals == "auto":
        counterfactuals = int(m.projects["in_model"].sum()) <= AUTO_COUNTERFACTUALS
    explanations = eval_explanations(m, sol, lang, bool(counterfactuals), full=mode == "full", progress=progress,
                                     scheduler=opts.scheduler if opts is not None else None)
    if "counterfactuals" in explanations:
        explanations["counterfactuals"].attrs["mode"] = {True: "on"}.get(mode, mode)
    timings.update(explanations.pop("timings"))
    alloc = eval_allocations(m, sol)
    schedule = eval_project_schedule(m, sol)
    schedule["reason"] = eval_reasons(m, sol, schedule, lang, explanations["project_prices"])
    schedule["reason"] = fact_reasons(s, schedule["reason"], lang)  # re-planning: the ledger's facts, named
    projects = m.projects.join(schedule, validate="one_to_one")
    counties = eval_counties(m, sol)
    years = eval_years(m, sol)
    county_years = eval_county_years(m, sol)
    timings["explain"] = time.perf_counter() - t
    t = time.perf_counter()
    checks = verified(s, alloc, projects, sol.objective, "error.verify.solver", county_years)
    timings["verify"] = time.perf_counter() - t
    return RunResult(s, m, sol, alloc, projects, counties, years, checks, lang, timings, explanations,
                     county_years=county_years)


def warning_records(s: Scenario) -> list[dict]:
    """The input normalisations validation reported (nothing is changed silently), each in both languages."""
    return [{"code": w.code, "file": w.file, "row": w.row, "column": w.column, "message": w.message,
             "message_zh": w.message_zh or w.message, "hint": w.hint, "hint_zh": w.hint_zh or w.hint} for w in s.warnings]


def eval_summary(r: RunResult) -> dict:
    s, sol = r.scenario, r.solution
    f = s.unit_factor
    years = []
    for y, row in r.years.iterrows():
        item = {"year": int(y)}
        for k, v in row.items():
            item[k] = None if v is None or pd.isna(v) else (float(v) if k == "utilisation" else float(v) * f)
        years.append(item)
    summary = {
        "status": sol.status, "objective": sol.objective, "bound": sol.bound, "gap": sol.gap, "solver": sol.solver, "method": r.method,
        "proven_optimal": sol.proven_optimal, "message": sol.message, "message_zh": sol.message_zh or sol.message,
        "stop_reason": sol.stop_reason or None, "solver_notes": _notes(sol.notes, 1), "solver_notes_zh": _notes(sol.notes, 0),
        "scenario": s.name, "unit": s.unit,
        "objective_unit": "value-weighted hectares", "lang": r.lang, "solve_seconds": sol.seconds,
        "time_limit": sol.options.time_limit, "time_budget": sol.time_budget, "gap_target": sol.options.gap,
        # the strategy's steps (quota.solve.large) and the (seconds, objective, bound) at each improvement: the curve
        "solver_steps": [_step(step) for step in sol.steps or []],
        "solver_progress": [list(point) for point in getattr(sol, "progress", None) or []],
        "years": years, "utilisation": {str(y["year"]): y["utilisation"] for y in years},
        "value_by_year": {str(y): float(v) for y, v in eval_value_by_year(r.model, r.solution).items()},
        "advance_owed": r.years.attrs.get("advance_owed", 0.0) * f,
        "projects": eval_status_counts(r.projects),
        "verification": {"checks": int(len(r.checks)), "violations": int((~r.checks["ok"]).sum())},
        "warnings": warning_records(s),
        "timings": r.timings,
    }
    if "counterfactuals" in r.explanations:
        summary["counterfactuals"] = eval_counterfactual_summary(r.explanations["counterfactuals"])
    if s.facts is not None:  # re-planning: the years before as_of are the ledger's facts (quota.replan)
        from .ledger.facts import facts_hash

        summary["as_of"] = int(s.facts.as_of)
        summary["facts_sha256"] = facts_hash(s.facts)
    if s.rules.advance.mode == "within_year":  # RULES.md 5: say how to read advance_drawn / advance_repaid
        summary["advance_mode"] = "within_year"
        summary["advance_note"] = ("advance_drawn is the year's early batch (urgent phases approved whole before the year's "
                                   "plan arrives), charged to the same year's quota; nothing is repaid (advance_repaid 0) "
                                   "or owed beyond the horizon")
    return summary


def _step(step: dict) -> dict:
    """One step of the solve as JSON: name, seconds, status, objective, bound (numbers as floats or None)."""
    def number(v):
        return None if v is None or (isinstance(v, float) and v != v) else float(v)

    return {"name": str(step.get("name", "")), "seconds": number(step.get("seconds")), "status": str(step.get("status", "")),
            "objective": number(step.get("objective")), "bound": number(step.get("bound"))}


def eval_counterfactual_summary(cf: pd.DataFrame) -> dict:
    """summary.json's ``counterfactuals``: how many, how many exact (solved, essential or impossible), how many within
    the width a planner can act on, the widest interval left, the time, and where the re-solves ran."""
    from .explain.counterfactual import tolerance

    interval = cf[cf["result"].isin(["solved", "bounded"])]
    width = (interval["loss_high"] - interval["loss_low"]).astype(float)
    within = int((width <= interval["loss_high"].astype(float).map(tolerance) + 1e-9).sum())
    decided = int(cf["result"].isin(["essential", "impossible"]).sum())
    a = cf.attrs
    return {"mode": a.get("mode", "on"), "computed": int(len(cf)), "exact": int((cf["result"] == "solved").sum()) + decided,
            "bounded": int((cf["result"] == "bounded").sum()), "unknown": int((cf["result"] == "unknown").sum()),
            "within_tolerance": within + decided, "widest": float(width.max()) if len(width) else 0.0,
            "median_width": float(width.median()) if len(width) else 0.0,
            "run_gap": a.get("run_gap"), "seconds": a.get("seconds"), "resolves": a.get("resolves"),
            "engine": a.get("engine")}


def factor_scenario(s: Scenario, lang: str | None = None, opts: FactorOptions | None = None) -> RunResult:
    """The factor-method baseline as a ``RunResult`` (``method`` "factor"), verified like an optimiser run."""
    check_implemented(s)
    refuse_rules(s, "scenario.method.factor", {"linkage.mode": ("earned", "both"), "restriction.dynamic": (True,)})
    timings = {}
    t = time.perf_counter()
    m = build_model(s)
    timings["build"] = time.perf_counter() - t
    t = time.perf_counter()
    sol, shares, attempts = factor_solution(m, opts)
    timings["factor"] = time.perf_counter() - t
    t = time.perf_counter()
    lang = lang or s.lang
    alloc = eval_allocations(m, sol)
    schedule = eval_project_schedule(m, sol)
    schedule["reason"] = eval_reasons(m, sol, schedule, lang)
    schedule["reason"] = factor_reasons(m, schedule, shares, attempts, lang)
    projects = m.projects.join(schedule, validate="one_to_one")
    counties = eval_counties(m, sol).join(shares, validate="one_to_one")
    years = eval_years(m, sol)
    timings["explain"] = time.perf_counter() - t
    t = time.perf_counter()
    checks = verified(s, alloc, projects, sol.objective, "error.verify.factor")  # a bug, not the input
    timings["verify"] = time.perf_counter() - t
    return RunResult(scenario=s, model=m, solution=sol, allocations=alloc, projects=projects, counties=counties, years=years,
                     checks=checks, lang=lang, timings=timings, method="factor")


def _notes(notes: list, i: int) -> list[str]:
    """The solver's notes in one language: 0 zh, 1 en (a note is a (zh, en) pair, or text in English only)."""
    return [n[i] if isinstance(n, tuple) else n for n in notes]
