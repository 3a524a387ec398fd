"""A Lagrangian bound by county, and a feasible allocation repaired from its county solutions.

The LP bound of a province model is loose by about 0.4%: each county's yearly cap is a small
knapsack, and the LP fills every one of them exactly with a fraction of a project. Branch-and-cut
closes that only slowly (its root cut rounds take minutes). Here the few *linking* rows (city quota,
advance cap, farmland quota, dependencies between counties; ``decompose.linking_rows``) are priced
instead of imposed:

    L(p) = Σ_i p_i·b_i + Σ_counties max { (c − pA)_c · x_c : x_c meets its county's own rows, binaries 0/1 }

where ``b_i`` is the bound of row ``i`` that its price acts on (the upper one for ``p_i > 0``, the
lower one for ``p_i < 0``). For every feasible allocation ``x``, ``p_i·(b_i − A_i x) ≥ 0``, so
``L(p) ≥ c·x``: a valid upper bound for any prices of those signs. With the LP's own duals as ``p``,
each county MIP keeps its integrality, so ``L(p)`` is below the LP bound (538,281 → 536,010 at
province size, a 0.42% gap closed). The county MIPs are small and independent: they run as tasks of an
engine (``quota.solve.cluster``: Dask, local processes, or this process), each task carrying one county's MIP
and nothing else. A county MIP stopped early contributes its own MIP bound, so the bound stays valid.

**A round always ends in its time** (``lagrangian_at``): each county MIP is capped at ``SPREAD`` times its even share
of the time its worker has left for the MIPs still to come, a county with no time left (or whose task never came
back) contributes its LP relaxation's bound, and a county with no solution of its own takes its columns from a
``fallback`` allocation (the best so far, within every row), so the repair always has an allocation to start from.

**Better prices.** ``L(p)`` is convex in ``p``; the LP's duals are a good start, not its minimum.
``subgradient_prices`` takes one Polyak step from there (the county solutions' use of each linking row
against its bound is a subgradient), for the strategy to evaluate when its time allows and the gap is not met.

The county solutions together are an allocation that meets every county row but may use a linking
row a little beyond its bound (350 ha of a 42,244 ha quota at province size). ``repair`` takes it
back within bounds with the neighbourhood search of ``decompose``: an *elastic* column per
violated row takes the excess at a cost just above the row's price, and the blocks of counties,
freed one at a time, give up their least valuable use of the row first; a second pass with a
prohibitive cost removes the last of it. The result is a feasible allocation close to ``L(p)``.

Plain numpy and highspy, like ``quota.solve.highs``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .arrays import Arrays
from .cluster import Engine, engine
from .decompose import Blocks, improve_by_blocks
from .highs import new_highs, run

COUNTY_GAP_SHARE = 0.05  # of the requested gap: the most each county MIP's own gap may loosen the bound (twice: rel, abs)
ABOVE_PRICE = 1.01  # first repair pass: the excess costs this times the row's price
PROHIBITIVE = 1e3  # second repair pass: the excess costs this times (largest price + 1)
FIRST_PASS_SHARE = 0.6  # of the repair's time, at most this for its first pass
TASKS_PER_WORKER = 16  # the county MIPs go out in this many tasks per worker (national: 2,800 counties in 32 tasks on 2)
MIN_MIP_SECONDS = 0.05  # a county MIP with less time than this: its LP relaxation's bound instead
SPREAD = 2.0  # behind time, a county MIP's cap: at most this times its even share of its worker's time left
END_MARGIN = 0.03  # of the round's time: the county MIPs end this much before it, for their tasks to come back


@dataclass
class Lagrangian:
    """The bound, the county solutions put together (None if a county found none and no fallback was given), the prices."""

    bound: float
    x: np.ndarray | None
    prices: np.ndarray
    seconds: float
    counties: int
    stopped: int  # county MIPs stopped at their time limit (their own bound used)
    relaxed: int = 0  # counties bounded by their LP relaxation: no time left for their MIP, or their task not back
    filled: int = 0  # counties with no solution of their own, whose columns the ``fallback`` allocation gave

    def status(self) -> str:
        """How the county MIPs ended, for the solver's steps."""
        text = f"{self.stopped} county MIPs stopped at their time limit"
        if self.relaxed:
            text += f"; {_counties(self.relaxed)} bounded by their LP relaxation (no time left for their MIP)"
        if self.filled:
            text += f"; the best allocation's columns for the {_counties(self.filled)} with no solution of their own"
        return text


def _counties(n: int) -> str:
    return f"{n:,} count{'y' if n == 1 else 'ies'}"


def prices(a: Arrays, linking: np.ndarray, duals: np.ndarray) -> np.ndarray:
    """The LP's row duals on the linking rows (0 elsewhere), with signs that keep ``L(p)`` a bound.

    For a maximisation a price ``p_i > 0`` acts on the row's upper bound and ``p_i < 0`` on its
    lower one; a price on a side with no bound is dropped.
    """
    p = np.where(linking, duals, 0.0)
    p = np.where(np.isfinite(a.row_upper), p, np.minimum(p, 0.0))
    return np.where(np.isfinite(a.row_lower), p, np.maximum(p, 0.0))


def sampled_prices(a: Arrays, county: np.ndarray, linking: np.ndarray, options: dict, columns: int,
                   deadline: float | None) -> tuple[np.ndarray, int, float] | None:
    """Prices for the linking rows from the LP relaxation of a sample of the counties: every k-th county (k such that
    the sample has about ``columns`` columns), each linking row's bounds scaled to the sample's share of the row
    (its entries weighted by |coefficient| × the column's upper bound). Returns the prices (with the signs of
    ``prices``), the number of counties sampled and the LP's seconds; None if that LP has no optimum in the time.

    The LP of the whole national model takes minutes; this one seconds. ``L(p)`` is a bound at *any* prices of
    those signs, so a sample costs nothing in validity, only perhaps a little in tightness: the linking rows of a
    model are few (8 at national size: the province's quota, advance and farmland per year), and their LP prices
    are the value of the last hectare, which a large sample of counties sees about as the whole does."""
    codes = np.unique(county[county >= 0])
    step = max(1, int(np.ceil(a.shape[1] / max(columns, 1))))
    chosen = np.zeros(int(county.max()) + 2, dtype=bool)
    chosen[codes[::step] + 1] = True
    in_sample = chosen[county + 1] | (county < 0)
    row = a.entry_rows()
    entries = np.flatnonzero(in_sample[a.index])  # in row order, as the arrays keep them
    cols = np.flatnonzero(in_sample)
    upper = np.where(np.isfinite(a.col_upper), np.abs(a.col_upper), 1.0)
    weight = np.abs(a.value) * upper[a.index]
    whole = np.bincount(row, weights=weight, minlength=a.shape[0])
    part = np.bincount(row[entries], weights=weight[entries], minlength=a.shape[0])
    share = np.where(linking & (whole > 0), part / np.where(whole > 0, whole, 1.0), 1.0)
    sub, rows, _ = a.restrict(cols, entries, row)
    sub.row_lower = sub.row_lower * share[rows]
    sub.row_upper = sub.row_upper * share[rows]
    h = new_highs(sub, integer=False, options={**options, "solver": "ipm"})
    left = None if deadline is None else deadline - time.perf_counter()
    if left is not None and left <= 0:
        return None
    r = run(h, left)
    if not r["optimal"] or r["duals"] is None:
        return None
    duals = np.zeros(a.shape[0])
    duals[rows] = r["duals"]
    return prices(a, linking, duals), int(chosen.sum()), r["seconds"]


def activity(a: Arrays, x: np.ndarray) -> np.ndarray:
    return np.bincount(a.entry_rows(), weights=a.value * x[a.index], minlength=a.shape[0])


def county_problems(a: Arrays, county: np.ndarray, linking: np.ndarray, cost: np.ndarray) -> list[tuple[np.ndarray, Arrays]]:
    """Per county with columns: its columns, and its MIP (its own rows, the given costs)."""
    row = a.entry_rows()
    owner = county[a.index]
    entries = np.flatnonzero(~linking[row])  # a non-linking row's entries all lie in one county
    entries = entries[np.lexsort((row[entries], owner[entries]))]
    n = int(county.max()) + 1
    cut = np.searchsorted(owner[entries], np.arange(n + 1))
    by_county = np.argsort(county, kind="stable")
    col_cut = np.searchsorted(county[by_county], np.arange(n + 1))
    out = []
    for c in range(n):
        cols = by_county[col_cut[c]:col_cut[c + 1]]  # ascending: the sort is stable
        if len(cols):
            out.append((cols, a.restrict(cols, entries[cut[c]:cut[c + 1]], row, cost)[0]))
    return out


def priced_cost(a: Arrays, p: np.ndarray) -> np.ndarray:
    """Each column's cost less what it uses of the priced rows: ``c − pA``."""
    return a.cost - np.bincount(a.index, weights=a.value * p[a.entry_rows()], minlength=a.shape[1])


def priced_problems(a: Arrays, county: np.ndarray, linking: np.ndarray,
                    p: np.ndarray) -> tuple[float, np.ndarray, list[tuple[np.ndarray, Arrays]]] | None:
    """``L(p)`` less its county maxima: the priced rows' constant and the columns of no county at their own maximum
    (their values in the returned allocation), with the county MIPs at the prices ``p`` (``county_problems``). None if
    a column of no county makes ``L(p)`` unbounded, or there is no county."""
    cost = priced_cost(a, p)
    acting = np.where(p > 0, a.row_upper, np.where(p < 0, a.row_lower, 0.0))
    bound = float(a.offset + np.sum(p[p != 0] * acting[p != 0]))
    x = np.zeros(a.shape[1])
    # a column of no county lies only in linking rows (``linking_rows``): its own maximum over its bounds
    for j in np.flatnonzero(county < 0):
        if abs(cost[j]) <= 1e-12:
            x[j] = min(max(0.0, a.col_lower[j]), a.col_upper[j])
            continue
        end = a.col_upper[j] if cost[j] > 0 else a.col_lower[j]
        if not np.isfinite(end):
            return None
        x[j] = end
        bound += float(cost[j] * end)
    problems = county_problems(a, county, linking, cost)
    return (bound, x, problems) if problems else None


def solve_county(task: tuple[Arrays, dict, float | None, float | None]) -> dict:
    """One county MIP: its bound, its best solution (or None), its time and status. Runs on any worker.

    ``task`` is the county's own MIP, the HiGHS options, its time cap and the wall-clock time (``time.time()``)
    by which the whole round must end: the MIP gets whichever is shorter. With less than ``MIN_MIP_SECONDS`` for it,
    or no bound from it, the county's LP relaxation (milliseconds) gives its bound, and no solution (``relaxed``)."""
    sub, options, cap, until = task
    left = None if until is None else max(until - time.time(), 0.0)
    limit = left if cap is None else cap if left is None else min(cap, left)
    seconds = 0.0
    if limit is None or limit >= MIN_MIP_SECONDS:
        r = run(new_highs(sub, integer=True, options=options), limit)
        bound = r["bound"]
        if bound is None and r["optimal"]:
            bound = r["objective"]
        if bound is not None or r["infeasible"]:
            return {"bound": bound, "x": r["x"], "seconds": r["seconds"], "status": r["status"],
                    "infeasible": r["infeasible"], "optimal": r["optimal"], "relaxed": False}
        seconds = r["seconds"]
    r = run(new_highs(sub, integer=False, options=options), None)  # a bound of its MIP, valid at any time
    return {"bound": r["objective"] if r["optimal"] else None, "x": None, "seconds": seconds + r["seconds"],
            "status": r["status"], "infeasible": r["infeasible"], "optimal": False, "relaxed": True}


def solve_counties(tasks: list) -> list[dict]:
    """``solve_county`` on each of a few counties, in order: one task of the engine. Each county comes with the number
    of county MIPs its worker has still to run after it (this task's and, about, the later tasks'): behind time, its
    cap is at most ``SPREAD`` times its even share of the time left, so that every county gets its turn."""
    out = []
    for sub, options, cap, until, after in tasks:
        if until is not None:
            fair = SPREAD * max(until - time.time(), 0.0) / (after + 1)
            cap = fair if cap is None else min(cap, fair)
        out.append(solve_county((sub, options, cap, until)))
    return out


def county_lagrangian(a: Arrays, county: np.ndarray, linking: np.ndarray, duals: np.ndarray, z_lp: float,
                      options: dict, gap: float, deadline: float | None, on: Engine | None = None,
                      fallback: np.ndarray | None = None) -> Lagrangian | None:
    """``L(p)`` at the LP's prices (``prices``), with the county solutions; see ``lagrangian_at``."""
    return lagrangian_at(a, county, linking, prices(a, linking, duals), z_lp, options, gap, deadline, on, fallback)


def lagrangian_at(a: Arrays, county: np.ndarray, linking: np.ndarray, p: np.ndarray, z_ref: float,
                  options: dict, gap: float, deadline: float | None, on: Engine | None = None,
                  fallback: np.ndarray | None = None) -> Lagrangian | None:
    """``L(p)`` with the county solutions, the county MIPs run ``on`` an engine (``quota.solve.cluster``; default:
    this process); None if it cannot be had (a county's own rows infeasible, or a column of no county making ``L(p)``
    unbounded, or no time at all). ``z_ref`` (the LP bound) scales the county MIPs' absolute gap.

    The round always ends by ``deadline``: a county MIP stopped at its time limit gives its own bound, a county with no
    time left its LP relaxation's bound (on its worker, or here if its task did not come back). Each is a bound of
    that county's maximum, so ``L(p)`` stays one. A county with no solution of its own takes its columns
    from ``fallback`` (an allocation within every row: its county rows hold), and without it ``Lagrangian.x`` is None."""
    start = time.perf_counter()
    on = on or engine()
    priced = priced_problems(a, county, linking, p)
    if priced is None:
        return None
    bound, x, problems = priced
    # each county's own gap loosens the bound by at most COUNTY_GAP_SHARE·gap·|z_LP| in all, twice over
    county_options = {**options, "mip_rel_gap": COUNTY_GAP_SHARE * gap,
                      "mip_abs_gap": COUNTY_GAP_SHARE * gap * max(abs(z_ref), 1.0) / len(problems)}
    budget = None if deadline is None else deadline - time.perf_counter()
    if budget is not None and budget <= 0:
        return None
    cap = None if budget is None else max(1.0, 4.0 * on.workers * budget / len(problems))
    # wall clock (the same on every worker of one machine), a little before the deadline: the tasks' way back
    until = None if budget is None else time.time() + budget * (1.0 - END_MARGIN)
    order = sorted(range(len(problems)), key=lambda i: -len(problems[i][0]))  # largest first, for the workers' balance
    chunks = max(1, min(len(order), TASKS_PER_WORKER * on.workers))  # each task a few counties: less scheduling per county
    dealt = [order[k::chunks] for k in range(chunks)]  # dealt like cards: every task gets large and small counties
    sizes = np.array([len(hand) for hand in dealt])
    later = sizes[::-1].cumsum()[::-1] - sizes  # county MIPs in the tasks after each one
    tasks = [[(problems[i][1], county_options, cap, until, (len(hand) - j - 1) + later[k] / on.workers)
              for j, i in enumerate(hand)] for k, hand in enumerate(dealt)]
    solved = on.map(solve_counties, tasks, deadline, partial=True)
    results = {i: r for hand, rs in zip(dealt, solved) for i, r in zip(hand, rs or [None] * len(hand))}
    complete, stopped, relaxed, filled = True, 0, 0, 0
    for i, (cols, sub) in enumerate(problems):
        r = results[i]
        if r is None:  # its task not back (its worker lost for good, or late): its LP relaxation, here (milliseconds)
            r = solve_county((sub, county_options, 0.0, None))
        if r["infeasible"] or r["bound"] is None:
            return None
        bound += r["bound"]
        stopped += not r["optimal"] and not r["relaxed"]
        relaxed += r["relaxed"]
        if r["x"] is not None:
            x[cols] = r["x"]
        elif fallback is not None:
            x[cols] = fallback[cols]
            filled += 1
        else:
            complete = False
    seconds = time.perf_counter() - start
    return Lagrangian(bound=bound, x=x if complete else None, prices=p, seconds=seconds, counties=len(problems),
                      stopped=stopped, relaxed=relaxed, filled=filled)


def subgradient_prices(a: Arrays, linking: np.ndarray, lag: Lagrangian, target: float, step: float = 1.0) -> np.ndarray | None:
    """Prices one Polyak subgradient step from ``lag`` towards a lower ``L(p)``: ``p − t·(b − A·x(p))`` with
    ``t = step·(L(p) − target)/‖b − A·x(p)‖²`` (``target``: the best allocation's objective), signs kept as in
    ``prices``. None if the county solutions meet every linking row exactly where priced (nothing to move)."""
    if lag.x is None:
        return None
    use = activity(a, lag.x)
    p = lag.prices
    side = np.where(p > 0, a.row_upper, np.where(p < 0, a.row_lower,
                    np.where(use > a.row_upper, a.row_upper, np.where(use < a.row_lower, a.row_lower, use))))
    g = np.where(linking, side - use, 0.0)
    g[~np.isfinite(g)] = 0.0
    norm = float(g @ g)
    if norm <= 1e-12 or lag.bound <= target:
        return None
    t = step * (lag.bound - target) / norm
    return prices(a, linking, p - t * g)


def with_elastic(a: Arrays, rows: np.ndarray, sign: np.ndarray, cost: np.ndarray) -> Arrays:
    """``a`` with one more column per row in ``rows``: coefficient ``sign`` there, objective ``-cost``, ≥ 0."""
    k = len(rows)
    row = np.concatenate([a.entry_rows(), rows])
    col = np.concatenate([a.index, a.shape[1] + np.arange(k)])
    value = np.concatenate([a.value, sign.astype(float)])
    order = np.lexsort((col, row))
    return Arrays(cost=np.concatenate([a.cost, -np.asarray(cost, dtype=float)]),
                  col_lower=np.concatenate([a.col_lower, np.zeros(k)]),
                  col_upper=np.concatenate([a.col_upper, np.full(k, np.inf)]),
                  integer=np.concatenate([a.integer, np.zeros(k, dtype=bool)]),
                  row_lower=a.row_lower, row_upper=a.row_upper,
                  starts=np.searchsorted(row[order], np.arange(a.shape[0] + 1)), index=col[order], value=value[order],
                  offset=a.offset)


def excess(a: Arrays, x: np.ndarray, tolerance: float = 1e-7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows that ``x`` takes beyond a bound: their numbers, the sign of an elastic column that
    relieves them (−1 above the upper bound, +1 below the lower), and by how much."""
    use = activity(a, x)
    above = use - a.row_upper
    below = a.row_lower - use
    rows = np.flatnonzero((above > tolerance) | (below > tolerance))
    up = above[rows] > tolerance
    return rows, np.where(up, -1.0, 1.0), np.where(up, above[rows], below[rows])


def repair(a: Arrays, blocks: Blocks, x: np.ndarray, p: np.ndarray, options: dict, gap: float,
           deadline: float | None) -> tuple[np.ndarray | None, list[dict]]:
    """Take ``x`` (every county row met, linking rows perhaps exceeded) back within every row.

    Returns a feasible allocation, or None if the excess could not be removed in the time."""
    rows, sign, amount = excess(a, x)
    if not len(rows):
        return x, []
    n = a.shape[1]
    steps = []
    price = np.abs(p[rows])
    blocks = Blocks(column_block=np.append(blocks.column_block, np.full(len(rows), -1)), count=blocks.count)  # elastic: always free
    begin = time.perf_counter()
    for name, cost, share in (("at just above its price", ABOVE_PRICE * price + 0.01 * (price.max() + 1.0), FIRST_PASS_SHARE),
                              ("at a prohibitive cost", np.full(len(rows), PROHIBITIVE * (price.max() + 1.0)), 1.0)):
        until = None if deadline is None else begin + share * (deadline - begin)  # the second pass keeps its time
        ax = with_elastic(a, rows, sign, cost)
        start = np.concatenate([x, amount])
        done = lambda y, _z: bool(np.all(y[n:] <= 1e-9))  # noqa: E731
        y, _, passes = improve_by_blocks(ax, blocks, start, options, gap, until, passes=1, enough=done)
        x, amount = y[:n], np.maximum(y[n:], 0.0)
        steps.append({"name": f"repair: the excess over the linking rows priced {name}",
                      "seconds": sum(st["seconds"] for st in passes),
                      "status": f"{len(passes)} block{'s' if len(passes) != 1 else ''} freed, excess left {amount.sum():.6g}",
                      "objective": float(a.cost @ x + a.offset), "bound": None})
        if done(y, None):
            rows_left, _, _ = excess(a, x, 1e-6)  # what the verifier allows
            return (x if not len(rows_left) else None), steps
    return None, steps
