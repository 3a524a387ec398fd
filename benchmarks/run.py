"""Benchmark quota at three sizes, stage by stage, against HiGHS alone on the same model.

    python benchmarks/run.py [--sizes city,province,national] [--time-limit S] [--rules NAME]
    python benchmarks/run.py --sizes province-seed2,province-shaped,national-shaped

Each size is generated with a fixed seed (``quota.commands.generate``) and run in its own
process, so that its peak memory (``ru_maxrss``) is its own. The stages are timed
separately: generate, read+validate (``quota.input.validate.load``), then build, solve,
explain and verify as ``quota.run.solve_scenario`` does them (``RunResult.timings``),
then write (``quota.run.write_result``). The model is then exported to MPS and
solved by highspy directly with the same gap and time limit: the ratio of the
end-to-end time (read to write) to that HiGHS-only time is what quota costs on top
of the solver. Raw figures go to ``benchmarks/results/<time>.json``; the table in
``docs/performance.md`` (between its markers) is rebuilt from the latest result of
each size, so running one size replaces only its row. With ``--rules NAME`` each size is
generated under that rule set (``quota generate --rules``); its row is a row of its own,
"province · rules hebei-2024", below the first contract's.

Beside the three sizes: ``province-seed2`` (the province with a second seed), and ``province-shaped`` and
``national-shaped``, a second generator setting (every county capped, three times the phased projects and
dependencies, a tighter quota: ``SHAPED``). Each result also records the gap reached at ``CHECKPOINTS``
seconds into the solve (from every improvement of the allocation or the bound, ``Solution.progress``), why the
solve stopped, and the peak memory of every process of the run and of all of them together (psutil, sampled:
the pipeline, the solver's child and its Dask workers). ``benchmarks/scale_out.py`` measures the Lagrangian
step on 1 and 2 Dask workers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DOC = HERE.parent / "docs" / "performance.md"
DOC_ZH = HERE.parent / "docs" / "zh" / "performance.md"
START, END = "<!-- benchmark-table:start -->", "<!-- benchmark-table:end -->"
CURVE = ("<!-- benchmark-curve:start -->", "<!-- benchmark-curve:end -->")

# a second generator setting (issue 19): every county capped, more phased projects and dependencies, tighter quota
SHAPED = dict(cap_share=1.0, phased=0.3, dependencies=0.1, demand_ratio=2.6)
# name -> generator options, solver gap and default time limit (None: no limit); "seed" replaces SEED
SIZES = {
    "tiny": dict(generate=dict(counties=4, projects=40, years=2), gap=1e-4, time_limit=None),
    "tiny-shaped": dict(generate=dict(counties=4, projects=40, years=2, **SHAPED), gap=1e-4, time_limit=20),
    "city": dict(generate=dict(counties=14, projects=300, years=3), gap=1e-4, time_limit=None),
    # the solver's share of the 10-minute end-to-end budget
    "province": dict(generate=dict(counties=170, projects=20_000, years=5, phased=0.1), gap=1e-3, time_limit=540),
    "province-seed2": dict(generate=dict(counties=170, projects=20_000, years=5, phased=0.1), gap=1e-3, time_limit=540,
                           seed=20240101),
    "province-shaped": dict(generate=dict(counties=170, projects=20_000, years=5, **SHAPED), gap=1e-3, time_limit=540),
    "national": dict(generate=dict(counties=2_800, projects=200_000, years=3), gap=1e-2, time_limit=480),
    "national-shaped": dict(generate=dict(counties=2_800, projects=200_000, years=3, **SHAPED), gap=1e-2, time_limit=480),
}
DOCUMENTED = ("city", "province", "province-seed2", "province-shaped", "national", "national-shaped")  # not "tiny*"
SEED = 20230630
HIGHS_ALONE = True  # solve each model with HiGHS alone too (--no-highs-alone: not)
CHECKPOINTS = (60, 180, 540)  # seconds into the solve: the gap reached by then
STAGES = ("generate", "read_validate", "build", "solve", "explain", "verify", "write")
PIPELINE = ("read_validate", "build", "solve", "explain", "verify", "write")


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_children_mb() -> float:
    """Largest peak RSS of this process's finished children so far, in MB (0 when none)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def log(size: str, text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {size}: {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------- one size (child) ----

def bench_one(size: str, time_limit: float | None, work: Path, rules: str | None = None) -> dict:
    from quota.commands.generate import generate_scenario
    from quota.run import solve_scenario, write_result
    from quota.solve.solution import SolveOptions
    from quota.input.validate import load

    spec = SIZES[size]
    opts = SolveOptions(gap=spec["gap"], time_limit=time_limit)
    times, rss = {}, {"start": rss_mb()}

    def stage(name, f, *args):
        log(size, f"{name} ...")
        t = time.perf_counter()
        value = f(*args)
        times[name] = time.perf_counter() - t
        rss[name] = rss_mb()
        log(size, f"{name} {times[name]:.2f} s, peak RSS {rss[name]:.0f} MB")
        return value

    path = stage("generate", lambda: generate_scenario(work / "scenario", seed=spec.get("seed", SEED), force=True,
                                                                    rules=rules, **spec["generate"]))
    s = stage("read_validate", load, path)
    log(size, "build, solve, explain, verify ...")
    from scale_out import tree_memory

    memory = tree_memory()  # every process of the run: this one, the solver's child, its Dask workers
    # counterfactuals for every project where `quota run` computes them by default (at most 300 projects: city)
    if memory is not None:
        with memory:
            result = solve_scenario(s, opts, counterfactuals="auto")
    else:
        result = solve_scenario(s, opts, counterfactuals="auto")
    times.update({k: result.timings[k] for k in ("build", "solve", "explain", "verify")})
    solver_child_mb = rss_children_mb()  # the HiGHS child of a time-limited solve, if any (its own peak)
    rss["solve_scenario"] = rss_mb()
    log(size, ", ".join(f"{k} {times[k]:.2f} s" for k in ("build", "solve", "explain", "verify")))
    stage("write", write_result, result, work / "run", True)
    end_to_end = sum(times[k] for k in PIPELINE)
    inside = sum(step["seconds"] or 0.0 for step in result.solution.steps) if result.solution.steps else None
    highs = (bench_highs(result.model.prob, work / "model.mps", opts, size) if HIGHS_ALONE else
             {"seconds": 0.0, "status": "not run (--no-highs-alone)", "objective": None, "bound": None, "gap": None})
    sol = result.solution
    variables = result.model.prob.variables()
    shape = {"rows": len(result.model.prob.constraints()), "cols": len(variables),
             "integers": sum(1 for v in variables if v.cat == "Integer")}
    return {"model": shape,
        "size": size, "rules": rules, "seed": spec.get("seed", SEED), "generate": spec["generate"], "gap_target": spec["gap"],
        "time_limit": time_limit, "stop_reason": sol.stop_reason, "solver_notes": sol.notes,
        "gap_at": gap_at(sol.progress, CHECKPOINTS), "progress": sol.progress,
        "memory": None if memory is None else memory.report(),
        "counties": len(s.counties), "projects": len(s.projects), "years": len(s.years),
        "cells": len(result.model.cells), "times": times, "end_to_end": end_to_end,
        "peak_rss_mb": rss["write"], "rss_mb": rss,
        "status": sol.status, "proven_optimal": sol.proven_optimal, "objective": sol.objective, "bound": sol.bound,
        "gap": sol.gap, "pulp_solve_seconds": sol.seconds, "verification_checks": int(len(result.checks)),
        "highs_inside_seconds": inside, "solve_steps": result.solution.steps,
        "counterfactual_seconds": result.timings.get("counterfactuals"), "solver_child_peak_rss_mb": solver_child_mb, "outside_highs_seconds": None if inside is None else end_to_end - inside,
        "highs": highs, "ratio": end_to_end / highs["seconds"] if highs["seconds"] > 0 else None,
        "objective_rel_diff": None if highs["objective"] is None else
        abs(highs["objective"] - sol.objective) / max(abs(sol.objective), 1e-9),  # within the gaps
    }


def gap_at(progress: list, checkpoints) -> dict:
    """The gap reached ``t`` seconds into the solve, for each checkpoint ``t``: the best allocation and the lowest
    bound reported by then (None before both exist, or for a checkpoint the solve did not reach)."""
    out = {}
    for t in checkpoints:
        z = max((p[1] for p in progress if p[0] <= t and p[1] is not None), default=None)
        b = min((p[2] for p in progress if p[0] <= t and p[2] is not None), default=None)
        out[str(t)] = None if z is None or b is None else max(b - z, 0.0) / max(abs(z), 1e-9)
    return out


def check_sense(probe, h) -> None:
    """The model HiGHS read maximises the same objective as PuLP's (same sign on a sample column)."""
    import highspy

    lp = h.getLp()
    cost = dict(zip(lp.col_names_, lp.col_cost_))
    name, coef = probe or (None, 0.0)
    if lp.sense_ != highspy.ObjSense.kMaximize or (name is not None and cost[name] * coef <= 0):
        raise RuntimeError(f"the MPS file does not hold PuLP's maximisation (sense {lp.sense_}); "
                           "this PuLP writes MPS files differently; fix bench_highs.")


def bench_highs(prob, mps: Path, opts, size: str) -> dict:
    """Solve the same model with highspy alone: read the MPS, maximise, same gap and time limit.

    HiGHS runs in a child process that is killed 60 s after the time limit: at national size it
    checks its limit only between cut rounds and was seen running far past it.
    """
    log(size, "export MPS and solve with HiGHS alone ...")
    t = time.perf_counter()
    # An explicit OBJSENSE MAX section. Without it PuLP 3.3 marks maximisation only in a comment
    # (HiGHS would minimise), and PuLP 4 writes the negated objective (a minimisation).
    prob.writeMPS(str(mps), with_objsense=True)
    export = time.perf_counter() - t
    probe = next(((v.name, c) for v, c in prob.objective.items() if c), None)
    out_file = mps.with_suffix(".json")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--highs-alone", str(mps), "--json", str(out_file),
           "--gap", str(opts.gap), "--probe", json.dumps(probe)]
    if opts.time_limit is not None:
        cmd += ["--time-limit", str(opts.time_limit)]
    t = time.perf_counter()
    try:
        subprocess.run(cmd, timeout=None if opts.time_limit is None else opts.time_limit + 60, check=True)
        out = json.loads(out_file.read_text(encoding="utf-8"))
    except subprocess.TimeoutExpired:
        out = {"seconds": time.perf_counter() - t, "status": f"killed: still running {opts.time_limit + 60:g} s after start",
               "objective": None, "bound": None, "gap": None, "rows": None, "cols": None, "integers": None}
    out["mps_export_seconds"] = export
    log(size, f"HiGHS alone {out['seconds']:.2f} s ({out['status']})")
    return out


def highs_alone(mps: Path, gap: float, time_limit: float | None, probe) -> dict:
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(mps))
    check_sense(probe, h)
    h.setOptionValue("mip_rel_gap", gap)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    lp = h.getLp()
    integers = sum(1 for v in lp.integrality_ if v == highspy.HighsVarType.kInteger)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    info = h.getInfo()
    has = info.primal_solution_status == 2
    return {"seconds": seconds, "status": h.modelStatusToString(h.getModelStatus()),
            "objective": info.objective_function_value if has else None, "bound": info.mip_dual_bound,
            "gap": info.mip_gap if has else None, "rows": h.getNumRow(), "cols": h.getNumCol(), "integers": integers,
            "nonzeros": h.getNumNz(), "version": h.version() if hasattr(h, "version") else "", "peak_rss_mb": rss_mb()}


# ----------------------------------------------------------- the driver ----

def run_size(size: str, time_limit: float | None, keep: Path | None, rules: str | None = None,
             highs_alone: bool = True) -> dict:
    """Run one size in a fresh interpreter, so that its peak RSS is its own."""
    with tempfile.TemporaryDirectory(prefix=f"quota-bench-{size}-") as tmp:
        work = keep / size if keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", size, "--work", str(work), "--json", str(out)]
        if time_limit is not None:
            cmd += ["--time-limit", str(time_limit)]
        if rules:
            cmd += ["--rules", rules]
        if not highs_alone:
            cmd += ["--no-highs-alone"]
        done = subprocess.run(cmd)
        if done.returncode != 0:
            return {"size": size, "rules": rules, "error": f"exit code {done.returncode}; see the log above"}
        return json.loads(out.read_text(encoding="utf-8"))


def machine() -> dict:
    from importlib import metadata

    versions = {}
    for pkg in ("quota", "pulp", "highspy", "pandas", "numpy"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "python": platform.python_version(), "load_average_1min": load, **versions}


def row_key(r: dict) -> str:
    """A result's row in the table: its size, and its rule set when it has one."""
    return r["size"] + (f" · rules {r['rules']}" if r.get("rules") else "")


def latest_results() -> dict[str, dict]:
    """The most recent successful result of each size (and rule set), over every results file."""
    latest: dict[str, dict] = {}
    alone: dict[str, tuple] = {}  # the last HiGHS-alone figure of each size, for a result measured without one
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for r in data.get("results", []):
            if "error" not in r:
                load = data.get("load_average_1min_start", data["machine"]["load_average_1min"])
                r = {**r, "date": data["date"], "machine": data["machine"], "load": load, "file": path.name}
                if str(r["highs"]["status"]).startswith("not run") and row_key(r) in alone:
                    h, date = alone[row_key(r)]
                    r["highs"] = {**h, "status": f"{h['status']}; measured {date[:10]}"}
                    r["ratio"] = r["end_to_end"] / h["seconds"] if h["seconds"] > 0 else None
                elif not str(r["highs"]["status"]).startswith("not run"):
                    alone[row_key(r)] = (r["highs"], data["date"])
                latest[row_key(r)] = r
    return latest


def render_table(latest: dict[str, dict]) -> str:
    head = ("| size | counties / projects / years | rows × columns (integer) | read+validate | build | solve (of which HiGHS) "
            "| explain | verify | write | end-to-end | outside HiGHS | HiGHS alone | ratio | peak RSS | result | measured |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for size in DOCUMENTED:
        r = latest.get(size)
        if r is None:
            g = SIZES[size]["generate"]
            lines.append(f"| {size} | {g['counties']:,} / {g['projects']:,} / {g['years']} " + "| — " * 12
                         + f"| not measured yet: run `python benchmarks/run.py --sizes {size}` | — |")
        else:
            lines.append(render_row(size, r))
        lines += [render_row(key, latest[key]) for key in sorted(latest) if key.startswith(f"{size} · ")]
    return "\n".join(lines)


def render_row(label: str, r: dict) -> str:
    """One measured row of the table."""
    t, h = r["times"], r["highs"]
    ratio = "—" if r["ratio"] is None or str(h["status"]).startswith("killed") else f"{r['ratio']:.2f}"
    shape = r.get("model", h)
    gap = "—" if r["gap"] is None else f"{r['gap']:.2%}"
    result = f"{r['status']}, gap {gap}" + ("" if r["time_limit"] is None else f", limit {r['time_limit']:g} s")
    inside, outside = r.get("highs_inside_seconds"), r.get("outside_highs_seconds")
    child = f" (+ {r['solver_child_peak_rss_mb']:.0f} MB solver process)" if r.get("solver_child_peak_rss_mb") else ""
    cells = [f"{t[k]:.2f} s" for k in PIPELINE]
    cells[2] += "" if inside is None else f" ({inside:.2f} s)"
    return (
        f"| {label} | {r['counties']:,} / {r['projects']:,} / {r['years']} | {shape['rows']:,} × {shape['cols']:,} ({shape['integers']:,}) | "
        + " | ".join(cells) + f" | **{r['end_to_end']:.2f} s** | " + ("—" if outside is None else f"{outside:.2f} s")
        + (" | not run" if str(h["status"]).startswith("not run") else f" | {h['seconds']:.2f} s ({h['status']})")
        + f" | {ratio} "
        f"| {r['peak_rss_mb']:.0f} MB{child} | {result} | {r['date'][:10]}, {r['machine']['cpus']} CPUs, "
        f"load {r['load']:.1f} |")


def render_curve(latest: dict[str, dict]) -> str:
    """The gap reached at each checkpoint, why the solve stopped, and the memory of the run's processes."""
    head = ("| size | " + " | ".join(f"gap at {t} s" for t in CHECKPOINTS)
            + " | solve | stopped because | peak memory, all processes | largest process | measured |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for key in sorted(latest, key=lambda k: (DOCUMENTED.index(k.split(" · ")[0]) if k.split(" · ")[0] in DOCUMENTED
                                            else len(DOCUMENTED), k)):
        r = latest[key]
        if "gap_at" not in r or key.split(" · ")[0] not in DOCUMENTED:
            continue  # measured before the checkpoints were recorded
        gaps = ["—" if r["gap_at"].get(str(t)) is None else f"{r['gap_at'][str(t)]:.3%}" for t in CHECKPOINTS]
        mem = r.get("memory") or {}
        each = mem.get("peak_per_process_mb") or {}
        largest = max(each.values(), default=None)
        lines.append(f"| {key} | " + " | ".join(gaps) + f" | {r['times']['solve']:.1f} s | {r.get('stop_reason') or '—'} | "
                     + ("—" if not mem else f"{mem['peak_total_mb']:,.0f} MB ({mem['processes']} processes)") + " | "
                     + ("—" if largest is None else f"{largest:,.0f} MB") + f" | {r['date'][:10]} |")
    if len(lines) == 2:
        lines.append("| not measured yet: `python benchmarks/run.py` records it for every size | " + "— | " * (len(CHECKPOINTS) + 5))
    return "\n".join(lines)


def update_doc(table: str, markers: tuple[str, str] = (START, END)) -> None:
    """The table between the markers of docs/performance.md, and verbatim in docs/zh/performance.md (the zh page
    explains its English column names; tests/test_docs_zh.py keeps the two pages' figures equal)."""
    start, end = markers
    for doc in (DOC, DOC_ZH):
        if doc is DOC_ZH and not doc.exists():
            continue
        text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Performance\n\n{start}\n{end}\n"
        if start not in text or end not in text:
            text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        doc.write_text(f"{before}{start}\n{table}\n{end}{after}", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="city,province,national", help=f"comma-separated, from {', '.join(SIZES)}")
    ap.add_argument("--time-limit", type=float, default=None, help="solver time limit in seconds, for every size "
                    "(default: none for tiny and city, 540 for the province sizes, 480 for the national ones)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated scenarios, run folders and MPS files here")
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/performance.md")
    ap.add_argument("--rules", default=None, help="generate each size under this rule set (quota generate --rules); "
                    "its rows are rows of their own")
    ap.add_argument("--no-highs-alone", action="store_true", help="do not solve each model with HiGHS alone beside "
                    "(it takes the time limit again; the table then shows the last HiGHS-alone figure of that size)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--highs-alone", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--gap", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--probe", help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.highs_alone:
        result = highs_alone(a.highs_alone, a.gap, a.time_limit, json.loads(a.probe))
        a.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
        return 0
    if a.no_highs_alone:
        global HIGHS_ALONE
        HIGHS_ALONE = False
    if a.child:
        result = bench_one(a.child, a.time_limit, a.work, a.rules)
        a.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
        return 0
    sizes = [x.strip() for x in a.sizes.split(",") if x.strip()]
    unknown = [x for x in sizes if x not in SIZES]
    if unknown:
        ap.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    start = machine()  # the load average before the runs
    results = []
    for size in sizes:
        limit = a.time_limit if a.time_limit is not None else SIZES[size]["time_limit"]
        results.append(run_size(size, limit, a.keep, a.rules, not a.no_highs_alone))
    now = dt.datetime.now().astimezone()
    RESULTS.mkdir(exist_ok=True)
    record = {"date": now.isoformat(timespec="seconds"), "machine": machine(), "results": results,
              "load_average_1min_start": start["load_average_1min"]}
    path = RESULTS / f"{now:%Y%m%d-%H%M%S}-{'-'.join(sizes)}{'-' + a.rules if a.rules else ''}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    latest = latest_results()
    table, curve = render_table(latest), render_curve(latest)
    if not a.no_doc:
        update_doc(table)
        update_doc(curve, CURVE)
    print(table)
    print()
    print(curve)
    print(f"\nraw figures: {path.relative_to(HERE.parent)}" + ("" if a.no_doc else "; table written to docs/performance.md"))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
