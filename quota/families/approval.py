"""Approval decisions: phases approved whole, once, in order with a gap; at most one plan.

Mathematical formulation
    x_pky ∈ {0,1} for years y ≥ e_pk of the horizon (no variable before a phase's earliest year)

    plan choice   Σ_plan Σ_y x_p,plan,1,y ≤ 1                 at most one plan, its phase 1 once
    phase order   Σ_{y'≤y} x_pky' ≤ Σ_{y'≤y−g} x_p(k−1)y'     for k ≥ 2 and every y (g = min_gap)
    commitment    Σ_y x_pky ≥ Σ_y x_p1y                        for k ≥ 2 with e_pk ≤ last year (commit: all)

Phase order in cumulative form implies that each later phase is approved at
most once and only in the plan whose phase 1 was approved; it is also tighter
in the LP relaxation than the per-year form x_pky ≤ Σ_{y'≤y−g} x_p(k−1)y'.
A project with no ``phases.csv`` rows is one phase of its full area.

Reads: phases (area, earliest_year), scenario phasing.min_gap, phasing.commit.
"""
from __future__ import annotations

from ..model import QuotaModel

DOC = __doc__


def add_approval(m: QuotaModel) -> None:
    cells = m.cells
    cells["x"] = m.new_vars("x", len(cells), 0, 1, "Binary")
    s = m.scenario
    g = s.phasing.min_gap
    first = cells[cells["phase"] == 1]
    keys, pairs = [], []
    for pid, grp in first.groupby("project_id", sort=False):
        keys.append((pid,))
        pairs.append([(x, 1.0) for x in grp["x"]])
    m.add_rows("plan_choice", keys, pairs, "<=", [1.0] * len(keys), ("project_id",), DOC)

    by_phase = {key: grp for key, grp in cells.groupby(["project_id", "plan", "phase"], sort=False)}
    keys, pairs = [], []
    for (pid, plan, k), grp in by_phase.items():
        if k == 1:
            continue
        prev = by_phase.get((pid, plan, k - 1))
        for y in grp["year"]:
            mine = [(x, 1.0) for x in grp.loc[grp["year"] <= y, "x"]]
            before = [] if prev is None else [(x, -1.0) for x in prev.loc[prev["year"] <= y - g, "x"]]
            keys.append((pid, plan, k, y))
            pairs.append(mine + before)
    m.add_rows("phase_order", keys, pairs, "<=", [0.0] * len(keys), ("project_id", "plan", "phase", "year"), DOC)

    if s.phasing.commit == "all":
        phases = m.projects_phases
        keys, pairs = [], []
        for (pid, plan), plan_rows in phases.groupby(["project_id", "plan"], sort=False):
            one = by_phase.get((pid, plan, 1))
            if one is None:
                continue
            for k, e in zip(plan_rows["phase"], plan_rows["earliest_year"]):
                if k == 1 or e > s.last_year:
                    continue
                grp = by_phase.get((pid, plan, k))
                later = [] if grp is None else [(x, 1.0) for x in grp["x"]]
                keys.append((pid, plan, k))
                pairs.append(later + [(x, -1.0) for x in one["x"]])
        m.add_rows("commitment", keys, pairs, ">=", [0.0] * len(keys), ("project_id", "plan", "phase"), DOC)
