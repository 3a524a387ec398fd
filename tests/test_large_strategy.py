"""The strategy for large models (``quota.solve.highs``, ``quota.solve.lagrange``, ``quota.solve.decompose``) on a model
small enough to solve exactly, so that every bound it claims is checked against the true optimum.

- The Lagrangian bound by county is an upper bound on the optimum, at the LP's prices and at any
  other prices of the right signs, and with the LP's prices it is no weaker than the LP bound.
- The county MIPs give the same bound on one process or on several.
- ``repair`` turns county solutions that overrun the city-wide rows (prices of zero: every county
  takes all it wants) into an allocation that meets every row.
- Worker processes follow ``threads`` and stay few; out of time, the county MIPs give no bound.
  (The county MIPs on Dask, and a worker lost mid-way: ``tests/test_scale.py``.)
- ``greedy_repair`` turns the same overrunning county solutions into an allocation within every row, by giving up
  whole projects and filling the room left; a project another depends on goes only after it.
- The whole large-model path (``LARGE`` lowered to reach it) returns a feasible allocation within
  the requested gap of a bound that is itself above the optimum, and the run verifies; so does the national
  route (``SAMPLE_AT`` lowered): prices from the LP of a sample of the counties, the whole LP beside the county MIPs.
"""
from __future__ import annotations

import time

import numpy as np
import pytest

from quota.model import compat
from quota.solve import highs
from quota.solve.arrays import Arrays
from quota.solve import large
from quota.solve.large import solve_arrays
from quota.model.build import build_model
from quota.solve.decompose import LNS_BINARIES, linking_rows, make_blocks
from quota.commands.generate import generate_scenario
from quota.solve.cluster import MAX_WORKERS, engine, local_workers
from quota.solve.lagrange import activity, county_lagrangian, excess, repair
from quota.run import solve_scenario
from quota.solve.solution import SolveOptions, cell_layout, column_groups
from quota.solve.greedy import column_owner, greedy_repair
from quota.input.validate import load

OPTIONS = highs.base_options(1e-6, None, False)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = generate_scenario(tmp_path_factory.mktemp("large") / "s", counties=8, projects=240, years=3, seed=7,
                               phased=0.15)
    scenario = load(folder)
    m = build_model(scenario)
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    groups = column_groups(m, variables)
    layout = cell_layout(m, variables)
    exact = highs.run(highs.new_highs(a, integer=True, options={**OPTIONS, "mip_rel_gap": 0.0}), None)
    assert exact["optimal"]
    lp = highs.run(highs.new_highs(a, integer=False, options=OPTIONS), None)
    assert lp["optimal"] and lp["duals"] is not None
    return {"scenario": scenario, "a": a, "groups": groups, "optimum": exact["objective"], "lp": lp, "layout": layout}


def feasible(a: Arrays, x: np.ndarray) -> bool:
    use = activity(a, x)
    integral = np.all(np.abs(x[a.integer] - np.rint(x[a.integer])) <= 1e-6)
    within = np.all(x >= a.col_lower - 1e-7) and np.all(x <= a.col_upper + 1e-7)
    return bool(integral and within and np.all(use <= a.row_upper + 1e-6) and np.all(use >= a.row_lower - 1e-6))


def lagrangian(case, duals, on=None):
    a, county = case["a"], case["groups"]["county"]
    return county_lagrangian(a, county, linking_rows(a, county), duals, case["lp"]["objective"], OPTIONS, 1e-4,
                             None, on)


def test_the_model_has_city_wide_rows_to_price(case):
    a, county = case["a"], case["groups"]["county"]
    assert linking_rows(a, county).sum() >= 3  # the city quota of each year at least
    assert len(np.unique(county[county >= 0])) == 8


def test_lagrangian_bound_lies_between_the_optimum_and_the_lp_bound(case):
    lag = lagrangian(case, case["lp"]["duals"])
    optimum, z_lp = case["optimum"], case["lp"]["objective"]
    assert lag.bound >= optimum - 1e-6 * abs(optimum)
    assert lag.bound <= z_lp + 1e-6 * abs(z_lp)
    assert lag.counties == 8 and lag.x is not None


@pytest.mark.parametrize("scale", [0.0, 0.5, 2.0])
def test_lagrangian_bound_holds_at_other_prices(case, scale):
    lag = lagrangian(case, case["lp"]["duals"] * scale)
    assert lag.bound >= case["optimum"] - 1e-6 * abs(case["optimum"])


def test_county_mips_give_the_same_bound_on_two_local_processes(case, monkeypatch):
    from quota.solve import cluster

    monkeypatch.setattr(cluster, "has_dask", lambda: False)  # concurrent.futures, as without Dask
    one = lagrangian(case, case["lp"]["duals"])
    with engine(workers=2) as on:
        assert on.kind == "processes" and "pip install" in on.note[1]  # (zh, en)
        two = lagrangian(case, case["lp"]["duals"], on)
    assert two.bound == pytest.approx(one.bound, rel=1e-9)
    assert np.array_equal(two.x, one.x)


def test_repair_brings_overrunning_county_solutions_within_every_row(case):
    a, county = case["a"], case["groups"]["county"]
    greedy = lagrangian(case, np.zeros(a.shape[0]))  # no prices: each county takes all it can
    rows, _, amount = excess(a, greedy.x)
    assert len(rows) and amount.sum() > 1.0  # the city quota is overrun, so there is something to repair
    x, steps = repair(a, make_blocks(a, county, LNS_BINARIES // 10), greedy.x, case["lp"]["duals"], OPTIONS, 1e-4, None)
    assert x is not None and steps
    assert feasible(a, x)
    assert float(a.cost @ x + a.offset) <= case["optimum"] + 1e-6 * abs(case["optimum"])


def test_large_model_path_is_within_its_gap_of_a_valid_bound(case, monkeypatch):
    monkeypatch.setattr(large, "LARGE", 50)
    a, groups = case["a"], case["groups"]
    out = solve_arrays(a, 1e-2, None, None, False, **groups)
    names = " | ".join(p["name"] for p in out.phases)
    assert "Lagrangian bound" in names and "LP relaxation" in names
    assert out.x is not None and feasible(a, out.x)
    assert out.bound >= case["optimum"] - 1e-6 * abs(case["optimum"])
    assert out.bound <= case["lp"]["objective"] + 1e-6
    assert out.status == "optimal" and out.gap <= 1e-2


def test_large_model_path_verifies_end_to_end(case, monkeypatch):
    monkeypatch.setattr(large, "LARGE", 50)
    result = solve_scenario(case["scenario"], SolveOptions(gap=1e-2), counterfactuals=False)
    assert result.checks["ok"].all()
    assert any("Lagrangian" in step["name"] for step in result.solution.steps)
    assert result.solution.bound >= case["optimum"] - 1e-6 * abs(case["optimum"])


def test_worker_processes_follow_threads_and_stay_few():
    assert local_workers(1) == 1
    assert 1 <= local_workers(None) <= MAX_WORKERS
    assert local_workers(10_000) <= MAX_WORKERS


def test_county_mips_out_of_time_give_no_bound(case):
    a, county = case["a"], case["groups"]["county"]
    with engine(workers=2) as on:
        lag = county_lagrangian(a, county, linking_rows(a, county), case["lp"]["duals"], case["lp"]["objective"], OPTIONS,
                                1e-4, time.perf_counter(), on)  # a deadline already past: no bound
    assert lag is None


def test_subgradient_steps_from_poor_prices_lower_the_bound_and_keep_it_valid(case):
    """From prices of zero (every county takes all it wants), Polyak steps towards the optimum lower L(p); every
    L(p) on the way stays above the optimum."""
    from quota.solve.lagrange import lagrangian_at, subgradient_prices

    a, county = case["a"], case["groups"]["county"]
    linking = linking_rows(a, county)
    lag = lagrangian(case, np.zeros(a.shape[0]))
    first, bounds = lag.bound, []
    for _ in range(4):
        p = subgradient_prices(a, linking, lag, case["optimum"])
        if p is None:
            break
        lag = lagrangian_at(a, county, linking, p, case["lp"]["objective"], OPTIONS, 1e-4, None)
        bounds.append(lag.bound)
    assert bounds and min(bounds) < first - 1e-6 * abs(first)
    assert all(b >= case["optimum"] - 1e-6 * abs(case["optimum"]) for b in bounds)


def test_greedy_repair_brings_overrunning_county_solutions_within_every_row(case):
    a, layout = case["a"], case["layout"]
    overrun = lagrangian(case, np.zeros(a.shape[0]))  # no prices: each county takes all it can
    rows, _, amount = excess(a, overrun.x)
    assert len(rows) and amount.sum() > 1.0
    start = greedy_repair(a, layout, overrun.x)
    assert start is not None and feasible(a, start.x)
    assert start.objective <= case["optimum"] + 1e-6 * abs(case["optimum"])
    # it gave up whole projects: no project is left with some of its columns and not its approval
    owner = column_owner(a, layout)
    approved = np.zeros(len(layout.locked), dtype=bool)
    approved[layout.project[start.x[layout.columns["x"]] > 0.5]] = True
    used = (owner >= 0) & (np.abs(start.x) > 1e-9)
    assert approved[owner[used]].all()
    # from the LP's prices the county solutions need little repair: close to the optimum
    near = greedy_repair(a, layout, lagrangian(case, case["lp"]["duals"]).x)
    assert near is not None and feasible(a, near.x)
    assert near.objective >= 0.95 * case["optimum"]


def test_greedy_repair_takes_a_dependent_project_out_before_the_one_it_depends_on():
    """Two projects in two counties share one city-wide row of 1 ha; B (worth more per hectare) depends on A. Both
    approved overrun it; A cannot go while B stays, so B goes first, then A goes back in or stays out."""
    from quota.solve.greedy import Layout

    # columns: x_A, x_B; rows: the city quota (x_A + x_B <= 1), B depends on A (x_B - x_A <= 0)
    a = Arrays(cost=np.array([1.0, 3.0]), col_lower=np.zeros(2), col_upper=np.ones(2), integer=np.ones(2, dtype=bool),
               row_lower=np.array([-np.inf, -np.inf]), row_upper=np.array([1.0, 0.0]),
               starts=np.array([0, 2, 4]), index=np.array([0, 1, 0, 1]), value=np.array([1.0, 1.0, -1.0, 1.0]))
    layout = Layout(project=np.array([0, 1]), plan=np.array([0, 1]), phase=np.ones(2, dtype=np.int64),
                    year=np.array([2023, 2023]), area=np.array([1.0, 1.0]), columns={"x": np.array([0, 1])},
                    locked=np.zeros(2, dtype=bool))
    start = greedy_repair(a, layout, np.array([1.0, 1.0]))
    assert start is not None and feasible(a, start.x)
    assert start.x.tolist() == [1.0, 0.0]  # A alone: B cannot be had without A, and both do not fit


@pytest.mark.parametrize("gap", [1e-2, 1e-7])  # met at once; not met by the repair (blocks, rounds, branch-and-cut)
def test_national_route_prices_from_a_sample_and_the_whole_lp_beside_the_county_mips(case, monkeypatch, gap):
    from quota.solve.lagrange import sampled_prices

    a, groups = case["a"], case["groups"]
    linking = linking_rows(a, groups["county"])
    got = sampled_prices(a, groups["county"], linking, OPTIONS, a.shape[1] // 3, None)
    assert got is not None
    p, sampled, _ = got
    assert 2 <= sampled < 8 and np.all(p[~linking] == 0)
    monkeypatch.setattr(large, "LARGE", 50)
    monkeypatch.setattr(large, "SAMPLE_AT", 50)
    monkeypatch.setattr(large, "SAMPLE_COLUMNS", a.shape[1] // 3)
    out = solve_arrays(a, gap, 20.0, None, False, layout=case["layout"], **groups)
    names = " | ".join(p["name"] for p in out.phases)
    assert "sample of the counties" in names and "LP relaxation" in names and "greedy" not in names.split("|")[0]
    assert out.relaxation is not None  # the whole LP ran beside, for the report's prices
    assert out.x is not None and feasible(a, out.x)
    assert out.bound >= case["optimum"] - 1e-6 * abs(case["optimum"])
    assert (out.gap <= gap * (1 + 1e-6)) == (out.stop_reason == "gap met")
    assert out.seconds <= 20.0 * 1.1


def test_national_route_end_to_end_with_the_whole_lp_beside_the_solve(case, monkeypatch):
    """On the national route the pipeline solves the whole LP on a thread beside the solve's child, and explain waits
    for it: the report's relaxation prices are those of the whole LP, and the run verifies."""
    from quota.solve import solution

    monkeypatch.setattr(large, "LARGE", 50)
    monkeypatch.setattr(large, "SAMPLE_AT", 50)
    monkeypatch.setattr(large, "SAMPLE_COLUMNS", case["a"].shape[1] // 3)
    sol = solution.solve(build_model(case["scenario"]), SolveOptions(gap=1e-2, time_limit=30))
    assert "pending" in sol.relaxation  # not waited for by the solve
    assert not any(step["name"].startswith("LP relaxation") for step in sol.steps)  # not in the child
    had = solution.relaxation_of(sol)
    assert had is not None and had["objective"] == pytest.approx(case["lp"]["objective"], rel=1e-6)
    result = solve_scenario(case["scenario"], SolveOptions(gap=1e-2, time_limit=30), counterfactuals=False)
    assert result.checks["ok"].all()
    # summary.json names every step of the solve and the curve of its progress, as JSON
    import json

    from quota.pipeline import eval_summary

    summary = json.loads(json.dumps(eval_summary(result)))
    names = [step["name"] for step in summary["solver_steps"]]
    assert any("sample of the counties" in n for n in names) and any(n.startswith("Lagrangian bound") for n in names)
    assert all(set(step) == {"name", "seconds", "status", "objective", "bound"} for step in summary["solver_steps"])
    assert summary["solver_progress"] and all(len(point) == 3 for point in summary["solver_progress"])
    assert result.explanations["shadow_prices"].attrs["relaxation_objective"] == pytest.approx(case["lp"]["objective"],
                                                                                              rel=1e-6)


def test_every_step_is_reported_as_it_ends(case):
    """A solve stopped later (the deadline child killed) keeps the steps so far: each is reported as it is noted."""
    a = case["a"]
    seen = []
    s = large.Search(a, 1e-4, None, None, False, lambda out: seen.append(len(out.phases)))
    s.note("a step", {"seconds": 1.0, "status": "done"})
    s.step({"name": "another", "seconds": 0.0, "status": "done", "objective": None, "bound": None})
    assert seen == [1, 2]


def test_a_run_with_no_limit_has_none_after_a_run_with_one(tiny):
    """``highs.run(h, None)`` means no time limit, even on a ``Highs`` an earlier run limited: a worker keeps its
    HiGHS from one counterfactual to the next, and ``full``'s unlimited re-solves once inherited the 0.3 s of the
    neighbourhood round before them."""
    m = build_model(load(tiny))
    _, arrays = compat.matrix(m.prob)
    h = highs.new_highs(Arrays(**arrays), True, highs.base_options(1e-4, None, False))

    def limit() -> float:
        value = h.getOptionValue("time_limit")
        return value[1] if isinstance(value, tuple) else value  # (status, value) in some highspy versions

    highs.run(h, 0.5)
    assert limit() == pytest.approx(0.5)
    r = highs.run(h, None)
    assert r["optimal"] and limit() == float("inf")
