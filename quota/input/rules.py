"""The rule keys of RULES.md, typed and checked: ``parse_rules`` fills ``Rules`` from the scenario's merged yaml.

The yaml has already been merged over the rule set it names (``quota.input.rulesets.with_rule_set``); this module
reads the result with the checks of every other scenario key (``Config`` of ``quota.input.config``) and also:

- ``check_rule_tables``: the tables and columns the chosen rules need (``cap_base`` under earned linkage,
  ``history.csv`` under the supply-rate trigger, stock consistent with disposal, ``disposal.csv`` within the horizon);
- ``check_implemented``: a rule whose mechanism the model does not have yet is refused before a solve, never run
  silently under the first contract;
- ``rules_manifest``: what a run folder records of the rule set (its name, the keys the scenario overrode).
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..errors import Issue, ScenarioError
from ..messages import both
from .rule_options import (ALIASES, AREA_KEYS, RULE_KEYS, AdvanceRules, EarnedLinkage, KeyProjects, Restriction, RingFence,
                           Rules)
from .rulesets import read_rule_set, rule_set_names
from .scenario import CATEGORIES, CATEGORY_ALIASES, KEY_LEVELS, Scenario

MAX_RATIO = 1.0e6
MAX_AREA_HA = 1.0e6
MAX_YEARS = 50
_MISSING = object()
MODES = {"linkage.mode": ("penalty", "earned", "both"), "restriction.trigger": ("disposal_rate", "supply_rate"),
         "key_projects.outside_budget": ("all_higher", "national_and_standalone"), "advance.mode": ("next_year", "within_year")}


def parse_rules(cfg, params: dict) -> dict:
    """``{"rules": Rules, "linkage": Linkage}`` from ``cfg`` (a ``Config`` already parsed into ``params``): every rule key
    typed and checked, and ``params["linkage"]`` kept consistent with ``restriction`` (the model reads ``Linkage``)."""
    old = params["linkage"]
    d = Restriction()
    linkage = EarnedLinkage(cfg.choice("linkage.mode", "penalty", MODES["linkage.mode"]),
                            cfg.number("linkage.earn_ratio", 1.0, 0, MAX_RATIO))
    restriction = Restriction(
        trigger=cfg.choice("restriction.trigger", d.trigger, MODES["restriction.trigger"]),
        window=cfg.number("restriction.window", d.window, 1, MAX_YEARS, integer=True),
        below=_aliased(cfg, "restriction.below", old.restrict_below, lambda k, v: cfg.number(k, v, 0, 1)),
        on_overplan=_aliased(cfg, "restriction.on_overplan", old.restrict_on_overplan, cfg.boolean),
        overplan_years=cfg.number("restriction.overplan_years", d.overplan_years, 0, MAX_YEARS, integer=True),
        dynamic=cfg.boolean("restriction.dynamic", d.dynamic),
        exempt_categories=_aliased(cfg, "restriction.exempt_categories", old.exempt_categories,
                                   lambda k, v: _codes(cfg, k, v, CATEGORIES, CATEGORY_ALIASES)),
        exempt_key_levels=_codes(cfg, "restriction.exempt_key_levels", d.exempt_key_levels, KEY_LEVELS[1:], {}),
    )
    key_projects = KeyProjects(cfg.choice("key_projects.outside_budget", "all_higher", MODES["key_projects.outside_budget"]),
                               _reserve(cfg, params.get("years", ())))
    advance = AdvanceRules(cfg.choice("advance.mode", "next_year", MODES["advance.mode"]),
                           cfg.number("advance.early_gain", 0.5, 0, 1), _area(cfg, "advance.previous_quota", None))
    if advance.mode == "within_year" and advance.previous_quota is None and "advance" not in cfg.bad:
        cfg.err("advance.previous_quota", "config.missing-key.previous_quota")
    rules = Rules(_name(cfg), linkage, restriction, key_projects, advance, RingFence(_area(cfg, "ring_fence.per_county", 0.0)))
    rules = replace(rules, overridden=_overridden(rules))
    linked = replace(old, restrict_below=restriction.below, restrict_on_overplan=restriction.on_overplan,
                     exempt_categories=restriction.exempt_categories)
    return {"rules": rules, "linkage": linked}


def _name(cfg) -> str | None:
    name = cfg.get("rules", None)
    return name if isinstance(name, str) and name in rule_set_names() else None


def _aliased(cfg, key: str, alias_value, parse):
    """The value of ``key``; the value its old name gave (already parsed: ``alias_value``) when ``key`` is not given.
    Both given with different values is an error: quota cannot tell which one is meant."""
    alias = next(a for a, new in ALIASES.items() if new == key)
    if cfg.get(key, _MISSING) is _MISSING:
        return alias_value
    value = parse(key, alias_value)
    same = set(value) == set(alias_value) if isinstance(value, tuple) else value == alias_value
    if cfg.get(alias, _MISSING) is not _MISSING and not same and "linkage" not in cfg.bad:
        shown = list(value) if isinstance(value, tuple) else value
        cfg.err(key, "config.alias-conflict", value=repr(shown), alias=alias,
                old=repr(list(alias_value) if isinstance(alias_value, tuple) else alias_value))
    return value


def _codes(cfg, key: str, default: tuple, allowed: tuple, aliases: dict) -> tuple:
    """A list of code words (categories, key levels), Chinese aliases accepted; an unknown word is an error."""
    value = cfg.get(key, list(default))
    if not isinstance(value, list):
        cfg.err(key, "config.yaml-type.list", value=repr(value), example=", ".join(default))
        return default
    out = []
    for word in value:
        code = aliases.get(str(word).strip(), str(word).strip().lower())
        if code not in allowed:
            cfg.err(key, "config.yaml-value.word", fix="config.yaml-value.word.fix_" + ("aliases" if aliases else "codes"),
                    value=repr(word), allowed=", ".join(allowed))
        elif code not in out:
            out.append(code)
    return tuple(out)


def _area(cfg, key: str, default):
    """An area key in the scenario's unit, as hectares; ``default`` when not given (``None`` allowed)."""
    if cfg.get(key, None) is None:
        return default
    value = cfg.number(key, 0.0, 0, MAX_AREA_HA / cfg.factor)
    return round(value * cfg.factor, 9)


def _reserve(cfg, years) -> tuple[tuple[int, float], ...]:
    """``key_projects.province_reserve``: year -> area, every year of the horizon when given (0 for none)."""
    value = cfg.get("key_projects.province_reserve", None)
    if value in (None, {}):
        return ()
    by_year = cfg.year_map("key_projects.province_reserve", list(years), False) or {}
    return tuple((y, round(a * cfg.factor, 9)) for y, a in sorted(by_year.items()))


def _normal(key: str, value):
    """A rule set's value as ``Rules`` holds it (tuples, hectares, (year, ha) pairs), for comparison."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple((int(y), float(a)) for y, a in sorted(value.items()))
    if key in AREA_KEYS and value is not None:
        return float(value)
    return value


def _overridden(rules: Rules) -> tuple:
    """(key, the set's value, the scenario's value) for each rule key where the scenario departs from its set."""
    if rules.name is None:
        return ()
    given = read_rule_set(rules.name).values()
    defaults = Rules()
    out = []
    for key in RULE_KEYS:
        base = _normal(key, given[key]) if key in given else defaults.value(key)
        mine = rules.value(key)
        same = set(mine) == set(base) if isinstance(mine, tuple) and key.endswith(("categories", "levels")) else mine == base
        if not same:
            out.append((key, base, mine))
    return tuple(out)


def rules_manifest(s: Scenario) -> dict:
    """What manifest.json records: the rule set and each key the scenario overrode (areas in the scenario's unit)."""
    def shown(key, value):
        if key in AREA_KEYS and isinstance(value, float):
            return value * s.unit_factor
        if isinstance(value, tuple):
            return [list(v) if isinstance(v, tuple) else v for v in value]
        return value

    return {"name": s.rules.name,
            "overridden": {k: {"rule_set": shown(k, a), "scenario": shown(k, b)} for k, a, b in s.rules.overridden}}


# ------------------------------------------------------------ tables ----

def check_rule_tables(raw, tables: dict, keys: dict, params: dict, issues: list[Issue]) -> None:
    """The columns and tables the chosen rules need; ``disposal.csv`` and ``history.csv`` checked against the horizon.
    The optional flags ``poverty_county`` and ``standalone_site`` are made plain booleans: empty or absent is false."""
    for table, col in (("counties", "poverty_county"), ("projects", "standalone_site")):
        if tables.get(table) is not None and col in tables[table]:
            tables[table][col] = [v is True for v in tables[table][col]]
    rules, years = params["rules"], params.get("years", ())
    counties = tables.get("counties")
    if counties is None or "county_id" not in counties:
        return
    clabel = raw.tables["counties"].label
    ckeys = keys.get("counties", [])
    if rules.linkage.mode != "penalty":
        if "cap_base" not in raw.tables["counties"].frame.columns:
            issues.append(Issue.of("scenario.missing-column.cap_base", clabel, "", "cap_base", mode=rules.linkage.mode))
        else:
            for key, base in zip(ckeys, counties["cap_base"]):
                if base is None or pd.isna(base):
                    issues.append(Issue.of("scenario.empty-cell.cap_base", clabel, key, "cap_base", mode=rules.linkage.mode))
    if rules.linkage.mode != "penalty" or rules.restriction.dynamic:
        _check_stock(clabel, ckeys, counties, params, issues)
    for name in ("disposal", "history"):
        if tables.get(name) is not None:
            _check_years(raw.tables[name], tables[name], keys[name], years, name, issues)
    if tables.get("disposal") is not None and "extra_max" in tables["disposal"]:
        d = tables["disposal"]
        for key, extra, cost in zip(keys["disposal"], d["extra_max"], d["extra_cost"]):
            if extra is not None and extra > 0 and cost is None:
                issues.append(Issue.of("scenario.empty-cell.extra_cost", raw.tables["disposal"].label, key, "extra_cost"))
    if rules.restriction.trigger == "supply_rate":
        _check_history(raw, tables.get("history"), keys.get("history"), counties, years, rules.restriction.window, issues)


def _check_stock(label, keys, counties, params, issues):
    unit, f = params.get("unit", "ha"), (15.0 if params.get("unit") == "mu" else 1.0)
    for key, usable, u, i in zip(keys, counties["usable_stock"], counties["unsupplied_stock"], counties["idle_stock"]):
        if None in (usable, u, i) or usable <= u + i + 1e-9:
            continue
        issues.append(Issue.of("scenario.stock-exceeds", label, key, "usable_stock", usable=f"{usable * f:g}", stocks=f"{(u + i) * f:g}",
                               unit=unit))


def _check_years(raw, table, keys, years, name, issues):
    """disposal: rows in the horizon; history: rows before it; one row per county and year."""
    if not years or "year" not in table:
        return
    first, last = years[0], years[-1]
    for key, y in zip(keys, table["year"]):
        if y is None:
            continue
        if name == "disposal" and not first <= y <= last:
            issues.append(Issue.of("scenario.year-outside-horizon", raw.label, key, "year", year=y, first=first, last=last))
        elif name == "history" and y >= first:
            issues.append(Issue.of("scenario.year-outside-history", raw.label, key, "year", year=y, first=first))
    dup = table.duplicated(["county_id", "year"], keep="first") & table["county_id"].notna() & table["year"].notna()
    for key in [k for k, d in zip(keys, dup) if d]:
        issues.append(Issue.of("scenario.duplicate-row.county_year", raw.label, key, "year"))


def _check_history(raw, history, keys, counties, years, window, issues):
    if not years:
        return
    need = list(range(years[0] - window, years[0]))
    if history is None:
        issues.append(Issue.of("scenario.table-missing.history", "history.csv", "", "", window=window, first=need[0], last=need[-1]))
        return
    have = set(zip(history["county_id"], history["year"]))
    for cid in counties["county_id"].dropna().unique():
        missing = [y for y in need if (cid, y) not in have]
        if missing:
            issues.append(Issue.of("scenario.history-short", raw.tables["history"].label, cid, "year",
                                   missing=", ".join(map(str, missing)), window=window, first=need[0], last=need[-1]))


# ----------------------------------------------------- implemented ----

def check_implemented(s: Scenario) -> None:
    """``ScenarioError`` naming each rule the model cannot follow yet: a run under it would silently follow the first
    contract instead. The first contract's values (no ``rules:``, or ``contract-2023``) pass."""
    issues = implemented_issues(s)
    if issues:
        raise ScenarioError(issues)


def implemented_issues(s: Scenario) -> list[Issue]:
    """The issues of ``check_implemented``; ``quota validate`` lists them with every other problem."""
    defaults, issues = Rules(), []
    file = s.files[0].name if s.files else "scenario.yaml"
    for key in RULE_KEYS:
        value, first = s.rules.value(key), defaults.value(key)
        if key == "restriction.overplan_years" and value != first and not s.rules.restriction.dynamic:
            pass
        elif key in _IMPLEMENTED or value == first or (isinstance(value, tuple) and set(value) == set(first)):
            continue
        if key in _INERT and _inert(s, key):
            continue
        if key == "restriction.overplan_years" and not s.rules.restriction.dynamic:  # only restriction decided per year has years
            issues.append(Issue.of("scenario.not-implemented.static", file, key, key, key=key, value=value))
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, tuple) else value
        from_set = s.rules.name and key not in {k for k, _, _ in s.rules.overridden}
        issues.append(Issue.of("scenario.not-implemented" + (".from_set" if from_set else ""), file, key, key,
                               fix="scenario.not-implemented.hint", key=key, value=shown, rule_set=s.rules.name,
                               first=_shown(key, first)))
    return issues


def refuse_rules(s: Scenario, path: str, refused: dict[str, tuple]) -> None:  # path: a catalogue key naming it
    """``ScenarioError`` naming each rule key whose value ``path`` (a solve path, e.g. the factor method) cannot follow:
    ``refused`` maps a key to the values it refuses. Its answer would not be verified under them."""
    file = s.files[0].name if s.files else "scenario.yaml"
    path_zh, path = both(path)
    issues = [Issue.of("scenario.not-supported", file, key, key, path=path, path_zh=path_zh, key=key, value=s.rules.value(key),
                       first=_shown(key, Rules().value(key)))
              for key, values in refused.items() if s.rules.value(key) in values]
    if issues:
        raise ScenarioError(issues)


_IMPLEMENTED = {"restriction.below", "restriction.on_overplan", "restriction.exempt_categories",  # the model reads them via Linkage
                "key_projects.outside_budget", "key_projects.province_reserve",  # RULES.md item 4
                "ring_fence.per_county",  # RULES.md item 6
                "advance.mode", "advance.early_gain", "advance.previous_quota",  # RULES.md 5: model/families/early_batch.py
                "linkage.mode", "linkage.earn_ratio",  # quota.model.families.earned
                "restriction.dynamic", "restriction.exempt_key_levels", "restriction.trigger", "restriction.window",
                "restriction.overplan_years"}  # quota.model.families.dynamic_restriction; overplan_years: see check_implemented
_INERT = {"linkage.earn_ratio", "restriction.window", "advance.early_gain", "advance.previous_quota"}  # parameters of a mode


def _inert(s: Scenario, key: str) -> bool:
    """A parameter that only a mode the first contract does not use would read: harmless while that mode is off."""
    r = s.rules
    return {"linkage.earn_ratio": r.linkage.mode == "penalty", "restriction.window": r.restriction.trigger != "supply_rate",
            "advance.early_gain": r.advance.mode != "within_year", "advance.previous_quota": r.advance.mode != "within_year"}[key]


def _shown(key: str, value) -> str:
    """A first-contract value as it is written in scenario.yaml."""
    if key == "key_projects.province_reserve":
        return "{}"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool) or value is None:
        return {None: "null", True: "true", False: "false"}[value]
    return f"{value:g}" if isinstance(value, float) else str(value)
