"""Farmland quota (quota/model/families/farmland.py): Σ (f/a)·(n + v) ≤ F_y when farmland_quota is given."""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, S, X, assert_alloc, assert_terms, build, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

FARM = {2023: 5, 2024: 6, 2025: 7}


def write_build(tmp_path, **config):
    projects = [project(project_id="A", urgent="true", stock_ok="true", farmland_area=4),
                project(project_id="B", area=5),
                project(project_id="P", farmland_area=3)]
    phases = [dict(project_id="P", plan="", phase=1, area=6, farmland_area=3, earliest_year=2023),
              dict(project_id="P", plan="", phase=2, area=4, farmland_area=0, earliest_year=2024)]
    return write_scenario(tmp_path, [county(usable_stock=5)], projects, phases, **config)


# ------------------------------------------------------------------ build ----

def test_farmland_rows(tmp_path):
    m = build(write_build(tmp_path, farmland_quota=FARM))
    assert keys(m, "farmland") == [2023, 2024, 2025]
    assert m.families["farmland"].attrs["sense"] == "<="
    assert rhs(m, "farmland") == {2023: 5.0, 2024: 6.0, 2025: 7.0}
    # (f/a)·(n + v) = 0.4·(10·x − s) for A: the advance v is charged in the year it is drawn, so it
    # cancels against the −v inside n; B and P's phase 2 have no farmland.
    assert_terms(row(m, "farmland", 2023), {X("A", 2023): 4, S("A", 2023): -0.4, X("P", 2023): 3})
    assert_terms(row(m, "farmland", 2024), {X("A", 2024): 4, S("A", 2024): -0.4, X("P", 2024): 3})
    assert_terms(row(m, "farmland", 2025), {X("A", 2025): 4, S("A", 2025): -0.4, X("P", 2025): 3})


def test_no_farmland_rows_without_farmland_quota(tmp_path):
    m = build(write_build(tmp_path))
    assert keys(m, "farmland") == []


# ------------------------------------------------------------------ solve ----

def farm_scenario(tmp_path, farmland_quota, a_stock_ok="false", usable=0):
    counties = [county(county_id="a", usable_stock=usable), county(county_id="b", name="乙县")]
    projects = [project(project_id="A", county_id="a", farmland_area=4, stock_ok=a_stock_ok),
                project(project_id="B", county_id="b", farmland_area=4, key_level="city"),
                project(project_id="C", county_id="a")]
    return write_scenario(tmp_path, counties, projects, quota={2023: 100, 2024: 100, 2025: 100},
                          farmland_quota=farmland_quota, scoring=FLAT)


def test_farmland_quota_binds(tmp_path):
    """Quota is ample (100 a year); F = 5 / 5 / 0. A (county a) and B (county b) are 10 ha with 4 ha
    farmland each; C (county a) 10 ha with none. w_A = w_C = 1, w_B = 1.3 (city key).
    A and B cannot share a year (8 > 5), 2025 takes no farmland:
      B 2023 + A 2024: 13 + 9 = 22;  A 2023 + B 2024: 10 + 11.7 = 21.7.  C in 2023: 10.  Objective 32."""
    r = solve(farm_scenario(tmp_path, {2023: 5, 2024: 5, 2025: 0}))
    assert_alloc(r, {("B", 1, 2023, "new"): 10, ("A", 1, 2024, "new"): 10, ("C", 1, 2023, "new"): 10})
    objective_is(r, 32.0)


def test_stock_takes_no_new_farmland(tmp_path):
    """F = 6 / 0 / 0; A may draw county a's 5 ha of stock. B (farmland 4) in 2023 leaves 2 ha of
    farmland quota; A is charged 0.4 per ha of new quota, so n_A ≤ 5 and s_A = 5 covers the rest.
    Objective: B 13 + A 10 + γ·5 = 0.5 + C 10 = 33.5."""
    r = solve(farm_scenario(tmp_path, {2023: 6, 2024: 0, 2025: 0}, a_stock_ok="true", usable=5))
    assert_alloc(r, {("B", 1, 2023, "new"): 10, ("A", 1, 2023, "new"): 5, ("A", 1, 2023, "stock"): 5,
                     ("C", 1, 2023, "new"): 10})
    objective_is(r, 33.5)


def test_advance_counts_in_the_farmland_quota_of_the_year_drawn(tmp_path):
    """Q = 0 / 20 / 0; F = 10 / 0 / 0; w = 1, cost 0.05.
    U (urgent, county a, 10 ha all farmland) draws v = 10 in 2023 (cap 0.5·20): its 10 ha of farmland
    count in 2023 (F_2023 = 10), not in 2024 (F_2024 = 0): value 10 − 0.5 = 9.5. N (county b, 10 ha,
    no farmland, from 2024) takes the rest of 2024 after repayment: 10. Objective 19.5."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="U", county_id="a", urgent="true", farmland_area=10),
                project(project_id="N", county_id="b", earliest_year=2024)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 0, 2024: 20, 2025: 0},
                             farmland_quota={2023: 10, 2024: 0, 2025: 0}, scoring=FLAT))
    assert_alloc(r, {("U", 1, 2023, "advance"): 10, ("N", 1, 2024, "new"): 10})
    assert status(r) == {"U": "approved", "N": "approved"}
    objective_is(r, 19.5)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("farmland_quota, pattern", [
    ({2023: 5, 2024: 5}, r"farmland_quota\.2025.*has no value for 2025"),
    ({2023: 5, 2024: -1, 2025: 5}, r"farmland_quota\.2024.*must be a non-negative area, not -1"),
])
def test_bad_farmland_quota(tmp_path, farmland_quota, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, farmland_quota=farmland_quota))


def test_project_farmland_larger_than_its_area(tmp_path):
    with pytest.raises(ScenarioError, match=r"projects\.csv, row P1, column farmland_area: farmland 12 ha is larger than the project's area 10 ha"):
        load(write_scenario(tmp_path, projects=[project(farmland_area=12)]))


def test_phase_farmland_larger_than_its_area(tmp_path):
    phases = [dict(project_id="P1", plan="", phase=1, area=5, farmland_area=6, earliest_year=2023),
              dict(project_id="P1", plan="", phase=2, area=5, farmland_area=0, earliest_year=2024)]
    with pytest.raises(ScenarioError, match=r"phases\.csv, row P1/-/1, column farmland_area: phase farmland 6 ha exceeds the phase area 5 ha"):
        load(write_scenario(tmp_path, phases=phases))


def test_negative_farmland_area(tmp_path):
    with pytest.raises(ScenarioError, match=r"row P1, column farmland_area: -1 is negative"):
        load(write_scenario(tmp_path, projects=[project(farmland_area=-1)]))
