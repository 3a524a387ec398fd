"""Planned against actual, and lapse: ``eval_status`` (per year and county: the plan against what the ledger holds, and
the approvals about to lapse) and ``lapse`` (approvals not supplied within two years, recorded as disposal).

The plan of a year is the run adopted for it (the latest ``quota ledger adopt --year Y``), else the latest run recorded
whose allocations reach that year. An approval lapses two years after its approval date (自然资规〔2018〕1号: land
approved for conversion and not supplied within two years; the approval lapses and its area leaves the 批而未供
stock): the part not supplied by that day is recorded as disposal of kind ``lapsed`` in the year of the lapse.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from .schema import allocations, batches, disposal, lapses, ledger_url, now, reading, runs, writing
from .store import current, frame

TOL = 1e-6  # ha
LAPSE_YEARS = 2
PHASE = ["project_id", "plan", "phase", "year"]


def lapse_date(approved: dt.date) -> dt.date:
    """The day an approval of ``approved`` lapses when not supplied: two years on (29 February: 28 February)."""
    try:
        return approved.replace(year=approved.year + LAPSE_YEARS)
    except ValueError:
        return approved.replace(year=approved.year + LAPSE_YEARS, day=28)


def open_phases(conn: sa.Connection) -> pd.DataFrame:
    """Each currently approved phase not wholly supplied by its lapse date and not lapsed: its county, area approved,
    supplied and left, approval and lapse dates."""
    approved = current(conn, "approvals")
    supplied = current(conn, "supply")
    if approved.empty:
        return pd.DataFrame(columns=[*PHASE, "county_id", "area", "supplied", "unsupplied", "approval_date", "lapse_date"])
    phases = (approved.groupby(PHASE, as_index=False, sort=True)
              .agg(county_id=("county_id", "first"), area=("area", "sum"), approval_date=("approval_date", "min")))
    phases["lapse_date"] = phases["approval_date"].map(lapse_date)
    merged = supplied.merge(phases[PHASE + ["lapse_date"]], on=PHASE, how="inner", validate="many_to_one")
    merged = merged[pd.Series([s <= d for s, d in zip(merged["supply_date"], merged["lapse_date"])], index=merged.index, dtype=bool)]
    by_phase = merged.groupby(PHASE, as_index=False)["area"].sum().rename(columns={"area": "supplied"})
    phases = phases.merge(by_phase, on=PHASE, how="left", validate="one_to_one")
    phases["supplied"] = phases["supplied"].fillna(0.0)  # no supply row: nothing supplied
    phases["unsupplied"] = phases["area"] - phases["supplied"]
    done = conn.execute(sa.select(lapses.c.project_id, lapses.c.plan, lapses.c.phase, lapses.c.year)
                        .join(disposal, disposal.c.id == lapses.c.disposal_id)
                        .where(disposal.c.superseded_by.is_(None))).all()
    lapsed = set(map(tuple, done))
    keep = (phases["unsupplied"] > TOL) & ~pd.Series([tuple(k) in lapsed for k in phases[PHASE].itertuples(index=False)],
                                                     index=phases.index, dtype=bool)
    return phases[keep].reset_index(drop=True)


def lapse(url: str, year: int) -> pd.DataFrame:
    """Record as lapsed every approval whose two years ended by 31 December ``year`` with land left unsupplied: a
    disposal row (county, year of the lapse, ``lapsed``, the area left) and a ``lapses`` row each, in one batch.
    An approval lapsed before is not lapsed again. The phases lapsed now (empty when none)."""
    with writing(ledger_url(url)) as conn:
        due = open_phases(conn)
        due = due[due["lapse_date"].map(lambda d: d.year <= year).astype(bool)].reset_index(drop=True)
        if due.empty:
            return due
        batch_id = conn.execute(batches.insert().values(action="lapse", kind="disposal", origin=f"quota ledger lapse --year {year}",
                                                        year=year, replaced=False, recorded_at=now())).inserted_primary_key[0]
        for r in due.itertuples():
            disposal_id = conn.execute(disposal.insert().values(batch_id=batch_id, county_id=r.county_id, year=r.lapse_date.year,
                                                                kind="lapsed", area=float(r.unsupplied))).inserted_primary_key[0]
            conn.execute(lapses.insert().values(batch_id=batch_id, project_id=r.project_id, plan=r.plan, phase=int(r.phase),
                                                year=int(r.year), lapse_date=r.lapse_date, area=float(r.unsupplied),
                                                disposal_id=disposal_id))
    return due


@dataclass(frozen=True)
class Status:
    years: pd.DataFrame  # year, plan_run, plan_from, quota_issued, planned, approved, difference, supplied, disposed, overplan
    counties: pd.DataFrame  # year, county_id, planned, approved, difference, supplied, disposed, overplan
    lapsing: pd.DataFrame  # open phases whose lapse date is by 31 December of the year asked
    names: dict = field(default_factory=dict)  # county_id -> name, from the counties.csv of the runs recorded


FIGURES = ["planned", "approved", "difference", "supplied", "disposed", "overplan"]


def eval_status(url: str, year: int, scenario: str | None = None) -> Status:
    """Per year and county, the plan (``scenario``'s runs only, when given) against the ledger's facts; the approvals
    that lapse by the end of ``year`` unless supplied."""
    with reading(ledger_url(url)) as conn:
        approved = current(conn, "approvals")
        supplied = current(conn, "supply")
        disposed = current(conn, "disposal")
        issued = current(conn, "quota_issued")
        over = current(conn, "overplan")
        years = sorted(set(approved["year"]) | set(disposed["year"]) | set(issued["year"]) | set(over["year"])
                       | set(_planned_years(conn, scenario)))
        plans = {y: _plan_of(conn, y, scenario) for y in years}
        planned = [_allocations(conn, run_id, y) for y, (run_id, _) in plans.items() if run_id is not None]
        lapsing = open_phases(conn)
        run_dirs = [d for (d,) in conn.execute(sa.select(runs.c.run_dir).order_by(runs.c.id.desc())).all()]
    lapsing = lapsing[lapsing["lapse_date"].map(lambda d: d.year <= year).astype(bool)].reset_index(drop=True)
    if not years:  # an empty ledger
        return Status(pd.DataFrame(columns=["year", "plan_run", "plan_from", "quota_issued", *FIGURES]),
                      pd.DataFrame(columns=["year", "county_id", *FIGURES]), lapsing)
    county_of = approved.drop_duplicates(["project_id", "phase"])[["project_id", "phase", "county_id"]]
    supplied = supplied.merge(county_of, on=["project_id", "phase"], how="left", validate="many_to_one")
    parts = {"planned": pd.concat(planned) if planned else None, "approved": approved, "supplied": supplied,
             "disposed": disposed, "overplan": over}
    counties = None
    for name, part in parts.items():
        if part is None or part.empty:
            continue
        sums = part.groupby(["year", "county_id"])["area"].sum().rename(name)
        counties = sums.to_frame() if counties is None else counties.join(sums, how="outer")
    if counties is None:
        counties = pd.DataFrame(columns=["year", "county_id"]).set_index(["year", "county_id"])
    for name in FIGURES:
        if name not in counties:
            counties[name] = 0.0
    counties = counties.fillna(0.0)  # a county with no row of a kind in a year: none of it
    counties["difference"] = counties["approved"] - counties["planned"]
    counties = counties[FIGURES].reset_index().sort_values(["year", "county_id"]).reset_index(drop=True)
    totals = counties.groupby("year")[FIGURES].sum()
    by_year = pd.DataFrame({"year": years})
    by_year["plan_run"] = [plans[y][0] for y in years]
    by_year["plan_from"] = [plans[y][1] for y in years]
    by_year["quota_issued"] = [float(issued.loc[issued["year"] == y, "area"].sum()) if y in set(issued["year"]) else None
                               for y in years]
    by_year = by_year.merge(totals, left_on="year", right_index=True, how="left", validate="one_to_one")
    by_year[FIGURES] = by_year[FIGURES].fillna(0.0)  # a year with facts of no county (quota issued only)
    return Status(by_year, counties, lapsing, county_names(run_dirs))


def county_names(run_dirs: list[str]) -> dict[str, str]:
    """County names from the counties.csv of the recorded run folders still on disk, the latest first (a ledger holds
    ids only); a county no folder names keeps its id."""
    from ..report.safety import read_csv

    names: dict[str, str] = {}
    for folder in run_dirs:
        try:
            table = read_csv(Path(folder) / "counties.csv", dtype=str, keep_default_na=False)
        except (OSError, ValueError):
            continue
        if {"county_id", "name"} <= set(table.columns):
            for cid, name in zip(table["county_id"], table["name"]):
                names.setdefault(cid, name)
    return names


def _planned_years(conn: sa.Connection, scenario: str | None) -> list[int]:
    query = sa.select(allocations.c.year).distinct().join(runs, runs.c.id == allocations.c.run_id)
    if scenario is not None:
        query = query.where(runs.c.scenario_name == scenario)
    return [y for (y,) in conn.execute(query).all()]


def _plan_of(conn: sa.Connection, year: int, scenario: str | None) -> tuple[int | None, str]:
    """The run that planned ``year``: the one adopted for it last, else the latest whose allocations reach it."""
    adopted = (sa.select(batches.c.run_id).join(runs, runs.c.id == batches.c.run_id)
               .where(batches.c.action == "adopt", batches.c.year == year).order_by(batches.c.id.desc()).limit(1))
    latest = (sa.select(sa.func.max(allocations.c.run_id)).join(runs, runs.c.id == allocations.c.run_id)
              .where(allocations.c.year == year))
    if scenario is not None:
        adopted = adopted.where(runs.c.scenario_name == scenario)
        latest = latest.where(runs.c.scenario_name == scenario)
    run_id = conn.execute(adopted).scalar()
    if run_id is not None:
        return run_id, "adopted"
    run_id = conn.execute(latest).scalar()
    return (run_id, "latest") if run_id is not None else (None, "")


def _allocations(conn: sa.Connection, run_id: int, year: int) -> pd.DataFrame:
    cols = [allocations.c[c] for c in ("county_id", "year", "area")]
    rows = conn.execute(sa.select(*cols).where(allocations.c.run_id == run_id, allocations.c.year == year)).all()
    return frame(rows, ["county_id", "year", "area"])
