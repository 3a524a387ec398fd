"""A throw-away PostgreSQL server for the ledger tests: ``start_server`` / ``stop_server``.

``initdb`` makes a cluster in a fresh folder under /tmp (short enough for a unix socket path), ``pg_ctl``
starts it listening only on a unix socket in that folder (no TCP port), and one database, ``quota_test``,
is created. The URL given is ``postgresql+psycopg://postgres@/quota_test?host=<folder>``.

PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres`` system user (made by
the distribution's ``postgresql`` package) and its programs run through ``runuser -u postgres --``.

Set ``QUOTA_TEST_POSTGRES_URL`` to use a server of your own instead (a URL whose user may create databases:
each test creates a database of its own there and drops it afterwards, ``fresh_database``). When no server can be started, ``start_server`` raises ``Unavailable`` saying why, and the
tests skip PostgreSQL with that reason.

Under pytest-xdist the workers share one server: the first starts it, each registers in a small JSON file
beside pytest's base temporary folder, under a file lock, and the last one to finish stops it.
"""
from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

ENV_URL = "QUOTA_TEST_POSTGRES_URL"
DATABASE = "quota_test"


class Unavailable(Exception):
    """No PostgreSQL server could be started; the message says why."""


def _bin_dir() -> Path:
    """The folder of initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin (Debian keeps them off PATH), else
    where pg_ctl on PATH really is (links followed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path and (Path(on_path).resolve().parent / "initdb").exists():
        return Path(on_path).resolve().parent
    raise Unavailable("PostgreSQL is not installed (no initdb and pg_ctl in /usr/lib/postgresql/*/bin nor on PATH): "
                      "install the distribution's `postgresql` package (.ci/run does), or set "
                      f"{ENV_URL} to a server's URL")


def _as_owner(argv: list[str]) -> list[str]:
    """``argv`` run as the cluster's owner: ``postgres`` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("runuser") is None:
        raise Unavailable("running as root without `runuser`, so PostgreSQL (which refuses root) cannot be started")
    return ["runuser", "-u", "postgres", "--", *argv]


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_owner(argv), capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise Unavailable(f"{what} failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}")


def start_server() -> dict:
    """Start a cluster; ``{"url", "folder", "bin"}``. ``Unavailable`` when none can be started."""
    if os.environ.get(ENV_URL):
        return {"url": os.environ[ENV_URL], "folder": None, "bin": None}
    bin_dir = _bin_dir()
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and there is no `postgres` system user to own the cluster "
                              "(the distribution's postgresql package makes one)") from None
    folder = Path(tempfile.mkdtemp(prefix="quota-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync",
              "--locale=C"], "initdb")
        options = f"-k {folder} -c listen_addresses='' -c fsync=off -c max_connections=40"
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "-t", "60", "start"],
             "pg_ctl start")
        _run([str(bin_dir / "createdb"), "-h", str(folder), "-U", "postgres", DATABASE], "createdb")
    except (Unavailable, OSError, subprocess.TimeoutExpired) as e:
        stop_server({"folder": str(folder), "bin": str(bin_dir)})
        raise Unavailable(str(e)) from None
    return {"url": f"postgresql+psycopg://postgres@/{DATABASE}?host={folder}", "folder": str(folder), "bin": str(bin_dir)}


def stop_server(server: dict) -> None:
    """Stop the cluster ``start_server`` started and remove its folder (a server of one's own is left alone)."""
    if not server.get("folder"):
        return
    folder = Path(server["folder"])
    if (folder / "data" / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            subprocess.run(_as_owner([str(Path(server["bin"]) / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate",
                                      "-w", "stop"]), capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def shared_server(shared_dir: Path | None):
    """A server for the test session: ``shared_dir`` (xdist: the folder above every worker's base temp) holds
    ``postgres.json`` with the server and how many workers use it; ``None`` (no xdist): this session's own.
    Yields the URL, or raises ``Unavailable``."""
    if shared_dir is None:
        server = start_server()
        try:
            yield server["url"]
        finally:
            stop_server(server)
        return
    state, lock = shared_dir / "postgres.json", shared_dir / "postgres.lock"
    with _locked(lock):
        record = json.loads(state.read_text()) if state.exists() else {"users": 0}
        if "error" in record:
            raise Unavailable(record["error"])
        if "server" not in record:
            try:
                record["server"] = start_server()
            except Unavailable as e:
                state.write_text(json.dumps({"error": str(e)}))
                raise
        record["users"] += 1
        state.write_text(json.dumps(record))
    try:
        yield record["server"]["url"]
    finally:
        with _locked(lock):
            record = json.loads(state.read_text())
            record["users"] -= 1
            if record["users"] == 0:
                stop_server(record.pop("server"))
                state.unlink()
            else:
                state.write_text(json.dumps(record))


@contextlib.contextmanager
def fresh_database(server_url: str):
    """A new, empty database on the server of ``server_url``, dropped afterwards; yields its URL."""
    import uuid

    import sqlalchemy as sa

    url = sa.engine.make_url(server_url)
    name = f"quota_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
