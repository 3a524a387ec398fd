"""Advance quota (预支指标) for urgent projects.

Seed clause 三(四): 「急需开工项目可优先组卷报批,使用预支指标」 (``labels.SEED['advance']``)

Mathematical formulation
    Σ_p v_py ≤ max_share·Q_(y+1)      for every year but the last
    Σ_p v_p,last ≤ max_share·Q_last   only when advance.last_year; otherwise v = 0 in the last year

Table rows (docs/model.md)
    advance cap | `Σ v_·y ≤ max_share·Q_(y+1)`; last year only with `last_year`, cap `max_share·Q_last`

Only urgent projects have v (急需开工项目优先组卷报批,使用预支指标). The cap uses the
raw next-year quota (Order 66, 2016, Art. 10: up to 50%). Advance drawn in year y
is repaid from year y+1's city quota; advance drawn in the last year is owed
beyond the horizon. Each hectare of advance costs ``advance.cost``.

Reads: projects.urgent, scenario advance.max_share, advance.last_year, quota.
"""
from __future__ import annotations

from ..quota_model import QuotaModel
from .early_batch import within_year
from .supply import advance_terms


def add_advance_cap(m: QuotaModel) -> None:
    s = m.scenario
    if within_year(s):  # RULES.md 5: capped by last year's quota instead (early_batch.py)
        return
    keys, pairs, rhs = [], [], []
    for i, y in enumerate(s.years):
        last = i == len(s.years) - 1
        if last and not s.advance.last_year:
            continue
        terms = advance_terms(m.cells[m.cells["year"] == y])
        if not terms:
            continue
        keys.append(y)
        pairs.append(terms)
        rhs.append(s.advance.max_share * s.quota[s.years[-1] if last else s.years[i + 1]])
    m.add_rows("advance_cap", keys, pairs, "<=", rhs, ("year",))


def advance_years(s) -> set[int]:
    """Years in which advance may be drawn: every year under within_year advance (an early batch each year)."""
    return set(s.years if s.advance.last_year or within_year(s) else s.years[:-1])
