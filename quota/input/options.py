"""Typed options of a scenario that the model does not read: ``idle_land:`` and the factor method's ``factor:``.

``quota.input.config`` checks the keys and fills ``IdleLand`` and ``FactorOptions``, which ``quota.input.validate``
puts on the ``Scenario`` (``Scenario.idle_land``, ``Scenario.factor``); ``quota.input.idle`` and
``quota.solve.factor`` read them there. They live in the input stage so that reading a scenario imports nothing
from the solve stage.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class IdleLand:
    """``idle_land`` in scenario.yaml. Defaults: Order 53 (2012) Art. 14."""

    assessment_date: dt.date | None = None
    fee_rate: float = 0.20  # idle-land fee as a share of the grant or allocation price
    fee_years: int = 1  # full years not started before the fee is due
    reclaim_years: int = 2  # full years not started before the land is taken back


@dataclass(frozen=True)
class FactorOptions:
    weights: tuple[tuple[str, float], ...] = (("disposal", 1.0), ("demand", 1.0), ("investment", 1.0))
    unused: str = "lapse"  # lapse | pool
