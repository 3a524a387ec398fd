"""Runs in the ledger: a run folder read and checked (``read_run_folder``), recorded (``insert_run``), and adopted as
the approved facts of one year (``adopt_run``).

A run folder is recorded from its ``manifest.json``, ``summary.json``, ``allocations.csv`` and ``projects.csv`` (each
project's county), and ``idle_parcels.csv`` when the run has idle parcels. The files read are checked against the
SHA-256 the manifest lists, as ``quota audit`` checks them, so a run folder changed after it was written is refused. A
run is known by the SHA-256 of its ``manifest.json``: the same folder recorded twice is one run.

Adopting a year also records the land the run's idle parcels show taken back in that year, and counting as stock
(``stock_from`` in idle_parcels.csv: Order 53 Art. 14(2) reaches the take-back), as disposal of its county and year,
kind ``taken_back``, one row per parcel with its ``parcel_id`` (``record_take_backs``). It is recorded once: not when the
ledger holds a current take-back row naming the parcel (an earlier adoption, or the bureau's own table), nor when it
holds a take-back row of the county and year that names no parcel (the bureau's own county figure stands, and may
include the parcel). The bureau's own take-back table of a year, imported later, replaces these rows
(``quota.ledger.imports``).
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
from .schema import allocations, approvals, batches, disposal, now, runs

READ = ("summary.json", "allocations.csv", "projects.csv")


@dataclass(frozen=True)
class RunRecord:
    """What the ledger keeps of a run folder: the ``runs`` row and its allocations (with each project's county)."""
    row: dict
    allocations: pd.DataFrame  # project_id, county_id, plan, phase, year, source, area
    taken_back: pd.DataFrame  # parcel_id, county_id, year (taken back), area (ha): land counting as stock (idle_parcels.csv)


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
    for name in READ + (("idle_parcels.csv",) if "idle_parcels.csv" in manifest["outputs"] else ()):
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
    return RunRecord(row, frame, _taken_back(run, manifest, factor))


def _taken_back(run: Path, manifest: dict, factor: float) -> pd.DataFrame:
    """The parcels of idle_parcels.csv taken back and counting as stock: parcel, county, year taken back, area in ha."""
    cols = ["parcel_id", "county_id", "year", "area"]
    if "idle_parcels.csv" not in manifest["outputs"]:
        return pd.DataFrame(columns=cols)
    t = read_csv(run / "idle_parcels.csv", dtype=str, keep_default_na=False)
    if "taken_back_on" not in t or "stock_from" not in t:
        return pd.DataFrame(columns=cols)
    t = t[(t["taken_back_on"].str.strip() != "") & (t["stock_from"].str.strip() != "")]
    return pd.DataFrame({"parcel_id": t["parcel_id"], "county_id": t["county_id"],
                         "year": t["taken_back_on"].str[:4].astype(int), "area": t["area"].astype(float) * factor},
                        columns=cols).reset_index(drop=True)


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
    taken_back: int = 0  # disposal rows recorded for land taken back in the year (one per parcel)
    taken_back_area: float = 0.0
    not_recorded: tuple[str, ...] = ()  # the take-backs the ledger holds already, each with why
    not_recorded_zh: tuple[str, ...] = ()  # the same in Chinese (quota.messages.ledger)


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
    n, area, skipped = record_take_backs(conn, record, year, run_id)
    return Adoption(run_id, batch_id, len(rows), float(planned["area"].sum()), superseded, n, area,
                    tuple(en for _, en in skipped), tuple(zh for zh, _ in skipped))


def record_take_backs(conn: sa.Connection, record: RunRecord, year: int,
                      run_id: int) -> tuple[int, float, tuple[tuple[str, str], ...]]:
    """The run's land taken back in ``year`` as disposal (kind taken_back, one row per parcel, in a batch of its own),
    once: (rows recorded, their area, the parcels not recorded with why, each as (zh, en))."""
    backs = record.taken_back[record.taken_back["year"] == year]
    if backs.empty:
        return 0, 0.0, ()
    now_held = conn.execute(sa.select(disposal.c.county_id, disposal.c.year, disposal.c.parcel_id, disposal.c.batch_id)
                            .where(disposal.c.superseded_by.is_(None), disposal.c.kind == "taken_back")).all()
    parcels = {p: (y, b) for _, y, p, b in now_held if p}
    counties = {(c, y): b for c, y, p, b in now_held if not p}
    rows, skipped = [], []
    for r in backs.itertuples():
        if r.parcel_id in parcels:
            y, b = parcels[r.parcel_id]
            skipped.append(both("ledger.held", parcel=r.parcel_id, year=y, batch=b))
        elif (r.county_id, year) in counties:
            skipped.append(both("ledger.held_county", parcel=r.parcel_id, county=r.county_id, year=year,
                                batch=counties[(r.county_id, year)]))
        else:
            rows.append({"county_id": r.county_id, "year": year, "kind": "taken_back", "area": float(r.area),
                         "parcel_id": r.parcel_id})
    if rows:
        batch_id = conn.execute(batches.insert().values(action="adopt", kind="disposal", origin=record.row["run_dir"], year=year,
                                                        run_id=run_id, replaced=False, recorded_at=now())).inserted_primary_key[0]
        conn.execute(disposal.insert(), [{**r, "batch_id": batch_id} for r in rows])
    return len(rows), float(sum(r["area"] for r in rows)), tuple(skipped)
