"""A greedy start: an allocation that meets every row, built in seconds at any size, and a quick bound.

So that a feasible scenario never ends without an allocation, whatever the time limit, the strategy starts
from one built without branch-and-cut:

1. **Base.** Every project's columns are fixed at 0 except those of ``lock: in`` projects; the small MIP
   over what is left (the locked projects, carry-over, extra disposal, restriction binaries) is solved, each
   column of no project pulled gently towards 0 (no carry-over, no restriction where none is needed).
   Higher-level projects are not in the model: the higher level has placed them already.
2. **Projects by value per hectare.** Each project's candidate moves are its schedules (a plan, phase 1 in
   a year, each later phase at the first year ``min_gap`` after the one before, the whole plan or its first
   phases) funded from one source (new quota, stock, ring-fenced, provincial reserve or advance with its
   early batch). Projects are taken by the value per hectare of their best move; a project's moves are
   tried best first and the first that keeps **every row of the model** within its bounds is kept (an
   incremental check of the row activities: phases, dependencies, caps, linkage, restriction and the rule
   sets' rows alike). A second pass retries the projects refused, for those whose requirement came later.
3. The allocation is checked against every row once more before it is returned.

``quick_bound`` is a bound that needs no solve: each project at its best (one plan, each phase once, every
source at its best), every other column at its best end. Loose, but it lets the greedy start carry a gap.

Plain numpy and highspy, like ``quota.solve.highs``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .arrays import Arrays
from .highs import base_options, new_highs, run

SOURCES = ("x", "s", "r", "p", "v")  # a move's funding: new quota (x alone), stock, ring-fenced, reserve, advance
TRIES = 24  # moves tried per project, best first
TOLERANCE = 1e-7  # a row may exceed its bound by this much (the verifier allows 1e-6)
PULL = 1e-4  # the base's cost per unit of a column of no project: towards 0 where the rows allow


@dataclass
class Layout:
    """The model's cells (a project's phase in a plan and year) and their columns, numbered for the greedy."""

    project: np.ndarray  # per cell: the project's number
    plan: np.ndarray  # per cell: its plan's number
    phase: np.ndarray
    year: np.ndarray
    area: np.ndarray
    columns: dict  # "x", "v", "s", "p", "r", "b" -> per cell its column (−1: none)
    locked: np.ndarray  # per project number: lock: in
    min_gap: int = 1


@dataclass
class Start:
    x: np.ndarray
    objective: float
    bound: float | None
    seconds: float
    approved: int  # projects approved beyond the locked ones
    complete: bool  # False if the deadline stopped it before every project was tried


def greedy_start(a: Arrays, layout: Layout, deadline: float | None = None) -> Start | None:
    """The greedy allocation (see the module); None if the base has no allocation (``lock: in`` projects that
    cannot all be approved, or rows that need a project approved). With ``deadline``, projects are added until
    then (the allocation is feasible at every step)."""
    begin = time.perf_counter()
    owner = column_owner(a, layout)
    locked = np.append(layout.locked, False)[owner]  # owner −1 → the appended False
    x = _base(a, (owner < 0) | locked, deadline)
    if x is None:
        return None
    moves = Moves(a, layout)
    check = Rows(a, x)
    approved, complete = _fill(moves, moves.ranked(), check, x, deadline)
    if not check.holds(x):
        return None  # not expected: every move was checked; never hand over an allocation that breaks a row
    return Start(x=x, objective=float(a.cost @ x + a.offset), bound=quick_bound(a, layout), seconds=time.perf_counter() - begin,
                 approved=approved, complete=complete)


def column_owner(a: Arrays, layout: Layout) -> np.ndarray:
    """Per column: the number of the project whose cell it belongs to (−1: a column of no project)."""
    owner = np.full(a.shape[1], -1, dtype=np.int64)
    for cols in layout.columns.values():
        has = cols >= 0
        owner[cols[has]] = layout.project[has]
    return owner


def _fill(moves: Moves, todo: list, check: Rows, x: np.ndarray, deadline: float | None) -> tuple[int, bool]:
    """Add the projects of ``todo`` (each its cells), in order, each by its best move that keeps every row; a second
    pass retries those refused. Returns how many were added and whether every one was tried before ``deadline``."""
    approved, complete, refused = 0, True, []
    for attempt in range(2):
        todo, refused = (todo if attempt == 0 else refused), []
        for k, cells in enumerate(todo):
            if deadline is not None and k % 32 == 0 and time.perf_counter() >= deadline:
                return approved, False
            if any(check.add(cols, vals, x) for cols, vals in moves.of(cells)):
                approved += 1
            else:
                refused.append(cells)
        if not refused:
            break
    return approved, complete


def greedy_repair(a: Arrays, layout: Layout, x: np.ndarray, deadline: float | None = None) -> Start | None:
    """Take ``x`` back within every row, then fill the room it leaves; None if that cannot be done this way.

    ``x`` is an allocation that meets most rows and exceeds a few by a little: the county solutions of the
    Lagrangian bound (``quota.solve.lagrange``), each within its county's rows, together beyond a city-wide one.

    1. **Give up.** While a row is beyond its bound, the approved projects with a column in such a row are taken
       out whole (every column of theirs to 0), the least valuable per hectare first; a removal is kept only if no
       row moves further beyond its bounds (so a project another depends on goes only after it). ``lock: in``
       projects stay.
    2. **Fill.** The projects not approved are added as in ``greedy_start``, by value per hectare.

    Seconds at any size, where the block search of ``lagrange.repair`` builds a MIP of the whole model per block.
    """
    begin = time.perf_counter()
    x = x.copy()
    x[a.integer] = np.rint(x[a.integer])
    owner = column_owner(a, layout)
    check = Rows(a, x)
    order = np.argsort(owner, kind="stable")
    cut = np.searchsorted(owner[order], np.arange(len(layout.locked) + 1))
    columns_of = lambda p: order[cut[p]:cut[p + 1]]  # noqa: E731
    area = np.bincount(layout.project, weights=layout.area * (x[layout.columns["x"]] > 0.5), minlength=len(layout.locked))
    value = np.bincount(np.maximum(owner, 0), weights=a.cost * x * (owner >= 0), minlength=len(layout.locked))
    row = a.entry_rows()
    removed = 0
    while True:
        over = check.beyond()
        if not len(over):
            break
        in_over = np.zeros(a.shape[0], dtype=bool)
        in_over[over] = True
        cols = a.index[in_over[row] & (x[a.index] != 0)]
        candidates = np.unique(owner[cols])
        candidates = candidates[(candidates >= 0)]
        candidates = candidates[~layout.locked[candidates]]
        candidates = candidates[np.argsort(value[candidates] / np.maximum(area[candidates], 1e-9), kind="stable")]
        progress = False
        for p in candidates.tolist():
            if deadline is not None and time.perf_counter() >= deadline:
                return None
            mine = columns_of(p)
            if check.in_excess(mine[x[mine] != 0]) and check.remove(mine, x):
                removed += 1
                progress = True
        if not progress:
            return None
    moves = Moves(a, layout)
    has = np.zeros(len(layout.locked), dtype=bool)
    has[owner[(owner >= 0) & (x != 0)]] = True
    todo = [cells for cells in moves.ranked() if not has[layout.project[cells[0]]]]
    approved, complete = _fill(moves, todo, check, x, deadline)
    if not check.holds(x):
        return None
    return Start(x=x, objective=float(a.cost @ x + a.offset), bound=None, seconds=time.perf_counter() - begin,
                 approved=approved - removed, complete=complete)


def _base(a: Arrays, free: np.ndarray, deadline: float | None) -> np.ndarray | None:
    """The MIP over the ``free`` columns (the others at 0), the columns of no project pulled towards 0."""
    row = a.entry_rows()
    entries = np.flatnonzero(free[a.index])
    cols = np.flatnonzero(free)
    touched = np.zeros(a.shape[0], dtype=bool)
    touched[row[entries]] = True
    if np.any(~touched & ((a.row_lower > TOLERANCE) | (a.row_upper < -TOLERANCE))):
        return None  # a row that only projects' columns can meet
    x = np.zeros(a.shape[1])
    if not len(cols):
        return x
    cost = a.cost - PULL * (a.cost == 0)
    sub, _, _ = a.restrict(cols, entries, row, cost)
    h = new_highs(sub, integer=True, options={**base_options(1e-3, None, False), "mip_rel_gap": 1e-3})
    r = run(h, None if deadline is None else max(deadline - time.perf_counter(), 1.0))
    if r["x"] is None:
        return None
    x[cols] = r["x"]
    x[cols[sub.integer]] = np.rint(x[cols[sub.integer]])
    return x


class Moves:
    """The projects not locked, ranked by value per hectare, and each one's moves, best first, made when asked."""

    def __init__(self, a: Arrays, layout: Layout):
        self.a, self.layout = a, layout
        self.source = np.full((len(layout.project), len(SOURCES)), -1, dtype=np.int64)  # per cell and source: column
        for k, name in enumerate(SOURCES[1:], start=1):
            if name in layout.columns:
                self.source[:, k] = layout.columns[name]
        self.early = layout.columns.get("b", np.full(len(layout.project), -1, dtype=np.int64))
        x_value = a.cost[layout.columns["x"]]
        source_value = np.where(self.source >= 0, a.cost[np.maximum(self.source, 0)] * layout.area[:, None], 0.0)
        source_value[:, 0] = 0.0
        self.value = x_value[:, None] + source_value  # per cell and source: the value of approving it so
        self.value[:, 1:][self.source[:, 1:] < 0] = -np.inf  # a source the cell does not have
        v = self.early[self.early >= 0]
        self.value[self.early >= 0, SOURCES.index("v")] += a.cost[v]

    def ranked(self) -> list[np.ndarray]:
        """Each project's cells (by plan, phase, year), projects by the value per hectare of their best cell."""
        L = self.layout
        order = np.lexsort((L.year, L.phase, L.plan, L.project))
        groups = np.split(order, np.flatnonzero(np.diff(L.project[order])) + 1)
        per_ha = self.value.max(axis=1) / np.maximum(L.area, 1e-9)
        keep = [(float(per_ha[g].max()), g) for g in groups if len(g) and not L.locked[L.project[g[0]]]]
        keep = [k for k in keep if k[0] > 0]
        keep.sort(key=lambda k: -k[0])
        return [k[1] for k in keep]

    def of(self, cells: np.ndarray):
        """The project's moves (columns, values), best first, at most ``TRIES``; each worth more than nothing."""
        L = self.layout
        if _one_phase(L, cells):  # each year on its own: the moves straight from the table of values
            values = self.value[cells]
            flat = np.argsort(-values, axis=None)[:TRIES]
            for i in flat[values.ravel()[flat] > 1e-9].tolist():
                yield self.move(cells[i // len(SOURCES):i // len(SOURCES) + 1], i % len(SOURCES))
            return
        found = []
        for schedule in _schedules(L, cells):
            values = self.value[schedule].sum(axis=0)
            for k in np.flatnonzero(values > 1e-9):
                found.append((float(values[k]), schedule, int(k)))
        found.sort(key=lambda f: -f[0])
        for _, schedule, k in found[:TRIES]:
            yield self.move(schedule, k)

    def move(self, schedule: np.ndarray, k: int) -> tuple[list, list]:
        L = self.layout
        cols, vals = L.columns["x"][schedule].tolist(), [1.0] * len(schedule)
        if k:
            cols += self.source[schedule, k].tolist()
            vals += L.area[schedule].tolist()
            if SOURCES[k] == "v":  # within-year advance: the whole phase in the early batch
                b = self.early[schedule]
                cols += b[b >= 0].tolist()
                vals += [1.0] * int((b >= 0).sum())
        return cols, vals


def _one_phase(layout: Layout, cells: np.ndarray) -> bool:
    return len(cells) == 1 or bool((layout.phase[cells] == layout.phase[cells[0]]).all()
                                   and (layout.plan[cells] == layout.plan[cells[0]]).all())


def _schedules(layout: Layout, cells: np.ndarray) -> list[np.ndarray]:
    """A project's schedules: per plan and first year, phases as early as ``min_gap`` allows, whole or its first phases."""
    out = []
    for plan in np.unique(layout.plan[cells]):
        mine = cells[layout.plan[cells] == plan]  # by phase, then year
        phases = np.unique(layout.phase[mine])
        by_phase = [mine[layout.phase[mine] == k] for k in phases]
        for first in by_phase[0]:
            chosen, prev = [first], layout.year[first]
            out.append(np.array(chosen))
            for later in by_phase[1:]:
                fits = later[layout.year[later] >= prev + layout.min_gap]
                if not len(fits):
                    break
                chosen.append(fits[0])
                prev = layout.year[fits[0]]
                out.append(np.array(chosen))
    return out


class Rows:
    """The row activities of an allocation, kept up to date move by move (plain Python: a move has few entries)."""

    def __init__(self, a: Arrays, x: np.ndarray):
        self.a = a
        self.activity = np.bincount(a.entry_rows(), weights=a.value * x[a.index], minlength=a.shape[0]).tolist()
        by_col = np.argsort(a.index, kind="stable")
        self.start = np.searchsorted(a.index[by_col], np.arange(a.shape[1] + 1)).tolist()
        self.row = a.entry_rows()[by_col]
        self.value = a.value[by_col]
        self.upper = (a.row_upper + TOLERANCE).tolist()
        self.lower = (a.row_lower - TOLERANCE).tolist()
        self.entries: dict[int, list] = {}  # column -> [(row, value)], made at its first use

    def column(self, c: int) -> list:
        found = self.entries.get(c)
        if found is None:
            lo, hi = self.start[c], self.start[c + 1]
            found = self.entries[c] = list(zip(self.row[lo:hi].tolist(), self.value[lo:hi].tolist()))
        return found

    def add(self, cols: list, vals: list, x: np.ndarray, toward: bool = False) -> bool:
        """Set ``x[cols] = vals`` (from 0) if every row stays within its bounds (``toward``: if no row moves further
        beyond them, so that a row already below its lower bound may be brought up step by step); say whether it was."""
        delta: dict[int, float] = {}
        for c, v in zip(cols, vals):
            if x[c] != 0:
                return False
            for r, coef in self.column(c):
                delta[r] = delta.get(r, 0.0) + coef * v
        if not self._keeps(delta, toward):
            return False
        for r, d in delta.items():
            self.activity[r] += d
        x[cols] = vals
        return True

    def _keeps(self, delta: dict, toward: bool) -> bool:
        """Whether the row changes ``delta`` leave every row within its bounds (``toward``: move none further beyond
        them; for rows within their bounds the two are the same)."""
        act, up, lo = self.activity, self.upper, self.lower
        for r, d in delta.items():
            use = act[r] + d
            if (use > up[r] and (d > 0 or not toward)) or (use < lo[r] and (d < 0 or not toward)):
                return False
        return True

    def remove(self, cols, x: np.ndarray) -> bool:
        """Set ``x[cols] = 0`` if no row moves further beyond its bounds (a row within them stays within); say
        whether it was."""
        delta: dict[int, float] = {}
        for c in cols:
            c = int(c)
            if x[c] != 0:
                for r, coef in self.column(c):
                    delta[r] = delta.get(r, 0.0) - coef * float(x[c])
        if not self._keeps(delta, True):
            return False
        for r, d in delta.items():
            self.activity[r] += d
        x[cols] = 0.0
        return True

    def in_excess(self, cols) -> bool:
        """Whether one of these columns has an entry in a row now beyond its bounds."""
        act, up, lo = self.activity, self.upper, self.lower
        return any(act[r] > up[r] or act[r] < lo[r] for c in cols for r, _ in self.column(int(c)))

    def beyond(self) -> np.ndarray:
        """The rows whose activity is beyond their bounds (by more than ``TOLERANCE``)."""
        act = np.asarray(self.activity)
        return np.flatnonzero((act > np.asarray(self.upper)) | (act < np.asarray(self.lower)))

    def holds(self, x: np.ndarray) -> bool:
        a = self.a
        use = np.bincount(a.entry_rows(), weights=a.value * x[a.index], minlength=a.shape[0])
        bounds = np.all(x >= a.col_lower - TOLERANCE) and np.all(x <= a.col_upper + TOLERANCE)
        return bool(bounds and np.all(use <= a.row_upper + 1e-6) and np.all(use >= a.row_lower - 1e-6))


def quick_bound(a: Arrays, layout: Layout) -> float | None:
    """An upper bound with no solve: each project at its best (at most one plan, each phase at most once, every
    source at its best), every column of no project at its best end; None if one of those is unbounded.

    Valid because the model's approval rows allow no more (plan choice, phase order) and every source of a cell
    is at most its area (the supply split)."""
    cost = a.cost
    n = a.shape[1]
    cell_value = cost[layout.columns["x"]].copy()
    in_cell = np.zeros(n, dtype=bool)
    in_cell[layout.columns["x"]] = True
    for kind, cols in layout.columns.items():
        if kind == "x":
            continue
        has = cols >= 0
        in_cell[cols[has]] = True
        scale = np.ones(int(has.sum())) if kind == "b" else layout.area[has]
        cell_value[has] += np.maximum(cost[cols[has]], 0.0) * scale
    cell_value = np.maximum(cell_value, 0.0)
    best_phase: dict[tuple, float] = {}
    for p, plan, k, v in zip(layout.project.tolist(), layout.plan.tolist(), layout.phase.tolist(), cell_value.tolist()):
        key = (p, plan, k)
        if v > best_phase.get(key, 0.0):
            best_phase[key] = v
    best_plan: dict[tuple, float] = {}
    for (p, plan, _), v in best_phase.items():
        best_plan[(p, plan)] = best_plan.get((p, plan), 0.0) + v
    best_project: dict[int, float] = {}
    for (p, _), v in best_plan.items():
        best_project[p] = max(best_project.get(p, 0.0), v)
    total = float(a.offset) + sum(best_project.values())
    other = np.flatnonzero(~in_cell)
    up = np.where(cost[other] > 0, a.col_upper[other], a.col_lower[other])
    gain = cost[other] * up
    if not np.all(np.isfinite(gain[cost[other] != 0])):
        return None
    return total + float(np.sum(gain[cost[other] != 0]))
