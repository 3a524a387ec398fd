"""Counterfactuals for every project, after prioritizr's importance and Korikov & Beck (IJCAI 2021).

- *Why X* (X approved): lock X out. The loss is what the optimum loses without X; "essential" when no
  allocation exists without it (a lock or dependency needs it).
- *Why not X* (X not approved): lock X in. The loss is what approving X costs, and the projects it displaces.

The loss is ``OPT − CF``: the optimum of the model less the optimum with X locked. Neither is known exactly, so
each is reported as a **proven interval**: ``loss_low = Z − CF_high`` and ``loss_high = B − CF_low``, where ``Z``
is the best allocation known of the model (the run's, or a better one a counterfactual found: any allocation with
X locked is one of the model too), ``B`` the best bound on it known (the run's, or a tighter one of step 3),
``CF_low`` the best allocation found with X locked and ``CF_high`` the best bound on it. A counterfactual is
**exact** when its own gap ``CF_high − CF_low`` is within the run's absolute gap (the run's bound less its objective,
at least the run's relative gap target of ``Z``): solved as tightly as the run.

In four steps, all on the model's arrays (``quota.explain.cf_solve``, ``quota.explain.cf_repair``,
``quota.explain.cf_lagrange``, ``quota.explain.cf_search``):

1. **LP bounds for every project at once.** The LP relaxation, hot-started from the last basis, with X locked:
   ``CF_high`` at most its optimum (and at most ``B``); an infeasible LP proves "essential" or "impossible".
2. **Repairs for every project.** The run's allocation with X locked out or in, mended row by row and filled
   greedily (``cf_repair``): ``CF_low`` and the concrete alternative, the projects that change.
3. **Tighter bounds.** (a) The model itself re-solved from the run's allocation to an absolute gap of ``BASE_GAP``,
   when the run's is wider: ``Z`` and ``B`` closer, for every width has ``B − Z`` in it. (b) The Lagrangian by
   county at its best prices (``cf_lagrange``): ``B`` at most ``L``, and for each X the bound ``L − v_c + v_c^X``,
   one small MIP of X's county; a county that cannot hold the lock proves "essential" or "impossible".
4. **Re-solves where they pay most** (``cf_search``), widest interval against its tolerance first, until the budget
   ends (``auto``, ``on``) or every counterfactual is exact (``full``): first one whole-model re-solve for each that
   has no allocation yet (no repair kept every row), then one *neighbourhood* re-solve each (X's
   county free and, elsewhere, the marginal projects at the Lagrangian's prices; the rest held: a better allocation,
   no bound), then one re-solve each restricted as the Lagrangian proves (``cf_search.Proof``: an allocation and a
   bound), then MIP re-solves of the whole model, warm-started from the best allocation known, in rounds of growing
   time limits (``full``: one each with no time limit). The MIP re-solves run with HiGHS's
   restarts off (``cf_solve.NO_RESTART``). ``quota run`` runs them on one local process per core.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np
import pandas as pd

from ..model import compat
from ..model.quota_model import QuotaModel
from ..solve import highs
from ..solve.arrays import Arrays
from ..solve.lagrange import priced_cost
from ..solve.solution import Solution, cell_layout, column_groups
from . import cf_lagrange, cf_search
from .cf_repair import Repairer, settle
from .cf_solve import new_solver, solve, tolerance  # noqa: F401 - tolerance: part of this module's interface

BASE_SHARE = 0.2  # of the budget (not with ``full``): the most the model's own re-solve may take
BASE_GAP = 0.05  # value-weighted ha: the model's own gap wanted (5% of the narrowest tolerance, 1 ha)
MARGIN = 2.0  # value-weighted ha: a project with a cell priced within this of nothing is free in the neighbourhoods
LAGRANGE_SHARE = 0.5  # of the budget (not with ``full``): the most the Lagrangian bounds may take, the cheap ones with it

COLUMNS = ["project_id", "kind", "result", "loss_low", "loss_high", "exact", "objective_low", "objective_high",
           "changed_projects", "changes"]


def eval_counterfactuals(m: QuotaModel, sol: Solution, projects: list[str] | None = None, budget: float = 45.0,
                         per_project: float = 5.0, gap: float = 1e-4, full: bool = False,
                         progress: Callable[[int, int], None] | None = None, workers: int = 1,
                         scheduler: str | None = None, cap: float | None = None) -> pd.DataFrame:
    """One row per project: kind (why / why_not), result, loss interval, and the projects that change.

    ``budget`` seconds in all (not with ``full``, which goes on until every counterfactual is exact, or for ``cap``
    seconds, a stop ``quota run`` does not set); a MIP re-solve starts at a short limit and gets up to ``per_project``
    seconds in later rounds (with ``full``, as long as it takes).
    ``progress(done, total)`` is called as counterfactuals become exact. The re-solves run on ``quota.solve.cluster``'s
    engine, as the decomposition's county problems do: a Dask ``scheduler``'s workers, or ``workers`` local processes
    (``quota run``: one per core, ``cluster.local_workers``), or, for one worker, this process."""
    started = time.perf_counter()
    p = m.projects
    eligible = p.index[p["in_model"]]
    projects = list(eligible if projects is None else [q for q in projects if q in set(eligible)])
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    layout = cell_layout(m, variables)
    column = {v.name: j for j, v in enumerate(variables)}
    names = m.cells["project_id"].astype("category").cat.categories
    number = {pid: k for k, pid in enumerate(names)}
    x_cols = layout.columns["x"]
    raw = _base_vector(column, a.shape[1], m, sol)
    x0 = settle(a, x_cols, raw)
    if x0 is None:  # not expected: the run's approvals keep every row; then no repair, only the re-solves
        x0 = raw
    z = float(sol.objective)
    b = float(sol.bound) if sol.bound is not None else z
    run_gap = max(b - z, gap * abs(z), 1e-6)
    requires, required_by = _dependencies(m, number)
    repairer = Repairer(a, layout, x0, requires, required_by)
    lp = new_solver(a, False, gap)
    relaxation = highs.run(lp, None)  # the relaxation's basis, from which every locked LP starts
    tasks = {}
    for pid in projects:
        k = number.get(pid)
        cells = np.flatnonzero(layout.project == k) if k is not None else np.array([], dtype=int)
        if not len(cells):
            tasks[pid] = {"pid": pid, "kind": "why_not", "result": "impossible"}
            continue
        approved = bool(repairer.approved0[k])
        cols = x_cols[cells] if approved else _first_phase(layout, cells)
        t = {"pid": pid, "k": k, "kind": "why" if approved else "why_not", "cols": cols, "low": -np.inf, "high": b,
             "x": None, "result": None}
        r = solve(lp, {"kind": t["kind"], "cols": cols}, x_cols)
        if r["infeasible"]:
            t["result"] = "essential" if approved else "impossible"
        else:
            if r["bound"] is not None:
                t["high"] = min(b, r["bound"])
            x = repairer.lock_out(k) if approved else repairer.lock_in(k)
            if x is not None:
                t["x"], t["low"] = x, float(a.cost @ x + a.offset)
        tasks[pid] = t
    live = [t for t in tasks.values() if t.get("result") is None]
    z, b = _tighter(a, x0, z, b, None if full else time.perf_counter() + BASE_SHARE * budget)
    lagrangian = _county_bounds(a, m, variables, x0, relaxation, live,
                                None if full else started + LAGRANGE_SHARE * budget)
    if lagrangian is not None:
        b = min(b, lagrangian.bound)
    cheap = time.perf_counter() - started
    live = [t for t in live if t.get("result") is None]
    ref = {"z": max([z] + [t["low"] for t in live]), "b": b, "gap": run_gap}
    fixable, county = _neighbourhoods(a, layout, repairer, lagrangian)
    search = cf_search.Search(a, x_cols, gap, ref, live, progress, first_limit=float(sol.seconds or 0.0),
                              fixable=fixable, county=county, proof=_proof(layout, tasks, lagrangian, repairer))
    end = started + budget if not full else (None if cap is None else started + cap)
    search.run(deadline=end, per_project=per_project, full=full, workers=workers,
               scheduler=scheduler)
    rows = [_row(tasks[pid], ref, layout, x0, names, m.scenario.unit_factor) for pid in projects]
    out = pd.DataFrame(rows, columns=COLUMNS).set_index("project_id")
    out.attrs.update(seconds=time.perf_counter() - started, cheap_seconds=cheap, per_project_limit=per_project,
                     run_gap=run_gap, reference=ref["z"], mode="full" if full else "budget", **search.stats,
                     lagrangian_bound=None if lagrangian is None else lagrangian.bound,
                     lagrangian_rounds=0 if lagrangian is None else lagrangian.rounds)
    return out


def _tighter(a: Arrays, x0: np.ndarray, z: float, b: float, deadline: float | None) -> tuple[float, float]:
    """Step 3a: the model re-solved from the run's allocation until its own gap is ``BASE_GAP`` (or ``deadline``):
    a better allocation and bound of the model, when the run's gap is wider. Every width has the model's gap in it
    (``loss_high − loss_low = (B − Z) + (CF_high − CF_low)``), and a run's relative gap of 1e-4 is most of the 1 ha a
    small loss may be off by."""
    if b - z <= BASE_GAP or (deadline is not None and deadline - time.perf_counter() < cf_search.FIRST_LIMIT):
        return z, b
    limit = None if deadline is None else deadline - time.perf_counter()
    r = solve(new_solver(a, True, 1e-9), {"kind": "none", "cols": [], "start": x0, "abs_gap": BASE_GAP, "limit": limit},
              np.array([], dtype=np.int64))
    if r["objective"] is not None:
        z = max(z, r["objective"])
    if r["bound"] is not None:
        b = min(b, r["bound"])
    return z, max(b, z)


def _county_bounds(a: Arrays, m: QuotaModel, variables: list, x0: np.ndarray, relaxation: dict, live: list[dict],
                   deadline: float | None) -> cf_lagrange.CountyBounds | None:
    """Step 3b: the Lagrangian by county at its best prices, and with it a bound for each live counterfactual
    (``cf_lagrange``), by ``deadline``: a county's rows that cannot hold with the lock decide the counterfactual."""
    county = column_groups(m, variables)["county"]
    lagrangian = cf_lagrange.county_bounds(a, county, x0, relaxation.get("duals"), deadline)
    if lagrangian is None:
        return None
    for t in live:
        if deadline is not None and time.perf_counter() >= deadline:
            break
        bound = lagrangian.locked(t["kind"], t["cols"], deadline)
        if bound is None:
            continue
        if bound == -np.inf:
            t["result"] = "essential" if t["kind"] == "why" else "impossible"
        else:
            t["lag"] = bound
            t["high"] = min(t["high"], bound)
    return lagrangian


def _proof(layout, tasks: dict, lagrangian: cf_lagrange.CountyBounds | None, repairer: Repairer
           ) -> cf_search.Proof | None:
    """Per project, what its other status costs in the Lagrangian (``cf_search.Proof``): from its own counterfactual's
    bound, infinite where the counterfactual is decided (essential, impossible), 0 where it has none."""
    if lagrangian is None:
        return None
    approved = repairer.approved0
    n = len(approved)
    flip = np.zeros(n)
    for t in tasks.values():
        if t.get("k") is None:
            continue
        if t.get("result") in ("essential", "impossible"):
            flip[t["k"]] = np.inf
        elif t.get("lag") is not None:
            flip[t["k"]] = max(lagrangian.bound - t["lag"], 0.0)
    x_cols = layout.columns["x"]
    cells = repairer.cells
    first = [_first_phase(layout, c) for c in cells]
    every = [x_cols[c] for c in cells]
    county = np.array([lagrangian.place[e[0]] if len(e) else -1 for e in every], dtype=np.int64)
    return cf_search.Proof(flip=flip, county=county, approved=approved, first=first, every=every)


def _neighbourhoods(a: Arrays, layout, repairer: Repairer, lagrangian: cf_lagrange.CountyBounds | None
                    ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The integer columns a restricted re-solve holds outside the task's own county: all but those of the *marginal*
    projects, whose priced value (at the Lagrangian's prices) of some cell is within ``MARGIN`` of nothing: the projects
    a lock most likely moves. None without the Lagrangian."""
    if lagrangian is None:
        return None, None
    priced = priced_cost(a, lagrangian.prices)
    x_cols = layout.columns["x"]
    near = np.abs(priced[x_cols]) < MARGIN
    fixable = a.integer.astype(bool) & (lagrangian.place >= 0)
    for q in np.unique(layout.project[near]).tolist():
        fixable[repairer.columns[q]] = False
    return fixable, lagrangian.place


def _first_phase(layout, cells: np.ndarray) -> np.ndarray:
    """The approval columns of a project's first phase (its ``cells``): the row a *why not* lock adds is over these."""
    if len(cells):
        cells = cells[layout.phase[cells] == layout.phase[cells].min()]
    return layout.columns["x"][cells]


def _dependencies(m: QuotaModel, number: dict) -> tuple[dict, dict]:
    requires, required_by = {}, {}
    deps = m.scenario.dependencies
    for p, q in zip(deps["project_id"], deps["requires"]):
        if p in number and q in number:
            requires.setdefault(number[p], set()).add(number[q])
            required_by.setdefault(number[q], set()).add(number[p])
    return requires, required_by


def _base_vector(col: dict, ncols: int, m: QuotaModel, sol: Solution) -> np.ndarray:
    """The solved allocation as a column vector (a warm start, and what every repair starts from)."""
    vec = np.zeros(ncols)
    d = sol.decisions.set_index(["project_id", "plan", "phase", "year"])
    for e in ("x", "v", "s", "p", "r"):  # approval, advance, stock, province reserve, ring-fenced (RULES.md 4, 6)
        if e not in m.cells:
            continue
        for key, var in zip(m.cells.index, m.cells[e]):
            if var is not None and key in d.index:
                vec[col[var.name]] = 1.0 if e == "x" else d.at[key, e]
    if "b" in m.cells:  # within-year advance: a cell is in the early batch exactly when it draws advance
        for key, var in zip(m.cells.index, m.cells["b"]):
            if var is not None and key in d.index and d.at[key, "v"] > 0:
                vec[col[var.name]] = 1.0
    for year, u in m.carry.items():
        vec[col[u.name]] = float(sol.carry.get(year, 0.0))
    return vec


def _row(t: dict, ref: dict, layout, x0: np.ndarray, names, unit: float) -> dict:
    row = {"project_id": t["pid"], "kind": t["kind"]}
    if t.get("result") in ("essential", "impossible"):
        row["result"] = t["result"]
        return row
    if t["x"] is None:
        row["result"] = "unknown"
        row.update(objective_high=t["high"], loss_low=max(0.0, ref["z"] - t["high"]))
        return row
    low, high = t["low"], max(t["high"], t["low"])
    exact = high - low <= ref["gap"] + 1e-9
    row.update(result="solved" if exact else "bounded", exact=bool(exact), objective_low=low, objective_high=high,
               loss_low=max(0.0, ref["z"] - high), loss_high=max(0.0, ref["b"] - low))
    added, removed, moved = _changes(layout, x0, t["x"], t["k"])
    row["changed_projects"] = " ".join(sorted(names[q] for q in (added if t["kind"] == "why" else removed)))
    parts = [f"in {names[q]} {_years(y)} {area * unit:.6f}" for q, (y, area) in sorted(added.items(), key=lambda i: names[i[0]])]
    parts += [f"out {names[q]} {_years(y)} {area * unit:.6f}" for q, (y, area) in sorted(removed.items(), key=lambda i: names[i[0]])]
    parts += [f"moved {names[q]} {_years(y0)}>{_years(y1)}" for q, (y0, y1) in sorted(moved.items(), key=lambda i: names[i[0]])]
    row["changes"] = "; ".join(parts) or "none"  # the best alternative known changes no other project
    return row


def _years(years: tuple) -> str:
    return "/".join(str(y) for y in years)


def _approvals(layout, x: np.ndarray) -> dict:
    """project number -> (years, area approved in hectares), per allocation."""
    on = x[layout.columns["x"]] > 0.5
    out: dict = {}
    for p, y, area in zip(layout.project[on].tolist(), layout.year[on].tolist(), layout.area[on].tolist()):
        years, total = out.get(p, ((), 0.0))
        out[p] = (tuple(sorted(set(years) | {y})), total + area)
    return out


def _changes(layout, x0: np.ndarray, x: np.ndarray, own: int) -> tuple[dict, dict, dict]:
    """The projects approved instead (added), displaced (removed) and moved to other years, the locked one aside."""
    before, after = _approvals(layout, x0), _approvals(layout, x)
    added = {p: v for p, v in after.items() if p not in before and p != own}
    removed = {p: v for p, v in before.items() if p not in after and p != own}
    moved = {p: (before[p][0], after[p][0]) for p in before.keys() & after.keys() if p != own and before[p][0] != after[p][0]}
    return added, removed, moved
