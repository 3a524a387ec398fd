"""Cells: one table's text cells → typed values (``parse_table``), by the data contract ``COLUMNS``.

Nothing is filled in silently: an empty cell is an error unless the contract says it means "none"
(``lock``, ``key_level``, ``cap_base``, ``plan``, ``actual_start``, and the optional facts of an idle parcel). Normalisations that change a cell
(full-width digits and punctuation, thousands separators, full-width code words such as ｉｎ) are kept as
warnings (``quota.input.validate.summarise_warnings`` folds them to at most three per file and column).
The boolean spellings the contract accepts (true/false, 1/0, yes/no, 是/否) are not normalisations and give
no warning. Anything else that merely looks like a number (1_000, digits of other scripts, 1,20) is an
error, never a guess.

Ids (county, project, parcel, plan, and every column referring to one) are kept as written; an id holding
an invisible character (Unicode Cc or Cf: a control character, a zero-width space, a BOM) is an error naming
its code point, and ``normal_id`` gives the form in which two ids are the same (compared by
``quota.input.checks``). Text cells hold no control character. Dates lie in MIN_YEAR..MAX_YEAR; a non-zero
area is at least MIN_AREA_HA (the solver's tolerance), money at most MAX_MONEY, so that no value that passes
here fails later. Areas are converted to hectares (``to_ha``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import Issue
from .idle_rules import CAUSE_ALIASES, CAUSE_KINDS
from .scenario import CATEGORIES, CATEGORY_ALIASES, KEY_LEVELS
from .tables import KEY_COLUMN, RawTable

TRUE = {"true", "1", "yes", "是", "y", "t"}
FALSE = {"false", "0", "no", "否", "n", "f"}
MAX_AREA_HA = 1.0e6  # larger than any county: surely a unit or typing error
MIN_AREA_HA = 1.0e-6  # 0.01 m²: the checker's tolerance (quota.check.verify.TOL); a smaller non-zero area cannot be told from zero
MAX_MONEY = 1.0e12  # 万元: a hundred times China's yearly GDP; beyond it a typing error, and the scaling breaks
MAX_COUNT = 1.0e9  # jobs
MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_PHASE = 1000  # a phase number beyond this is a slip (and beyond 2**63 it cannot even be stored)

# column -> (kind, required); kinds: id, text, ref, area, money, count, year, bool, category, key_level, lock, date, cause,
# cause_kind, share (a fraction in [0, 1]); a trailing ? lets the cell be empty (none)
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "counties": {
        "county_id": ("id", True), "name": ("text", True),
        "unsupplied_stock": ("area", True), "idle_stock": ("area", True),
        "unsupplied_task": ("area", True), "idle_task": ("area", True),
        "unsupplied_disposed": ("area", True), "idle_disposed": ("area", True),
        "usable_stock": ("area", True), "overplan": ("area", True), "cap_base": ("area?", False),
        "poverty_county": ("bool?", False),
        "adcode": ("id?", False),  # 行政区划代码: keys the county boundaries when spatial.county_key is adcode
    },
    "projects": {
        "project_id": ("id", True), "name": ("text", True), "county_id": ("ref", True),
        "category": ("category", True), "area": ("area+", True), "farmland_area": ("area", True),
        "earliest_year": ("year", True), "investment": ("money", True), "annual_tax": ("money", True),
        "jobs": ("count", True), "urgent": ("bool", True), "ready": ("bool", True),
        "key_level": ("key_level", True), "lock": ("lock", True), "stock_ok": ("bool", True),
        "standalone_site": ("bool?", False),
    },
    "phases": {
        "project_id": ("ref", True), "plan": ("plan", True), "phase": ("phase", True),
        "area": ("area+", True), "farmland_area": ("area", True), "earliest_year": ("year", True),
    },
    "dependencies": {"project_id": ("ref", True), "requires": ("ref", True)},
    "idle_parcels": {
        "parcel_id": ("id", True), "county_id": ("ref", True), "area": ("area+", True),
        "agreed_start": ("date", True), "grant_price": ("money", True), "cause": ("cause", True),
        "actual_start": ("date?", True),
        # the facts of the idle-land check (all optional; an absent column is not recorded, quota.input.idle_findings)
        "grant_date": ("date?", False), "developed_share": ("share?", False), "invested_share": ("share?", False),
        "halted_on": ("date?", False), "cause_kind": ("cause_kind?", False), "cause_evidence": ("text?", False),
        "fee_levied": ("money?", False), "fee_levied_on": ("date?", False), "taken_back_on": ("date?", False),
        "keep_decided_on": ("date?", False), "build_deadline": ("date?", False), "extended_on": ("date?", False),
        "extended_until": ("date?", False),
    },
    "disposal": {  # RULES.md: disposal planned by other means than this plan's projects, and what more may be chosen
        "county_id": ("ref", True), "year": ("year", True), "unsupplied": ("area", True), "idle": ("area", True),
        "extra_max": ("area?", False), "extra_cost": ("money?", False),
    },
    "history": {"county_id": ("ref", True), "year": ("year", True), "approved": ("area", True), "supplied": ("area", True)},
}


_FULLWIDTH = {**{ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．，－＋"}, ord("\u2212"): ord("-")}
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}((,[0-9]{3})+|( [0-9]{3})+)(\.[0-9]+)?$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$|^[+-]?(nan|inf|infinity)$", re.IGNORECASE)


def parse_table(table: RawTable, factor: float, issues: list[Issue]) -> tuple[pd.DataFrame, list[str]] | None:
    """The typed table and each row's key for messages (``line N`` when the key cell is empty).

    The keys are returned beside the frame, not in ``frame.attrs``: pandas deep-copies ``attrs`` into
    every frame derived from it, which made each derived frame cost a copy of every key."""
    spec = COLUMNS[table.name]
    frame = table.frame
    key_col = KEY_COLUMN[table.name]
    if not len(frame.columns):  # an empty file: reported as an empty table when the table is required
        return None
    missing = report_missing_columns(table, spec, issues)
    if key_col in missing:  # rows without keys cannot be checked or referred to
        return None
    cells = {c: frame[c].tolist() for c in frame.columns}  # plain lists: iterating a pandas string column is slow
    keys = [k if k else f"line {table.line(i)}" for i, k in enumerate(cells[key_col])]
    if table.name == "dependencies":
        keys = [f"{k}→{r}" for k, r in zip(keys, cells.get("requires", [""] * len(keys)))]
    elif table.name in ("disposal", "history"):  # one row per county and year
        keys = [f"{k}/{y}" for k, y in zip(keys, cells.get("year", [""] * len(keys)))]
    elif table.name == "phases":
        keys = [f"{k}/{pl or '-'}/{ph}" for k, pl, ph in zip(keys, cells.get("plan", [""] * len(keys)), cells.get("phase", [""] * len(keys)))]
    if table.encoding == "xlsx":  # a sheet: name the row as the spreadsheet shows it (the header is row 1)
        keys = [f"{k} (sheet row {table.line(i)})" if not k.startswith("line ") else f"sheet row {table.line(i)}"
                for i, k in enumerate(keys)]
    return pd.DataFrame(parse_columns(table, spec, keys, factor, issues), index=frame.index), keys


def report_missing_columns(table: RawTable, spec: dict[str, tuple[str, bool]], issues: list[Issue]) -> list[str]:
    """The required columns of ``spec`` that ``table`` lacks, each reported with how to add it."""
    missing = [c for c, (_, req) in spec.items() if req and c not in table.frame.columns]
    for c in missing:
        fix, fields = _missing_column_hint(c, table.frame.columns)
        issues.append(Issue.of("input.missing-column", table.label, "", c, fix=fix, col=c, **fields))
    return missing


def parse_columns(table: RawTable, spec: dict[str, tuple[str, bool]], keys: list[str], factor: float,
                  issues: list[Issue]) -> dict[str, list]:
    """Each column of ``spec`` (column -> (kind, required), as in ``COLUMNS``) read from ``table``'s text cells, each
    problem an issue naming the row by ``keys``. An absent optional column means none; an absent required one
    (reported by ``report_missing_columns``) gives None cells, so that later checks skip them instead of failing."""
    out = {}
    for col, (kind, _) in spec.items():
        if col not in table.frame.columns:
            out[col] = [None] * len(table.frame)
            continue
        out[col] = _parse_column(table, col, table.frame[col].tolist(), keys, kind, factor, issues)
    return out


def _parse_column(table: RawTable, col: str, cells: list, keys: list[str], kind: str, factor: float, issues: list[Issue]) -> list:
    """``_parse_cell`` over one column. The cells that read without an issue (nearly all) are read in bulk, to the
    same values; the others go through ``_parse_cell`` in row order, so the issues and their order are the same too."""
    values = _read_clean(cells, kind, factor)
    slow = {i for i, v in enumerate(values) if v is _UNSEEN} | {i for i, c in table.formulas if c == col}
    for i in sorted(slow):
        if (i, col) in table.formulas:
            issues.append(Issue.of("input.formula-no-value", table.label, keys[i], col, formula=repr(table.formulas[(i, col)])))
            values[i] = None
        else:
            values[i] = _parse_cell(cells[i], kind, factor, table.label, keys[i], col, issues)
    return values


_UNSEEN = object()


def _read_clean(cells: list, kind: str, factor: float) -> list:
    """What ``_parse_cell`` makes of each cell that it reads without an issue; ``_UNSEEN`` for the cells left to it.

    Texts are taken as they are when nothing is to be stripped; a plain decimal number (ASCII digits and at most
    one point) is read with ``float`` and checked on the whole column; any other text is read once per distinct text."""
    kind = kind.rstrip("?")
    if kind in ("id", "text", "ref", "plan"):  # isprintable: no control or format character (checked by _parse_cell)
        return [c if type(c) is str and c and c == c.strip() and c.isprintable() else _UNSEEN for c in cells]
    if kind not in ("area", "area+", "money", "count", "year", "phase"):  # few distinct texts: words and dates
        known = {}
        for c in dict.fromkeys(cells):
            probe: list[Issue] = []
            value = _parse_cell(c, kind, factor, "", "", "", probe)
            if not probe:
                known[c] = value
        return [known.get(c, _UNSEEN) for c in cells]
    numbers = np.array([float(c) if type(c) is str and c.isascii() and c.replace(".", "", 1).isdigit() else np.nan
                        for c in cells], dtype=float)  # digits with at most one point: _NUMBER reads them as float does
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isfinite(numbers)
        if kind in ("year", "phase"):
            ok &= numbers == np.trunc(numbers)
            ok &= (numbers >= MIN_YEAR) & (numbers <= MAX_YEAR) if kind == "year" else (numbers >= 1) & (numbers <= MAX_PHASE)
        elif kind.startswith("area"):
            ok &= (numbers * factor <= MAX_AREA_HA) & ((numbers == 0) | (numbers * factor >= MIN_AREA_HA))
            if kind == "area+":
                ok &= numbers != 0
        else:
            ok &= numbers <= (MAX_COUNT if kind == "count" else MAX_MONEY)
    numbers, ok = numbers.tolist(), ok.tolist()
    if kind in ("year", "phase"):
        return [int(v) if k else _UNSEEN for v, k in zip(numbers, ok)]
    if kind.startswith("area"):
        return [to_ha(v, factor) if k else _UNSEEN for v, k in zip(numbers, ok)]
    return [v if k else _UNSEEN for v, k in zip(numbers, ok)]


_UNIT_IN_NAME = re.compile(r"^(?P<name>.+?)\s*[(（\[【](?P<unit>[^)）\]】]*)[)）\]】]\s*$")


def _missing_column_hint(col: str, found) -> tuple[str, dict]:
    """How to add a missing column, naming a found column that is probably it (a unit in its name, a typo)."""
    for name in found:
        m = _UNIT_IN_NAME.match(str(name))
        if m and m.group("name").strip().lower().replace(" ", "_") == col:
            return "input.missing-column.fix_unit", {"name": repr(name)}
    normal = {str(n).strip().lower().replace(" ", "_").replace("-", "_"): n for n in found}
    close = difflib.get_close_matches(col, list(normal), n=1, cutoff=0.75)
    if close:
        return "input.missing-column.fix_rename", {"name": repr(normal[close[0]])}
    return "input.missing-column.fix_add", {"found": ", ".join(map(str, found)) or "—"}


_UNIT_IN_VALUE = re.compile(r"^[+-]?[\d.,\s]+\s*(?P<unit>ha|hm2|hm²|公顷|mu|亩|万元|元|m2|㎡|平方米|km2|人|个|%)$", re.IGNORECASE)


def _not_a_number_hint(text: str) -> tuple[str, dict]:
    """Why a cell is not a number: a unit written in the cell, or an Excel formula, and what to write instead."""
    m = _UNIT_IN_VALUE.match(unicodedata.normalize("NFKC", text))
    if m:
        return "input.bad-value.fix_unit", {"unit": repr(m.group("unit"))}
    if text.startswith("="):
        return "input.bad-value.fix_formula", {}
    return "input.bad-value.fix_number", {}


def _parse_cell(cell: str, kind: str, factor: float, file: str, key: str, col: str, issues: list[Issue]):
    text = cell.strip() if isinstance(cell, str) else ("" if cell is None else str(cell))
    optional = kind.endswith("?")
    kind = kind.rstrip("?")

    def bad(entry, fix=None, **fields):
        issues.append(Issue.of("input." + entry, file, key, col, fix=fix and "input." + fix, col=col, text=repr(text), **fields))
        return None

    if text == "":
        if optional or kind in ("key_level", "lock", "plan"):
            return {"key_level": "none", "lock": "", "plan": ""}.get(kind)
        return bad("empty-cell")
    if kind in ("id", "text", "ref", "plan"):
        ch = _bad_char(text, kind)
        if ch is None:
            return text
        if kind == "text":
            return bad("bad-character.text", char=code_point(ch), at=text.index(ch) + 1)
        return bad("bad-character.id", char=code_point(ch), at=text.index(ch) + 1)
    if kind in ("bool", "category", "key_level", "lock", "cause", "cause_kind"):
        text = _normalise_word(text, file, key, col, issues)
    if kind == "bool":
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        return bad("bad-value.bool")
    if kind == "category":
        code = CATEGORY_ALIASES.get(text, text.lower())
        return code if code in CATEGORIES else bad("bad-value.category", known=", ".join(CATEGORIES))
    if kind == "key_level":
        return text.lower() if text.lower() in KEY_LEVELS else bad("bad-value.key_level", known=", ".join(KEY_LEVELS))
    if kind == "lock":
        return text.lower() if text.lower() in ("in", "out") else bad("bad-value.lock")
    if kind == "cause":
        return text.lower() if text.lower() in ("enterprise", "government") else bad("bad-value.cause")
    if kind == "cause_kind":
        code = CAUSE_ALIASES.get(text, text.lower())
        return code if code in CAUSE_KINDS else bad("bad-value.cause_kind", known=", ".join(CAUSE_KINDS), aliases="、".join(CAUSE_ALIASES))
    if kind == "date":
        date = parse_date(text)
        if date is None:
            return bad("bad-value.date")
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            return bad("bad-value.date_range", date=date.isoformat(), lo=MIN_YEAR, hi=MAX_YEAR)
        return date
    number = _parse_number(text, file, key, col, issues)
    if number is None:
        fix, fields = _not_a_number_hint(text)
        return bad("bad-value.number", fix[len("input."):], **fields)
    if not math.isfinite(number):
        return bad("bad-value.finite")
    if kind in ("year", "phase"):
        if number != int(number):
            return bad("bad-value.whole")
        number = int(number)
        if kind == "year" and not MIN_YEAR <= number <= MAX_YEAR:
            return bad("bad-value.year", number=number, lo=MIN_YEAR, hi=MAX_YEAR)
        if kind == "phase" and number < 1:
            return bad("bad-value.phase", number=number)
        if kind == "phase" and number > MAX_PHASE:
            return bad("bad-value.phase_huge", "bad-value.phase.hint", number=number, most=MAX_PHASE)
        return number
    if number < 0:
        return bad("bad-value.negative", number=f"{number:g}")
    if kind == "share":
        return number if number <= 1 else bad("bad-value.share", number=f"{number:g}")
    if kind == "area+" and number == 0:
        return bad("bad-value.zero_area")
    if kind.startswith("area"):
        if number * factor > MAX_AREA_HA:
            return bad("bad-value.huge_area", number=f"{number:g}")
        if 0 < number * factor < MIN_AREA_HA:
            return bad("bad-value.tiny_area", number=f"{number:g}", least=f"{MIN_AREA_HA:g}")
        return to_ha(number, factor)
    if number > (MAX_COUNT if kind == "count" else MAX_MONEY):
        limit = f"{MAX_COUNT:g}" if kind == "count" else f"{MAX_MONEY:g} 万元"
        return bad("bad-value.huge", number=f"{number:g}", limit=limit)
    return number


def to_ha(value: float, factor: float) -> float:
    """Convert to hectares, held to 1e-9 ha so that the same land gives the same number in ha or mu."""
    return round(value * factor, 9)


def _parse_number(text: str, file: str, key: str, col: str, issues: list[Issue]) -> float | None:
    """A plain decimal number. Full-width digits and punctuation (１２３，．－) and thousands separators
    (1,200 or 1 200) are read with a warning; anything else, such as 1_000 or digits of other scripts, is not a number."""
    norm = unicodedata.normalize("NFKC", text).translate(_FULLWIDTH).strip()  # NFKC: full-width forms, no-break spaces
    if _THOUSANDS.match(norm):
        norm = norm.replace(",", "").replace(" ", "")
    if not _NUMBER.match(norm):
        return None
    value = float(norm)
    if norm != text:
        issues.append(Issue.of("input.normalised.digits", file, key, col, "warning", text=repr(text), value=f"{value:g}"))
    return value


def _normalise_word(text: str, file: str, key: str, col: str, issues: list[Issue]) -> str:
    """A code word with full-width letters (ｉｎ, ＴＲＵＥ) read as plain ASCII, with a warning."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if norm != text:
        issues.append(Issue.of("input.normalised.letters", file, key, col, "warning", text=repr(text), value=repr(norm)))
    return norm


def parse_date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text[:10] if fmt != "%Y年%m月%d日" else text, fmt).date()
        except ValueError:
            continue
    return None


def normal_id(text: str) -> str:
    """The form in which two ids are the same: NFKC (full-width and compatibility characters folded), with
    format characters (Unicode Cf: zero-width space, BOM, joiners) removed."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")


def code_point(ch: str) -> str:
    kind = "control character" if unicodedata.category(ch) == "Cc" else "unnamed character"
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '(' + kind + ')')}"


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # reorder the text around them on screen


def _bad_char(text: str, kind: str) -> str | None:
    """The first character an id (invisible: Cc or Cf) or a text cell (control, or a bidirectional override) may not hold."""
    if text.isprintable():
        return None
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc" or (cat == "Cf" and (kind != "text" or ch in _BIDI)):
            return ch
    return None
