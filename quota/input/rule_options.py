"""Typed options of the rules as practised (RULES.md, issue #16): one frozen dataclass per ``scenario.yaml`` section.

Every default is the first contract's behaviour (MODEL.md), so a scenario that names no rule set, or
``rules: contract-2023``, gets exactly these values. ``quota.input.rules`` fills them from the merged yaml;
``Scenario.rules`` holds them. The field names are the yaml keys: ``restriction.below`` is ``Restriction.below``.
Areas are hectares here, whatever the scenario's unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class EarnedLinkage:
    """``linkage.mode`` / ``earn_ratio``: 增存挂钩 as a price (penalty), as quota earned by disposal, or both."""

    mode: str = "penalty"  # penalty | earned | both
    earn_ratio: float = 1.0  # ha of quota earned per ha disposed in the same year (unconfirmed)


@dataclass(frozen=True)
class Restriction:
    """``restriction.*``: what triggers 限批 and who is exempt. ``below``, ``on_overplan`` and ``exempt_categories``
    are also readable as ``linkage.restrict_below`` / ``restrict_on_overplan`` / ``exempt_categories`` (aliases)."""

    trigger: str = "disposal_rate"  # disposal_rate | supply_rate
    window: int = 5  # years of history behind the supply rate
    below: float = 0.15
    on_overplan: bool = True
    overplan_years: int = 0  # 0: the whole horizon; n: the first n years only
    dynamic: bool = False  # true: decided per county and year
    exempt_categories: tuple[str, ...] = ("livelihood", "infrastructure")
    exempt_key_levels: tuple[str, ...] = ("provincial", "national")


@dataclass(frozen=True)
class KeyProjects:
    """``key_projects.*``: which key projects are outside the city budget, and the provincial reserve."""

    outside_budget: str = "all_higher"  # all_higher | national_and_standalone
    province_reserve: tuple[tuple[int, float], ...] = ()  # (year, ha), for provincial key projects not stand-alone-site


@dataclass(frozen=True)
class AdvanceRules:
    """``advance.mode`` / ``early_gain`` / ``previous_quota``: 预支 from next year (first contract) or within the year."""

    mode: str = "next_year"  # next_year | within_year
    early_gain: float = 0.5  # years of delay discount an urgent phase gains in the early batch
    previous_quota: float | None = None  # ha: last year's quota before the horizon (required by within_year)


@dataclass(frozen=True)
class RingFence:
    """``ring_fence.per_county``: ha a year ring-fenced for each poverty county (脱贫县), issued on top (戴帽下达)."""

    per_county: float = 0.0


SECTIONS = {"linkage": EarnedLinkage, "restriction": Restriction, "key_projects": KeyProjects, "advance": AdvanceRules,
            "ring_fence": RingFence}
RULE_KEYS = tuple(f"{section}.{f.name}" for section, cls in SECTIONS.items() for f in fields(cls))  # the rule-set schema
ALIASES = {"linkage.restrict_below": "restriction.below", "linkage.restrict_on_overplan": "restriction.on_overplan",
           "linkage.exempt_categories": "restriction.exempt_categories"}  # old key -> the key it stands for
AREA_KEYS = ("key_projects.province_reserve", "advance.previous_quota", "ring_fence.per_county")  # in the scenario's unit


@dataclass(frozen=True)
class Rules:
    """The rule set named (``None``: none) and the typed value of every rule key, after the scenario's own keys.

    ``overridden``: (key, the set's value, the scenario's value) for each key where the scenario departs from
    the set, areas in hectares; the run's manifest records them."""

    name: str | None = None
    linkage: EarnedLinkage = field(default_factory=EarnedLinkage)
    restriction: Restriction = field(default_factory=Restriction)
    key_projects: KeyProjects = field(default_factory=KeyProjects)
    advance: AdvanceRules = field(default_factory=AdvanceRules)
    ring_fence: RingFence = field(default_factory=RingFence)
    overridden: tuple[tuple[str, object, object], ...] = ()

    @property
    def stock_moves(self) -> bool:
        """True when disposal is tracked year by year (earned linkage or dynamic restriction): the stock is then a
        quantity the plan changes, and idle stock must be exactly the idle land the parcels show."""
        return self.linkage.mode in ("earned", "both") or self.restriction.dynamic

    def value(self, key: str):
        """The value of a dotted rule key, e.g. ``rules.value("restriction.below")``."""
        section, name = key.split(".")
        return getattr(getattr(self, section), name)
