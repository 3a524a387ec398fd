"""The factor method (因素法) baseline: the split, the greedy choice, the run folder, and the
comparison with the optimiser on the default scenario (acceptance 1)."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from builder import county, project, write_scenario
from click.testing import CliRunner

from quota.model.build import build_model
from quota.commands.cli import cli
from quota.commands.compare import compare_runs, read_run
from quota.commands.compare_report import format_comparison
from quota.input.options import FactorOptions
from quota.pipeline import factor_scenario
from quota.solve.factor import eval_county_shares
from quota.commands.generate import generate_scenario
from quota.run import write_result
from quota.input.validate import load
from quota.input.variants import load_variant

TINY = Path(__file__).parent / "fixtures" / "tiny"


def two_counties(tmp_path, **config) -> Path:
    """County a disposed 30 ha and met both tasks (+10%); b disposed 10 ha and missed them (−20%).
    One year, quota 100; only the disposal factor counts. w falls with the project number."""
    counties = [county(county_id="a", name="甲", unsupplied_task=20, idle_task=5, unsupplied_disposed=25, idle_disposed=5),
                county(county_id="b", name="乙", unsupplied_stock=40, idle_stock=10, unsupplied_task=20, idle_task=5,
                       unsupplied_disposed=8, idle_disposed=2)]  # disposal rate 20%: not restricted
    areas = {"P1": ("a", 50), "P2": ("a", 40), "P3": ("a", 20), "P4": ("b", 15), "P5": ("b", 10)}
    projects = [project(project_id=pid, county_id=c, area=a, investment=a * (600 - 100 * i), annual_tax=0, jobs=0)
                for i, (pid, (c, a)) in enumerate(areas.items())]
    cfg = {"years": [2023], "quota": {2023: 100}, "factor": {"weights": {"disposal": 1, "demand": 0, "investment": 0}}, **config}
    return write_scenario(tmp_path / "two", counties, projects, **cfg)


def approved(result) -> set[str]:
    return set(result.projects.index[result.projects["status"].isin(["approved", "deferred", "partial"])])


def test_shares_by_weighted_factors_with_the_linkage_multiplier(tmp_path):
    """Shares 30/40 and 10/40; × 1.1 and × 0.8 give 0.825 + 0.2 = 1.025 > 1, so both are scaled back by 1.025."""
    s = load(two_counties(tmp_path))
    shares = eval_county_shares(build_model(s), FactorOptions(weights=(("disposal", 1.0), ("demand", 0.0), ("investment", 0.0))))
    assert shares["factor_share"].to_dict() == pytest.approx({"a": 0.75, "b": 0.25})
    assert shares["factor_multiplier"].to_dict() == pytest.approx({"a": 1.1, "b": 0.8})
    assert shares["factor_share_adjusted"].to_dict() == pytest.approx({"a": 0.825 / 1.025, "b": 0.2 / 1.025})


def test_each_county_picks_greedily_by_w_within_its_allowance(tmp_path):
    """a gets 80.49 ha: P1 (50) fits, P2 (40) does not, P3 (20) does. b gets 19.51: P4 (15) fits, P5 (10) does not.
    With `lapse` the 15 ha left lapse (85% used); with `pool` the city gives them to P5 (95%)."""
    lapse = factor_scenario(load(two_counties(tmp_path)))
    assert approved(lapse) == {"P1", "P3", "P4"}
    assert lapse.years.at[2023, "utilisation"] == pytest.approx(0.85)
    assert lapse.counties["quota_allowance_2023"].to_dict() == pytest.approx({"a": 100 * 0.825 / 1.025, "b": 100 * 0.2 / 1.025})
    assert lapse.projects.at["P2", "reason"].startswith("factor method: 甲's allowance for 2023")
    pool = factor_scenario(load(two_counties(tmp_path, factor={"weights": {"disposal": 1, "demand": 0, "investment": 0},
                                                               "unused": "pool"})))
    assert approved(pool) == {"P1", "P3", "P4", "P5"}
    assert pool.years.at[2023, "utilisation"] == pytest.approx(0.95)
    assert pool.checks["ok"].all() and lapse.checks["ok"].all()


@pytest.mark.parametrize("seed", [11])
def test_every_rule_holds_on_generated_scenarios(tmp_path, seed):
    """Phases, plans, dependencies, locks, restricted counties, stock, caps, farmland, carry-over: the
    independent verifier accepts the factor method's allocation (factor_scenario raises on any violation).
    With min_gap 2 a committed phase may not fit the horizon at all; its phase 1 must then stay unapproved."""
    folder = generate_scenario(tmp_path / "g", counties=6, projects=60, phased=0.3, locks=0.1, dependencies=0.15,
                               restricted=0.3, seed=seed)
    for unused, sets in (("lapse", []), ("pool", ["carry_over=0.5"]), ("lapse", ["phasing.min_gap=2"]), ("pool", ["phasing.commit=first"])):
        s = load_variant(folder, sets)
        r = factor_scenario(s, opts=FactorOptions(unused=unused))
        assert r.checks["ok"].all() and r.method == "factor"
        assert (r.allocations["source"] != "advance").all()  # the factor method has no rule for advance
        locked = s.projects.index[(s.projects["lock"] == "in")]
        assert set(locked) <= set(r.allocations["project_id"])


def test_cli_factor_run_folder(tmp_path):
    out = tmp_path / "factor"
    result = CliRunner().invoke(cli, ["run", str(TINY), "--out", str(out), "--method", "factor"])
    assert result.exit_code == 0, result.output
    assert "factor method" in result.output and "not proven optimal" not in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["method"] == "factor" and summary["bound"] is None and summary["verification"]["violations"] == 0
    audit = CliRunner().invoke(cli, ["audit", str(out)])
    assert audit.exit_code == 0, audit.output


def test_cli_factor_has_no_alternatives(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(TINY), "--out", str(tmp_path / "x"), "--method", "factor", "--alternatives", "2"])
    assert result.exit_code == 1 and "alternatives need the optimiser" in result.output


def test_the_optimiser_beats_the_factor_method_on_the_default_scenario(tmp_path, contract_path, contract_run, capsys):
    """Acceptance 1: value, utilisation (every year) and key projects approved, optimiser ≥ factor method.
    (The full report of a factor run is written in test_cli_factor_run_folder; short ones here, for speed.)"""
    write_result(contract_run, tmp_path / "optimiser", full_report=False)
    write_result(factor_scenario(load(contract_path)), tmp_path / "factor", full_report=False)
    c = compare_runs(read_run(tmp_path / "optimiser"), read_run(tmp_path / "factor"))
    h = c.headline.set_index(["measure", "key"])
    assert (h.at[("method", ""), "A"], h.at[("method", ""), "B"]) == ("optimise", "factor")
    for measure in ("value", "key_approved", "objective"):
        assert h.at[(measure, ""), "A"] >= h.at[(measure, ""), "B"], measure
    for year in ("2023", "2024", "2025"):
        assert h.at[("utilisation", year), "A"] >= h.at[("utilisation", year), "B"] - 1e-9
    for measure in ("urgent_approved", "stock_used"):
        assert pd.notna(h.at[(measure, ""), "A"]) and pd.notna(h.at[(measure, ""), "B"])
    text = format_comparison(c, "en")
    assert "factor method" in text and "key projects approved" in text and "stock used" in text
    with capsys.disabled():
        rows = h.loc[[("value", ""), ("key_approved", ""), ("urgent_approved", ""), ("stock_used", ""),
                      ("utilisation", "2023"), ("utilisation", "2024"), ("utilisation", "2025")], ["A", "B"]]
        print("\noptimiser (A) vs factor method (B):\n" + rows.to_string())


def test_factor_options_are_typed_on_the_scenario(tmp_path):
    """``factor`` is read once, by validate, into ``Scenario.factor``; the method never re-reads the raw yaml."""
    s = load(two_counties(tmp_path, factor={"weights": {"demand": 0, "investment": 2}, "unused": "pool"}))
    assert s.factor == FactorOptions((("disposal", 1.0), ("demand", 0.0), ("investment", 2.0)), "pool")
    assert load(TINY).factor == FactorOptions()
    stale = dataclasses.replace(s, config={**s.config, "factor": {"weights": {"investment": 0}}})  # the record only
    assert factor_scenario(stale).projects.equals(factor_scenario(s).projects)
