"""The report's section "plan against actual" (计划与实际), only in a re-plan (``quota.replan``).

For each year before ``as_of``: what the last plan (``facts.last_plan``, the last run the ledger recorded) had for it,
what happened (``facts.approvals``); for every year: what the new plan changes against the last plan, per project
and per county, with a chart. Everything comes from the facts and the run's allocations; nothing is computed that
the tables do not hold. Areas in the scenario's unit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import labels as L
from .document import Section, table
from .fonts import setup_fonts
from .plot import new_figure, save_png

TEXT = {
    "zh": {"title": "计划与实际", "intro": "{as_of} 年以前的年份是台账记录的事实,已在模型中固定;上次计划为台账记录的第 {run} 号运行。"
           "下表逐项目、逐年对照上次计划、实际获批和本次计划。",
           "no_last": "台账中没有上次计划:只对照实际与本次计划。", "past": "已过年份:上次计划与实际", "later": "本次计划较上次计划的变化",
           "counties": "分县对照", "same": "与计划一致", "unplanned": "计划外获批", "not_done": "计划内未获批", "differs": "面积或年份不同",
           "added": "新增安排", "dropped": "不再安排", "changed": "面积变化", "none": "本次计划与上次计划相同。",
           "chart_years": "全市逐年:上次计划与实际/本次计划", "chart_counties": "分县(规划期合计):上次计划与实际/本次计划",
           "last": "上次计划", "actual": "实际(已过年份)/本次计划", "y": "面积({u})", "caption": "上次计划、实际与本次计划",
           "rule": "已过年份的获批、来源、面积按台账固定(x、v、s 等变量的上下界);计划外获批占用当年指标,计划内未获批的项目已过年份不能再获批,"
                   "但仍可在 {as_of} 年及以后安排;已批首期项目的后续分期仍须安排(docs/replanning.md)。"},
    "en": {"title": "Plan against actual", "intro": "The years before {as_of} are the ledger's facts, fixed in the model; the last "
           "plan is run {run} recorded in the ledger. The tables set the last plan, what was approved and the new plan side by "
           "side, per project and year.",
           "no_last": "The ledger holds no last plan: only what happened and the new plan are compared.", "past": "Past years: the last "
           "plan against what happened", "later": "What the new plan changes against the last plan", "counties": "Per county",
           "same": "as planned", "unplanned": "approved, not in the plan", "not_done": "planned, not approved",
           "differs": "other area or year", "added": "added", "dropped": "dropped", "changed": "area changed",
           "none": "The new plan is the same as the last plan.", "chart_years": "City by year: last plan against actual / new plan",
           "chart_counties": "Per county (horizon): last plan against actual / new plan", "last": "last plan",
           "actual": "actual (past years) / new plan", "y": "area ({u})", "caption": "The last plan, what happened and the new plan",
           "rule": "Past approvals, their sources and areas are fixed to the ledger (bounds on x, v, s, ...); an approval the plan "
                   "did not propose is charged to its year's quota; a project the plan proposed but that was not approved cannot "
                   "be approved in a past year, but may be from {as_of} on; later phases of a project whose phase 1 was approved "
                   "are still owed (docs/replanning.md)."},
}


def past_frames(result) -> dict[str, pd.DataFrame] | None:
    """``projects``: one row per project and year with a last plan, actual or new plan area; ``counties``: the same per
    county and year. None without facts."""
    s = result.scenario
    facts = getattr(s, "facts", None)
    if facts is None:
        return None
    f = s.unit_factor

    def by(frame: pd.DataFrame) -> pd.Series:
        return frame.groupby(["project_id", "year"])["area"].sum() * f if len(frame) else pd.Series(dtype=float)

    last, actual, new = by(facts.last_plan), by(facts.approvals), by(result.allocations)
    keys = sorted(set(last.index) | set(actual.index) | set(new.index), key=lambda k: (k[1], str(k[0])))
    idx = pd.MultiIndex.from_tuples(keys, names=["project_id", "year"]) if keys else \
        pd.MultiIndex.from_arrays([[], []], names=["project_id", "year"])
    out = pd.DataFrame(index=idx)
    out["last_plan"] = last.reindex(idx, fill_value=0.0) if len(last) else 0.0
    out["actual"] = actual.reindex(idx, fill_value=0.0) if len(actual) else 0.0
    out["new_plan"] = new.reindex(idx, fill_value=0.0) if len(new) else 0.0
    out = out.reset_index()
    past = out["year"] < facts.as_of
    out.loc[~past, "actual"] = np.nan
    out["change"] = out["new_plan"] - out["last_plan"]
    out["against"] = [_against(r, bool(p)) for r, p in zip(out.itertuples(index=False), past)]
    p = s.projects
    out.insert(1, "name", out["project_id"].map(p["name"]))
    out.insert(2, "county_id", out["project_id"].map(p["county_id"]))
    names = s.counties["name"]
    cty = out.groupby(["county_id", "year"])[["last_plan", "actual", "new_plan", "change"]].sum(min_count=1).reset_index()
    cty.loc[cty["year"] >= facts.as_of, "actual"] = np.nan
    cty.insert(0, "name", cty["county_id"].map(names))  # the name first, its id beside
    return {"projects": out, "counties": cty}


def _against(r, past: bool) -> str:
    eps = 1e-9
    if past:
        if r.last_plan > eps and r.actual > eps:
            return "same" if abs(r.last_plan - r.actual) <= 1e-6 * max(1.0, r.actual) else "differs"
        return "unplanned" if r.actual > eps else "not_done"
    if abs(r.change) <= 1e-6 * max(1.0, r.new_plan):
        return "same"
    return "added" if r.last_plan <= eps else "dropped" if r.new_plan <= eps else "changed"


def past_section(result, lang: str, figs: dict) -> Section | None:
    frames = past_frames(result)
    if frames is None:
        return None
    s, T = result.scenario, TEXT[lang]
    facts = s.facts
    run = facts.last_plan["run_id"].iloc[0] if len(facts.last_plan) else "—"
    sec = Section("plan_vs_actual", T["title"])
    sec.blocks.append(("p", T["intro"].format(as_of=facts.as_of, run=run)))
    if not len(facts.last_plan):
        sec.blocks.append(("note", T["no_last"]))
    fig = figs.get("plan_vs_actual")
    if fig is not None:
        sec.blocks.append(("figure", fig.name, fig.caption))
    proj = frames["projects"].assign(county=lambda f: [county_label(s.counties["name"], c, lang) for c in f["county_id"]])
    words = {k: T[k] for k in ("same", "unplanned", "not_done", "differs", "added", "dropped", "changed")}
    cols = ["project_id", "name", "county", "year", "last_plan", "actual", "new_plan", "change", "against"]
    past = proj[proj["year"] < facts.as_of]
    sec.blocks.append(("h3", T["past"]))
    sec.blocks.append(("table", table(past[cols], lang, s.unit, {"against": words})))
    later = proj[(proj["year"] >= facts.as_of) & (proj["against"] != "same")]
    sec.blocks.append(("h3", T["later"]))
    sec.blocks.append(("table", table(later[[c for c in cols if c != "actual"]], lang, s.unit, {"against": words}))
                      if len(later) else ("p", T["none"]))
    sec.blocks.append(("h3", T["counties"]))
    sec.blocks.append(("table", table(frames["counties"], lang, s.unit)))
    sec.blocks.append(("rules", [T["rule"].format(as_of=facts.as_of)], []))
    return sec


def county_label(names: pd.Series, county_id: str, lang: str) -> str:
    """A county as a person reads it: its name with the id beside (``深泽县(shenze)``), the id where it has no name."""
    name = names.get(county_id)
    if not isinstance(name, str) or not name:
        return str(county_id)
    return f"{name}({county_id})" if lang == "zh" else f"{name} ({county_id})"


def past_sheets(result) -> dict[str, pd.DataFrame]:
    """The section's tables as sheets of report.xlsx (none without facts)."""
    frames = past_frames(result)
    return {} if frames is None else {"plan_vs_actual": frames["projects"], "plan_vs_actual_county": frames["counties"]}


def plot_plan_vs_actual(result, lang: str, path: Path) -> Path | None:
    """Left: the city's area per year, last plan against actual (past years) or the new plan; right: per county over the horizon,
    the same pair. Chinese labels and county names when a CJK font is found."""
    frames = past_frames(result)
    if frames is None:
        return None
    cjk = setup_fonts(lang)
    T = TEXT[lang if cjk else "en"]
    s = result.scenario
    proj, cty = frames["projects"], frames["counties"]
    years = list(s.years)
    last = proj.groupby("year")["last_plan"].sum().reindex(years, fill_value=0.0)
    now = proj.assign(v=_actual_or_new(proj)).groupby("year")["v"].sum().reindex(years, fill_value=0.0)
    fig = new_figure(10.0, 4.4)
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.2])
    x = np.arange(len(years))
    left.bar(x - 0.2, last.to_numpy(), 0.4, color="#999999", label=T["last"])
    left.bar(x + 0.2, now.to_numpy(), 0.4, color="#0072B2", label=T["actual"])
    left.axvline(years.index(s.facts.as_of) - 0.5 if s.facts.as_of in years else len(years) - 0.5, color="#D55E00", linestyle="--")
    left.set_xticks(x, [str(y) for y in years])
    u = L.UNIT["zh" if cjk and lang == "zh" else "en"][s.unit]
    left.set_ylabel(T["y"].format(u=u))
    left.set_title(T["chart_years"], fontsize=10)
    per = cty.assign(v=_actual_or_new(cty)).groupby("county_id")[["last_plan", "v"]].sum()
    names = s.counties["name"]
    labels = [str(names.get(c, c)) if cjk else str(c) for c in per.index]
    y = np.arange(len(per))
    right.barh(y - 0.2, per["last_plan"].to_numpy(), 0.4, color="#999999")
    right.barh(y + 0.2, per["v"].to_numpy(), 0.4, color="#0072B2")
    right.set_yticks(y, labels, fontsize=8)
    right.set_ylim(len(per) - 0.5, -0.5)
    right.set_xlabel(T["y"].format(u=u))
    right.set_title(T["chart_counties"], fontsize=10)
    fig.legend(loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    return save_png(fig, path)


def _actual_or_new(frame: pd.DataFrame) -> np.ndarray:
    """What happened in a past year, the new plan in a later one."""
    actual = frame["actual"].to_numpy(dtype=float)
    return np.where(np.isnan(actual), frame["new_plan"].to_numpy(dtype=float), actual)
