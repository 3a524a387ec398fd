"""``compare``: two run folders side by side, for planners choosing between schedules.

    read_run(folder) ─▶ Run      compare_runs(A, B) ─▶ Comparison ─▶ format_comparison (screen)
                                                                   ─▶ plot_gantt (PNG)
                                                                   ─▶ write_comparison (folder)

Only the files of the run folders are read (``summary.json``, ``projects.csv``,
``allocations.csv``), with pandas and json. Any two runs compare: two scenarios, two variants of
one scenario (a plan forced by a variant's ``phases.csv`` against a free choice), two solvers.
Areas are given in run A's unit; values are in value-weighted hectares, like the objective.

Value by year is the ``value_by_year`` of ``summary.json``: the value of the phases approved in
each year, ``w·a·δ^(y − max(e, y_1))``, computed by the run itself (``quota.solve.evaluate.eval_value_by_year``)
because a phase's earliest year is not in the run folder. A run folder written before that key
existed shows it as empty; its total value still comes from ``projects.csv``.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..statuses import APPROVED, STATUSES
from ..errors import QuotaError
from ..report.safety import read_csv
from ..input.scenario import MU_PER_HA

REQUIRED = {
    "summary.json": ("status", "objective", "bound", "gap", "unit", "lang", "years", "projects"),
    "projects.csv": ("project_id", "name", "status", "plan", "first_year", "phases_approved", "phases_total", "value"),
    "allocations.csv": ("project_id", "plan", "phase", "year", "source", "area"),
}
YEAR_MEASURES = ("quota", "charged", "new_used", "advance_drawn", "advance_repaid", "stock_used", "higher_level", "lapsed",
                 "utilisation")
NOT_AREAS = ("utilisation", "value", "phases_approved")


@dataclass(frozen=True)
class Run:
    """One run folder as written by ``quota run``; areas in its own unit."""

    path: Path
    summary: dict
    projects: pd.DataFrame
    allocations: pd.DataFrame
    files: tuple[Path, ...]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def unit(self) -> str:
        return self.summary["unit"]

    @property
    def lang(self) -> str:
        return self.summary["lang"]


@dataclass(frozen=True)
class Comparison:
    """Run A against run B. Every table has A and B side by side; ``delta`` is B − A."""

    a: Run
    b: Run
    headline: pd.DataFrame  # measure, key (year or status), A, B, delta
    by_year: pd.DataFrame  # year, measure, A, B, delta
    changed: pd.DataFrame  # one row per project whose plan, phase years or status differ
    phases: pd.DataFrame  # run (A | B), project_id, plan, phase, year: the approved phases of the changed projects

    @property
    def unit(self) -> str:
        return self.a.unit


# ------------------------------------------------------------------ read ----

def read_run(run_dir: str | Path) -> Run:
    """Read a run folder; a missing or incomplete one is a ``QuotaError`` that names the file."""
    path = Path(run_dir)
    if not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise QuotaError(f"the run folder {path} {what}; give a folder written by `quota run`.")
    summary = _read_json(path / "summary.json")
    projects = _read_csv(path / "projects.csv")
    allocations = _read_csv(path / "allocations.csv")
    projects["plan"] = projects["plan"].fillna("")
    allocations["plan"] = allocations["plan"].fillna("")
    projects["first_year"] = projects["first_year"].astype("Int64")
    files = tuple(path / f for f in REQUIRED)
    return Run(path, summary, projects, allocations, files)


def _read_json(file: Path) -> dict:
    _exists(file)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise QuotaError(f"{file} cannot be read as JSON ({e}); the run folder is damaged. Run the scenario again.") from None
    missing = [k for k in REQUIRED[file.name] if not isinstance(data, dict) or k not in data]
    if missing:
        raise QuotaError(f"{file} lacks the key(s) {', '.join(missing)}, so it was not written by `quota run`. "
                         "Run the scenario again to get a complete run folder.")
    return data


def _read_csv(file: Path) -> pd.DataFrame:
    _exists(file)
    try:
        frame = read_csv(file, dtype={"project_id": str, "plan": str, "name": str, "source": str, "status": str},
                            keep_default_na=False, na_values=[""], encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as e:
        raise QuotaError(f"{file} cannot be read as a UTF-8 CSV table ({e}); the run folder is damaged. "
                         "Run the scenario again.") from None
    missing = [c for c in REQUIRED[file.name] if c not in frame.columns]
    if missing:
        raise QuotaError(f"{file} lacks the column(s) {', '.join(missing)}, so it was not written by `quota run`. "
                         "Run the scenario again to get a complete run folder.")
    return frame


def _exists(file: Path) -> None:
    if not file.is_file():
        raise QuotaError(f"{file} is missing: {file.parent} is not a complete run folder. "
                         "Give a folder written by `quota run`, or run the scenario again.")


# --------------------------------------------------------------- compare ----

def compare_runs(a: Run, b: Run) -> Comparison:
    """Headline figures, figures by year and the projects that changed, A | B | B − A."""
    to_a = _unit_factor(b.unit, a.unit)
    phases = pd.concat([_phases(a, 1.0).assign(run="A"), _phases(b, to_a).assign(run="B")], ignore_index=True)
    changed = _changed(a, b, phases)
    phases = phases[phases["project_id"].isin(changed["project_id"])]
    phases = phases[["run", "project_id", "plan", "phase", "year", "area"]].reset_index(drop=True)
    return Comparison(a, b, _headline(a, b, to_a), _by_year(a, b, to_a), changed, phases)


def _unit_factor(unit: str, into: str) -> float:
    if unit == into:
        return 1.0
    return MU_PER_HA if into == "mu" else 1.0 / MU_PER_HA


def _delta(x, y):
    numeric = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in (x, y))
    return float(y) - float(x) if numeric and not (pd.isna(x) or pd.isna(y)) else None


def _side_by_side(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns + ["A", "B"])
    out["delta"] = [_delta(x, y) for x, y in zip(out["A"], out["B"])]
    return out


def _years(run: Run, factor: float) -> dict[int, dict]:
    out = {}
    for item in run.summary["years"]:
        out[int(item["year"])] = {k: (v * factor if k not in NOT_AREAS and v is not None else v) for k, v in item.items()}
    return out


def _headline(a: Run, b: Run, to_a: float) -> pd.DataFrame:
    ya, yb = _years(a, 1.0), _years(b, to_a)
    years = sorted(set(ya) | set(yb))
    sa, sb = a.summary, b.summary
    rows = [("method", "", sa.get("method", "optimise"), sb.get("method", "optimise"))]
    rows += [(k, "", sa.get(k), sb.get(k)) for k in ("status", "objective", "bound", "gap")]
    rows.append(("value", "", float(a.projects["value"].sum()), float(b.projects["value"].sum())))
    for measure in ("key_approved", "urgent_approved"):  # the factor method against the optimiser (quota.solve.factor)
        rows.append((measure, "", _count_approved(a, measure), _count_approved(b, measure)))
    stock = [sum(y.get("stock_used") or 0.0 for y in side.values()) for side in (ya, yb)]
    rows.append(("stock_used", "", stock[0], stock[1]))
    for measure in ("utilisation", "advance_drawn"):
        rows += [(measure, str(y), ya.get(y, {}).get(measure), yb.get(y, {}).get(measure)) for y in years]
    rows.append(("advance_owed", "", sa.get("advance_owed"), None if sb.get("advance_owed") is None else sb["advance_owed"] * to_a))
    rows += [("projects", st, int(sa["projects"].get(st, 0)), int(sb["projects"].get(st, 0))) for st in STATUSES]
    return _side_by_side(rows, ["measure", "key"])




def _count_approved(run: Run, measure: str) -> int | None:
    """Key projects (key_level city, provincial or national) or urgent projects with land in the run."""
    p = run.projects
    column = "key_level" if measure == "key_approved" else "urgent"
    if column not in p.columns:
        return None  # a run folder from before the column was written
    mask = (p[column].fillna("none") != "none") if column == "key_level" else p[column].astype(str).str.lower().isin(("true", "1"))
    return int((mask & p["status"].isin(APPROVED)).sum())


def _by_year(a: Run, b: Run, to_a: float) -> pd.DataFrame:
    ya, yb = _years(a, 1.0), _years(b, to_a)
    va, vb = a.summary.get("value_by_year") or {}, b.summary.get("value_by_year") or {}
    na, nb = (r.allocations.drop_duplicates(["project_id", "phase"]).groupby("year").size() for r in (a, b))
    rows = []
    for y in sorted(set(ya) | set(yb)):
        rows.append((y, "value", va.get(str(y), np.nan), vb.get(str(y), np.nan)))
        rows.append((y, "phases_approved", int(na.get(y, 0)), int(nb.get(y, 0))))
        rows += [(y, m, ya.get(y, {}).get(m, np.nan), yb.get(y, {}).get(m, np.nan)) for m in YEAR_MEASURES]
    return _side_by_side(rows, ["year", "measure"])


def _phases(run: Run, factor: float) -> pd.DataFrame:
    """One row per approved (project, plan, phase): its year and area, whatever the sources."""
    al = run.allocations
    g = al.groupby(["project_id", "plan", "phase", "year"], as_index=False)["area"].sum()
    return g.assign(area=g["area"] * factor).sort_values(["project_id", "phase"]).reset_index(drop=True)


def _schedule(phases: pd.DataFrame) -> pd.Series:
    """'1:2023 2:2024' per project: each approved phase and its year."""
    text = phases["phase"].astype(str) + ":" + phases["year"].astype(str)
    return text.groupby(phases["project_id"]).agg(" ".join)


def _changed(a: Run, b: Run, phases: pd.DataFrame) -> pd.DataFrame:
    cols = ["project_id", "name", "status", "plan", "first_year", "phases_approved", "phases_total", "value"]
    sides = []
    for run, key in ((a, "A"), (b, "B")):
        p = run.projects[cols].set_index("project_id")
        p["years"] = _schedule(phases[phases["run"] == key]).reindex(p.index).fillna("")
        sides.append(p)
    m = sides[0].merge(sides[1], left_index=True, right_index=True, how="outer", suffixes=("_A", "_B"), validate="one_to_one")
    m = m.reset_index()
    m["name"] = m["name_B"].fillna(m["name_A"])
    changes = []
    for r in m.itertuples(index=False):
        if pd.isna(r.status_A) or pd.isna(r.status_B):
            changes.append("only in " + ("B" if pd.isna(r.status_A) else "A"))
            continue
        what = [k for k in ("plan", "years", "status") if getattr(r, f"{k}_A") != getattr(r, f"{k}_B")]
        changes.append(",".join(what))
    m["changes"] = changes
    m = m[m["changes"] != ""].copy()
    for side in ("A", "B"):
        m[f"phases_{side}"] = [f"{int(x)}/{int(t) if pd.notna(t) else '—'}" if pd.notna(x) else "" for x, t in zip(m[f"phases_approved_{side}"], m[f"phases_total_{side}"])]
    m["value_delta"] = m["value_B"].fillna(0.0) - m["value_A"].fillna(0.0)
    m = m.assign(_o=-m["value_delta"].abs()).sort_values(["_o", "project_id"]).drop(columns="_o")
    order = ["project_id", "name", "changes"] + [f"{c}_{s}" for c in ("status", "plan", "first_year", "phases", "years", "value")
                                                 for s in ("A", "B")] + ["value_delta"]
    return m[order].reset_index(drop=True)


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
FORMATS = {"key_approved": ",.0f", "urgent_approved": ",.0f", "objective": ",.3f", "bound": ",.3f", "gap": ".2e", "value": ",.3f", "utilisation": ".1%", "projects": ",.0f",
           "phases_approved": ",.0f"}
PRINT_CHANGED = 40


def _fmt(measure: str, v, signed: bool = False) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if isinstance(v, str) or isinstance(v, bool):
        return str(v)
    spec = FORMATS.get(measure, ",.2f")
    return format(v, ("+" if signed else "") + spec)


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
    L = LABELS[lang or c.a.lang]
    unit = L["unit"][c.unit]
    lines = [f"A: {c.a.path}  ({c.a.summary.get('scenario', '')})", f"B: {c.b.path}  ({c.b.summary.get('scenario', '')})", ""]
    rows = [[L["measure"], "A", "B", "Δ (B − A)"]]

    def add(measure, key, x, y, d):
        label = L[measure] + (f" {L.get(key, key)}" if key else "") + (f" ({unit})" if measure.startswith("advance") or measure == "stock_used" else "")
        x, y = (L.get(v, v) if measure == "method" else v for v in (x, y))
        rows.append([label, _fmt(measure, x), _fmt(measure, y), _fmt(measure, d, signed=True)])

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
    rows = [["", "", L["project_status"], L["plan"], L["years"], L["value"], "Δ"]]
    for r in c.changed.head(PRINT_CHANGED).itertuples(index=False):
        st = [L.get(x, x) if isinstance(x, str) else L["absent"] for x in (r.status_A, r.status_B)]
        pl = [x if isinstance(x, str) and x else "—" for x in (r.plan_A, r.plan_B)]
        yr = [x if isinstance(x, str) and x else "—" for x in (r.years_A, r.years_B)]
        rows.append([r.project_id, r.name, f"{st[0]} → {st[1]}", f"{pl[0]} → {pl[1]}", f"{yr[0]} → {yr[1]}",
                     f"{_fmt('value', r.value_A)} → {_fmt('value', r.value_B)}", _fmt("value", r.value_delta, signed=True)])
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

    cjk = setup_fonts()
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
