"""Independent verifier: recompute every constraint's residual and the objective from the output tables.

It never looks at the solver's model. It reads the allocation table (areas in
hectares), the per-project values ``w`` written to projects.csv and the
scenario's inputs, recomputes the county linkage numbers with its own short
arithmetic, and checks each rule of the contract with plain pandas. Each check
is one row: ``family``, ``key``, ``lhs``, ``rhs``, ``ok``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..input.scenario import HIGHER_LEVELS, Scenario
from ..input.stock_years import growing, stock_limits
from .verify_sources import EXTRA_SOURCES, allowed_sources, check_extra_sources, outside_budget
from .earned import check_dynamic, check_earned, dynamic_rules, earned_rules, extra_cost, supply_rate_before
from .verify_past import check_fixed_past, overplan

TOL = 1e-6


def verify(s: Scenario, allocations: pd.DataFrame, projects: pd.DataFrame, objective: float | None = None,
           county_years: pd.DataFrame | None = None) -> pd.DataFrame:
    """``allocations``: project_id, plan, phase, year, source, area (ha). ``projects``: indexed by
    project_id with ``status`` and ``w``. ``county_years``: under earned linkage or dynamic restriction, counties.csv
    in ha, one row per county and year (or only its year columns, ``quota.counties_table``); its ``disposal_extra``
    is the one model choice no other table shows. Returns one row per check; ``ok`` False marks a violation."""
    rows: list[dict] = []

    def check(family, key, lhs, rhs, ok=None, sense="<="):
        if ok is None:
            ok = lhs <= rhs + TOL * max(1.0, abs(rhs)) if sense == "<=" else abs(lhs - rhs) <= TOL * max(1.0, abs(rhs))
        rows.append({"family": family, "key": str(key), "lhs": float(lhs), "rhs": float(rhs), "ok": bool(ok)})

    a = allocations.copy()
    a["plan"] = a["plan"].fillna("").astype(str)
    P = s.projects
    C = s.counties
    ph = s.phases.set_index(["project_id", "plan", "phase"])
    hl_mask = a["source"] == "higher_level"
    city = a[~hl_mask]
    high = a[hl_mask]

    # --- linkage, recomputed here on purpose (not imported from quota.model.linkage)
    stock = C["unsupplied_stock"] + C["idle_stock"]
    disposed = C["unsupplied_disposed"] + C["idle_disposed"]
    task = C["unsupplied_task"] + C["idle_task"]
    rate = pd.Series(np.where(stock > 0, disposed / stock.replace(0, 1), 1.0), index=C.index)
    short = pd.Series(np.where(task > 0, np.maximum(0, 1 - disposed / task.replace(0, 1)), 0.0), index=C.index)
    pi = (0.0 if s.rules.linkage.mode == "earned" else s.linkage.penalty) * short  # RULES.md 1: earned drops π
    if s.rules.restriction.trigger == "supply_rate":  # RULES.md 2: 供地率 of history.csv's window before the horizon
        rate = supply_rate_before(s, C.index)
    restricted = (rate < s.linkage.restrict_below) | ((C["overplan"] > 0) & s.linkage.restrict_on_overplan)
    met = (C["unsupplied_disposed"] >= C["unsupplied_task"]) & (C["idle_disposed"] >= C["idle_task"])
    mult = np.where(met, 1 + s.linkage.bonus, 1 - s.linkage.cut)

    check("sources", "all", float((~a["source"].isin(allowed_sources(s))).sum()), 0)
    check("non_negative", "all", float((a["area"] < -TOL).sum()), 0)
    unknown = ~a.set_index(["project_id", "plan", "phase"]).index.isin(ph.index)
    check("known_phase", "all", float(unknown.sum()), 0)
    a = a[~unknown]
    city = a[a["source"] != "higher_level"]
    high = a[a["source"] == "higher_level"]

    check_fixed_past(check, s, a)  # re-planning: the years before as_of are the ledger's facts, exactly
    # --- approvals: whole, once, in order, one plan, earliest year, commitment
    phase_year = city.groupby(["project_id", "plan", "phase", "year"])["area"].sum()
    years_per_phase = phase_year.reset_index().groupby(["project_id", "plan", "phase"])["year"].nunique()
    for key, n in years_per_phase[years_per_phase > 1].items():
        check("phase_once", key, n, 1)
    need = _phase_data(ph, phase_year.index.droplevel("year"))
    for ((pid, plan, k, y), area), whole, e in zip(phase_year.items(), need["area"].tolist(), need["earliest_year"].tolist()):
        check("phase_whole", (pid, plan, k, y), area, whole, sense="==")
        check("earliest_year", (pid, plan, k, y), e, y)
        check("in_horizon", (pid, plan, k, y), y, s.last_year, ok=s.first_year <= y <= s.last_year)
    approved = phase_year.reset_index().groupby(["project_id", "plan", "phase"])["year"].min()
    plans = approved.reset_index().groupby("project_id")["plan"].nunique()
    for pid, n in plans.items():
        check("plan_choice", pid, n, 1)
    g = s.phasing.min_gap
    year_of = approved.to_dict()
    for (pid, plan, k), y in approved.items():
        if k > 1:
            prev = year_of.get((pid, plan, k - 1))
            check("phase_order", (pid, plan, k), (prev if prev is not None else np.inf) + g, y)
    if s.phasing.commit == "all":
        later = {}  # (project, plan) → [(phase, earliest year)] of its phases, in the phases table's order
        for (pid, plan, kk), e in ph["earliest_year"].items():
            later.setdefault((pid, plan), []).append((kk, e))
        for (pid, plan, k), y in approved.items():
            if k != 1:
                continue
            for kk, e in later[(pid, plan)]:
                if kk > 1 and e <= s.last_year:
                    check("commitment", (pid, plan, kk), 0 if (pid, plan, kk) in year_of else 1, 0)

    # --- eligibility and higher level
    not_in = projects.index[projects["status"] == "excluded"]
    check("excluded_unallocated", "all", float(a["project_id"].isin(not_in).sum()), 0)
    outside = outside_budget(s)  # national and provincial key projects, or under the rules as practised (RULES.md 4) fewer
    if s.key_projects_outside_budget:
        city_high = city["project_id"].map(outside)
        check("higher_level_outside_budget", "all", float(city_high.sum()), 0)
    if s.key_projects_outside_budget:  # each phase of a higher-level project is placed, within the horizon
        placed = P.index[outside & (projects["status"].reindex(P.index) != "excluded")]
        listed = set(zip(high["project_id"], high["plan"], high["phase"]))
        for (pid, plan, k), e in ph.loc[ph.index.get_level_values(0).isin(placed), "earliest_year"].items():
            if max(e, s.first_year) <= s.last_year:
                check("higher_level_placed", (pid, plan, int(k)), float((pid, plan, k) in listed), 1, sense="==")
    high_area = high.groupby(["project_id", "plan", "phase"])["area"].sum()
    high_year = high.drop_duplicates(["project_id", "phase"]).set_index(["project_id", "phase"])["year"].to_dict()
    need = _phase_data(ph, high_area.index)
    for ((pid, plan, k), area), whole, e in zip(high_area.items(), need["area"].tolist(), need["earliest_year"].tolist()):
        y = int(high_year[(pid, k)])  # the first row of the project's phase k
        check("higher_level_year", (pid, k), y, max(e, s.first_year), sense="==")
        check("higher_level_whole", (pid, k), area, whole, sense="==")

    # --- supply by source
    by = city.pivot_table(index=["project_id", "plan", "phase", "year"], columns="source", values="area", aggfunc="sum", fill_value=0.0)
    for col in ("new", "advance", "stock", *EXTRA_SOURCES):
        if col not in by:
            by[col] = 0.0
    by = by.reset_index()
    by["county_id"] = by["project_id"].map(P["county_id"])
    urgent = by["project_id"].map(P["urgent"]).astype(bool)
    check("advance_urgent_only", "all", float(by.loc[~urgent, "advance"].sum()), 0)
    stock_ok = by["project_id"].map(P["stock_ok"]).astype(bool)
    check("stock_ok_only", "all", float(by.loc[~stock_ok, "stock"].sum()), 0)
    exempt = by["project_id"].map(P["category"]).isin(s.linkage.exempt_categories) \
        | by["project_id"].map(P["key_level"]).isin(s.rules.restriction.exempt_key_levels)
    in_restricted = by["county_id"].map(restricted).astype(bool) & (not dynamic_rules(s))  # dynamic: per year, below
    if dynamic_rules(s):
        check_dynamic(check, s, by, exempt, county_years)
    bad = by[in_restricted & ~exempt]
    for pid, q in bad.groupby("project_id")[["new", "advance", "province"]].sum().sum(axis=1).items():
        check("restriction", pid, q, 0)
    check_extra_sources(s, by, in_restricted & ~exempt, check)
    adv_year = by.groupby("year")["advance"].sum()
    new_year = by.groupby("year")["new"].sum()
    years = list(s.years)
    within = s.rules.advance.mode == "within_year"  # RULES.md 5: early batch, capped by last year's quota, not repaid
    for i, y in enumerate(years):
        v = adv_year.get(y, 0.0)
        if within:
            check("advance_cap", y, v, s.advance.max_share * (s.quota[years[i - 1]] if i else s.rules.advance.previous_quota))
        elif i < len(years) - 1:
            check("advance_cap", y, v, s.advance.max_share * s.quota[years[i + 1]])
        elif s.advance.last_year:
            check("advance_cap", y, v, s.advance.max_share * s.quota[y])
        else:
            check("advance_cap", y, v, 0)
    carried = 0.0
    for i, y in enumerate(years):
        used = new_year.get(y, 0.0) + (adv_year.get(y, 0.0) if within else adv_year.get(years[i - 1], 0.0) if i else 0.0)
        check("city_quota", y, used, s.quota[y] + carried)
        carried = s.carry_over * max(0.0, s.quota[y] + carried - used)
    if s.farmland_quota is not None:
        need = _phase_data(ph, pd.MultiIndex.from_frame(by[["project_id", "plan", "phase"]]))
        share = [farm / whole for farm, whole in zip(need["farmland_area"].tolist(), need["area"].tolist())]
        by["farm"] = np.asarray(share, dtype=float) * (by["new"] + by["advance"])
        for y in years:
            check("farmland", y, by.loc[by["year"] == y, "farm"].sum(), s.farmland_quota[y])
    if within:  # a phase in the early batch draws its whole area as advance: no new quota, no stock beside it
        for r in by[by["advance"] > 0].itertuples():
            check("early_batch", (r.project_id, r.plan, r.phase, r.year), r.new + r.stock, 0)
    stock_used = by.groupby("county_id")["stock"].sum()
    limits = stock_limits(s)  # usable_stock, and land taken back within the horizon from the year after
    for c, used in stock_used.items():
        check("stock", c, used, limits.at[c, s.last_year])
    for c in growing(limits):  # the stock drawn by the end of each year, before the land taken back is usable
        drawn = by[by["county_id"] == c].groupby("year")["stock"].sum().reindex(years, fill_value=0.0).cumsum()
        for y in [y for y in years if limits.at[c, y] < limits.at[c, s.last_year]]:
            check("stock_by_year", (c, y), float(drawn[y]), limits.at[c, y])
    quota_cy = by.assign(q=by["new"] + by["advance"]).groupby(["county_id", "year"])["q"].sum()
    if earned_rules(s):
        check_earned(check, s, by, county_years, mult)
    for (c, y), q in ([] if earned_rules(s) else quota_cy.items()):
        base = C.at[c, "cap_base"]
        if base is None or pd.isna(base):
            continue
        m = mult[C.index.get_loc(c)]
        cap = max(0.0, m * base - C.at[c, "overplan"]) if y == s.first_year else m * base
        cap += overplan(s).get((c, y), 0.0)  # re-planning: a past year's over-plan use widens its row
        check("county_cap", (c, y), q, cap)

    # --- dependencies and locks
    first_year = pd.concat([city[city["phase"] == 1], high[high["phase"] == 1]]).groupby("project_id")["year"].min()
    for p_, q in zip(s.dependencies["project_id"], s.dependencies["requires"]):
        if p_ in first_year.index and not (s.key_projects_outside_budget and outside[p_]):
            qy = first_year.get(q, np.inf)
            check("dependency", (p_, q), qy, first_year[p_])
    for pid in P.index[P["lock"] == "in"]:
        check("lock_in", pid, 1 if pid in first_year.index else 0, 1, sense="==")

    # --- objective
    if objective is not None:
        e = _phase_data(ph, pd.MultiIndex.from_frame(by[["project_id", "plan", "phase"]]))["earliest_year"].tolist()
        area = by["new"] + by["advance"] + by["stock"] + by["province"] + by["ring_fenced"]
        w = by["project_id"].map(projects["w"]).astype(float)
        early = s.rules.advance.early_gain * (by["advance"] > 0) if within else 0.0  # starts that much earlier
        disc = s.delay_discount ** (by["year"] - np.maximum(np.asarray(e, dtype=float), s.first_year) - early)
        pen = by["county_id"].map(pi).astype(float)
        value = (w * area * disc).sum() - (pen * (by["new"] + by["advance"])).sum() \
            - s.advance.cost * by["advance"].sum() + s.linkage.stock_credit * by["stock"].sum() \
            - extra_cost(s, county_years)
        check("objective", "total", value, objective, ok=abs(value - objective) <= 1e-5 * max(1.0, abs(objective)))
    return pd.DataFrame(rows, columns=["family", "key", "lhs", "rhs", "ok"])


def _phase_data(ph: pd.DataFrame, keys: pd.MultiIndex) -> pd.DataFrame:
    """The rows of ``ph`` (indexed by project, plan, phase) for ``keys``, in their order; every key must be there."""
    pos = ph.index.get_indexer(keys)
    assert (pos >= 0).all(), "a checked phase is missing from the scenario's phases"
    return ph.iloc[pos]


def violations(checks: pd.DataFrame) -> pd.DataFrame:
    return checks[~checks["ok"]]


def describe_violations(bad: pd.DataFrame, most: int = 10) -> str:
    """``N violations: family key: lhs vs rhs; ...`` for an error message."""
    lines = "; ".join(f"{r.family} {r.key}: {r.lhs:g} vs {r.rhs:g}" for r in bad.head(most).itertuples())
    return f"{len(bad)} violations: {lines}"
