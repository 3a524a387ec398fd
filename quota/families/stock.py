"""County stock land (盘活存量建设用地) as a second supply source that needs no new quota.

Mathematical formulation
    Σ_{p∈c, k, y} s_pky ≤ usable_stock_c      every county c, over the whole horizon

Only ``stock_ok`` projects may draw stock. Each hectare of stock earns the
credit γ = ``linkage.stock_credit`` in the objective and avoids the penalty π_c
(2021 rules: stock first, new quota second). Stock is not counted in county caps.

Reads: counties.usable_stock, projects.stock_ok, linkage.stock_credit.
"""
from __future__ import annotations

from ..model import QuotaModel

DOC = __doc__


def add_stock(m: QuotaModel) -> None:
    usable = m.scenario.counties["usable_stock"]
    cells = m.cells[m.cells["s"].notna()]
    keys, pairs, rhs = [], [], []
    for county, grp in cells.groupby("county_id", sort=True):
        keys.append(county)
        pairs.append([(v, 1.0) for v in grp["s"]])
        rhs.append(float(usable[county]))
    m.add_rows("stock", keys, pairs, "<=", rhs, ("county_id",), DOC)
