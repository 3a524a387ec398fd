"""Approval decisions: phases approved whole, once, in order with a gap; at most one plan.

Seed clause 三(四): 「对投资大、占地规模较大的重大项目,按照"总体规划、分期建设、确保开工"的原则,结合项目开工建设进度,采取逐步安排的方式解决用地计划」
(``labels.SEED['phases']``)

Mathematical formulation
    x_pky ∈ {0,1} for years y ≥ e_pk of the horizon (no variable before a phase's earliest year)

    plan choice   Σ_plan Σ_y x_p,plan,1,y ≤ 1                 at most one plan, its phase 1 once
    phase order   Σ_{y'≤y} x_pky' ≤ Σ_{y'≤y−g} x_p(k−1)y'     for k ≥ 2 and every y (g = min_gap)
    commitment    Σ_y x_pky ≥ Σ_y x_p1y                        for k ≥ 2 with e_pk ≤ last year (commit: all)

Table rows (docs/model.md)
    plan choice | `Σ_plan Σ_y x_p,plan,1,y ≤ 1` per project
    phase order | `Σ_{y'≤y} x_pky' ≤ Σ_{y'≤y−g} x_p(k−1)y'` per `k ≥ 2` and year (g = `min_gap`, default 1)
    commitment (`commit: all`) | `Σ_y x_pky ≥ Σ_y x_p1y` for `k ≥ 2` with `e_pk ≤` last year

Phase order in cumulative form implies that each later phase is approved at
most once and only in the plan whose phase 1 was approved; it is also tighter
in the LP relaxation than the per-year form x_pky ≤ Σ_{y'≤y−g} x_p(k−1)y'.
A project with no ``phases.csv`` rows is one phase of its full area.

Reads: phases (area, earliest_year), scenario phasing.min_gap, phasing.commit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, joined_terms, split_terms


PHASE = ["project_id", "plan", "phase"]


def add_approval(m: QuotaModel) -> None:
    cells = m.cells
    cells["x"] = m.new_vars("x", len(cells), 0, 1, "Binary")
    # the cells in order (sorted by project, plan, phase, year), "at" their position
    frame = pd.DataFrame({c: cells[c].to_numpy() for c in (*PHASE, "year", "x")})
    frame["at"] = np.arange(len(frame))
    add_plan_choice(m, frame)
    add_phase_order(m, frame)
    if m.scenario.phasing.commit == "all":
        add_commitment(m, frame)


def add_plan_choice(m: QuotaModel, frame: pd.DataFrame) -> None:
    first = frame[frame["phase"] == 1]
    rows, projects = pd.factorize(first["project_id"])
    pairs = split_terms(rows, first["x"].to_numpy(), np.ones(len(first)), len(projects))
    m.add_rows("plan_choice", pd.Index(projects), pairs, "<=", np.ones(len(projects)), ("project_id",))


def add_phase_order(m: QuotaModel, frame: pd.DataFrame) -> None:
    """One row per cell of a phase k ≥ 2: its phase's cells up to its year, less phase k−1's up to g years before."""
    g = m.scenario.phasing.min_gap
    rows = frame.loc[frame["phase"] >= 2, [*PHASE, "year"]]
    rows.insert(0, "row", np.arange(len(rows)))
    mine = rows.merge(frame, on=PHASE, suffixes=("", "_t"))
    mine = mine[mine["year_t"] <= mine["year"]]
    prev = rows.assign(phase=rows["phase"] - 1).merge(frame, on=PHASE, suffixes=("", "_t"))
    prev = prev[prev["year_t"] <= prev["year"] - g]
    pairs = joined_terms([(mine, 1.0), (prev, -1.0)], len(rows))
    keys = pd.MultiIndex.from_frame(rows[[*PHASE, "year"]])
    m.add_rows("phase_order", keys, pairs, "<=", np.zeros(len(rows)), ("project_id", "plan", "phase", "year"))


def add_commitment(m: QuotaModel, frame: pd.DataFrame) -> None:
    """One row per later phase (k ≥ 2, e_k ≤ last year) of a plan whose phase 1 has cells, in the order of phases.csv."""
    phases = m.projects_phases[[*PHASE, "earliest_year"]]
    plan = phases.groupby(["project_id", "plan"], sort=False).ngroup().to_numpy()
    phases = phases.iloc[np.argsort(plan, kind="stable")]  # grouped by plan, plans as first seen
    ones = frame[frame["phase"] == 1]
    has_one = phases[["project_id", "plan"]].merge(ones[["project_id", "plan"]].drop_duplicates(), how="left",
                                                   indicator=True)["_merge"].to_numpy() == "both"
    rows = phases.loc[has_one & (phases["phase"] != 1).to_numpy() & (phases["earliest_year"] <= m.scenario.last_year).to_numpy(), PHASE]
    rows.insert(0, "row", np.arange(len(rows)))
    later = rows.merge(frame, on=PHASE)
    first = rows.merge(ones.drop(columns="phase"), on=["project_id", "plan"])
    pairs = joined_terms([(later, 1.0), (first, -1.0)], len(rows))
    m.add_rows("commitment", pd.MultiIndex.from_frame(rows[PHASE]), pairs, ">=", np.zeros(len(rows)),
               ("project_id", "plan", "phase"))

