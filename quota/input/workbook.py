"""Workbooks: one ``.xlsx`` scenario, its ``scenario`` sheet of key/value rows (``read_workbook_config``) and its
table sheets (``read_sheet_table``).

The values Excel saved are read and formulas are never evaluated: a formula without a saved value is kept as
an empty cell and reported by ``quota.input.cells`` with its row key; one with a saved value gives a warning.
Each workbook is read once per scenario (``books``) and must pass ``quota.input.files.check_file``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Issue
from . import files
from .files import check_file
from .tables import REQUIRED_TABLES, TABLES, RawTable, header_below, to_table
from .yamlfile import safe_yaml


def read_workbook_config(path: Path, issues: list[Issue], books: dict, key_rows: dict[str, int]) -> dict:
    """The ``scenario`` sheet's key/value rows → the config mapping (dotted keys nested, values read as YAML); each
    key's sheet row goes to ``key_rows``, and every table is taken from the workbook's sheet of its name."""
    book = _read_book(path, issues, books)
    if book is None:
        return {}
    if "scenario" not in book.sheets:
        issues.append(Issue.of("input.sheet-missing.scenario", path.name, "", "scenario", found=", ".join(book.sheets) or "—"))
        return {}
    rows, formulas = book.sheets["scenario"]
    config: dict = {}
    seen: set[str] = set()
    has_header = bool(rows) and str(rows[0][0] if rows[0] else "").strip().lower() == "key"
    for i, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not row or row[0] in ("", None):
            continue
        key = str(row[0]).strip()
        if key in seen:
            issues.append(Issue.of("input.duplicate-key.sheet", f"{path.name}[scenario]", key, "key", key=repr(key), row=i))
            continue
        seen.add(key)
        key_rows[key] = i  # the sheet row, as Excel numbers it: messages about this key name it
        value = row[1] if len(row) > 1 else None
        if value is None and (i - 1, 1) in formulas:
            issues.append(Issue.of("input.formula-no-value", f"{path.name}[scenario]", key, "value", formula=repr(formulas[(i - 1, 1)])))
            continue
        if isinstance(value, str):
            try:
                value = safe_yaml(value)
            except yaml.YAMLError:
                issues.append(Issue.of("input.yaml-syntax.cell", f"{path.name}[scenario]", f"row {i}", "value", key=repr(key)))
                continue
        node = config
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                issues.append(Issue.of("input.yaml-type.conflict", f"{path.name}[scenario]", f"row {i}", "key", key=repr(key)))
                break
        else:
            node[parts[-1]] = value
    tables = config.get("tables", {}) if isinstance(config.get("tables"), dict) else {}
    config["tables"] = {name: (path.resolve(), str(tables.get(name, name))) for name in TABLES}
    return config


@dataclass
class _Book:
    """Every sheet of a workbook: its rows of values, and its formulas by (row, column) index."""

    sheets: dict[str, tuple[list[tuple], dict[tuple[int, int], str]]]


def _read_book(path: Path, issues: list[Issue], books: dict) -> _Book | None:
    """Read a workbook once per ``read_raw``. Values are those Excel saved; formulas are never evaluated."""
    if path in books:
        return books[path]
    import openpyxl  # imported here: only workbook scenarios need it

    books[path] = None
    if not path.exists():
        issues.append(Issue.of("input.table-missing.workbook", path.name, "", ""))
        return None
    if not check_file(path, None, files.MAX_TABLE_BYTES, issues, "workbook"):
        return None
    try:
        sheets = {}
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            for name in values.sheetnames:
                rows = [tuple(r) for r in values[name].iter_rows(values_only=True)]
                found = {(i, j): str(c.value) for i, r in enumerate(formulas[name].iter_rows()) for j, c in enumerate(r)
                         if getattr(c, "data_type", None) == "f"}
                sheets[name] = (rows, found)
        finally:
            values.close()
            formulas.close()
    except Exception as e:  # openpyxl raises many types for a damaged file, also while reading rows
        issues.append(Issue.of("input.xlsx-unreadable", path.name, "", "", error=type(e).__name__))
        return None
    books[path] = _Book(sheets)
    return books[path]


def sheet_names(path: Path, issues: list[Issue], books: dict) -> list[str] | None:
    """The sheets of the workbook at ``path`` in order (read once into ``books``), or None with an issue."""
    book = _read_book(path, issues, books)
    return None if book is None else list(book.sheets)


def read_sheet_table(name: str, path: Path, sheet: str, issues: list[Issue], books: dict,
                      warnings: list[Issue], key: str | None = None) -> RawTable | None:
    """The sheet ``sheet`` as a RawTable of text cells; ``key``: the column that must head it (default: the
    scenario table's key column)."""
    book = _read_book(path, issues, books)
    if book is None:
        return None
    if sheet not in book.sheets:
        if name in REQUIRED_TABLES:
            issues.append(Issue.of("input.sheet-missing", path.name, "", sheet, sheet=repr(sheet), found=", ".join(book.sheets) or "—"))
        return None
    label = f"{path.name}[{sheet}]"
    rows, formulas = book.sheets[sheet]
    cells = [[_cell_raw(c) for c in r] for r in rows]
    if header_below(name, [r for r in cells if any(c.strip() for c in r)],
                     [i + 1 for i, r in enumerate(cells) if any(c.strip() for c in r)], label, issues, key):
        return None
    table = to_table(name, cells, cells, list(range(1, len(rows) + 1)), label, path, "xlsx", warnings, issues)
    if table is None or not len(table.frame.columns):
        return table
    header = [_cell_raw(c).strip() for c in rows[0]]
    row_of = {line: j for j, line in enumerate(table.lines)}
    empty, cached = {}, 0
    for (i, col), text in formulas.items():
        if i + 1 not in row_of or col >= len(header) or not header[col]:
            continue
        if rows[i][col] is None:  # no saved result: kept as an empty cell, reported by validate with the row key
            empty[(row_of[i + 1], header[col])] = text
        else:
            cached += 1
    table.formulas = empty
    if cached:
        warnings.append(Issue.of("input.formula", label, "", "", "warning", n=cached, s="s" if cached > 1 else "",
                                 hold="hold" if cached > 1 else "holds"))
    return table


def _cell_raw(value) -> str:
    """A cell as text, spaces kept (``to_table`` strips and counts them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
