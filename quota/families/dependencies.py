"""Dependencies between projects (e.g. 七通一平 infrastructure before the plants that need it).

Mathematical formulation
    Σ_{y'≤y} x_p1y' ≤ Σ_{y'≤y} x_q1y'     for every year y, when p requires q

The first phase of p (in whichever plan) comes no earlier than the first phase
of q; the same year is allowed. When q is a higher-level key project, its side
is 1 from the year of its first phase on. A higher-level project is placed
by the higher level at its earliest year: its own dependencies are reported,
not enforced. A dependency on an excluded project excludes p before the model
is built (``quota.eligibility``).

Reads: dependencies.project_id, dependencies.requires.
"""
from __future__ import annotations

from ..model import QuotaModel

DOC = __doc__


def add_dependencies(m: QuotaModel) -> None:
    s = m.scenario
    first = m.cells[m.cells["phase"] == 1]
    by_project = {pid: g for pid, g in first.groupby("project_id", sort=False)}
    placed = m.projects["placed_year"]
    keys, pairs, rhs = [], [], []
    for p, q in zip(s.dependencies["project_id"], s.dependencies["requires"]):
        if m.projects.at[p, "excluded"]:
            continue
        p_high, q_high = bool(m.projects.at[p, "higher_level"]), bool(m.projects.at[q, "higher_level"])
        gp, gq = by_project.get(p), by_project.get(q)
        if p_high or gp is None:
            continue  # placed by the higher level, or never approvable: nothing to order
        for y in sorted(set(gp["year"])):
            mine = [(x, 1.0) for x in gp.loc[gp["year"] <= y, "x"]]
            if q_high:
                t = placed[q]
                bound = 1.0 if (t is not None and y >= t) else 0.0
                if bound >= 1.0:
                    continue  # always met
                keys.append((p, q, y)); pairs.append(mine); rhs.append(0.0)
            else:
                theirs = [] if gq is None else [(x, -1.0) for x in gq.loc[gq["year"] <= y, "x"]]
                keys.append((p, q, y)); pairs.append(mine + theirs); rhs.append(0.0)
    m.add_rows("dependency", keys, pairs, "<=", rhs, ("project_id", "requires", "year"), DOC)
