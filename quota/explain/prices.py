"""Prices of quota from the LP relaxation, and each project's net value against them.

In the LP relaxation a project is taken exactly when its net value per hectare covers the price
of what a hectare of it uses: the city quota of the year, its county's cap that year, and the
farmland quota for its farmland share. Those duals are therefore the thresholds that decide
approvals, and they make "outcompeted" specific: a rejected project's net value per hectare is
compared with the price of each year it could have used. Whole-project approval can still turn
down a project whose value covers the price, when its land does not fit in what is left; the
share of it the relaxation would take says so.
"""
from __future__ import annotations

import pandas as pd

from ..model.quota_model import QuotaModel


def _duals(table: pd.DataFrame, family: str, column: str) -> pd.Series:
    rows = table[table["family"] == family]
    return pd.Series(rows[column].to_numpy(), index=rows["key"].astype(str))


def eval_project_prices(m: QuotaModel, prices: pd.DataFrame, relaxed_x: pd.Series) -> pd.DataFrame:
    """Per phase-1 cell: year, net value per ha (w·δ^t − π), price per ha of new quota, and the
    project's relaxed share (Σ of its phase-1 x in the relaxation)."""
    col = "relaxation_price_per_ha"
    quota = _duals(prices, "city_quota", col)
    farm = _duals(prices, "farmland", col)
    cap = pd.concat([_duals(prices, "county_cap", col), _duals(prices, "earned_quota", col)])  # one of them per county and year
    c = m.cells[m.cells["phase"] == 1]
    years = c["year"].astype(str)
    price = years.map(quota).fillna(0.0).to_numpy() \
        + (c["county_id"] + "/" + years).map(cap).fillna(0.0).to_numpy() \
        + (c["farmland"] / c["area"]).to_numpy() * years.map(farm).fillna(0.0).to_numpy()
    out = pd.DataFrame({"project_id": c["project_id"].to_numpy(), "plan": c["plan"].to_numpy(), "year": c["year"].to_numpy(),
                        "net_per_ha": (c["w"] * c["discount"] - c["penalty"]).to_numpy(), "price_per_ha": price,
                        "cap_price": (c["county_id"] + "/" + years).map(cap).fillna(0.0).to_numpy()})
    share = relaxed_x[m.cells["phase"].to_numpy() == 1].groupby(c["project_id"].to_numpy()).sum()
    out["relaxed_share"] = out["project_id"].map(share).fillna(0.0)
    return out
