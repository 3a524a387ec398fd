"""Output safety: text from a scenario is data, never markup, a formula or a path.

- ``escape_html``: text for an HTML page (``<script>`` shows as text).
- ``safe_cell``: text for a spreadsheet cell. Text starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return would be read as a formula by Excel or LibreOffice (CSV/formula injection), so it
  gets a leading apostrophe, as OWASP recommends; other values pass unchanged.
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

from ..errors import QuotaError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_IN_NAME = re.compile(r"[^\w.=+-]")  # \w keeps Chinese names readable
MAX_COMPONENT = 80


def escape_html(text) -> str:
    """``text`` as HTML text: ``&``, ``<``, ``>`` and both quotes escaped."""
    return html.escape(str(text), quote=True)


def safe_cell(value):
    """``value`` for a spreadsheet cell: text never starts a formula; numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def inside(root: str | Path, name: str | Path) -> Path:
    """``root / name``, or ``QuotaError`` when ``name`` is absolute or its path leaves ``root``."""
    root = Path(root).resolve()
    rel = Path(name)
    target = (root / rel).resolve()
    if rel.is_absolute() or ".." in rel.parts or not target.is_relative_to(root) or target == root:
        raise QuotaError(f"refused to write {str(name)!r}: the name leaves the output folder {root}. "
                         "This is a bug in quota (a file name made from input data); please report it.")
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
