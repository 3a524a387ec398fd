"""The data of a synthetic scenario: ``draw_scenario(GenerateOptions)`` draws every table for ``quota generate``.

Every number is drawn from a seeded ``numpy`` generator, so one seed gives the
same files byte for byte. Magnitudes follow the policy brief: a county's
批而未供 stock of 10²–10³ ha with idle land about a third of it; projects of
3–35 ha (industry), large ones of 40–400 ha in 2–4 phases; and a scarce city
quota, set so that the ready in-budget demand of the horizon is
``demand_ratio`` (default 1.8) times the sum of the quota.

The scenario exhibits what the model must handle: restricted counties (slow
disposal, or over-plan use last year), disposal tasks met and missed, county
caps, phased projects with two alternative plans, urgent and key projects,
projects that are not ready, acyclic dependencies inside a county, rare locks
(``lock: in`` only where it is sure to be valid and feasible), and idle parcels
whose areas add up to each listing county's ``idle_stock``. Areas are held in
whole hundredths of a hectare, so phase areas add up exactly.

``quota.commands.generate`` renders the tables as text and writes the folder; ``quota.commands.generate_names``
invents the county and project names.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .generate_names import draw_names, draw_project_names

CATEGORIES = ("industry", "infrastructure", "livelihood", "commerce", "tourism", "housing", "other")
CATEGORY_SHARES = (0.42, 0.15, 0.12, 0.09, 0.08, 0.08, 0.06)
# category -> area range (ha), investment, tax (万元 per ha) and jobs per ha, each (low, high)
PROFILES = {
    "industry": ((3, 35), (500, 1600), (30, 160), (15, 90)),
    "infrastructure": ((3, 30), (300, 600), (5, 30), (2, 10)),
    "livelihood": ((2, 15), (350, 650), (5, 25), (8, 40)),
    "commerce": ((3, 20), (600, 1200), (50, 130), (20, 80)),
    "tourism": ((5, 50), (500, 950), (40, 100), (10, 40)),
    "housing": ((4, 20), (600, 1100), (40, 90), (2, 15)),
    "other": ((2, 10), (350, 600), (15, 40), (5, 20)),
}
PHASED_AREA = (40, 400)  # ha: a large project, built in 2 to 4 phases
PHASED_SHARES = (0.6, 0.15, 0.0, 0.1, 0.15, 0.0, 0.0)  # industrial parks, infrastructure, commerce, tourism towns
KEY_LEVEL_SHARES = {"city": 0.6, "provincial": 0.28, "national": 0.12}

@dataclass(frozen=True)
class GenerateOptions:
    """What to generate. Shares are of projects (or, for ``restricted``, ``cap_share``,
    ``tasks_met`` and ``parcel_share``, of counties); each is drawn as an exact count."""

    counties: int = 14
    projects: int = 300
    years: int = 3
    first_year: int = 2023
    seed: int = 0
    phased: float = 0.1  # large projects in 2-4 phases
    alt_plans: float = 0.4  # of the phased ones: a second, alternative plan
    urgent: float = 0.1
    key: float = 0.05  # city / provincial / national in 60 / 28 / 12
    not_ready: float = 0.05
    stock_ok: float = 0.3
    dependencies: float = 0.03  # projects that require an earlier project of their county
    locks: float = 0.01  # half lock: in (only where valid and feasible), half lock: out
    restricted: float = 0.15  # counties under 限批: half by slow disposal, half by over-plan use
    tasks_met: float = 0.4  # of the other counties: both disposal tasks met
    cap_share: float = 0.7  # counties with a cap_base
    stock_min: float = 100.0  # county 批而未供 stock, ha, log-uniform between min and max
    stock_max: float = 1000.0
    idle_ratio: float = 0.33  # idle stock as a share of 批而未供 (about a third)
    parcels_per_county: int = 4
    parcel_share: float = 0.3  # counties that list their idle parcels
    demand_ratio: float = 1.8  # ready in-budget demand over the sum of quota
    lang: str = "zh"
    rules: str | None = None  # a rule set (RULES.md): its data drawn by quota.commands.generate_rules
    spatial: bool = False  # synthetic geometry and a spatial: block (quota.commands.generate_spatial)

    def __post_init__(self):
        if self.counties < 1 or self.projects < 1 or self.years < 1:
            raise ValueError("counties, projects and years must each be at least 1.")
        for name in ("phased", "alt_plans", "urgent", "key", "not_ready", "stock_ok", "dependencies", "locks",
                     "restricted", "tasks_met", "cap_share", "parcel_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} is a share and must lie in [0, 1]; it is {getattr(self, name)!r}.")
        if not 0 < self.stock_min <= self.stock_max or self.demand_ratio <= 0 or self.parcels_per_county < 0:
            raise ValueError("need 0 < stock_min <= stock_max, demand_ratio > 0 and parcels_per_county >= 0.")

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


# ------------------------------------------------------------- drawing ----

def draw_scenario(opts: GenerateOptions) -> dict:
    """All tables (areas in hundredths of a hectare, as int64) and the yaml values, from one seed."""
    rng = np.random.default_rng(opts.seed)
    counties = draw_counties(rng, opts)
    projects = draw_projects(rng, counties, opts)
    phases = draw_phases(rng, projects, opts)
    deps = draw_dependencies(rng, projects, opts)
    quota, farmland = draw_quota(projects, phases, opts)
    draw_caps(rng, counties, projects, phases, quota, opts)
    draw_locks(rng, counties, projects, phases, deps, quota, farmland, opts)
    parcels = draw_parcels(rng, counties, opts)
    return {"counties": counties, "projects": projects, "phases": phases, "dependencies": deps,
            "idle_parcels": parcels, "quota": quota, "farmland_quota": farmland}


def pick(rng: np.random.Generator, n: int, share: float, among: np.ndarray | None = None,
         of: int | None = None) -> np.ndarray:
    """A boolean mask of length ``n`` with round(share·of) true entries (``of`` defaults to
    len(among), and the count to at most that) drawn from ``among`` (default: all)."""
    among = np.arange(n) if among is None else among
    count = min(int(round(share * (len(among) if of is None else of))), len(among))
    mask = np.zeros(n, dtype=bool)
    mask[rng.choice(among, size=count, replace=False)] = True
    return mask


def log_uniform(rng: np.random.Generator, lo, hi, size=None):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def draw_counties(rng: np.random.Generator, o: GenerateOptions) -> pd.DataFrame:
    """Stocks, disposal tasks and results, usable stock and over-plan use (hundredths of ha)."""
    n = o.counties
    names, ids = draw_names(rng, n)
    c = pd.DataFrame({"county_id": ids, "name": names})
    U = np.round(log_uniform(rng, o.stock_min, o.stock_max, n) * 100).astype(np.int64)
    I = np.round(U * rng.uniform(0.75, 1.25, n) * o.idle_ratio).astype(np.int64)
    TU, TI = (np.round(x * rng.uniform(0.25, 0.4, n)).astype(np.int64) for x in (U, I))
    order = rng.permutation(n)
    n_restricted = int(round(o.restricted * n))
    slow = np.zeros(n, dtype=bool)
    slow[order[:(n_restricted + 1) // 2]] = True  # 限批 for a disposal rate below 15%
    overplan = np.zeros(n, dtype=bool)
    overplan[order[(n_restricted + 1) // 2:n_restricted]] = True  # 限批 for over-plan use
    met = pick(rng, n, o.tasks_met, np.flatnonzero(~slow))
    # met: 100-125% of each task, a few exactly on it; missed: 75-98% of the unsupplied task and
    # 75-110% of the idle one. Tasks are 25-40% of stock, so the disposal rate stays above 18%.
    DU = np.round(TU * np.where(met, rng.uniform(1.0, 1.25, n), rng.uniform(0.75, 0.98, n))).astype(np.int64)
    DI = np.round(TI * np.where(met, rng.uniform(1.0, 1.25, n), rng.uniform(0.75, 1.1, n))).astype(np.int64)
    exact = met & (rng.random(n) < 0.15)
    DU[exact] = TU[exact]
    both = ~met & (DU >= TU) & (DI >= TI)  # rounding met both: a missed county must miss one
    DI[both] = np.maximum(TI[both] - 1, 0)
    rate = rng.uniform(0.03, 0.12, n)  # slow disposal
    DU[slow] = np.round(U * rate * 0.7)[slow]
    DI[slow] = np.round(I * rate * 0.3)[slow]
    c["unsupplied_stock"], c["idle_stock"] = U, I
    c["unsupplied_task"], c["idle_task"] = TU, TI
    c["unsupplied_disposed"], c["idle_disposed"] = DU, DI
    usable = np.round(U * rng.uniform(0.03, 0.15, n)).astype(np.int64)
    c["usable_stock"] = np.where(rng.random(n) < 0.1, 0, usable)
    c["overplan"] = np.where(overplan, np.round(rng.uniform(2, 15, n) * 100), 0).astype(np.int64)
    c["cap_base"] = pd.array([pd.NA] * n, dtype="Int64")  # set by draw_caps once demand is known
    c.attrs.update(slow=slow, overplan=overplan, met=met)
    return c


def draw_projects(rng: np.random.Generator, counties: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame:
    """Projects, numbered county by county so that "lower-numbered, same county" is a simple test."""
    n = o.projects
    weights = rng.lognormal(0.0, 0.5, o.counties)
    county = np.sort(rng.choice(o.counties, size=n, p=weights / weights.sum()))
    cat = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_SHARES)
    phased = pick(rng, n, o.phased)
    cat[phased] = rng.choice(len(CATEGORIES), size=int(phased.sum()), p=PHASED_SHARES)  # parks, zones, towns
    lo = np.array([PROFILES[CATEGORIES[k]][0][0] for k in cat], dtype=float)
    hi = np.array([PROFILES[CATEGORIES[k]][0][1] for k in cat], dtype=float)
    area_ha = np.where(phased, log_uniform(rng, *PHASED_AREA, n), log_uniform(rng, lo, hi))
    area = np.maximum(np.round(area_ha * 100), 1).astype(np.int64)
    farmland = np.where(rng.random(n) < 0.25, 0, np.floor(area * rng.uniform(0, 0.6, n))).astype(np.int64)
    ys = o.year_list
    u = rng.random(n)
    earliest = np.where(u < 0.08, ys[0] - 1, np.where(u > 0.95, ys[-1] + 1, rng.choice(ys, size=n)))
    intensity = {}
    for j, col in enumerate(("investment", "annual_tax", "jobs"), start=1):
        lo_i = np.array([PROFILES[CATEGORIES[k]][j][0] for k in cat], dtype=float)
        hi_i = np.array([PROFILES[CATEGORIES[k]][j][1] for k in cat], dtype=float)
        intensity[col] = np.maximum(np.round(area / 100 * rng.uniform(lo_i, hi_i)), 1).astype(np.int64)
    key = pick(rng, n, o.key)
    levels = np.array(["none"] * n, dtype=object)
    levels[key] = rng.choice(list(KEY_LEVEL_SHARES), size=int(key.sum()), p=list(KEY_LEVEL_SHARES.values()))
    width = len(str(n))
    categories = [CATEGORIES[k] for k in cat]
    p = pd.DataFrame({
        "project_id": [f"P{i + 1:0{width}d}" for i in range(n)],
        "name": draw_project_names(rng, counties["name"].to_numpy()[county], categories),
        "county_id": counties["county_id"].to_numpy()[county], "category": categories,
        "area": area, "farmland_area": farmland, "earliest_year": earliest, **intensity,
        "urgent": pick(rng, n, o.urgent), "ready": ~pick(rng, n, o.not_ready), "key_level": levels,
        "lock": "", "stock_ok": pick(rng, n, o.stock_ok),
    })
    p.attrs.update(county=county, phased=phased)
    return p


def split(rng: np.random.Generator, total: int, k: int) -> list[int]:
    """Split ``total`` hundredths into ``k`` positive parts, each at least half an equal share."""
    shares = 0.5 / k + 0.5 * rng.dirichlet(np.full(k, 4.0))
    parts = [int(total * s) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def draw_phases(rng: np.random.Generator, projects: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame:
    """Plans of the phased projects: plan A, and for some a plan B with another number of phases.
    Provincial and national key projects keep one plan (they are placed by the higher level)."""
    rows = []
    phased = np.flatnonzero(projects.attrs["phased"])
    higher = projects["key_level"].isin(("provincial", "national")).to_numpy()
    alt = pick(rng, len(projects), o.alt_plans, phased[~higher[phased]])
    # columns as arrays: a row taken with .iloc would deep-copy the frame's attrs (two arrays as long as the table)
    ids, areas_of, farms_of, years_of = (projects[c].to_numpy() for c in ("project_id", "area", "farmland_area", "earliest_year"))
    for i in phased:
        pid, area, farm, e = ids[i], areas_of[i], farms_of[i], years_of[i]
        k_a = int(rng.choice([2, 3, 4], p=[0.5, 0.35, 0.15]))
        plans = [("A", k_a)] + ([("B", int(rng.choice([k for k in (2, 3, 4) if k != k_a])))] if alt[i] else [])
        for plan, k in plans:
            areas = split(rng, int(area), k)
            farms = [int(farm) * a // int(area) for a in areas[:-1]]
            farms.append(min(int(farm) - sum(farms), areas[-1]))
            year = int(e)
            for j, (a, f) in enumerate(zip(areas, farms), start=1):
                rows.append((pid, plan, j, a, f, year))
                year += int(rng.choice([1, 2], p=[0.7, 0.3]))
    return pd.DataFrame(rows, columns=["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"])


def draw_dependencies(rng: np.random.Generator, projects: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame:
    """Each dependent requires one lower-numbered project of its county (so there is no cycle);
    half of them the nearest earlier infrastructure project there, if any (七通一平 first)."""
    county = projects.attrs["county"]
    idx = np.arange(len(projects))
    start = np.searchsorted(county, county, side="left")  # first project of each project's county
    dependent = pick(rng, len(projects), o.dependencies, idx[idx > start], of=len(projects))
    infra = np.where(projects["category"].to_numpy() == "infrastructure", idx, -1)
    last_infra = np.maximum.accumulate(np.concatenate([[-1], infra[:-1]]))  # nearest earlier infrastructure
    req = start + np.floor(rng.random(len(idx)) * (idx - start)).astype(np.int64)
    prefer = (rng.random(len(idx)) < 0.5) & (last_infra >= start)
    req = np.where(prefer, last_infra, req)
    ids = projects["project_id"].to_numpy()
    return pd.DataFrame({"project_id": ids[dependent], "requires": ids[req[dependent]]})


def in_budget_phases(projects: pd.DataFrame, phases: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame:
    """Plan A (or the whole project) of every ready project outside the higher level, phases in the horizon."""
    unphased = projects[~projects["project_id"].isin(phases["project_id"])]
    rows = pd.concat([phases[phases["plan"] == "A"], unphased.assign(plan="", phase=1)[phases.columns]])
    p = projects.set_index("project_id")
    keep = p["ready"] & ~p["key_level"].isin(("provincial", "national")) & (p["lock"] != "out")
    rows = rows[rows["project_id"].map(keep) & (rows["earliest_year"] <= o.year_list[-1])]
    return rows.assign(county_id=rows["project_id"].map(p["county_id"]))


def draw_quota(projects: pd.DataFrame, phases: pd.DataFrame, o: GenerateOptions) -> tuple[dict, dict]:
    """City quota: the horizon's in-budget demand over ``demand_ratio``, growing 3% a year;
    farmland quota: the same share of quota as farmland is of demand, plus 10%."""
    rows = in_budget_phases(projects, phases, o)
    demand, farm = rows["area"].sum() / 100, rows["farmland_area"].sum() / 100
    growth = 1.03 ** np.arange(o.years)
    quota = np.maximum(demand / o.demand_ratio, 1.0) * growth / growth.sum()
    farm_share = min(1.0, 1.1 * farm / demand) if demand > 0 else 0.35
    q = {y: round(float(v), 1) for y, v in zip(o.year_list, quota)}
    return q, {y: round(v * farm_share, 1) for y, v in q.items()}


def draw_caps(rng, counties, projects, phases, quota, o: GenerateOptions) -> None:
    """cap_base for ``cap_share`` of the counties: 0.8-1.5 times their fair share of the yearly quota."""
    demand = in_budget_phases(projects, phases, o).groupby("county_id")["area"].sum()
    share = counties["county_id"].map(demand).fillna(0).to_numpy() / max(demand.sum(), 1)  # no demand: no share
    per_year = sum(quota.values()) / o.years
    cap = np.maximum(share * per_year * rng.uniform(0.8, 1.5, o.counties), rng.uniform(3, 10, o.counties))
    has = pick(rng, o.counties, o.cap_share)
    counties["cap_base"] = pd.array(np.where(has, np.round(cap * 100), np.nan), dtype="Int64")


def draw_locks(rng, counties, projects, phases, deps, quota, farmland, o: GenerateOptions) -> None:
    """Half of ``locks`` are ``out`` (any project); half ``in``, but only where the lock is valid and
    cannot make the model infeasible: a ready, unphased, unrestricted project that requires nothing,
    can start in the horizon, and fits, with the other locked ones, into the last year's quota,
    farmland quota and county cap (at most a fifth of each)."""
    n_locks = int(round(o.locks * len(projects)))
    if n_locks == 0:
        return
    c = counties.set_index("county_id")
    a = counties.attrs
    restricted = pd.Series(a["slow"] | a["overplan"], index=c.index)
    mult = np.where(a["met"], 1.1, 0.8)
    cap = pd.Series(c["cap_base"].astype(float).to_numpy() * mult, index=c.index)
    if o.years == 1:
        cap = (cap - c["overplan"]).clip(lower=0)
    p = projects
    ok = (p["ready"] & p["key_level"].isin(("none", "city")) & ~p["project_id"].isin(phases["project_id"])
          & ~p["project_id"].isin(deps["project_id"]) & (p["earliest_year"] <= o.year_list[-1])
          & ~p["county_id"].map(restricted)).to_numpy()
    room_q, room_f = quota[o.year_list[-1]] * 20, farmland[o.year_list[-1]] * 20  # a fifth, ha -> hundredths
    room_c = (cap * 0.2).to_dict()  # cap_base is already in hundredths
    locked_in = []
    areas, farms, county_ids = (p[col].to_numpy() for col in ("area", "farmland_area", "county_id"))  # not .at: see draw_phases
    for i in rng.permutation(np.flatnonzero(ok)):
        if len(locked_in) >= n_locks // 2:
            break
        a, f, cid = areas[i], farms[i], county_ids[i]
        if a <= room_q and f <= room_f and not room_c[cid] < a:  # NaN cap: no cap
            locked_in.append(i)
            room_q, room_f = room_q - a, room_f - f
            room_c[cid] = room_c[cid] - a
    p.loc[locked_in, "lock"] = "in"
    rest = np.flatnonzero(p["lock"].to_numpy() == "")
    p.loc[rng.choice(rest, size=min(n_locks - len(locked_in), len(rest)), replace=False), "lock"] = "out"


def draw_parcels(rng: np.random.Generator, counties: pd.DataFrame, o: GenerateOptions) -> pd.DataFrame | None:
    """Idle parcels of ``parcel_share`` of the counties, splitting each one's idle_stock exactly.
    Agreed starts fall up to 4.5 years before the assessment date, a few exactly one or two years
    before it; some parcels started late, and about a fifth were idled by the government."""
    k = o.parcels_per_county
    listing = np.flatnonzero(pick(rng, o.counties, o.parcel_share) & (counties["idle_stock"] >= 2 * k).to_numpy())
    if k == 0 or len(listing) == 0:
        return None
    assessed = assessment_date(o)
    rows = []
    stock, county_ids = counties["idle_stock"].to_numpy(), counties["county_id"].to_numpy()  # not .at: see draw_phases
    for ci in listing:
        for a in split(rng, int(stock[ci]), k):
            u = rng.random()
            if u < 0.1:
                start = assessed.replace(year=assessed.year - (1 if u < 0.05 else 2))
            else:
                start = assessed - dt.timedelta(days=int(rng.integers(30, 1640)))
            late = rng.random() < 0.15 and (assessed - start).days > 60
            actual = start + dt.timedelta(days=int(rng.integers(30, (assessed - start).days))) if late else ""
            rows.append((county_ids[ci], a, start, int(round(a / 100 * rng.uniform(250, 700))),
                         "government" if rng.random() < 0.2 else "enterprise", actual))
    out = pd.DataFrame(rows, columns=["county_id", "area", "agreed_start", "grant_price", "cause", "actual_start"])
    width = len(str(len(out)))
    out.insert(0, "parcel_id", [f"IP{i + 1:0{width}d}" for i in range(len(out))])
    return out


def assessment_date(o: GenerateOptions) -> dt.date:
    return dt.date(o.first_year, 6, 30)
