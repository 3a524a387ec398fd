"""``solve``: run a PuLP solver on a QuotaModel and return a ``Solution``.

Status, objective, best bound and gap are always reported. A run that stopped
at its time limit, or whose gap is above the requested one, is *not proven
optimal* and says so. HiGHS is the default: quota hands it the model's arrays
directly and runs the strategy of ``quota.solve.highs`` (LP bound, a Lagrangian bound
and decomposition by county for large models; a time limit that holds). Any other PuLP solver
available on the machine can be named; it runs through PuLP.
"""
from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pulp

from ..model import compat
from . import highs
from . import cluster, large
from .arrays import Arrays
from .greedy import Layout
from .deadline import solve_with_deadline
from .large import solve_arrays
from .rounds import NOTHING_LEFT, TIME_LIMIT
from ..errors import InfeasibleError, QuotaError, SolverError
from ..messages import both
from ..model.quota_model import CELL_VARIABLES, QuotaModel

ALIASES = {"highs": "HiGHS", "cbc": ("PULP_CBC_CMD", "COIN_CMD"), "coin": "COIN_CMD", "glpk": "GLPK_CMD",
           "scip": "SCIP_CMD", "gurobi": "GUROBI", "cplex": "CPLEX_PY", "xpress": "XPRESS_PY"}
DEFAULT_GAP = 1e-4
# without --time-limit, a large model (large.LARGE binaries or more) gets this budget: the decomposition route
# then ends in bounded time, with its gap, instead of an open-ended branch-and-cut on the whole model
DEFAULT_BUDGET = 540.0


@dataclass
class SolveOptions:
    solver: str = "highs"
    time_limit: float | None = None
    gap: float = DEFAULT_GAP
    threads: int | None = None
    msg: bool = False
    scheduler: str | None = None  # a Dask scheduler (tcp://HOST:PORT) for the county problems of large models


@dataclass
class Solution:
    """The result: what the solver proved, and the value of every decision."""

    status: str  # optimal | feasible | infeasible | unbounded | no_solution
    proven_optimal: bool
    objective: float | None
    bound: float | None
    gap: float | None
    solver: str
    solver_version: str
    seconds: float
    message: str  # English (summary.json message); message_zh the same in Chinese (quota.messages)
    message_zh: str = ""
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # per cell: x, n, v, s (ha)
    carry: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    extra: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))  # earned linkage: X_cy by (county, year), ha
    options: SolveOptions = field(default_factory=SolveOptions)
    steps: list = field(default_factory=list)  # HiGHS: what each step of the strategy found (name, seconds, objective, bound)
    relaxation: dict | None = None  # HiGHS, large models: the LP relaxation it solved (objective, x, duals), reused by explain
    stop_reason: str = ""  # HiGHS: why the strategy stopped (gap met, time limit, default budget, nothing left to try)
    notes: list = field(default_factory=list)  # what the user should know about the solve (printed as notes)
    time_budget: float | None = None  # without --time-limit, the default budget a large model was given (DEFAULT_BUDGET)
    progress: list = field(default_factory=list)  # HiGHS: (seconds, objective, bound) at every improvement (benchmarks)


def solver_name(name: str) -> str:
    """The PuLP solver class for a user's name: an alias (highs, cbc, ...) or a PuLP name."""
    key = name.strip()
    alias = ALIASES.get(key.lower(), key)
    if isinstance(alias, tuple):
        available = compat.available_solvers()
        return next((a for a in alias if a in available), alias[0])
    return alias


def make_solver(opts: SolveOptions):
    name = solver_name(opts.solver)
    available = compat.available_solvers()
    if name not in available:
        known = ", ".join(sorted(available))
        raise SolverError.of("error.solver.unavailable", solver=repr(opts.solver), known=known)
    kwargs = _solver_kwargs(opts)
    if name == "PULP_CBC_CMD" or name == "COIN_CMD":
        log = Path(tempfile.mkstemp(prefix="quota-cbc-", suffix=".log")[1])
        kwargs["logPath"] = str(log)  # the log holds the bound, which PuLP does not return
    return name, pulp.getSolver(name, **kwargs)


def _solver_kwargs(opts: SolveOptions) -> dict:
    kwargs = {"msg": opts.msg}
    if opts.time_limit is not None:
        kwargs["timeLimit"] = opts.time_limit
    if opts.gap is not None:
        kwargs["gapRel"] = opts.gap
    if opts.threads:
        kwargs["threads"] = opts.threads
    return kwargs


def solve(m: QuotaModel, opts: SolveOptions | None = None) -> Solution:
    opts = opts or SolveOptions()
    name, solver = make_solver(opts)
    if name == "HiGHS":
        return solve_highs(m, opts)
    start = time.perf_counter()
    try:
        with compat.quiet(not opts.msg):
            returned = m.prob.solve(solver)
    except pulp.PulpSolverError as e:
        raise SolverError.of("error.solver.failed", solver=name, error=e) from None
    seconds = time.perf_counter() - start
    code = compat.status_code(m.prob, returned)
    info = _cbc_info(solver) if "CBC" in name or "COIN" in name else {}
    has_solution = info.get("has_solution", code == compat.OPTIMAL)
    if info.get("infeasible") or code == compat.INFEASIBLE:
        raise InfeasibleError.of("error.solver.infeasible")
    if code == compat.UNBOUNDED:
        raise SolverError.of("error.solver.unbounded")
    if not has_solution:
        _no_allocation(name, seconds, opts)
    return _solution(m, opts, name, info.get("version", ""), seconds, info.get("bound"), info.get("stopped", False),
                     "solver.no_bound_optimal")


def _no_allocation(name: str, seconds: float, opts: SolveOptions):
    raise SolverError.of("error.solver.no_allocation" + ("_limit" if opts.time_limit else ""), solver=name,
                         seconds=f"{seconds:.1f}", limit=f"{opts.time_limit:g}" if opts.time_limit else "")


def _solution(m: QuotaModel, opts: SolveOptions, name: str, version: str, seconds: float, bound: float | None,
              stopped: bool, no_bound: str, **more) -> Solution:
    """The Solution of the values now on the model's variables: objective, gap, proof and message."""
    objective = float(m.prob.objective.value())
    gap = None if bound is None else abs(bound - objective) / max(abs(objective), 1e-9)
    proven = (not stopped) and gap is not None and gap <= max(opts.gap, 1e-9) * (1 + 1e-6) + 1e-9
    if bound is None:
        key, fields = no_bound, {}
    elif proven:
        key, fields = "solver.proven", {"gap": f"{gap:.2e}"}
    else:
        reason = more.get("stop_reason") or ""
        key = ("solver.stopped_budget" if reason.startswith("default budget") else "solver.stopped_limit" if stopped
               else "solver.nothing_left" if reason == NOTHING_LEFT else "solver.stopped_early")
        fields = {"gap_pct": f"{gap:.4%}", "objective": f"{objective:,.3f}", "bound": f"{bound:,.3f}", "budget": f"{DEFAULT_BUDGET:g}"}
    message_zh, message = both(key, **fields)
    return Solution(status="optimal" if proven else "feasible", proven_optimal=proven, objective=objective,
                    bound=bound, gap=gap, solver=name, solver_version=version, seconds=seconds, message=message,
                    message_zh=message_zh,
                    decisions=extract_decisions(m), carry=_values(m.carry), extra=extract_extra(m), options=opts, **more)


def solve_highs(m: QuotaModel, opts: SolveOptions) -> Solution:
    """HiGHS on the model's arrays (``quota.solve.highs``, ``quota.solve.large``); with a time limit, or for a large
    model within ``DEFAULT_BUDGET``, in a child process stopped at the limit, from a greedy start."""
    start = time.perf_counter()
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    groups = column_groups(m, variables)
    if opts.scheduler:  # an address that cannot be reached is the user's to fix, said before any solving
        cluster.client(opts.scheduler).close()
    limit, budget = opts.time_limit, False
    if limit is None and int(a.integer.sum()) >= large.LARGE:
        limit, budget = DEFAULT_BUDGET, True
    beside = None
    try:
        with compat.quiet(not opts.msg):  # HiGHS prints a banner when the first Highs is made
            if limit is not None:
                if national_route(a, groups["county"]):  # the whole LP for the report, here, beside the solve's child:
                    beside = highs.Beside(a, False, {**highs.base_options(opts.gap, opts.threads, opts.msg),  # not bound
                                                     "solver": "ipm"})  # by the limit; explain waits for it
                out = solve_with_deadline(a, opts.gap, limit, opts.threads, opts.msg, layout=cell_layout(m, variables),
                                          scheduler=opts.scheduler, large_at=large.LARGE, whole_lp=beside is None,
                                          sample=(large.SAMPLE_AT, large.SAMPLE_COLUMNS), **groups)
            else:
                out = solve_arrays(a, opts.gap, None, opts.threads, opts.msg, scheduler=opts.scheduler, **groups)
    except QuotaError:
        raise
    except Exception as e:  # noqa: BLE001 - highspy raises its own types; say which solver failed
        raise SolverError.of("error.solver.failed", solver="HiGHS", error=e) from None
    seconds = time.perf_counter() - start
    if out.status == "infeasible":
        raise InfeasibleError.of("error.solver.infeasible")
    if out.status == "error":
        raise SolverError.of("error.solver.failed", solver="HiGHS", error=out.message)
    if out.x is None:
        _no_allocation("HiGHS", seconds, opts)
    compat.set_values(variables, out.x)
    reason = out.stop_reason
    if budget and reason == TIME_LIMIT:
        reason = f"default budget of {DEFAULT_BUDGET:g} s for large models (--time-limit sets another)"
    return _solution(m, opts, "HiGHS", out.version, seconds, out.bound, out.status == "stopped",
                     "solver.no_bound_feasible",
                     steps=out.phases, relaxation=out.relaxation if beside is None else {"pending": beside},
                     stop_reason=reason, notes=list(out.notes),
                     time_budget=limit if budget else None, progress=list(out.progress))


def national_route(a: Arrays, county: np.ndarray) -> bool:
    """Whether the strategy takes its national route (``quota.solve.large``: prices from a sample's LP), on which the
    whole LP relaxation is solved beside the solve rather than inside it."""
    return (int(a.integer.sum()) >= large.LARGE and a.shape[1] >= large.SAMPLE_AT
            and len(np.unique(county[county >= 0])) >= 2)


def relaxation_of(sol: Solution) -> dict | None:
    """The LP relaxation the solve had (objective, x, duals), once the one solved beside it has ended; None if none."""
    r = sol.relaxation
    if r is not None and "pending" in r:
        out = r["pending"].result()
        r = sol.relaxation = ({"objective": out["objective"], "x": out["x"], "duals": out["duals"]}
                              if out is not None and out["optimal"] and out["duals"] is not None else None)
    return r


def solve_lp(m: QuotaModel, what: str) -> float:
    """Solve the model as it stands (every variable continuous) with HiGHS; values and duals stay on it. ``what``
    names it in an error: a catalogue key (``error.lp.*``)."""
    what_zh, what = both(what)
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    if a.integer.any():
        raise SolverError.of("error.solver.lp_integer", what=what, what_zh=what_zh)
    with compat.quiet():
        h = highs.new_highs(a, integer=False, options={})
        r = highs.run(h, None)
    if not r["optimal"] or r["duals"] is None:
        raise SolverError.of("error.solver.lp_not_optimal", what=what, what_zh=what_zh)
    load_lp(m, variables, r["x"], r["duals"])
    return float(m.prob.objective.value())


def load_lp(m: QuotaModel, variables: list, x, duals) -> None:
    compat.set_values(variables, x)
    compat.set_duals(m.prob, duals)


def column_groups(m: QuotaModel, variables: list) -> dict[str, np.ndarray]:
    """Per column: numbers for its cell's project and county (−1 for a column of no cell, e.g. carry-over)."""
    column = {v.name: j for j, v in enumerate(variables)}
    out = {key: np.full(len(variables), -1, dtype=np.int64) for key in ("project", "county")}
    codes = {"project": m.cells["project_id"].astype("category").cat.codes.to_numpy(),
             "county": m.cells["county_id"].astype("category").cat.codes.to_numpy()}
    for name in CELL_VARIABLES:
        if name not in m.cells:
            continue
        present = m.cells[name].notna().to_numpy()
        cols = np.fromiter((column[v.name] for v in m.cells[name].to_numpy()[present]), dtype=np.int64)
        for key, code in codes.items():
            out[key][cols] = code[present]
    for by_county in (m.extra["var"] if m.extra is not None else None, m.restricted):  # X_cy, R_cy: their county's block
        if by_county is not None and len(by_county):
            county = pd.Categorical(by_county.index.get_level_values(0), categories=m.cells["county_id"].astype("category").cat.categories)
            cols = np.fromiter((column[v.name] for v in by_county), dtype=np.int64)
            out["county"][cols] = county.codes
    return out


def cell_layout(m: QuotaModel, variables: list) -> Layout:
    """The model's cells numbered for the greedy start (``quota.solve.greedy``): project, plan, phase, year, area,
    each cell variable's column, and which projects are ``lock: in``."""
    column = {v.name: j for j, v in enumerate(variables)}
    c = m.cells
    project = c["project_id"].astype("category")
    columns = {}
    for name in CELL_VARIABLES:
        if name in c:
            columns[name] = np.fromiter((-1 if v is None else column[v.name] for v in c[name].to_numpy()), dtype=np.int64,
                                        count=len(c))
    lock = m.projects["lock"].reindex(project.cat.categories).to_numpy() == "in"
    return Layout(project=project.cat.codes.to_numpy().astype(np.int64), plan=pd.factorize(c["plan"])[0].astype(np.int64),
                  phase=c["phase"].to_numpy(dtype=np.int64), year=c["year"].to_numpy(dtype=np.int64),
                  area=c["area"].to_numpy(dtype=float), columns=columns, locked=lock,
                  min_gap=int(m.scenario.phasing.min_gap))


def _values(series: pd.Series) -> pd.Series:
    return series.map(lambda v: 0.0 if v is None else (v.value() or 0.0)).astype(float)


def extract_extra(m: QuotaModel) -> pd.Series:
    """The extra disposal X_cy chosen under earned linkage (ha, solver noise cleaned, within extra_max)."""
    if m.extra is None:
        return pd.Series(dtype=float)
    x = _values(m.extra["var"])
    return x.where(x.abs() > 1e-7, 0.0).clip(lower=0.0).clip(upper=m.extra["extra_max"])


def extract_decisions(m: QuotaModel) -> pd.DataFrame:
    """Per cell: x rounded to 0/1, and the split n, v, s (and p, r when the model has them) in hectares (tiny solver
    noise cleaned)."""
    c = m.cells
    out = c[["project_id", "plan", "phase", "year", "county_id", "area", "farmland"]].copy()
    out["x"] = np.rint([x.value() or 0.0 for x in c["x"]]).astype(int)
    out["v"] = [0.0 if v is None else (v.value() or 0.0) for v in c["v"]]
    out["s"] = [0.0 if v is None else (v.value() or 0.0) for v in c["s"]]
    extra = [e for e in ("p", "r") if e in c]  # province reserve, ring-fenced quota: only under the rules as practised
    for e in extra:
        out[e] = [0.0 if v is None else (v.value() or 0.0) for v in c[e]]
    for col in ("v", "s", *extra):
        out[col] = out[col].where(out[col].abs() > 1e-7, 0.0).clip(lower=0.0)
        out[col] = np.minimum(out[col], out["area"] * out["x"])
    other = sum((out[e] for e in extra), 0.0)
    out["n"] = (out["area"] * out["x"] - out["v"] - out["s"] - other).where(c["new_ok"], 0.0)
    out["n"] = out["n"].where(out["n"].abs() > 1e-7, 0.0)
    out["s"] = np.where(c["new_ok"], out["s"], out["area"] * out["x"] - other)
    return out[out["x"] == 1].reset_index(drop=True)


def _cbc_info(solver) -> dict:
    """Status and bound from CBC's log (PuLP hands CBC the negated objective of a maximisation)."""
    path = Path(solver.optionsDict.get("logPath", "")) if hasattr(solver, "optionsDict") else None
    text = path.read_text(errors="replace") if path and path.exists() else ""
    if path and path.exists():
        path.unlink()
    out: dict = {"version": "CBC"}
    m = re.search(r"Result - (.+)", text)
    result = m.group(1) if m else ""
    out["stopped"] = "Stopped" in result or "time" in result.lower()
    out["infeasible"] = "infeasible" in result.lower()
    obj = re.search(r"Objective value:\s+(\S+)", text)
    out["has_solution"] = obj is not None and "No feasible" not in text
    upper = re.search(r"Upper bound:\s+(\S+)", text)
    possible = re.findall(r"best possible (-?[\d.eE+-]+)", text)
    if "Optimal solution found" in result and obj:
        # the search completed within the requested relative gap; CBC prints no final bound, so
        # report the weakest bound that proof allows
        value = float(obj.group(1))
        out["bound"] = value + (solver.optionsDict.get("gapRel") or 0.0) * abs(value)
    elif upper:
        out["bound"] = float(upper.group(1))
    elif possible:
        out["bound"] = -float(possible[-1])
    return out
