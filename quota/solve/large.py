"""The strategy that makes large models fast, on the model's arrays through the HiGHS adapter (``quota.solve.highs``).

    model arrays ──small──▶ branch-and-cut ─────────────────────────────────────────────────────▶ Outcome
                 ──large──▶ LP relaxation (bound) ─▶ Lagrangian bound by county ─▶ repair of its allocation
                            ─▶ neighbourhood search by county blocks ─gap met─▶ Outcome
                                                                    └─not met─▶ branch-and-cut from the best

A model of the province (20,000 projects) has about 60,000 binaries. Given to HiGHS's
branch-and-cut as it is, the root's cut rounds take most of the time and its heuristics find only
poor allocations. Its LP relaxation, though, solves in seconds (interior point, then crossover) and
leaves about one binary in seventy fractional. So for a large model (``LARGE`` binaries or more):

1. **LP relaxation.** Its optimum ``z_LP`` bounds every allocation from above (we maximise).
2. **Lagrangian bound** (``quota.solve.lagrange``): the city-wide rows are priced at the LP's duals and
   each county's own MIP is solved, on every core. The sum is a bound below ``z_LP`` (the LP fills
   each county's yearly cap with a fraction of a project; the county MIPs cannot).
3. **Repair**: the county solutions together may overrun a city-wide row a little; a neighbourhood
   search over blocks of counties, with the excess priced, takes them back within every row.
4. If that fails (no bound in the time, a county with no allocation): **LP-and-fix** (every project
   whose binaries are all integral in the LP optimum is fixed, the small MIP over the rest solved),
   then a **resource-directive** allocation (``quota.solve.decompose``): each block of counties solves its
   own MIP within its LP share of the city-wide rows.
5. **Neighbourhood search**: one block of counties at a time is freed, the rest fixed; with a time
   limit, pass after pass until the gap is met, the limit, or a pass that improves nothing.
6. If ``(bound − z) / |z|`` is within the requested gap, ``z`` is proven within that gap. Otherwise,
   without a time limit, branch-and-cut runs on the whole model from the best allocation; the bound
   reported is the lowest of the bounds found. (With a limit it runs only in the time, if any, left
   after the search.)

A small model goes straight to branch-and-cut, where the LP bound is too weak to prove a tight gap.

Everything here is plain numpy and highspy (no PuLP, no pandas), so the deadline child starts quickly.
"""
from __future__ import annotations

import time

import highspy
import numpy as np

from . import highs
from .arrays import Arrays, Outcome
from .decompose import (DIRECTIVE_BINARIES, LNS_BINARIES, improve_by_blocks, linking_rows, make_blocks,
                        resource_directive)
from .lagrange import county_lagrangian, repair, workers_for

LARGE = 10_000  # binaries: from here on, the LP relaxation and the decomposition by county first
INTEGRAL = 1e-6  # an LP value this close to 0 or 1 counts as integral
FIX_SHARE = 0.3  # of the time left, at most this for LP-and-fix
DIRECTIVE_SHARE = 0.6  # of the time then left, at most this for the resource-directive allocation
LAGRANGE_SHARE = 0.4  # of the time left after the LP, at most this for the Lagrangian bound
REPAIR_SHARE = 0.7  # of the time then left, at most this for repairing its allocation
# the county MIPs' time, per binary and process, to tell whether the bound can be had in the time: measured
# 78 s on 2 processes for 170 counties (59k binaries), and about 100 s for 2,800 counties (371k binaries)
LAGRANGE_SECONDS_PER_BINARY = 1e-3


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
    options = highs.base_options(gap, threads, msg)
    best = Outcome(status="no_solution", version=highs.version_text())

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
        lp = highs.new_highs(a, integer=False, options={**options, "solver": "ipm"})
        r = highs.run(lp, left())
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
    h = highs.new_highs(a, integer=True, options=options)
    label = "branch-and-cut" + (" from the best allocation so far" if best.x is not None else "")
    if best.x is not None:
        start_point = highspy.HighsSolution()
        start_point.col_value = best.x
        h.setSolution(start_point)
    _subscribe(h, a, improve)
    r = highs.run(h, left())
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
    """The Lagrangian bound by county at the LP's prices, and the allocation repaired from it (``quota.solve.lagrange``)."""
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
    search (``quota.solve.decompose``)."""
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
    sub = highs.new_highs(a, integer=True, options={**options, "mip_rel_gap": gap / 2})
    sub.changeColsBounds(len(cols), cols, values, values)
    budget = left()
    r = highs.run(sub, None if budget is None else budget * FIX_SHARE)
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
    h = highs.new_highs(a, integer=True, options={**options, "presolve": "off"})
    r = highs.run(h, left())
    note("branch-and-cut, presolve off (confirming 'infeasible')", r)
    if r["infeasible"]:
        best.status = "infeasible"
        return best
    if r["x"] is not None:
        best.x, best.objective = r["x"], r["objective"]
        best.bound = r["bound"] if best.bound is None or r["bound"] is None else min(best.bound, r["bound"])
    best.status = "no_solution" if best.x is None else "optimal" if r["optimal"] else "stopped"
    return best
