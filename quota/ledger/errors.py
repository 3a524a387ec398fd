"""The ledger's errors: ``LedgerError`` (a ``QuotaError``: one clear message, exit 1) and ``FactFileError``, which
lists every problem of a fact file as ``Issue`` records (file, row, column, what is wrong, how to fix it)."""
from __future__ import annotations

from ..errors import Issue, QuotaError


class LedgerError(QuotaError):
    """The ledger cannot be used, or a write was refused; nothing was written."""


class FactFileError(LedgerError):
    """A fact file has problems; ``issues`` lists them all and nothing was written."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in the facts; nothing was written to the ledger:"
        super().__init__("\n".join([head] + [f"  - {i}" for i in self.issues]))
