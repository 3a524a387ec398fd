"""The verifier's earned-quota rows (RULES.md 1) and restriction by year (RULES.md 3), recomputed from the inputs,
allocations and the year columns of counties.csv (one row per county and year under these rules).

Independent of ``quota.model.families.earned``: the base B_cy (m_c·cap_base_c, less overplan in the first year,
at least 0), the planned disposal from disposal.csv, the stock drawn from the allocation's ``stock`` rows, and the
extra disposal from counties.csv's ``disposal_extra`` checked against ``extra_max``. Every other year column is
checked against this arithmetic, so a tampered figure is caught. ``county_years`` is the long counties table or
only its year part (``quota.counties_table.year_part``). Areas in hectares.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..counties_table import year_part
from .verify_past import cut, overplan, overplan_after, supply_delta

TOL = 1e-6


def earned_rules(s) -> bool:
    return s.rules.linkage.mode in ("earned", "both")


def dynamic_rules(s) -> bool:
    return s.rules.restriction.dynamic


def _plan(s) -> pd.DataFrame:
    """planned, extra_max, extra_cost per (county, year) of the horizon, 0 without a disposal.csv row."""
    idx = pd.MultiIndex.from_product([s.counties.index, list(s.years)], names=["county_id", "year"])
    out = pd.DataFrame({"planned": 0.0, "extra_max": 0.0, "extra_cost": 0.0}, index=idx)
    d = s.disposal
    if d is None:
        return out
    for row in d.to_dict("records"):
        key = (row["county_id"], int(row["year"]))
        out.loc[key, "planned"] = float(row["unsupplied"]) + float(row["idle"])
        for col in ("extra_max", "extra_cost"):
            v = row.get(col)
            out.loc[key, col] = 0.0 if v is None or pd.isna(v) else float(v)
    return out


def _written(county_years: pd.DataFrame | None) -> pd.DataFrame | None:
    """The year columns by (county, year), or None without them."""
    years = None if county_years is None else year_part(county_years)
    return None if years is None else years.set_index(["county_id", "year"])


def _extra(s, county_years: pd.DataFrame | None) -> pd.Series:
    written = _written(county_years)
    if written is None or not len(written):
        return pd.Series(dtype=float)
    return written["disposal_extra"].astype(float)


def extra_cost(s, county_years: pd.DataFrame | None) -> float:
    """Σ extra_cost·X: what the extra disposal chosen costs in the objective (0 without earned linkage or dynamic restriction)."""
    if not (earned_rules(s) or dynamic_rules(s)):
        return 0.0
    x = _extra(s, county_years)
    return float((x * _plan(s)["extra_cost"].reindex(x.index).fillna(0.0)).sum())


def check_earned(check, s, by: pd.DataFrame, county_years: pd.DataFrame | None, mult) -> None:
    """``check(family, key, lhs, rhs, ok=None, sense)`` for every county and year: the earned-quota row, the extra
    disposal within its bound, and each year column of counties.csv."""
    r = s.rules.linkage.earn_ratio
    C = s.counties
    plan = _plan(s)
    x = _extra(s, county_years).reindex(plan.index).fillna(0.0)
    g = by.groupby(["county_id", "year"])[["new", "advance", "stock"]].sum().reindex(plan.index, fill_value=0.0)
    written = _written(county_years)
    if written is not None:
        check("county_years", "rows", float(len(written)), float(len(plan)),
              ok=len(written) == len(plan) and set(written.index) == set(plan.index))
    for (c, y), row in plan.iterrows():
        key = (c, y)
        m = mult[C.index.get_loc(c)]
        base = max(0.0, m * C.at[c, "cap_base"] - (C.at[c, "overplan"] if y == s.first_year else 0.0))
        check("extra_disposal", key, x[key], row["extra_max"], ok=-TOL <= x[key] <= row["extra_max"] + TOL)
        stock = float(g.at[key, "stock"])
        disposal = row["planned"] + x[key] + stock
        used = float(g.at[key, "new"] + g.at[key, "advance"])
        check("earned_quota", key, used, base + r * disposal + overplan(s).get(key, 0.0))  # re-planning: + over-plan use
        if written is None or key not in written.index:
            continue
        mine = {"base": base, "disposal_planned": row["planned"], "disposal_stock": stock, "disposal": disposal,
                "earn_ratio": r, "earned": r * disposal, "limit": base + r * disposal, "quota_used": used,
                "room": base + r * disposal - used}
        for col, value in mine.items():
            shown = float(written.at[key, col])
            check("county_years", (c, y, col), shown, value, ok=bool(np.isclose(shown, value, rtol=1e-6, atol=1e-6)))


def _history(s) -> dict:
    h = s.history
    if h is None:
        return {}
    return {(c, int(y)): (float(a), float(b)) for c, y, a, b in zip(h["county_id"], h["year"], h["approved"], h["supplied"])}


def supply_rate_before(s, counties) -> pd.Series:
    """Σ supplied / Σ approved of history.csv over the window before the horizon, per county (1 with nothing approved)."""
    h, w = _history(s), s.rules.restriction.window
    out = {}
    for c in counties:
        rows = [h.get((c, y), (0.0, 0.0)) for y in range(s.first_year - w, s.first_year)]
        a, b = sum(r[0] for r in rows), sum(r[1] for r in rows)
        out[c] = b / a if a > 0 else 1.0
    return pd.Series(out).reindex(counties)


def _disposal(s, by: pd.DataFrame, county_years: pd.DataFrame | None) -> pd.DataFrame:
    """planned, extra, stock and total disposal per (county, year), recomputed (the extra read from counties.csv)."""
    plan = _plan(s)
    x = _extra(s, county_years).reindex(plan.index).fillna(0.0)
    stock = by.groupby(["county_id", "year"])["stock"].sum().reindex(plan.index, fill_value=0.0)
    return pd.DataFrame({"planned": plan["planned"], "extra": x, "extra_max": plan["extra_max"], "stock": stock,
                         "total": plan["planned"] + x + stock})


def check_dynamic(check, s, by: pd.DataFrame, exempt: pd.Series, county_years: pd.DataFrame | None) -> None:
    """Restriction by year (RULES.md 3; trigger disposal_rate or supply_rate, RULES.md 2): the rate before each year, the
    over-plan years, no new or advance quota to a non-exempt project in a restricted county-year; and the columns
    ``rate`` and ``restricted_in_year`` of counties.csv (without earned linkage its disposal and quota_used too)."""
    C, R = s.counties, s.rules.restriction
    d = _disposal(s, by, county_years)
    written = _written(county_years)
    shut = [c for c in ("new", "advance", "province") if c in by]  # 限批 shuts the provincial reserve as new quota
    approved = shut + [c for c in ("ring_fenced",) if c in by]  # RULES.md 2: every approval on quota counts as approved
    quota = by.loc[~exempt.to_numpy(dtype=bool)].assign(q=lambda f: f[shut].sum(axis=1))
    quota = quota.groupby(["county_id", "year"])["q"].sum()
    years = list(s.years)
    used = by.assign(q=by[approved].sum(axis=1)).groupby(["county_id", "year"])["q"].sum()
    new_adv = by.assign(q=by["new"] + by["advance"]).groupby(["county_id", "year"])["q"].sum()
    hist = _history(s)
    shift = supply_delta(s)  # re-planning: the ledger's supply of the past years' approvals
    for c in C.index:
        stock = float(C.at[c, "unsupplied_stock"] + C.at[c, "idle_stock"])
        done = float(C.at[c, "unsupplied_disposed"] + C.at[c, "idle_disposed"])
        for i, y in enumerate(years):
            rate = done / stock if stock > 0 else 1.0
            if R.trigger == "supply_rate":  # the window's history, and the horizon's own approvals (Q) and disposal (D)
                a = b = 0.0
                for yy in range(y - R.window, y):
                    if yy < s.first_year:
                        ha, hb = hist.get((c, yy), (0.0, 0.0))
                        a, b = a + ha, b + hb
                    else:
                        q = float(used.get((c, yy), 0.0))
                        a, b = a + q, b + q + float(d.at[(c, yy), "total"]) + shift.get((c, yy), 0.0)
                rate = b / a if a > 0 else 1.0
            over = bool(R.on_overplan and C.at[c, "overplan"] > 0 and (R.overplan_years == 0 or i < R.overplan_years)) \
                or overplan_after(s, c, y)
            restricted = rate < R.below - 1e-9 or over
            if not earned_rules(s):  # else checked with the earned row
                check("extra_disposal", (c, y), d.at[(c, y), "extra"], d.at[(c, y), "extra_max"],
                      ok=-TOL <= d.at[(c, y), "extra"] <= d.at[(c, y), "extra_max"] + TOL)
            if restricted and y >= cut(s):  # re-planning: what was approved before as_of stands
                check("restriction_year", (c, y), float(quota.get((c, y), 0.0)), 0.0)
            if written is not None and (c, y) in written.index:
                shown = float(written.at[(c, y), "rate"])
                check("county_years", (c, y, "rate"), shown, rate, ok=bool(np.isclose(shown, rate, rtol=1e-6, atol=1e-6)))
                flag = str(written.at[(c, y), "restricted_in_year"]).lower() in ("true", "1")
                check("county_years", (c, y, "restricted_in_year"), float(flag), float(restricted), ok=flag == restricted)
                if not earned_rules(s):  # else checked with the earned row
                    for col, value in (("disposal_planned", d.at[(c, y), "planned"]), ("disposal_stock", d.at[(c, y), "stock"]),
                                       ("disposal", d.at[(c, y), "total"]), ("quota_used", float(new_adv.get((c, y), 0.0)))):
                        shown = float(written.at[(c, y), col])
                        check("county_years", (c, y, col), shown, value, ok=bool(np.isclose(shown, value, rtol=1e-6, atol=1e-6)))
            done += float(d.at[(c, y), "total"])
