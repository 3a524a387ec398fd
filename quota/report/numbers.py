"""``number``: the one way a number becomes text for a person, in the report, ``quota explain`` and ``quota compare``.

A bureau reader expects: the decimals the figure deserves, thousands grouped, a share as a percentage, and never
``-0.0`` (a value that rounds to zero is zero, whatever its sign before rounding). The grouping mark is the
language's (``GROUP``): both zh and en group by three with ``,`` (GB/T 15835-2011 allows the comma in
technical publications, and the bureau's own tables use it). The strings live here, not in a catalogue:
they are formats, not words.
"""
from __future__ import annotations

import math
import re
import string

GROUP = {"zh": ",", "en": ","}  # thousands separator by language
MISSING = "—"


def number(value, decimals: int = 2, lang: str = "zh", signed: bool = False, percent: bool = False,
           group: bool = True, missing: str = MISSING) -> str:
    """``value`` rounded to ``decimals`` (of the percentage when ``percent``), grouped by thousands, with a ``+``
    before a positive value when ``signed``; ``missing`` for None or NaN. ``-0.0`` never appears: a value that
    rounds to zero is printed as ``0`` (unsigned even when ``signed``)."""
    if value is None or isinstance(value, str):
        return missing if value is None else value
    v = float(value)
    if math.isnan(v):
        return missing
    if math.isinf(v):
        return ("−" if v < 0 else "") + "∞"
    if percent:
        v *= 100
    v = round(v, decimals)
    if v == 0:
        v = 0.0  # -0.0 → 0.0
    sign = "+" if signed and v > 0 else ""
    text = f"{v:{',' if group else ''}.{decimals}f}"
    if group and GROUP.get(lang, ",") != ",":
        text = text.replace(",", GROUP[lang])
    return sign + text + ("%" if percent else "")


def integer(value, lang: str = "zh", signed: bool = False, missing: str = MISSING) -> str:
    """A count: no decimals, grouped."""
    return number(value, 0, lang, signed, missing=missing)


def scientific(value, digits: int = 2, signed: bool = False, missing: str = MISSING) -> str:
    """A relative gap and the like (``1.00e-04``); a zero is ``0``, never ``-0.00e+00``."""
    if value is None:
        return missing
    v = float(value)
    if math.isnan(v):
        return missing
    if v == 0:
        return "0"
    return f"{v:{'+' if signed else ''}.{digits}e}"


class _Numbers(string.Formatter):
    """``str.format`` where a fixed-point field (``{w:.3f}``, ``{area:,.2f}``) goes through ``number``."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec: str) -> str:
        m = re.fullmatch(r",?\.(\d+)f", spec)
        if m and isinstance(value, (int, float)) and not isinstance(value, bool):
            return number(value, int(m.group(1)), self.lang)
        return super().format_field(value, spec)


def fill(template: str, lang: str = "zh", **fields) -> str:
    """``template.format(**fields)``, its numbers as ``number`` writes them: grouped by thousands, never ``-0.0``
    (the reasons of projects.csv and the report)."""
    return _Numbers(lang).vformat(template, (), fields)

