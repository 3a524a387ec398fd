"""Annual city quota (新增建设用地计划指标) and carry-over of unused quota.

Seed clause 三(四): 「科学使用新增建设用地计划指标。坚持土地要素跟着项目走,以真实有效的项目落地作为配置计划的依据」 (``labels.SEED['quota']``);
「既充分保障项目建设,又切实提高指标使用率」 (``labels.SEED['utilisation']``)

Mathematical formulation
    Σ_p n_py + Σ_p v_p(y−1) ≤ Q_y + u_y                               every year y
    u_y ≤ c·(Q_(y−1) + u_(y−1) − Σ_p n_p(y−1) − Σ_p v_p(y−2)),  u_(y_1) = 0

    with advance.mode within_year (RULES.md 5): v counts in its own year, nothing is repaid:
    Σ_p (n + v)_py ≤ Q_y + u_y,   u_y ≤ c·(Q_(y−1) + u_(y−1) − Σ_p (n + v)_p(y−1))

Table rows (docs/model.md)
    city quota | `Σ n_·y + Σ v_·(y−1) ≤ Q_y + u_y`; within_year advance: `Σ (n + v)_·y ≤ Q_y + u_y`
    carry-over | `u_y ≤ c·(Q_(y−1) + u_(y−1) − Σ n_·(y−1) − Σ v_·(y−2))`, `u_(y_1) = 0`; within_year: `− Σ (n + v)_·(y−1)`

New quota used in year y, plus the advance drawn the year before (repaid out of
this year's plan), may not exceed the year's quota plus what was carried in.
``c = carry_over`` is the share of unused quota carried forward (default 0: no
carry-over, as Anhui takes unused quota back); carried quota may be carried again.
Higher-level key projects are not charged here.

Reads: scenario quota, carry_over.
"""
from __future__ import annotations

import pandas as pd

from ..quota_model import QuotaModel
from .early_batch import within_year
from .supply import advance_terms, charged_terms, new_quota_terms


def add_city_quota(m: QuotaModel) -> None:
    s = m.scenario
    cells = m.cells
    years = s.years
    by_year = {y: cells[cells["year"] == y] for y in years}
    c = s.carry_over
    if c > 0:
        m.carry = pd.Series(m.new_vars("u", len(years) - 1, 0, None, "Continuous"), index=pd.Index(years[1:], name="year"))
    within = within_year(s)  # advance charged in its own year (n + v = a·x − s, v written once: see charged_terms)
    keys, pairs, rhs = [], [], []
    for i, y in enumerate(years):
        terms = charged_terms(by_year[y]) if within else new_quota_terms(by_year[y])
        if i > 0:
            if not within:
                terms += advance_terms(by_year[years[i - 1]])
            if c > 0:
                terms.append((m.carry[y], -1.0))
        keys.append(y)
        pairs.append(terms)
        rhs.append(s.quota[y])
    m.add_rows("city_quota", keys, pairs, "<=", rhs, ("year",))
    if c > 0:
        keys, pairs, rhs = [], [], []
        for i, y in enumerate(years[1:], start=1):
            prev = years[i - 1]
            terms = [(m.carry[y], 1.0)] + (charged_terms(by_year[prev], c) if within else new_quota_terms(by_year[prev], c))
            if i >= 2:
                if not within:
                    terms += advance_terms(by_year[years[i - 2]], c)
                terms.append((m.carry[prev], -c))
            keys.append(y)
            pairs.append(terms)
            rhs.append(c * s.quota[prev])
        m.add_rows("carry_over", keys, pairs, "<=", rhs, ("year",))
