"""counties.csv per county, or per county and year under a rule set: joined and split here, spelled once.

Under ``linkage.mode`` earned or both, or ``restriction.dynamic`` (RULES.md "What every run must show under a rule
set"), counties.csv has one row per county and year of the horizon, sorted by county and year: ``county_id``,
``name``, ``year``, then the first-contract columns of the county (horizon-wide: the same on each of its year rows),
then the columns of that year (``YEAR_COLUMNS``: base, disposal by kind, quota earned and used, the rate behind
restriction and whether the county is restricted that year). Otherwise it has one row per county, as under the first
contract. Every reader (report, audit, verifier) takes its per-county and per-year parts from ``county_part`` and
``year_part``; the audit holds the repeated columns equal on each year row with ``differing``.
"""
from __future__ import annotations

import pandas as pd

KEY = ("county_id", "name")
YEAR_COLUMNS = ("year", "base", "disposal_planned", "disposal_extra", "disposal_stock", "disposal", "earn_ratio",
                "earned", "limit", "quota_used", "room", "rate", "restricted_in_year")


def has_years(table: pd.DataFrame) -> bool:
    """Is this counties table one row per county and year?"""
    return "year" in table.columns


def join_years(counties: pd.DataFrame, county_years: pd.DataFrame) -> pd.DataFrame:
    """The long counties.csv: ``counties`` (one row per county, column ``county_id``) repeated on each year row of
    ``county_years`` (``county_id``, ``year`` and the year columns), key first, sorted by county and year."""
    years = county_years.drop(columns=[c for c in KEY[1:] if c in county_years])
    shared = (set(years.columns) & set(counties.columns)) - {"county_id"}
    assert not shared, f"a year column is also a county column: {sorted(shared)}"
    assert set(years.columns) - {"county_id"} <= set(YEAR_COLUMNS), "a year column not in YEAR_COLUMNS"
    assert set(counties["county_id"]) == set(years["county_id"]), "the county and year tables name different counties"
    out = counties.merge(years, on="county_id", how="inner", validate="one_to_many")
    first = [c for c in (*KEY, "year") if c in out]
    out = out[first + [c for c in out.columns if c not in first]]
    return out.sort_values(["county_id", "year"], kind="stable").reset_index(drop=True)


def county_part(table: pd.DataFrame) -> pd.DataFrame:
    """One row per county without the year columns (of a long table, each county's first year row); a per-county
    table as it is."""
    if not has_years(table):
        return table
    out = table.drop(columns=[c for c in YEAR_COLUMNS if c in table])
    return out.drop_duplicates("county_id", keep="first").reset_index(drop=True)


def year_part(table: pd.DataFrame) -> pd.DataFrame | None:
    """``county_id``, ``name``, ``year`` and the year columns, one row per county and year; None for a per-county
    table."""
    if not has_years(table):
        return None
    return table[[c for c in (*KEY, *YEAR_COLUMNS) if c in table]].reset_index(drop=True)


def differing(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(county_id, column) for each county column whose value is not the same on every year row of the county (none
    for a per-county table)."""
    if not has_years(table):
        return []
    cols = [c for c in table.columns if c not in YEAR_COLUMNS and c != "county_id"]
    counts = table.groupby("county_id", sort=True)[cols].nunique(dropna=False)
    return [(str(cid), col) for cid, row in counts.iterrows() for col in cols if row[col] > 1]
