"""Helpers for the constraint-family tests: read rows back from a built model, solve a scenario.

Variables are mapped back to their meaning through ``m.cells`` (columns x, v, s,
indexed by project, plan, phase, year) and ``m.carry`` (u by year), never by
parsing a PuLP name. Coefficients are read with ``constraint.items()``, which
PuLP 3.3 and PuLP 4 both provide; variables are looked up in a dict, which works
in both (PuLP 4 hands back fresh wrappers that hash and compare equal).
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from quota.counties_table import year_part
from quota.model.build import build_model
from quota.model.quota_model import QuotaModel
from quota.run import RunResult, output_tables, solve_scenario
from quota.input.validate import load

# scoring that makes every w_p = 1 (+ key bonus): keeps hand calculations short
FLAT = {"weights": {"investment_intensity": 0, "tax_intensity": 0, "jobs_intensity": 0}, "urgent_bonus": 0}


def build(path: Path) -> QuotaModel:
    return build_model(load(path))


def X(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    return ("x", pid, plan, phase, year)


def V(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    return ("v", pid, plan, phase, year)


def S(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    return ("s", pid, plan, phase, year)


def B(pid: str, year: int, phase: int = 1, plan: str = "") -> tuple:
    """The early-batch binary of within-year advance (RULES.md 5)."""
    return ("b", pid, plan, phase, year)


def U(year: int) -> tuple:
    return ("u", year)


def labels(m: QuotaModel) -> dict:
    """Every model variable -> its label: ('x'|'v'|'s'|'p'|'r'|'b', project, plan, phase, year) or ('u', year)."""
    out = {}
    for col in ("x", "v", "s", "p", "r", "b"):  # p, r: province reserve and ring-fenced quota (RULES.md items 4, 6)
        if col not in m.cells:
            continue
        for key, var in m.cells[col].items():
            if var is not None:
                out[var] = (col, *key)
    for year, var in m.carry.items():
        out[var] = ("u", year)
    if m.extra is not None:  # earned linkage: extra disposal X by (county, year)
        for (c, year), var in m.extra["var"].items():
            out[var] = ("X", c, year)
    return out


def terms(m: QuotaModel, expression) -> dict:
    """The non-zero coefficients of a constraint or expression, by variable label."""
    lab = labels(m)
    out: dict = {}
    for var, coef in expression.items():
        key = lab[var]
        out[key] = out.get(key, 0.0) + float(coef)
    return {k: c for k, c in out.items() if abs(c) > 1e-12}


def row(m: QuotaModel, family: str, key) -> dict:
    """Coefficients of one row of a family, checked against the family's recorded rhs."""
    fam = m.families[family]
    con = fam.loc[key]
    assert not isinstance(con, pd.Series), f"{family}[{key}] is not one row"
    rhs = fam.attrs["rhs"].loc[key]
    assert math.isclose(-con.constant, rhs, abs_tol=1e-9), f"{family}[{key}]: constant {con.constant} vs rhs {rhs}"
    return terms(m, con)


def keys(m: QuotaModel, family: str) -> list:
    fam = m.families.get(family)
    return [] if fam is None else list(fam.index)


def rhs(m: QuotaModel, family: str) -> dict:
    return {k: float(v) for k, v in m.families[family].attrs["rhs"].items()}


def objective(m: QuotaModel) -> dict:
    return terms(m, m.prob.objective)


def assert_terms(got: dict, want: dict) -> None:
    assert set(got) == set(want), f"variables differ: extra {set(got) - set(want)}, missing {set(want) - set(got)}"
    for k, c in want.items():
        assert math.isclose(got[k], c, rel_tol=1e-9, abs_tol=1e-9), f"{k}: {got[k]} != {c}"


def cell_keys(m: QuotaModel, column: str = "x") -> set:
    """(project, plan, phase, year) of every cell that has the given variable."""
    col = m.cells[column]
    return {tuple(k) for k, v in col.items() if v is not None}


def solve(path: Path) -> RunResult:
    r = solve_scenario(load(path))
    assert r.solution.proven_optimal
    assert r.checks["ok"].all()
    return r


def alloc(r: RunResult) -> dict:
    """{(project, phase, year, source): area} of a run, plans dropped (tests say which plan separately)."""
    a = r.allocations
    out: dict = {}
    for pid, ph, y, src, area in zip(a["project_id"], a["phase"], a["year"], a["source"], a["area"]):
        out[(pid, int(ph), int(y), src)] = out.get((pid, int(ph), int(y), src), 0.0) + float(area)
    return out


def assert_alloc(r: RunResult, want: dict) -> None:
    got = alloc(r)
    assert set(got) == set(want), f"allocations differ: got {got}, want {want}"
    for k, a in want.items():
        assert math.isclose(got[k], a, rel_tol=1e-6, abs_tol=1e-6), f"{k}: {got[k]} != {a}"


def counties(r: RunResult) -> pd.DataFrame:
    """counties.csv as the run folder gets it (``quota.run.output_tables``): one row per county and year under earned
    linkage or dynamic restriction. Areas in the scenario's unit (hectares in these tests)."""
    return output_tables(r)["counties.csv"]


def county_years(r: RunResult) -> pd.DataFrame:
    """The year columns of counties.csv (county_id, name, year, base, disposal..., rate, restricted_in_year)."""
    out = year_part(counties(r))
    assert out is not None, "counties.csv has no year rows"
    return out


def status(r: RunResult) -> dict:
    return r.projects["status"].to_dict()


def first_year(r: RunResult, pid: str):
    y = r.projects.at[pid, "first_year"]
    return None if pd.isna(y) else int(y)


def objective_is(r: RunResult, value: float) -> None:
    assert math.isclose(r.solution.objective, value, rel_tol=1e-6, abs_tol=1e-6), f"objective {r.solution.objective} != {value}"
