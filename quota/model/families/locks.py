"""Locks: ``lock: in`` projects are approved within the horizon; ``lock: out`` ones are excluded.

Rule (not a clause of the seed): decisions the bureau has already taken (lock: in) stand (MODEL.md, lock).

Mathematical formulation
    Σ_plan Σ_y x_p,plan,1,y = 1      for every project p with lock: in that is not higher level

Table rows (docs/model.md)
    lock in | `Σ_plan Σ_y x_p,plan,1,y = 1` for `lock: in` projects; a higher-level one is placed by the higher level

Locking out removes the project before the model is built (``quota.input.eligibility``).

Reads: projects.lock.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, split_terms


def add_locks(m: QuotaModel) -> None:
    locked = m.projects.index[(m.projects["lock"] == "in") & ~m.projects["higher_level"]]
    first = m.cells[m.cells["phase"] == 1]
    rows = pd.Index(locked).get_indexer(first["project_id"])  # -1: not locked
    mine = rows >= 0
    pairs = split_terms(rows[mine], first["x"].to_numpy()[mine], np.ones(int(mine.sum())), len(locked))
    m.add_rows("lock_in", locked, pairs, "==", np.ones(len(locked)), ("project_id",))
