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


def matrix(prob: pulp.LpProblem) -> tuple[list, dict]:
    """The problem as arrays for a solver called directly: its variables, and a dict with ``cost``,
    ``col_lower``/``col_upper`` (±inf when absent), ``integer``, row-wise ``starts``/``index``/``value``,
    ``row_lower``/``row_upper`` and the objective's constant ``offset``. Column j is ``variables[j]``;
    row i is the i-th constraint in the order they were added."""
    import numpy as np

    variables = list(prob.variables())
    key = (lambda v: v.id) if PULP4 else (lambda v: v.name)
    column = {key(v): j for j, v in enumerate(variables)}
    inf = float("inf")
    cost = np.zeros(len(variables))
    for var, coef in prob.objective.items():
        cost[column[key(var)]] += coef
    lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([inf if v.upBound is None else v.upBound for v in variables], dtype=float)
    integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)
    constraints = prob.constraints()  # a list in PuLP 4 and in 3.3 (where the dict view is deprecated)
    starts, index, value, row_lower, row_upper = [0], [], [], [], []
    for con in constraints:
        for var, coef in con.items():
            if coef:
                index.append(column[key(var)])
                value.append(coef)
        starts.append(len(index))
        lb, ub = con.getLb(), con.getUb()
        row_lower.append(-inf if lb is None else lb)
        row_upper.append(inf if ub is None else ub)
    offset = float(prob.objective.constant or 0.0)
    return variables, {"cost": cost, "col_lower": lower, "col_upper": upper, "integer": integer,
                       "starts": np.array(starts, dtype=np.int64), "index": np.array(index, dtype=np.int64),
                       "value": np.array(value, dtype=float), "row_lower": np.array(row_lower, dtype=float),
                       "row_upper": np.array(row_upper, dtype=float), "offset": offset}


def set_values(variables: list, values) -> None:
    """Give each variable its value, as a solver's read-back does (``var.value()`` returns it)."""
    for var, value in zip(variables, values):
        var.varValue = float(value)


def set_duals(prob: pulp.LpProblem, duals) -> None:
    """Give each row (in ``prob.constraints()`` order) the dual a solver called directly returned for
    the maximisation, so that ``dual`` reads it back as the objective gained per unit of rhs."""
    for con, d in zip(prob.constraints(), duals):
        con.pi = float(d) if PULP4 else -float(d)
