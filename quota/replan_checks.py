"""The ledger's facts checked against a scenario before a re-plan (``quota.replan``): every contradiction at once.

Model-side on purpose: the approvals are checked against the model's cells (``quota.model.past_cells``), and the
ledger (``quota.ledger``) imports no model code.
"""
from __future__ import annotations

import pandas as pd

from .errors import Issue, ScenarioError
from .ledger.facts import DISPOSAL_KINDS, FACT_SOURCES, TABLES, LedgerFacts, normalised
from .model.past_cells import cell_issues


# ------------------------------------------------------------------- checks ----

def check_facts(s, f: LedgerFacts) -> None:
    """Every contradiction between the facts and the scenario ``s``, at once, as a ``ScenarioError`` naming both sides.

    Table by table: ``as_of`` within the horizon; every fact year in the horizon and before ``as_of``; known projects,
    plans, phases, counties, sources and disposal kinds; positive areas; a phase approved in one year only and its
    approvals adding up to the phase's area in phases.csv (phases are approved whole); supply not more than approved.
    Then, when those hold, each approval against the model's cells (``quota.model.past_cells.cell_issues``): the
    project eligible, the year not before the phase can start, the source one the project may draw that year."""
    f = normalised(f)
    issues = table_issues(s, f)
    if not issues:
        issues = cell_issues(s, f)
    if issues:
        raise ScenarioError(issues)


def _issue(table: str, row: str, column: str, message: str, hint: str) -> Issue:
    return Issue("fact-contradiction", f"ledger: {table}", row, column, message, hint)


def table_issues(s, f: LedgerFacts) -> list[Issue]:
    first, last = s.first_year, s.last_year
    issues = []
    if not first <= f.as_of <= last:
        issues.append(_issue("as_of", str(f.as_of), "as_of", f"as_of {f.as_of} is outside the scenario's horizon {first}–{last}: "
                             "the years before as_of are fixed and the rest planned, so as_of must be a year of the horizon.",
                             f"re-plan with --as-of between {first} and {last}, or extend the scenario's years."))
    for name in TABLES:
        frame = getattr(f, name)
        if name == "last_plan" or "year" not in frame:
            continue
        for i, y in enumerate(frame["year"].tolist()):
            if not first <= y < f.as_of:
                issues.append(_issue(name, _key(name, frame, i), "year", f"the fact's year {y} is outside the fixed past "
                                     f"{first}–{f.as_of - 1} (the horizon {first}–{last} of scenario.yaml, before as_of {f.as_of}).",
                                     "read the facts for this as_of only, or correct the year."))
        if "area" in frame:
            for i in [i for i, a in enumerate(frame["area"].tolist()) if not a > 0]:
                issues.append(_issue(name, _key(name, frame, i), "area", "the area is not positive.", "correct the area."))
    issues += _approval_issues(s, f)
    for name in ("disposal", "overplan"):
        frame = getattr(f, name)
        for i, c in enumerate(frame["county_id"].tolist()):
            if c not in s.counties.index:
                issues.append(_issue(name, _key(name, frame, i), "county_id", f"county {c!r} is not in counties.csv.",
                                     "add the county to counties.csv, or correct the fact's county_id."))
    for i, k in enumerate(f.disposal["kind"].tolist()):
        if k not in DISPOSAL_KINDS:
            issues.append(_issue("disposal", _key("disposal", f.disposal, i), "kind", f"unknown disposal kind {k!r}.",
                                 f"use one of {', '.join(DISPOSAL_KINDS)}."))
    for name, keys in (("quota_issued", ["year"]), ("overplan", ["county_id", "year"])):
        frame = getattr(f, name)
        for i in frame.index[frame.duplicated(keys)]:
            issues.append(_issue(name, _key(name, frame, i), keys[-1], "this year (and county) appears on more than one row.",
                                 "keep one row per year (and county)."))
    return issues


def _key(name: str, frame: pd.DataFrame, i: int) -> str:
    row = frame.iloc[i]
    if "project_id" in frame:
        return f"{row['project_id']}/{row['plan'] or '-'}/{row['phase']}/{row['year']}"
    if "county_id" in frame:
        return f"{row['county_id']}/{row['year']}"
    return str(row["year"])


def _approval_issues(s, f: LedgerFacts) -> list[Issue]:
    issues = []
    ph = s.phases.set_index(["project_id", "plan", "phase"])["area"]
    a = f.approvals
    for i, (pid, plan, k, src) in enumerate(zip(a["project_id"], a["plan"], a["phase"], a["source"])):
        key = _key("approvals", a, i)
        if pid not in s.projects.index:
            issues.append(_issue("approvals", key, "project_id", f"project {pid} was approved, but it is no longer in projects.csv.",
                                 f"put {pid} back into projects.csv (an approval stands), or correct the fact."))
        elif (pid, plan, k) not in ph.index:
            plans = sorted({(p or "-") + f"/{kk}" for p, kk in s.phases.loc[s.phases["project_id"] == pid, ["plan", "phase"]]
                            .itertuples(index=False)})
            issues.append(_issue("approvals", key, "plan", f"phase {k} of plan {plan or '-'} of {pid} was approved, but "
                                 f"phases.csv has no such plan and phase (it has {', '.join(plans)}).",
                                 "correct phases.csv to the plan approved, or the fact's plan and phase."))
        if src not in FACT_SOURCES:
            issues.append(_issue("approvals", key, "source", f"unknown source {src!r}.", f"use one of {', '.join(FACT_SOURCES)}."))
    known = [(pid, plan, k) in ph.index for pid, plan, k in zip(a["project_id"], a["plan"], a["phase"])]
    a = a.loc[pd.Series(known, index=a.index, dtype=bool)]  # the rest: the phases the scenario knows
    years = a.groupby(["project_id", "plan", "phase"])["year"].nunique()
    for (pid, plan, k), n in years[years > 1].items():
        issues.append(_issue("approvals", f"{pid}/{plan or '-'}/{k}", "year", f"phase {k} of {pid} is approved in {n} different "
                             "years; a phase is approved once, whole.", "keep the year it was approved in."))
    total = a.groupby(["project_id", "plan", "phase"])["area"].sum()
    for (pid, plan, k), got in total.items():
        want = float(ph[(pid, plan, k)])
        if abs(got - want) > 1e-6 * max(1.0, want):
            more = got > want
            issues.append(_issue("approvals", f"{pid}/{plan or '-'}/{k}", "area", f"the approvals of phase {k} of {pid} add up to "
                                 f"{got:g} ha, {'more' if more else 'less'} than its area of {want:g} ha in phases.csv (projects.csv "
                                 "when unphased); the model approves phases whole.",
                                 "correct the phase's area in phases.csv (and the project's area) to what was approved, or the facts."))
    approved = total.to_dict()
    sup = f.supply
    done = sup.groupby(["project_id", "plan", "phase", "year"])["area"].sum()
    when = a.drop_duplicates(["project_id", "plan", "phase"]).set_index(["project_id", "plan", "phase"])["year"].to_dict()
    for (pid, plan, k, y), got in done.items():
        key = f"{pid}/{plan or '-'}/{k}/{y}"
        if when.get((pid, plan, k)) != y:
            issues.append(_issue("supply", key, "year", f"land of phase {k} of {pid} approved in {y} was supplied, but the approvals "
                                 + (f"have it approved in {when[(pid, plan, k)]}." if (pid, plan, k) in when else "do not have it."),
                                 "record the approval, or correct the supply's project, phase or year."))
        elif got > approved[(pid, plan, k)] * (1 + 1e-6):
            issues.append(_issue("supply", key, "area", f"{got:g} ha supplied, more than the {approved[(pid, plan, k)]:g} ha approved.",
                                 "correct the supply's area."))
    return issues
