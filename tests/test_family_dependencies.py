"""Dependencies (quota/model/families/dependencies.py, quota/input/eligibility.py).

p requires q: Σ_{y'≤y} x_p1y' ≤ Σ_{y'≤y} x_q1y' for every y — the same year is allowed; a higher-level q
counts from its first phase's year; a dependency on an excluded project excludes p (transitively,
naming the project), while an eligible but unapproved q makes p rejected.
"""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, X, assert_alloc, assert_terms, build, cell_keys, first_year, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load


def dep(p, q):
    return dict(project_id=p, requires=q)


def write_build(tmp_path):
    projects = [project(project_id="P"), project(project_id="Q"),
                project(project_id="P2"), project(project_id="H", key_level="provincial", earliest_year=2024),
                project(project_id="P3"), project(project_id="H0", key_level="national"),
                project(project_id="MP")]
    phases = [dict(project_id="MP", plan="A", phase=1, area=10, farmland_area=0, earliest_year=2023),
              dict(project_id="MP", plan="B", phase=1, area=4, farmland_area=0, earliest_year=2024),
              dict(project_id="MP", plan="B", phase=2, area=6, farmland_area=0, earliest_year=2024)]
    deps = [dep("P", "Q"), dep("P2", "H"), dep("P3", "H0"), dep("MP", "Q")]
    return write_scenario(tmp_path, projects=projects, phases=phases, dependencies=deps)


# ------------------------------------------------------------------ build ----

def test_dependency_rows_are_cumulative_and_allow_the_same_year(tmp_path):
    m = build(write_build(tmp_path))
    assert set(keys(m, "dependency")) == {("P", "Q", y) for y in (2023, 2024, 2025)} | {("P2", "H", 2023)} \
        | {("MP", "Q", y) for y in (2023, 2024, 2025)}
    assert m.families["dependency"].attrs["sense"] == "<="
    assert set(rhs(m, "dependency").values()) == {0.0}
    assert_terms(row(m, "dependency", ("P", "Q", 2023)), {X("P", 2023): 1, X("Q", 2023): -1})
    assert_terms(row(m, "dependency", ("P", "Q", 2025)), {**{X("P", y): 1 for y in (2023, 2024, 2025)},
                                                         **{X("Q", y): -1 for y in (2023, 2024, 2025)}})


def test_dependency_on_a_higher_level_project_counts_from_its_year(tmp_path):
    m = build(write_build(tmp_path))
    # H is placed in 2024: P2 may not start before, so only 2023 has a row, x_P2,2023 ≤ 0
    assert_terms(row(m, "dependency", ("P2", "H", 2023)), {X("P2", 2023): 1})
    # H0 is placed in 2023, the first year: always met, no row
    assert not any(k[0] == "P3" for k in keys(m, "dependency"))
    assert not any(k[0] in ("H", "H0") for k in cell_keys(m))


def test_dependency_covers_phase_one_of_every_plan(tmp_path):
    m = build(write_build(tmp_path))
    assert_terms(row(m, "dependency", ("MP", "Q", 2024)),
                 {X("MP", 2023, 1, "A"): 1, X("MP", 2024, 1, "A"): 1, X("MP", 2024, 1, "B"): 1,
                  X("Q", 2023): -1, X("Q", 2024): -1})


# ------------------------------------------------------------------ solve ----

def two_counties(tmp_path, projects, deps, quota):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    return write_scenario(tmp_path, counties, projects, dependencies=deps, quota=quota, scoring=FLAT)


def test_same_year_is_allowed(tmp_path):
    """Q = 10 a year, w = 1. P (county a, 5 ha) requires Q (county b, 5 ha); both fit in 2023: 10."""
    r = solve(two_counties(tmp_path, [project(project_id="P", area=5), project(project_id="Q", county_id="b", area=5)],
                           [dep("P", "Q")], {2023: 10, 2024: 10, 2025: 10}))
    assert first_year(r, "P") == first_year(r, "Q") == 2023
    objective_is(r, 10.0)


def test_dependency_orders_the_projects(tmp_path):
    """Q = 5 / 5 / 0. P (county a, 5 ha, city key: w = 1.3) requires Q (county b, 5 ha, w = 1).
    Free order would put P first: 6.5 + 0.9·5 = 11. P may not precede Q:
    Q 2023 + P 2024 = 5 + 0.9·6.5 = 10.85."""
    r = solve(two_counties(tmp_path, [project(project_id="P", area=5, key_level="city"),
                                      project(project_id="Q", county_id="b", area=5)],
                           [dep("P", "Q")], {2023: 5, 2024: 5, 2025: 0}))
    assert_alloc(r, {("Q", 1, 2023, "new"): 5, ("P", 1, 2024, "new"): 5})
    assert status(r) == {"P": "deferred", "Q": "approved"}
    objective_is(r, 10.85)


def test_higher_level_requirement_is_met_at_its_year(tmp_path):
    """H (county b, provincial, 20 ha from 2024) is placed by the higher level in 2024 and charges no
    city quota. P (county a, 10 ha from 2023) requires H, so it waits for 2024: 0.9·10 = 9."""
    r = solve(two_counties(tmp_path, [project(project_id="P"),
                                      project(project_id="H", county_id="b", area=20, key_level="provincial", earliest_year=2024)],
                           [dep("P", "H")], {2023: 10, 2024: 10, 2025: 10}))
    assert_alloc(r, {("P", 1, 2024, "new"): 10, ("H", 1, 2024, "higher_level"): 20})
    assert status(r) == {"P": "deferred", "H": "higher_level"}
    objective_is(r, 9.0)


def test_exclusion_propagates_transitively_and_names_the_project(tmp_path):
    """A requires B requires C, and C is not ready: all three are excluded, and A's and B's reasons name C.
    E requires D, which is locked out: E is excluded naming D. F is free: 10."""
    projects = [project(project_id="A"), project(project_id="B"), project(project_id="C", ready="false"),
                project(project_id="D", county_id="b", lock="out"), project(project_id="E", county_id="b"),
                project(project_id="F", county_id="b")]
    r = solve(two_counties(tmp_path, projects, [dep("A", "B"), dep("B", "C"), dep("E", "D")], {2023: 100, 2024: 100, 2025: 100}))
    st = status(r)
    assert st == {"A": "excluded", "B": "excluded", "C": "excluded", "D": "excluded", "E": "excluded", "F": "approved"}
    p = r.projects
    assert p.loc[["A", "B", "C", "D", "E"], "exclusion"].tolist() == ["dependency", "dependency", "not_ready", "lock_out", "dependency"]
    assert p.loc[["A", "B", "E"], "exclusion_via"].tolist() == ["C", "C", "D"]
    assert "requires C" in p.at["A", "reason"] and "excluded" in p.at["A", "reason"]
    assert "requires C" in p.at["B", "reason"]
    assert "requires D" in p.at["E", "reason"]
    assert not ({"A", "B", "C", "D", "E"} & set(r.model.cells["project_id"]))
    objective_is(r, 10.0)


def test_requirement_eligible_but_not_approved_rejects(tmp_path):
    """Q (county b, 20 ha) never fits in a year's 10 ha, so it is rejected; P (county a, 5 ha) requires Q
    and is rejected too — not excluded, since Q was eligible. Z (county b, 5 ha): 5."""
    projects = [project(project_id="P", area=5), project(project_id="Q", county_id="b", area=20),
                project(project_id="Z", county_id="b", area=5)]
    r = solve(two_counties(tmp_path, projects, [dep("P", "Q")], {2023: 10, 2024: 10, 2025: 10}))
    assert status(r) == {"P": "rejected", "Q": "rejected", "Z": "approved"}
    assert "requires Q" in r.projects.at["P", "reason"]
    objective_is(r, 5.0)


def test_requirement_placed_by_the_higher_level_after_the_horizon(tmp_path):
    """H (provincial) starts in 2026, after the horizon, so it is not placed within it; P requires H and
    can never be approved, however much quota there is: rejected, and its reason names H."""
    projects = [project(project_id="P"), project(project_id="H", county_id="b", key_level="provincial", earliest_year=2026),
                project(project_id="Z", county_id="b", area=5)]
    r = solve(two_counties(tmp_path, projects, [dep("P", "H")], {2023: 100, 2024: 100, 2025: 100}))
    assert status(r) == {"P": "rejected", "H": "higher_level", "Z": "approved"}
    assert "H" not in set(r.allocations["project_id"])
    assert "requires H" in r.projects.at["P", "reason"]
    objective_is(r, 5.0)


# -------------------------------------------------------------- bad input ----

def test_cycle_is_an_error_that_names_the_cycle(tmp_path):
    projects = [project(project_id="P1"), project(project_id="P2"), project(project_id="P3")]
    deps = [dep("P1", "P2"), dep("P2", "P3"), dep("P3", "P1")]
    with pytest.raises(ScenarioError, match=r"dependencies\.csv.*cycle: P\d → P\d → P\d → P\d") as info:
        load(write_scenario(tmp_path, projects=projects, dependencies=deps))
    text = str(info.value)
    assert all(p in text for p in ("P1", "P2", "P3"))


def test_two_project_cycle(tmp_path):
    projects = [project(project_id="P1"), project(project_id="P2")]
    with pytest.raises(ScenarioError, match=r"cycle: (P1 → P2 → P1|P2 → P1 → P2)"):
        load(write_scenario(tmp_path, projects=projects, dependencies=[dep("P1", "P2"), dep("P2", "P1")]))


def test_self_dependency(tmp_path):
    with pytest.raises(ScenarioError, match=r"dependencies\.csv, row P1→P1, column requires: P1 requires itself"):
        load(write_scenario(tmp_path, dependencies=[dep("P1", "P1")]))


def test_unknown_project_in_dependencies(tmp_path):
    with pytest.raises(ScenarioError, match=r"dependencies\.csv, row P1→P9, column requires: 'P9' is not in the projects table"):
        load(write_scenario(tmp_path, dependencies=[dep("P1", "P9")]))
