"""Sweeps: ``quota sweep SCENARIO --set linkage.penalty=0,0.5,1,2 --set quota.scale=0.9,1,1.1``.

    read_grid(--set, --grid) ──▶ points (every combination) ──run_point on a pool or a Dask cluster──▶
        points/<name>/ (a normal run folder each) ──▶ sweep.csv ──▶ figures/<parameter>.png

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
  tcp://HOST:PORT`` (``dask.distributed``, the optional extra ``quota[sweep]``). Every point is solved with one solver thread wherever it runs, so
  the engine does not change a result: the same grid gives the same ``sweep.csv`` locally and on
  a cluster. Workers read the scenario at its path (on a cluster, every worker must see it there)
  and send the run folder back as bytes; only this process writes the sweep folder.
- **sweep.csv** holds, per point, the swept values then the key figures read back from the
  point's run folder (objective, bound, gap, status, value, utilisation per year, projects by
  status, key and urgent projects approved, new/advance/stock/lapsed totals). Timings are left
  out, so that two sweeps of one grid give identical files.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import pandas as pd

from ..statuses import APPROVED, STATUSES
from ..errors import InfeasibleError, Issue, QuotaError, ScenarioError
from ..input.yamlfile import load_yaml_text, read_yaml_file
from ..report.safety import csv_text, read_csv
from ..solve.solution import SolveOptions
from ..input.variants import Override, check_key

POINTS = "points"
SAFE = re.compile(r"[^A-Za-z0-9._=+-]")
MAX_NAME = 120


# ------------------------------------------------------------------ grid ----

def parse_values(key: str, text: str) -> list:
    """``"0,0.5,1"`` → [0, 0.5, 1]: the values of one ``--set`` of a sweep, read as a YAML list."""
    values = load_yaml_text(f"[{text}]", f"--set {key}={text}", key, "list the values with commas: --set linkage.penalty=0,0.5,1")
    if not values:
        raise ScenarioError([Issue("bad-set", f"--set {key}={text}", key, key, "lists no value.", "give one or more values after =.")])
    return values


def read_grid(sets: list[str] = (), grid_file: str | Path | None = None) -> dict[str, list]:
    """The swept keys and their values, from ``--grid`` (first) and ``--set`` (after); every key checked."""
    grid: dict[str, list] = {}
    issues: list[Issue] = []
    if grid_file is not None:
        path = Path(grid_file)
        data = read_yaml_file(path)
        if not isinstance(data, dict):
            raise ScenarioError([Issue("grid", path.name, "", "", "must map keys to lists of values.",
                                       "write e.g. `linkage.penalty: [0, 0.5, 1, 2]`.")])
        for key, values in data.items():
            grid[str(key)] = values if isinstance(values, list) and values else [values]
    for item in sets:
        key, eq, text = str(item).partition("=")
        key = key.strip()
        if not eq or not key:
            issues.append(Issue("bad-set", f"--set {item}", "", "", "is not of the form KEY.PATH=V1,V2,...",
                                "write e.g. --set linkage.penalty=0,0.5,1,2"))
            continue
        if key in grid:
            issues.append(Issue("bad-set", f"--set {item}", key, key, "is swept twice.", "give each key once, in --set or in --grid."))
            continue
        grid[key] = parse_values(key, text)
    for key in grid:
        problem = check_key(key)
        if problem is not None:
            issues.append(Issue("unknown-key", "--grid" if grid_file is not None and key not in {str(s).partition("=")[0].strip() for s in sets}
                                else "--set", key, key, problem, "see docs/scenario-format.md for every key."))
    if issues:
        raise ScenarioError(issues)
    if not grid:
        raise QuotaError("nothing to sweep: give --set KEY=V1,V2,... or --grid grid.yaml.")
    return grid


def _text(value) -> str:
    """A value as YAML flow text: what ``--set key=<text>`` would say."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Point:
    values: tuple[tuple[str, object], ...]  # (key, value) in grid order

    @property
    def overrides(self) -> list[Override]:
        return [Override(k, v, f"{k}={_text(v)}") for k, v in self.values]

    @property
    def name(self) -> str:
        """A folder name made from the values alone: the same point has the same folder in every sweep."""
        plain = "__".join(f"{k}={_text(v)}" for k, v in self.values)
        safe = SAFE.sub("_", plain)
        if safe != plain or len(safe) > MAX_NAME:
            digest = hashlib.sha1(json.dumps(self.values, ensure_ascii=False, default=str).encode()).hexdigest()[:8]
            safe = f"{safe[:MAX_NAME]}-{digest}"
        return safe


def grid_points(grid: dict[str, list]) -> list[Point]:
    keys = list(grid)
    return [Point(tuple(zip(keys, combo))) for combo in itertools.product(*(grid[k] for k in keys))]


# ---------------------------------------------------------------- a point ----

def run_point(task: dict) -> dict:
    """Solve one point, anywhere (this process, a pool worker, a Dask worker). Returns its run folder
    as ``{relative path: bytes}``, or the reason it has none."""
    from ..run import solve_scenario, write_result
    from ..input.variants import load_variant, overrides_applied

    started = time.perf_counter()
    out = {"name": task["name"], "status": "ok", "files": {}, "message": ""}
    with tempfile.TemporaryDirectory(prefix="quota-point-") as tmp:
        _worker["tmp"] = tmp  # removed by _watch_parent if this worker is stopped by its parent's death
        folder = Path(tmp) / "run"
        try:
            s = load_variant(task["scenario"], task["overrides"])
            if task["method"] == "factor":
                from ..pipeline import factor_scenario

                result = factor_scenario(s, task["lang"])
            else:
                result = solve_scenario(s, task["opts"], task["lang"])
            result.overrides = overrides_applied(s.config, task["overrides"])
            write_result(result, folder, full_report=task["full_report"])
        except InfeasibleError as e:
            summary = {"status": "infeasible", "message": str(e), "method": task["method"], "point": task["values"]}
            out.update(status="infeasible", message=str(e),
                       files={"summary.json": json.dumps(summary, ensure_ascii=False, indent=2, default=str).encode(),
                              "diagnosis.txt": str(e).encode()})
        except QuotaError as e:
            out.update(status="error", message=str(e))
        else:
            out["files"] = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    out["seconds"] = time.perf_counter() - started
    return out


def _write_point(points: Path, result: dict) -> Path:
    """Write a point's files into ``points/<name>`` whole or not at all (rename of a finished folder);
    a folder of the same name (a point solved again) is replaced."""
    from ..report.write import make_temp, swap_into_place

    target = points / result["name"]
    tmp = make_temp(target)
    try:
        for rel, data in result["files"].items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def is_done(folder: Path) -> bool:
    return (folder / "summary.json").is_file()


# ----------------------------------------------------------------- sweep ----

@dataclass
class SweepResult:
    folder: Path
    table: pd.DataFrame  # sweep.csv
    solved: list[str]  # point names solved by this call
    skipped: list[str]  # already done before it
    failed: dict[str, str]  # point name -> message (not written; re-run to retry)
    seconds: float
    engine: str


def run_sweep(scenario: str | Path, grid: dict[str, list], out: str | Path, opts: SolveOptions | None = None,
              lang: str | None = None, workers: int | None = None, scheduler: str | None = None, method: str = "optimise",
              full_report: bool = False, progress: Callable[[dict], None] | None = None, on_start: Callable[[int, int], None] | None = None,
              force: bool = False, grid_file: str | Path | None = None) -> SweepResult:
    """Run every point of ``grid`` not yet done in ``out``, then write sweep.csv and the figures.

    ``full_report``: each point's full report (html, xlsx, charts; seconds per point) instead of the short report.md.
    ``progress`` is called with each finished point's result; ``on_start(total, to_do)`` before the first.
    ``force``: solve again the done points whose inputs or options differ (else they are refused, see Reuse).
    ``grid_file``: the ``--grid`` file, an input the folder must not be nor hold."""
    from ..input.read import read_raw
    from ..report.write import check_target, clean_stale

    started = time.perf_counter()
    scenario = str(Path(scenario).resolve())
    opts = replace(opts or SolveOptions(), threads=1)  # one thread per point, wherever it runs: the same result
    raw = read_raw(scenario)
    folder = check_target(out, False, "sweep", [*raw.files, raw.root, grid_file], resume=True)
    points_dir = folder / POINTS
    points = grid_points(grid)
    check_points(scenario, points, raw)
    inputs = {str(p): _sha256(p) for p in raw.files}
    records = {p.name: point_record(scenario, inputs, opts, lang, method, full_report, p) for p in points}
    state = _open_sweep_folder(folder, scenario, grid)
    done = {p.name for p in points if is_done(points_dir / p.name)}
    differ = {name: d for name in sorted(done) if state["points"].get(name) is not None
              and (d := describe_difference(state["records"].get(state["points"][name]), records[name]))}
    if differ and not force:
        raise QuotaError(reuse_refusal(folder, differ))
    skipped = [p.name for p in points if p.name in done and p.name not in differ and state["points"].get(p.name) is not None]
    todo = [p for p in points if p.name not in set(skipped)]
    points_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(points_dir)  # left by a sweep that was killed while writing a point
    if on_start:
        on_start(len(points), len(todo))
    tasks = [{"name": p.name, "values": [[k, v] for k, v in p.values], "scenario": scenario, "overrides": p.overrides,
              "opts": opts, "lang": lang, "method": method, "full_report": full_report} for p in todo]
    solved, failed = [], {}
    if scheduler:
        results, engine = _on_dask(tasks, scheduler), f"dask {scheduler}"
    else:
        n = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
        results, engine = _on_pool(tasks, n), f"local pool of {n}"
    for result in results:
        if result["status"] == "error":
            failed[result["name"]] = result["message"]
        else:
            replacing = (points_dir / result["name"]).exists()
            _record(folder, state, result["name"], None if replacing else records[result["name"]])
            _write_point(points_dir, result)  # a record without its folder is harmless: the point is not done
            if replacing:  # while an old folder is replaced it has no record, so a kill then never reuses it
                _record(folder, state, result["name"], records[result["name"]])
            solved.append(result["name"])
        if progress:
            progress(result)
    table = eval_sweep_table(folder, grid, points)
    write_table(folder, table)
    plot_sweep(folder, table, grid, lang)
    return SweepResult(folder, table, solved, skipped, failed, time.perf_counter() - started, engine)


# ------------------------------------------------------ what a point was solved with ----

def _sha256(path: Path) -> str:
    from ..report.write import sha256

    return sha256(Path(path))


def point_record(scenario: str, inputs: dict[str, str], opts: SolveOptions, lang, method: str, full_report: bool,
                 point: Point) -> dict:
    """Everything a point's result depends on: the scenario, the hash of every input file, every option."""
    options = {"method": method, "lang": lang, **asdict(opts), "full_reports": bool(full_report),
               "set": [o.text for o in point.overrides]}
    return json.loads(json.dumps({"scenario": scenario, "inputs": inputs, "options": options}, default=str))


def describe_difference(old: dict | None, new: dict) -> list[str]:
    """What differs between the record a point was solved with and this command's, one phrase per file or
    option, old and new; [] when they match."""
    if not isinstance(old, dict):
        return ["its record is unreadable"]
    out = []
    if old.get("scenario") != new["scenario"]:
        out.append(f"another scenario ({old.get('scenario')} then, {new['scenario']} now)")
    was, now = old.get("inputs") or {}, new["inputs"]
    for path in sorted(set(was) | set(now)):
        if path not in now:
            out.append(f"input {path} is no longer read")
        elif path not in was:
            out.append(f"input {path} is new")
        elif was[path] != now[path]:
            out.append(f"input {path} changed (SHA-256 {was[path][:12]}… then, {now[path][:12]}… now)")
    was, now = old.get("options") or {}, new["options"]
    for key in sorted(set(was) | set(now)):
        if was.get(key) != now.get(key):
            out.append(f"option {key}: {was.get(key)!r} then, {now.get(key)!r} now")
    return out


def reuse_refusal(folder: Path, differ: dict[str, list[str]]) -> str:
    groups: dict[tuple, list[str]] = {}
    for name, what in differ.items():
        groups.setdefault(tuple(what), []).append(name)
    lines = []
    for what, names in groups.items():
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        lines.append(f"  {len(names)} point(s) ({shown}): " + "; ".join(what))
    return (f"{folder} holds {len(differ)} point(s) solved with other inputs or options than this command, so their "
            "results cannot be reused:\n" + "\n".join(lines) + "\nPass --force to solve them again (their folders are "
            "replaced), or choose another --out to keep both.")


def _open_sweep_folder(folder: Path, scenario: str, grid: dict) -> dict:
    """Create the sweep folder (manifest.json ``kind: sweep``) and read its state, sweep.json."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "manifest.json").exists():
        _atomic_text(folder / "manifest.json", json.dumps({"kind": "sweep", "state": "sweep.json"}, indent=2))
    try:
        state = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    state = {"kind": "sweep", "scenario": scenario, "grid": grid,
             "points": state.get("points") if isinstance(state.get("points"), dict) else {},
             "records": state.get("records") if isinstance(state.get("records"), dict) else {}}
    _save_state(folder, state)
    return state


def _record(folder: Path, state: dict, name: str, record: dict | None) -> None:
    """Set (or, with None, drop) the record of what point ``name`` was solved with, in sweep.json."""
    if record is None:
        state["points"].pop(name, None)
    else:
        digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:16]
        state["records"][digest] = record
        state["points"][name] = digest
    used = set(state["points"].values())
    state["records"] = {k: v for k, v in state["records"].items() if k in used}
    _save_state(folder, state)


def _save_state(folder: Path, state: dict) -> None:
    _atomic_text(folder / "sweep.json", json.dumps(state, ensure_ascii=False, indent=2, default=str))


def check_points(scenario: str, points: list[Point], raw=None) -> None:
    """Every point's scenario is valid, before any is solved; else one ``ScenarioError`` listing every problem."""
    from ..input.read import read_raw
    from ..input.variants import validate_variant

    issues: list[Issue] = []
    raw = raw if raw is not None else read_raw(scenario)
    for p in points:
        try:
            validate_variant(raw, p.overrides)
        except ScenarioError as e:
            issues += [i for i in e.issues if i not in issues]
    if issues:
        raise ScenarioError(issues)


def _on_pool(tasks: list[dict], workers: int):
    """Each point in a fresh ``spawn`` process, even with one worker: a process that has run HiGHS with
    another thread count cannot solve with one thread (HiGHS keeps its first thread pool), and a
    forked child inherits that pool broken."""
    if not tasks:
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_watch_parent, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(run_point, task): task["name"] for task in tasks}
        for future in as_completed(futures):
            yield _result(future, futures[future])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


_worker: dict[str, str | None] = {"tmp": None}  # the temporary folder of the point a pool worker is solving


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """Pool initializer: stop this worker as soon as the sweep that started it is gone (``kill -9`` of
    ``quota sweep`` cannot stop its pool). A daemon thread compares ``os.getppid()`` with the sweep's pid
    (a worker whose parent dies is re-parented) and then removes the point's temporary folder and exits."""
    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        if _worker["tmp"]:
            shutil.rmtree(_worker["tmp"], ignore_errors=True)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="quota-watch-parent").start()


def _on_dask(tasks: list[dict], scheduler: str):
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise QuotaError("--scheduler needs dask.distributed: pip install 'quota[sweep]' (or 'dask[distributed]').") from None
    try:
        client = Client(scheduler, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise QuotaError(f"cannot reach the Dask scheduler at {scheduler} ({type(e).__name__}: {e}). "
                         "Start it (dask scheduler; dask worker ADDRESS) or check the address.") from None
    with client:
        futures = {client.submit(run_point, task, key=f"quota-point-{task['name']}-{os.getpid()}-{time.time_ns()}", pure=False):
                   task["name"] for task in tasks}
        for future in dask_completed(list(futures), loop=client.loop):
            yield _result(future, futures[future])


def _result(future, name: str) -> dict:
    """A finished point; a worker that died or could not run quota is a failed point, not a traceback."""
    try:
        return future.result()
    except Exception as e:  # noqa: BLE001 - any failure of the engine is reported per point, and the sweep goes on
        return {"name": name, "status": "error", "files": {}, "message": f"the worker failed: {type(e).__name__}: {e}"}


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


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
        row = {k: (_text(v) if isinstance(v, (list, dict)) else v) for k, v in p.values}
        row["point"] = p.name
        row.update(eval_point_figures(where) if is_done(where) else {"status": "not_done"})
        rows.append(row)
    return pd.DataFrame(rows)


def write_table(folder: Path, table: pd.DataFrame) -> None:
    _atomic_text(folder / "sweep.csv", csv_text(table, "%.6f"))  # text cells formula-safe (quota.report.safety)


FIGURES = {"objective": ("目标值", "objective"), "value": ("获批项目价值", "value of approvals"),
           "projects_approved": ("按期获批项目数", "projects approved"), "key_approved": ("获批重点项目数", "key projects approved"),
           "new_total": ("新增指标使用", "new quota used"), "advance_total": ("预支指标", "advance drawn"),
           "stock_total": ("存量使用", "stock used")}


def plot_sweep(folder: Path, table: pd.DataFrame, grid: dict[str, list], lang: str | None = None) -> list[Path]:
    """figures/<parameter>.png: every key figure against each swept parameter, one line per
    combination of the other parameters (their mean, with the range shaded, when there are more than 8)."""
    from ..report.fonts import has_cjk, setup_fonts
    from ..report.plot import new_figure, save_png

    setup_fonts()
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
                                     new_figure, save_png))
    return paths


def _plot_parameter(done, key, others, figures, zh, path, new_figure, save_png) -> Path:
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
        title = FIGURES.get(f, (f"{f[-4:]} 年指标使用率", f"utilisation {f[-4:]}"))[0 if zh else 1]
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(key, fontsize=8)
        ax.tick_params(labelsize=7)
        if not numeric:
            ax.set_xticks(range(len(xs)), xs, rotation=20)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    if labels:
        fig.legend(handles, labels, loc="outside lower center", ncol=min(4, len(labels)), frameon=False, fontsize=8)
    fig.suptitle(("扫描参数:" if zh else "swept parameter: ") + key, fontsize=11)
    return save_png(fig, path)
