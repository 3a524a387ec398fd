"""The year columns of counties.csv under a rule set: per county and year, the base quota, the disposal by kind, the
quota earned and used, the rate behind restriction and whether the county is restricted that year.

Only when the rules need them (``linkage.mode`` earned or both, or ``restriction.dynamic``: RULES.md "What every run
must show under a rule set"); ``quota.counties_table.join_years`` then makes counties.csv one row per county and year,
and a scenario under the first contract keeps it one row per county. Every column is recomputable from the inputs
(counties.csv, disposal.csv), allocations.csv and the extra disposal written here (the model's one choice that no
other table shows): the verifier and ``quota audit`` do so.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.families.dynamic_restriction import dynamic_restriction, overplan_restricted, window_history, window_years
from ..model.families.earned import disposal_plan, earned_mode
from ..model.families.past import supply_shift
from ..model.linkage import county_caps
from ..model.quota_model import QuotaModel
from .solution import Solution

DISPOSAL = ("disposal_planned", "disposal_extra", "disposal_stock", "disposal")
EARNED = ("base", "earn_ratio", "earned", "limit", "quota_used", "room")  # under earned linkage
DYNAMIC = ("rate", "restricted_in_year")  # under dynamic restriction: the rate before the year, and whether it
# restricts (counties.csv's first-contract ``restricted`` is the static one, before the horizon)
AREA_COLUMNS = ("base", "disposal_planned", "disposal_extra", "disposal_stock", "disposal", "earned", "limit",
                "quota_used", "room")


def wants_county_years(s) -> bool:
    return s.rules.stock_moves  # earned linkage or dynamic restriction


def eval_county_years(m: QuotaModel, sol: Solution) -> pd.DataFrame | None:
    """One row per county and year of the horizon (ha), or None when the rules need no such table."""
    s = m.scenario
    if not wants_county_years(s):
        return None
    r = s.rules.linkage.earn_ratio
    plan = disposal_plan(s)
    idx = plan.index
    d = sol.decisions
    used = d.groupby(["county_id", "year"])[["n", "v", "s"]].sum().reindex(idx, fill_value=0.0)
    out = pd.DataFrame(index=idx)
    out["name"] = s.counties["name"].reindex(idx.get_level_values(0)).to_numpy()
    out["base"] = county_caps(m.linkage, idx.get_level_values(0), idx.get_level_values(1), s.first_year)
    out["disposal_planned"] = plan["planned"]
    out["disposal_extra"] = sol.extra.reindex(idx, fill_value=0.0) if len(sol.extra) else 0.0
    out["disposal_stock"] = used["s"]
    out["disposal"] = (out["disposal_planned"] + out["disposal_extra"] + out["disposal_stock"]).astype(float)
    out["earn_ratio"] = r
    out["earned"] = r * out["disposal"]
    out["limit"] = out["base"] + out["earned"]
    out["quota_used"] = used["n"] + used["v"]
    out["room"] = out["limit"] - out["quota_used"]
    columns = ["county_id", "name", "year"] + (["base"] if earned_mode(s) else []) + list(DISPOSAL) \
        + (list(EARNED[1:]) if earned_mode(s) else ["quota_used"])
    if dynamic_restriction(s):
        quota = [col for col in ("n", "v", "p", "r") if col in d]  # RULES.md 2: every approval on quota, ring-fenced too
        approved = d.groupby(["county_id", "year"])[quota].sum().sum(axis=1).reindex(idx, fill_value=0.0)
        out["rate"] = supply_rates(s, out, approved) if s.rules.restriction.trigger == "supply_rate" else disposal_rates(s, out)
        by_rate = out["rate"] < s.rules.restriction.below - 1e-9
        out["restricted_in_year"] = by_rate | np.array([overplan_restricted(s, cid, y) for cid, y in idx], dtype=bool)
        columns += list(DYNAMIC)
    return out.reset_index()[columns]


def disposal_rates(s, out: pd.DataFrame) -> np.ndarray:
    """(DU + DI + Σ_{y'<y} D) / (U + I) per row of ``out`` (1 without stock)."""
    c = s.counties.reindex(out.index.get_level_values(0))
    stock = (c["unsupplied_stock"] + c["idle_stock"]).to_numpy(dtype=float)
    before = out["disposal"].groupby(level="county_id").cumsum() - out["disposal"]
    done = (c["unsupplied_disposed"] + c["idle_disposed"]).to_numpy(dtype=float) + before.to_numpy(dtype=float)
    return np.where(stock > 0, done / np.where(stock > 0, stock, 1.0), 1.0)


def supply_rates(s, out: pd.DataFrame, approved: pd.Series) -> np.ndarray:
    """(S_w + Σ_{y'∈w} (Q + D)) / (Ap_w + Σ_{y'∈w} Q) per row of ``out`` over the window w before the year (1 when
    nothing was approved in it); Q = ``approved``, the new, advance, provincial-reserve and ring-fenced quota used,
    D = disposal."""
    hist = window_history(s)
    q, d = approved.to_dict(), out["disposal"].to_dict()
    shift = supply_shift(s)  # re-planning: the ledger's supply of the past years' approvals (quota.model.families.past)
    rates = []
    for cid, y in out.index:
        approved, supplied = hist.get((cid, y), (0.0, 0.0))
        inside = [yy for yy in window_years(s, y) if yy >= s.first_year]
        approved += sum(q[(cid, yy)] for yy in inside)
        supplied += sum(q[(cid, yy)] + d[(cid, yy)] + shift.get((cid, yy), 0.0) for yy in inside)
        rates.append(supplied / approved if approved > 0 else 1.0)
    return np.asarray(rates, dtype=float)
