"""Two analysts writing at once, on one SQLite file and on PostgreSQL: no run lost or given twice, no adoption half
written or made twice; and a writer killed in the middle of its transaction leaves the ledger as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from ledger_helpers import PLAN, count, make_run
from quota.ledger import schema
from quota.ledger.errors import LedgerError
from quota.ledger.export import read_tables
from quota.ledger.store import adopt, read_facts, record_run

THREADS = 6


def test_writers_at_once_each_get_a_run_id_of_their_own(ledger_url, tmp_path):
    schema.init(ledger_url)
    folders = [make_run(tmp_path / f"run{i}", tag=str(i)) for i in range(THREADS * 3)]
    with ThreadPoolExecutor(THREADS) as pool:
        ids = list(pool.map(lambda f: record_run(ledger_url, f), folders))
    assert len(set(ids)) == len(folders)  # none given twice
    runs = read_tables(ledger_url)["runs"]
    assert sorted(runs["id"]) == sorted(ids) and len(runs) == len(folders)  # none lost
    alloc = read_tables(ledger_url)["allocations"]
    assert (alloc.groupby("run_id").size() == len(PLAN)).all() and len(alloc) == len(PLAN) * len(folders)
    by_dir = dict(zip(runs["run_dir"], runs["id"]))
    assert [by_dir[str(f)] for f in folders] == ids  # each writer got the id of its own run


def test_one_run_recorded_by_writers_at_once_is_one_run(ledger_url, tmp_path):
    schema.init(ledger_url)
    folder = make_run(tmp_path / "run")
    with ThreadPoolExecutor(THREADS) as pool:
        ids = list(pool.map(lambda _: record_run(ledger_url, folder), range(THREADS)))
    assert len(set(ids)) == 1 and count(ledger_url, "runs") == 1 and count(ledger_url, "allocations") == len(PLAN)


def test_adoptions_of_one_year_at_once_one_wins_whole(ledger_url, tmp_path):
    """Each writer adopts 2023 from a run of its own (a different set of approvals): exactly one is recorded, whole;
    the others are refused and leave nothing behind (not even their run)."""
    schema.init(ledger_url)
    folders = [make_run(tmp_path / f"run{i}", PLAN[:i + 1], tag=str(i)) for i in range(THREADS)]

    def attempt(folder):
        try:
            return adopt(ledger_url, folder, 2023)
        except LedgerError as e:
            assert "already holds" in str(e)
            return None

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(attempt, folders))
    won = [r for r in results if r is not None]
    assert len(won) == 1
    facts = read_facts(ledger_url, 2024)
    assert len(facts.approvals) == won[0].rows == count(ledger_url, "approvals")
    assert count(ledger_url, "runs") == 1 and count(ledger_url, "batches") == 1


WRITER = """
import sys, time
import quota.ledger.store as store

url, folder, mode = sys.argv[1:4]
if mode == "record":
    for i in range(5):
        store.record_run(url, f"{folder}/run{i}")
    sys.exit(0)
real = store.adopt_run

def stall(conn, *args, **kwargs):  # everything written, the transaction not yet committed
    result = real(conn, *args, **kwargs)
    print("written", flush=True)
    time.sleep(600)
    return result

store.adopt_run = stall
store.adopt(url, folder, 2023)
"""


def _writer(ledger_url, folder, mode, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(textwrap.dedent(WRITER), encoding="utf-8")
    return subprocess.Popen([sys.executable, str(script), ledger_url, str(folder), mode], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_two_processes_recording_at_once(ledger_url, tmp_path):
    schema.init(ledger_url)
    for p in ("a", "b"):
        for i in range(5):
            make_run(tmp_path / p / f"run{i}", tag=f"{p}{i}")
    procs = [_writer(ledger_url, tmp_path / p, "record", tmp_path) for p in ("a", "b")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    runs = read_tables(ledger_url)["runs"]
    assert len(runs) == 10 and runs["id"].is_unique and count(ledger_url, "allocations") == 10 * len(PLAN)


def test_a_writer_killed_mid_write_leaves_the_ledger_as_it_was(ledger_url, tmp_path):
    """The child has recorded the run and every approval row, uncommitted, when it is killed (SIGKILL: no clean-up of
    its own). The ledger holds none of it, and the next writer (waiting on the dead one's lock) succeeds."""
    schema.init(ledger_url)
    before = {t: count(ledger_url, t) for t in ("runs", "allocations", "approvals", "batches")}
    folder = make_run(tmp_path / "run")
    child = _writer(ledger_url, folder, "adopt", tmp_path)
    try:
        assert child.stdout.readline().strip() == "written"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
    assert {t: count(ledger_url, t) for t in before} == before
    assert adopt(ledger_url, folder, 2023).rows == 4
    assert count(ledger_url, "approvals") == 4 and count(ledger_url, "runs") == 1


@pytest.mark.parametrize("ledger_url", ["sqlite"], indirect=True)
def test_writers_wait_for_each_other_rather_than_fail(ledger_url, tmp_path):
    """SQLite: a writer waits for another's transaction (BEGIN IMMEDIATE, busy timeout) instead of failing at once."""
    import threading

    schema.init(ledger_url)
    held = threading.Event()
    done = threading.Event()

    def hold():
        with schema.writing(ledger_url):
            held.set()
            done.wait(2)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    threading.Timer(0.5, done.set).start()
    assert record_run(ledger_url, make_run(tmp_path / "run")) == 1
    holder.join()
