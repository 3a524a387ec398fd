"""The solved MIP with its integer decisions fixed, re-solved as an LP.

HiGHS has no "fixed model" of its own, so the approval variables ``x`` (and, with within-year
advance, the early-batch variables ``b``) are fixed at their values by their bounds, the LP is solved, and everything is put back. The duals of that LP are the
shadow prices: marginal values *at the chosen approvals*.
"""
from __future__ import annotations

import contextlib

import pulp

from ..model.quota_model import QuotaModel
from ..solve.solution import Solution, load_lp, relaxation_of, solve_lp


def approved_keys(sol: Solution) -> set[tuple]:
    """The (project_id, plan, phase, year) cells the solution approves."""
    d = sol.decisions
    return set(zip(d["project_id"], d["plan"], d["phase"], d["year"]))


def early_keys(sol: Solution) -> set[tuple]:
    """The cells the solution puts in the early batch (within-year advance: exactly those that draw advance)."""
    d = sol.decisions
    d = d[d["v"] > 0]
    return set(zip(d["project_id"], d["plan"], d["phase"], d["year"]))


@contextlib.contextmanager
def integers_fixed(m: QuotaModel, approved: set[tuple], early: set[tuple] = frozenset()):
    """Fix every x at 1 for ``approved`` cells and 0 elsewhere (every b at 1 for ``early`` cells), as continuous;
    restore on exit."""
    saved = []
    fixed = [(x, 1.0 if key in chosen else 0.0) for column, chosen in [("x", approved)] + ([("b", early)] if "b" in m.cells else [])
             for key, x in zip(m.cells.index, m.cells[column]) if x is not None]
    if m.restricted is not None:  # dynamic restriction: R_cy at the solution's value (the solve left it on the variable)
        fixed += [(r, float(round(r.value() or 0.0))) for r in m.restricted]
    for x, value in fixed:
        saved.append((x, x.lowBound, x.upBound, x.cat))
        x.lowBound = value
        x.upBound = value
        x.cat = pulp.LpContinuous
    try:
        yield
    finally:
        for x, lo, up, cat in saved:
            x.lowBound, x.upBound, x.cat = lo, up, cat


def solve_fixed_lp(m: QuotaModel, sol: Solution) -> float:
    """Solve the LP with the solution's approvals fixed; returns its objective. Duals stay on the rows."""
    with integers_fixed(m, approved_keys(sol), early_keys(sol)):
        return solve_lp(m, "error.lp.fixed")


@contextlib.contextmanager
def integers_relaxed(m: QuotaModel):
    """Make every x (and b, and R_cy of dynamic restriction) continuous in [0, 1] (the LP relaxation); restore on exit."""
    saved = [(x, x.cat) for column in ("x", "b") if column in m.cells for x in m.cells[column] if x is not None]
    saved += [(r, r.cat) for r in (m.restricted if m.restricted is not None else [])]
    for x, _ in saved:
        x.cat = pulp.LpContinuous
    try:
        yield
    finally:
        for x, cat in saved:
            x.cat = cat


def solve_relaxation(m: QuotaModel, sol: Solution | None = None) -> float:
    """Solve the LP relaxation; returns its objective (an upper bound). Duals stay on the rows.

    Its duals are the *prices* of quota at which approvals are decided: in the relaxation a project
    is taken exactly when its net value per hectare covers the prices of what it uses. When the
    solve already solved this LP (HiGHS, large models), its values and duals are reused.
    """
    had = None if sol is None else relaxation_of(sol)  # at national size solved beside the solve: waited for here
    if had is not None and had.get("duals") is not None:
        variables = m.prob.variables()
        if len(variables) == len(had["x"]) and len(m.prob.constraints()) == len(had["duals"]):
            load_lp(m, variables, had["x"], had["duals"])
            return float(had["objective"])
    with integers_relaxed(m):
        return solve_lp(m, "error.lp.relaxation")
