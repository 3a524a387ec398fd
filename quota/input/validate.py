"""Turn raw tables into a typed ``Scenario``, or raise ``ScenarioError`` listing every problem.

Nothing is filled in silently: an empty cell is an error unless the contract
says it means "none" (``lock``, ``key_level``, ``cap_base``, ``plan``,
``actual_start``). Joins are strict: an unknown county or project is an error,
never a dropped row. Normalisations that change a cell (full-width digits and
punctuation, thousands separators, full-width code words such as ｉｎ) are kept as
warnings, at most three per file and column (more are folded into one that counts
them). The boolean spellings the contract accepts (true/false, 1/0, yes/no, 是/否)
are not normalisations and give no warning. Anything else that merely looks like a
number (1_000, digits of other scripts, 1,20) is an error, never a guess.

Ids (county, project, parcel, plan, and every column referring to one) are kept as written and
compared exactly; an id holding an invisible character (Unicode Cc or Cf: a control character,
a zero-width space, a BOM) is an error naming its code point, and two ids that are the same once
normalised (NFKC, Cf removed: 'Ｐ001' and 'P001') are an error naming both rows. Text cells hold
no control character. Dates lie in MIN_YEAR..MAX_YEAR; a non-zero area is at least MIN_AREA_HA
(the solver's tolerance), money at most MAX_MONEY, so that no value that passes here fails later.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import fields, replace
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import Issue, ScenarioError
from .read import KEY_COLUMN, RawScenario, RawTable, collector_paused, read_raw
from .rule_options import SECTIONS
from .rules import check_rule_tables, parse_rules
from .rulesets import with_rule_set
from .scenario import (CATEGORIES, CATEGORY_ALIASES, HIGHER_LEVELS, KEY_LEVELS, MU_PER_HA,
                       Advance, Linkage, Phasing, Scenario, Scoring)

TRUE = {"true", "1", "yes", "是", "y", "t"}
FALSE = {"false", "0", "no", "否", "n", "f"}
MAX_AREA_HA = 1.0e6  # larger than any county: surely a unit or typing error
MIN_AREA_HA = 1.0e-6  # 0.01 m²: the checker's tolerance (quota.check.verify.TOL); a smaller non-zero area cannot be told from zero
MAX_MONEY = 1.0e12  # 万元: a hundred times China's yearly GDP; beyond it a typing error, and the scaling breaks
MAX_COUNT = 1.0e9  # jobs
MAX_WEIGHT = 1.0e6  # a weight, bonus, penalty or cost in scenario.yaml: larger ones swamp every other term of the objective
MIN_YEAR, MAX_YEAR = 1949, 2100

# column -> (kind, required); kinds: id, text, ref, area, money, count, year, bool, category, key_level, lock, date, cause
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "counties": {
        "county_id": ("id", True), "name": ("text", True),
        "unsupplied_stock": ("area", True), "idle_stock": ("area", True),
        "unsupplied_task": ("area", True), "idle_task": ("area", True),
        "unsupplied_disposed": ("area", True), "idle_disposed": ("area", True),
        "usable_stock": ("area", True), "overplan": ("area", True), "cap_base": ("area?", False),
        "poverty_county": ("bool?", False),
    },
    "projects": {
        "project_id": ("id", True), "name": ("text", True), "county_id": ("ref", True),
        "category": ("category", True), "area": ("area+", True), "farmland_area": ("area", True),
        "earliest_year": ("year", True), "investment": ("money", True), "annual_tax": ("money", True),
        "jobs": ("count", True), "urgent": ("bool", True), "ready": ("bool", True),
        "key_level": ("key_level", True), "lock": ("lock", True), "stock_ok": ("bool", True),
        "standalone_site": ("bool?", False),
    },
    "phases": {
        "project_id": ("ref", True), "plan": ("plan", True), "phase": ("phase", True),
        "area": ("area+", True), "farmland_area": ("area", True), "earliest_year": ("year", True),
    },
    "dependencies": {"project_id": ("ref", True), "requires": ("ref", True)},
    "idle_parcels": {
        "parcel_id": ("id", True), "county_id": ("ref", True), "area": ("area+", True),
        "agreed_start": ("date", True), "grant_price": ("money", True), "cause": ("cause", True),
        "actual_start": ("date?", True),
    },
    "disposal": {  # RULES.md: disposal planned by other means than this plan's projects, and what more may be chosen
        "county_id": ("ref", True), "year": ("year", True), "unsupplied": ("area", True), "idle": ("area", True),
        "extra_max": ("area?", False), "extra_cost": ("money?", False),
    },
    "history": {"county_id": ("ref", True), "year": ("year", True), "approved": ("area", True), "supplied": ("area", True)},
}

CONFIG_KEYS = {
    "name", "description", "lang", "unit", "years", "quota", "farmland_quota", "carry_over", "advance",
    "phasing", "delay_discount", "scoring", "linkage", "key_projects_outside_budget", "tables",
    "idle_land", "factor",
}
SUB_KEYS = {
    "advance": {"max_share", "cost", "last_year"},
    "phasing": {"min_gap", "commit"},
    "scoring": {"weights", "urgent_bonus", "key_bonus"},
    "scoring.weights": {"investment_intensity", "tax_intensity", "jobs_intensity"},
    "scoring.key_bonus": set(KEY_LEVELS),
    "linkage": {"penalty", "bonus", "cut", "restrict_below", "restrict_on_overplan",
                "exempt_categories", "stock_credit"},
    "idle_land": {"assessment_date", "fee_rate", "fee_years", "reclaim_years"},
    "factor": {"weights", "unused"},  # the factor-method baseline (quota.solve.factor)
    "factor.weights": {"disposal", "demand", "investment"},
}
CONFIG_KEYS |= {"rules", *SECTIONS}  # rules as practised (quota.input.rule_options)
SUB_KEYS.update({k: SUB_KEYS.get(k, set()) | {f.name for f in fields(c)} for k, c in SECTIONS.items()})


@collector_paused()  # once for both steps: no full collection in between
def load(path: str | Path) -> Scenario:
    """Read and validate a scenario folder, yaml file or workbook."""
    return validate(read_raw(path))


@collector_paused()
def validate(raw: RawScenario) -> Scenario:
    issues: list[Issue] = list(getattr(raw, "errors", [])) + list(raw.warnings)  # a yaml key given twice: reading went on
    cfg_file = raw.files[0].name if raw.files else "scenario.yaml"
    if cfg_file.lower().endswith(".xlsx"):
        cfg_file += "[scenario]"
    cfg = _Config(with_rule_set(raw.config, cfg_file, issues), cfg_file, issues, getattr(raw, "config_rows", {}))
    params = cfg.parse()
    params.update(parse_rules(cfg, params))  # rule keys (RULES.md): quota.input.rules
    factor = 1.0 / MU_PER_HA if params.get("unit") == "mu" else 1.0
    for key in ("quota", "farmland_quota"):
        if params.get(key):
            params[key] = {y: to_ha(v, factor) for y, v in params[key].items()}
    parsed = {name: _parse_table(t, factor, issues) for name, t in raw.tables.items()}
    tables = {name: p[0] if p else None for name, p in parsed.items()}
    keys = {name: p[1] for name, p in parsed.items() if p}  # each row's key for messages, by table
    counties = tables["counties"]
    projects = tables["projects"]
    _check_unique(raw.tables["counties"], counties, "county_id", issues)
    _check_unique(raw.tables["projects"], projects, "project_id", issues)
    for name, what, hint in (("projects", "there is nothing to allocate", "add at least one candidate project under the header."),
                             ("counties", "no project can be placed", "add a row per county under the header.")):
        if name in raw.tables and len(raw.tables[name].frame) == 0:
            issues.append(Issue("empty-table", raw.tables[name].label, "", "", f"the {name} table has no rows; {what}.", hint))
    _check_refs(raw.tables["projects"], projects, keys.get("projects"), "county_id", counties, "counties", issues,
                target_raw=raw.tables["counties"])
    _check_projects(raw.tables["projects"], projects, keys.get("projects"), params, issues)
    phases = _build_phases(raw.tables.get("phases"), tables.get("phases"), keys.get("phases"), projects, params, issues)
    deps = tables.get("dependencies")
    if deps is None:
        deps = pd.DataFrame({"project_id": pd.Series(dtype=str), "requires": pd.Series(dtype=str)})
    else:
        _check_dependencies(raw.tables["dependencies"], deps, keys["dependencies"], projects, issues)
    parcels = tables.get("idle_parcels")
    if parcels is not None:
        _check_unique(raw.tables["idle_parcels"], parcels, "parcel_id", issues)
        _check_refs(raw.tables["idle_parcels"], parcels, keys["idle_parcels"], "county_id", counties, "counties", issues,
                    target_raw=raw.tables["counties"])
        _check_parcels_match(raw, parcels, counties, params, issues)
        if params.get("assessment_date") is None and "idle_land" not in cfg.bad:
            issues.append(Issue("missing-key", cfg_file, "idle_land.assessment_date", "idle_land.assessment_date",
                                "idle_parcels are given but no assessment date, so no parcel can be classified.",
                                "add `idle_land: {assessment_date: 2023-06-30}` to scenario.yaml."))
    for name in ("disposal", "history"):
        if tables.get(name) is not None:
            _check_refs(raw.tables[name], tables[name], keys[name], "county_id", counties, "counties", issues, target_raw=raw.tables["counties"])
    check_rule_tables(raw, tables, keys, params, issues)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ScenarioError(errors)
    scenario = Scenario(
        name=params["name"], lang=params["lang"], unit=params["unit"], years=params["years"],
        quota=params["quota"], farmland_quota=params["farmland_quota"], carry_over=params["carry_over"],
        advance=params["advance"], phasing=params["phasing"], delay_discount=params["delay_discount"],
        scoring=params["scoring"], linkage=params["linkage"],
        key_projects_outside_budget=params["key_projects_outside_budget"],
        counties=counties.set_index("county_id"), projects=projects.set_index("project_id"),
        phases=phases, dependencies=deps.reset_index(drop=True), idle_parcels=parcels,
        assessment_date=params.get("assessment_date"), config=raw.config, root=raw.root,
        files=tuple(raw.files), encodings={n: t.encoding for n, t in raw.tables.items()},
        warnings=tuple(i for i in issues if i.severity == "warning"),
        rules=params["rules"], disposal=tables.get("disposal"), history=tables.get("history"),
    )
    _check_locks(scenario, raw, issues)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ScenarioError(errors)
    return replace(scenario, warnings=tuple(summarise_warnings([i for i in issues if i.severity == "warning"])))


def summarise_warnings(warnings: list[Issue], most: int = 3) -> list[Issue]:
    """At most ``most`` warnings of one kind per file and column; more are folded into one that counts them."""
    groups: dict[tuple[str, str, str], list[Issue]] = {}
    for w in warnings:
        groups.setdefault((w.code, w.file, w.column), []).append(w)
    out = []
    for (code, file, column), ws in groups.items():
        if len(ws) <= most:
            out += ws
            continue
        rows = ", ".join(w.row for w in ws[:5]) + (", ..." if len(ws) > 5 else "")
        out.append(Issue(code, file, "", column, f"{len(ws)} rows give this warning (rows {rows}); "
                         f"the first, row {ws[0].row}: {ws[0].message}", ws[0].hint, "warning"))
    return out


# -------------------------------------------------------------- config ----

def _finite(value: int | float) -> bool:
    """``math.isfinite`` that says False, instead of raising, for an int too large for a float."""
    try:
        return math.isfinite(value) and abs(value) < 1e300
    except OverflowError:
        return False


class _Config:
    def __init__(self, data: dict, file: str, issues: list[Issue], rows: dict[str, int] | None = None):
        self.data, self.file, self.issues, self.bad = data, file, issues, set()
        self.rows = rows or {}  # a workbook's scenario sheet: the row of each key (or of the map holding it)
        self.factor = 1.0  # hectares per unit of the file, known once `unit` is read

    def err(self, key: str, message: str, hint: str, code: str = "yaml-value"):
        self.bad.add(key.split(".")[0])
        parts = key.split(".")
        row = next((self.rows[k] for k in (".".join(parts[:n]) for n in range(len(parts), 0, -1)) if k in self.rows), None)
        self.issues.append(Issue(code, self.file, key if row is None else f"{key} (sheet row {row})", key, message, hint))

    def get(self, key: str, default):
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def number(self, key, default, lo=None, hi=None, lo_open=False, integer=False):
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value) \
                or (integer and float(value) != int(value)):
            kind = "a whole number" if integer else "a number"
            self.err(key, f"must be {kind}, not {value!r}.", f"write e.g. `{key.split('.')[-1]}: {default}`.", "yaml-type")
            return default
        if (lo is not None and (value < lo or (lo_open and value == lo))) or (hi is not None and value > hi):
            rng = f"{'(' if lo_open else '['}{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
            self.err(key, f"must lie in {rng}; it is {value!r}.", f"choose a value in {rng}.")
            return default
        return int(value) if integer else float(value)

    def text(self, key, default, multiline=False):
        """A string key (``name``, ``description``): a number, list or mapping is refused, as is a control character
        (line breaks and tabs are allowed in a ``multiline`` one)."""
        value = self.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.err(key, f"must be text, not {type(value).__name__} {value!r}.", f'write it in quotes, e.g. `{key}: "..."`.', "yaml-type")
            return default
        bad = next((ch for ch in value if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t")), None)
        if bad is not None:
            self.err(key, f"holds the control character {_code_point(bad)}; it would garble the report.",
                     "delete it" + (" (line breaks are allowed here)." if multiline else "; a name is one line."), "bad-character")
            return default
        return value

    def boolean(self, key, default):
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.err(key, f"must be true or false, not {value!r}.", f"write `{key.split('.')[-1]}: true` or `false`.", "yaml-type")
            return default
        return value

    def choice(self, key, default, options):
        value = self.get(key, default)
        if value not in options:
            self.err(key, f"must be one of {', '.join(options)}; it is {value!r}.", f"write one of {', '.join(options)}.")
            return default
        return value

    def mapping_keys(self):
        for key, allowed in [("", CONFIG_KEYS)] + [(k, v) for k, v in SUB_KEYS.items()]:
            node = self.data if key == "" else self.get(key, {})
            if not isinstance(node, dict):
                self.err(key, f"must be a mapping, not {type(node).__name__}.", f"write `{key}: {{...}}` as in the bundled scenario.", "yaml-type")
                continue
            for k in node:
                if k not in allowed:
                    close = [a for a in allowed if a.lower() == str(k).lower() or a.startswith(str(k)[:4])]
                    full = f"{key}.{k}" if key else str(k)
                    self.err(full, "is not a scenario key.",
                             f"remove it or correct it{' (did you mean ' + repr(close[0]) + '?)' if close else ''}; the keys here are {', '.join(sorted(allowed))}.",
                             "unknown-key")

    def year_map(self, key, years, required):
        value = self.get(key, None)
        if value is None:
            if required:
                self.err(key, "is missing; the model needs the city quota of every year.",
                         f"add e.g. `{key}: {{{years[0] if years else 2023}: 1200}}`.", "missing-key")
            return None
        if not isinstance(value, dict):
            self.err(key, "must map each year to an area.", f"write e.g. `{key}: {{2023: 1200, 2024: 1250}}`.", "yaml-type")
            return None
        out = {}
        for k, v in value.items():
            try:
                year = int(str(k).strip())
            except ValueError:
                self.err(f"{key}.{k}", "is not a year.", "use four-digit years as keys.", "yaml-type")
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v) or v < 0:
                self.err(f"{key}.{year}", f"must be a non-negative area, not {v!r}.", "write the area as a number.", "yaml-type")
                continue
            if v * self.factor > MAX_AREA_HA or 0 < v * self.factor < MIN_AREA_HA:
                self.err(f"{key}.{year}", f"{v!r} is not a plausible area: a non-zero area lies between {MIN_AREA_HA:g} and {MAX_AREA_HA:g} ha "
                         "(below, the solver cannot tell it from zero).", "check the unit (ha or mu) and the digits.")
                continue
            out[year] = float(v)
        for y in years:
            if y not in out and f"{key}.{y}" not in {i.row for i in self.issues}:
                self.err(f"{key}.{y}", f"has no value for {y}, a year of the horizon.", f"add `{y}: <area>` under `{key}`.", "missing-year")
        return {y: out[y] for y in years if y in out}

    def parse(self) -> dict:
        self.mapping_keys()
        p: dict = {}
        p["name"] = self.text("name", "")
        self.text("description", "", multiline=True)
        p["lang"] = self.choice("lang", "zh", ("zh", "en"))
        p["unit"] = self.choice("unit", "ha", ("ha", "mu"))
        self.factor = 1.0 / MU_PER_HA if p["unit"] == "mu" else 1.0
        years = self.get("years", None)
        if not isinstance(years, list) or not years or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            self.err("years", f"must be a list of years, e.g. [2023, 2024, 2025]; it is {years!r}.",
                     "write `years: [2023, 2024, 2025]`.", "yaml-type" if years is not None else "missing-key")
            years = []
        elif any(b != a + 1 for a, b in zip(years, years[1:])):
            self.err("years", f"must be consecutive and increasing; {years} is not.", "list every year of the horizon in order, without gaps.")
            years = []
        elif not all(MIN_YEAR <= y <= MAX_YEAR for y in years):
            self.err("years", f"{years} are not plausible years.", f"use years between {MIN_YEAR} and {MAX_YEAR}.")
            years = []
        p["years"] = tuple(years)
        p["quota"] = self.year_map("quota", years, True) or {}
        p["farmland_quota"] = self.year_map("farmland_quota", years, False)
        p["carry_over"] = self.number("carry_over", 0.0, 0, 1)
        p["advance"] = Advance(self.number("advance.max_share", 0.5, 0, 1), self.number("advance.cost", 0.05, 0, MAX_WEIGHT),
                               self.boolean("advance.last_year", False))
        p["phasing"] = Phasing(self.number("phasing.min_gap", 1, 0, MAX_YEAR - MIN_YEAR, integer=True),
                               self.choice("phasing.commit", "all", ("all", "first")))
        p["delay_discount"] = self.number("delay_discount", 0.9, 0, 1, lo_open=True)
        d = Scoring()
        weights = tuple((k, self.number(f"scoring.weights.{k}", v, 0, MAX_WEIGHT)) for k, v in d.weights)
        key_bonus = tuple((k, self.number(f"scoring.key_bonus.{k}", v, 0, MAX_WEIGHT)) for k, v in d.key_bonus)
        p["scoring"] = Scoring(weights, self.number("scoring.urgent_bonus", d.urgent_bonus, 0, MAX_WEIGHT), key_bonus)
        L = Linkage()
        exempt = self.get("linkage.exempt_categories", list(L.exempt_categories))
        if not isinstance(exempt, list):
            self.err("linkage.exempt_categories", f"must be a list of categories, not {exempt!r}.",
                     "write e.g. `exempt_categories: [livelihood, infrastructure]`.", "yaml-type")
            exempt = list(L.exempt_categories)
        codes = []
        for c in exempt:
            code = CATEGORY_ALIASES.get(str(c).strip(), str(c).strip().lower())
            if code not in CATEGORIES:
                self.err("linkage.exempt_categories", f"{c!r} is not a category.", f"use {', '.join(CATEGORIES)} or their Chinese names.")
            else:
                codes.append(code)
        p["linkage"] = Linkage(self.number("linkage.penalty", L.penalty, 0, MAX_WEIGHT), self.number("linkage.bonus", L.bonus, 0, MAX_WEIGHT),
                               self.number("linkage.cut", L.cut, 0, 1), self.number("linkage.restrict_below", L.restrict_below, 0, 1),
                               self.boolean("linkage.restrict_on_overplan", L.restrict_on_overplan), tuple(codes),
                               self.number("linkage.stock_credit", L.stock_credit, 0, MAX_WEIGHT))
        p["key_projects_outside_budget"] = self.boolean("key_projects_outside_budget", True)
        date = self.get("idle_land.assessment_date", None)
        if isinstance(date, dt.datetime):  # a yaml timestamp, or an Excel date cell: the day is what counts
            date = date.date()
        elif date is not None and not isinstance(date, dt.date):
            parsed = _parse_date(str(date))
            if parsed is None:
                self.err("idle_land.assessment_date", f"{date!r} is not a date.", "write it as YYYY-MM-DD.", "yaml-type")
            date = parsed
        if date is not None and not MIN_YEAR <= date.year <= MAX_YEAR:
            self.err("idle_land.assessment_date", f"{date.isoformat()} is not a plausible date.",
                     f"write a date between {MIN_YEAR} and {MAX_YEAR}.")
            date = None
        p["assessment_date"] = date
        self.idle_penalties()
        self.factor_method()
        return p

    def factor_method(self) -> None:
        """``factor.weights`` / ``factor.unused`` (因素法 baseline); quota.solve.factor reads them."""
        from .options import FactorOptions

        d = FactorOptions()
        weights = [self.number(f"factor.weights.{k}", v, 0, MAX_WEIGHT) for k, v in d.weights]
        if not any(w > 0 for w in weights) and "factor" not in self.bad:
            self.err("factor.weights", "are all zero, so the city quota cannot be split among the counties.",
                     "give at least one factor a positive weight, e.g. `weights: {disposal: 1}`.")
        self.choice("factor.unused", d.unused, ("lapse", "pool"))

    def idle_penalties(self) -> None:
        """``idle_land.fee_rate`` / ``fee_years`` / ``reclaim_years`` (Order 53 Art. 14); quota.input.idle reads them."""
        from .idle import IdleLand

        d = IdleLand()
        self.number("idle_land.fee_rate", d.fee_rate, 0, 1)
        fee_years = self.number("idle_land.fee_years", d.fee_years, 1, MAX_YEAR - MIN_YEAR, integer=True)
        reclaim_years = self.number("idle_land.reclaim_years", d.reclaim_years, 1, MAX_YEAR - MIN_YEAR, integer=True)
        if reclaim_years <= fee_years:
            self.err("idle_land.reclaim_years", f"is {reclaim_years}, not more than fee_years {fee_years}; land is taken back only after the fee stage.",
                     f"write e.g. `reclaim_years: {fee_years + 1}`.")


# -------------------------------------------------------------- tables ----

_FULLWIDTH = {**{ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．，－＋"}, ord("\u2212"): ord("-")}
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}((,[0-9]{3})+|( [0-9]{3})+)(\.[0-9]+)?$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$|^[+-]?(nan|inf|infinity)$", re.IGNORECASE)


def _parse_table(table: RawTable, factor: float, issues: list[Issue]) -> tuple[pd.DataFrame, list[str]] | None:
    """The typed table and each row's key for messages (``line N`` when the key cell is empty).

    The keys are returned beside the frame, not in ``frame.attrs``: pandas deep-copies ``attrs`` into
    every frame derived from it, which made each derived frame cost a copy of every key."""
    spec = COLUMNS[table.name]
    frame = table.frame
    key_col = KEY_COLUMN[table.name]
    if not len(frame.columns):  # an empty file: reported as an empty table when the table is required
        return None
    missing = [c for c, (_, req) in spec.items() if req and c not in frame.columns]
    for c in missing:
        issues.append(Issue("missing-column", table.label, "", c, f"the required column {c!r} is missing.", _missing_column_hint(c, frame.columns)))
    if key_col in missing:  # rows without keys cannot be checked or referred to
        return None
    out = {}
    cells = {c: frame[c].tolist() for c in frame.columns}  # plain lists: iterating a pandas string column is slow
    keys = [k if k else f"line {table.line(i)}" for i, k in enumerate(cells[key_col])]
    if table.name == "dependencies":
        keys = [f"{k}→{r}" for k, r in zip(keys, cells.get("requires", [""] * len(keys)))]
    elif table.name in ("disposal", "history"):  # one row per county and year
        keys = [f"{k}/{y}" for k, y in zip(keys, cells.get("year", [""] * len(keys)))]
    elif table.name == "phases":
        keys = [f"{k}/{pl or '-'}/{ph}" for k, pl, ph in zip(keys, cells.get("plan", [""] * len(keys)), cells.get("phase", [""] * len(keys)))]
    if table.encoding == "xlsx":  # a sheet: name the row as the spreadsheet shows it (the header is row 1)
        keys = [f"{k} (sheet row {table.line(i)})" if not k.startswith("line ") else f"sheet row {table.line(i)}"
                for i, k in enumerate(keys)]
    for col, (kind, required) in spec.items():
        if col not in frame.columns:
            # an absent optional column means none; an absent required one is reported above,
            # and its cells are None so that later checks skip them instead of failing
            out[col] = [None] * len(frame)
            continue
        out[col] = _parse_column(table, col, cells[col], keys, kind, factor, issues)
    return pd.DataFrame(out, index=frame.index), keys


def _parse_column(table: RawTable, col: str, cells: list, keys: list[str], kind: str, factor: float, issues: list[Issue]) -> list:
    """``_parse_cell`` over one column. The cells that read without an issue (nearly all) are read in bulk, to the
    same values; the others go through ``_parse_cell`` in row order, so the issues and their order are the same too."""
    values = _read_clean(cells, kind, factor)
    slow = {i for i, v in enumerate(values) if v is _UNSEEN} | {i for i, c in table.formulas if c == col}
    for i in sorted(slow):
        if (i, col) in table.formulas:
            issues.append(Issue("formula-no-value", table.label, keys[i], col,
                                f"holds the formula {table.formulas[(i, col)]!r} and no saved result; quota reads the values "
                                "Excel saved and never evaluates a formula.",
                                "open and save the workbook in Excel (it saves each result), or paste the values (选择性粘贴 → 数值)."))
            values[i] = None
        else:
            values[i] = _parse_cell(cells[i], kind, factor, table.label, keys[i], col, issues)
    return values


_UNSEEN = object()


def _read_clean(cells: list, kind: str, factor: float) -> list:
    """What ``_parse_cell`` makes of each cell that it reads without an issue; ``_UNSEEN`` for the cells left to it.

    Texts are taken as they are when nothing is to be stripped; a plain decimal number (ASCII digits and at most
    one point) is read with ``float`` and checked on the whole column; any other text is read once per distinct text."""
    kind = kind.rstrip("?")
    if kind in ("id", "text", "ref", "plan"):  # isprintable: no control or format character (checked by _parse_cell)
        return [c if type(c) is str and c and c == c.strip() and c.isprintable() else _UNSEEN for c in cells]
    if kind not in ("area", "area+", "money", "count", "year", "phase"):  # few distinct texts: words and dates
        known = {}
        for c in dict.fromkeys(cells):
            probe: list[Issue] = []
            value = _parse_cell(c, kind, factor, "", "", "", probe)
            if not probe:
                known[c] = value
        return [known.get(c, _UNSEEN) for c in cells]
    numbers = np.array([float(c) if type(c) is str and c.isascii() and c.replace(".", "", 1).isdigit() else np.nan
                        for c in cells], dtype=float)  # digits with at most one point: _NUMBER reads them as float does
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isfinite(numbers)
        if kind in ("year", "phase"):
            ok &= numbers == np.trunc(numbers)
            ok &= (numbers >= MIN_YEAR) & (numbers <= MAX_YEAR) if kind == "year" else numbers >= 1
        elif kind.startswith("area"):
            ok &= (numbers * factor <= MAX_AREA_HA) & ((numbers == 0) | (numbers * factor >= MIN_AREA_HA))
            if kind == "area+":
                ok &= numbers != 0
        else:
            ok &= numbers <= (MAX_COUNT if kind == "count" else MAX_MONEY)
    numbers, ok = numbers.tolist(), ok.tolist()
    if kind in ("year", "phase"):
        return [int(v) if k else _UNSEEN for v, k in zip(numbers, ok)]
    if kind.startswith("area"):
        return [to_ha(v, factor) if k else _UNSEEN for v, k in zip(numbers, ok)]
    return [v if k else _UNSEEN for v, k in zip(numbers, ok)]


_UNIT_IN_NAME = re.compile(r"^(?P<name>.+?)\s*[(（\[【](?P<unit>[^)）\]】]*)[)）\]】]\s*$")


def _missing_column_hint(col: str, found) -> str:
    """How to add a missing column, naming a found column that is probably it (a unit in its name, a typo)."""
    for name in found:
        m = _UNIT_IN_NAME.match(str(name))
        if m and m.group("name").strip().lower().replace(" ", "_") == col:
            return (f"the column {name!r} looks like {col!r} with a unit in its name: rename it {col!r}. Areas are in the "
                    "scenario's unit, set once by `unit: ha` or `unit: mu` in scenario.yaml; money is in 万元.")
    normal = {str(n).strip().lower().replace(" ", "_").replace("-", "_"): n for n in found}
    close = difflib.get_close_matches(col, list(normal), n=1, cutoff=0.75)
    if close:
        return f"rename the column {normal[close[0]]!r} to {col!r} (the names must be written exactly as in the data contract)."
    return f"add a {col!r} column (the columns found are: {', '.join(map(str, found)) or 'none'})."


_UNIT_IN_VALUE = re.compile(r"^[+-]?[\d.,\s]+\s*(?P<unit>ha|hm2|hm²|公顷|mu|亩|万元|元|m2|㎡|平方米|km2|人|个|%)$", re.IGNORECASE)


def _not_a_number_hint(text: str, col: str) -> str:
    """Why a cell is not a number: a unit written in the cell, or an Excel formula, and what to write instead."""
    m = _UNIT_IN_VALUE.match(unicodedata.normalize("NFKC", text))
    if m:
        return (f"write the number alone, without {m.group('unit')!r}: areas are in the scenario's unit (`unit: ha` or "
                "`unit: mu` in scenario.yaml, one for the whole scenario), money in 万元, jobs as a count.")
    if text.startswith("="):
        return "this is an Excel formula; quota never evaluates formulas. Write the value itself."
    return f"write the {col} as a plain number."


def _parse_cell(cell: str, kind: str, factor: float, file: str, key: str, col: str, issues: list[Issue]):
    text = cell.strip() if isinstance(cell, str) else ("" if cell is None else str(cell))
    optional = kind.endswith("?")
    kind = kind.rstrip("?")

    def bad(message, hint, code="bad-value"):
        issues.append(Issue(code, file, key, col, message, hint))
        return None

    if text == "":
        if optional or kind in ("key_level", "lock", "plan"):
            return {"key_level": "none", "lock": "", "plan": ""}.get(kind)
        return bad("is empty; the model needs a value here and fills none in.", f"write the {col} for this row.", "empty-cell")
    if kind in ("id", "text", "ref", "plan"):
        ch = _bad_char(text, kind)
        if ch is None:
            return text
        if kind == "text":
            return bad(f"holds the control character {_code_point(ch)} (at position {text.index(ch) + 1}); it would garble "
                       "the report and the output tables.", "delete it (a line break or tab: write a space instead).", "bad-character")
        return bad(f"the id {text!r} holds the invisible character {_code_point(ch)} (at position {text.index(ch) + 1}); "
                   "an id that looks the same without it would be taken for another.",
                   "delete the character: retype the id in plain characters.", "bad-character")
    if kind in ("bool", "category", "key_level", "lock", "cause"):
        text = _normalise_word(text, file, key, col, issues)
    if kind == "bool":
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        return bad(f"{text!r} is not true or false.", "write true/false, 1/0, yes/no or 是/否.")
    if kind == "category":
        code = CATEGORY_ALIASES.get(text, text.lower())
        return code if code in CATEGORIES else bad(f"{text!r} is not a category.", f"use one of {', '.join(CATEGORIES)} (or 工业, 基础设施, 民生, 商服, 文旅, 住宅, 其他).")
    if kind == "key_level":
        return text.lower() if text.lower() in KEY_LEVELS else bad(f"{text!r} is not a key level.", f"use {', '.join(KEY_LEVELS)}, or leave it empty.")
    if kind == "lock":
        return text.lower() if text.lower() in ("in", "out") else bad(f"{text!r} is not a lock.", "write in, out, or leave it empty.")
    if kind == "cause":
        return text.lower() if text.lower() in ("enterprise", "government") else bad(f"{text!r} is not a cause of idling.", "write enterprise or government.")
    if kind == "date":
        date = _parse_date(text)
        if date is None:
            return bad(f"{text!r} is not a date.", "write it as YYYY-MM-DD.")
        if not MIN_YEAR <= date.year <= MAX_YEAR:
            return bad(f"{date.isoformat()} is not a plausible date.", f"write a date between {MIN_YEAR} and {MAX_YEAR}.")
        return date
    number = _parse_number(text, file, key, col, issues)
    if number is None:
        return bad(f"{text!r} is not a number.", _not_a_number_hint(text, col))
    if not math.isfinite(number):
        return bad(f"{text!r} is not a finite number.", f"write the {col} as a finite number.")
    if kind in ("year", "phase"):
        if number != int(number):
            return bad(f"{text!r} is not a whole number.", f"write the {col} as a whole number.")
        number = int(number)
        if kind == "year" and not MIN_YEAR <= number <= MAX_YEAR:
            return bad(f"{number} is not a plausible year.", f"write a year between {MIN_YEAR} and {MAX_YEAR}.")
        if kind == "phase" and number < 1:
            return bad(f"phase {number} is not allowed; phases count from 1.", "number the phases 1, 2, 3, ...")
        return number
    if number < 0:
        return bad(f"{number:g} is negative.", f"a {col} cannot be negative; correct the sign.")
    if kind == "area+" and number == 0:
        return bad("is zero; a project or phase must have a positive area.", "give the area, or remove the row.")
    if kind.startswith("area"):
        if number * factor > MAX_AREA_HA:
            return bad(f"{number:g} is absurdly large for an area.", "check the unit (ha or mu) and the digits.")
        if 0 < number * factor < MIN_AREA_HA:
            return bad(f"{number:g} is too small an area: below {MIN_AREA_HA:g} ha (0.01 m²) the solver cannot tell it from zero.",
                       "check the unit and the digits; write 0 for no area.")
        return to_ha(number, factor)
    if number > (MAX_COUNT if kind == "count" else MAX_MONEY):
        limit = f"{MAX_COUNT:g}" if kind == "count" else f"{MAX_MONEY:g} 万元"
        return bad(f"{number:g} is absurdly large (more than {limit}); numbers this large break the scaling of the objective.",
                   "check the digits and the unit (money is in 万元).")
    return number


def to_ha(value: float, factor: float) -> float:
    """Convert to hectares, held to 1e-9 ha so that the same land gives the same number in ha or mu."""
    return round(value * factor, 9)


def _parse_number(text: str, file: str, key: str, col: str, issues: list[Issue]) -> float | None:
    """A plain decimal number. Full-width digits and punctuation (１２３，．－) and thousands separators
    (1,200 or 1 200) are read with a warning; anything else, such as 1_000 or digits of other scripts, is not a number."""
    norm = unicodedata.normalize("NFKC", text).translate(_FULLWIDTH).strip()  # NFKC: full-width forms, no-break spaces
    if _THOUSANDS.match(norm):
        norm = norm.replace(",", "").replace(" ", "")
    if not _NUMBER.match(norm):
        return None
    value = float(norm)
    if norm != text:
        issues.append(Issue("normalised", file, key, col, f"{text!r} was read as {value:g}.",
                            "write plain ASCII digits to silence this warning.", "warning"))
    return value


def _normalise_word(text: str, file: str, key: str, col: str, issues: list[Issue]) -> str:
    """A code word with full-width letters (ｉｎ, ＴＲＵＥ) read as plain ASCII, with a warning."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if norm != text:
        issues.append(Issue("normalised", file, key, col, f"{text!r} was read as {norm!r}.",
                            "write plain ASCII letters to silence this warning.", "warning"))
    return norm


def _parse_date(text: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(text[:10] if fmt != "%Y年%m月%d日" else text, fmt).date()
        except ValueError:
            continue
    return None


def normal_id(text: str) -> str:
    """The form in which two ids are the same: NFKC (full-width and compatibility characters folded), with
    format characters (Unicode Cf: zero-width space, BOM, joiners) removed."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf")


def _code_point(ch: str) -> str:
    kind = "control character" if unicodedata.category(ch) == "Cc" else "unnamed character"
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '(' + kind + ')')}"


_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # reorder the text around them on screen


def _bad_char(text: str, kind: str) -> str | None:
    """The first character an id (invisible: Cc or Cf) or a text cell (control, or a bidirectional override) may not hold."""
    if text.isprintable():
        return None
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc" or (cat == "Cf" and (kind != "text" or ch in _BIDI)):
            return ch
    return None


def _check_collisions(raw: RawTable, values: list, col: str, issues: list[Issue], scope: list | None = None) -> None:
    """Ids written differently that are the same once normalised (``normal_id``), within one ``scope`` value
    (a plan within its project): an error naming both rows."""
    groups: dict = {}
    for i, v in enumerate(values):
        if isinstance(v, str):  # an empty or refused cell is None (or NaN in a frame): reported elsewhere
            groups.setdefault((scope[i] if scope else None, normal_id(v)), {}).setdefault(v, []).append(i)
    for (owner, norm), forms in groups.items():
        if len(forms) < 2:
            continue
        shown = " and ".join(f"{f!r} (line{'s' if len(rows) > 1 else ''} {', '.join(str(raw.line(i)) for i in rows[:5])})"
                             for f, rows in forms.items())
        issues.append(Issue("duplicate-id", raw.label, f"{owner}/{norm}" if owner else norm, col,
                            f"{shown} are written differently but are the same {col} once full-width, compatibility and "
                            f"invisible characters are normalised ({norm!r}); quota would take them for two.",
                            f"write each {col} one way only, in plain characters."))


def _check_unique(raw: RawTable, parsed: pd.DataFrame, col: str, issues: list[Issue]) -> None:
    if parsed is None or col not in parsed:
        return
    _check_collisions(raw, parsed[col].tolist(), col, issues)
    counts = parsed[col].dropna().value_counts()
    for value in counts[counts > 1].index:
        rows = [i for i, v in enumerate(parsed[col]) if v == value]
        lines = ", ".join(str(raw.line(i)) for i in rows)
        if len({tuple(raw.frame.iloc[i]) for i in rows}) == 1:
            issues.append(Issue("duplicate-id", raw.label, value, col, f"the row of {value!r} is repeated: {counts[value]} identical rows (lines {lines}).",
                                "delete the repeated rows, keeping one."))
        else:
            issues.append(Issue("duplicate-id", raw.label, value, col, f"the id {value!r} appears {counts[value]} times (lines {lines}) "
                                "with different values.", "give every row its own id, or remove the rows that are wrong."))


def _check_refs(raw: RawTable, parsed: pd.DataFrame, keys: list[str], col: str, target: pd.DataFrame, target_name: str,
                issues: list[Issue], target_col: str | None = None, target_raw: RawTable | None = None) -> None:
    target_col = target_col or col
    if parsed is None or target is None or col not in parsed or target_col not in target:
        return
    known = set(target[target_col].dropna().tolist())
    normal = None
    for key, value in zip(keys, parsed[col].tolist()):
        if isinstance(value, str) and value not in known:  # an empty or refused cell is None or NaN: reported already
            if normal is None:
                normal = {normal_id(v): v for v in known}
            if normal_id(value) in normal:
                same = normal[normal_id(value)]
                issues.append(Issue("id-mismatch", raw.label, key, col,
                                    f"{value!r} is written differently from {same!r} in the {target_name} table"
                                    f"{f' ({target_raw.label})' if target_raw is not None else ''}: they are the same id once "
                                    "full-width, compatibility and invisible characters are normalised, but a join would not match them.",
                                    f"write it exactly as in the {target_name} table: {same!r}."))
                continue
            issues.append(Issue("unknown-ref", raw.label, key, col, f"{value!r} is not in the {target_name} table; the row would be lost in a join.",
                                f"add {value!r} to {target_name}, or correct the id."))


def _area_text(ha: float, params: dict) -> str:
    """An area for a message, in the scenario's unit: the number the user wrote."""
    unit = params.get("unit", "ha")
    return f"{ha * (MU_PER_HA if unit == 'mu' else 1.0):g} {unit}"


def _check_projects(raw: RawTable, projects: pd.DataFrame, keys: list[str], params: dict, issues: list[Issue]) -> None:
    if projects is None or "area" not in projects or "farmland_area" not in projects:
        return
    for key, a, f in zip(keys, projects["area"], projects["farmland_area"]):
        if a is not None and f is not None and f > a * (1 + 1e-9):
            issues.append(Issue("farmland-exceeds-area", raw.label, key, "farmland_area",
                                f"farmland {_area_text(f, params)} is larger than the project's area {_area_text(a, params)}.", "farmland is part of the area; correct one of them."))


def _build_phases(raw: RawTable | None, phases: pd.DataFrame | None, keys: list[str] | None, projects: pd.DataFrame, params: dict,
                  issues: list[Issue]) -> pd.DataFrame:
    cols = ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]
    base = projects.dropna(subset=["project_id"])[["project_id", "area", "farmland_area", "earliest_year"]].copy() if projects is not None and "project_id" in projects else pd.DataFrame(columns=cols)
    if phases is None or len(phases) == 0:
        phases = pd.DataFrame(columns=cols)
    else:
        _check_refs(raw, phases, keys, "project_id", projects, "projects", issues)
        _check_collisions(raw, phases["plan"].tolist(), "plan", issues, scope=phases["project_id"].tolist())
        phases = phases.assign(_key=keys)
        for key, a, f in zip(keys, phases["area"], phases["farmland_area"]):
            if a is not None and f is not None and f > a * (1 + 1e-9):
                issues.append(Issue("farmland-exceeds-area", raw.label, key, "farmland_area", f"phase farmland {_area_text(f, params)} exceeds the phase area {_area_text(a, params)}.",
                                    "correct the phase's farmland or area."))
        dup = phases.duplicated(["project_id", "plan", "phase"], keep=False)
        for key in phases.loc[dup, "_key"].unique():
            issues.append(Issue("duplicate-id", raw.label, key, "phase", "this project, plan and phase appear more than once.", "keep one row per phase."))
        proj = base.drop_duplicates("project_id").set_index("project_id")  # duplicates are reported elsewhere
        valid = phases.dropna(subset=["project_id", "phase"])
        for g in _suspect_plans(valid, proj):
            _check_plan(raw, g, proj, params, issues)
        phases = phases.drop(columns="_key")
    unphased = base[~base["project_id"].isin(set(phases["project_id"].tolist()))].assign(plan="", phase=1)
    full = pd.concat([phases[cols], unphased[cols]], ignore_index=True)
    full = full.dropna(subset=["project_id", "phase"])
    full["phase"] = full["phase"].astype(int)
    return full.sort_values(["project_id", "plan", "phase"]).reset_index(drop=True)


def _suspect_plans(phases: pd.DataFrame, proj: pd.DataFrame):
    """The rows of each plan (project, plan) that ``_check_plan`` might find fault with, in the order the plans
    first appear. The tests run on whole columns and are looser than ``_check_plan``'s, so no faulty plan is
    missed; the few plans they let through are checked one by one, with the exact messages."""
    gid = phases.groupby(["project_id", "plan"], sort=False).ngroup().to_numpy()  # -1: no plan (no plan column)

    def number(frame, col):
        return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=float("nan"))

    phase, area, early = number(phases, "phase"), number(phases, "area"), number(phases, "earliest_year")
    owner = proj.reindex(phases["project_id"])
    parea, pearly = number(owner, "area"), number(owner, "earliest_year")
    rows = pd.DataFrame({"gid": gid, "phase": phase, "area": area, "nan_area": pd.isna(area),
                         "early": (phase == 1) & (early < pearly)})[gid >= 0]
    by = rows.groupby("gid", sort=True)
    size, total = by.size(), by["area"].sum()
    plan_area = pd.Series(parea[gid >= 0]).groupby(rows["gid"].to_numpy()).first()
    numbering_ok = (by["phase"].min() == 1) & (by["phase"].max() == size) & (by["phase"].nunique() == size)
    sum_ok = ~((total - plan_area).abs() > 0.5e-6 * plan_area.abs().clip(lower=1e-9)) & ~by["nan_area"].any()
    suspect = (~numbering_ok | ~sum_ok | by["early"].any()).to_numpy()
    order = np.argsort(gid, kind="stable")
    starts = np.searchsorted(gid[order], by.size().index.to_numpy())
    ends = np.append(starts[1:], len(order))
    for k in np.flatnonzero(suspect):
        yield phases.iloc[order[starts[k]:ends[k]]]


def _check_plan(raw: RawTable, g: pd.DataFrame, proj: pd.DataFrame, params: dict, issues: list[Issue]) -> None:
    """One plan's phases: numbered 1..K, adding up to the project's area, phase 1 not before the project."""
    pid, plan = g["project_id"].iloc[0], g["plan"].iloc[0]
    if pid not in proj.index:
        return
    label = f"{pid}/{plan or '-'}"
    numbers = sorted(g["phase"])
    if numbers != list(range(1, len(numbers) + 1)):
        issues.append(Issue("phase-numbering", raw.label, label, "phase", f"the phases are numbered {numbers}; they must run 1..K without gaps.",
                            "renumber the phases 1, 2, 3, ..."))
    total, area = g["area"].sum(min_count=len(g)), proj.at[pid, "area"]
    if pd.notna(total) and area is not None and abs(total - area) > 1e-6 * max(abs(area), 1e-9):
        issues.append(Issue("phase-sum", raw.label, label, "area", f"the phase areas add up to {_area_text(total, params)} but the project's area is {_area_text(area, params)}.",
                            "make the phases of each plan add up to the project's area."))
    first = g.loc[g["phase"] == 1, "earliest_year"]
    e = proj.at[pid, "earliest_year"]
    if len(first) and first.iloc[0] is not None and e is not None and first.iloc[0] < e:
        issues.append(Issue("phase-before-project", raw.label, f"{label}/1", "earliest_year",
                            f"phase 1 may start in {first.iloc[0]}, before the project's earliest year {e}.",
                            "phase 1 cannot come before the project itself; correct either year."))


def _check_dependencies(raw: RawTable, deps: pd.DataFrame, keys: list[str], projects: pd.DataFrame, issues: list[Issue]) -> None:
    for col in ("project_id", "requires"):
        _check_refs(raw, deps, keys, col, projects, "projects", issues, target_col="project_id")
    graph = nx.DiGraph()
    for key, p, q in zip(keys, deps["project_id"].tolist(), deps["requires"].tolist()):
        if not isinstance(p, str) or not isinstance(q, str):  # a cell already refused (missing or unreadable id)
            continue
        if graph.has_edge(p, q):
            issues.append(Issue("duplicate-row", raw.label, key, "requires", f"{p} requires {q} on more than one row; the repeats change nothing.",
                                "delete the repeated rows.", "warning"))
            continue
        if p == q:
            issues.append(Issue("dependency-self", raw.label, key, "requires", f"{p} requires itself.", "remove the row."))
            continue
        graph.add_edge(p, q)
    for cycle in ([] if nx.is_directed_acyclic_graph(graph) else nx.simple_cycles(graph)):
        path = " → ".join(map(str, cycle + [cycle[0]]))
        issues.append(Issue("dependency-cycle", raw.label, cycle[0], "requires", f"the dependencies form a cycle: {path}; none of these projects could come first.",
                            "remove one dependency of the cycle."))


def _check_parcels_match(raw: RawScenario, parcels: pd.DataFrame, counties: pd.DataFrame, params: dict, issues: list[Issue]) -> None:
    if counties is None or "idle_stock" not in counties or parcels is None:
        return
    sums = parcels.dropna(subset=["county_id", "area"]).groupby("county_id")["area"].sum()
    stock = counties.dropna(subset=["county_id"]).drop_duplicates("county_id").set_index("county_id")["idle_stock"]  # duplicates are reported elsewhere
    f = 15.0 if params.get("unit") == "mu" else 1.0
    unit = params.get("unit", "ha")
    for cid, total in sums.items():
        if cid in stock.index and stock[cid] is not None and abs(stock[cid] - total) > 1e-6 * max(total, 1e-9) + 1e-9:
            issues.append(Issue("idle-mismatch", raw.tables["counties"].label, cid, "idle_stock",
                                f"idle_stock is {stock[cid] * f:g} {unit}, but the county's parcels in {raw.tables['idle_parcels'].label} add up to {total * f:g} {unit}.",
                                "make the county's idle_stock equal the sum of its idle parcels, or correct the parcels."))


def _exclusion_text(row) -> str:
    if row["exclusion"] == "dependency":
        return f"it requires {row['exclusion_via']} (directly or through a chain), which is excluded"
    return {"not_ready": "it is not ready", "lock_out": "it is locked out"}.get(row["exclusion"], row["exclusion"])


def _check_locks(s: Scenario, raw: RawScenario, issues: list[Issue]) -> None:
    from .eligibility import eval_eligibility  # the one definition of exclusion

    label = raw.tables["projects"].label
    elig = eval_eligibility(s)
    first = s.phases[s.phases["phase"] == 1].groupby("project_id", sort=False)["earliest_year"].min()
    for pid, ready in s.projects.loc[s.projects["lock"] == "in", "ready"].items():
        if not ready:
            issues.append(Issue("lock-not-ready", label, pid, "lock", "is locked in but not ready; only ready projects can be approved.",
                                "set ready to true, or clear the lock."))
        elif elig.at[pid, "excluded"]:
            issues.append(Issue("lock-excluded", label, pid, "lock", f"is locked in but excluded: {_exclusion_text(elig.loc[pid])}.",
                                "clear the lock, or make the required projects eligible."))
        elif first[pid] > s.last_year:
            issues.append(Issue("lock-beyond-horizon", label, pid, "lock", f"is locked in but its first phase cannot start before {first[pid]}, after the horizon ends in {s.last_year}.",
                                "clear the lock, or bring the earliest year into the horizon."))
    if s.key_projects_outside_budget:
        plans = s.phases.groupby("project_id", sort=False)["plan"].nunique()
        higher = plans.reindex(s.projects.index[s.projects["key_level"].isin(HIGHER_LEVELS)])  # NaN (no phases): one plan
        for pid in higher.index[higher > 1]:
            issues.append(Issue("higher-level-plans", raw.tables.get("phases", raw.tables["projects"]).label, pid, "plan",
                                "a provincial or national key project is placed by the higher level and must have exactly one plan.",
                                "keep one plan for this project."))
