"""Solver faults: each gives a clear message and the right exit code, never a traceback or a false claim.

- A time limit reached before any feasible allocation: exit 1, saying so and naming the limit.
- A time limit reached with a feasible allocation: the run folder is written, and the screen and
  ``summary.json`` say it is not proven optimal, with its gap.
- A solver that is not installed: exit 1, listing the solvers that are available.
- A solver that fails: exit 1, naming it.
- An infeasible model: exit 1 after printing the diagnosis (which constraints had to bend, by how much).
- Nonsense limits (negative, zero or NaN time limit, a gap outside [0, 1]) are refused before anything runs.

The time-limit cases use a generated scenario (400 projects, 5 years, two projects locked in) that
HiGHS cannot finish in under a minute and that has no feasible allocation before presolve is done.
"""
from __future__ import annotations

import json
from pathlib import Path

import pulp
import pytest
from click.testing import CliRunner, Result

import quota.model.compat
import quota.solve.deadline
import quota.solve.highs
from quota.commands.cli import cli
from quota.commands.generate import generate_scenario

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "fixtures" / "tiny"


def invoke(*args) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name))


def assert_clean_failure(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"unhandled {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output and result.output.startswith("Error: ")
    for word in words:
        assert word in result.output, f"{word!r} not in:\n{result.output}"


@pytest.fixture(scope="module")
def hard(tmp_path_factory) -> Path:
    path = generate_scenario(tmp_path_factory.mktemp("hard") / "city", counties=10, projects=400, years=5, seed=3)
    assert ",in," in (path / "projects.csv").read_text(encoding="utf-8")  # a lock-in: doing nothing is not feasible
    return path


def test_time_limit_before_any_feasible_allocation(hard, tmp_path, monkeypatch):
    """Without the greedy start (a base it cannot build), nothing is found in 1 ms: a clean failure, nothing written."""
    monkeypatch.setattr(quota.solve.deadline, "greedy_start", lambda *args, **kw: None)
    out = tmp_path / "run"
    result = invoke("run", hard, "--out", out, "--time-limit", "0.001", "--counterfactuals", "off", "--lang", "en")
    assert_clean_failure(result, "HiGHS stopped without a feasible allocation", "(time limit 0.001 s)", "--time-limit")
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_tiny_time_limit_still_gives_the_greedy_allocation(hard, tmp_path):
    """1 ms is too short for anything but the greedy start (issue 19): it is verified, written and marked."""
    out = tmp_path / "run"
    result = invoke("run", hard, "--out", out, "--time-limit", "0.001", "--counterfactuals", "off")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "feasible" and summary["proven_optimal"] is False
    assert summary["stop_reason"] == "time limit" and summary["verification"]["violations"] == 0
    assert summary["bound"] > summary["objective"] > 0


def test_time_limit_with_a_feasible_allocation_is_written_and_marked(hard, tmp_path):
    out = tmp_path / "run"
    result = invoke("run", hard, "--out", out, "--time-limit", "5", "--counterfactuals", "off", "--lang", "en")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["proven_optimal"] is False and summary["status"] == "feasible"
    assert summary["time_limit"] == 5 and "not proven optimal: stopped at the time limit" in summary["message"]
    assert summary["bound"] > summary["objective"] > 0
    assert summary["gap"] == pytest.approx((summary["bound"] - summary["objective"]) / summary["objective"])
    assert summary["gap"] > summary["gap_target"]
    assert "WARNING:   not proven optimal" in result.output
    assert f"gap: {summary['gap']:.2e}" in result.output and "status:    feasible" in result.output
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["gurobi", "cplex", "nosuch"])
def test_solver_not_installed_lists_the_available_ones(tmp_path, name):
    out = tmp_path / "run"
    result = invoke("run", TINY, "--out", out, "--solver", name, "--counterfactuals", "off")
    available = ", ".join(sorted(quota.model.compat.available_solvers()))
    assert_clean_failure(result, f"the solver {name!r} is not available on this machine", f"Available: {available}.")
    assert not out.exists() and leftovers(tmp_path) == []


def test_default_solver_missing_lists_what_is_there(tmp_path, monkeypatch):
    """As on a machine where highspy failed to install: HiGHS is named as missing, CBC offered."""
    monkeypatch.setattr(quota.model.compat, "available_solvers", lambda: ["PULP_CBC_CMD"])
    result = invoke("run", TINY, "--out", tmp_path / "run", "--counterfactuals", "off")
    assert_clean_failure(result, "the solver 'highs' is not available", "Available: PULP_CBC_CMD.")


def test_solver_that_fails_is_named(tmp_path, monkeypatch):
    """HiGHS gets quota's arrays directly (quota.solve.highs); CBC runs through PuLP. Each failure names its solver."""
    def broken_highs(*args, **kwargs):
        raise RuntimeError("Error while executing HiGHS")
    monkeypatch.setattr(quota.solve.highs, "new_highs", broken_highs)
    result = invoke("run", TINY, "--out", tmp_path / "run", "--counterfactuals", "off")
    assert_clean_failure(result, "the solver HiGHS failed", "Error while executing HiGHS")
    assert not (tmp_path / "run").exists()


def test_pulp_solver_that_fails_is_named(tmp_path, monkeypatch):
    if "PULP_CBC_CMD" not in quota.model.compat.available_solvers():
        pytest.skip("CBC is not installed")
    def broken(self, solver=None, **kwargs):
        raise pulp.PulpSolverError("Pulp: Error while executing CBC")
    monkeypatch.setattr(pulp.LpProblem, "solve", broken)
    result = invoke("run", TINY, "--out", tmp_path / "run", "--counterfactuals", "off", "--solver", "cbc")
    assert_clean_failure(result, "the solver PULP_CBC_CMD failed", "Error while executing CBC")
    assert not (tmp_path / "run").exists()


def test_infeasible_example_prints_the_diagnosis_and_exits_1(tmp_path):
    out = tmp_path / "run"
    result = invoke("run", ROOT / "scenarios" / "infeasible-example", "--out", out, "--counterfactuals", "off", "--lang", "en")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    text = result.output
    assert "infeasible" in text.lower()
    # the two years whose city quota had to bend, with the locked-in demand and the shortfall (6.3 - 2 and 5.2 - 2 ha)
    for year, shortfall in ((2023, "4.30"), (2024, "3.20")):
        assert str(year) in text and shortfall in text, text
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("option, value", [("--time-limit", "-1"), ("--time-limit", "0"), ("--time-limit", "nan"),
                                           ("--gap", "-0.1"), ("--gap", "2"), ("--gap", "nan")])
def test_nonsense_limits_are_refused(tmp_path, option, value):
    result = invoke("run", TINY, "--out", tmp_path / "run", option, value)
    assert result.exit_code == 2 and f"Invalid value for '{option}'" in result.output
    assert not (tmp_path / "run").exists()
