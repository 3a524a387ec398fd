"""Re-planning with the past fixed: the ledger's facts mapped onto a scenario (``with_facts``).

A run with facts (``quota.run.run_scenario(..., facts=...)``) treats the years before ``facts.as_of`` as what
happened. This module maps the facts that change the scenario's data; ``quota.model.families.past`` fixes the
model's variables to the approvals. Each mapping, and where a fact has no place in the rule set in force (then the
run carries a warning, in summary.json and the manifest: nothing is dropped silently):

- approvals: the cells of past years fixed (``quota.model.families.past``), whatever the rule set;
- quota_issued: replaces ``quota`` of its year (every rule set: the city quota row, carry-over, the advance caps);
- disposal: where disposal is counted year by year (``linkage.mode`` earned or both, or ``restriction.dynamic``) the
  ledger's disposal of each county and past year replaces disposal.csv's planned disposal of that year (unsupplied:
  supplied, withdrawn, lapsed; idle: fee, taken_back; no extra disposal to choose); a past year with none recorded
  counts 0 (a warning says how much planned disposal that drops). Under the first contract the linkage is computed
  once from counties.csv's assessment period: disposal facts have no place (a warning);
- overplan: widens the county rows (cap, earned quota) of its year; under dynamic restriction it restricts the years
  after it (``restriction.overplan_years``). With restriction decided once (first contract) it cannot restrict a
  later year only (a warning);
- supply: under dynamic restriction with ``trigger: supply_rate``, the supply rate's past years (RULES.md 2);
  elsewhere no rule reads it (a warning);
- last_plan: only the report ("plan against actual").
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .errors import Issue
from .input.scenario import Scenario
from .ledger.facts import IDLE_KINDS, UNSUPPLIED_KINDS, LedgerFacts, normalised
from .replan_checks import check_facts


def with_facts(s: Scenario, facts: LedgerFacts) -> Scenario:
    """``s`` with the facts checked (``ScenarioError`` listing every contradiction) and mapped as the module says."""
    facts = normalised(facts)
    check_facts(s, facts)
    past = [y for y in s.years if y < facts.as_of]
    notes: list[Issue] = []
    quota = dict(s.quota)
    for y, a in zip(facts.quota_issued["year"], facts.quota_issued["area"]):
        quota[int(y)] = float(a)
    disposal = s.disposal
    if s.rules.stock_moves:
        disposal = past_disposal(s, facts, past, notes)
    elif len(facts.disposal):
        notes.append(_note("disposal", "kind", "replan.fact-unused.disposal", n=len(facts.disposal)))
    if len(facts.overplan) and not s.rules.restriction.dynamic and s.rules.restriction.on_overplan:
        notes.append(_note("overplan", "area", "replan.fact-mapping.overplan"))
    if len(facts.supply) and not (s.rules.restriction.dynamic and s.rules.restriction.trigger == "supply_rate"):
        notes.append(_note("supply", "area", "replan.fact-unused.supply", n=len(facts.supply)))
    return replace(s, quota=quota, disposal=disposal, facts=facts, warnings=tuple(s.warnings) + tuple(notes))


def _note(table: str, column: str, entry: str, **fields) -> Issue:
    return Issue.of(entry, f"ledger: {table}", "", column, "warning", **fields)


def past_disposal(s: Scenario, facts: LedgerFacts, past: list[int], notes: list[Issue]) -> pd.DataFrame:
    """disposal.csv with the rows of past years replaced by the ledger's disposal (ha), one row per county and year."""
    d = facts.disposal
    kind = d["kind"].map(lambda k: "unsupplied" if k in UNSUPPLIED_KINDS else "idle" if k in IDLE_KINDS else None)
    got = d.assign(part=kind).groupby(["county_id", "year", "part"])["area"].sum()
    cols = ["county_id", "year", "unsupplied", "idle"] + [c for c in ("extra_max", "extra_cost")
                                                         if s.disposal is not None and c in s.disposal]
    old = s.disposal if s.disposal is not None else pd.DataFrame(columns=cols)
    rows = [{"county_id": c, "year": y, "unsupplied": float(got.get((c, y, "unsupplied"), 0.0)),
             "idle": float(got.get((c, y, "idle"), 0.0)), **{k: 0.0 for k in cols[4:]}} for c in s.counties.index for y in past]
    dropped = old[old["year"].isin(past)]
    planned = float(pd.to_numeric(dropped["unsupplied"]).sum() + pd.to_numeric(dropped["idle"]).sum()) if len(dropped) else 0.0
    recorded = float(d["area"].sum())
    if planned > 1e-9:
        notes.append(_note("disposal", "area", "replan.fact-mapping.disposal", planned=f"{planned:g}", first=past[0], last=past[-1],
                           recorded=f"{recorded:g}"))
    kept = old[~old["year"].isin(past)]
    out = pd.concat([kept[cols], pd.DataFrame(rows, columns=cols)], ignore_index=True) if rows else kept[cols].copy()
    return out.sort_values(["county_id", "year"], kind="stable").reset_index(drop=True)
