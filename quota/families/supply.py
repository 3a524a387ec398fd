"""Supply split: the land of an approved phase comes from new quota, advance quota or county stock.

Mathematical formulation
    n_pky + v_pky + s_pky = a_pk·x_pky,   n, v, s ≥ 0

    v exists only for urgent projects (预支指标, 急需开工项目), in years where advance may be drawn;
    s exists only for ``stock_ok`` projects in counties with usable stock;
    n is not a variable: n = a·x − v − s, kept ≥ 0 by the row  v + s ≤ a·x.
    In a restricted county a non-exempt project has no n and no v: the row is  s = a·x.

Reads: projects.urgent, projects.stock_ok, counties.usable_stock, advance.last_year.
"""
from __future__ import annotations

import pandas as pd

from ..model import QuotaModel

DOC = __doc__


def add_supply(m: QuotaModel) -> None:
    cells = m.cells
    cells["v"] = None
    cells["s"] = None
    adv = cells["adv_ok"].to_numpy()
    stk = cells["stock_ok"].to_numpy()
    cells.loc[adv, "v"] = pd.Series(m.new_vars("v", int(adv.sum()), 0, None, "Continuous"), index=cells.index[adv])
    cells.loc[stk, "s"] = pd.Series(m.new_vars("s", int(stk.sum()), 0, None, "Continuous"), index=cells.index[stk])
    keys, pairs, rhs = [], [], []
    keys_eq, pairs_eq = [], []
    for key, x, v, s, a, new_ok in zip(cells.index, cells["x"], cells["v"], cells["s"], cells["area"], cells["new_ok"]):
        if v is None and s is None:
            continue  # n = a·x, nothing to split
        terms = [(x, -a)] + ([(v, 1.0)] if v is not None else []) + ([(s, 1.0)] if s is not None else [])
        if new_ok:
            keys.append(key)
            pairs.append(terms)
        else:
            keys_eq.append(key)
            pairs_eq.append(terms)
    names = ("project_id", "plan", "phase", "year")
    m.add_rows("supply_split", keys, pairs, "<=", [0.0] * len(keys), names, DOC)
    m.add_rows("stock_only", keys_eq, pairs_eq, "==", [0.0] * len(keys_eq), names, DOC)


def new_quota_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    """Terms of coef·n = coef·(a·x − v − s) for the given cells."""
    c = coef if isinstance(coef, pd.Series) else pd.Series(coef, index=cells.index)
    terms = []
    for x, v, s, a, k, new_ok in zip(cells["x"], cells["v"], cells["s"], cells["area"], c, cells["new_ok"]):
        if not new_ok:
            continue  # all stock: n = 0
        terms.append((x, k * a))
        if v is not None:
            terms.append((v, -k))
        if s is not None:
            terms.append((s, -k))
    return terms


def charged_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    """Terms of coef·(n + v) = coef·(a·x − s): quota charged where it is drawn (county caps, farmland).

    Written without v, which cancels: listing ``−v`` (inside n) and ``+v`` separately would leave
    the expression to PuLP to add up, and PuLP 3.3 keeps only the last coefficient of a repeated variable.
    """
    c = coef if isinstance(coef, pd.Series) else pd.Series(coef, index=cells.index)
    terms = []
    for x, s, a, k, new_ok in zip(cells["x"], cells["s"], cells["area"], c, cells["new_ok"]):
        if not new_ok:
            continue  # all stock: n = v = 0
        terms.append((x, k * a))
        if s is not None:
            terms.append((s, -k))
    return terms


def advance_terms(cells: pd.DataFrame, coef: pd.Series | float = 1.0) -> list[tuple]:
    c = coef if isinstance(coef, pd.Series) else pd.Series(coef, index=cells.index)
    return [(v, k) for v, k in zip(cells["v"], c) if v is not None]
