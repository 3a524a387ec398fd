"""Scale (issue 19): an allocation always, the whole time limit used, the county problems on Dask.

- The greedy start (``quota.solve.greedy``) meets every row of models with phases, alternative plans,
  dependencies, locks and the ``hebei-2024`` rule set: the independent verifier passes on it, and its
  quick bound lies above the true optimum.
- A 20,000-project scenario given one second gets a verified allocation with its gap, not proven optimal.
- The decomposition gives the same bound and allocation on a ``LocalCluster`` of two workers and in one
  process, and the same again when a worker is killed mid-way (Dask runs its tasks again).
- ``--time-limit`` holds on the Dask path; with time left and the gap not met, the strategy does not stop early.
"""
from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from quota.commands.generate import generate_scenario
from quota.input.validate import load
from quota.model import compat
from quota.model.build import build_model
from quota.run import solve_scenario
from quota.solve import highs, large, solution
from quota.solve.arrays import Arrays, Outcome
from quota.solve.cluster import engine
from quota.solve.decompose import linking_rows
from quota.solve.deadline import solve_with_deadline
from quota.solve.greedy import greedy_start
from quota.solve.lagrange import activity, county_lagrangian, solve_county
from quota.solve.large import solve_arrays
from quota.solve.rounds import GAP_MET, NEAR, TIME_LIMIT
from quota.solve.solution import SolveOptions, cell_layout, column_groups

distributed = pytest.importorskip("distributed")

SHAPES = {  # phases, alternative plans, dependencies and locks; and the rule set as practised
    "contract": dict(counties=10, projects=400, years=4, seed=11, phased=0.25, alt_plans=0.5, dependencies=0.1,
                     locks=0.04, urgent=0.2),
    "hebei-2024": dict(counties=10, projects=400, years=4, seed=12, phased=0.25, dependencies=0.1, locks=0.04,
                       urgent=0.2, rules="hebei-2024"),
}


def model_of(folder):
    scenario = load(folder)
    m = build_model(scenario)
    variables, arrays = compat.matrix(m.prob)
    return scenario, m, variables, Arrays(**arrays)


@pytest.fixture(scope="module", params=sorted(SHAPES))
def shaped(request, tmp_path_factory):
    folder = generate_scenario(tmp_path_factory.mktemp("shape") / "s", **SHAPES[request.param])
    return (request.param, *model_of(folder))


def within_every_row(a: Arrays, x: np.ndarray) -> bool:
    use = activity(a, x)
    integral = np.all(np.abs(x[a.integer] - np.rint(x[a.integer])) <= 1e-9)
    return bool(integral and np.all(use <= a.row_upper + 1e-6) and np.all(use >= a.row_lower - 1e-6)
                and np.all(x >= a.col_lower - 1e-9) and np.all(x <= a.col_upper + 1e-9))


def test_greedy_start_meets_every_row_and_its_bound_is_above_the_optimum(shaped):
    name, scenario, m, variables, a = shaped
    start = greedy_start(a, cell_layout(m, variables))
    assert start is not None and start.complete
    assert within_every_row(a, start.x)
    near = highs.run(highs.new_highs(a, integer=True, options=highs.base_options(1e-3, None, False)), 20)
    assert near["x"] is not None  # HiGHS's bound lies above the optimum, its objective below
    assert start.objective <= near["bound"] + 1e-6
    assert start.objective >= 0.5 * near["objective"]  # a start worth having, not the empty allocation
    assert start.bound >= near["objective"] - 1e-6
    assert start.approved > 50
    phased = m.cells.groupby("project_id")["phase"].nunique() > 1
    column = {v.name: j for j, v in enumerate(variables)}
    chosen = m.cells.loc[np.rint([start.x[column[v.name]] for v in m.cells["x"]]) == 1, "project_id"]
    assert phased.reindex(chosen.unique()).any(), "no phased project in the greedy start"


def test_the_verifier_passes_the_greedy_start(shaped, monkeypatch):
    """The greedy allocation, whole, through the pipeline's independent verifier."""
    name, scenario, *_ = shaped

    def greedy_only(a, gap, limit, threads=None, msg=False, layout=None, **groups):
        g = greedy_start(a, layout)
        return Outcome(status="stopped", x=g.x, objective=g.objective, bound=g.bound, stop_reason=TIME_LIMIT)

    monkeypatch.setattr(solution, "solve_with_deadline", greedy_only)
    result = solve_scenario(scenario, SolveOptions(time_limit=30), counterfactuals=False)
    assert result.checks["ok"].all(), result.checks[~result.checks["ok"]]
    assert not result.solution.proven_optimal and result.solution.gap > 0
    assert (result.projects["status"] == "approved").sum() > 50


def test_one_second_for_twenty_thousand_projects_gives_a_verified_allocation(tmp_path):
    folder = generate_scenario(tmp_path / "province", counties=170, projects=20_000, years=5, seed=20230630, phased=0.1)
    scenario = load(folder)
    started = time.perf_counter()
    result = solve_scenario(scenario, SolveOptions(time_limit=1.0, gap=1e-3), counterfactuals=False)
    sol = result.solution
    assert result.checks["ok"].all()
    assert sol.status == "feasible" and not sol.proven_optimal and "not proven optimal" in sol.message
    assert sol.gap is not None and sol.bound >= sol.objective
    assert sol.stop_reason == TIME_LIMIT
    assert (result.projects["status"] == "approved").sum() > 100
    assert time.perf_counter() - started < 600  # the whole pipeline; the solver's own share is checked below
    assert sum(step["seconds"] or 0.0 for step in sol.steps[:1]) <= 1.0 + 1.0  # the greedy within its share (+ its base MIP)


# ------------------------------------------------------------------ Dask ----

@pytest.fixture(scope="module")
def medium(tmp_path_factory):
    """40 counties: county MIPs enough for two workers to share, and for one to be killed among them."""
    folder = generate_scenario(tmp_path_factory.mktemp("medium") / "s", counties=40, projects=2_400, years=3, seed=5,
                               phased=0.15)
    scenario, m, variables, a = model_of(folder)
    lp = highs.run(highs.new_highs(a, integer=False, options=highs.base_options(1e-4, None, False)), None)
    return {"scenario": scenario, "m": m, "variables": variables, "a": a, "groups": column_groups(m, variables), "lp": lp}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as c:
        yield c


def bound_of(medium, on):
    a, county = medium["a"], medium["groups"]["county"]
    return county_lagrangian(a, county, linking_rows(a, county), medium["lp"]["duals"], medium["lp"]["objective"],
                             highs.base_options(1e-4, None, False), 1e-4, None, on)


def test_county_mips_on_a_local_cluster_and_in_one_process_agree(medium, cluster):
    here = bound_of(medium, engine(workers=1))
    with engine(cluster.scheduler_address, 2) as on:
        there = bound_of(medium, on)
    assert on.kind == "dask" and here.counties == there.counties == 40
    assert there.bound == pytest.approx(here.bound, rel=1e-12)
    assert np.array_equal(there.x, here.x)


def test_the_decomposition_on_dask_and_serially_gives_the_same_bound_and_allocation(medium, cluster, monkeypatch):
    a, groups = medium["a"], medium["groups"]
    on_dask = solve_arrays(a, 1e-3, None, large_at=50, scheduler=cluster.scheduler_address, **groups)
    monkeypatch.setattr(large, "local_workers", lambda threads: 1)  # (threads=1 would do, in a fresh process)
    serial = solve_arrays(a, 1e-3, None, large_at=50, **groups)
    names = [(p["name"], p["status"]) for p in on_dask.phases + serial.phases]
    assert any("Dask" in n for n, _ in names) and not any("Dask" in p["name"] for p in serial.phases), names
    assert on_dask.bound == pytest.approx(serial.bound, rel=1e-12)
    assert on_dask.objective == pytest.approx(serial.objective, rel=1e-12)
    assert np.array_equal(on_dask.x, serial.x)


def test_a_worker_killed_mid_way_gives_the_same_result(medium, cluster):
    here = bound_of(medium, engine(workers=1))
    with engine(cluster.scheduler_address, 2) as on:
        c = on.dask_client()
        pids = c.run(os.getpid)  # worker address -> pid
        victim = sorted(pids.values())[0]
        killed = []

        def kill_one(i, result):
            if not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(i)

        original = on.map

        def map_and_kill(fn, tasks, deadline=None, on_done=None, **kw):
            return original(fn, tasks, deadline, on_done=kill_one, **kw)

        on.map = map_and_kill
        there = bound_of(medium, on)
        assert killed, "no task came back"
        c.wait_for_workers(2, timeout=60)  # the nanny starts another
        assert victim not in c.run(os.getpid).values()
    assert there is not None
    assert there.bound == pytest.approx(here.bound, rel=1e-12)
    assert np.array_equal(there.x, here.x)


def test_the_time_limit_holds_on_the_dask_path(medium, cluster):
    a, groups, m, variables = medium["a"], medium["groups"], medium["m"], medium["variables"]
    limit = 6.0
    started = time.perf_counter()
    out = solve_with_deadline(a, 1e-9, limit, layout=cell_layout(m, variables), scheduler=cluster.scheduler_address,
                              large_at=50, **groups)
    elapsed = time.perf_counter() - started
    assert elapsed <= limit + max(2.0, 0.02 * limit) + 1.5  # the limit, the grace, and stopping the child
    assert out.x is not None and within_every_row(a, out.x)
    assert out.stop_reason in (TIME_LIMIT, GAP_MET)


def test_the_strategy_uses_its_time_while_the_gap_is_not_met(medium):
    """A tiny gap target and a short limit: the run ends with the gap met, or within NEAR of its limit."""
    a, groups, m, variables = medium["a"], medium["groups"], medium["m"], medium["variables"]
    limit = 15.0
    out = solve_with_deadline(a, 1e-9, limit, layout=cell_layout(m, variables), large_at=50, **groups)
    assert out.x is not None and within_every_row(a, out.x)
    if out.stop_reason != GAP_MET:
        assert out.seconds >= (1 - NEAR) * limit - 0.5, (out.stop_reason, out.seconds, [p["name"] for p in out.phases])
    else:
        assert out.gap <= 1e-9 * (1 + 1e-6)
    assert len(out.progress) >= 1


def test_a_county_task_carries_only_its_county(medium):
    """What a worker receives: one county's MIP, a fraction of the model."""
    a, county = medium["a"], medium["groups"]["county"]
    sent = []

    class Spy:
        workers, kind = 1, "serial"

        def map(self, fn, tasks, deadline=None, on_done=None, partial=False):
            for task in tasks:  # a task: a few counties
                sent.extend(task)
            return [fn(t) for t in tasks]

    bound_of(medium, Spy())
    assert len(sent) == 40
    assert all(task[0].shape[1] < a.shape[1] / 10 for task in sent)
    assert sum(task[0].shape[1] for task in sent) <= a.shape[1]
    assert solve_county(sent[0][:4])["bound"] is not None  # (its MIP, options, cap, end; then the MIPs after it)


def _nap(seconds):
    time.sleep(seconds)
    return seconds


@pytest.mark.parametrize("where", ["serial", "dask"])
def test_a_map_out_of_time_gives_what_came_back_when_asked(cluster, where):
    """``Engine.map`` at its deadline: None by default; with ``partial`` the results back, None for each task not."""
    with engine(cluster.scheduler_address if where == "dask" else None, 2 if where == "dask" else 1) as on:
        on.map(_nap, [0.0, 0.0])  # the workers started, before the clock
        tasks, wait = ([0.0, 6.0], 3.0) if where == "dask" else ([0.0, 0.6, 0.6], 0.5)  # (a loaded machine: Dask's margin)
        assert on.map(_nap, tasks, time.perf_counter() + wait) is None
        got = on.map(_nap, tasks, time.perf_counter() + wait, partial=True)
    assert got[0] == 0.0 and got[-1] is None


def test_a_round_short_of_time_still_gives_a_valid_bound_and_complete_county_solutions(medium, monkeypatch):
    """The county MIPs given no time (``MIN_MIP_SECONDS`` above any cap) and one task never back: each county gives its
    LP relaxation's bound (solved here for the task not back), the bound stays above the full round's (itself above
    the optimum),
    and with a fallback allocation the county solutions are complete, that allocation's columns where none came."""
    from quota.solve import lagrange

    a, county = medium["a"], medium["groups"]["county"]
    full = bound_of(medium, engine(workers=1))
    fallback = greedy_start(a, cell_layout(medium["m"], medium["variables"])).x

    class LosesATask:
        workers, kind = 1, "serial"

        def map(self, fn, tasks, deadline=None, on_done=None, partial=False):
            assert partial
            return [None] + [fn(t) for t in tasks[1:]]

    monkeypatch.setattr(lagrange, "MIN_MIP_SECONDS", 1e9)
    short = county_lagrangian(a, county, linking_rows(a, county), medium["lp"]["duals"], medium["lp"]["objective"],
                              highs.base_options(1e-4, None, False), 1e-4, time.perf_counter() + 60, LosesATask(),
                              fallback=fallback)
    assert short.relaxed == short.counties == 40 and short.stopped == 0 and short.filled == 40
    assert short.bound >= full.bound - 1e-6
    assert np.array_equal(short.x[county >= 0], fallback[county >= 0])
    assert "LP relaxation" in short.status()
