"""Counterfactual intervals are proven: the true loss, from independent re-solves solved to optimality, lies inside
every interval, for projects in dependencies, phased projects and projects in restricted counties; every repaired
allocation keeps every row of the model; the alternative names its projects."""
from pathlib import Path

import numpy as np
import pytest

from quota.commands.generate import generate_scenario
from quota.explain.cf_repair import Repairer, settle
from quota.explain.counterfactual import _base_vector, _dependencies, eval_counterfactuals
from quota.input.validate import load
from quota.model import compat
from quota.model.build import build_model
from quota.pipeline import solve_scenario
from quota.solve.arrays import Arrays
from quota.solve.solution import SolveOptions, cell_layout, solve

EXACT = SolveOptions(gap=1e-9)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A small generated city with many phased projects, dependencies and restricted counties."""
    folder = generate_scenario(tmp_path_factory.mktemp("cf") / "city", counties=4, projects=45, years=3, seed=11,
                               phased=0.3, dependencies=0.2, restricted=0.5, locks=0.0, force=True)
    s = load(folder)
    run = solve_scenario(s, SolveOptions(gap=1e-6))
    cf = eval_counterfactuals(run.model, run.solution, budget=20.0, gap=1e-6)
    return folder, run, cf


def sample(run, cf) -> list[str]:
    """Projects in dependencies, phased projects, projects in restricted counties, and a few more."""
    s, p = run.scenario, run.model.projects
    live = [q for q in cf.index if cf.at[q, "result"] in ("solved", "bounded")]
    deps = set(s.dependencies["project_id"]) | set(s.dependencies["requires"])
    phased = set(s.phases["project_id"]) if s.phases is not None and len(s.phases) else set()
    restricted = set(run.counties.index[run.counties["restricted"].astype(bool)]) if "restricted" in run.counties else set()
    in_restricted = {q for q in live if p.at[q, "county_id"] in restricted}
    picked = []
    for group in (deps, phased, in_restricted):
        mine = [q for q in live if q in group and q not in picked]
        kinds = {cf.at[q, "kind"] for q in mine}
        for kind in sorted(kinds):  # both kinds where the group has them
            picked += [q for q in mine if cf.at[q, "kind"] == kind][:2]
    rest = [q for q in live if q not in picked]
    picked += rest[:: max(1, len(rest) // 4)][:4]
    return picked


def forced_optimum(folder: Path, pid: str, kind: str) -> float | None:
    """An independent PuLP model with ``pid`` locked out (its approvals' bounds at 0) or in (its first phase approved
    once), solved to optimality; None if infeasible."""
    m = build_model(load(folder))
    cells = m.cells[m.cells["project_id"] == pid]
    if kind == "why":
        for x in cells["x"]:
            x.upBound = 0
    else:
        first = cells[cells["phase"] == cells["phase"].min()]
        compat.add_constraint(m.prob, compat.expr([(x, 1.0) for x in first["x"]]) == 1, "forced_in")
    try:
        sol = solve(m, EXACT)
    except Exception:  # noqa: BLE001 - infeasible with the lock
        return None
    assert sol.proven_optimal
    return sol.objective


def test_true_loss_lies_inside_every_interval(city):
    folder, run, cf = city
    optimum = solve(build_model(load(folder)), EXACT).objective
    picked = sample(run, cf)
    deps = set(run.scenario.dependencies["project_id"]) | set(run.scenario.dependencies["requires"])
    assert any(q in deps for q in picked) and len(picked) >= 6
    kinds = set()
    for pid in picked:
        row = cf.loc[pid]
        other = forced_optimum(folder, pid, row["kind"])
        assert other is not None, pid
        loss = optimum - other
        assert row["loss_low"] - 1e-4 <= loss <= row["loss_high"] + 1e-4, (pid, row["kind"], loss, row["loss_low"], row["loss_high"])
        kinds.add(row["kind"])
    assert kinds == {"why", "why_not"}


def test_essential_and_impossible_are_proven(city):
    folder, _, cf = city
    for pid in cf.index[cf["result"].isin(["essential", "impossible"])][:3]:
        assert forced_optimum(folder, pid, cf.at[pid, "kind"]) is None, pid


def test_every_interval_names_its_alternative(city):
    _, run, cf = city
    live = cf[cf["result"].isin(["solved", "bounded"])]
    assert len(live) and live["changes"].notna().all()
    assert (live["changes"].astype(str).str.len() > 0).all()  # "none" when no other project changes
    named = live["changes"] != "none"
    assert named.sum() >= 3
    pids = set(run.model.projects.index)
    for text in live.loc[named, "changes"]:
        for item in text.split("; "):
            word, pid, years = item.split(" ")[:3]
            assert word in ("in", "out", "moved") and pid in pids and years[:4].isdigit()
    assert (live["loss_low"] <= live["loss_high"] + 1e-9).all()


def repairs_of(run):
    """The model's arrays, layout and project names, and a ``Repairer`` of the run's allocation."""
    m = run.model
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    layout = cell_layout(m, variables)
    column = {v.name: j for j, v in enumerate(variables)}
    names = m.cells["project_id"].astype("category").cat.categories
    number = {q: k for k, q in enumerate(names)}
    x0 = settle(a, layout.columns["x"], _base_vector(column, a.shape[1], m, run.solution))
    assert x0 is not None and float(a.cost @ x0 + a.offset) == pytest.approx(run.solution.objective, abs=1e-4)
    return a, layout, names, Repairer(a, layout, x0, *_dependencies(m, number))


def keeps_every_row(a: Arrays, x: np.ndarray) -> bool:
    use = np.bincount(np.repeat(np.arange(a.shape[0]), np.diff(a.starts)), weights=a.value * x[a.index],
                      minlength=a.shape[0])
    return bool(np.all(use <= a.row_upper + 1e-6) and np.all(use >= a.row_lower - 1e-6))


def test_every_repair_keeps_every_row(city):
    """Each repaired allocation, checked against the rows of a fresh matrix of the model: within every bound, the
    project locked as asked."""
    _, run, _ = city
    a, layout, names, repairer = repairs_of(run)
    done = 0
    for k in range(len(names)):
        approved = bool(repairer.approved0[k])
        x = repairer.lock_out(k) if approved else repairer.lock_in(k)
        if x is None:
            continue
        assert keeps_every_row(a, x), names[k]
        mine = layout.columns["x"][layout.project == k]
        assert (x[mine].sum() == 0) if approved else (x[mine].sum() >= 1), names[k]
        done += 1
    assert done >= len(names) // 2


def test_a_lock_out_that_breaks_a_row_is_mended(default_run):
    """Under hebei-2024 (the bundled default) a project's stock disposal earns its county quota: taking the project
    out can leave the county's other approvals above what it earned. The repair gives up approvals to mend such a
    row, rather than leaving the counterfactual without an alternative."""
    a, layout, names, repairer = repairs_of(default_run)
    from quota.solve.greedy import Rows

    mended = 0
    for k in np.flatnonzero(repairer.approved0).tolist():
        x, rows = repairer.x0.copy(), Rows(a, repairer.x0)
        for q in {k} | repairer._closure(k, repairer.required_by):
            repairer._remove(x, rows, q)
        broken = repairer._broken(rows)
        out = repairer.lock_out(k)
        if out is not None:
            assert keeps_every_row(a, out) and out[layout.columns["x"][layout.project == k]].sum() == 0, names[k]
        if broken and all(e > 0 for e in broken.values()):  # only rows above their upper bound
            assert out is not None, names[k]
            mended += 1
    assert mended >= 3  # the bundled scenario has such projects: the test is not empty


def test_a_counterfactual_with_no_repair_gets_an_alternative(city, monkeypatch):
    """With no repair at all, every counterfactual that is neither essential nor impossible still names its
    alternative under ``auto``: a task with no allocation is re-solved first (its tolerance is unbounded, yet it is
    open)."""
    _, run, _ = city
    monkeypatch.setattr(Repairer, "lock_out", lambda self, p: None)
    monkeypatch.setattr(Repairer, "lock_in", lambda self, p: None)
    cf = eval_counterfactuals(run.model, run.solution, budget=10.0, gap=1e-6)
    assert (cf["result"] != "unknown").all(), cf.index[cf["result"] == "unknown"].tolist()
    live = cf[cf["result"].isin(["solved", "bounded"])]
    assert len(live) >= 10 and live["changes"].notna().all()


def test_a_task_with_no_allocation_is_open_for_either_aim():
    """Its loss has no upper end, so its tolerance has none: it must still count as open (it was once closed for the
    tolerance aim, and ``auto`` left it without an alternative until the budget ended)."""
    from quota.explain.cf_search import Search

    search = Search(None, np.array([], dtype=np.int64), 1e-4, {"z": 10.0, "b": 10.5, "gap": 0.5}, [])
    t = {"x": None, "result": None, "low": -np.inf, "high": 10.5}
    assert search.open(t, False) and search.open(t, True)
    assert not search.open({**t, "result": "essential"}, False)


def test_summary_and_report_say_exact_and_widest(city):
    """summary.json's counterfactuals block and the report's words for the alternative, in both languages."""
    from quota.explain.project import _cf_text  # the line quota explain prints
    from quota.pipeline import eval_counterfactual_summary
    from quota.report.cf_text import changes_text

    _, run, cf = city
    block = eval_counterfactual_summary(cf)
    interval = cf[cf["result"].isin(["solved", "bounded"])]
    assert block["computed"] == len(cf)
    assert block["exact"] == int((cf["result"] == "solved").sum() + cf["result"].isin(["essential", "impossible"]).sum())
    assert block["widest"] == pytest.approx(float((interval["loss_high"] - interval["loss_low"]).max()))
    names = run.model.projects["name"]
    pid = next(q for q in interval.index if interval.at[q, "changes"] != "none")
    zh, en = changes_text(cf.at[pid, "changes"], names, "zh"), changes_text(cf.at[pid, "changes"], names, "en")
    other = cf.at[pid, "changes"].split("; ")[0].split(" ")[1]
    assert f"{names[other]}({other})" in zh and f"{names[other]} ({other})" in en
    assert changes_text("none", names, "zh") == "其他项目不变" and changes_text("none", names, "en") == "no other project changes"
    line = _cf_text(cf.loc[pid].to_dict(), "en", dict(names))
    assert "the alternative" in line and other in line


def test_progress_bar_only_on_a_terminal(monkeypatch):
    """`--counterfactuals full` shows a progress bar on stderr when it is a terminal, and nothing otherwise."""
    import io
    import sys

    from quota.commands.progress import counterfactual_progress

    with counterfactual_progress(True) as progress:  # pytest's stderr is not a terminal
        assert progress is None
    with counterfactual_progress(False) as progress:
        assert progress is None

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with counterfactual_progress(True) as progress:
        progress(3, 10)
        progress(10, 10)
    assert "counterfactuals exact" in term.getvalue() and "10/10" in term.getvalue()


def with_lagrangian(run):
    """The model's arrays, its cells' layout, its county per column, the run's allocation within every row, the LP
    relaxation and the Lagrangian by county at its best prices."""
    from quota.explain.cf_lagrange import county_bounds
    from quota.solve import highs
    from quota.solve.solution import column_groups

    m = run.model
    variables, raw = compat.matrix(m.prob)
    a = Arrays(**raw)
    layout = cell_layout(m, variables)
    column = {v.name: j for j, v in enumerate(variables)}
    x0 = settle(a, layout.columns["x"], _base_vector(column, a.shape[1], m, run.solution))
    county = column_groups(m, variables)["county"]
    lp = highs.run(highs.new_highs(a, integer=False, options={"output_flag": False}), None)
    return a, layout, county, x0, lp, county_bounds(a, county, x0, lp["duals"], None)


@pytest.fixture(scope="module")
def arrays(city):
    return with_lagrangian(city[1])


def test_lagrangian_bound_lies_between_the_optimum_and_the_lp(city, arrays):
    """``L`` at the best prices bounds the optimum and is no looser than the LP it starts from."""
    folder, _, _ = city
    a, _, county, _, lp, lagrangian = arrays
    optimum = solve(build_model(load(folder)), EXACT).objective
    assert lagrangian is not None and len(np.unique(county[county >= 0])) >= 2
    assert optimum - 1e-6 <= lagrangian.bound <= lp["objective"] + 1e-6
    assert lagrangian.rounds >= 1 and len(lagrangian.county_bound) == len(lagrangian.problems)


def test_locked_lagrangian_bound_holds(city, arrays):
    """``L(p) − v_c + v_c^X`` is at least the locked optimum (independent PuLP re-solves), for both kinds, and at most
    ``L`` when a project is locked out of its own choice."""
    folder, run, cf = city
    a, layout, _, _, _, lagrangian = arrays
    names = run.model.cells["project_id"].astype("category").cat.categories
    number = {q: k for k, q in enumerate(names)}
    x_cols = layout.columns["x"]
    kinds = set()
    for pid in sample(run, cf):
        kind = cf.at[pid, "kind"]
        cells = np.flatnonzero(layout.project == number[pid])
        cols = x_cols[cells] if kind == "why" else x_cols[cells[layout.phase[cells] == layout.phase[cells].min()]]
        bound = lagrangian.locked(kind, cols, None)
        truth = forced_optimum(folder, pid, kind)
        assert bound is not None and truth is not None
        assert bound >= truth - 1e-6, (pid, kind, bound, truth)
        kinds.add(kind)
    assert kinds == {"why", "why_not"}


def test_locked_lagrangian_bound_holds_where_the_city_quota_binds(tmp_path):
    """The same with priced linking rows: no county caps, so the city's quota binds and its price is not 0."""
    folder = generate_scenario(tmp_path / "tight", counties=5, projects=40, years=2, seed=3, cap_share=0.0,
                               restricted=0.0, locks=0.0, phased=0.2, dependencies=0.1, force=True)
    run = solve_scenario(load(folder), SolveOptions(gap=1e-9))
    m = run.model
    a, layout, _, x0, lp, lagrangian = with_lagrangian(run)
    assert np.any(lagrangian.prices != 0) and run.solution.objective - 1e-6 <= lagrangian.bound <= lp["objective"] + 1e-6
    names = m.cells["project_id"].astype("category").cat.categories
    x_cols = layout.columns["x"]
    approved = {names[q] for q in layout.project[x0[x_cols] > 0.5]}
    checked = {"why": 0, "why_not": 0}
    for k, pid in enumerate(names):
        kind = "why" if pid in approved else "why_not"
        if checked[kind] >= 3:
            continue
        cells = np.flatnonzero(layout.project == k)
        cols = x_cols[cells] if kind == "why" else x_cols[cells[layout.phase[cells] == layout.phase[cells].min()]]
        truth = forced_optimum(folder, pid, kind)
        bound = lagrangian.locked(kind, cols, None)
        if truth is None:
            continue
        assert bound >= truth - 1e-6, (pid, kind, bound, truth)
        checked[kind] += 1
    assert checked == {"why": 3, "why_not": 3}


def test_a_restricted_resolve_proves_nothing(arrays):
    """A neighbourhood re-solve (columns held at values) returns an allocation that keeps them, and no bound."""
    from quota.explain.cf_solve import new_solver
    from quota.explain.cf_solve import solve as locked_solve

    a, layout, county, x0, _, _ = arrays
    held = np.flatnonzero(a.integer.astype(bool) & (county != county[layout.columns["x"][0]]))
    h = new_solver(a, True, 1e-9)
    r = locked_solve(h, {"kind": "none", "cols": [], "start": x0, "limit": 5.0, "abs_gap": 1e-6,
                         "fix": (held, np.round(x0[held]))}, layout.columns["x"])
    assert r["bound"] is None and not r["optimal"] and r["x"] is not None
    assert np.allclose(r["x"][held], np.round(x0[held]))
    assert r["objective"] >= float(a.cost @ x0 + a.offset) - 1e-6
    lp = h.getLp()  # the model as it was
    assert np.allclose(np.asarray(lp.col_upper_)[held], a.col_upper[held])


def test_restricted_resolves_bound_the_locked_optimum(tmp_path, monkeypatch):
    """With only the re-solves restricted as ``cf_search.Proof`` allows (no neighbourhoods, no whole-model re-solves),
    every interval still holds the true loss, and those re-solves narrowed some."""
    from quota.explain import cf_search

    folder = generate_scenario(tmp_path / "proof", counties=5, projects=40, years=2, seed=3, cap_share=0.0,
                               restricted=0.0, locks=0.0, phased=0.2, dependencies=0.1, force=True)
    run = solve_scenario(load(folder), SolveOptions(gap=1e-9))
    taken = []
    take = cf_search.Search._take

    def spy(self, t, r, task):
        before = t["high"]
        take(self, t, r, task)
        if "floor" in task:
            taken.append(before - t["high"])

    monkeypatch.setattr(cf_search.Search, "_neighbourhoods", lambda self, deadline, engine: None)
    monkeypatch.setattr(cf_search.Search, "_rounds", lambda self, *args: None)
    monkeypatch.setattr(cf_search.Search, "_take", spy)
    cf = eval_counterfactuals(run.model, run.solution, budget=60.0, gap=1e-9)
    assert len(taken) >= 5 and sum(d > 1e-6 for d in taken) >= 1
    optimum = run.solution.objective
    live = [q for q in cf.index if cf.at[q, "result"] in ("solved", "bounded")]
    for pid in live[:: max(1, len(live) // 8)]:
        other = forced_optimum(folder, pid, cf.at[pid, "kind"])
        assert other is not None
        loss = optimum - other
        assert cf.at[pid, "loss_low"] - 1e-4 <= loss <= cf.at[pid, "loss_high"] + 1e-4, (pid, loss)


def test_full_on_local_processes_makes_every_counterfactual_exact(city):
    """`full` on two local processes (the default of `quota run` on two cores): each re-solve comes back as it ends,
    every counterfactual ends exact (its own gap within the run's), the progress reaches its total, and the exact
    intervals hold the true loss."""
    folder, run, _ = city
    seen = []
    cf = eval_counterfactuals(run.model, run.solution, gap=1e-6, full=True, workers=2,
                              progress=lambda done, total: seen.append((done, total)))
    assert cf.attrs["engine"] != "one process" and cf.attrs["resolves"] > 0
    assert cf["exact"].astype(bool).all(), cf[~cf["exact"].astype(bool)]
    interval = cf[cf["result"] == "solved"]
    assert ((interval["objective_high"] - interval["objective_low"]) <= cf.attrs["run_gap"] + 1e-9).all()
    assert seen and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    optimum = solve(build_model(load(folder)), EXACT).objective
    for pid in sample(run, cf)[:4]:
        loss = optimum - forced_optimum(folder, pid, cf.at[pid, "kind"])
        assert cf.at[pid, "loss_low"] - 1e-4 <= loss <= cf.at[pid, "loss_high"] + 1e-4, (pid, loss)


def test_a_job_whose_turn_comes_after_the_deadline_is_not_run(city):
    """On a worker, a re-solve ends by the search's deadline however long it waited for its turn: one whose turn
    comes after it gives nothing (no bound, no allocation), one with time left is solved."""
    import time

    from quota.explain.cf_solve import solve_batch

    _, run, _ = city
    variables, raw = compat.matrix(run.model.prob)
    x_cols = cell_layout(run.model, variables).columns["x"]
    task = {"kind": "none", "cols": x_cols[:0], "start": None, "limit": None, "abs_gap": 1e-6}
    late, fine = solve_batch((object(), Arrays(**raw), 1e-6,
                              [{**task, "until": time.time() - 1.0}, {**task, "until": time.time() + 120.0}], x_cols))
    assert late["skipped"] and late["bound"] is None and late["objective"] is None and late["x"] is None
    assert not fine.get("skipped") and fine["optimal"] and fine["objective"] == pytest.approx(run.solution.objective, abs=1e-3)
