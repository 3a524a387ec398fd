"""Interrupted runs leave nothing behind (acceptance 3).

``quota run`` is started as a real process and killed with SIGTERM or SIGINT at
two moments: in the middle of the HiGHS solve of a generated scenario that
takes far longer than the test, and in the middle of writing the run folder.
Each time the process must stop promptly with exit code 130, leave no run
folder under the target name and no temporary folder (``.NAME.tmp-*``,
``.NAME.old-*``) beside it; with ``--force``, the old run folder is left
exactly as it was.

To kill at a known moment, a small launcher wraps one function of quota so that
it prints a marker to stderr: ``quota.pipeline.solve`` (just before HiGHS starts) or
``quota.report.write.versions`` (inside ``write_run``, after the result files are in the
temporary folder; it then sleeps, so that the signal lands mid-write). All else
is the real command line, through ``quota.commands.cli.main``.

The unit tests at the end raise KeyboardInterrupt (what the signal handler
raises) at each step of ``write_run`` in-process, including the two renames of
``--force``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import quota.report.write
from quota.commands.generate import generate_scenario
from quota.report.write import write_run

ROOT = Path(__file__).resolve().parents[1]
TINY = Path(__file__).parent / "fixtures" / "tiny"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
LAUNCHER = r"""
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if started with SIGINT ignored
import quota.pipeline, quota.report.write
mode = sys.argv[1]
if mode == "solving":
    solve = quota.pipeline.solve
    def marked_solve(*args, **kwargs):
        print("MARK solving", file=sys.stderr, flush=True)
        return solve(*args, **kwargs)
    quota.pipeline.solve = marked_solve
else:
    versions = quota.report.write.versions
    def slow_versions():
        print("MARK writing", file=sys.stderr, flush=True)
        time.sleep(300)
        return versions()
    quota.report.write.versions = slow_versions
sys.argv = ["quota"] + sys.argv[2:]
from quota.commands.cli import main
main()
"""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and (".tmp-" in p.name or ".old-" in p.name))


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def old_run(out: Path) -> dict[str, str]:
    out.mkdir()
    (out / "summary.json").write_text('{"from": "an earlier run"}', encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "old.png").write_bytes(b"\x89PNG old")
    (out / "manifest.json").write_text('{"kind": "run", "outputs": {"summary.json": "", "figures/old.png": ""}}', encoding="utf-8")
    return snapshot(out)


def kill_at(mark: str, signum: int, args: list[str], cwd: Path, after: float = 0.5) -> tuple[int, str, float]:
    """Start ``quota ARGS`` through the launcher, wait for the marker, send ``signum`` ``after`` seconds later.
    Returns the exit code, all of stderr, and the seconds from the signal to the end of the process."""
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, mark, *map(str, args)], cwd=cwd, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines = []
    try:
        for line in proc.stderr:  # blocks until the marker; the test's own timeout guards against a hang
            lines.append(line)
            if line.startswith(f"MARK {mark}"):
                break
        else:
            proc.wait(timeout=60)
            pytest.fail(f"quota ended before {mark!r} (exit {proc.returncode}): {''.join(lines)}")
        time.sleep(after)
        assert proc.poll() is None, "the process ended before the signal"
        sent = time.perf_counter()
        proc.send_signal(signum)
        _, rest = proc.communicate(timeout=60)
        return proc.returncode, "".join(lines) + rest, time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def slow_scenario(tmp_path_factory) -> Path:
    """400 projects over 5 years: HiGHS needs far more than a minute to prove optimality (it was still at a
    0.14% gap after 20 s when this test was written); loading and building take about a second."""
    return generate_scenario(tmp_path_factory.mktemp("slow") / "city", counties=10, projects=400, years=5, seed=3)


# ------------------------------------------------------------ mid-solve ----

def test_sigterm_mid_solve_leaves_nothing(slow_scenario, tmp_path):
    out = tmp_path / "run"
    code, err, seconds = kill_at("solving", signal.SIGTERM, ["run", slow_scenario, "--out", out, "--counterfactuals", "off",
                                                             "--time-limit", "600"], tmp_path, after=1.0)
    assert code == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert seconds < 15, f"quota took {seconds:.1f} s to stop after SIGTERM"
    assert not out.exists() and leftovers(tmp_path) == []


def test_sigint_mid_solve_with_force_keeps_the_old_run_folder(slow_scenario, tmp_path):
    out = tmp_path / "run"
    before = old_run(out)
    code, err, seconds = kill_at("solving", signal.SIGINT, ["run", slow_scenario, "--out", out, "--force", "--counterfactuals",
                                                            "off", "--time-limit", "600"], tmp_path, after=1.0)
    assert code == 130, err
    assert "Traceback" not in err and seconds < 15
    assert snapshot(out) == before and leftovers(tmp_path) == []


# ------------------------------------------------------------ mid-write ----

def test_sigterm_while_writing_leaves_nothing(tmp_path):
    out = tmp_path / "run"
    code, err, seconds = kill_at("writing", signal.SIGTERM, ["run", TINY, "--out", out, "--counterfactuals", "off"], tmp_path,
                                 after=0.3)
    assert code == 130, err
    assert "interrupted" in err and "Traceback" not in err and seconds < 15
    assert not out.exists() and leftovers(tmp_path) == []


def test_sigterm_while_writing_with_force_keeps_the_old_run_folder(tmp_path):
    out = tmp_path / "run"
    before = old_run(out)
    code, err, _ = kill_at("writing", signal.SIGTERM, ["run", TINY, "--out", out, "--force", "--counterfactuals", "off"], tmp_path,
                           after=0.3)
    assert code == 130, err
    assert snapshot(out) == before and leftovers(tmp_path) == []


# ------------------------------------------------- write_run, in-process ----

def interrupt(*args, **kwargs):
    raise KeyboardInterrupt("signal 15")


FILES = {"a.csv": "x\n1\n", "summary.json": {"status": "optimal"}, "figures/f.png": b"png"}


@pytest.mark.parametrize("where", ["content", "manifest", "versions"])
def test_write_run_interrupted_at_each_step(tmp_path, monkeypatch, where):
    out = tmp_path / "run"
    files = dict(FILES)
    if where == "content":
        files["late.bin"] = interrupt
    elif where == "manifest":
        monkeypatch.setattr(quota.report.write, "sha256", interrupt)
    else:
        monkeypatch.setattr(quota.report.write, "versions", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_run(out, files, [], {})
    assert not out.exists() and leftovers(tmp_path) == []


def test_force_interrupted_between_the_two_renames_restores_the_old_folder(tmp_path, monkeypatch):
    out = tmp_path / "run"
    before = old_run(out)
    rename = os.rename

    def second_rename_interrupted(src, dst):
        if ".tmp-" in str(src):  # the new folder into place: the old one was just moved aside
            raise KeyboardInterrupt("signal 15")
        return rename(src, dst)
    monkeypatch.setattr(quota.report.write.os, "rename", second_rename_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_run(out, FILES, [], {}, force=True)
    monkeypatch.setattr(quota.report.write.os, "rename", rename)
    assert snapshot(out) == before and leftovers(tmp_path) == []


def test_force_interrupted_while_removing_the_old_folder_finishes_the_removal(tmp_path, monkeypatch):
    out = tmp_path / "run"
    old_run(out)
    rmtree, calls = shutil.rmtree, []

    def first_call_interrupted(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 1:
            raise KeyboardInterrupt("signal 15")
        return rmtree(path, *args, **kwargs)
    monkeypatch.setattr(quota.report.write.shutil, "rmtree", first_call_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_run(out, FILES, [], {}, force=True)
    monkeypatch.setattr(quota.report.write.shutil, "rmtree", rmtree)
    assert (out / "a.csv").read_text(encoding="utf-8") == "x\n1\n" and (out / "manifest.json").is_file()
    assert leftovers(tmp_path) == []


def test_no_write_in_progress_waits_for_a_write(tmp_path):
    """The signal watcher of the command line exits only between writes (quota.commands.exits.stop_promptly)."""
    import threading

    started, release, order = threading.Event(), threading.Event(), []

    def slow(path):
        started.set()
        release.wait(10)
        path.write_text("done", encoding="utf-8")
        order.append("written")
    writer = threading.Thread(target=write_run, args=(tmp_path / "run", {"slow.txt": slow}, [], {}))
    writer.start()
    assert started.wait(10)

    def watcher():
        with quota.report.write.no_write_in_progress():
            order.append("watcher")
    w = threading.Thread(target=watcher)
    w.start()
    time.sleep(0.2)
    assert order == []  # the watcher waits while the folder is written
    release.set()
    writer.join(10)
    w.join(10)
    assert order == ["written", "watcher"] and (tmp_path / "run" / "slow.txt").is_file()
