"""``quota audit-idle SCENARIO``: the auditor's idle-land check of a scenario, without solving anything.

Reads and validates the scenario, classes its idle parcels under Order 53 (``quota.input.idle``) and lists where the
bureau's record differs from what the rules require (``quota.input.idle_findings``). Writes a folder, whole or not at
all (``quota.report.write.write_run``, kind ``idle_audit``): idle_parcels.csv, idle_findings.csv (formula-safe, as
every CSV quota writes), idle_findings.xlsx (both tables, units in the headers) and manifest.json (the inputs' and
files' SHA-256). A ``quota run`` of the same scenario writes the same two CSV files into its run folder, where
``quota audit`` recomputes them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import QuotaError
from ..input.idle import idle_tables
from ..input.idle_findings import idle_findings_table
from ..input.validate import load
from ..report import labels as L
from ..report.excel import render_tables
from ..report.write import write_run


def idle_audit(scenario: str | Path, lang: str | None = None) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    """The scenario, its idle_parcels.csv and idle_findings.csv (areas in the scenario's unit); ``QuotaError`` when it
    lists no idle parcels."""
    s = load(scenario)
    if s.idle_parcels is None:
        raise QuotaError.of("error.audit_idle.none", scenario=scenario)
    lang = lang or s.lang
    counties = pd.DataFrame({"county_id": list(s.counties.index)})
    parcels, _ = idle_tables(s, counties, lang)
    return s, parcels, idle_findings_table(s, lang)


def write_idle_audit(scenario: str | Path, out: str | Path, lang: str | None = None,
                     force: bool = False) -> tuple[Path, pd.DataFrame, str]:
    """Write the idle-land audit folder; returns it, the findings and their language."""
    s, parcels, findings = idle_audit(scenario, lang)
    lang = lang or s.lang
    tables = {"idle_findings.csv": findings, "idle_parcels.csv": parcels}
    files: dict[str, object] = dict(tables)
    files["idle_findings.xlsx"] = render_tables(tables, lang, s.unit)
    manifest = {"kind": "idle_audit", "scenario": s.name, "scenario_path": str(s.root), "unit": s.unit, "lang": lang,
                "assessment_date": s.idle_land.assessment_date.isoformat(), "parameters": s.config}
    inputs = list(dict.fromkeys(Path(f).resolve() for f in s.files))
    return write_run(out, files, inputs, manifest, force, protect=[s.root] if s.root else []), findings, lang


def format_findings(findings: pd.DataFrame, lang: str) -> str:
    """One line per kind of finding: count, severity and the amounts by unit; then the total."""
    if not len(findings):
        return "no findings: every recorded fact agrees with what the rules require"
    lines = []
    order = {k: i for i, k in enumerate(L.FINDING["en"])}
    for code, g in sorted(findings.groupby("finding", sort=False), key=lambda kv: order.get(kv[0], len(order))):
        amounts = ", ".join(f"{a:,.2f} {u}" for u, a in g.groupby("unit", sort=False)["amount"].sum().items())
        lines.append(f"{g['severity'].iat[0]:<6} {len(g):>3}  {L.FINDING[lang].get(code, code)} ({code}): {amounts}")
    return "\n".join(lines + [f"{len(findings)} findings"])
