"""Where the county problems run: on a Dask cluster, or without Dask on this machine's processes or this process.

``engine(scheduler, workers)`` gives an ``Engine``; ``Engine.map(fn, tasks, deadline)`` runs ``fn`` on every task
and returns the results in order, or None if they are not all back by ``deadline`` (the rest are cancelled); with
``partial=True`` the results back by then, None in the place of each task that is not.

- **Dask** (``dask.distributed`` installed): a ``LocalCluster`` of ``workers`` processes of one thread each,
  started at the first ``map`` and closed with the engine, or the running cluster at ``scheduler``
  (``quota run --scheduler tcp://HOST:PORT``, the option of ``quota sweep``). Each task carries only its own data
  (one county's MIP), never the whole model. When a worker is lost, the scheduler runs its tasks again on another
  (Dask's ``allowed-failures``); a county MIP is deterministic, so the result is the same.
- **Without Dask**: ``concurrent.futures`` processes (``spawn``, never ``fork``: a forked child inherits
  HiGHS's thread pool in a broken state), with one note saying how to get a cluster; with one worker, this process.

``client(scheduler)`` connects to a running scheduler with one clear error; ``quota sweep`` connects through it too.
Plain Python: no PuLP, no pandas (the deadline child imports this).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable

from ..errors import QuotaError
from ..messages import both

MAX_WORKERS = 8  # local processes for the county MIPs, whatever the core count (about 100 MB each)


def has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def client(scheduler: str, timeout: str = "20s"):
    """A ``distributed.Client`` of the running scheduler at ``scheduler``; a ``QuotaError`` naming the fix if
    ``dask.distributed`` is missing or the scheduler cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise QuotaError.of("error.dask.missing") from None
    try:
        return Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise QuotaError.of("error.dask.unreachable", scheduler=scheduler, error=f"{type(e).__name__}: {e}") from None


def local_workers(threads: int | None) -> int:
    """Local processes for the county problems: one per core (or per thread asked for), at most ``MAX_WORKERS``."""
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, threads or cpus, MAX_WORKERS))


class Engine:
    """Runs independent tasks: on Dask (``kind`` "dask"), on local processes ("processes") or here ("serial")."""

    def __init__(self, kind: str, workers: int, scheduler: str | None = None):
        self.kind, self.workers, self.scheduler = kind, workers, scheduler
        # a note in both languages (zh, en): summary.json's solver_notes_zh and solver_notes
        self.note = both("note.no_dask", n=workers, es="es" if workers > 1 else "") if kind == "processes" else ""
        self._client = self._cluster = self._pool = None

    @property
    def label(self) -> str:
        if self.kind == "dask":
            where = self.scheduler or f"a local cluster of {self.workers} process{'es' if self.workers > 1 else ''}"
            return f"Dask, {where}"
        if self.kind == "processes":
            return f"{self.workers} local processes"
        return "one process"

    def map(self, fn: Callable, tasks: list, deadline: float | None = None,
            on_done: Callable[[int, object], None] | None = None, partial: bool = False) -> list | None:
        """``fn(task)`` for every task, results in order; None if not all are back by ``deadline``, or with
        ``partial`` the list with None in the place of each task not back (the rest are cancelled either way).
        ``on_done(i, result)`` is called in this process as each task ``i`` comes back, in the order they do."""
        if self.kind == "serial" or len(tasks) < 2:
            out = _serial(fn, tasks, deadline, on_done)
        elif self.kind == "dask":
            out = self._on_dask(fn, tasks, deadline, on_done)
        else:
            out = self._on_processes(fn, tasks, deadline, on_done)
        if partial:
            return [result if done else None for done, result in out]
        return [result for _, result in out] if all(done for done, _ in out) else None

    def _on_dask(self, fn, tasks, deadline, on_done) -> list:
        from distributed import as_completed

        c = self.dask_client()
        stamp = f"{os.getpid()}-{time.time_ns()}"
        futures = [c.submit(fn, task, key=f"quota-county-{stamp}-{i}", pure=False) for i, task in enumerate(tasks)]
        position = {f.key: i for i, f in enumerate(futures)}
        done = [False] * len(tasks)
        out = [None] * len(tasks)
        try:
            left = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
            for future in as_completed(futures, timeout=left, loop=c.loop):
                i = position[future.key]
                out[i] = future.result()  # a task that failed (not a lost worker: that one is retried) fails the map
                done[i] = True
                if on_done is not None:
                    on_done(i, out[i])
        except TimeoutError:
            c.cancel([f for f, back in zip(futures, done) if not back])
        return list(zip(done, out))

    def _on_processes(self, fn, tasks, deadline, on_done) -> list:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"))
        futures = [self._pool.submit(fn, task) for task in tasks]
        position = {f: i for i, f in enumerate(futures)}
        out = [(False, None)] * len(tasks)
        left = None if deadline is None else max(deadline - time.perf_counter(), 0.0)
        try:
            for f in as_completed(futures, timeout=left):
                i = position[f]
                out[i] = (True, f.result())  # a task that failed fails the map
                if on_done is not None:
                    on_done(i, out[i][1])
        except TimeoutError:
            for f in futures:
                f.cancel()
        return out

    def dask_client(self):
        """The Dask client, its local cluster started at the first call."""
        if self._client is None:
            if self.scheduler:
                self._client = client(self.scheduler)
            else:
                from distributed import Client, LocalCluster

                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=":0", silence_logs=logging.ERROR)
                self._client = Client(self._cluster, set_as_default=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._client = self._cluster = self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def engine(scheduler: str | None = None, workers: int = 1) -> Engine:
    """Dask at ``scheduler``; else, for ``workers`` > 1, a local Dask cluster (or local processes without Dask);
    else this process."""
    if scheduler:
        e = Engine("dask", workers, scheduler)
        e.workers = max(1, sum(e.dask_client().nthreads().values()))  # the cluster's, for the county MIPs' time caps
        return e
    if workers <= 1:
        return Engine("serial", 1)
    return Engine("dask" if has_dask() else "processes", workers)


def _serial(fn, tasks, deadline, on_done) -> list:
    out = [(False, None)] * len(tasks)
    for i, task in enumerate(tasks):
        if deadline is not None and time.perf_counter() >= deadline:
            break
        out[i] = (True, fn(task))
        if on_done is not None:
            on_done(i, out[i][1])
    return out
