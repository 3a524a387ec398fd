"""The verifier's checks of the supply sources the rules as practised add: province reserve and ring-fenced quota.

RULES.md item 4 (``key_projects.outside_budget: national_and_standalone``, ``key_projects.province_reserve``) and
item 6 (``ring_fence.per_county``), recomputed from the inputs and the allocation table alone, as
``quota.check.verify`` does for the first contract: which key projects are outside the city budget, who may draw
on the provincial reserve and the ring-fence, and the per-year and per-county-year totals against their limits.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from ..input.scenario import HIGHER_LEVELS, Scenario

FIRST_SOURCES = ("new", "advance", "stock", "higher_level")
EXTRA_SOURCES = ("province", "ring_fenced")


def allowed_sources(s: Scenario) -> list[str]:
    """The ``source`` values an allocation may have under the scenario's rules."""
    out = list(FIRST_SOURCES)
    if reserve_by_year(s):
        out.append("province")
    if s.rules.ring_fence.per_county > 0:
        out.append("ring_fenced")
    return out


def outside_budget(s: Scenario) -> pd.Series:
    """Per project: is it a key project outside the city budget (before exclusion)? National ones and stand-alone-site
    provincial ones under ``national_and_standalone``; every provincial and national one otherwise."""
    P = s.projects
    if not s.key_projects_outside_budget:
        return pd.Series(False, index=P.index)
    if s.rules.key_projects.outside_budget == "national_and_standalone":
        return (P["key_level"] == "national") | ((P["key_level"] == "provincial") & (P["standalone_site"] == True))  # noqa: E712
    return P["key_level"].isin(HIGHER_LEVELS)


def reserve_by_year(s: Scenario) -> dict[int, float]:
    return {int(y): float(a) for y, a in s.rules.key_projects.province_reserve if y in s.years and a > 0}


def check_extra_sources(s: Scenario, by: pd.DataFrame, restricted_not_exempt: pd.Series, check: Callable) -> None:
    """``by``: one row per (project, plan, phase, year) inside the city budget, with a column per source (ha)."""
    P = s.projects
    if "province" in allowed_sources(s):
        may = (by["project_id"].map(P["key_level"]) == "provincial") & ~(by["project_id"].map(P["standalone_site"]) == True)  # noqa: E712
        may &= ~restricted_not_exempt.to_numpy() & by["year"].isin(list(reserve_by_year(s))).to_numpy()
        check("province_eligible", "all", float(by.loc[~may, "province"].sum()), 0)
        used = by.groupby("year")["province"].sum()
        for y, limit in reserve_by_year(s).items():
            check("province_reserve", y, float(used.get(y, 0.0)), limit)
    if "ring_fenced" in allowed_sources(s):
        poor = by["county_id"].map(s.counties["poverty_county"]).fillna(False).astype(bool)
        check("ring_fenced_eligible", "all", float(by.loc[~poor, "ring_fenced"].sum()), 0)
        used = by[poor].groupby(["county_id", "year"])["ring_fenced"].sum()
        for (c, y), r in used.items():
            check("ring_fence", (c, y), float(r), s.rules.ring_fence.per_county)
