"""Counterfactuals for every project, after prioritizr's importance and Korikov & Beck (IJCAI 2021).

- *Why X* (X approved): lock X out and re-solve. The loss is what the allocation would lose
  without X; "essential" when no allocation exists without it (a lock or dependency needs it).
- *Why not X* (X rejected): lock X in and re-solve. The loss is what approving X would cost,
  and the projects it would displace are listed.

Speed: the model is loaded into HiGHS once (through an MPS export of the PuLP problem, by the HiGHS
adapter ``quota.solve.highs`` with the options of every solve, so the presolve fix too) and each
counterfactual only changes bounds or adds one row. Locking out starts from the solved allocation
minus X and everything that requires it (always feasible). Each re-solve has a short time limit,
so the loss is reported as an interval [loss_low, loss_high] from the bounds of both solves; it is
exact (the two ends meet within the gap) whenever both solves closed their gaps.
"""
from __future__ import annotations

import os
import tempfile
import time

import highspy
import networkx as nx
import numpy as np
import pandas as pd

from ..model import compat
from ..model.quota_model import CELL_VARIABLES, QuotaModel
from ..solve import highs
from ..solve.solution import Solution

TOL = 1e-6


def _solve(h, time_limit: float, start: np.ndarray | None, x_cols: np.ndarray) -> dict:
    """One re-solve through the HiGHS adapter (``quota.solve.highs.run``), from ``start`` if given."""
    h.clearSolver()
    if start is not None:
        warm = highspy.HighsSolution()
        warm.col_value = list(start)
        warm.value_valid = True
        h.setSolution(warm)
    r = highs.run(h, time_limit)
    has = r["x"] is not None
    return {"infeasible": r["infeasible"], "proven": r["optimal"], "objective": r["objective"], "bound": r["bound"],
            "chosen": np.flatnonzero(r["x"][x_cols] > 0.5) if has else None}


def _task(h, task: dict, x_cols: np.ndarray) -> dict:
    """One counterfactual: lock out (bounds to 0, warm start) or lock in (one added row)."""
    cols = task["cols"]
    n = len(cols)
    if task["kind"] == "why":
        h.changeColsBounds(n, cols, np.zeros(n), np.zeros(n))
        try:
            return _solve(h, task["limit"], task["start"], x_cols)
        finally:  # the bounds as they were: [0, 1], or a cell the ledger's facts fix (re-planning)
            h.changeColsBounds(n, cols, task["lower"], task["upper"])
    h.addRow(1.0, 1.0, n, cols, np.ones(n))
    try:
        return _solve(h, task["limit"], None, x_cols)
    finally:
        h.deleteRows(1, np.array([h.getNumRow() - 1], dtype=np.int32))


def eval_counterfactuals(m: QuotaModel, sol: Solution, projects: list[str] | None = None, budget: float = 45.0,
                         per_project: float = 5.0, gap: float = 1e-4) -> pd.DataFrame:
    """One row per project: kind (why / why_not), result, loss interval, and the projects that change.

    ``budget`` seconds are shared out over the projects, at most ``per_project`` each.
    """
    p = m.projects
    eligible = p.index[p["in_model"]]
    projects = list(eligible if projects is None else [q for q in projects if q in set(eligible)])
    cells = m.cells
    d = sol.decisions
    approved = set(d["project_id"])
    fd, path = tempfile.mkstemp(suffix=".mps")
    os.close(fd)
    started = time.perf_counter()
    try:
        m.prob.writeMPS(path, with_objsense=True)  # both PuLP versions then write an OBJSENSE MAX section
        with compat.quiet():  # HiGHS prints a banner when the first Highs is made
            h = highs.read_highs(path, highs.base_options(gap, None, False))
        lp = h.getLp()
        col = {name: j for j, name in enumerate(lp.col_names_)}
        lower, upper = np.asarray(lp.col_lower_, dtype=float), np.asarray(lp.col_upper_, dtype=float)
        ncols = len(col)
        x_cols = np.array([col[x.name] for x in cells["x"]], dtype=np.int32)
        proj_of_x = cells["project_id"].to_numpy()
        base = _base_vector(col, ncols, m, sol)
        graph = nx.DiGraph()
        graph.add_edges_from(zip(m.scenario.dependencies["project_id"], m.scenario.dependencies["requires"]))
        limit = min(per_project, budget / max(len(projects), 1))
        tasks, order, rows = [], [], {}
        for pid in projects:
            mine = (cells["project_id"] == pid).to_numpy()
            if not mine.any():
                rows[pid] = {"project_id": pid, "kind": "why_not", "result": "impossible"}
                continue
            if pid in approved:
                start = base.copy()
                for q in {pid} | (nx.ancestors(graph, pid) if pid in graph else set()):
                    start[[col[v.name] for v in _project_vars(cells, q)]] = 0.0
                tasks.append({"kind": "why", "cols": x_cols[mine], "start": start, "limit": limit,
                              "lower": lower[x_cols[mine]], "upper": upper[x_cols[mine]]})
            else:
                first = mine & (cells["phase"] == 1).to_numpy()
                tasks.append({"kind": "why_not", "cols": x_cols[first], "start": None, "limit": limit})
            order.append(pid)
        # in this process: one HiGHS, changed and restored task by task (two single-threaded worker
        # processes were measured slower than one HiGHS using both cores)
        results = [_task(h, task, x_cols) for task in tasks]
        for pid, task, res in zip(order, tasks, results):
            rows[pid] = _row(pid, task["kind"], res, sol, approved, proj_of_x)
    finally:
        os.unlink(path)
    out = pd.DataFrame([rows[q] for q in projects], columns=["project_id", "kind", "result", "loss_low", "loss_high", "exact",
                                                             "objective_low", "objective_high", "changed_projects"])
    out.attrs.update(seconds=time.perf_counter() - started, per_project_limit=limit)
    return out.set_index("project_id")


def _project_vars(cells: pd.DataFrame, pid: str) -> list:
    c = cells[cells["project_id"] == pid]
    return [v for col in CELL_VARIABLES if col in c for v in c[col] if v is not None]


def _base_vector(col: dict, ncols: int, m: QuotaModel, sol: Solution) -> np.ndarray:
    """The solved allocation as a HiGHS column vector (a warm start)."""
    vec = np.zeros(ncols)
    d = sol.decisions.set_index(["project_id", "plan", "phase", "year"])
    for key, x, v, s in zip(m.cells.index, m.cells["x"], m.cells["v"], m.cells["s"]):
        if key in d.index:
            vec[col[x.name]] = 1.0
            if v is not None:
                vec[col[v.name]] = d.at[key, "v"]
            if s is not None:
                vec[col[s.name]] = d.at[key, "s"]
    for e in ("p", "r"):  # province reserve, ring-fenced quota (RULES.md items 4, 6), when the model has them
        if e in m.cells:
            for key, var in zip(m.cells.index, m.cells[e]):
                if var is not None and key in d.index:
                    vec[col[var.name]] = d.at[key, e]
    if "b" in m.cells:  # within-year advance: a cell is in the early batch exactly when it draws advance
        for key, b in zip(m.cells.index, m.cells["b"]):
            if b is not None and key in d.index and d.at[key, "v"] > 0:
                vec[col[b.name]] = 1.0
    for year, u in m.carry.items():
        vec[col[u.name]] = float(sol.carry.get(year, 0.0))
    return vec


def _row(pid, kind, res, sol: Solution, base_set: set, proj_of_x: np.ndarray) -> dict:
    row = {"project_id": pid, "kind": kind}
    if res["infeasible"]:
        row["result"] = "essential" if kind == "why" else "impossible"
        return row
    if res["objective"] is None:
        row["result"] = "unknown"
        return row
    z, b = sol.objective, sol.bound if sol.bound is not None else sol.objective
    cf_low, cf_high = res["objective"], res["bound"] if res["bound"] is not None else np.inf
    row.update(objective_low=cf_low, objective_high=cf_high, loss_low=max(0.0, z - cf_high), loss_high=max(0.0, b - cf_low))
    row["exact"] = bool(res["proven"] and sol.proven_optimal)
    row["result"] = "solved" if row["exact"] else "bounded"
    chosen = set(proj_of_x[res["chosen"]])
    changed = (base_set - chosen - {pid}) if kind == "why_not" else (chosen - base_set)
    row["changed_projects"] = " ".join(sorted(changed))
    return row
