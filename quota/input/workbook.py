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
        issues.append(Issue("sheet-missing", path.name, "", "scenario", "the workbook has no sheet named 'scenario'.",
                            f"add a sheet 'scenario' of key/value rows; the sheets found are {', '.join(book.sheets) or 'none'}."))
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
            issues.append(Issue("duplicate-key", f"{path.name}[scenario]", key, "key", f"the key {key!r} is given twice (again in row {i}).",
                                "give each key once."))
            continue
        seen.add(key)
        key_rows[key] = i  # the sheet row, as Excel numbers it: messages about this key name it
        value = row[1] if len(row) > 1 else None
        if value is None and (i - 1, 1) in formulas:
            issues.append(Issue("formula-no-value", f"{path.name}[scenario]", key, "value",
                                f"holds the formula {formulas[(i - 1, 1)]!r} and no saved result; quota reads the values Excel "
                                "saved and never evaluates a formula.",
                                "open and save the workbook in Excel (it saves each result), or paste the values (选择性粘贴 → 数值)."))
            continue
        if isinstance(value, str):
            try:
                value = safe_yaml(value)
            except yaml.YAMLError:
                issues.append(Issue("yaml-syntax", f"{path.name}[scenario]", f"row {i}", "value",
                                    f"the value of {key!r} cannot be read as YAML.", "write a number, a word or a [list]/{map}."))
                continue
        node = config
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                issues.append(Issue("yaml-type", f"{path.name}[scenario]", f"row {i}", "key", f"{key!r} conflicts with an earlier key.",
                                    "give each key once."))
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
        issues.append(Issue("table-missing", path.name, "", "", "the workbook does not exist.", "check the file name under `tables`."))
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
        issues.append(Issue("xlsx-unreadable", path.name, "", "", f"cannot be read as an .xlsx workbook ({type(e).__name__}).",
                            "save it again from Excel as .xlsx."))
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
            issues.append(Issue("sheet-missing", path.name, "", sheet, f"the workbook has no sheet named {sheet!r}.",
                                f"add a sheet {sheet!r}; the sheets found are {', '.join(book.sheets) or 'none'}."))
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
        warnings.append(Issue("formula", label, "", "", f"{cached} cell{'s' if cached > 1 else ''} hold{'' if cached > 1 else 's'} formulas; "
                              "the values Excel saved with them were read, and no formula was evaluated.",
                              "paste the values (选择性粘贴 → 数值) to be sure the figures are the ones you see.", "warning"))
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
