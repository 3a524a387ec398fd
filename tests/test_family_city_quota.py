"""City quota and carry-over (quota/model/families/city_quota.py).

Σ n_·y + Σ v_·(y−1) ≤ Q_y + u_y;  u_y ≤ c·(Q_(y−1) + u_(y−1) − Σ n_·(y−1) − Σ v_·(y−2)),  u_(y1) = 0.
"""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, S, U, V, X, assert_alloc, assert_terms, build, keys, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

QUOTA = {2023: 30, 2024: 40, 2025: 50}
RESTRICTED = dict(county_id="b", name="乙县", unsupplied_stock=100, idle_stock=0, unsupplied_task=20, idle_task=0,
                  unsupplied_disposed=10, idle_disposed=0, usable_stock=5)


def write_build(tmp_path, **config):
    counties = [county(county_id="a", usable_stock=5), county(**RESTRICTED)]
    projects = [project(project_id="A", urgent="true", stock_ok="true"),
                project(project_id="B", area=6, earliest_year=2024),
                project(project_id="H", area=3, key_level="provincial"),            # higher level: not charged
                project(project_id="R", county_id="b", area=4, stock_ok="true")]     # restricted: stock only
    return write_scenario(tmp_path, counties, projects, quota=QUOTA, **config)


# ------------------------------------------------------------------ build ----

def test_city_quota_rows(tmp_path):
    m = build(write_build(tmp_path))
    assert keys(m, "city_quota") == [2023, 2024, 2025]
    assert m.families["city_quota"].attrs["sense"] == "<="
    assert rhs(m, "city_quota") == {2023: 30.0, 2024: 40.0, 2025: 50.0}
    # n = a·x − v − s for A; R (stock only) and H (higher level) are not charged
    assert_terms(row(m, "city_quota", 2023), {X("A", 2023): 10, V("A", 2023): -1, S("A", 2023): -1})
    assert_terms(row(m, "city_quota", 2024), {X("A", 2024): 10, V("A", 2024): -1, S("A", 2024): -1, X("B", 2024): 6,
                                              V("A", 2023): 1})
    assert_terms(row(m, "city_quota", 2025), {X("A", 2025): 10, S("A", 2025): -1, X("B", 2025): 6, V("A", 2024): 1})


def test_no_carry_variables_without_carry_over(tmp_path):
    m = build(write_build(tmp_path))
    assert len(m.carry) == 0
    assert keys(m, "carry_over") == []


def test_carry_over_rows(tmp_path):
    m = build(write_build(tmp_path, carry_over=0.5))
    assert list(m.carry.index) == [2024, 2025]  # u = 0 in the first year: no variable
    assert_terms(row(m, "city_quota", 2023), {X("A", 2023): 10, V("A", 2023): -1, S("A", 2023): -1})
    assert_terms(row(m, "city_quota", 2024), {X("A", 2024): 10, V("A", 2024): -1, S("A", 2024): -1, X("B", 2024): 6,
                                              V("A", 2023): 1, U(2024): -1})
    assert keys(m, "carry_over") == [2024, 2025]
    assert m.families["carry_over"].attrs["sense"] == "<="
    assert rhs(m, "carry_over") == {2024: 15.0, 2025: 20.0}
    # u_2024 ≤ 0.5·(Q_2023 − n_2023)
    assert_terms(row(m, "carry_over", 2024), {U(2024): 1, X("A", 2023): 5, V("A", 2023): -0.5, S("A", 2023): -0.5})
    # u_2025 ≤ 0.5·(Q_2024 + u_2024 − n_2024 − v_2023)
    assert_terms(row(m, "carry_over", 2025), {U(2025): 1, U(2024): -0.5, X("A", 2024): 5, V("A", 2024): -0.5,
                                              S("A", 2024): -0.5, X("B", 2024): 3, V("A", 2023): 0.5})


# ------------------------------------------------------------------ solve ----

def test_knapsack_with_min_max_scores(tmp_path):
    """Q = 10 a year; δ = 0.9; weights 1 / 1 / 0.5 (defaults).

    Intensities per ha (investment, tax, jobs): A (6 ha, county a) 100, 10, 1; B (5 ha, county a)
    200, 10, 1; C (4 ha, county b) 300, 10, 1. Min-max: z_inv = 0, 0.5, 1; tax and jobs have
    max = min, so their z is 0. w_A = 1, w_B = 1.5, w_C = 2.
    2023 holds 10 ha: {B, C} (9 ha) = 7.5 + 8 = 15.5 or {A, C} (10 ha) = 6 + 8 = 14; {A, B} is 11 ha.
      {B, C} then A in 2024: 15.5 + 0.9·6 = 20.9;   {A, C} then B: 14 + 0.9·7.5 = 20.75.  → 20.9.
    """
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="A", area=6, investment=600, annual_tax=60, jobs=6),
                project(project_id="B", area=5, investment=1000, annual_tax=50, jobs=5),
                project(project_id="C", county_id="b", area=4, investment=1200, annual_tax=40, jobs=4)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 10, 2024: 10, 2025: 10}))
    assert r.projects["w"].to_dict() == pytest.approx({"A": 1.0, "B": 1.5, "C": 2.0})
    assert r.projects["z_tax_intensity"].tolist() == [0.0, 0.0, 0.0]
    assert_alloc(r, {("B", 1, 2023, "new"): 5, ("C", 1, 2023, "new"): 4, ("A", 1, 2024, "new"): 6})
    assert status(r) == {"A": "deferred", "B": "approved", "C": "approved"}
    objective_is(r, 20.9)
    assert r.years.at[2023, "charged"] == pytest.approx(9)
    assert r.years.at[2023, "lapsed"] == pytest.approx(1)  # carry_over 0: unused quota lapses


def carry_scenario(tmp_path, carry_over, quota, b_area=6, b_year=2024):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="A", area=6), project(project_id="B", county_id="b", area=b_area, earliest_year=b_year)]
    return write_scenario(tmp_path, counties, projects, quota=quota, carry_over=carry_over, scoring=FLAT)


def test_carry_over_lets_unused_quota_serve_next_year(tmp_path):
    """Q = 10 / 4 / 0, carry_over 0.5, w = 1. A (6 ha) in 2023 leaves 4 unused; 0.5·4 = 2 carries into
    2024, where 4 + 2 = 6 fits B (6 ha, from 2024). Objective 6 + 6 = 12."""
    r = solve(carry_scenario(tmp_path, 0.5, {2023: 10, 2024: 4, 2025: 0}))
    assert_alloc(r, {("A", 1, 2023, "new"): 6, ("B", 1, 2024, "new"): 6})
    assert r.years.at[2023, "carried"] == pytest.approx(2)
    assert r.years.at[2023, "lapsed"] == pytest.approx(2)
    assert r.years.at[2024, "carried_in"] == pytest.approx(2)
    assert r.years.at[2024, "utilisation"] == pytest.approx(1.0)
    objective_is(r, 12.0)


def test_without_carry_over_unused_quota_lapses(tmp_path):
    """Same data, carry_over 0: 2024 has only 4 < 6 ha, 2025 none. B is rejected. Objective 6."""
    r = solve(carry_scenario(tmp_path, 0.0, {2023: 10, 2024: 4, 2025: 0}))
    assert_alloc(r, {("A", 1, 2023, "new"): 6})
    assert status(r)["B"] == "rejected"
    objective_is(r, 6.0)


@pytest.mark.parametrize("b_area, approved", [(1.0, True), (1.2, False)])
def test_carried_quota_is_carried_again(tmp_path, b_area, approved):
    """Q = 10 / 0 / 0, carry_over 0.5. A (6 ha) in 2023: 4 unused → u_2024 = 2; nothing used in 2024 →
    u_2025 = 0.5·2 = 1. B (from 2025) fits with 1 ha (objective 6 + 1 = 7), not with 1.2 ha (objective 6)."""
    r = solve(carry_scenario(tmp_path, 0.5, {2023: 10, 2024: 0, 2025: 0}, b_area=b_area, b_year=2025))
    assert (status(r)["B"] == "approved") is approved
    assert r.years.at[2025, "carried_in"] == pytest.approx(1)
    objective_is(r, 6 + (b_area if approved else 0))


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("config, pattern", [
    ({"quota": {2023: -5, 2024: 10, 2025: 10}}, r"quota\.2023.*must be a non-negative area, not -5"),
    ({"quota": {2023: 10, 2025: 10}}, r"quota\.2024.*has no value for 2024"),
    ({"quota": {2023: 10, 2024: "many", 2025: 10}}, r"quota\.2024.*must be a non-negative area, not 'many'"),
    ({"quota": [10, 10, 10]}, r"quota.*must map each year to an area"),
    ({"carry_over": 1.5}, r"carry_over.*must lie in \[0, 1\]; it is 1\.5"),
    ({"years": [2023, 2025]}, r"years.*must be consecutive"),
])
def test_bad_quota_settings(tmp_path, config, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, **config))


def test_missing_quota(tmp_path):
    folder = write_scenario(tmp_path)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text("\n".join(l for l in text.splitlines() if "quota" not in l and not l.startswith("  20")),
                                          encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"quota.*is missing"):
        load(folder)


def test_quota_years_outside_the_horizon_are_ignored(tmp_path):
    s = load(write_scenario(tmp_path, quota={2022: 5, 2023: 10, 2024: 10, 2025: 10, 2026: 7}))
    assert s.quota == {2023: 10.0, 2024: 10.0, 2025: 10.0}
