"""Scenario variants from the command line: ``quota run --set key.path=value``.

    read_raw(path) ──▶ apply_overrides(config, sets) ──▶ validate ──▶ Scenario      (``load_variant``)

A ``--set`` changes one key of the merged yaml (after ``extends``), exactly as a variant file
that ``extends`` the scenario and names that key would:

- ``KEY.PATH`` names a scenario key, nested with dots: ``linkage.penalty``, ``advance.max_share``,
  ``scoring.weights.jobs_intensity``, ``quota.2024``, ``factor.weights.disposal``. A path that is
  not a scenario key is an error that names it; ``tables`` and ``extends`` cannot be set (write a
  variant yaml with ``extends:`` instead, so that table paths resolve against its folder).
- ``VALUE`` is read as YAML, as scenario files are (``quota.input.yamlfile.load_yaml_text``): ``2``, ``0.5``, ``1e9``,
  ``true``, ``[livelihood]``, ``{2023: 500, 2024: 520}``.
  A value of the wrong type is reported by the normal validation, naming the key and the ``--set``.
- Derived keys, for sweeps: ``quota.scale=0.9`` multiplies every year's quota,
  ``farmland_quota.scale=1.1`` every year's farmland quota. They apply after the plain keys, so
  ``--set quota.2024=600 --set quota.scale=0.9`` gives 540 in 2024 whatever the order.
- A key set twice takes the last value.

``overrides_applied`` gives what a run records in its manifest (so ``quota audit`` can recompute
the run): each key set, with its final value, a scaled quota as its scaled years.
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ..errors import Issue, ScenarioError
from .read import RawScenario, read_raw
from .yamlfile import load_yaml_text
from .scenario import Scenario

DERIVED = ("quota.scale", "farmland_quota.scale")
YEAR_MAPS = ("quota", "farmland_quota")
NOT_SETTABLE = ("tables", "extends")  # why not: scenario.unknown-key.not_settable_<key> in the catalogue


@dataclass(frozen=True)
class Override:
    key: str  # "linkage.penalty"
    value: object  # parsed by quota.input.yamlfile.load_yaml_text
    text: str  # as typed: "linkage.penalty=2"

    @property
    def where(self) -> str:
        return f"--set {self.text}"


def parse_set(text: str) -> Override:
    """``"linkage.penalty=2"`` → Override; a malformed one is a ``ScenarioError`` naming it."""
    key, eq, raw = str(text).partition("=")
    key = key.strip()
    if not eq or not key or any(not part for part in key.split(".")):
        raise ScenarioError([Issue.of("scenario.bad-set", f"--set {text}", "", "")])
    value = load_yaml_text(raw, f"--set {text}", key, "input.yaml-syntax.set_value") if raw.strip() else None
    return Override(key, value, str(text))


def parse_sets(sets: Iterable[str | Override]) -> list[Override]:
    out, issues = [], []
    for item in sets:
        try:
            out.append(item if isinstance(item, Override) else parse_set(item))
        except ScenarioError as e:
            issues += e.issues
    if issues:
        raise ScenarioError(issues)
    return out


def check_key(key: str) -> tuple[str, dict] | None:
    """None when ``key`` is a scenario key that may be set, else what is wrong with it: a catalogue entry
    (``scenario.unknown-key.*``) and its fields."""
    from .config import CONFIG_KEYS, SUB_KEYS

    parts = key.split(".")
    top = parts[0]
    if top in NOT_SETTABLE:
        return f"scenario.unknown-key.not_settable_{top}", {}
    if top not in CONFIG_KEYS:
        return "scenario.unknown-key.top", {"keys": ", ".join(sorted(CONFIG_KEYS - set(NOT_SETTABLE)))}
    if top in YEAR_MAPS:
        if len(parts) == 1 or (len(parts) == 2 and (parts[1] == "scale" or _is_year(parts[1]))):
            return None
        return "scenario.unknown-key.year_map", {"top": top}
    prefix = top
    for part in parts[1:]:
        allowed = SUB_KEYS.get(prefix)
        if allowed is None:
            return "scenario.unknown-key.single", {"prefix": prefix}
        if part not in allowed:
            return "scenario.unknown-key.under", {"prefix": prefix, "keys": ", ".join(sorted(allowed))}
        prefix = f"{prefix}.{part}"
    return None


def apply_overrides(config: dict, sets: Iterable[str | Override]) -> dict:
    """A copy of the merged yaml ``config`` with every ``--set`` applied (plain keys first, then scales)."""
    overrides = parse_sets(sets)
    issues = [Issue.of(problem[0], o.where, o.key, o.key, fix="scenario.unknown-key.set", **problem[1])
              for o in overrides if (problem := check_key(o.key)) is not None]
    if issues:
        raise ScenarioError(issues, lang=config.get("lang"))
    out = copy.deepcopy(config)
    for o in overrides:
        if o.key not in DERIVED:
            _set_path(out, o.key.split("."), o.value)
    for o in overrides:
        if o.key in DERIVED:
            issues += _scale(out, o)
    if issues:
        raise ScenarioError(issues, lang=config.get("lang"))
    return out


def overrides_applied(config: dict, sets: Iterable[str | Override]) -> dict:
    """The keys that ``sets`` change, nested, with their final values in ``config`` (already overridden)."""
    out: dict = {}
    for o in parse_sets(sets):
        parts = o.key.split(".")[:1] if o.key in DERIVED else o.key.split(".")
        node, target = config, out
        for part in parts[:-1]:
            k = _match(node, part)
            node = node.get(k, {}) if isinstance(node, dict) else {}
            target = target.setdefault(k, {})
        k = _match(node, parts[-1]) if isinstance(node, dict) else parts[-1]
        target[k] = copy.deepcopy(node.get(k)) if isinstance(node, dict) else None
    return out


def load_variant(path: str | Path, sets: Iterable[str | Override] = ()) -> Scenario:
    """Read a scenario, apply ``--set`` overrides to its merged yaml, then validate it.

    A validation problem at a key that a ``--set`` changed names that ``--set`` as its file."""
    return validate_variant(read_raw(path), sets)


def validate_variant(raw: RawScenario, sets: Iterable[str | Override] = ()) -> Scenario:
    """``validate`` a copy of ``raw`` with ``sets`` applied (``raw`` is left as it was)."""
    from .validate import validate

    overrides = parse_sets(sets)
    raw = copy.deepcopy(raw)
    if not overrides:
        return validate(raw)
    raw.config = apply_overrides(raw.config, overrides)
    try:
        return validate(raw)
    except ScenarioError as e:
        raise ScenarioError([_blame(i, overrides) for i in e.issues], lang=e.lang) from None


# ------------------------------------------------------------- helpers ----

def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4


def _match(node: dict, part: str):
    """The key of ``node`` that ``part`` means: an existing key whose text is ``part`` (yaml years are ints)."""
    for k in node:
        if str(k) == part:
            return k
    return int(part) if _is_year(part) else part


def _set_path(config: dict, parts: list[str], value) -> None:
    node = config
    for part in parts[:-1]:
        k = _match(node, part)
        if not isinstance(node.get(k), dict):
            node[k] = {}
        node = node[k]
    node[_match(node, parts[-1])] = value


def _scale(config: dict, o: Override) -> list[Issue]:
    top = o.key.split(".")[0]
    v = o.value
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        return [Issue.of("scenario.yaml-type.scale", o.where, o.key, o.key, value=repr(v), key=o.key, top=top)]
    mapping = config.get(top)
    if not isinstance(mapping, dict):
        return [Issue.of("scenario.yaml-type.scale_" + ("none" if mapping is None else "not_map"), o.where, o.key, o.key,
                         fix="scenario.yaml-type.scale_none.hint", top=top)]
    config[top] = {y: (a * v if isinstance(a, (int, float)) and not isinstance(a, bool) else a) for y, a in mapping.items()}
    return []


def _blame(issue: Issue, overrides: list[Override]) -> Issue:
    """Name the ``--set`` behind a validation problem at a key it changed."""
    row = str(issue.row)
    for o in reversed(overrides):
        key = o.key.split(".")[0] if o.key in DERIVED else o.key
        if row == key or row.startswith(key + ".") or key.startswith(row + "."):
            return replace(issue, file=o.where, hint=_as_set(issue.hint, o), hint_zh=_as_set(issue.hint_zh, o))
    return issue


_YAML_HINT = re.compile(r"`([A-Za-z_][\w.]*): ([^`]+)`")


def _as_set(hint: str, o: Override) -> str:
    """A fix hint written for scenario.yaml (`penalty: 1.0`) rewritten as the ``--set`` that would make it
    (`--set linkage.penalty=1.0`), for a problem that came from a ``--set``."""
    def one(m):
        name, value = m.group(1), m.group(2).strip()
        if o.key in DERIVED or not (o.key == name or o.key.endswith("." + name)):
            return m.group(0)
        arg = f"{o.key}={value}"
        return f"`--set {arg}`" if re.fullmatch(r"[\w.=+-]+", arg) else f"`--set '{arg}'`"
    return _YAML_HINT.sub(one, hint)
