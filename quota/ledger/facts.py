"""``LedgerFacts``: what happened before ``as_of``, as a re-plan reads it.

The ledger (``quota.ledger``) stores facts; a run with facts (``quota.run.run_scenario(..., facts=...)``) fixes the
years before ``as_of`` to them (``quota.replan`` maps them onto the scenario, ``quota.model.families.past`` onto
the model's bounds). Areas are hectares, whatever the scenario's unit. ``quota.replan_checks.check_facts`` lists
every contradiction between the facts and the scenario at once, naming both sides, as a ``ScenarioError``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from ..errors import Issue, ScenarioError

# the allocations.csv ``source`` values of MODEL.md (new, advance, stock, higher_level) and RULES.md 4, 6 (province, ring_fenced)
FACT_SOURCES = ("new", "advance", "stock", "province", "ring_fenced", "higher_level")
QUOTA_SOURCES = ("new", "advance", "province", "ring_fenced")  # approvals on quota (RULES.md 2: approved and supplied)
DISPOSAL_KINDS = ("supplied", "withdrawn", "lapsed", "fee", "taken_back")
UNSUPPLIED_KINDS = ("supplied", "withdrawn", "lapsed")  # disposal of 批而未供 land: supplied, approval withdrawn or lapsed
IDLE_KINDS = ("fee", "taken_back")  # disposal of 闲置 land: idle-land fee levied (development resumed), land taken back

COLUMNS = {
    "approvals": ("project_id", "plan", "phase", "year", "source", "area", "approval_date"),
    "supply": ("project_id", "plan", "phase", "year", "supply_date", "area"),
    "disposal": ("county_id", "year", "kind", "area"),
    "quota_issued": ("year", "area"),
    "overplan": ("county_id", "year", "area"),
    "last_plan": ("project_id", "plan", "phase", "year", "source", "area", "run_id"),
}
TEXT = {"project_id", "plan", "source", "county_id", "kind"}
DATES = {"approval_date", "supply_date"}
INTS = {"phase", "year", "run_id"}


@dataclass(frozen=True)
class LedgerFacts:
    """What happened before ``as_of``: the ledger's current (not superseded) fact rows for years < as_of."""
    as_of: int
    approvals: pd.DataFrame   # project_id, plan, phase, year, source, area, approval_date (datetime.date)
    supply: pd.DataFrame      # project_id, plan, phase, year (of the approval), supply_date, area
    disposal: pd.DataFrame    # county_id, year, kind (DISPOSAL_KINDS), area
    quota_issued: pd.DataFrame  # year, area   (quota actually issued to the city that year)
    overplan: pd.DataFrame    # county_id, year, area   (used beyond plan that year)
    last_plan: pd.DataFrame   # allocations of the last run recorded for this scenario name, same columns as
    # allocations.csv (project_id, plan, phase, year, source, area) plus run_id; may be empty


TABLES = tuple(f.name for f in fields(LedgerFacts) if f.name != "as_of")


def empty_facts(as_of: int) -> LedgerFacts:
    """No facts: every frame empty, with its columns."""
    return LedgerFacts(int(as_of), **{name: pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]}) for name in TABLES})


def normalised(f: LedgerFacts) -> LedgerFacts:
    """The facts with the interface's dtypes (ids and plans text, phase and year int, area float, dates ``datetime.date``)."""
    out = {}
    for name in TABLES:
        frame = getattr(f, name)
        missing = [c for c in COLUMNS[name] if c not in frame.columns]
        if missing:
            raise ScenarioError([Issue.of("ledger.missing-column", f"ledger: {name}", "", c, table=name, col=repr(c))
                                 for c in missing])
        frame = frame[list(COLUMNS[name])].reset_index(drop=True).copy()
        for c in frame.columns:
            if c in TEXT:
                frame[c] = frame[c].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)).astype(object)
            elif c in INTS:
                frame[c] = pd.to_numeric(frame[c], errors="raise").astype("int64") if len(frame) else frame[c].astype("int64")
            elif c in DATES:
                frame[c] = frame[c].map(_date).astype(object)
            else:
                frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
        out[name] = frame
    return LedgerFacts(int(f.as_of), **out)


def _date(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def facts_tables(f: LedgerFacts) -> dict[str, pd.DataFrame]:
    """``facts/NAME.csv`` → its table (hectares, dates as ISO text), as a run folder holds them."""
    f = normalised(f)
    out = {}
    for name in TABLES:
        frame = getattr(f, name).copy()
        for c in DATES & set(frame.columns):
            frame[c] = frame[c].map(lambda d: "" if d is None else d.isoformat())
        out[f"facts/{name}.csv"] = frame
    return out


def facts_hash(f: LedgerFacts) -> str:
    """SHA-256 of the facts (as_of and every table, written as the run folder writes them: areas to 6 decimals): the run
    folder's manifest and summary record it, and the audit recomputes it from facts/*.csv."""
    h = hashlib.sha256(f"as_of={int(f.as_of)}\n".encode())
    for name, frame in facts_tables(f).items():
        h.update(f"{name}\n".encode())
        h.update(frame.to_csv(index=False, float_format="%.6f", lineterminator="\n").encode("utf-8"))
    return h.hexdigest()


def read_facts_folder(folder: str | Path, as_of: int) -> LedgerFacts:
    """The facts a run folder holds (``facts/*.csv``, as ``facts_tables`` wrote them), for the audit."""
    from ..report.safety import read_csv

    folder = Path(folder)
    frames = {}
    for name in TABLES:
        dtype = {c: str for c in COLUMNS[name] if c in TEXT | DATES}
        frame = read_csv(folder / f"{name}.csv", dtype=dtype, keep_default_na=False, na_values={"area": [""]})
        frames[name] = frame
    return normalised(LedgerFacts(int(as_of), **frames))
