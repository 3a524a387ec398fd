"""Restricted approval 限批 (quota/model/families/restriction.py).

A county is restricted when its disposal rate is below restrict_below, or when it used more than its
plan last year (restrict_on_overplan). There, projects outside the exempt categories get no new or
advance quota unless their key_level is provincial or national; they may still use stock. Exempt
projects still pay the county's penalty π.
"""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, assert_alloc, build, cell_keys, objective_is, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

# disposal rate 10 / 100 = 0.10 < 0.15; shortfall 1 − 10/20 = 0.5, so π = 0.5
RATE = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=20, idle_task=0, unsupplied_disposed=10, idle_disposed=0)


def write_build(tmp_path, **config):
    counties = [county(county_id="a"), county(county_id="b", name="乙县", **RATE), county(county_id="c", name="丙县", overplan=1)]
    projects = [project(project_id="b_ind", county_id="b", urgent="true"),
                project(project_id="b_liv", county_id="b", category="livelihood", urgent="true"),
                project(project_id="b_inf", county_id="b", category="基础设施"),
                project(project_id="b_tour", county_id="b", category="tourism"),
                project(project_id="c_ind", county_id="c"),
                project(project_id="c_prov", county_id="c", key_level="provincial"),
                project(project_id="c_nat", county_id="c", category="commerce", key_level="national"),
                project(project_id="c_city", county_id="c", key_level="city"),
                project(project_id="a_ind", county_id="a")]
    return write_scenario(tmp_path, counties, projects, key_projects_outside_budget=False, **config)


# ------------------------------------------------------------------ build ----

def test_both_causes_restrict(tmp_path):
    m = build(write_build(tmp_path))
    L = m.linkage
    assert L["restricted_rate"].to_dict() == {"a": False, "b": True, "c": False}
    assert L["restricted_overplan"].to_dict() == {"a": False, "b": False, "c": True}
    assert L["restricted"].to_dict() == {"a": False, "b": True, "c": True}


def test_exemptions_by_category_and_by_key_level(tmp_path):
    m = build(write_build(tmp_path))
    assert m.projects["new_ok"].to_dict() == {
        "b_ind": False, "b_liv": True, "b_inf": True, "b_tour": False,
        "c_ind": False, "c_prov": True, "c_nat": True, "c_city": False,  # a city key project is not exempt
        "a_ind": True}
    # no stock in b or c: projects that may not draw quota have no decision at all
    assert {k[0] for k in cell_keys(m)} == {"b_liv", "b_inf", "c_prov", "c_nat", "a_ind"}
    # an urgent exempt project keeps its advance; a restricted urgent one never gets it
    assert {k[0] for k in cell_keys(m, "v")} == {"b_liv"}


def test_exempt_categories_from_the_scenario(tmp_path):
    m = build(write_build(tmp_path, linkage={"exempt_categories": ["文旅"]}))
    ok = m.projects["new_ok"]
    assert ok["b_tour"] and not ok["b_liv"] and not ok["b_inf"]


def test_overplan_does_not_restrict_when_switched_off(tmp_path):
    m = build(write_build(tmp_path, linkage={"restrict_on_overplan": False}))
    assert not m.linkage.at["c", "restricted"]
    assert m.projects.at["c_ind", "new_ok"] and not m.projects.at["b_ind", "new_ok"]


def test_threshold_from_the_scenario(tmp_path):
    m = build(write_build(tmp_path, linkage={"restrict_below": 0.1}))
    assert not m.linkage.at["b", "restricted"]  # 0.10 is not below 0.10


# ------------------------------------------------------------------ solve ----

def three_counties(tmp_path, outside_budget):
    counties = [county(county_id="a"), county(county_id="b", name="乙县", usable_stock=4, **RATE),
                county(county_id="c", name="丙县", overplan=1)]
    projects = [project(project_id="A", county_id="a", area=5),
                project(project_id="b_ind", county_id="b", area=5),
                project(project_id="b_liv", county_id="b", area=5, category="livelihood"),
                project(project_id="b_stk", county_id="b", area=4, category="commerce", stock_ok="true"),
                project(project_id="c_ind", county_id="c", area=3),
                project(project_id="c_prov", county_id="c", area=3, key_level="provincial")]
    return write_scenario(tmp_path, counties, projects, quota={2023: 100, 2024: 100, 2025: 100}, scoring=FLAT,
                          key_projects_outside_budget=outside_budget)


def test_restricted_counties_get_only_stock_or_exempt_projects(tmp_path):
    """Quota ample; w = 1 except c_prov (1 + 0.5 provincial bonus); γ = 0.1; everything in 2023.

    a (unrestricted, π 0): A 5 ha → 5.
    b (disposal rate 0.10 < 0.15; π = 0.5; 4 ha usable stock):
      b_ind (industry) gets nothing: rejected;
      b_liv (livelihood, exempt) takes new quota and still pays π: 5·(1 − 0.5) = 2.5;
      b_stk (commerce, not exempt, stock_ok) uses stock only: 4·(1 + 0.1) = 4.4.
    c (over-plan use of 1 ha; π 0): c_ind rejected; c_prov exempt by key level (not placed by the higher
      level, as key_projects_outside_budget is false): 3·1.5 = 4.5.
    Objective 5 + 2.5 + 4.4 + 4.5 = 16.4.
    """
    r = solve(three_counties(tmp_path, False))
    assert_alloc(r, {("A", 1, 2023, "new"): 5, ("b_liv", 1, 2023, "new"): 5, ("b_stk", 1, 2023, "stock"): 4,
                     ("c_prov", 1, 2023, "new"): 3})
    assert status(r) == {"A": "approved", "b_ind": "rejected", "b_liv": "approved", "b_stk": "approved",
                         "c_ind": "rejected", "c_prov": "approved"}
    objective_is(r, 16.4)
    assert r.counties.at["b", "penalty_paid"] == pytest.approx(2.5)
    assert r.counties["restrict_cause"].to_dict() == {"a": "", "b": "disposal_rate", "c": "overplan"}
    reasons = r.projects["reason"]
    assert "restricted" in reasons["b_ind"] and "disposal rate 10.0% below 15%" in reasons["b_ind"]
    assert "over-plan use of 1.00 ha" in reasons["c_ind"]


def test_higher_level_key_project_in_a_restricted_county(tmp_path):
    """Same data with key_projects_outside_budget: c_prov is placed by the higher level in its earliest
    year and adds nothing to the objective: 5 + 2.5 + 4.4 = 11.9."""
    r = solve(three_counties(tmp_path, True))
    assert status(r)["c_prov"] == "higher_level"
    assert_alloc(r, {("A", 1, 2023, "new"): 5, ("b_liv", 1, 2023, "new"): 5, ("b_stk", 1, 2023, "stock"): 4,
                     ("c_prov", 1, 2023, "higher_level"): 3})
    objective_is(r, 11.9)


@pytest.mark.parametrize("exempt, approved", [(None, "L"), (["commerce"], "K")])
def test_exempt_categories_decide_who_gets_quota(tmp_path, exempt, approved):
    """County b is restricted (rate 0.10, π 0.5), county a is not. L (livelihood, 2 ha) and K (commerce,
    2 ha) in b; A (3 ha) in a. Quota ample, w = 1.
    Default exemptions: L gets new quota, 2·(1 − 0.5) = 1; K is rejected. Objective 3 + 1 = 4.
    exempt_categories [commerce]: K gets it instead, L is rejected. Objective 4."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县", **RATE)]
    projects = [project(project_id="A", area=3), project(project_id="L", county_id="b", area=2, category="民生"),
                project(project_id="K", county_id="b", area=2, category="commerce")]
    config = {} if exempt is None else {"linkage": {"exempt_categories": exempt}}
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 100, 2024: 100, 2025: 100}, scoring=FLAT, **config))
    rejected = "K" if approved == "L" else "L"
    assert status(r) == {"A": "approved", approved: "approved", rejected: "rejected"}
    assert_alloc(r, {("A", 1, 2023, "new"): 3, (approved, 1, 2023, "new"): 2})
    objective_is(r, 4.0)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("linkage, pattern", [
    ({"exempt_categories": ["factories"]}, r"linkage\.exempt_categories.*'factories' is not a category"),
    ({"exempt_categories": "livelihood"}, r"linkage\.exempt_categories.*must be a list of categories"),
    ({"restrict_below": 1.5}, r"linkage\.restrict_below.*must lie in \[0, 1\]"),
    ({"restrict_on_overplan": "maybe"}, r"linkage\.restrict_on_overplan.*must be true or false"),
])
def test_bad_restriction_settings(tmp_path, linkage, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, linkage=linkage))


@pytest.mark.parametrize("column, value, pattern", [
    ("category", "factory", r"projects\.csv, row P1, column category: 'factory' is not a category"),
    ("key_level", "county", r"projects\.csv, row P1, column key_level: 'county' is not a key level"),
])
def test_bad_project_fields_the_restriction_reads(tmp_path, column, value, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, projects=[project(**{column: value})]))
