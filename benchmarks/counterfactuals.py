"""Counterfactuals at city size: time, how many are exact, and the width of the loss intervals, for ``auto`` and ``full``.

    python benchmarks/counterfactuals.py                      # the generated 300-project city and the bundled default
    python benchmarks/counterfactuals.py --cases city --modes auto
    python benchmarks/counterfactuals.py --full-cap 1800      # stop `full` after 30 min (its figures then say so)

Each case is solved once (``quota.pipeline.solve_scenario`` without counterfactuals, the run's gap 1e-4), then
``eval_counterfactuals`` runs on it in each mode: ``auto`` with ``quota run``'s budget (45 s), ``full`` until every
counterfactual is exact (or ``--full-cap`` seconds, which ``quota run`` does not have). For each: the seconds, the
count of each result, how many are exact, how many are within the width a planner can act on (max(1 value-weighted
ha, 10% of the interval's upper end); essential and impossible count as within), the width distribution, how many
name their alternative. The raw figures go to ``benchmarks/results/<time>-counterfactuals.json``; the tables of
docs/performance.md (and docs/zh/performance.md) are written from them by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20230630  # benchmarks/run.py's seed: the same city


def case(name: str, work: Path):
    from quota.commands.generate import generate_scenario
    from quota.input.validate import load
    from quota.run import default_scenario

    if name == "city":
        return load(generate_scenario(work / "city", counties=14, projects=300, years=3, seed=SEED, force=True))
    return load(default_scenario())


def figures(cf, seconds: float) -> dict:
    from quota.explain.counterfactual import tolerance

    counts = cf["result"].value_counts().to_dict()
    interval = cf[cf["result"].isin(["solved", "bounded"])]
    width = (interval["loss_high"] - interval["loss_low"]).astype(float).to_numpy()
    within = width <= interval["loss_high"].astype(float).map(tolerance).to_numpy() + 1e-9
    decided = int(cf["result"].isin(["essential", "impossible"]).sum())
    named = interval["changes"].notna() & (interval["changes"].astype(str).str.len() > 0)
    q = [0, 25, 50, 75, 90, 100]
    return {"seconds": round(seconds, 2), "computed": int(len(cf)), "results": {k: int(v) for k, v in counts.items()},
            "exact": int((cf["result"] == "solved").sum()) + decided,
            "within_tolerance": int(within.sum()) + decided,
            "share_within_tolerance": round((int(within.sum()) + decided) / max(len(cf), 1), 4),
            "width_quantiles": {f"p{k}": round(float(v), 3) for k, v in zip(q, np.percentile(width, q))} if len(width) else {},
            "named_alternative": int(named.sum()), "intervals": int(len(interval)),
            "alternative_changes_nothing": int((interval["changes"] == "none").sum()),
            "resolves": cf.attrs.get("resolves"), "rounds": cf.attrs.get("rounds"), "engine": cf.attrs.get("engine"),
            "run_gap": cf.attrs.get("run_gap"), "cheap_seconds": round(cf.attrs.get("cheap_seconds", 0.0), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default="city,default", help="comma-separated: city (generated, 300 projects), default (bundled)")
    ap.add_argument("--modes", default="auto,full", help="comma-separated: auto, full")
    ap.add_argument("--full-cap", type=float, default=None, help="stop full after this many seconds (default: never)")
    ap.add_argument("--workers", type=int, default=None, help="processes for the MIP re-solves (default: as quota run)")
    args = ap.parse_args()
    from quota.explain.counterfactual import eval_counterfactuals
    from quota.pipeline import solve_scenario
    from quota.solve.cluster import local_workers

    workers = args.workers or local_workers(None)

    out = {"measured": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(), "load_start": os.getloadavg(),
           "workers": workers, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases.split(","):
            s = case(name, Path(tmp))
            t = time.perf_counter()
            run = solve_scenario(s)
            solved = {"solve_seconds": round(time.perf_counter() - t, 2), "objective": run.solution.objective,
                      "bound": run.solution.bound, "projects_in_model": int(run.model.projects["in_model"].sum())}
            out["cases"][name] = {"run": solved}
            for mode in args.modes.split(","):
                full = mode == "full"
                t = time.perf_counter()
                cf = eval_counterfactuals(run.model, run.solution, gap=run.solution.options.gap, full=full,
                                          workers=workers, cap=args.full_cap if full else None)
                found = figures(cf, time.perf_counter() - t)
                found["capped"] = bool(full and found["exact"] < found["computed"])
                out["cases"][name][mode] = found
                print(f"{name} {mode}: {json.dumps(found, ensure_ascii=False)}", file=sys.stderr, flush=True)
    out["load_end"] = os.getloadavg()
    path = HERE / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-counterfactuals.json"
    path.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(path)


if __name__ == "__main__":
    main()
