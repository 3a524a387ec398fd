"""The Lagrangian step on Dask, with 1 and 2 workers, and what 16 workers would take; memory per process.

    python benchmarks/scale_out.py [--sizes province,national] [--workers 1,2] [--project 16] [--json FILE]

For each size (a scenario of ``benchmarks/run.py``'s ``SIZES``, same seed): generate, build, solve the LP
relaxation, then time the county MIPs of the Lagrangian bound at the LP's prices (``quota.solve.lagrange``) on a
``LocalCluster`` of each number of workers (processes of one thread). Measured:

- the wall time of the step, and the time of every county MIP (as its worker measured it);
- the scheduler's overhead per task: ``TRIVIAL`` tasks that do nothing, on the same cluster, wall time / tasks;
- the peak memory of the benchmark process and of each worker (psutil, sampled), and their total.

The time with ``--project`` workers is computed, not measured, and the arithmetic is written out:
``max(longest county MIP, sum of county MIPs / W) + overhead per task × tasks``, where the county MIPs go out in
``quota.solve.lagrange.TASKS_PER_WORKER`` tasks per worker. The sum of county times is
taken from the 1-worker run (no contention for the cores); the overhead is the larger of the two measured.
Run it on a quiet machine: every worker uses a core.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TRIVIAL = 2_000  # no-op tasks timed for the scheduler's overhead per task


class TreeMemory:
    """Peak resident memory of this process and every process under it (a local cluster's workers, the deadline
    child), sampled every ``every`` seconds: the peak of each process and of their total, in MB."""

    def __init__(self, every: float = 0.5):
        import psutil

        self.psutil, self.every = psutil, every
        self.peak_total, self.peak_each = 0.0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="bench-memory")

    def _run(self):
        me = self.psutil.Process()
        while not self._stop.is_set():
            total = 0.0
            for p in [me, *me.children(recursive=True)]:
                try:
                    mb = p.memory_info().rss / 2**20
                    name = " ".join(p.cmdline()[1:3])[:80] or p.name()
                except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                    continue
                total += mb
                key = f"{p.pid} {name}"
                self.peak_each[key] = max(self.peak_each.get(key, 0.0), mb)
            self.peak_total = max(self.peak_total, total)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def report(self) -> dict:
        each = sorted(self.peak_each.items(), key=lambda kv: -kv[1])
        return {"peak_total_mb": round(self.peak_total, 1), "processes": len(each),
                "peak_per_process_mb": {k: round(v, 1) for k, v in each[:12]}}


def tree_memory():
    """A ``TreeMemory`` if psutil is installed (it comes with dask.distributed), else None."""
    try:
        return TreeMemory()
    except ImportError:
        return None


def lagrangian_round(a, groups, lp, on) -> dict:
    """One round of county MIPs at the LP's prices on ``on``; its wall time and every county's own time."""
    from quota.solve import highs
    from quota.solve.decompose import linking_rows
    from quota.solve.lagrange import county_lagrangian

    seen, tasks_sent = [], []
    original = on.map

    def keep(fn, tasks, deadline=None, on_done=None):
        tasks_sent.extend(tasks)
        out = original(fn, tasks, deadline, on_done)
        for part in out or []:  # each task: a few counties (quota.solve.lagrange.TASKS_PER_WORKER)
            seen.extend(part)
        return out

    on.map = keep
    county = groups["county"]
    t = time.perf_counter()
    lag = county_lagrangian(a, county, linking_rows(a, county), lp["duals"], lp["objective"],
                            highs.base_options(1e-3, None, False), 1e-3, None, on)
    wall = time.perf_counter() - t
    on.map = original
    seconds = [r["seconds"] for r in seen]
    return {"wall_seconds": wall, "bound": None if lag is None else lag.bound, "counties": len(seconds), "tasks": len(tasks_sent),
            "county_seconds_sum": sum(seconds), "county_seconds_max": max(seconds, default=0.0),
            "county_seconds_median": sorted(seconds)[len(seconds) // 2] if seconds else 0.0}


def overhead_per_task(client) -> float:
    """Seconds of scheduler and transport per task: ``TRIVIAL`` tasks that do nothing, wall time / tasks."""
    client.gather(client.map(abs, range(20), pure=False))  # warm
    t = time.perf_counter()
    client.gather(client.map(abs, range(TRIVIAL), pure=False))
    return (time.perf_counter() - t) / TRIVIAL


def worker_memory(client) -> dict:
    def rss():
        import psutil

        return psutil.Process().memory_info().rss / 2**20

    return {addr: round(mb, 1) for addr, mb in client.run(rss).items()}


def scale_out(size: str, workers: list[int], project: int, work: Path) -> dict:
    from distributed import LocalCluster

    from run import SEED, SIZES
    from quota.commands.generate import generate_scenario
    from quota.input.validate import load
    from quota.model import compat
    from quota.model.build import build_model
    from quota.solve import highs
    from quota.solve.arrays import Arrays
    from quota.solve.cluster import Engine
    from quota.solve.lagrange import TASKS_PER_WORKER
    from quota.solve.solution import column_groups

    spec = SIZES[size]
    path = generate_scenario(work / size, seed=spec.get("seed", SEED), force=True, **spec["generate"])
    m = build_model(load(path))
    variables, arrays = compat.matrix(m.prob)
    a = Arrays(**arrays)
    groups = column_groups(m, variables)
    t = time.perf_counter()
    lp = highs.run(highs.new_highs(a, integer=False, options={**highs.base_options(1e-3, None, False), "solver": "ipm"}), None)
    out = {"size": size, "lp_seconds": time.perf_counter() - t, "binaries": int(a.integer.sum()), "runs": []}
    for w in workers:
        memory = tree_memory()
        with (memory or _Nothing()), LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                                                  dashboard_address=":0", silence_logs=40) as cluster:
            on = Engine("dask", w, cluster.scheduler_address)
            run = lagrangian_round(a, groups, lp, on)
            c = on.dask_client()
            run.update(workers=w, overhead_per_task_seconds=overhead_per_task(c), worker_rss_mb=worker_memory(c))
            on.close()
        if memory is not None:
            run["memory"] = memory.report()
        out["runs"].append(run)
        print(f"{size}: {w} worker(s): {run['wall_seconds']:.1f} s for {run['counties']} county MIPs "
              f"(sum {run['county_seconds_sum']:.1f} s), {run['overhead_per_task_seconds'] * 1e3:.2f} ms per task",
              file=sys.stderr, flush=True)
    one = next((r for r in out["runs"] if r["workers"] == 1), out["runs"][0])
    two = next((r for r in out["runs"] if r["workers"] == 2), None)
    if two is not None:
        out["speed_up_2_over_1"] = one["wall_seconds"] / two["wall_seconds"]
    overhead = max(r["overhead_per_task_seconds"] for r in out["runs"])
    compute = max(one["county_seconds_max"], one["county_seconds_sum"] / project)
    tasks = min(one["counties"], TASKS_PER_WORKER * project)
    out["projected"] = {
        "workers": project, "seconds": compute + overhead * tasks,
        "arithmetic": (f"max(longest {one['county_seconds_max']:.2f} s, sum {one['county_seconds_sum']:.1f} s / {project}) "
                       f"+ {overhead * 1e3:.2f} ms × {tasks} tasks ({TASKS_PER_WORKER} per worker) = {compute:.1f} s + "
                       f"{overhead * tasks:.1f} s = {compute + overhead * tasks:.1f} s")}
    return out


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="province,national")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--project", type=int, default=16, help="the cluster size whose time is computed")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here (default: benchmarks/results/)")
    a = ap.parse_args(argv)
    workers = [int(w) for w in a.workers.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="quota-scale-out-") as tmp:
        for size in [s.strip() for s in a.sizes.split(",") if s.strip()]:
            results.append(scale_out(size, workers, a.project, Path(tmp)))
    from run import machine

    record = {"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": machine(), "scale_out": results}
    path = a.json or HERE / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-scale-out.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    for r in results:
        print(f"{r['size']}: speed-up 2/1 {r.get('speed_up_2_over_1', float('nan')):.2f}; "
              f"{r['projected']['workers']} workers: {r['projected']['arithmetic']}")
    print(f"raw figures: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
