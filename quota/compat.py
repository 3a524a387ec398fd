"""The one adapter between quota and the two PuLP APIs it supports.

PuLP 3.3 (Python 3.11) and PuLP 4 (Python >= 3.12, Rust core) share
``prob.add_variable``, ``lpSum`` and constraints built with ``<=``/``==``.
They differ in three places, each handled here and nowhere else:

- building an expression from ``(variable, coefficient)`` pairs in bulk;
- what ``prob.solve`` returns (an int in 3.3, ``LpSolveStats`` in 4);
- the sign convention of the HiGHS model behind ``solverModel`` (3.3 minimises
  the negated objective of a maximisation).
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterable

import pulp

PULP_VERSION = pulp.__version__
PULP4 = int(PULP_VERSION.split(".")[0]) >= 4

def _summed(pairs: Iterable[tuple]) -> list[tuple]:
    """Add up the coefficients of a variable that appears more than once.

    PuLP 3.3 keeps only the last coefficient of a repeated variable and PuLP 4 adds them up;
    summing here makes both mean Σ coef·var.
    """
    acc: dict = {}
    for var, coef in pairs:
        acc[var] = acc.get(var, 0.0) + coef
    return list(acc.items())


if PULP4:  # pragma: no cover - exercised under Python >= 3.12
    def expr(pairs: Iterable[tuple]) -> pulp.LpAffineExpression:
        """Linear expression Σ coef·var built in one pass (PuLP 4 adds up a repeated variable's coefficients)."""
        return pulp.LpAffineExpression.from_list(list(pairs))

    def add_constraint(prob: pulp.LpProblem, constraint, name: str):
        """Add a constraint and return the object whose ``pi``/``slack`` hold after a solve.

        PuLP 4 returns the stored constraint; looking it up by name instead costs a scan of every row.
        """
        return prob.addConstraint(constraint, name)
else:
    def expr(pairs: Iterable[tuple]) -> pulp.LpAffineExpression:
        """Linear expression Σ coef·var built in one pass; summed only when a variable repeats."""
        pairs = list(pairs)
        e = pulp.LpAffineExpression(pairs)
        return e if len(e) == len(pairs) else pulp.LpAffineExpression(_summed(pairs))

    def add_constraint(prob: pulp.LpProblem, constraint, name: str):
        """Add a constraint and return the object whose ``pi``/``slack`` hold after a solve."""
        prob.addConstraint(constraint, name)
        return constraint


# PuLP's numeric solve statuses, the same numbers in 3.3 (LpStatus*) and 4 (LpSolveStatus).
NOT_SOLVED, OPTIMAL, INFEASIBLE, UNBOUNDED, UNDEFINED = 0, 1, -1, -2, -3


def status_code(prob: pulp.LpProblem, returned) -> int:
    """The numeric solve status, from an int (PuLP 3.3) or an ``LpSolveStats`` (PuLP 4)."""
    if isinstance(returned, int):
        return returned
    status = getattr(returned, "status", None)
    if status is None:
        status = getattr(prob, "status", NOT_SOLVED)
    return int(status)


def available_solvers() -> list[str]:
    return list(pulp.listSolvers(onlyAvailable=True))


def all_solvers() -> list[str]:
    return list(pulp.listSolvers())


@contextlib.contextmanager
def quiet(enabled: bool = True):
    """Silence output written straight to file descriptor 1 (HiGHS prints a banner when PuLP creates it)."""
    if not enabled:
        yield
        return
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real stdout (e.g. captured): nothing to silence
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            try:
                yield
            finally:
                sys.stdout.flush()
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def dual(constraint) -> float:
    """Shadow price of a constraint of a *maximisation*: objective gained per unit of right-hand side.

    PuLP 3.3 hands HiGHS the negated objective, so its duals come back with the opposite sign.
    """
    pi = constraint.pi
    if pi is None:
        return float("nan")
    return float(pi) if PULP4 else -float(pi)


def activity(constraint) -> float:
    """lhs − rhs at the current variable values (the same in PuLP 3.3 and 4)."""
    value = constraint.value()
    return float("nan") if value is None else float(value)
