"""Idle land (闲置土地): what the rules require of each parcel at the assessment date, for auditors.

Rules: 《闲置土地处置办法》(国土资源部令第53号, 2012: Order 53), 城市房地产管理法 Art. 26 and 自然资规〔2018〕1号
item 3; the thresholds, causes and options are data in ``quota.input.idle_rules``, the wording in
``quota.input.idle_text``. Where the bureau's record differs from this, ``quota.input.idle_findings`` says so.

Mathematical formulation
    For parcel i with agreed start ``d_i``, grant (or allocation) price ``P_i`` (万元), cause, actual start ``t_i``
    (or none), at the assessment date ``A`` (or the day it was taken back, ``b_i ≤ A``, whichever is first: ``E``):

    - ``anniversary(d, n)`` is the same calendar date n years on, 29 Feb → 28 Feb in a common year (民法典 Art. 202);
      ``full_years(d, e)`` the largest n with ``e ≥ anniversary(d, n)``: a year is full on its anniversary;
    - **Art. 2 ¶2 (halted):** started by ``E``, developed share ``< 1/3`` or invested share ``< 25%``, halted since
      ``h_i`` with ``full_years(h_i, E) ≥ fee_years``: idle since ``anniversary(h_i, fee_years)``, counted from ``h_i``;
    - **Art. 2 ¶1 (not started):** otherwise, judged at ``t_i`` if started by ``E``, else at ``E``: idle when
      ``n_i = full_years(d_i, ·) ≥ fee_years``, since ``anniversary(d_i, fee_years)``;
    - class: ``taken_back`` when taken back (``b_i``); else ``not_idle`` / ``started_on_time`` when not idle;
      ``government`` for a government cause (no fee, no taking back; the Art. 12 options of its kind);
      ``reclaim`` when still idle (not started, or halted) ``n_i ≥ reclaim_years``; else ``fee``;
    - fee due ``fee_rate·P_i`` for idle land of any other cause, whatever the class (fee, reclaim, taken back):
      the fee (Art. 14(1)) and taking back (Art. 14(2)) are separate decisions, and taking back does not cancel a fee
      already due; ``fee_rate ≤ 0.20`` (the law's cap);
    - ``may_take_back``: class ``reclaim``: taking back without compensation may be proposed, and needs the approval
      of the government that approved the land (城市房地产管理法 Art. 26);
    - ``stock_from``: land taken back that Art. 14(2) reaches (still idle, not started or halted, ``n_i ≥
      reclaim_years`` at ``b_i``: no ``taken_back_early`` finding) is usable stock of its county from the year after
      ``b_i`` (``quota.input.stock_years``); a take-back the rules do not reach counts as no stock.

    The defaults fee_rate 0.20, fee_years 1, reclaim_years 2 come from Order 53 Art. 14 and are scenario parameters
    (``idle_land`` in scenario.yaml). A file with today's columns only (no fact columns) is classed as before: the
    facts it lacks are none.

    Reads idle_parcels: parcel_id, county_id, area, agreed_start, grant_price, cause, actual_start, and the optional
    facts grant_date, developed_share, invested_share, halted_on, cause_kind, cause_evidence, fee_levied,
    fee_levied_on, taken_back_on, keep_decided_on, build_deadline, extended_on, extended_until; and
    ``Scenario.idle_land``.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .idle_checks import FACTS
from .idle_rules import DEVELOPED_BELOW, INVESTED_BELOW, options_text
from .idle_text import ALTERNATIVES, article_text, rule_text
from .options import IdleLand
from .scenario import Scenario

CLASSES = ("not_idle", "started_on_time", "fee", "reclaim", "government", "taken_back")
IDLE_CLASSES = ("fee", "reclaim", "government")  # idle land at the assessment date: the county's idle stock
COLUMNS = ["parcel_id", "county_id", "area", "agreed_start", "actual_start", "cause", "grant_price", "idle_until",
           "fee_from", "reclaim_from", "idle_days", "full_years_idle", "classification", "fee", "rule", "alternatives",
           "idle_kind", "idle_since", "may_take_back", "stock_from", "article", *FACTS]


def anniversary(d: dt.date, years: int) -> dt.date:
    """The same calendar date ``years`` later; 29 Feb falls on 28 Feb in a common year (民法典 Art. 202)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February into a common year
        return d.replace(year=d.year + years, day=28)


def full_years(start: dt.date, end: dt.date) -> int:
    """Full years from ``start`` to ``end``: a year is full on its anniversary."""
    n = end.year - start.year
    if n > 0 and anniversary(start, n) > end:
        n -= 1
    return max(0, n)


def fact(r: dict, col: str):
    """A parcel's fact, None when the file has no such column or the cell is empty (None, NaN, or "" in a frame made
    by hand, such as ``quota generate``'s)."""
    v = r.get(col)
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip()) else v


def assess(r: dict, p: IdleLand) -> dict:
    """What the rules require of one parcel (a row as a dict) at the assessment date: see the module's formulation."""
    A, start, taken = p.assessment_date, fact(r, "actual_start"), fact(r, "taken_back_on")
    end = taken if taken is not None else A
    started = start is not None and start <= end
    halt, dev, inv = fact(r, "halted_on"), fact(r, "developed_share"), fact(r, "invested_share")
    below = started and halt is not None and dev is not None and inv is not None and (dev < DEVELOPED_BELOW or inv < INVESTED_BELOW)
    if below and full_years(halt, end) >= p.fee_years:
        kind, begin, until = "halted", halt, end
    else:
        begin, until = r["agreed_start"], start if started else end
        kind = "not_started" if full_years(begin, until) >= p.fee_years else ""
    n = full_years(begin, until)
    government = r["cause"] == "government"
    if taken is not None:
        cls = "taken_back"
    elif not kind:
        cls = "started_on_time" if started else "not_idle"
    elif government:
        cls = "government"
    elif (kind == "halted" or not started) and n >= p.reclaim_years:
        cls = "reclaim"
    else:
        cls = "fee"
    fee = p.fee_rate * r["grant_price"] if kind and not government else 0.0
    counts = cls == "taken_back" and (kind == "halted" or (kind == "not_started" and not started)) and n >= p.reclaim_years
    return {"started": started, "kind": kind, "begin": begin, "until": until, "n": n, "classification": cls, "fee": fee,
            "fee_from": anniversary(begin, p.fee_years), "reclaim_from": anniversary(begin, p.reclaim_years),
            "may_take_back": cls == "reclaim", "cause_kind": fact(r, "cause_kind") if government else None,
            "taken_back_counts": counts, "stock_from": taken.year + 1 if counts else None}


def idle_at_assessment(parcels: pd.DataFrame, p: IdleLand) -> pd.Series:
    """Per parcel: True when it is idle land at the assessment date (class fee, reclaim or government: either kind of
    Art. 2, taken-back land excluded), as ``eval_idle_parcels`` classes it. A row without a valid agreed start
    (reported elsewhere) or without an assessment date is False."""
    out = []
    for r in parcels.to_dict("records"):
        ok = (isinstance(r.get("agreed_start"), dt.date) and p.assessment_date is not None and r.get("cause") is not None
              and fact(r, "grant_price") is not None)
        out.append(ok and assess(r, p)["classification"] in IDLE_CLASSES)
    return pd.Series(out, index=parcels.index, dtype=bool)


def eval_idle_parcels(s: Scenario, lang: str | None = None) -> pd.DataFrame:
    """One row per parcel (areas in hectares): its facts, how long it was idle and of which kind, its class, the fee
    due (万元), whether taking back may be proposed, the options of a government cause, the rule and the articles."""
    if s.idle_parcels is None:
        return pd.DataFrame(columns=COLUMNS)
    p = s.idle_land
    lang = lang or s.lang
    rows = [_row(r, p, lang) for r in s.idle_parcels.to_dict("records")]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["stock_from"] = out["stock_from"].astype("Int64")  # a year, or empty: 2024, not 2024.0
    return out


def _row(r: dict, p: IdleLand, lang: str) -> dict:
    a = assess(r, p)
    facts = dict(agreed=r["agreed_start"], start=fact(r, "actual_start"), n=a["n"], fy=p.fee_years, ry=p.reclaim_years,
                 d1=a["fee_from"], d2=a["reclaim_from"], rate=p.fee_rate, price=r["grant_price"], fee=a["fee"],
                 A=p.assessment_date, halt=fact(r, "halted_on"), dev=fact(r, "developed_share"),
                 inv=fact(r, "invested_share"), taken=fact(r, "taken_back_on"))
    government = a["classification"] == "government"
    alternatives = (options_text(a["cause_kind"], lang) if a["cause_kind"] else ALTERNATIVES[lang]) if government else ""
    return {"parcel_id": r["parcel_id"], "county_id": r["county_id"], "area": r["area"], "agreed_start": r["agreed_start"],
            "actual_start": facts["start"], "cause": r["cause"], "grant_price": r["grant_price"], "idle_until": a["until"],
            "fee_from": a["fee_from"], "reclaim_from": a["reclaim_from"], "idle_days": max(0, (a["until"] - a["begin"]).days),
            "full_years_idle": a["n"], "classification": a["classification"], "fee": a["fee"],
            "rule": rule_text(a, facts, lang), "alternatives": alternatives, "idle_kind": a["kind"],
            "idle_since": a["fee_from"] if a["kind"] else None, "may_take_back": a["may_take_back"], "stock_from": a["stock_from"],
            "article": article_text(a, lang), **{c: fact(r, c) for c in FACTS}}


def eval_idle_by_county(parcels: pd.DataFrame) -> pd.DataFrame:
    """Per county with parcels: number of parcels, total fee due (万元), area that may be taken back (ha)."""
    g = parcels.assign(reclaim_area=parcels["area"].where(parcels["classification"] == "reclaim", 0.0)).groupby("county_id")
    return pd.DataFrame({"idle_parcels": g.size(), "idle_fee_total": g["fee"].sum(), "idle_reclaim_area": g["reclaim_area"].sum()})


def eval_taken_back(s: Scenario) -> pd.DataFrame:
    """Land taken back, per parcel: county, the date and year it was taken back (a disposal of idle land, kind
    ``taken_back``, for a ledger to record in that year), the year it is usable stock of its county from (the next),
    its area in hectares, and whether it ``counts`` (Art. 14(2) reaches it: no ``taken_back_early`` finding; a
    take-back that does not count is neither stock nor disposal). Empty when no parcel records ``taken_back_on``."""
    cols = ["county_id", "parcel_id", "taken_back_on", "year", "usable_from", "area", "counts"]
    parcels = s.idle_parcels
    if parcels is None or "taken_back_on" not in parcels.columns:
        return pd.DataFrame(columns=cols)
    taken = parcels[parcels["taken_back_on"].map(lambda d: isinstance(d, dt.date))]
    years = taken["taken_back_on"].map(lambda d: d.year)
    counts = [assess(r, s.idle_land)["taken_back_counts"] for r in taken.to_dict("records")]
    return pd.DataFrame({"county_id": taken["county_id"], "parcel_id": taken["parcel_id"], "taken_back_on": taken["taken_back_on"],
                         "year": years, "usable_from": years + 1, "area": taken["area"], "counts": counts},
                        columns=cols).reset_index(drop=True)


def idle_tables(s: Scenario, counties: pd.DataFrame, lang: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``idle_parcels.csv``, and ``counties.csv`` with the per-county summary; areas in the scenario's unit.

    ``counties`` is the counties table as written (column ``county_id``), one row per county or, under a rule set, per
    county and year (each row of a county gets its summary). Counties without listed parcels get empty summary
    cells: none are listed, which is not the same as none idle.
    """
    f = s.unit_factor
    parcels = eval_idle_parcels(s, lang)
    by = eval_idle_by_county(parcels)
    by["idle_reclaim_area"] *= f
    by["idle_parcels"] = by["idle_parcels"].astype("Int64")
    out = counties.merge(by, left_on="county_id", right_index=True, how="left", validate="many_to_one")
    return parcels.assign(area=parcels["area"] * f), out
