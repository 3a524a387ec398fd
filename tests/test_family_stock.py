"""County stock (quota/model/families/stock.py): Σ_{p∈c} s ≤ usable_stock_c over the horizon; stock_ok projects only."""
import pytest
from builder import county, project, write_scenario
from familycheck import FLAT, S, X, assert_alloc, assert_terms, build, cell_keys, keys, objective, objective_is, rhs, row, solve, status

from quota.errors import ScenarioError
from quota.input.validate import load

# restricted by its disposal rate (10 / 100 < 0.15); shortfall 1 − 10/20 = 0.5, π = 0.5
RESTRICTED = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=20, idle_task=0, unsupplied_disposed=10, idle_disposed=0)


def write_build(tmp_path):
    counties = [county(county_id="a", usable_stock=8), county(county_id="b", name="乙县", usable_stock=0),
                county(county_id="r", name="丙县", usable_stock=5, **RESTRICTED)]
    projects = [project(project_id="A", county_id="a", stock_ok="true"),
                project(project_id="B", county_id="a", stock_ok="false"),
                project(project_id="C", county_id="b", stock_ok="true"),
                project(project_id="R", county_id="r", stock_ok="true"),
                project(project_id="R2", county_id="r", stock_ok="false")]
    phases = [dict(project_id="A", plan="", phase=1, area=5, farmland_area=0, earliest_year=2023),
              dict(project_id="A", plan="", phase=2, area=5, farmland_area=0, earliest_year=2024)]
    return write_scenario(tmp_path, counties, projects, phases)


# ------------------------------------------------------------------ build ----

def test_stock_variables_only_for_stock_ok_projects_in_counties_with_stock(tmp_path):
    m = build(write_build(tmp_path))
    assert {k[0] for k in cell_keys(m, "s")} == {"A", "R"}  # not B (not stock_ok), not C (county b has none)
    # R2: restricted county, not exempt, cannot use stock: no decision at all
    assert "R2" not in set(m.cells["project_id"])
    assert not m.projects.at["R2", "new_ok"] and not m.projects.at["R", "new_ok"]


def test_stock_rows_are_horizon_totals_per_county(tmp_path):
    m = build(write_build(tmp_path))
    assert keys(m, "stock") == ["a", "r"]
    assert m.families["stock"].attrs["sense"] == "<="
    assert rhs(m, "stock") == {"a": 8.0, "r": 5.0}
    assert_terms(row(m, "stock", "a"), {S("A", 2023): 1, S("A", 2024): 1, S("A", 2025): 1, S("A", 2024, 2): 1, S("A", 2025, 2): 1})
    assert_terms(row(m, "stock", "r"), {S("R", y): 1 for y in (2023, 2024, 2025)})


def test_restricted_project_is_stock_only(tmp_path):
    m = build(write_build(tmp_path))
    assert set(keys(m, "stock_only")) == {("R", "", 1, y) for y in (2023, 2024, 2025)}
    assert m.families["stock_only"].attrs["sense"] == "=="
    assert_terms(row(m, "stock_only", ("R", "", 1, 2023)), {X("R", 2023): -10, S("R", 2023): 1})
    assert cell_keys(m, "v") == set()
    for y in (2023, 2024, 2025):  # R charges no city quota
        assert not any(k[1] == "R" for k in row(m, "city_quota", y))


def test_objective_credits_stock_and_spares_it_the_penalty(tmp_path):
    m = build(write_build(tmp_path))
    obj = objective(m)
    assert obj[S("A", 2023)] == pytest.approx(0.0 + 0.1)  # π_a + γ
    # R (w = 1: every intensity equal, so z = 0; π_r = 0.5): a·(w − π) = 5 on x and π + γ = 0.6 on s.
    # With s = a·x that is 10·(1 + 0.1): land from stock pays no penalty.
    assert m.projects.at["R", "w"] == pytest.approx(1.0)
    assert obj[X("R", 2023)] == pytest.approx(10 * (1 - 0.5))
    assert obj[S("R", 2023)] == pytest.approx(0.5 + 0.1)


# ------------------------------------------------------------------ solve ----

def test_stock_is_a_horizon_total(tmp_path):
    """Q = 5 / 0 / 0; w = 1; γ = 0.1. County a has 8 ha of usable stock over the whole horizon.
    A (10 ha) and B (5 ha) are stock_ok in county a; C (3 ha) in county b is not (county b's 100 ha of
    stock are no use to it).
      A + C: n_A + n_C ≤ 5, s_A ≤ 8 → n_A = 2, s_A = 8, n_C = 3: 10 + 0.8 + 3 = 13.8.
      A + B needs 15 ha from 5 of quota and 8 of stock (also across years: stock is a total): impossible.
      B + C: 5 + 0.5 + 3 = 8.5.   → 13.8.
    """
    counties = [county(county_id="a", usable_stock=8), county(county_id="b", name="乙县", usable_stock=100)]
    projects = [project(project_id="A", county_id="a", stock_ok="true"),
                project(project_id="B", county_id="a", area=5, stock_ok="true"),
                project(project_id="C", county_id="b", area=3)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 5, 2024: 0, 2025: 0}, scoring=FLAT))
    assert_alloc(r, {("A", 1, 2023, "new"): 2, ("A", 1, 2023, "stock"): 8, ("C", 1, 2023, "new"): 3})
    assert status(r) == {"A": "approved", "B": "rejected", "C": "approved"}
    assert r.counties.at["a", "stock_used"] == pytest.approx(8)
    assert r.counties.at["b", "stock_used"] == 0
    objective_is(r, 13.8)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("value, pattern", [
    (-3, r"counties\.csv, row a, column usable_stock: -3 is negative"),
    ("", r"counties\.csv, row a, column usable_stock: is empty"),
])
def test_bad_usable_stock(tmp_path, value, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, counties=[county(usable_stock=value)]))


def test_bad_stock_ok_flag(tmp_path):
    with pytest.raises(ScenarioError, match=r"projects\.csv, row P1, column stock_ok: 'perhaps' is not true or false"):
        load(write_scenario(tmp_path, projects=[project(stock_ok="perhaps")]))


def test_chinese_booleans_are_read(tmp_path):
    s = load(write_scenario(tmp_path, projects=[project(stock_ok="是", urgent="否")]))
    assert bool(s.projects.at["P1", "stock_ok"]) is True and bool(s.projects.at["P1", "urgent"]) is False


def test_negative_stock_credit(tmp_path):
    with pytest.raises(ScenarioError, match=r"linkage\.stock_credit.*must lie in \[0, "):
        load(write_scenario(tmp_path, linkage={"stock_credit": -0.1}))
