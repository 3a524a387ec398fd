"""The ledger's errors: ``LedgerError`` (a ``QuotaError``: one clear message, exit 1) and ``FactFileError``, which
lists every problem of a fact file as ``Issue`` records (file, row, column, what is wrong, how to fix it)."""
from __future__ import annotations

from ..errors import Issue, QuotaError, ScenarioError


class LedgerError(QuotaError):
    """The ledger cannot be used, or a write was refused; nothing was written."""


class FactFileError(LedgerError):
    """A fact file has problems; ``issues`` lists them all and nothing was written."""

    head = "errors.facts"
    _head = ScenarioError._head
    render = ScenarioError.render

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        self.lang = None
        LedgerError.__init__(self, ScenarioError.render(self, "en"))
