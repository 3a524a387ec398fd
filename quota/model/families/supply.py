"""Supply split: the land of an approved phase comes from new quota, advance quota or county stock.

Seed clause 三(四): 「急需开工项目可优先组卷报批,使用预支指标」 (``labels.SEED['advance']``); 「积极盘活县域存量建设用地」
(``labels.SEED['stock']``)

Mathematical formulation
    n_pky + v_pky + s_pky = a_pk·x_pky,   n, v, s ≥ 0

    v exists only for urgent projects (预支指标, 急需开工项目), in years where advance may be drawn;
    s exists only for ``stock_ok`` projects in counties with usable stock;
    n is not a variable: n = a·x − v − s, kept ≥ 0 by the row  v + s ≤ a·x.
    In a restricted county a non-exempt project has no n and no v: the row is  s = a·x.

    Under the rules as practised two more sources may stand beside v and s, each a continuous
    variable created by its own family before this split: province reserve p (RULES.md item 4,
    ``quota.model.families.province_reserve``) and ring-fenced quota r (item 6,
    ``quota.model.families.ring_fence``). Then  v + s + p + r ≤ a·x,  n = a·x − v − s − p − r,
    and in a restricted county  s + r = a·x  (p needs new quota's permission; r does not).

Table rows (docs/model.md)
    supply split | `v + s ≤ a·x`; `s = a·x` when restricted and not exempt; with `p`, `r` when the rules give them

Reads: projects.urgent, projects.stock_ok, counties.usable_stock, advance.last_year.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, split_terms


def add_supply(m: QuotaModel, extra: tuple = ()) -> None:
    """``extra``: functions that each add a source's column (p, r) to the cells before the split is written."""
    for add_source in extra:
        add_source(m)
    cells = m.cells
    adv = cells["adv_ok"].to_numpy(dtype=bool)
    stk = cells["stock_ok"].to_numpy(dtype=bool)
    v = np.full(len(cells), None, dtype=object)
    s = np.full(len(cells), None, dtype=object)
    v[adv] = m.new_vars("v", int(adv.sum()), 0, None, "Continuous")
    s[stk] = m.new_vars("s", int(stk.sum()), 0, None, "Continuous")
    cells["v"] = v
    cells["s"] = s
    extra = extra_sources(cells)
    at, var, coef = term_arrays(cells, [("x", -cells["area"].to_numpy(dtype=float)), ("v", 1.0), ("s", 1.0)]
                                + [(c, 1.0) for c in extra])
    split = adv | stk  # otherwise n = a·x, nothing to split
    for c in extra:
        split = split | cells[c].notna().to_numpy()
    new_ok = cells["new_ok"].to_numpy(dtype=bool)
    names = ("project_id", "plan", "phase", "year")
    for family, sense, rows in (("supply_split", "<=", split & new_ok), ("stock_only", "==", split & ~new_ok)):
        row = np.cumsum(rows) - 1  # cell position -> row number in this family
        mine = rows[at]
        pairs = split_terms(row[at[mine]], var[mine], coef[mine], int(rows.sum()))
        m.add_rows(family, cells.index[rows], pairs, sense, np.zeros(len(pairs)), names)


EXTRA_SOURCES = ("p", "r")  # province reserve (RULES.md item 4), ring-fenced quota (item 6): columns only when the rules give them


def extra_sources(cells: pd.DataFrame) -> list[str]:
    """The supply sources beside v and s that this model has (none under the first contract)."""
    return [c for c in EXTRA_SOURCES if c in cells]


def new_quota_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    """Terms of coef·n = coef·(a·x − v − s − p − r) for the given cells."""
    k = _coef(cells, coef)
    new_ok = cells["new_ok"].to_numpy(dtype=bool)  # otherwise all stock: n = 0
    _, var, c = term_arrays(cells, [("x", k * cells["area"].to_numpy(dtype=float)), ("v", -k), ("s", -k)]
                            + [(e, -k) for e in extra_sources(cells)], new_ok)
    return list(zip(var.tolist(), c.tolist()))


def charged_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    """Terms of coef·(n + v) = coef·(a·x − s − p − r): quota charged where it is drawn (county caps, farmland).

    Written without v, which cancels: listing ``−v`` (inside n) and ``+v`` separately would leave
    the expression to PuLP to add up, and PuLP 3.3 keeps only the last coefficient of a repeated variable.
    """
    _, var, c = charged_term_arrays(cells, coef)
    return list(zip(var.tolist(), c.tolist()))


def charged_term_arrays(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``charged_terms`` as arrays (cell position, variable, coefficient), to group by the cells' data."""
    k = _coef(cells, coef)
    new_ok = cells["new_ok"].to_numpy(dtype=bool)  # otherwise all stock: n = v = 0
    return term_arrays(cells, [("x", k * cells["area"].to_numpy(dtype=float)), ("s", -k)]
                       + [(e, -k) for e in extra_sources(cells)], new_ok)


def advance_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    _, var, c = term_arrays(cells, [("v", _coef(cells, coef))])
    return list(zip(var.tolist(), c.tolist()))


def term_arrays(cells: pd.DataFrame, columns: list[tuple], keep: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """Terms of the given variable columns of ``cells``, as arrays (cell position, variable, coefficient).

    ``columns`` lists ``(column, coefficient per cell or scalar)``. Terms come cell by cell and, within
    a cell, in the order of ``columns``; absent variables (None) and cells outside ``keep`` are left out.
    """
    n, width = len(cells), len(columns)
    var = np.empty((n, width), dtype=object)
    coef = np.empty((n, width), dtype=float)
    for j, (column, c) in enumerate(columns):
        var[:, j] = cells[column].to_numpy(dtype=object)
        coef[:, j] = c
    present = pd.notna(var)
    if keep is not None:
        present &= keep[:, None]
    flat = present.ravel()
    return np.repeat(np.arange(n), width)[flat], var.ravel()[flat], coef.ravel()[flat]


def _coef(cells: pd.DataFrame, coef: pd.Series | float) -> np.ndarray:
    return coef.to_numpy(dtype=float) if isinstance(coef, pd.Series) else np.full(len(cells), float(coef))
