"""The fact tables a bureau imports into the ledger: their columns (``FACT_COLUMNS``), how a file or sheet names its
kind (``kind_of``), and one file read into typed tables, every problem an ``Issue`` (``read_fact_file``).

A CSV file holds one table, its kind named by the file name (``approvals.csv``, ``supply-2024.csv``, ``供地.csv``) or
by ``--kind``; an ``.xlsx`` workbook holds one table per sheet, each sheet named by its kind (other sheets are
skipped with a warning). Files are read by the scenario readers (``quota.input.tables``, ``quota.input.workbook``:
UTF-8 or GBK, strict CSV structure, spaces and empty rows reported) and their cells by ``quota.input.cells``.
Areas are in hectares, or in mu with ``unit="mu"``; the ledger holds hectares.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import Issue
from ..input import files
from ..input.cells import parse_columns, report_missing_columns
from ..input.files import check_file
from ..input.scenario import MU_PER_HA
from ..input.tables import RawTable, read_csv_table
from ..input.workbook import read_sheet_table, sheet_names

# kind -> column -> (cell kind of quota.input.cells, required)
FACT_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "approvals": {"project_id": ("id", True), "county_id": ("id", True), "plan": ("plan", False), "phase": ("phase", True),
                  "year": ("year", True), "source": ("text", True), "area": ("area+", True), "approval_date": ("date", True)},
    "supply": {"project_id": ("id", True), "plan": ("plan", False), "phase": ("phase", True), "year": ("year", True),
               "supply_date": ("date", True), "area": ("area+", True)},
    "disposal": {"county_id": ("id", True), "year": ("year", True), "kind": ("text", True), "area": ("area+", True),
                 "parcel_id": ("id?", False)},
    "quota_issued": {"year": ("year", True), "area": ("area", True)},
    "overplan": {"county_id": ("id", True), "year": ("year", True), "area": ("area", True)},
}
KINDS = tuple(FACT_COLUMNS)
KEY_COLUMN = {"approvals": "project_id", "supply": "project_id", "disposal": "county_id", "quota_issued": "year",
              "overplan": "county_id"}
KIND_NAMES = {"approvals": ("approvals", "用地批准", "批准"), "supply": ("supply", "供地"), "disposal": ("disposal", "处置"),
              "quota_issued": ("quota_issued", "下达指标", "指标下达"), "overplan": ("overplan", "超计划用地", "超计划")}
# the code words of facts.FACT_SOURCES and facts.DISPOSAL_KINDS, with the Chinese names a file may use instead
SOURCE_NAMES = {"new": "新增", "advance": "预支", "stock": "存量", "province": "省级预留", "ring_fenced": "专项",
                "higher_level": "上级"}
DISPOSAL_NAMES = {"supplied": "供应", "withdrawn": "撤回", "lapsed": "失效", "fee": "闲置费", "taken_back": "收回"}
# the columns that name one row: a file may hold each key once
ROW_KEY = {"approvals": ("project_id", "phase", "source"), "supply": ("project_id", "plan", "phase", "year", "supply_date"),
           "disposal": ("county_id", "year", "kind", "parcel_id"), "quota_issued": ("year",), "overplan": ("county_id", "year")}


def kind_of(name: str) -> str | None:
    """The fact kind a file stem or sheet name names: the kind or one of its Chinese names, alone or followed by a
    separator or a digit (``approvals-2024``, ``供地2023``); None when it names none."""
    low = name.strip().lower()
    for kind, names in KIND_NAMES.items():
        for n in sorted(names, key=len, reverse=True):
            if low == n or re.match(re.escape(n) + r"[-_ .(（\d]", low):
                return kind
    return None


@dataclass
class FactTable:
    """One table of a fact file, typed: the rows, each row's label for messages (``P096 phase 1, line 3``), the raw table."""
    kind: str
    frame: pd.DataFrame
    rows: list[str]
    raw: RawTable


def read_fact_file(path: str | Path, kind: str | None, unit: str, issues: list[Issue], warnings: list[Issue]) -> list[FactTable]:
    """Every fact table of the file at ``path``, typed and checked cell by cell (problems into ``issues``)."""
    path = Path(path)
    if not check_file(path, None, files.MAX_TABLE_BYTES, issues, "fact file"):
        return []
    factor = 1.0 / MU_PER_HA if unit == "mu" else 1.0
    raws: list[tuple[str, RawTable]] = []
    if path.suffix.lower() == ".xlsx":
        books: dict = {}
        for sheet in sheet_names(path, issues, books) or []:
            found = kind_of(sheet)
            if found is None:
                warnings.append(Issue.of("ledger.sheet-skipped", f"{path.name}[{sheet}]", "", "", "warning", kinds=", ".join(KINDS)))
                continue
            table = read_sheet_table(found, path, sheet, issues, books, warnings, key=KEY_COLUMN[found])
            if table is not None:
                raws.append((found, table))
        if not raws and not issues:
            issues.append(Issue.of("ledger.no-fact-table", path.name, "", "", kinds=", ".join(KINDS)))
    elif path.suffix.lower() in (".csv", ".txt"):
        found = kind or kind_of(path.stem)
        if found is None:
            issues.append(Issue.of("ledger.unknown-kind", path.name, "", "", files=", ".join(f"{k}.csv" for k in KINDS)))
            return []
        table = read_csv_table(found, path, issues, warnings, key=KEY_COLUMN[found])
        if table is not None:
            raws.append((found, table))
    else:
        issues.append(Issue.of("ledger.not-a-table", path.name, "", ""))
    out = [t for found, raw in raws if (t := _typed(found, raw, factor, issues, warnings)) is not None]
    kinds = [t.kind for t in out]
    for k in sorted({k for k in kinds if kinds.count(k) > 1}):
        issues.append(Issue.of("ledger.kind-twice", path.name, "", "", n=kinds.count(k), kind=k,
                               sheets=", ".join(t.raw.label for t in out if t.kind == k)))
    return sorted(out, key=lambda t: KINDS.index(t.kind))


def _typed(kind: str, raw: RawTable, factor: float, issues: list[Issue], warnings: list[Issue]) -> FactTable | None:
    spec = FACT_COLUMNS[kind]
    frame = raw.frame
    if not len(frame.columns) or not len(frame):
        issues.append(Issue.of("ledger.empty-table", raw.label, "", "", kind=kind))
        return None
    extra = [c for c in frame.columns if c not in spec]
    if extra:
        warnings.append(Issue.of("ledger.unknown-column", raw.label, "", ", ".join(extra), "warning", kind=kind,
                                 columns=", ".join(spec)))
    missing = report_missing_columns(raw, spec, issues)
    if missing:
        return None
    where = "sheet row" if raw.encoding == "xlsx" else "line"
    rows = [f"{_label(kind, frame, i)}{where} {raw.line(i)}" for i in range(len(frame))]
    typed = pd.DataFrame(parse_columns(raw, spec, rows, factor, issues), index=frame.index)
    if "source" in typed:
        typed["source"] = _words(typed["source"], SOURCE_NAMES, raw, rows, "source", issues)
    if "kind" in typed:
        typed["kind"] = _words(typed["kind"], DISPOSAL_NAMES, raw, rows, "kind", issues)
    if "plan" in typed:
        typed["plan"] = typed["plan"].map(lambda v: "" if v is None else v)
    if "parcel_id" in typed:  # empty: a county figure, NULL in the ledger
        typed["parcel_id"] = pd.Series([v if isinstance(v, str) else None for v in typed["parcel_id"]], index=typed.index, dtype=object)
    return FactTable(kind, typed.reset_index(drop=True), rows, raw)


def _label(kind: str, frame: pd.DataFrame, i: int) -> str:
    """The row's own key for messages, before its line: ``P096 phase 1, `` or ``平山 2023, ``."""
    cell = {c: str(frame[c].iloc[i]) for c in frame.columns}
    if kind in ("approvals", "supply") and cell.get("project_id"):
        return f"{cell['project_id']} phase {cell.get('phase', '?')}, "
    if kind in ("disposal", "overplan") and cell.get("county_id"):
        return f"{cell['county_id']} {cell.get('year', '')}, "
    return ""


def _words(column: pd.Series, names: dict[str, str], raw: RawTable, rows: list[str], col: str, issues: list[Issue]) -> list:
    """A code word (``new``, ``lapsed``) or its Chinese name, as the code word; an issue for anything else."""
    by_name = {**{k: k for k in names}, **{v: k for k, v in names.items()}}
    out = []
    for i, value in enumerate(column):
        if value is None:
            out.append(None)
            continue
        word = by_name.get(str(value).strip().lower(), by_name.get(str(value).strip()))
        if word is None:
            issues.append(Issue.of("ledger.bad-value", raw.label, rows[i], col, value=repr(value), col=col,
                                   words=", ".join(f"{k} ({v})" for k, v in names.items())))
        out.append(word)
    return out

