"""County linkage numbers (增存挂钩 and 限批), each computed here and only here.

For county c, with stocks U, I at the start of the assessment period, disposals
DU, DI during it and tasks TU, TI (自然资规〔2018〕1号):

- disposal rate        r = (DU + DI) / (U + I), 1 when U + I = 0
- task shortfall       s = max(0, 1 − (DU + DI) / (TU + TI)), 0 with no task
- penalty per hectare  π = λ·s, charged on new and advance quota (0 under ``linkage.mode: earned``, RULES.md 1)
- restricted (限批)    r < restrict_below, or overplan > 0 with restrict_on_overplan; under
                       ``restriction.trigger: supply_rate`` the 供地率 of history.csv's window replaces r (RULES.md 2)
- cap multiplier       m = 1 + bonus if DU ≥ TU and DI ≥ TI, else 1 − cut
- county cap           max(0, m·cap_base − overplan) in the first year (超多少,扣多少),
                       m·cap_base after it; none without cap_base
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..input.scenario import Scenario


def eval_linkage(s: Scenario) -> pd.DataFrame:
    c = s.counties
    L = s.linkage
    out = pd.DataFrame(index=c.index)
    out["stock_total"] = c["unsupplied_stock"] + c["idle_stock"]
    out["disposed_total"] = c["unsupplied_disposed"] + c["idle_disposed"]
    out["task_total"] = c["unsupplied_task"] + c["idle_task"]
    out["disposal_rate"] = np.where(out["stock_total"] > 0, out["disposed_total"] / out["stock_total"].where(out["stock_total"] > 0, 1.0), 1.0)
    ratio = out["disposed_total"] / out["task_total"].where(out["task_total"] > 0, 1.0)
    out["shortfall"] = np.where(out["task_total"] > 0, np.maximum(0.0, 1.0 - ratio), 0.0)
    out["penalty_per_ha"] = (0.0 if s.rules.linkage.mode == "earned" else L.penalty) * out["shortfall"]
    out["restricted_rate"] = out["disposal_rate"] < L.restrict_below
    if s.rules.restriction.trigger == "supply_rate":  # RULES.md 2: Σ supplied / Σ approved over the window before y_1
        out["supply_rate"] = history_supply_rate(s, out.index)
        out["restricted_rate"] = out["supply_rate"] < s.rules.restriction.below
    out["restricted_overplan"] = (c["overplan"] > 0) & L.restrict_on_overplan
    out["restricted"] = out["restricted_rate"] | out["restricted_overplan"]
    out["unsupplied_task_met"] = c["unsupplied_disposed"] >= c["unsupplied_task"]
    out["idle_task_met"] = c["idle_disposed"] >= c["idle_task"]
    out["tasks_met"] = out["unsupplied_task_met"] & out["idle_task_met"]
    out["cap_multiplier"] = np.where(out["tasks_met"], 1.0 + L.bonus, 1.0 - L.cut)
    base = c["cap_base"].astype(float)
    out["cap_scaled"] = out["cap_multiplier"] * base
    out["cap_first_year"] = np.maximum(0.0, out["cap_scaled"] - c["overplan"]).where(base.notna())
    out["cap_later_years"] = out["cap_scaled"]
    return out


def history_supply_rate(s: Scenario, counties) -> np.ndarray:
    """Σ supplied / Σ approved of history.csv over the ``restriction.window`` years before the horizon (1 with nothing approved)."""
    h = s.history
    first = s.first_year - s.rules.restriction.window
    h = h[(h["year"] >= first) & (h["year"] < s.first_year)].groupby("county_id")[["approved", "supplied"]].sum()
    h = h.reindex(counties).fillna(0.0)
    a = h["approved"].to_numpy(dtype=float)
    return np.where(a > 0, h["supplied"].to_numpy(dtype=float) / np.where(a > 0, a, 1.0), 1.0)


def county_cap(linkage: pd.DataFrame, county: str, year: int, first_year: int) -> float | None:
    """The county's cap on new plus advance quota in ``year``, or None when it has no cap_base."""
    value = linkage.at[county, "cap_first_year" if year == first_year else "cap_later_years"]
    return None if pd.isna(value) else float(value)


def county_caps(linkage: pd.DataFrame, counties, years, first_year: int) -> np.ndarray:
    """``county_cap`` for many (county, year) pairs at once: NaN where the county has no cap_base."""
    first = linkage.loc[counties, "cap_first_year"].to_numpy(dtype=float)
    later = linkage.loc[counties, "cap_later_years"].to_numpy(dtype=float)
    return np.where(np.asarray(years) == first_year, first, later)
