"""The audit's record of checks, and the comparisons every section of the audit makes.

``Checks`` collects one row per check (family, key, ok, message), the notes on what was and was not done, and
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

    def add(self, family: str, key, ok: bool, message: str = "") -> None:
        self.rows.append({"family": family, "key": str(key), "ok": bool(ok), "message": message})

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
            self.add(family, "-", False, f"could not be recomputed: {type(e).__name__}: {e}")
            return None


def same(expected, found) -> bool:
    """A recomputed value and a file's: text and flags equal as text, numbers within the tables' rounding."""
    if isinstance(expected, (bool, np.bool_, str)) or isinstance(found, str):
        return str(expected) == str(found)
    if pd.isna(expected) or pd.isna(found):
        return bool(pd.isna(expected) and pd.isna(found))
    return abs(float(expected) - float(found)) <= TOL_REL * max(1.0, abs(float(expected))) + TOL_ABS


def _show(v) -> str:
    if isinstance(v, (bool, np.bool_)) or v is None or isinstance(v, str):
        return repr(v) if isinstance(v, str) else str(v)
    return "empty" if pd.isna(v) else f"{float(v):.6f}".rstrip("0").rstrip(".")


def compare(c: Checks, family: str, key, expected: dict, row) -> None:
    """One check: every recomputed column of ``expected`` against the file's ``row``, naming those that differ."""
    bad = [f"{k}: recomputed {_show(v)}, file has {_show(row[k]) if k in row else 'no such column'}"
           for k, v in expected.items() if k not in row or not same(v, row[k])]
    c.add(family, key, not bad, "; ".join(bad))


def at_most(c: Checks, family: str, key, lhs: float, rhs: float, what: str) -> None:
    """One check of a ≤ rule, within the tables' rounding."""
    ok = lhs <= rhs + TOL_REL * max(1.0, abs(rhs)) + TOL_ABS
    c.add(family, key, ok, f"{what}: {lhs:,.6f} {'≤' if ok else '>'} {rhs:,.6f}")

