"""Bounds for every counterfactual at once from the Lagrangian by county (``quota.solve.lagrange``), at its best prices.

For prices ``p`` of the right signs on the linking rows, ``L(p) = const(p) + Σ_c v_c(p)`` bounds the model's optimum,
``v_c(p)`` being the maximum of county ``c``'s own MIP at the priced costs. A project's cells all lie in one county
``c``, so with the project locked

    L_X(p) = L(p) − v_c(p) + v_c^X(p)

bounds the locked optimum, ``v_c^X`` being county ``c``'s MIP with the lock: one small MIP per counterfactual, the
other counties shared. The LP bound of a locked model is no use here (it is the run's bound, or above it: the LP
fills every county's yearly cap with a fraction of a project); this one is close when ``p`` is good.

**The best prices** minimise ``L``. They are found by column generation (Dantzig–Wolfe): a master LP chooses, per
county, a convex combination of the county solutions found so far (the county's part of the run's allocation to
begin with, so the master is feasible) within the linking rows; its row duals are the next prices; the county MIPs at
those prices give ``L(p)`` and new solutions. The master's value never exceeds the Lagrangian dual and ``L(p)`` never
falls below it, so the loop stops when they meet, or at its deadline with the best ``L(p)`` found. Every county MIP
stopped short gives its own bound (``lagrange.solve_county``), so each bound stays proven.

Plain numpy and highspy, like ``quota.solve.lagrange``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np

from ..solve import highs
from ..solve.arrays import Arrays
from ..solve.decompose import linking_rows
from ..solve.lagrange import prices, priced_problems, solve_county

ROUNDS = 40  # at most this many rounds of column generation
MET = 1e-7  # relative: the master's value and the best L(p) this close have met (the Lagrangian dual)
COUNTY_CAP = 5.0  # seconds: the most one county MIP may take (it then gives its own bound)


def county_options() -> dict:
    """The county MIPs solved to optimality (their bound is what counts)."""
    return {**highs.base_options(1e-9, None, False), "mip_abs_gap": 1e-7}


@dataclass
class CountyBounds:
    """``L(p)`` at the best prices found, and per county its MIP's bound there."""

    bound: float
    prices: np.ndarray
    county_bound: list[float]  # by position in ``problems``
    problems: list[tuple[np.ndarray, Arrays]]  # (columns, county MIP at the prices)
    place: np.ndarray  # per column, its county's position in ``problems`` (−1: a column of no county)
    rounds: int
    seconds: float

    def locked(self, kind: str, cols: np.ndarray, deadline: float | None) -> float | None:
        """``L_X(p)`` for the lock (``kind`` "why": ``cols`` at 0; "why_not": ``sum cols = 1``); −inf if the county's
        own rows cannot hold with it (so neither can the model's), None if the columns are of no county."""
        where = np.unique(self.place[cols])
        if len(where) != 1 or where[0] < 0:
            return None
        k = int(where[0])
        own, sub = self.problems[k]
        r = solve_county((_with_lock(sub, kind, np.searchsorted(own, cols)), county_options(), _cap(deadline), None))
        if r["infeasible"]:
            return -np.inf
        if r["bound"] is None:
            return None
        return self.bound - self.county_bound[k] + r["bound"]


def county_bounds(a: Arrays, county: np.ndarray, x0: np.ndarray, duals: np.ndarray | None,
                  deadline: float | None) -> CountyBounds | None:
    """``L`` at the best prices column generation finds by ``deadline``, from the LP's ``duals`` (or zero prices) and
    the run's allocation ``x0`` (within every row); None if ``L`` cannot be had (no county, a county's rows
    infeasible, an unbounded column of no county) or no round ends in time."""
    start = time.perf_counter()
    linking = linking_rows(a, county)
    rows = np.flatnonzero(linking)
    use = _Usage(a, linking, county)
    p = prices(a, linking, duals if duals is not None else np.zeros(a.shape[0]))
    best, pool, rounds = None, [], 0
    while rounds < ROUNDS and (deadline is None or time.perf_counter() < deadline):
        priced = priced_problems(a, county, linking, p)
        if priced is None:
            return None
        bound, free, problems = priced
        if not pool:  # each county's part of the run's allocation: the master's first, feasible, columns
            pool = [(k, float(a.cost[cols] @ x0[cols]), use(cols, x0[cols])) for k, (cols, _) in enumerate(problems)]
        found = []
        for cols, sub in problems:
            r = solve_county((sub, county_options(), _cap(deadline), None))
            if r["infeasible"] or r["bound"] is None:
                return None
            found.append(r)
        rounds += 1
        bound += sum(r["bound"] for r in found)
        if best is None or bound < best.bound:
            best = CountyBounds(bound, p, [r["bound"] for r in found], problems, _places(county, problems), rounds, 0.0)
        for k, ((cols, _), r) in enumerate(zip(problems, found)):
            if r["x"] is not None:
                pool.append((k, float(a.cost[cols] @ r["x"]), use(cols, r["x"])))
        master = _master(a, rows, county, pool, len(problems))
        if master is None:
            break
        value, row_duals = master
        if best.bound - value <= MET * max(abs(best.bound), 1.0):
            break  # the Lagrangian dual: no prices do better
        full = np.zeros(a.shape[0])
        full[rows] = row_duals
        p = prices(a, linking, full)
    if best is not None:
        best.rounds, best.seconds = rounds, time.perf_counter() - start
    return best


class _Usage:
    """A county solution's use of each linking row, from that county's entries in them only."""

    def __init__(self, a: Arrays, linking: np.ndarray, county: np.ndarray):
        row = a.entry_rows()
        entries = np.flatnonzero(linking[row])
        position = np.cumsum(linking) - 1  # a linking row's position among them
        owner = county[a.index[entries]]
        order = np.argsort(owner, kind="stable")
        self.col, self.row, self.value = a.index[entries][order], position[row[entries]][order], a.value[entries][order]
        self.cut = np.searchsorted(owner[order], np.arange(int(county.max()) + 2))
        self.county, self.n = county, int(linking.sum())

    def __call__(self, cols: np.ndarray, x: np.ndarray) -> np.ndarray:
        """``x``: the values of ``cols`` (ascending, all of one county)."""
        c = int(self.county[cols[0]])
        e = slice(self.cut[c], self.cut[c + 1])
        return np.bincount(self.row[e], weights=self.value[e] * x[np.searchsorted(cols, self.col[e])], minlength=self.n)


def _places(county: np.ndarray, problems: list) -> np.ndarray:
    place = np.full(len(county), -1, dtype=np.int64)
    for k, (cols, _) in enumerate(problems):
        place[cols] = k
    return place


def _cap(deadline: float | None) -> float:
    return COUNTY_CAP if deadline is None else max(min(COUNTY_CAP, deadline - time.perf_counter()), 0.0)


def _with_lock(sub: Arrays, kind: str, pos: np.ndarray) -> Arrays:
    if kind == "why":
        upper = sub.col_upper.copy()
        lower = sub.col_lower.copy()
        upper[pos] = lower[pos] = 0.0
        return replace(sub, col_lower=lower, col_upper=upper)
    n = len(sub.index)
    return replace(sub, row_lower=np.append(sub.row_lower, 1.0), row_upper=np.append(sub.row_upper, 1.0),
                   starts=np.append(sub.starts, n + len(pos)), index=np.concatenate([sub.index, pos]),
                   value=np.concatenate([sub.value, np.ones(len(pos))]))


def _master(a: Arrays, rows: np.ndarray, county: np.ndarray, pool: list, counties: int) -> tuple[float, np.ndarray] | None:
    """The master LP: per county a convex combination of its pooled solutions, the columns of no county as they are,
    within the linking ``rows``. Its value and the linking rows' duals; None if HiGHS finds no optimum."""
    inf = highspy.kHighsInf
    free = np.flatnonzero(county < 0)
    position = np.full(a.shape[0], -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    starts, index, value, cost = [0], [], [], []
    for k, objective, act in pool:
        nz = np.flatnonzero(np.abs(act) > 1e-12)
        index += nz.tolist() + [len(rows) + k]
        value += act[nz].tolist() + [1.0]
        starts.append(len(index))
        cost.append(objective)
    row = a.entry_rows()
    for j in free:
        at = np.flatnonzero(a.index == j)
        index += position[row[at]].tolist()
        value += a.value[at].tolist()
        starts.append(len(index))
        cost.append(float(a.cost[j]))
    lp = highspy.HighsLp()
    n = len(cost)
    lp.num_col_, lp.num_row_ = n, len(rows) + counties
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.concatenate([np.zeros(len(pool)), np.where(np.isinf(a.col_lower[free]), -inf, a.col_lower[free])])
    lp.col_upper_ = np.concatenate([np.ones(len(pool)), np.where(np.isinf(a.col_upper[free]), inf, a.col_upper[free])])
    lp.row_lower_ = np.concatenate([np.where(np.isinf(a.row_lower[rows]), -inf, a.row_lower[rows]), np.ones(counties)])
    lp.row_upper_ = np.concatenate([np.where(np.isinf(a.row_upper[rows]), inf, a.row_upper[rows]), np.ones(counties)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.offset_ = float(a.offset)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    r = highs.run(h, None)
    if not r["optimal"] or r["duals"] is None:
        return None
    return float(r["objective"]), np.asarray(r["duals"])[:len(rows)]
