"""The verifier's checks of a re-plan (``quota.replan``): the years before ``as_of`` hold exactly the ledger's facts.

Recomputed from the facts (``Scenario.facts``) and the allocation table alone, with this module's own arithmetic:
every approval of the facts is in allocations.csv with its year, source and area, and nothing else is allocated
before ``as_of``; over-plan use by county and year (which widens the county rows of its year and, under dynamic
restriction, restricts the years after it); the supply rate's shift for the past years (supplied less approved on
quota). ``quota.check.verify`` and ``quota.check.earned`` apply them.
"""
from __future__ import annotations

import pandas as pd

KEY = ["project_id", "plan", "phase", "year", "source"]
ON_QUOTA = ("new", "advance", "province", "ring_fenced")


def cut(s) -> int:
    """The first year the plan decides (``as_of``; the first year without facts)."""
    return s.first_year if s.facts is None else int(s.facts.as_of)


def overplan(s) -> dict[tuple[str, int], float]:
    if s.facts is None:
        return {}
    o = s.facts.overplan
    return {(c, int(y)): float(a) for c, y, a in zip(o["county_id"], o["year"], o["area"])}


def overplan_after(s, county: str, year: int) -> bool:
    """Over-plan use recorded in an earlier year restricts ``year`` (within ``overplan_years`` after it, any with 0)."""
    R = s.rules.restriction
    n = R.overplan_years
    return bool(R.on_overplan) and any(c == county and a > 0 and y < year and (n == 0 or year - y <= n)
                                       for (c, y), a in overplan(s).items())


def supply_delta(s) -> dict[tuple[str, int], float]:
    """(county, year) → Σ over the year's approved phases of supplied·(quota share) − approved on quota."""
    if s.facts is None or not len(s.facts.approvals):
        return {}
    out: dict = {}
    a = s.facts.approvals
    a = a[a["source"] != "higher_level"]
    supplied = s.facts.supply.groupby(["project_id", "plan", "phase", "year"])["area"].sum().to_dict()
    for key, g in a.groupby(["project_id", "plan", "phase", "year"]):
        whole = float(g["area"].sum())
        quota = float(g.loc[g["source"].isin(ON_QUOTA), "area"].sum())
        c = (s.projects.at[key[0], "county_id"], int(key[3]))
        out[c] = out.get(c, 0.0) + supplied.get(key, 0.0) * quota / whole - quota
    return out


def check_fixed_past(check, s, allocations: pd.DataFrame) -> None:
    """``check(family, key, lhs, rhs, ok=None, sense)``: family ``fixed_past``, one check per fact and allocation key."""
    if s.facts is None:
        return
    a = allocations.assign(plan=allocations["plan"].fillna("").astype(str))
    before = a[a["year"] < cut(s)].groupby(KEY)["area"].sum()
    facts = s.facts.approvals.groupby(KEY)["area"].sum()
    for key in sorted(set(before.index) | set(facts.index), key=str):
        check("fixed_past", key, float(before.get(key, 0.0)), float(facts.get(key, 0.0)), sense="==")
