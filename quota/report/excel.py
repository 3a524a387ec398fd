"""report.xlsx: one sheet per table, header row frozen, units in the headers, values as in the CSVs.

Each CSV of the run folder becomes a sheet with the same rows, columns and values (numbers kept
exact, shown with a number format); only the header changes, to ``labels.header`` (label and
unit). Text cells go through ``safe_cell`` so no scenario text is read as a formula. The
``about`` sheet maps every sheet and header back to its file and CSV column.

The sheets are written by ``xlsx.write_xlsx`` (straight to SpreadsheetML, each column of a table
formatted in one pass), not cell by cell through openpyxl: a national run has 10⁷ cells.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata

import numpy as np
import pandas as pd

from ..counties_table import has_years
from . import labels as L
from .escape import safe_cell
from .xlsx import DEFAULT_DATE, DEFAULT_DATETIME, Sheet, Style, Styles, cell, column_letter, row_xml, write_xlsx

NUMBER_FORMAT = {"area": "#,##0.00", "value": "#,##0.00", "wan": "#,##0.00", "model": "#,##0.00", "inv": "#,##0.00",
                 "tax": "#,##0.00", "jobs": "#,##0.00", "per_ha": "0.000", "per_unit": "0.000", "times": "0.00",
                 "pct": "0.0%", "years": "0", "days": "0"}
LONG_TEXT = {"reason", "rule", "alternatives", "label", "changed_projects", "name", "message"}
HEAD = Style(bold=True, fill="00DCE6F0", wrap=True, vertical="center")
WRAPPED = Style(wrap=True, vertical="top")
DATE = Style("yyyy-mm-dd")
HEAD_HEIGHT = 32
FROZEN = {"projects.csv": "C2", "counties.csv": "C2"}  # the ids stay in view (counties.csv per county and year: D2)


def sheet_columns(frame: pd.DataFrame, unit: str) -> list[str]:
    """The columns of a CSV that its sheet shows: all of them, but for a hectare scenario the ``*_per_unit`` prices,
    which then repeat the ``*_per_ha`` ones beside them (the CSV keeps both, its columns being a contract)."""
    cols = list(frame.columns)
    if unit == "ha":
        cols = [c for c in cols if not (c.endswith("_per_unit") and c.removesuffix("_per_unit") + "_per_ha" in cols)]
    return cols


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
    T = L.TEXT[lang]
    styles = Styles()
    titles: set[str] = set()
    about = []
    sheets = [_key_value(_title(sheet_name("headline", lang), titles), headline, lang, styles),
              _frame(_title(sheet_name("years", lang), titles), years, lang, unit, "A2", styles)]
    about += [(sheets[-1].title, "summary.json years", c, L.header(c, lang, unit)) for c in years.columns]
    order = [k for k in L.SHEETS if k in tables] + [k for k in tables if k not in L.SHEETS]
    for key in order:
        frame = tables[key].reset_index(drop=True)
        frame = frame[sheet_columns(frame, unit)]
        freeze = "D2" if key == "counties.csv" and has_years(frame) else FROZEN.get(key, "A2")  # county_id, name, year
        sheets.append(_frame(_title(sheet_name(key, lang), titles), frame, lang, unit, freeze, styles))
        about += [(sheets[-1].title, key, c, L.header(c, lang, unit)) for c in frame.columns]
    sheets.append(_rows(_title(sheet_name("rules", lang), titles), rules, styles))
    sheets.append(_rows(_title(sheet_name("rule_texts", lang), titles), rule_texts, styles))
    sheets.append(_rows(_title(T["about_sheet"], titles), [[T["sheet"], T["file"], T["column"], T["header"]]]
                        + [list(a) for a in about], styles))
    return write_xlsx(sheets, styles)


def render_tables(tables: dict[str, pd.DataFrame], lang: str, unit: str) -> bytes:
    """A workbook of ``tables`` alone (CSV file name → frame), one sheet each as in report.xlsx, and the about sheet."""
    styles, titles, sheets, about = Styles(), set(), [], []
    for key, frame in tables.items():
        sheets.append(_frame(_title(sheet_name(key, lang), titles), frame.reset_index(drop=True), lang, unit, "A2", styles))
        about += [[sheets[-1].title, key, c, L.header(c, lang, unit)] for c in frame.columns]
    T = L.TEXT[lang]
    sheets.append(_rows(_title(T["about_sheet"], titles), [[T["sheet"], T["file"], T["column"], T["header"]]] + about, styles))
    return write_xlsx(sheets, styles)


def _title(name: str, taken: set[str]) -> str:
    """A sheet title not yet used: a repeated one gets a number, as openpyxl names it."""
    title, i = name, 0
    while title in taken:
        i += 1
        title = f"{name}{i}"
    taken.add(title)
    return title


def _header(titles: list[str], styles: Styles) -> str:
    head = styles.id(HEAD)
    return row_xml(1, [_plain(f"{column_letter(j)}1", t, head, styles) for j, t in enumerate(titles, start=1)], HEAD_HEIGHT)


def _frame(title: str, frame: pd.DataFrame, lang: str, unit: str, freeze: str, styles: Styles) -> Sheet:
    cols = list(frame.columns)
    sheet = Sheet(title, freeze=freeze)
    headers = [L.header(c, lang, unit) for c in cols]
    columns = [_column(frame[c], c, column_letter(j), styles) for j, c in enumerate(cols, start=1)]
    sheet.rows = [_header(headers, styles)]
    sheet.rows += [f'<row r="{i}">{"".join(cells)}</row>' for i, cells in enumerate(zip(*columns), start=2)]
    for j, c in enumerate(cols, start=1):
        sheet.widths[j] = _width([headers[j - 1]] + frame[c].head(300).tolist(), c in LONG_TEXT)
    if len(frame):
        sheet.auto_filter = f"A1:{column_letter(max(1, len(cols)))}{len(frame) + 1}"
    return sheet


def _column(series: pd.Series, name: str, letter: str, styles: Styles) -> list[str]:
    """The cells of one column, rows 2..: values as ``cell_value`` leaves them, styled as the column's kind says.

    Numbers get the kind's number format, dates yyyy-mm-dd and long text wraps, in a column with a
    number format or of object dtype; elsewhere cells keep the default (a date the default date format)."""
    fmt = NUMBER_FORMAT.get(L.kind_of(name))
    styled = bool(fmt) or series.dtype == object
    number = styles.id(Style(fmt)) if fmt else 0
    values = series.tolist()
    refs = [f"{letter}{i}" for i in range(2, len(values) + 2)]
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return [f'<c r="{r}" t="b"><v>{int(v)}</v></c>' for r, v in zip(refs, values)]
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":  # numbers, NaN for missing
        s = f' s="{number}"' if number else ""
        return ["" if v != v else f'<c r="{r}"{s} t="n"><v>{_number_text(v)}</v></c>' for r, v in zip(refs, values)]
    if isinstance(dtype, pd.StringDtype):  # text, NaN or NA for missing
        wrap = styles.id(WRAPPED) if styled and name in LONG_TEXT else 0
        out = []
        for r, v in zip(refs, values):
            v = safe_cell(v) if isinstance(v, str) else None
            out.append(cell(r, v, wrap if wrap and v and len(v) > 60 else 0))
        return out
    date, long = styles.id(DATE), name in LONG_TEXT
    defaults = {dt.datetime: styles.id(Style(DEFAULT_DATETIME)), dt.date: styles.id(Style(DEFAULT_DATE))}
    wrapped = styles.id(WRAPPED)
    out = []
    for r, v in zip(refs, values):
        v = cell_value(v)
        style = 0
        if isinstance(v, dt.date):
            style = date if styled else defaults[dt.datetime if isinstance(v, dt.datetime) else dt.date]
        elif styled and fmt and isinstance(v, (int, float)) and not isinstance(v, bool):
            style = number
        elif styled and long and isinstance(v, str) and len(v) > 60:
            style = wrapped
        out.append(cell(r, v, style))
    return out


def _number_text(v) -> str:
    """As openpyxl writes a number: 16 significant digits; infinity as an empty value."""
    return "" if v in (math.inf, -math.inf) else "%.16g" % v


def _key_value(title: str, rows: list[tuple[str, object]], lang: str, styles: Styles) -> Sheet:
    T = L.TEXT[lang]
    sheet = Sheet(title, freeze="A2")
    sheet.rows = [_header([T["kv_item"], T["kv_value"]], styles)]
    for i, (k, v) in enumerate(rows, start=2):
        sheet.rows.append(row_xml(i, [cell(f"A{i}", safe_cell(str(k))), _plain(f"B{i}", cell_value(v), 0, styles)]))
    sheet.widths = {1: _width([r[0] for r in rows], False), 2: _width([r[1] for r in rows], True)}
    return sheet


def _rows(title: str, rows: list[list[str]], styles: Styles) -> Sheet:
    sheet = Sheet(title, freeze="A2")
    wrapped = styles.id(WRAPPED)
    if rows:
        sheet.rows = [_header([cell_value(v) for v in rows[0]], styles)]
    n = max((len(r) for r in rows), default=0)
    for i, r in enumerate(rows[1:], start=2):  # every cell of rows 2.. wraps, up to the longest row
        sheet.rows.append(row_xml(i, [_plain(f"{column_letter(j)}{i}", cell_value(r[j - 1]) if j <= len(r) else None,
                                             wrapped, styles) for j in range(1, n + 1)]))
    for j in range(1, n + 1):
        sheet.widths[j] = _width([r[j - 1] for r in rows if j - 1 < len(r)], True)
    return sheet


def _plain(ref: str, v, style: int, styles: Styles) -> str:
    """A cell of a plain table; a date in the default date format (its style otherwise the given one)."""
    if isinstance(v, dt.date):
        fmt = DEFAULT_DATETIME if isinstance(v, dt.datetime) else DEFAULT_DATE
        base = styles.styles[style]
        style = styles.id(Style(fmt, base.bold, base.fill, base.wrap, base.vertical))
    return cell(ref, v, style)


def _display_len(v) -> int:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return 0
    text = f"{v:,.2f}" if isinstance(v, float) else str(v)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(values, long: bool) -> float:
    """Characters wide: the longest value (CJK counts double), within 8 and 24, or 70 for long text."""
    longest = max((_display_len(v) for v in values), default=8)
    return float(min(max(8, longest + 2), 70 if long else 24))
