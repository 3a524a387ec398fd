"""Text from the scenario is data, never markup or formulas.

- ``escape_html``: names and reasons go into report.html as text (``<script>`` shows as ``<script>``).
- ``safe_cell``: a text cell of report.xlsx never starts with ``=``, ``+``, ``-``, ``@``, tab or CR, which
  spreadsheet programs would read as a formula (CSV/formula injection, OWASP): such text gets a
  leading apostrophe, shown as text.
- ``escape_md``: a Markdown table cell: HTML escaped (Markdown viewers render raw HTML), ``|`` and line
  breaks neutralised.
"""
from __future__ import annotations

from .safety import FORMULA_START, escape_html, safe_cell  # noqa: F401  (the one definition of both rules)


def escape_md(text) -> str:
    s = escape_html(text).replace("|", "\\|").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return s.replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")
