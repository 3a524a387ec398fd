"""Facts under hebei-2024 (earned linkage, restriction decided by year on the 5-year supply rate): the rows they change.

One county a (base quota cap_base 20, tasks met: ×1.1), 2023–2025, history 2018–2022 approved 10 and supplied 8 a year
(80%, above 60%). disposal.csv plans 5 ha in 2023 and 2024. The ledger for 2023: P1 approved on 8 ha of new quota, 4 ha
of it supplied; disposal 4 ha supplied (批而未供) and 3 ha taken back (闲置): 7 ha; over-plan use of 2 ha.
As quota.replan and families/past.py document:
- earned quota row of (a, 2023): right side B + r·7 + 2 in place of B + r·5 (the ledger's disposal, the over-plan use);
- restriction: no R for 2023; the over-plan use of 2023 restricts 2024 (overplan_years 1 in hebei-2024), not 2025;
- supply rate: the window of 2024 and 2025 counts 2023's 8 ha as approved and 4 as supplied (Δ = −4), and P_2023 = 7:
  M_cy rises by 4 − (7 − 5) = 2.
"""
import datetime as dt

import pandas as pd
import pytest
from builder import county, project, write_scenario, write_table

from quota.check.audit import audit_run
from quota.input.validate import load
from quota.ledger.facts import COLUMNS, LedgerFacts, empty_facts
from quota.model.build import build_model
from quota.model.families.dynamic_restriction import rate_shortfall
from quota.replan import with_facts
from quota.run import run_scenario

DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]
HISTORY = ["county_id", "year", "approved", "supplied"]


def scenario(tmp_path):
    folder = write_scenario(tmp_path / "s", [county(unsupplied_task=0, idle_task=0, cap_base=20)],
                            [project(project_id="P1", area=8), project(project_id="P2", area=8),
                             project(project_id="P3", area=10, earliest_year=2024)],
                            quota={2023: 100, 2024: 100, 2025: 100}, rules="hebei-2024",
                            advance={"previous_quota": 100}, linkage={"stock_credit": 0.1})
    write_table(folder / "history.csv", [dict(county_id="a", year=y, approved=10, supplied=8) for y in range(2018, 2023)], HISTORY)
    write_table(folder / "disposal.csv", [dict(county_id="a", year=y, unsupplied=3, idle=2, extra_max=0, extra_cost=0)
                                          for y in (2023, 2024)], DISPOSAL)
    return folder


def facts() -> LedgerFacts:
    base = empty_facts(2024)
    return LedgerFacts(
        2024, pd.DataFrame([("P1", "", 1, 2023, "new", 8.0, dt.date(2023, 5, 1))], columns=COLUMNS["approvals"]),
        supply=pd.DataFrame([("P1", "", 1, 2023, dt.date(2023, 10, 1), 4.0)], columns=COLUMNS["supply"]),
        disposal=pd.DataFrame([("a", 2023, "supplied", 4.0), ("a", 2023, "taken_back", 3.0)], columns=COLUMNS["disposal"]),
        quota_issued=base.quota_issued, overplan=pd.DataFrame([("a", 2023, 2.0)], columns=COLUMNS["overplan"]),
        last_plan=base.last_plan)


def test_facts_change_the_rows_as_documented(tmp_path):
    s = load(scenario(tmp_path))
    sf = with_facts(s, facts())
    m0, m1 = build_model(s), build_model(sf)
    r = s.rules.linkage.earn_ratio
    rhs0, rhs1 = m0.families["earned_quota"].attrs["rhs"], m1.families["earned_quota"].attrs["rhs"]
    assert rhs1[("a", 2023)] - rhs0[("a", 2023)] == pytest.approx(r * (7 - 5) + 2)
    assert rhs1[("a", 2024)] == pytest.approx(rhs0[("a", 2024)])
    assert 2023 not in set(m1.restricted.index.get_level_values(1))
    over = m1.families["restriction_year"].attrs["rhs"]
    assert over[("a", 2024)] == 0.0  # A = 0: shut by the over-plan use of 2023
    assert ("a", 2025) not in over.index or over[("a", 2025)] > 0  # 2025: only the rate may restrict
    shift = rate_shortfall(sf) - rate_shortfall(s)
    assert shift[("a", 2024)] == pytest.approx(4 - (7 - 5)) and shift[("a", 2025)] == pytest.approx(4 - (7 - 5))
    assert shift[("a", 2023)] == pytest.approx(0.0)
    fixed = m1.cells.loc[("P1", "", 1, 2023), "x"]
    assert fixed.lowBound == fixed.upBound == 1.0


def test_a_hebei_replan_is_verified_and_audited(tmp_path):
    r = run_scenario(scenario(tmp_path), facts=facts(), out=tmp_path / "run")
    assert r.checks["ok"].all()
    cy = r.county_years.set_index("year")
    assert cy.at[2023, "disposal_planned"] == pytest.approx(7.0) and bool(cy.at[2024, "restricted_in_year"])
    a = r.allocations
    assert not ((a["year"] == 2024) & (a["source"] == "new")).any()  # restricted in 2024 by the over-plan use of 2023
    checks = audit_run(tmp_path / "run", None, "off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    warnings = {w["code"] for w in r.summary["warnings"]}
    assert "fact-mapping" in warnings  # disposal.csv's 2023 plan replaced by the ledger's


def test_facts_with_no_place_are_warned_about(tmp_path):
    """Under the first contract disposal and supply facts have no place: the run says so."""
    folder = write_scenario(tmp_path / "c", [county(unsupplied_task=0, idle_task=0)], [project(project_id="P1", area=8)])
    r = run_scenario(folder, facts=facts())
    text = " ".join(w["message"] for w in r.summary["warnings"])
    assert "disposal fact(s) have no place" in text and "supply fact(s) have no place" in text
    assert "cannot restrict a later year" in text
