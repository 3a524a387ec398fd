"""What happened before a year, as read from the ledger: ``LedgerFacts`` (the interface between the ledger and the model).

A stub of the model side's module (issue 17): the fields are the interface's, exactly; the model side's version
replaces this one.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

FACT_SOURCES = ("new", "advance", "stock", "province", "ring_fenced", "higher_level")  # allocations.csv `source` values
DISPOSAL_KINDS = ("supplied", "withdrawn", "lapsed", "fee", "taken_back")

APPROVAL_COLUMNS = ("project_id", "plan", "phase", "year", "source", "area", "approval_date")
SUPPLY_COLUMNS = ("project_id", "plan", "phase", "year", "supply_date", "area")
DISPOSAL_COLUMNS = ("county_id", "year", "kind", "area")
QUOTA_COLUMNS = ("year", "area")
OVERPLAN_COLUMNS = ("county_id", "year", "area")
PLAN_COLUMNS = ("project_id", "plan", "phase", "year", "source", "area", "run_id")


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


def empty_facts(as_of: int) -> LedgerFacts:
    """Facts with every frame empty (the columns above): a ledger that holds nothing before ``as_of``."""
    def frame(columns):
        return pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in columns})

    return LedgerFacts(as_of, frame(APPROVAL_COLUMNS), frame(SUPPLY_COLUMNS), frame(DISPOSAL_COLUMNS),
                       frame(QUOTA_COLUMNS), frame(OVERPLAN_COLUMNS), frame(PLAN_COLUMNS))


_DTYPES = {"project_id": object, "county_id": object, "plan": object, "source": object, "kind": object, "phase": "int64",
           "year": "int64", "run_id": "int64", "area": "float64", "approval_date": object, "supply_date": object}
