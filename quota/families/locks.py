"""Locks: ``lock: in`` projects are approved within the horizon; ``lock: out`` ones are excluded.

Mathematical formulation
    Σ_plan Σ_y x_p,plan,1,y = 1      for every project p with lock: in

Locking out removes the project before the model is built (``quota.eligibility``).

Reads: projects.lock.
"""
from __future__ import annotations

from ..model import QuotaModel

DOC = __doc__


def add_locks(m: QuotaModel) -> None:
    first = m.cells[m.cells["phase"] == 1]
    keys, pairs = [], []
    for pid in m.projects.index[(m.projects["lock"] == "in") & ~m.projects["higher_level"]]:
        keys.append(pid)
        pairs.append([(x, 1.0) for x in first.loc[first["project_id"] == pid, "x"]])
    m.add_rows("lock_in", keys, pairs, "==", [1.0] * len(keys), ("project_id",), DOC)
