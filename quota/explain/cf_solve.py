"""The solves behind the counterfactuals, on the model's arrays (plain numpy and highspy, so a worker process can run
them): the LP relaxation with a project locked out or in, hot-started from the last basis, and the MIP re-solve
warm-started from the best allocation known.

A *task* is a dict: ``kind`` ("why": the project's columns ``cols`` fixed at 0; "why_not": the added row
``sum cols = 1`` over its first phase's approval columns; "none": no lock, the model itself), ``start`` (a column
vector or None), ``limit`` (seconds), ``abs_gap`` (the MIP stops when its incumbent and bound are this close) and
perhaps ``fix`` (columns held at values) and ``rows`` (column sets, each with at least one at 1): a restricted solve;
sent to a worker, perhaps ``until`` (``solve_batch``).
"""
from __future__ import annotations

import time

import highspy
import numpy as np

from ..model import compat
from ..solve import highs
from ..solve.arrays import Arrays


def tolerance(loss_high: float) -> float:
    """The width of a loss interval a planner can act on: 1 value-weighted ha, or 10% of its upper end."""
    return max(1.0, 0.1 * loss_high)


NO_RESTART = {"mip_allow_restart": False}  # a locked MIP proved to 0.9 from its best allocation: 1.8x faster on the
# bundled default (mean 2.5 s against 4.5 s, 31 sampled), 1.7x by the median at 300 projects (2.3 s against 4.0 s)


def new_solver(a: Arrays, integer: bool, gap: float) -> highspy.Highs:
    """The HiGHS of the counterfactuals' solves: the LP relaxation, or the MIP with HiGHS's restarts off (a restart
    after root reduced-cost fixing pays for one hard solve, not for many small locked ones)."""
    options = highs.base_options(gap, None, False)
    if not integer:
        options = {"output_flag": False}
    else:
        options.update(NO_RESTART)
    return highs.new_highs(a, integer=integer, options=options)


def solve(h: highspy.Highs, task: dict, x_cols: np.ndarray) -> dict:
    """One locked solve of ``h`` (its model left as it was): infeasible, objective, bound, the approved cells.

    With ``fix`` (columns, values), those columns are held at those values too, and with ``rows`` each set of columns
    has one at 1 at least: a *restricted* solve. Its allocation is one of the model's; its bound and infeasibility say
    nothing of the model as such, so they come apart (``restricted_bound``, ``restricted_infeasible``), for the caller
    who has proved the restriction holds every better allocation (``cf_search.Proof``)."""
    fix = task.get("fix")
    if fix is None:
        return _locked(h, task, x_cols)
    cols, values = np.asarray(fix[0], dtype=np.int32), np.asarray(fix[1], dtype=float)
    rows = task.get("rows") or []
    lp = h.getLp()
    lower = np.asarray(lp.col_lower_)[cols].copy()
    upper = np.asarray(lp.col_upper_)[cols].copy()
    first = h.getNumRow()
    h.changeColsBounds(len(cols), cols, values, values)
    if rows:  # each: at least one of these columns at 1
        index = np.concatenate(rows).astype(np.int32)
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]]).astype(np.int32)
        h.addRows(len(rows), np.ones(len(rows)), np.full(len(rows), highspy.kHighsInf), len(index), starts, index,
                  np.ones(len(index)))
    try:
        out = _locked(h, task, x_cols)
    finally:
        if rows:
            h.deleteRows(len(rows), np.arange(first, first + len(rows), dtype=np.int32))
        h.changeColsBounds(len(cols), cols, lower, upper)
    return {**out, "bound": None, "infeasible": False, "optimal": False, "restricted_bound": out["bound"],
            "restricted_infeasible": out["infeasible"]}


def _locked(h: highspy.Highs, task: dict, x_cols: np.ndarray) -> dict:
    cols = np.asarray(task["cols"], dtype=np.int32)
    n = len(cols)
    mip = task.get("abs_gap") is not None
    if mip:
        h.clearSolver()
        h.setOptionValue("mip_abs_gap", float(task["abs_gap"]))
        h.setOptionValue("mip_rel_gap", 1e-9)
    if task["kind"] == "none":  # the model itself
        return _run(h, task, x_cols, mip)
    if task["kind"] == "why":
        lp = h.getLp()
        lower = np.asarray(lp.col_lower_)[cols].copy()
        upper = np.asarray(lp.col_upper_)[cols].copy()
        h.changeColsBounds(n, cols, np.zeros(n), np.zeros(n))
        try:
            return _run(h, task, x_cols, mip)
        finally:  # the bounds as they were: [0, 1], or a cell the ledger's facts fix (re-planning)
            h.changeColsBounds(n, cols, lower, upper)
    h.addRow(1.0, 1.0, n, cols, np.ones(n))
    try:
        return _run(h, task, x_cols, mip)
    finally:
        h.deleteRows(1, np.array([h.getNumRow() - 1], dtype=np.int32))


def _run(h: highspy.Highs, task: dict, x_cols: np.ndarray, mip: bool) -> dict:
    if mip and task.get("start") is not None:
        warm = highspy.HighsSolution()
        warm.col_value = list(task["start"])
        warm.value_valid = True
        h.setSolution(warm)
    r = highs.run(h, task.get("limit"))
    out = {"infeasible": r["infeasible"], "objective": r["objective"], "bound": r["bound"], "seconds": r["seconds"],
           "x": None, "optimal": r["optimal"]}
    if not mip and not r["optimal"]:
        out["bound"] = None  # an LP stopped short bounds nothing
    if mip and r["x"] is not None:
        out["x"] = r["x"]
    return out


_CACHE: dict = {}


def solve_batch(job: tuple) -> list[dict]:
    """``(key, arrays, gap, tasks, x_cols)`` → one result per task; a worker process keeps its HiGHS per ``key``.

    A task with ``until`` (wall-clock seconds, ``time.time()``) stops by then, however long it waited for its turn;
    one whose turn comes after it is not run (``skipped``: no bound, no allocation)."""
    key, a, gap, tasks, x_cols = job
    h = _CACHE.get(key)
    if h is None:
        _CACHE.clear()
        with compat.quiet():  # the first Highs of a worker process prints a banner on file descriptor 1
            h = _CACHE[key] = new_solver(a, True, gap)
    out = []
    for task in tasks:
        if task.get("until") is not None:
            left = task["until"] - time.time()
            if left <= 0.01:
                out.append({"skipped": True, "infeasible": False, "objective": None, "bound": None, "seconds": 0.0,
                            "x": None, "optimal": False})
                continue
            task = {**task, "limit": left if task.get("limit") is None else min(task["limit"], left)}
        out.append(solve(h, task, x_cols))
    return out
