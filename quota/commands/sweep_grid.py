"""The grid of a sweep: ``read_grid`` (the swept keys and values of ``--set`` and ``--grid``), its
``Point``s (every combination, each with a stable folder name) and ``check_points`` (every point's scenario
is valid before any is solved). ``quota.commands.sweep`` describes the whole sweep.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Issue, QuotaError, ScenarioError
from ..input.yamlfile import load_yaml_text, read_yaml_file
from ..input.variants import Override, check_key

SAFE = re.compile(r"[^A-Za-z0-9._=+-]")
MAX_NAME = 120


def parse_values(key: str, text: str) -> list:
    """``"0,0.5,1"`` → [0, 0.5, 1]: the values of one ``--set`` of a sweep, read as a YAML list."""
    values = load_yaml_text(f"[{text}]", f"--set {key}={text}", key, "input.yaml-syntax.set_list")
    if not values:
        raise ScenarioError([Issue.of("scenario.bad-set.empty", f"--set {key}={text}", key, key)])
    return values


def read_grid(sets: list[str] = (), grid_file: str | Path | None = None) -> dict[str, list]:
    """The swept keys and their values, from ``--grid`` (first) and ``--set`` (after); every key checked."""
    grid: dict[str, list] = {}
    issues: list[Issue] = []
    if grid_file is not None:
        path = Path(grid_file)
        data = read_yaml_file(path)
        if not isinstance(data, dict):
            raise ScenarioError([Issue.of("scenario.grid", path.name, "", "")])
        for key, values in data.items():
            grid[str(key)] = values if isinstance(values, list) and values else [values]
    for item in sets:
        key, eq, text = str(item).partition("=")
        key = key.strip()
        if not eq or not key:
            issues.append(Issue.of("scenario.bad-set.sweep", f"--set {item}", "", ""))
            continue
        if key in grid:
            issues.append(Issue.of("scenario.bad-set.twice", f"--set {item}", key, key))
            continue
        grid[key] = parse_values(key, text)
    for key in grid:
        problem = check_key(key)
        if problem is not None:
            source = "--grid" if grid_file is not None and key not in {str(s).partition("=")[0].strip() for s in sets} else "--set"
            issues.append(Issue.of(problem[0], source, key, key, fix="scenario.unknown-key.set", **problem[1]))
    if issues:
        raise ScenarioError(issues)
    if not grid:
        raise QuotaError.of("error.sweep.nothing")
    return grid


def value_text(value) -> str:
    """A value as YAML flow text: what ``--set key=<text>`` would say."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Point:
    values: tuple[tuple[str, object], ...]  # (key, value) in grid order

    @property
    def overrides(self) -> list[Override]:
        return [Override(k, v, f"{k}={value_text(v)}") for k, v in self.values]

    @property
    def name(self) -> str:
        """A folder name made from the values alone: the same point has the same folder in every sweep."""
        plain = "__".join(f"{k}={value_text(v)}" for k, v in self.values)
        safe = SAFE.sub("_", plain)
        if safe != plain or len(safe) > MAX_NAME:
            digest = hashlib.sha1(json.dumps(self.values, ensure_ascii=False, default=str).encode()).hexdigest()[:8]
            safe = f"{safe[:MAX_NAME]}-{digest}"
        return safe


def grid_points(grid: dict[str, list]) -> list[Point]:
    keys = list(grid)
    return [Point(tuple(zip(keys, combo))) for combo in itertools.product(*(grid[k] for k in keys))]


def check_points(scenario: str, points: list[Point], raw=None) -> None:
    """Every point's scenario is valid, before any is solved; else one ``ScenarioError`` listing every problem."""
    from ..input.read import read_raw
    from ..input.variants import validate_variant

    issues: list[Issue] = []
    raw = raw if raw is not None else read_raw(scenario)
    for p in points:
        try:
            validate_variant(raw, p.overrides)
        except ScenarioError as e:
            issues += [i for i in e.issues if i not in issues]
    if issues:
        raise ScenarioError(issues)
