"""Repairs of the run's allocation: a feasible allocation with a project locked out or in, in milliseconds.

A repair gives the *other* end of a counterfactual's interval (an allocation that exists, so the forced optimum is
at least its value) and the concrete alternative (the projects that change). Every repaired allocation keeps
every row of the model (phases, dependencies, caps, linkage, advance, restriction, the rule sets' rows): the row
activities are checked move by move (``quota.solve.greedy.Rows``) and once more at the end; an allocation that
fails is never returned.

- **Locked out** (*why X*): X and every approved project that requires X (transitively) are removed; the rows the
  removal breaks (a county's earned quota less the stock X disposed of, under a rule set) are mended as below; then
  the freed room is filled greedily, projects by value per hectare, each with its first schedule and source that
  keeps every row (``quota.solve.greedy.Moves``).
- **Locked in** (*why not X*): X's projects that it requires and are not approved are added first, then X, each
  with its best schedule; the rows they break are mended by giving up the approvals that cost least per unit of
  excess they remove (with whatever requires them); then the freed room is filled as above. Up to ``TRIES``
  schedules of X are tried; the best repair is kept.

Plain numpy (no PuLP, no pandas), like ``quota.solve.greedy``.
"""
from __future__ import annotations

import numpy as np

from ..solve.arrays import Arrays
from ..solve.greedy import Layout, Moves, Rows

TRIES = 4  # schedules of a locked-in project tried, best first
EXCESS = 1e-7  # a row beyond its bound by more than this is broken (greedy's tolerance)
SETTLE_LIMIT = 2.0  # seconds: a repair's sources set anew (``settle``), when its rows do not all hold (ms as a rule)


class Repairer:
    """The run's allocation ``x0`` and what every repair needs: columns per project, the dependency closure."""

    def __init__(self, a: Arrays, layout: Layout, x0: np.ndarray, requires: dict[int, set], required_by: dict[int, set]):
        self.a, self.layout, self.x0 = a, layout, x0
        self.moves = Moves(a, layout)
        self.rows0 = Rows(a, x0)
        n_projects = len(layout.locked)
        owner = np.full(a.shape[1], -1, dtype=np.int64)
        for cols in layout.columns.values():
            has = cols >= 0
            owner[cols[has]] = layout.project[has]
        order = np.argsort(owner, kind="stable")
        bounds = np.searchsorted(owner[order], np.arange(n_projects + 1))
        self.columns = [order[bounds[p]:bounds[p + 1]] for p in range(n_projects)]  # every column of each project
        x_cols = layout.columns["x"]
        self.cells = [np.flatnonzero(layout.project == p) for p in range(n_projects)]
        self.approved0 = np.zeros(n_projects, dtype=bool)
        self.approved0[layout.project[x0[x_cols] > 0.5]] = True
        self.requires, self.required_by = requires, required_by
        self.ranked = self.moves.ranked()  # every project's cells, by value per hectare

    # ------------------------------------------------------------ helpers ----
    def _closure(self, p: int, edges: dict[int, set]) -> set:
        seen, todo = set(), [p]
        while todo:
            q = todo.pop()
            for r in edges.get(q, ()):
                if r not in seen:
                    seen.add(r)
                    todo.append(r)
        return seen

    def _approved(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.layout.locked), dtype=bool)
        out[self.layout.project[x[self.layout.columns["x"]] > 0.5]] = True
        return out

    def _remove(self, x: np.ndarray, rows: Rows, p: int) -> None:
        cols = self.columns[p]
        live = cols[x[cols] != 0]
        for c in live.tolist():
            for r, coef in rows.column(c):
                rows.activity[r] -= coef * x[c]
        x[live] = 0.0

    def _force(self, x: np.ndarray, rows: Rows, cols: list, vals: list) -> None:
        for c, v in zip(cols, vals):
            for r, coef in rows.column(c):
                rows.activity[r] += coef * (v - x[c])
            x[c] = v

    def _fill(self, x: np.ndarray, rows: Rows, skip: set, toward: bool = False) -> None:
        """Add, best value per hectare first, every project not approved (and not in ``skip``) that fits whole
        (``toward``: that takes no row further beyond its bounds, so that a row below its lower bound comes up)."""
        approved = self._approved(x)
        for cells in self.ranked:
            p = int(self.layout.project[cells[0]])
            if approved[p] or p in skip:
                continue
            for cols, vals in self.moves.of(cells):
                if rows.add(cols, vals, x, toward=toward):
                    break

    def _broken(self, rows: Rows) -> dict[int, float]:
        """Rows beyond a bound: row -> signed excess (+ above the upper bound, − below the lower)."""
        act = np.asarray(rows.activity)
        up = act - self.a.row_upper
        lo = self.a.row_lower - act
        out = {int(r): float(up[r]) for r in np.flatnonzero(up > EXCESS)}
        out.update({int(r): -float(lo[r]) for r in np.flatnonzero(lo > EXCESS)})
        return out

    def _value(self, x: np.ndarray, p: int) -> float:
        cols = self.columns[p]
        return float(self.a.cost[cols] @ x[cols])

    # ------------------------------------------------------------ repairs ----
    def lock_out(self, p: int) -> np.ndarray | None:
        """The run's allocation without ``p`` (and what requires it), the freed room filled; None if a row breaks."""
        x, rows = self.x0.copy(), Rows(self.a, self.x0)
        gone = {p} | self._closure(p, self.required_by)
        for q in gone:
            self._remove(x, rows, q)
        if not self._mend(x, rows, self._kept(), upper=True):  # e.g. a county's earned quota, less X's stock disposed of
            return None
        self._fill(x, rows, gone, toward=bool(self._broken(rows)))  # a row with a lower bound that X's approval helped fill
        return self._settled(x, rows)

    def lock_in(self, p: int) -> np.ndarray | None:
        """The best of up to ``TRIES`` repairs with ``p`` approved (see the module); None if none keeps every row."""
        best, best_value = None, -np.inf
        needs = [q for q in self._order(self._closure(p, self.requires)) if not self.approved0[q]]
        for k, (cols, vals) in enumerate(self.moves.of(self.cells[p])):
            if k >= TRIES:
                break
            x = self._lock_in_with(p, needs, cols, vals)
            if x is not None:
                value = float(self.a.cost @ x)
                if value > best_value:
                    best, best_value = x, value
        return best

    def _order(self, projects: set) -> list[int]:
        """Requirements before what requires them."""
        out, seen = [], set()

        def visit(q):
            if q in seen:
                return
            seen.add(q)
            for r in self.requires.get(q, ()):
                if r in projects:
                    visit(r)
            out.append(q)
        for q in sorted(projects):
            visit(q)
        return out

    def _lock_in_with(self, p: int, needs: list[int], cols: list, vals: list) -> np.ndarray | None:
        x, rows = self.x0.copy(), Rows(self.a, self.x0)
        for q in needs:  # X's requirements: their best schedule that fits, else their best one, mended below
            options = list(self.moves.of(self.cells[q]))
            if not options:
                return None
            if not any(rows.add(c, v, x) for c, v in options):
                self._force(x, rows, *options[0])
        self._force(x, rows, cols, vals)
        if not self._mend(x, rows, self._kept({p, *needs})):
            return None
        self._fill(x, rows, {p})
        return self._settled(x, rows)

    def _settled(self, x: np.ndarray, rows: Rows) -> np.ndarray | None:
        """``x`` if it keeps every row; else its approvals with the other columns (sources, extra disposal, restriction)
        set anew by ``settle``; None if no setting keeps every row."""
        return x if rows.holds(x) else settle(self.a, self.layout.columns["x"], x, SETTLE_LIMIT)

    def _kept(self, projects: set = frozenset()) -> set:
        """``projects`` and the ones locked in, with everything they require: what a mend may not give up."""
        keep = set(projects) | set(np.flatnonzero(self.layout.locked).tolist())
        for q in list(keep):
            keep |= self._closure(q, self.requires)
        return keep

    def _mend(self, x: np.ndarray, rows: Rows, keep: set, upper: bool = False) -> bool:
        """Give up approvals, cheapest per unit of excess removed, until no row is broken (``upper``: no row above its
        upper bound; one below its lower bound is the fill's to bring up)."""
        def wanted() -> dict[int, float]:
            return {r: e for r, e in self._broken(rows).items() if e > 0 or not upper}

        for _ in range(len(self.layout.locked)):
            broken = wanted()
            if not broken:
                return True
            best, best_score = None, np.inf
            approved = self._approved(x)
            for q in np.flatnonzero(approved).tolist():
                if q in keep:
                    continue
                group = {q} | {r for r in self._closure(q, self.required_by) if approved[r]}
                if group & keep:
                    continue
                relief = 0.0
                for r in group:
                    for c in self.columns[r][x[self.columns[r]] != 0].tolist():
                        for row, coef in rows.column(c):
                            e = broken.get(row)
                            if e is not None:
                                d = coef * x[c]
                                relief += min(d, e) if e > 0 else min(-d, -e)
                if relief <= EXCESS:
                    continue
                score = sum(self._value(x, r) for r in group) / relief
                if score < best_score:
                    best, best_score = group, score
            if best is None:
                return False  # a broken row no approval can mend (e.g. one of carry-over or advance): the MIP's to find
            for r in best:
                self._remove(x, rows, r)
        return not wanted()


def settle(a: Arrays, x_cols: np.ndarray, x: np.ndarray, limit: float = 30.0) -> np.ndarray | None:
    """The run's allocation as a column vector that keeps every row: its approvals (``x_cols``) fixed, every other
    column (sources, carry-over, restriction, extra disposal) at the best values the rows allow; None if none do
    (or none is found within ``limit`` seconds)."""
    from ..solve.highs import base_options, new_highs, run

    fixed = np.rint(x[x_cols])
    lower, upper = a.col_lower.copy(), a.col_upper.copy()
    lower[x_cols] = upper[x_cols] = fixed
    pinned = Arrays(cost=a.cost, col_lower=lower, col_upper=upper, integer=a.integer, row_lower=a.row_lower,
                    row_upper=a.row_upper, starts=a.starts, index=a.index, value=a.value, offset=a.offset)
    h = new_highs(pinned, integer=True, options={**base_options(1e-9, None, False), "mip_abs_gap": 1e-7})
    r = run(h, limit)
    if r["x"] is None:
        return None
    out = r["x"].copy()
    out[x_cols] = fixed
    out[a.integer] = np.rint(out[a.integer])
    return out if Rows(a, out).holds(out) else None
