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
from ..messages import message as text
from ..solve.solution import SolveOptions, solve

RESOURCE_FAMILIES = ("city_quota", "advance_cap", "farmland", "stock", "stock_by_year", "county_cap", "dependency", "commitment")
TOL = 1e-6

def diagnose_infeasibility(s: Scenario, opts: SolveOptions | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per bent constraint: family, key, rhs, lhs, bend (hectares), and a message in ``lang`` (``message``)
    and in each language (``message_zh``, ``message_en``; the catalogue's ``error.infeasible.*``)."""
    lang = lang or s.lang
    scale = 1.0 + float(s.projects["area"].sum())
    prices = {f: 1e3 for f in RESOURCE_FAMILIES}
    prices["lock_in"] = 1e3 * scale  # bend a lock only when no resource could make room
    m = build_model(s, elastic=prices)
    opts = opts or SolveOptions()
    sol = solve(m, SolveOptions(solver=opts.solver, time_limit=opts.time_limit, gap=1e-6, msg=opts.msg))
    f = s.unit_factor
    units = {"zh": {"ha": "公顷", "mu": "亩"}[s.unit], "en": s.unit}
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
            messages = {la: text(f"error.infeasible.{family}", la, key=key_text, lhs=lhs * f, rhs=rhs * f, bend=amount * f,
                                 u=units[la], locked=float(locked_by_year.get(key, 0.0)) * f if family == "city_quota" else 0.0)
                        for la in ("zh", "en")}
            rows.append({"family": family, "key": key_text, "rhs": rhs * f if area_family else rhs,
                         "lhs": lhs * f if area_family else lhs, "bend": amount * f if area_family else amount,
                         "message": messages["zh" if lang == "zh" else "en"], "message_zh": messages["zh"],
                         "message_en": messages["en"]})
    return pd.DataFrame(rows, columns=["family", "key", "rhs", "lhs", "bend", "message", "message_zh", "message_en"])


def format_diagnosis(table: pd.DataFrame, lang: str) -> str:
    lang = "zh" if lang == "zh" else "en"
    lines = [text("error.infeasible.head", lang)]
    lines += [f"  - {m}" for m in table[f"message_{lang}"]]
    return "\n".join(lines)
