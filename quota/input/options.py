"""Typed options of a scenario that the model does not read: the factor method's ``factor:`` key.

``quota.input.validate`` checks the key and fills ``FactorOptions``; ``quota.solve.factor`` uses them.
They live in the input stage so that reading a scenario imports nothing from the solve stage.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactorOptions:
    weights: tuple[tuple[str, float], ...] = (("disposal", 1.0), ("demand", 1.0), ("investment", 1.0))
    unused: str = "lapse"  # lapse | pool
