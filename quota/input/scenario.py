"""The typed, validated scenario that every later step only reads.

All areas inside a ``Scenario`` are hectares, whatever the file's ``unit``:
``validate`` converts mu on reading (1 ha = 15 mu) and the writers convert back.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Issue
from .options import FactorOptions, IdleLand
from .rule_options import Rules

MU_PER_HA = 15.0

CATEGORIES = ("industry", "infrastructure", "livelihood", "commerce", "tourism", "housing", "other")
CATEGORY_ALIASES = {
    "工业": "industry", "基础设施": "infrastructure", "民生": "livelihood", "商服": "commerce",
    "文旅": "tourism", "住宅": "housing", "其他": "other",
}
KEY_LEVELS = ("none", "city", "provincial", "national")
HIGHER_LEVELS = ("provincial", "national")


@dataclass(frozen=True)
class Advance:
    max_share: float = 0.5
    cost: float = 0.05
    last_year: bool = False


@dataclass(frozen=True)
class Phasing:
    min_gap: int = 1
    commit: str = "all"  # all | first


@dataclass(frozen=True)
class Scoring:
    weights: tuple[tuple[str, float], ...] = (
        ("investment_intensity", 1.0), ("tax_intensity", 1.0), ("jobs_intensity", 0.5))
    urgent_bonus: float = 0.5
    key_bonus: tuple[tuple[str, float], ...] = (
        ("none", 0.0), ("city", 0.3), ("provincial", 0.5), ("national", 0.5))

    def weight(self, name: str) -> float:
        return dict(self.weights)[name]

    def key(self, level: str) -> float:
        return dict(self.key_bonus)[level]


@dataclass(frozen=True)
class Linkage:
    penalty: float = 1.0
    bonus: float = 0.10
    cut: float = 0.20
    restrict_below: float = 0.15
    restrict_on_overplan: bool = True
    exempt_categories: tuple[str, ...] = ("livelihood", "infrastructure")
    stock_credit: float = 0.1


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Tables are indexed by their id column; areas in ha."""

    name: str
    lang: str
    unit: str
    years: tuple[int, ...]
    quota: dict[int, float]
    farmland_quota: dict[int, float] | None
    carry_over: float
    advance: Advance
    phasing: Phasing
    delay_discount: float
    scoring: Scoring
    linkage: Linkage
    key_projects_outside_budget: bool
    counties: pd.DataFrame  # index county_id
    projects: pd.DataFrame  # index project_id
    phases: pd.DataFrame  # every project's plans: project_id, plan, phase, area, farmland_area, earliest_year
    dependencies: pd.DataFrame  # project_id, requires
    idle_parcels: pd.DataFrame | None = None
    idle_land: IdleLand = IdleLand()  # idle_land: the assessment date and the penalties
    factor: FactorOptions = FactorOptions()  # factor: the factor method's weights
    config: dict = field(default_factory=dict)  # the merged yaml, as read
    root: Path | None = None
    files: tuple[Path, ...] = ()
    encodings: dict[str, str] = field(default_factory=dict)
    warnings: tuple[Issue, ...] = ()
    rules: Rules = field(default_factory=Rules)  # rules as practised (RULES.md): the rule set and every rule key
    disposal: pd.DataFrame | None = None  # disposal.csv: county_id, year, unsupplied, idle, extra_max, extra_cost (ha)
    history: pd.DataFrame | None = None  # history.csv: county_id, year, approved, supplied (ha)
    # re-planning (quota.replan.with_facts): the ledger's facts (quota.ledger.facts.LedgerFacts); years before facts.as_of
    # are fixed to them. None: every year is planned (the first contract, and every run without a ledger)
    facts: object | None = None
    spatial: object | None = None  # spatial: the layers and every site's overlaps (quota.spatial.load.SpatialData)

    @property
    def assessment_date(self) -> dt.date | None:
        return self.idle_land.assessment_date

    @property
    def first_year(self) -> int:
        return self.years[0]

    @property
    def last_year(self) -> int:
        return self.years[-1]

    @property
    def unit_factor(self) -> float:
        """Multiply hectares by this to get the scenario's own unit."""
        return MU_PER_HA if self.unit == "mu" else 1.0
