"""The auditor's findings on idle land: where what the bureau recorded differs from what the rules require.

For each parcel, ``quota.input.idle.assess`` gives what Order 53 requires at the assessment date; the parcel's facts
give what the bureau recorded (a fee levied and when, the land taken back or a decision not to, an extension or a
deadline to build, the cause's kind and evidence). A finding is made only on a fact whose column the file has: an
absent column means the record is not given, and nothing is assumed about it; an empty cell in a present column
means none (no fee levied, no decision).

Findings (``quota.input.idle_rules.FINDINGS`` gives each one's severity and article):

- ``fee_not_levied``: a fee is due (idle land of an enterprise cause) and none is levied;
- ``fee_below_due``: the fee levied is below the fee due (by more than half of the 0.01 万元 the tables show);
- ``fee_on_exempt``: a fee is levied on a parcel with a government cause (Art. 8 exempts it);
- ``take_back_undecided``: idle two full years or more and still idle, neither taken back nor a recorded decision
  not to take it back (``keep_decided_on``);
- ``taken_back_early``: taken back before two full years idle, or after it was started (and not halted below the
  thresholds): Art. 14(2) does not reach it;
- ``no_evidence``: a government cause excuses an idle parcel, with no evidence reference (``cause_evidence``);
- ``extension_too_long``: an extension (Art. 12(1)) or a deadline to build (限期开发) more than one year after it
  was granted;
- ``below_threshold``: recorded as started, but below the Art. 2 ¶2 thresholds and halted a full year, and no fee
  levied: idle land on paper counted as started (this one replaces ``fee_not_levied`` for that parcel).

Each finding: its code, severity, parcel, county, area, the amount at stake with its unit (万元 of fee; the parcel's
area for taking back; days beyond the one-year limit), the rule in the report language, and the article.
"""
from __future__ import annotations

import pandas as pd

from .idle import anniversary, assess, fact
from .idle_rules import CAUSE_KINDS, DEADLINE_ARTICLE, EXTENSION_YEARS, FINDINGS
from .scenario import Scenario

COLUMNS = ["finding", "severity", "parcel_id", "county_id", "area", "amount", "unit", "rule", "article"]
FEE_TOL = 0.005  # 万元: half of the 0.01 万元 the tables show

TEXT = {
    "zh": {
        "fee_not_levied": "应征土地闲置费 {due:,.2f} 万元(闲置满 {n} 年,自 {d1} 起应征),未记录征收",
        "fee_below_due": "应征土地闲置费 {due:,.2f} 万元,{on} 只征收 {levied:,.2f} 万元,少征 {gap:,.2f} 万元",
        "fee_on_exempt": "政府原因({kind})闲置,不应征收闲置费,但 {on} 征收了 {levied:,.2f} 万元,应予退还",
        "take_back_undecided": "满 {n} 年仍闲置(自 {d2} 起可提请无偿收回,须报有批准权的人民政府批准),既未收回,也未记录不予收回的决定",
        "taken_back_early": "{taken} 收回时闲置满 {n} 年{started},不满足无偿收回的条件(满 {ry} 年未动工开发)",
        "no_evidence": "按政府原因({kind})免征闲置费 {due:,.2f} 万元,但没有记录原因说明材料(证据编号)",
        "extension_too_long": "{what} {granted} 批准,期限至 {until},超过一年(最迟 {limit}),超出 {days} 天",
        "below_threshold": "已记录动工({start}),但开发面积占 {dev:.0%}、投资占 {inv:.0%},{halt} 起中止满 {n} 年,属闲置土地"
                           "(第二条第二款);应征土地闲置费 {due:,.2f} 万元,未记录征收",
        "started": ",且已于 {start} 动工", "extension": "延长动工开发期限", "deadline": "限期开发",
    },
    "en": {
        "fee_not_levied": "an idle-land fee of {due:,.2f} 万元 is due ({n} full year(s) idle, due from {d1}); none is recorded as levied",
        "fee_below_due": "a fee of {due:,.2f} 万元 is due; {levied:,.2f} 万元 was levied on {on}, {gap:,.2f} 万元 short",
        "fee_on_exempt": "idle through a government cause ({kind}), so no fee is due, but {levied:,.2f} 万元 was levied on {on}: "
                         "it should be refunded",
        "take_back_undecided": "still idle after {n} full years (taking back may be proposed from {d2}, with the approval of the "
                               "government that approved the land): neither taken back nor a decision not to take it back recorded",
        "taken_back_early": "taken back on {taken} after {n} full year(s) idle{started}: Art. 14(2) needs {ry} full years not "
                            "started",
        "no_evidence": "exempt from a fee of {due:,.2f} 万元 for a government cause ({kind}), with no evidence reference recorded",
        "extension_too_long": "{what} granted on {granted} until {until}, more than one year (at the latest {limit}): {days} "
                              "days beyond",
        "below_threshold": "recorded as started ({start}), but {dev:.0%} of the area developed and {inv:.0%} invested, halted "
                           "since {halt} for {n} full year(s): idle land (Art. 2 ¶2); a fee of {due:,.2f} 万元 is due and "
                           "none is recorded as levied",
        "started": ", and started on {start}", "extension": "an extension of the start date", "deadline": "a deadline to build (限期开发)",
    },
}


def eval_idle_findings(s: Scenario, lang: str | None = None) -> pd.DataFrame:
    """One row per finding, in county, parcel and finding order; area and area amounts in hectares."""
    lang = lang or s.lang
    if s.idle_parcels is None:
        return pd.DataFrame(columns=COLUMNS)
    has = set(s.idle_parcels.columns)
    rows = []
    for r in s.idle_parcels.to_dict("records"):
        rows += parcel_findings(r, assess(r, s.idle_land), has, s.idle_land, lang)
    order = {k: i for i, k in enumerate(FINDINGS)}
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["county_id", "parcel_id", "finding"], key=lambda c: c.map(order) if c.name == "finding" else c,
                           kind="stable").reset_index(drop=True)


def parcel_findings(r: dict, a: dict, has: set, p, lang: str) -> list[dict]:
    """The findings on one parcel (a row as a dict), given what the rules require of it (``assess``)."""
    T = TEXT[lang]
    levied, on = fact(r, "fee_levied") or 0.0, fact(r, "fee_levied_on")
    full = p.fee_rate * r["grant_price"]
    code = a["cause_kind"]
    kind = (CAUSE_KINDS[code][0] if lang == "zh" else code.replace("_", " ")) if code else ("种类未记录" if lang == "zh" else "kind not recorded")
    v = dict(due=a["fee"], n=a["n"], d1=a["fee_from"], d2=a["reclaim_from"], ry=p.reclaim_years, levied=levied, on=on,
             gap=a["fee"] - levied, kind=kind, start=fact(r, "actual_start"), dev=fact(r, "developed_share"),
             inv=fact(r, "invested_share"), halt=fact(r, "halted_on"), taken=fact(r, "taken_back_on"))
    out = []

    def add(code, amount, unit, **extra):
        sev, art_zh, art_en = FINDINGS[code]
        article = extra.pop("article", art_zh if lang == "zh" else art_en)
        out.append({"finding": code, "severity": sev, "parcel_id": r["parcel_id"], "county_id": r["county_id"],
                    "area": r["area"], "amount": amount, "unit": unit, "rule": T[code].format(**{**v, **extra}),
                    "article": article})

    cls = a["classification"]
    paper = a["kind"] == "halted" and cls in ("fee", "reclaim") and levied <= 0
    if paper:
        add("below_threshold", a["fee"], "万元")
    if "fee_levied" in has and a["fee"] > 0 and not paper:
        if levied <= 0:
            add("fee_not_levied", a["fee"], "万元")
        elif levied < a["fee"] - FEE_TOL:
            add("fee_below_due", a["fee"] - levied, "万元")
    if "fee_levied" in has and r["cause"] == "government" and levied > 0:
        add("fee_on_exempt", levied, "万元")
    if ({"taken_back_on", "keep_decided_on"} & has) and cls == "reclaim" and fact(r, "keep_decided_on") is None:
        add("take_back_undecided", r["area"], "ha")
    if cls == "taken_back" and not a["taken_back_counts"]:  # Art. 14(2) does not reach it: no stock either
        add("taken_back_early", r["area"], "ha", started=T["started"].format(**v) if a["started"] and a["kind"] != "halted" else "")
    if "cause_evidence" in has and cls == "government" and fact(r, "cause_evidence") is None:
        add("no_evidence", full, "万元", due=full)
    for what, granted, until, article in (("extension", "extended_on", "extended_until", None),
                                          ("deadline", "keep_decided_on", "build_deadline", DEADLINE_ARTICLE)):
        g, u = fact(r, granted), fact(r, until)
        if g is not None and u is not None and u > anniversary(g, EXTENSION_YEARS):
            limit = anniversary(g, EXTENSION_YEARS)
            extra = {"article": article[0 if lang == "zh" else 1]} if article else {}
            add("extension_too_long", float((u - limit).days), "days", what=T[what], granted=g, until=u, limit=limit,
                days=(u - limit).days, **extra)
    return out


def idle_findings_table(s: Scenario, lang: str | None = None) -> pd.DataFrame:
    """``idle_findings.csv``: the findings with areas (and area amounts) in the scenario's unit."""
    t = eval_idle_findings(s, lang)
    f = s.unit_factor
    land = t["unit"] == "ha"
    t["area"] = t["area"].astype(float) * f
    t["amount"] = t["amount"].astype(float).where(~land, t["amount"].astype(float) * f)
    t["unit"] = t["unit"].where(~land, s.unit)
    return t
