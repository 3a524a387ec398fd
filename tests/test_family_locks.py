"""Locks (quota/model/families/locks.py): lock: in approves phase 1 within the horizon; lock: out excludes."""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, X, assert_alloc, assert_terms, build, cell_keys, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load


def write_build(tmp_path):
    projects = [project(project_id="A", lock="in"), project(project_id="B", lock="out"),
                project(project_id="H", lock="in", key_level="provincial"), project(project_id="C")]
    phases = [dict(project_id="A", plan="A", phase=1, area=10, farmland_area=0, earliest_year=2024),
              dict(project_id="A", plan="B", phase=1, area=5, farmland_area=0, earliest_year=2023),
              dict(project_id="A", plan="B", phase=2, area=5, farmland_area=0, earliest_year=2024)]
    return write_scenario(tmp_path, projects=projects, phases=phases)


# ------------------------------------------------------------------ build ----

def test_lock_in_row(tmp_path):
    m = build(write_build(tmp_path))
    assert keys(m, "lock_in") == ["A"]  # H is placed by the higher level: no row
    assert m.families["lock_in"].attrs["sense"] == "=="
    assert rhs(m, "lock_in") == {"A": 1.0}
    assert_terms(row(m, "lock_in", "A"), {X("A", 2024, 1, "A"): 1, X("A", 2025, 1, "A"): 1,
                                          X("A", 2023, 1, "B"): 1, X("A", 2024, 1, "B"): 1, X("A", 2025, 1, "B"): 1})


def test_lock_out_is_not_in_the_model(tmp_path):
    m = build(write_build(tmp_path))
    assert m.projects.at["B", "excluded"] and m.projects.at["B", "exclusion"] == "lock_out"
    assert {k[0] for k in cell_keys(m)} == {"A", "C"}


# ------------------------------------------------------------------ solve ----

def lock_scenario(tmp_path, lock_a="", lock_b=""):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="A", county_id="a", earliest_year=2025, key_level="city", lock=lock_a),
                project(project_id="B", county_id="b", earliest_year=2025, lock=lock_b)]
    return write_scenario(tmp_path, counties, projects, quota={2023: 0, 2024: 0, 2025: 10}, scoring=FLAT)


def test_without_locks_the_better_project_wins(tmp_path):
    """Only 2025 has quota (10 ha). A (county a, city key: w = 1.3) and B (county b, w = 1), 10 ha each.
    A wins: 13."""
    r = solve(lock_scenario(tmp_path))
    assert status(r) == {"A": "approved", "B": "rejected"}
    objective_is(r, 13.0)


def test_lock_in_forces_a_project(tmp_path):
    """B locked in takes the 10 ha: 10; A is rejected."""
    r = solve(lock_scenario(tmp_path, lock_b="in"))
    assert status(r) == {"A": "rejected", "B": "approved"}
    assert_alloc(r, {("B", 1, 2025, "new"): 10})
    objective_is(r, 10.0)


def test_lock_out_removes_a_project(tmp_path):
    """A locked out is excluded with its reason; B takes the quota: 10."""
    r = solve(lock_scenario(tmp_path, lock_a="OUT"))
    assert status(r) == {"A": "excluded", "B": "approved"}
    assert "locked out" in r.projects.at["A", "reason"]
    objective_is(r, 10.0)


# -------------------------------------------------------------- bad input ----

def test_lock_in_on_a_project_that_is_not_ready(tmp_path):
    with pytest.raises(ScenarioError, match=r"projects\.csv, row P1, column lock: is locked in but not ready"):
        load(write_scenario(tmp_path, projects=[project(lock="in", ready="false")]))


def test_lock_in_beyond_the_horizon(tmp_path):
    with pytest.raises(ScenarioError, match=r"row P1, column lock: is locked in but its first phase cannot start before 2026"):
        load(write_scenario(tmp_path, projects=[project(lock="in", earliest_year=2026)]))


def test_lock_in_on_a_project_excluded_through_a_dependency(tmp_path):
    projects = [project(project_id="P1", lock="in"), project(project_id="P2", ready="false")]
    with pytest.raises(ScenarioError, match=r"row P1, column lock: is locked in but excluded"):
        load(write_scenario(tmp_path, projects=projects, dependencies=[dict(project_id="P1", requires="P2")]))


def test_unknown_lock_value(tmp_path):
    with pytest.raises(ScenarioError, match=r"row P1, column lock: 'maybe' is not a lock"):
        load(write_scenario(tmp_path, projects=[project(lock="maybe")]))
