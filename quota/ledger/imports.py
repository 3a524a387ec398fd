"""``import_facts``: a bureau's fact file into the ledger, checked like scenario input, written whole or not at all.

A file speaks for the years it holds: its approvals, quota issued and over-plan use for each year in it, its supply
for each year of its supply dates, its disposal for each year and kind. Importing is refused when the ledger already
holds current rows for one of those years (and kinds), unless ``replace``, which marks those rows superseded by the
import (kept, never deleted) and records the file's rows in their place. The take-backs an adoption recorded from a
run's parcels (``quota.ledger.runs.record_take_backs``) give way to the bureau's own take-back rows of the same year
without ``replace``: they are superseded in the same way. A row naming a parcel (``parcel_id``) is a take-back; a
parcel is taken back once, in the file and in the ledger. Every problem of the file, cell by cell and
against the ledger, is listed together (``FactFileError``); nothing is written when there is any.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ..errors import Issue
from .errors import FactFileError
from .schema import FACT_TABLES, batches, ledger_url, now, writing
from .store import current
from .tables import ROW_KEY, FactTable, read_fact_file

TOL = 1e-6  # ha: the checker's tolerance


@dataclass
class Imported:
    kind: str
    label: str  # the file (and sheet)
    rows: int
    area: float
    superseded: int
    batch_id: int


@dataclass
class ImportResult:
    tables: list[Imported] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def import_facts(url: str, path: str | Path, kind: str | None = None, *, replace: bool = False, unit: str = "ha") -> ImportResult:
    """Read, check and record the fact file at ``path`` (``kind``: the kind of a CSV file whose name does not say)."""
    issues: list[Issue] = []
    warnings: list[Issue] = []
    tables = read_fact_file(path, kind, unit, issues, warnings)
    for t in tables:
        check_rows(t, issues)
    with writing(ledger_url(url)) as conn:
        if not issues:  # the cells are sound: now against the ledger
            check_ledger(conn, tables, replace, issues)
        if issues:
            raise FactFileError(issues)  # rolls the transaction back: nothing written
        result = ImportResult(warnings=warnings)
        for t in tables:
            result.tables.append(_write(conn, t, replace))
    return result


def units(kind: str, frame: pd.DataFrame) -> pd.Series:
    """The unit a file speaks for, per row: its year (supply: the supply date's year; disposal: year and kind)."""
    if kind == "supply":
        return frame["supply_date"].map(lambda d: (d.year,))
    if kind == "disposal":
        return pd.Series(list(zip(frame["year"], frame["kind"])), index=frame.index, dtype=object)
    return frame["year"].map(lambda y: (y,))


def check_rows(t: FactTable, issues: list[Issue]) -> None:
    """What must hold across the rows of one table: each key once; an approval dated in its year, its phase's rows
    agreeing on plan, year, county and date; no supply before the year of its approval."""
    f, label = t.frame, t.raw.label
    key = list(ROW_KEY[t.kind])
    seen: dict[tuple, int] = {}
    for i, k in enumerate(f[key].itertuples(index=False, name=None)):
        k = tuple("" if c == "parcel_id" and v is None else v for c, v in zip(key, k))  # no parcel: a county figure
        if any(v is None for v in k):
            continue
        if k in seen:
            issues.append(Issue.of("ledger.duplicate-row", label, t.rows[i], ", ".join(key), key=", ".join(key), row=t.rows[seen[k]]))
        else:
            seen[k] = i
    if t.kind == "approvals":
        for i, r in f.iterrows():
            if r["approval_date"] is not None and r["year"] is not None and r["approval_date"].year != r["year"]:
                issues.append(Issue.of("ledger.date-year", label, t.rows[i], "approval_date", date=r["approval_date"], year=r["year"]))
        first: dict[tuple, int] = {}
        for i, r in f.iterrows():
            k = (r["project_id"], r["phase"])
            if k not in first:
                first[k] = i
                continue
            j = first[k]
            for col in ("plan", "year", "county_id", "approval_date"):
                if r[col] is not None and f.at[j, col] is not None and r[col] != f.at[j, col]:
                    issues.append(Issue.of("ledger.phase-disagrees", label, t.rows[i], col, value=r[col], row=t.rows[j],
                                           other=f.at[j, col], col=col))
    if t.kind == "disposal":
        _check_parcels(t, issues)
    if t.kind == "supply":
        for i, r in f.iterrows():
            if r["supply_date"] is not None and r["year"] is not None and r["supply_date"].year < r["year"]:
                issues.append(Issue.of("ledger.supply-before-approval.year", label, t.rows[i], "supply_date", date=r["supply_date"],
                                       year=r["year"]))


def check_ledger(conn: sa.Connection, tables: list[FactTable], replace: bool, issues: list[Issue]) -> None:
    """What must hold against the ledger: no year (and kind) held already unless ``replace``; no phase approved in two
    years; each supply row of an approval the ledger or the file holds, on or after its date, within its area."""
    by_kind = {t.kind: t for t in tables}
    held: dict[str, pd.DataFrame] = {}
    for t in tables:
        rows = current(conn, t.kind)
        rows["unit"] = units(t.kind, rows) if len(rows) else pd.Series(dtype=object)
        mine = set(units(t.kind, t.frame))
        clash = rows[rows["unit"].isin(mine) & ~rows["id"].isin(adopted_take_backs(conn, t.kind, rows))]
        if len(clash) and not replace:
            for unit, group in clash.groupby("unit", sort=True):
                issues.append(Issue.of("ledger.already-held", t.raw.label, "", "year", n=len(group), kind=t.kind,
                                       what=" ".join(map(str, unit)),
                                       batches=", ".join(map(str, sorted(group["batch_id"].unique())))))
        held[t.kind] = rows[~rows["unit"].isin(mine)] if replace else rows  # what stays current after the import
    approvals = held.get("approvals")
    if approvals is None:
        approvals = current(conn, "approvals")
    if "approvals" in by_kind:
        _check_phases(by_kind["approvals"], approvals, issues)
    if "disposal" in by_kind:
        _check_held_parcels(by_kind["disposal"], held["disposal"], issues)
    if "supply" in by_kind:
        supplies = held["supply"]
        new = by_kind["approvals"].frame if "approvals" in by_kind else approvals.iloc[:0]
        _check_supply(by_kind["supply"], pd.concat([approvals, new], ignore_index=True), supplies, issues)


def adopted_take_backs(conn: sa.Connection, kind: str, rows: pd.DataFrame) -> list[int]:
    """The ids of ``rows`` (current rows of ``kind``) that an adoption recorded from a run's parcels (land taken back):
    the bureau's own take-back rows of the same year replace them without --replace."""
    if kind != "disposal" or not len(rows):
        return []
    adopt = set(conn.execute(sa.select(batches.c.id).where(batches.c.action == "adopt", batches.c.kind == "disposal")).scalars())
    return [int(i) for i, b in zip(rows["id"], rows["batch_id"]) if int(b) in adopt]


def _check_parcels(t: FactTable, issues: list[Issue]) -> None:
    """A row naming a parcel is a take-back (kind taken_back), and a parcel is taken back once."""
    first: dict[str, int] = {}
    for i, r in t.frame.iterrows():
        pid = r["parcel_id"]
        if pid is None:
            continue
        if r["kind"] is not None and r["kind"] != "taken_back":
            issues.append(Issue.of("ledger.parcel-not-taken-back", t.raw.label, t.rows[i], "parcel_id", parcel=pid, kind=r["kind"]))
        elif pid in first:
            issues.append(Issue.of("ledger.taken-back-twice", t.raw.label, t.rows[i], "parcel_id", parcel=pid,
                                   other=t.rows[first[pid]]))
        else:
            first[pid] = i


def _check_held_parcels(t: FactTable, held: pd.DataFrame, issues: list[Issue]) -> None:
    """A parcel the file takes back that the ledger holds as taken back in a year (and kind) the file leaves alone."""
    if "parcel_id" not in held or not len(held):
        return
    held = held[~held["unit"].isin(set(units(t.kind, t.frame)))]  # rows of the file's years and kinds: reported as held
    known = {r.parcel_id: (r.year, r.batch_id) for r in held.itertuples() if isinstance(r.parcel_id, str) and r.parcel_id}
    for i, r in t.frame.iterrows():
        found = known.get(r["parcel_id"]) if r["parcel_id"] is not None else None
        if found is not None:
            issues.append(Issue.of("ledger.taken-back-twice.held", t.raw.label, t.rows[i], "parcel_id", parcel=r["parcel_id"],
                                   year=found[0], batch=found[1]))


def _check_phases(t: FactTable, approvals: pd.DataFrame, issues: list[Issue]) -> None:
    held = {(r.project_id, r.phase): (r.year, r.batch_id) for r in approvals.itertuples()}
    for i, r in t.frame.iterrows():
        found = held.get((r["project_id"], r["phase"]))
        if found is not None and found[0] != r["year"]:
            issues.append(Issue.of("ledger.approved-twice", t.raw.label, t.rows[i], "year", project=r["project_id"], phase=r["phase"],
                                   year=found[0], batch=found[1]))


def _check_supply(t: FactTable, approvals: pd.DataFrame, supplies: pd.DataFrame, issues: list[Issue]) -> None:
    approved: dict[tuple, list] = {}
    for r in approvals.itertuples():
        entry = approved.setdefault((r.project_id, r.plan, r.phase, r.year), [0.0, r.approval_date])
        entry[0] += r.area
    used = {}
    for r in supplies.itertuples():
        k = (r.project_id, r.plan, r.phase, r.year)
        used[k] = used.get(k, 0.0) + r.area
    for i, r in t.frame.iterrows():
        k = (r["project_id"], r["plan"], r["phase"], r["year"])
        if k not in approved:
            issues.append(Issue.of("ledger.no-approval" + (".plan" if r["plan"] else ""), t.raw.label, t.rows[i], "project_id",
                                   fix="ledger.no-approval.hint", project=r["project_id"], plan=r["plan"], phase=r["phase"],
                                   year=r["year"]))
            continue
        area, date = approved[k]
        if r["supply_date"] < date:
            issues.append(Issue.of("ledger.supply-before-approval", t.raw.label, t.rows[i], "supply_date", date=r["supply_date"],
                                   approved=date))
        used[k] = used.get(k, 0.0) + r["area"]
        if used[k] > area + TOL:
            issues.append(Issue.of("ledger.supply-exceeds", t.raw.label, t.rows[i], "area", project=r["project_id"], phase=r["phase"],
                                   used=f"{used[k]:g}", area=f"{area:g}"))
            used[k] = -float("inf")  # reported once


def _write(conn: sa.Connection, t: FactTable, replace: bool) -> Imported:
    table = FACT_TABLES[t.kind]
    batch_id = conn.execute(batches.insert().values(action="import", kind=t.kind, origin=str(Path(t.raw.path).absolute())
                                                    + ("" if t.raw.encoding != "xlsx" else f"[{t.raw.label.split('[', 1)[1]}"),
                                                    replaced=False, recorded_at=now())).inserted_primary_key[0]
    superseded = 0
    rows = current(conn, t.kind)
    if len(rows):
        mine = set(units(t.kind, t.frame))
        ids = [int(i) for i in rows.loc[units(t.kind, rows).isin(mine), "id"]]
        if not replace:  # only the take-backs an adoption recorded give way by themselves
            ids = [i for i in ids if i in set(adopted_take_backs(conn, t.kind, rows))]
        if ids:
            superseded = conn.execute(table.update().where(table.c.id.in_(ids)).values(superseded_by=batch_id)).rowcount
            conn.execute(batches.update().where(batches.c.id == batch_id).values(replaced=True))
    records = [{**r, "batch_id": batch_id} for r in t.frame.to_dict("records")]
    conn.execute(table.insert(), records)
    return Imported(t.kind, t.raw.label, len(records), float(t.frame["area"].sum()), superseded, batch_id)

