"""Sweeps (quota.commands.sweep): the grid, point folders, resume after a kill (acceptance 3), and the same
sweep.csv on a local process pool and on a Dask LocalCluster (acceptance 2)."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from builder import project, write_scenario
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import QuotaError, ScenarioError
from quota.solve.solution import SolveOptions
from quota.commands.sweep import run_sweep
from quota.commands.sweep_grid import grid_points, parse_values, read_grid

TINY = Path(__file__).parent / "fixtures" / "tiny"
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


# ------------------------------------------------------------------ grid ----

def test_values_and_grid_file(tmp_path):
    assert parse_values("linkage.penalty", "0,0.5,1,2") == [0, 0.5, 1, 2]
    assert parse_values("linkage.exempt_categories", "[livelihood],[livelihood,infrastructure]") == [
        ["livelihood"], ["livelihood", "infrastructure"]]
    (tmp_path / "grid.yaml").write_text("linkage.penalty: [0, 1]\nfactor.unused: pool\n", encoding="utf-8")
    grid = read_grid(["quota.scale=0.9,1.1"], tmp_path / "grid.yaml")
    assert grid == {"linkage.penalty": [0, 1], "factor.unused": ["pool"], "quota.scale": [0.9, 1.1]}
    points = grid_points(grid)
    assert len(points) == 4 and points[0].name == "linkage.penalty=0__factor.unused=pool__quota.scale=0.9"


def test_point_names_are_safe_and_stable():
    (p,) = grid_points({"linkage.exempt_categories": [["livelihood", "infrastructure"]]})
    assert "/" not in p.name and '"' not in p.name and p.name == grid_points({"linkage.exempt_categories": [["livelihood", "infrastructure"]]})[0].name
    a, b = grid_points({"name": ["a/b", "a_b"]})
    assert a.name != b.name


@pytest.mark.parametrize("sets, message", [(["linkage.penalti=0,1"], "not a scenario key"), (["linkage.penalty"], "KEY.PATH=V1"),
                                            (["quota.scale=0.9", "quota.scale=1"], "swept twice"), ([], "nothing to sweep")])
def test_bad_grids_are_errors_naming_the_key(sets, message):
    with pytest.raises((ScenarioError, QuotaError), match=message):
        read_grid(sets)


def test_cli_sweep_wrong_type_exits_1_before_solving(tmp_path):
    result = CliRunner().invoke(cli, ["sweep", str(TINY), "--set", "linkage.penalty=0,high", "--out", str(tmp_path / "s")])
    assert result.exit_code == 1 and "linkage.penalty" in result.output and "must be a number" in result.output
    assert not (tmp_path / "s" / "points").exists() or not any((tmp_path / "s" / "points").iterdir())


def test_infeasible_point_and_another_scenarios_folder(tmp_path):
    """A point whose scenario is infeasible is recorded (status infeasible) and the others still run;
    a sweep folder of another scenario is refused."""
    folder = write_scenario(tmp_path / "lock", projects=[project(lock="in", area=50)])
    out = tmp_path / "sweep"
    r = run_sweep(folder, {"quota.scale": [1, 0.1]}, out, SolveOptions(), workers=1)
    assert dict(zip(r.table["quota.scale"], r.table["status"])) == {1: "optimal", 0.1: "infeasible"}
    assert json.loads((out / "points" / "quota.scale=0.1" / "summary.json").read_text(encoding="utf-8"))["status"] == "infeasible"
    with pytest.raises(QuotaError, match="another scenario"):
        run_sweep(TINY, {"quota.scale": [1]}, out, SolveOptions(), workers=1)


# ---------------------------------------------------------------- resume ----

def snapshot(points: Path) -> dict[str, tuple]:
    out = {}
    for d in points.iterdir():
        if not d.name.startswith("."):
            st, fs = d.stat(), (d / "summary.json").stat()
            out[d.name] = (st.st_ino, st.st_mtime_ns, fs.st_ino, fs.st_mtime_ns)
    return out


def test_a_killed_sweep_resumes_with_only_the_points_left(tmp_path):
    """Acceptance 3: kill the sweep (its whole process group, SIGKILL) once the first point folder
    appears; the re-run solves only the others and leaves the finished folders untouched."""
    out = tmp_path / "sweep"
    args = [str(TINY), "--set", "linkage.penalty=0,1,2,3", "--set", "quota.scale=1", "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen([sys.executable, "-m", "quota", "sweep", *args], env=ENV, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    points = out / "points"
    deadline = time.monotonic() + 120
    try:
        while not (points.is_dir() and any(not p.name.startswith(".") for p in points.iterdir())):
            assert proc.poll() is None and time.monotonic() < deadline, "the sweep ended or stalled before its first point"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    before = snapshot(points)
    assert 1 <= len(before) < 4, before
    result = CliRunner().invoke(cli, ["sweep", *args])
    assert result.exit_code == 0, result.output
    assert f"{len(before)} already done, {4 - len(before)} to solve" in result.output
    assert f"{4 - len(before)} solved, {len(before)} skipped" in result.output
    after = snapshot(points)
    assert set(after) == {f"linkage.penalty={k}__quota.scale=1" for k in range(4)}
    assert {k: after[k] for k in before} == before  # the earlier folders were not rewritten
    assert not [p for p in points.iterdir() if p.name.startswith(".")]  # no half-written folder left
    table = pd.read_csv(out / "sweep.csv")
    assert list(table["status"]) == ["optimal"] * 4


# ----------------------------------------------------- local and on Dask ----

def test_twelve_points_of_the_default_scenario_locally_and_on_a_dask_cluster(tmp_path, contract_path, capsys):
    """Acceptance 2: 4 × 3 points, a local pool of 2 processes and a LocalCluster of 2 workers,
    identical sweep.csv; a PNG per swept parameter."""
    from distributed import LocalCluster

    grid = read_grid(["linkage.penalty=0,0.5,1,2", "quota.scale=0.9,1,1.1"])
    opts = SolveOptions(gap=1e-3)
    local = run_sweep(contract_path, grid, tmp_path / "local", opts, workers=2)
    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        up = time.perf_counter() - started
        dask = run_sweep(contract_path, grid, tmp_path / "dask", opts, scheduler=cluster.scheduler_address)
    assert len(local.solved) == len(dask.solved) == 12 and not local.failed and not dask.failed
    a = (tmp_path / "local" / "sweep.csv").read_text(encoding="utf-8")
    b = (tmp_path / "dask" / "sweep.csv").read_text(encoding="utf-8")
    assert a == b
    table = pd.read_csv(tmp_path / "local" / "sweep.csv")
    assert len(table) == 12 and (table["status"] == "optimal").all()
    assert {"objective", "gap", "value", "utilisation_2023", "projects_approved", "key_approved", "new_total",
            "advance_total", "stock_total"} <= set(table.columns)
    assert table.groupby("quota.scale")["objective"].mean().is_monotonic_increasing  # more quota, more value
    for key in grid:
        assert (tmp_path / "local" / "figures" / f"{key}.png").stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nsweep of 12 points: local pool of 2 {local.seconds:.1f} s; LocalCluster of 2 {dask.seconds:.1f} s "
              f"(+ {up:.1f} s to start it)")


# ----------------------------------------------------------------- reuse ----
# A done point is reused only if it was solved with the same input files (hashes) and options; otherwise
# it is refused, naming each difference, and --force solves it again (docs/scenarios-and-sweeps.md).

@pytest.fixture
def swept(tmp_path):
    folder = write_scenario(tmp_path / "city", projects=[project(project_id="P1", area=60), project(project_id="P2", area=60)])
    out = tmp_path / "sweep"
    first = run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1)
    assert sorted(first.solved) == ["quota.scale=0.5", "quota.scale=1"]
    return folder, out


def test_the_same_sweep_again_reuses_every_point(swept):
    folder, out = swept
    again = run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1)
    assert again.solved == [] and sorted(again.skipped) == ["quota.scale=0.5", "quota.scale=1"]


def test_a_changed_table_is_refused_naming_the_file_then_forced_again(swept):
    """The issue's example: a sweep re-run after its scenario changed reported the old objectives."""
    folder, out = swept
    before = pd.read_csv(out / "sweep.csv").set_index("quota.scale")["objective"]
    text = (folder / "projects.csv").read_text(encoding="utf-8").replace(",60,", ",30,")
    (folder / "projects.csv").write_text(text, encoding="utf-8")
    with pytest.raises(QuotaError) as e:
        run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1)
    message = str(e.value)
    assert "projects.csv changed" in message and "2 point(s)" in message and "--force" in message
    assert "scenario.yaml" not in message and "counties.csv" not in message  # only what differs
    forced = run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1, force=True)
    assert sorted(forced.solved) == ["quota.scale=0.5", "quota.scale=1"] and forced.skipped == []
    after = pd.read_csv(out / "sweep.csv").set_index("quota.scale")["objective"]
    assert (after != before).any()  # solved with the new table, not the old figures
    assert run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1).solved == []


def test_an_added_point_is_solved_and_the_others_reused(swept):
    folder, out = swept
    r = run_sweep(folder, {"quota.scale": [1, 0.5, 0.8]}, out, SolveOptions(), workers=1)
    assert r.solved == ["quota.scale=0.8"] and sorted(r.skipped) == ["quota.scale=0.5", "quota.scale=1"]


@pytest.mark.parametrize("change, word", [({"opts": SolveOptions(gap=0.01)}, "option gap: 0.0001 then, 0.01 now"),
                                          ({"lang": "zh"}, "option lang: None then, 'zh' now"),
                                          ({"method": "factor"}, "option method: 'optimise' then, 'factor' now"),
                                          ({"full_report": True}, "option full_reports: False then, True now"),
                                          ({"opts": SolveOptions(time_limit=30)}, "option time_limit")])
def test_another_option_is_refused_naming_it_old_and_new(swept, change, word):
    folder, out = swept
    kwargs = {"opts": SolveOptions(), **change}
    with pytest.raises(QuotaError) as e:
        run_sweep(folder, {"quota.scale": [1]}, out, workers=1, **kwargs)
    assert word in str(e.value) and "projects.csv" not in str(e.value)


def test_an_extends_file_is_an_input_of_the_points(swept, tmp_path):
    folder, out = swept
    variant = tmp_path / "variant"
    variant.mkdir()
    (variant / "scenario.yaml").write_text("extends: ../city/scenario.yaml\nname: variant\n", encoding="utf-8")
    vout = tmp_path / "vsweep"
    assert len(run_sweep(variant, {"quota.scale": [1]}, vout, SolveOptions(), workers=1).solved) == 1
    (folder / "scenario.yaml").write_text((folder / "scenario.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(QuotaError, match=r"city/scenario.yaml changed"):
        run_sweep(variant, {"quota.scale": [1]}, vout, SolveOptions(), workers=1)


def test_a_point_without_a_record_is_solved_again(swept):
    """A point written by an older quota, or cut short between its folder and its record, is not trusted."""
    folder, out = swept
    state = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    state["points"].pop("quota.scale=1")
    (out / "sweep.json").write_text(json.dumps(state), encoding="utf-8")
    r = run_sweep(folder, {"quota.scale": [1, 0.5]}, out, SolveOptions(), workers=1)
    assert r.solved == ["quota.scale=1"] and r.skipped == ["quota.scale=0.5"]


def test_cli_sweep_mismatch_names_the_file_and_force_resolves(swept):
    folder, out = swept
    (folder / "counties.csv").write_text((folder / "counties.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    args = ["sweep", str(folder), "--set", "quota.scale=1,0.5", "--out", str(out), "--workers", "1"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1 and "counties.csv changed" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(cli, args + ["--force"])
    assert r.exit_code == 0, r.output
    assert "2 solved, 0 skipped" in r.output


def test_every_point_of_a_sweep_audits_clean(swept):
    """A sweep point is a run folder with the short report: the audit (with its re-solve) passes on each."""
    _, out = swept
    points = sorted(p for p in (out / "points").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(points) == 2
    for point in points:
        audit = CliRunner().invoke(cli, ["audit", str(point)])
        assert audit.exit_code == 0, audit.output
        assert "re-solve: done" in audit.output
