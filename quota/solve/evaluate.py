"""Post-solve tables, each ``eval_*(model, solution)`` returning a tidy DataFrame in hectares.

The writers only convert units and format; the report only formats these.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.quota_model import QuotaModel
from .solution import Solution

SOURCES = ("new", "advance", "stock", "province", "ring_fenced", "higher_level")
EXTRA = (("p", "province"), ("r", "ring_fenced"))  # decision column -> source, only under the rules as practised (RULES.md 4, 6)


def eval_allocations(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """allocations.csv: one row per (project, plan, phase, year, source) with a positive area."""
    d = sol.decisions
    parts = []
    for col, source in (("n", "new"), ("v", "advance"), ("s", "stock"), *[e for e in EXTRA if e[0] in d]):
        part = d.loc[d[col] > 0, ["project_id", "plan", "phase", "year", col]].rename(columns={col: "area"})
        part.insert(4, "source", source)
        parts.append(part)
    parts.append(eval_higher_level(m))
    out = pd.concat(parts, ignore_index=True)
    order = {s: i for i, s in enumerate(SOURCES)}
    out["_o"] = out["source"].map(order)
    out = out.sort_values(["project_id", "plan", "phase", "year", "_o"]).drop(columns="_o").reset_index(drop=True)
    out["phase"] = out["phase"].astype(int)
    out["year"] = out["year"].astype(int)
    return out


def eval_higher_level(m: QuotaModel) -> pd.DataFrame:
    """Higher-level key projects: each phase at its own earliest year (clamped to the first year), within the horizon."""
    s = m.scenario
    high = m.projects.index[m.projects["higher_level"]]
    ph = s.phases[s.phases["project_id"].isin(high)]
    years = ph["earliest_year"].clip(lower=s.first_year)
    ph = ph.assign(year=years)[years <= s.last_year]
    return pd.DataFrame({"project_id": ph["project_id"], "plan": ph["plan"], "phase": ph["phase"],
                         "year": ph["year"], "source": "higher_level", "area": ph["area"]})


def eval_project_schedule(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """Per project: chosen plan, phases approved, first year, status (reason comes from quota.explain.reasons)."""
    s = m.scenario
    p = m.projects
    d = sol.decisions
    hl = eval_higher_level(m)
    approved = pd.concat([d[["project_id", "plan", "phase", "year"]], hl[["project_id", "plan", "phase", "year"]]], ignore_index=True)
    out = pd.DataFrame(index=p.index)
    first = approved[approved["phase"] == 1].drop_duplicates("project_id").set_index("project_id")
    out["plan"] = first["plan"].reindex(p.index)
    out["first_year"] = first["year"].reindex(p.index)
    n_approved = approved.groupby("project_id")["phase"].nunique().reindex(p.index).fillna(0).astype(int)
    # the plan a project is judged by: the chosen one, else its only plan (none for an unchosen choice of plans)
    n_plans = s.phases.groupby("project_id")["plan"].nunique()
    only = s.phases.drop_duplicates("project_id").set_index("project_id")["plan"].where(n_plans == 1)
    plan_key = out["plan"].where(out["plan"].notna(), only.reindex(p.index))
    key = pd.MultiIndex.from_arrays([p.index, plan_key])
    plan_phases = s.phases.groupby(["project_id", "plan"])["phase"].max()
    out["phases_total"] = plan_phases.reindex(key).to_numpy(dtype=float)
    out["phases_approved"] = n_approved
    e1 = s.phases[s.phases["phase"] == 1].set_index(["project_id", "plan"])["earliest_year"]
    out["phase1_earliest"] = pd.Series(e1.reindex(key).to_numpy(dtype=float), index=p.index).fillna(
        e1.groupby(level="project_id").min().reindex(p.index).astype(float))
    clamped = out["phase1_earliest"].astype(float).clip(lower=s.first_year)
    out["deferral_years"] = (out["first_year"] - clamped).where(out["first_year"].notna())
    status = np.select(
        [p["excluded"], p["higher_level"], out["first_year"].isna(),
         out["phases_approved"] < out["phases_total"], out["deferral_years"] > 0],
        ["excluded", "higher_level", "rejected", "partial", "deferred"], default="approved")
    out["status"] = status
    e = d.merge(s.phases, on=["project_id", "plan", "phase"], how="left", validate="many_to_one", suffixes=("", "_ph"))
    w = d["project_id"].map(p["w"]).to_numpy()
    full = d["area"].to_numpy() * w
    got = full * s.delay_discount ** (d["year"].to_numpy() - np.maximum(e["earliest_year"].to_numpy(), s.first_year) - early_gain(s, d))
    value = pd.DataFrame({"project_id": d["project_id"], "v_full": full, "v_got": got})
    lost = (value.groupby("project_id")["v_full"].sum() - value.groupby("project_id")["v_got"].sum())
    out["discount_lost"] = lost.reindex(p.index).fillna(0.0)
    out["value"] = value.groupby("project_id")["v_got"].sum().reindex(p.index).fillna(0.0)
    return out


def eval_supply_by_county(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    d = sol.decisions
    idx = pd.MultiIndex.from_product([m.scenario.counties.index, m.scenario.years], names=["county_id", "year"])
    g = d.groupby(["county_id", "year"])[["n", "v", "s"]].sum().reindex(idx, fill_value=0.0)
    return g


def eval_counties(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """counties.csv: the inputs, then each linkage number step by step, then what the county received."""
    s = m.scenario
    c = s.counties
    L = m.linkage
    out = c[["name", "unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed",
             "idle_disposed", "usable_stock", "overplan", "cap_base"]].copy()
    for col in ("stock_total", "disposed_total", "disposal_rate", "task_total", "shortfall", "penalty_per_ha",
                "restricted_rate", "restricted_overplan", "restricted", "unsupplied_task_met", "idle_task_met",
                "tasks_met", "cap_multiplier", "cap_first_year", "cap_later_years"):
        out[col] = L[col]
    if "supply_rate" in L:  # restriction.trigger supply_rate only: a first-contract counties.csv keeps its columns
        out.insert(out.columns.get_loc("disposal_rate") + 1, "supply_rate", L["supply_rate"])
    out["restrict_cause"] = np.select([L["restricted_rate"] & L["restricted_overplan"], L["restricted_rate"], L["restricted_overplan"]],
                                      ["disposal_rate+overplan", "disposal_rate", "overplan"], default="")
    if "supply_rate" in L:
        out["restrict_cause"] = out["restrict_cause"].str.replace("disposal_rate", "supply_rate")
    g = eval_supply_by_county(m, sol)
    tot = g.groupby(level="county_id").sum()
    out["new_used"] = tot["n"]
    out["advance_used"] = tot["v"]
    out["stock_used"] = tot["s"]
    out["penalty_paid"] = out["penalty_per_ha"] * (out["new_used"] + out["advance_used"])
    for y in s.years:
        out[f"quota_{y}"] = g.xs(y, level="year")["n"] + g.xs(y, level="year")["v"]
    if s.rules.ring_fence.per_county > 0:  # ring-fenced quota (RULES.md item 6): what each county used, in all and per
        # year; 0 where no county is a poverty county or none of its projects drew it (the model then has no r)
        d = sol.decisions if "r" in sol.decisions else sol.decisions.assign(r=0.0)
        r = d.groupby(["county_id", "year"])["r"].sum().reindex(g.index, fill_value=0.0)
        out["ring_fenced_used"] = r.groupby(level="county_id").sum()
        for y in s.years:
            out[f"ring_fenced_{y}"] = r.xs(y, level="year")
    return out


def eval_years(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """Per year: quota, new used, advance drawn and repaid, carried in and out, lapsed, utilisation."""
    s = m.scenario
    d = sol.decisions
    hl = eval_higher_level(m)
    rows = []
    carried_in = 0.0
    prev_adv = 0.0
    within = s.rules.advance.mode == "within_year"
    for y in s.years:
        new = float(d.loc[d["year"] == y, "n"].sum())
        adv = float(d.loc[d["year"] == y, "v"].sum())
        stock = float(d.loc[d["year"] == y, "s"].sum())
        if within:  # RULES.md 5: the early batch is charged to its own year; nothing is repaid
            prev_adv = 0.0
        charged = new + (adv if within else prev_adv)
        available = s.quota[y] + carried_in
        unused = max(0.0, available - charged)
        carried = s.carry_over * unused if y != s.last_year else 0.0
        rows.append({"year": y, "quota": s.quota[y], "carried_in": carried_in, "available": available,
                     "new_used": new, "advance_drawn": adv, "advance_repaid": prev_adv, "charged": charged,
                     "stock_used": stock, "higher_level": float(hl.loc[hl["year"] == y, "area"].sum()),
                     "unused": unused, "carried": carried, "lapsed": unused - carried,
                     "utilisation": charged / available if available > 0 else None})
        rows[-1].update(eval_year_extras(m, d, y))
        carried_in, prev_adv = carried, adv
    out = pd.DataFrame(rows).set_index("year")
    out.attrs["advance_owed"] = prev_adv if s.advance.last_year and not within else 0.0
    return out


def eval_year_extras(m: QuotaModel, d: pd.DataFrame, y: int) -> dict:
    """The year's provincial reserve and its use, and ring-fenced quota used (only when the rules give them)."""
    out = {}
    if "p" in d:
        out["province_reserve"] = dict(m.scenario.rules.key_projects.province_reserve).get(y, 0.0)
        out["province_used"] = float(d.loc[d["year"] == y, "p"].sum())
    if m.scenario.rules.ring_fence.per_county > 0:
        out["ring_fenced_used"] = float(d.loc[d["year"] == y, "r"].sum()) if "r" in d else 0.0
    return out


def eval_status_counts(schedule: pd.DataFrame) -> dict[str, int]:
    order = ["approved", "deferred", "partial", "rejected", "excluded", "higher_level"]
    counts = schedule["status"].value_counts()
    return {k: int(counts.get(k, 0)) for k in order}


def eval_phase_values(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """Per approved (project, plan, phase, year): the value it earned, w·a·δ^(y − max(e, y_1)) (less early_gain in the
    exponent for a phase in the within-year early batch), before
    penalty, advance cost and stock credit (the same value as projects.csv ``value``)."""
    s = m.scenario
    d = sol.decisions[["project_id", "plan", "phase", "year", "area"]]
    e = d.merge(s.phases[["project_id", "plan", "phase", "earliest_year"]], on=["project_id", "plan", "phase"],
                how="left", validate="many_to_one")
    assert e["earliest_year"].notna().all(), "an approved phase is missing from the scenario's phases"
    w = e["project_id"].map(m.projects["w"])
    wait = e["year"] - np.maximum(e["earliest_year"], s.first_year) - early_gain(s, sol.decisions)
    return e.assign(value=e["area"] * w * s.delay_discount ** wait).drop(columns="earliest_year")


def early_gain(s, d: pd.DataFrame) -> np.ndarray | float:
    """Per decision row: the years an early-batch phase starts earlier (``advance.early_gain`` where it draws advance
    under within-year advance, RULES.md 5), else 0."""
    if s.rules.advance.mode != "within_year":
        return 0.0
    return s.rules.advance.early_gain * (d["v"].to_numpy(dtype=float) > 0)


def eval_value_by_year(m: QuotaModel, sol: Solution) -> pd.Series:
    """Value of the phases approved in each year (value-weighted hectares); sums to projects.csv ``value``."""
    v = eval_phase_values(m, sol)
    return v.groupby("year")["value"].sum().reindex(list(m.scenario.years), fill_value=0.0)


def eval_plan_values(m: QuotaModel, sol: Solution) -> pd.DataFrame:
    """plans.csv: for every project with several phasing plans, the value of each plan.

    ``value_if_chosen`` is the plan standing alone, each phase at its earliest feasible year
    (phase 1 at max(e_1, y_1), phase k at max(e_k, y_(k−1) + min_gap)), counting the phases that
    fall within the horizon: Σ_k w·a_k·δ^(y_k − max(e_k, y_1)). It is the most the plan can earn
    before competing for quota; ``area_in_horizon`` is the land it needs for that. For the chosen
    plan, ``realised_value`` is what it earned in the solution (less when deferred). Penalty,
    advance cost and stock credit are left out, as in projects.csv ``value``. Areas in hectares.
    """
    s = m.scenario
    p = m.projects
    ph = s.phases
    n_plans = ph.groupby("project_id")["plan"].nunique()
    ph = ph[ph["project_id"].isin(n_plans.index[n_plans > 1])].sort_values(["project_id", "plan", "phase"])
    d = sol.decisions
    chosen = dict(zip(d.loc[d["phase"] == 1, "project_id"], d.loc[d["phase"] == 1, "plan"]))
    realised = eval_phase_values(m, sol).groupby(["project_id", "plan"])["value"].sum().to_dict()
    w_of, in_model_of = p["w"].to_dict(), p["in_model"].to_dict()
    rows = []
    # one pass over the phases, sorted by (project, plan, phase): a plan's phases are consecutive
    for (pid, plan), phases in _runs(ph["project_id"].tolist(), ph["plan"].tolist(),
                                     list(zip(ph["area"].tolist(), ph["earliest_year"].tolist()))):
        year, value, area, years = None, 0.0, 0.0, []
        w = w_of[pid]
        for a, e in phases:
            year = max(e, s.first_year) if year is None else max(e, year + s.phasing.min_gap)
            if year <= s.last_year:
                value += w * a * s.delay_discount ** (year - max(e, s.first_year))
                area += a
                years.append(str(int(year)))
        in_model = bool(in_model_of[pid])
        is_chosen = chosen.get(pid) == plan
        rows.append({"project_id": pid, "plan": plan, "phases": len(phases), "phases_in_horizon": len(years),
                     "earliest_years": " ".join(years), "area_in_horizon": area,
                     "value_if_chosen": value if in_model else np.nan, "chosen": is_chosen,
                     "realised_value": float(realised.get((pid, plan), 0.0)) if is_chosen else np.nan})
    cols = ["project_id", "plan", "phases", "phases_in_horizon", "earliest_years", "area_in_horizon",
            "value_if_chosen", "chosen", "realised_value"]
    return pd.DataFrame(rows, columns=cols)


def _runs(pids: list, plans: list, items: list):
    """(project, plan) → its items, for lists sorted so that each (project, plan) is one consecutive run."""
    start = 0
    for i in range(1, len(pids) + 1):
        if i == len(pids) or pids[i] != pids[start] or plans[i] != plans[start]:
            yield (pids[start], plans[start]), items[start:i]
            start = i
