"""Explanations: shadow prices, relaxation prices, counterfactuals, infeasibility diagnosis, reasons."""
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from builder import county, project, write_scenario
from quota.model.build import build_model
from quota.commands.cli import cli
from quota.solve.solution import solve
from quota.errors import InfeasibleError
from quota.explain.counterfactual import eval_counterfactuals
from quota.explain.infeasible import diagnose_infeasibility
from quota.run import run_scenario, solve_scenario, write_result
from quota.input.validate import load

REPO = Path(__file__).resolve().parent.parent


def one_urgent_project(tmp_path):
    """One county, 2023–2024, quota 10 then 100; P1 is urgent, 12 ha, earliest 2023.

    w = 1 + 0.5 (urgent); alone in the population, every intensity term is 0.
    Approving it in 2023 is worth 12 × 1.5 = 18 and needs 2 ha of advance (cost 0.05 × 2 = 0.1):
    17.9. In 2024 it would be worth 18 × 0.9 = 16.2. So it is approved in 2023 with 10 ha new and
    2 ha advance, and the objective is 17.9.
    At the chosen approvals one more hectare of 2023 quota replaces a hectare of advance: its
    shadow price is the advance cost, 0.05. The relaxation takes the whole project in 2023 too, so
    its price is the same 0.05. The 2024 quota (100 ha) is slack: price 0.
    """
    return write_scenario(tmp_path, projects=[project(project_id="P1", area=12, urgent="true")],
                          years=[2023, 2024], quota={2023: 10, 2024: 100})


def test_shadow_prices_by_hand(tmp_path):
    r = solve_scenario(load(one_urgent_project(tmp_path)))
    assert r.solution.objective == pytest.approx(17.9)
    sp = r.explanations["shadow_prices"].set_index(["family", "key"])
    assert sp.at[("city_quota", "2023"), "shadow_price_per_ha"] == pytest.approx(0.05)
    assert sp.at[("city_quota", "2024"), "shadow_price_per_ha"] == pytest.approx(0.0)
    assert sp.at[("city_quota", "2023"), "relaxation_price_per_ha"] == pytest.approx(0.05)
    assert bool(sp.at[("city_quota", "2023"), "binding"]) and not bool(sp.at[("city_quota", "2024"), "binding"])
    assert "2023" in sp.at[("city_quota", "2023"), "label"]
    assert "marginal values at the chosen approvals" in r.explanations["shadow_prices"].attrs["caveat"]


def test_shadow_prices_are_per_unit_in_mu(tmp_path):
    """The same land in mu: the price per mu is the price per hectare divided by 15."""
    folder = write_scenario(tmp_path, projects=[project(project_id="P1", area=180, urgent="true")],
                            years=[2023, 2024], quota={2023: 150, 2024: 1500}, unit="mu")
    sp = solve_scenario(load(folder)).explanations["shadow_prices"].set_index(["family", "key"])
    assert sp.at[("city_quota", "2023"), "shadow_price_per_ha"] == pytest.approx(0.05)
    assert sp.at[("city_quota", "2023"), "shadow_price_per_unit"] == pytest.approx(0.05 / 15)


def test_every_constraint_has_its_slack(tmp_path):
    r = solve_scenario(load(one_urgent_project(tmp_path)))
    rows = r.explanations["constraints"].set_index(["family", "key"])
    assert rows.at[("city_quota", "2023"), "slack"] == pytest.approx(0.0)
    assert rows.at[("city_quota", "2024"), "slack"] == pytest.approx(100 - 2)  # the 2 ha advance is repaid in 2024
    assert (rows["slack"] >= -1e-6).all()


def test_counterfactual_by_hand(tmp_path):
    """Locking P1 out leaves nothing: the loss is the whole 17.9, proven."""
    r = solve_scenario(load(one_urgent_project(tmp_path)), counterfactuals=True)
    cf = r.explanations["counterfactuals"].loc["P1"]
    assert cf["kind"] == "why" and cf["result"] == "solved" and bool(cf["exact"])
    assert cf["loss_low"] == pytest.approx(17.9, abs=1e-3) and cf["loss_high"] == pytest.approx(17.9, abs=1e-3)


@pytest.fixture(scope="module")
def tiny_run():
    return solve_scenario(load(REPO / "tests" / "fixtures" / "tiny"), counterfactuals=True)


def test_counterfactuals_match_solving_with_a_lock(tiny_run, tmp_path):
    """Each counterfactual equals an independent re-solve: a rejected project locked in through
    projects.csv (`lock: in`), an approved one forbidden by bounds in a fresh PuLP model. (`lock: out`
    would exclude it and change the min-max population of w, which is not the question asked.)"""
    cf = tiny_run.explanations["counterfactuals"]
    base = tiny_run.solution.objective
    src = REPO / "tests" / "fixtures" / "tiny"
    checked = set()
    for pid, row in cf.iterrows():
        if row["result"] not in ("solved", "bounded"):
            continue
        if row["kind"] == "why_not":
            folder = tmp_path / pid
            folder.mkdir()
            for f in src.iterdir():
                (folder / f.name).write_bytes(f.read_bytes())
            projects = pd.read_csv(folder / "projects.csv", dtype=str, keep_default_na=False)
            projects.loc[projects["project_id"] == pid, "lock"] = "in"
            projects.to_csv(folder / "projects.csv", index=False)
            other = solve_scenario(load(folder)).solution.objective
        else:
            m = build_model(load(src))
            for x in m.cells.loc[m.cells["project_id"] == pid, "x"]:
                x.upBound = 0
            other = solve(m).objective
        assert row["loss_low"] - 1e-3 <= base - other <= row["loss_high"] + 1e-3, pid
        checked.add(row["kind"])
    assert checked == {"why", "why_not"} or checked == {"why"}


def test_essential_and_impossible(tiny_run):
    cf = tiny_run.explanations["counterfactuals"]
    # P3 and P5 are in restricted counties and cannot be supplied at all
    assert cf.loc["P3", "result"] == "impossible"
    assert set(cf["kind"]) <= {"why", "why_not"}


def test_infeasible_example_names_the_families_and_amounts():
    """scenarios/infeasible-example cuts the quota to 2 ha a year with no advance: the locked-in
    projects P163 (6.3 ha) and P174 (5.2 ha) cannot fit. The diagnosis names the city quota of the
    years where they go, with the shortfalls (6.3 − 2 and 5.2 − 2, or their sum in one year)."""
    s = load(REPO / "scenarios" / "infeasible-example")
    table = diagnose_infeasibility(s)
    assert set(table["family"]) == {"city_quota"}
    assert table["bend"].sum() == pytest.approx(6.3 + 5.2 - 2 * len(table), abs=1e-6)
    assert all(re.search(r"\d", m) for m in table["message"])
    with pytest.raises(InfeasibleError) as e:
        solve_scenario(s)
    assert "市级指标" in str(e.value) and e.value.diagnosis is not None


def test_infeasible_run_prints_the_diagnosis_and_exits_1(tmp_path):
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, ["run", str(REPO / "scenarios" / "infeasible-example"), "--out", str(out)])
    assert result.exit_code == 1
    assert "缺口" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_lock_nothing_can_supply_is_named(tmp_path):
    """P1 is locked in but its county is restricted (disposal rate 10/130 < 15%) and it may not use
    stock: no resource can make room, so the lock itself has to bend."""
    folder = write_scenario(tmp_path, counties=[county(unsupplied_disposed=5, idle_disposed=5)],
                            projects=[project(project_id="P1", lock="in")])
    table = diagnose_infeasibility(load(folder))
    assert list(table["family"]) == ["lock_in"] and list(table["key"]) == ["P1"]


GENERIC = ("not selected", "未入选", "not approved$")


def test_no_reason_is_generic(contract_run):
    """Every project that is not plainly approved has a specific reason with its figures."""
    p = contract_run.projects
    for pid, row in p[p["status"] != "approved"].iterrows():
        reason = row["reason"]
        assert re.search(r"\d", reason) or row["status"] == "excluded", (pid, reason)
        assert not any(re.search(g, reason) for g in GENERIC), (pid, reason)
        if row["status"] == "rejected" and row["in_model"] and row["new_ok"]:
            assert "价格" in reason or "price" in reason or "依赖" in reason or "requires" in reason \
                or "晚于规划期" in reason or "after the horizon" in reason, (pid, reason)
    deferred = p[p["status"] == "deferred"]
    assert len(deferred) and all(("年指标" in r or "剩余指标" in r or "was full" in r or "did not fit" in r) for r in deferred["reason"])


def test_quota_explain_prints_one_project(tmp_path):
    result = run_scenario(REPO / "tests" / "fixtures" / "tiny", counterfactuals=True)
    out = write_result(result, tmp_path / "run")
    done = CliRunner().invoke(cli, ["explain", str(out), "P1", "--no-solve"])
    assert done.exit_code == 0, done.output
    assert "P1" in done.output and "w = " in done.output and "counterfactual" in done.output
    missing = CliRunner().invoke(cli, ["explain", str(out), "NOPE"])
    assert missing.exit_code == 1 and "NOPE" in missing.output and "Traceback" not in missing.output
