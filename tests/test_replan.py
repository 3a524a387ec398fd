"""Re-planning with the past fixed (quota.replan, quota/model/families/past.py): a three-year rolling case by hand.

One county a, no restriction, no penalty (its disposal tasks are met), no stock, no advance; δ = 0.5; quota 20, 8, 10.
  A   10 ha, earliest 2023, the highest value per hectare (w_A from the data below)
  B   two phases of 8 ha, earliest 2023 and 2024 (commit: all)
  C   12 ha, earliest 2023, the lowest value (w_C = 1: every intensity is the minimum)
The plan 2023–2025: 2023 holds 20 ha, so A + B1 (18) or C + B1 (20); B2 is owed in 2024 (its 8 ha fill 2024); 2025's
10 ha cannot take C (12). A + B1: 10·w_A + 16·w_B; C + B1 and A in 2025: 12·w_C + 16·w_B + 10·w_A·0.25. The first wins
when 7.5·w_A > 12·w_C, which the data make true: the plan approves A and B1 in 2023, B2 in 2024, and rejects C.
The ledger for 2023 deviates: C (rejected by the plan) was approved on 12 ha of new quota, A (approved by the plan) was
not. Re-planned with as_of 2024: 2023 is fixed (C + B1 charge all 20 ha of 2023), B2 is still owed in 2024, A can no
longer be approved in 2023 but is approved in 2025 (10 ha); the objective is 12·w_C + 16·w_B + 10·w_A·0.5².
"""
import datetime as dt

import pandas as pd
import pytest
from builder import county, project, write_scenario

from quota.check.audit import audit_run
from quota.errors import ScenarioError
from quota.ledger.facts import COLUMNS, LedgerFacts, empty_facts, facts_hash
from quota.reaudit import optimum
from quota.run import run_scenario

WEIGHTS = {"investment_intensity": 1.0, "tax_intensity": 1.0, "jobs_intensity": 0.5}
PROJECTS = [project(project_id="A", area=10, investment=9000, annual_tax=900, jobs=300),
            project(project_id="B", area=16, investment=4000, annual_tax=400, jobs=160),
            project(project_id="C", area=12, investment=1200, annual_tax=120, jobs=36)]
PHASES = [dict(project_id="B", plan="", phase=1, area=8, farmland_area=0, earliest_year=2023),
          dict(project_id="B", plan="", phase=2, area=8, farmland_area=0, earliest_year=2024)]


def scenario(tmp_path):
    return write_scenario(tmp_path / "s", [county(unsupplied_task=0, idle_task=0)], PROJECTS, PHASES,
                          quota={2023: 20, 2024: 8, 2025: 10}, delay_discount=0.5,
                          scoring={"weights": WEIGHTS, "urgent_bonus": 0.5}, linkage={"stock_credit": 0.1})


def w_by_hand() -> dict[str, float]:
    """w_p = 1 + Σ β·(z − min)/(max − min) over the three intensities (per ha of the project's area)."""
    p = pd.DataFrame(PROJECTS).set_index("project_id")
    w = pd.Series(1.0, index=p.index)
    for column, name in (("investment", "investment_intensity"), ("annual_tax", "tax_intensity"), ("jobs", "jobs_intensity")):
        z = p[column].astype(float) / p["area"].astype(float)
        w += WEIGHTS[name] * (z - z.min()) / (z.max() - z.min())
    return w.to_dict()


def facts_from(plan, as_of=2024, drop=("A",), add=(("C", "", 1, 2023, "new", 12.0),), **tables) -> LedgerFacts:
    """The plan's approvals of the years before as_of, less ``drop``, plus ``add``; the plan as the last plan."""
    a = plan.allocations
    a = a[(a["year"] < as_of) & ~a["project_id"].isin(drop)]
    rows = [dict(r._asdict(), approval_date=dt.date(r.year, 6, 30)) for r in a.itertuples(index=False)]
    rows += [dict(zip(COLUMNS["approvals"], (*row, dt.date(row[3], 9, 1)))) for row in add]
    base = empty_facts(as_of)
    parts = {name: tables.get(name, getattr(base, name)) for name in ("supply", "disposal", "quota_issued", "overplan")}
    return LedgerFacts(as_of, pd.DataFrame(rows, columns=COLUMNS["approvals"]), last_plan=plan.allocations.assign(run_id=1),
                       **parts)


@pytest.fixture
def plan(tmp_path):
    return run_scenario(scenario(tmp_path))


def test_the_plan_is_the_hand_plan(plan):
    w = w_by_hand()
    assert 7.5 * w["A"] > 12 * w["C"]  # the data make A + B1 the better 2023
    got = set(zip(plan.allocations["project_id"], plan.allocations["phase"], plan.allocations["year"]))
    assert got == {("A", 1, 2023), ("B", 1, 2023), ("B", 2, 2024)}
    assert plan.projects.at["C", "status"] == "rejected"
    assert plan.summary["objective"] == pytest.approx(10 * w["A"] + 16 * w["B"])


def test_replan_fixes_2023_owes_the_later_phase_and_charges_the_deviation(plan, tmp_path):
    w = w_by_hand()
    facts = facts_from(plan)
    r = run_scenario(scenario(tmp_path), facts=facts, out=tmp_path / "run")
    a = r.allocations
    got = {(p, k, y, s): area for p, k, y, s, area in zip(a["project_id"], a["phase"], a["year"], a["source"], a["area"])}
    assert got == {("C", 1, 2023, "new"): 12, ("B", 1, 2023, "new"): 8, ("B", 2, 2024, "new"): 8, ("A", 1, 2025, "new"): 10}
    assert r.years.at[2023, "charged"] == pytest.approx(20.0)  # the deviation's 12 ha are charged to 2023
    assert r.projects.at["B", "status"] == "approved" and r.projects.at["A", "status"] == "deferred"
    assert r.summary["objective"] == pytest.approx(12 * w["C"] + 16 * w["B"] + 10 * w["A"] * 0.5 ** 2)
    assert r.summary["as_of"] == 2024 and r.summary["facts_sha256"] == facts_hash(facts)
    assert r.checks["ok"].all() and "fixed_past" in set(r.checks["family"])
    run = tmp_path / "run"
    assert {p.name for p in (run / "facts").iterdir()} == {f"{n}.csv" for n in COLUMNS}
    checks = audit_run(run, optimum, "on")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert (checks["family"] == "fixed past").sum() >= 4
    report = (run / "report.md").read_text(encoding="utf-8")
    assert "Plan against actual" in report and "approved, not in the plan" in report and "planned, not approved" in report
    assert (run / "figures" / "plan_vs_actual.png").is_file()


def test_audit_catches_a_changed_past(plan, tmp_path):
    """An allocation moved in the past (A's 2025 approval rewritten to 2023, hashes kept true) fails ``fixed past``."""
    import hashlib
    import json

    r = run_scenario(scenario(tmp_path), facts=facts_from(plan), out=tmp_path / "run")
    run = tmp_path / "run"
    text = (run / "allocations.csv").read_text(encoding="utf-8").replace("A,,1,2025", "A,,1,2023")
    assert text != (run / "allocations.csv").read_text(encoding="utf-8")
    (run / "allocations.csv").write_text(text, encoding="utf-8")
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["allocations.csv"] = hashlib.sha256(text.encode()).hexdigest()
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    checks = audit_run(run, None, "off")
    bad = checks[~checks["ok"]]
    assert "fixed past" in set(bad["family"]) and r is not None


def test_the_verifier_catches_a_changed_past(plan, tmp_path):
    from quota.check.verify import verify, violations

    r = run_scenario(scenario(tmp_path), facts=facts_from(plan))
    a = r.allocations.copy()
    a.loc[a["project_id"] == "A", "year"] = 2023
    assert "fixed_past" in set(violations(verify(r.scenario, a, r.projects, None))["family"])


def test_contradictions_are_listed_together_naming_both_sides(plan, tmp_path):
    add = (("Z", "", 1, 2023, "new", 5.0),  # no longer in projects.csv
           ("B", "X", 1, 2023, "new", 8.0),  # no plan X in phases.csv
           ("A", "", 1, 2023, "new", 11.0),  # more than A's 10 ha
           ("C", "", 1, 2024, "new", 12.0))  # not before as_of
    with pytest.raises(ScenarioError) as e:
        run_scenario(scenario(tmp_path), facts=facts_from(plan, drop=("A", "B", "C"), add=add))
    text = str(e.value)
    assert len(e.value.issues) == 4, text  # Z; B/X; A's area; C's year (its area is right)
    assert "project Z was approved, but it is no longer in projects.csv" in text
    assert "phases.csv has no such plan and phase (it has -/1, -/2)" in text
    assert "add up to 11 ha, more than its area of 10 ha" in text
    assert "outside the fixed past 2023–2023" in text


def test_as_of_outside_the_horizon(plan, tmp_path):
    with pytest.raises(ScenarioError, match="as_of 2026 is outside the scenario's horizon 2023–2025"):
        run_scenario(scenario(tmp_path), facts=empty_facts(2026))


def test_facts_beyond_a_past_row_are_refused_with_the_row_named(plan, tmp_path):
    """A and C both approved in 2023 with B1: 30 ha against 2023's quota of 20, unless 30 were issued."""
    add = (("C", "", 1, 2023, "new", 12.0),)
    with pytest.raises(ScenarioError, match=r"city_quota row 2023: .* left side is 30 ha against 20.*quota_issued"):
        run_scenario(scenario(tmp_path), facts=facts_from(plan, drop=(), add=add))
    issued = pd.DataFrame({"year": [2023], "area": [30.0]})
    r = run_scenario(scenario(tmp_path), facts=facts_from(plan, drop=(), add=add, quota_issued=issued))
    assert r.years.at[2023, "quota"] == pytest.approx(30.0) and r.checks["ok"].all()


def test_a_source_the_project_may_not_draw_is_a_contradiction(plan, tmp_path):
    with pytest.raises(ScenarioError, match="C was approved in 2023 on advance, but the scenario does not let it draw advance"):
        run_scenario(scenario(tmp_path), facts=facts_from(plan, add=(("C", "", 1, 2023, "advance", 12.0),)))


def test_empty_facts_at_the_first_year_equal_a_run_without(tmp_path):
    folder = scenario(tmp_path)
    a = run_scenario(folder, out=tmp_path / "a")
    b = run_scenario(folder, facts=empty_facts(2023), out=tmp_path / "b")
    assert a.summary["objective"] == b.summary["objective"]
    for name in ("allocations.csv", "projects.csv", "counties.csv", "plans.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert "as_of" not in a.summary and b.summary["as_of"] == 2023


def test_the_facts_hash_survives_the_run_folder(tmp_path):
    """facts/*.csv hold areas to 6 decimals; the hash is of the facts as written, so the audit recomputes it."""
    from quota.ledger.facts import facts_tables, read_facts_folder
    from quota.report.safety import write_csv

    base = empty_facts(2024)
    facts = LedgerFacts(2024, pd.DataFrame([("A", "", 1, 2023, "new", 10 / 3, dt.date(2023, 1, 2))], columns=COLUMNS["approvals"]),
                        base.supply, pd.DataFrame([("a", 2023, "fee", 0.1 + 0.2)], columns=COLUMNS["disposal"]),
                        base.quota_issued, base.overplan, base.last_plan)
    for name, frame in facts_tables(facts).items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        write_csv(frame, tmp_path / name, "%.6f")
    assert facts_hash(read_facts_folder(tmp_path / "facts", 2024)) == facts_hash(facts)
