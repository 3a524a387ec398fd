"""The audit's record of checks, and the comparisons every section of the audit makes.

``Checks`` collects one row per check (family, key, ok, message in English and in Chinese), the notes on what was and was not done, and
what one section recomputed for a later one; ``same``, ``compare`` and ``at_most`` compare a recomputed number
with the one a run folder holds, within the 6-decimal rounding of the output tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TOL_REL, TOL_ABS = 1e-6, 2e-6  # output tables carry 6 decimals


class Checks:
    """The audit's result so far: one row per check, the notes, and what a section found for a later one."""

    def __init__(self):
        self.rows: list[dict] = []
        self.notes: list[str] = []  # in English; ``notes_zh`` the same in Chinese
        self.notes_zh: list[str] = []
        self.found: dict = {}  # what one section recomputed for a later one (the objective)

    def add(self, family: str, key, ok: bool, text: str | tuple[str, str] = "", /, **fields) -> None:
        """One check. ``text``: a key of the message catalogue (quota.messages.checks) filled with ``fields`` in both
        languages (a field given as a (zh, en) pair takes each language's own), a (zh, en) pair, or "" when it passed
        unremarked. The row keeps both: ``message`` in English, ``message_zh`` in Chinese."""
        zh, en = texts(text, **fields)
        self.rows.append({"family": family, "key": str(key), "ok": bool(ok), "message": en, "message_zh": zh})

    def note(self, key: str, **fields) -> None:
        """A note from the message catalogue (quota.messages.audit), in both languages; a field given as a
        (zh, en) pair is filled in each language with its own."""
        from ..messages import message

        for lang, notes in (("zh", self.notes_zh), ("en", self.notes)):
            notes.append(message(key, lang, **{k: v[lang == "en"] if isinstance(v, tuple) else v for k, v in fields.items()}))

    def run(self, family: str, fn, *args):
        """Run one section; a section that cannot be recomputed is a failed check, not a traceback."""
        try:
            return fn(self, *args)
        except Exception as e:  # noqa: BLE001 - an audit reports every failure as a check
            render = getattr(e, "render", None)  # a QuotaError says itself in either language
            error = f"{type(e).__name__}: {e}"
            self.add(family, "-", False, "check.unrecomputable", error=(render("zh") if render else error, error))
            return None


def texts(text: str | tuple[str, str], /, **fields) -> tuple[str, str]:
    """(zh, en) of a catalogue key with its fields (a (zh, en) field takes each language's own), or of a (zh, en) pair."""
    from ..messages import message

    if isinstance(text, tuple) or not text:
        return text or ("", "")
    return tuple(message(text, lang, **{k: v[lang == "en"] if isinstance(v, tuple) else v for k, v in fields.items()})
                 for lang in ("zh", "en"))


def same(expected, found) -> bool:
    """A recomputed value and a file's: text and flags equal as text, numbers within the tables' rounding."""
    if isinstance(expected, (bool, np.bool_, str)) or isinstance(found, str):
        return str(expected) == str(found)
    if pd.isna(expected) or pd.isna(found):
        return bool(pd.isna(expected) and pd.isna(found))
    return abs(float(expected) - float(found)) <= TOL_REL * max(1.0, abs(float(expected))) + TOL_ABS


def _show(v, lang: str = "en") -> str:
    if isinstance(v, (bool, np.bool_)):
        return texts("check.yes" if v else "check.no")[lang == "en"]
    if v is None or isinstance(v, str):
        return repr(v) if isinstance(v, str) else str(v)
    return texts("check.empty")[lang == "en"] if pd.isna(v) else f"{float(v):.6f}".rstrip("0").rstrip(".")


def compare(c: Checks, family: str, key, expected: dict, row) -> None:
    """One check: every recomputed column of ``expected`` against the file's ``row``, naming those that differ."""
    bad = [k for k, v in expected.items() if k not in row or not same(v, row[k])]

    def differ(lang: str) -> str:
        en = lang == "en"
        return ("; " if en else ";").join(texts("check.column", column=k, found=_show(expected[k], lang),
                               file=_show(row[k], lang) if k in row else texts("check.no_column")[en])[en] for k in bad)
    c.add(family, key, not bad, (differ("zh"), differ("en")))


def at_most(c: Checks, family: str, key, lhs: float, rhs: float, what: str, **fields) -> None:
    """One check of a ≤ rule, within the tables' rounding; ``what`` (a catalogue key, with ``fields``) names the two sides."""
    ok = lhs <= rhs + TOL_REL * max(1.0, abs(rhs)) + TOL_ABS
    c.add(family, key, ok, "check.at_most", what=texts(what, **fields), lhs=f"{lhs:,.6f}", op="≤" if ok else ">", rhs=f"{rhs:,.6f}")

