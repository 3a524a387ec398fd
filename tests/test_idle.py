"""Idle-land classification (Order 53, 2012), worked by hand at the boundaries.

The rule: a parcel is idle a full year when the date it is judged at (its actual start, or the
assessment date if it has not started by then) is on or after the same calendar date one year
after ``agreed_start``; 29 Feb + 1 year is 28 Feb (民法典 Art. 202). Fee 20% of the grant price
at one full year; at two full years still idle, taking back without compensation may be proposed as well (the fee
stays due: fee and taking back are two decisions); nothing for government causes. A file with today's columns only
is classed as before the facts existed (tests/test_idle_findings.py has the facts, findings and Art. 2 ¶2).
"""
import dataclasses
import datetime as dt
import textwrap

import pandas as pd
import pytest

from quota.errors import ScenarioError
from quota.input.idle import anniversary, eval_idle_parcels, full_years, idle_tables
from quota.input.options import IdleLand
from quota.input.validate import load

D = dt.date
A = D(2023, 6, 30)  # the default scenario's assessment date


@pytest.fixture(scope="module")
def base(contract_path):
    return load(contract_path)


def classify(s, rows, assessment=A, **idle_land):
    """Classify hand-made parcels (agreed_start, actual_start, cause, grant_price) on scenario ``s``."""
    parcels = pd.DataFrame([{"parcel_id": f"T{i}", "county_id": "shenze", "area": 1.5, "agreed_start": agreed,
                             "grant_price": price, "cause": cause, "actual_start": start}
                            for i, (agreed, start, cause, price) in enumerate(rows)])
    options = dataclasses.replace(s.idle_land, assessment_date=assessment, **idle_land)
    t = eval_idle_parcels(dataclasses.replace(s, idle_parcels=parcels, idle_land=options), "en")
    return t.set_index("parcel_id")


def test_anniversary_and_full_years():
    assert anniversary(D(2022, 6, 30), 1) == D(2023, 6, 30)
    assert anniversary(D(2020, 2, 29), 1) == D(2021, 2, 28)  # no 29 Feb in 2021: the month's last day
    assert anniversary(D(2020, 2, 29), 4) == D(2024, 2, 29)
    assert full_years(D(2022, 6, 30), D(2023, 6, 29)) == 0
    assert full_years(D(2022, 6, 30), D(2023, 6, 30)) == 1  # full on the anniversary itself
    assert full_years(D(2023, 7, 1), D(2023, 6, 30)) == 0  # agreed date still ahead


def test_one_and_two_year_boundaries(base):
    """Assessed 2023-06-30, enterprise cause, grant price 1000 万元, never started.

    agreed 2022-07-01: one year falls 2023-07-01, a day after → not idle, 364 days.
    agreed 2022-06-30: one year falls on the assessment date → fee 0.2 × 1000 = 200.
    agreed 2021-07-01: two years fall a day after → still fee 200, 729 days, 1 full year.
    agreed 2021-06-30: two years fall on the assessment date → taking back may be proposed; the fee 200 stays due.
    """
    t = classify(base, [(D(2022, 7, 1), None, "enterprise", 1000.0), (D(2022, 6, 30), None, "enterprise", 1000.0),
                        (D(2021, 7, 1), None, "enterprise", 1000.0), (D(2021, 6, 30), None, "enterprise", 1000.0)])
    assert list(t["classification"]) == ["not_idle", "fee", "fee", "reclaim"]
    assert list(t["fee"]) == pytest.approx([0.0, 200.0, 200.0, 200.0])
    assert list(t["may_take_back"]) == [False, False, False, True]
    assert list(t["idle_days"]) == [364, 365, 729, 730]
    assert list(t["full_years_idle"]) == [0, 1, 1, 2]
    assert "Art. 14(1)" in t.at["T1", "rule"] and "2024-06-30" in t.at["T1", "rule"]  # when it would be taken back
    assert "Art. 14(2)" in t.at["T3", "rule"] and "approval" in t.at["T3", "rule"] and t.at["T3", "alternatives"] == ""
    assert "Urban Real Estate Law Art. 26" in t.at["T3", "article"]


def test_government_cause_lists_alternatives_and_charges_nothing(base):
    t = classify(base, [(D(2020, 1, 1), None, "government", 5000.0), (D(2022, 12, 1), None, "government", 5000.0)])
    assert list(t["classification"]) == ["government", "not_idle"]
    assert list(t["fee"]) == [0.0, 0.0]
    alt = t.at["T0", "alternatives"]
    for option in ("延长动工开发期限", "调整土地用途", "协议有偿收回", "置换土地"):
        assert option in alt
    assert "Art. 8" in t.at["T0", "rule"] and t.at["T1", "alternatives"] == ""


def test_started_late_pays_the_fee_once(base):
    """agreed 2021-03-01, started 2022-08-15: one year fell 2022-03-01, before the start → idle 532 days,
    fee 0.2 × 2036 = 407.2. agreed 2020-12-01, started 2023-03-20: past two years (2022-12-01) but
    started, so not taken back; the fee 0.2 × 12251 = 2450.2 is due. Started the day before the one-year
    date: on time; on the day: fee."""
    t = classify(base, [(D(2021, 3, 1), D(2022, 8, 15), "enterprise", 2036.0),
                        (D(2020, 12, 1), D(2023, 3, 20), "enterprise", 12251.0),
                        (D(2021, 5, 20), D(2022, 5, 19), "enterprise", 100.0),
                        (D(2021, 5, 20), D(2022, 5, 20), "enterprise", 100.0)])
    assert list(t["classification"]) == ["fee", "fee", "started_on_time", "fee"]
    assert list(t["fee"]) == pytest.approx([407.2, 2450.2, 0.0, 20.0])
    assert list(t["idle_days"]) == [532, 839, 364, 365]
    assert t.at["T0", "idle_until"] == D(2022, 8, 15)
    assert "2022-12-01" in t.at["T1", "rule"]  # the missed taking-back date is named for the auditor


def test_start_after_the_assessment_date_counts_as_not_started(base):
    t = classify(base, [(D(2021, 6, 30), D(2023, 8, 1), "enterprise", 100.0)])
    assert t.at["T0", "classification"] == "reclaim" and t.at["T0", "idle_until"] == A


def test_leap_day(base):
    """Agreed 2020-02-29: the one-year date is 2021-02-28 and the two-year date 2022-02-28."""
    row = [(D(2020, 2, 29), None, "enterprise", 1547.0)]
    got = [classify(base, row, assessment=a).iloc[0]["classification"]
           for a in (D(2021, 2, 27), D(2021, 2, 28), D(2022, 2, 27), D(2022, 2, 28))]
    assert got == ["not_idle", "fee", "fee", "reclaim"]


def test_parameters_change_the_rule(base):
    t = classify(base, [(D(2021, 6, 30), None, "enterprise", 1000.0)], fee_rate=0.15, fee_years=2, reclaim_years=3)
    assert t.at["T0", "classification"] == "fee" and t.at["T0", "fee"] == pytest.approx(150.0)
    assert t.at["T0", "reclaim_from"] == D(2024, 6, 30)


def test_default_scenario_classes(base):
    t = eval_idle_parcels(base).set_index("parcel_id")
    assert t.at["IP002", "classification"] == "fee" and t.at["IP002", "fee"] == pytest.approx(908.6)  # exactly one year
    assert t.at["IP007", "classification"] == "not_idle"  # a day short of one year
    assert t.at["IP003", "classification"] == "reclaim"  # exactly two years
    assert t.at["IP008", "classification"] == "fee"  # a day short of two years
    assert t.at["IP009", "fee_from"] == D(2021, 2, 28)  # leap day
    assert t["classification"].value_counts().to_dict() == {"fee": 10, "government": 6, "reclaim": 5, "not_idle": 4,
                                                            "started_on_time": 1}  # the first contract's file: as before


def test_tables_are_in_the_scenario_unit(base):
    mu = dataclasses.replace(base, unit="mu")
    counties = pd.DataFrame({"county_id": list(base.counties.index)})
    parcels, out = idle_tables(mu, counties)
    assert parcels.set_index("parcel_id").at["IP003", "area"] == pytest.approx(18.34 * 15)
    row = out.set_index("county_id").loc["shenze"]
    assert row["idle_parcels"] == 6 and row["idle_reclaim_area"] == pytest.approx(18.34 * 15)  # may be taken back
    assert row["idle_fee_total"] == pytest.approx(0.2 * (4543 + 7781 + 2036 + 8105))  # IP003's fee is due too
    assert pd.isna(out.set_index("county_id").at["jingxing", "idle_fee_total"])  # no parcels listed


@pytest.mark.parametrize("idle_land, match", [
    ("{assessment_date: 2023-06-30, fee_rate: 1.5}", "idle_land.fee_rate"),
    ("{assessment_date: 2023-06-30, fee_rate: 0.25}", "above the legal cap 0.2"),
    ("{assessment_date: 2023-06-30, fee_years: 1.5}", "idle_land.fee_years"),
    ("{assessment_date: 2023-06-30, fee_years: 2, reclaim_years: 2}", "idle_land.reclaim_years"),
    ("{assessment_date: 2023-06-30, fee_percent: 20}", "idle_land.fee_percent"),
])
def test_bad_idle_land_parameters(tmp_path, contract_path, idle_land, match):
    (tmp_path / "scenario.yaml").write_text(textwrap.dedent(f"""\
        extends: {contract_path / 'scenario.yaml'}
        idle_land: {idle_land}
        """), encoding="utf-8")
    with pytest.raises(ScenarioError, match=match):
        load(tmp_path)


def test_idle_land_parameters_accepted(tmp_path, contract_path):
    (tmp_path / "scenario.yaml").write_text(f"extends: {contract_path / 'scenario.yaml'}\n"
                                            "idle_land: {fee_rate: 0.18, fee_years: 1, reclaim_years: 3}\n", encoding="utf-8")
    t = eval_idle_parcels(load(tmp_path)).set_index("parcel_id")
    assert t.at["IP003", "classification"] == "fee" and t.at["IP003", "fee"] == pytest.approx(0.18 * 7781)


def test_idle_land_options_are_typed_on_the_scenario(tmp_path, contract_path):
    """``idle_land`` is read once, by validate, into ``Scenario.idle_land``; classifying never re-reads the raw yaml."""
    (tmp_path / "scenario.yaml").write_text(f"extends: {contract_path / 'scenario.yaml'}\n"
                                            "idle_land: {fee_rate: 0.18, fee_years: 1, reclaim_years: 3}\n", encoding="utf-8")
    s = load(tmp_path)
    assert s.idle_land == IdleLand(A, 0.18, 1, 3) and s.assessment_date == A
    assert isinstance(s.idle_land.fee_years, int) and isinstance(s.idle_land.fee_rate, float)
    stale = dataclasses.replace(s, config={**s.config, "idle_land": {"fee_rate": 0.9}})  # the record of the yaml only
    assert eval_idle_parcels(stale).equals(eval_idle_parcels(s))
    assert load(contract_path).idle_land == IdleLand(A)  # the defaults of Order 53 Art. 14
