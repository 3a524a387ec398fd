"""Near-optimal alternatives: ``quota run --alternatives K --within 0.01``.

    Scenario ──build──▶ QuotaModel + objective floor ──solve, add a no-good cut, solve again…──▶ K Solutions
       ──verify each──▶ selection-frequency table (alternatives.csv), one folder per alternative

The optimum is rarely the only good allocation. Planners want to know which approvals every
good allocation makes (robust) and which could be swapped for others at little cost
(interchangeable), as they read Marxan's summed solution.

Mathematical formulation
    objective floor:  Σ (objective terms) ≥ z_ref − within·|z_ref|
    no-good cut for each solution j found so far, with A_j its set of approved projects:
        Σ_{p ∈ A_j} (1 − z_p) + Σ_{p ∉ A_j} z_p ≥ 1,    z_p = Σ_{plan, y} x_{p,plan,1,y}

``z_ref`` is the optimum's best bound (its objective when the solver gives no bound), so every
alternative is within ``within`` of the true optimum, not only of the solution found. ``z_p`` is 1
when the project's first phase is approved (in any plan and year). Each solve keeps the model's
objective, so alternative j is a best allocation whose **set of approved projects** differs
from the optimum's and from every earlier alternative's (two allocations that approve the same
projects in other years or plans are not counted as distinct), found to a relative gap of
``within / 2`` by default: the floor row already holds every alternative within ``within``, and a
tighter gap costs minutes (5 alternatives of the default scenario: about 8 s at ``within/2``, over
5 minutes at 1e-4). The rows are added to one model,
one cut per solve. Fewer than K are returned when no further distinct allocation meets the floor.

Every alternative is checked by the independent verifier (``quota.check.verify``, through ``quota.pipeline.verified``), like the optimum.
In the frequency table, an in-budget project is *robust* when all K + 1 solutions approve it,
*interchangeable* when some do, and *never* when none does.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

import pandas as pd

from ..errors import InfeasibleError, SolverError
from ..input.scenario import Scenario
from ..model.build import build_model
from ..model.quota_model import QuotaModel
from ..pipeline import verified
from .county_years import eval_county_years
from .evaluate import eval_allocations, eval_project_schedule
from .solution import Solution, SolveOptions, solve


@dataclass
class Alternative:
    name: str  # "optimum", "alt_1", ...
    solution: Solution
    allocations: pd.DataFrame  # hectares
    projects: pd.DataFrame  # schedule (status, plan, first_year, value) by project_id
    checks: pd.DataFrame
    approved: frozenset


@dataclass
class Alternatives:
    optimum: Alternative
    found: list[Alternative]
    requested: int
    within: float
    floor: float
    reference: float  # z_ref: the optimum's bound, or its objective
    frequency: pd.DataFrame
    summary: pd.DataFrame


def add_objective_floor(m: QuotaModel, floor: float) -> None:
    m.add_rows("objective_floor", ["floor"], [list(m.prob.objective.items())], ">=", [floor], ("row",))


def add_no_good_cut(m: QuotaModel, approved: frozenset, key: str) -> None:
    """Σ_{p∈A}(1 − z_p) + Σ_{p∉A} z_p ≥ 1, written as Σ_{p∉A} z_p − Σ_{p∈A} z_p ≥ 1 − |A|."""
    first = m.cells[m.cells["phase"] == 1]
    terms = [(x, -1.0 if pid in approved else 1.0) for x, pid in zip(first["x"], first["project_id"])]
    m.add_rows("no_good", [key], [terms], ">=", [1.0 - len(approved)], ("solution",))


def _evaluate(m: QuotaModel, sol: Solution, name: str) -> Alternative:
    s = m.scenario
    alloc = eval_allocations(m, sol)
    schedule = eval_project_schedule(m, sol)
    projects = m.projects.join(schedule, validate="one_to_one")
    checks = verified(s, alloc, projects, sol.objective, "error.verify.alternative", eval_county_years(m, sol), name=name)
    approved = frozenset(sol.decisions.loc[sol.decisions["phase"] == 1, "project_id"])
    return Alternative(name, sol, alloc, projects, checks, approved)


def find_alternatives(s: Scenario, optimum: Solution, k: int, within: float = 0.01,
                      opts: SolveOptions | None = None, gap: float | None = None) -> Alternatives:
    """Up to ``k`` allocations, each approving a different set of projects, within ``within`` of the optimum.
    ``gap``: the relative gap of each alternative's solve (default: the larger of ``within / 2`` and ``opts.gap``)."""
    if k < 1 or not 0 <= within < 1:
        raise SolverError.of("error.alternatives.range", k=k, within=within)
    opts = opts or SolveOptions()
    opts = replace(opts, gap=gap if gap is not None else max(opts.gap or 0.0, within / 2))
    m = build_model(s)
    reference = optimum.bound if optimum.bound is not None else optimum.objective
    floor = reference - within * abs(reference)
    add_objective_floor(m, floor)
    best = _evaluate(m, optimum, "optimum")
    found: list[Alternative] = []
    cut = best
    for i in range(1, k + 1):
        add_no_good_cut(m, cut.approved, cut.name)
        try:
            sol = solve(m, opts)
        except InfeasibleError:
            break  # no further distinct allocation meets the floor
        cut = _evaluate(m, sol, f"alt_{i}")
        found.append(cut)
    return Alternatives(best, found, k, within, floor, reference, eval_frequency(m, best, found),
                        eval_alternatives_summary(best, found, reference))


def eval_frequency(m: QuotaModel, best: Alternative, found: list[Alternative]) -> pd.DataFrame:
    """alternatives.csv: per in-budget project, how many of the K + 1 solutions approve it, and its class."""
    p = m.projects[m.projects["in_model"]]
    sols = [best] + found
    out = pd.DataFrame({"project_id": p.index, "name": p["name"].to_numpy(), "county_id": p["county_id"].to_numpy(),
                        "w": p["w"].to_numpy(), "area": p["area"].to_numpy()})
    for a in sols:
        out[a.name] = out["project_id"].isin(a.approved).astype(int)
    names = [a.name for a in sols]
    out["times_approved"] = out[names].sum(axis=1)
    out["solutions"] = len(sols)
    out["share"] = out["times_approved"] / len(sols)
    out["in_optimum"] = out["optimum"].astype(bool)
    out["class"] = ["robust" if t == len(sols) else "never" if t == 0 else "interchangeable" for t in out["times_approved"]]
    order = {"robust": 0, "interchangeable": 1, "never": 2}
    out = out.assign(_o=out["class"].map(order)).sort_values(["_o", "times_approved", "project_id"], ascending=[True, False, True])
    cols = ["project_id", "name", "county_id", "times_approved", "solutions", "share", "in_optimum", "class", "w", "area"] + names
    return out[cols].reset_index(drop=True)


def eval_alternatives_summary(best: Alternative, found: list[Alternative], reference: float) -> pd.DataFrame:
    z = best.solution.objective
    rows = []
    for a in [best] + found:
        sol = a.solution
        rows.append({"solution": a.name, "objective": sol.objective, "below_optimum": (z - sol.objective) / abs(z),
                     "below_bound": (reference - sol.objective) / abs(reference), "status": sol.status, "gap": sol.gap,
                     "projects_approved": len(a.approved),
                     "added": " ".join(sorted(a.approved - best.approved)), "removed": " ".join(sorted(best.approved - a.approved)),
                     "checks": int(len(a.checks)), "violations": int((~a.checks["ok"]).sum()), "solve_seconds": sol.seconds})
    return pd.DataFrame(rows)


# ------------------------------------------------------------ run hook ----

def add_alternatives(result, k: int, within: float = 0.01, opts: SolveOptions | None = None) -> Alternatives:
    """Find the alternatives of a solved ``RunResult`` and add their files (and a report section) to it."""
    t = time.perf_counter()
    alt = find_alternatives(result.scenario, result.solution, k, within, opts)
    result.timings["alternatives"] = time.perf_counter() - t
    f = result.scenario.unit_factor
    files: dict[str, object] = {"alternatives.csv": alt.frequency.assign(area=alt.frequency["area"] * f),
                                "alternatives/summary.csv": alt.summary}
    for a in alt.found:
        files[f"alternatives/{a.name}/allocations.csv"] = a.allocations.assign(area=a.allocations["area"] * f)
        sched = a.projects.loc[a.projects["in_model"], ["status", "plan", "first_year", "phases_approved", "value"]]
        files[f"alternatives/{a.name}/projects.csv"] = sched.assign(first_year=sched["first_year"].astype("Int64")).reset_index()
    files["report.md"] = render_alternatives(alt, result.lang)
    result.extras.update(files)
    return alt


TEXT = {
    "zh": {"title": "近优备选方案", "intro": "在最优值 {within:.1%} 以内,另求得 {n} 个获批项目集合不同的方案(请求 {k} 个),每个方案均通过独立核验。",
           "cols": ["方案", "目标值", "低于最优", "获批项目数", "新增项目", "移出项目", "核验"],
           "robust": "所有方案都批准的项目(稳健):{n} 个", "swap": "可互换的项目(部分方案批准):", "none": "无", "ok": "通过"},
    "en": {"title": "Near-optimal alternatives", "intro": "Within {within:.1%} of the optimum, {n} further allocations approving different sets of projects were found ({k} requested); each passed independent verification.",
           "cols": ["solution", "objective", "below optimum", "projects approved", "added", "removed", "verified"],
           "robust": "Approved by every solution (robust): {n} projects", "swap": "Interchangeable (approved by some solutions):",
           "none": "none", "ok": "ok"},
}


def render_alternatives(alt: Alternatives, lang: str) -> str:
    T = TEXT[lang]
    lines = ["", f"## {T['title']}", "", T["intro"].format(within=alt.within, n=len(alt.found), k=alt.requested), "",
             "| " + " | ".join(T["cols"]) + " |", "|" + "---|" * len(T["cols"])]
    for r in alt.summary.itertuples(index=False):
        lines.append(f"| {r.solution} | {r.objective:,.3f} | {r.below_optimum:.3%} | {r.projects_approved} | {r.added or '—'} | "
                     f"{r.removed or '—'} | {T['ok'] if r.violations == 0 else r.violations} |")
    fq = alt.frequency
    swap = fq[fq["class"] == "interchangeable"]
    lines += ["", T["robust"].format(n=int((fq["class"] == "robust").sum())), "", T["swap"]]
    lines += [f"- {r.project_id} {r.name}: {r.times_approved}/{r.solutions}" for r in swap.itertuples(index=False)] or [f"- {T['none']}"]
    return "\n".join(lines) + "\n"


def format_alternatives(summary: pd.DataFrame, requested: int, within: float, lang: str = "en") -> str:
    """The alternatives for the screen: one line each, with its distance from the optimum and what it swaps."""
    from ..messages import message
    from ..report.numbers import number

    found = summary[summary["solution"] != "optimum"]
    lines = [message("run.alternatives", lang, found=len(found), requested=requested, within=number(within, 2, lang, percent=True))]
    for r in found.itertuples(index=False):
        lines.append(message("run.alternative", lang, name=r.solution, objective=number(r.objective, 3, lang),
                             below=number(r.below_optimum, 3, lang, percent=True), n=r.projects_approved,
                             added=r.added or "—", removed=r.removed or "—"))
    return "\n".join(lines)
