"""Sweeps: ``quota sweep SCENARIO --set linkage.penalty=0,0.5,1,2 --set quota.scale=0.9,1,1.1``.

    read_grid(--set, --grid) ──▶ points (every combination) ──run_point on a pool or a Dask cluster──▶
        points/<name>/ (a normal run folder each) ──▶ sweep.csv ──▶ figures/<parameter>.png

``run_sweep`` here runs the sweep and writes sweep.csv and the figures; ``sweep_grid`` reads the grid and
names its points, ``sweep_pool`` solves points on a process pool or a Dask cluster, and ``sweep_folder``
writes the point folders and ``sweep.json``.

- **Grid.** Each ``--set KEY=V1,V2,...`` lists the values of one scenario key (read as YAML inside
  ``[...]``, so ``--set linkage.exempt_categories=[livelihood],[livelihood,infrastructure]`` works);
  ``--grid grid.yaml`` maps keys to lists the same way. The points are every combination, in the
  order the keys are given. Any key of ``quota run --set`` may be swept, ``quota.scale`` included.
- **Points.** Each point is ``quota run --set ... --counterfactuals off`` and writes a normal run folder
  ``points/<name>`` (with the short report.md; ``--full-reports`` adds report.html, report.xlsx and
  the charts to every point, at a few seconds each), where ``<name>`` is made from the values alone (``linkage.penalty=0.5__quota.scale=0.9``;
  a short hash is added when a value has characters a folder name should not), so the same point has
  the same folder in every sweep. A point whose scenario is infeasible gets a folder holding only
  ``summary.json`` (status ``infeasible``) and ``diagnosis.txt``.
- **Resume.** A point whose folder exists is done: a run folder is written whole or not at all,
  so a sweep that was killed is re-run with the same command and solves only the points left.
- **Reuse.** A done point is reused only if it was solved with the same inputs and options as this
  command: ``sweep.json`` records, per point, the scenario, the SHA-256 of every input file
  (scenario.yaml, every table, ``extends`` files, the workbook) and every option (method, lang, solver,
  time limit, gap, threads, full reports, the point's ``--set`` values). A point that differs is refused,
  naming each file or option that differs, old and new; ``--force`` solves such points again and
  replaces their folders. A done point with no record (cut short between its folder and its record, or
  written by an older quota) is solved again.
- **The folder.** ``--out`` is a new or empty folder, or a sweep folder (its ``manifest.json`` says
  ``kind: sweep``); never the scenario folder, a folder holding an input or the grid file
  (``quota.report.write.check_target``).
- **Engines.** A local process pool of ``--workers`` processes (``spawn``, never ``fork``: a forked
  child inherits HiGHS's thread pool in a broken state), or the Dask cluster at ``--scheduler
  tcp://HOST:PORT`` (``dask.distributed``, the optional extra ``quota[dask]``). Every point is solved with one solver thread wherever it runs, so
  the engine does not change a result: the same grid gives the same ``sweep.csv`` locally and on
  a cluster. Workers read the scenario at its path (on a cluster, every worker must see it there)
  and send the run folder back as bytes; only this process writes the sweep folder.
- **sweep.csv** holds, per point, the swept values then the key figures read back from the
  point's run folder (objective, bound, gap, status, value, utilisation per year, projects by
  status, key and urgent projects approved, new/advance/stock/lapsed totals). Timings are left
  out, so that two sweeps of one grid give identical files.
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import pandas as pd

from ..statuses import APPROVED, STATUSES
from ..errors import QuotaError
from ..messages import both
from ..report.safety import csv_text, read_csv
from ..solve.solution import SolveOptions
from .sweep_folder import (POINTS, atomic_text, describe_difference, is_done, open_sweep_folder, point_record,
                           record_point, reuse_refusal, write_point)
from .sweep_grid import SAFE, Point, check_points, grid_points, value_text
from .sweep_pool import on_dask, on_pool


@dataclass
class SweepResult:
    folder: Path
    table: pd.DataFrame  # sweep.csv
    solved: list[str]  # point names solved by this call
    skipped: list[str]  # already done before it
    failed: dict[str, str]  # point name -> message (not written; re-run to retry)
    seconds: float
    engine: str  # in English; ``engine_zh`` in Chinese
    lang: str = "en"  # the language of the sweep's reports and charts (--lang, else the scenario's)
    engine_zh: str = ""


def run_sweep(scenario: str | Path, grid: dict[str, list], out: str | Path, opts: SolveOptions | None = None,
              lang: str | None = None, workers: int | None = None, scheduler: str | None = None, method: str = "optimise",
              full_report: bool = False, progress: Callable[[dict], None] | None = None, on_start: Callable[[int, int], None] | None = None,
              force: bool = False, grid_file: str | Path | None = None) -> SweepResult:
    """Run every point of ``grid`` not yet done in ``out``, then write sweep.csv and the figures.

    ``full_report``: each point's full report (html, xlsx, charts; seconds per point) instead of the short report.md.
    ``progress`` is called with each finished point's result; ``on_start(total, to_do, lang)`` before the first (lang: the
    points' language, for what is printed).
    ``force``: solve again the done points whose inputs or options differ (else they are refused, see Reuse).
    ``grid_file``: the ``--grid`` file, an input the folder must not be nor hold."""
    from ..input.read import read_raw
    from ..report.write import check_target, clean_stale, sha256

    started = time.perf_counter()
    scenario = str(Path(scenario).resolve())
    opts = replace(opts or SolveOptions(), threads=1)  # one thread per point, wherever it runs: the same result
    raw = read_raw(scenario)
    folder = check_target(out, False, "sweep", [*raw.files, raw.root, grid_file], resume=True)
    points_dir = folder / POINTS
    points = grid_points(grid)
    check_points(scenario, points, raw)
    inputs = {str(p): sha256(Path(p)) for p in raw.files}
    records = {p.name: point_record(scenario, inputs, opts, lang, method, full_report, p) for p in points}
    state = open_sweep_folder(folder, scenario, grid)
    done = {p.name for p in points if is_done(points_dir / p.name)}
    differ = {name: d for name in sorted(done) if state["points"].get(name) is not None
              and (d := describe_difference(state["records"].get(state["points"][name]), records[name]))}
    if differ and not force:
        raise reuse_refusal(folder, differ)
    skipped = [p.name for p in points if p.name in done and p.name not in differ and state["points"].get(p.name) is not None]
    todo = [p for p in points if p.name not in set(skipped)]
    points_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(points_dir)  # left by a sweep that was killed while writing a point
    shown = lang or (raw.config.get("lang") if raw.config.get("lang") in ("zh", "en") else "zh")  # the points' language
    if on_start:
        on_start(len(points), len(todo), shown)
    tasks = [{"name": p.name, "values": [[k, v] for k, v in p.values], "scenario": scenario, "overrides": p.overrides,
              "opts": opts, "lang": lang, "method": method, "full_report": full_report} for p in todo]
    solved, failed = [], {}
    if scheduler:
        results, engine = on_dask(tasks, scheduler), both("sweep.engine_dask", scheduler=scheduler)
    else:
        n = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
        results, engine = on_pool(tasks, n), both("sweep.engine_pool", n=n)
    for result in results:
        if result["status"] == "error":
            failed[result["name"]] = result["message"]
        else:
            replacing = (points_dir / result["name"]).exists()
            record_point(folder, state, result["name"], None if replacing else records[result["name"]])
            write_point(points_dir, result)  # a record without its folder is harmless: the point is not done
            if replacing:  # while an old folder is replaced it has no record, so a kill then never reuses it
                record_point(folder, state, result["name"], records[result["name"]])
            solved.append(result["name"])
        if progress:
            progress(result)
    table = eval_sweep_table(folder, grid, points)
    write_table(folder, table)
    plot_sweep(folder, table, grid, shown)
    return SweepResult(folder, table, solved, skipped, failed, time.perf_counter() - started, engine[1], shown, engine[0])


# ---------------------------------------------------------------- figures ----

def eval_point_figures(folder: Path) -> dict:
    """The key figures of one point, read back from its run folder (never from the solver)."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    row = {"status": summary.get("status"), "proven_optimal": summary.get("proven_optimal"),
           "objective": summary.get("objective"), "bound": summary.get("bound"), "gap": summary.get("gap")}
    if summary.get("status") == "infeasible":
        return row
    projects = read_csv(folder / "projects.csv", dtype={"project_id": str, "status": str, "key_level": str},
                           keep_default_na=False, na_values=[""])
    row["value"] = float(projects["value"].sum())
    years = summary["years"]
    for y in years:
        row[f"utilisation_{y['year']}"] = y["utilisation"]
    for st in STATUSES:
        row[f"projects_{st}"] = int(summary["projects"].get(st, 0))
    got = projects["status"].isin(APPROVED)
    row["key_approved"] = int((got & (projects["key_level"].fillna("none") != "none")).sum())
    row["urgent_approved"] = int((got & projects["urgent"].astype(str).str.lower().isin(("true", "1"))).sum())
    for measure, column in (("new", "new_used"), ("advance", "advance_drawn"), ("stock", "stock_used"),
                            ("lapsed", "lapsed"), ("higher_level", "higher_level")):
        row[f"{measure}_total"] = float(sum(y.get(column) or 0.0 for y in years))
    row["advance_owed"] = summary.get("advance_owed")
    return row


def eval_sweep_table(folder: Path, grid: dict[str, list], points: list[Point]) -> pd.DataFrame:
    rows = []
    for p in points:
        where = folder / POINTS / p.name
        row = {k: (value_text(v) if isinstance(v, (list, dict)) else v) for k, v in p.values}
        row["point"] = p.name
        row.update(eval_point_figures(where) if is_done(where) else {"status": "not_done"})
        rows.append(row)
    return pd.DataFrame(rows)


def write_table(folder: Path, table: pd.DataFrame) -> None:
    atomic_text(folder / "sweep.csv", csv_text(table, "%.6f"))  # text cells formula-safe (quota.report.safety)


# figure -> (zh, en, unit kind): "value" value-weighted ha, "count" projects (integer ticks), "area" the scenario's unit
FIGURES = {"objective": ("目标值", "objective", "value"), "value": ("获批项目价值", "value of approvals", "value"),
           "projects_approved": ("按期获批项目数", "projects approved", "count"),
           "key_approved": ("获批重点项目数", "key projects approved", "count"),
           "new_total": ("新增指标使用", "new quota used", "area"), "advance_total": ("预支指标", "advance drawn", "area"),
           "stock_total": ("存量使用", "stock used", "area")}
UTILISATION = ("{y} 年指标使用率", "utilisation {y}", "pct")
FIGURE_UNITS = {"zh": {"value": "加权公顷", "count": "个", "pct": "%", "ha": "公顷", "mu": "亩"},
                "en": {"value": "value-weighted ha", "count": "projects", "pct": "%", "ha": "ha", "mu": "mu"}}


def figure_title(figure: str, zh: bool, unit: str) -> tuple[str, str]:
    """(title with its unit, unit kind) of one sweep figure: ``目标值(加权公顷)`` / ``objective (value-weighted ha)``."""
    zh_text, en_text, kind = FIGURES.get(figure) or tuple(t.format(y=figure[-4:]) if i < 2 else t for i, t in enumerate(UTILISATION))
    word = FIGURE_UNITS["zh" if zh else "en"][unit if kind == "area" else kind]
    return (f"{zh_text}({word})" if zh else f"{en_text} ({word})"), kind


def plot_sweep(folder: Path, table: pd.DataFrame, grid: dict[str, list], lang: str | None = None) -> list[Path]:
    """figures/<parameter>.png: every key figure against each swept parameter, one line per
    combination of the other parameters (their mean, with the range shaded, when there are more than 8)."""
    from ..report.fonts import has_cjk, setup_fonts
    from ..report.plot import new_figure, save_png

    setup_fonts(lang)
    zh = has_cjk() and lang != "en"
    figures = [c for c in FIGURES if c in table] + [c for c in table.columns if str(c).startswith("utilisation_")]
    done = table[~table["status"].isin(["not_done", "infeasible"])] if "status" in table else table
    out_dir = folder / "figures"
    out_dir.mkdir(exist_ok=True)
    paths = []
    for key in grid:
        if len(grid[key]) < 2 or done.empty:
            continue
        paths.append(_plot_parameter(done, key, [k for k in grid if k != key], figures, zh, out_dir / f"{SAFE.sub('_', key)}.png",
                                     new_figure, save_png, _unit(folder, done)))
    return paths


def _unit(folder: Path, done: pd.DataFrame) -> str:
    """The area unit of the sweep's points (every point is the same scenario), from the first point's summary."""
    for name in done.get("point", []):
        try:
            return json.loads((folder / POINTS / name / "summary.json").read_text(encoding="utf-8")).get("unit", "ha")
        except (OSError, ValueError):
            continue
    return "ha"


def _plot_parameter(done, key, others, figures, zh, path, new_figure, save_png, unit="ha") -> Path:
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in done[key])
    xs = sorted(done[key].unique()) if numeric else list(dict.fromkeys(done[key].astype(str)))
    pos = (lambda v: v) if numeric else (lambda v: xs.index(str(v)))
    cols = 4
    rows = math.ceil(len(figures) / cols)
    fig = new_figure(3.2 * cols, 2.6 * rows + 0.6)
    groups = list(done.groupby(others, sort=True)) if others else [((), done)]
    for i, f in enumerate(figures):
        ax = fig.add_subplot(rows, cols, i + 1)
        if len(groups) <= 8:
            for label, g in groups:
                g = g.assign(_x=[pos(v) for v in g[key]]).sort_values("_x")
                text = ", ".join(f"{k}={v}" for k, v in zip(others, label if isinstance(label, tuple) else (label,)))
                ax.plot(g["_x"], g[f], marker="o", label=text or None)
        else:
            g = done.assign(_x=[pos(v) for v in done[key]]).groupby("_x")[f].agg(["mean", "min", "max"])
            ax.plot(g.index, g["mean"], marker="o")
            ax.fill_between(g.index, g["min"], g["max"], alpha=0.2)
        title, kind = figure_title(f, zh, unit)
        ax.set_title(title, fontsize=9)
        if kind == "count":  # a number of projects: whole numbers only
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        elif kind == "pct":
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(key, fontsize=8)
        ax.tick_params(labelsize=7)
        if not numeric:
            ax.set_xticks(range(len(xs)), xs, rotation=20)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    if labels:
        fig.legend(handles, labels, loc="outside lower center", ncol=min(4, len(labels)), frameon=False, fontsize=8)
    fig.suptitle(("扫描参数:" if zh else "swept parameter: ") + key, fontsize=11)
    return save_png(fig, path)
