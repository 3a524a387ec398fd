"""The bundled default scenario: 石家庄 under the hebei-2024 rule set (issue #16), and its first-contract twin.

Checks the data against what its README claims (the sources it cites), and the run against what the rule set
must show: 限批 decided by year and lifted by disposal, earned quota binding, the provincial reserve, the
ring-fence, the early batch, the report's new sections with Chinese charts, and an audit with no discrepancy.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from quota.check.audit import audit_run
from quota.commands.cli import cli
from quota.input.idle import eval_idle_parcels
from quota.input.validate import load

POVERTY = {"xingtang", "lingshou", "zanhuang", "pingshan"}  # the former national poverty counties (Hebei 2012 list)
MU_PER_HA = 15


@pytest.fixture(scope="module")
def scenario(default_path):
    return load(default_path)


def per_year(run_dir) -> pd.DataFrame:
    """counties.csv of a run under earned linkage: one row per county and year (RULES.md)."""
    return pd.read_csv(run_dir / "counties.csv")


def test_the_default_is_hebei_2024_and_the_first_contract_twin_has_no_rules(scenario, contract_path):
    assert scenario.rules.name == "hebei-2024"
    assert load(contract_path).rules.name is None
    assert "xinji" not in scenario.counties.index and "xinji" in load(contract_path).counties.index  # 省直管: left out
    assert set(scenario.counties.index[scenario.counties["poverty_county"]]) == POVERTY
    assert scenario.counties["cap_base"].notna().all()  # required under earned linkage
    assert scenario.disposal is not None and scenario.history is not None


def test_zone_industry_meets_the_hebei_land_use_standard(scenario):
    """Industrial projects in development zones: at least 200 万元/亩 investment and 10 万元/亩 tax a year (provincial
    zones), 300 and 25 in the national zone (藁城经开区), as the scenario's README cites."""
    p = scenario.projects
    zone = p[p["category"].eq("industry") & p["name"].str.contains("经开区|高新区")]
    assert len(zone) >= 60
    mu = zone["area"] * MU_PER_HA
    national = zone["name"].str.contains("藁城经开区")
    assert (zone["investment"] / mu >= 200 - 1e-9).all() and (zone["annual_tax"] / mu >= 10 - 1e-9).all()
    assert (zone.loc[national, "investment"] / mu[national] >= 300 - 1e-9).all()
    assert (zone.loc[national, "annual_tax"] / mu[national] >= 25 - 1e-9).all()


def test_affordable_and_resettlement_housing_is_livelihood(scenario):
    p = scenario.projects
    assert p.loc[p["name"].str.contains("安置|保障性租赁"), "category"].eq("livelihood").all()


def test_idle_stock_is_the_land_classed_idle(scenario):
    parcels = eval_idle_parcels(scenario)
    idle = parcels[parcels["classification"].isin(["fee", "reclaim", "government"])].groupby("county_id")["area"].sum()
    assert len(idle) == 5
    for cid, area in idle.items():
        assert scenario.counties.at[cid, "idle_stock"] == pytest.approx(area)
    assert (parcels["classification"] == "not_idle").any()  # listed, but not idle stock


def test_history_gives_the_supply_rates_the_readme_names(scenario):
    h = scenario.history.groupby("county_id")[["approved", "supplied"]].sum()
    rate = (h["supplied"] / h["approved"]).round(3)
    assert {c: rate[c] for c in ("shenze", "zanhuang", "pingshan", "wuji", "xingtang")} == \
        {"shenze": 0.47, "zanhuang": 0.52, "pingshan": 0.565, "wuji": 0.59, "xingtang": 0.63}
    assert (rate.drop(["shenze", "zanhuang", "pingshan", "wuji", "xingtang"]) >= 0.66).all()


def test_the_default_run_shows_every_mechanism(default_run, default_pristine):
    assert default_run.solution.proven_optimal
    years = per_year(default_pristine)
    assert {"year", "base", "disposal_planned", "disposal_extra", "disposal_stock", "earned", "quota_used", "rate",
            "restricted_in_year"} <= set(years.columns)
    first = years[years["year"] == 2023].set_index("county_id")
    assert set(first.index[first["restricted_in_year"]]) == {"shenze", "zanhuang", "pingshan", "wuji", "xingtang"}
    lifted = years.groupby("county_id")["restricted_in_year"].agg(lambda r: r.iloc[0] and not r.iloc[-1])
    assert lifted.sum() >= 3  # disposal within the horizon lifts 限批
    assert (years["room"].abs() < 1e-6).sum() >= 3  # earned quota binds
    alloc = pd.read_csv(default_pristine / "allocations.csv")
    projects = pd.read_csv(default_pristine / "projects.csv").set_index("project_id")
    assert projects.loc[alloc.loc[alloc["source"] == "ring_fenced", "project_id"], "county_id"].isin(POVERTY).all()
    assert alloc["source"].eq("ring_fenced").any() and alloc["source"].eq("province").any()
    early = alloc.loc[alloc["source"] == "advance", "project_id"].unique()
    assert len(early) and projects.loc[early, "urgent"].all()  # only urgent projects enter the early batch
    assert projects.at["P020", "status"] == "higher_level"  # stand-alone-site provincial key project
    assert projects.at["P052", "status"] != "higher_level"  # a batch-reported zone park is inside the budget
    assert projects["reason"].str.contains(r"年限批\(近 5 年供地率 \d+\.\d% < 60%\).*后解除").any()
    assert not projects["reason"].str.contains("县级额度").any()  # under earned linkage the county row is earned quota
    assert projects["reason"].str.contains("挣得的指标已用满").any()
    prices = pd.read_csv(default_pristine / "shadow_prices.csv")
    assert prices["family"].eq("disposal").any() and (prices.loc[prices["family"] == "disposal", "relaxation_price_per_ha"] > 0).any()


def test_the_default_report_has_the_new_sections_with_chinese_charts(default_pristine):
    md = (default_pristine / "report.md").read_text(encoding="utf-8")
    assert "## 存量处置与挣得指标" in md and "## 规则集及其来源" in md and "未经核实" in md
    assert (default_pristine / "figures" / "earned.png").stat().st_size > 10_000


def test_the_default_run_passes_the_audit(default_pristine):
    checks = audit_run(default_pristine, resolve="off")
    assert len(checks) > 1000 and checks["ok"].all(), checks[~checks["ok"]].head().to_string()


def test_quota_compare_contract_2023_against_hebei_2024(pristine, default_pristine, tmp_path):
    out = tmp_path / "cmp"
    result = CliRunner().invoke(cli, ["compare", str(pristine), str(default_pristine), "--out", str(out)])
    assert result.exit_code == 0, result.output
    changed = pd.read_csv(out / "changed.csv")
    assert len(changed) > 20  # the rules move many projects
    assert json.loads((default_pristine / "manifest.json").read_text(encoding="utf-8"))["rules"]["name"] == "hebei-2024"


def test_docs_audit_example_on_the_default(default_pristine, tmp_path):
    """docs/audit.md: moving P051's stock to new quota in the default run fails the rule-set families too."""
    import shutil

    run = Path(shutil.copytree(default_pristine, tmp_path / "run"))
    rows = pd.read_csv(run / "allocations.csv", dtype={"project_id": str, "plan": str}, keep_default_na=False)
    edit = (rows["project_id"] == "P051") & (rows["source"] == "stock")
    assert edit.sum() == 1
    area, year = float(rows.loc[edit, "area"].iloc[0]), int(rows.loc[edit, "year"].iloc[0])
    rows.loc[edit, "source"] = "new"
    rows.to_csv(run / "allocations.csv", index=False, float_format="%.6f")
    checks = audit_run(run, resolve="off")
    failed = set(checks.loc[~checks["ok"], "family"])
    assert {"hash:output", "county use", "restriction by year", "city quota", "county years", "objective"} <= failed
    bad = checks[~checks["ok"]].set_index(["family", "key"])["message"]
    assert bad[("county years", f"shenze {year} disposal_stock")].startswith("recomputed 0.000000")
    if year == 2023:  # 深泽 is restricted in 2023 (its 5-year supply rate is 47.0%)
        assert f"{area:.6f} > 0.000000" in bad[("restriction by year", "shenze 2023 quota")]
