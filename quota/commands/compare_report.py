"""The comparison of two runs shown to people (``quota compare``): ``format_comparison`` (the side-by-side
table for the screen, in Chinese or English), ``plot_gantt`` (the phases of the projects that differ, run A
above run B) and ``write_comparison`` (headline.csv, by_year.csv, changed.csv and gantt.png, written whole or
not at all). The tables themselves come from ``quota.commands.compare.compare_runs``.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..report.labels import SOLVER_STATUS
from ..report.numbers import number, scientific
from .compare import Comparison


# ----------------------------------------------------------------- words ----

LABELS = {
    "zh": {"method": "方法", "optimise": "优化", "factor": "因素法", "key_approved": "获批重点项目数", "urgent_approved": "获批急需项目数",
           "stock_used": "存量使用", "status": "求解状态", "objective": "目标值", "bound": "最优界", "gap": "相对间隙", "value": "获批项目价值",
           "utilisation": "指标使用率", "advance_drawn": "预支指标", "advance_owed": "规划期末未还预支", "projects": "项目数",
           "approved": "按期获批", "deferred": "推迟获批", "partial": "部分获批", "rejected": "未获批", "excluded": "不符合条件",
           "higher_level": "上级保障", "absent": "无此项目", "project_status": "状态", "measure": "指标", "changed": "分期安排不同的项目",
           "none_changed": "两次运行的方案、分期年份和状态完全相同。", "more": "其余 {n} 个见 changed.csv",
           "title": "分期安排对比:A = {a},B = {b}", "title_n": "({n} 个项目不同)", "title_cut": "(按价值变化显示前 {k} 个,共 {n} 个)",
           "xlabel": "批准年份", "empty": "两次运行的分期安排相同", "plan": "方案", "years": "年份", "unit": {"ha": "公顷", "mu": "亩"}},
    "en": {"method": "method", "optimise": "optimiser", "factor": "factor method", "key_approved": "key projects approved",
           "urgent_approved": "urgent projects approved", "stock_used": "stock used", "status": "status", "objective": "objective", "bound": "bound", "gap": "gap", "value": "value of approvals",
           "utilisation": "utilisation", "advance_drawn": "advance drawn", "advance_owed": "advance owed", "projects": "projects",
           "approved": "approved", "deferred": "deferred", "partial": "partial", "rejected": "rejected", "excluded": "excluded",
           "higher_level": "higher level", "absent": "absent", "project_status": "status", "measure": "measure", "changed": "projects that differ",
           "none_changed": "The two runs choose the same plans, years and statuses for every project.", "more": "{n} more in changed.csv",
           "title": "Phasing schedules: A = {a}, B = {b}", "title_n": " ({n} projects differ)", "title_cut": " (the {k} of {n} with the largest value change)",
           "xlabel": "approval year", "empty": "The two runs approve the same phases in the same years", "plan": "plan",
           "years": "years", "unit": {"ha": "ha", "mu": "mu"}},
}
# decimals by measure (quota.report.numbers.number); the gap in scientific notation, shares as percentages
DECIMALS = {"key_approved": 0, "urgent_approved": 0, "objective": 3, "bound": 3, "value": 3, "projects": 0, "phases_approved": 0}
PERCENT = {"utilisation"}
# the unit of each measure's figures: "area" is the runs' unit, "value" value-weighted ha, "count" projects
UNITS = {"objective": "value", "bound": "value", "value": "value", "stock_used": "area", "advance_drawn": "area",
         "advance_owed": "area", "key_approved": "count", "urgent_approved": "count", "projects": "count"}
UNIT_WORDS = {"zh": {"value": "加权公顷", "count": "个"}, "en": {"value": "value-weighted ha", "count": "projects"}}
PRINT_CHANGED = 40


def _fmt(measure: str, v, signed: bool = False, lang: str = "zh") -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if isinstance(v, str) or isinstance(v, bool):
        return str(v)
    if measure == "gap":
        return scientific(v, signed=signed)
    return number(v, DECIMALS.get(measure, 1 if measure in PERCENT else 2), lang, signed, percent=measure in PERCENT)


def _unit(measure: str, L: dict, lang: str) -> str:
    """`` (公顷)`` / `` (ha)``: the unit of a measure's figures, as a header suffix ("" for none)."""
    kind = UNITS.get(measure)
    if kind is None:
        return ""
    word = L["unit"] if kind == "area" else UNIT_WORDS[lang][kind]
    return f"({word})" if lang == "zh" else f" ({word})"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]], right_from: int = 1) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [(" " * (w - _width(c)) + c) if i >= right_from else (c + " " * (w - _width(c))) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_comparison(c: Comparison, lang: str | None = None) -> str:
    """The side-by-side table for the screen: headline, value by year, then the projects that differ."""
    lang = lang or c.a.lang
    L = dict(LABELS[lang], unit=LABELS[lang]["unit"][c.unit])
    lines = [f"A: {c.a.path}  ({c.a.summary.get('scenario', '')})", f"B: {c.b.path}  ({c.b.summary.get('scenario', '')})", ""]
    rows = [[L["measure"], "A", "B", "Δ (B − A)"]]

    def add(measure, key, x, y, d):
        label = L[measure] + (f" {L.get(key, key)}" if key else "") + _unit(measure, L, lang)
        if measure == "method":
            x, y = (L.get(v, v) for v in (x, y))
        elif measure == "status":
            x, y = (SOLVER_STATUS[lang].get(v, v) for v in (x, y))
        rows.append([label, _fmt(measure, x, lang=lang), _fmt(measure, y, lang=lang), _fmt(measure, d, signed=True, lang=lang)])

    h = c.headline
    top = ["method", "status", "objective", "bound", "gap", "value"]
    for r in h[h["measure"].isin(top)].itertuples(index=False):
        add(r.measure, r.key, r.A, r.B, r.delta)
    for r in c.by_year[c.by_year["measure"] == "value"].itertuples(index=False):
        add("value", str(r.year), r.A, r.B, r.delta)
    for r in h[~h["measure"].isin(top)].itertuples(index=False):
        add(r.measure, r.key, r.A, r.B, r.delta)
    lines += _table(rows)
    lines += ["", f"{L['changed']}: {len(c.changed)}"]
    if c.changed.empty:
        lines.append(L["none_changed"])
        return "\n".join(lines)
    rows = [["", "", L["project_status"], L["plan"], L["years"], L["value"] + _unit("value", L, lang), "Δ"]]
    for r in c.changed.head(PRINT_CHANGED).itertuples(index=False):
        st = [L.get(x, x) if isinstance(x, str) else L["absent"] for x in (r.status_A, r.status_B)]
        pl = [x if isinstance(x, str) and x else "—" for x in (r.plan_A, r.plan_B)]
        yr = [x if isinstance(x, str) and x else "—" for x in (r.years_A, r.years_B)]
        rows.append([r.project_id, r.name, f"{st[0]} → {st[1]}", f"{pl[0]} → {pl[1]}", f"{yr[0]} → {yr[1]}",
                     f"{_fmt('value', r.value_A, lang=lang)} → {_fmt('value', r.value_B, lang=lang)}",
                     _fmt("value", r.value_delta, signed=True, lang=lang)])
    lines += _table(rows, right_from=5)
    if len(c.changed) > PRINT_CHANGED:
        lines.append(L["more"].format(n=len(c.changed) - PRINT_CHANGED))
    return "\n".join(lines)


# ----------------------------------------------------------------- chart ----

MAX_GANTT_ROWS = 60


def plot_gantt(c: Comparison, path: str | Path, lang: str | None = None) -> Path:
    """Gantt chart of the projects that differ: per project, run A's phases above run B's, each phase a
    bar in its approval year labelled plan + phase (``B2``); each run's status is written at the right.
    Chinese project names and labels when a CJK font is available, ids and English otherwise."""
    from ..report.fonts import setup_fonts
    from ..report.plot import PAIR, Style, plot_gantt as draw

    cjk = setup_fonts(lang or c.a.lang)
    lang = lang if cjk else "en"
    L = LABELS[lang or c.a.lang]
    changed = c.changed.head(MAX_GANTT_ROWS)
    labels = {r.project_id: (f"{r.name} {r.project_id}" if cjk else r.project_id) for r in changed.itertuples(index=False)}
    rows = [labels[p] for p in changed["project_id"]]
    names = [_ascii_or(run.name, key, cjk) for run, key in ((c.a, "A"), (c.b, "B"))]
    styles = {"A": Style(f"A: {names[0]}", PAIR[0].color, PAIR[0].hatch), "B": Style(f"B: {names[1]}", PAIR[1].color, PAIR[1].hatch)}
    ph = c.phases[c.phases["project_id"].isin(labels)]
    n_same = ph.groupby(["run", "project_id", "year"])["phase"].transform("size")
    i_same = ph.groupby(["run", "project_id", "year"]).cumcount()
    bars = pd.DataFrame({"row": ph["project_id"].map(labels), "series": ph["run"],
                         "start": ph["year"] - 0.45 + 0.9 * i_same / n_same, "width": 0.9 / n_same,
                         "text": ph["plan"].astype(str) + ph["phase"].astype(str)})
    notes = pd.DataFrame([(labels[r.project_id], side, L.get(st, st) if isinstance(st, str) else L["absent"])
                          for r in changed.itertuples(index=False) for side, st in (("A", r.status_A), ("B", r.status_B))],
                         columns=["row", "series", "text"])
    years = sorted({int(y["year"]) for run in (c.a, c.b) for y in run.summary["years"]})
    title = L["title"].format(a=names[0], b=names[1])
    if len(c.changed) > len(changed):
        title += L["title_cut"].format(k=len(changed), n=len(c.changed))
    elif len(changed):
        title += L["title_n"].format(n=len(changed))
    return draw(bars, rows, styles, path, title=title, xlabel=L["xlabel"], xticks=years, notes=notes, empty_text=L["empty"])


def _ascii_or(text: str, fallback: str, cjk: bool) -> str:
    return text if cjk or text.isascii() else fallback


# ----------------------------------------------------------------- write ----

def write_comparison(c: Comparison, out: str | Path, lang: str | None = None, force: bool = False) -> Path:
    """headline.csv, by_year.csv, changed.csv, gantt.png and a manifest (``kind: comparison``), written whole or
    not at all; never over run A or B, nor a folder holding them (quota.report.write.check_target)."""
    from ..report.write import write_run

    lang = lang or c.a.lang
    files = {"headline.csv": c.headline, "by_year.csv": c.by_year, "changed.csv": c.changed,
             "gantt.png": lambda path: plot_gantt(c, path, lang)}
    manifest = {"kind": "comparison", "compare": {"A": str(c.a.path.absolute()), "B": str(c.b.path.absolute())},
                "unit": c.unit, "lang": lang}
    return write_run(out, files, list(c.a.files + c.b.files), manifest, force, protect=[c.a.path, c.b.path])
