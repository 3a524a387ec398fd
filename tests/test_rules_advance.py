"""Within-year advance (RULES.md, Semantics item 5; quota/model/families/early_batch.py).

``advance.mode: within_year``: urgent phases may be approved in an early batch before the year's plan
arrives, drawing their whole area as advance, up to max_share·Q_(y−1) in all (``previous_quota`` before
the first year). The advance counts in the year's own city quota row: nothing is repaid next year. A phase
in the early batch is worth δ^(t − early_gain) instead of δ^t and pays ``advance.cost`` per ha.
"""
import pandas as pd
import pytest
from builder import county, project, write_scenario
from familycheck import B, FLAT, V, X, assert_alloc, assert_terms, build, cell_keys, keys, objective, objective_is, rhs, row, solve

WITHIN = {"mode": "within_year", "previous_quota": 12, "max_share": 0.5, "early_gain": 1, "cost": 0.1}


def write_early(tmp_path, **advance):
    """Two years, 10 ha of quota each; w = 1 for every project (FLAT), δ = 0.5, early_gain 1, cost 0.1."""
    projects = [project(project_id="U", urgent="true", area=6),
                project(project_id="N", area=10),
                project(project_id="V", urgent="true", area=7)]
    return write_scenario(tmp_path, [county()], projects, years=[2023, 2024], quota={2023: 10, 2024: 10},
                          scoring=FLAT, delay_discount=0.5, advance={**WITHIN, **advance})


def test_within_year_advance_takes_an_urgent_project_into_the_early_batch(tmp_path):
    """The acceptance case, worked by hand.

    Caps on the early batch: 2023: 0.5·previous_quota = 0.5·12 = 6; 2024: 0.5·Q_2023 = 0.5·10 = 5.
    Values (w = 1, δ = 0.5, g = 1, cost 0.1): a phase approved in 2023 is worth a, in 2024 a/2; in the early
    batch it is worth a·δ^(t − 1) − 0.1·a: 2a − 0.1a in 2023, a − 0.1a in 2024.
      U (urgent, 6 ha): early 2023: 12 − 0.6 = 11.4 (6 ≤ cap 6); early 2024 impossible (6 > cap 5); plain 6 or 3.
      V (urgent, 7 ha): never early: its whole area (7) is above both caps, and a phase is not split between
        advance and new quota; plain 7 in 2023 or 3.5 in 2024.
      N (not urgent, 10 ha): 10 in 2023 or 5 in 2024.
    The city rows hold Σ(n + v) ≤ 10 in each year, advance counted in its own year:
      2023 {U early} 11.4 + 2024 {N} 5   = 16.4   ← optimum
      2023 {U early} 11.4 + 2024 {V} 3.5 = 14.9
      2023 {N} 10    + 2024 {V} 3.5      = 13.5   (U could only come plain in 2024: 3)
      2023 {V} 7     + 2024 {N} 5        = 12.0
      2023 {U plain} 6 + 2024 {N} 5      = 11.0
    Under the first contract's repayment, U's 6 ha of 2023 advance would be charged to 2024 and N (10 ha) could
    not follow: nothing is repaid here, so 2024 has its whole 10 ha for N.
    """
    r = solve(write_early(tmp_path))
    objective_is(r, 16.4)
    assert_alloc(r, {("U", 1, 2023, "advance"): 6.0, ("N", 1, 2024, "new"): 10.0})
    assert r.projects.at["V", "status"] == "rejected"
    years = r.years
    assert years.loc[2023, "advance_drawn"] == pytest.approx(6.0) and years.loc[2023, "charged"] == pytest.approx(6.0)
    assert years.loc[2024, "advance_repaid"] == 0.0 and years.loc[2024, "charged"] == pytest.approx(10.0)
    assert "early batch: 6.0 ha of advance on last year's quota, starts 1 year(s) earlier" in r.projects.at["U", "reason"]


def test_early_batch_rows(tmp_path):
    m = build(write_early(tmp_path))
    urgent = {(p, "", 1, y) for p in ("U", "V") for y in (2023, 2024)}
    assert cell_keys(m, "b") == urgent == cell_keys(m, "v")  # every year, urgent only; last_year plays no part
    assert set(keys(m, "early_batch")) == urgent and m.families["early_batch"].attrs["sense"] == "=="
    assert_terms(row(m, "early_batch", ("U", "", 1, 2024)), {V("U", 2024): 1, B("U", 2024): -6})
    assert rhs(m, "advance_cap") == {2023: 6.0, 2024: 5.0}  # max_share·Q_(y−1), previous_quota before the first year
    # advance in its own year's row, not repaid from the next: n + v = a·x
    assert_terms(row(m, "city_quota", 2024), {X("U", 2024): 6, X("N", 2024): 10, X("V", 2024): 7})
    obj = objective(m)
    assert obj[B("U", 2023)] == pytest.approx(6 * (2 - 1)) and obj[B("V", 2024)] == pytest.approx(7 * 0.5 * (2 - 1))
    assert obj[V("U", 2023)] == pytest.approx(-0.1)


def test_a_larger_cap_lets_the_bigger_urgent_project_in_whole(tmp_path):
    """previous_quota 14: cap 2023 = 7. V early in 2023: 14 − 0.7 = 13.3 beats U early (11.4); then N in 2024: 5.
    Total 18.3 (U rejected: 2024's 10 ha go to N, worth 5 against U's 3)."""
    r = solve(write_early(tmp_path, previous_quota=14))
    objective_is(r, 18.3)
    assert_alloc(r, {("V", 1, 2023, "advance"): 7.0, ("N", 1, 2024, "new"): 10.0})


def test_a_restricted_countys_non_exempt_project_has_no_early_batch(tmp_path):
    counties = [county(county_id="a", unsupplied_disposed=0, idle_disposed=0)]  # disposal rate 0 < 0.15: restricted
    projects = [project(project_id="U", urgent="true", area=6, stock_ok="true"),
                project(project_id="L", urgent="true", area=4, category="livelihood")]
    counties[0]["usable_stock"] = 10
    m = build(write_scenario(tmp_path, counties, projects, years=[2023, 2024], quota={2023: 10, 2024: 10},
                             advance=WITHIN))
    assert cell_keys(m, "b") == {("L", "", 1, 2023), ("L", "", 1, 2024)}


def test_the_first_contract_has_no_early_batch(tmp_path):
    m = build(write_early(tmp_path, mode="next_year"))
    assert "b" not in m.cells and keys(m, "early_batch") == []
    assert rhs(m, "advance_cap") == {2023: 5.0}  # next year's quota, none in the last year


# ------------------------------------------------------------- verifier ----

def test_the_verifier_recomputes_the_within_year_rows(tmp_path):
    """On the hand-solved run (U early in 2023, N in 2024): each within-year row, broken alone, is caught."""
    import dataclasses

    from quota.check.verify import verify, violations

    r = solve(write_early(tmp_path))
    s, a, p, z = r.scenario, r.allocations, r.projects, r.solution.objective

    def flagged(scenario, alloc, objective=z):
        return set(violations(verify(scenario, alloc, p, objective))["family"])

    def with_advance(**kw):
        return dataclasses.replace(s, rules=dataclasses.replace(s.rules, advance=dataclasses.replace(s.rules.advance, **kw)))

    assert flagged(s, a) == set()
    # the cap is on last year's quota: previous_quota 10 gives 5 < 6 in 2023
    assert flagged(with_advance(previous_quota=10.0), a) == {"advance_cap"}
    # read as the first contract, U's 6 ha would be repaid from 2024 (6 + 10 > 10), and 2023 could draw none
    # beyond next year's 5: the within-year row is what lets the run pass
    assert {"city_quota", "advance_cap"} <= flagged(with_advance(mode="next_year"), a, None)
    # the whole phase or none: 3 of U's 6 ha as new quota beside 3 of advance
    split = a.copy()
    i = split.index[split["project_id"] == "U"][0]
    split = pd.concat([split, split.loc[[i]].assign(source="new", area=3.0)], ignore_index=True)
    split.loc[i, "area"] = 3.0
    assert "early_batch" in flagged(s, split, None)
    # the early gain is in the objective: without it the run's objective is not recomputed
    assert flagged(with_advance(early_gain=0.0), a) == {"objective"}


def test_the_audit_recomputes_a_within_year_run(tmp_path):
    """quota audit on a written within-year run: the early batch, the cap on last year's quota and the city row
    without repayment all hold, and summary.json shows the early batch drawn and nothing repaid."""
    import json

    from quota.check.audit import audit_run
    from quota.run import run_scenario, write_result

    run = write_result(run_scenario(write_early(tmp_path / "s")), tmp_path / "run")
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["advance_mode"] == "within_year" and summary["advance_owed"] == 0
    assert [(y["advance_drawn"], y["advance_repaid"]) for y in summary["years"]] == [(6.0, 0.0), (0.0, 0.0)]
    checks = audit_run(run, resolve="off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    early = checks[checks["family"] == "early batch"]
    assert set(early["key"]) == {"U/-/1 2023", "summary 2023", "summary 2024"}


# ------------------------------------------------------- other solve paths ----

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated scenario (8 counties, 240 projects, 3 years) under within-year advance, last year's quota
    taken equal to the first year's."""
    from quota.commands.generate import generate_scenario
    from quota.input.validate import load
    from quota.input.variants import load_variant

    folder = generate_scenario(tmp_path_factory.mktemp("adv") / "s", counties=8, projects=240, years=3, seed=7, phased=0.15)
    s = load(folder)
    return load_variant(folder, ["advance.mode=within_year", f"advance.previous_quota={s.quota[s.first_year] * s.unit_factor}"])


def test_the_large_model_path_keeps_the_early_batch_whole(generated, monkeypatch):
    """Lagrangian bound, decomposition by county and repair see the b columns with their cells' county."""
    from quota.pipeline import solve_scenario
    from quota.solve import large
    from quota.solve.solution import SolveOptions

    monkeypatch.setattr(large, "LARGE", 50)
    r = solve_scenario(generated, SolveOptions(gap=1e-2), counterfactuals=False)
    assert r.checks["ok"].all() and "early_batch" in set(r.checks["family"])
    assert any("Lagrangian" in step["name"] for step in r.solution.steps)
    assert (r.allocations["source"] == "advance").any()


def test_the_factor_method_runs_and_verifies_under_within_year_advance(generated):
    """The factor method draws no advance (it has no rule for it), which within-year advance allows."""
    from quota.pipeline import factor_scenario

    r = factor_scenario(generated)
    assert r.checks["ok"].all() and not (r.allocations["source"] == "advance").any()


def test_alternatives_and_counterfactuals_follow_the_early_batch(tmp_path):
    from quota.input.validate import load
    from quota.pipeline import solve_scenario
    from quota.solve.alternatives import find_alternatives

    s = load(write_early(tmp_path))
    r = solve_scenario(s, counterfactuals=True)
    cf = r.explanations["counterfactuals"]
    # without U (early in 2023): N in 2023 (10) and V in 2024 (3.5): 13.5, a loss of 2.9
    assert cf.at["U", "result"] == "solved" and cf.at["U", "loss_low"] == pytest.approx(16.4 - 13.5)
    alt = find_alternatives(s, r.solution, 1, within=0.2)  # the next set: U early in 2023, V in 2024: 14.9
    assert [a.approved for a in alt.found] == [frozenset({"U", "V"})] and alt.found[0].checks["ok"].all()
    assert alt.found[0].solution.objective == pytest.approx(14.9)
