"""The independent verifier: silent on solved runs, loud on each corrupted allocation.

Each corruption changes one thing in the allocation table of a solved run (tiny
and the bundled default) and asserts that ``quota.check.verify.verify`` flags the
family of the rule it breaks, at the right key.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from quota.run import RunResult, run_scenario, write_result
from quota.input.scenario import HIGHER_LEVELS
from quota.check.verify import verify, violations

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def tiny_run() -> RunResult:
    return run_scenario(TINY)


@pytest.fixture(params=["tiny", "default"])
def run(request) -> RunResult:
    return request.getfixturevalue("tiny_run" if request.param == "tiny" else "default_run")


def flagged(r: RunResult, allocations: pd.DataFrame, scenario=None, objective=None) -> pd.DataFrame:
    return violations(verify(scenario or r.scenario, allocations, r.projects, objective))


def families(bad: pd.DataFrame) -> set[str]:
    return set(bad["family"])


def keys(bad: pd.DataFrame, family: str) -> set[str]:
    return set(bad.loc[bad["family"] == family, "key"])


def city(r: RunResult) -> pd.DataFrame:
    return r.allocations[r.allocations["source"] != "higher_level"]


def phase_rows(a: pd.DataFrame, pid, plan, phase) -> pd.Series:
    return (a["project_id"] == pid) & (a["plan"] == plan) & (a["phase"] == phase)


# ------------------------------------------------------------ baseline ----

def test_no_violation_on_a_solved_run(run):
    checks = verify(run.scenario, run.allocations, run.projects, run.solution.objective)
    assert len(checks) > 20
    assert violations(checks).empty, violations(checks)
    # every family of the contract was actually checked
    expected = {"phase_whole", "earliest_year", "in_horizon", "plan_choice", "advance_cap", "city_quota", "farmland",
                "advance_urgent_only", "stock_ok_only", "excluded_unallocated", "higher_level_placed", "dependency", "objective"}
    assert expected <= set(checks["family"])


def test_no_violation_from_the_written_run_folder(tiny_run, tmp_path):
    """The verifier works from the output tables alone: re-read them from a written run folder."""
    out = write_result(tiny_run, tmp_path / "run")
    allocations = pd.read_csv(out / "allocations.csv", dtype={"plan": str}, keep_default_na=False)
    projects = pd.read_csv(out / "projects.csv", dtype={"plan": str}, keep_default_na=False).set_index("project_id")
    objective = json.loads((out / "summary.json").read_text(encoding="utf-8"))["objective"]
    checks = verify(tiny_run.scenario, allocations, projects, objective)
    assert violations(checks).empty, violations(checks)
    assert len(checks) == len(tiny_run.checks)


# --------------------------------------------------------- corruptions ----

def test_raised_area(run):
    a = run.allocations.copy()
    i = a.index[a["source"] == "new"][0]
    a.loc[i, "area"] += 1.0
    bad = flagged(run, a)
    assert "phase_whole" in families(bad)
    row = a.loc[i]
    assert str((row["project_id"], row["plan"], int(row["phase"]), int(row["year"]))) in keys(bad, "phase_whole")


def test_phase_earlier_than_its_earliest_year(run):
    s = run.scenario
    c = city(run)
    e = c.merge(s.phases, on=["project_id", "plan", "phase"], validate="many_to_one")
    target = e[e["earliest_year"] > s.first_year].iloc[0]
    a = run.allocations.copy()
    a.loc[phase_rows(a, target["project_id"], target["plan"], target["phase"]), "year"] = target["earliest_year"] - 1
    bad = flagged(run, a)
    assert "earliest_year" in families(bad)
    assert all(k.startswith(f"('{target['project_id']}'") for k in keys(bad, "earliest_year"))


def test_phase_before_the_horizon(run):
    a = run.allocations.copy()
    i = city(run).index[0]
    a.loc[phase_rows(a, a.at[i, "project_id"], a.at[i, "plan"], a.at[i, "phase"]), "year"] = run.scenario.first_year - 1
    assert "in_horizon" in families(flagged(run, a))


def test_advance_to_a_project_that_is_not_urgent(run):
    a = run.allocations.copy()
    urgent = a["project_id"].map(run.scenario.projects["urgent"]).astype(bool)
    i = a.index[(a["source"] == "new") & ~urgent][0]
    a.loc[i, "source"] = "advance"
    assert "advance_urgent_only" in families(flagged(run, a))


def test_stock_to_a_project_not_stock_ok(run):
    a = run.allocations.copy()
    ok = a["project_id"].map(run.scenario.projects["stock_ok"]).astype(bool)
    i = a.index[(a["source"] == "new") & ~ok][0]
    a.loc[i, "source"] = "stock"
    assert "stock_ok_only" in families(flagged(run, a))


def test_new_quota_to_a_restricted_county(run):
    """A non-exempt project in a restricted (限批) county receives new quota."""
    s, P = run.scenario, run.scenario.projects
    restricted = run.counties.index[run.counties["restricted"].astype(bool)]
    candidates = P.index[P["county_id"].isin(restricted) & ~P["category"].isin(s.linkage.exempt_categories)
                         & ~P["key_level"].isin(HIGHER_LEVELS) & (run.projects["status"] != "excluded")]
    assert len(candidates), "the fixture needs a non-exempt project in a restricted county"
    pid = candidates[0]
    a = run.allocations[run.allocations["project_id"] != pid]
    ph = s.phases[(s.phases["project_id"] == pid) & (s.phases["phase"] == 1)].iloc[0]
    extra = {"project_id": pid, "plan": ph["plan"], "phase": 1, "year": max(ph["earliest_year"], s.first_year),
             "source": "new", "area": ph["area"]}
    a = pd.concat([a, pd.DataFrame([extra])], ignore_index=True)
    bad = flagged(run, a)
    assert "restriction" in families(bad)
    assert keys(bad, "restriction") == {pid}


def test_city_quota_exceeded(run):
    """Stock drawn in a year that used (nearly) all its quota is recharged as new quota."""
    s, a = run.scenario, run.allocations.copy()
    years = run.years
    over = years.index[years["charged"] + years["stock_used"] > years["available"] + 1e-3]
    assert len(over), "the fixture needs a year where stock covers more than the unused quota"
    y = over[0]
    a.loc[(a["year"] == y) & (a["source"] == "stock"), "source"] = "new"
    bad = flagged(run, a)
    assert "city_quota" in families(bad)
    assert str(y) in keys(bad, "city_quota")
    assert s.quota[y] < a.loc[(a["year"] == y) & (a["source"] == "new"), "area"].sum()


def test_phase_order_broken(run):
    c = city(run)
    firsts = c[c["phase"] == 1].drop_duplicates(["project_id", "plan"])
    seconds = c[c["phase"] == 2].drop_duplicates(["project_id", "plan"])
    pair = firsts.merge(seconds, on=["project_id", "plan"], suffixes=("_1", "_2"))
    assert len(pair), "the fixture needs an approved project with two phases"
    t = pair.iloc[0]
    a = run.allocations.copy()
    a.loc[phase_rows(a, t["project_id"], t["plan"], 1), "year"] = t["year_2"]  # phase 1 no longer comes first
    bad = flagged(run, a)
    assert "phase_order" in families(bad)
    assert str((t["project_id"], t["plan"], 2)) in keys(bad, "phase_order")


def test_later_phase_dropped_under_commit_all(run):
    c = city(run)
    t = c[c["phase"] == 2].iloc[0]
    a = run.allocations[~phase_rows(run.allocations, t["project_id"], t["plan"], 2)]
    assert run.scenario.phasing.commit == "all"
    assert "commitment" in families(flagged(run, a))


def test_dependency_broken(run):
    """p requires q: q's first phase moves to a year after p's."""
    s = run.scenario
    c = city(run)
    first = c[c["phase"] == 1].groupby("project_id")["year"].min()
    deps = s.dependencies[s.dependencies["project_id"].isin(first.index) & s.dependencies["requires"].isin(first.index)]
    deps = deps[deps["project_id"].map(first) < s.last_year]
    assert len(deps), "the fixture needs two approved projects, one requiring the other"
    p, q = deps.iloc[0]
    a = run.allocations.copy()
    a.loc[(a["project_id"] == q) & (a["phase"] == 1), "year"] = first[p] + 1
    bad = flagged(run, a)
    assert "dependency" in families(bad)
    assert str((p, q)) in keys(bad, "dependency")


def test_locked_in_project_dropped(run):
    s = run.scenario
    locked = s.projects.index[s.projects["lock"] == "in"]
    if len(locked):
        pid = locked[0]
    else:  # tiny has no lock: lock in an approved project and check that is still clean first
        pid = run.projects.index[run.projects["status"] == "approved"][0]
        s = dataclasses.replace(s, projects=s.projects.assign(lock=s.projects["lock"].where(s.projects.index != pid, "in")))
        assert flagged(run, run.allocations, scenario=s).empty
    assert pid in set(run.allocations["project_id"])
    a = run.allocations[run.allocations["project_id"] != pid]
    bad = flagged(run, a, scenario=s)
    assert "lock_in" in families(bad)
    assert pid in keys(bad, "lock_in")


def test_two_plans_of_one_project(run):
    s = run.scenario
    multi = s.phases.groupby("project_id")["plan"].nunique()
    approved = set(city(run)["project_id"])
    pid = next(p for p in multi.index[multi > 1] if p in approved)
    chosen = city(run).loc[city(run)["project_id"] == pid, "plan"].iloc[0]
    other = s.phases[(s.phases["project_id"] == pid) & (s.phases["plan"] != chosen) & (s.phases["phase"] == 1)].iloc[0]
    extra = {"project_id": pid, "plan": other["plan"], "phase": 1, "year": max(other["earliest_year"], s.first_year),
             "source": "new", "area": other["area"]}
    a = pd.concat([run.allocations, pd.DataFrame([extra])], ignore_index=True)
    bad = flagged(run, a)
    assert "plan_choice" in families(bad) and pid in keys(bad, "plan_choice")


def test_excluded_project_allocated(run):
    s = run.scenario
    pid = run.projects.index[run.projects["status"] == "excluded"][0]
    ph = s.phases[(s.phases["project_id"] == pid) & (s.phases["phase"] == 1)].iloc[0]
    extra = {"project_id": pid, "plan": ph["plan"], "phase": 1, "year": max(ph["earliest_year"], s.first_year),
             "source": "new", "area": ph["area"]}
    a = pd.concat([run.allocations, pd.DataFrame([extra])], ignore_index=True)
    assert "excluded_unallocated" in families(flagged(run, a))


def test_higher_level_project_charged_to_the_city(run):
    a = run.allocations.copy()
    i = a.index[a["source"] == "higher_level"][0]
    a.loc[i, "source"] = "new"
    assert "higher_level_outside_budget" in families(flagged(run, a))


def test_higher_level_project_dropped(run):
    """A higher-level key project is placed at its earliest year; leaving it out is a violation."""
    a = run.allocations.copy()
    pid = a.loc[a["source"] == "higher_level", "project_id"].iloc[0]
    bad = flagged(run, a[a["project_id"] != pid])
    assert "higher_level_placed" in families(bad)
    assert any(k.startswith(f"('{pid}'") for k in keys(bad, "higher_level_placed"))


def test_higher_level_project_moved(run):
    a = run.allocations.copy()
    i = a.index[a["source"] == "higher_level"][0]
    a.loc[i, "year"] += 1
    assert "higher_level_year" in families(flagged(run, a))


def test_stock_beyond_usable_stock(run):
    a = run.allocations.copy()
    i = a.index[a["source"] == "stock"][0]
    a.loc[i, "area"] += run.scenario.counties.at[run.scenario.projects.at[a.at[i, "project_id"], "county_id"], "usable_stock"]
    assert "stock" in families(flagged(run, a))


def test_edited_objective(run):
    obj = run.solution.objective
    assert flagged(run, run.allocations, objective=obj).empty
    bad = flagged(run, run.allocations, objective=obj * (1 + 1e-3))
    assert families(bad) == {"objective"}
    bad = flagged(run, run.allocations, objective=obj - 1.0)
    assert families(bad) == {"objective"}


def test_objective_check_sees_a_moved_allocation(run):
    """Delaying an approval changes the discounted value: the stated objective no longer matches."""
    s = run.scenario
    c = city(run)
    single = c.merge(s.phases.groupby("project_id")["phase"].max().rename("k"), on="project_id")
    t = single[(single["k"] == 1) & (single["year"] < s.last_year)].iloc[0]
    a = run.allocations.copy()
    a.loc[phase_rows(a, t["project_id"], t["plan"], 1), "year"] = t["year"] + 1
    assert "objective" in families(flagged(run, a, objective=run.solution.objective))
