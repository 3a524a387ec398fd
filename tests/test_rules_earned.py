"""Earned quota (RULES.md 1, quota/model/families/earned.py): n + v of county c in year y ≤ B_cy + r·D_cy.

D_cy = planned disposal (disposal.csv) + extra disposal X (0..extra_max, cost extra_cost per ha) + stock drawn.
Scoring is flat (w = 1), bonus and cut 0 (m = 1), quota ample: only the earned row binds.
"""
import pytest
from builder import county, project, write_scenario, write_table
from familycheck import FLAT, S, X, assert_alloc, assert_terms, build, counties, county_years, objective_is, rhs, row, solve

from quota.check.verify import verify, violations
from quota.errors import ScenarioError
from quota.input.validate import load
from quota.pipeline import factor_scenario

EARNED = {"mode": "earned", "earn_ratio": 1.0, "bonus": 0, "cut": 0, "stock_credit": 0, "restrict_on_overplan": False}
DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]


def scenario(tmp_path, projects, disposal=None, linkage=None, **county_kw):
    counties = [county(county_id="a", cap_base=10, **county_kw)]
    folder = write_scenario(tmp_path, counties, projects, years=[2024], quota={2024: 100}, scoring=FLAT,
                            linkage={**EARNED, **(linkage or {})})
    if disposal is not None:
        write_table(folder / "disposal.csv", disposal, DISPOSAL)
    return folder


def test_earned_row_counts_new_quota_stock_and_extra(tmp_path):
    """B = 10, planned 3 + 2 = 5, r = 1: 12·x_P1 − s_P1 − s_P1 (stock drawn is disposal) − X ≤ 15."""
    folder = scenario(tmp_path, [project(project_id="P1", area=12, stock_ok="true")],
                      [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=0.5)], usable_stock=4)
    m = build(folder)
    assert "county_cap" not in m.families
    assert rhs(m, "earned_quota") == pytest.approx({("a", 2024): 15.0})
    assert_terms(row(m, "earned_quota", ("a", 2024)), {X("P1", 2024): 12, S("P1", 2024): -2, ("X", "a", 2024): -1})


def test_earned_quota_binding_with_extra_disposal(tmp_path):
    """B = 10, planned disposal 5, extra up to 3 at 0.5 per ha; P1 12 ha, P2 6 ha, w = 1, δ irrelevant (one year).

    Both need 18 ≤ 10 + 5 + X, so X = 3: value 18 − 0.5·3 = 16.5. P1 alone (X = 0): 12; P2 alone: 6.
    The optimum approves both, the earned row binds (18 of 18) and the extra disposal is at its bound.
    """
    folder = scenario(tmp_path, [project(project_id="P1", area=12), project(project_id="P2", area=6)],
                      [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=0.5)])
    r = solve(folder)
    objective_is(r, 16.5)
    assert_alloc(r, {("P1", 1, 2024, "new"): 12, ("P2", 1, 2024, "new"): 6})
    cy = county_years(r).set_index(["county_id", "year"]).loc[("a", 2024)]
    assert (cy["base"], cy["disposal_planned"], cy["disposal_extra"], cy["disposal_stock"]) == pytest.approx((10, 5, 3, 0))
    assert (cy["earned"], cy["limit"], cy["quota_used"], cy["room"]) == pytest.approx((8, 18, 18, 0))


def test_extra_disposal_too_dear_is_not_chosen(tmp_path):
    """As above with extra_cost 3: both would give 18 − 9 = 9 < 12 (P1 alone, within 10 + 5). P1 only, X = 0."""
    folder = scenario(tmp_path, [project(project_id="P1", area=12), project(project_id="P2", area=6)],
                      [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=3)])
    r = solve(folder)
    objective_is(r, 12.0)
    assert r.projects.at["P2", "status"] == "rejected"
    assert "earned quota of 甲县 in 2024: 12.0 of 15.0 ha used (base 10.0 + earned 5.0), 3.0 left" in r.projects.at["P2", "reason"]


def test_stock_drawn_counts_as_disposal(tmp_path):
    """B = 10, no planned disposal, P1 12 ha (new quota only), P3 4 ha stock_ok, usable stock 4.

    Stock credit γ = 0.1. P3 on stock: D = 4, limit 10 + 4 = 14 ≥ 12, so P1 fits too: value 12 + 4 + 0.4 = 16.4.
    If stock did not count as disposal, P1 (12 > 10) could never be approved beside P3 (at most 4.4; P1 alone 12).
    """
    folder = scenario(tmp_path, [project(project_id="P1", area=12), project(project_id="P3", area=4, stock_ok="true")],
                      linkage={"stock_credit": 0.1}, usable_stock=4)
    r = solve(folder)
    objective_is(r, 16.4)
    assert_alloc(r, {("P1", 1, 2024, "new"): 12, ("P3", 1, 2024, "stock"): 4})
    cy = county_years(r).set_index(["county_id", "year"]).loc[("a", 2024)]
    assert (cy["disposal_stock"], cy["limit"], cy["quota_used"]) == pytest.approx((4, 14, 12))


def test_earned_drops_the_penalty_and_both_keeps_it(tmp_path):
    """Tasks short (disposed 0 of 10, shortfall 1): π = λ under `both`, 0 under `earned`."""
    short = dict(unsupplied_task=10, idle_task=0, unsupplied_disposed=0, idle_disposed=0, unsupplied_stock=100)
    for mode, pi in (("earned", 0.0), ("both", 1.0)):
        folder = scenario(tmp_path / mode, [project(project_id="P1", area=5)], linkage={"mode": mode, "penalty": 1.0}, **short)
        r = solve(folder)
        assert r.projects.at["P1", "penalty"] == pytest.approx(pi)


# check name → (changes to counties.csv's year columns, the other checks it breaks too)
EARNED_CORRUPTIONS = {
    "extra_disposal": ({"disposal_extra": 4.0, "disposal": 9.0, "earned": 9.0, "limit": 19.0, "room": 1.0}, set()),
    "county_years": ({"quota_used": 19.0}, set()),
    "earned_quota": ({"disposal_extra": 0.0, "disposal": 5.0, "earned": 5.0, "limit": 15.0, "room": -3.0}, set()),
}


@pytest.mark.parametrize("name", list(EARNED_CORRUPTIONS))
def test_verifier_catches_each_earned_corruption(tmp_path, name):
    """The optimum of test_earned_quota_binding_with_extra_disposal (X = 3, 18 of 18 ha), its counties.csv tampered."""
    folder = scenario(tmp_path, [project(project_id="P1", area=12), project(project_id="P2", area=6)],
                      [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=0.5)])
    r = solve(folder)
    changes, also = EARNED_CORRUPTIONS[name]
    cy = counties(r).assign(**changes)
    bad = set(violations(verify(r.scenario, r.allocations, r.projects, None, cy))["family"])
    assert name in bad and bad <= {name} | also, bad


def test_verifier_counts_the_extra_disposal_in_the_objective(tmp_path):
    folder = scenario(tmp_path, [project(project_id="P1", area=12), project(project_id="P2", area=6)],
                      [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=0.5)])
    r = solve(folder)
    bad = violations(verify(r.scenario, r.allocations, r.projects, r.solution.objective + 1.5, counties(r)))
    assert set(bad["family"]) == {"objective"}


def test_factor_method_refuses_earned_linkage(tmp_path):
    folder = scenario(tmp_path, [project(project_id="P1", area=12)])
    with pytest.raises(ScenarioError) as e:
        factor_scenario(load(folder))
    assert e.value.issues[0].row == "linkage.mode"


def test_large_model_strategy_verifies_under_earned_linkage(tmp_path, monkeypatch):
    """The large-model path (Lagrangian by county, repair, blocks) on a generated scenario under earned linkage and
    dynamic restriction: the earned rows, X and R columns belong to their county's block; the answer verifies."""
    import pandas as pd
    import yaml

    from quota.commands.generate import generate_scenario
    from quota.run import solve_scenario
    from quota.solve import large
    from quota.solve.solution import SolveOptions

    folder = generate_scenario(tmp_path / "s", counties=8, projects=240, years=3, seed=7, phased=0.15)
    c = pd.read_csv(folder / "counties.csv", dtype={"county_id": str})
    c["cap_base"] = 40.0
    c.to_csv(folder / "counties.csv", index=False)
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg.setdefault("linkage", {})["mode"] = "earned"
    cfg.setdefault("restriction", {})["dynamic"] = True  # R_cy binaries too, in their county's block
    cfg.get("tables", {}).pop("idle_parcels", None)  # their idle_stock is every parcel's: the first contract's reading
    (folder / "idle_parcels.csv").unlink(missing_ok=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    years = cfg["years"]
    write_table(folder / "disposal.csv", [dict(county_id=cid, year=y, unsupplied=2, idle=1, extra_max=5, extra_cost=0.3)
                                          for cid in c["county_id"] for y in years], DISPOSAL)
    monkeypatch.setattr(large, "LARGE", 50)
    r = solve_scenario(load(folder), SolveOptions(gap=1e-2), counterfactuals=False)
    assert r.checks["ok"].all() and {"earned_quota", "county_years"} <= set(r.checks["family"])
    assert r.model.restricted is not None and len(r.model.restricted)
    assert any("Lagrangian" in step["name"] for step in r.solution.steps)


def test_ring_fenced_and_reserve_quota_are_not_charged_to_the_earned_row(tmp_path):
    """A poverty county (ring-fence 10 ha a year) under earned linkage: B = 10, no disposal, quota ample, w = 1.

    P1 and P2 (10 ha each) are both approved: one on the 10 ha ring-fenced, the other on 10 ha of new quota, which
    is exactly what the county earned (n + v = 10 ≤ 10). Ring-fenced quota counts in no county row (RULES.md 6), so
    the earned row has −1 on each r: were r charged to it, 20 > 10 and only one project would fit (value 10).
    Optimum 20."""
    folder = write_scenario(tmp_path, [county(county_id="a", cap_base=10)],
                            [project(project_id="P1", area=10), project(project_id="P2", area=10)],
                            years=[2024], quota={2024: 100}, scoring=FLAT, linkage=EARNED, ring_fence={"per_county": 10})
    write_table(folder / "counties.csv", [county(county_id="a", cap_base=10, poverty_county="true")],
                list(county()) + ["poverty_county"])
    m = build(folder)
    terms = row(m, "earned_quota", ("a", 2024))
    assert_terms(terms, {X("P1", 2024): 10, X("P2", 2024): 10, ("r", "P1", "", 1, 2024): -1, ("r", "P2", "", 1, 2024): -1})
    r = solve(folder)
    objective_is(r, 20.0)
    assert sorted(r.allocations["source"]) == ["new", "ring_fenced"]
    assert violations(r.checks).empty
