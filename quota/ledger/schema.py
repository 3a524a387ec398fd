"""The ledger's tables, its schema version and the migrations that bring an older ledger up to it.

One set of SQLAlchemy Core tables serves SQLite and PostgreSQL. A ledger is named by a database URL
(``sqlite:///ledger.db``, ``postgresql+psycopg://user@host/db``) or by a plain file path, which means a SQLite
file (``ledger_url``). ``writing`` and ``reading`` open one transaction each; every write of the ledger happens
inside one ``writing`` transaction, so it is whole or not there at all (a killed writer's transaction is rolled
back by the database).

Writers are serialised: on SQLite every transaction starts with ``BEGIN IMMEDIATE`` (the database's write lock,
waited for up to ``BUSY_SECONDS``), on PostgreSQL a write transaction first takes a transaction-level advisory
lock (``pg_advisory_xact_lock``), and reads run at REPEATABLE READ, one snapshot. Ids come from the database
(SQLite's AUTOINCREMENT, PostgreSQL's sequences), so two analysts writing at once never get the same run id.

The schema version is kept in ``ledger_version``, one row per step applied. ``MIGRATIONS`` is the list of steps,
applied in order, all in the transaction that opens the ledger; an empty database gets every step (it is created
on first use), an older ledger the steps it lacks, and a ledger newer than this quota is refused. A released step
never changes: a later change of the schema is a new step at the end of the list (a step that alters a table
keeps the tables above in their newest form and writes its own ALTER statements).
"""
from __future__ import annotations

import contextlib
import zlib
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String,
                        Table, Text)

from .errors import LedgerError

BUSY_SECONDS = 60  # how long a SQLite writer waits for another writer's transaction to end
LOCK_KEY = zlib.crc32(b"quota ledger")  # the advisory lock of PostgreSQL writers

metadata = MetaData()


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _current(table: Table, *columns: str) -> Index:
    """At most one current (not superseded) row per ``columns``: a partial unique index, on both databases."""
    current = table.c.superseded_by.is_(None)
    return Index(f"{table.name}_current", *(table.c[c] for c in columns), unique=True,
                 sqlite_where=current, postgresql_where=current)


version_table = Table(
    "ledger_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False),
    Column("quota_version", String(32), nullable=False),
)
runs = Table(  # one row per run recorded (quota run --ledger, quota ledger adopt)
    "runs", metadata, _id(),
    Column("scenario_name", Text, nullable=False),
    Column("scenario_hash", String(64), nullable=False),  # of the input files' SHA-256 and the --set overrides
    Column("rule_set", Text, nullable=False),  # "" under the first contract
    Column("parameters", JSON, nullable=False),  # the scenario's yaml keys, as in manifest.json
    Column("method", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("objective", Float),
    Column("gap", Float),
    Column("as_of", Integer),  # quota run --as-of: the years before it were facts
    Column("run_dir", Text, nullable=False),
    Column("manifest_hash", String(64), nullable=False, unique=True),  # SHA-256 of the run folder's manifest.json
    Column("created_at", DateTime, nullable=False),  # when recorded, UTC
    sqlite_autoincrement=True,
)
allocations = Table(  # allocations.csv of each run, with each project's county (from projects.csv)
    "allocations", metadata, _id(),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False, index=True),
    Column("project_id", Text, nullable=False),
    Column("county_id", Text, nullable=False),
    Column("plan", Text, nullable=False),  # "" for a project without alternative plans
    Column("phase", Integer, nullable=False),
    Column("year", Integer, nullable=False),
    Column("source", String(16), nullable=False),
    Column("area", Float, nullable=False),
    sqlite_autoincrement=True,
)
batches = Table(  # one row per write of facts: an adoption, an imported file's table, a lapse
    "batches", metadata, _id(),
    Column("action", String(16), nullable=False),  # adopt | import | lapse
    Column("kind", String(16), nullable=False),  # the fact table written: approvals, supply, disposal, ...
    Column("origin", Text, nullable=False),  # the run folder or the file (and sheet)
    Column("year", Integer),  # adopt and lapse: the year given
    Column("run_id", Integer, ForeignKey("runs.id")),  # adopt: the run adopted
    Column("replaced", Boolean, nullable=False),  # --replace: earlier rows were marked superseded by this batch
    Column("recorded_at", DateTime, nullable=False),
    sqlite_autoincrement=True,
)


def _fact(name: str, *columns: Column) -> Table:
    """A fact table: its columns, the batch that wrote each row, and the batch that superseded it (NULL: current)."""
    return Table(name, metadata, _id(), Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
                 *columns, Column("superseded_by", Integer, ForeignKey("batches.id")), sqlite_autoincrement=True)


approvals = _fact(  # 用地批准: one row per phase and source
    "approvals",
    Column("run_id", Integer, ForeignKey("runs.id")),  # adopted from this run; NULL when imported
    Column("project_id", Text, nullable=False), Column("county_id", Text, nullable=False),
    Column("plan", Text, nullable=False), Column("phase", Integer, nullable=False), Column("year", Integer, nullable=False),
    Column("source", String(16), nullable=False), Column("area", Float, nullable=False),
    Column("approval_date", Date, nullable=False),
)
supply = _fact(  # 供地 of approved land
    "supply",
    Column("project_id", Text, nullable=False), Column("plan", Text, nullable=False),
    Column("phase", Integer, nullable=False), Column("year", Integer, nullable=False),  # the year of the approval
    Column("supply_date", Date, nullable=False), Column("area", Float, nullable=False),
)
disposal = _fact(  # 处置 of the stock, by county, year and kind
    "disposal",
    Column("county_id", Text, nullable=False), Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False), Column("area", Float, nullable=False),
    Column("parcel_id", Text),  # version 3: the idle parcel a take-back row is of (NULL: a county figure)
)
quota_issued = _fact(  # 下达指标: quota issued to the city each year
    "quota_issued", Column("year", Integer, nullable=False), Column("area", Float, nullable=False))
overplan = _fact(  # 超计划用地, by county and year
    "overplan", Column("county_id", Text, nullable=False), Column("year", Integer, nullable=False),
    Column("area", Float, nullable=False))
_current(approvals, "project_id", "phase", "source")
_current(quota_issued, "year")
_current(overplan, "county_id", "year")

# version 2: which approvals lapsed (自然资规〔2018〕1号), and the disposal row each lapse recorded
lapses = Table(
    "lapses", metadata, _id(),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("project_id", Text, nullable=False), Column("plan", Text, nullable=False),
    Column("phase", Integer, nullable=False), Column("year", Integer, nullable=False),
    Column("lapse_date", Date, nullable=False), Column("area", Float, nullable=False),
    Column("disposal_id", Integer, ForeignKey("disposal.id"), nullable=False),
    sqlite_autoincrement=True,
)

FACT_TABLES = {"approvals": approvals, "supply": supply, "disposal": disposal, "quota_issued": quota_issued,
               "overplan": overplan}
TABLES = {"ledger_version": version_table, "runs": runs, "allocations": allocations, "batches": batches,
          **FACT_TABLES, "lapses": lapses}


# ------------------------------------------------------------ migrations ----

def _create(*tables: Table) -> Callable[[sa.Connection], None]:
    def step(conn: sa.Connection) -> None:
        metadata.create_all(conn, tables=list(tables), checkfirst=False)
    step.__doc__ = "create " + ", ".join(t.name for t in tables)
    return step


def _disposal_parcel(conn: sa.Connection) -> None:
    """disposal.parcel_id: the idle parcel a take-back row is of (a ledger created at step 1 has it already)."""
    if "parcel_id" not in {c["name"] for c in sa.inspect(conn).get_columns("disposal")}:
        conn.execute(sa.text("ALTER TABLE disposal ADD COLUMN parcel_id TEXT"))


MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    _create(version_table, runs, allocations, batches, approvals, supply, disposal, quota_issued, overplan),  # 1
    _create(lapses),  # 2: lapsed approvals
    _disposal_parcel,  # 3: the parcel of a take-back (issue 18)
]
SCHEMA_VERSION = len(MIGRATIONS)


def ledger_url(target: str | Path) -> str:
    """A database URL as given (it holds ``://``), or a file path as the URL of a SQLite file there."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


def _quota_version() -> str:
    try:
        return importlib_metadata.version("quota")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _engine(url: str) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise LedgerError.of("error.ledger.bad_url", url=repr(url)) from None
    sqlite = parsed.get_backend_name() == "sqlite"
    try:
        engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool,
                                  **({"connect_args": {"timeout": BUSY_SECONDS}} if sqlite else {}))
    except ModuleNotFoundError as e:
        raise LedgerError.of("error.ledger.no_driver", driver=repr(e.name), name=parsed.drivername) from None
    except sa.exc.NoSuchModuleError:
        raise LedgerError.of("error.ledger.bad_database", name=repr(parsed.drivername)) from None
    if sqlite:
        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # the driver's own BEGIN is off: ours is below
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock from the first statement: no lost update
    return engine


def shown_url(url: str) -> str:
    """The URL as messages show it, without a password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


@contextlib.contextmanager
def _connection(url: str, must_exist: bool) -> Iterator[tuple[sa.Engine, sa.Connection]]:
    engine = _engine(url)
    if must_exist and engine.dialect.name == "sqlite":
        path = engine.url.database
        if path and path != ":memory:" and not Path(path).exists():
            engine.dispose()
            raise LedgerError.of("error.ledger.none_at", path=path)
    try:
        with engine.connect() as conn:
            yield engine, conn
    except sa.exc.OperationalError as e:
        raise LedgerError.of("error.ledger.unusable", url=shown_url(url), error=str(e.orig).strip().splitlines()[0]) from None
    finally:
        engine.dispose()


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def schema_version(conn: sa.Connection, url: str) -> int | None:
    """The ledger's version; None for a database without any ledger table. ``LedgerError`` when the database
    holds tables of a ledger's names but no version table: it is not a quota ledger."""
    names = set(sa.inspect(conn).get_table_names())
    if version_table.name not in names:
        clash = sorted(names & set(TABLES))
        if clash:
            raise LedgerError.of("error.ledger.not_a_ledger", url=shown_url(url), tables=", ".join(clash))
        return None
    return conn.execute(sa.select(sa.func.max(version_table.c.version))).scalar()


def _migrate(conn: sa.Connection, url: str, create: bool) -> int:
    """Bring the ledger to ``SCHEMA_VERSION`` inside the open transaction; the version it had (0: none)."""
    found = schema_version(conn, url) or 0
    if found > SCHEMA_VERSION:
        raise LedgerError.of("error.ledger.newer", url=shown_url(url), found=found, version=_quota_version(),
                             known=SCHEMA_VERSION)
    if found == 0 and not create:
        raise LedgerError.of("error.ledger.empty", url=shown_url(url))
    for version in range(found + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(version_table.insert().values(version=version, applied_at=now(), quota_version=_quota_version()))
    return found


def now() -> datetime:
    """The time recorded with a row: UTC, to the second, without a time zone (the same on both databases)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


@contextlib.contextmanager
def writing(url: str, create: bool = True) -> Iterator[sa.Connection]:
    """One write transaction on the ledger at ``url``, brought to the current schema first (created on first use
    when ``create``); committed when the block ends, rolled back on any error."""
    url = ledger_url(url)
    with _connection(url, must_exist=not create) as (_, conn):
        with conn.begin():
            _lock(conn)
            _migrate(conn, url, create)
            yield conn


@contextlib.contextmanager
def reading(url: str, create: bool = False) -> Iterator[sa.Connection]:
    """One read transaction, a single snapshot. An older ledger is migrated first (in a write transaction of its
    own); with ``create``, an empty database or a missing SQLite file becomes an empty ledger."""
    url = ledger_url(url)
    with _connection(url, must_exist=not create) as (_, conn):
        with conn.begin():
            found = schema_version(conn, url)
        if found != SCHEMA_VERSION:
            with conn.begin():
                _lock(conn)
                _migrate(conn, url, create)
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def init(url: str) -> tuple[int, int]:
    """Create the ledger at ``url`` or bring it to the current schema: (version found, 0 for none; version now)."""
    url = ledger_url(url)
    with _connection(url, must_exist=False) as (_, conn):
        with conn.begin():
            _lock(conn)
            found = _migrate(conn, url, create=True)
    return found, SCHEMA_VERSION
