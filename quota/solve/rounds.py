"""Using the whole time limit: rounds of improvement after the first pass, then branch-and-cut from the best.

The large-model strategy (``quota.solve.large``) ends its first pass with an allocation and a bound. If the gap
is not met and time is left, it does not stop: ``more_rounds`` goes on, round after round,

1. **another grouping of the counties**: one pass of the neighbourhood search over blocks drawn in another
   order (counties far apart in the list freed together, so quota can move between them) and of another
   size (1, 2 then 4 times ``LNS_BINARIES``);
2. when a pass finds nothing, **better prices**: one subgradient step of the Lagrangian bound
   (``quota.solve.lagrange.subgradient_prices``), if one more round of county MIPs fits in half the time left;
   its bound is kept if lower, and its county solutions are repaired into another allocation;
3. when neither has improved anything over every grouping, **branch-and-cut** on the whole model from the best
   allocation, stopped as soon as its incumbent is within the gap of the best bound known (the Lagrangian one
   is usually far below HiGHS's own), for the rest of the time.

It stops when the gap is met (``GAP_MET``), when less than ``NEAR`` of the time limit is left (``TIME_LIMIT``),
or when branch-and-cut has ended with nothing more to try (``NOTHING_LEFT``). ``Outcome.stop_reason`` says which.

Plain numpy and highspy, like ``quota.solve.highs``.
"""
from __future__ import annotations

import time

import highspy
import numpy as np

from . import highs
from .arrays import Outcome
from .decompose import LNS_BINARIES, improve_by_blocks, make_blocks
from .greedy import greedy_repair
from .lagrange import lagrangian_at, repair, subgradient_prices

GAP_MET, TIME_LIMIT, NOTHING_LEFT = "gap met", "time limit", "nothing left to try"
NEAR = 0.05  # of the time limit: with less than this left, the rounds stop
SIZES = (1, 2, 4)  # block sizes of the rounds' passes, in LNS_BINARIES
PRICE_SHARE = 0.5  # one more round of county MIPs only if its last time fits in this share of the time left
TIGHTER = 0.5  # branch-and-cut that ends "optimal" by its own measure but not by ours: its gap times this, again
# columns: from here on, a repair that has an allocation does not go on to the block search (a MIP of the whole model
# per block: the first pass over a national model had not ended after two minutes)
BLOCK_REPAIR_COLUMNS = 150_000


def near_the_limit(s) -> bool:
    return s.deadline is not None and s.left() <= NEAR * s.time_limit


def more_rounds(s, county: np.ndarray) -> Outcome:
    """Rounds 1–3 of the module until the gap, the limit, or nothing left."""
    a = s.a
    lag = s.lagrangian
    if lag is not None and lag.x is not None and not s.repaired and not near_the_limit(s):
        _repair(s, county, lag, "round 0: ")  # the first repair ran out of its share: the rest of the time for it
    turn, idle = 0, 0
    while not s.done() and not near_the_limit(s) and idle < len(SIZES):
        turn += 1
        blocks = make_blocks(a, county, LNS_BINARIES * SIZES[turn % len(SIZES)], seed=turn)
        before = (s.best.objective, s.best.bound)
        _, _, steps = improve_by_blocks(a, blocks, s.best.x, s.options, s.gap, s.deadline - NEAR * s.time_limit,
                                        report=lambda x, z: s.improve(x, z), passes=1, enough=lambda x, z: s.done())
        s.step({"name": f"round {turn}: neighbourhood search over {blocks.count} blocks in another order",
                "seconds": sum(st["seconds"] for st in steps), "status": f"{len(steps)} blocks freed",
                "objective": s.best.objective, "bound": None})
        if s.best.objective <= before[0] + 1e-9 and not s.done() and not near_the_limit(s):
            _better_prices(s, county, turn)
        idle = 0 if (s.best.objective, s.best.bound) != before else idle + 1
    if s.done():
        return s.stop("optimal", GAP_MET)
    if near_the_limit(s):
        return s.stop("stopped", TIME_LIMIT)
    return branch_and_cut(s)


def _better_prices(s, county: np.ndarray, turn: int) -> None:
    """One subgradient step from the best Lagrangian prices, if a round of county MIPs fits; repair its solutions."""
    lag, a = s.lagrangian, s.a
    if lag is None or s.linking is None or lag.seconds > PRICE_SHARE * s.left():
        return
    p = subgradient_prices(a, s.linking, lag, s.best.objective, s.price_step)
    if p is None:
        return
    new = lagrangian_at(a, county, s.linking, p, s.reference(), s.options, s.gap,
                        s.deadline - NEAR * s.time_limit, s.engine(), fallback=s.best.x)
    if new is None:
        s.step({"name": f"round {turn}: better prices (a subgradient step)", "seconds": 0.0,
                "status": "not had in the time", "objective": None, "bound": None})
        return
    s.step({"name": f"round {turn}: Lagrangian bound at better prices (a subgradient step)",
            "seconds": new.seconds, "status": new.status(),
            "objective": None, "bound": new.bound})
    s.improve(None, None, new.bound)
    if new.bound < lag.bound:
        s.lagrangian = new
    else:
        s.price_step /= 2
    if new.x is not None and not s.done() and not near_the_limit(s):
        _repair(s, county, new, f"round {turn}: ")


def _repair(s, county: np.ndarray, lag, label: str) -> None:
    """The county solutions of ``lag`` repaired into an allocation (``repair_lagrangian``), until near the limit."""
    repair_lagrangian(s, county, lag, s.deadline - NEAR * s.time_limit, label)


def repair_lagrangian(s, county: np.ndarray, lag, until: float | None, label: str = "") -> bool:
    """The county solutions of ``lag`` made an allocation within every row: first the greedy repair
    (``quota.solve.greedy.greedy_repair``: seconds at any size), then, unless that met the gap or the model is too
    large for a MIP per block (``BLOCK_REPAIR_COLUMNS``), the block search of ``quota.solve.lagrange.repair``, which
    keeps the better. Says whether an allocation was had."""
    a = s.a
    had = False
    if s.layout is not None:
        st = greedy_repair(a, s.layout, lag.x, until)
        s.step({"name": label + "repair: the counties' excess given up, least valuable per hectare first, "
                                "and the room left filled by value per hectare",
                "seconds": 0.0 if st is None else st.seconds,
                "status": "not had (a row could not be brought within bounds so)" if st is None
                else "verified against every row",
                "objective": None if st is None else st.objective, "bound": None})
        if st is not None:
            had = True
            s.improve(st.x, st.objective)
    if s.done() or (had and a.shape[1] >= BLOCK_REPAIR_COLUMNS):
        s.repaired = s.repaired or had
        return had
    x, steps = repair(a, make_blocks(a, county, LNS_BINARIES), lag.x, lag.prices, s.options, s.gap, until)
    for step in steps:
        s.step({**step, "name": label + step["name"]})
    if x is not None:
        had = True
        s.improve(x, float(a.cost @ x + a.offset))
    s.repaired = s.repaired or had
    return had


def branch_and_cut(s) -> Outcome:
    """HiGHS's branch-and-cut on the whole model, from the best allocation if any, for the time left; with a bound
    from before, stopped as soon as the gap against the best bound is met."""
    a, best = s.a, s.best
    gap = s.gap
    for attempt in range(3):
        h = highs.new_highs(a, integer=True, options={**s.options, "mip_rel_gap": gap})
        label = "branch-and-cut" + (" from the best allocation so far" if best.x is not None else "")
        if best.x is not None:
            start_point = highspy.HighsSolution()
            start_point.col_value = best.x
            h.setSolution(start_point)
        _subscribe(h, s)
        r = highs.run(h, s.left())
        s.note(label, r)
        if r["infeasible"]:
            return _infeasible(s)
        s.improve(r["x"], r["objective"], r["bound"])
        if best.x is None:
            return s.stop("no_solution", TIME_LIMIT if r["stopped"] else NOTHING_LEFT)
        if s.done():
            return s.stop("optimal", GAP_MET)
        if not r["optimal"]:
            return s.stop("stopped", TIME_LIMIT)
        if s.deadline is None or near_the_limit(s):
            break
        gap *= TIGHTER  # "optimal" within HiGHS's gap, not within ours: ask for a tighter one in the time left
    return s.stop("optimal", NOTHING_LEFT)


def _subscribe(h: highspy.Highs, s) -> None:
    """Report every improving incumbent of branch-and-cut; with a bound from before, stop it once the gap against
    the best bound is met (highspy ≥ 1.10 has these callbacks)."""
    a = s.a
    hook = getattr(h, "cbMipImprovingSolution", None)
    if hook is None:
        return

    def seen(event):
        x = np.asarray(event.data_out.mip_solution, dtype=float).copy()
        if len(x) == len(a.cost):  # a full allocation of the model: its objective is recomputed, not taken on trust
            s.improve(x, float(a.cost @ x + a.offset))

    hook.subscribe(seen)
    if s.best.bound is None:
        return  # HiGHS's own bound is the only one: its own gap test is the same

    def enough(event):
        bound = event.data_out.mip_dual_bound
        if np.isfinite(bound):
            s.improve(None, None, float(bound))
        if s.done():
            event.interrupt()

    h.cbMipInterrupt.subscribe(enough)


def _infeasible(s) -> Outcome:
    """Confirm an 'infeasible' verdict with presolve off (HiGHS 1.16's presolve was seen to be wrong)."""
    a, best = s.a, s.best
    h = highs.new_highs(a, integer=True, options={**s.options, "presolve": "off"})
    r = highs.run(h, s.left())
    s.note("branch-and-cut, presolve off (confirming 'infeasible')", r)
    if r["infeasible"]:
        best.status = "infeasible"
        return best
    if r["x"] is not None:
        best.x, best.objective = r["x"], r["objective"]
        best.bound = r["bound"] if best.bound is None or r["bound"] is None else min(best.bound, r["bound"])
    status = "no_solution" if best.x is None else "optimal" if r["optimal"] else "stopped"
    return s.stop(status, TIME_LIMIT if r["stopped"] else NOTHING_LEFT)
