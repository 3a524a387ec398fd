"""The fixed past (re-planning): the years before ``as_of`` are the ledger's facts, fixed by variable bounds.

Seed clause 三(四): 「对投资大、占地规模较大的重大项目,按照"总体规划、分期建设、确保开工"的原则,结合项目开工建设进度,采取逐步安排的方式解决用地计划」
(``labels.SEED['phases']``): the plan is remade every year, from what was approved, supplied and disposed.

Mathematical formulation
    for every cell (p, k, y) with y < as_of (no rows: bounds; facts from quota.ledger.facts.LedgerFacts)
        x_pky = 1 where phase k of p was approved in year y, else x_pky = 0
        v_pky, s_pky, p_pky, r_pky = the approved area drawn on advance, stock, province reserve, ring-fenced quota
        (so n_pky = a_pk·x_pky − v − s − p − r is the area approved on new quota), 0 for a cell not approved
        b_pky = 1 exactly where the approval drew advance (within-year advance)
    u_y = c·max(0, Q_(y−1) + u_(y−1) − charged_(y−1))   for y < as_of: what the past carried over
    Q_y = quota_issued_y for y < as_of                  (quota.replan: the quota actually issued)
    county rows (county cap, earned quota) of a year y < as_of: right side + O_cy, the over-plan use recorded

Table rows (docs/model.md)
    fixed past | bounds, not rows: `x`, `v`, `s`, `p`, `r`, `b` of years `< as_of` fixed to the ledger's approvals; `u_y` to what the past carried

The rows of the other families stay as they are, so the facts count where the rules put them: a fact the last
plan did not propose is charged to the city quota row of its year; advance drawn in the last fixed year is repaid
from the first planned year (``next_year`` advance); the stock drawn counts against usable_stock over the horizon
and, where disposal is counted year by year, as disposal of its year; committed later phases of a project whose
phase 1 is a fact are still owed (commitment and phase order). Restriction (限批) is not decided for past years:
the dynamic restriction has no R_cy and no rows there. Over-plan use O_cy restricts the years after it (the first
``overplan_years`` of them, all with 0) under dynamic restriction. Under the supply-rate trigger, the past years of
the window count the approvals on quota as approved and the ledger's supply of them (its quota share) as supplied.
A fact the model cannot hold (no cell, no variable for its source, a row no later decision can satisfy) is an input
error naming the fact and the rule (``quota.replan_checks.check_facts``, ``quota.model.past_cells``, ``check_past_rows``).

Reads: the ledger's facts (approvals, supply, overplan; quota_issued and disposal through ``quota.replan``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import Issue, ScenarioError
from ...messages import MESSAGES
from ..quota_model import QuotaModel

SOURCE_COLUMN = {"advance": "v", "stock": "s", "province": "p", "ring_fenced": "r"}  # "new" is a·x less these
QUOTA_SOURCES = ("new", "advance", "province", "ring_fenced")
TOL = 1e-6


def as_of(s) -> int | None:
    return None if getattr(s, "facts", None) is None else int(s.facts.as_of)


def planned_from(s) -> int:
    """The first year the model decides: ``as_of`` with facts, else the first year of the horizon."""
    return as_of(s) or s.first_year


def overplan_of(s) -> dict[tuple[str, int], float]:
    """(county, year) → over-plan use recorded in the ledger (ha); empty without facts."""
    if getattr(s, "facts", None) is None:
        return {}
    o = s.facts.overplan
    return {(c, int(y)): float(a) for c, y, a in zip(o["county_id"], o["year"], o["area"])}


def overplan_allowance(s, counties, years) -> np.ndarray:
    """O_cy per (county, year) pair: the over-plan use the ledger records, widening the county rows of past years."""
    o = overplan_of(s)
    return np.array([o.get((c, int(y)), 0.0) for c, y in zip(counties, years)], dtype=float)


def overplan_restricts(s, county: str, year: int) -> bool:
    """Does over-plan use recorded in an earlier year restrict ``county`` in ``year`` (restriction.on_overplan; within
    ``overplan_years`` years after the over-use, any later year with 0)?"""
    R = s.rules.restriction
    if not R.on_overplan:
        return False
    n = R.overplan_years
    return any(c == county and a > 0 and y < year and (n == 0 or year - y <= n) for (c, y), a in overplan_of(s).items())


def supply_shift(s) -> dict[tuple[str, int], float]:
    """(county, year) → supplied less approved on quota for the ledger's approvals of that year (≤ 0): what the
    supply rate's past years change against the model's reading (approved on quota and supplied in the same year)."""
    if getattr(s, "facts", None) is None:
        return {}
    a = s.facts.approvals
    a = a[a["source"] != "higher_level"]
    if not len(a):
        return {}
    key = ["project_id", "plan", "phase", "year"]
    whole = a.groupby(key)["area"].sum()
    quota = a[a["source"].isin(QUOTA_SOURCES)].groupby(key)["area"].sum().reindex(whole.index, fill_value=0.0)
    sup = s.facts.supply.groupby(key)["area"].sum().reindex(whole.index, fill_value=0.0)
    frame = pd.DataFrame({"shift": sup * quota / whole - quota}).reset_index()
    frame["county_id"] = frame["project_id"].map(s.projects["county_id"])
    return {(c, int(y)): float(v) for (c, y), v in frame.groupby(["county_id", "year"])["shift"].sum().items()}


# ----------------------------------------------------------------- bounds ----

def add_fixed_past(m: QuotaModel) -> None:
    """Fix every cell before ``as_of`` (and the carry of those years) to the facts; then ``check_past_rows``."""
    s = m.scenario
    cut = as_of(s)
    if cut is None:
        return
    a = s.facts.approvals
    a = a[a["source"] != "higher_level"]
    key = ["project_id", "plan", "phase", "year"]
    by = a.pivot_table(index=key, columns="source", values="area", aggfunc="sum", fill_value=0.0)
    cells = m.cells
    past = cells["year"].to_numpy() < cut
    approved = set(by.index)
    for i in np.flatnonzero(past):
        cell = cells.index[i]
        on = cell in approved
        _fix(m, cells["x"].iat[i], 1.0 if on else 0.0)
        for src, col in SOURCE_COLUMN.items():
            if col in cells:
                _fix(m, cells[col].iat[i], float(by.at[cell, src]) if on and src in by else 0.0)
        if "b" in cells:
            _fix(m, cells["b"].iat[i], 1.0 if on and "advance" in by and by.at[cell, "advance"] > 0 else 0.0)
    _fix_carry(m, by, cut)
    if not m.elastic:  # a diagnosis build bends rows; the facts were checked by the normal build
        check_past_rows(m)


def _fix(m: QuotaModel, var, value: float) -> None:
    if var is None:
        return
    var.lowBound = value
    var.upBound = value
    m.fixed[var.name] = value


def _fix_carry(m: QuotaModel, by: pd.DataFrame, cut: int) -> None:
    """u_y for years y < as_of: c·max(0, Q_(y−1) + u_(y−1) − charged_(y−1)), what the past carried (the verifier's rule)."""
    s = m.scenario
    if not len(m.carry):
        return
    col = lambda name: by[name].groupby(level="year").sum() if name in by else pd.Series(dtype=float)  # noqa: E731
    new, adv = col("new"), col("advance")
    within = s.rules.advance.mode == "within_year"
    carried = 0.0
    for i, y in enumerate(s.years):
        if y >= cut:
            break
        if i > 0:
            _fix(m, m.carry[y], carried)
        charged = new.get(y, 0.0) + (adv.get(y, 0.0) if within else adv.get(s.years[i - 1], 0.0) if i else 0.0)
        carried = s.carry_over * max(0.0, s.quota[y] + carried - charged)


def check_past_rows(m: QuotaModel) -> None:
    """Every row with a fixed variable that no choice of the free ones (within their bounds) can satisfy: an input error
    per row, all at once, naming the row and the facts' side of it."""
    issues = []
    cut = as_of(m.scenario)
    for family, rows in m.families.items():
        for key, con in rows.items():
            terms = list(con.items())
            if not any(v.name in m.fixed for v, _ in terms):
                continue
            low = high = 0.0
            for v, c in terms:
                lo = -np.inf if v.lowBound is None else v.lowBound
                up = np.inf if v.upBound is None else v.upBound
                low += min(c * lo, c * up)
                high += max(c * lo, c * up)
            lb, ub = con.getLb(), con.getUb()
            tol = TOL * max(1.0, abs(ub if ub is not None else lb or 0.0))
            if (ub is not None and low > ub + tol) or (lb is not None and high < lb - tol):
                side, bound = (low, ub) if ub is not None and low > ub + tol else (high, lb)
                fix = f"replan.fact-contradiction.row.fix_{family}"
                issues.append(Issue.of("replan.fact-contradiction.row", "ledger: approvals", str(key), family,
                                       fix=fix if fix in MESSAGES else "replan.fact-contradiction.row.hint", cut=cut,
                                       family=family, key=key, side=f"{side:g}", bound=f"{bound:g}"))
    if issues:
        raise ScenarioError(issues)
