"""Farmland quota (新增建设占用耕地), when ``farmland_quota`` is given.

Rule (not a clause of the seed): the farmland conversion quota (耕地占用指标) of each year, when the scenario gives
one (MODEL.md, farmland_quota).

Mathematical formulation
    Σ_p (f_pk / a_pk)·(n_pky + v_pky) ≤ F_y     every year y

Table rows (docs/model.md)
    farmland | `Σ (f/a)·(n + v) ≤ F_y` when `farmland_quota` is given

The farmland share of each phase is charged on the quota it draws (new and
advance, in the year the advance is drawn); stock land takes no new farmland.

Reads: phases.farmland_area, phases.area, scenario farmland_quota.
"""
from __future__ import annotations

from ..quota_model import QuotaModel
from .supply import charged_terms


def add_farmland(m: QuotaModel) -> None:
    s = m.scenario
    if s.farmland_quota is None:
        return
    keys, pairs, rhs = [], [], []
    for y in s.years:
        cells = m.cells[(m.cells["year"] == y) & (m.cells["farmland"] > 0)]
        share = cells["farmland"] / cells["area"]
        keys.append(y)
        pairs.append(charged_terms(cells, share))
        rhs.append(s.farmland_quota[y])
    m.add_rows("farmland", keys, pairs, "<=", rhs, ("year",))
