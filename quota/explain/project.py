"""``explain_project``: one project's full explanation, from a run folder.

It reads the run folder; when the run holds no exact counterfactual for the project, it reloads the
scenario named in the manifest (refusing if any input changed since the run), re-solves, and runs
that one counterfactual with a generous time limit.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import QuotaError
from ..report import labels as L
from ..report.numbers import number
from ..report.safety import read_csv
from ..report.write import sha256

TEXT = {
    "title": {"zh": "项目 {pid} {name}", "en": "Project {pid} {name}"},
    "status": {"zh": "状态", "en": "status"},
    "reason": {"zh": "原因", "en": "reason"},
    "county": {"zh": "所在县", "en": "county"},
    "value": {"zh": "每公顷价值 w 的构成", "en": "value per hectare w, term by term"},
    "alloc": {"zh": "配置(方案 / 分期 / 年份 / 来源)", "en": "allocations (plan / phase / year / source)"},
    "alloc_row": {"zh": "{plan} / 第 {phase} 期 / {year} 年 / {source}:{area} {unit}",
                  "en": "{plan} / phase {phase} / {year} / {source}: {area} {unit}"},
    "none": {"zh": "(无)", "en": "(none)"},
    "cf_why": {"zh": "反事实:若排除本项目,目标值损失 {lo} 至 {hi} 加权公顷{exact};改为获批的项目:{changed}",
               "en": "counterfactual: locking it out loses {lo} to {hi} value-weighted ha{exact}; projects approved instead: {changed}"},
    "cf_why_not": {"zh": "反事实:若强制批准本项目,目标值损失 {lo} 至 {hi} 加权公顷{exact};被挤出的项目:{changed}",
                   "en": "counterfactual: locking it in loses {lo} to {hi} value-weighted ha{exact}; projects it would displace: {changed}"},
    "exact": {"zh": "(已证明)", "en": " (proven)"},
    "alternative": {"zh": "最优替代方案(+ 改为获批,− 被挤出,~ 改期;年份,面积):{changes}",
                    "en": "the alternative (+ approved instead, − displaced, ~ moved; years, area): {changes}"},
    "essential": {"zh": "反事实:不可缺少——排除它后没有可行配置(锁定或依赖需要它)",
                  "en": "counterfactual: essential — no allocation exists without it (a lock or dependency needs it)"},
    "impossible": {"zh": "反事实:无论如何都无法获批", "en": "counterfactual: it cannot be approved at all"},
    "unknown": {"zh": "反事实:时限内未得到结果", "en": "counterfactual: no result within the time limit"},
    "prices": {"zh": "所在年份指标价格(线性松弛,每公顷)", "en": "price of a hectare of quota in its years (LP relaxation)"},
}


def explain_project(run_dir: str | Path, pid: str, resolve: bool = True, time_limit: float = 60.0) -> str:
    run = Path(run_dir)
    try:
        summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        projects = read_csv(run / "projects.csv", dtype={"project_id": str, "plan": str}, keep_default_na=False)
        alloc = read_csv(run / "allocations.csv", dtype={"project_id": str, "plan": str}, keep_default_na=False)
    except (OSError, ValueError) as e:
        raise QuotaError.of("error.run_folder.unreadable", run=run, error=e) from None
    lang = summary.get("lang", "zh")
    rows = projects[projects["project_id"] == pid]
    if rows.empty:
        raise QuotaError.of("error.explain.no_project", project=repr(pid), file=run / "projects.csv")
    p = rows.iloc[0]
    county = _county_name(run, p["county_id"])
    unit = L.UNIT[lang].get(summary.get("unit", "ha"), summary.get("unit", "ha"))
    lines = [TEXT["title"][lang].format(pid=pid, name=p["name"]),
             f"  {TEXT['county'][lang]}: {county}({p['county_id']})   "
             f"{TEXT['status'][lang]}: {L.STATUS[lang].get(p['status'], p['status'])}",
             f"  {TEXT['reason'][lang]}: {p['reason']}",
             f"  {TEXT['value'][lang]}: w = {number(p['w'], 3, lang)} = " + " + ".join(
                 f"{number(p[c], 3, lang)}({L.CHART[lang][c]})" if lang == "zh" else f"{number(p[c], 3, lang)} ({L.CHART[lang][c]})"
                 for c in ("w_base", "w_investment_intensity", "w_tax_intensity", "w_jobs_intensity", "w_urgent", "w_key"))]
    mine = alloc[alloc["project_id"] == pid]
    lines.append(f"  {TEXT['alloc'][lang]}:" + (" " + TEXT["none"][lang] if mine.empty else ""))
    for r in mine.itertuples():
        lines.append("    " + TEXT["alloc_row"][lang].format(
            plan=r.plan or "-", phase=r.phase, year=r.year, source=L.SOURCE[lang].get(r.source, r.source),
            area=number(r.area, 6, lang), unit=unit))
    cf = _counterfactual(run, manifest, pid, p["status"], resolve, time_limit)
    if cf is not None:
        names = dict(zip(projects["project_id"].astype(str), projects["name"].astype(str)))
        lines.append("  " + _cf_text(cf, lang, names))
    return "\n".join(lines)


def _county_name(run: Path, county_id: str) -> str:
    """The county's name from the run's counties.csv (the id when the table has none)."""
    try:
        counties = read_csv(run / "counties.csv", dtype={"county_id": str}, keep_default_na=False)
    except (OSError, ValueError):
        return county_id
    names = counties.loc[counties["county_id"] == str(county_id), "name"]
    return str(names.iloc[0]) if len(names) and names.iloc[0] else county_id


def _counterfactual(run: Path, manifest: dict, pid: str, status: str, resolve: bool, time_limit: float) -> dict | None:
    if status in ("excluded", "higher_level"):
        return None
    path = run / "counterfactuals.csv"
    if path.exists():
        table = read_csv(path, dtype={"project_id": str}).set_index("project_id")
        if pid in table.index and (table.at[pid, "result"] != "bounded" or not resolve):
            return table.loc[pid].to_dict()
    if not resolve:
        return None
    from ..explain.counterfactual import eval_counterfactuals
    from ..pipeline import solve_scenario
    from ..solve.solution import SolveOptions
    from ..input.validate import load

    changed = [f for f, digest in manifest.get("inputs", {}).items() if not Path(f).exists() or sha256(Path(f)) != digest]
    if changed:
        raise QuotaError.of("error.explain.inputs_changed", files=", ".join(changed))
    scenario = load(manifest.get("scenario_file") or manifest["scenario_path"])
    solve = manifest.get("solve", {})
    result = solve_scenario(scenario, SolveOptions(solver=solve.get("solver") or "highs", gap=solve.get("gap") or 1e-4))
    table = eval_counterfactuals(result.model, result.solution, projects=[pid], budget=time_limit, per_project=time_limit)
    return table.loc[pid].to_dict()


def _cf_text(cf: dict, lang: str, names: dict[str, str] | None = None) -> str:
    result = cf.get("result")
    if result in ("essential", "impossible", "unknown"):
        return TEXT[result][lang]
    changed = cf.get("changed_projects")
    names = names or {}
    changed = (L.LIST_SEP[lang].join(f"{names[q]}({q})" if lang == "zh" and q in names else f"{names[q]} ({q})" if q in names else q
                                     for q in changed.split())
               if isinstance(changed, str) and changed.strip() else TEXT["none"][lang])
    exact = TEXT["exact"][lang] if cf.get("exact") in (True, "True") else ""
    key = "cf_why" if cf.get("kind") == "why" else "cf_why_not"
    text = TEXT[key][lang].format(lo=number(cf["loss_low"], 3, lang), hi=number(cf["loss_high"], 3, lang), exact=exact,
                                  changed=changed)
    if isinstance(cf.get("changes"), str) and cf["changes"].strip():
        from ..report.cf_text import changes_text

        text += "\n  " + TEXT["alternative"][lang].format(changes=changes_text(cf["changes"], pd.Series(names), lang))
    return text
