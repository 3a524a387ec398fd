"""Ring-fenced quota for poverty counties (脱贫县): per_county ha a year, issued on top of the city quota.

Rule (not a clause of the seed): RULES.md item 6. The 2020 and 2024 national rules give each 脱贫县 600 mu (40 ha)
a year of new construction-land quota, issued on top (戴帽下达) and not to be diverted (RULES.md, ring_fence.per_county).

Mathematical formulation
    r_pky ≥ 0  for every project p of a county c with ``poverty_county`` true, every year, when per_county > 0
    Σ_{p∈c} r_py ≤ per_county                                     every poverty county c and year y

r enters the supply split (``quota.model.families.supply``) beside v and s, so n = a·x − v − s − r:
it is counted in no city quota row, carry-over, advance cap, farmland row or county cap, is not carried
over (each year's row stands alone), pays no linkage penalty π, and is not subject to 限批 (poverty-
alleviation quota): a non-exempt project of a restricted poverty county may draw it, its split being
s + r = a·x. A cell exists for such a project even without usable stock.

Table rows (docs/model.md)
    ring-fence | `Σ_{p∈c} r_·y ≤ per_county` per poverty county and year (`ring_fence.per_county`)

Reads: counties.poverty_county, ring_fence.per_county.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...input.scenario import Scenario
from ..quota_model import QuotaModel, split_terms


def ring_fenced(s: Scenario, county_ids: pd.Series) -> np.ndarray:
    """Per cell (its county): may it draw ring-fenced quota? All false when the rules give none."""
    if s.rules.ring_fence.per_county <= 0:
        return np.zeros(len(county_ids), dtype=bool)
    return county_ids.map(s.counties["poverty_county"]).fillna(False).astype(bool).to_numpy()


def add_ring_fenced_vars(m: QuotaModel) -> None:
    """The column ``r`` of the cells of poverty counties; no column when the rules give no ring-fence."""
    ok = ring_fenced(m.scenario, m.cells["county_id"])
    if not ok.any():
        return
    col = np.full(len(m.cells), None, dtype=object)
    col[ok] = m.new_vars("r", int(ok.sum()), 0, None, "Continuous")
    m.cells["r"] = col


def add_ring_fence(m: QuotaModel) -> None:
    if "r" not in m.cells:
        return
    cells = m.cells[m.cells["r"].notna()]
    keys = pd.MultiIndex.from_frame(cells[["county_id", "year"]].drop_duplicates().sort_values(["county_id", "year"]))
    rows = keys.get_indexer(pd.MultiIndex.from_frame(cells[["county_id", "year"]]))
    pairs = split_terms(rows, cells["r"].to_numpy(dtype=object), np.ones(len(cells)), len(keys))
    m.add_rows("ring_fence", keys, pairs, "<=", np.full(len(keys), m.scenario.rules.ring_fence.per_county),
               ("county_id", "year"))
