"""The strategy that makes large models fast, on the model's arrays through the HiGHS adapter (``quota.solve.highs``).

    model arrays ──small──▶ branch-and-cut ──────────────────────────────────────────────────────────▶ Outcome
                 ──large──▶ (greedy start) ─▶ LP relaxation (bound) ─▶ Lagrangian bound by county ─▶ repair
                            ─▶ neighbourhood search by county blocks ─gap met──────────────────────▶ Outcome
                                          └─not met─▶ rounds (``quota.solve.rounds``) until the gap, the limit
                                                      or nothing left ─▶ branch-and-cut from the best ─▶ Outcome
                 ──national──▶ (greedy start) ─▶ prices from a sample's LP ─▶ Lagrangian bound ─▶ greedy repair
                               └─ the whole LP relaxation on a thread beside them (its bound, the report's prices) ┘

A model of the province (20,000 projects) has about 60,000 binaries. Given to HiGHS's
branch-and-cut as it is, the root's cut rounds take most of the time and its heuristics find only
poor allocations. Its LP relaxation, though, solves in seconds (interior point, then crossover) and
leaves about one binary in seventy fractional. So for a large model (``LARGE`` binaries or more):

0. **Greedy start** (``quota.solve.greedy``, given as ``start``): built before the solve by the caller, so that
   there is an allocation whatever happens next.
1. **LP relaxation.** Its optimum ``z_LP`` bounds every allocation from above (we maximise).
2. **Lagrangian bound** (``quota.solve.lagrange``): the city-wide rows are priced at the LP's duals and
   each county's own MIP is solved, as tasks of an engine (``quota.solve.cluster``: a Dask cluster, local
   processes, or this process). The sum is a bound below ``z_LP``.
3. **Repair**: the county solutions together may overrun a city-wide row a little. The greedy repair
   (``quota.solve.greedy.greedy_repair``, seconds at any size) gives up whole projects in the overrun rows, least
   valuable per hectare first, and fills the room left; then, below ``rounds.BLOCK_REPAIR_COLUMNS`` columns, a
   neighbourhood search over blocks of counties, with the excess priced, does better where it can.

At ``SAMPLE_AT`` columns or more (national size: the whole LP takes 3–6 minutes) step 1 runs on a thread of its
own, beside steps 2 and 3, whose prices come from the LP of a sample of the counties
(``quota.solve.lagrange.sampled_prices``); the Lagrangian bound is valid at any prices of the right signs. In a
run, that thread is the pipeline's (``quota.solve.solution.solve_highs``, ``whole_lp`` False here): not bound by
the solver's time limit, it ends in the explain stage if need be, and nothing is solved twice.
4. If that fails (no bound in the time, a county with no allocation): **LP-and-fix** (every project
   whose binaries are all integral in the LP optimum is fixed, the small MIP over the rest solved),
   then a **resource-directive** allocation (``quota.solve.decompose``): each block of counties solves its
   own MIP within its LP share of the city-wide rows.
5. **Neighbourhood search**: one block of counties at a time is freed, the rest fixed, one pass.
6. With a time limit, **rounds** (``quota.solve.rounds``) go on while the gap is not met: passes over other
   groupings of the counties, better prices by subgradient steps, and at last branch-and-cut on the whole
   model from the best allocation, stopped as soon as the gap against the best bound is met. Without a time
   limit, branch-and-cut from the best allocation.

``Outcome.stop_reason`` says why the strategy stopped: the gap met, the time limit, or nothing left to try.
A small model goes straight to branch-and-cut, where the LP bound is too weak to prove a tight gap.

Everything here is plain numpy and highspy (no PuLP, no pandas), so the deadline child starts quickly.
"""
from __future__ import annotations

import time

import numpy as np

from . import highs
from .arrays import Arrays, Outcome
from .cluster import Engine, engine, local_workers
from .decompose import (DIRECTIVE_BINARIES, LNS_BINARIES, improve_by_blocks, linking_rows, make_blocks,
                        resource_directive)
from .greedy import Layout
from .lagrange import Lagrangian, lagrangian_at, prices, sampled_prices
from .rounds import GAP_MET, NOTHING_LEFT, TIME_LIMIT, branch_and_cut, more_rounds, repair_lagrangian

LARGE = 10_000  # binaries: from here on, the LP relaxation and the decomposition by county first
INTEGRAL = 1e-6  # an LP value this close to 0 or 1 counts as integral
FIX_SHARE = 0.3  # of the time left, at most this for LP-and-fix
DIRECTIVE_SHARE = 0.6  # of the time then left, at most this for the resource-directive allocation
LAGRANGE_SHARE = 0.4  # of the time left after the LP, at most this for the Lagrangian bound
LAGRANGE_SHARE_GREEDY = 0.85  # ... on the national route, where the greedy repair (seconds) follows it
REPAIR_SHARE = 0.7  # of the time then left, at most this for repairing its allocation
SAMPLE_AT = 150_000  # columns: from here on, the first prices come from the LP of a sample of the counties, and the
SAMPLE_COLUMNS = 60_000  # whole LP runs beside the county MIPs (its prices for the report; 3–5 minutes at national size)
# the county MIPs' time, per binary and process, to tell whether the bound can be had in the time: measured
# 78 s on 2 processes for 170 counties (59k binaries), and about 100 s for 2,800 counties (371k binaries)
LAGRANGE_SECONDS_PER_BINARY = 1e-3


class Search:
    """The state of one solve: the best allocation and bound so far, the clock, the engine of the county MIPs."""

    def __init__(self, a: Arrays, gap: float, time_limit: float | None, threads: int | None, msg: bool, report,
                 scheduler: str | None = None):
        self.a, self.gap, self.time_limit, self.threads, self.report = a, gap, time_limit, threads, report
        self.start = time.perf_counter()
        self.deadline = None if time_limit is None else self.start + time_limit
        self.options = highs.base_options(gap, threads, msg)
        self.best = Outcome(status="no_solution", version=highs.version_text())
        self.scheduler = scheduler
        self._engine: Engine | None = None
        self.lagrangian: Lagrangian | None = None  # the best Lagrangian bound had, with its prices
        self.linking: np.ndarray | None = None
        self.price_step = 1.0  # the subgradient step's scale (halved after a step that does not lower the bound)
        self.repaired = False  # whether some county solutions have been repaired into an allocation
        self.layout: Layout | None = None  # the model's cells, for the greedy repair (``quota.solve.greedy``)
        self.beside: _Relaxation | None = None  # the whole LP, while it runs on its thread (national route)
        self.whole_lp = True  # False: the caller solves the whole LP beside, not this search (national route)
        self.sample = (SAMPLE_AT, SAMPLE_COLUMNS)  # the national route from this many columns; the sample's size

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.perf_counter()

    def until(self, share: float) -> float | None:
        return None if self.deadline is None else time.perf_counter() + self.left() * share

    def note(self, name: str, r: dict) -> None:
        self.step({"name": name} | {k: r.get(k) for k in ("seconds", "status", "objective", "bound")})

    def step(self, entry: dict) -> None:
        """A step of the solve, kept in the outcome and reported at once: a child stopped later keeps the steps so far."""
        self.best.phases.append(entry)
        if self.report is not None:
            self.report(self.best)

    def improve(self, x, objective, bound=None) -> bool:
        """Keep ``x`` if it is better, ``bound`` if it is lower; say whether either changed."""
        best, changed = self.best, False
        if x is not None and objective is not None and (best.objective is None or objective > best.objective + 1e-9):
            best.x, best.objective, changed = x, objective, True
        if bound is not None and (best.bound is None or bound < best.bound - 1e-9):
            best.bound, changed = bound, True
        best.seconds = time.perf_counter() - self.start
        if changed:
            best.progress.append((round(best.seconds, 3), best.objective, best.bound))
            if self.report is not None and best.x is not None:
                self.report(best)
        return changed

    def done(self) -> bool:
        if self.beside is not None and self.beside.beside.ended():  # the whole LP has ended: its bound now
            self.take_beside()
        return self.best.gap is not None and self.best.gap <= self.gap * (1 + 1e-6)

    def take_beside(self) -> dict | None:
        """The outcome of the LP running beside (waited for: it stops itself at the deadline), its bound kept."""
        beside, self.beside = self.beside, None
        return None if beside is None else _take(self, beside.result())

    def reference(self) -> float:
        """An objective of the model's size, to scale absolute gaps: the LP bound, else the best bound or allocation."""
        if self.best.relaxation is not None:
            return float(self.best.relaxation["objective"])
        known = [v for v in (self.best.bound, self.best.objective) if v is not None]
        return float(max(known, key=abs)) if known else 1.0

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = engine(self.scheduler, local_workers(self.threads))
            if self._engine.note:
                self.best.notes.append(self._engine.note)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()

    def stop(self, status: str, reason: str) -> Outcome:
        self.best.status, self.best.stop_reason = status, reason
        self.best.seconds = time.perf_counter() - self.start
        return self.best


def solve_arrays(a: Arrays, gap: float, time_limit: float | None = None, threads: int | None = None,
                 msg: bool = False, report=None, project: np.ndarray | None = None,
                 county: np.ndarray | None = None, start: tuple | None = None, scheduler: str | None = None,
                 large_at: int | None = None, layout: Layout | None = None, whole_lp: bool = True,
                 sample: tuple[int, int] | None = None) -> Outcome:
    """Solve in this process (``time_limit`` is HiGHS's own, soft). ``report(outcome)`` sees every improvement.

    ``project`` and ``county`` number each column's project and county (−1: none); without them a
    large model gets only the LP bound and branch-and-cut. ``start`` is an allocation and a bound to start
    from (``quota.solve.greedy``); ``scheduler`` a Dask scheduler for the county MIPs; ``large_at`` replaces ``LARGE``;
    ``layout`` the model's cells, for the greedy repair of the county solutions. ``whole_lp`` False: on the national
    route the caller solves the whole LP relaxation itself, beside (``quota.solve.solution.solve_highs``), for the report.
    ``sample`` replaces (``SAMPLE_AT``, ``SAMPLE_COLUMNS``), as the caller's process has them.
    """
    s = Search(a, gap, time_limit, threads, msg, report, scheduler)
    s.layout, s.whole_lp = layout, whole_lp
    s.sample = (SAMPLE_AT, SAMPLE_COLUMNS) if sample is None else sample
    if start is not None:
        x, bound = start
        s.improve(x, float(a.cost @ x + a.offset), bound)
        s.step({"name": "greedy start (before the solve)", "seconds": 0.0, "status": "given",
                "objective": s.best.objective, "bound": bound})
    try:
        if int(a.integer.sum()) >= (LARGE if large_at is None else large_at):
            out = _large(s, project, county)
            if out is not None:
                return out
        if s.deadline is not None and s.left() <= 0 and s.best.x is not None:
            return s.stop("stopped", TIME_LIMIT)
        return branch_and_cut(s)
    finally:
        s.close()


def _large(s: Search, project, county) -> Outcome | None:
    """Steps 1–6 of the module; an Outcome once the gap is met or the rounds have ended, None to go on to branch-and-cut.

    At ``SAMPLE_AT`` columns or more (national size) the whole LP takes minutes: the first prices then come from the
    LP of a sample of the counties (``lagrange.sampled_prices``), and the whole LP runs on a thread of its own beside
    the county MIPs (HiGHS lets go of the interpreter while it solves), for its bound and the report's prices."""
    a = s.a
    counties = 0 if county is None else len(np.unique(county[county >= 0]))
    if counties >= 2 and s.layout is not None and a.shape[1] >= s.sample[0]:
        s.beside = _Relaxation(s) if s.whole_lp else None  # taken as soon as it ends (``Search.done``), or waited for below
        repaired = _by_lagrangian(s, county, None)
        if s.best.x is not None and not s.done():  # improve while the LP goes on beside (from the greedy start at worst)
            _by_blocks(s, None, county, directive=False)
        # with a time limit, never branch-and-cut on the whole national model before the rounds: it finds nothing
        if s.best.x is not None and (s.done() or s.deadline is not None):
            out = s.stop("optimal", GAP_MET) if s.done() else more_rounds(s, county)
            s.take_beside()  # the report's prices: waited for, at most until the deadline (its own limit)
            if s.done() and out.stop_reason != GAP_MET:  # its bound, come last, closed the gap
                out = s.stop("optimal", GAP_MET)
            out.seconds = time.perf_counter() - s.start
            return out
        r = s.take_beside() if s.beside is not None else _last_lp(s)
    else:
        r = _take(s, _Relaxation(s).result())
        repaired = False
        if r is not None and r["optimal"] and county is not None and r["duals"] is not None:
            repaired = _by_lagrangian(s, county, r)
    if r is not None and r["infeasible"] and not repaired:
        return None  # branch-and-cut confirms it with presolve off
    if (r is None or not r["optimal"]) and not repaired:
        return None
    lp_x = r["x"] if r is not None and r["optimal"] else None
    if not repaired and not s.done() and project is not None:
        _lp_and_fix(s, lp_x, project)
    if not s.done() and county is not None:
        _by_blocks(s, lp_x, county, directive=not repaired)
    if s.done():
        return s.stop("optimal", GAP_MET)
    if s.deadline is not None and county is not None and s.best.x is not None:
        return more_rounds(s, county)
    return None


def _take(s: Search, r: dict | None) -> dict | None:
    """The LP's bound and relaxation kept, if it has an optimum."""
    if r is not None and r["optimal"]:
        s.improve(None, None, r["bound"])
        s.best.relaxation = {"objective": r["objective"], "x": r["x"], "duals": r["duals"]}
    return r


def _last_lp(s: Search) -> dict | None:
    """The LP's outcome as ``take_beside`` kept it (the LP ended while the search polled ``done``)."""
    if s.best.relaxation is None:
        return None
    return {"optimal": True, "infeasible": False, "x": s.best.relaxation["x"], "duals": s.best.relaxation["duals"],
            "objective": s.best.relaxation["objective"], "bound": s.best.relaxation["objective"]}


class _Relaxation:
    """The LP relaxation of the whole model (interior point, then crossover), on a thread of its own from the start
    (``highs.Beside``), stopped at the deadline."""

    def __init__(self, s: Search):
        self.s = s
        self.beside = highs.Beside(s.a, False, {**s.options, "solver": "ipm"}, s.left())

    def result(self) -> dict | None:
        """Its outcome, once it has ended; noted in the steps."""
        out = self.beside.result()
        if out is not None:
            self.s.note("LP relaxation (bound)", out)
        return out


def _by_lagrangian(s: Search, county: np.ndarray, lp: dict | None) -> bool:
    """The Lagrangian bound by county at the LP's prices (or, without ``lp``, at those of a sample's LP), and the
    allocation repaired from it (``quota.solve.lagrange``, ``rounds.repair_lagrangian``). Says whether a repaired
    allocation was had."""
    a = s.a
    if len(np.unique(county[county >= 0])) < 2:
        return False
    run_on = s.engine()
    expected = LAGRANGE_SECONDS_PER_BINARY * int(a.integer.sum()) / run_on.workers
    # on the national route the bound is what the time is for (the greedy repair takes seconds); the share also sets
    # each county MIP's own cap (``lagrangian_at``), so the province route keeps the smaller one
    share = LAGRANGE_SHARE_GREEDY if lp is None else LAGRANGE_SHARE
    if s.deadline is not None and expected > share * s.left():
        s.step({"name": "Lagrangian bound by county", "seconds": 0.0,
                "status": f"not tried: about {expected:.0f} s expected, more than the time left allows",
                "objective": None, "bound": None})
        return False
    start = time.perf_counter()
    s.linking = linking_rows(a, county)
    if lp is not None:
        p, whose = prices(a, s.linking, lp["duals"]), "the LP's prices"
    else:
        got = sampled_prices(a, county, s.linking, s.options, s.sample[1], s.until(0.25))
        if got is None:
            s.step({"name": "prices from the LP of a sample of the counties", "seconds": time.perf_counter() - start,
                    "status": "not had in the time", "objective": None, "bound": None})
            return False
        p, sampled, seconds = got
        s.step({"name": f"prices from the LP of a sample of the counties ({sampled:,} of them)",
                "seconds": seconds, "status": "optimal", "objective": None, "bound": None})
        whose = "the sample's prices"
    lag = lagrangian_at(a, county, s.linking, p, s.reference(), s.options, s.gap, s.until(share), run_on,
                        fallback=s.best.x)
    if lag is None:
        s.step({"name": "Lagrangian bound by county", "seconds": time.perf_counter() - start,
                "status": "not had (no time, or a county with no allocation of its own)", "objective": None, "bound": None})
        return False
    s.lagrangian = lag
    s.step({"name": f"Lagrangian bound: {lag.counties:,} county MIPs at {whose} ({run_on.label})",
            "seconds": lag.seconds, "status": lag.status(),
            "objective": None, "bound": lag.bound})  # the county solutions may overrun a city-wide row
    s.improve(None, None, lag.bound)
    if lag.x is None or s.done():
        return False
    return repair_lagrangian(s, county, lag, s.until(REPAIR_SHARE))


def _by_blocks(s: Search, x_lp: np.ndarray, county: np.ndarray, directive: bool = True) -> None:
    """The resource-directive allocation from the LP optimum (if ``directive``), then one pass of the
    neighbourhood search (``quota.solve.decompose``)."""
    a = s.a
    blocks = make_blocks(a, county, DIRECTIVE_BINARIES)
    if directive and blocks.count > 1:
        x, steps = resource_directive(a, blocks, linking_rows(a, county), x_lp, s.options, s.gap / 2,
                                      s.until(DIRECTIVE_SHARE))
        z = None if x is None else float(a.cost @ x + a.offset)
        s.step({"name": f"resource-directive: {blocks.count} county blocks within their LP budgets",
                "seconds": sum(st["seconds"] for st in steps),
                "status": "done" if x is not None else "a block found no allocation", "objective": z, "bound": None})
        s.improve(x, z)
    if s.best.x is None:
        return
    blocks = make_blocks(a, county, LNS_BINARIES)
    _, _, steps = improve_by_blocks(a, blocks, s.best.x, s.options, s.gap, s.until(1.0),
                                    report=lambda x, z: s.improve(x, z), passes=1, enough=lambda x, z: s.done())
    s.step({"name": f"neighbourhood search: {len(steps)} times a block of counties freed ({blocks.count} blocks)",
            "seconds": sum(st["seconds"] for st in steps), "status": "done",
            "objective": s.best.objective, "bound": None})


def _lp_and_fix(s: Search, x: np.ndarray, project: np.ndarray) -> None:
    """Fix every project whose binaries are all integral in the LP optimum; solve the MIP over the rest.

    Whole projects are freed, not single binaries: a project's rows (phases in order, committed
    phases, one plan) may need its other binaries to move once a fractional one is rounded.
    """
    a = s.a
    fractional = a.integer & (np.abs(x - np.rint(x)) > INTEGRAL)
    free_project = np.zeros(int(project.max()) + 2, dtype=bool)
    free_project[project[fractional] + 1] = True
    fixed = a.integer & ~free_project[project + 1]
    fixed &= project >= 0  # binaries of no project (none today) stay free
    cols = np.flatnonzero(fixed).astype(np.int32)
    values = np.rint(x[cols])
    sub = highs.new_highs(a, integer=True, options={**s.options, "mip_rel_gap": s.gap / 2})
    sub.changeColsBounds(len(cols), cols, values, values)
    budget = s.left()
    r = highs.run(sub, None if budget is None else budget * FIX_SHARE)
    free = int(a.integer.sum()) - len(cols)
    s.note(f"LP-and-fix: {int(free_project.sum()):,} projects free ({free:,} binaries)", r)
    s.improve(r["x"], r["objective"])
