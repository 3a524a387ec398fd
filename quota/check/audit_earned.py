"""``quota audit`` under earned linkage (RULES.md 1) and dynamic restriction (RULES.md 3): the year columns of
counties.csv (one row per county and year, ``quota.counties_table``) recomputed from the inputs and allocations.csv.

With its own arithmetic (no model code): B_cy = max(0, m_c·cap_base_c − overplan_c) in the first year and m_c·cap_base_c
after, the planned disposal from disposal.csv, the stock drawn from the allocation's stock rows, the extra disposal
read from counties.csv and held within ``extra_max``; then each column and the row Σ(n + v) ≤ B + r·D.
Areas in the scenario's unit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..counties_table import year_part
from ..report.safety import read_csv
from .findings import Checks, at_most, same, texts

COLUMNS = ("base", "disposal_planned", "disposal_stock", "disposal", "earn_ratio", "earned", "limit", "quota_used", "room")


def earned_mode(cfg: dict) -> bool:
    return cfg["linkage"].get("mode", "penalty") in ("earned", "both")


def dynamic_mode(cfg: dict) -> bool:
    return str(cfg.get("restriction", {}).get("dynamic", False)).lower() in ("true", "1")


def supply_trigger(cfg: dict) -> bool:
    return cfg.get("restriction", {}).get("trigger", "disposal_rate") == "supply_rate"


def history_rates(inp: dict, cid: str, y: int, horizon: dict | None = None) -> tuple[float, float, float]:
    """(rate, approved, supplied) over the window before ``y``: history.csv's years, and ``horizon`` (year → (approved,
    supplied)) for the horizon's; rate 1 with nothing approved."""
    h = inp.get("history")
    window = int(inp["cfg"].get("restriction", {}).get("window", 5))
    rows = {} if h is None else {(c, int(yy)): (_num(a), _num(b)) for c, yy, a, b in zip(h["county_id"], h["year"], h["approved"], h["supplied"])}
    a = b = 0.0
    for yy in range(y - window, y):
        got = (horizon or {}).get(yy) if yy >= inp["years"][0] else rows.get((cid, yy))
        if got:
            a, b = a + got[0], b + got[1]
    return (b / a if a > 0 else 1.0), a, b


def _num(v) -> float:
    return 0.0 if v is None or str(v).strip() == "" else float(v)


def planned(inp: dict) -> dict:
    """(county, year) → (planned, extra_max, extra_cost) from disposal.csv, in the scenario's unit (cost per ha)."""
    d = inp.get("disposal")
    if d is None:
        return {}
    return {(r["county_id"], int(r["year"])): (_num(r["unsupplied"]) + _num(r["idle"]), _num(r.get("extra_max")),
                                               _num(r.get("extra_cost"))) for r in d.to_dict("records")}


def wants_years(cfg: dict) -> bool:
    """Is counties.csv one row per county and year under these rules?"""
    return earned_mode(cfg) or dynamic_mode(cfg)


def year_rows(counties_csv: Path) -> pd.DataFrame | None:
    """The year columns of counties.csv by (county, year), or None when it is one row per county."""
    cy = year_part(read_csv(counties_csv, dtype={"county_id": str}))
    return None if cy is None else cy.set_index(["county_id", "year"])


def extra_cost(inp: dict, counties_csv: Path) -> float:
    """Σ extra_cost·X in the scenario's area unit (divided by per_ha with the rest of the objective)."""
    cy = year_rows(counties_csv) if wants_years(inp["cfg"]) else None
    if cy is None:
        return 0.0
    plan = planned(inp)
    return float(sum(plan.get((c, int(y)), (0, 0, 0))[2] * float(x) for (c, y), x in cy["disposal_extra"].items()))


def _checked_rows(c: Checks, family: str, inp: dict, counties_csv: Path) -> pd.DataFrame | None:
    """counties.csv's year rows, once each, after the check that there is exactly one per county and year."""
    cy = year_rows(counties_csv)
    if cy is None:
        c.add(family, "rows", False, "check.no_year_column")
        return None
    want = {(cid, y) for cid in inp["counties"].index for y in inp["years"]}
    ok = set(cy.index) == want and cy.index.is_unique
    c.add(family, "rows", ok, "" if ok else "check.not_one_per_year")
    return cy[~cy.index.duplicated()]


def check_county_years(c: Checks, inp: dict, link: pd.DataFrame, a: pd.DataFrame, counties_csv: Path) -> None:
    """``a``: allocations.csv with county_id. Families ``earned quota`` (the row) and ``county years`` (each column)."""
    cy = _checked_rows(c, "county years", inp, counties_csv)
    if cy is None:
        return
    r = float(inp["cfg"]["linkage"].get("earn_ratio", 1.0))
    years = inp["years"]
    plan = planned(inp)
    want = {(cid, y) for cid in inp["counties"].index for y in years}
    q = a[a["source"].isin(["new", "advance"])].groupby(["county_id", "year"])["area"].sum()
    s = a[a["source"] == "stock"].groupby(["county_id", "year"])["area"].sum()
    for cid, y in sorted(want & set(cy.index)):
        p, xmax, _ = plan.get((cid, y), (0.0, 0.0, 0.0))
        x = float(cy.at[(cid, y), "disposal_extra"])
        at_most(c, "county years", f"{cid} {y} disposal_extra", x, xmax, "check.what_extra")
        base = link.at[cid, "cap_first_year"] if y == years[0] else link.at[cid, "cap_later_years"]
        d = p + x + float(s.get((cid, y), 0.0))
        used = float(q.get((cid, y), 0.0))
        mine = dict(zip(COLUMNS, (base, p, float(s.get((cid, y), 0.0)), d, r, r * d, base + r * d, used, base + r * d - used)))
        for col, value in mine.items():
            c.add("county years", f"{cid} {y} {col}", same(value, cy.at[(cid, y), col]), "check.recomputed_vs", value=f"{value:.6f}",
                  file="counties.csv", found=cy.at[(cid, y), col])
        over = inp.get("overplan_facts", {}).get((cid, y), 0.0)  # re-planning: a past year's over-plan use widens the row
        at_most(c, "earned quota", f"{cid} {y}", used, base + r * d + over, "check.what_earned")


def check_restriction_years(c: Checks, inp: dict, city: pd.DataFrame, exempt: set, levels: set, counties_csv: Path) -> None:
    """Family ``restriction by year``: the rate before each year, (DU + DI + disposal of the earlier years) / (U + I),
    the over-plan years, the ``rate`` and ``restricted_in_year`` columns (without earned linkage the disposal and quota
    columns too), and no new or advance quota to a non-exempt project in a restricted county and year. ``city``:
    allocations.csv rows with county_id, in the scenario's unit."""
    cy = _checked_rows(c, "restriction by year", inp, counties_csv)
    if cy is None:
        return
    cfg, C, P, years = inp["cfg"], inp["counties"], inp["projects"], inp["years"]
    R = {"below": 0.15, "on_overplan": True, "overplan_years": 0, **cfg.get("restriction", {})}
    below = float(cfg["linkage"].get("restrict_below", R["below"])) if "below" not in cfg.get("restriction", {}) else float(R["below"])
    plan = planned(inp)
    stock = city[city["source"] == "stock"].groupby(["county_id", "year"])["area"].sum()
    bad = city[city["source"].isin(["new", "advance", "province"])]  # 限批 shuts the provincial reserve as new quota
    bad = bad[[not (P.at[q, "category"] in exempt or P.at[q, "key_level"] in levels) for q in bad["project_id"]]]
    bad = bad.groupby(["county_id", "year"])["area"].sum()
    approved = ["new", "advance", "province", "ring_fenced"]  # RULES.md 2: every approval on quota counts as approved
    used = city[city["source"].isin(approved)].groupby(["county_id", "year"])["area"].sum()
    new_adv = city[city["source"].isin(["new", "advance"])].groupby(["county_id", "year"])["area"].sum()
    for cid in C.index:
        total = float(C.at[cid, "unsupplied_stock"] + C.at[cid, "idle_stock"])
        done = float(C.at[cid, "unsupplied_disposed"] + C.at[cid, "idle_disposed"])
        horizon: dict = {}  # year → (approved, supplied) of the horizon: quota used, and quota plus disposal
        for i, y in enumerate(years):
            if (cid, y) not in cy.index:
                c.add("restriction by year", f"{cid} {y}", False, "check.no_year_row")
                continue
            rate = done / total if total > 0 else 1.0
            if supply_trigger(cfg):
                rate = history_rates(inp, cid, y, horizon)[0]
            over = bool(R["on_overplan"]) and C.at[cid, "overplan"] > 0 and (int(R["overplan_years"]) == 0 or i < int(R["overplan_years"])) \
                or _overplan_after(inp, R, cid, y)
            restricted = rate < below - 1e-9 or over
            shown = str(cy.at[(cid, y), "restricted_in_year"]).lower() == "true"
            c.add("restriction by year", f"{cid} {y} rate", same(rate, cy.at[(cid, y), "rate"]), "check.recomputed_vs",
                  value=f"{rate:.6f}", file="counties.csv", found=cy.at[(cid, y), "rate"])
            c.add("restriction by year", f"{cid} {y} restricted_in_year", shown == restricted, "check.recomputed_vs",
                  value=texts("check.yes" if restricted else "check.no"), file="counties.csv",
                  found=texts("check.yes" if shown else "check.no"))
            if restricted and y >= inp.get("as_of", years[0]):  # re-planning: what was approved before as_of stands
                at_most(c, "restriction by year", f"{cid} {y} quota", float(bad.get((cid, y), 0.0)), 0.0,
                        "check.what_restricted_year")
            p, xmax, _ = plan.get((cid, y), (0.0, 0.0, 0.0))
            x = float(cy.at[(cid, y), "disposal_extra"])
            if not earned_mode(cfg):
                at_most(c, "restriction by year", f"{cid} {y} disposal_extra", x, xmax, "check.what_extra")
            disposed = p + x + float(stock.get((cid, y), 0.0))
            if not earned_mode(cfg):  # else check_county_years compares them
                mine = {"disposal_planned": p, "disposal_stock": float(stock.get((cid, y), 0.0)), "disposal": disposed,
                        "quota_used": float(new_adv.get((cid, y), 0.0))}
                for col, value in mine.items():
                    c.add("restriction by year", f"{cid} {y} {col}", same(value, cy.at[(cid, y), col]), "check.recomputed_vs",
                          value=f"{value:.6f}", file="counties.csv", found=cy.at[(cid, y), col])
            done += disposed
            q = float(used.get((cid, y), 0.0))
            horizon[y] = (q, q + disposed + inp.get("supply_shift", {}).get((cid, y), 0.0))  # re-planning: the ledger's supply


def _overplan_after(inp: dict, R: dict, cid: str, y: int) -> bool:
    """Over-plan use the ledger recorded in an earlier year restricts ``y`` (within ``overplan_years`` after it; any with 0)."""
    n = int(R["overplan_years"])
    return bool(R["on_overplan"]) and any(c == cid and a > 0 and yy < y and (n == 0 or y - yy <= n)
                                          for (c, yy), a in inp.get("overplan_facts", {}).items())
