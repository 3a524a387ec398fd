"""Infeasibility diagnosis: re-solve with priced slack on each family and say what had to bend.

Only a lock (``lock: in``) can make the model infeasible: with nothing locked, approving nothing
is always feasible. So the diagnosis forces the locks and lets the resource families bend at a
high price — city quota, advance cap, farmland, stock, county caps, dependencies, commitment — and
lets a lock itself bend only at a far higher price, when no amount of resource could supply it.
The bends that remain at the optimum name the families and keys in conflict, with their amounts.
"""
from __future__ import annotations

import pandas as pd

from ..model.build import build_model
from ..input.scenario import Scenario
from ..solve.solution import SolveOptions, solve

RESOURCE_FAMILIES = ("city_quota", "advance_cap", "farmland", "stock", "stock_by_year", "county_cap", "dependency", "commitment")
TOL = 1e-6

TEXT = {
    "head": {"zh": "模型不可行:没有任何配置能同时满足全部约束。为找出冲突,允许以下约束在高代价下突破:",
             "en": "The model is infeasible: no allocation meets every constraint. Letting constraints bend at a high price shows the conflict:"},
    "city_quota": {"zh": "{key} 年市级指标:需要 {lhs:,.2f} {u}(其中锁定项目 {locked:,.2f} {u}),计划指标及结转仅 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                   "en": "city quota {key}: {lhs:,.2f} {u} needed (locked-in projects {locked:,.2f} {u}), quota plus carry-over allow {rhs:,.2f} {u}; short by {bend:,.2f} {u}"},
    "advance_cap": {"zh": "{key} 年预支上限:需要 {lhs:,.2f} {u},上限 {rhs:,.2f} {u},超出 {bend:,.2f} {u}",
                    "en": "advance cap {key}: {lhs:,.2f} {u} needed, cap {rhs:,.2f} {u}; over by {bend:,.2f} {u}"},
    "farmland": {"zh": "{key} 年耕地指标:需要 {lhs:,.2f} {u},指标 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                 "en": "farmland quota {key}: {lhs:,.2f} {u} needed, {rhs:,.2f} {u} allowed; short by {bend:,.2f} {u}"},
    "stock": {"zh": "{key} 可用存量:需要 {lhs:,.2f} {u},仅有 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
              "en": "usable stock of {key}: {lhs:,.2f} {u} needed, {rhs:,.2f} {u} available; short by {bend:,.2f} {u}"},
    "stock_by_year": {"zh": "{key} 年末前可用存量(含此前收回的土地):需要 {lhs:,.2f} {u},仅有 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                      "en": "stock usable by the end of {key} (with land taken back before it): {lhs:,.2f} {u} needed, {rhs:,.2f} {u} available; short by {bend:,.2f} {u}"},
    "county_cap": {"zh": "{key} 县级额度:需要 {lhs:,.2f} {u},额度 {rhs:,.2f} {u},超出 {bend:,.2f} {u}",
                   "en": "county cap {key}: {lhs:,.2f} {u} needed, cap {rhs:,.2f} {u}; over by {bend:,.2f} {u}"},
    "dependency": {"zh": "依赖关系 {key}:锁定项目不得不先于其前置项目获批", "en": "dependency {key}: a locked-in project would have to come before the project it requires"},
    "commitment": {"zh": "分期承诺 {key}:后续分期无法在规划期内安排", "en": "phasing commitment {key}: a later phase cannot be fitted within the horizon"},
    "lock_in": {"zh": "锁定项目 {key}:无论资源多少都无法获批(例如所在县限批且无可用存量,或各期无法在规划期内安排)",
                "en": "locked-in project {key} cannot be approved whatever the resources (e.g. a restricted county without usable stock, or phases that do not fit the horizon)"},
}


def diagnose_infeasibility(s: Scenario, opts: SolveOptions | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per bent constraint: family, key, rhs, lhs, bend (hectares), and a message in ``lang``."""
    lang = lang or s.lang
    scale = 1.0 + float(s.projects["area"].sum())
    prices = {f: 1e3 for f in RESOURCE_FAMILIES}
    prices["lock_in"] = 1e3 * scale  # bend a lock only when no resource could make room
    m = build_model(s, elastic=prices)
    opts = opts or SolveOptions()
    sol = solve(m, SolveOptions(solver=opts.solver, time_limit=opts.time_limit, gap=1e-6, msg=opts.msg))
    f = s.unit_factor
    unit = {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}[lang][s.unit]
    locked = m.projects.index[m.projects["lock"] == "in"]
    d = sol.decisions
    locked_by_year = (d[d["project_id"].isin(locked)].assign(q=lambda t: t["n"] + t["v"]).groupby("year")["q"].sum())
    rows = []
    for family, bends in m.slacks.items():
        rhs_all = m.families[family].attrs["rhs"]
        for key, bend in bends.items():
            amount = sum((v.value() or 0.0) for v, _ in bend)
            if amount <= TOL:
                continue
            rhs = float(rhs_all.loc[key]) if not isinstance(rhs_all.loc[key], pd.Series) else float(rhs_all.loc[key].iloc[0])
            sign = bend[0][1]
            lhs = rhs - sign * amount if len(bend) == 1 else rhs
            key_text = "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
            area_family = family in ("city_quota", "advance_cap", "farmland", "stock", "stock_by_year", "county_cap")
            message = TEXT[family][lang].format(
                key=key_text, lhs=lhs * f, rhs=rhs * f, bend=amount * f, u=unit,
                locked=float(locked_by_year.get(key, 0.0)) * f if family == "city_quota" else 0.0)
            rows.append({"family": family, "key": key_text, "rhs": rhs * f if area_family else rhs,
                         "lhs": lhs * f if area_family else lhs, "bend": amount * f if area_family else amount,
                         "message": message})
    return pd.DataFrame(rows, columns=["family", "key", "rhs", "lhs", "bend", "message"])


def format_diagnosis(table: pd.DataFrame, lang: str) -> str:
    lines = [TEXT["head"][lang]]
    lines += [f"  - {m}" for m in table["message"]]
    return "\n".join(lines)
