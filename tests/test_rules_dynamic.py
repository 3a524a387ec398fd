"""Restriction decided per county and year (RULES.md 3, quota/model/families/dynamic_restriction.py), trigger disposal_rate.

The rate before year y is (DU + DI + Σ_{y'<y} D) / (U + I); below `below` the county's non-exempt projects get no new or
advance quota that year. Scoring flat (w = 1), δ = 0.9, no penalty (tasks met), quota ample.
"""
import pytest
from builder import county, project, write_scenario, write_table
from familycheck import FLAT, assert_alloc, build, counties, county_years, objective_is, rhs, solve

from quota.check.verify import verify, violations

DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]
SLOW = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=0, idle_task=0, unsupplied_disposed=10, idle_disposed=0)


def scenario(tmp_path, projects, disposal, restriction=None, **county_kw):
    counties = [county(county_id="a", **{**SLOW, **county_kw})]
    folder = write_scenario(tmp_path, counties, projects, years=[2024, 2025], quota={2024: 100, 2025: 100}, scoring=FLAT,
                            delay_discount=0.9, linkage={"stock_credit": 0},
                            restriction={"dynamic": True, "below": 0.15, **(restriction or {})})
    write_table(folder / "disposal.csv", disposal, DISPOSAL)
    return folder


def test_disposal_chosen_to_lift_a_restriction_in_year_two(tmp_path):
    """Rate before 2024: 10 / 100 = 10% < 15%: restricted in 2024 (R = 1 forced: M = 15 − 10 = 5, row 5·R ≥ 5).
    P1 (industry, 8 ha, from 2024) cannot have new quota in 2024. Extra disposal in 2024 up to 10 ha at 0.2 per ha:
    5 ha lift the rate before 2025 to 15% (not below): P1 in 2025 is worth 8·0.9 = 7.2, less 5·0.2 = 1.0: 6.2.
    Disposing of nothing leaves P1 rejected (0); disposing of more than 5 ha costs more for nothing. Optimum 6.2.
    """
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)])
    m = build(folder)
    assert rhs(m, "restriction_rate") == pytest.approx({("a", 2024): 5.0, ("a", 2025): 5.0})
    r = solve(folder)
    objective_is(r, 6.2)
    assert_alloc(r, {("P1", 1, 2025, "new"): 8})
    cy = county_years(r).set_index("year")  # counties.csv: one row per county and year
    assert list(cy["restricted_in_year"]) == [True, False]
    assert list(cy["rate"]) == pytest.approx([0.10, 0.15])
    assert cy.at[2024, "disposal_extra"] == pytest.approx(5.0)
    assert "2024" in r.projects.at["P1", "reason"]


def test_too_dear_disposal_leaves_it_restricted(tmp_path):
    """As above at 2 per ha: lifting costs 10 > 7.2. P1 rejected, nothing disposed, restricted both years."""
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=2)])
    r = solve(folder)
    objective_is(r, 0.0)
    assert list(county_years(r)["restricted_in_year"]) == [True, True]


def test_planned_disposal_and_exempt_projects(tmp_path):
    """Planned disposal of 6 ha in 2024 lifts the restriction in 2025 with no choice (rate 16%); a livelihood project is
    exempt in 2024. L 4 ha livelihood 2024 (4), P1 8 ha 2025 (7.2): 11.2."""
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2025),
                                 project(project_id="L", area=4, category="livelihood", earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=4, idle=2, extra_max=0, extra_cost=0)])
    r = solve(folder)
    objective_is(r, 4 + 8)
    assert list(county_years(r)["restricted_in_year"]) == [True, False]


def test_overplan_years_restrict_only_the_first_years(tmp_path):
    """Rate fine (30 of 100 disposed), over-plan 5 ha, overplan_years 1: restricted in 2024 only. P1 (from 2024) waits
    to 2025: 8·0.9 = 7.2."""
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=0, extra_cost=0)],
                      restriction={"overplan_years": 1}, unsupplied_disposed=30, overplan=5)
    r = solve(folder)
    objective_is(r, 7.2)
    assert list(county_years(r)["restricted_in_year"]) == [True, False]


DYNAMIC_CORRUPTIONS = {"restriction_year": None, "county_years": {"rate": 0.5}, "extra_disposal": {"disposal_extra": 11.0}}


@pytest.mark.parametrize("name, changes", list(DYNAMIC_CORRUPTIONS.items()))
def test_verifier_catches_each_dynamic_corruption(tmp_path, name, changes):
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)])
    r = solve(folder)
    cy, a = counties(r), r.allocations  # counties.csv per county and year, as the verifier reads it
    if changes is None:  # the disposal hidden: the rate before 2025 stays 10%, and P1's quota breaks the restriction
        cy = cy.assign(disposal_extra=0.0)
    else:
        cy = cy.assign(**changes)
    bad = set(violations(verify(r.scenario, a, r.projects, None, cy))["family"])
    assert name in bad, bad


def test_verifier_catches_every_year_column_of_counties_csv_tampered(tmp_path):
    """Earned linkage and dynamic restriction together: counties.csv has every year column, one row per county and year.
    Each one changed in the 2025 row (a number by one, a flag flipped, the year moved on) is a violation of the year
    checks; the untouched table passes."""
    from quota.counties_table import YEAR_COLUMNS

    folder = write_scenario(tmp_path, [county(county_id="a", cap_base=10, **SLOW)],
                            [project(project_id="P1", area=8, earliest_year=2024)], years=[2024, 2025],
                            quota={2024: 100, 2025: 100}, scoring=FLAT, delay_discount=0.9,
                            linkage={"mode": "earned", "stock_credit": 0, "bonus": 0, "cut": 0, "restrict_on_overplan": False},
                            restriction={"dynamic": True, "below": 0.15})
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)],
                DISPOSAL)
    r = solve(folder)
    c = counties(r)
    assert list(c["year"]) == [2024, 2025] and set(YEAR_COLUMNS) <= set(c.columns)
    assert violations(verify(r.scenario, r.allocations, r.projects, r.solution.objective, c)).empty
    for col in YEAR_COLUMNS:
        bad = c.copy()
        bad.loc[1, col] = (not bad.loc[1, col]) if col == "restricted_in_year" else bad.loc[1, col] + 1
        found = set(violations(verify(r.scenario, r.allocations, r.projects, None, bad))["family"])
        assert found and found <= {"county_years", "earned_quota", "extra_disposal", "restriction_year"}, (col, found)


def test_factor_method_refuses_dynamic_restriction(tmp_path):
    from quota.errors import ScenarioError
    from quota.input.validate import load
    from quota.pipeline import factor_scenario

    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)])
    with pytest.raises(ScenarioError) as e:
        factor_scenario(load(folder))
    assert [i.row for i in e.value.issues] == ["restriction.dynamic"]


def test_ring_fenced_quota_stays_open_in_a_restricted_year(tmp_path):
    """As the first test, but county a is a poverty county with 5 ha of ring-fenced quota a year (RULES.md 6: not subject
    to 限批) and no extra disposal. Restricted in both years (10% < 15%, nothing disposed). P1 (industry, 5 ha, from
    2024) is not exempt, so it gets no new quota, but the ring-fence serves it in 2024: worth 5. Optimum 5, P1 on
    ring-fenced quota in 2024, the county restricted both years."""
    folder = scenario(tmp_path, [project(project_id="P1", area=5, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=0, extra_cost=0)])
    import yaml
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["ring_fence"] = {"per_county": 5}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    text = (folder / "counties.csv").read_text(encoding="utf-8").splitlines()
    (folder / "counties.csv").write_text("\n".join([text[0] + ",poverty_county"] + [t + ",true" for t in text[1:]]) + "\n",
                                         encoding="utf-8")
    r = solve(folder)
    objective_is(r, 5.0)
    assert_alloc(r, {("P1", 1, 2024, "ring_fenced"): 5})
    assert list(county_years(r)["restricted_in_year"]) == [True, True]
