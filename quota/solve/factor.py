"""The factor method (因素法): the practice the optimiser replaces, computed as a baseline.

    Scenario ──build──▶ QuotaModel (cells, scores, linkage) ──allocate_by_factors──▶ Solution
       ──evaluate / reasons / verify (quota.pipeline.factor_scenario)──▶ RunResult (method "factor")
       ──write──▶ the same run folder

A bureau splits the city quota among counties by a weighted formula in a spreadsheet, then each
county picks its projects. Here, step by step (``factor:`` in scenario.yaml sets the weights):

1. **Factors.** Per county: ``disposal`` = stock disposed in the assessment period
   (``unsupplied_disposed + idle_disposed``); ``demand`` = the area of its candidate projects;
   ``investment`` = their investment. Candidates are the ready, in-budget projects that may take
   new quota (in a restricted county (限批) only exempt ones). Each factor is normalised to shares
   that add up to 1 over the counties; a county's share is the weighted mean of its factor shares
   (a factor that is zero everywhere drops out). Default weights: 1, 1, 1.
2. **Linkage.** Each share is multiplied by the county's cap multiplier (+10% when both disposal
   tasks are met, −20% otherwise, 增存挂钩); only if that gives out more than the whole quota are the
   shares scaled back to add up to 1. What the cuts withhold stays with the city.
3. **Locked-in projects** (``lock: in``), and the projects they require, are placed first, at
   their earliest feasible years, and their new quota is taken off the top before the split (预留).
4. **County allowance** in year y: share × (quota − reserved), never above the county cap
   (``cap_base`` × multiplier, less over-plan use in the first year).
5. **Greedy choice.** Year by year, each county takes its candidates in decreasing ``w_p`` (value
   per hectare; ties by project id) and approves each whose land fits what is left:
   - the phases of the chosen plan come whole, at their earliest feasible years with the minimum
     gap, all or nothing (every later phase whose earliest year is in the horizon must fit too; its
     land is reserved against that year's allowance). Of several plans, the one that fits with the
     greatest value;
   - ``stock_ok`` projects take county stock first, up to ``usable_stock`` (and land taken back within the
     horizon, from the year after: ``quota.input.stock_years``); a restricted county's
     non-exempt projects may take stock only;
   - a project whose required project is not yet approved waits; a project not approved in its
     earliest year is tried again the next year (deferred, its value discounted as in the model);
   - the farmland quota and the county caps hold;
   - advance quota (预支) is **not** used: the factor method has no rule for it.
6. **Unused allowance.** ``factor.unused: lapse`` (default): what a county does not use lapses at
   the end of the year, as a county's plan quota does in practice. ``pool``: after the county
   round, the city pools what is left (cuts and unused allowances) and gives it to the remaining
   projects city-wide in decreasing ``w_p`` (市级统筹). Carry-over (``carry_over``) applies to the
   city as in the model; carried quota is split by the same shares.

Higher-level key projects are placed by the higher level, as in the model. The allocation is
checked by the independent verifier like any other, and its objective is the model's objective
evaluated at it, so ``quota compare`` can set the two methods side by side.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from ..errors import Issue, QuotaError, ScenarioError, SolverError
from ..input.options import FactorOptions
from ..messages import message
from ..input.scenario import Scenario
from ..input.stock_years import stock_limits
from ..model.linkage import county_cap
from ..model.quota_model import QuotaModel
from .solution import Solution, SolveOptions

FACTORS = ("disposal", "demand", "investment")
EPS = 1e-9


# ------------------------------------------------------------- shares ----

def eval_county_shares(m: QuotaModel, opts: FactorOptions) -> pd.DataFrame:
    """Per county: each factor, its share, the weighted share, the linkage multiplier and the adjusted share."""
    s = m.scenario
    c = s.counties
    p = m.projects
    candidates = p[p["in_model"] & p["new_ok"] & p.index.isin(m.cells["project_id"])]
    out = pd.DataFrame(index=c.index)
    out["factor_disposal_ha"] = (c["unsupplied_disposed"] + c["idle_disposed"]).astype(float)
    out["factor_demand_ha"] = candidates.groupby("county_id")["area"].sum().reindex(c.index, fill_value=0.0).astype(float)
    out["factor_investment"] = candidates.groupby("county_id")["investment"].sum().reindex(c.index, fill_value=0.0).astype(float)
    weights = dict(opts.weights)
    weighted = pd.Series(0.0, index=c.index)
    total_weight = 0.0
    for f, col in zip(FACTORS, ("factor_disposal_ha", "factor_demand_ha", "factor_investment")):
        total = out[col].sum()
        out[f"factor_{f}_share"] = out[col] / total if total > 0 else 0.0
        if total > 0 and weights[f] > 0:
            weighted += weights[f] * out[f"factor_{f}_share"]
            total_weight += weights[f]
    if total_weight <= 0:
        raise QuotaError.of("error.factor.nothing")
    out["factor_share"] = weighted / total_weight
    out["factor_multiplier"] = m.linkage["cap_multiplier"].astype(float)
    adjusted = out["factor_share"] * out["factor_multiplier"]
    out["factor_share_adjusted"] = adjusted / adjusted.sum() if adjusted.sum() > 1 + EPS else adjusted
    return out


# ------------------------------------------------------------- ledger ----

@dataclass
class _Ledger:
    """What is left to give: county allowances, the city pool, caps, farmland and county stock."""

    county: dict  # (county, year) -> allowance left
    pool: dict  # year -> quota not given to any county (cuts, cap excess; unused allowances in pool mode)
    cap: dict  # (county, year) -> cap left (inf without a cap)
    farm: dict  # year -> farmland quota left (inf without one)
    stock: dict  # county -> year -> stock left to draw by that year's end (usable stock, land taken back from the next year)
    carried: dict = field(default_factory=dict)  # year -> quota carried into it
    rows: list = field(default_factory=list)  # approved cells
    first_year: dict = field(default_factory=dict)  # project -> year of phase 1
    attempts: dict = field(default_factory=dict)  # project -> (year, allowance left, land needed) at its first try

    def draw(self, phases: list[dict], county: str, use_county: bool, use_pool: bool) -> list[dict] | None:
        """The split of each phase (new, stock) if all of them fit, else None. Nothing is changed."""
        rooms = dict(self.stock.get(county, {}))
        taken: dict = {}
        out = []
        for ph in phases:
            y, a = ph["year"], ph["area"]
            s = min(a, max(0.0, min((v for t, v in rooms.items() if t >= y), default=0.0))) if ph["stock_ok"] else 0.0
            rooms = {t: v - s if t >= y else v for t, v in rooms.items()}
            n = a - s
            if n > EPS and not ph["new_ok"]:
                return None
            if n > EPS:
                share = ph["farmland"] / a
                left = (self.county[(county, y)] if use_county else 0.0) + (self.pool[y] if use_pool else 0.0)
                need = taken.get(("q", y), 0.0) + n
                if need > left + EPS or need > self.cap[(county, y)] + EPS:
                    return None
                if taken.get(("f", y), 0.0) + share * n > self.farm[y] + EPS:
                    return None
                taken[("q", y)] = need
                taken[("f", y)] = taken.get(("f", y), 0.0) + share * n
            out.append({**ph, "n": max(n, 0.0), "s": s})
        return out

    def commit(self, split: list[dict], county: str, use_county: bool) -> None:
        for ph in split:
            y, n = ph["year"], ph["n"]
            if n > 0:
                from_county = min(n, self.county[(county, y)]) if use_county else 0.0
                if use_county:
                    self.county[(county, y)] -= from_county
                self.pool[y] -= n - from_county
                self.cap[(county, y)] -= n
                self.farm[y] -= ph["farmland"] / ph["area"] * n
            self.stock[county] = {t: v - ph["s"] if t >= y else v for t, v in self.stock.get(county, {}).items()}
            self.rows.append(ph)
        self.first_year[split[0]["project_id"]] = split[0]["year"]


# ------------------------------------------------------------ schedule ----

def _plans(m: QuotaModel) -> dict[str, dict[str, pd.DataFrame]]:
    """project -> plan -> its cells (one row per phase and year), for the projects in the model. Every
    phase of the plan is there (``attrs["earliest"]``: phase -> earliest year), with or without cells."""
    out: dict = {}
    earliest = m.scenario.phases.set_index(["project_id", "plan"]).sort_values("phase")
    for (pid, plan), g in m.cells.groupby(["project_id", "plan"], sort=True):
        g = g.copy()
        g.attrs["earliest"] = dict(zip(earliest.loc[[(pid, plan)], "phase"], earliest.loc[[(pid, plan)], "earliest_year"]))
        out.setdefault(pid, {})[plan] = g
    return out


def _schedule(cells: pd.DataFrame, y1: int, s: Scenario) -> list[dict] | None:
    """The plan's phases with phase 1 in ``y1`` and each later one at its earliest feasible year;
    None when a phase the commitment binds cannot be placed within the horizon."""
    out, prev = [], None
    for k, e in sorted(cells.attrs["earliest"].items()):
        y = y1 if k == 1 else max(int(e), prev + s.phasing.min_gap)
        row = cells[(cells["phase"] == k) & (cells["year"] == y)]
        if row.empty:
            if k == 1:
                return None
            if s.phasing.commit == "all" and e <= s.last_year:
                return None  # committed, but it cannot come within the horizon
            break  # later phases fall beyond the horizon: not approved
        r = row.iloc[0]
        out.append({"project_id": r["project_id"], "plan": r["plan"], "phase": int(k), "year": int(y),
                    "county_id": r["county_id"], "area": float(r["area"]), "farmland": float(r["farmland"]),
                    "new_ok": bool(r["new_ok"]), "stock_ok": bool(r["stock_ok"]), "value": float(r["w"] * r["area"] * r["discount"])})
        prev = y
    return out


def _try(ledger: _Ledger, pid: str, plans: dict, y: int, s: Scenario, use_county: bool, use_pool: bool) -> bool:
    """Approve ``pid`` with phase 1 in ``y`` on the plan that fits with the greatest value; False if none fits."""
    best = None
    for plan, cells in plans.items():
        phases = _schedule(cells, y, s)
        if phases is None:
            continue
        county = phases[0]["county_id"]
        split = ledger.draw(phases, county, use_county, use_pool)
        if split is not None and (best is None or sum(p["value"] for p in split) > sum(p["value"] for p in best) + EPS):
            best = split
    if best is None:
        return False
    ledger.commit(best, best[0]["county_id"], use_county)
    return True


def _requirements_met(pid: str, y: int, requires: dict, ledger: _Ledger, placed: pd.Series) -> bool:
    for q in requires.get(pid, ()):
        qy = ledger.first_year.get(q)
        if qy is None and pd.notna(placed.get(q)):
            qy = placed[q]
        if qy is None or qy > y:
            return False
    return True


# ------------------------------------------------------------ allocate ----

def allocate_by_factors(m: QuotaModel, opts: FactorOptions | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The factor method's approved cells (the columns of ``Solution.decisions``), the county shares, and per
    project not approved at its first try: (year, allowance left, land its phase 1 needed)."""
    s = m.scenario
    opts = opts or s.factor
    shares = eval_county_shares(m, opts)
    adj = shares["factor_share_adjusted"]
    p = m.projects
    plans = _plans(m)
    requires = s.dependencies.groupby("project_id")["requires"].apply(list).to_dict()
    placed = p["placed_year"].where(p["placed_year"].notna() & (p["placed_year"].astype(float) <= s.last_year))
    inf = float("inf")
    ledger = _Ledger(county={}, pool={y: s.quota[y] for y in s.years},
                     cap={(c, y): (inf if county_cap(m.linkage, c, y, s.first_year) is None else county_cap(m.linkage, c, y, s.first_year))
                          for c in s.counties.index for y in s.years},
                     farm={y: (s.farmland_quota[y] if s.farmland_quota else inf) for y in s.years},
                     stock={c: row.to_dict() for c, row in stock_limits(s).iterrows()})
    order = sorted(plans, key=lambda q: (-float(p.at[q, "w"]), q))
    starts = {q: {int(y) for cells in plans[q].values() for y in cells.loc[cells["phase"] == 1, "year"]} for q in plans}
    _place_locked(ledger, _with_requirements([q for q in order if p.at[q, "lock"] == "in"], requires, plans), plans, s, requires, placed)
    for y in s.years:  # the split, after the reserve (the pool holds what is not yet given)
        base = max(0.0, ledger.pool[y])
        for c in s.counties.index:
            give = min(adj[c] * base, max(0.0, ledger.cap[(c, y)]))
            ledger.county[(c, y)] = give
            ledger.pool[y] -= give
    shares = shares.join(pd.DataFrame({f"quota_allowance_{y}": [ledger.county[(c, y)] for c in s.counties.index]
                                       for y in s.years}, index=s.counties.index))
    for i, y in enumerate(s.years):
        if i and s.carry_over > 0:
            _carry_in(ledger, s, adj, s.years[i - 1], y)
        todo = [q for q in order if q not in ledger.first_year]
        _round(ledger, todo, plans, starts, y, s, requires, placed, use_county=True, use_pool=False)
        if opts.unused == "pool":
            for c in s.counties.index:
                ledger.pool[y] += ledger.county[(c, y)]
                ledger.county[(c, y)] = 0.0
            todo = [q for q in order if q not in ledger.first_year]
            _round(ledger, todo, plans, starts, y, s, requires, placed, use_county=False, use_pool=True)
    cols = ["project_id", "plan", "phase", "year", "county_id", "area", "farmland", "x", "v", "s", "n"]
    d = pd.DataFrame(ledger.rows)
    if d.empty:
        d = pd.DataFrame(columns=cols)
    d = d.assign(x=1, v=0.0)[cols].sort_values(["project_id", "plan", "phase", "year"]).reset_index(drop=True)
    return d, shares, ledger.attempts


def _round(ledger, todo, plans, starts, y, s, requires, placed, use_county: bool, use_pool: bool) -> None:
    """Passes over the candidates in decreasing w until one approves nothing more (a project may
    wait for one it requires that a later county or pass approves in the same year)."""
    while todo:
        waiting = []
        for q in todo:
            if y not in starts[q]:
                waiting.append(q)  # its phase 1 cannot start this year
                continue
            if not _requirements_met(q, y, requires, ledger, placed) or not _try(ledger, q, plans[q], y, s, use_county, use_pool):
                if q not in ledger.attempts and use_county:
                    first = next(iter(plans[q].values()))
                    need = float(first.loc[first["phase"] == 1, "area"].iloc[0])
                    ledger.attempts[q] = (y, ledger.county[(first["county_id"].iloc[0], y)], need)
                waiting.append(q)
        if len(waiting) == len(todo):
            return
        todo = waiting


def _with_requirements(locked: list[str], requires: dict, plans: dict) -> list[str]:
    """The locked-in projects and, before each, the in-budget projects it requires (transitively)."""
    out: list[str] = []

    def visit(q):
        if q in out or q not in plans:
            return  # placed already, or not in the city budget (higher level: placed by the province)
        for r in requires.get(q, ()):
            visit(r)
        out.append(q)

    for q in locked:
        visit(q)
    return out


def _place_locked(ledger, locked, plans, s, requires, placed) -> None:
    """Locked-in projects (with what they require) first, from the city quota before the split (预留)."""
    for q in locked:
        for y in s.years:
            if _requirements_met(q, y, requires, ledger, placed) and _try(ledger, q, plans[q], y, s, use_county=False, use_pool=True):
                break
        else:
            raise SolverError.of("error.factor.lock", project=q)


def _carry_in(ledger: _Ledger, s: Scenario, adj: pd.Series, prev: int, y: int) -> None:
    """Quota carried from ``prev`` (carry_over × unused, as the model counts it), split by the same shares."""
    used = sum(r["n"] for r in ledger.rows if r["year"] == prev)
    available = s.quota[prev] + ledger.carried.get(prev, 0.0)
    carried = s.carry_over * max(0.0, available - used)
    ledger.carried[y] = carried
    for c in s.counties.index:
        give = min(adj[c] * carried, max(0.0, ledger.cap[(c, y)] - ledger.county[(c, y)]))
        ledger.county[(c, y)] += give
        carried -= give
    ledger.pool[y] += carried


# ------------------------------------------------------------- result ----

def eval_objective(m: QuotaModel, d: pd.DataFrame) -> float:
    """The model's objective at an allocation: Σ w·a·δ^t − π·(n + v) − cost·v + γ·s (hectares)."""
    s = m.scenario
    key = list(zip(d["project_id"], d["plan"], d["phase"], d["year"]))
    cells = m.cells.loc[key] if key else m.cells.iloc[:0]
    value = cells["w"].to_numpy() * d["area"].to_numpy() * cells["discount"].to_numpy()
    penalty = cells["penalty"].to_numpy() * (d["n"].to_numpy() + d["v"].to_numpy())
    return float(value.sum() - penalty.sum() - s.advance.cost * d["v"].sum() + s.linkage.stock_credit * d["s"].sum())


def refuse_rules(s: Scenario) -> None:
    """The factor method shares out the city quota only: under a provincial reserve or a ring-fence (RULES.md items 4
    and 6) it would leave those sources unused and call that the baseline, so it refuses them by name."""
    keys = [k for k, on in (("key_projects.province_reserve", bool(s.rules.key_projects.province_reserve)),
                            ("ring_fence.per_county", s.rules.ring_fence.per_county > 0)) if on]
    if keys:
        raise ScenarioError([Issue.of("scenario.not-supported.factor", s.files[0].name if s.files else "scenario.yaml", k, k, key=k)
                             for k in keys])


def factor_solution(m: QuotaModel, opts: FactorOptions | None = None) -> tuple[Solution, pd.DataFrame, dict]:
    """The factor method's allocation as a ``Solution`` (no bound, not an optimum), the county shares and the
    failed first tries (see ``allocate_by_factors``)."""
    refuse_rules(m.scenario)
    t = time.perf_counter()
    d, shares, attempts = allocate_by_factors(m, opts)
    objective = eval_objective(m, d)
    sol = Solution(status="feasible", proven_optimal=False, objective=objective, bound=None, gap=None, solver="factor",
                   solver_version="quota.factor", seconds=time.perf_counter() - t,
                   message=message("solver.factor", "en"), message_zh=message("solver.factor", "zh"),
                   decisions=d, carry=pd.Series(dtype=float), options=SolveOptions(solver="factor", gap=None))
    return sol, shares, attempts


REASON = {
    "zh": "因素法:{county}分得的 {y} 年指标已按 w 从高到低用于其他项目,剩余 {left:.2f} {u}容不下其第 1 期 {need:.2f} {u}"
          "(该县份额 {share:.1%},此后各年亦未能安排)",
    "en": "factor method: {county}'s allowance for {y} went to projects of higher w first, and the {left:.2f} {u} left could not "
          "take its phase 1 of {need:.2f} {u} (county share {share:.1%}; nor did any later year)",
}


def factor_reasons(m: QuotaModel, schedule: pd.DataFrame, shares: pd.DataFrame, attempts: dict, lang: str) -> pd.Series:
    """Rejected projects that the model's reasons call outcompeted: say that the county's allowance ran out."""
    s = m.scenario
    p = m.projects
    deps = s.dependencies.groupby("project_id")["requires"].apply(list).to_dict()
    reasons = schedule["reason"].copy()
    f, u = s.unit_factor, {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}[lang][s.unit]
    for pid, (y, left, need) in attempts.items():
        if schedule.at[pid, "status"] != "rejected" or not p.at[pid, "new_ok"]:
            continue
        if any(pd.isna(schedule.at[q, "first_year"]) for q in deps.get(pid, ())):
            continue  # waiting for a project that was never approved: the model's reason says so
        c = p.at[pid, "county_id"]
        reasons[pid] = REASON[lang].format(county=s.counties.at[c, "name"], y=y, left=left * f, need=need * f, u=u,
                                           share=shares.at[c, "factor_share_adjusted"])
    return reasons
