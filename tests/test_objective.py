"""Objective (quota/model/families/objective.py) and value per hectare w_p (quota/model/score.py).

max Σ w_p·a_pk·δ^(y − max(e_pk, y1))·x − Σ π_c·(n + v) − cost·Σ v + γ·Σ s, with
w_p = 1 + Σ β_i·z_ip + urgent_bonus·[urgent] + key_bonus[key_level], z min-max scaled over every
project that is not excluded (higher-level ones included), 0 when max = min.
"""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, S, V, X, build, objective, objective_is, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

# disposal rate 0.2 (not restricted), shortfall 1 − 20/30 = 1/3; with λ = 1.5, π = 0.5
SHORT = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=30, idle_task=0, unsupplied_disposed=20, idle_disposed=0)


# ------------------------------------------------------------------ build ----

def test_objective_coefficients(tmp_path):
    """δ = 0.8; w_W = 1 + 0.5 (urgent), w_P = 1; π_a = 0, π_b = 1.5·(1/3) = 0.5; cost 0.05; γ 0.1.

    W (county a, 10 ha, earliest 2020, before the horizon): discounted from 2023, not from 2020:
      x: 10·1.5·(1, 0.8, 0.64) = 15, 12, 9.6;  v: −0.05;  s: π + γ = 0.1.
    P (county b) phase 1 4 ha from 2023: 4·(0.8^t − 0.5) = 2, 1.2, 0.56;
                 phase 2 6 ha from 2024: 6·(0.8^t − 0.5) = 3 (2024), 1.8 (2025).
    H (provincial, higher level) adds nothing.
    """
    counties = [county(county_id="a", usable_stock=5), county(county_id="b", name="乙县", **SHORT)]
    projects = [project(project_id="W", county_id="a", earliest_year=2020, urgent="true", stock_ok="true"),
                project(project_id="P", county_id="b"),
                project(project_id="H", county_id="b", key_level="provincial")]
    phases = [dict(project_id="P", plan="", phase=1, area=4, farmland_area=0, earliest_year=2023),
              dict(project_id="P", plan="", phase=2, area=6, farmland_area=0, earliest_year=2024)]
    scoring = {"weights": FLAT["weights"], "urgent_bonus": 0.5}
    m = build(write_scenario(tmp_path, counties, projects, phases, delay_discount=0.8, scoring=scoring,
                             linkage={"penalty": 1.5}))
    want = {X("W", 2023): 15, X("W", 2024): 12, X("W", 2025): 9.6,
            V("W", 2023): -0.05, V("W", 2024): -0.05,
            S("W", 2023): 0.1, S("W", 2024): 0.1, S("W", 2025): 0.1,
            X("P", 2023): 2, X("P", 2024): 1.2, X("P", 2025): 0.56,
            X("P", 2024, 2): 3, X("P", 2025, 2): 1.8}
    got = objective(m)
    assert set(got) == set(want)
    for k, c in want.items():
        assert got[k] == pytest.approx(c), k


def scored_projects():
    return [
        # area, investment, tax, jobs → intensities per ha
        project(project_id="A", area=10, investment=1000, annual_tax=100, jobs=20),                 # 100, 10, 2
        project(project_id="B", area=5, investment=1500, annual_tax=50, jobs=5, urgent="true"),     # 300, 10, 1
        project(project_id="H", area=20, investment=10000, annual_tax=200, jobs=20, key_level="provincial"),  # 500, 10, 1
        project(project_id="C", area=4, investment=800, annual_tax=40, jobs=12, key_level="city"),  # 200, 10, 3
        project(project_id="X", area=1, investment=100000, annual_tax=1000, jobs=100, ready="false"),  # excluded
        project(project_id="Y", area=1, investment=90000, annual_tax=900, jobs=90),  # requires X: excluded too
    ]


def write_scored(tmp_path, **config):
    return write_scenario(tmp_path, projects=scored_projects(), dependencies=[dict(project_id="Y", requires="X")], **config)


def test_w_min_max_scaling_over_the_non_excluded(tmp_path):
    """Population A, B, H, C (H is higher level but counts; X is not ready and Y requires X: neither counts).
    investment/ha 100, 300, 500, 200 → z = 0, 0.5, 1, 0.25;  tax/ha all 10 → max = min → z = 0;
    jobs/ha 2, 1, 1, 3 → z = 0.5, 0, 0, 1.
    w = 1 + 1·z_inv + 1·z_tax + 0.5·z_jobs + 0.5·[urgent] + key bonus:
      A 1 + 0 + 0 + 0.25 = 1.25;  B 1 + 0.5 + 0.5 (urgent) = 2;  H 1 + 1 + 0.5 (provincial) = 2.5;
      C 1 + 0.25 + 0.5 + 0.3 (city) = 2.05.
    """
    m = build(write_scored(tmp_path))
    assert m.projects.loc[["X", "Y"], "excluded"].all()
    p = m.projects
    assert p.loc[["A", "B", "H", "C"], "z_investment_intensity"].tolist() == pytest.approx([0, 0.5, 1, 0.25])
    assert p.loc[["A", "B", "H", "C"], "z_tax_intensity"].tolist() == [0, 0, 0, 0]
    assert p.loc[["A", "B", "H", "C"], "z_jobs_intensity"].tolist() == pytest.approx([0.5, 0, 0, 1])
    assert p.loc[["A", "B", "H", "C"], "w_jobs_intensity"].tolist() == pytest.approx([0.25, 0, 0, 0.5])
    assert p.loc[["A", "B", "H", "C"], "w_urgent"].tolist() == [0, 0.5, 0, 0]
    assert p.loc[["A", "B", "H", "C"], "w_key"].tolist() == [0, 0, 0.5, 0.3]
    assert p.loc[["A", "B", "H", "C"], "w"].tolist() == pytest.approx([1.25, 2.0, 2.5, 2.05])
    assert objective(m)[X("B", 2023)] == pytest.approx(5 * 2.0)


def test_w_with_a_single_project_has_no_spread(tmp_path):
    """One project: every max equals its min, so every z is 0 and w = 1 + urgent bonus 0.5 = 1.5."""
    m = build(write_scenario(tmp_path, projects=[project(urgent="true")]))
    p = m.projects
    assert [p.at["P1", c] for c in ("z_investment_intensity", "z_tax_intensity", "z_jobs_intensity")] == [0, 0, 0]
    assert p.at["P1", "w"] == pytest.approx(1.5)


def test_scaling_weights_from_the_scenario(tmp_path):
    """Weights 2 / 0 / 0 and urgent bonus 0: w = 1 + 2·z_inv + key bonus → A 1, B 2, H 3 + 0.5 = 3.5,
    C 1.5 + 0.3 = 1.8."""
    scoring = {"weights": {"investment_intensity": 2, "tax_intensity": 0, "jobs_intensity": 0}, "urgent_bonus": 0}
    m = build(write_scored(tmp_path, scoring=scoring))
    assert m.projects.loc[["A", "B", "H", "C"], "w"].tolist() == pytest.approx([1.0, 2.0, 3.5, 1.8])


# ------------------------------------------------------------------ solve ----

def test_waiting_since_before_the_horizon_is_not_discounted(tmp_path):
    """Q = 10 / 10 / 0; δ = 0.9. A (county a, 10 ha, earliest 2020, w = 1); B (county b, 10 ha from 2023,
    city key: w = 1.3). Discount counts from max(e, 2023):
      B 2023 + A 2024: 13 + 0.9·10 = 22;   A 2023 + B 2024: 10 + 0.9·13 = 21.7.  → 22.
    (Discounting A from 2020 would give 13 + 0.9⁴·10 = 19.561.) A is deferred one year, from 2023."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="A", earliest_year=2020), project(project_id="B", county_id="b", key_level="city")]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 10, 2024: 10, 2025: 0}, scoring=FLAT))
    assert status(r) == {"A": "deferred", "B": "approved"}
    assert r.projects.at["A", "deferral_years"] == 1
    assert r.projects.at["A", "discount_lost"] == pytest.approx(1.0)
    objective_is(r, 22.0)


def test_delay_discount_trades_value_against_time(tmp_path):
    """Q = 10 / 20 / 0; w = 1 except B (city key, 1.3). A (10 ha), B (10 ha), both from 2023, one county
    each; C (county a, 10 ha from 2024).
    δ = 0.9: B 2023 + A, C 2024 = 13 + 0.9·10 + 10 = 32  (A first: 10 + 0.9·13 + 10 = 31.7).
    δ = 0.5: B 2023 + A, C 2024 = 13 + 0.5·10 + 10 = 28  (A first: 10 + 6.5 + 10 = 26.5).
    C waits for nothing (its earliest year is 2024), so only A's value is discounted."""
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="A"), project(project_id="B", county_id="b", key_level="city"),
                project(project_id="C", earliest_year=2024)]
    for delta, value in ((0.9, 32.0), (0.5, 28.0)):
        r = solve(write_scenario(tmp_path / str(delta), counties, projects, quota={2023: 10, 2024: 20, 2025: 0},
                                 scoring=FLAT, delay_discount=delta))
        assert status(r) == {"A": "deferred", "B": "approved", "C": "approved"}
        objective_is(r, value)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("config, pattern", [
    ({"delay_discount": 0}, r"delay_discount.*must lie in \(0, 1\]"),
    ({"delay_discount": 1.2}, r"delay_discount.*must lie in \(0, 1\]"),
    ({"scoring": {"weights": {"investment_intensity": -1}}}, r"scoring\.weights\.investment_intensity.*must lie in \[0, "),
    ({"scoring": {"weights": {"land_intensity": 1}}}, r"scoring\.weights\.land_intensity.*is not a scenario key"),
    ({"scoring": {"key_bonus": {"city": "high"}}}, r"scoring\.key_bonus\.city.*must be a number"),
])
def test_bad_objective_settings(tmp_path, config, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, **config))


@pytest.mark.parametrize("column, value, pattern", [
    ("investment", "", r"row P1, column investment: is empty"),
    ("annual_tax", -3, r"row P1, column annual_tax: -3 is negative"),
    ("jobs", "many", r"row P1, column jobs: 'many' is not a number"),
    ("area", 0, r"row P1, column area: is zero"),
])
def test_bad_score_inputs(tmp_path, column, value, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, projects=[project(**{column: value})]))
