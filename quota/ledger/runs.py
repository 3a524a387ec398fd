"""Runs in the ledger: a run folder read and checked (``read_run_folder``), recorded (``insert_run``), and adopted as
the approved facts of one year (``adopt_run``).

A run folder is recorded from its ``manifest.json``, ``summary.json``, ``allocations.csv`` and ``projects.csv`` (each
project's county). The files read are checked against the SHA-256 the manifest lists, as ``quota audit`` checks them,
so a run folder changed after it was written is refused. A run is known by the SHA-256 of its ``manifest.json``: the
same folder recorded twice is one run.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ..messages import both
from ..report.safety import read_csv
from .errors import LedgerError
from .schema import allocations, approvals, batches, now, runs

READ = ("summary.json", "allocations.csv", "projects.csv")


@dataclass(frozen=True)
class RunRecord:
    """What the ledger keeps of a run folder: the ``runs`` row and its allocations (with each project's county)."""
    row: dict
    allocations: pd.DataFrame  # project_id, county_id, plan, phase, year, source, area


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_run_folder(run_dir: str | Path, as_of: int | None = None) -> RunRecord:
    """The run folder at ``run_dir`` as the ledger records it; ``LedgerError`` when it is not a whole run folder."""
    run = Path(run_dir)
    try:
        raw = (run / "manifest.json").read_bytes()
        manifest = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as e:
        raise LedgerError.of("error.ledger.manifest_unreadable", run=run, error=type(e).__name__) from None
    if not isinstance(manifest, dict) or manifest.get("kind", "run") != "run" or not isinstance(manifest.get("outputs"), dict):
        raise LedgerError.of("error.ledger.not_a_run", run=run)
    for name in READ:
        digest = manifest["outputs"].get(name)
        path = run / name
        if digest is None or not path.is_file():
            raise LedgerError.of("error.ledger.run_" + ("missing" if not path.is_file() else "unlisted"), run=run, name=name)
        if _sha256(path.read_bytes()) != digest:
            raise LedgerError.of("error.ledger.run_changed", path=run / name, run=run)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    alloc = read_csv(run / "allocations.csv", dtype={"project_id": str, "plan": str, "source": str}, keep_default_na=False)
    projects = read_csv(run / "projects.csv", dtype={"project_id": str, "county_id": str}, keep_default_na=False,
                        usecols=["project_id", "county_id"])
    alloc = alloc.merge(projects, on="project_id", how="left", validate="many_to_one")
    if alloc["county_id"].isna().any():
        missing = sorted(alloc.loc[alloc["county_id"].isna(), "project_id"].unique())
        raise LedgerError.of("error.ledger.run_projects", run=run, projects=", ".join(missing[:5]))
    overrides = manifest.get("overrides")
    scenario_hash = _sha256(json.dumps({"inputs": sorted(manifest.get("inputs", {}).values()), "overrides": overrides},
                                       sort_keys=True, ensure_ascii=False).encode("utf-8"))
    params = dict(manifest.get("parameters") or {})
    if overrides:
        params["--set"] = overrides
    row = {"scenario_name": str(manifest.get("scenario") or summary.get("scenario") or ""), "scenario_hash": scenario_hash,
           "rule_set": str((manifest.get("rules") or {}).get("name") or ""), "parameters": json.loads(json.dumps(params, default=str)),
           "method": str(summary.get("method", "optimise")), "status": str(summary.get("status", "")),
           "objective": _number(summary.get("objective")), "gap": _number(summary.get("gap")), "as_of": as_of,
           "run_dir": str(run.absolute()), "manifest_hash": _sha256(raw)}
    columns = ["project_id", "county_id", "plan", "phase", "year", "source", "area"]
    frame = alloc[columns].astype({"phase": int, "year": int, "area": float})
    factor = 1 / 15 if manifest.get("unit") == "mu" else 1.0  # allocations.csv is in the scenario's unit; the ledger in ha
    frame["area"] = frame["area"] * factor
    return RunRecord(row, frame)


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and value == value else None


def insert_run(conn: sa.Connection, record: RunRecord) -> tuple[int, bool]:
    """The run's id, recording it (its row and allocations) unless the same manifest is recorded already: (id, new)."""
    found = conn.execute(sa.select(runs.c.id).where(runs.c.manifest_hash == record.row["manifest_hash"])).scalar()
    if found is not None:
        return found, False
    run_id = conn.execute(runs.insert().values(**record.row, created_at=now())).inserted_primary_key[0]
    rows = [{**r, "run_id": run_id} for r in record.allocations.to_dict("records")]
    if rows:
        conn.execute(allocations.insert(), rows)
    return run_id, True


@dataclass(frozen=True)
class Adoption:
    run_id: int
    batch_id: int
    rows: int
    area: float
    superseded: int  # approvals rows marked superseded (--replace)


def adopt_run(conn: sa.Connection, record: RunRecord, year: int, replace: bool, approval_date: dt.date | None) -> Adoption:
    """Record the run (once) and its year-``year`` allocations as approved facts, inside the open transaction."""
    run_id, _ = insert_run(conn, record)
    planned = record.allocations[record.allocations["year"] == year]
    if planned.empty:
        years = sorted(record.allocations["year"].unique())
        raise LedgerError.of("error.ledger.adopt_nothing" + ("" if years else "_at_all"), run=record.row["run_dir"], year=year,
                             years=", ".join(map(str, years)))
    date = approval_date or dt.date(year, 12, 31)
    if date.year != year:
        raise LedgerError.of("error.ledger.adopt_date", date=date, year=year)
    current = approvals.c.superseded_by.is_(None)
    held = conn.execute(sa.select(sa.func.count(), sa.func.min(approvals.c.batch_id))
                        .where(current, approvals.c.year == year)).one()
    if held[0] and not replace:
        raise LedgerError.of("error.ledger.adopt_held", n=held[0], year=year, batch=held[1])
    keys = list(planned[["project_id", "phase"]].itertuples(index=False, name=None))
    other = conn.execute(sa.select(approvals.c.project_id, approvals.c.phase, approvals.c.year, approvals.c.batch_id)
                         .where(current, approvals.c.year != year,
                                sa.tuple_(approvals.c.project_id, approvals.c.phase).in_(keys))).all()
    if other:
        shown = [both("error.ledger.adopt_other_one", project=p, phase=ph, year=y, batch=b) for p, ph, y, b in other[:5]]
        raise LedgerError.of("error.ledger.adopt_other", year=year, shown="; ".join(en for _, en in shown),
                             shown_zh=";".join(zh for zh, _ in shown))
    batch_id = conn.execute(batches.insert().values(action="adopt", kind="approvals", origin=record.row["run_dir"], year=year,
                                                    run_id=run_id, replaced=bool(held[0]), recorded_at=now())).inserted_primary_key[0]
    superseded = 0
    if held[0]:
        superseded = conn.execute(approvals.update().where(current, approvals.c.year == year)
                                  .values(superseded_by=batch_id)).rowcount
    rows = [{**r, "batch_id": batch_id, "run_id": run_id, "approval_date": date}
            for r in planned.to_dict("records")]
    conn.execute(approvals.insert(), rows)
    return Adoption(run_id, batch_id, len(rows), float(planned["area"].sum()), superseded)
