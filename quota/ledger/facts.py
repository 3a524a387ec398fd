"""``LedgerFacts``: what happened before ``as_of``, as a re-plan reads it, and its checks against a scenario.

The ledger (``quota.ledger``) stores facts; a run with facts (``quota.run.run_scenario(..., facts=...)``) fixes the
years before ``as_of`` to them (``quota.input.past`` maps them onto the scenario, ``quota.model.families.past`` onto
the model's bounds). Areas are hectares, whatever the scenario's unit. ``check_facts`` lists every contradiction
between the facts and the scenario at once, naming both sides, as a ``ScenarioError``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from ..errors import Issue, ScenarioError

# the allocations.csv ``source`` values of MODEL.md (new, advance, stock, higher_level) and RULES.md 4, 6 (province, ring_fenced)
FACT_SOURCES = ("new", "advance", "stock", "province", "ring_fenced", "higher_level")
QUOTA_SOURCES = ("new", "advance", "province", "ring_fenced")  # approvals on quota (RULES.md 2: approved and supplied)
DISPOSAL_KINDS = ("supplied", "withdrawn", "lapsed", "fee", "taken_back")
UNSUPPLIED_KINDS = ("supplied", "withdrawn", "lapsed")  # disposal of 批而未供 land: supplied, approval withdrawn or lapsed
IDLE_KINDS = ("fee", "taken_back")  # disposal of 闲置 land: idle-land fee levied (development resumed), land taken back

COLUMNS = {
    "approvals": ("project_id", "plan", "phase", "year", "source", "area", "approval_date"),
    "supply": ("project_id", "plan", "phase", "year", "supply_date", "area"),
    "disposal": ("county_id", "year", "kind", "area"),
    "quota_issued": ("year", "area"),
    "overplan": ("county_id", "year", "area"),
    "last_plan": ("project_id", "plan", "phase", "year", "source", "area", "run_id"),
}
TEXT = {"project_id", "plan", "source", "county_id", "kind"}
DATES = {"approval_date", "supply_date"}
INTS = {"phase", "year", "run_id"}


@dataclass(frozen=True)
class LedgerFacts:
    """What happened before ``as_of``: the ledger's current (not superseded) fact rows for years < as_of."""
    as_of: int
    approvals: pd.DataFrame   # project_id, plan, phase, year, source, area, approval_date (datetime.date)
    supply: pd.DataFrame      # project_id, plan, phase, year (of the approval), supply_date, area
    disposal: pd.DataFrame    # county_id, year, kind (DISPOSAL_KINDS), area
    quota_issued: pd.DataFrame  # year, area   (quota actually issued to the city that year)
    overplan: pd.DataFrame    # county_id, year, area   (used beyond plan that year)
    last_plan: pd.DataFrame   # allocations of the last run recorded for this scenario name, same columns as
    # allocations.csv (project_id, plan, phase, year, source, area) plus run_id; may be empty


TABLES = tuple(f.name for f in fields(LedgerFacts) if f.name != "as_of")


def empty_facts(as_of: int) -> LedgerFacts:
    """No facts: every frame empty, with its columns."""
    return LedgerFacts(int(as_of), **{name: pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS[name]}) for name in TABLES})


def normalised(f: LedgerFacts) -> LedgerFacts:
    """The facts with the interface's dtypes (ids and plans text, phase and year int, area float, dates ``datetime.date``)."""
    out = {}
    for name in TABLES:
        frame = getattr(f, name)
        missing = [c for c in COLUMNS[name] if c not in frame.columns]
        if missing:
            raise ScenarioError([Issue("missing-column", f"ledger: {name}", "", c, f"the facts table {name} has no column {c!r}.",
                                       "read the facts with quota.ledger (read_facts) or build them with all columns.")
                                 for c in missing])
        frame = frame[list(COLUMNS[name])].reset_index(drop=True).copy()
        for c in frame.columns:
            if c in TEXT:
                frame[c] = frame[c].map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)).astype(object)
            elif c in INTS:
                frame[c] = pd.to_numeric(frame[c], errors="raise").astype("int64") if len(frame) else frame[c].astype("int64")
            elif c in DATES:
                frame[c] = frame[c].map(_date).astype(object)
            else:
                frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
        out[name] = frame
    return LedgerFacts(int(f.as_of), **out)


def _date(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def facts_tables(f: LedgerFacts) -> dict[str, pd.DataFrame]:
    """``facts/NAME.csv`` → its table (hectares, dates as ISO text), as a run folder holds them."""
    f = normalised(f)
    out = {}
    for name in TABLES:
        frame = getattr(f, name).copy()
        for c in DATES & set(frame.columns):
            frame[c] = frame[c].map(lambda d: "" if d is None else d.isoformat())
        out[f"facts/{name}.csv"] = frame
    return out


def facts_hash(f: LedgerFacts) -> str:
    """SHA-256 of the facts (as_of and every table, written as the run folder writes them: areas to 6 decimals): the run
    folder's manifest and summary record it, and the audit recomputes it from facts/*.csv."""
    h = hashlib.sha256(f"as_of={int(f.as_of)}\n".encode())
    for name, frame in facts_tables(f).items():
        h.update(f"{name}\n".encode())
        h.update(frame.to_csv(index=False, float_format="%.6f", lineterminator="\n").encode("utf-8"))
    return h.hexdigest()


def read_facts_folder(folder: str | Path, as_of: int) -> LedgerFacts:
    """The facts a run folder holds (``facts/*.csv``, as ``facts_tables`` wrote them), for the audit."""
    from ..report.safety import read_csv

    folder = Path(folder)
    frames = {}
    for name in TABLES:
        dtype = {c: str for c in COLUMNS[name] if c in TEXT | DATES}
        frame = read_csv(folder / f"{name}.csv", dtype=dtype, keep_default_na=False, na_values={"area": [""]})
        frames[name] = frame
    return normalised(LedgerFacts(int(as_of), **frames))


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
        from ..model.past_cells import cell_issues

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
