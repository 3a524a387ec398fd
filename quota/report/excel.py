"""report.xlsx: one sheet per table, header row frozen, units in the headers, values as in the CSVs.

Each CSV of the run folder becomes a sheet with the same rows, columns and values (numbers kept
exact, shown with a number format); only the header changes, to ``labels.header`` (label and
unit). Text cells go through ``safe_cell`` so no scenario text is read as a formula. The
``about`` sheet maps every sheet and header back to its file and CSV column.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import labels as L
from .escape import safe_cell

NUMBER_FORMAT = {"area": "#,##0.00", "value": "#,##0.00", "wan": "#,##0.00", "model": "#,##0.00", "inv": "#,##0.00",
                 "tax": "#,##0.00", "jobs": "#,##0.00", "per_ha": "0.000", "per_unit": "0.000", "times": "0.00",
                 "pct": "0.0%", "years": "0", "days": "0"}
LONG_TEXT = {"reason", "rule", "alternatives", "label", "changed_projects", "name", "message"}
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
FROZEN = {"projects.csv": "C2", "counties.csv": "C2"}


def sheet_name(key: str, lang: str) -> str:
    zh, en = L.SHEETS.get(key, (key.removesuffix(".csv"), key.removesuffix(".csv")))
    return (zh if lang == "zh" else en)[:31]


def cell_value(v):
    """A value as openpyxl should store it: plain Python numbers, dates, safe text, None for missing."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, (int, dt.date)):
        return v
    return safe_cell(str(v))


def render_excel(tables: dict[str, pd.DataFrame], years: pd.DataFrame, headline: list[tuple[str, object]],
                 rules: list[list[str]], rule_texts: list[list[str]], lang: str, unit: str) -> bytes:
    """``tables``: CSV file name → frame as written; ``years``: summary.json years; ``headline``: (label, value);
    ``rules``: rows of the parameter table and ``rule_texts`` of the rule behind each section, first row the header."""
    wb = Workbook()
    wb.remove(wb.active)
    T = L.TEXT[lang]
    about = []
    _key_value(wb.create_sheet(sheet_name("headline", lang)), headline, lang)
    _frame(wb.create_sheet(sheet_name("years", lang)), years, lang, unit, "A2")
    about += [(sheet_name("years", lang), "summary.json years", c, L.header(c, lang, unit)) for c in years.columns]
    order = [k for k in L.SHEETS if k in tables] + [k for k in tables if k not in L.SHEETS]
    for key in order:
        frame = tables[key].reset_index(drop=True)
        name = sheet_name(key, lang)
        _frame(wb.create_sheet(name), frame, lang, unit, FROZEN.get(key, "A2"))
        about += [(name, key, c, L.header(c, lang, unit)) for c in frame.columns]
    _rows(wb.create_sheet(sheet_name("rules", lang)), rules)
    _rows(wb.create_sheet(sheet_name("rule_texts", lang)), rule_texts)
    _rows(wb.create_sheet(T["about_sheet"]), [[T["sheet"], T["file"], T["column"], T["header"]]] + [list(a) for a in about])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _frame(ws, frame: pd.DataFrame, lang: str, unit: str, freeze: str) -> None:
    cols = list(frame.columns)
    ws.append([L.header(c, lang, unit) for c in cols])
    for rec in frame.itertuples(index=False):
        ws.append([cell_value(v) for v in rec])
    for j, c in enumerate(cols, start=1):
        fmt = NUMBER_FORMAT.get(L.kind_of(c))
        letter = get_column_letter(j)
        if fmt or frame[c].dtype == object:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif c in LONG_TEXT and isinstance(cell.value, str) and len(cell.value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = _width([ws.cell(1, j).value] + frame[c].head(300).tolist(), c in LONG_TEXT)
    _style_header(ws, len(cols))
    ws.freeze_panes = freeze
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(cols)))}{len(frame) + 1}"


def _key_value(ws, rows: list[tuple[str, object]], lang: str) -> None:
    T = L.TEXT[lang]
    ws.append([T["kv_item"], T["kv_value"]])
    for k, v in rows:
        ws.append([safe_cell(str(k)), cell_value(v)])
    ws.column_dimensions["A"].width = _width([r[0] for r in rows], False)
    ws.column_dimensions["B"].width = _width([r[1] for r in rows], True)
    _style_header(ws, 2)
    ws.freeze_panes = "A2"


def _rows(ws, rows: list[list[str]]) -> None:
    for r in rows:
        ws.append([cell_value(v) for v in r])
    for j in range(1, max((len(r) for r in rows), default=0) + 1):
        ws.column_dimensions[get_column_letter(j)].width = _width([r[j - 1] for r in rows if j - 1 < len(r)], True)
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _style_header(ws, len(rows[0]) if rows else 0)
    ws.freeze_panes = "A2"


def _style_header(ws, n: int) -> None:
    for j in range(1, n + 1):
        cell = ws.cell(1, j)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 32


def _display_len(v) -> int:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return 0
    text = f"{v:,.2f}" if isinstance(v, float) else str(v)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(values, long: bool) -> float:
    """Characters wide: the longest value (CJK counts double), within 8 and 24, or 70 for long text."""
    longest = max((_display_len(v) for v in values), default=8)
    return float(min(max(8, longest + 2), 70 if long else 24))
