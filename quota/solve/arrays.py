"""A model as arrays in HiGHS's terms (``Arrays``), and what a solve of them found (``Outcome``).

Plain numpy: the deadline child and the worker processes unpickle these without importing PuLP or pandas.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Arrays:
    """A maximisation in HiGHS's terms: columns, rows (row-wise sparse), integrality."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray  # row-wise: starts (len rows + 1), index, value
    index: np.ndarray
    value: np.ndarray
    offset: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_lower), len(self.cost)

    def entry_rows(self) -> np.ndarray:
        """The row of every entry (``index``/``value``)."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.starts))

    def restrict(self, cols: np.ndarray, entries: np.ndarray, row: np.ndarray, cost: np.ndarray | None = None
                 ) -> tuple["Arrays", np.ndarray, np.ndarray]:
        """The model over the columns ``cols`` (ascending) and the entries ``entries`` (all in ``cols``,
        in row order; ``row`` from ``entry_rows``): the rows they touch, with those rows' own bounds.
        Also returns those rows' numbers and the position of each one's first entry in ``entries``."""
        rows, first = np.unique(row[entries], return_index=True)
        cost = self.cost if cost is None else cost
        sub = Arrays(cost=cost[cols], col_lower=self.col_lower[cols], col_upper=self.col_upper[cols],
                     integer=self.integer[cols], row_lower=self.row_lower[rows], row_upper=self.row_upper[rows],
                     starts=np.append(first, len(entries)), index=np.searchsorted(cols, self.index[entries]),
                     value=self.value[entries])
        return sub, rows, first


@dataclass
class Outcome:
    """What HiGHS found: the best column values (if any), their objective, the best bound."""

    status: str  # optimal | stopped | infeasible | no_solution | error
    x: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    version: str = ""
    seconds: float = 0.0
    phases: list[dict] = field(default_factory=list)  # name, seconds, status, objective, bound
    message: str = ""
    relaxation: dict | None = None  # the LP relaxation, when solved: objective, x (columns), duals (rows)
    stop_reason: str = ""  # why the strategy stopped: "gap met", "time limit", "nothing left to try" (quota.solve.rounds)
    progress: list = field(default_factory=list)  # (seconds, objective, bound) at every improvement
    notes: list = field(default_factory=list)  # what the user should know (e.g. how to get parallelism)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(self.bound - self.objective, 0.0) / max(abs(self.objective), 1e-9)
