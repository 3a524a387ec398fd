"""The county's usable stock year by year: ``usable_stock`` and the land taken back within the horizon (闲置土地收回).

Land taken back (Order 53 Art. 14(2)) is usable stock of its county from the year after it was taken back (issue
18). ``usable_stock`` in counties.csv is the county's stock at the start of the horizon, so land taken back before
the first year is in it already and is not added again. Land taken back in a year of the horizon is added from the
next year; land taken back in the last year is usable only beyond the horizon. Only a take-back that the rules
reach counts: the parcel was still idle (not started, or halted below the Art. 2 ¶2 thresholds) for
``reclaim_years`` full years when it was taken back (``quota.input.idle.assess``: ``taken_back_counts``; the
findings table has a ``taken_back_early`` on any other). A take-back dated after the assessment date is an input
error (the parcels are the record as at that date), so it never counts.

Mathematical formulation
    B_c,y = Σ area_i over the parcels i of county c taken back (and counting) in a year t_i with y_1 ≤ t_i < y
    L_c,y = usable_stock_c + B_c,y: the stock county c may have drawn by the end of year y (``stock_limits``)

    A county without such land has L_c,y = usable_stock_c in every year: its stock row is the horizon total, as before.

Reads: counties.usable_stock, idle_parcels (taken_back_on and the facts ``assess`` reads), years, idle_land.
"""
from __future__ import annotations

import pandas as pd

from .idle import eval_taken_back
from .scenario import Scenario

COLUMNS = ["county_id", "parcel_id", "taken_back_on", "year", "usable_from", "area"]


def taken_back_stock(s: Scenario) -> pd.DataFrame:
    """The land taken back within the horizon that adds to its county's usable stock before the horizon ends: county,
    parcel, date and year taken back, the first year it is usable, its area in hectares; by county, date, parcel."""
    t = eval_taken_back(s)
    if not len(t):
        return pd.DataFrame(columns=COLUMNS)
    t = t[t["counts"].astype(bool) & (t["year"] >= s.first_year) & (t["usable_from"] <= s.last_year)]
    return t[COLUMNS].sort_values(["county_id", "taken_back_on", "parcel_id"], kind="stable").reset_index(drop=True)


def stock_limits(s: Scenario) -> pd.DataFrame:
    """``L_c,y`` in hectares: one row per county (index ``county_id``), one column per year of the horizon."""
    usable = s.counties["usable_stock"].astype(float)
    out = pd.DataFrame({y: usable for y in s.years}, index=s.counties.index)
    for r in taken_back_stock(s).itertuples():
        for y in s.years:
            if y >= r.usable_from:
                out.at[r.county_id, y] += float(r.area)
    return out


def growing(limits: pd.DataFrame) -> list:
    """The counties whose usable stock grows within the horizon (land taken back): they get a row per year."""
    last = limits.columns[-1]
    return [c for c in limits.index if (limits.loc[c] < limits.at[c, last]).any()]
