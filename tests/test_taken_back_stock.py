"""Land taken back becomes usable stock of its county from the next year (issue 18), worked by hand.

County a (甲县) is restricted (disposal rate 2/100 < 0.15), so its industry projects may draw stock only. Its
usable_stock is 4 ha. Parcel IP1 (7.5 ha, agreed start 2021-03-01, never started) was taken back on 2023-05-10, two
full years idle: Order 53 Art. 14(2) reaches it, so its land is usable stock of a from 2024. The stock a may have
drawn is L_2023 = 4, L_2024 = L_2025 = 4 + 7.5 = 11.5 ha. P2 (1.5 ha) fits in 2023; P1 (10 ha, earliest 2023) does
not fit in 2023 (4 − 1.5 < 10) and is approved in 2024 from stock: 1.5 + 10 = 11.5 ha, the row exactly full.
Taken back in 2022 the land is part of usable_stock already (not added again); taken back after one year idle
(taken_back_early) it counts as no stock: either way P1 is rejected.
"""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
from builder import county, project, write_scenario

from quota.check.audit import audit_run
from quota.check.verify import verify, violations
from quota.input.idle import eval_idle_parcels
from quota.input.stock_years import stock_limits, taken_back_stock
from quota.input.validate import load
from quota.run import run_scenario, write_result

PARCEL = "parcel_id,county_id,area,agreed_start,grant_price,cause,actual_start,taken_back_on\n"


def write_taken_back(folder: Path, agreed: str = "2021-03-01", taken: str = "2023-05-10") -> Path:
    """The scenario of this module (county a restricted, 4 ha usable, IP1's 7.5 ha taken back on ``taken``)."""
    folder = write_scenario(folder, [county(idle_stock=0, unsupplied_disposed=2, idle_disposed=0, usable_stock=4)],
                            [project(project_id="P1", area=10, stock_ok="true", investment=5000),
                             project(project_id="P2", area=1.5, stock_ok="true")],
                            idle_land={"assessment_date": "2023-06-30"},
                            tables={"idle_parcels": "idle_parcels.csv"})
    (folder / "idle_parcels.csv").write_text(PARCEL + f"IP1,a,7.5,{agreed},1000,enterprise,,{taken}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = write_taken_back(tmp_path_factory.mktemp("taken") / "s")
    return run_scenario(folder)


def test_stock_is_usable_from_the_year_after_the_take_back(solved):
    s = solved.scenario
    assert stock_limits(s).loc["a"].tolist() == [4.0, 11.5, 11.5]
    back = taken_back_stock(s)
    assert back[["parcel_id", "year", "usable_from", "area"]].values.tolist() == [["IP1", 2023, 2024, 7.5]]
    stock = solved.allocations[solved.allocations["source"] == "stock"]
    assert sorted(stock[["project_id", "year", "area"]].itertuples(index=False, name=None)) == [("P1", 2024, 10.0), ("P2", 2023, 1.5)]
    assert solved.allocations["source"].eq("stock").all()  # restricted: stock only
    con = solved.explanations["constraints"].set_index(["family", "key"])
    assert con.loc[("stock", "a"), ["rhs", "lhs"]].tolist() == pytest.approx([11.5, 11.5])
    assert con.loc[("stock_by_year", "a/2023"), ["rhs", "lhs"]].tolist() == pytest.approx([4.0, 1.5])
    assert ("stock_by_year", "a/2024") not in con.index  # the land is usable: the horizon row holds from here
    reason = solved.projects.at["P1", "reason"]
    assert "includes 7.50 ha taken back from parcel IP1 on 2023-05-10" in reason and "stock of 甲县 in 2024" in reason
    parcels = eval_idle_parcels(s).set_index("parcel_id")
    assert parcels.at["IP1", "classification"] == "taken_back" and parcels.at["IP1", "stock_from"] == 2024


@pytest.mark.parametrize("agreed, taken, why", [("2020-03-01", "2022-05-10", "before the horizon: in usable_stock already"),
                                                ("2022-03-01", "2023-05-10", "one year idle: taken_back_early, no stock")])
def test_land_that_does_not_add_to_the_stock(tmp_path, agreed, taken, why):
    r = run_scenario(write_taken_back(tmp_path / "s", agreed, taken))
    assert taken_back_stock(r.scenario).empty, why
    assert stock_limits(r.scenario).loc["a"].tolist() == [4.0, 4.0, 4.0]
    assert r.projects.at["P1", "status"] == "rejected" and "stock_by_year" not in set(r.explanations["constraints"]["family"])


def test_without_take_backs_the_model_is_the_horizon_row(tmp_path):
    """No parcel taken back within the horizon: one stock row per county with usable_stock, and no other."""
    r = run_scenario(write_taken_back(tmp_path / "s", "2020-03-01", "2022-05-10"))
    con = r.explanations["constraints"]
    stock = con[con["family"].isin(["stock", "stock_by_year"])]
    assert stock[["family", "key", "rhs"]].values.tolist() == [["stock", "a", 4.0]]


def forged(result) -> pd.DataFrame:
    """P1's 10 ha of stock drawn in 2023, a year before the land taken back is usable."""
    a = result.allocations.copy()
    a.loc[a["project_id"] == "P1", "year"] = 2023
    return a


def test_the_verifier_catches_stock_used_a_year_early(solved):
    s = solved.scenario
    projects = solved.projects.assign(w=solved.projects["w"])
    assert violations(verify(s, solved.allocations, projects)).empty
    bad = violations(verify(s, forged(solved), projects))
    assert bad[["family", "key"]].values.tolist() == [["stock_by_year", "('a', 2023)"]]
    assert bad["lhs"].iloc[0] == pytest.approx(11.5) and bad["rhs"].iloc[0] == pytest.approx(4.0)


def test_the_audit_catches_it_independently(solved, tmp_path, monkeypatch):
    from forger import reseal, save, table

    run = write_result(solved, tmp_path / "run", full_report=False)
    checks = audit_run(run, resolve="off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert set(checks.loc[checks["family"] == "stock by year", "key"]) == {"a 2023"}
    t = table(run, "allocations.csv")
    t.loc[t["project_id"] == "P1", "year"] = "2023"
    save(run, "allocations.csv", t)
    reseal(run)
    # the audit recomputes the take-back without the idle module: break the producer's code and it still catches it
    import quota.input.stock_years as producer
    monkeypatch.setattr(producer, "taken_back_stock", lambda s: (_ for _ in ()).throw(AssertionError("idle module used")))
    checks = audit_run(run, resolve="off")
    bad = checks[~checks["ok"]]
    row = bad[bad["family"] == "stock by year"]
    assert row["key"].tolist() == ["a 2023"] and "11.500000 > 4.000000" in row["message"].iloc[0]
    assert "IP1 from 2024" in row["message"].iloc[0]


def test_the_first_contract_scenario_is_unchanged(contract_path):
    """The bundled first-contract city takes back nothing within its horizon: its stock rows are usable_stock."""
    s = load(contract_path)
    assert taken_back_stock(s).empty
    limits = stock_limits(s)
    for y in s.years:
        assert limits[y].tolist() == s.counties["usable_stock"].astype(float).tolist()
