"""A plain, specific reason for every project's status, in the report language (zh | en)."""
from __future__ import annotations

import pandas as pd

from .evaluate import eval_plan_values
from .model import QuotaModel
from .solve import Solution

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
    "cap_part": {"zh": "(其中{county}的县级额度已满,占 {p:.3f})", "en": " (of which {county}'s county cap, which binds: {p:.3f})"},
    "below_price": {"zh": "。按线性松弛的指标价格(每公顷),其净值在可用的每一年都低于价格:{years}",
                    "en": ". At the LP relaxation's price of a hectare of quota, its net value is below the price in every year it could use: {years}"},
    "does_not_fit": {"zh": "。其净值在 {y} 年高于指标价格({years}),但项目须整体获批,剩余指标容不下其全部用地(线性松弛仅能安排其 {share:.0%})",
                     "en": ". Its net value covers the price in {y} ({years}), but the project must be approved whole and its land does not fit in what is left (the LP relaxation would take {share:.0%} of it)"},
    "deferred_price": {"zh": ";{e} 年指标已满:当年每公顷价格 {price:.3f} 高于其净值 {net:.3f}",
                       "en": "; {e} was full: a hectare of quota was worth {price:.3f} that year, above its net value {net:.3f}"},
    "deferred_fit": {"zh": ";{e} 年剩余指标容不下其全部用地(当年每公顷价格 {price:.3f},其净值 {net:.3f})",
                     "en": "; its land did not fit in what was left of {e} (a hectare was worth {price:.3f} that year, its net value {net:.3f})"},
    "cause_rate": {"zh": "处置率 {r:.1%} 低于 {t:.0%}", "en": "disposal rate {r:.1%} below {t:.0%}"},
    "cause_overplan": {"zh": "上年超计划用地 {o:.2f} {u}", "en": "over-plan use of {o:.2f} {u} last year"},
    "source": {"zh": {"new": "新增", "advance": "预支", "stock": "存量"}, "en": {"new": "new", "advance": "advance", "stock": "stock"}},
    "plan": {"zh": ",选用分期方案 {p}", "en": ", phasing plan {p}"},
    "plan_values": {"zh": ",选用分期方案 {p}(按最早可批年份估值 {v:.2f},规划期内用地 {a:.2f} {u};{others})",
                    "en": ", phasing plan {p} (value {v:.2f} at its earliest years, {a:.2f} {u} within the horizon; {others})"},
    "plan_other": {"zh": "方案 {p} 估值 {v:.2f},用地 {a:.2f} {u}", "en": "plan {p}: value {v:.2f}, {a:.2f} {u}"},
    "level": {"zh": {"provincial": "省级", "national": "国家级"}, "en": {"provincial": "provincial", "national": "national"}},
    "and": {"zh": ";", "en": "; "},
}


def t(key: str, lang: str, **kw) -> str:
    return TEXT[key][lang].format(**kw)


def eval_reasons(m: QuotaModel, sol: Solution, schedule: pd.DataFrame, lang: str,
                 project_prices: pd.DataFrame | None = None) -> pd.Series:
    """``project_prices`` (from quota.explain.prices) makes "outcompeted" and "deferred" say by how much."""
    s = m.scenario
    p = m.projects
    L = m.linkage
    d = sol.decisions
    supply = d.groupby("project_id")[["n", "v", "s"]].sum()
    has_cells = set(m.cells["project_id"])
    deps = s.dependencies.groupby("project_id")["requires"].apply(list)
    plans = eval_plan_values(m, sol)
    prices = {pid: g for pid, g in project_prices.groupby("project_id")} if project_prices is not None else {}
    first_e = s.phases[s.phases["phase"] == 1].groupby("project_id")["earliest_year"].min()
    out = {}
    for pid, row in p.iterrows():
        st = schedule.at[pid, "status"]
        plan = schedule.at[pid, "plan"]
        plan_txt = _plan_text(pid, plan, plans, s, lang)
        net = row["w"] - row["penalty"]
        if st == "excluded":
            out[pid] = t(row["exclusion"], lang, via=row["exclusion_via"])
        elif st == "higher_level":
            year = schedule.at[pid, "first_year"]
            out[pid] = t("higher_level", lang, level=TEXT["level"][lang][row["key_level"]],
                         year=int(year) if pd.notna(year) else row["placed_year"])
        elif st in ("approved", "deferred", "partial"):
            sp = supply.loc[pid] if pid in supply.index else pd.Series({"n": 0.0, "v": 0.0, "s": 0.0})
            names = TEXT["source"][lang]
            sources = ", ".join(f"{names[k]} {sp[c] * s.unit_factor:.2f} {unit_label(s, lang)}" for c, k in (("n", "new"), ("v", "advance"), ("s", "stock")) if sp[c] > 0)
            year = int(schedule.at[pid, "first_year"])
            if st == "approved":
                out[pid] = t("approved", lang, year=year, plan=plan_txt, w=row["w"], net=net, sources=sources)
            elif st == "deferred":
                e = int(max(schedule.at[pid, "phase1_earliest"], s.first_year))
                out[pid] = t("deferred", lang, k=int(schedule.at[pid, "deferral_years"]), year=year, e=e, plan=plan_txt,
                             lost=schedule.at[pid, "discount_lost"], sources=sources) + _deferred_price(prices.get(pid), plan, e, year, lang)
            else:
                out[pid] = t("partial", lang, year=year, m=int(schedule.at[pid, "phases_approved"]),
                             K=int(schedule.at[pid, "phases_total"]), plan=plan_txt)
        else:  # rejected
            out[pid] = _rejected_reason(pid, row, m, schedule, deps, has_cells, lang, first_e[pid], prices.get(pid))
    return pd.Series(out, name="reason").reindex(p.index)


def _rejected_reason(pid, row, m: QuotaModel, schedule, deps, has_cells, lang, first_e, prices) -> str:
    s = m.scenario
    L = m.linkage
    if first_e > s.last_year:
        return t("beyond_horizon", lang, e=int(first_e), last=s.last_year)
    if not row["new_ok"]:
        c = row["county_id"]
        causes = []
        if L.at[c, "restricted_rate"]:
            causes.append(t("cause_rate", lang, r=L.at[c, "disposal_rate"], t=s.linkage.restrict_below))
        if L.at[c, "restricted_overplan"]:
            causes.append(t("cause_overplan", lang, o=s.counties.at[c, "overplan"] * s.unit_factor, u=unit_label(s, lang)))
        cause = TEXT["and"][lang].join(causes)
        if pid not in has_cells:
            return t("restricted", lang, county=s.counties.at[c, "name"], cause=cause, category=row["category"])
        return t("restricted_stock", lang, county=s.counties.at[c, "name"], cause=cause, category=row["category"],
                 usable=s.counties.at[c, "usable_stock"] * s.unit_factor, area=row["area"] * s.unit_factor, u=unit_label(s, lang))
    for q in deps.get(pid, []):
        if pd.isna(schedule.at[q, "first_year"]):  # rejected, or placed by the higher level after the horizon
            return t("requires_unapproved", lang, q=q)
    base = t("outcompeted", lang, net=row["w"] - row["penalty"], w=row["w"], pi=row["penalty"], area=row["area"] * s.unit_factor,
             u=unit_label(s, lang))
    if prices is None or prices.empty:
        return base + t("elsewhere", lang)
    best = prices.loc[(prices["net_per_ha"] - prices["price_per_ha"]).idxmax()]
    years = TEXT["and"][lang].join(t("year_price", lang, y=int(r.year), net=r.net_per_ha, price=r.price_per_ha)
                                   + (t("cap_part", lang, county=s.counties.at[row["county_id"], "name"], p=r.cap_price) if r.cap_price > 1e-9 else "")
                                   for r in prices.drop_duplicates("year").itertuples())
    if best["net_per_ha"] < best["price_per_ha"] - 1e-9:
        return base + t("below_price", lang, years=years)
    return base + t("does_not_fit", lang, years=years, y=int(best["year"]), share=float(prices["relaxed_share"].iloc[0]))


def _deferred_price(prices, plan, e: int, year: int, lang: str) -> str:
    """Why the earlier year was full: the project's net value then against that year's price."""
    if prices is None:
        return ""
    mine = prices[(prices["plan"] == (plan if isinstance(plan, str) else "")) & (prices["year"] == e)]
    if mine.empty:
        return ""
    r = mine.iloc[0]
    key = "deferred_price" if r["price_per_ha"] > r["net_per_ha"] else "deferred_fit"
    return t(key, lang, e=e, net=r["net_per_ha"], price=r["price_per_ha"])


def _plan_text(pid, plan, plans: pd.DataFrame, s, lang: str) -> str:
    """The chosen plan; with alternatives, the value and in-horizon land of each (see eval_plan_values)."""
    if not isinstance(plan, str) or not plan:
        return ""
    mine = plans[plans["project_id"] == pid].set_index("plan")
    if len(mine) < 2:
        return t("plan", lang, p=plan)
    u, f = unit_label(s, lang), s.unit_factor
    others = TEXT["and"][lang].join(t("plan_other", lang, p=q, v=r.value_if_chosen, a=r.area_in_horizon * f, u=u)
                                    for q, r in mine.drop(index=plan).iterrows())
    return t("plan_values", lang, p=plan, v=mine.at[plan, "value_if_chosen"], a=mine.at[plan, "area_in_horizon"] * f,
             u=u, others=others)


def unit_label(s, lang: str) -> str:
    return {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}[lang][s.unit]
