"""A time limit that holds: the large-model strategy in a child process, stopped at the limit.

**The time limit holds.** HiGHS checks its time limit only at certain points: at 200,000 projects
one root cut round ran for many minutes past it. So when a limit is set, the work runs in a child
process that reports every improvement (to a file, replaced atomically); the parent stops the
child at the limit plus a short grace and keeps the best allocation reported, marked *stopped*.
The child's session holds its worker processes (a local Dask cluster's among them): they stop with it.

**An allocation always.** Before the child starts, the parent builds the greedy start (``quota.solve.greedy``)
within ``GREEDY_SHARE`` of the limit (``GREEDY_FLOOR`` at least) and hands it to the child to improve on; if the child is stopped
before it has anything better, the greedy start is the result.
"""
from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..messages import both
from .arrays import Arrays, Outcome
from .greedy import Layout, greedy_start
from .highs import version_text
from .large import solve_arrays
from .rounds import TIME_LIMIT

GREEDY_SHARE = 0.25  # of the time limit, at most this for the greedy start (it stops adding projects then) ...
GREEDY_FLOOR = 5.0  # ... but at least this many seconds, or 90% of a shorter limit: with so little time nothing else ends


def solve_with_deadline(a: Arrays, gap: float, time_limit: float, threads: int | None = None,
                        msg: bool = False, grace: float | None = None, layout: Layout | None = None,
                        **groups) -> Outcome:
    """``solve_arrays`` in a child process that is stopped at ``time_limit + grace`` whatever HiGHS does.

    The child (``python -m quota.solve.deadline``) writes every improvement to a file, replaced atomically;
    after a stop the parent keeps the last one written, marked *stopped*. With ``layout`` the greedy start is
    built first, here. ``groups``: the other arguments of ``solve_arrays`` (project, county, scheduler, large_at).
    """
    grace = max(2.0, 0.02 * time_limit) if grace is None else grace
    start = time.perf_counter()
    share = max(GREEDY_SHARE * time_limit, min(0.9 * time_limit, GREEDY_FLOOR))
    greedy = None if layout is None else greedy_start(a, layout, start + share)
    if greedy is not None:
        groups["start"] = (greedy.x, greedy.bound)
    if layout is not None:
        groups["layout"] = layout  # for the greedy repair of the county solutions
        time_limit_child = max(time_limit - (time.perf_counter() - start), 0.0)
    else:
        time_limit_child = time_limit
    with tempfile.TemporaryDirectory(prefix="quota-highs-") as tmp:
        model, progress, final, errors = (Path(tmp) / n for n in ("model.pkl", "progress.pkl", "final.pkl", "stderr"))
        with open(model, "wb") as f:
            pickle.dump((a, gap, time_limit_child, threads, msg, groups, time.time()), f, protocol=pickle.HIGHEST_PROTOCOL)
        launched = time.perf_counter() - start  # the child's clock starts about here: its progress is shifted by this
        with open(errors, "wb") as err:
            # a session of its own, so that the child and its worker processes are stopped together
            child = subprocess.Popen([sys.executable, "-m", "quota.solve.deadline", str(model), str(progress), str(final)],
                                     stdin=subprocess.DEVNULL, stdout=None if msg else subprocess.DEVNULL, stderr=err,
                                     start_new_session=os.name == "posix")
            try:
                child.wait(max(time_limit - (time.perf_counter() - start), 0.0) + grace)
                killed = False
            except subprocess.TimeoutExpired:
                killed = True
            except BaseException:  # an interrupt: stop the child too
                _stop(child)
                raise
            _stop(child)  # after a normal end, any worker still running
        path = progress if killed else final
        if path.exists():
            with open(path, "rb") as f:
                outcome = pickle.load(f)
        elif killed:
            outcome = Outcome(status="no_solution", version=version_text())
        else:
            last = errors.read_text(errors="replace").strip().splitlines()[-1:] or [""]
            outcome = Outcome(status="error", version=version_text(),
                              message=f"the HiGHS process ended with exit code {child.returncode}: {last[0]}")
        if killed:
            outcome.status = "stopped" if outcome.x is not None else "no_solution"
            outcome.stop_reason = TIME_LIMIT
            outcome.message = f"stopped at the time limit ({time_limit:g} s + {grace:g} s grace)"
            # the step that was running when the child was stopped: the child's time not in the steps listed
            listed = sum(step.get("seconds") or 0.0 for step in outcome.phases)
            outcome.phases.append({"name": "the next step, stopped at the time limit (its time includes the child's start)",
                                   "seconds": max(time.perf_counter() - start - listed, 0.0), "status": "stopped",
                                   "objective": outcome.objective, "bound": None})
        outcome.progress = [(round(t + launched, 3), z, b) for t, z, b in outcome.progress]
        if greedy is not None:
            _keep_greedy(outcome, greedy)
        outcome.seconds = time.perf_counter() - start
        return outcome


def _keep_greedy(outcome: Outcome, greedy) -> None:
    """The greedy start where the child has nothing better (stopped before its first report, or failed)."""
    outcome.phases.insert(0, {"name": f"greedy start: {greedy.approved:,} projects by value per hectare"
                                      + ("" if greedy.complete else " (stopped at its share of the time)"),
                              "seconds": greedy.seconds, "status": "verified against every row",
                              "objective": greedy.objective, "bound": greedy.bound})
    if outcome.status in ("infeasible", "error"):  # the greedy start meets every row: the model is feasible
        outcome.notes.append(both("note.greedy_kept", why=outcome.message or outcome.status))  # (zh, en)
        outcome.status, outcome.x, outcome.objective = "stopped", None, None
    if outcome.x is None or outcome.objective is None or outcome.objective < greedy.objective:
        outcome.x, outcome.objective = greedy.x, greedy.objective
        if outcome.status == "no_solution":
            outcome.status = "stopped"
    if greedy.bound is not None and outcome.bound is None:
        outcome.bound = greedy.bound
    outcome.progress.insert(0, (round(greedy.seconds, 3), greedy.objective, greedy.bound))


def _stop(child: subprocess.Popen) -> None:
    """Kill the child and every process of its session (its worker processes)."""
    if os.name == "posix":
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    else:
        child.kill()
    child.wait()


def child(model: str, progress: str, final: str) -> None:
    with open(model, "rb") as f:
        a, gap, time_limit, threads, msg, groups, sent = pickle.load(f)
    time_limit = max(time_limit - max(time.time() - sent, 0.0), 0.0)  # the child's own start-up is part of the limit

    def save(outcome: Outcome, path: str = progress) -> None:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(outcome, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    outcome = solve_arrays(a, gap, time_limit, threads, msg, report=save, **groups)
    save(outcome, final)


if __name__ == "__main__":  # the child of solve_with_deadline; classes must come from quota.solve.deadline, not __main__
    from quota.solve.deadline import child as child_main

    child_main(*sys.argv[1:4])
