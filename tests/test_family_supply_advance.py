"""Supply split and advance quota (quota/model/families/supply.py, quota/model/families/advance.py).

n + v + s = a·x; v (预支) for urgent projects only, capped by max_share·Q_(y+1), repaid from next
year's quota, none in the last year unless advance.last_year (then capped by max_share·Q_last and owed).
"""
import pytest
from builder import county, project, write_scenario
from familycheck import (FLAT, S, V, X, assert_alloc, assert_terms, build, cell_keys, keys, objective,
                         objective_is, rhs, row, solve, status)

from quota.errors import ScenarioError
from quota.input.validate import load

QUOTA = {2023: 20, 2024: 40, 2025: 60}


def write_build(tmp_path, **config):
    counties = [county(county_id="a", usable_stock=8), county(county_id="b", name="乙县", usable_stock=0)]
    projects = [project(project_id="U", county_id="a", urgent="true", stock_ok="true"),
                project(project_id="N", county_id="a", area=5),
                project(project_id="B", county_id="b", area=4, earliest_year=2024, stock_ok="true")]
    return write_scenario(tmp_path, counties, projects, quota=QUOTA, **config)


# ------------------------------------------------------------------ build ----

def test_advance_and_stock_variables_exist_only_where_allowed(tmp_path):
    m = build(write_build(tmp_path))
    # advance: urgent U only, and not in the last year
    assert cell_keys(m, "v") == {("U", "", 1, 2023), ("U", "", 1, 2024)}
    # stock: stock_ok U in a county with usable stock; B is stock_ok but county b has none
    assert cell_keys(m, "s") == {("U", "", 1, y) for y in (2023, 2024, 2025)}
    assert cell_keys(m) == {("U", "", 1, y) for y in (2023, 2024, 2025)} | {("N", "", 1, y) for y in (2023, 2024, 2025)} \
        | {("B", "", 1, 2024), ("B", "", 1, 2025)}


def test_last_year_advance_variable_only_with_last_year(tmp_path):
    m = build(write_build(tmp_path, advance={"last_year": True}))
    assert cell_keys(m, "v") == {("U", "", 1, y) for y in (2023, 2024, 2025)}


def test_supply_split_rows(tmp_path):
    m = build(write_build(tmp_path))
    assert set(keys(m, "supply_split")) == {("U", "", 1, y) for y in (2023, 2024, 2025)}
    assert m.families["supply_split"].attrs["sense"] == "<="
    assert set(rhs(m, "supply_split").values()) == {0.0}
    # n = a·x − v − s ≥ 0  ⇔  v + s − a·x ≤ 0
    assert_terms(row(m, "supply_split", ("U", "", 1, 2023)), {X("U", 2023): -10, V("U", 2023): 1, S("U", 2023): 1})
    assert_terms(row(m, "supply_split", ("U", "", 1, 2025)), {X("U", 2025): -10, S("U", 2025): 1})
    assert keys(m, "stock_only") == []


def test_advance_cap_rows_use_next_years_raw_quota(tmp_path):
    m = build(write_build(tmp_path))
    assert keys(m, "advance_cap") == [2023, 2024]
    assert m.families["advance_cap"].attrs["sense"] == "<="
    assert rhs(m, "advance_cap") == {2023: 0.5 * 40, 2024: 0.5 * 60}
    assert_terms(row(m, "advance_cap", 2023), {V("U", 2023): 1})


def test_advance_cap_last_year_uses_the_last_quota(tmp_path):
    m = build(write_build(tmp_path, advance={"last_year": True, "max_share": 0.25}))
    assert keys(m, "advance_cap") == [2023, 2024, 2025]
    assert rhs(m, "advance_cap") == {2023: 10.0, 2024: 15.0, 2025: 15.0}
    assert_terms(row(m, "advance_cap", 2025), {V("U", 2025): 1})


def test_city_quota_row_repays_last_years_advance(tmp_path):
    m = build(write_build(tmp_path))
    assert_terms(row(m, "city_quota", 2023), {X("U", 2023): 10, V("U", 2023): -1, S("U", 2023): -1, X("N", 2023): 5})
    assert_terms(row(m, "city_quota", 2024), {X("U", 2024): 10, V("U", 2024): -1, S("U", 2024): -1, X("N", 2024): 5,
                                              X("B", 2024): 4, V("U", 2023): 1})
    assert_terms(row(m, "city_quota", 2025), {X("U", 2025): 10, S("U", 2025): -1, X("N", 2025): 5, X("B", 2025): 4,
                                              V("U", 2024): 1})


def test_objective_charges_the_advance_cost(tmp_path):
    m = build(write_build(tmp_path, advance={"cost": 0.2}))
    obj = objective(m)
    assert obj[V("U", 2023)] == pytest.approx(-0.2)
    assert obj[V("U", 2024)] == pytest.approx(-0.2)
    assert obj[S("U", 2023)] == pytest.approx(0.1)  # π = 0 + γ = 0.1


# ------------------------------------------------------------------ solve ----

def advance_scenario(tmp_path, urgent="true", n_area=10, **config):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="U", county_id="a", urgent=urgent),
                project(project_id="N", county_id="b", area=n_area, earliest_year=2024)]
    return write_scenario(tmp_path, counties, projects, quota={2023: 0, 2024: 20, 2025: 0}, scoring=FLAT, **config)


def test_advance_lets_an_urgent_project_start_early(tmp_path):
    """w = 1 (FLAT, no urgent bonus), δ = 0.9, cost 0.05, Q = 0 / 20 / 0.

    U (urgent, 10 ha, from 2023) may draw advance in 2023 up to 0.5·Q_2024 = 10: value 10 − 0.05·10 = 9.5.
    2024 repays the 10 and takes N (10 ha): 10 + 10 = 20 ≤ 20. Objective 9.5 + 10 = 19.5,
    against U and N both in 2024: 9 + 10 = 19.
    """
    r = solve(advance_scenario(tmp_path))
    assert_alloc(r, {("U", 1, 2023, "advance"): 10, ("N", 1, 2024, "new"): 10})
    objective_is(r, 19.5)
    y = r.years
    assert y.at[2023, "advance_drawn"] == pytest.approx(10)
    assert y.at[2024, "advance_repaid"] == pytest.approx(10)
    assert y.at[2024, "charged"] == pytest.approx(20)
    assert y.at[2024, "utilisation"] == pytest.approx(1.0)
    assert r.years.attrs["advance_owed"] == 0


def test_advance_is_repaid_from_next_years_quota(tmp_path):
    """As above but N has 12 ha. Advance for U in 2023 must be repaid in 2024: 10 + 12 = 22 > 20,
    and 2025 has no quota. So it is U by advance (9.5) or N in 2024 (12): N wins, U is rejected."""
    r = solve(advance_scenario(tmp_path, n_area=12))
    assert_alloc(r, {("N", 1, 2024, "new"): 12})
    assert status(r) == {"U": "rejected", "N": "approved"}
    objective_is(r, 12.0)


def test_only_urgent_projects_draw_advance(tmp_path):
    """U not urgent: no advance. U and N share 2024: 10·0.9 + 10 = 19."""
    r = solve(advance_scenario(tmp_path, urgent="false"))
    assert_alloc(r, {("U", 1, 2024, "new"): 10, ("N", 1, 2024, "new"): 10})
    assert r.years["advance_drawn"].sum() == 0
    objective_is(r, 19.0)


def test_advance_cap_binds_and_mixes_with_new_quota(tmp_path):
    """Q = 2 / 16 / 0; U urgent 10 ha from 2023 (county a); N 8 ha from 2024 (county b); w = 1.

    2023: cap 0.5·Q_2024 = 8, so U takes n = 2 (all of Q_2023) + v = 8: 10 − 0.05·8 = 9.6.
    2024: repay 8 + N 8 = 16 ≤ 16: 8. Objective 17.6.
    (U in 2024 instead leaves no room for N: 9; the 2024 advance cap 0.5·Q_2025 is 0.)
    """
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="U", county_id="a", urgent="true"),
                project(project_id="N", county_id="b", area=8, earliest_year=2024)]
    r = solve(write_scenario(tmp_path, counties, projects, quota={2023: 2, 2024: 16, 2025: 0}, scoring=FLAT))
    assert_alloc(r, {("U", 1, 2023, "new"): 2, ("U", 1, 2023, "advance"): 8, ("N", 1, 2024, "new"): 8})
    objective_is(r, 17.6)


def last_year_scenario(tmp_path, last_year, u_area=10):
    counties = [county(county_id="a"), county(county_id="b", name="乙县")]
    projects = [project(project_id="U", county_id="a", urgent="true", area=u_area, earliest_year=2025),
                project(project_id="N", county_id="b", area=2)]
    return write_scenario(tmp_path, counties, projects, quota={2023: 2, 2024: 0, 2025: 8}, scoring=FLAT,
                          advance={"last_year": last_year})


def test_no_advance_in_the_last_year_by_default(tmp_path):
    """Q = 2 / 0 / 8. U (urgent, 10 ha, from 2025) needs 10 > 8 in 2025 and may not draw advance in the
    last year: rejected. N (county b, 2 ha) in 2023: 2. Objective 2."""
    r = solve(last_year_scenario(tmp_path, False))
    assert_alloc(r, {("N", 1, 2023, "new"): 2})
    assert status(r)["U"] == "rejected"
    assert r.years.attrs["advance_owed"] == 0
    objective_is(r, 2.0)


def test_last_year_advance_is_capped_by_the_last_quota_and_owed(tmp_path):
    """advance.last_year: true. Cap in 2025 = 0.5·Q_2025 = 4. U takes n = 8 and v = 2 (advance costs,
    so no more than needed): 10 − 0.05·2 = 9.9; N 2. Objective 11.9. The 2 ha are owed beyond 2025."""
    r = solve(last_year_scenario(tmp_path, True))
    assert_alloc(r, {("U", 1, 2025, "new"): 8, ("U", 1, 2025, "advance"): 2, ("N", 1, 2023, "new"): 2})
    assert r.years.at[2025, "advance_drawn"] == pytest.approx(2)
    assert r.years.attrs["advance_owed"] == pytest.approx(2)
    assert r.summary["advance_owed"] == pytest.approx(2)
    objective_is(r, 11.9)


def test_last_year_advance_cap_binds(tmp_path):
    """U of 13 ha would need v = 5 > 0.5·Q_2025 = 4: rejected even with last_year."""
    r = solve(last_year_scenario(tmp_path, True, u_area=13))
    assert status(r)["U"] == "rejected"
    assert r.years.attrs["advance_owed"] == 0
    objective_is(r, 2.0)


# -------------------------------------------------------------- bad input ----

@pytest.mark.parametrize("advance, pattern", [
    ({"max_share": 1.5}, r"advance\.max_share.*must lie in \[0, 1\]; it is 1\.5"),
    ({"max_share": -0.1}, r"advance\.max_share.*must lie in \[0, 1\]"),
    ({"cost": -1}, r"advance\.cost.*must lie in \[0, "),
    ({"last_year": "sometimes"}, r"advance\.last_year.*must be true or false, not 'sometimes'"),
    ({"share": 0.5}, r"advance\.share.*is not a scenario key"),
])
def test_bad_advance_settings(tmp_path, advance, pattern):
    with pytest.raises(ScenarioError, match=pattern):
        load(write_scenario(tmp_path, advance=advance))


def test_bad_urgent_flag(tmp_path):
    with pytest.raises(ScenarioError, match=r"projects\.csv, row P1, column urgent: 'maybe' is not true or false"):
        load(write_scenario(tmp_path, projects=[project(urgent="maybe")]))


def test_empty_urgent_flag_is_not_filled_in(tmp_path):
    with pytest.raises(ScenarioError, match=r"row P1, column urgent: is empty"):
        load(write_scenario(tmp_path, projects=[project(urgent="")]))
