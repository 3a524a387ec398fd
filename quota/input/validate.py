"""Validate: raw tables and yaml → a typed ``Scenario``, or ``ScenarioError`` listing every problem (``load``, ``validate``).

The steps, each in its own module: ``quota.input.read`` reads the files as text; ``quota.input.config`` checks and
types every key of scenario.yaml; ``quota.input.cells`` every cell of every table; ``quota.input.checks`` what holds
across rows and tables. Every problem of every step is collected before anything is raised, so one run reports
them all, in a fixed order. Warnings (normalised cells, a repeated dependency) stay on the ``Scenario``, folded by
``summarise_warnings`` to at most three per file and column.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import Issue, ScenarioError, row_zh
from .cells import parse_table, to_ha
from .checks import (build_phases, check_dependencies, check_locks, check_parcels_match, check_projects, check_refs,
                     check_unique)
from .config import Config
from .idle_checks import check_parcel_facts, recorded_facts
from .read import RawScenario, collector_paused, read_raw
from .rules import check_rule_tables, implemented_issues, parse_rules
from .rulesets import with_rule_set
from .scenario import MU_PER_HA, Scenario


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
    cfg = Config(with_rule_set(raw.config, cfg_file, issues), cfg_file, issues, getattr(raw, "config_rows", {}))
    params = cfg.parse()
    params.update(parse_rules(cfg, params))  # rule keys (RULES.md): quota.input.rules
    factor = 1.0 / MU_PER_HA if params.get("unit") == "mu" else 1.0
    for key in ("quota", "farmland_quota"):
        if params.get(key):
            params[key] = {y: to_ha(v, factor) for y, v in params[key].items()}
    parsed = {name: parse_table(t, factor, issues) for name, t in raw.tables.items()}
    tables = {name: p[0] if p else None for name, p in parsed.items()}
    keys = {name: p[1] for name, p in parsed.items() if p}  # each row's key for messages, by table
    counties = tables["counties"]
    projects = tables["projects"]
    check_unique(raw.tables["counties"], counties, "county_id", issues)
    check_unique(raw.tables["projects"], projects, "project_id", issues)
    for name in ("projects", "counties"):
        if name in raw.tables and len(raw.tables[name].frame) == 0:
            issues.append(Issue.of(f"scenario.empty-table.{name}", raw.tables[name].label, "", ""))
    check_refs(raw.tables["projects"], projects, keys.get("projects"), "county_id", counties, "counties", issues,
                target_raw=raw.tables["counties"])
    check_projects(raw.tables["projects"], projects, keys.get("projects"), params, issues)
    phases = build_phases(raw.tables.get("phases"), tables.get("phases"), keys.get("phases"), projects, params, issues)
    deps = tables.get("dependencies")
    if deps is None:
        deps = pd.DataFrame({"project_id": pd.Series(dtype=str), "requires": pd.Series(dtype=str)})
    else:
        check_dependencies(raw.tables["dependencies"], deps, keys["dependencies"], projects, issues)
    parcels = tables.get("idle_parcels")
    if parcels is not None:
        parcels = recorded_facts(raw.tables["idle_parcels"], parcels)  # an absent fact column: that fact is not recorded
        check_unique(raw.tables["idle_parcels"], parcels, "parcel_id", issues)
        check_parcel_facts(raw.tables["idle_parcels"], parcels, keys["idle_parcels"], params.get("assessment_date"), issues)
        check_refs(raw.tables["idle_parcels"], parcels, keys["idle_parcels"], "county_id", counties, "counties", issues,
                    target_raw=raw.tables["counties"])
        check_parcels_match(raw, parcels, counties, params, issues)
        if params.get("assessment_date") is None and "idle_land" not in cfg.bad:
            issues.append(Issue.of("scenario.missing-key.assessment_date", cfg_file, "idle_land.assessment_date",
                                   "idle_land.assessment_date"))
    for name in ("disposal", "history"):
        if tables.get(name) is not None:
            check_refs(raw.tables[name], tables[name], keys[name], "county_id", counties, "counties", issues,
                       target_raw=raw.tables["counties"])
    check_rule_tables(raw, tables, keys, params, issues)
    spatial = _spatial(cfg, counties, projects, parcels, issues)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ScenarioError(errors, lang=params["lang"])  # the problems in the scenario's language
    scenario = Scenario(
        name=params["name"], lang=params["lang"], unit=params["unit"], years=params["years"],
        quota=params["quota"], farmland_quota=params["farmland_quota"], carry_over=params["carry_over"],
        advance=params["advance"], phasing=params["phasing"], delay_discount=params["delay_discount"],
        scoring=params["scoring"], linkage=params["linkage"],
        key_projects_outside_budget=params["key_projects_outside_budget"],
        counties=counties.set_index("county_id"), projects=projects.set_index("project_id"),
        phases=phases, dependencies=deps.reset_index(drop=True), idle_parcels=parcels,
        idle_land=params["idle_land"], factor=params["factor"], config=raw.config, root=raw.root,
        files=tuple(raw.files), encodings={n: t.encoding for n, t in raw.tables.items()},
        warnings=tuple(i for i in issues if i.severity == "warning"),
        rules=params["rules"], disposal=tables.get("disposal"), history=tables.get("history"), spatial=spatial,
    )
    check_locks(scenario, raw, issues)
    issues += implemented_issues(scenario)  # a rule the model cannot follow: listed by validate too, not only by run
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise ScenarioError(errors, lang=params["lang"])  # the problems in the scenario's language
    return replace(scenario, warnings=tuple(summarise_warnings([i for i in issues if i.severity == "warning"])))


def _spatial(cfg: Config, counties, projects, parcels, issues: list[Issue]):
    """The ``spatial:`` layers read and measured (quota.spatial), or None without the block or while the tables have
    errors (the layers are keyed to the tables, so they are read once these are right)."""
    from ..spatial.options import parse_spatial

    opts = parse_spatial(cfg)
    if opts is None or not opts.files or any(i.severity == "error" for i in issues):
        return None
    from ..spatial.load import load_spatial

    return load_spatial(opts, counties.set_index("county_id"), projects.set_index("project_id"), parcels, issues)


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
        rows_zh = "、".join(row_zh(w.row, file) for w in ws[:5]) + ("等" if len(ws) > 5 else "")
        folded = Issue.of("scenario.folded", file, "", column, "warning", n=len(ws), rows=rows, first=ws[0].row,
                          rows_zh=rows_zh, first_zh=row_zh(ws[0].row, file), message=ws[0].message,
                          message_zh=ws[0].message_zh or ws[0].message)
        out.append(replace(folded, code=code, hint=ws[0].hint, hint_zh=ws[0].hint_zh))
    return out
