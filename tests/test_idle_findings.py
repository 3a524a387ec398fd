"""The idle-land check under Order 53 in full, worked by hand: the facts of each parcel, what the rules require of it
at the assessment date, and the findings where the bureau's record differs (issue #18).

Assessment date A = 2023-06-30 throughout; grant price 1000 万元 unless said, so the fee due is 0.2 × 1000 = 200 万元.
The rules (quota/input/idle.py): idle land is (Art. 2 ¶1) not started a full year after the agreed start, or (¶2)
started with under a third of the area developed or under 25% invested and halted a full year; the fee is due from
one full year (Art. 14(1)) whatever happens next; from two full years still idle, taking back may be proposed (Art.
14(2), with the approving government's approval); a government cause (Art. 8, by kind) owes neither and opens the
Art. 12 options of its kind.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import ScenarioError
from quota.input.idle import eval_idle_parcels, eval_taken_back
from quota.input.idle_findings import eval_idle_findings
from quota.input.idle_rules import CAUSE_KINDS, OPTION_TEXT, OPTIONS
from quota.input.validate import load
from quota.report.safety import read_csv

D = dt.date
A = D(2023, 6, 30)
TINY = Path(__file__).parent / "fixtures" / "tiny"
FACTS = ("grant_date", "developed_share", "invested_share", "halted_on", "cause_kind", "cause_evidence", "fee_levied",
         "fee_levied_on", "taken_back_on", "keep_decided_on", "build_deadline", "extended_on", "extended_until")


@pytest.fixture(scope="module")
def base(contract_path):
    return load(contract_path)


def parcel(**kw) -> dict:
    row = {"parcel_id": "T", "county_id": "shenze", "area": 2.0, "agreed_start": D(2022, 6, 30), "grant_price": 1000.0,
           "cause": "enterprise", "actual_start": None, **dict.fromkeys(FACTS)}
    row.update(kw)
    return row


def judge(s, *rows, lang="en", columns=FACTS):
    """Parcels (``parcel(...)`` dicts, ids T0, T1, ...) classed and audited on scenario ``s``; ``columns``: the fact
    columns the file has (an absent column: not recorded)."""
    frame = pd.DataFrame([{**r, "parcel_id": f"T{i}"} for i, r in enumerate(rows)])
    frame = frame.drop(columns=[c for c in FACTS if c not in columns])
    t = dataclasses.replace(s, idle_parcels=frame)
    return eval_idle_parcels(t, lang).set_index("parcel_id"), eval_idle_findings(t, lang)


def kinds(findings: pd.DataFrame, pid: str = "T0") -> list[str]:
    return list(findings.loc[findings["parcel_id"] == pid, "finding"])


# ------------------------------------------------------------ the rules ----

def test_one_year_fee_with_its_amount(base):
    """Agreed 2022-06-30, not started: one full year on 2023-06-30 = A. Idle since then, fee 0.2 × 1000 = 200 万元,
    due and not levied (an empty fee_levied cell): one finding of 200 万元, severity high, Art. 14(1)."""
    t, f = judge(base, parcel())
    row = t.loc["T0"]
    assert (row["classification"], row["fee"], row["idle_kind"], row["idle_since"]) == ("fee", 200.0, "not_started", A)
    assert row["article"] == "Order 53 Art. 2 ¶1; Art. 14(1)" and "200.00 万元" in row["rule"]
    assert f[["finding", "severity", "amount", "unit", "article"]].values.tolist() == [
        ["fee_not_levied", "high", 200.0, "万元", "Order 53 Art. 14(1)"]]
    _, levied = judge(base, parcel(fee_levied=200.0, fee_levied_on=A))
    assert levied.empty


def test_fee_levied_short_and_within_the_tables_rounding(base):
    _, f = judge(base, parcel(fee_levied=150.0, fee_levied_on=A), parcel(fee_levied=199.996, fee_levied_on=A))
    assert f[["parcel_id", "finding", "amount"]].values.tolist() == [["T0", "fee_below_due", 50.0]]


def test_two_years_without_and_with_a_take_back_decision(base):
    """Agreed 2021-06-30, not started: two full years on A. The fee (200) stays due and taking back may be proposed.
    No decision recorded: take_back_undecided (the area, 2 ha); a decision not to take it back: none; taken back on
    A: class taken_back, not idle stock, no finding on the decision; taken back on 2023-05-01 (one full year): early."""
    agreed = D(2021, 6, 30)
    t, f = judge(base, parcel(agreed_start=agreed, fee_levied=200.0, fee_levied_on=D(2022, 7, 1)),
                 parcel(agreed_start=agreed, fee_levied=200.0, fee_levied_on=D(2022, 7, 1), keep_decided_on=D(2023, 6, 1)),
                 parcel(agreed_start=agreed, fee_levied=200.0, fee_levied_on=D(2022, 7, 1), taken_back_on=A),
                 parcel(agreed_start=agreed, fee_levied=200.0, fee_levied_on=D(2022, 7, 1), taken_back_on=D(2023, 5, 1)))
    assert list(t["classification"]) == ["reclaim", "reclaim", "taken_back", "taken_back"]
    assert list(t["fee"]) == [200.0] * 4  # fee and taking back are two decisions
    assert list(t["may_take_back"]) == [True, True, False, False]
    assert "approval" in t.at["T0", "rule"] and "Urban Real Estate Law Art. 26" in t.at["T0", "article"]
    assert f[["parcel_id", "finding", "amount", "unit"]].values.tolist() == [["T0", "take_back_undecided", 2.0, "ha"],
                                                                           ["T3", "taken_back_early", 2.0, "ha"]]
    # the decision columns absent: whether it was decided is not recorded, so nothing is found on it
    _, none = judge(base, parcel(agreed_start=agreed), columns=("fee_levied",))
    assert kinds(none) == ["fee_not_levied"]


def test_art_2_para_2_by_area_and_by_investment(base):
    """Started 2021-01-10 (agreed 2021-01-01, on time), halted 2022-06-30: a full year halted on A.
    Developed 30% (< 1/3): idle, since 2023-06-30, counted from the halt; invested 20% (< 25%): idle; exactly 1/3 and
    exactly 25%: not below either, not idle; halted a day later (2022-07-01): not yet a full year, not idle."""
    started = dict(agreed_start=D(2021, 1, 1), actual_start=D(2021, 1, 10))
    t, f = judge(base, parcel(**started, developed_share=0.30, invested_share=0.50, halted_on=D(2022, 6, 30)),
                 parcel(**started, developed_share=0.50, invested_share=0.20, halted_on=D(2022, 6, 30)),
                 parcel(**started, developed_share=1 / 3, invested_share=0.25, halted_on=D(2022, 6, 30)),
                 parcel(**started, developed_share=0.30, invested_share=0.20, halted_on=D(2022, 7, 1)),
                 parcel(**started, developed_share=0.30, invested_share=0.20, halted_on=D(2022, 6, 30),
                        fee_levied=200.0, fee_levied_on=A))
    assert list(t["idle_kind"]) == ["halted", "halted", "", "", "halted"]
    assert list(t["classification"]) == ["fee", "fee", "started_on_time", "started_on_time", "fee"]
    assert t.at["T0", "idle_since"] == A and t.at["T0", "idle_days"] == 365 and t.at["T0", "full_years_idle"] == 1
    assert t.at["T0", "article"] == "Order 53 Art. 2 ¶2; Art. 14(1)" and "not below one third" in t.at["T2", "rule"]
    assert f[["parcel_id", "finding", "amount"]].values.tolist() == [["T0", "below_threshold", 200.0],
                                                                     ["T1", "below_threshold", 200.0]]  # T4 paid: none


def test_halted_two_years_may_be_taken_back(base):
    t, _ = judge(base, parcel(agreed_start=D(2020, 1, 1), actual_start=D(2020, 3, 1), developed_share=0.1,
                              invested_share=0.1, halted_on=D(2021, 6, 30)))
    assert (t.at["T0", "classification"], t.at["T0", "full_years_idle"], t.at["T0", "may_take_back"]) == ("reclaim", 2, True)


@pytest.mark.parametrize("kind", list(CAUSE_KINDS))
def test_each_government_cause(base, kind):
    """Idle two full years through a government cause of each kind: no fee, no taking back, the Art. 12 options of the
    kind (exchange only for a planning change), the kind's article; without evidence, a finding worth the fee waived."""
    t, f = judge(base, parcel(agreed_start=D(2021, 1, 1), cause="government", cause_kind=kind), lang="zh")
    row = t.loc["T0"]
    assert (row["classification"], row["fee"], row["may_take_back"]) == ("government", 0.0, False)
    assert row["article"].startswith(CAUSE_KINDS[kind][1]) and CAUSE_KINDS[kind][0] in row["rule"]
    assert row["alternatives"] == ";".join(OPTION_TEXT[o][0] for o in OPTIONS[kind])
    assert ("置换土地" in row["alternatives"]) == (kind == "planning_change")
    assert f[["finding", "severity", "amount", "unit"]].values.tolist() == [["no_evidence", "medium", 200.0, "万元"]]
    _, ok = judge(base, parcel(agreed_start=D(2021, 1, 1), cause="government", cause_kind=kind, cause_evidence="函 1 号"))
    assert ok.empty


def test_fee_levied_on_an_exempt_parcel(base):
    _, f = judge(base, parcel(cause="government", cause_kind="petition", cause_evidence="x", fee_levied=120.0,
                              fee_levied_on=A))
    assert f[["finding", "severity", "amount"]].values.tolist() == [["fee_on_exempt", "high", 120.0]]


def test_extension_and_deadline_at_most_one_year(base):
    """Granted 2022-03-01: until 2023-03-01 is one year exactly (no finding), until 2023-03-02 one day beyond. A deadline
    to build set on 2023-03-01 until 2024-03-02: one day beyond (local rules, 限期开发)."""
    gov = dict(agreed_start=D(2020, 1, 1), cause="government", cause_kind="planning_change", cause_evidence="x",
               extended_on=D(2022, 3, 1))
    late = dict(agreed_start=D(2021, 1, 1), fee_levied=200.0, fee_levied_on=D(2022, 2, 1), keep_decided_on=D(2023, 3, 1))
    _, f = judge(base, parcel(**gov, extended_until=D(2023, 3, 1)), parcel(**gov, extended_until=D(2023, 3, 2)),
                 parcel(**late, build_deadline=D(2024, 3, 2)))
    assert f[["parcel_id", "finding", "amount", "unit"]].values.tolist() == [["T1", "extension_too_long", 1.0, "days"],
                                                                           ["T2", "extension_too_long", 1.0, "days"]]
    assert f["article"].tolist()[0] == "Order 53 Art. 12(1)" and "local rules" in f["article"].tolist()[1]


# ------------------------------------------------------------- dates ----

def test_date_edges(base):
    """Leap day: halted 2020-02-29 is a full year halted on 2021-02-28. Agreed start after A: not idle, 0 days.
    No actual start: judged at A. One day short of a year (agreed 2022-07-01): not idle."""
    leap = dict(agreed_start=D(2019, 6, 1), actual_start=D(2019, 6, 2), developed_share=0.1, invested_share=0.9,
                halted_on=D(2020, 2, 29))
    for when, want in ((D(2021, 2, 27), ""), (D(2021, 2, 28), "halted")):
        t, _ = judge(dataclasses.replace(base, idle_land=dataclasses.replace(base.idle_land, assessment_date=when)), parcel(**leap))
        assert t.at["T0", "idle_kind"] == want, when
    t, _ = judge(base, parcel(agreed_start=D(2023, 9, 1)), parcel(agreed_start=D(2022, 7, 1)), parcel(agreed_start=D(2022, 6, 30)))
    assert list(t["classification"]) == ["not_idle", "not_idle", "fee"]
    assert list(t["idle_days"]) == [0, 364, 365] and list(t["idle_until"]) == [A, A, A]


# -------------------------------------------------------- bad input ----

def scenario_with(tmp_path, rows: list[dict], extra_yaml: str = "") -> Path:
    folder = Path(shutil.copytree(TINY, tmp_path / "s"))
    cols = ["parcel_id", "county_id", "area", "agreed_start", "grant_price", "cause", "actual_start", *FACTS]
    base_row = dict(parcel_id="IP1", county_id="a", area="30", agreed_start="2022-06-30", grant_price="1000", cause="enterprise")
    pd.DataFrame([{**base_row, **r} for r in rows], columns=cols, dtype=object).fillna("").to_csv(folder / "idle_parcels.csv", index=False)
    with open(folder / "scenario.yaml", "a", encoding="utf-8") as f:
        f.write("idle_land: {assessment_date: 2023-06-30}\n" + extra_yaml)
    return folder


@pytest.mark.parametrize("facts, column, words", [
    ({"grant_date": "2022-01-01", "actual_start": "2021-12-01", "agreed_start": "2022-03-01"}, "actual_start", "before the grant"),
    ({"grant_date": "2022-08-01"}, "agreed_start", "before the grant"),
    ({"actual_start": "2022-07-01", "developed_share": "1.2", "invested_share": "0.1", "halted_on": "2022-08-01"},
     "developed_share", "above 1"),
    ({"actual_start": "2022-07-01", "developed_share": "0.2", "halted_on": "2022-08-01"}, "invested_share", "cannot be tested"),
    ({"halted_on": "2022-08-01", "developed_share": "0.2", "invested_share": "0.1"}, "halted_on", "no actual start"),
    ({"actual_start": "2022-07-01", "halted_on": "2022-06-01", "developed_share": "0.2", "invested_share": "0.1"},
     "halted_on", "before its actual start"),
    ({"fee_levied": "200"}, "fee_levied_on", "without the date"),
    ({"fee_levied_on": "2023-01-01"}, "fee_levied", "without its amount"),
    ({"cause_kind": "planning_change"}, "cause_kind", "cause is enterprise"),
    ({"cause": "government", "cause_kind": "aliens"}, "cause_kind", "not a government cause"),
    ({"cause": "government", "extended_on": "2023-01-01"}, "extended_until", "without extended_until"),
    ({"build_deadline": "2024-01-01"}, "keep_decided_on", "deadline to build"),
    ({"taken_back_on": "2023-07-01"}, "taken_back_on", "after the assessment date"),
])
def test_each_missing_or_contradictory_fact_is_an_error(tmp_path, facts, column, words):
    with pytest.raises(ScenarioError) as info:
        load(scenario_with(tmp_path, [facts]))
    hits = [i for i in info.value.issues if i.file == "idle_parcels.csv" and i.row == "IP1" and i.column == column]
    assert len(hits) == 1 and words in hits[0].message and hits[0].hint, info.value.issues


def test_every_problem_at_once(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load(scenario_with(tmp_path, [{"fee_levied": "200"},
                                           {"parcel_id": "IP2", "county_id": "b", "area": "50", "grant_date": "2022-08-01"}]))
    assert {(i.row, i.column) for i in info.value.issues} == {("IP1", "fee_levied_on"), ("IP2", "agreed_start")}


def test_a_file_with_todays_columns_keeps_working(contract_path, tmp_path):
    """The first-contract twin's parcels (no fact column): no finding can be made, and audit-idle says so."""
    s = load(contract_path)
    assert not set(FACTS) & set(s.idle_parcels.columns)
    assert eval_idle_findings(s).empty
    result = CliRunner().invoke(cli, ["audit-idle", str(contract_path), "--out", str(tmp_path / "a")])
    assert result.exit_code == 0 and "no findings" in result.output


# ------------------------------------------------ county figures ----

def test_county_idle_stock_is_reconciled_with_the_parcels(default_path, tmp_path):
    """晋州's idle stock is 28.30 ha: IP014 9.02 + IP015 19.28 (IP012 and IP013 were taken back in 2022). Written as the
    48.75 of all its idle-classed parcels before the taking back, validate names both figures."""
    s = load(default_path)
    parcels = eval_idle_parcels(s).set_index("parcel_id")
    jinzhou = parcels[parcels["county_id"] == "jinzhou"]
    assert jinzhou.loc[jinzhou["classification"].isin(["fee", "reclaim", "government"]), "area"].sum() == pytest.approx(28.30)
    assert s.counties.at["jinzhou", "idle_stock"] == pytest.approx(28.30)
    taken = eval_taken_back(s)
    assert taken[["parcel_id", "year", "usable_from", "counts"]].values.tolist() == [
        ["IP012", 2022, 2023, True], ["IP013", 2022, 2023, False],  # IP013: taken back after one year (taken_back_early)
        ["IP029", 2023, 2024, True]]  # 栾城, within the horizon: usable stock of 栾城 from 2024
    folder = Path(shutil.copytree(default_path, tmp_path / "s"))
    counties = (folder / "counties.csv").read_text(encoding="utf-8").replace("jinzhou,晋州市,215.39,28.30,", "jinzhou,晋州市,215.39,48.75,")
    (folder / "counties.csv").write_text(counties, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load(folder)
    [issue] = info.value.issues
    assert (issue.code, issue.row, issue.column) == ("idle-mismatch", "jinzhou", "idle_stock")
    assert "48.75 ha" in issue.message and "28.3 ha" in issue.message


# ------------------------------------------------------------ outputs ----

def test_the_default_lists_every_kind_of_finding(default_path):
    from quota.input.idle_rules import FINDINGS

    f = eval_idle_findings(load(default_path))
    assert set(f["finding"]) == set(FINDINGS)
    assert f.groupby("finding")["amount"].sum()["fee_not_levied"] == pytest.approx(0.2 * (7781 + 3706))  # IP003, IP008


def test_audit_idle_writes_formula_safe_csv_and_xlsx(tmp_path):
    folder = scenario_with(tmp_path, [{"cause": "government", "cause_kind": "不可抗力", "cause_evidence": "=HYPERLINK(1)",
                                       "agreed_start": "2021-06-30"}])
    out = tmp_path / "audit"
    result = CliRunner().invoke(cli, ["audit-idle", str(folder), "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"idle_findings.csv", "idle_parcels.csv", "idle_findings.xlsx", "manifest.json"}
    raw = (out / "idle_parcels.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in raw and read_csv(out / "idle_parcels.csv", dtype=str).at[0, "cause_evidence"] == "=HYPERLINK(1)"
    assert read_csv(out / "idle_parcels.csv", dtype=str).at[0, "cause_kind"] == "force_majeure"  # the Chinese alias
    again = CliRunner().invoke(cli, ["audit-idle", str(folder), "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
