"""Tables: the tables of a scenario (``TABLES``), and one CSV file → a ``RawTable`` of text cells (``read_csv_table``).

Nothing here interprets a value: every cell comes back as a stripped string, so that ``quota.input.cells`` sees
exactly what the file says and can name the file, row and column of each problem. What messy files need is
handled here, and never silently:

- CSV encodings: UTF-8 with or without a BOM, else GBK/GB18030; the one found is kept per table
  (``RawTable.encoding``, written to the run manifest). Bytes that fit neither, UTF-8 text joined
  to GBK text, and UTF-16 files are errors naming the byte offset.
- CSV structure is read with the ``csv`` module, strictly: a line with more values than the header
  is an error naming the line (empty extra fields are dropped with a warning), a repeated column
  name is an error, an unclosed quote is an error. Spaces around cells and column names are
  stripped with one warning per column; empty rows are skipped with a warning (``to_table``, also for sheets).
- A title or merged header row above the column names is an error saying which line holds them (``header_below``).
"""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Issue
from . import files
from .files import read_bytes

TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels", "disposal", "history")
KEY_COLUMN = {"counties": "county_id", "projects": "project_id", "phases": "project_id",
              "dependencies": "project_id", "idle_parcels": "parcel_id", "disposal": "county_id", "history": "county_id"}
REQUIRED_TABLES = ("counties", "projects")


@dataclass
class RawTable:
    name: str
    frame: pd.DataFrame  # every cell a str; "" for empty
    label: str  # how messages name the file: "projects.csv" or "book.xlsx[projects]"
    path: Path
    encoding: str = ""  # utf-8 | utf-8-sig (with a BOM) | gb18030 (also GBK) | xlsx
    first_line: int = 2  # file line (or sheet row) of the first data row
    lines: list[int] = field(default_factory=list)  # file line (or sheet row) of each row, when known
    formulas: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) → formula with no saved value

    def line(self, row: int) -> int:
        """The file line (or sheet row) of the frame's row ``row``."""
        return self.lines[row] if row < len(self.lines) else row + self.first_line


def read_csv_table(name: str, path: Path, issues: list[Issue], warnings: list[Issue], key: str | None = None) -> RawTable | None:
    """A CSV file → a RawTable of stripped text cells, or None with an issue (``read_raw`` has checked the file).
    ``key``: the column that must head the table (default: the scenario table's ``KEY_COLUMN``)."""
    try:
        data = read_bytes(path, files.MAX_TABLE_BYTES)
    except OSError as e:
        issues.append(Issue.of("input.table-unreadable", path.name, "", "", name=name, reason=e.strerror or e, file=path.name))
        return None
    decoded = _decode(data, path.name, issues)
    if decoded is None:
        return None
    text, encoding = decoded
    if not text.strip():
        return RawTable(name, pd.DataFrame(dtype=str), path.name, path, encoding)
    try:
        # skipinitialspace: `a, "b,c"` is two fields; strict: an unclosed quote is an error, not the rest of the file
        rows, lines = _csv_rows(text, skipinitialspace=True)
        spaced = _csv_rows(text, skipinitialspace=False)[0] if re.search(r",[ \t]", text) else rows
    except _CsvError as e:
        if "field larger than field limit" in str(e.error):
            issues.append(Issue.of("input.csv-syntax.long_field", path.name, f"line {e.line}", "", line=e.line,
                                   limit=f"{csv.field_size_limit():,}"))
        else:
            issues.append(Issue.of("input.csv-syntax.malformed", path.name, f"line {e.line}", "", line=e.line, error=e.error))
        return None
    if [len(r) for r in spaced] != [len(r) for r in rows]:  # the spaces were inside quotes: count on the main parse
        spaced = rows
    if header_below(name, rows, lines, path.name, issues, key):
        return None
    width = len(rows[0])
    long = [(n, r) for n, r in zip(lines, rows) if len(r) > width]
    if any(any(c.strip() for c in r[width:]) for _, r in long):
        n, r = next((n, r) for n, r in long if any(c.strip() for c in r[width:]))
        issues.append(Issue.of("input.csv-syntax.width", path.name, f"line {n}", "", line=n, fields=len(r), width=width))
        return None
    if long:
        warnings.append(Issue.of("input.extra-commas", path.name, "", "", "warning", n=len(long), s="s" if len(long) > 1 else "",
                                 width=width, lines=", ".join(str(n) for n, _ in long[:5]) + (", ..." if len(long) > 5 else "")))
    return to_table(name, rows, spaced, lines, path.name, path, encoding, warnings, issues)


class _CsvError(Exception):
    def __init__(self, line: int, error: csv.Error):
        super().__init__(f"line {line}: {error}")
        self.line, self.error = line, error


def _csv_rows(text: str, skipinitialspace: bool) -> tuple[list[list[str]], list[int]]:
    """The rows of a CSV text, blank lines skipped, each with the file line it starts on. A malformed row
    raises ``_CsvError`` with the line that row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=skipinitialspace, strict=True)
    rows, lines, previous = [], [], 0
    try:
        for row in reader:
            if row:
                rows.append(row)
                lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as e:
        raise _CsvError(previous + 1, e) from None
    return rows, lines


def header_below(name: str, rows: list[list], lines: list[int], label: str, issues: list[Issue], key: str | None = None) -> bool:
    """True, with an issue, when the key column's name (``key``, default ``KEY_COLUMN[name]``) is not on the first
    row but on one of the next few: a title row or a merged header row sits above the column names."""
    key = key or KEY_COLUMN[name]
    if not rows or key in (str(c).strip() for c in rows[0]):
        return False
    for row, line in zip(rows[1:6], lines[1:6]):
        if key in (str(c).strip() for c in row if c is not None):
            issues.append(Issue.of("input.header-not-first", label, f"line {line}", "", line=line, s="s" if line > 2 else ""))
            return True
    return False


def _decode(data: bytes, label: str, issues: list[Issue]) -> tuple[str, str] | None:
    """UTF-8 (with or without BOM), else GBK/GB18030; ``None`` and an issue naming the byte offset when neither fits."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:200].count(0) > 20:
        issues.append(Issue.of("input.encoding.utf16", label, "", ""))
        return None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError as e:
        utf8 = e
    line_start = data.rfind(b"\n", 0, utf8.start) + 1
    before = data[:line_start].decode("utf-8-sig")  # the whole lines before the bad byte are valid UTF-8
    line = before.count("\n") + 1
    where = {"offset": utf8.start, "line": line, "byte": f"0x{data[utf8.start]:02x}"}
    if any("\u4e00" <= ch <= "\u9fff" for ch in before):  # UTF-8 Chinese text, then something else
        try:
            data[line_start:].decode("gb18030")
        except UnicodeDecodeError:
            issues.append(Issue.of("input.encoding.damaged", label, "", "", **where))
            return None
        issues.append(Issue.of("input.encoding.mixed", label, "", "", **where))
        return None
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[len(codecs.BOM_UTF8):].decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            line = data.count(b"\n", 0, utf8.start) + 1
            issues.append(Issue.of("input.encoding.bom_gbk", label, "", "", offset=utf8.start, line=line))
            return None
    try:
        return data.decode("gb18030"), "gb18030"  # a superset of GBK, with the same bytes for every GBK character
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        issues.append(Issue.of("input.encoding.undecodable", label, "", "", offset=utf8.start, gbk_offset=e.start, line=line,
                               byte=f"0x{data[e.start]:02x}"))
        return None


def to_table(name: str, cells: list[list[str]], spaced: list[list[str]], lines: list[int], label: str, path: Path,
              encoding: str, warnings: list[Issue], issues: list[Issue]) -> RawTable | None:
    """Header and rows of strings → a RawTable of stripped cells; each change is reported as a warning.

    ``spaced`` holds the same cells as read before any space was skipped (for counting), ``lines`` the file
    line (or sheet row) of each row."""
    if not cells or not any(c.strip() for c in cells[0]):
        return RawTable(name, pd.DataFrame(dtype=str), label, path, encoding)
    same = spaced is cells  # then the cells were read without skipping any space
    width = max(len(r) for r in cells)
    cells = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in cells]
    header = [h.strip() for h in cells[0]]
    names = [h for h in header if h]
    for h in sorted({h for h in names if names.count(h) > 1}):
        fields = [str(i + 1) for i, x in enumerate(header) if x == h]
        issues.append(Issue.of("input.duplicate-column", label, "", h, col=repr(h), n=len(fields), fields=", ".join(fields)))
    if len(set(names)) != len(names):
        return None
    rows = [(r, s, n) for r, s, n in zip(cells[1:], spaced[1:], lines[1:]) if r[0].strip() or "".join(r).strip()]  # not blank
    if len(rows) < len(cells) - 1:
        k = len(cells) - 1 - len(rows)
        warnings.append(Issue.of("input.empty-rows", label, "", "", "warning", n=k, s="s" if k > 1 else "",
                                 were="were" if k > 1 else "was"))
    columns = list(zip(*(r for r, _, _ in rows))) if rows else [()] * width  # column by column: one pass in C
    keep = [i for i, h in enumerate(header) if h]
    unnamed = [i for i, h in enumerate(header) if not h and any(c.strip() for c in columns[i])]
    if unnamed:
        many = len(unnamed) > 1
        warnings.append(Issue.of("input.unnamed-column", label, "", "", "warning", fields=", ".join(str(i + 1) for i in unnamed),
                                 s="s" if many else "", hold="hold" if many else "holds", have="have" if many else "has"))
    stripped = {i: [c.strip() for c in columns[i]] for i in keep}
    frame = pd.DataFrame({header[i]: stripped[i] for i in keep}, dtype=str)
    row_lines = [n for _, _, n in rows]
    table = RawTable(name, frame, label, path, encoding, first_line=lines[1] if len(lines) > 1 else 2, lines=row_lines)
    renamed = [h for h, raw in zip(header, cells[0]) if h and h != raw]
    if renamed:
        warnings.append(Issue.of("input.whitespace.header", label, "", "", "warning", s="s" if len(renamed) > 1 else "",
                                 names=", ".join(map(repr, renamed))))
    spaced_columns = columns if same else list(itertools.zip_longest(*(s for _, s, _ in rows), fillvalue=""))
    for i in keep:  # one warning per column: how many cells had spaces around them, and on which lines
        if same and stripped[i] == list(columns[i]):
            continue
        cells_i = spaced_columns[i] if i < len(spaced_columns) else ()
        hits = [n for n, c in zip(row_lines, cells_i) if c != c.strip()]
        if hits:
            shown = ", ".join(map(str, hits[:5])) + (", ..." if len(hits) > 5 else "")
            warnings.append(Issue.of("input.whitespace.cells", label, "", header[i], "warning", n=len(hits),
                                     s="s" if len(hits) > 1 else "", lines=shown))
    return table
