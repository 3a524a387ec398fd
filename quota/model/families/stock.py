"""County stock land (盘活存量建设用地) as a second supply source that needs no new quota.

Seed clause 三(四): 「积极盘活县域存量建设用地」 (``labels.SEED['stock']``)

Mathematical formulation
    Σ_{p∈c, k, y} s_pky ≤ usable_stock_c      every county c, over the whole horizon

Table rows (docs/model.md)
    stock | `Σ_{p∈c} s ≤ usable_stock_c` over the horizon

Only ``stock_ok`` projects may draw stock. Each hectare of stock earns the
credit γ = ``linkage.stock_credit`` in the objective and avoids the penalty π_c
(2021 rules: stock first, new quota second). Stock is not counted in county caps.

Reads: counties.usable_stock, projects.stock_ok, linkage.stock_credit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, split_terms


def add_stock(m: QuotaModel) -> None:
    usable = m.scenario.counties["usable_stock"]
    cells = m.cells[m.cells["s"].notna()]
    rows, counties = pd.factorize(cells["county_id"], sort=True)
    pairs = split_terms(rows, cells["s"].to_numpy(dtype=object), np.ones(len(cells)), len(counties))
    m.add_rows("stock", pd.Index(counties), pairs, "<=", usable.loc[counties].to_numpy(dtype=float), ("county_id",))
