"""``build_model``: turn a Scenario into a QuotaModel. It reads like a table of contents."""
from __future__ import annotations

import contextlib
import gc

import numpy as np
import pandas as pd
import pulp

from ..input.eligibility import eval_eligibility
from ..input.stock_years import stock_limits
from .families.advance import add_advance_cap, advance_years
from .families.approval import add_approval
from .families.city_quota import add_city_quota
from .families.county_caps import add_county_caps
from .families.dependencies import add_dependencies
from .families.early_batch import add_early_batch
from .families.dynamic_restriction import add_dynamic_restriction, dynamic_restriction
from .families.earned import add_earned_quota, add_extra_disposal, earned_mode
from .families.farmland import add_farmland
from .families.locks import add_locks
from .families.objective import set_objective
from .families.past import add_fixed_past
from .families.province_reserve import add_province_reserve, add_province_vars
from .families.restriction import eval_new_quota_allowed
from .families.ring_fence import add_ring_fence, add_ring_fenced_vars, ring_fenced
from .families.stock import add_stock
from .families.supply import add_supply
from .linkage import eval_linkage
from .quota_model import QuotaModel
from ..input.scenario import Scenario
from .score import eval_scores


def build_model(s: Scenario, elastic: dict[str, float] | None = None) -> QuotaModel:
    """``elastic`` maps families to a price per unit of slack: those rows may bend (infeasibility diagnosis)."""
    linkage = eval_linkage(s)
    projects = eval_projects_frame(s, linkage)
    m = QuotaModel(scenario=s, prob=pulp.LpProblem("quota", pulp.LpMaximize), projects=projects,
                   linkage=linkage, cells=make_cells(s, projects, linkage), elastic=dict(elastic or {}))
    m.projects_phases = s.phases[s.phases["project_id"].isin(projects.index[projects["in_model"]])]
    with paused_gc():
        add_approval(m)          # x: phases whole, once, in order; one plan; commitment
        add_supply(m, (add_province_vars, add_ring_fenced_vars))  # v, s: advance and stock beside new quota (p, r: RULES.md 4, 6)
        add_city_quota(m)        # annual quota with repayment and carry-over
        add_advance_cap(m)       # 预支 cap (next_year advance; within_year's is in the early batch)
        add_early_batch(m)       # b: within-year advance, whole urgent phases in the early batch (RULES.md 5)
        add_farmland(m)          # farmland quota
        add_stock(m)             # county stock
        if earned_mode(s) or dynamic_restriction(s):
            add_extra_disposal(m)  # X: disposal beyond the plan, chosen at a cost (RULES.md 1, 3)
        if earned_mode(s):
            add_earned_quota(m)  # base plus quota earned by disposal (RULES.md 1), in place of the county cap
        else:
            add_county_caps(m)   # factor-method caps with linkage multiplier
        if dynamic_restriction(s):
            add_dynamic_restriction(m)  # 限批 decided per county and year from the disposal so far (RULES.md 3)
        add_province_reserve(m)  # provincial reserve per year
        add_ring_fence(m)        # ring-fenced quota per poverty county and year
        add_dependencies(m)      # first phase after what it requires
        add_locks(m)             # lock: in
        add_fixed_past(m)        # re-planning: the years before as_of fixed to the ledger's facts
        set_objective(m)
    return m


@contextlib.contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while PuLP objects are made by the hundred thousand.

    Every full collection walks all live objects, and the variables and rows made so far are
    most of them: collections took half of a province build. Building them makes no cycles to
    collect. Pyomo pauses the collector in the same way while it builds and writes models.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def eval_projects_frame(s: Scenario, linkage: pd.DataFrame) -> pd.DataFrame:
    """Per project: eligibility, score terms, restriction, higher-level placement, and whether it is in the model."""
    elig = eval_eligibility(s)
    scores = eval_scores(s, elig)
    out = s.projects.join(elig, validate="one_to_one").join(scores, validate="one_to_one")
    out["new_ok"] = eval_new_quota_allowed(s, linkage)
    out["penalty"] = out["county_id"].map(linkage["penalty_per_ha"]).astype(float)
    first = s.phases[s.phases["phase"] == 1].groupby("project_id")["earliest_year"].min()
    placed = first.reindex(out.index).clip(lower=s.first_year)
    out["placed_year"] = placed.where(out["higher_level"]).astype(object).where(out["higher_level"], None)
    out["in_model"] = ~out["excluded"] & ~out["higher_level"]
    return out


def make_cells(s: Scenario, projects: pd.DataFrame, linkage: pd.DataFrame) -> pd.DataFrame:
    """One row per possible decision (project, plan, phase, year): no row before a phase's earliest
    year, none a phase could never reach through its predecessors' gap, none for a project that can
    draw neither quota nor stock (ring-fenced quota counts as quota: 限批 does not shut it)."""
    ph = s.phases[s.phases["project_id"].isin(projects.index[projects["in_model"]])].copy()
    ph = ph.rename(columns={"farmland_area": "farmland", "earliest_year": "earliest"})
    # earliest reachable year of each phase: r_1 = max(e_1, y_1), r_k = max(e_k, r_(k-1) + gap),
    # that is r_k − k·gap = running max of max(e_j, y_1) − j·gap over the plan's phases j ≤ k
    ph = ph.sort_values(["project_id", "plan", "phase"])
    gap = s.phasing.min_gap
    k = ph.groupby(["project_id", "plan"], sort=False).cumcount().to_numpy()
    shifted = pd.Series(np.maximum(ph["earliest"].to_numpy(dtype=np.int64), s.first_year) - k * gap, index=ph.index)
    ph["reach"] = shifted.groupby([ph["project_id"], ph["plan"]], sort=False).cummax().to_numpy() + k * gap
    years = pd.DataFrame({"year": list(s.years)})
    cells = ph.merge(years, how="cross")
    cells = cells[cells["year"] >= cells["reach"]].drop(columns="reach")
    p = projects.loc[cells["project_id"]]
    cells["county_id"] = p["county_id"].to_numpy()
    cells["w"] = p["w"].to_numpy()
    cells["penalty"] = p["penalty"].to_numpy()
    cells["new_ok"] = p["new_ok"].to_numpy()
    usable = p["county_id"].map(stock_limits(s)[s.last_year]).to_numpy()  # with land taken back within the horizon
    cells["stock_ok"] = p["stock_ok"].to_numpy().astype(bool) & (usable > 0)
    cells["adv_ok"] = p["urgent"].to_numpy().astype(bool) & cells["new_ok"].to_numpy() & cells["year"].isin(advance_years(s)).to_numpy()
    cells = cells[cells["new_ok"] | cells["stock_ok"] | ring_fenced(s, cells["county_id"])]
    cells["discount"] = s.delay_discount ** (cells["year"] - np.maximum(cells["earliest"], s.first_year))
    cells = cells.set_index(["project_id", "plan", "phase", "year"], drop=False).sort_index()
    cells.index.names = ["pid", "pl", "ph", "yr"]
    return cells
