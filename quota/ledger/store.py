"""The ledger's library entry points: ``record_run`` (a run folder into the ledger), ``read_facts`` (what happened
before a year, for ``quota run --ledger URL --as-of Y``), ``adopt`` (a run's year as approved facts) and ``current``
(the current rows of a fact table). Each opens one transaction (``quota.ledger.schema``).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from .facts import COLUMNS, LedgerFacts
from .runs import Adoption, adopt_run, insert_run, read_run_folder
from .schema import FACT_TABLES, allocations, ledger_url, reading, runs, writing


def record_run(url: str, run_dir: Path, *, as_of: int | None = None) -> int:
    """Record the run folder ``run_dir`` (its manifest, summary and allocations) in the ledger at ``url``, created on
    first use; the run's id. A folder recorded before keeps its id. ``as_of``: the run fixed the years before it."""
    record = read_run_folder(run_dir, as_of)  # before the transaction: the files are read and checked first
    with writing(ledger_url(url)) as conn:
        return insert_run(conn, record)[0]


def adopt(url: str, run_dir: Path, year: int, *, replace: bool = False, approval_date: dt.date | None = None) -> Adoption:
    """Record the run and its year-``year`` allocations as the approvals of ``year`` (dated ``approval_date``, by
    default 31 December of ``year``); refused when the ledger holds approvals of ``year``, unless ``replace``."""
    record = read_run_folder(run_dir)
    with writing(ledger_url(url)) as conn:
        return adopt_run(conn, record, year, replace, approval_date)


def current(conn: sa.Connection, kind: str, columns=None) -> pd.DataFrame:
    """The current (not superseded) rows of the fact table ``kind``, in id order."""
    table = FACT_TABLES[kind]
    cols = [table.c[c] for c in columns] if columns else list(table.c)
    rows = conn.execute(sa.select(*cols).where(table.c.superseded_by.is_(None)).order_by(table.c.id)).all()
    return frame(rows, [c.name for c in cols])


def frame(rows, columns: list[str]) -> pd.DataFrame:
    """Database rows as a frame with the interface's dtypes: ids and text as str, years and phases int, areas float."""
    out = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for c in columns:
        if c in ("phase", "year", "run_id", "id", "batch_id", "superseded_by", "disposal_id"):
            out[c] = out[c].astype("Int64" if out[c].isna().any() else "int64")  # NULL: no run, not superseded
        elif c == "area":
            out[c] = out[c].astype("float64")
        elif c.endswith("_date"):
            out[c] = out[c].map(_date).astype(object)
        elif out[c].dtype != object and not len(out):
            out[c] = out[c].astype(object)
    return out


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def read_facts(url: str, as_of: int, scenario_name: str | None = None) -> LedgerFacts:
    """What happened before ``as_of``: the ledger's current fact rows for years < ``as_of`` (supply: approvals of those
    years supplied before ``as_of``), and the allocations of the last run recorded for ``scenario_name`` (any
    scenario when None). A ledger that does not exist yet is created empty (first use)."""
    with reading(ledger_url(url), create=True) as conn:
        approved = current(conn, "approvals", COLUMNS["approvals"])
        supplied = current(conn, "supply", COLUMNS["supply"])
        disposed = current(conn, "disposal", COLUMNS["disposal"])
        issued = current(conn, "quota_issued", COLUMNS["quota_issued"])
        over = current(conn, "overplan", COLUMNS["overplan"])
        last = sa.select(sa.func.max(runs.c.id))
        if scenario_name is not None:
            last = last.where(runs.c.scenario_name == scenario_name)
        run_id = conn.execute(last).scalar()
        plan_cols = [allocations.c[c] for c in COLUMNS["last_plan"]]
        plan = frame(conn.execute(sa.select(*plan_cols).where(allocations.c.run_id == run_id)
                                  .order_by(allocations.c.id)).all() if run_id is not None else [], list(COLUMNS["last_plan"]))
    start = dt.date(as_of, 1, 1)

    def before(f: pd.DataFrame) -> pd.DataFrame:
        return f[f["year"] < as_of].reset_index(drop=True)

    supplied = supplied[(supplied["year"] < as_of) & supplied["supply_date"].map(lambda d: d < start).astype(bool)]
    return LedgerFacts(as_of, before(approved), supplied.reset_index(drop=True), before(disposed), before(issued),
                       before(over), plan)
