"""The command line: ``quota run`` and ``quota validate``, their run folders, and their failures.

Failures must exit 1 with one clear message and no traceback, and must leave no
half-written folder (``.NAME.tmp-*``) behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builder import project, write_scenario
from click.testing import CliRunner, Result

import quota.report.write
from quota.commands.cli import cli

RUN_FILES = ["allocations.csv", "projects.csv", "counties.csv", "summary.json", "report.md", "manifest.json"]
SUBPROCESS_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_clean_failure(result: Result, *words: str) -> None:
    """Exit 1 through click (SystemExit), one 'Error:' message, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"unhandled {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")
    for word in words:
        assert word in result.output, f"{word!r} not in:\n{result.output}"


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary or old run folders that a write left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (sha256(p), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[Result, Path]:
    """`quota run tests/fixtures/tiny --out …`, once for the module."""
    out = tmp_path_factory.mktemp("cli") / "run"
    result = invoke("run", Path(__file__).parent / "fixtures" / "tiny", "--out", out)
    return result, out


# ---------------------------------------------------------------- run ----

def test_run_tiny_exits_0_and_writes_the_run_folder(tiny_run):
    result, out = tiny_run
    assert result.exit_code == 0, result.output
    for name in RUN_FILES:
        assert (out / name).is_file(), name
    assert leftovers(out.parent) == []


def test_run_prints_status_objective_gap_quota_per_year_and_counts(tiny_run):
    result, out = tiny_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    text = result.output
    assert f"status:    {summary['status']}" in text
    assert f"objective: {summary['objective']:,.3f}" in text
    assert "gap:" in text and "bound:" in text
    for year in (2023, 2024, 2025):
        assert f"{year}: quota 30.00 ha" in text
    counts = ", ".join(f"{k} {v}" for k, v in summary["projects"].items())
    assert f"projects:  {counts}" in text
    assert "approved" in counts and "rejected" in counts
    assert "not proven optimal" not in text


def test_the_public_api_prints_the_summary_and_names_the_default_folders(tiny_run, tmp_path):
    """A notebook reaches what the command line prints and where it writes by default through ``import quota``."""
    import quota

    for name in quota.__all__:
        assert getattr(quota, name) is not None, name
    result, out = tiny_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert result.output.startswith(quota.format_summary(summary, out) + "\n")  # the run prints exactly this
    assert quota.default_run_folder(None) == Path("runs/default")
    assert quota.default_run_folder("scenarios/my-city") == Path("runs/my-city")
    assert quota.default_run_folder("data/city.xlsx") == Path("runs/city")
    assert quota.default_sweep_folder("scenarios/my-city/") == Path("sweeps/my-city")
    assert quota.default_compare_folder(tmp_path / "base", "runs/b") == Path("runs").absolute() / "compare-base-b"


def test_summary_json(tiny_run):
    _, out = tiny_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(summary)[:5] == ["status", "objective", "bound", "gap", "solver"]
    assert summary["status"] == "optimal" and summary["proven_optimal"] is True
    assert summary["solver"] == "HiGHS"
    assert summary["gap"] is not None and 0 <= summary["gap"] <= 1e-4
    assert summary["bound"] >= summary["objective"] - 1e-6
    assert [y["year"] for y in summary["years"]] == [2023, 2024, 2025]
    for y in summary["years"]:
        for key in ("quota", "charged", "new_used", "advance_drawn", "advance_repaid", "carried", "lapsed", "utilisation"):
            assert key in y, key
        assert y["charged"] <= y["available"] + 1e-6
        assert y["utilisation"] == pytest.approx(y["charged"] / y["available"])
        assert y["lapsed"] == pytest.approx(y["unused"] - y["carried"])
    assert sum(summary["projects"].values()) == 9


def test_manifest_hashes_match_the_files(tiny_run, tiny):
    _, out = tiny_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = {Path(p).resolve(): h for p, h in manifest["inputs"].items()}
    expected_inputs = {p.resolve() for p in tiny.iterdir() if p.suffix in (".yaml", ".csv")}
    assert set(inputs) == expected_inputs
    for path, digest in inputs.items():
        assert digest == sha256(path), path
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["outputs"]) == written
    for name, digest in manifest["outputs"].items():
        assert digest == sha256(out / name), name
    assert {"pulp", "highspy", "quota", "python"} <= set(manifest["versions"])
    assert manifest["parameters"]["quota"] and manifest["written"]


def test_existing_out_without_force_exits_1_and_leaves_it_untouched(tiny_run, tiny):
    _, out = tiny_run
    before = snapshot(out)
    result = invoke("run", tiny, "--out", out)
    assert_clean_failure(result, "already exists", "--force", str(out))
    assert snapshot(out) == before
    assert leftovers(out.parent) == []


def test_force_replaces(tiny, tmp_path):
    out = tmp_path / "run"
    out.mkdir()  # an earlier run folder: only such a folder may be replaced (tests/test_data_loss.py)
    (out / "old-result.txt").write_text("from an earlier run", encoding="utf-8")
    (out / "manifest.json").write_text('{"kind": "run", "outputs": {"old-result.txt": ""}}', encoding="utf-8")
    result = invoke("run", tiny, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "old-result.txt").exists()
    for name in RUN_FILES:
        assert (out / name).is_file(), name
    assert leftovers(tmp_path) == []


def test_out_that_is_a_file_is_refused_even_with_force(tiny, tmp_path):
    out = tmp_path / "run"
    out.write_text("not a folder", encoding="utf-8")
    assert_clean_failure(invoke("run", tiny, "--out", out, "--force"), "not a folder")
    assert out.read_text(encoding="utf-8") == "not a folder"
    assert leftovers(tmp_path) == []


def test_unwritable_out_fails_cleanly(tiny, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    assert_clean_failure(invoke("run", tiny, "--out", blocker / "run"), str(blocker))
    assert leftovers(tmp_path) == []


def disk_full():
    raise OSError(28, "No space left on device")


def test_failure_while_writing_leaves_nothing_behind(tiny, tmp_path, monkeypatch):
    """A run folder is written whole or not at all: a failure half-way leaves no target and no temp folder."""
    monkeypatch.setattr(quota.report.write, "versions", disk_full)
    out = tmp_path / "run"
    assert_clean_failure(invoke("run", tiny, "--out", out), "No space left on device")
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_failure_while_forcing_keeps_the_old_folder(tiny, tmp_path, monkeypatch):
    out = tmp_path / "run"
    out.mkdir()
    (out / "old-result.txt").write_text("keep me", encoding="utf-8")
    (out / "manifest.json").write_text('{"kind": "run", "outputs": {"old-result.txt": ""}}', encoding="utf-8")
    monkeypatch.setattr(quota.report.write, "versions", disk_full)
    assert_clean_failure(invoke("run", tiny, "--out", out, "--force"), "No space left on device")
    assert (out / "old-result.txt").read_text(encoding="utf-8") == "keep me"
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------ failures ----

def test_unknown_solver_lists_the_available_ones(tiny, tmp_path):
    out = tmp_path / "run"
    result = invoke("run", tiny, "--out", out, "--solver", "nosuch")
    assert_clean_failure(result, "'nosuch'", "Available:", "HiGHS")
    assert not out.exists() and leftovers(tmp_path) == []


def test_missing_scenario(tmp_path):
    assert_clean_failure(invoke("run", tmp_path / "nowhere", "--out", tmp_path / "run"), "does not exist")
    assert_clean_failure(invoke("validate", tmp_path / "nowhere"), "does not exist")
    assert not (tmp_path / "run").exists()


def test_bad_scenario_run_lists_problems_and_writes_nothing(tmp_path):
    scenario = write_scenario(tmp_path / "bad", projects=[project(area=-1), project(project_id="P2", county_id="zz")])
    out = tmp_path / "run"
    result = invoke("run", scenario, "--out", out)
    assert_clean_failure(result, "2 problems", "projects.csv, row P1, column area", "projects.csv, row P2, column county_id")
    assert not out.exists() and leftovers(tmp_path) == []


def test_infeasible_scenario_exits_1_with_a_diagnosis(tmp_path):
    """Two locked-in projects that cannot both fit the quota."""
    scenario = write_scenario(tmp_path / "inf", projects=[project(area=80, lock="in"), project(project_id="P2", area=80, lock="in")],
                              years=[2023], quota={2023: 100})
    out = tmp_path / "run"
    result = invoke("run", scenario, "--out", out)
    assert_clean_failure(result, "infeasible")
    assert not out.exists() and leftovers(tmp_path) == []


def test_quota_validate_ok(tiny):
    result = invoke("validate", tiny)
    assert result.exit_code == 0, result.output
    assert "valid: tiny test scenario" in result.output and "9 projects" in result.output


def test_quota_validate_bad_exits_1(tmp_path):
    scenario = write_scenario(tmp_path / "bad", projects=[project(urgent="perhaps")])
    assert_clean_failure(invoke("validate", scenario), "projects.csv, row P1, column urgent", "Fix:")


# ---------------------------------------------------------------- help ----

def test_python_dash_m_quota_help(tmp_path):
    done = subprocess.run([sys.executable, "-m", "quota", "--help"], capture_output=True, text=True, cwd=tmp_path,
                          env=SUBPROCESS_ENV, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "run" in done.stdout and "validate" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("command", ["run", "validate"])
def test_command_help_has_examples(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"quota {command}" in result.output


def test_errors_in_a_real_process_show_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "quota", "run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True, cwd=tmp_path, env=SUBPROCESS_ENV, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("Error: ") and "does not exist" in done.stderr


# ------------------------------------------------ the default scenario ----

def test_time_limit_is_honest(contract_path, tmp_path):
    """With a time limit far below the solve time, the run either says it is not proven optimal
    (on screen and in summary.json, with a gap) or exits 1 saying why; it never claims optimality."""
    out = tmp_path / "run"
    result = invoke("run", contract_path, "--out", out, "--time-limit", "0.05", "--counterfactuals", "off")
    assert leftovers(tmp_path) == []
    if result.exit_code == 0:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["proven_optimal"] is False and summary["status"] != "optimal"
        assert "not proven optimal" in summary["message"]
        assert "警告:      未证明最优" in result.output  # the screen in the scenario's language (zh)
        assert summary["time_limit"] == 0.05
        if summary["bound"] is not None:
            assert summary["gap"] == pytest.approx(abs(summary["bound"] - summary["objective"]) / abs(summary["objective"]))
            assert f"相对间隙: {summary['gap']:.2e}" in result.output
    else:
        assert_clean_failure(result, "time limit")
        assert not out.exists()


def test_run_without_scenario_runs_the_bundled_default_from_anywhere(tmp_path, default_path):
    exe = Path(sys.executable).parent / "quota"
    command = [str(exe), "run"] if exe.exists() else [sys.executable, "-m", "quota", "run"]
    command += ["--counterfactuals", "off"]  # they are tested in test_explain.py; here only the default scenario matters
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=SUBPROCESS_ENV, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "runs" / "default"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["scenario_path"]).resolve() == default_path.resolve()
    assert summary["scenario"].startswith("石家庄") and summary["proven_optimal"] is True
    assert sum(summary["projects"].values()) == 173 and manifest["rules"]["name"] == "hebei-2024"
    assert "已写入:" in done.stdout and "runs/default" in done.stdout  # the scenario's language
    assert leftovers(out.parent) == []
