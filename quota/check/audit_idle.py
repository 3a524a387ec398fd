"""Idle land recomputed by the audit: every parcel's class and fee, the county totals, and every finding.

Takes the inputs as ``quota.check.provenance.read_inputs`` gives them (the parcels' raw text cells, the dates and
numbers it parsed) and the run's idle_parcels.csv, counties.csv and idle_findings.csv. It shares no code with the
producing path (``quota.input.idle``, ``idle_rules``, ``idle_findings``): the dates, the Order 53 thresholds, the
severities and the units are written here again, so that a change on one side shows as a discrepancy.

- ``idle``: per parcel, idle until, the one- and two-year dates, days, full years, kind of idleness (Art. 2 ¶1 not
  started, ¶2 halted below a third developed or 25% invested), since when, class, fee due, whether taking back
  may be proposed, and the year land taken back is usable stock from (``taken_back_stock`` gives the stock rows of
  ``quota.check.recompute`` the land taken back within the horizon);
- ``idle county totals``: per county, parcels, fee total, area that may be taken back;
- ``idle findings``: the findings (fee not levied or below the due, levied on a government cause, two years idle
  undecided, taken back early, no evidence, an extension or a deadline to build beyond one year, started on paper
  below the ¶2 thresholds), each with its severity, county, area, amount and unit; none missing, none added.
"""
from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from ..counties_table import county_part
from ..report.safety import read_csv
from .findings import Checks, compare
from .provenance import parse_date

THIRD, QUARTER = 1.0 / 3.0, 0.25  # Order 53 Art. 2 ¶2
HALF_CENT = 0.005  # 万元: a fee levied within this of the fee due is the fee due
SEVERITY = {"fee_not_levied": "high", "fee_below_due": "medium", "fee_on_exempt": "high", "take_back_undecided": "high",
            "taken_back_early": "high", "no_evidence": "medium", "extension_too_long": "medium", "below_threshold": "high"}
KINDS_ZH = {"未按约定交付土地": "not_delivered", "规划依法修改": "planning_change", "国家政策调整": "policy_change",
            "群众信访": "petition", "军事管制、文物保护": "military_heritage", "政府其他行为": "other_government",
            "不可抗力": "force_majeure", "动工开发必需的前期工作": "preparatory_work"}
DATES = ("grant_date", "halted_on", "fee_levied_on", "taken_back_on", "keep_decided_on", "build_deadline", "extended_on",
         "extended_until")


def _years_on(d: dt.date, n: int) -> dt.date:
    """Same calendar date n years on; 29 Feb → 28 Feb (民法典 Art. 202: no such day, so the month's last day)."""
    leap_day_lost = (d.month, d.day) == (2, 29) and not calendar.isleap(d.year + n)
    return dt.date(d.year + n, 2, 28) if leap_day_lost else dt.date(d.year + n, d.month, d.day)


def _full(start: dt.date, end: dt.date) -> int:
    n = 0
    while end >= _years_on(start, n + 1):
        n += 1
    return n


def _number(text) -> float | None:
    text = unicodedata.normalize("NFKC", str(text or "")).replace(",", "").strip()
    return float(text) if text else None


def parcel_facts(parcels: pd.DataFrame) -> list[dict]:
    """Each parcel's facts from its raw cells (absent columns and empty cells: None), and the columns the file has."""
    out = []
    for r in parcels.to_dict("records"):
        f = {k: r.get(k) for k in ("parcel_id", "county_id", "area", "grant_price", "cause", "agreed_start", "actual_start")}
        for col in DATES:
            f[col] = parse_date(r[col]) if str(r.get(col) or "").strip() else None
        for col in ("developed_share", "invested_share", "fee_levied"):
            f[col] = _number(r.get(col))
        kind = str(r.get("cause_kind") or "").strip()
        f["cause_kind"] = KINDS_ZH.get(kind, kind.lower()) or None
        f["cause_evidence"] = str(r.get("cause_evidence") or "").strip() or None
        out.append(f)
    return out


def expected_parcel(f: dict, when: dt.date, rate: float, fy: int, ry: int) -> dict:
    """Order 53 Art. 2 and 14 for one parcel, by the audit's own arithmetic."""
    end = f["taken_back_on"] or when
    started = f["actual_start"] is not None and f["actual_start"] <= end
    dev, inv, halt = f["developed_share"], f["invested_share"], f["halted_on"]
    if started and halt is not None and dev is not None and inv is not None and (dev < THIRD or inv < QUARTER) \
            and _full(halt, end) >= fy:
        kind, begin, until = "halted", halt, end
    else:
        begin, until = f["agreed_start"], f["actual_start"] if started else end
        kind = "not_started" if _full(begin, until) >= fy else ""
    n = _full(begin, until)
    gov = f["cause"] == "government"
    still = kind == "halted" or (kind == "not_started" and not started)
    cls = ("taken_back" if f["taken_back_on"] else "started_on_time" if not kind and started else "not_idle" if not kind
           else "government" if gov else "reclaim" if still and n >= ry else "fee")
    stock_from = f["taken_back_on"].year + 1 if cls == "taken_back" and still and n >= ry else None  # Art. 14(2) reaches it
    return {"county_id": f["county_id"], "area": f["area"], "grant_price": f["grant_price"], "idle_until": until.isoformat(),
            "fee_from": _years_on(begin, fy).isoformat(), "reclaim_from": _years_on(begin, ry).isoformat(),
            "idle_days": max(0, (until - begin).days), "full_years_idle": n, "classification": cls,
            "fee": rate * f["grant_price"] if kind and not gov else 0.0, "idle_kind": kind,
            "idle_since": _years_on(begin, fy).isoformat() if kind else "", "may_take_back": str(cls == "reclaim"),
            "stock_from": "" if stock_from is None else str(stock_from), "_still": still, "_started": started}


def expected_findings(f: dict, e: dict, has: set, rate: float, ry: int) -> list[dict]:
    """The findings on one parcel: (finding, county, area, amount, unit), area amounts in the scenario's unit."""
    levied, cls, out = f["fee_levied"] or 0.0, e["classification"], []

    def add(code, amount, unit):
        out.append({"finding": code, "severity": SEVERITY[code], "county_id": f["county_id"], "area": f["area"],
                    "amount": amount, "unit": unit})
    paper = e["idle_kind"] == "halted" and cls in ("fee", "reclaim") and levied <= 0
    if paper:
        add("below_threshold", e["fee"], "万元")
    if "fee_levied" in has and e["fee"] > 0 and not paper:
        if levied <= 0:
            add("fee_not_levied", e["fee"], "万元")
        elif levied < e["fee"] - HALF_CENT:
            add("fee_below_due", e["fee"] - levied, "万元")
    if "fee_levied" in has and f["cause"] == "government" and levied > 0:
        add("fee_on_exempt", levied, "万元")
    if has & {"taken_back_on", "keep_decided_on"} and cls == "reclaim" and f["keep_decided_on"] is None:
        add("take_back_undecided", f["area"], "land")
    if cls == "taken_back" and not (e["_still"] and e["full_years_idle"] >= ry):
        add("taken_back_early", f["area"], "land")
    if "cause_evidence" in has and cls == "government" and f["cause_evidence"] is None:
        add("no_evidence", rate * f["grant_price"], "万元")
    for granted, until in (("extended_on", "extended_until"), ("keep_decided_on", "build_deadline")):
        if f[granted] and f[until] and f[until] > _years_on(f[granted], 1):
            add("extension_too_long", float((f[until] - _years_on(f[granted], 1)).days), "days")
    return out


def _terms(inp: dict) -> tuple[dt.date, float, int, int]:
    L = inp["cfg"]["idle_land"]
    when = L["assessment_date"] if isinstance(L["assessment_date"], dt.date) else parse_date(L["assessment_date"])
    return when, float(L["fee_rate"]), int(L["fee_years"]), int(L["reclaim_years"])


def taken_back_stock(inp: dict) -> list[tuple[str, int, float, str]]:
    """(county, first year usable, area in the scenario's unit, parcel) of each parcel taken back within the horizon,
    before its last year, that Order 53 Art. 14(2) reaches (two full years idle, still not started or halted): usable
    stock of its county from the next year. Land taken back before the first year is in ``usable_stock`` already."""
    parcels, years = inp["idle_parcels"], inp["years"]
    if parcels is None or "taken_back_on" not in parcels.columns:
        return []
    when, rate, fy, ry = _terms(inp)
    out = []
    for f in parcel_facts(parcels):
        if f["taken_back_on"] is not None and years[0] <= f["taken_back_on"].year < years[-1]:
            e = expected_parcel(f, when, rate, fy, ry)
            if e["stock_from"]:
                out.append((f["county_id"], int(e["stock_from"]), float(f["area"]), f["parcel_id"]))
    return out


def check_parcels(c: Checks, inp: dict, run: Path) -> None:
    """idle_parcels.csv, the county totals in counties.csv, and idle_findings.csv against the inputs."""
    idle_csv, findings_csv = run / "idle_parcels.csv", run / "idle_findings.csv"
    if inp["idle_parcels"] is None or not idle_csv.exists():
        c.add("idle", "idle_parcels.csv", False, "check.idle_file")
        return
    when, rate, fy, ry = _terms(inp)
    facts = parcel_facts(inp["idle_parcels"])
    exp = pd.DataFrame([expected_parcel(f, when, rate, fy, ry) for f in facts], index=[f["parcel_id"] for f in facts])
    got = read_csv(idle_csv, dtype=str, keep_default_na=False).set_index("parcel_id")
    c.add("idle", "parcels", set(exp.index) == set(got.index), "" if set(exp.index) == set(got.index) else "check.parcels_differ",
          ids=sorted(set(exp.index) ^ set(got.index)))
    shown = [k for k in exp.columns if not k.startswith("_")]
    for pid in exp.index.intersection(got.index):
        row = got.loc[pid].to_dict()
        for col in ("area", "grant_price", "idle_days", "full_years_idle", "fee"):
            row[col] = float(row[col]) if col in row else None
        compare(c, "idle", pid, {k: exp.at[pid, k] for k in shown}, row)
    exp["reclaim_area"] = exp["area"].where(exp["classification"] == "reclaim", 0.0)
    by = exp.groupby("county_id").agg(idle_parcels=("fee", "size"), idle_fee_total=("fee", "sum"), idle_reclaim_area=("reclaim_area", "sum"))
    counties = county_part(read_csv(run / "counties.csv", dtype={"county_id": str})).set_index("county_id")
    for cid in counties.index:
        want = by.loc[cid].to_dict() if cid in by.index else dict.fromkeys(by.columns, np.nan)  # none listed: empty
        compare(c, "idle county totals", cid, want, counties.loc[cid])
    has = set(inp["idle_parcels"].columns)
    want = [dict(parcel_id=f["parcel_id"], **x) for f in facts
            for x in expected_findings(f, exp.loc[f["parcel_id"]].to_dict(), has, rate, ry)]
    check_findings(c, want, findings_csv, inp["cfg"]["unit"])


def check_findings(c: Checks, want: list[dict], findings_csv: Path, unit: str) -> None:
    """Each recomputed finding against idle_findings.csv, matched by parcel, finding and order; none missing or added."""
    if not findings_csv.exists():
        c.add("idle findings", "idle_findings.csv", False, "check.findings_file")
        return
    got = read_csv(findings_csv, dtype=str, keep_default_na=False)
    keys = Counter((w["parcel_id"], w["finding"]) for w in want)
    found = Counter(zip(got["parcel_id"], got["finding"])) if len(got) else Counter()
    c.add("idle findings", "findings", keys == found, "" if keys == found else "check.findings_differ",
          missing=sorted((keys - found).elements()), extra=sorted((found - keys).elements()))
    rows = {}
    for r in got.to_dict("records"):
        rows.setdefault((r["parcel_id"], r["finding"]), []).append(r)
    for w in want:
        key = (w["parcel_id"], w["finding"])
        if not rows.get(key):
            continue
        row = rows[key].pop(0)
        for col in ("area", "amount"):
            row[col] = float(row[col]) if row.get(col, "") != "" else None
        exp = {k: v for k, v in w.items() if k != "parcel_id"}
        exp["unit"] = unit if exp["unit"] == "land" else exp["unit"]
        compare(c, "idle findings", f"{key[0]} {key[1]}", exp, row)
