"""County linkage numbers 增存挂钩 (quota/model/linkage.py), each recomputed by hand.

r = (DU + DI)/(U + I), 1 when U + I = 0;  s = max(0, 1 − (DU + DI)/(TU + TI)), 0 with no task;
π = λ·s;  restricted when r < restrict_below or (overplan > 0 and restrict_on_overplan);
m = 1 + bonus if DU ≥ TU and DI ≥ TI else 1 − cut;  cap max(0, m·cap_base − overplan) in the first
year, m·cap_base after.
"""
import math

import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, assert_alloc, objective_is, solve, status

from quota.errors import ScenarioError
from quota.model.linkage import county_cap, eval_linkage
from quota.input.validate import load


def c(cid, U, I, DU, DI, TU, TI, overplan=0, cap_base=""):
    return county(county_id=cid, name=cid, unsupplied_stock=U, idle_stock=I, unsupplied_disposed=DU, idle_disposed=DI,
                  unsupplied_task=TU, idle_task=TI, overplan=overplan, cap_base=cap_base)


COUNTIES = [
    c("a", 100, 30, 25, 6, 20, 5, cap_base=20),             # both tasks met
    c("b", 100, 50, 10, 2, 20, 10, cap_base=20),            # slow: rate 0.08, shortfall 0.6
    c("c", 0, 0, 0, 0, 0, 0, overplan=3, cap_base=10),      # no stock, no task; over plan
    c("d", 100, 10, 30, 1, 20, 5),                          # total met, idle task not; no cap_base
    c("e", 100, 0, 15, 0, 0, 0, overplan=10, cap_base=5),   # rate exactly at the threshold; overplan > cap
]


@pytest.fixture
def linkage(tmp_path):
    s = load(write_scenario(tmp_path, counties=COUNTIES, projects=[project(county_id="a")], linkage={"penalty": 2.0}))
    return eval_linkage(s)


def test_disposal_rate(linkage):
    assert linkage["disposal_rate"].to_dict() == pytest.approx({"a": 31 / 130, "b": 12 / 150, "c": 1.0, "d": 31 / 110, "e": 0.15})


def test_shortfall_and_penalty(linkage):
    # a: 31 ≥ 25 → 0; b: 1 − 12/30 = 0.6; c: no task → 0; d: 31 ≥ 25 → 0; e: no task → 0.  λ = 2
    assert linkage["shortfall"].to_dict() == pytest.approx({"a": 0, "b": 0.6, "c": 0, "d": 0, "e": 0})
    assert linkage["penalty_per_ha"].to_dict() == pytest.approx({"a": 0, "b": 1.2, "c": 0, "d": 0, "e": 0})


def test_restriction_causes(linkage):
    assert linkage["restricted_rate"].to_dict() == {"a": False, "b": True, "c": False, "d": False, "e": False}  # 0.15 is not below 0.15
    assert linkage["restricted_overplan"].to_dict() == {"a": False, "b": False, "c": True, "d": False, "e": True}
    assert linkage["restricted"].to_dict() == {"a": False, "b": True, "c": True, "d": False, "e": True}


def test_cap_multiplier_needs_both_tasks(linkage):
    # d disposed 31 ≥ 25 in total, but idle 1 < 5: cut
    assert linkage["cap_multiplier"].to_dict() == pytest.approx({"a": 1.1, "b": 0.8, "c": 1.1, "d": 0.8, "e": 1.1})


def test_caps(linkage):
    first = linkage["cap_first_year"].to_dict()
    later = linkage["cap_later_years"].to_dict()
    assert first["a"] == pytest.approx(22) and later["a"] == pytest.approx(22)
    assert first["b"] == pytest.approx(16) and later["b"] == pytest.approx(16)
    assert first["c"] == pytest.approx(11 - 3) and later["c"] == pytest.approx(11)
    assert first["e"] == 0 and later["e"] == pytest.approx(5.5)            # max(0, 5.5 − 10)
    assert math.isnan(first["d"]) and math.isnan(later["d"])
    assert county_cap(linkage, "c", 2023, 2023) == pytest.approx(8)
    assert county_cap(linkage, "c", 2024, 2023) == pytest.approx(11)
    assert county_cap(linkage, "d", 2023, 2023) is None


def test_mu_converts_the_cap_inputs(tmp_path):
    """unit: mu — cap_base 300 mu = 20 ha, overplan 30 mu = 2 ha: first-year cap 1.1·20 − 2 = 20 ha.
    The rate and shortfall are ratios and do not change."""
    counties = [c("a", 1500, 450, 375, 90, 300, 75, overplan=30, cap_base=300)]
    s = load(write_scenario(tmp_path, counties=counties, projects=[project(area=150)], unit="mu",
                            quota={2023: 1500, 2024: 1500, 2025: 1500}, linkage={"restrict_on_overplan": False}))
    L = eval_linkage(s)
    assert L.at["a", "cap_first_year"] == pytest.approx(20) and L.at["a", "cap_later_years"] == pytest.approx(22)
    assert L.at["a", "disposal_rate"] == pytest.approx(465 / 1950)


# ------------------------------------------------------------------ solve ----

def penalty_scenario(tmp_path, penalty, quota):
    counties = [c("a", 100, 30, 25, 6, 20, 5), c("s", 100, 0, 20, 0, 50, 0)]  # s: rate 0.2, shortfall 0.6
    projects = [project(project_id="A", county_id="a"), project(project_id="B", county_id="s", key_level="city")]
    scoring = {**FLAT, "key_bonus": {"city": 0.5}}
    return write_scenario(tmp_path, counties, projects, quota=quota, scoring=scoring, linkage={"penalty": penalty})


def test_penalty_steers_quota_to_the_county_that_disposes(tmp_path):
    """Q = 10 / 0 / 0. A (county a, shortfall 0, w = 1) and B (county s, shortfall 1 − 20/50 = 0.6, city key:
    w = 1.5), 10 ha each. λ = 1: net per ha A 1.0, B 1.5 − 0.6 = 0.9 → A: 10. B is rejected."""
    r = solve(penalty_scenario(tmp_path, 1.0, {2023: 10, 2024: 0, 2025: 0}))
    assert_alloc(r, {("A", 1, 2023, "new"): 10})
    assert r.counties.at["s", "penalty_per_ha"] == pytest.approx(0.6)
    assert "penalty π = 0.600" in r.projects.at["B", "reason"]
    objective_is(r, 10.0)


def test_without_penalty_the_better_project_wins(tmp_path):
    """λ = 0: B (1.5/ha) beats A: 15."""
    r = solve(penalty_scenario(tmp_path, 0.0, {2023: 10, 2024: 0, 2025: 0}))
    assert_alloc(r, {("B", 1, 2023, "new"): 10})
    objective_is(r, 15.0)


def test_a_penalty_above_the_value_leaves_quota_unused(tmp_path):
    """λ = 2.6: π_s = 1.56 > w_B = 1.5, so B is not worth approving even with ample quota: A alone, 10."""
    r = solve(penalty_scenario(tmp_path, 2.6, {2023: 100, 2024: 100, 2025: 100}))
    assert status(r) == {"A": "approved", "B": "rejected"}
    objective_is(r, 10.0)


def test_counties_table_shows_each_step(tmp_path):
    """The run's counties table carries the inputs and every linkage number for the auditor."""
    r = solve(penalty_scenario(tmp_path, 1.0, {2023: 10, 2024: 0, 2025: 0}))
    row = r.counties.loc["s"]
    assert row["stock_total"] == 100 and row["disposed_total"] == 20 and row["task_total"] == 50
    assert row["disposal_rate"] == pytest.approx(0.2)
    assert row["shortfall"] == pytest.approx(0.6)
    assert not row["tasks_met"] and row["cap_multiplier"] == pytest.approx(0.8)
    assert row["restrict_cause"] == ""


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("column, value, pattern", [
    ("unsupplied_task", -1, r"counties\.csv, row a, column unsupplied_task: -1 is negative"),
    ("idle_disposed", "", r"counties\.csv, row a, column idle_disposed: is empty"),
    ("unsupplied_stock", "n/a", r"counties\.csv, row a, column unsupplied_stock: 'n/a' is not a number"),
])
def test_bad_linkage_inputs(tmp_path, column, value, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, counties=[county(**{column: value})]))


def test_negative_penalty(tmp_path):
    with pytest.raises(ScenarioError, match=r"linkage\.penalty.*must lie in \[0, "):
        load(write_scenario(tmp_path, linkage={"penalty": -1}))


def test_project_in_an_unknown_county(tmp_path):
    with pytest.raises(ScenarioError, match=r"projects\.csv, row P1, column county_id: 'zz' is not in the counties table"):
        load(write_scenario(tmp_path, projects=[project(county_id="zz")]))
