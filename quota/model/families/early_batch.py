"""Within-year advance (当年预支): urgent phases approved whole in an early batch, before the year's plan arrives.

Seed clause 三(四): 「急需开工项目可优先组卷报批,使用预支指标」 (``labels.SEED['advance']``), read as practised
(RULES.md, Semantics item 5; Order 66, 2016, Art. 10: before this year's plan arrives, up to 50% of *last* year's
quota may be used, and it is deducted from *this* year's; MNR 2024 warns against borrowing from future years).
Only with ``advance.mode: within_year``; the first contract's ``next_year`` advance is ``advance.py``.

Mathematical formulation
    b_pky ∈ {0, 1}   for urgent cells where advance is allowed (every year: ``advance.last_year`` plays no part)
    v_pky = a_pk·b_pky                      the early batch takes the whole phase as advance (no split)
    Σ_p v_py ≤ max_share·Q_(y−1)            Q_(y_1−1) = ``advance.previous_quota``
    v counts in year y's own city quota, farmland and county cap rows; nothing is repaid or owed.
    objective: + w·a·(δ^(t − g) − δ^t)·b    t = y − max(e, y_1), g = ``advance.early_gain``

Table rows (docs/model.md)
    early batch | `v = a·b`, `b ∈ {0,1}` (within_year: the whole phase is advance, or none of it)
    advance cap (within_year) | `Σ v_·y ≤ max_share·Q_(y−1)`, `Q_(y_1−1) = previous_quota`

With ``v = a·b`` and the supply split ``v + s ≤ a·x``, b = 1 forces x = 1 and s = 0: a phase is in the
early batch exactly when it draws advance, and then draws nothing else. A restricted county's
non-exempt projects have no v (``adv_ok`` follows ``new_ok``), so no b either. The early batch still
pays ``advance.cost`` per ha and the linkage penalty π on v, as advance does under the first contract.

Reads: projects.urgent, advance.max_share, advance.mode, advance.early_gain, advance.previous_quota, quota, delay_discount.
"""
from __future__ import annotations

import numpy as np

from ..quota_model import QuotaModel, split_terms
from .supply import advance_terms, term_arrays


def within_year(s) -> bool:
    """True when advance is drawn within the year (RULES.md 5) rather than from next year (first contract)."""
    return s.rules.advance.mode == "within_year"


def add_early_batch(m: QuotaModel) -> None:
    s = m.scenario
    if not within_year(s):
        return
    cells = m.cells
    adv = cells["v"].notna().to_numpy()
    b = np.full(len(cells), None, dtype=object)
    b[adv] = m.new_vars("b", int(adv.sum()), 0, 1, "Integer")
    cells["b"] = b
    at, var, coef = term_arrays(cells, [("v", 1.0), ("b", -cells["area"].to_numpy(dtype=float))], adv)
    rows = split_terms((np.cumsum(adv) - 1)[at], var, coef, int(adv.sum()))
    m.add_rows("early_batch", cells.index[adv], rows, "==", np.zeros(len(rows)), ("project_id", "plan", "phase", "year"))
    keys, pairs, rhs = [], [], []
    for i, y in enumerate(s.years):
        terms = advance_terms(cells[cells["year"] == y])
        if terms:
            keys.append(y)
            pairs.append(terms)
            rhs.append(s.advance.max_share * previous_quota(s, i))
    m.add_rows("advance_cap", keys, pairs, "<=", rhs, ("year",))


def previous_quota(s, i: int) -> float:
    """Q_(y−1) of the i-th year of the horizon: last year's quota, ``advance.previous_quota`` before the first."""
    return s.quota[s.years[i - 1]] if i > 0 else float(s.rules.advance.previous_quota or 0.0)


def early_gain_coef(s, cells) -> np.ndarray:
    """The objective's coefficient on b: w·a·(δ^(t − g) − δ^t), t = y − max(e, y_1) (the cells' ``discount`` is δ^t)."""
    disc = cells["discount"].to_numpy(dtype=float)
    return cells["w"].to_numpy(dtype=float) * cells["area"].to_numpy(dtype=float) * disc \
        * (s.delay_discount ** (-s.rules.advance.early_gain) - 1.0)
