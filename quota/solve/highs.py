"""The one HiGHS adapter: a ``highspy.Highs`` from ``Arrays`` (``new_highs``), the options every solve uses
(``base_options``) and one run of it read back (``run``). Every HiGHS solve of quota goes through here:
the optimiser, its large-model strategy, the decomposition, the Lagrangian bound and the counterfactuals.

**Presolve.** HiGHS 1.16's "Enumeration" MIP presolve rule (``presolve_rule_off`` bit 16) was seen
declaring a feasible model of ours infeasible, returning a suboptimal allocation as optimal, and
failing with a solve error (``benchmarks/highs_presolve``). It is switched off from 1.16 on. An
"infeasible" verdict is confirmed with presolve off before it is believed.
"""
from __future__ import annotations

import functools
import math
import threading
import time

import highspy
import numpy as np

from .arrays import Arrays

ENUMERATION_RULE = 1 << 16  # HiGHS ≥ 1.16 presolve rule "Enumeration"


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
    return _quiet_highs(lambda h: h.passModel(lp), options)


def read_highs(path: str, options: dict) -> highspy.Highs:
    """A ``highspy.Highs`` with the model of an MPS file (``path``) and ``options`` (``base_options``)."""
    return _quiet_highs(lambda h: h.readModel(path), options)


def _quiet_highs(load, options: dict) -> highspy.Highs:
    """A silent ``highspy.Highs``, its model given by ``load(h)``, then ``options`` set."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    load(h)
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


def run(h: highspy.Highs, time_left: float | None) -> dict:
    """Run one solve, within ``time_left`` seconds (None: no limit, whatever limit an earlier run of ``h`` had); its
    status, objective, bound and values."""
    h.setOptionValue("time_limit", highspy.kHighsInf if time_left is None else max(float(time_left), 0.01))
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


class Beside:
    """A model solved on a thread of its own, from now: HiGHS lets go of the interpreter while it solves, so the
    caller goes on (at national size the whole LP relaxation, 3–6 minutes, runs beside the decomposition).
    ``result()`` waits for it; pickled, it is its result."""

    def __init__(self, a: Arrays, integer: bool, options: dict, time_limit: float | None = None):
        self.out: dict | None = None
        self._h = new_highs(a, integer=integer, options=options)
        self._thread = threading.Thread(target=self._run, args=(time_limit,), daemon=True, name="quota-highs-beside")
        self._thread.start()

    def _run(self, time_limit) -> None:
        try:
            self.out = run(self._h, time_limit)
        finally:
            self._h = None  # its memory goes as soon as it has ended

    def ended(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def result(self) -> dict | None:
        if self._thread is not None:
            self._thread.join()
        return self.out

    def __getstate__(self):
        return {"out": self.result()}

    def __setstate__(self, state):
        self.out, self._h, self._thread = state["out"], None, None
