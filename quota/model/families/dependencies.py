"""Dependencies between projects (e.g. 七通一平 infrastructure before the plants that need it).

Rule (not a clause of the seed): a project that requires another is approved no earlier than it (MODEL.md,
dependencies).

Mathematical formulation
    Σ_{y'≤y} x_p1y' ≤ Σ_{y'≤y} x_q1y'     for every year y, when p requires q

Table rows (docs/model.md)
    dependency | `Σ_{y'≤y} x_p1y' ≤ Σ_{y'≤y} x_q1y'` when p requires q; a higher-level q counts from its year

The first phase of p (in whichever plan) comes no earlier than the first phase
of q; the same year is allowed. When q is a higher-level key project, its side
is 1 from the year of its first phase on. A higher-level project is placed
by the higher level at its earliest year: its own dependencies are reported,
not enforced. A dependency on an excluded project excludes p before the model
is built (``quota.input.eligibility``).

Reads: dependencies.project_id, dependencies.requires.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, joined_terms


def add_dependencies(m: QuotaModel) -> None:
    """Rows in the order of dependencies.csv, and for each in the order of p's phase-1 years."""
    deps = m.scenario.dependencies
    p, q = deps["project_id"].to_numpy(), deps["requires"].to_numpy()
    projects = m.projects
    q_high = projects.loc[q, "higher_level"].to_numpy(dtype=bool)
    placed = pd.to_numeric(projects.loc[q, "placed_year"], errors="raise").to_numpy(dtype=float)  # NaN: not placed
    ordered = ~projects.loc[p, "excluded"].to_numpy(dtype=bool) & ~projects.loc[p, "higher_level"].to_numpy(dtype=bool)
    first = m.cells[m.cells["phase"] == 1]
    first = pd.DataFrame({"pid": first["project_id"].to_numpy(), "year_t": first["year"].to_numpy(),
                          "x": first["x"].to_numpy(), "at": np.arange(len(first))})
    dep = pd.DataFrame({"dep": np.arange(len(deps)), "p": p, "q": q, "q_high": q_high, "placed": placed})[ordered]
    years = first[["pid", "year_t"]].drop_duplicates().rename(columns={"year_t": "year"})
    rows = dep.merge(years, left_on="p", right_on="pid").drop(columns="pid").sort_values(["dep", "year"], kind="stable")
    rows = rows[~(rows["q_high"] & (rows["year"] >= rows["placed"]))]  # a placed q is always met from its year on
    rows.insert(0, "row", np.arange(len(rows)))
    mine = rows.merge(first, left_on="p", right_on="pid")
    mine = mine[mine["year_t"] <= mine["year"]]
    theirs = rows[~rows["q_high"]].merge(first, left_on="q", right_on="pid")
    theirs = theirs[theirs["year_t"] <= theirs["year"]]
    pairs = joined_terms([(mine, 1.0), (theirs, -1.0)], len(rows))
    keys = pd.MultiIndex.from_arrays([rows["p"], rows["q"], rows["year"]])
    m.add_rows("dependency", keys, pairs, "<=", np.zeros(len(rows)), ("project_id", "requires", "year"))
