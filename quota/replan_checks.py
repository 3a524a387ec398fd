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


def _issue(table: str, row: str, column: str, entry: str, **fields) -> Issue:
    return Issue.of("replan.fact-contradiction." + entry, f"ledger: {table}", row, column, **fields)


def table_issues(s, f: LedgerFacts) -> list[Issue]:
    first, last = s.first_year, s.last_year
    issues = []
    if not first <= f.as_of <= last:
        issues.append(_issue("as_of", str(f.as_of), "as_of", "as_of", as_of=f.as_of, first=first, last=last))
    for name in TABLES:
        frame = getattr(f, name)
        if name == "last_plan" or "year" not in frame:
            continue
        for i, y in enumerate(frame["year"].tolist()):
            if not first <= y < f.as_of:
                issues.append(_issue(name, _key(name, frame, i), "year", "year", year=y, first=first, before=f.as_of - 1,
                                     last=last, as_of=f.as_of))
        if "area" in frame:
            for i in [i for i, a in enumerate(frame["area"].tolist()) if not a > 0]:
                issues.append(_issue(name, _key(name, frame, i), "area", "area"))
    issues += _approval_issues(s, f)
    for name in ("disposal", "overplan"):
        frame = getattr(f, name)
        for i, c in enumerate(frame["county_id"].tolist()):
            if c not in s.counties.index:
                issues.append(_issue(name, _key(name, frame, i), "county_id", "county", county=repr(c)))
    for i, k in enumerate(f.disposal["kind"].tolist()):
        if k not in DISPOSAL_KINDS:
            issues.append(_issue("disposal", _key("disposal", f.disposal, i), "kind", "kind", kind=repr(k),
                                 known=", ".join(DISPOSAL_KINDS)))
    for name, keys in (("quota_issued", ["year"]), ("overplan", ["county_id", "year"])):
        frame = getattr(f, name)
        for i in frame.index[frame.duplicated(keys)]:
            issues.append(_issue(name, _key(name, frame, i), keys[-1], "twice"))
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
            issues.append(_issue("approvals", key, "project_id", "project", project=pid))
        elif (pid, plan, k) not in ph.index:
            plans = sorted({(p or "-") + f"/{kk}" for p, kk in s.phases.loc[s.phases["project_id"] == pid, ["plan", "phase"]]
                            .itertuples(index=False)})
            issues.append(_issue("approvals", key, "plan", "plan", phase=k, plan=plan or "-", project=pid, plans=", ".join(plans)))
        if src not in FACT_SOURCES:
            issues.append(_issue("approvals", key, "source", "source", source=repr(src), known=", ".join(FACT_SOURCES)))
    known = [(pid, plan, k) in ph.index for pid, plan, k in zip(a["project_id"], a["plan"], a["phase"])]
    a = a.loc[pd.Series(known, index=a.index, dtype=bool)]  # the rest: the phases the scenario knows
    years = a.groupby(["project_id", "plan", "phase"])["year"].nunique()
    for (pid, plan, k), n in years[years > 1].items():
        issues.append(_issue("approvals", f"{pid}/{plan or '-'}/{k}", "year", "years", phase=k, project=pid, n=n))
    total = a.groupby(["project_id", "plan", "phase"])["area"].sum()
    for (pid, plan, k), got in total.items():
        want = float(ph[(pid, plan, k)])
        if abs(got - want) > 1e-6 * max(1.0, want):
            issues.append(_issue("approvals", f"{pid}/{plan or '-'}/{k}", "area", "whole_" + ("more" if got > want else "less"),
                                 fix="replan.fact-contradiction.whole.hint", phase=k, project=pid, got=f"{got:g}", want=f"{want:g}"))
    approved = total.to_dict()
    sup = f.supply
    done = sup.groupby(["project_id", "plan", "phase", "year"])["area"].sum()
    when = a.drop_duplicates(["project_id", "plan", "phase"]).set_index(["project_id", "plan", "phase"])["year"].to_dict()
    for (pid, plan, k, y), got in done.items():
        key = f"{pid}/{plan or '-'}/{k}/{y}"
        if when.get((pid, plan, k)) != y:
            issues.append(_issue("supply", key, "year", "supply_" + ("other_year" if (pid, plan, k) in when else "unapproved"),
                                 fix="replan.fact-contradiction.supply.hint", phase=k, project=pid, year=y,
                                 other=when.get((pid, plan, k), "")))
        elif got > approved[(pid, plan, k)] * (1 + 1e-6):
            issues.append(_issue("supply", key, "area", "supply_area", got=f"{got:g}", approved=f"{approved[(pid, plan, k)]:g}"))
    return issues
