"""Output safety: text from a scenario is data, never markup, a formula or a path.

- ``escape_html``: text for an HTML page (``<script>`` shows as text).
- ``safe_cell``: text for a spreadsheet cell. Text starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return would be read as a formula by Excel, WPS or LibreOffice (CSV/formula injection), so it
  gets a leading apostrophe, as OWASP recommends; other values pass unchanged. Text that already
  starts with apostrophes before such a character gets one more, so that ``read_cell`` (the inverse,
  used wherever quota reads its own CSV files back) gives every text back exactly.
- ``safe_frame`` / ``write_csv`` / ``csv_text``: the one rule applied to every text cell and header of
  every CSV file quota writes (run folder, compare, sweep); number columns are left as they are.
  ``unsafe_frame`` / ``read_csv`` undo it.
- ``inside``: the path of a file name under an output folder, refused when the name is absolute or
  leaves the folder (``../../x``), so that nothing is written outside the chosen folder.
- ``safe_component``: any user value (a project id, a parameter value) as one harmless file-name
  component, for folders named after user values.

``quota/report/escape.py`` uses these two text rules inside the report (and adds Markdown escaping).
"""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import QuotaError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")  # a formula character, after any apostrophes
_UNSAFE_IN_NAME = re.compile(r"[^\w.=+-]")  # \w keeps Chinese names readable
MAX_COMPONENT = 80
CSV_FLOAT_FORMAT = "%.6f"  # areas and values: at least 6 decimals


def escape_html(text) -> str:
    """``text`` as HTML text: ``&``, ``<``, ``>`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def safe_cell(value):
    """``value`` for a spreadsheet cell: text never starts a formula; numbers and other values pass unchanged.

    ``=1`` → ``'=1``, and ``'=1`` → ``''=1`` (so that ``read_cell`` can tell them apart); ``'a`` stays."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def read_cell(value):
    """The inverse of ``safe_cell``: one leading apostrophe removed where ``safe_cell`` added it."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value, 1):
        return value[1:]
    return value


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, (pd.StringDtype, pd.CategoricalDtype))]


def _map_text(frame: pd.DataFrame, fn) -> pd.DataFrame:
    columns = [fn(c) for c in frame.columns]
    text = [c for c in _text_columns(frame) if frame[c].map(lambda v: fn(v) is not v).any()]
    if not text and columns == list(frame.columns):
        return frame  # nothing to change: the frame itself, not a copy
    out = frame.copy()
    for c in text:
        out[c] = frame[c].astype(object).map(fn)
    out.columns = columns
    return out


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``safe_cell`` applied to every text cell and header (numbers, booleans, empty cells unchanged)."""
    return _map_text(frame, safe_cell)


def unsafe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as read from a CSV file quota wrote, with ``read_cell`` applied to every text cell and header."""
    return _map_text(frame, read_cell)


def _line_end(frame: pd.DataFrame) -> str:
    """``\n``; ``\r\n`` (RFC 4180) when a text cell holds a carriage return: Python's csv writer quotes a cell
    only for the characters of the line end, and an unquoted CR would end the row when read back."""
    held = any(frame[c].map(lambda v: isinstance(v, str) and "\r" in v).any() for c in _text_columns(frame))
    return "\r\n" if held or any("\r" in str(c) for c in frame.columns) else "\n"


def _no_negative_zero(frame: pd.DataFrame, float_format: str | None) -> pd.DataFrame:
    """Float values that print as zero at the written decimals made exactly 0.0, so that none is written
    ``-0.000000``; every other value keeps its digits."""
    floats = [c for c in frame.columns if isinstance(c, str) and pd.api.types.is_float_dtype(frame[c])]
    if float_format != CSV_FLOAT_FORMAT or not floats:
        return frame
    return frame.assign(**{c: frame[c].mask(frame[c].abs() <= 5e-7, 0.0) for c in floats})


def csv_text(frame: pd.DataFrame, float_format: str | None = CSV_FLOAT_FORMAT) -> str:
    """``frame`` as CSV text, formula-safe (``safe_frame``), without the index; no ``-0.000000``."""
    return safe_frame(_no_negative_zero(frame, float_format)).to_csv(index=False, float_format=float_format,
                                                                     lineterminator=_line_end(frame))


def write_csv(frame: pd.DataFrame, path: str | Path, float_format: str | None = CSV_FLOAT_FORMAT) -> None:
    """Write ``frame`` to ``path`` as UTF-8 CSV, formula-safe (``safe_frame``), without the index; no ``-0.000000``."""
    safe_frame(_no_negative_zero(frame, float_format)).to_csv(path, index=False, float_format=float_format, encoding="utf-8",
                                                              lineterminator=_line_end(frame))


def read_csv(path: str | Path, **kwargs) -> pd.DataFrame:
    """A CSV file quota wrote, read with pandas (``kwargs``) and ``unsafe_frame``: text as it was before writing."""
    return unsafe_frame(pd.read_csv(path, **kwargs))


def inside(root: str | Path, name: str | Path) -> Path:
    """``root / name``, or ``QuotaError`` when ``name`` is absolute or its path leaves ``root``."""
    root = Path(root).resolve()
    rel = Path(name)
    target = (root / rel).resolve()
    if rel.is_absolute() or ".." in rel.parts or not target.is_relative_to(root) or target == root:
        raise QuotaError.of("error.out.name_escapes", name=repr(str(name)), root=root)
    return target


def safe_component(text: str) -> str:
    """A user value as one file-name component: no separator, no ``..``, no control character, not hidden,
    at most 80 characters. A value that had to change gets a short digest, so different values stay apart."""
    plain = unicodedata.normalize("NFKC", str(text))
    safe = _UNSAFE_IN_NAME.sub("_", plain).lstrip(".") or "_"
    if safe != str(text) or len(safe) > MAX_COMPONENT:
        digest = hashlib.sha1(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        safe = f"{safe[:MAX_COMPONENT]}-{digest}"
    return safe
