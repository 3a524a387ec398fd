"""Approval family (quota/model/families/approval.py): phases whole, once, in order with a gap; one plan; commitment."""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, X, assert_alloc, assert_terms, build, cell_keys, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load


def phase(pid, plan, k, area, e, farmland=0):
    return dict(project_id=pid, plan=plan, phase=k, area=area, farmland_area=farmland, earliest_year=e)


P7_PHASES = [phase("P7", "A", 1, 15, 2023), phase("P7", "A", 2, 15, 2024),
             phase("P7", "B", 1, 10, 2023), phase("P7", "B", 2, 10, 2024), phase("P7", "B", 3, 10, 2024),
             phase("P2", "", 1, 5, 2024), phase("P2", "", 2, 5, 2026)]


def write_build(tmp_path, **config):
    projects = [project(project_id="P7", area=30), project(project_id="P1", area=10, earliest_year=2024),
                project(project_id="P2", area=10, earliest_year=2024)]
    return write_scenario(tmp_path, projects=projects, phases=P7_PHASES, **config)


# ------------------------------------------------------------------ build ----

def test_cells_start_at_earliest_year_and_respect_the_gap(tmp_path):
    m = build(write_build(tmp_path))
    assert cell_keys(m) == {
        ("P1", "", 1, 2024), ("P1", "", 1, 2025),
        ("P2", "", 1, 2024), ("P2", "", 1, 2025),  # phase 2 (earliest 2026) has no cell at all
        ("P7", "A", 1, 2023), ("P7", "A", 1, 2024), ("P7", "A", 1, 2025),
        ("P7", "A", 2, 2024), ("P7", "A", 2, 2025),
        ("P7", "B", 1, 2023), ("P7", "B", 1, 2024), ("P7", "B", 1, 2025),
        ("P7", "B", 2, 2024), ("P7", "B", 2, 2025),
        ("P7", "B", 3, 2025),  # earliest 2024, but phase 2 comes in 2024 at the soonest, + gap 1
    }


def test_plan_choice_rows(tmp_path):
    m = build(write_build(tmp_path))
    assert sorted(keys(m, "plan_choice")) == ["P1", "P2", "P7"]
    assert m.families["plan_choice"].attrs["sense"] == "<="
    assert rhs(m, "plan_choice") == {"P1": 1.0, "P2": 1.0, "P7": 1.0}
    assert_terms(row(m, "plan_choice", "P7"), {X("P7", y, 1, pl): 1.0 for pl in "AB" for y in (2023, 2024, 2025)})
    assert_terms(row(m, "plan_choice", "P1"), {X("P1", 2024): 1.0, X("P1", 2025): 1.0})


def test_phase_order_rows_cumulative_with_gap(tmp_path):
    m = build(write_build(tmp_path))
    assert set(keys(m, "phase_order")) == {("P7", "A", 2, 2024), ("P7", "A", 2, 2025), ("P7", "B", 2, 2024),
                                           ("P7", "B", 2, 2025), ("P7", "B", 3, 2025)}
    assert m.families["phase_order"].attrs["sense"] == "<="
    assert set(rhs(m, "phase_order").values()) == {0.0}
    assert_terms(row(m, "phase_order", ("P7", "A", 2, 2024)), {X("P7", 2024, 2, "A"): 1, X("P7", 2023, 1, "A"): -1})
    assert_terms(row(m, "phase_order", ("P7", "A", 2, 2025)),
                 {X("P7", 2024, 2, "A"): 1, X("P7", 2025, 2, "A"): 1, X("P7", 2023, 1, "A"): -1, X("P7", 2024, 1, "A"): -1})
    assert_terms(row(m, "phase_order", ("P7", "B", 3, 2025)), {X("P7", 2025, 3, "B"): 1, X("P7", 2024, 2, "B"): -1})


def test_phase_order_with_gap_zero_allows_the_same_year(tmp_path):
    m = build(write_build(tmp_path, phasing={"min_gap": 0}))
    assert ("P7", "B", 3, 2024) in cell_keys(m)
    assert_terms(row(m, "phase_order", ("P7", "A", 2, 2024)),
                 {X("P7", 2024, 2, "A"): 1, X("P7", 2023, 1, "A"): -1, X("P7", 2024, 1, "A"): -1})


def test_commitment_rows_commit_all(tmp_path):
    m = build(write_build(tmp_path))
    # P2's phase 2 starts in 2026, after the horizon: not committed
    assert set(keys(m, "commitment")) == {("P7", "A", 2), ("P7", "B", 2), ("P7", "B", 3)}
    assert m.families["commitment"].attrs["sense"] == ">="
    assert set(rhs(m, "commitment").values()) == {0.0}
    ones = {X("P7", y, 1, "B"): -1.0 for y in (2023, 2024, 2025)}
    assert_terms(row(m, "commitment", ("P7", "B", 3)), {X("P7", 2025, 3, "B"): 1.0, **ones})
    assert_terms(row(m, "commitment", ("P7", "A", 2)),
                 {X("P7", 2024, 2, "A"): 1.0, X("P7", 2025, 2, "A"): 1.0, **{X("P7", y, 1, "A"): -1.0 for y in (2023, 2024, 2025)}})


def test_commitment_to_an_unreachable_phase_forbids_its_plan(tmp_path):
    """min_gap 2: plan B's phase 3 (earliest 2024, within the horizon) can never be reached, so its
    commitment row keeps only −x of phase 1: plan B cannot be started at all."""
    m = build(write_build(tmp_path, phasing={"min_gap": 2}))
    assert not any(k[:3] == ("P7", "B", 3) for k in cell_keys(m))
    assert_terms(row(m, "commitment", ("P7", "B", 3)), {X("P7", y, 1, "B"): -1.0 for y in (2023, 2024, 2025)})


def test_commit_first_has_no_commitment_rows(tmp_path):
    m = build(write_build(tmp_path, phasing={"commit": "first"}))
    assert keys(m, "commitment") == []
    assert len(keys(m, "phase_order")) == 5


# ------------------------------------------------------------------ solve ----

def two_phase_scenario(tmp_path, gap):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P", county_id="a", area=12), project(project_id="Z", county_id="b", area=4, earliest_year=2024)]
    phases = [phase("P", "", 1, 6, 2023), phase("P", "", 2, 6, 2023)]
    return write_scenario(tmp_path, counties, projects, phases, quota={2023: 12, 2024: 5, 2025: 12},
                          phasing={"min_gap": gap}, scoring=FLAT)


def test_phases_whole_and_in_order_gap_zero(tmp_path):
    """w = 1 for all (FLAT scoring), δ = 0.9, Q = 12 / 5 / 12.

    P has two phases of 6 ha, both earliest 2023; Z (county b) 4 ha from 2024.
    With min_gap 0 both phases fit in 2023 (12 ≤ 12): 6 + 6 = 12; Z in 2024: 4. Objective 16.
    """
    r = solve(two_phase_scenario(tmp_path, 0))
    assert_alloc(r, {("P", 1, 2023, "new"): 6, ("P", 2, 2023, "new"): 6, ("Z", 1, 2024, "new"): 4})
    objective_is(r, 16.0)


def test_phases_whole_and_in_order_gap_one(tmp_path):
    """As above with min_gap 1: phase 2 cannot share 2023 with phase 1; 2024 has 5 < 6 ha left
    (a phase is approved whole, never split 5 + 1), so phase 2 goes to 2025: 6·0.9² = 4.86.
    Z takes 2024: 4. Objective 6 + 4.86 + 4 = 14.86; P is approved (phase 1 at its earliest year)."""
    r = solve(two_phase_scenario(tmp_path, 1))
    assert_alloc(r, {("P", 1, 2023, "new"): 6, ("P", 2, 2025, "new"): 6, ("Z", 1, 2024, "new"): 4})
    objective_is(r, 14.86)
    assert status(r)["P"] == "approved"


def commit_scenario(tmp_path, commit):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P", county_id="a", area=20),
                project(project_id="Q", county_id="b", area=10, earliest_year=2024, key_level="city")]
    phases = [phase("P", "", 1, 10, 2023), phase("P", "", 2, 10, 2024)]
    return write_scenario(tmp_path, counties, projects, phases, quota={2023: 10, 2024: 10, 2025: 0},
                          phasing={"commit": commit}, scoring=FLAT)


def test_commit_all_binds_the_later_phase(tmp_path):
    """w_P = 1, w_Q = 1 + 0.3 (city key bonus) = 1.3. Q = 10 / 10 / 0.

    P: phase 1 10 ha (2023), phase 2 10 ha (2024). Q: 10 ha from 2024.
    commit: all — starting P commits phase 2, which only 2024 can take (2025 has no quota):
      P1 2023 + P2 2024 = 10 + 10 = 20 (Q has no room)   vs   Q 2024 alone = 13.  → 20.
    """
    r = solve(commit_scenario(tmp_path, "all"))
    assert_alloc(r, {("P", 1, 2023, "new"): 10, ("P", 2, 2024, "new"): 10})
    assert status(r) == {"P": "approved", "Q": "rejected"}
    objective_is(r, 20.0)


def test_commit_first_leaves_the_later_phase_open(tmp_path):
    """Same data, commit: first — phase 1 alone may be approved:
      P1 2023 + Q 2024 = 10 + 13 = 23 > 20 (P1 + P2).  P is partial, Q approved."""
    r = solve(commit_scenario(tmp_path, "first"))
    assert_alloc(r, {("P", 1, 2023, "new"): 10, ("Q", 1, 2024, "new"): 10})
    assert status(r) == {"P": "partial", "Q": "approved"}
    objective_is(r, 23.0)


def late_commit_scenario(tmp_path, commit):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P", county_id="a", area=20, earliest_year=2024),
                project(project_id="Q", county_id="b", area=10, earliest_year=2024, key_level="city")]
    phases = [phase("P", "", 1, 10, 2024), phase("P", "", 2, 10, 2024)]
    return write_scenario(tmp_path, counties, projects, phases, quota={2023: 0, 2024: 10, 2025: 10},
                          phasing={"commit": commit}, scoring=FLAT)


def test_commit_all_binds_a_phase_whose_earliest_year_fits_even_if_the_gap_pushes_it_out(tmp_path):
    """Q = 0 / 10 / 10; w_P = 1, w_Q = 1.3; P phases 10 + 10 ha, both earliest 2024, gap 1.

    Phase 2's earliest year (2024) is within the horizon, so with commit: all it is committed.
    Starting P in 2025 would push phase 2 to 2026: not allowed. Candidates:
      P1 2024 + P2 2025 = 10 + 10·0.9 = 19;  Q 2024 alone = 13;  Q 2024 + P1 2025: infeasible.  → 19.
    """
    r = solve(late_commit_scenario(tmp_path, "all"))
    assert_alloc(r, {("P", 1, 2024, "new"): 10, ("P", 2, 2025, "new"): 10})
    assert status(r) == {"P": "approved", "Q": "rejected"}
    objective_is(r, 19.0)


def test_commit_first_lets_phase_one_start_late(tmp_path):
    """Same data, commit: first: Q 2024 + P1 2025 = 13 + 9 = 22 beats P1 2024 + Q 2025 = 10 + 11.7
    = 21.7 and P1 + P2 = 19. P is partial (phase 1 a year late, phase 2 never)."""
    r = solve(late_commit_scenario(tmp_path, "first"))
    assert_alloc(r, {("Q", 1, 2024, "new"): 10, ("P", 1, 2025, "new"): 10})
    assert status(r) == {"P": "partial", "Q": "approved"}
    objective_is(r, 22.0)


def plan_scenario(tmp_path, q):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P", county_id="a", area=20),
                project(project_id="Z", county_id="b", area=5, earliest_year=2025)]
    phases = [phase("P", "A", 1, 20, 2023), phase("P", "B", 1, 10, 2023), phase("P", "B", 2, 10, 2023)]
    return write_scenario(tmp_path, counties, projects, phases, quota={2023: q, 2024: q, 2025: q}, scoring=FLAT)


def test_plan_choice_takes_the_phased_plan_when_the_whole_does_not_fit(tmp_path):
    """Q = 10 a year; w = 1. Plan A (20 ha at once) never fits. Plan B: 10 ha in 2023, then 10 ha in
    2024 (gap 1): 10 + 10·0.9 = 19. Z (county b, 5 ha from 2025) in 2025: 5. Objective 24."""
    r = solve(plan_scenario(tmp_path, 10))
    assert r.projects.at["P", "plan"] == "B"
    assert_alloc(r, {("P", 1, 2023, "new"): 10, ("P", 2, 2024, "new"): 10, ("Z", 1, 2025, "new"): 5})
    objective_is(r, 24.0)


def test_plan_choice_at_most_one_plan(tmp_path):
    """Q = 25 a year. Plan A in 2023: 20; Z 2025: 5 → 25, better than plan B (19 + 5 = 24).
    Taking plan B on top of plan A (quota allows it) is forbidden: only plan A's phase is allocated."""
    r = solve(plan_scenario(tmp_path, 25))
    assert r.projects.at["P", "plan"] == "A"
    assert set(r.allocations.loc[r.allocations["project_id"] == "P", "plan"]) == {"A"}
    assert_alloc(r, {("P", 1, 2023, "new"): 20, ("Z", 1, 2025, "new"): 5})
    objective_is(r, 25.0)


def test_phase_beyond_the_horizon_is_not_committed(tmp_path):
    """P: phase 1 10 ha from 2024, phase 2 10 ha from 2026 (after 2025). commit: all does not bind
    phase 2, so phase 1 is approved in 2024: 10 (w = 1); Z (county b) 5 ha in 2025: 5. Objective 15.
    P is partial: one of its two phases is approved within the horizon."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="P", county_id="a", area=20, earliest_year=2024),
                project(project_id="Z", county_id="b", area=5, earliest_year=2025)]
    phases = [phase("P", "", 1, 10, 2024), phase("P", "", 2, 10, 2026)]
    r = solve(write_scenario(tmp_path, counties, projects, phases, quota={2023: 10, 2024: 10, 2025: 10}, scoring=FLAT))
    assert_alloc(r, {("P", 1, 2024, "new"): 10, ("Z", 1, 2025, "new"): 5})
    assert status(r)["P"] == "partial"
    assert r.projects.at["P", "phases_approved"] == 1 and r.projects.at["P", "phases_total"] == 2
    objective_is(r, 15.0)


# -------------------------------------------------------------- bad input ----

def test_phases_not_adding_up_to_the_area(tmp_path):
    phases = [phase("P7", "A", 1, 15, 2023), phase("P7", "A", 2, 10, 2024)]
    with pytest.raises(ScenarioError, match=r"phases\.csv, row P7/A, column area: the phase areas add up to 25 ha but the project's area is 30 ha"):
        load(write_scenario(tmp_path, projects=[project(project_id="P7", area=30)], phases=phases))


def test_phases_numbered_with_a_gap(tmp_path):
    phases = [phase("P7", "A", 1, 15, 2023), phase("P7", "A", 3, 15, 2024)]
    with pytest.raises(ScenarioError, match=r"row P7/A, column phase: the phases are numbered \[1, 3\]"):
        load(write_scenario(tmp_path, projects=[project(project_id="P7", area=30)], phases=phases))


def test_phase_one_before_the_project(tmp_path):
    phases = [phase("P7", "A", 1, 15, 2022), phase("P7", "A", 2, 15, 2024)]
    with pytest.raises(ScenarioError, match=r"row P7/A/1, column earliest_year: phase 1 may start in 2022, before the project's earliest year 2023"):
        load(write_scenario(tmp_path, projects=[project(project_id="P7", area=30)], phases=phases))


def test_phase_of_an_unknown_project(tmp_path):
    phases = [phase("P9", "", 1, 10, 2023)]
    with pytest.raises(ScenarioError, match=r"phases\.csv, row P9/-/1, column project_id: 'P9' is not in the projects table"):
        load(write_scenario(tmp_path, phases=phases))


def test_duplicate_phase_row(tmp_path):
    phases = [phase("P7", "A", 1, 15, 2023), phase("P7", "A", 1, 15, 2023)]
    with pytest.raises(ScenarioError, match=r"row P7/A/1, column phase: this project, plan and phase appear more than once"):
        load(write_scenario(tmp_path, projects=[project(project_id="P7", area=30)], phases=phases))


@pytest.mark.parametrize("phasing, pattern", [
    ({"commit": "some"}, r"phasing\.commit.*must be one of all, first; it is 'some'"),
    ({"min_gap": -1}, r"phasing\.min_gap.*must lie in \[0, "),
    ({"min_gap": 1.5}, r"phasing\.min_gap.*must be a whole number"),
])
def test_bad_phasing_settings(tmp_path, phasing, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, phasing=phasing))


def test_problems_are_all_reported_together(tmp_path):
    phases = [phase("P7", "A", 1, 15, 2022), phase("P7", "A", 2, 10, 2024)]
    with pytest.raises(ScenarioError) as info:
        load(write_scenario(tmp_path, projects=[project(project_id="P7", area=30)], phases=phases, phasing={"commit": "x"}))
    assert {i.code for i in info.value.issues} >= {"phase-sum", "phase-before-project", "yaml-value"}


def test_tiny_fixture_phasing(tiny):
    """tests/fixtures/tiny: P7 has plan A (15 + 15 ha, from 2023 / 2024) and plan B (3 × 10 ha, from
    2023 / 2024 / 2025)."""
    m = build(tiny)
    p7 = {k for k in cell_keys(m) if k[0] == "P7"}
    assert p7 == {("P7", "A", 1, y) for y in (2023, 2024, 2025)} | {("P7", "A", 2, y) for y in (2024, 2025)} \
        | {("P7", "B", 1, y) for y in (2023, 2024, 2025)} | {("P7", "B", 2, y) for y in (2024, 2025)} | {("P7", "B", 3, 2025)}
    assert set(keys(m, "commitment")) == {("P7", "A", 2), ("P7", "B", 2), ("P7", "B", 3)}
    assert_terms(row(m, "phase_order", ("P7", "B", 3, 2025)), {X("P7", 2025, 3, "B"): 1, X("P7", 2024, 2, "B"): -1})
    # P8 (not ready) and P9 (provincial, placed by the higher level) have no decisions
    assert not {"P8", "P9"} & {k[0] for k in cell_keys(m)}
