"""Provincial reserve (省级预留指标) for provincial key projects that stay inside the city budget.

Rule (not a clause of the seed): RULES.md item 4, under ``key_projects.outside_budget: national_and_standalone``.
Only national-list projects and stand-alone-site (单独选址) provincial ones are outside the city budget (2020 and
2024 rules); the other provincial key projects are inside it, but may draw on a reserve the province keeps for them
(Order 66 (2016) Art. 12; Hubei 2021), ``key_projects.province_reserve[y]`` ha in year y
(RULES.md, key_projects.province_reserve).

Mathematical formulation
    p_pky ≥ 0  for provincial key projects that are not stand-alone-site, may receive new quota
               (``new_ok``: the reserve is new construction-land quota, so 限批 shuts it as it shuts n),
               in years with R_y > 0
    Σ_p p_py ≤ R_y                                                every year y with R_y > 0

p enters the supply split (``quota.model.families.supply``) beside v and s, so n = a·x − v − s − p:
it is counted in no city quota row, carry-over, advance cap, farmland row or county cap, and pays no
linkage penalty π (the city's price of linkage does not apply to the province's quota).

Table rows (docs/model.md)
    province reserve | `Σ p_·y ≤ R_y` (`key_projects.province_reserve`); `p` only for provincial key projects that are not stand-alone-site

Reads: projects.key_level, projects.standalone_site, key_projects.province_reserve.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, split_terms


def add_province_vars(m: QuotaModel) -> None:
    """The column ``p`` of the cells that may draw on the reserve; no column when the rules give no reserve."""
    reserve = province_reserve(m.scenario)
    if not reserve:
        return
    cells = m.cells
    p = m.projects.loc[cells["project_id"]]
    ok = ((p["key_level"] == "provincial") & ~p["standalone_site"].astype(bool)).to_numpy()
    ok = ok & cells["new_ok"].to_numpy(dtype=bool) & (cells["year"].map(reserve).fillna(0.0).to_numpy(dtype=float) > 0)
    col = np.full(len(cells), None, dtype=object)
    col[ok] = m.new_vars("p", int(ok.sum()), 0, None, "Continuous")
    cells["p"] = col


def add_province_reserve(m: QuotaModel) -> None:
    if "p" not in m.cells:
        return
    cells = m.cells[m.cells["p"].notna()]
    rows, years = pd.factorize(cells["year"], sort=True)
    pairs = split_terms(rows, cells["p"].to_numpy(dtype=object), np.ones(len(cells)), len(years))
    reserve = province_reserve(m.scenario)
    m.add_rows("province_reserve", pd.Index(years), pairs, "<=", [reserve[y] for y in years], ("year",))


def province_reserve(s) -> dict[int, float]:
    """Year -> ha of the provincial reserve within the horizon, years with none left out."""
    return {int(y): float(a) for y, a in s.rules.key_projects.province_reserve if a > 0 and y in s.years}
