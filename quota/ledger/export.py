"""``export_ledger``: every table of the ledger as a CSV file and as a sheet of ``ledger.xlsx``, in one folder written
whole or not at all (``quota.report.write.write_run``, kind ``ledger``, with a manifest of SHA-256 digests).

Every row is exported, superseded ones too (``superseded_by`` names the batch that replaced them). The CSV files go
through the project's formula-safe writer (``quota.report.safety.write_csv``: text that would start a formula gets an
apostrophe; ``read_csv`` undoes it) with numbers at full precision; the runs' parameters are JSON text. The workbook
holds the same values, text through ``safe_cell``, dates as dates.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ..report.excel import HEAD, cell_value
from ..report.safety import write_csv
from ..report.write import write_run
from ..report.xlsx import Sheet, Styles, Style, cell, column_letter, row_xml, write_xlsx
from .schema import SCHEMA_VERSION, TABLES, ledger_url, reading
from .store import frame

DATE = Style("yyyy-mm-dd")
DATETIME = Style("yyyy-mm-dd h:mm:ss")


def read_tables(url: str) -> dict[str, pd.DataFrame]:
    """Every table of the ledger, every row in id order (the version table by version)."""
    out = {}
    with reading(ledger_url(url)) as conn:
        for name, table in TABLES.items():
            order = table.c.version if name == "ledger_version" else table.c.id
            rows = conn.execute(sa.select(table).order_by(order)).all()
            out[name] = frame(rows, [c.name for c in table.c])
    runs = out["runs"]
    runs["parameters"] = runs["parameters"].map(lambda p: json.dumps(p, ensure_ascii=False, sort_keys=True))
    return out


def export_ledger(url: str, out: str | Path, force: bool = False) -> Path:
    """Write every table to ``out`` (``<table>.csv`` and ``ledger.xlsx``); refused where ``quota.report.write`` refuses."""
    url = ledger_url(url)
    tables = read_tables(url)
    files: dict[str, object] = {f"{name}.csv": _csv(t) for name, t in tables.items()}
    files["ledger.xlsx"] = render_workbook(tables)
    database = sa.engine.make_url(url).database if url.startswith("sqlite") else None
    manifest = {"kind": "ledger", "ledger": sa.engine.make_url(url).render_as_string(hide_password=True),
                "schema_version": SCHEMA_VERSION, "rows": {name: len(t) for name, t in tables.items()}}
    return write_run(out, files, [], manifest, force, protect=[Path(database)] if database else [])


def _csv(table: pd.DataFrame):
    def write(path: Path) -> None:
        write_csv(table, path, float_format=None)  # full precision: the ledger's figures, exactly
    return write


def render_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, header row frozen, values as in the CSV files."""
    styles = Styles()
    head, date, stamp = styles.id(HEAD), styles.id(DATE), styles.id(DATETIME)
    sheets = []
    for name, table in tables.items():
        sheet = Sheet(name[:31], freeze="A2")
        cols = list(table.columns)
        sheet.rows.append(row_xml(1, [cell(f"{column_letter(j)}1", c, head) for j, c in enumerate(cols, start=1)]))
        for i, values in enumerate(table.itertuples(index=False, name=None), start=2):
            cells = []
            for j, v in enumerate(values, start=1):
                v = cell_value(v)
                style = (stamp if hasattr(v, "hour") else date) if hasattr(v, "isoformat") else 0
                cells.append(cell(f"{column_letter(j)}{i}", v, style))
            sheet.rows.append(row_xml(i, cells))
        sheet.widths = {j: float(min(max(8, len(c) + 2), 24)) for j, c in enumerate(cols, start=1)}
        sheets.append(sheet)
    return write_xlsx(sheets, styles)
