"""Where the points of a sweep are solved: ``run_point`` solves one point anywhere and returns its run folder
as bytes; ``on_pool`` runs the points in fresh ``spawn`` processes that stop when the sweep dies
(``watch_parent``), ``on_dask`` on a Dask cluster. A worker that fails is a failed point, not a traceback.
Only the sweep's own process writes the sweep folder (``quota.commands.sweep_folder``).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from ..errors import InfeasibleError, QuotaError
from ..solve.cluster import client


def run_point(task: dict) -> dict:
    """Solve one point, anywhere (this process, a pool worker, a Dask worker). Returns its run folder
    as ``{relative path: bytes}``, or the reason it has none."""
    from ..run import solve_scenario, write_result
    from ..input.variants import load_variant, overrides_applied

    started = time.perf_counter()
    out = {"name": task["name"], "status": "ok", "files": {}, "message": ""}
    with tempfile.TemporaryDirectory(prefix="quota-point-") as tmp:
        worker["tmp"] = tmp  # removed by watch_parent if this worker is stopped by its parent's death
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
            summary = {"status": "infeasible", "message": str(e), "message_zh": e.render("zh"), "message_en": e.render("en"),
                       "method": task["method"], "point": task["values"]}  # str(e): the point's language, as its report
            out.update(status="infeasible", message=str(e),
                       files={"summary.json": json.dumps(summary, ensure_ascii=False, indent=2, default=str).encode(),
                              "diagnosis.txt": e.render(task["lang"] or e.lang).encode()})
        except QuotaError as e:
            out.update(status="error", message=str(e))
        else:
            out["files"] = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    out["seconds"] = time.perf_counter() - started
    return out


def on_pool(tasks: list[dict], workers: int):
    """Each point in a fresh ``spawn`` process, even with one worker: a process that has run HiGHS with
    another thread count cannot solve with one thread (HiGHS keeps its first thread pool), and a
    forked child inherits that pool broken."""
    if not tasks:
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=watch_parent, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(run_point, task): task["name"] for task in tasks}
        for future in as_completed(futures):
            yield _result(future, futures[future])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


worker: dict[str, str | None] = {"tmp": None}  # the temporary folder of the point a pool worker is solving


def watch_parent(parent: int, every: float = 0.5) -> None:
    """Pool initializer: stop this worker as soon as the sweep that started it is gone (``kill -9`` of
    ``quota sweep`` cannot stop its pool). A daemon thread compares ``os.getppid()`` with the sweep's pid
    (a worker whose parent dies is re-parented) and then removes the point's temporary folder and exits."""
    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        if worker["tmp"]:
            shutil.rmtree(worker["tmp"], ignore_errors=True)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="quota-watch-parent").start()


def on_dask(tasks: list[dict], scheduler: str):
    from distributed import as_completed as dask_completed  # client() has said how to install it if missing

    with client(scheduler) as c:
        futures = {c.submit(run_point, task, key=f"quota-point-{task['name']}-{os.getpid()}-{time.time_ns()}", pure=False):
                   task["name"] for task in tasks}
        for future in dask_completed(list(futures), loop=c.loop):
            yield _result(future, futures[future])


def _result(future, name: str) -> dict:
    """A finished point; a worker that died or could not run quota is a failed point, not a traceback."""
    try:
        return future.result()
    except Exception as e:  # noqa: BLE001 - any failure of the engine is reported per point, and the sweep goes on
        return {"name": name, "status": "error", "files": {}, "message": f"the worker failed: {type(e).__name__}: {e}"}
