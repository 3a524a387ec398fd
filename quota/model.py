"""``QuotaModel``: the PuLP problem with its labelled variable and constraint families.

Each family is a pandas Series indexed by a named index (``(county, year)``,
``(project_id, plan, phase, year)``...), so duals and slacks map back to keys
without ever parsing a PuLP name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pulp

from . import compat
from .scenario import Scenario

SENSES = {"<=": pulp.LpConstraintLE, ">=": pulp.LpConstraintGE, "==": pulp.LpConstraintEQ}


@dataclass
class QuotaModel:
    """The specification: a scenario turned into a mixed-integer program.

    ``cells`` has one row per decision ``(project_id, plan, phase, year)`` with
    its data (area, farmland, county, value per hectare, discount, penalty) and
    the variables ``x`` (approve), ``v`` (advance) and ``s`` (stock); new quota
    is ``n = area·x − v − s``.
    """

    scenario: Scenario
    prob: pulp.LpProblem
    projects: pd.DataFrame  # eligibility, scores, placement (higher level) and pre-model reasons
    linkage: pd.DataFrame
    cells: pd.DataFrame
    projects_phases: pd.DataFrame | None = None  # the phases of in-model projects
    carry: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # u_y
    families: dict[str, pd.Series] = field(default_factory=dict)
    formulations: dict[str, str] = field(default_factory=dict)  # family -> its module's docstring
    elastic: dict[str, float] = field(default_factory=dict)  # family -> price per unit of slack (diagnosis builds only)
    slacks: dict[str, pd.Series] = field(default_factory=dict)  # family -> per row [(slack var, sign), ...]
    _count: int = 0
    _vcount: int = 0

    def add_rows(self, family: str, keys: list, pairs: list[list[tuple]], sense: str, rhs: list[float],
                 names: tuple[str, ...], doc: str = "") -> pd.Series:
        """Add one constraint per key, ``sum(coef·var) <sense> rhs``, as a labelled family."""
        handles, bends = [], []
        price = self.elastic.get(family)
        for terms, b in zip(pairs, rhs):
            self._count += 1
            if price is not None:  # priced slack: the row may bend, at a price, to diagnose infeasibility
                signs = {"<=": (-1.0,), ">=": (1.0,), "==": (1.0, -1.0)}[sense]
                bend = [(v, sign) for v, sign in zip(self.new_vars("slack", len(signs), 0, None, "Continuous"), signs)]
                terms = list(terms) + bend
                bends.append(bend)
            e = compat.expr(terms)
            con = (e <= b) if sense == "<=" else (e >= b) if sense == ">=" else (e == b)
            handles.append(compat.add_constraint(self.prob, con, f"c{self._count}"))
        if len(names) > 1:
            index = pd.MultiIndex.from_tuples(keys, names=list(names)) if keys else pd.MultiIndex.from_arrays([[]] * len(names), names=list(names))
        else:
            index = pd.Index([k[0] if isinstance(k, tuple) else k for k in keys], name=names[0], dtype=object)
        series = pd.Series(handles, index=index, dtype=object, name=family)
        series.attrs["sense"] = sense
        series.attrs["rhs"] = pd.Series(rhs, index=index, dtype=float)
        if price is not None:
            bent = pd.Series(bends, index=index, dtype=object)
            self.slacks[family] = pd.concat([self.slacks[family], bent]) if family in self.slacks else bent
        if family in self.families:
            prev = self.families[family]
            parts = [prev.copy(), series.copy()]
            for part in parts:  # pandas ≥ 3 compares the parts' attrs (Series of rhs) on concat, and fails on unequal ones
                part.attrs = {}
            merged = pd.concat(parts)
            merged.attrs = {"sense": sense, "rhs": pd.concat([prev.attrs["rhs"], series.attrs["rhs"]])}
            series = merged
        self.families[family] = series
        if doc:
            self.formulations[family] = doc
        return series

    def slack_objective_terms(self) -> list[tuple]:
        """−price·slack for every elastic row (empty in a normal build)."""
        return [(v, -self.elastic[family]) for family, rows in self.slacks.items() for bend in rows for v, _ in bend]

    def new_vars(self, prefix: str, n: int, low, up, cat: str) -> list:
        start, self._vcount = self._vcount, self._vcount + n
        return [self.prob.add_variable(f"{prefix}{start + i}", lowBound=low, upBound=up, cat=cat) for i in range(n)]

    def cell_vars(self, column: str, mask: pd.Series) -> pd.Series:
        """The variables of ``column`` (x, v or s) for the cells in ``mask``, dropping absent ones."""
        col = self.cells.loc[mask, column]
        return col[col.notna()]
