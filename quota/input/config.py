"""Config: the keys of ``scenario.yaml`` (or a workbook's ``scenario`` sheet) → typed options (``Config.parse``).

Every key is checked against ``CONFIG_KEYS`` / ``SUB_KEYS`` (an unknown key is an error naming the keys
allowed there), and every value against its type and range (``MAX_WEIGHT`` for weights, bonuses, penalties and
costs); a bad value is an error naming the key and, in a workbook, its sheet row. ``parse`` gives the options that
``quota.input.validate`` puts into the ``Scenario``, as the frozen dataclasses of ``quota.input.scenario`` and
``quota.input.options``: nothing later reads the raw yaml again.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import fields

from ..errors import Issue
from .cells import MAX_AREA_HA, MAX_YEAR, MIN_AREA_HA, MIN_YEAR, code_point, parse_date
from .idle_rules import FEE_RATE_CAP
from .options import FactorOptions, IdleLand
from .rule_options import SECTIONS
from ..spatial.options import SUB_KEYS as SPATIAL_KEYS
from .scenario import CATEGORIES, CATEGORY_ALIASES, KEY_LEVELS, MU_PER_HA, Advance, Linkage, Phasing, Scoring

MAX_WEIGHT = 1.0e6  # a weight, bonus, penalty or cost in scenario.yaml: larger ones swamp every other term of the objective

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
CONFIG_KEYS.add("spatial")  # maps and the spatial checks (quota.spatial.options)
SUB_KEYS.update(SPATIAL_KEYS)


def _finite(value: int | float) -> bool:
    """``math.isfinite`` that says False, instead of raising, for an int too large for a float."""
    try:
        return math.isfinite(value) and abs(value) < 1e300
    except OverflowError:
        return False


class Config:
    """The keys of one scenario.yaml (or a workbook's scenario sheet), each checked and typed by ``parse``; every
    problem is added to ``issues``, and the top-level keys with a problem are kept in ``bad``."""

    def __init__(self, data: dict, file: str, issues: list[Issue], rows: dict[str, int] | None = None):
        self.data, self.file, self.issues, self.bad = data, file, issues, set()
        self.rows = rows or {}  # a workbook's scenario sheet: the row of each key (or of the map holding it)
        self.factor = 1.0  # hectares per unit of the file, known once `unit` is read

    def err(self, key: str, entry: str, **fields):
        """An issue at ``key``: the catalogue's entry ``entry`` (``config.<code>.<variant>``), with ``key``, ``name``
        (its last part) and ``fields`` filled in."""
        self.bad.add(key.split(".")[0])
        parts = key.split(".")
        row = next((self.rows[k] for k in (".".join(parts[:n]) for n in range(len(parts), 0, -1)) if k in self.rows), None)
        self.issues.append(Issue.of(entry, self.file, key if row is None else f"{key} (sheet row {row})", key,
                                    key=key, name=parts[-1], **fields))

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
            self.err(key, "config.yaml-type.whole" if integer else "config.yaml-type.number", value=repr(value), default=default)
            return default
        if (lo is not None and (value < lo or (lo_open and value == lo))) or (hi is not None and value > hi):
            rng = f"{'(' if lo_open else '['}{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}]"
            self.err(key, "config.yaml-value.range", range=rng, value=repr(value))
            return default
        return int(value) if integer else float(value)

    def text(self, key, default, multiline=False):
        """A string key (``name``, ``description``): a number, list or mapping is refused, as is a control character
        (line breaks and tabs are allowed in a ``multiline`` one)."""
        value = self.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.err(key, "config.yaml-type.text", type=type(value).__name__, value=repr(value))
            return default
        bad = next((ch for ch in value if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t")), None)
        if bad is not None:
            self.err(key, "config.bad-character", fix="config.bad-character.fix_" + ("multiline" if multiline else "line"),
                     char=code_point(bad))
            return default
        return value

    def boolean(self, key, default):
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.err(key, "config.yaml-type.bool", value=repr(value))
            return default
        return value

    def choice(self, key, default, options):
        value = self.get(key, default)
        if value not in options:
            self.err(key, "config.yaml-value.choice", options=", ".join(options), value=repr(value))
            return default
        return value

    def mapping_keys(self):
        for key, allowed in [("", CONFIG_KEYS)] + [(k, v) for k, v in SUB_KEYS.items()]:
            node = self.data if key == "" else self.get(key, {})
            if not isinstance(node, dict):
                self.err(key, "config.yaml-type.mapping", type=type(node).__name__)
                continue
            for k in node:
                if k not in allowed:
                    close = [a for a in allowed if a.lower() == str(k).lower() or a.startswith(str(k)[:4])]
                    full = f"{key}.{k}" if key else str(k)
                    self.err(full, "config.unknown-key", fix="config.unknown-key.fix_close" if close else None,
                             close=repr(close[0]) if close else "", keys=", ".join(sorted(allowed)))

    def year_map(self, key, years, required):
        value = self.get(key, None)
        if value is None:
            if required:
                self.err(key, "config.missing-key.quota", year=years[0] if years else 2023)
            return None
        if not isinstance(value, dict):
            self.err(key, "config.yaml-type.year_map")
            return None
        out = {}
        for k, v in value.items():
            try:
                year = int(str(k).strip())
            except ValueError:
                self.err(f"{key}.{k}", "config.yaml-type.year_key")
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v) or v < 0:
                self.err(f"{key}.{year}", "config.yaml-type.area", value=repr(v))
                continue
            if v * self.factor > MAX_AREA_HA or 0 < v * self.factor < MIN_AREA_HA:
                self.err(f"{key}.{year}", "config.yaml-value.area", value=repr(v), lo=f"{MIN_AREA_HA:g}", hi=f"{MAX_AREA_HA:g}")
                continue
            out[year] = float(v)
        for y in years:
            if y not in out and f"{key}.{y}" not in {i.row for i in self.issues}:
                self.err(f"{key}.{y}", "config.missing-year", year=y, map=key)
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
            self.err("years", "config.yaml-type.years" if years is not None else "config.missing-key.years", value=repr(years))
            years = []
        elif any(b != a + 1 for a, b in zip(years, years[1:])):
            self.err("years", "config.yaml-value.years_gap", value=years)
            years = []
        elif not all(MIN_YEAR <= y <= MAX_YEAR for y in years):
            self.err("years", "config.yaml-value.years_range", value=years, lo=MIN_YEAR, hi=MAX_YEAR)
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
            self.err("linkage.exempt_categories", "config.yaml-type.categories", value=repr(exempt))
            exempt = list(L.exempt_categories)
        codes = []
        for c in exempt:
            code = CATEGORY_ALIASES.get(str(c).strip(), str(c).strip().lower())
            if code not in CATEGORIES:
                self.err("linkage.exempt_categories", "config.yaml-value.category", value=repr(c), known=", ".join(CATEGORIES))
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
            parsed = parse_date(str(date))
            if parsed is None:
                self.err("idle_land.assessment_date", "config.yaml-type.date", value=repr(date))
            date = parsed
        if date is not None and not MIN_YEAR <= date.year <= MAX_YEAR:
            self.err("idle_land.assessment_date", "config.yaml-value.date", value=date.isoformat(), lo=MIN_YEAR, hi=MAX_YEAR)
            date = None
        p["assessment_date"] = date
        p["idle_land"] = self.idle_penalties(date)
        p["factor"] = self.factor_method()
        return p

    def factor_method(self) -> FactorOptions:
        """``factor.weights`` / ``factor.unused`` (因素法 baseline), for quota.solve.factor."""
        d = FactorOptions()
        weights = [self.number(f"factor.weights.{k}", v, 0, MAX_WEIGHT) for k, v in d.weights]
        if not any(w > 0 for w in weights) and "factor" not in self.bad:
            self.err("factor.weights", "config.yaml-value.factor_zero")
        unused = self.choice("factor.unused", d.unused, ("lapse", "pool"))
        return FactorOptions(tuple((k, w) for (k, _), w in zip(d.weights, weights)), unused)

    def idle_penalties(self, date: dt.date | None) -> IdleLand:
        """``idle_land.fee_rate`` / ``fee_years`` / ``reclaim_years`` (Order 53 Art. 14), for quota.input.idle."""
        d = IdleLand()
        fee_rate = self.number("idle_land.fee_rate", d.fee_rate, 0, 1)
        if fee_rate > FEE_RATE_CAP:
            self.err("idle_land.fee_rate", "config.yaml-value.fee_cap", value=f"{fee_rate:g}", cap=f"{FEE_RATE_CAP:g}")
            fee_rate = d.fee_rate
        fee_years = self.number("idle_land.fee_years", d.fee_years, 1, MAX_YEAR - MIN_YEAR, integer=True)
        reclaim_years = self.number("idle_land.reclaim_years", d.reclaim_years, 1, MAX_YEAR - MIN_YEAR, integer=True)
        if reclaim_years <= fee_years:
            self.err("idle_land.reclaim_years", "config.yaml-value.reclaim", value=reclaim_years, fee_years=fee_years,
                     next=fee_years + 1)
        return IdleLand(date, fee_rate, fee_years, reclaim_years)
