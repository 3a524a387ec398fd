"""``QuotaModel``: the PuLP problem with its labelled variable and constraint families.

Each family is a pandas Series indexed by a named index (``(county, year)``,
``(project_id, plan, phase, year)``...), so duals and slacks map back to keys
without ever parsing a PuLP name.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from . import compat
from ..input.scenario import Scenario

CELL_VARIABLES = ("x", "v", "s", "p", "r", "b")  # per-cell variables: approve, advance, stock, province, ring-fenced, early batch
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
    elastic: dict[str, float] = field(default_factory=dict)  # family -> price per unit of slack (diagnosis builds only)
    slacks: dict[str, pd.Series] = field(default_factory=dict)  # family -> per row [(slack var, sign), ...]
    restricted: pd.Series | None = None  # dynamic restriction: R_cy binaries by (county, year)
    extra: pd.DataFrame | None = None  # earned linkage: X_cy, extra disposal chosen (var, cost, extra_max) by (county, year)
    fixed: dict[str, float] = field(default_factory=dict)  # re-planning: variable name -> its value fixed by the facts
    _count: int = 0
    _vcount: int = 0

    def add_rows(self, family: str, keys: list | pd.Index, pairs: list[list[tuple]], sense: str, rhs,
                 names: tuple[str, ...]) -> pd.Series:
        """Add one constraint per key, ``sum(coef·var) <sense> rhs``, as a labelled family.

        ``keys`` is a list of key tuples (or scalars), or an index already built from arrays.
        """
        handles, bends = [], []
        price = self.elastic.get(family)
        signs = {"<=": (-1.0,), ">=": (1.0,), "==": (1.0, -1.0)}[sense]
        start = self._count
        for i, (terms, b) in enumerate(zip(pairs, rhs), start=start + 1):
            if price is not None:  # priced slack: the row may bend, at a price, to diagnose infeasibility
                bend = list(zip(self.new_vars("slack", len(signs), 0, None, "Continuous"), signs))
                terms = list(terms) + bend
                bends.append(bend)
            e, b = compat.expr(terms), float(b)
            con = (e <= b) if sense == "<=" else (e >= b) if sense == ">=" else (e == b)
            handles.append(compat.add_constraint(self.prob, con, f"c{i}"))
        self._count = start + len(handles)
        index = _family_index(keys, names)
        series = pd.Series(handles, index=index, dtype=object, name=family)
        series.attrs["sense"] = sense
        series.attrs["rhs"] = pd.Series(np.asarray(rhs, dtype=float), index=index, dtype=float)
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
        return series

    def slack_objective_terms(self) -> list[tuple]:
        """−price·slack for every elastic row (empty in a normal build)."""
        return [(v, -self.elastic[family]) for family, rows in self.slacks.items() for bend in rows for v, _ in bend]

    def new_vars(self, prefix: str, n: int, low, up, cat: str) -> list:
        """``n`` variables named ``{prefix}{i}``, numbered on from the last one created (PuLP 4 makes them in one batch)."""
        start, self._vcount = self._vcount, self._vcount + n
        if n == 0:
            return []
        made = self.prob.add_variable_dicts(f"{prefix}%s", range(start, start + n), lowBound=low, upBound=up, cat=cat)
        return list(made.values())

    def cell_vars(self, column: str, mask: pd.Series) -> pd.Series:
        """The variables of ``column`` (x, v or s) for the cells in ``mask``, dropping absent ones."""
        col = self.cells.loc[mask, column]
        return col[col.notna()]


def split_terms(rows: np.ndarray, variables: np.ndarray, coefs: np.ndarray, n: int) -> list[list[tuple]]:
    """Flat terms (row number, variable, coefficient) → one ``[(variable, coefficient), ...]`` list per row ``0..n-1``.

    One stable sort and one pass: terms keep their given order within a row, and a row with no terms gets [].
    """
    rows = np.asarray(rows, dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    bounds = np.searchsorted(rows[order], np.arange(n + 1)).tolist()
    pairs = list(zip(np.asarray(variables, dtype=object)[order].tolist(), np.asarray(coefs, dtype=float)[order].tolist()))
    return [pairs[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def joined_terms(parts: list[tuple[pd.DataFrame, float]], n: int) -> list[list[tuple]]:
    """``split_terms`` for terms found by joining rows to cells: frames with columns ``row``, ``at`` (the
    cell's position) and ``x``, each part with one coefficient. Within a row: part by part, in cell order."""
    row = np.concatenate([p["row"].to_numpy(dtype=np.int64) for p, _ in parts])
    part = np.concatenate([np.full(len(p), i) for i, (p, _) in enumerate(parts)])
    at = np.concatenate([p["at"].to_numpy(dtype=np.int64) for p, _ in parts])
    x = np.concatenate([p["x"].to_numpy(dtype=object) for p, _ in parts])
    coef = np.concatenate([np.full(len(p), c) for p, c in parts])
    order = np.lexsort((at, part, row))
    return split_terms(row[order], x[order], coef[order], n)


def _family_index(keys, names: tuple[str, ...]) -> pd.Index:
    if isinstance(keys, pd.Index):
        return keys.set_names(list(names)) if len(names) > 1 else pd.Index(keys, name=names[0], dtype=object)
    if len(names) > 1:
        if not keys:
            return pd.MultiIndex.from_arrays([[]] * len(names), names=list(names))
        return pd.MultiIndex.from_tuples(keys, names=list(names))
    return pd.Index([k[0] if isinstance(k, tuple) else k for k in keys], name=names[0], dtype=object)
