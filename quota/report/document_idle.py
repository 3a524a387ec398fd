"""The report's auditor's section on idle land (``add_idle_audit``): the findings, by kind and one by one, and the chart.

It only formats idle_findings.csv and idle_parcels.csv (``quota.input.idle_findings`` made them): the findings by
kind and severity with their amounts, then every finding with its parcel, county, rule and article, the chart of
parcels by class and fees due against levied per county (``quota.report.charts_idle``), and the rule behind it.
The section comes right after the idle-land section, in report.md, report.html and (as rows of report.xlsx's rule
sheet) report.xlsx, whose idle_findings sheet holds the table itself. Land taken back within the horizon and usable
stock of its county from the next year (``stock_from``) is named in a sentence after the introduction.
"""
from __future__ import annotations

import pandas as pd

from ..counties_table import county_part
from . import labels as L
from .document import Section, rule_values, rules_block, table

# The unit codes of idle_findings.csv as a reader reads them (the CSV keeps the codes).
FINDING_UNIT = {"zh": {"万元": "万元", "ha": "公顷", "days": "天"}, "en": {"万元": "10k yuan (万元)", "ha": "ha", "days": "days"}}


def add_idle_audit(sections: list[Section], result, tables: dict, lang: str, charts) -> list[Section]:
    """``sections`` with the auditor's section after the idle-land section (unchanged when the run has no parcels)."""
    new = idle_audit_section(result.scenario, tables, lang, {c.name.removesuffix(".png"): c for c in charts})
    if new is None:
        return sections
    out = []
    for sec in sections:
        out.append(sec)
        if sec.key == "idle":
            out.append(new)
    return out


def taken_back_text(s, tables: dict, lang: str) -> str:
    """The land taken back within the horizon that adds to its county's stock (``stock_from`` of idle_parcels.csv
    within the horizon, after the first year), one clause per parcel; "" when there is none."""
    p = tables.get("idle_parcels.csv")
    if p is None or "stock_from" not in p:
        return ""
    p = p[p["stock_from"].notna()]
    p = p[(p["stock_from"].astype(int) > s.first_year) & (p["stock_from"].astype(int) <= s.last_year)]
    if not len(p):
        return ""
    T, c = L.TEXT[lang], county_part(tables["counties.csv"])
    names = dict(zip(c["county_id"], c["name"]))
    parts = [T["idle_taken_back_one"].format(parcel=r.parcel_id, county=names.get(r.county_id, r.county_id), area=f"{r.area:,.2f}",
                                             u=L.UNIT[lang][s.unit], on=r.taken_back_on, year=int(r.stock_from))
             for r in p.itertuples()]
    return T["idle_taken_back"].format(parcels=(";" if lang == "zh" else "; ").join(parts))


def idle_audit_section(s, tables: dict, lang: str, figs: dict) -> Section | None:
    found = tables.get("idle_findings.csv")
    if found is None:
        return None
    T = L.TEXT[lang]
    sec = Section("idle_audit", T["sec_idle_audit"])
    chart = figs.get("idle_audit")
    if chart is not None:
        sec.blocks.append(("figure", chart.name, chart.caption))
    sec.blocks.append(("p", T["idle_audit_intro"]))
    stock = taken_back_text(s, tables, lang)
    if stock:
        sec.blocks.append(("p", stock))
    if not len(found):
        sec.blocks += [("p", T["idle_audit_none"]), rules_block("idle_audit", lang, rule_values(s, lang))]
        return sec
    f = found.reset_index(drop=True).copy()
    c = county_part(tables["counties.csv"])
    f["county"] = f["county_id"].map(pd.Series(c["name"].to_numpy(), index=c["county_id"].to_numpy())).fillna(f["county_id"])
    by = (f.assign(parcels=1).groupby(["finding", "severity", "unit"], sort=False)
          .agg(parcels=("parcels", "sum"), amount=("amount", "sum")).reset_index())
    by["_o"] = by["finding"].map({k: i for i, k in enumerate(L.FINDING["en"])})
    by = by.sort_values("_o").drop(columns="_o")
    values = {"finding": L.FINDING[lang], "severity": L.SEVERITY[lang], "unit": FINDING_UNIT[lang]}
    sec.blocks.append(("p", f"**{T['idle_audit_by']}**"))
    sec.blocks.append(("table", table(by, lang, s.unit, values, "idle_findings.csv")))
    cols = ["finding", "severity", "parcel_id", "county", "area", "amount", "unit", "rule", "article"]
    sec.blocks.append(("table", table(f[cols], lang, s.unit, values, "idle_findings.csv",
                                      ["restricted" if v == "high" else "" for v in f["severity"]])))
    sec.blocks.append(rules_block("idle_audit", lang, rule_values(s, lang)))
    return sec
