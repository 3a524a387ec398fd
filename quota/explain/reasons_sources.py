"""Reason clauses for the supply sources of the rules as practised: provincial reserve and ring-fenced quota.

RULES.md items 4 and 6 (and item 7: reasons name the new causes with figures). For a project that may draw on the
provincial reserve, the clause gives the reserve of the year that mattered to it and how much of it was used; for a
project of a poverty county, the same for its county's ring-fenced quota: "ring-fenced quota of 平山县 2024: 40.0 of
40.0 ha used". The year that mattered is the year of phase 1's approval, or its earliest year (within the horizon)
when it was deferred past it or not approved. No clause under the first contract.

A project that draws stock in a year when its county's stock includes land taken back within the horizon (usable from
the year after: ``quota.input.stock_years``) says so, under any rules: "the stock of 晋州市 in 2024 includes 3.20 ha
taken back from parcel IP030 on 2023-05-10".
"""
from __future__ import annotations

import pandas as pd

from ..input.stock_years import taken_back_stock
from ..report.numbers import fill

TEXT = {
    "province": {"zh": ";{y} 年省级预留指标已用 {used:.1f}/{cap:.1f} {u}",
                 "en": "; provincial reserve {y}: {used:.1f} of {cap:.1f} {u} used"},
    "ring": {"zh": ";{county} {y} 年脱贫县戴帽指标已用 {used:.1f}/{cap:.1f} {u}",
             "en": "; ring-fenced quota of {county} {y}: {used:.1f} of {cap:.1f} {u} used"},
    "source": {"zh": {"province": "省级预留", "ring_fenced": "戴帽"}, "en": {"province": "province reserve", "ring_fenced": "ring-fenced"}},
    "standalone": {"zh": "单独选址的省级", "en": "stand-alone-site provincial"},
    "taken_back": {"zh": ";{county} {y} 年的可用存量含 {on} 收回的闲置地块 {parcel} {area:.2f} {u}(收回次年起可用)",
                   "en": "; the stock of {county} in {y} includes {area:.2f} {u} taken back from parcel {parcel} on {on} "
                         "(usable from the year after)"},
}


def source_name(key: str, lang: str) -> str:
    return TEXT["source"][lang][key]


def level_text(s, key_level: str, lang: str, names: dict) -> str:
    """The key level as a higher-level reason names it; a stand-alone-site provincial project says so (RULES.md 4)."""
    if key_level == "provincial" and s.rules.key_projects.outside_budget == "national_and_standalone":
        return TEXT["standalone"][lang]
    return names[key_level]


def extra_context(m, sol) -> dict:
    """What the clauses need: reserve and ring-fence limits and their use per year (and county), in hectares."""
    d, s = sol.decisions, m.scenario
    out = {}
    if "p" in d:
        out["reserve"] = {int(y): float(a) for y, a in s.rules.key_projects.province_reserve}
        out["province_used"] = d.groupby("year")["p"].sum().to_dict()
    if "r" in d:
        out["ring_used"] = d.groupby(["county_id", "year"])["r"].sum().to_dict()
        out["poor"] = set(s.counties.index[s.counties["poverty_county"].astype(bool)])
    back = taken_back_stock(s)
    if len(back) and "s" in d:
        out["taken_back"] = {c: g.to_dict("records") for c, g in back.groupby("county_id")}
        drawn = d[d["s"] > 1e-6]
        out["stock_years"] = drawn.groupby("project_id")["year"].apply(lambda ys: sorted(set(ys))).to_dict()
    return out


def extra_reason(pid, row: dict, sch: dict, ctx: dict) -> str:
    """The clauses for one project ("" when none applies): appended to its reason."""
    x, s, lang = ctx["extra"], ctx["s"], ctx["lang"]
    if not x or sch["status"] in ("excluded", "higher_level") or ctx["first_e"][pid] > s.last_year:
        return ""
    year = int(sch["first_year"]) if sch["status"] in ("approved", "partial") else int(max(ctx["first_e"][pid], s.first_year))
    f, u, out = s.unit_factor, ctx["unit"], ""
    if "reserve" in x and row["key_level"] == "provincial" and x["reserve"].get(year, 0.0) > 0:
        out += fill(TEXT["province"][lang], lang, y=year, used=x["province_used"].get(year, 0.0) * f, cap=x["reserve"][year] * f, u=u)
    if "ring_used" in x and row["county_id"] in x["poor"]:
        name = ctx["county"][row["county_id"]]["name"]
        used = x["ring_used"].get((row["county_id"], year), 0.0)
        out += fill(TEXT["ring"][lang], lang, county=name, y=year, used=used * f, cap=s.rules.ring_fence.per_county * f, u=u)
    back = x.get("taken_back", {}).get(row["county_id"], [])
    years = [y for y in x.get("stock_years", {}).get(pid, []) if back and y >= min(r["usable_from"] for r in back)]
    if years:  # the first year it draws stock that includes land taken back
        y = int(years[0])
        for r in back:
            if r["usable_from"] <= y:
                out += fill(TEXT["taken_back"][lang], lang, county=ctx["county"][row["county_id"]]["name"], y=y, area=r["area"] * f,
                                                       u=u, parcel=r["parcel_id"], on=r["taken_back_on"].isoformat())
    return out


def supply_columns(d: pd.DataFrame) -> list[tuple[str, str]]:
    """(decision column, source) of the sources a reason lists, in order."""
    return [c for c in (("n", "new"), ("v", "advance"), ("s", "stock"), ("p", "province"), ("r", "ring_fenced")) if c[0] in d]
