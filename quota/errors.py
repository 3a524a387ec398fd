"""The one exception family of quota, and the input ``Issue`` record.

``QuotaError`` is the root; the command line turns any of them into one clear
message and exit code 1, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found in a scenario.

    ``file`` is the file (or sheet) the problem is in, ``row`` the row key
    (a project or county id, or a yaml key path), ``column`` the column or key.
    ``message`` says what is wrong and why it matters; ``hint`` how to fix it.
    """

    code: str
    file: str
    row: str
    column: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        text = f"[{self.code}] {where}: {self.message}"
        if self.hint:
            text += f" Fix: {self.hint}"
        return text


class QuotaError(Exception):
    """Root of every error quota raises on purpose."""


class ScenarioError(QuotaError):
    """The scenario has one or more problems; ``issues`` lists them all."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in the scenario:"
        super().__init__("\n".join([head] + [f"  - {i}" for i in self.issues]))


class InfeasibleError(QuotaError):
    """The model has no feasible allocation; ``diagnosis`` says what must bend."""

    def __init__(self, message: str, diagnosis=None):
        self.diagnosis = diagnosis
        super().__init__(message)


class SolverError(QuotaError):
    """The solver is missing, failed, or stopped without a usable solution."""
