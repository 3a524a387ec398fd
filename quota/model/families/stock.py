"""County stock land (盘活存量建设用地) as a second supply source that needs no new quota.

Seed clause 三(四): 「积极盘活县域存量建设用地」 (``labels.SEED['stock']``)

Mathematical formulation
    Σ_{p∈c, k, y} s_pky ≤ L_c,y_last                       every county c, over the whole horizon
    Σ_{p∈c, k, y' ≤ y} s_pky' ≤ L_c,y                      every county whose stock grows, each year y before
                                                           the stock reaches L_c,y_last
    L_c,y = usable_stock_c + the land of c taken back (Order 53 Art. 14(2)) in the years from y_1 to y − 1

Table rows (docs/model.md)
    stock | `Σ_{p∈c} s ≤ usable_stock_c + B_c` over the horizon (`B_c`: land taken back from `y_1` to `y_last − 1`)
    stock by year | `Σ_{p∈c, y'≤y} s ≤ usable_stock_c + B_c,y` while land taken back is not yet usable

Only ``stock_ok`` projects may draw stock. Each hectare of stock earns the
credit γ = ``linkage.stock_credit`` in the objective and avoids the penalty π_c
(2021 rules: stock first, new quota second). Stock is not counted in county caps.
Land taken back is usable stock of its county from the year after (``quota.input.stock_years``); a county
without such land has the horizon row alone, with ``L_c = usable_stock_c``, as in the first contract.

Reads: counties.usable_stock, idle_parcels.taken_back_on, projects.stock_ok, linkage.stock_credit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...input.stock_years import growing, stock_limits
from ..quota_model import QuotaModel, split_terms


def add_stock(m: QuotaModel) -> None:
    limits = stock_limits(m.scenario)
    last = m.scenario.last_year
    cells = m.cells[m.cells["s"].notna()]
    rows, counties = pd.factorize(cells["county_id"], sort=True)
    pairs = split_terms(rows, cells["s"].to_numpy(dtype=object), np.ones(len(cells)), len(counties))
    m.add_rows("stock", pd.Index(counties), pairs, "<=", limits.loc[counties, last].to_numpy(dtype=float), ("county_id",))
    keys, terms, rhs = [], [], []
    for c in growing(limits.loc[limits.index.isin(counties)]):
        mine = cells[cells["county_id"] == c]
        for y in [y for y in m.scenario.years if limits.at[c, y] < limits.at[c, last]]:
            upto = mine[mine["year"] <= y]
            keys.append((c, y))
            terms.append([(v, 1.0) for v in upto["s"]])
            rhs.append(float(limits.at[c, y]))
    if keys:
        m.add_rows("stock_by_year", keys, terms, "<=", rhs, ("county_id", "year"))
