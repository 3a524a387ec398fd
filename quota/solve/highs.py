"""HiGHS through highspy directly: the strategy that makes large models fast, and a time limit that holds.

    model arrays ──small──▶ branch-and-cut ─────────────────────────────────────────────────────▶ Outcome
                 ──large──▶ LP relaxation (bound) ─▶ Lagrangian bound by county ─▶ repair of its allocation
                            ─▶ neighbourhood search by county blocks ─gap met─▶ Outcome
                                                                    └─not met─▶ branch-and-cut from the best

A model of the province (20,000 projects) has about 60,000 binaries. Given to HiGHS's
branch-and-cut as it is, the root's cut rounds take most of the time and its heuristics find only
poor allocations. Its LP relaxation, though, solves in seconds (interior point, then crossover) and
leaves about one binary in seventy fractional. So for a large model (``LARGE`` binaries or more):

1. **LP relaxation.** Its optimum ``z_LP`` bounds every allocation from above (we maximise).
2. **Lagrangian bound** (``quota.lagrange``): the city-wide rows are priced at the LP's duals and
   each county's own MIP is solved, on every core. The sum is a bound below ``z_LP`` (the LP fills
   each county's yearly cap with a fraction of a project; the county MIPs cannot).
3. **Repair**: the county solutions together may overrun a city-wide row a little; a neighbourhood
   search over blocks of counties, with the excess priced, takes them back within every row.
4. If that fails (no bound in the time, a county with no allocation): **LP-and-fix** (every project
   whose binaries are all integral in the LP optimum is fixed, the small MIP over the rest solved),
   then a **resource-directive** allocation (``quota.decompose``): each block of counties solves its
   own MIP within its LP share of the city-wide rows.
5. **Neighbourhood search**: one block of counties at a time is freed, the rest fixed; with a time
   limit, pass after pass until the gap is met, the limit, or a pass that improves nothing.
6. If ``(bound − z) / |z|`` is within the requested gap, ``z`` is proven within that gap. Otherwise,
   without a time limit, branch-and-cut runs on the whole model from the best allocation; the bound
   reported is the lowest of the bounds found. (With a limit it runs only in the time, if any, left
   after the search.)

A small model goes straight to branch-and-cut, where the LP bound is too weak to prove a tight gap.

**The time limit holds.** HiGHS checks its time limit only at certain points: at 200,000 projects
one root cut round ran for many minutes past it. So when a limit is set, the work runs in a child
process that reports every improvement (to a file, replaced atomically); the parent stops the
child at the limit plus a short grace and keeps the best allocation reported, marked *stopped*.

**Presolve.** HiGHS 1.16's "Enumeration" MIP presolve rule (``presolve_rule_off`` bit 16) was seen
declaring a feasible model of ours infeasible, returning a suboptimal allocation as optimal, and
failing with a solve error (``benchmarks/highs_presolve``). It is switched off from 1.16 on. An
"infeasible" verdict is confirmed with presolve off before it is believed.

Everything here is plain numpy and highspy (no PuLP, no pandas), so the child starts quickly.
"""
from __future__ import annotations

import functools
import math
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np

LARGE = 10_000  # binaries: from here on, the LP relaxation and the decomposition by county first
ENUMERATION_RULE = 1 << 16  # HiGHS ≥ 1.16 presolve rule "Enumeration"
INTEGRAL = 1e-6  # an LP value this close to 0 or 1 counts as integral
FIX_SHARE = 0.3  # of the time left, at most this for LP-and-fix
DIRECTIVE_SHARE = 0.6  # of the time then left, at most this for the resource-directive allocation
LAGRANGE_SHARE = 0.4  # of the time left after the LP, at most this for the Lagrangian bound
REPAIR_SHARE = 0.7  # of the time then left, at most this for repairing its allocation
# the county MIPs' time, per binary and process, to tell whether the bound can be had in the time: measured
# 78 s on 2 processes for 170 counties (59k binaries), and about 100 s for 2,800 counties (371k binaries)
LAGRANGE_SECONDS_PER_BINARY = 1e-3


@dataclass
class Arrays:
    """A maximisation in HiGHS's terms: columns, rows (row-wise sparse), integrality."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray  # row-wise: starts (len rows + 1), index, value
    index: np.ndarray
    value: np.ndarray
    offset: float = 0.0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_lower), len(self.cost)

    def entry_rows(self) -> np.ndarray:
        """The row of every entry (``index``/``value``)."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.starts))

    def restrict(self, cols: np.ndarray, entries: np.ndarray, row: np.ndarray, cost: np.ndarray | None = None
                 ) -> tuple["Arrays", np.ndarray, np.ndarray]:
        """The model over the columns ``cols`` (ascending) and the entries ``entries`` (all in ``cols``,
        in row order; ``row`` from ``entry_rows``): the rows they touch, with those rows' own bounds.
        Also returns those rows' numbers and the position of each one's first entry in ``entries``."""
        rows, first = np.unique(row[entries], return_index=True)
        cost = self.cost if cost is None else cost
        sub = Arrays(cost=cost[cols], col_lower=self.col_lower[cols], col_upper=self.col_upper[cols],
                     integer=self.integer[cols], row_lower=self.row_lower[rows], row_upper=self.row_upper[rows],
                     starts=np.append(first, len(entries)), index=np.searchsorted(cols, self.index[entries]),
                     value=self.value[entries])
        return sub, rows, first


@dataclass
class Outcome:
    """What HiGHS found: the best column values (if any), their objective, the best bound."""

    status: str  # optimal | stopped | infeasible | no_solution | error
    x: np.ndarray | None = None
    objective: float | None = None
    bound: float | None = None
    version: str = ""
    seconds: float = 0.0
    phases: list[dict] = field(default_factory=list)  # name, seconds, status, objective, bound
    message: str = ""
    relaxation: dict | None = None  # the LP relaxation, when solved: objective, x (columns), duals (rows)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(self.bound - self.objective, 0.0) / max(abs(self.objective), 1e-9)


@functools.lru_cache(maxsize=1)
def version() -> tuple[int, int]:
    h = highspy.Highs
    try:
        return int(h().versionMajor()), int(h().versionMinor())
    except Exception:  # noqa: BLE001 - very old highspy: no version calls
        return 0, 0


def version_text() -> str:
    major, minor = version()
    return f"HiGHS {major}.{minor}" if major else "HiGHS"


# ------------------------------------------------------------- one Highs ----

def new_highs(a: Arrays, integer: bool, options: dict) -> highspy.Highs:
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    rows, cols = a.shape
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_ = a.cost
    lp.col_lower_ = np.where(np.isinf(a.col_lower), -inf, a.col_lower)
    lp.col_upper_ = np.where(np.isinf(a.col_upper), inf, a.col_upper)
    lp.row_lower_ = np.where(np.isinf(a.row_lower), -inf, a.row_lower)
    lp.row_upper_ = np.where(np.isinf(a.row_upper), inf, a.row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = cols, rows
    lp.a_matrix_.start_ = a.starts.astype(np.int32)
    lp.a_matrix_.index_ = a.index.astype(np.int32)
    lp.a_matrix_.value_ = a.value.astype(np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.offset_ = float(a.offset)
    if integer and a.integer.any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[int(i)] for i in a.integer]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


def base_options(gap: float, threads: int | None, msg: bool) -> dict:
    options = {"mip_rel_gap": float(gap), "output_flag": bool(msg)}
    if threads:
        options["threads"] = int(threads)
    if version() >= (1, 16):
        options["presolve_rule_off"] = ENUMERATION_RULE
    return options


def _run(h: highspy.Highs, time_left: float | None) -> dict:
    """Run one solve; its status, objective, bound and values."""
    if time_left is not None:
        h.setOptionValue("time_limit", max(float(time_left), 0.01))
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    S = highspy.HighsModelStatus
    status = h.getModelStatus()
    info = h.getInfo()
    if status == S.kModelEmpty:  # no columns (every project out before the model): the empty allocation
        offset = h.getLp().offset_
        return {"seconds": seconds, "status": "empty model", "optimal": True, "infeasible": False, "has_solution": True,
                "objective": offset, "bound": offset, "stopped": False, "x": np.zeros(h.getNumCol()),
                "duals": np.zeros(h.getNumRow())}
    has = info.primal_solution_status == 2
    out = {"seconds": seconds, "status": h.modelStatusToString(status), "optimal": status == S.kOptimal,
           "infeasible": status == S.kInfeasible, "has_solution": has,
           "objective": info.objective_function_value if has else None, "bound": None,
           "stopped": status not in (S.kOptimal, S.kInfeasible, S.kUnbounded, S.kUnboundedOrInfeasible)}
    if info.mip_node_count >= 0 and math.isfinite(info.mip_dual_bound):
        out["bound"] = info.mip_dual_bound
    elif status == S.kOptimal:  # an LP: its optimum is its bound
        out["bound"] = info.objective_function_value
    solution = h.getSolution()
    out["x"] = np.asarray(solution.col_value, dtype=float) if has else None
    out["duals"] = np.asarray(solution.row_dual, dtype=float) if solution.dual_valid else None
    return out


# ------------------------------------------------------------ the strategy ----

def solve_arrays(a: Arrays, gap: float, time_limit: float | None = None, threads: int | None = None,
                 msg: bool = False, report=None, project: np.ndarray | None = None,
                 county: np.ndarray | None = None) -> Outcome:
    """Solve in this process (``time_limit`` is HiGHS's own, soft). ``report(outcome)`` sees every improvement.

    ``project`` and ``county`` number each column's project and county (−1: none); without them a
    large model gets only the LP bound and branch-and-cut.
    """
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    left = (lambda: None) if deadline is None else (lambda: deadline - time.perf_counter())
    options = base_options(gap, threads, msg)
    best = Outcome(status="no_solution", version=version_text())

    def note(name: str, r: dict) -> None:
        best.phases.append({"name": name} | {k: r.get(k) for k in ("seconds", "status", "objective", "bound")})

    def improve(x, objective, bound=None) -> None:
        if x is not None and objective is not None and (best.objective is None or objective > best.objective + 1e-9):
            best.x, best.objective = x, objective
            if report is not None:
                report(best)
        if bound is not None and (best.bound is None or bound < best.bound):
            best.bound = bound
        best.seconds = time.perf_counter() - start

    def done() -> bool:
        return best.gap is not None and best.gap <= gap * (1 + 1e-6)

    binaries = int(a.integer.sum())
    if binaries >= LARGE:
        # interior point, then crossover to a vertex (its duals are the prices): 12 s against 40–90 s for
        # the dual simplex at province size, and minutes against more than an hour at national size
        lp = new_highs(a, integer=False, options={**options, "solver": "ipm"})
        r = _run(lp, left())
        note("LP relaxation (bound)", r)
        if r["infeasible"]:
            return _infeasible(a, options, left, best, note)
        if r["optimal"]:
            improve(None, None, r["bound"])
            x = r["x"]
            best.relaxation = {"objective": r["objective"], "x": x, "duals": r["duals"]}
            del lp
            if county is not None and r["duals"] is not None:
                _by_lagrangian(a, r, county, options, gap, deadline, left, improve, done, best, threads)
            directive = best.x is None  # no repaired allocation: LP-and-fix, then the resource-directive one
            if directive and not done() and project is not None:
                _lp_and_fix(a, x, project, options, gap, left, improve, note)
            if not done() and county is not None:
                _by_blocks(a, x, county, options, gap, deadline, left, improve, done, best, directive)
            if done():
                best.status = "optimal"
                return best
    if deadline is not None and left() <= 0 and best.x is not None:
        best.status = "stopped"
        return best
    h = new_highs(a, integer=True, options=options)
    label = "branch-and-cut" + (" from the best allocation so far" if best.x is not None else "")
    if best.x is not None:
        start_point = highspy.HighsSolution()
        start_point.col_value = best.x
        h.setSolution(start_point)
    _subscribe(h, a, improve)
    r = _run(h, left())
    note(label, r)
    if r["infeasible"]:
        return _infeasible(a, options, left, best, note)
    improve(r["x"], r["objective"], r["bound"])
    if best.x is None:
        best.status = "no_solution"
    elif r["optimal"] or done():
        best.status = "optimal"
    else:
        best.status = "stopped"
    best.seconds = time.perf_counter() - start
    return best


def _until(deadline, left, share: float) -> float | None:
    return None if deadline is None else time.perf_counter() + left() * share


def _by_lagrangian(a: Arrays, lp: dict, county: np.ndarray, options: dict, gap: float, deadline, left, improve, done,
                   best: Outcome, threads: int | None) -> None:
    """The Lagrangian bound by county at the LP's prices, and the allocation repaired from it (``quota.lagrange``)."""
    from .decompose import LNS_BINARIES, linking_rows, make_blocks
    from .lagrange import county_lagrangian, repair, workers_for

    if len(np.unique(county[county >= 0])) < 2:
        return
    workers = workers_for(threads)
    expected = LAGRANGE_SECONDS_PER_BINARY * int(a.integer.sum()) / workers
    if deadline is not None and expected > LAGRANGE_SHARE * left():
        best.phases.append({"name": "Lagrangian bound by county", "seconds": 0.0,
                            "status": f"not tried: about {expected:.0f} s expected, more than the time left allows",
                            "objective": None, "bound": None})
        return
    start = time.perf_counter()
    lag = county_lagrangian(a, county, linking_rows(a, county), lp["duals"], lp["objective"], options, gap,
                            _until(deadline, left, LAGRANGE_SHARE), workers)
    if lag is None:
        best.phases.append({"name": "Lagrangian bound by county", "seconds": time.perf_counter() - start,
                            "status": "not had (time, or a county with no allocation of its own)",
                            "objective": None, "bound": None})
        return
    best.phases.append({"name": f"Lagrangian bound: {lag.counties:,} county MIPs at the LP's prices "
                                f"({workers} process{'es' if workers > 1 else ''})",
                        "seconds": lag.seconds, "status": f"{lag.stopped} county MIPs stopped at their time limit",
                        "objective": None, "bound": lag.bound})  # the county solutions may overrun a city-wide row
    improve(None, None, lag.bound)
    if lag.x is None or done():
        return
    x, steps = repair(a, make_blocks(a, county, LNS_BINARIES), lag.x, lag.prices, options, gap,
                      _until(deadline, left, REPAIR_SHARE))
    best.phases.extend(steps)
    if x is not None:
        improve(x, float(a.cost @ x + a.offset))


def _by_blocks(a: Arrays, x_lp: np.ndarray, county: np.ndarray, options: dict, gap: float, deadline, left,
               improve, done, best: Outcome, directive: bool = True) -> None:
    """The resource-directive allocation from the LP optimum (if ``directive``), then the neighbourhood
    search (``quota.decompose``)."""
    from .decompose import (DIRECTIVE_BINARIES, LNS_BINARIES, improve_by_blocks, linking_rows, make_blocks,
                            resource_directive)

    def until(share: float):
        return _until(deadline, left, share)

    blocks = make_blocks(a, county, DIRECTIVE_BINARIES)
    if directive and blocks.count > 1:
        x, steps = resource_directive(a, blocks, linking_rows(a, county), x_lp, options, gap / 2, until(DIRECTIVE_SHARE))
        z = None if x is None else float(a.cost @ x + a.offset)
        best.phases.append({"name": f"resource-directive: {blocks.count} county blocks within their LP budgets",
                            "seconds": sum(st["seconds"] for st in steps), "status": "done" if x is not None else
                            "a block found no allocation", "objective": z, "bound": None})
        improve(x, z)
    if best.x is None:
        return
    blocks = make_blocks(a, county, LNS_BINARIES)
    # with a time limit, search until it (branch-and-cut on the whole model would not finish its root
    # cut rounds in the time left at these sizes); without one, one pass, then branch-and-cut
    _, _, steps = improve_by_blocks(a, blocks, best.x, options, gap, until(1.0), report=lambda x, z: improve(x, z),
                                    passes=1 if deadline is None else 1_000, enough=lambda x, z: done())
    best.phases.append({"name": f"neighbourhood search: {len(steps)} times a block of counties freed ({blocks.count} blocks)",
                        "seconds": sum(st["seconds"] for st in steps), "status": "done",
                        "objective": best.objective, "bound": None})


def _lp_and_fix(a: Arrays, x: np.ndarray, project: np.ndarray, options: dict, gap: float, left, improve, note) -> None:
    """Fix every project whose binaries are all integral in the LP optimum; solve the MIP over the rest.

    Whole projects are freed, not single binaries: a project's rows (phases in order, committed
    phases, one plan) may need its other binaries to move once a fractional one is rounded.
    """
    fractional = a.integer & (np.abs(x - np.rint(x)) > INTEGRAL)
    free_project = np.zeros(int(project.max()) + 2, dtype=bool)
    free_project[project[fractional] + 1] = True
    fixed = a.integer & ~free_project[project + 1]
    fixed &= project >= 0  # binaries of no project (none today) stay free
    cols = np.flatnonzero(fixed).astype(np.int32)
    values = np.rint(x[cols])
    sub = new_highs(a, integer=True, options={**options, "mip_rel_gap": gap / 2})
    sub.changeColsBounds(len(cols), cols, values, values)
    budget = left()
    r = _run(sub, None if budget is None else budget * FIX_SHARE)
    free = int(a.integer.sum()) - len(cols)
    note(f"LP-and-fix: {int(free_project.sum()):,} projects free ({free:,} binaries)", r)
    improve(r["x"], r["objective"])


def _subscribe(h: highspy.Highs, a: Arrays, improve) -> None:
    """Report every improving incumbent of branch-and-cut (highspy ≥ 1.10 has these callbacks)."""
    hook = getattr(h, "cbMipImprovingSolution", None)
    if hook is None:
        return

    def seen(event):
        x = np.asarray(event.data_out.mip_solution, dtype=float).copy()
        if len(x) == len(a.cost):  # a full allocation of the model: its objective is recomputed, not taken on trust
            improve(x, float(a.cost @ x + a.offset))

    hook.subscribe(seen)


def _infeasible(a: Arrays, options: dict, left, best: Outcome, note) -> Outcome:
    """Confirm an 'infeasible' verdict with presolve off (HiGHS 1.16's presolve was seen to be wrong)."""
    h = new_highs(a, integer=True, options={**options, "presolve": "off"})
    r = _run(h, left())
    note("branch-and-cut, presolve off (confirming 'infeasible')", r)
    if r["infeasible"]:
        best.status = "infeasible"
        return best
    if r["x"] is not None:
        best.x, best.objective = r["x"], r["objective"]
        best.bound = r["bound"] if best.bound is None or r["bound"] is None else min(best.bound, r["bound"])
    best.status = "no_solution" if best.x is None else "optimal" if r["optimal"] else "stopped"
    return best


# ------------------------------------------------------ hard time limit ----

def solve_with_deadline(a: Arrays, gap: float, time_limit: float, threads: int | None = None,
                        msg: bool = False, grace: float | None = None, **groups) -> Outcome:
    """``solve_arrays`` in a child process that is stopped at ``time_limit + grace`` whatever HiGHS does.

    The child (``python -m quota.solve.highs``) writes every improvement to a file, replaced atomically;
    after a stop the parent keeps the last one written, marked *stopped*.
    """
    grace = max(2.0, 0.02 * time_limit) if grace is None else grace
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quota-highs-") as tmp:
        model, progress, final, errors = (Path(tmp) / n for n in ("model.pkl", "progress.pkl", "final.pkl", "stderr"))
        with open(model, "wb") as f:
            pickle.dump((a, gap, time_limit, threads, msg, groups), f, protocol=pickle.HIGHEST_PROTOCOL)
        with open(errors, "wb") as err:
            # a session of its own, so that the child and its worker processes are stopped together
            child = subprocess.Popen([sys.executable, "-m", "quota.solve.highs", str(model), str(progress), str(final)],
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
            outcome.message = f"stopped at the time limit ({time_limit:g} s + {grace:g} s grace)"
            # the step that was running when the child was stopped: the child's time not in the steps listed
            listed = sum(step.get("seconds") or 0.0 for step in outcome.phases)
            outcome.phases.append({"name": "the next step, stopped at the time limit (its time includes the child's start)",
                                   "seconds": max(time.perf_counter() - start - listed, 0.0), "status": "stopped",
                                   "objective": outcome.objective, "bound": None})
        outcome.seconds = time.perf_counter() - start
        return outcome


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


def _child(model: str, progress: str, final: str) -> None:
    with open(model, "rb") as f:
        a, gap, time_limit, threads, msg, groups = pickle.load(f)

    def save(outcome: Outcome, path: str = progress) -> None:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as f:
            pickle.dump(outcome, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    outcome = solve_arrays(a, gap, time_limit, threads, msg, report=save, **groups)
    save(outcome, final)


if __name__ == "__main__":  # the child of solve_with_deadline; classes must come from quota.solve.highs, not __main__
    from quota.solve.highs import _child as child_main

    child_main(*sys.argv[1:4])
