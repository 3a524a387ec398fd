"""Data loss (issue 14): no command deletes or overwrites an input, ``--force`` replaces only a quota
output of the same kind, a killed write leaves nothing that a later write does not clean up, and a
killed sweep leaves no worker behind.

- Output folders: ``quota.report.write.check_target`` is the one rule of ``run``, ``compare``, ``sweep`` and
  ``generate``; the catalogue below tries each command against its own inputs, folders holding them,
  foreign folders and outputs of another kind, and checks that every input is byte for byte intact.
- Stale temporary folders: ``clean_stale`` removes ``.NAME.tmp-*`` / ``.NAME.old-*`` folders only
  when they are ours (name pattern and marker or quota manifest) and old (owner dead, or STALE_SECONDS).
  A real ``kill -9`` of ``quota run`` while it writes, then another run into the same parent folder.
- Orphans: a real ``kill -9`` of ``quota sweep`` while its pool workers solve; the workers exit.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from builder import write_scenario
from click.testing import CliRunner

import quota.run
import quota.report.write
from quota.commands.cli import cli
from quota.errors import QuotaError
from quota.report.write import MARKER, check_target, clean_stale

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "fixtures" / "tiny"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and /proc")


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def invoke(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def refused(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"unhandled {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    for w in words:
        assert w in result.output, (w, result.output)


@pytest.fixture
def scenario(tmp_path) -> Path:
    """A copy of the tiny scenario, beside an unrelated file of the user's."""
    folder = tmp_path / "work" / "city"
    shutil.copytree(TINY, folder)
    (tmp_path / "work" / "notes.txt").write_text("the user's notes", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("runs")
    for name, scale in (("a", "1"), ("b", "0.8")):
        r = invoke("run", TINY, "--out", base / name, "--counterfactuals", "off", "--set", f"quota.scale={scale}")
        assert r.exit_code == 0, r.output
    return base


@pytest.fixture
def runs(two_runs, tmp_path) -> Path:
    shutil.copytree(two_runs, tmp_path / "runs")
    return tmp_path / "runs"


# ------------------------------------------- output folders: the catalogue ----

def test_run_out_the_scenario_folder_with_force_is_refused(scenario):
    """The issue's example: `quota run S --out S --force` deleted scenario.yaml and phases.csv."""
    before = snapshot(scenario.parent)
    refused(invoke("run", scenario, "--out", scenario, "--force", "--counterfactuals", "off"), str(scenario), "input")
    assert snapshot(scenario.parent) == before


def test_run_out_a_folder_holding_the_scenario_is_refused(scenario):
    """The issue's example: --out a folder that contains the scenario deleted it and the files beside it."""
    before = snapshot(scenario.parent)
    refused(invoke("run", scenario, "--out", scenario.parent, "--force", "--counterfactuals", "off"), "holds the input")
    assert snapshot(scenario.parent) == before


def test_run_out_an_input_table_is_refused(scenario):
    before = snapshot(scenario.parent)
    refused(invoke("run", scenario, "--out", scenario / "projects.csv", "--force", "--counterfactuals", "off"),
            "is the input", "projects.csv")
    assert snapshot(scenario.parent) == before


def test_run_out_the_folder_of_an_extended_scenario_is_refused(scenario, tmp_path):
    variant = tmp_path / "variant"
    variant.mkdir()
    (variant / "scenario.yaml").write_text("extends: ../work/city/scenario.yaml\nname: variant\n", encoding="utf-8")
    before = snapshot(scenario)
    refused(invoke("run", variant, "--out", scenario, "--force", "--counterfactuals", "off"), str(scenario))
    assert snapshot(scenario) == before


def test_run_out_a_symlink_to_the_scenario_is_refused(scenario, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(scenario, target_is_directory=True)
    before = snapshot(scenario)
    refused(invoke("run", scenario, "--out", link, "--force", "--counterfactuals", "off"), "input")
    assert snapshot(scenario) == before and link.is_symlink()


def test_run_out_a_folder_quota_did_not_write_is_refused_even_with_force(scenario, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    refused(invoke("run", scenario, "--out", mine, "--force", "--counterfactuals", "off"),
            "not a folder quota wrote", "thesis.docx", "Move those files away")
    assert (mine / "thesis.docx").read_bytes() == b"years of work"


def test_run_out_a_run_folder_holding_a_file_of_the_user_is_refused(scenario, runs):
    (runs / "a" / "my-notes.txt").write_text("keep", encoding="utf-8")
    before = snapshot(runs / "a")
    refused(invoke("run", scenario, "--out", runs / "a", "--force", "--counterfactuals", "off"), "my-notes.txt", "did not write")
    assert snapshot(runs / "a") == before


def test_run_out_a_comparison_folder_is_refused(scenario, runs):
    assert invoke("compare", runs / "a", runs / "b", "--out", runs / "cmp").exit_code == 0
    before = snapshot(runs / "cmp")
    refused(invoke("run", scenario, "--out", runs / "cmp", "--force", "--counterfactuals", "off"),
            "comparison folder", "same kind")
    assert snapshot(runs / "cmp") == before


def test_run_force_replaces_an_earlier_run_folder(scenario, runs):
    r = invoke("run", scenario, "--out", runs / "a", "--force", "--counterfactuals", "off")
    assert r.exit_code == 0, r.output
    assert json.loads((runs / "a" / "manifest.json").read_text(encoding="utf-8"))["kind"] == "run"


def test_compare_out_run_a_with_force_is_refused(runs):
    """The issue's example: `quota compare A B --out A --force` replaced run A."""
    before = snapshot(runs)
    refused(invoke("compare", runs / "a", runs / "b", "--out", runs / "a", "--force"), str(runs / "a"), "input")
    refused(invoke("compare", runs / "a", runs / "b", "--out", runs / "b", "--force"), str(runs / "b"), "input")
    refused(invoke("compare", runs / "a", runs / "b", "--out", runs, "--force"), "holds the input")
    assert snapshot(runs) == before


def test_compare_force_replaces_only_a_comparison(runs):
    assert invoke("compare", runs / "a", runs / "b", "--out", runs / "cmp").exit_code == 0
    r = invoke("compare", runs / "b", runs / "a", "--out", runs / "cmp", "--force")
    assert r.exit_code == 0, r.output
    assert json.loads((runs / "cmp" / "manifest.json").read_text(encoding="utf-8"))["kind"] == "comparison"
    shutil.copytree(runs / "a", runs / "a2")
    before = snapshot(runs / "a2")
    refused(invoke("compare", runs / "a", runs / "b", "--out", runs / "a2", "--force"), "run folder", "not a comparison")
    assert snapshot(runs / "a2") == before


def test_generate_over_a_scenario_is_refused(scenario):
    before = snapshot(scenario)
    refused(invoke("generate", "--out", scenario, "--force", "--counties", "2", "--projects", "5", "--lang", "en"),
            "not a folder quota wrote")
    assert snapshot(scenario) == before


def test_generate_over_a_run_folder_is_refused_and_over_its_own_output_replaces(runs, tmp_path):
    before = snapshot(runs / "a")
    refused(invoke("generate", "--out", runs / "a", "--force", "--counties", "2", "--projects", "5", "--lang", "en"), "run folder")
    assert snapshot(runs / "a") == before
    gen = tmp_path / "gen"
    assert invoke("generate", "--out", gen, "--counties", "2", "--projects", "5").exit_code == 0
    assert json.loads((gen / "manifest.json").read_text(encoding="utf-8"))["kind"] == "scenario"
    r = invoke("generate", "--out", gen, "--force", "--counties", "2", "--projects", "6", "--seed", "3")
    assert r.exit_code == 0, r.output
    # a generated scenario the user then edited (a file added) is theirs: not replaced
    (gen / "variant.yaml").write_text("extends: scenario.yaml\n", encoding="utf-8")
    refused(invoke("generate", "--out", gen, "--force", "--counties", "2", "--projects", "5"), "variant.yaml")


def test_run_out_a_generated_scenario_of_its_own_is_refused(tmp_path):
    gen = tmp_path / "gen"
    assert invoke("generate", "--out", gen, "--counties", "2", "--projects", "5").exit_code == 0
    before = snapshot(gen)
    refused(invoke("run", gen, "--out", gen, "--force", "--counterfactuals", "off", "--lang", "en"), "input")
    assert snapshot(gen) == before


def test_sweep_out_the_scenario_or_the_grid_folder_is_refused(scenario, tmp_path):
    before = snapshot(scenario.parent)
    refused(invoke("sweep", scenario, "--set", "quota.scale=1", "--out", scenario, "--workers", "1"), "input")
    refused(invoke("sweep", scenario, "--set", "quota.scale=1", "--out", scenario.parent, "--workers", "1"), "holds the input")
    assert snapshot(scenario.parent) == before
    grids = tmp_path / "grids"
    grids.mkdir()
    (grids / "grid.yaml").write_text("quota.scale: [1]\n", encoding="utf-8")
    refused(invoke("sweep", scenario, "--grid", grids / "grid.yaml", "--out", grids, "--workers", "1"), "grid.yaml")
    refused(invoke("sweep", scenario, "--grid", grids / "grid.yaml", "--out", grids / "grid.yaml", "--workers", "1"), "is the input")
    assert (grids / "grid.yaml").read_text(encoding="utf-8") == "quota.scale: [1]\n"


def test_sweep_out_a_run_folder_or_a_foreign_folder_is_refused(scenario, runs, tmp_path):
    before = snapshot(runs / "a")
    refused(invoke("sweep", scenario, "--set", "quota.scale=1", "--out", runs / "a", "--workers", "1"), "not a sweep folder")
    assert snapshot(runs / "a") == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "data.csv").write_text("x\n", encoding="utf-8")
    refused(invoke("sweep", scenario, "--set", "quota.scale=1", "--out", mine, "--workers", "1"), "not a sweep folder", "data.csv")
    assert sorted(p.name for p in mine.iterdir()) == ["data.csv"]


def test_the_target_is_checked_before_solving(scenario, runs, monkeypatch):
    """Today a 60-second solve ended in "already exists": the refusal now comes before any solve."""
    def no_solve(*args, **kwargs):
        raise AssertionError("solved before the output folder was checked")
    monkeypatch.setattr(quota.run, "solve_scenario", no_solve)
    refused(invoke("run", scenario, "--out", runs / "a", "--counterfactuals", "off"), "already exists", "--force")
    refused(invoke("run", scenario, "--out", scenario, "--force", "--counterfactuals", "off"), "input")
    monkeypatch.setattr("quota.commands.compare.compare_runs", no_solve)
    refused(invoke("compare", runs / "a", runs / "b", "--out", runs / "a", "--force"), "input")


def test_the_target_is_checked_again_when_writing(tmp_path):
    """A folder that appeared during the solve (another process) is not replaced either."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("k", encoding="utf-8")
    with pytest.raises(QuotaError, match="not a folder quota wrote"):
        quota.report.write.write_run(work, {"a.csv": "x\n"}, [], {}, force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"] and (work / "keep.txt").read_text(encoding="utf-8") == "k"
    with pytest.raises(QuotaError, match="holds the input"):
        quota.report.write.write_run(tmp_path / "c", {"a.csv": "x\n"}, [], {}, protect=[tmp_path / "c" / "x.csv"])


@pytest.mark.parametrize("case", ["same", "parent", "grandparent", "file", "symlink"])
def test_check_target_never_an_input_nor_a_folder_holding_one(tmp_path, case):
    data = tmp_path / "a" / "b" / "data"
    data.mkdir(parents=True)
    (data / "t.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(data, target_is_directory=True)
    out = {"same": data, "parent": data.parent, "grandparent": tmp_path / "a", "file": data / "t.csv",
           "symlink": tmp_path / "link"}[case]
    for force in (False, True):
        for kind in ("run", "comparison", "sweep", "scenario"):
            with pytest.raises(QuotaError, match="input"):
                check_target(out, force, kind, [data / "t.csv"], resume=kind == "sweep")


def test_check_target_allows_new_empty_and_inside_an_input_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text("x\n", encoding="utf-8")
    assert check_target(tmp_path / "new", False, "run", [data / "t.csv"]) == tmp_path / "new"
    assert check_target(data / "runs" / "base", False, "run", [data / "t.csv"])  # inside the scenario folder: no input lost
    (tmp_path / "empty").mkdir()
    assert check_target(tmp_path / "empty", True, "run") and check_target(tmp_path / "empty", False, "sweep", resume=True)
    with pytest.raises(QuotaError, match="already exists"):
        check_target(tmp_path / "empty", False, "run")


# ------------------------------------------------ stale temporary folders ----

def dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def temp_folder(parent: Path, name: str, pid: int, marker: bool = True, host: str | None = None) -> Path:
    path = parent / f".{name}.tmp-{pid}-abc123"
    path.mkdir(parents=True)
    (path / "a.csv").write_text("half\n", encoding="utf-8")
    if marker:
        info = {"pid": pid, "started": time.time(), **({"host": host} if host else {})}
        (path / MARKER).write_text(json.dumps(info), encoding="utf-8")
    return path


def test_clean_stale_removes_ours_whose_owner_is_gone(tmp_path):
    stale = temp_folder(tmp_path, "run", dead_pid())
    assert clean_stale(tmp_path) == [stale] and not stale.exists()


def test_clean_stale_keeps_a_fresh_folder_of_a_live_process(tmp_path):
    live = temp_folder(tmp_path, "run", os.getppid())  # our parent: alive
    mine = temp_folder(tmp_path, "run2", os.getpid())  # this very process, writing
    assert clean_stale(tmp_path) == [] and live.is_dir() and mine.is_dir()


def test_clean_stale_keeps_foreign_folders(tmp_path):
    pid = dead_pid()
    no_marker = temp_folder(tmp_path, "run", pid, marker=False)  # our name pattern, but not our marker
    other_name = tmp_path / f".run.backup-{pid}-abc"
    other_name.mkdir()
    (other_name / MARKER).write_text(json.dumps({"pid": pid}), encoding="utf-8")
    plain = tmp_path / "run.tmp-1-x"
    plain.mkdir()
    a_file = tmp_path / f".run.tmp-{pid}-abc999"
    a_file.write_text("a file, not a folder", encoding="utf-8")
    other_host = temp_folder(tmp_path, "run3", pid, host="another-machine")  # its pid means nothing here
    assert clean_stale(tmp_path) == []
    assert no_marker.is_dir() and other_name.is_dir() and plain.is_dir() and a_file.is_file() and other_host.is_dir()


def test_clean_stale_removes_ours_after_the_documented_age(tmp_path, monkeypatch):
    live = temp_folder(tmp_path, "run", os.getppid(), host="another-machine")
    assert clean_stale(tmp_path) == []
    monkeypatch.setattr(quota.report.write, "STALE_SECONDS", -1)  # as if an hour had passed
    assert clean_stale(tmp_path) == [live]


def test_clean_stale_restores_an_old_folder_whose_replacement_was_cut_short(tmp_path):
    """kill -9 between the two renames of --force: the previous run is put back, not deleted."""
    pid = dead_pid()
    old = tmp_path / f".run.old-{pid}-abc"
    old.mkdir()
    (old / "manifest.json").write_text(json.dumps({"kind": "run", "outputs": {}}), encoding="utf-8")
    assert clean_stale(tmp_path) == [] and (tmp_path / "run" / "manifest.json").is_file() and not old.exists()
    again = tmp_path / f".run.old-{pid}-def"  # the new folder is in place: the old one goes
    again.mkdir()
    (again / "manifest.json").write_text(json.dumps({"kind": "run", "outputs": {}}), encoding="utf-8")
    assert clean_stale(tmp_path) == [again]


LAUNCHER = r"""
import sys, time
import quota.report.write
versions = quota.report.write.versions
def slow_versions():
    print("MARK writing", file=sys.stderr, flush=True)
    time.sleep(300)
    return versions()
quota.report.write.versions = slow_versions
sys.argv = ["quota"] + sys.argv[1:]
from quota.commands.cli import main
main()
"""


@posix
def test_kill_9_while_writing_then_the_next_write_cleans_up(tmp_path):
    out = tmp_path / "runs" / "base"
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, "run", str(TINY), "--out", str(out), "--counterfactuals", "off"],
                            env=ENV, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stderr:
            if "MARK writing" in line:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    left = [p for p in out.parent.iterdir() if p.name.startswith(".base.tmp-")]
    assert len(left) == 1 and (left[0] / MARKER).is_file() and not out.exists()
    fresh = temp_folder(out.parent, "other", os.getppid())  # a live process's write in the same folder
    r = invoke("run", TINY, "--out", out.parent / "second", "--counterfactuals", "off")
    assert r.exit_code == 0, r.output
    assert not left[0].exists() and fresh.is_dir()
    assert sorted(p.name for p in out.parent.iterdir() if not p.name.startswith(".")) == ["second"]


# ------------------------------------------------------------- orphans ----

SLOW_POINT = """
import os, time
from pathlib import Path

def slow_point(task):
    Path(os.environ["QUOTA_TEST_PIDS"], str(os.getpid())).write_text(task["name"])
    time.sleep(300)
"""

SWEEP_LAUNCHER = r"""
import sys
import quota.commands.sweep_pool, slowpoint
quota.commands.sweep_pool.run_point = slowpoint.slow_point
sys.argv = ["quota"] + sys.argv[1:]
from quota.commands.cli import main
main()
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its parent (maybe init) may reap it


@posix
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_kill_9_of_a_sweep_stops_its_workers(tmp_path):
    (tmp_path / "slowpoint.py").write_text(textwrap.dedent(SLOW_POINT), encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    env = {**ENV, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "QUOTA_TEST_PIDS": str(pids)}
    proc = subprocess.Popen([sys.executable, "-c", SWEEP_LAUNCHER, "sweep", str(TINY), "--set", "quota.scale=1,0.9",
                             "--out", str(tmp_path / "sweep"), "--workers", "2"], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while len(list(pids.iterdir())) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "the sweep ended or stalled before its workers started"
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert all(alive(w) for w in workers)
        os.kill(proc.pid, signal.SIGKILL)  # the sweep only, as `kill -9 PID` does: not its process group
        proc.wait(timeout=30)
        gone = time.monotonic() + 5
        while any(alive(w) for w in workers) and time.monotonic() < gone:
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)], "pool workers outlived their sweep"
    finally:
        for w in [int(p.name) for p in pids.iterdir()]:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
