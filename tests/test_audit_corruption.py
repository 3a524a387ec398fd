"""Every family of check ``quota audit`` reports fails on a run folder corrupted for it, and only the families
that corruption must drag along fail with it.

One run of a small scenario (tests/fixtures/tiny with idle parcels and a locked-in project, so that every
family is checked) is written once per session; each case corrupts its own copy the way a forger would (the
manifest's hashes made to agree, ``forger.reseal``), except the cases of the hash families themselves. A case
changes an output table, summary.json, the ``--set`` overrides the manifest records (the audit applies them to
the inputs), or an input it then re-hashes. ``test_families_are_those_the_code_emits`` holds
``quota.check.audit.FAMILIES`` equal to the family names in the audit's code, and
``test_every_family_is_corrupted`` holds the catalogue equal to FAMILIES: a new family needs a case here.
"""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from forger import manifest, move_inputs, reseal, reseal_inputs, save, save_manifest, save_summary, set_override, summary, table

import quota.check
from quota.check.audit import FAMILIES, audit_run
from quota.reaudit import optimum
from quota.run import run_scenario, write_result

TINY = Path(__file__).parent / "fixtures" / "tiny"
PARCELS = """parcel_id,county_id,area,agreed_start,grant_price,cause,actual_start,fee_levied,fee_levied_on
IP1,a,20,2021-03-01,1000,enterprise,,200,2022-04-01
IP2,b,50,2022-03-01,800,enterprise,,,
IP3,c,20,2021-01-15,500,government,,,
IP4,a,10,2023-01-10,300,enterprise,,,
"""  # reclaim, fee, government, not idle yet (at 2023-06-30); the areas add up to each county's idle_stock; IP2's
# fee of 160 万元 is not levied: the one finding (idle_findings.csv)


@pytest.fixture(scope="session")
def solved(tmp_path_factory) -> Path:
    """tiny, with idle parcels and P6 locked in: P1, P2, P4, P6, P7 (plan B, 3 phases) approved, P3 and P5
    rejected (restricted counties b and c), P8 excluded, P9 provincial; written with the full report."""
    base = tmp_path_factory.mktemp("corruption")
    scenario = Path(shutil.copytree(TINY, base / "scenario"))
    (scenario / "idle_parcels.csv").write_text(PARCELS, encoding="utf-8")
    with open(scenario / "scenario.yaml", "a", encoding="utf-8") as f:
        f.write("idle_land: {assessment_date: 2023-06-30}\n")
    projects = pd.read_csv(scenario / "projects.csv", dtype=str, keep_default_na=False)
    projects.loc[projects["project_id"] == "P6", "lock"] = "in"
    projects.to_csv(scenario / "projects.csv", index=False)
    return write_result(run_scenario(scenario), base / "run")


# ------------------------------------------------------------- editing ----

def edit(run: Path, name: str, key: str, row: str, **cells) -> None:
    """Set cells of the row whose ``key`` column is ``row``; a callable cell maps the old text to the new."""
    t = table(run, name)
    i = t.index[t[key] == row]
    assert len(i) == 1, (name, row)
    for col, v in cells.items():
        t.loc[i[0], col] = v(t.loc[i[0], col]) if callable(v) else v
    save(run, name, t)


def plus(d: float) -> Callable[[str], str]:
    return lambda text: f"{float(text) + d:.6f}"


def edit_allocation(run: Path, pid: str, was: str, **cells) -> None:
    """Set cells of the one allocation row of project ``pid`` from the source ``was``."""
    t = table(run, "allocations.csv")
    i = t.index[(t["project_id"] == pid) & (t["source"] == was)]
    assert len(i) == 1, (pid, was)
    for col, v in cells.items():
        t.loc[i[0], col] = v
    save(run, "allocations.csv", t)


def plain(run: Path, name: str, t: pd.DataFrame) -> None:
    """A table of text cells written as they are (``save`` would mark a text cell like "-3.000000" formula-safe)."""
    t.to_csv(run / name, index=False)


def edit_input(run: Path, tmp: Path, name: str, fn) -> None:
    """The forger moves the inputs, edits one (``fn`` on its text) and records its new hash."""
    path = move_inputs(run, tmp / "inputs") / name
    path.write_text(fn(path.read_text(encoding="utf-8")), encoding="utf-8")
    reseal_inputs(run)


# ---------------------------------------------------------- catalogue ----
# family → (corruption, the other families it must make fail too). A corruption returns audit_run's keywords.

CORRUPTIONS: dict[str, tuple[Callable[[Path, Path], dict | None], frozenset]] = {}
HASHES = ("hash", "hash:input", "hash:output")  # their cases do not reseal


def corrupts(family: str, *also: str):
    def register(fn):
        CORRUPTIONS[family] = (fn, frozenset(also))
        return fn
    return register


# a cell of an output table changed: family → (file, key column, row, cells)
CELL_EDITS = {
    "linkage": ("counties.csv", "county_id", "a", {"disposal_rate": "0.500000"}),
    "county use": ("counties.csv", "county_id", "a", {"new_used": plus(1)}),
    "idle": ("idle_parcels.csv", "parcel_id", "IP2", {"fee": "100.000000"}),
    "idle county totals": ("counties.csv", "county_id", "b", {"idle_fee_total": "100.000000"}),
    "idle findings": ("idle_findings.csv", "parcel_id", "IP2", {"amount": "100.000000"}),
    "value w": ("projects.csv", "project_id", "P1", {"w": plus(0.5)}),
    "status": ("projects.csv", "project_id", "P1", {"first_year": "2024"}),
    "reason": ("projects.csv", "project_id", "P1", {"reason": "approved by the mayor"}),
}
# the manifest's --set overrides changed, so that the run no longer fits the scenario it records:
# family → (overrides, the other families that must fail too)
OVERRIDES = {
    "inputs": ({"delay_discount": 5}, ()),  # validate refuses it: no discount can exceed 1
    "phase order": ({"phasing": {"min_gap": 2}}, ()),  # P7's phases are one year apart
    "restriction": ({"linkage": {"exempt_categories": ["infrastructure"]}}, ()),  # P4, P6: livelihood in restricted counties
    "city quota": ({"quota": {"2023": 20}}, ()),
    "farmland": ({"farmland_quota": {"2023": 1}}, ()),
    "county cap": ({"linkage": {"cut": 1.0}}, ("linkage",)),  # county b's cap becomes 0
}
for family, (name, key, row, cells) in CELL_EDITS.items():
    corrupts(family)(lambda run, tmp, e=(name, key, row, cells): edit(run, e[0], e[1], e[2], **e[3]))
for family, (sets, also) in OVERRIDES.items():
    corrupts(family, *also)(lambda run, tmp, sets=sets: set_override(run, **sets))


@corrupts("hash")
def _(run, tmp):  # a manifest whose outputs are a list: the hash section cannot be recomputed
    m = manifest(run)
    m["outputs"] = list(m["outputs"])
    save_manifest(run, m)


@corrupts("hash:input")
def _(run, tmp):
    m = manifest(run)
    m["inputs"][next(iter(m["inputs"]))] = "0" * 64
    save_manifest(run, m)


@corrupts("hash:output")
def _(run, tmp):
    with open(run / "report.md", "a", encoding="utf-8") as f:
        f.write("\nApproved by the mayor.\n")


@corrupts("files")
def _(run, tmp):
    (run / "report.xlsx").unlink()


@corrupts("allocation")
def _(run, tmp):  # projects.csv without its w column: the allocation section cannot be recomputed
    save(run, "projects.csv", table(run, "projects.csv").drop(columns=["w"]))


@corrupts("rows")
def _(run, tmp):  # a row of an unknown source, with no area (nothing else changes)
    t = table(run, "allocations.csv")
    save(run, "allocations.csv", pd.concat([t, pd.DataFrame([{"project_id": "P1", "plan": "", "phase": "1", "year": "2023",
                                                              "source": "bogus", "area": "0.000000"}])], ignore_index=True))


@corrupts("phase whole & on time", "county use", "objective")
def _(run, tmp):
    edit_allocation(run, "P6", "new", area="5.000000")


@corrupts("plan choice", "phase whole & on time", "commitment", "phase order")
def _(run, tmp):  # P7's phase 2 of plan B written as plan A's
    t = table(run, "allocations.csv")
    t.loc[(t["project_id"] == "P7") & (t["phase"] == "2"), "plan"] = "A"
    save(run, "allocations.csv", t)


@corrupts("commitment", "status", "reason", "county use", "objective")
def _(run, tmp):  # P7's last phase dropped, under commit: all
    t = table(run, "allocations.csv")
    save(run, "allocations.csv", t[~((t["project_id"] == "P7") & (t["phase"] == "3"))])


@corrupts("higher level", "status")
def _(run, tmp):  # the provincial P9 left unplaced
    t = table(run, "allocations.csv")
    save(run, "allocations.csv", t[t["project_id"] != "P9"])


@corrupts("eligibility", "status", "reason")
def _(run, tmp):  # the unready P8 claimed rejected, not excluded; the counts made to agree
    edit(run, "projects.csv", "project_id", "P8", status="rejected")
    s = summary(run)
    s["projects"]["excluded"] -= 1
    s["projects"]["rejected"] += 1
    save_summary(run, s)


@corrupts("advance urgent only", "county use", "objective")
def _(run, tmp):  # P2 is not urgent
    edit_allocation(run, "P2", "new", source="advance")


@corrupts("stock_ok only", "county use", "objective")
def _(run, tmp):  # P1's stock moved to P2, which may not draw stock; each phase stays whole
    edit_allocation(run, "P1", "stock", source="new")
    edit_allocation(run, "P2", "new", source="stock")


@corrupts("advance cap", "county use", "objective")
def _(run, tmp):  # the urgent P1 takes 2 ha in advance; the run claims at most 5% of next year's quota
    edit_allocation(run, "P1", "new", source="advance")
    set_override(run, advance={"max_share": 0.05})


@corrupts("early batch", "county use", "objective")
def _(run, tmp):  # within-year advance (RULES.md 5): the urgent P1's 2 ha of new quota taken as advance beside its stock
    edit_allocation(run, "P1", "new", source="advance")
    set_override(run, advance={"mode": "within_year", "previous_quota": 30})


@corrupts("stock", "county use", "objective")
def _(run, tmp):  # county a has 10 ha of usable stock
    edit_allocation(run, "P1", "stock", area="11.000000")
    edit_allocation(run, "P1", "new", area="1.000000")


@corrupts("dependency")
def _(run, tmp):  # P2 (2023) now requires P4 (2024)
    edit_input(run, tmp, "dependencies.csv", lambda text: text + "P2,P4\n")


@corrupts("lock in")
def _(run, tmp):  # the rejected P3 now locked in
    edit_input(run, tmp, "projects.csv", lambda text: text.replace("none,,false\nP4", "none,in,false\nP4"))


def rerun_under_rules(run: Path, tmp: Path, write) -> None:
    """The run folder replaced by a run of a scenario of tests/test_rules_supply.py (RULES.md items 4 and 6)."""
    from test_rules_supply import write_key, write_ring

    scenario = {"key": write_key, "ring": write_ring}[write](tmp / "rules")
    shutil.rmtree(run)
    write_result(run_scenario(scenario), run, full_report=False)


@corrupts("province reserve")
def _(run, tmp):  # B drew 15 ha of the reserve in 2023; the run claims a reserve of 14
    rerun_under_rules(run, tmp, "key")
    set_override(run, key_projects={"province_reserve": {"2023": 14}})


@corrupts("ring-fence")
def _(run, tmp):  # A1 drew 10 ha ring-fenced in 2023; the run claims 9 a county
    rerun_under_rules(run, tmp, "ring")
    set_override(run, ring_fence={"per_county": 9})


@corrupts("stock by year", "objective", "status", "reason")
def _(run, tmp):  # tests/test_taken_back_stock.py: P1's 10 ha of stock drawn in 2023, before the land taken back is usable
    from test_taken_back_stock import write_taken_back

    shutil.rmtree(run)
    write_result(run_scenario(write_taken_back(tmp / "taken")), run, full_report=False)
    t = table(run, "allocations.csv")
    t.loc[t["project_id"] == "P1", "year"] = "2023"
    plain(run, "allocations.csv", t)


@corrupts("objective")
def _(run, tmp):  # lowered by 1, the bound with it: the gap still holds
    s = summary(run)
    s["objective"] -= 1.0
    s["bound"] -= 1.0
    s["gap"] = abs(s["bound"] - s["objective"]) / abs(s["objective"])
    save_summary(run, s)


@corrupts("summary")
def _(run, tmp):
    s = summary(run)
    s["projects"]["approved"] += 1
    save_summary(run, s)


@corrupts("re-solve")
def _(run, tmp):  # a run solved with less quota in 2023, claiming to be the optimum of the scenario as it is
    scenario = Path(next(iter(manifest(run)["inputs"]))).parent
    shutil.rmtree(run)
    write_result(run_scenario(scenario, sets=["quota.2023=20"]), run, full_report=False)
    m = manifest(run)
    m.pop("overrides")
    save_manifest(run, m)
    return {"optimum": optimum, "resolve": "on"}


def _earned_run(run, tmp):
    """The run replaced by one under earned linkage (tests/test_rules_earned.py: X = 3, 18 of 18 ha used)."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from builder import county, project, write_scenario, write_table
    folder = write_scenario(tmp / "earned", [county(county_id="a", cap_base=10)],
                            [project(project_id="P1", area=12), project(project_id="P2", area=6)], years=[2024],
                            quota={2024: 100}, linkage={"mode": "earned", "bonus": 0, "cut": 0, "restrict_on_overplan": False})
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=3, idle=2, extra_max=3, extra_cost=0.5)])
    shutil.rmtree(run)
    write_result(run_scenario(folder), run, full_report=False)


@corrupts("county years")
def _(run, tmp):  # the quota used written one hectare high in counties.csv's one county-year row
    _earned_run(run, tmp)
    t = table(run, "counties.csv")
    t.loc[0, "quota_used"] = "19.000000"
    plain(run, "counties.csv", t)


@corrupts("earned quota", "objective")
def _(run, tmp):  # the extra disposal hidden, every column consistent with it: 18 ha used of 15 earned
    _earned_run(run, tmp)
    t = table(run, "counties.csv")
    t.loc[0, ["disposal_extra", "disposal", "earned", "limit", "room"]] = ["0.000000", "5.000000", "5.000000", "15.000000", "-3.000000"]
    plain(run, "counties.csv", t)


def _dynamic_run(run, tmp):
    """The run replaced by one under dynamic restriction (tests/test_rules_dynamic.py: county a restricted in 2024,
    5 ha disposed lift it in 2025; counties.csv has a row for 2024 and one for 2025)."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from builder import project
    from test_rules_dynamic import scenario
    folder = scenario(tmp / "dynamic", [project(project_id="P1", area=8, earliest_year=2024)],
                      [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)])
    shutil.rmtree(run)
    write_result(run_scenario(folder), run, full_report=False)


@corrupts("spatial")
def _(run, tmp):  # a spatial run (tests/test_spatial.py); a forger shrinks P2's overlap with the ecological red line
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from test_spatial import spatial_scenario
    shutil.rmtree(run)
    write_result(run_scenario(spatial_scenario(tmp / "spatial")), run, full_report=False)
    edit(run, "sites.csv", "project_id", "P2", ecological_redline="0.500000")


@corrupts("restriction by year", "objective")
def _(run, tmp):  # dynamic restriction: the extra disposal that lifted 2025 hidden; P1's 2025 quota then breaks it
    _dynamic_run(run, tmp)
    t = table(run, "counties.csv")
    t.loc[0, ["disposal_extra", "disposal"]] = ["0.000000", "0.000000"]
    t.loc[1, ["rate", "restricted_in_year"]] = ["0.100000", "True"]
    plain(run, "counties.csv", t)


@corrupts("county rows")
def _(run, tmp):  # a forger edits one year row of a county: the disposal rate of county a's 2025 row only
    _dynamic_run(run, tmp)
    t = table(run, "counties.csv")
    assert list(t["year"]) == ["2024", "2025"]
    t.loc[1, "disposal_rate"] = "0.500000"
    plain(run, "counties.csv", t)


def _replan_run(run, tmp):
    """The run replaced by a re-plan of tiny from 2024 (quota.replan): 2023 fixed to the plan's own 2023 approvals."""
    import datetime as dt

    from quota.ledger.facts import COLUMNS, LedgerFacts, empty_facts
    plan = run_scenario(TINY)
    a = plan.allocations[plan.allocations["year"] < 2024]
    approvals = a.assign(approval_date=dt.date(2023, 6, 30))[list(COLUMNS["approvals"])]
    base = empty_facts(2024)
    facts = LedgerFacts(2024, approvals, base.supply, base.disposal, base.quota_issued, base.overplan,
                        plan.allocations.assign(run_id=1))
    shutil.rmtree(run)
    write_result(run_scenario(TINY, facts=facts), run, full_report=False)


@corrupts("fixed past")
def _(run, tmp):  # re-planning: a fixed approval's area changed in facts/approvals.csv, the outputs resealed
    _replan_run(run, tmp)
    t = table(run, "facts/approvals.csv")
    t.loc[0, "area"] = f"{float(t.loc[0, 'area']) + 1:.6f}"
    plain(run, "facts/approvals.csv", t)


# -------------------------------------------------------------- tests ----

def failing(checks: pd.DataFrame) -> set[str]:
    return set(checks.loc[~checks["ok"], "family"])


@pytest.mark.parametrize("family", list(CORRUPTIONS))
def test_each_family_fails_on_its_corruption(solved, tmp_path, family):
    run = Path(shutil.copytree(solved, tmp_path / "run"))
    corrupt, also = CORRUPTIONS[family]
    kw = corrupt(run, tmp_path) or {}
    if family not in HASHES:
        reseal(run)
    checks = audit_run(run, **{"resolve": "off", **kw})
    bad = failing(checks)
    assert family in bad, f"{family} passed on its corruption; failing: {sorted(bad)}"
    assert bad <= {family} | also, checks[~checks["ok"]].to_string()


EARNED_ONLY = ("county years", "earned quota", "restriction by year")  # under linkage.mode earned | both or restriction.dynamic
# only; their cases run such a scenario
ONLY_ON_FAILURE = ("hash", "allocation", "advance urgent only", "stock_ok only")  # no row when the check holds
UNDER_RULES = ("province reserve", "ring-fence", "early batch",  # rows only under a rule the fixture does not name
               "spatial",  # or with spatial: layers (tests/test_spatial.py)
               "stock by year")  # or with land taken back within the horizon (tests/test_taken_back_stock.py)
REPLAN_ONLY = ("fixed past",)  # rows only in a re-plan with the ledger's facts (quota.replan); its case runs one


def test_untouched_run_passes_every_family(solved):
    """The fixture exercises every family (those with no row when they hold aside)."""
    checks = audit_run(solved, optimum=optimum, resolve="on")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert set(checks["family"]) == set(FAMILIES) - set(ONLY_ON_FAILURE) - set(UNDER_RULES) - set(EARNED_ONLY) - set(REPLAN_ONLY)


# ------------------------------------------- counties.csv per county and year ----

@pytest.fixture(scope="session")
def rules_solved(tmp_path_factory) -> Path:
    """Two counties, two years under earned linkage and restriction decided by year: counties.csv has every year
    column, one row per county and year. County a (10% disposed) is restricted in 2024."""
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from builder import county, project, write_scenario, write_table
    base = tmp_path_factory.mktemp("years")
    slow = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=0, idle_task=0, unsupplied_disposed=10, idle_disposed=0)
    counties = [county(county_id="a", name="甲县", cap_base=5, **slow),
                county(county_id="b", name="乙县", cap_base=10, **{**slow, "unsupplied_disposed": 50})]
    projects = [project(project_id="P1", county_id="a", area=8, earliest_year=2024),
                project(project_id="P2", county_id="b", area=12, earliest_year=2024, stock_ok="true"),
                project(project_id="P3", county_id="b", area=6, earliest_year=2025, category="livelihood")]
    folder = write_scenario(base / "scenario", counties, projects, years=[2024, 2025], quota={2024: 100, 2025: 100},
                            linkage={"mode": "earned", "stock_credit": 0, "bonus": 0, "cut": 0},
                            restriction={"dynamic": True, "below": 0.15})
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=2, idle=0, extra_max=10, extra_cost=0.01),
                                          dict(county_id="b", year=2024, unsupplied=3, idle=1, extra_max=0, extra_cost=0)],
                ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"])
    return write_result(run_scenario(folder), base / "run", full_report=False)


def changed(text: str) -> str:
    """Another value of a cell: a flag flipped, a number one more, other text marked."""
    if text in ("True", "False"):
        return "False" if text == "True" else "True"
    try:
        return f"{float(text) + 1:.6f}"
    except ValueError:
        return text + "x"


def test_rules_run_passes_with_counties_per_county_and_year(rules_solved):
    """The untouched run: counties.csv one row per county and year, key first, every year column; the audit passes."""
    from quota.counties_table import YEAR_COLUMNS
    t = table(rules_solved, "counties.csv")
    assert list(t.columns[:3]) == ["county_id", "name", "year"] and set(YEAR_COLUMNS) <= set(t.columns)
    assert list(zip(t["county_id"], t["year"])) == [("a", "2024"), ("a", "2025"), ("b", "2024"), ("b", "2025")]
    checks = audit_run(rules_solved, resolve="off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert {"county rows", "county years", "earned quota", "restriction by year"} <= set(checks["family"])


def test_every_year_column_tampered_is_caught(rules_solved, tmp_path):
    """Each year column of counties.csv changed in one row (county a, 2025) fails the audit, in the year families."""
    from quota.counties_table import YEAR_COLUMNS
    run = Path(shutil.copytree(rules_solved, tmp_path / "run"))
    pristine = table(run, "counties.csv")
    for col in YEAR_COLUMNS:
        t = pristine.copy()
        t.loc[1, col] = changed(t.loc[1, col])
        plain(run, "counties.csv", t)
        reseal(run)
        bad = failing(audit_run(run, resolve="off"))
        assert bad and bad <= {"county years", "earned quota", "restriction by year", "objective"}, (col, bad)


def test_a_county_column_differing_between_year_rows_is_caught(rules_solved, tmp_path):
    """Each first-contract column changed in one year row of a county (a forger editing one row) fails ``county rows``
    alone: the county's first row still agrees with the inputs, so only the repetition gives it away."""
    from quota.counties_table import YEAR_COLUMNS
    run = Path(shutil.copytree(rules_solved, tmp_path / "run"))
    pristine = table(run, "counties.csv")
    columns = [c for c in pristine.columns if c not in YEAR_COLUMNS and c != "county_id"]
    assert {"name", "disposal_rate", "restricted", "new_used", "quota_2024", "cap_first_year"} <= set(columns)
    for col in columns:
        t = pristine.copy()
        t.loc[1, col] = changed(t.loc[1, col])
        plain(run, "counties.csv", t)
        reseal(run)
        checks = audit_run(run, resolve="off")
        assert failing(checks) == {"county rows"}, (col, checks[~checks["ok"]].to_string())
        assert set(checks.loc[~checks["ok"], "key"]) == {"a"}, col


def test_counties_per_county_under_such_rules_is_caught(rules_solved, tmp_path):
    """counties.csv written one row per county (the year columns dropped) where the rules want a row per year."""
    from quota.counties_table import county_part
    run = Path(shutil.copytree(rules_solved, tmp_path / "run"))
    plain(run, "counties.csv", county_part(table(run, "counties.csv")))
    reseal(run)
    bad = failing(audit_run(run, resolve="off"))
    assert {"county rows", "county years", "restriction by year"} <= bad


def emitted_families() -> tuple[set[str], list[str]]:
    """The family names in the audit's code (quota/check, the verifier aside): the first argument of
    ``c.add``/``c.run`` and the ``family`` argument of a helper ``(c, family, ...)``. Also every family argument
    that is neither a literal nor a ``family`` parameter handed on, which the audit must not have."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(Path(quota.check.__file__).parent.glob("*.py"))
             if p.name not in ("verify.py", "__init__.py")]
    helpers = {f.name for t in trees for f in ast.walk(t) if isinstance(f, ast.FunctionDef)
               and [a.arg for a in f.args.args[:2]] == ["c", "family"]}
    found, other = set(), []
    for t in trees:
        for call in (n for n in ast.walk(t) if isinstance(n, ast.Call)):
            f = call.func
            if isinstance(f, ast.Attribute) and f.attr in ("add", "run") and getattr(f.value, "id", "") in ("c", "self"):
                arg = call.args[0]
            elif isinstance(f, ast.Name) and f.id in helpers:
                arg = call.args[1]
            else:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif not (isinstance(arg, ast.Name) and arg.id == "family"):
                other.append(ast.unparse(arg))
    return found, other


def test_families_are_those_the_code_emits():
    found, other = emitted_families()
    assert not other, f"write each family as a literal, so that FAMILIES can be checked: {other}"
    assert found == set(FAMILIES) and len(FAMILIES) == len(set(FAMILIES))


def test_every_family_is_corrupted():
    assert set(CORRUPTIONS) == set(FAMILIES)


def test_emitted_families_sees_a_new_family(monkeypatch, tmp_path):
    """The completeness test is not vacuous: a module with a new family, or a computed one, is seen."""
    fake = tmp_path / "check"
    shutil.copytree(Path(quota.check.__file__).parent, fake)
    with open(fake / "audit.py", "a", encoding="utf-8") as f:
        f.write("\n\ndef check_new(c, kind):\n    c.add('brand new', 'x', True)\n    c.add(f'hash:{kind}', 'x', True)\n")
    monkeypatch.setattr(quota.check, "__file__", str(fake / "__init__.py"))
    found, other = emitted_families()
    assert "brand new" in found and other == ["f'hash:{kind}'"]


def test_families_in_docs():
    """docs/audit.md's table names every family a run can fail (a section's own failure aside)."""
    text = (Path(__file__).parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    table = text[text.index("| check | what is recomputed | compared with |"):].split("\n\n")[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    named = {name for cell in rows for name in cell.strip().strip("`").split("`, `")}
    assert named == set(FAMILIES) - {"hash", "allocation"}
