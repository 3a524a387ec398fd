"""MIP re-solves of the counterfactuals, where they pay most, until the budget ends or every one is exact.

Each counterfactual (a *task* of ``quota.explain.counterfactual``: its lock, its bound ``high`` and best allocation
``low``/``x``) is open while its interval is wider than wanted. One with no allocation yet gets a re-solve first. In
**rounds**, every open task is re-solved, the widest against its tolerance first, warm-started from its best
allocation, with a time limit that doubles from one round to the next (a task that closed drops out): short solves
for many first, long ones for the hard few. The bound only comes down and the allocation only goes up, so every
interval stays proven whatever stops the search.

Two aims, in turn: first the width a planner can act on (``counterfactual.tolerance``), then, with the time left,
the counterfactual solved as tightly as the run (its own gap within the run's absolute gap). Each re-solve is told
the gap its aim needs (HiGHS's ``mip_abs_gap``). ``full`` has no budget: after the neighbourhood and restricted
rounds, each task not yet exact gets one re-solve with no time limit, to the run's gap (``_to_the_end``): a re-solve
cut short and started again loses its search tree, and doubling limits spend about as much again on the cut ones.

Where: in this process, one HiGHS loaded once and changed task by task; or, with ``workers`` > 1 or a Dask
``scheduler``, on ``quota.solve.cluster``'s engine, one task a job, each result taken as it comes back (a worker
keeps its HiGHS from one job to the next).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..solve import cluster
from ..solve.arrays import Arrays
from .cf_solve import new_solver, solve, solve_batch, tolerance

RESTRICTED_LIMIT = 1.0  # seconds: a re-solve restricted as ``Proof`` allows
NEIGHBOURHOOD_LIMIT = 0.3  # seconds: a restricted re-solve (its own county and the marginal projects free), for
# a better allocation (measured at 300 projects: most of what a 3-second whole-model re-solve finds)
FIRST_LIMIT = 0.2  # seconds: the first round's time limit per re-solve, at least (a re-solve stopped before its root
# node is done proves nothing: the first limit is the run's own solve time when that is longer)


@dataclass
class Proof:
    """What makes a restricted re-solve's bound a bound of the locked model: the Lagrangian by county
    (``cf_lagrange``) at prices ``p``, its bound ``L`` and, per project ``q``, ``L_q`` (the bound with ``q`` locked to the
    other status than the run's). ``flip[q] = L − L_q`` is the least any allocation gives up, in ``q``'s county's priced
    value, for ``q``'s other status.

    For counterfactual X (county ``c``, bound ``L_X``, best allocation ``low``): an allocation ``y`` with X locked and
    value above ``low`` has ``L_X − value(y) < L_X − low = s``, and ``L_X − value(y)`` is at least, county by county,
    what ``y`` gives up in each. So in every other county, each project whose ``flip`` is at least ``s`` keeps its
    run's status in ``y``. The model with those statuses held (``restriction``) therefore holds every such ``y``, and its
    bound (or ``low``, if it is infeasible or lower) bounds the locked optimum."""

    flip: np.ndarray  # per project; 0 where unknown, inf where its status cannot change (essential, impossible)
    county: np.ndarray  # per project, its county (−1: none)
    approved: np.ndarray  # per project, in the run's allocation
    first: list  # per project, its first phase's approval columns
    every: list  # per project, all its approval columns

    def restriction(self, t: dict) -> tuple[np.ndarray, np.ndarray, list] | None:
        """The columns held at 0 and the rows ``sum ≥ 1`` that hold the statuses the argument proves, for task ``t``."""
        if t.get("lag") is None or t["x"] is None:
            return None
        s = t["lag"] - t["low"]
        own = self.county[t["k"]]
        held = (self.flip >= s + 1e-6) & (self.county != own) & (self.county >= 0)
        held[t["k"]] = False
        out = np.flatnonzero(held & ~self.approved)
        zero = np.concatenate([self.first[q] for q in out]) if len(out) else np.array([], dtype=np.int64)
        rows = [self.every[q] for q in np.flatnonzero(held & self.approved)]
        return zero, np.zeros(len(zero)), rows


class Search:
    def __init__(self, a: Arrays, x_cols: np.ndarray, gap: float, ref: dict, tasks: list[dict],
                 progress: Callable[[int, int], None] | None = None, first_limit: float = FIRST_LIMIT,
                 fixable: np.ndarray | None = None, county: np.ndarray | None = None, proof: Proof | None = None):
        self.a, self.x_cols, self.gap, self.ref, self.tasks, self.progress = a, x_cols, gap, ref, tasks, progress
        self.first_limit = max(first_limit, FIRST_LIMIT)
        self.fixable, self.county = fixable, county  # the neighbourhoods' columns held (outside the task's county)
        self.proof = proof
        self.stats = {"resolves": 0, "rounds": 0, "engine": "one process"}
        self.h = None

    # ------------------------------------------------------------ widths ----
    def width(self, t: dict) -> float:
        """The loss interval's width: the run's share (B − Z) and the counterfactual's own (high − low)."""
        return (self.ref["b"] - self.ref["z"]) + (t["high"] - t["low"])

    def target(self, t: dict, exact: bool) -> float:
        """The counterfactual's own gap wanted: the run's absolute gap, or what the tolerance leaves of it."""
        if exact:
            return self.ref["gap"]
        room = tolerance(max(self.ref["b"] - t["low"], 0.0)) - (self.ref["b"] - self.ref["z"])
        return max(room, self.ref["gap"])

    def open(self, t: dict, exact: bool) -> bool:
        if t.get("result") is not None:
            return False  # decided: essential or impossible
        if t["x"] is None:
            return True  # no allocation yet, so no upper end of the loss (and no target: its tolerance is unbounded)
        target = self.target(t, exact)
        if t.get("proven", np.inf) <= target + 1e-9:
            return False  # HiGHS closed it to this gap already (its tolerances may leave a hair more)
        return t["high"] - t["low"] > target + 1e-9

    def exact_count(self) -> int:
        return sum(1 for t in self.tasks if t.get("result") is not None or not self.open(t, True))

    # ------------------------------------------------------------ rounds ----
    def run(self, deadline: float | None, per_project: float, full: bool, workers: int = 1,
            scheduler: str | None = None) -> None:
        engine = cluster.engine(scheduler, workers) if (scheduler or workers > 1) else None
        if engine is not None:
            self.stats["engine"] = engine.label
        try:
            self._first_allocations(deadline, per_project, engine)
            self._neighbourhoods(deadline, engine)
            self._restricted(deadline, engine)
            if full:
                self._to_the_end(deadline, engine)
            else:
                for exact in (False, True):
                    self._rounds(exact, deadline, per_project, engine)
        finally:
            if engine is not None:
                engine.close()
        self.stats["exact"] = self.exact_count()

    def _rounds(self, exact: bool, deadline: float | None, per_project: float, engine) -> None:
        limit = min(self.first_limit, per_project)
        while True:
            todo = [t for t in self.tasks if self.open(t, exact)]
            left = None if deadline is None else deadline - time.perf_counter()
            if not todo or (left is not None and left <= 0.05):
                return
            self._round(todo, limit, exact, deadline, engine)
            limit = min(limit * 2, per_project)

    def _to_the_end(self, deadline: float | None, engine) -> None:
        """``full``: one re-solve each, with no time limit, to the run's absolute gap (the widest against it first).
        A re-solve cut short and started again loses its tree; this one never is (but for ``deadline``, a cap
        ``quota run`` does not set)."""
        self._round([t for t in self.tasks if self.open(t, True)], None, True, deadline, engine)

    def _first_allocations(self, deadline: float | None, per_project: float, engine) -> None:
        """One whole-model re-solve for each open task with no allocation yet (no repair of it kept every row), before
        the restricted rounds, which need one: its alternative is what a planner asks for first."""
        todo = [t for t in self.tasks if self.open(t, False) and t["x"] is None]
        self._round(todo, min(self.first_limit, per_project), False, deadline, engine)

    def _neighbourhoods(self, deadline: float | None, engine) -> None:
        """One round of restricted re-solves, for better allocations only (``NEIGHBOURHOOD_LIMIT`` each): each open
        task's best allocation with its own county free and, elsewhere, only the columns not ``fixable``."""
        if self.fixable is not None:
            todo = [t for t in self.tasks if self.open(t, False) and t["x"] is not None]
            self._round(todo, NEIGHBOURHOOD_LIMIT, False, deadline, engine, restricted=True)

    def _restricted(self, deadline: float | None, engine) -> None:
        """One round of re-solves restricted as ``Proof`` allows (``RESTRICTED_LIMIT`` each): allocation and bound."""
        if self.proof is not None:
            todo = [t for t in self.tasks if self.open(t, False) and t.get("lag") is not None and t["x"] is not None]
            self._round(todo, RESTRICTED_LIMIT, False, deadline, engine, restricted="proof")

    def _round(self, todo: list, limit: float | None, exact: bool, deadline: float | None, engine,
               restricted: bool | str = False) -> None:
        """One re-solve of each task of ``todo``, the widest against its aim first, here or on the engine."""
        if not todo:
            return
        todo.sort(key=lambda t: -self._priority(t, exact))
        self.stats["rounds"] += 1
        if engine is None:
            self._here(todo, limit, exact, deadline, restricted)
        else:
            self._there(todo, limit, exact, deadline, engine, restricted)

    def _fix(self, t: dict) -> tuple[np.ndarray, np.ndarray]:
        own = np.unique(self.county[t["cols"]])
        cols = np.flatnonzero(self.fixable & ~np.isin(self.county, own))
        return cols, np.round(t["x"][cols])

    def _priority(self, t: dict, exact: bool) -> float:
        if t["x"] is None:
            return np.inf
        return (t["high"] - t["low"]) / max(self.target(t, exact), 1e-9)

    def _task(self, t: dict, limit: float | None, exact: bool, deadline: float | None,
              restricted: bool | str = False) -> dict:
        if deadline is not None:
            left = max(deadline - time.perf_counter(), 0.01)
            limit = left if limit is None else min(limit, left)
        task = {"kind": t["kind"], "cols": t["cols"], "start": t["x"], "limit": limit, "abs_gap": self.target(t, exact)}
        if restricted == "proof":
            zero, values, rows = self.proof.restriction(t)
            task.update(fix=(zero, values), rows=rows, floor=t["low"])
        elif restricted:
            task["fix"] = self._fix(t)
        return task

    def _here(self, todo: list, limit: float | None, exact: bool, deadline: float | None, restricted: bool | str = False
              ) -> None:
        if self.h is None:
            self.h = new_solver(self.a, True, self.gap)
        for t in todo:
            if deadline is not None and time.perf_counter() >= deadline - 0.05:
                return
            task = self._task(t, limit, exact, deadline, restricted)
            self._take(t, solve(self.h, task, self.x_cols), task)

    def _there(self, todo: list, limit: float | None, exact: bool, deadline: float | None, engine,
               restricted: bool | str = False) -> None:
        """One task a job, taken as each comes back (a worker free takes the next: no batch waits on its slowest
        task); limits cut so that the round ends by the deadline."""
        n = max(engine.workers, 1)
        per = -(-len(todo) // n)
        if deadline is not None and limit is not None:
            limit = min(limit, max((deadline - time.perf_counter()) / per - 0.05, 0.05))
        key = id(self)
        tasks = [self._task(t, limit, exact, None, restricted) for t in todo]
        if deadline is not None:  # each job ends by the deadline, however long it waits for a worker (``solve_batch``)
            until = time.time() + (deadline - time.perf_counter())
            tasks = [{**task, "until": until} for task in tasks]
        jobs = [(key, self.a, self.gap, [task], self.x_cols) for task in tasks]
        engine.map(solve_batch, jobs, None if deadline is None else deadline + 5.0, partial=True,
                   on_done=lambda i, found: self._take(todo[i], found[0], tasks[i]))

    def _take(self, t: dict, r: dict, task: dict) -> None:
        if r.get("skipped"):  # its turn came after the deadline: not run
            return
        self.stats["resolves"] += 1
        abs_gap = task["abs_gap"]
        was_exact = not self.open(t, True)
        if "floor" in task:  # restricted as ``Proof`` allows: its bound, or the allocation it started above, bounds
            ceiling = task["floor"] if r.get("restricted_infeasible") else r.get("restricted_bound")
            if ceiling is not None:
                t["high"] = min(t["high"], max(ceiling, task["floor"]))
        if r.get("optimal") and r["x"] is not None:
            t["proven"] = min(t.get("proven", np.inf), abs_gap)
        if r["infeasible"] and t["x"] is None:
            t["result"] = "essential" if t["kind"] == "why" else "impossible"
        if r["bound"] is not None:
            t["high"] = min(t["high"], r["bound"])
        if r["objective"] is not None and r["x"] is not None and r["objective"] > t["low"]:
            t["low"], t["x"] = r["objective"], r["x"]
            self.ref["z"] = max(self.ref["z"], t["low"])  # an allocation with X locked is one of the model too
        t["high"] = max(t["high"], t["low"])
        if self.progress is not None and not was_exact and not self.open(t, True):
            self.progress(self.exact_count(), len(self.tasks))
