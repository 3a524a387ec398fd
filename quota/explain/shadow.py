"""Shadow prices and slack of every constraint, read from the fixed LP.

A shadow price is the objective gained per extra unit of a row's right-hand side: for the city
quota of 2024 it is "value per extra hectare of 2024 quota". It is a marginal value *at the chosen
approvals*: with the integer decisions fixed, one more hectare cannot approve a new project, and
one hectare less cannot drop one. The counterfactuals (``counterfactual.py``) answer those
questions instead.
"""
from __future__ import annotations

import pandas as pd

from ..model import compat
from ..model.families import RESOURCES
from ..model.quota_model import QuotaModel


TOL = 1e-6

LABEL = {
    "city_quota": {"zh": "{key} 年市级指标每增加 1 {u}的价值", "en": "value per extra {u} of {key} city quota"},
    "carry_over": {"zh": "{key} 年结转上限每增加 1 {u}的价值", "en": "value per extra {u} of carry-over into {key}"},
    "advance_cap": {"zh": "{key} 年预支上限每增加 1 {u}的价值", "en": "value per extra {u} of {key} advance cap"},
    "farmland": {"zh": "{key} 年耕地指标每增加 1 {u}的价值", "en": "value per extra {u} of {key} farmland quota"},
    "stock": {"zh": "{key} 可用存量每增加 1 {u}的价值", "en": "value per extra {u} of usable stock in {key}"},
    "stock_by_year": {"zh": "{key} 年末前可用存量每增加 1 {u}的价值", "en": "value per extra {u} of stock usable by the end of {key}"},
    "county_cap": {"zh": "{key} 县级额度每增加 1 {u}的价值", "en": "value per extra {u} of the county cap {key}"},
    "province_reserve": {"zh": "{key} 年省级预留指标每增加 1 {u}的价值", "en": "value per extra {u} of the {key} provincial reserve"},
    "ring_fence": {"zh": "{key} 年脱贫县戴帽指标每增加 1 {u}的价值", "en": "value per extra {u} of ring-fenced quota of {key}"},
    "earned_quota": {"zh": "{key} 年县级可用指标(基础+挂钩)每增加 1 {u}的价值", "en": "value per extra {u} of the earned-quota limit {key}"},
    "disposal": {"zh": "{key} 年多处置 1 {u}存量的价值", "en": "value of one more {u} disposed in {key}"},
}
CAVEAT = {
    "zh": "影子价格是在已选定的项目批准方案下的边际价值:多 1 公顷指标不会让新项目获批,少 1 公顷也不会让已批项目落选;是否选择某个项目请看反事实分析。",
    "en": "Shadow prices are marginal values at the chosen approvals: one more hectare does not approve another project, "
          "and one less does not drop one. Whether a project is chosen is answered by the counterfactuals.",
}


def eval_slacks(m: QuotaModel) -> pd.DataFrame:
    """Every constraint of every family: sense, rhs, lhs, slack (≥ 0 when satisfied), binding."""
    rows = []
    for family, cons in m.families.items():
        sense = cons.attrs["sense"]
        for key, con in cons.items():
            gap = compat.activity(con)  # lhs − rhs
            slack = -gap if sense == "<=" else gap if sense == ">=" else -abs(gap)
            rhs = float(con.constant * -1) if hasattr(con, "constant") else float("nan")
            rows.append({"family": family, "key": _key(key), "sense": sense, "rhs": rhs, "lhs": rhs + gap,
                         "slack": 0.0 if abs(slack) < TOL else slack, "binding": abs(slack) < TOL})
    return pd.DataFrame(rows, columns=["family", "key", "sense", "rhs", "lhs", "slack", "binding"])


def eval_shadow_prices(m: QuotaModel, lang: str) -> pd.DataFrame:
    """Duals of the resource families (read after ``solve_fixed_lp``), in objective value per hectare and per unit."""
    s = m.scenario
    unit = {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}[lang][s.unit]
    rows = []
    for family in RESOURCES:
        cons = m.families.get(family)
        if cons is None:
            continue
        names = s.counties["name"]
        for key, con in cons.items():
            price = compat.dual(con)
            shown = _key(key)
            if family == "stock":
                shown = str(names.get(key, key))
            elif family in ("county_cap", "ring_fence", "earned_quota", "stock_by_year"):
                shown = f"{names.get(key[0], key[0])} {key[1]}"
            if abs(price) < TOL:
                price = 0.0
            gap = compat.activity(con)
            rows.append({"family": family, "key": _key(key), "shadow_price_per_ha": price,
                         "shadow_price_per_unit": price / s.unit_factor, "unit": s.unit,
                         "binding": abs(gap) < TOL, "label": LABEL[family][lang].format(key=shown, u=unit)})
    rows += _disposal_rows([r for r in rows if r["family"] == "earned_quota"], s, lang, unit)
    return pd.DataFrame(rows, columns=["family", "key", "shadow_price_per_ha", "shadow_price_per_unit", "unit", "binding", "label"])


def _disposal_rows(earned: list[dict], s, lang: str, unit: str) -> list[dict]:
    """RULES.md: the value of one more hectare disposed in each county and year, r times the earned row's dual
    (a hectare disposed raises the county's limit by earn_ratio hectares)."""
    r = s.rules.linkage.earn_ratio
    out = []
    for row in earned:
        price = r * row["shadow_price_per_ha"]
        out.append({**row, "family": "disposal", "shadow_price_per_ha": price, "shadow_price_per_unit": price / s.unit_factor,
                    "label": LABEL["disposal"][lang].format(key=_named(row["key"], s), u=unit)})
    return out


def _named(key: str, s) -> str:
    c, y = key.split("/")
    return f"{s.counties['name'].get(c, c)} {y}"


def _key(key) -> str:
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
