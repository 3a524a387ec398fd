"""The data a rule set needs (RULES.md), drawn for ``quota generate --rules NAME``: ``draw_rule_data``.

What is drawn follows the set's values, so the scenario validates and runs under it:

- earned linkage (``linkage.mode`` earned or both): ``cap_base`` for every county (the base quota, 基础指标),
  and ``disposal.csv``: planned disposal per county and year (3-8% of the 批而未供 stock and 2-6% of the idle
  stock a year), with ``extra_max`` (2-6% of 批而未供 a year) and ``extra_cost`` for about 40% of the counties;
- dynamic restriction alone (no earned linkage) needs ``disposal.csv`` too, for the same reason: disposal lifts it;
- the supply-rate trigger: ``history.csv`` for the ``restriction.window`` years before the horizon, approvals of
  about a county's yearly share of the quota; the counties restricted for slow disposal supply 35-55% of what was
  approved (below 60%), the others 65-95%, so the same counties are restricted as under the disposal rate;
- within-year advance: ``advance.previous_quota``, the first year's quota less 3% (quota grows 3% a year);
- ``national_and_standalone``: ``standalone_site`` for half the provincial key projects, and a provincial reserve
  each year of 50-100% of the yearly area of the others;
- a ring-fence: ``poverty_county`` for about 15% of the counties (at least one);
- earned linkage or dynamic restriction, where disposal is counted year by year: each listing county's
  ``idle_stock`` becomes the area of its parcels that are idle land at the assessment date (a year or more past the
  agreed start: ``quota.input.checks.check_parcels_match``), its idle task and disposal scaled alike.

Everything comes from a generator of its own (seeded by the scenario's seed and this module's stream number), so
the tables of ``quota.commands.generate_data`` are drawn exactly as without a rule set, and one seed still gives
the same files. Areas are whole hundredths of a hectare, as there.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..input.rulesets import read_rule_set
from ..input.idle import idle_at_assessment
from ..input.options import IdleLand
from .generate_data import GenerateOptions, assessment_date, in_budget_phases, log_uniform, pick

STREAM = 16  # the child stream of the scenario's seed: np.random.default_rng((seed, STREAM))
POVERTY_SHARE = 0.15
EXTRA_SHARE = 0.4
STANDALONE_SHARE = 0.5


def draw_rule_data(d: dict, o: GenerateOptions) -> dict:
    """Change ``d`` (the tables of ``draw_scenario``) as rule set ``o.rules`` needs, and return the yaml values it
    adds: ``previous_quota`` (ha or None) and ``province_reserve`` ({year: ha}, empty when not needed)."""
    values = read_rule_set(o.rules).values()
    rng = np.random.default_rng((o.seed, STREAM))
    counties, projects = d["counties"], d["projects"]
    earned = values.get("linkage.mode", "penalty") != "penalty"
    supply_rate = values.get("restriction.trigger") == "supply_rate"
    d["disposal"] = d["history"] = None
    if earned:
        fill_caps(rng, counties, projects, d, o)
    if earned or values.get("restriction.dynamic", False):
        idle_stock_of_idle_parcels(counties, d["idle_parcels"], o)
        d["disposal"] = draw_disposal(rng, counties, o)
    if supply_rate:
        d["history"] = draw_history(rng, counties, d["quota"], int(values.get("restriction.window", 5)), o)
    if float(values.get("ring_fence.per_county", 0) or 0) > 0:
        counties["poverty_county"] = pick(rng, o.counties, POVERTY_SHARE) | first_only(o.counties)
    reserve = {}
    if values.get("key_projects.outside_budget") == "national_and_standalone":
        reserve = draw_standalone(rng, projects, d["phases"], o)
    previous = None
    if values.get("advance.mode") == "within_year":
        previous = round(d["quota"][o.year_list[0]] / 1.03, 1)
    return {"previous_quota": previous, "province_reserve": reserve}


def first_only(n: int) -> np.ndarray:
    """The first county flagged when the share rounds to none (a ring-fence needs one county to show)."""
    mask = np.zeros(n, dtype=bool)
    mask[0] = round(POVERTY_SHARE * n) == 0
    return mask


def fill_caps(rng, counties: pd.DataFrame, projects: pd.DataFrame, d: dict, o: GenerateOptions) -> None:
    """A cap_base for every county without one: 0.5-1.0 times its fair share of the yearly quota (earned quota is
    added to it), and at least five times the area locked in there (locked-in projects stay feasible)."""
    demand = in_budget_phases(projects, d["phases"], o).groupby("county_id")["area"].sum()
    share = counties["county_id"].map(demand).fillna(0).to_numpy() / max(demand.sum(), 1)
    per_year = sum(d["quota"].values()) / o.years * 100  # hundredths
    locked = projects[projects["lock"] == "in"].groupby("county_id")["area"].sum()
    floor = counties["county_id"].map(locked).fillna(0).to_numpy() * 5
    cap = np.maximum(share * per_year * rng.uniform(0.5, 1.0, o.counties), rng.uniform(300, 1000, o.counties))
    missing = counties["cap_base"].isna().to_numpy()
    filled = np.where(missing, np.maximum(np.round(cap), floor), counties["cap_base"].fillna(0).to_numpy())
    counties["cap_base"] = pd.array(filled.astype(np.int64), dtype="Int64")


def idle_stock_of_idle_parcels(counties: pd.DataFrame, parcels: pd.DataFrame | None, o: GenerateOptions) -> None:
    """idle_stock of each county listing parcels = the area of those idle at the assessment date (classed fee, reclaim
    or government: a full year or more not started after the agreed start); its idle task and disposed scaled alike."""
    if parcels is None or not len(parcels):
        return
    idle = idle_at_assessment(parcels, IdleLand(assessment_date(o)))  # the validator's own classification
    area = parcels.loc[idle].groupby("county_id")["area"].sum().reindex(sorted(set(parcels["county_id"])), fill_value=0)
    at = counties["county_id"].to_numpy()
    for cid, new in area.items():
        i = np.flatnonzero(at == cid)[0]
        old = counties["idle_stock"].iat[i]
        for col in ("idle_task", "idle_disposed"):
            counties.iloc[i, counties.columns.get_loc(col)] = int(round(counties[col].iat[i] * new / old)) if old else 0
        counties.iloc[i, counties.columns.get_loc("idle_stock")] = int(new)
        total = counties["unsupplied_stock"].iat[i] + int(new)
        counties.iloc[i, counties.columns.get_loc("usable_stock")] = min(counties["usable_stock"].iat[i], total)


def draw_disposal(rng, counties: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame:
    """Planned disposal per county and year; extra_max and extra_cost for ``EXTRA_SHARE`` of the counties."""
    n, ys = o.counties, o.year_list
    U, I = counties["unsupplied_stock"].to_numpy(), counties["idle_stock"].to_numpy()
    extra = pick(rng, n, EXTRA_SHARE)
    rows = []
    for y in ys:
        du = np.round(U * rng.uniform(0.03, 0.08, n)).astype(np.int64)
        di = np.round(I * rng.uniform(0.02, 0.06, n)).astype(np.int64)
        xm = np.round(U * rng.uniform(0.02, 0.06, n)).astype(np.int64)
        xc = np.round(rng.uniform(0.2, 0.6, n), 2)
        rows.append(pd.DataFrame({"county_id": counties["county_id"].to_numpy(), "year": y, "unsupplied": du, "idle": di,
                                  "extra_max": pd.Series(xm, dtype="Int64").mask(~extra).to_numpy(),
                                  "extra_cost": np.where(extra, xc, np.nan)}))
    return pd.concat(rows).sort_values(["county_id", "year"], kind="stable").reset_index(drop=True)


def draw_history(rng, counties: pd.DataFrame, quota: dict, window: int, o: GenerateOptions) -> pd.DataFrame:
    """Land approved and supplied in the ``window`` years before the horizon; below 60% supplied where the county is
    restricted for slow disposal, above 65% elsewhere (the rate of each year within ±5% of the county's)."""
    n = o.counties
    per_county = sum(quota.values()) / o.years / n * 100  # hundredths a year
    scale = log_uniform(rng, 0.5, 2.0, n) * per_county
    rate = np.where(counties.attrs["slow"], rng.uniform(0.35, 0.55, n), rng.uniform(0.65, 0.95, n))
    rows = []
    for y in range(o.year_list[0] - window, o.year_list[0]):
        approved = np.round(scale * rng.uniform(0.7, 1.3, n)).astype(np.int64)
        supplied = np.round(approved * rate * rng.uniform(0.95, 1.05, n)).astype(np.int64)
        rows.append(pd.DataFrame({"county_id": counties["county_id"].to_numpy(), "year": y, "approved": approved,
                                  "supplied": supplied}))
    return pd.concat(rows).sort_values(["county_id", "year"], kind="stable").reset_index(drop=True)


def draw_standalone(rng, projects: pd.DataFrame, phases: pd.DataFrame, o: GenerateOptions) -> dict:
    """``standalone_site`` for half the provincial key projects; the provincial reserve ({year: ha}) for the others:
    50-100% of their area over the horizon, spread evenly."""
    provincial = np.flatnonzero(projects["key_level"].to_numpy() == "provincial")
    standalone = pick(rng, len(projects), STANDALONE_SHARE, provincial)
    projects["standalone_site"] = standalone
    others = projects.loc[(projects["key_level"] == "provincial") & ~standalone & projects["ready"], "area"].sum()
    per_year = others / 100 / o.years * rng.uniform(0.5, 1.0)
    return {y: round(float(per_year), 1) for y in o.year_list}
