"""The spatial checks in a project's reason (docs/spatial.md): why a site's overlap excludes it, and the notes a site
adds to any other reason (an overlap admitted with higher approval; cultivated land far from ``farmland_area``).

The figures are ``quota.spatial.sites``' (hectares, in the area CRS); the decision is ``quota.input.eligibility``'s.
Reasons give them in the scenario's unit, to two decimals; ``quota audit`` reads the figure back from the reason.
"""
from __future__ import annotations

import math

import pandas as pd

from ..input.eligibility import SPATIAL_CHECKS, eval_spatial_checks
from ..report.numbers import fill

TEXT = {
    "ecological_redline": {
        "zh": "选址与生态保护红线重叠 {area:.2f} {u},超过容差 {tol:.2f} {u};红线内禁止开发性、生产性建设活动,本项目({category})"
              "不属规则允许的类别,不参与配置",
        "en": "site overlaps the ecological red line by {area:.2f} {u}, above the tolerance of {tol:.2f} {u}; no development or "
              "production construction is allowed inside it and the project ({category}) is not of a kind admitted, so not eligible"},
    "permanent_farmland": {
        "zh": "选址占用永久基本农田 {area:.2f} {u},超过容差 {tol:.2f} {u};永久基本农田不得擅自占用(土地管理法第三十五条),"
              "本项目({category})不属允许占用的重点建设项目,不参与配置",
        "en": "site occupies {area:.2f} {u} of permanent basic farmland, above the tolerance of {tol:.2f} {u}; it may not be "
              "occupied (Land Administration Law, Art. 35) and the project ({category}) is not a key project of a kind admitted, "
              "so not eligible"},
    "outside_urban": {
        "zh": "选址在城镇开发边界外 {area:.2f} {u},超过容差 {tol:.2f} {u};边界外不得进行城镇集中建设,本项目({category})"
              "既非单独选址项目也不属允许的类别,不参与配置",
        "en": "site lies {area:.2f} {u} outside the urban development boundary, above the tolerance of {tol:.2f} {u}; no "
              "concentrated urban building is allowed outside it and the project ({category}) is neither a stand-alone-site "
              "project nor of a kind admitted, so not eligible"},
    "note_ecological_redline": {
        "zh": ";选址与生态保护红线重叠 {area:.2f} {u},属规则允许的类别,须经论证并报更高层级批准",
        "en": "; its site overlaps the ecological red line by {area:.2f} {u}, admitted for its kind subject to higher approval"},
    "note_permanent_farmland": {
        "zh": ";选址占用永久基本农田 {area:.2f} {u},属允许占用的重点建设项目,须经国务院批准(土地管理法第三十五条)",
        "en": "; its site occupies {area:.2f} {u} of permanent basic farmland, admitted as a key project of its kind subject to "
              "State Council approval (Land Administration Law, Art. 35)"},
    "note_outside_urban": {
        "zh": ";选址在城镇开发边界外 {area:.2f} {u},为单独选址项目或允许的类别",
        "en": "; its site lies {area:.2f} {u} outside the urban development boundary, admitted as a stand-alone-site project "
              "or a kind allowed"},
    "note_cultivated": {
        "zh": ";选址占用耕地 {cult:.2f} {u},与填报的耕地面积 farmland_area {farm:.2f} {u} 相差较大,请核对",
        "en": "; its site covers {cult:.2f} {u} of cultivated land against a farmland_area of {farm:.2f} {u}: check them"},
}
CATEGORY = {"zh": {"industry": "工业", "infrastructure": "基础设施", "livelihood": "民生", "commerce": "商服", "tourism": "文旅",
                   "housing": "住宅", "other": "其他"}, "en": {}}


def spatial_context(s) -> dict:
    """Per project with a site: each check's figure, whether its kind is admitted, the cultivated land and farmland_area."""
    if s.spatial is None or s.spatial.figures is None:
        return {}
    checks = eval_spatial_checks(s)
    fig = s.spatial.figures
    out = {}
    for pid in fig.index:
        rec = {code: (checks.at[pid, col], bool(checks.at[pid, f"{code}_allowed"])) for code, col, _ in SPATIAL_CHECKS}
        rec["cultivated"] = fig.at[pid, "cultivated_land"]
        rec["farmland"] = float(s.projects.at[pid, "farmland_area"])
        out[pid] = rec
    return out


def spatial_exclusion_reason(pid, code: str, category: str, s, lang: str, unit: str, ctx: dict) -> str:
    area = ctx[pid][code][0]
    f = s.unit_factor
    return fill(TEXT[code][lang], lang, area=area * f, tol=s.spatial.options.tolerance * f, u=unit,
                                   category=CATEGORY[lang].get(category, category))


def spatial_notes(pid, s, lang: str, unit: str, ctx: dict) -> str:
    """The notes a site adds to its project's reason ("" for none): an overlap beyond the tolerance that the project's
    kind is admitted for, and cultivated land far from its farmland_area (the warning validate gives)."""
    rec = ctx.get(pid)
    if rec is None:
        return ""
    f, tol, out = s.unit_factor, s.spatial.options.tolerance, ""
    for code, _, _ in SPATIAL_CHECKS:
        area, allowed = rec[code]
        if allowed and not pd.isna(area) and area > tol:
            out += fill(TEXT[f"note_{code}"][lang], lang, area=area * f, u=unit)
    cult, farm = rec["cultivated"], rec["farmland"]
    gap = s.spatial.options.cultivated_gap
    if not (isinstance(cult, float) and math.isnan(cult)) and abs(cult - farm) > tol and abs(cult - farm) > gap * max(cult, farm):
        out += fill(TEXT["note_cultivated"][lang], lang, cult=cult * f, farm=farm * f, u=unit)
    return out
