"""County blocks: a resource-directive allocation, and a large-neighbourhood search over them.

Every row of the model lies within one county except a few *linking* rows: the city quota of each
year (with its carry-over), the advance cap, the farmland quota, and any dependency between
projects of two counties. Counties are grouped, in order, into *blocks* of about a given number
of binaries.

``resource_directive`` gives each block, for every linking row, the share that the LP
relaxation's optimum ``x*`` gave it (``A_k x*_k``) as its budget, and solves each block's own MIP
within its budgets. The budgets add up to what ``x*`` uses, so the blocks' allocations together
meet every linking row: a feasible allocation of the whole model, found as a series of small
MIPs that HiGHS's heuristics handle well.

``improve_by_blocks`` takes a feasible allocation and frees one block's binaries at a time (every
continuous column stays free, every other binary is fixed at its value), and solves that MIP
starting from the allocation: it can only improve, since the allocation is feasible for it. The
linking rows' unused room goes to whatever the freed block values most, and a block's projects
can move between years and plans. HiGHS solves such a MIP quickly, where the whole province
model stalls in its root cut rounds.

Plain numpy and highspy, like ``quota.solve.highs``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from .arrays import Arrays
from .highs import new_highs, run

LNS_BINARIES = 1_500  # blocks of the neighbourhood search
DIRECTIVE_BINARIES = 6_000  # blocks of the resource-directive allocation


@dataclass
class Blocks:
    """Per column, its block (−1: a column of no county, such as carry-over)."""

    column_block: np.ndarray
    count: int


def make_blocks(a: Arrays, county: np.ndarray, target: int, seed: int | None = None) -> Blocks:
    """Counties (numbered 0…, −1 for none) merged in order into blocks of about ``target`` binaries; with
    ``seed``, in an order drawn from it (the same seed, the same blocks)."""
    if not (county >= 0).any():
        return Blocks(column_block=np.full(len(county), -1, dtype=np.int64), count=0)
    weight = np.bincount(county[(county >= 0) & a.integer], minlength=int(county.max()) + 1)
    block_of = np.empty(len(weight), dtype=np.int64)
    order = np.arange(len(weight)) if seed is None else np.random.default_rng(seed).permutation(len(weight))
    k, filled = 0, 0
    for c in order:
        w = weight[c]
        if filled and filled + w > target:
            k, filled = k + 1, 0
        block_of[c] = k
        filled += w
    return Blocks(column_block=np.where(county >= 0, block_of[np.maximum(county, 0)], -1), count=k + 1)


def improve_by_blocks(a: Arrays, b: Blocks, x: np.ndarray, options: dict, gap: float, deadline: float | None,
                      report=None, passes: int = 1, enough=None) -> tuple[np.ndarray, float, list[dict]]:
    """Passes over the blocks: free a block's binaries, fix the others at ``x``, solve from ``x``;
    keep what improves. Stops after ``passes`` passes, after a pass that improves nothing, at
    ``deadline``, or once ``enough(x, objective)`` holds after an improvement. Returns the
    allocation, its objective and the steps.

    Every continuous column stays free: the other blocks' supply splits (new quota, advance, stock)
    can move to make room in a city-wide row. (A block's own small MIP, with the other blocks'
    columns fixed, was tried: faster per step, but it loses exactly that room.)"""
    h = new_highs(a, integer=True, options={**options, "mip_rel_gap": gap / 4})
    best = float(a.cost @ x + a.offset)
    steps = []
    binary = np.flatnonzero(a.integer).astype(np.int32)
    for turn in range(passes * b.count):
        k = turn % b.count
        if k == 0 and turn and not any(st["improved"] for st in steps[-b.count:]):
            break  # a whole pass without improvement
        if deadline is not None and time.perf_counter() >= deadline:
            break
        chosen = b.column_block[binary] == k
        fixed = np.rint(x[binary])
        h.changeColsBounds(len(binary), binary, np.where(chosen, a.col_lower[binary], fixed),
                           np.where(chosen, a.col_upper[binary], fixed))
        start = highspy.HighsSolution()
        start.col_value = x
        h.setSolution(start)
        r = run(h, None if deadline is None else deadline - time.perf_counter())
        improved = r["x"] is not None and r["objective"] is not None and r["objective"] > best + 1e-9
        steps.append({"name": f"block {k + 1} of {b.count}", "seconds": r["seconds"], "status": r["status"],
                      "objective": r["objective"], "bound": None, "improved": improved})
        if improved:
            x, best = r["x"], r["objective"]
            if report is not None:
                report(x, best)
            if enough is not None and enough(x, best):
                break
    return x, best, steps


def linking_rows(a: Arrays, county: np.ndarray) -> np.ndarray:
    """Rows whose columns span two counties or include a column of no county."""
    lengths = np.diff(a.starts)
    nonempty = lengths > 0
    g = county[a.index]
    lo = np.full(a.shape[0], -1, dtype=np.int64)
    hi = np.full(a.shape[0], -1, dtype=np.int64)
    lo[nonempty] = np.minimum.reduceat(g, a.starts[:-1][nonempty])
    hi[nonempty] = np.maximum.reduceat(g, a.starts[:-1][nonempty])
    return nonempty & ((lo != hi) | (lo < 0))


def resource_directive(a: Arrays, b: Blocks, linking: np.ndarray, x_lp: np.ndarray, options: dict, gap: float,
                       deadline: float | None) -> tuple[np.ndarray | None, list[dict]]:
    """Each block's MIP within its LP share of every linking row; None if a block finds no allocation.

    The time left is shared out evenly over the blocks still to solve, so a block that finishes
    early leaves its time to the next. Columns of no block keep their LP values.
    """
    row = a.entry_rows()
    entry_block = b.column_block[a.index]
    x = x_lp.copy()
    steps = []
    # entries in order of (block, row): a non-linking row lies in one block; a linking row gives each block a budget row
    order = np.lexsort((row, entry_block))
    cut = np.searchsorted(entry_block[order], np.arange(b.count + 1))
    for k in range(b.count):
        entries = order[cut[k]:cut[k + 1]]  # this block's entries, by row
        cols = np.flatnonzero(b.column_block == k)
        if not len(cols):
            continue
        sub, rows_k, first = a.restrict(cols, entries, row)
        lower, upper = sub.row_lower, sub.row_upper  # copies of a's, to change
        split = linking[rows_k]
        if split.any():  # budget: the block's LP use of the row, on the side(s) the row bounds
            use = np.add.reduceat(a.value[entries] * x_lp[a.index[entries]], first) if len(first) else np.zeros(0)
            lower[split] = np.where(np.isfinite(lower[split]), use[split] - 1e-9, -np.inf)
            upper[split] = np.where(np.isfinite(upper[split]), use[split] + 1e-9, np.inf)
        h = new_highs(sub, integer=True, options={**options, "mip_rel_gap": gap})
        budget = None if deadline is None else max(deadline - time.perf_counter(), 0.0) / (b.count - k)
        r = run(h, budget)
        steps.append({"name": f"block {k + 1} of {b.count} within its LP budgets", "seconds": r["seconds"],
                      "status": r["status"], "objective": r["objective"], "bound": r["bound"]})
        if r["x"] is None:
            return None, steps
        x[cols] = r["x"]
    return x, steps
