"""``generate_scenario``: realistic synthetic scenarios of any size, for tests and benchmarks.

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
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..report.write import swap_into_place, check_target, clean_stale, make_temp, sha256

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

FIRST_CHARS = ("平安正元新永长清高临石金玉青白龙凤云松宝丰兴德昌宁广建怀灵深武文东西南北"
               "大太泰嘉庆福祥和仁信靖宣晋汉秦隆承遵宽成恒鹿栾藁赞辛赵")
FIRST_PINYIN = ("ping an zheng yuan xin yong chang qing gao lin shi jin yu qing bai long feng yun song bao "
                "feng xing de chang ning guang jian huai ling shen wu wen dong xi nan bei da tai tai jia qing "
                "fu xiang he ren xin jing xuan jin han qin long cheng zun kuan cheng heng lu luan gao zan xin zhao").split()
SECOND_CHARS = "山阳城河江泉水乐安宁丰州平和兴华德康泰源原川溪湖津峰岭台桥林泽定远化寿阜邑田庄集口关峪陵谷坪沟营堡店镇港浦塘滨湾"
SECOND_PINYIN = ("shan yang cheng he jiang quan shui le an ning feng zhou ping he xing hua de kang tai yuan yuan "
                 "chuan xi hu jin feng ling tai qiao lin ze ding yuan hua shou fu yi tian zhuang ji kou guan yu ling "
                 "gu ping gou ying bao dian zhen gang pu tang bin wan").split()
SUFFIXES, SUFFIX_SHARES = ("县", "市", "区"), (0.7, 0.15, 0.15)

ZONES = ("经开区", "高新区", "工业园区", "产业新城", "循环经济园区")
NAMES = {
    "industry": ("新能源装备", "生物医药", "电子信息", "新材料", "智能制造", "汽车零部件", "食品加工", "纺织服装",
                 "精细化工", "装备制造", "光伏组件", "锂电池材料", "医疗器械", "绿色建材", "高端铸造"),
    "infrastructure": ("城区环路改建工程", "污水处理厂提标扩建工程", "220千伏变电站工程", "集中供热管网工程",
                       "城乡供水一体化工程", "天然气门站及管网工程", "七通一平基础设施工程", "垃圾转运站及配套工程"),
    "livelihood": ("县医院新院区工程", "第二中学新建工程", "公办幼儿园新建工程", "残疾人康复中心", "养老服务中心",
                   "妇幼保健院迁建工程", "全民健身中心"),
    "commerce": ("商贸物流园", "特色商业街区", "农产品批发市场升级项目", "电商产业园", "汽车商贸城"),
    "tourism": ("文旅小镇", "景区游客服务中心", "研学实践基地", "非遗文化园", "康养旅游度假区"),
    "housing": ("保障性租赁住房项目", "棚户区改造安置房项目", "人才公寓项目"),
    "other": ("农业科技示范园", "殡仪馆迁建项目", "消防救援站", "应急物资储备库"),
}
INDUSTRY_KINDS = ("产业园", "项目", "产业化基地", "扩建项目", "生产基地")


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


def generate_scenario(out: str | Path, counties: int = 14, projects: int = 300, years: int = 3, *,
                      seed: int = 0, force: bool = False, **options) -> Path:
    """Write a synthetic scenario folder to ``out``, whole or not at all, and return its path.

    ``options`` are the other fields of ``GenerateOptions`` (``phased``, ``urgent``, ``key``,
    ``not_ready``, ``dependencies``, ``locks``, ``parcels_per_county``, ``first_year``...).
    ``out`` must not exist unless ``force``; it is then replaced once the new folder is complete, and only
    if it is a folder ``quota generate`` wrote (checked before drawing, and again before the rename).
    """
    opts = GenerateOptions(counties=counties, projects=projects, years=years, seed=seed, **options)
    check_target(out, force, "scenario")
    files = render_files(draw_scenario(opts), opts)
    return write_folder(Path(out), files, force)


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


def draw_names(rng: np.random.Generator, n: int) -> tuple[list[str], list[str]]:
    """``n`` unique county names (two or three syllables + 县/市/区) and ASCII pinyin ids."""
    first = list(zip(FIRST_CHARS, FIRST_PINYIN))
    second = list(zip(SECOND_CHARS, SECOND_PINYIN))
    pairs = [(a + b, pa + pb) for a, pa in first for b, pb in second if a != b]
    pool = [pairs[i] for i in rng.permutation(len(pairs))]
    if n > len(pool):  # beyond a few thousand counties: three syllables
        triples = [(a + b + c, pa + pb + pc) for a, pa in first for b, pb in first for c, pc in second
                   if a != b and b != c]
        pool += [triples[i] for i in rng.permutation(len(triples))]
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} counties can be named; {n} were asked for.")
    suffix = rng.choice(len(SUFFIXES), size=n, p=SUFFIX_SHARES)
    names, ids, seen = [], [], {}
    for (han, pinyin), k in zip(pool[:n], suffix):
        names.append(han + SUFFIXES[k])
        seen[pinyin] = seen.get(pinyin, 0) + 1
        ids.append(pinyin if seen[pinyin] == 1 else f"{pinyin}{seen[pinyin]}")
    return names, ids


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
    p = pd.DataFrame({
        "project_id": [f"P{i + 1:0{width}d}" for i in range(n)],
        "name": draw_project_names(rng, counties["name"].to_numpy()[county], cat),
        "county_id": counties["county_id"].to_numpy()[county], "category": [CATEGORIES[k] for k in cat],
        "area": area, "farmland_area": farmland, "earliest_year": earliest, **intensity,
        "urgent": pick(rng, n, o.urgent), "ready": ~pick(rng, n, o.not_ready), "key_level": levels,
        "lock": "", "stock_ok": pick(rng, n, o.stock_ok),
    })
    p.attrs.update(county=county, phased=phased)
    return p


def draw_project_names(rng: np.random.Generator, county_names: np.ndarray, cat: np.ndarray) -> list[str]:
    n = len(cat)
    zone, word, kind = rng.integers(0, 1 << 30, size=(3, n))
    out = []
    for c, k, z, w, d in zip(county_names, cat, zone, word, kind):
        place = c[:-1] if len(c) > 2 else c
        words = NAMES[CATEGORIES[k]]
        if CATEGORIES[k] == "industry":
            out.append(f"{place}{ZONES[z % len(ZONES)]}{words[w % len(words)]}{INDUSTRY_KINDS[d % len(INDUSTRY_KINDS)]}")
        else:
            out.append(f"{place}{words[w % len(words)]}")
    return out


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


# ----------------------------------------------------------- rendering ----

def ha(values) -> list[str]:
    """Hundredths of a hectare as exact two-decimal text."""
    return [f"{int(v) // 100}.{int(v) % 100:02d}" for v in values]


def render_files(d: dict, o: GenerateOptions) -> dict[str, str]:
    """The folder's files as text: scenario.yaml, README.md and the CSV tables."""
    c, p, ph = d["counties"].copy(), d["projects"].copy(), d["phases"].copy()
    for col in ("unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed",
                "idle_disposed", "usable_stock", "overplan"):
        c[col] = ha(c[col])
    c["cap_base"] = ["" if pd.isna(v) else ha([v])[0] for v in c["cap_base"]]
    for frame in (p, ph):
        frame["area"], frame["farmland_area"] = ha(frame["area"]), ha(frame["farmland_area"])
    for col in ("urgent", "ready", "stock_ok"):
        p[col] = np.where(p[col], "true", "false")
    files = {"scenario.yaml": render_yaml(d, o), "README.md": render_readme(d, o),
             "counties.csv": c.to_csv(index=False), "projects.csv": p.to_csv(index=False)}
    if len(ph):
        files["phases.csv"] = ph.to_csv(index=False)
    if len(d["dependencies"]):
        files["dependencies.csv"] = d["dependencies"].to_csv(index=False)
    if d["idle_parcels"] is not None:
        parcels = d["idle_parcels"].copy()
        parcels["area"] = ha(parcels["area"])
        files["idle_parcels.csv"] = parcels.to_csv(index=False)
    return files


def render_yaml(d: dict, o: GenerateOptions) -> str:
    def years_map(m: dict) -> str:
        return "{" + ", ".join(f"{y}: {v:.1f}" for y, v in m.items()) + "}"

    tables = ", ".join(f"{name}: {name}.csv" for name in ("counties", "projects", "phases", "dependencies", "idle_parcels")
                       if name in ("counties", "projects") or (d[name] is not None and len(d[name])))
    span = f"{o.year_list[0]}—{o.year_list[-1]}"
    params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in asdict(o).items())
    lines = [
        "# 合成数据 SYNTHETIC DATA generated by `quota generate` — not official figures.",
        f"name: {json.dumps(f'合成情景 {o.counties} 县 {o.projects} 项目 {span}(seed {o.seed}, synthetic)', ensure_ascii=False)}",
        f"description: {json.dumps(f'generated by quota generate ({params})', ensure_ascii=False)}",
        f"lang: {o.lang}", "unit: ha", f"years: [{', '.join(map(str, o.year_list))}]",
        f"quota: {years_map(d['quota'])}", f"farmland_quota: {years_map(d['farmland_quota'])}",
        "carry_over: 0.0", "advance: {max_share: 0.5, cost: 0.05, last_year: false}",
        "phasing: {min_gap: 1, commit: all}", "delay_discount: 0.9", "scoring:",
        "  weights: {investment_intensity: 1.0, tax_intensity: 1.0, jobs_intensity: 0.5}",
        "  urgent_bonus: 0.5", "  key_bonus: {none: 0.0, city: 0.3, provincial: 0.5, national: 0.5}",
        "linkage: {penalty: 1.0, bonus: 0.10, cut: 0.20, restrict_below: 0.15, restrict_on_overplan: true,",
        "          exempt_categories: [livelihood, infrastructure], stock_credit: 0.1}",
        "key_projects_outside_budget: true",
    ]
    if d["idle_parcels"] is not None:
        lines.append(f"idle_land: {{assessment_date: {assessment_date(o).isoformat()}}}")
    lines.append(f"tables: {{{tables}}}")
    return "\n".join(lines) + "\n"


def render_readme(d: dict, o: GenerateOptions) -> str:
    c, p = d["counties"], d["projects"]
    n_key = p["key_level"].value_counts()
    n_alt = d["phases"].loc[d["phases"]["plan"] == "B", "project_id"].nunique()
    facts = [
        f"- {o.counties} counties, {o.projects} projects, years {o.year_list[0]}–{o.year_list[-1]}, seed {o.seed}.",
        f"- City quota {', '.join(f'{v:.1f}' for v in d['quota'].values())} ha; ready in-budget demand in the horizon "
        f"is {o.demand_ratio:g}× its sum.",
        f"- Counties restricted (限批) for slow disposal: {int(c.attrs['slow'].sum())}, for over-plan use: "
        f"{int(c.attrs['overplan'].sum())}; both disposal tasks met: {int(c.attrs['met'].sum())}; "
        f"with `cap_base`: {int(c['cap_base'].notna().sum())}.",
        f"- Phased: {p['project_id'].isin(d['phases']['project_id']).sum()} projects "
        f"({n_alt} with plans A and B); "
        f"urgent {int(p['urgent'].sum())}; not ready {int((~p['ready']).sum())}; key "
        + ", ".join(f"{k} {int(n_key.get(k, 0))}" for k in ("city", "provincial", "national")) + ".",
        f"- Dependencies {len(d['dependencies'])}; locks in {int((p['lock'] == 'in').sum())}, out {int((p['lock'] == 'out').sum())}; "
        f"idle parcels {0 if d['idle_parcels'] is None else len(d['idle_parcels'])}.",
    ]
    return ("# Synthetic scenario (合成数据)\n\n"
            "> **SYNTHETIC DATA — not official figures.** Generated by `quota generate`; every number is drawn at\n"
            "> random within the magnitudes of the policy brief. County and project names are invented.\n\n"
            + "\n".join(facts) + "\n")


def write_folder(out: Path, files: dict[str, str], force: bool) -> Path:
    """Write ``files`` and a manifest.json (``kind: scenario``, the file hashes; no time, so the same seed gives
    the same files) into a temporary folder beside ``out``, then rename it into place. ``--force`` replaces
    only a folder ``quota generate`` wrote (quota.report.write.check_target)."""
    out = check_target(out, force, "scenario")
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out.parent)
    tmp = make_temp(out)
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")
        manifest = {"kind": "scenario", "generator": "quota generate", "synthetic": True,
                    "outputs": {name: sha256(tmp / name) for name in sorted(files)}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        check_target(out, force, "scenario")  # again: another process may have written there meanwhile
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
