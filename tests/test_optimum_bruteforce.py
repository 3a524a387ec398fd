"""The MIP's optimum equals a brute-force enumeration of every schedule on small random instances.

The enumeration is written from MODEL.md alone: every single-phase project gets a year (≥ its earliest,
clamped to the first year) or none; a schedule is feasible when the city quota with carry-over, the
county caps (×1.1 / ×0.8, over-plan deducted in the first year), the farmland quota, the restriction
and the dependencies hold; its value is Σ a·(w·δ^(y − max(e, y1)) − π). No advance (nobody is urgent)
and no stock (nobody is stock_ok), so each schedule's value is fixed by the years alone.
"""
import itertools
import random

import pytest
from builder import county, project, write_scenario
from familycheck import solve

YEARS = (2023, 2024, 2025)
DELTA = 0.9
# county presets: (columns, π, m, restricted by rate)
MET = (dict(), 0.0, 1.1, False)                                           # defaults: rate 31/130, tasks met
SHORT = (dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=30, idle_task=0, unsupplied_disposed=20,
              idle_disposed=0), 1 / 3, 0.8, False)                        # rate 0.2, shortfall 1/3
RATE = (dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=20, idle_task=0, unsupplied_disposed=10,
             idle_disposed=0), 0.5, 0.8, True)                            # rate 0.1: restricted, shortfall 0.5


def instance(seed):
    rng = random.Random(seed)
    counties, info = [], {}
    for cid in ("a", "b"):
        cols, pi, m, restricted = rng.choice([MET, SHORT, RATE])
        base = rng.choice(["", rng.randint(6, 16)])
        overplan = rng.choice([0, 0, 3])
        counties.append(county(county_id=cid, name=cid, cap_base=base, overplan=overplan, **cols))
        info[cid] = dict(pi=pi, m=m, base=base, overplan=overplan, restricted=restricted)
    projects = []
    for i in range(5):
        area = rng.randint(2, 10)
        projects.append(project(project_id=f"P{i}", county_id=rng.choice("ab"), area=area, farmland_area=rng.randint(0, area),
                                earliest_year=rng.choice([2022, 2023, 2024, 2025]), key_level=rng.choice(["none", "city"]),
                                category=rng.choice(["industry", "livelihood"])))
    deps = [dict(project_id=f"P{j}", requires=f"P{i}") for i, j in itertools.combinations(range(5), 2) if rng.random() < 0.15]
    config = dict(quota={y: rng.randint(6, 20) for y in YEARS}, carry_over=rng.choice([0.0, 0.5]),
                  linkage={"restrict_on_overplan": False},
                  scoring={"weights": {"investment_intensity": 0, "tax_intensity": 0, "jobs_intensity": 0}})
    if rng.random() < 0.5:
        config["farmland_quota"] = {y: rng.randint(3, 12) for y in YEARS}
    return counties, info, projects, deps, config


def brute_force(info, projects, deps, config):
    quota, carry, farm = config["quota"], config["carry_over"], config.get("farmland_quota")
    choices = []
    for p in projects:
        c = info[p["county_id"]]
        if c["restricted"] and p["category"] != "livelihood":
            choices.append([None])
        else:
            choices.append([None] + [y for y in YEARS if y >= max(p["earliest_year"], YEARS[0])])
    best = 0.0
    for pick in itertools.product(*choices):
        year = {p["project_id"]: y for p, y in zip(projects, pick)}
        if any(year[d["project_id"]] is not None and (year[d["requires"]] is None or year[d["requires"]] > year[d["project_id"]])
               for d in deps):
            continue
        ok, carried = True, 0.0
        for i, y in enumerate(YEARS):
            here = [p for p in projects if year[p["project_id"]] == y]
            used = sum(p["area"] for p in here)
            if used > quota[y] + carried + 1e-9:
                ok = False
                break
            carried = carry * (quota[y] + carried - used)
            if farm is not None and sum(p["farmland_area"] for p in here) > farm[y] + 1e-9:
                ok = False
                break
            for cid, c in info.items():
                if c["base"] == "":
                    continue
                cap = c["m"] * c["base"] - (c["overplan"] if i == 0 else 0)
                if sum(p["area"] for p in here if p["county_id"] == cid) > max(0.0, cap) + 1e-9:
                    ok = False
            if not ok:
                break
        if not ok:
            continue
        value = 0.0
        for p, y in zip(projects, pick):
            if y is not None:
                w = 1.3 if p["key_level"] == "city" else 1.0
                wait = y - max(p["earliest_year"], YEARS[0])
                value += p["area"] * (w * DELTA ** wait - info[p["county_id"]]["pi"])
        best = max(best, value)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_optimum_matches_enumeration(tmp_path, seed):
    counties, info, projects, deps, config = instance(seed)
    r = solve(write_scenario(tmp_path, counties, projects, dependencies=deps, **config))
    best = brute_force(info, projects, deps, config)
    assert r.solution.objective == pytest.approx(best, rel=2e-4, abs=1e-6)
