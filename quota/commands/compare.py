"""``compare``: two run folders side by side, for planners choosing between schedules.

    read_run(folder) ─▶ Run      compare_runs(A, B) ─▶ Comparison ─▶ format_comparison (screen)
                                                                   ─▶ plot_gantt (PNG)
                                                                   ─▶ write_comparison (folder)

This module reads the runs and computes the tables; ``quota.commands.compare_report`` shows them (the
screen table, the Gantt chart, the comparison folder).

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
        raise QuotaError.of("error.compare." + ("a_file" if path.exists() else "no_folder"), path=path)
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
        raise QuotaError.of("error.compare.json", file=file, error=e) from None
    missing = [k for k in REQUIRED[file.name] if not isinstance(data, dict) or k not in data]
    if missing:
        raise QuotaError.of("error.compare.keys", file=file, missing=", ".join(missing))
    return data


def _read_csv(file: Path) -> pd.DataFrame:
    _exists(file)
    try:
        frame = read_csv(file, dtype={"project_id": str, "plan": str, "name": str, "source": str, "status": str},
                            keep_default_na=False, na_values=[""], encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as e:
        raise QuotaError.of("error.compare.csv", file=file, error=e) from None
    missing = [c for c in REQUIRED[file.name] if c not in frame.columns]
    if missing:
        raise QuotaError.of("error.compare.columns", file=file, missing=", ".join(missing))
    return frame


def _exists(file: Path) -> None:
    if not file.is_file():
        raise QuotaError.of("error.compare.missing", file=file, folder=file.parent)


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
