"""Restricted approval (建设用地限批) for counties that are slow to dispose of stock or used more than their plan.

Seed clause 三(四): 「对批而未供和闲置土地处置缓慢、超计划使用新增用地指标的县(市)实施建设用地限批」 (``labels.SEED['restriction']``)

Mathematical formulation
    n_pky = v_pky = 0   for every project p in a restricted county c(p) that is not exempt,

where p is exempt when its category is in ``linkage.exempt_categories`` (default
livelihood 民生, infrastructure 基础设施) or its ``key_level`` is in ``restriction.exempt_key_levels``
(default provincial and national). Such a project may still draw county stock ``s``. Exempt projects in a
restricted county still pay the penalty π_c. No row of its own: ``eval_new_quota_allowed``
gives each project ``new_ok``; where it is false, v is never created and the
supply row of ``quota.model.families.supply`` becomes s = a·x (``stock_only``),
so n = a·x − v − s = 0; without usable stock the project has no x at all.

Table rows (docs/model.md)
    restriction | no `n`, `v` for non-exempt projects of restricted counties: `v` not created, `s = a·x`; no `x` without usable stock

Reads: counties (restricted flag from ``quota.model.linkage``), projects.category,
projects.key_level.
"""
from __future__ import annotations

import pandas as pd

from ...input.scenario import Scenario


def eval_new_quota_allowed(s: Scenario, linkage: pd.DataFrame) -> pd.Series:
    """Per project: may it receive new or advance quota? Under ``restriction.dynamic`` every project may: the rows of
    ``quota.model.families.dynamic_restriction`` decide it per county and year."""
    p = s.projects
    if s.rules.restriction.dynamic:
        return pd.Series(True, index=p.index)
    exempt = p["category"].isin(s.linkage.exempt_categories) | p["key_level"].isin(s.rules.restriction.exempt_key_levels)
    restricted = p["county_id"].map(linkage["restricted"]).astype(bool)
    return ~restricted | exempt
