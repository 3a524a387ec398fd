"""County caps (quota/model/families/county_caps.py).

n + v in county c and year y ≤ max(0, m_c·cap_base_c − overplan_c) in the first year, m_c·cap_base_c after;
m_c = 1.1 when both disposal tasks are met, else 0.8. Stock is not counted.
"""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, S, X, assert_alloc, assert_terms, build, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

# tasks not met (unsupplied 20 of 30 disposed), yet disposal rate 0.2 ≥ 0.15: not restricted; shortfall 1/3
SHORT = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=30, idle_task=0, unsupplied_disposed=20, idle_disposed=0)
NO_OVERPLAN_RESTRICTION = {"restrict_on_overplan": False}


def write_build(tmp_path):
    counties = [county(county_id="a", cap_base=20, overplan=5, usable_stock=5),
                county(county_id="b", name="乙县", cap_base=20, overplan=30, **SHORT),
                county(county_id="c", name="丙县")]
    projects = [project(project_id="A", county_id="a", urgent="true", stock_ok="true"),
                project(project_id="B", county_id="b"),
                project(project_id="C", county_id="c")]
    return write_scenario(tmp_path, counties, projects, linkage=NO_OVERPLAN_RESTRICTION)


# ------------------------------------------------------------------ build ----

def test_county_cap_rows_and_right_hand_sides(tmp_path):
    m = build(write_build(tmp_path))
    # county c has no cap_base: no rows
    assert set(keys(m, "county_cap")) == {(c, y) for c in "ab" for y in (2023, 2024, 2025)}
    assert m.families["county_cap"].attrs["sense"] == "<="
    assert rhs(m, "county_cap") == pytest.approx({
        ("a", 2023): 1.1 * 20 - 5, ("a", 2024): 22.0, ("a", 2025): 22.0,   # ×1.1, over-plan deducted in the first year only
        ("b", 2023): 0.0, ("b", 2024): 16.0, ("b", 2025): 16.0,            # ×0.8; 16 − 30 < 0 → 0
    })


def test_county_cap_rows_count_new_plus_advance_not_stock(tmp_path):
    m = build(write_build(tmp_path))
    # n + v = (10·x − v − s) + v = 10·x − s: the advance is counted once, stock not at all
    assert_terms(row(m, "county_cap", ("a", 2023)), {X("A", 2023): 10, S("A", 2023): -1})
    assert_terms(row(m, "county_cap", ("a", 2025)), {X("A", 2025): 10, S("A", 2025): -1})
    assert_terms(row(m, "county_cap", ("b", 2023)), {X("B", 2023): 10})


# ------------------------------------------------------------------ solve ----

def test_caps_with_bonus_cut_and_first_year_deduction(tmp_path):
    """Quota ample (100 a year), w = 1, δ = 0.9.

    County a: tasks met → m = 1.1, cap_base 10 → 11; overplan 4 → 2023 cap max(0, 11 − 4) = 7 (later 11).
      A 7 ha, B 4 ha (from 2023), C 11 ha (from 2024).
      A 2023, C 2024, B 2025: 7 + 11 + 4·0.81 = 21.24   (B 2023, C 2024, A 2025: 20.67;
      A 2023, B 2024, C 2025: 20.5). Without the deduction A and B would share 2023; without the
      bonus C (11 ha) would never fit under 10.
    County b: unsupplied 20 of task 30 → m = 0.8, cap_base 10 → 8; shortfall 1/3, π = 1/3.
      D 8 ha, E 2 ha (from 2023): D + E = 10 > 8.
      D 2023 + E 2024: 8·(1 − 1/3) + 2·(0.9 − 1/3) = 5.3333 + 1.1333 = 6.4667  (E first: 5.8667).
    Objective 21.24 + 6.46667 = 27.70667.
    """
    counties = [county(county_id="a", cap_base=10, overplan=4), county(county_id="b", name="乙县", cap_base=10, **SHORT)]
    projects = [project(project_id="A", county_id="a", area=7), project(project_id="B", county_id="a", area=4),
                project(project_id="C", county_id="a", area=11, earliest_year=2024),
                project(project_id="D", county_id="b", area=8), project(project_id="E", county_id="b", area=2)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 100, 2024: 100, 2025: 100}, scoring=FLAT,
                             linkage=NO_OVERPLAN_RESTRICTION))
    assert r.counties.loc["a", ["cap_multiplier", "cap_first_year", "cap_later_years"]].tolist() == pytest.approx([1.1, 7, 11])
    assert r.counties.loc["b", ["cap_multiplier", "cap_first_year", "cap_later_years"]].tolist() == pytest.approx([0.8, 8, 8])
    assert_alloc(r, {("A", 1, 2023, "new"): 7, ("C", 1, 2024, "new"): 11, ("B", 1, 2025, "new"): 4,
                     ("D", 1, 2023, "new"): 8, ("E", 1, 2024, "new"): 2})
    objective_is(r, 21.24 + 16 / 3 + 2 * (0.9 - 1 / 3))


@pytest.mark.parametrize("overplan, want", [
    (0, {("U", 1, 2023, "advance"): 10, ("N", 1, 2024, "new"): 11, ("M", 1, 2024, "new"): 5}),
    (2, {("N", 1, 2024, "new"): 11, ("M", 1, 2024, "new"): 5}),
])
def test_advance_counts_in_the_cap_of_the_year_drawn(tmp_path, overplan, want):
    """Q = 0 / 100 / 0; w = 1; cost 0.05. County a: cap_base 10, m = 1.1 → 11 a year (2023: 11 − overplan).
    U (urgent, 10 ha from 2023) and N (11 ha from 2024) in county a; M (5 ha from 2024) in county b, no cap.

    overplan 0: U draws v = 10 in 2023 (≤ cap 11; advance cap 50): 9.5. Its repayment in 2024 is not
      counted in county a's 2024 cap, so N (11 ≤ 11) fits: 11. M: 5. Objective 25.5.
    overplan 2: the 2023 cap is 9 < 10, so U cannot draw its advance in 2023; in 2024 U (10) and
      N (11) cannot share the cap of 11: N (11) beats U (9). U rejected. Objective 11 + 5 = 16.
    """
    counties = [county(county_id="a", cap_base=10, overplan=overplan), county(county_id="b", name="乙县")]
    projects = [project(project_id="U", county_id="a", urgent="true"),
                project(project_id="N", county_id="a", area=11, earliest_year=2024),
                project(project_id="M", county_id="b", area=5, earliest_year=2024)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 0, 2024: 100, 2025: 0}, scoring=FLAT,
                             linkage=NO_OVERPLAN_RESTRICTION))
    assert_alloc(r, want)
    objective_is(r, 25.5 if overplan == 0 else 16.0)


def test_stock_is_not_counted_in_county_caps(tmp_path):
    """County a: cap_base 2 → cap 2.2; usable stock 8. S (10 ha, stock_ok) takes n = 2 and s = 8
    (stock earns γ = 0.1, so as much stock as there is): 10 + 0.8. M (county b, 5 ha): 5. Objective 15.8."""
    counties = [county(county_id="a", cap_base=2, usable_stock=8), county(county_id="b", name="乙县")]
    projects = [project(project_id="S", county_id="a", stock_ok="true"), project(project_id="M", county_id="b", area=5)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 100, 2024: 100, 2025: 100}, scoring=FLAT))
    assert_alloc(r, {("S", 1, 2023, "new"): 2, ("S", 1, 2023, "stock"): 8, ("M", 1, 2023, "new"): 5})
    assert status(r) == {"S": "approved", "M": "approved"}
    objective_is(r, 15.8)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("column, value, pattern", [
    ("cap_base", -5, r"counties\.csv, row a, column cap_base: -5 is negative"),
    ("cap_base", "lots", r"counties\.csv, row a, column cap_base: 'lots' is not a number"),
    ("overplan", "", r"counties\.csv, row a, column overplan: is empty"),
    ("overplan", -1, r"counties\.csv, row a, column overplan: -1 is negative"),
])
def test_bad_cap_inputs(tmp_path, column, value, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, counties=[county(**{column: value})]))


@pytest.mark.parametrize("linkage, pattern", [
    ({"bonus": -0.1}, r"linkage\.bonus.*must lie in \[0, "),
    ({"cut": 1.5}, r"linkage\.cut.*must lie in \[0, 1\]"),
])
def test_bad_multiplier_settings(tmp_path, linkage, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, linkage=linkage))


def test_tiny_fixture_caps(tiny):
    """tests/fixtures/tiny: only county b has a cap_base (20); its tasks are not met → 0.8·20 = 16 a year.
    Its only project in the model is P4 (livelihood, exempt from b's restriction, 5 ha from 2024; urgent,
    so it has advance in 2024, which cancels out of n + v)."""
    m = build(tiny)
    assert rhs(m, "county_cap") == pytest.approx({("b", 2024): 16.0, ("b", 2025): 16.0})
    assert_terms(row(m, "county_cap", ("b", 2024)), {X("P4", 2024): 5})
    assert_terms(row(m, "county_cap", ("b", 2025)), {X("P4", 2025): 5})
