"""Restriction (限批) decided per county and year: a county that disposes of enough stock lifts its own restriction.

Rule (not a clause of the seed): RULES.md Semantics items 2 and 3, ``restriction.dynamic: true``, ``trigger: disposal_rate``
or ``supply_rate`` (Hebei, as reported in 2018: 5-year 供地率 below 60%, unconfirmed);
自然资发〔2020〕91号 and the provincial practice of 限批 re-decided each year; extends 限批 (MODEL.md, restriction).

Mathematical formulation
    ρ_cy = (DU_c + DI_c + Σ_{y'<y} D_cy') / (U_c + I_c),   D_cy = P_cy + X_cy + Σ_{p∈c} s_pky   (rate before year y)
    Σ_{y'<y} (X_cy' + Σ_{p∈c} s_y') + M_cy·R_cy ≥ M_cy,   M_cy = below·(U_c + I_c) − DU_c − DI_c − Σ_{y'<y} P_cy'
    Σ_{p∈c, not exempt} (n + v + p)_pky ≤ A_cy·(1 − R_cy),   A_cy = Σ a over those cells,   R_cy ∈ {0, 1}
  supply_rate: σ_cy = (S_w + Σ_{y'∈w} (Q_cy' + D_cy')) / (Ap_w + Σ_{y'∈w} Q_cy'),  w = [y − window, y − 1],  Q = Σ_{p∈c} (n + v)
    Σ_{y'∈w, in horizon} ((1 − below)·Q_cy' + X_cy' + Σ_{p∈c} s_y') + M_cy·R_cy ≥ M_cy,   M_cy = below·Ap_w − S_w − Σ_{y'∈w} P_cy'

Table rows (docs/model.md)
    restriction rate | `Σ_{y'<y} (X + Σ s)_cy' + M_cy·R_cy ≥ M_cy`: `R_cy = 1` while the rate before `y` is below `below`
    restriction by year | `Σ_{p∈c, not exempt} (n + v + p)_y ≤ A_cy·(1 − R_cy)` (ring-fenced `r` and stock stay open); `R_cy = 1` fixed in the over-plan years

Re-planning (``past.py``): no R_cy and no rows for a year before ``as_of`` (what was approved then stands); over-plan use
the ledger records in year y0 restricts the years y0 + 1 .. y0 + ``overplan_years`` (every later one with 0); under the
supply rate, the window's past years count the ledger's supply (Δ_cy = supplied − approved on quota, added to S).

R_cy exists only where it can be forced (M_cy > 0): with M_cy ≤ 0 the rate is at or above ``below`` whatever is
disposed, and the county is not restricted by rate. M_cy is the tightest big-M (the shortfall with no disposal in
the horizon). For the supply rate, S_w and Ap_w are history.csv's supplied and approved over the window's years
before the horizon; this plan's new and advance quota counts as approved and supplied in its year, disposal as
supplied only; with nothing approved in the window the rate is 1 (the row holds with R = 0). Over-plan (``restriction.on_overplan`` and overplan_c > 0) restricts in the first ``overplan_years``
years (all of them when 0). A project is exempt when its category is in ``restriction.exempt_categories`` or its
``key_level`` in ``restriction.exempt_key_levels``. U + I = 0 gives a rate of 1: never restricted by rate.

Reads: counties (stocks, disposed, overplan), disposal.csv, restriction.below / on_overplan / overplan_years /
exempt_categories / exempt_key_levels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..quota_model import QuotaModel, split_terms
from .earned import disposal_plan
from .past import overplan_restricts, planned_from, supply_shift


def dynamic_restriction(s) -> bool:
    return s.rules.restriction.dynamic


def overplan_restricted(s, county: str, year: int) -> bool:
    """Is the county restricted in ``year`` for over-plan use (over-plan years only)?"""
    R = s.rules.restriction
    n = R.overplan_years
    within = n == 0 or list(s.years).index(year) < n
    return bool(R.on_overplan and s.counties.at[county, "overplan"] > 0 and within) or overplan_restricts(s, county, year)


def rate_shortfall(s) -> pd.Series:
    """M_cy per (county, year): the constant part of the rate row, > 0 while no choice in the horizon would leave the
    county at or above the threshold. disposal_rate: below·(U + I) − DU − DI − Σ_{y'<y} P_cy'; supply_rate:
    below·approved − supplied over the window's history years − Σ P_cy' over its horizon years."""
    c, R = s.counties, s.rules.restriction
    plan = disposal_plan(s)["planned"]
    county = plan.index.get_level_values(0)
    if R.trigger == "supply_rate":
        hist = window_history(s)
        before = pd.Series([sum(plan.get((cid, yy), 0.0) for yy in window_years(s, y) if yy >= s.first_year)
                            for cid, y in plan.index], index=plan.index, dtype=float)
        approved = np.array([hist.get((cid, y), (0.0, 0.0))[0] for cid, y in plan.index], dtype=float)
        supplied = np.array([hist.get((cid, y), (0.0, 0.0))[1] for cid, y in plan.index], dtype=float)
        shift = supply_shift(s)  # re-planning: the ledger's supply of the past years' approvals
        moved = np.array([sum(shift.get((cid, yy), 0.0) for yy in window_years(s, y)) for cid, y in plan.index], dtype=float)
        return pd.Series(R.below * approved - supplied - before.to_numpy() - moved, index=plan.index)
    before = plan.groupby(level="county_id").cumsum() - plan  # Σ_{y'<y} P
    stock = (c["unsupplied_stock"] + c["idle_stock"]).reindex(county).to_numpy(dtype=float)
    done = (c["unsupplied_disposed"] + c["idle_disposed"]).reindex(county).to_numpy(dtype=float)
    need = R.below * stock - done - before.to_numpy(dtype=float)
    return pd.Series(np.where(stock > 0, need, 0.0), index=plan.index)


def window_years(s, y: int) -> range:
    """The years behind the supply rate of year y: the ``window`` years before it."""
    return range(y - s.rules.restriction.window, y)


def window_history(s) -> dict:
    """(county, year) → (approved, supplied) of history.csv summed over the window's years before the horizon."""
    h = s.history
    if h is None:
        return {}
    rows = {(cid, int(y)): (float(a), float(b)) for cid, y, a, b in zip(h["county_id"], h["year"], h["approved"], h["supplied"])}
    out = {}
    for cid in s.counties.index:
        for y in s.years:
            got = [rows.get((cid, yy), (0.0, 0.0)) for yy in window_years(s, y) if yy < s.first_year]
            out[(cid, y)] = (sum(a for a, _ in got), sum(b for _, b in got))
    return out


def exempt_projects(s) -> pd.Series:
    R = s.rules.restriction
    p = s.projects
    return p["category"].isin(R.exempt_categories) | p["key_level"].isin(R.exempt_key_levels)


def add_dynamic_restriction(m: QuotaModel) -> None:
    s = m.scenario
    need = rate_shortfall(s)
    over = pd.Series([overplan_restricted(s, c, y) for c, y in need.index], index=need.index)
    decided = need.index.get_level_values("year") >= planned_from(s)  # re-planning: the past is not decided
    over = over & decided
    forced = need[(need > 1e-9) & ~over & decided]
    R = pd.Series(m.new_vars("R", len(forced), 0, 1, "Integer"), index=forced.index, dtype=object)
    m.restricted = R
    cells = m.cells
    county, year = cells["county_id"].to_numpy(), cells["year"].to_numpy()
    # rate rows: the disposal of the earlier years (extra and stock drawn) with M·R covers M
    sv = cells["s"].to_numpy(dtype=object)
    has_s = pd.notna(sv)
    supply = s.rules.restriction.trigger == "supply_rate"
    below = s.rules.restriction.below
    drawn: dict = {}  # county → [(year, variable, coefficient)]: disposal (stock drawn, extra) and, for the supply rate, approvals
    if supply:  # supplied + below·... : x counts (1 − below)·a (approved and supplied), s counts below (supplied, not approved twice)
        new_ok = cells["new_ok"].to_numpy(dtype=bool)
        x, area = cells["x"].to_numpy(dtype=object), cells["area"].to_numpy(dtype=float)
        for c, y, v, a in zip(county[new_ok], year[new_ok], x[new_ok], area[new_ok]):
            drawn.setdefault(c, []).append((y, v, (1.0 - below) * a))
        s_coef = np.where(new_ok, below, 1.0)
    else:
        s_coef = np.ones(len(cells))
    for c, y, v, k in zip(county[has_s], year[has_s], sv[has_s], s_coef[has_s]):
        drawn.setdefault(c, []).append((y, v, float(k)))
    if m.extra is not None:
        for (c, y), v in m.extra["var"].items():
            drawn.setdefault(c, []).append((y, v, 1.0))
    rows, pairs = [], []
    for (c, y), r in R.items():
        first = y - s.rules.restriction.window if supply else -np.inf
        rows.append((c, y))
        pairs.append([(v, k) for yy, v, k in drawn.get(c, []) if first <= yy < y] + [(r, float(forced[(c, y)]))])
    m.add_rows("restriction_rate", rows, pairs, ">=", forced.reindex(pd.MultiIndex.from_tuples(rows)).to_numpy(dtype=float)
               if rows else [], ("county_id", "year"))
    # restriction by year: non-exempt new and advance quota ≤ A·(1 − R); A = 0 where over-plan restricts
    ex = cells["project_id"].map(exempt_projects(s)).to_numpy(dtype=bool)
    mine = cells["new_ok"].to_numpy(dtype=bool) & ~ex
    at = np.flatnonzero(mine)
    keys = list(zip(county[at], year[at]))
    idx = pd.MultiIndex.from_tuples(keys) if keys else pd.MultiIndex.from_arrays([[], []])
    key_codes, uniq = pd.factorize(idx)
    area = cells["area"].to_numpy(dtype=float)
    big = np.bincount(key_codes, weights=area[at], minlength=len(uniq)) if len(at) else np.zeros(0)
    x = cells["x"].to_numpy(dtype=object)
    # n + v (+ p, the provincial reserve, shut by 限批 as new quota is) = a·x − s − r: stock and ring-fenced quota stay open
    rv = cells["r"].to_numpy(dtype=object) if "r" in cells else np.full(len(cells), None, dtype=object)
    has_r = pd.notna(rv)
    var = np.concatenate([x[at], sv[at][has_s[at]], rv[at][has_r[at]]])
    coef = np.concatenate([area[at], -np.ones(int(has_s[at].sum())), -np.ones(int(has_r[at].sum()))])
    row_of = np.concatenate([key_codes, key_codes[has_s[at]], key_codes[has_r[at]]])
    pairs = split_terms(row_of, var, coef, len(uniq))
    keep, out_pairs, rhs = [], [], []
    for i, key in enumerate(uniq):
        if key in R.index:
            keep.append(key)
            out_pairs.append(pairs[i] + [(R[key], float(big[i]))])
            rhs.append(float(big[i]))
        elif over.get(key, False):
            keep.append(key)
            out_pairs.append(pairs[i])
            rhs.append(0.0)
    m.add_rows("restriction_year", keep, out_pairs, "<=", rhs, ("county_id", "year"))
