"""Earned quota (增存挂钩 as practised): a county's new and advance quota in a year is its base plus what it earns by disposal.

Rule (not a clause of the seed): RULES.md Semantics item 1, ``linkage.mode: earned | both``; 自然资发〔2020〕91号
(quota of projects that are not key projects follows the stock disposed of in the year) and the MNR press
conference of 2024-03-27 ("盘活存量越多,获得的计划控制量越多"); extends 增存挂钩 (MODEL.md, linkage).

Mathematical formulation
    D_cy = P_cy + X_cy + Σ_{p∈c} s_pky                     disposal: planned, extra chosen, stock drawn
    Σ_{p∈c} (n_pky + v_pky) ≤ B_cy + r·D_cy                 every county c and year y with terms
    (n + v = a·x − s − p − r: provincial-reserve and ring-fenced quota count in no county row, this one included)
    0 ≤ X_cy ≤ extra_max_cy,   objective −extra_cost_cy·X_cy
    re-planning: + O_cy on the right in a year before ``as_of``, the over-plan use the ledger records (``past.py``)

Table rows (docs/model.md)
    earned quota | `Σ_{p∈c} (n + v)_y ≤ B_cy + r·(P_cy + X_cy + Σ_{p∈c} s_y)` under `linkage.mode: earned | both`

B_cy is the first contract's county cap (``quota.model.linkage.county_caps``: m_c·cap_base_c, less overplan_c in the
first year, at least 0); it replaces the ``county_cap`` row, which it contains (D ≥ 0). r = ``linkage.earn_ratio``;
P_cy = unsupplied + idle of ``disposal.csv`` (0 without a row; in a year before ``as_of``, the ledger's disposal,
``quota.replan``). Projects outside the city budget (higher-level) are
not in the model and draw nothing here. Supplying county stock to a project is disposal (s counts in D); the stock
row of ``quota.model.families.stock`` already keeps the horizon's stock drawn within ``usable_stock``.

Reads: counties.cap_base, counties.overplan, disposal.csv, linkage.earn_ratio.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..linkage import county_caps
from ..quota_model import QuotaModel, split_terms
from .past import overplan_allowance
from .supply import extra_sources

DISPOSAL_COLUMNS = ("planned", "extra_max", "extra_cost")


def earned_mode(s) -> bool:
    """True when quota is earned by disposal (``linkage.mode`` earned or both)."""
    return s.rules.linkage.mode in ("earned", "both")


def disposal_plan(s) -> pd.DataFrame:
    """Per (county, year) of the horizon: planned disposal P_cy, extra_max and extra_cost (ha; 0 without a row)."""
    idx = pd.MultiIndex.from_product([s.counties.index, list(s.years)], names=["county_id", "year"])
    out = pd.DataFrame(0.0, index=idx, columns=list(DISPOSAL_COLUMNS))
    d = s.disposal
    if d is not None and len(d):
        d = d.set_index(["county_id", "year"])
        planned = d["unsupplied"].astype(float) + d["idle"].astype(float)
        out.loc[planned.index, "planned"] = planned
        for col in ("extra_max", "extra_cost"):
            if col in d:
                out.loc[d.index, col] = pd.to_numeric(d[col], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    return out


def add_extra_disposal(m: QuotaModel) -> None:
    """X_cy, 0 ≤ X ≤ extra_max, for each county and year of disposal.csv with extra_max > 0 (earned linkage, dynamic restriction)."""
    plan = disposal_plan(m.scenario)
    extra = plan[plan["extra_max"] > 0]
    m.extra = pd.DataFrame({"var": m.new_vars("X", len(extra), 0, None, "Continuous"), "cost": extra["extra_cost"],
                            "extra_max": extra["extra_max"]}, index=extra.index)
    for v, ub in zip(m.extra["var"], m.extra["extra_max"]):
        v.upBound = float(ub)


def add_earned_quota(m: QuotaModel) -> None:
    s = m.scenario
    r = s.rules.linkage.earn_ratio
    plan = disposal_plan(s)
    extra = m.extra
    cells = m.cells
    new_ok = cells["new_ok"].to_numpy(dtype=bool)
    x = cells["x"].to_numpy(dtype=object)
    sv = cells["s"].to_numpy(dtype=object)
    has_s = pd.notna(sv)
    # n + v = a·x − s − p − r where new quota is allowed (p, r: provincial reserve and ring-fenced quota, counted in
    # no county row); every s is disposal: coefficient −(1 + r) or −r, in one term each
    at = [np.flatnonzero(new_ok), np.flatnonzero(has_s)]
    var = [x[new_ok], sv[has_s]]
    coef = [cells["area"].to_numpy(dtype=float)[new_ok], -(new_ok[has_s].astype(float) + r)]
    for source in extra_sources(cells):
        e = cells[source].to_numpy(dtype=object)
        keep = new_ok & pd.notna(e)
        at, var, coef = at + [np.flatnonzero(keep)], var + [e[keep]], coef + [np.full(int(keep.sum()), -1.0)]
    at, var, coef = np.concatenate(at), np.concatenate(var), np.concatenate(coef)
    county = np.concatenate([cells["county_id"].to_numpy()[at], extra.index.get_level_values(0).to_numpy()])
    year = np.concatenate([cells["year"].to_numpy()[at], extra.index.get_level_values(1).to_numpy()])
    var = np.concatenate([var, m.extra["var"].to_numpy(dtype=object)])
    coef = np.concatenate([coef, np.full(len(extra), -r)])
    keys = pd.MultiIndex.from_arrays([county, year])
    pairs_of, rows = np.unique(keys.codes[0] * len(keys.levels[1]) + keys.codes[1], return_inverse=True)
    uniq = pd.MultiIndex.from_arrays([keys.levels[0][pairs_of // len(keys.levels[1])], keys.levels[1][pairs_of % len(keys.levels[1])]])
    base = county_caps(m.linkage, uniq.get_level_values(0), uniq.get_level_values(1), s.first_year)
    planned = plan["planned"].reindex(uniq).to_numpy(dtype=float)
    pairs = split_terms(rows, var, coef, len(uniq))
    base = base + overplan_allowance(s, uniq.get_level_values(0), uniq.get_level_values(1))
    m.add_rows("earned_quota", uniq, pairs, "<=", base + r * planned, ("county_id", "year"))


def extra_objective_terms(m: QuotaModel) -> list[tuple]:
    """−extra_cost·X for the extra disposal the model may choose (none outside earned linkage)."""
    if m.extra is None:
        return []
    return list(zip(m.extra["var"].tolist(), (-m.extra["cost"].astype(float)).tolist()))
