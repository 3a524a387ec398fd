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
    return request.getfixturevalue("tiny_run" if request.param == "tiny" else "contract_run")


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


# --------------------------------------- every check, corrupted alone ----
# One corruption per check name the verifier can emit (tiny fixture): the corrupted output, or the
# scenario tightened under it, must make that check fail, and no other check than those ALSO names.
# test_every_check_is_corrupted holds the list equal to the names in quota/check/verify.py, so a new
# check needs its corruption here.

def _rows(a: pd.DataFrame, pid: str, source: str | None = None) -> pd.Index:
    mask = a["project_id"] == pid
    return a.index[mask & (a["source"] == source)] if source else a.index[mask]


def _first_new(a: pd.DataFrame, pid: str) -> int:
    return _rows(a, pid, "new")[0]


def _phase(a, s, want):
    """The first city row whose phase satisfies ``want(earliest_year, phase)``."""
    ph = s.phases.set_index(["project_id", "plan", "phase"])["earliest_year"]
    for i, r in a[a["source"] != "higher_level"].iterrows():
        if want(ph[(r.project_id, r.plan, r.phase)], r.phase):
            return i
    raise AssertionError("no such phase in the fixture")


def _corrupt(name: str, r: RunResult):
    """(allocations, scenario, objective) with exactly the rule ``name`` broken."""
    a, s, z = r.allocations.copy(), r.scenario, None
    if name == "sources":
        a.loc[_first_new(a, "P1"), "source"] = "bogus"
    elif name == "non_negative":
        a.loc[_first_new(a, "P1"), "area"] = -1.0
    elif name == "known_phase":
        a = pd.concat([a, a.loc[[_first_new(a, "P1")]].assign(phase=99)], ignore_index=True)
    elif name == "phase_once":
        row = a.loc[[_first_new(a, "P1")]]
        a = pd.concat([a, row.assign(year=row["year"] + 1, area=0.0)], ignore_index=True)
    elif name == "phase_whole":
        a.loc[_first_new(a, "P1"), "area"] *= 2
    elif name == "earliest_year":
        i = _phase(a, s, lambda e, k: e > s.first_year)
        a.loc[phase_rows(a, *a.loc[i, ["project_id", "plan", "phase"]]), "year"] = a.loc[i, "year"] - 1
    elif name == "in_horizon":
        i = _phase(a, s, lambda e, k: True)
        a.loc[phase_rows(a, *a.loc[i, ["project_id", "plan", "phase"]]), "year"] = s.last_year + 1
    elif name == "plan_choice":  # P7 has two plans: a phase of its other plan as well
        ph = s.phases[s.phases["project_id"] == "P7"]
        used = set(a.loc[a["project_id"] == "P7", "plan"])
        other = ph[~ph["plan"].isin(used)].iloc[0]
        a = pd.concat([a, pd.DataFrame([{"project_id": "P7", "plan": other["plan"], "phase": other["phase"],
                                         "year": max(int(other["earliest_year"]), s.first_year), "source": "new",
                                         "area": float(other["area"])}])], ignore_index=True)
    elif name == "phase_order":
        i = _phase(a, s, lambda e, k: k == 2)
        pid, plan = a.loc[i, "project_id"], a.loc[i, "plan"]
        y1 = a.loc[phase_rows(a, pid, plan, 1), "year"].min()
        a.loc[phase_rows(a, pid, plan, 2), "year"] = y1
        s = dataclasses.replace(s, phases=s.phases.assign(earliest_year=s.first_year))  # only the order breaks
    elif name == "commitment":
        i = _phase(a, s, lambda e, k: k == 2)
        a = a.drop(a.index[phase_rows(a, *a.loc[i, ["project_id", "plan", "phase"]])])
    elif name == "excluded_unallocated":
        p8 = s.phases[s.phases["project_id"] == "P8"].iloc[0]
        a = pd.concat([a, pd.DataFrame([{"project_id": "P8", "plan": p8["plan"], "phase": p8["phase"], "year": s.first_year,
                                         "source": "new", "area": float(p8["area"])}])], ignore_index=True)
    elif name == "higher_level_outside_budget":
        a.loc[_rows(a, "P9", "higher_level"), "source"] = "new"
    elif name == "higher_level_placed":
        a = a.drop(_rows(a, "P9"))
    elif name == "higher_level_year":
        a.loc[_rows(a, "P9"), "year"] += 1
    elif name == "higher_level_whole":
        a.loc[_rows(a, "P9"), "area"] *= 2
    elif name == "advance_urgent_only":
        a.loc[_first_new(a, "P7"), "source"] = "advance"
    elif name == "stock_ok_only":
        a.loc[_first_new(a, "P7"), "source"] = "stock"
    elif name == "restriction":  # every county restricted: the industry project P1's new quota is not exempt
        s = dataclasses.replace(s, linkage=dataclasses.replace(s.linkage, restrict_below=2.0))
    elif name == "advance_cap":  # an urgent project's new quota taken as advance, with no advance allowed
        a.loc[_first_new(a, "P1"), "source"] = "advance"
        s = dataclasses.replace(s, advance=dataclasses.replace(s.advance, max_share=0.0))
    elif name == "city_quota":
        s = dataclasses.replace(s, quota={y: q / 2 for y, q in s.quota.items()})
    elif name == "farmland":
        s = dataclasses.replace(s, farmland_quota={y: 0.0 for y in s.farmland_quota})
    elif name == "stock":
        s = dataclasses.replace(s, counties=s.counties.assign(usable_stock=0.0))
    elif name == "county_cap":
        s = dataclasses.replace(s, counties=s.counties.assign(cap_base=0.0, overplan=0.0))
    elif name == "dependency":  # P2 requires P1: P1 approved a year after P2
        first = a.loc[_rows(a, "P2"), "year"].min()
        a.loc[_rows(a, "P1"), "year"] = first + 1
        s = dataclasses.replace(s, phases=s.phases.assign(earliest_year=s.first_year))
    elif name == "lock_in":
        s = dataclasses.replace(s, projects=s.projects.assign(lock=s.projects["lock"].where(s.projects.index != "P3", "in")))
    elif name == "early_batch":  # within-year advance (RULES.md 5): P1's 2 ha of new quota taken as advance beside its stock
        adv = dataclasses.replace(s.rules.advance, mode="within_year", previous_quota=1000.0)
        s = dataclasses.replace(s, rules=dataclasses.replace(s.rules, advance=adv))
        a.loc[_first_new(a, "P1"), "source"] = "advance"
    elif name == "objective":
        z = r.solution.objective + 1.0
    else:
        raise AssertionError(f"no corruption for {name}")
    return a, s, z


def emitted_checks() -> set[str]:
    """Every check name in quota/check/verify.py: the first argument of each ``check(...)`` call, which must be
    a literal (a computed name could not be held equal to CHECKS)."""
    import ast

    import quota.check.earned as e
    import quota.check.verify as v
    import quota.check.verify_sources as vs

    trees = [ast.parse(Path(f.__file__).read_text(encoding="utf-8")) for f in (v, vs, e)]
    calls = [c for tree in trees for c in ast.walk(tree) if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "check"]
    computed = [ast.unparse(c.args[0]) for c in calls if not (isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str))]
    assert not computed, f"write each check name as a literal: {computed}"
    return {c.args[0].value for c in calls}


CHECKS = ["sources", "non_negative", "known_phase", "phase_once", "phase_whole", "earliest_year", "in_horizon",
          "plan_choice", "phase_order", "commitment", "excluded_unallocated", "higher_level_outside_budget",
          "higher_level_placed", "higher_level_year", "higher_level_whole", "advance_urgent_only", "stock_ok_only",
          "restriction", "advance_cap", "city_quota", "farmland", "stock", "county_cap", "dependency", "lock_in",
          "objective", "early_batch"]


# the other checks each corruption must break too: every check not named here must hold
ALSO = {"non_negative": {"phase_whole"}, "phase_once": {"phase_whole"}, "earliest_year": {"city_quota"},
        "in_horizon": {"dependency"}, "plan_choice": {"city_quota", "commitment"}, "phase_order": {"city_quota", "higher_level_year"},
        "commitment": {"phase_order"}, "excluded_unallocated": {"city_quota", "restriction"},
        "higher_level_outside_budget": {"city_quota", "county_cap", "higher_level_placed"}, "stock_ok_only": {"stock"},
        "dependency": {"higher_level_year"}}


EARNED_CHECKS = ["earned_quota", "extra_disposal", "county_years", "restriction_year"]  # corrupted in tests/test_rules_{earned,dynamic}.py
TAKEN_BACK_CHECKS = ["stock_by_year"]  # land taken back within the horizon: corrupted in tests/test_taken_back_stock.py


def test_every_check_is_corrupted():
    """The checks of the rules as practised are corrupted in tests/test_rules_{supply,earned,dynamic}.py."""
    from test_rules_dynamic import DYNAMIC_CORRUPTIONS
    from test_rules_earned import EARNED_CORRUPTIONS
    from test_rules_supply import RULE_CORRUPTIONS

    assert set(CHECKS) | set(RULE_CORRUPTIONS) | set(EARNED_CHECKS) | set(TAKEN_BACK_CHECKS) == emitted_checks() \
        and set(ALSO) <= set(CHECKS)
    assert set(EARNED_CORRUPTIONS) | set(DYNAMIC_CORRUPTIONS) == set(EARNED_CHECKS)


@pytest.mark.parametrize("name", CHECKS)
def test_each_check_fails_on_its_corruption(tiny_run, name):
    a, s, z = _corrupt(name, tiny_run)
    bad = violations(verify(s, a, tiny_run.projects, z))
    assert name in families(bad), f"{name} not flagged; flagged: {sorted(families(bad))}"
    assert families(bad) <= {name} | ALSO.get(name, set()), bad


def test_carry_over_is_counted_and_only_at_its_rate(tiny_run):
    """carry_over: with quota moved from year 1 to year 2 by carrying it, the plan holds at rate 1 and
    fails at rate 0.5 (the carried quota is recomputed, not taken as given)."""
    r = tiny_run
    used = r.checks[r.checks["family"] == "city_quota"].set_index("key")["lhs"]
    y1, y2 = r.scenario.years[0], r.scenario.years[1]
    quota = dict(r.scenario.quota)
    quota[y1], quota[y2] = float(used[str(y1)]) + 5.0, float(used[str(y2)]) - 5.0
    full = dataclasses.replace(r.scenario, quota=quota, carry_over=1.0)
    assert "city_quota" not in families(flagged(r, r.allocations, full))
    half = dataclasses.replace(full, carry_over=0.5)
    assert keys(flagged(r, r.allocations, half), "city_quota") == {str(y2)}
