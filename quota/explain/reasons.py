"""A plain, specific reason for every project's status, in the report language (zh | en)."""
from __future__ import annotations

import pandas as pd

from ..report.numbers import fill, number
from ..solve.county_years import eval_county_years
from ..solve.evaluate import eval_plan_values
from ..model.families.earned import earned_mode
from ..model.quota_model import QuotaModel
from ..solve.solution import Solution
from .reasons_sources import extra_context, extra_reason, level_text, source_name, supply_columns
from .reasons_spatial import spatial_context, spatial_exclusion_reason, spatial_notes

TEXT = {
    "not_ready": {"zh": "项目未就绪(ready=否),不是真实可落地项目,不参与配置",
                  "en": "not ready (ready = false): not a real, ready project, so not eligible"},
    "lock_out": {"zh": "已锁定排除(lock=out)", "en": "locked out (lock = out)"},
    "dependency": {"zh": "所依赖的项目 {via} 被排除,本项目随之排除",
                   "en": "requires {via}, which is excluded, so this project is excluded too"},
    "higher_level": {"zh": "{level}重点项目,由上级计划指标保障,不占用市级指标;第 1 期安排在 {year} 年",
                     "en": "{level} key project, covered by higher-level quota and not charged to the city; phase 1 placed in {year}"},
    "approved": {"zh": "{year} 年按最早年份获批{plan};每公顷价值 w={w:.3f},净值 {net:.3f}/公顷;来源:{sources}",
                 "en": "approved in its earliest year {year}{plan}; value w = {w:.3f}/ha, net {net:.3f}/ha; sources: {sources}"},
    "deferred": {"zh": "推迟 {k} 年,于 {year} 年获批(最早可批 {e} 年){plan};因推迟损失价值 {lost:.2f};来源:{sources}",
                 "en": "deferred {k} year(s) to {year} (earliest {e}){plan}; value lost to the delay {lost:.2f}; sources: {sources}"},
    "partial": {"zh": "第 1 期于 {year} 年获批,规划期内获批 {m}/{K} 期{plan};其余分期超出规划期或未安排",
                "en": "phase 1 approved in {year}, {m} of {K} phases approved within the horizon{plan}; the rest fall beyond it or stay open"},
    "restricted": {"zh": "所在县({county})被限批:{cause};本项目({category})不属豁免类别,且不能使用存量用地",
                   "en": "its county ({county}) is restricted: {cause}; the project ({category}) is not exempt and cannot use stock land"},
    "restricted_stock": {"zh": "所在县({county})被限批:{cause};本项目({category})不属豁免类别,只能使用存量用地,而该县可用存量 {usable:.2f} {u} 不足以满足其 {area:.2f} {u}(或已用于净值更高的项目)",
                         "en": "its county ({county}) is restricted: {cause}; the project ({category}) is not exempt and may use only stock land, and the county's usable stock of {usable:.2f} {u} cannot cover its {area:.2f} {u} (or went to projects of higher value)"},
    "beyond_horizon": {"zh": "最早可批年份 {e} 年晚于规划期末 {last} 年", "en": "earliest year {e} is after the horizon ends in {last}"},
    "requires_unapproved": {"zh": "所依赖的项目 {q} 未在规划期内获批,本项目不能先于它安排",
                            "en": "requires {q}, which is not approved within the horizon, and cannot come before it"},
    "outcompeted": {"zh": "未获批:每公顷净值 {net:.3f}(w={w:.3f},罚金 π={pi:.3f}),面积 {area:.2f} {u}",
                    "en": "not approved: net value {net:.3f}/ha (w = {w:.3f}, penalty π = {pi:.3f}), area {area:.2f} {u}"},
    "elsewhere": {"zh": ";指标用于净值更高的项目", "en": "; the quota earns more in other projects"},
    "year_price": {"zh": "{y} 年净值 {net:.3f} 对价格 {price:.3f}", "en": "{y}: net {net:.3f} against price {price:.3f}"},
    "earned_full": {"zh": ";{county} {y} 年可用指标已用尽:{used:.1f}/{limit:.1f} {u}(基础 {base:.1f} + 处置挂钩 {earned:.1f})",
                    "en": "; earned quota of {county} used up in {y}: {used:.1f} of {limit:.1f} {u} (base {base:.1f} + earned {earned:.1f})"},
    "earned_left": {"zh": ";{county} {y} 年可用指标 {limit:.1f} {u}(基础 {base:.1f} + 处置挂钩 {earned:.1f})已用 {used:.1f},仅余 {left:.1f}",
                    "en": "; earned quota of {county} in {y}: {used:.1f} of {limit:.1f} {u} used (base {base:.1f} + earned {earned:.1f}), "
                          "{left:.1f} left"},
    "restricted_year": {"zh": ";{county} {y} 年限批({cause}){lift}", "en": "; {county} restricted (限批) in {y} ({cause}){lift}"},
    "rate_below": {"zh": "处置率 {r:.1%} < {b:.0%}", "en": "disposal rate {r:.1%} < {b:.0%}"},
    "supply_below": {"zh": "近 {w} 年供地率 {r:.1%} < {b:.0%}", "en": "supply rate of the last {w} years {r:.1%} < {b:.0%}"},
    "overplan_year": {"zh": "超计划用地", "en": "over-plan use"},
    "lifted": {"zh": ",{y} 年处置 {d:.1f} {u}后解除", "en": ", lifted in {y} after {d:.1f} {u} disposed"},
    "cap_part": {"zh": "(其中{county}的县级额度已满,占 {p:.3f})", "en": " (of which {county}'s county cap, which binds: {p:.3f})"},
    "earned_part": {"zh": "(其中{county}挣得的指标已用满,占 {p:.3f})", "en": " (of which {county}'s earned quota, used up: {p:.3f})"},
    "below_price": {"zh": "。按线性松弛的指标价格(每公顷),其净值在可用的每一年都低于价格:{years}",
                    "en": ". At the LP relaxation's price of a hectare of quota, its net value is below the price in every year it could use: {years}"},
    "does_not_fit": {"zh": "。其净值在 {y} 年高于指标价格({years}),但项目须整体获批,剩余指标容不下其全部用地(线性松弛仅能安排其 {share:.0%})",
                     "en": ". Its net value covers the price in {y} ({years}), but the project must be approved whole and its land does not fit in what is left (the LP relaxation would take {share:.0%} of it)"},
    "deferred_price": {"zh": ";{e} 年指标已满:当年每公顷价格 {price:.3f} 高于其净值 {net:.3f}",
                       "en": "; {e} was full: a hectare of quota was worth {price:.3f} that year, above its net value {net:.3f}"},
    "deferred_fit": {"zh": ";{e} 年剩余指标容不下其全部用地(当年每公顷价格 {price:.3f},其净值 {net:.3f})",
                     "en": "; its land did not fit in what was left of {e} (a hectare was worth {price:.3f} that year, its net value {net:.3f})"},
    "cause_rate": {"zh": "处置率 {r:.1%} 低于 {t:.0%}", "en": "disposal rate {r:.1%} below {t:.0%}"},
    "cause_supply": {"zh": "近 {w} 年供地率 {r:.1%} 低于 {t:.0%}", "en": "supply rate of the last {w} years {r:.1%} below {t:.0%}"},
    "cause_overplan": {"zh": "上年超计划用地 {o:.2f} {u}", "en": "over-plan use of {o:.2f} {u} last year"},
    "early_batch": {"zh": ";早批次:预支上年指标 {v:.1f} {u},提前 {g:g} 年开工",
                    "en": "; early batch: {v:.1f} {u} of advance on last year's quota, starts {g:g} year(s) earlier"},
    "source": {"zh": {"new": "新增", "advance": "预支", "stock": "存量"}, "en": {"new": "new", "advance": "advance", "stock": "stock"}},
    "plan": {"zh": ",选用分期方案 {p}", "en": ", phasing plan {p}"},
    "plan_values": {"zh": ",选用分期方案 {p}(按最早可批年份估值 {v:.2f},规划期内用地 {a:.2f} {u};{others})",
                    "en": ", phasing plan {p} (value {v:.2f} at its earliest years, {a:.2f} {u} within the horizon; {others})"},
    "plan_other": {"zh": "方案 {p} 估值 {v:.2f},用地 {a:.2f} {u}", "en": "plan {p}: value {v:.2f}, {a:.2f} {u}"},
    "level": {"zh": {"provincial": "省级", "national": "国家级"}, "en": {"provincial": "provincial", "national": "national"}},
    "and": {"zh": ";", "en": "; "},
}


def t(key: str, lang: str, **kw) -> str:
    return fill(TEXT[key][lang], lang, **kw)


PROJECT_COLUMNS = ["w", "penalty", "exclusion", "exclusion_via", "key_level", "placed_year", "new_ok", "county_id",
                   "category", "area"]
SCHEDULE_COLUMNS = ["status", "plan", "first_year", "phase1_earliest", "deferral_years", "discount_lost",
                    "phases_approved", "phases_total"]
PRICE_COLUMNS = ["plan", "year", "net_per_ha", "price_per_ha", "cap_price", "relaxed_share"]


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """One dict per row of ``columns`` (plain Python values), for per-project lookups without pandas indexing."""
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in columns))]


def _grouped(frame: pd.DataFrame, key: str, columns: list[str]) -> dict:
    """``key`` value → its rows (dicts of ``columns``), in the frame's order."""
    out: dict = {}
    for k, rec in zip(frame[key].tolist(), _records(frame, columns)):
        out.setdefault(k, []).append(rec)
    return out


def eval_reasons(m: QuotaModel, sol: Solution, schedule: pd.DataFrame, lang: str,
                 project_prices: pd.DataFrame | None = None) -> pd.Series:
    """``project_prices`` (from quota.explain.prices) makes "outcompeted" and "deferred" say by how much.

    One pass over the projects with plain lookups (no per-project pandas filtering), so it stays linear."""
    s = m.scenario
    p = m.projects
    mine = schedule if schedule.index.equals(p.index) else schedule.loc[p.index]  # each project's row, in order
    columns = supply_columns(sol.decisions)
    supply = sol.decisions.groupby("project_id")[[c for c, _ in columns]].sum()
    ctx = {"s": s, "lang": lang, "unit": unit_label(s, lang),
           "linkage": _records(m.linkage.reset_index(), ["county_id", "restricted_rate", "restricted_overplan", "disposal_rate"]
                               + (["supply_rate"] if "supply_rate" in m.linkage else [])),
           "supply": dict(zip(supply.index, supply.itertuples(index=False, name=None))),
           "has_cells": set(m.cells["project_id"]),
           "deps": s.dependencies.groupby("project_id")["requires"].apply(list).to_dict(),
           "plans": _grouped(eval_plan_values(m, sol), "project_id", ["plan", "value_if_chosen", "area_in_horizon"]),
           "prices": _grouped(project_prices, "project_id", PRICE_COLUMNS) if project_prices is not None else {},
           "first_year": dict(zip(schedule.index, schedule["first_year"].tolist())),
           "first_e": s.phases[s.phases["phase"] == 1].groupby("project_id")["earliest_year"].min().to_dict(),
           "county": _records(s.counties.reset_index(), ["county_id", "name", "usable_stock", "overplan"]),
           "columns": columns, "extra": extra_context(m, sol),
           "earned": _earned_years(m, sol), "spatial": spatial_context(s)}
    for k in ("county", "linkage"):
        ctx[k] = {r["county_id"]: r for r in ctx[k]}
    out = [_reason(pid, row, sch, ctx) + extra_reason(pid, row, sch, ctx)
           + spatial_notes(pid, s, lang, ctx["unit"], ctx["spatial"]) for pid, row, sch in
           zip(p.index, _records(p, PROJECT_COLUMNS), _records(mine, SCHEDULE_COLUMNS))]
    return pd.Series(out, index=p.index, name="reason")


def _reason(pid, row: dict, sch: dict, ctx: dict) -> str:
    s, lang = ctx["s"], ctx["lang"]
    st, plan = sch["status"], sch["plan"]
    if st == "excluded":
        if row["exclusion"] in ctx["spatial"].get(pid, {}):  # a spatial check (quota.explain.reasons_spatial)
            return spatial_exclusion_reason(pid, row["exclusion"], row["category"], s, lang, ctx["unit"], ctx["spatial"])
        return t(row["exclusion"], lang, via=row["exclusion_via"])
    if st == "higher_level":
        year = sch["first_year"]
        return t("higher_level", lang, level=level_text(s, row["key_level"], lang, TEXT["level"][lang]),
                 year=int(year if pd.notna(year) else row["placed_year"]))  # placed after the horizon: no first_year
    if st not in ("approved", "deferred", "partial"):  # rejected
        return _rejected_reason(pid, row, ctx)
    plan_txt = _plan_text(plan, ctx["plans"].get(pid, []), s, lang)
    net = row["w"] - row["penalty"]
    sp = dict(zip([c for c, _ in ctx["columns"]], ctx["supply"].get(pid, (0.0,) * len(ctx["columns"]))))
    names = {**TEXT["source"][lang], "province": source_name("province", lang), "ring_fenced": source_name("ring_fenced", lang)}
    sources = ", ".join(f"{names[k]} {number(sp[c] * s.unit_factor, 2, lang)} {ctx['unit']}" for c, k in ctx["columns"] if sp[c] > 0)
    year = int(sch["first_year"])
    early = t("early_batch", lang, v=sp["v"] * s.unit_factor, u=ctx["unit"], g=s.rules.advance.early_gain) \
        if s.rules.advance.mode == "within_year" and sp["v"] > 0 else ""  # RULES.md 5: advance is the early batch
    if st == "approved":
        return t("approved", lang, year=year, plan=plan_txt, w=row["w"], net=net, sources=sources) + early
    if st == "deferred":
        e = int(max(sch["phase1_earliest"], s.first_year))
        return t("deferred", lang, k=int(sch["deferral_years"]), year=year, e=e, plan=plan_txt,
                 lost=sch["discount_lost"], sources=sources) + _deferred_price(ctx["prices"].get(pid), plan, e, lang) \
            + _earned_full(ctx, row["county_id"], [e], row["area"]) + _restricted_text(ctx, row["county_id"], e) + early
    return t("partial", lang, year=year, m=int(sch["phases_approved"]), K=int(sch["phases_total"]), plan=plan_txt) + early


def _rejected_reason(pid, row: dict, ctx: dict) -> str:
    s, lang, u = ctx["s"], ctx["lang"], ctx["unit"]
    first_e = ctx["first_e"][pid]
    if first_e > s.last_year:
        return t("beyond_horizon", lang, e=int(first_e), last=s.last_year)
    if not row["new_ok"]:
        c = row["county_id"]
        county, link = ctx["county"][c], ctx["linkage"][c]
        causes = []
        if link["restricted_rate"]:
            causes.append(t("cause_supply", lang, r=link["supply_rate"], t=s.linkage.restrict_below, w=s.rules.restriction.window)
                          if "supply_rate" in link else t("cause_rate", lang, r=link["disposal_rate"], t=s.linkage.restrict_below))
        if link["restricted_overplan"]:
            causes.append(t("cause_overplan", lang, o=county["overplan"] * s.unit_factor, u=u))
        cause = TEXT["and"][lang].join(causes)
        if pid not in ctx["has_cells"]:
            return t("restricted", lang, county=county["name"], cause=cause, category=row["category"])
        return t("restricted_stock", lang, county=county["name"], cause=cause, category=row["category"],
                 usable=county["usable_stock"] * s.unit_factor, area=row["area"] * s.unit_factor, u=u)
    for q in ctx["deps"].get(pid, []):
        if pd.isna(ctx["first_year"][q]):  # rejected, or placed by the higher level after the horizon
            return t("requires_unapproved", lang, q=q)
    base = t("outcompeted", lang, net=row["w"] - row["penalty"], w=row["w"], pi=row["penalty"], area=row["area"] * s.unit_factor,
             u=u)
    prices = ctx["prices"].get(pid)
    if not prices:
        return base + t("elsewhere", lang)
    margins = [r["net_per_ha"] - r["price_per_ha"] for r in prices]
    best = prices[margins.index(max(margins))]  # the first of the largest, as idxmax
    seen, shown = set(), []
    for r in prices:  # the first row of each year
        if r["year"] not in seen:
            seen.add(r["year"])
            shown.append(r)
    name = ctx["county"][row["county_id"]]["name"]
    cap_key = "earned_part" if earned_mode(ctx["s"]) else "cap_part"  # the county row that binds
    years = TEXT["and"][lang].join(t("year_price", lang, y=int(r["year"]), net=r["net_per_ha"], price=r["price_per_ha"])
                                   + (t(cap_key, lang, county=name, p=r["cap_price"]) if r["cap_price"] > 1e-9 else "")
                                   for r in shown)
    full = _earned_full(ctx, row["county_id"], [int(r["year"]) for r in shown], row["area"]) \
        + _restricted_text(ctx, row["county_id"], int(shown[0]["year"]))
    if best["net_per_ha"] < best["price_per_ha"] - 1e-9:
        return base + t("below_price", lang, years=years) + full
    return base + t("does_not_fit", lang, years=years, y=int(best["year"]), share=float(prices[0]["relaxed_share"])) + full


def _earned_years(m: QuotaModel, sol: Solution) -> dict:
    """(county, year) → its year columns of counties.csv, under earned linkage or dynamic restriction (empty otherwise)."""
    cy = eval_county_years(m, sol)
    return {} if cy is None else {(c, y): r for c, y, r in zip(cy["county_id"], cy["year"], _records(cy, list(cy.columns)))}


def _restricted_text(ctx: dict, county: str, y: int) -> str:
    """Under dynamic restriction: the county restricted in ``y``, why, and when disposal lifted it ("" if not restricted)."""
    s, lang = ctx["s"], ctx["lang"]
    r = ctx["earned"].get((county, y))
    if r is None or not r.get("restricted_in_year"):
        return ""
    below = s.rules.restriction.below
    kind = "supply_below" if s.rules.restriction.trigger == "supply_rate" else "rate_below"
    cause = t(kind, lang, r=r["rate"], b=below, w=s.rules.restriction.window) if r["rate"] < below - 1e-9 else t("overplan_year", lang)
    lift, disposed = "", r["disposal"]
    for later in s.years:
        nxt = ctx["earned"].get((county, later))
        if later <= y or nxt is None:
            continue
        if not nxt["restricted_in_year"]:
            lift = t("lifted", lang, y=later, d=disposed * s.unit_factor, u=ctx["unit"])
            break
        disposed += nxt["disposal"]
    return t("restricted_year", lang, county=r["name"], y=y, cause=cause, lift=lift)


def _earned_full(ctx: dict, county: str, years: list[int], area: float) -> str:
    """The first of ``years`` in which the county's earned quota is used up, or leaves less than ``area``, with its
    figures ("" if none)."""
    s, lang = ctx["s"], ctx["lang"]
    for y in years:
        r = ctx["earned"].get((county, y))
        if r is not None and "room" in r and r["room"] < area - 1e-6:
            f = s.unit_factor
            full = r["room"] <= 1e-6 * max(1.0, r["limit"])
            return t("earned_full" if full else "earned_left", lang, left=r["room"] * f, county=r["name"], y=y, used=r["quota_used"] * f, limit=r["limit"] * f, u=ctx["unit"],
                     base=r["base"] * f, earned=r["earned"] * f)
    return ""


def _deferred_price(prices: list[dict] | None, plan, e: int, lang: str) -> str:
    """Why the earlier year was full: the project's net value then against that year's price."""
    if prices is None:
        return ""
    key = plan if isinstance(plan, str) else ""
    r = next((r for r in prices if r["plan"] == key and r["year"] == e), None)
    if r is None:
        return ""
    kind = "deferred_price" if r["price_per_ha"] > r["net_per_ha"] else "deferred_fit"
    return t(kind, lang, e=e, net=r["net_per_ha"], price=r["price_per_ha"])


def _plan_text(plan, plans: list[dict], s, lang: str) -> str:
    """The chosen plan; with alternatives, the value and in-horizon land of each (see eval_plan_values).
    ``plans``: the project's rows of plans.csv."""
    if not isinstance(plan, str) or not plan:
        return ""
    if len(plans) < 2:
        return t("plan", lang, p=plan)
    u, f = unit_label(s, lang), s.unit_factor
    mine = next(r for r in plans if r["plan"] == plan)
    others = TEXT["and"][lang].join(t("plan_other", lang, p=r["plan"], v=r["value_if_chosen"], a=r["area_in_horizon"] * f, u=u)
                                    for r in plans if r["plan"] != plan)
    return t("plan_values", lang, p=plan, v=mine["value_if_chosen"], a=mine["area_in_horizon"] * f, u=u, others=others)


def unit_label(s, lang: str) -> str:
    return {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}[lang][s.unit]
