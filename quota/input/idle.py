"""Idle land (闲置土地): classify each parcel and price its penalty, for auditors.

Rules: 《闲置土地处置办法》(国土资源部令第53号, 2012) and 自然资规〔2018〕1号 item 3.

Mathematical formulation
    For parcel i with agreed start ``d_i``, grant price ``P_i`` (万元), cause and
    actual start ``t_i`` (or none), at the assessment date ``A``:

    - idle until   ``E_i = t_i`` if the parcel started on or before ``A``, else ``A``;
    - full years   ``n_i`` = the largest n with ``E_i ≥ anniversary(d_i, n)``;
      ``anniversary`` is the same calendar date n years on, and 29 Feb → 28 Feb
      in a common year (民法典 Art. 202: with no corresponding day, the last
      day of the month ends the period);
    - ``n_i < fee_years``: not idle (``not_idle``, or ``started_on_time``);
    - government cause: no fee, no taking back; the alternatives are listed (``government``);
    - started, ``n_i ≥ fee_years``: fee ``fee_rate·P_i`` once for the idle period (``fee``);
    - not started, ``n_i ≥ reclaim_years``: taken back without compensation, no fee (``reclaim``);
    - otherwise: fee ``fee_rate·P_i`` (``fee``).

    One full year is reached on the anniversary itself: an assessment (or a
    start) dated on the anniversary counts the year as full. The defaults
    fee_rate 0.20, fee_years 1, reclaim_years 2 come from Order 53 Art. 14 and
    are scenario parameters (``idle_land`` in scenario.yaml).

    Reads idle_parcels: parcel_id, county_id, area, agreed_start, grant_price,
    cause, actual_start; and ``Scenario.idle_land`` (``idle_land`` in scenario.yaml).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .options import IdleLand
from .scenario import Scenario

CLASSES = ("not_idle", "started_on_time", "fee", "reclaim", "government")
COLUMNS = ["parcel_id", "county_id", "area", "agreed_start", "actual_start", "cause", "grant_price", "idle_until",
           "fee_from", "reclaim_from", "idle_days", "full_years_idle", "classification", "fee", "rule", "alternatives"]

ALTERNATIVES = {
    "zh": "延长动工开发期限(不超过一年);调整土地用途、规划条件;由政府安排临时使用;协议有偿收回;置换土地;转让、合作开发"
          "(53号令第十二条;自然资规〔2018〕1号第三项)",
    "en": "extend the start date (at most one year) 延长动工开发期限; change the use or planning conditions 调整土地用途、规划条件; "
          "temporary use arranged by the government 临时使用; buy-back by agreement 协议有偿收回; land swap 置换土地; "
          "transfer or joint development 转让、合作开发 (Order 53 Art. 12; 自然资规〔2018〕1号 item 3)",
}


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


def idle_at_assessment(parcels: pd.DataFrame, p: IdleLand) -> pd.Series:
    """Per parcel: True when it is idle land at the assessment date, as ``eval_idle_parcels`` classes it (fee,
    reclaim or government: ``fee_years`` or more full years not started after the agreed start). A row without a
    valid agreed start (reported elsewhere) or without an assessment date is False."""
    out = []
    for agreed, actual in zip(parcels["agreed_start"], parcels["actual_start"]):
        if not isinstance(agreed, dt.date) or p.assessment_date is None:
            out.append(False)
            continue
        started = isinstance(actual, dt.date) and actual <= p.assessment_date
        out.append(full_years(agreed, actual if started else p.assessment_date) >= p.fee_years)
    return pd.Series(out, index=parcels.index, dtype=bool)


def eval_idle_parcels(s: Scenario, lang: str | None = None) -> pd.DataFrame:
    """One row per parcel (areas in hectares): how long it was idle, its class, fee (万元), rule and alternatives."""
    if s.idle_parcels is None:
        return pd.DataFrame(columns=COLUMNS)
    p = s.idle_land
    lang = lang or s.lang
    rows = [_classify(r, p, lang) for r in s.idle_parcels.itertuples(index=False)]
    return pd.DataFrame(rows, columns=COLUMNS)


def _classify(r, p: IdleLand, lang: str) -> dict:
    started = r.actual_start is not None and r.actual_start <= p.assessment_date
    until = r.actual_start if started else p.assessment_date
    n = full_years(r.agreed_start, until)
    fee_from, reclaim_from = anniversary(r.agreed_start, p.fee_years), anniversary(r.agreed_start, p.reclaim_years)
    if n < p.fee_years:
        cls = "started_on_time" if started else "not_idle"
    elif r.cause == "government":
        cls = "government"
    elif not started and n >= p.reclaim_years:
        cls = "reclaim"
    else:
        cls = "fee"
    fee = p.fee_rate * r.grant_price if cls == "fee" else 0.0
    facts = dict(agreed=r.agreed_start, start=r.actual_start, n=n, fy=p.fee_years, ry=p.reclaim_years, d1=fee_from,
                 d2=reclaim_from, rate=p.fee_rate, price=r.grant_price, fee=fee, A=p.assessment_date)
    rule = _rule(cls, started, r.actual_start is not None and not started, facts, lang)
    return {"parcel_id": r.parcel_id, "county_id": r.county_id, "area": r.area, "agreed_start": r.agreed_start,
            "actual_start": r.actual_start, "cause": r.cause, "grant_price": r.grant_price, "idle_until": until,
            "fee_from": fee_from, "reclaim_from": reclaim_from, "idle_days": max(0, (until - r.agreed_start).days),
            "full_years_idle": n, "classification": cls, "fee": fee, "rule": rule,
            "alternatives": ALTERNATIVES[lang] if cls == "government" else ""}


RULES = {
    "zh": {
        "not_idle": "未动工,距约定动工日期 {agreed} 未满 {fy} 年(至 {d1} 满):尚不属于闲置土地(53号令第二条)",
        "started_on_time": "{start} 动工,早于约定动工日期 {agreed} 起满 {fy} 年之日 {d1}:不属于闲置土地(53号令第二条)",
        "fee": "超过约定动工日期 {agreed} 满 {n} 年未动工(满 {fy} 年之日 {d1}):按出让价款 {price:g} 万元的 {rate:.0%} 征缴土地闲置费 "
               "{fee:,.2f} 万元(53号令第十四条第一项);至 {d2} 仍未动工的,无偿收回(第十四条第二项)",
        "fee_late": "{start} 才动工,此前已满 {n} 年未动工(满 {fy} 年之日 {d1}):闲置期间的土地闲置费按出让价款 {price:g} 万元的 "
                    "{rate:.0%} 一次征缴 {fee:,.2f} 万元(53号令第十四条第一项),动工不免除已发生的闲置",
        "late_reclaim": ";其间已于 {d2} 满 {ry} 年,可无偿收回,但已动工建设的土地不再按闲置土地收回,请核查当时为何未处置",
        "reclaim": "超过约定动工日期 {agreed} 满 {n} 年未动工(满 {ry} 年之日 {d2}):无偿收回国有建设用地使用权"
                   "(53号令第十四条第二项),不另征闲置费",
        "government": "因政府或政府有关部门原因(或不可抗力)闲置满 {n} 年(53号令第八条):不征闲置费、不无偿收回"
                      "(第十四条只适用于其他原因;自然资规〔2018〕1号第三项),按下列方式之一处置",
        "after": ";{start} 动工晚于评估日 {A},按评估日认定",
    },
    "en": {
        "not_idle": "not started, but less than {fy} full year(s) past the agreed start {agreed} ({fy}-year mark {d1}): "
                    "not idle land yet (Order 53 Art. 2)",
        "started_on_time": "started {start}, before {fy} full year(s) past the agreed start {agreed} ({fy}-year mark {d1}): "
                           "not idle land (Order 53 Art. 2)",
        "fee": "not started {n} full year(s) after the agreed start {agreed} ({fy}-year mark {d1}): idle-land fee "
               "{rate:.0%} of the grant price {price:g} 万元 = {fee:,.2f} 万元 (Order 53 Art. 14(1)); taken back without "
               "compensation if still not started on {d2} (Art. 14(2))",
        "fee_late": "started only on {start}, after {n} full year(s) not started ({fy}-year mark {d1}): the idle-land "
                    "fee for the idle period, {rate:.0%} of the grant price {price:g} 万元 = {fee:,.2f} 万元, is due once "
                    "(Order 53 Art. 14(1)); a later start does not undo the idling",
        "late_reclaim": "; it had passed the {ry}-year mark {d2}, when it could have been taken back, but land under construction "
                        "is no longer taken back as idle land: check why it was not disposed of then",
        "reclaim": "not started {n} full years after the agreed start {agreed} ({ry}-year mark {d2}): taken back without "
                   "compensation 无偿收回 (Order 53 Art. 14(2)); no fee in addition",
        "government": "idle {n} full year(s) through government action (or force majeure) (Order 53 Art. 8): no fee and no "
                      "taking back (Art. 14 applies to other causes only; 自然资规〔2018〕1号 item 3); dispose of it by one of the alternatives",
        "after": "; it started on {start}, after the assessment date {A}, so it is classified as at the assessment date",
    },
}


def _rule(cls: str, started: bool, started_after: bool, facts: dict, lang: str) -> str:
    T = RULES[lang]
    key = "fee_late" if cls == "fee" and started else cls
    text = T[key].format(**facts)
    if key == "fee_late" and facts["n"] >= facts["ry"]:
        text += T["late_reclaim"].format(**facts)
    if started_after:
        text += T["after"].format(**facts)
    return text


def eval_idle_by_county(parcels: pd.DataFrame) -> pd.DataFrame:
    """Per county with parcels: number of parcels, total fee (万元), area to take back (ha)."""
    g = parcels.assign(reclaim_area=parcels["area"].where(parcels["classification"] == "reclaim", 0.0)).groupby("county_id")
    return pd.DataFrame({"idle_parcels": g.size(), "idle_fee_total": g["fee"].sum(), "idle_reclaim_area": g["reclaim_area"].sum()})


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
