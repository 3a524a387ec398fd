"""The supply-rate trigger (RULES.md 2, quota/model/linkage.py and families/dynamic_restriction.py).

Rate before year y = Σ supplied / Σ approved over the `window` years before y. History: a approved 10 and supplied 4 ha
in each of 2022 and 2023 (window 2, below 60%): 8 / 20 = 40% before 2024, restricted. With `dynamic: true` the horizon's
own years count: new and advance quota as approved and supplied, disposal as supplied only.
Scoring flat (w = 1), δ = 0.9, no penalty, quota ample.
"""
import pytest
from builder import county, project, write_scenario, write_table
from familycheck import FLAT, assert_alloc, county_years, objective_is, solve

DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]
HISTORY = ["county_id", "year", "approved", "supplied"]
TASKS_MET = dict(unsupplied_task=0, idle_task=0)


def scenario(tmp_path, projects, dynamic, extra_cost=0.2):
    folder = write_scenario(tmp_path, [county(county_id="a", **TASKS_MET)], projects, years=[2024, 2025],
                            quota={2024: 100, 2025: 100}, scoring=FLAT, delay_discount=0.9, linkage={"stock_credit": 0},
                            restriction={"trigger": "supply_rate", "window": 2, "below": 0.6, "dynamic": dynamic})
    write_table(folder / "history.csv", [dict(county_id="a", year=y, approved=10, supplied=4) for y in (2022, 2023)], HISTORY)
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=5, extra_cost=extra_cost)],
                DISPOSAL)
    return folder


def test_static_supply_rate_restricts_for_the_whole_horizon(tmp_path):
    """dynamic false: 40% < 60% from history alone, restricted in 2024 and 2025: P1 (industry, 8 ha) gets nothing;
    L (livelihood, exempt, 6 ha) is approved in 2024. Optimum 6."""
    r = solve(scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024),
                                  project(project_id="L", area=6, category="livelihood", earliest_year=2024)], False))
    objective_is(r, 6.0)
    assert r.projects.at["P1", "status"] == "rejected"
    assert r.counties.at["a", "supply_rate"] == pytest.approx(0.4) and r.counties.at["a", "restrict_cause"] == "supply_rate"
    assert "supply rate of the last 2 years 40.0% below 60%" in r.projects.at["P1", "reason"]


def test_disposal_lifts_a_supply_rate_restriction(tmp_path):
    """dynamic true: restricted in 2024 (M = 0.6·20 − 8 = 4). Before 2025 the window is 2023 (10, 4) and 2024: disposing
    of X = 2 ha in 2024 gives (4 + 2) / 10 = 60%, not below: P1 in 2025 is worth 8·0.9 = 7.2, less 2·0.2: 6.8."""
    r = solve(scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)], True))
    objective_is(r, 6.8)
    assert_alloc(r, {("P1", 1, 2025, "new"): 8})
    cy = county_years(r).set_index("year")
    assert list(cy["rate"]) == pytest.approx([0.4, 0.6]) and list(cy["restricted_in_year"]) == [True, False]
    assert "restricted (限批) in 2024 (supply rate of the last 2 years 40.0% < 60%), lifted in 2025 after 2.0 ha disposed" \
        in r.projects.at["P1", "reason"]


def test_exempt_approvals_count_as_supplied(tmp_path):
    """dynamic true: L (livelihood, exempt, 6 ha) approved in 2024 counts as approved and supplied:
    (4 + 6) / (10 + 6) = 62.5% before 2025, so P1 needs no disposal: 6 + 7.2 = 13.2."""
    r = solve(scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024),
                                  project(project_id="L", area=6, category="livelihood", earliest_year=2024)], True))
    objective_is(r, 13.2)
    cy = county_years(r).set_index("year")
    assert cy.at[2025, "rate"] == pytest.approx(0.625) and cy.at[2024, "disposal_extra"] == pytest.approx(0.0)


def test_no_approvals_in_the_window_give_a_rate_of_one(tmp_path):
    folder = scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024)], True)
    write_table(folder / "history.csv", [dict(county_id="a", year=y, approved=0, supplied=0) for y in (2022, 2023)], HISTORY)
    r = solve(folder)
    objective_is(r, 8.0)
    assert list(county_years(r)["rate"]) == pytest.approx([1.0, 1.0])


def test_verifier_catches_quota_in_a_county_restricted_by_supply_rate(tmp_path):
    """The static run's allocation with 8 ha of new quota given to P1 (restricted, not exempt) in 2024."""
    import pandas as pd

    from quota.check.verify import verify, violations
    r = solve(scenario(tmp_path, [project(project_id="P1", area=8, earliest_year=2024),
                                  project(project_id="L", area=6, category="livelihood", earliest_year=2024)], False))
    a = pd.concat([r.allocations, pd.DataFrame([dict(project_id="P1", plan="", phase=1, year=2024, source="new", area=8.0)])])
    assert "restriction" in set(violations(verify(r.scenario, a, r.projects, None))["family"])
