"""Rule sets and the rule keys of RULES.md (issue #16, first step: the options, not yet the mechanisms).

- ``rules: NAME`` merges the shipped set under the scenario's own keys, key by key; old names are aliases;
- every bad input of issue #16 that concerns keys and tables is an error naming file, row and column, all
  reported together;
- a rule the model does not follow yet is refused by ``run``, never solved silently as the first contract;
- ``rules: contract-2023`` gives the same run folder tables, byte for byte, as no ``rules:`` key;
- ``quota rules`` lists and shows the sets in Chinese and English.
"""
from __future__ import annotations

import fnmatch
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml
from builder import COUNTY, PROJECT, county, project, write_scenario, write_table
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import ScenarioError
from quota.input import rulesets
from quota.input.rule_options import RULE_KEYS, Rules
from quota.input.rules import check_implemented
from quota.input.rulesets import read_rule_set, rule_set_names
from quota.input.validate import load
from quota.input.variants import load_variant

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
HISTORY = ["county_id", "year", "approved", "supplied"]
DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]
EARNED_OK = {"advance": {"previous_quota": 90}}  # what national-2024 needs in scenario.yaml besides tables


def make(tmp_path: Path, counties=None, projects=None, history=None, disposal=None, county_columns=None,
         project_columns=None, **config) -> Path:
    """A two-county scenario valid under every shipped set (cap_base given, previous_quota, five years of history),
    with ``config`` overriding scenario.yaml keys and the tables replaced where given."""
    folder = write_scenario(tmp_path / "s", **config)
    counties = counties if counties is not None else [county(cap_base=20), county(county_id="b", name="乙县", cap_base=0)]
    write_table(folder / "counties.csv", counties, county_columns or list(COUNTY))
    projects = projects if projects is not None else [project(), project(project_id="P2", county_id="b")]
    write_table(folder / "projects.csv", projects, project_columns or list(PROJECT))
    if history is None:
        history = [dict(county_id=c, year=y, approved=10, supplied=6) for c in ("a", "b") for y in range(2018, 2023)]
    if history is not False:
        write_table(folder / "history.csv", history, HISTORY)
    if disposal is not None:
        write_table(folder / "disposal.csv", disposal, DISPOSAL)
    return folder


def issues_of(folder: Path, sets=()) -> list:
    with pytest.raises(ScenarioError) as e:
        load_variant(folder, sets)
    return e.value.issues


def one(issues, code, **where):
    found = [i for i in issues if i.code == code and all(getattr(i, k) == v for k, v in where.items())]
    assert found, f"no {code} {where} in {[str(i) for i in issues]}"
    assert found[0].hint
    return found[0]


# ------------------------------------------------------------- sets ----

def test_shipped_sets_are_the_three_of_rules_md_and_each_gives_every_key_with_a_source():
    assert rule_set_names() == ["contract-2023", "hebei-2024", "national-2024"]
    for name in rule_set_names():
        rs = read_rule_set(name)
        assert [e.key for e in rs.entries] == list(RULE_KEYS)
        assert all(e.source and e.zh and e.en and e.confirmed in ("yes", "no", "reported") for e in rs.entries)
        # the source as a Chinese reader knows it: Chinese, and a document by its title where the English names one
        for e in rs.entries:
            assert e.source_zh and e.source_in("zh") == e.source_zh and re.search(r"[\u4e00-\u9fff]", e.source_zh), e.key
            if re.search(r"Order \d+|〔\d{4}〕|notice|rules \(", e.source):
                assert "《" in e.source_zh, (name, e.key, e.source_zh)


def test_a_rule_set_without_source_zh_still_loads_and_its_source_is_marked(tmp_path, monkeypatch):
    """source_zh is optional: a scenario's own set (or an older file) without it reads, and a zh reader sees the
    source as written, marked; a source_zh that is not text is refused, naming the key."""
    folder = tmp_path / "sets"
    shutil.copytree(rulesets.RULESET_DIR, folder)
    data = yaml.safe_load((folder / "hebei-2024.yaml").read_text(encoding="utf-8"))
    for entry in data["keys"].values():
        del entry["source_zh"]
    (folder / "hebei-2024.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    e = {e.key: e for e in read_rule_set("hebei-2024", folder=folder).entries}["restriction.below"]
    assert e.source_zh == "" and e.source_in("en") == e.source == "Hebei, as reported in 2018 (RULES.md)"
    assert e.source_in("zh").startswith(e.source) and "未给出中文出处" in e.source_in("zh")
    data["keys"]["restriction.below"]["source_zh"] = ["a", "list"]
    (folder / "hebei-2024.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(rulesets, "RULESET_DIR", folder)
    one(issues_of(make(tmp_path, rules="hebei-2024", **EARNED_OK)), "rule-entry", file="rulesets/hebei-2024.yaml",
        row="restriction.below")


def test_contract_2023_gives_the_first_contracts_values(tmp_path):
    """The set that names the first contract equals the defaults: Rules() is what no `rules:` gives."""
    assert load(make(tmp_path / "plain")).rules == Rules()
    s = load_variant(make(tmp_path), ["rules=contract-2023"])
    assert s.rules == Rules(name="contract-2023")


@pytest.mark.parametrize("name, key, value", [
    ("national-2024", "linkage.mode", "earned"), ("national-2024", "restriction.dynamic", True),
    ("national-2024", "restriction.exempt_key_levels", ("national",)), ("national-2024", "advance.mode", "within_year"),
    ("national-2024", "ring_fence.per_county", 40.0), ("national-2024", "restriction.overplan_years", 1),
    ("hebei-2024", "restriction.trigger", "supply_rate"), ("hebei-2024", "restriction.below", 0.6),
    ("hebei-2024", "key_projects.outside_budget", "national_and_standalone"),  # inherited from national-2024
    ("hebei-2024", "restriction.on_overplan", True),  # inherited from contract-2023
])
def test_rules_merges_the_set(tmp_path, name, key, value):
    s = load(make(tmp_path, rules=name, **EARNED_OK))
    assert s.rules.name == name and s.rules.value(key) == value
    assert s.rules.overridden == (("advance.previous_quota", None, 90.0),)  # the only key the scenario gives


def test_scenario_keys_override_the_set_key_by_key(tmp_path):
    """restriction.window from the scenario; the other restriction keys still from hebei-2024."""
    s = load(make(tmp_path, rules="hebei-2024", restriction={"window": 3, "below": 0.5}, **EARNED_OK))
    r = s.rules.restriction
    assert (r.window, r.below, r.trigger, r.dynamic) == (3, 0.5, "supply_rate", True)
    assert s.linkage.restrict_below == 0.5  # the model's Linkage follows restriction.below
    assert dict((k, (a, b)) for k, a, b in s.rules.overridden) == {"restriction.window": (5, 3), "restriction.below": (0.6, 0.5),
                                                                       "advance.previous_quota": (None, 90.0)}


def test_set_areas_follow_the_scenario_unit(tmp_path):
    """40 ha from the set is 40 ha in a mu scenario; 600 mu written by the scenario is 40 ha too."""
    s = load(make(tmp_path, rules="national-2024", unit="mu", advance={"previous_quota": 1350}))
    assert s.rules.ring_fence.per_county == 40.0 and s.rules.advance.previous_quota == 90.0
    s = load(make(tmp_path / "x", unit="mu", ring_fence={"per_county": 600}))
    assert s.rules.ring_fence.per_county == 40.0 and s.rules.name is None


def test_province_reserve_and_new_columns_are_typed(tmp_path):
    folder = make(tmp_path, key_projects={"province_reserve": {2023: 10, 2024: 0, 2025: 5}},
                  counties=[county(cap_base=20, poverty_county="是"), county(county_id="b", name="乙县", cap_base=0, poverty_county="")],
                  county_columns=list(COUNTY) + ["poverty_county"],
                  projects=[project(standalone_site="true"), project(project_id="P2", county_id="b", standalone_site="no")],
                  project_columns=list(PROJECT) + ["standalone_site"],
                  disposal=[dict(county_id="a", year=2024, unsupplied=5, idle=1, extra_max=3, extra_cost=0.2)])
    s = load(folder)
    assert s.rules.key_projects.province_reserve == ((2023, 10.0), (2024, 0.0), (2025, 5.0))
    assert bool(s.counties.at["a", "poverty_county"]) is True and bool(s.projects.at["P2", "standalone_site"]) is False
    assert bool(s.projects.at["P1", "standalone_site"]) is True and s.counties["poverty_county"].tolist() == [True, False]
    plain = load(make(tmp_path / "plain"))  # the columns absent: every flag false
    assert plain.counties["poverty_county"].dtype == bool and not plain.projects["standalone_site"].any()
    assert s.disposal.iloc[0].to_dict() == dict(county_id="a", year=2024, unsupplied=5.0, idle=1.0, extra_max=3.0, extra_cost=0.2)
    assert len(s.history) == 10


# ------------------------------------------------------------ aliases ----

@pytest.mark.parametrize("linkage, attr, value", [
    ({"restrict_below": 0.3}, "below", 0.3),
    ({"restrict_on_overplan": False}, "on_overplan", False),
    ({"exempt_categories": ["民生"]}, "exempt_categories", ("livelihood",)),
])
def test_old_names_still_work(tmp_path, linkage, attr, value):
    s = load(make(tmp_path, linkage=linkage))
    assert getattr(s.rules.restriction, attr) == value


@pytest.mark.parametrize("linkage, attr, value", [
    ({"restrict_below": 0.3}, "below", 0.3),
    ({"restrict_on_overplan": False}, "on_overplan", False),
    ({"exempt_categories": ["infrastructure"]}, "exempt_categories", ("infrastructure",)),
])
def test_an_old_name_in_the_scenario_overrides_the_sets_new_key(tmp_path, linkage, attr, value):
    s = load(make(tmp_path, rules="hebei-2024", linkage=linkage, **EARNED_OK))
    assert getattr(s.rules.restriction, attr) == value
    assert s.linkage.restrict_below == s.rules.restriction.below
    assert s.linkage.exempt_categories == s.rules.restriction.exempt_categories


@pytest.mark.parametrize("linkage, restriction, key", [
    ({"restrict_below": 0.3}, {"below": 0.2}, "restriction.below"),
    ({"restrict_below": 0.15}, {"below": 0.6}, "restriction.below"),
    ({"restrict_on_overplan": False}, {"on_overplan": True}, "restriction.on_overplan"),
    ({"exempt_categories": ["livelihood"]}, {"exempt_categories": ["livelihood", "infrastructure"]}, "restriction.exempt_categories"),
    ({"exempt_categories": []}, {"exempt_categories": ["housing"]}, "restriction.exempt_categories"),
])
def test_an_old_name_and_its_new_key_disagreeing_is_an_error(tmp_path, linkage, restriction, key):
    one(issues_of(make(tmp_path, linkage=linkage, restriction=restriction)), "alias-conflict", row=key, file="scenario.yaml")


def test_an_old_name_and_its_new_key_agreeing_is_fine(tmp_path):
    s = load(make(tmp_path, linkage={"restrict_below": 0.3, "exempt_categories": ["infrastructure", "livelihood"]},
                  restriction={"below": 0.3, "exempt_categories": ["livelihood", "infrastructure"]}))
    assert s.rules.restriction.below == 0.3


# ---------------------------------------------------------- bad input ----

@pytest.mark.parametrize("name", ["nope", "Hebei-2024", "national-2023", "contract_2023", "hebei-2024.yaml"])
def test_an_unknown_rule_set_lists_the_known_ones(tmp_path, name):
    issue = one(issues_of(make(tmp_path, rules=name)), "unknown-rule-set", file="scenario.yaml", row="rules", column="rules")
    assert "contract-2023, hebei-2024, national-2024" in issue.message


@pytest.mark.parametrize("value", [42, ["hebei-2024"], {"name": "hebei-2024"}, True, 2024.0])
def test_rules_must_be_a_name(tmp_path, value):
    one(issues_of(make(tmp_path, rules=value)), "yaml-type", row="rules")


@pytest.mark.parametrize("section, key", [("restriction", "belo"), ("linkage", "moda"), ("key_projects", "outside"),
                                          ("ring_fence", "per_countyy"), ("advance", "modes"), ("restriction", "trigers")])
def test_an_unknown_rule_key_in_the_scenario(tmp_path, section, key):
    one(issues_of(make(tmp_path, **{section: {key: 1}})), "unknown-key", row=f"{section}.{key}")


@pytest.mark.parametrize("key, value", [("restriction.bellow", 0.5), ("linkage.restrict_below", 0.2), ("quota", 5),
                                        ("linkage.penalty", 2), ("ring_fence.per", 40)])
def test_a_key_the_rule_set_schema_does_not_know(tmp_path, monkeypatch, key, value):
    folder = tmp_path / "sets"
    shutil.copytree(rulesets.RULESET_DIR, folder)
    data = yaml.safe_load((folder / "hebei-2024.yaml").read_text(encoding="utf-8"))
    data["keys"][key] = dict(value=value, source="x", confirmed="no", zh="x", en="x")
    (folder / "hebei-2024.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(rulesets, "RULESET_DIR", folder)
    one(issues_of(make(tmp_path, rules="hebei-2024", **EARNED_OK)), "unknown-rule-key", file="rulesets/hebei-2024.yaml", row=key)


@pytest.mark.parametrize("fault", ["no source", "confirmed maybe", "not a mapping", "extends unknown", "extends itself"])
def test_a_broken_rule_set_file(tmp_path, monkeypatch, fault):
    folder = tmp_path / "sets"
    shutil.copytree(rulesets.RULESET_DIR, folder)
    data = yaml.safe_load((folder / "national-2024.yaml").read_text(encoding="utf-8"))
    entry = data["keys"]["linkage.mode"]
    if fault == "no source":
        del entry["source"]
    elif fault == "confirmed maybe":
        entry["confirmed"] = "maybe"
    elif fault == "not a mapping":
        data["keys"]["linkage.mode"] = "earned"
    elif fault == "extends unknown":
        data["extends"] = "contract-2022"
    else:
        data["extends"] = "national-2024"
    (folder / "national-2024.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(rulesets, "RULESET_DIR", folder)
    issues = issues_of(make(tmp_path, rules="national-2024", **EARNED_OK))
    assert all(i.file == "rulesets/national-2024.yaml" and i.hint for i in issues), [str(i) for i in issues]


@pytest.mark.parametrize("config, key", [
    ({"linkage": {"mode": "price"}}, "linkage.mode"), ({"restriction": {"trigger": "rate"}}, "restriction.trigger"),
    ({"restriction": {"window": 0}}, "restriction.window"), ({"restriction": {"below": 1.5}}, "restriction.below"),
    ({"key_projects": {"outside_budget": "some"}}, "key_projects.outside_budget"), ({"advance": {"mode": "later"}}, "advance.mode"),
    ({"ring_fence": {"per_county": -1}}, "ring_fence.per_county"), ({"restriction": {"exempt_key_levels": ["county"]}}, "restriction.exempt_key_levels"),
    ({"advance": {"early_gain": 2}}, "advance.early_gain"), ({"restriction": {"dynamic": "yes"}}, "restriction.dynamic"),
    ({"linkage": {"earn_ratio": -1}}, "linkage.earn_ratio"), ({"key_projects": {"province_reserve": {2023: 5}}}, "key_projects.province_reserve.2024"),
])
def test_a_bad_rule_value(tmp_path, config, key):
    issues = issues_of(make(tmp_path, **config))
    assert any(i.row == key and i.file == "scenario.yaml" and i.hint for i in issues), [str(i) for i in issues]


@pytest.mark.parametrize("case", ["no column", "empty", "both mode", "national-2024", "two empty"])
def test_cap_base_is_required_under_earned_linkage(tmp_path, case):
    counties = [county(cap_base=20), county(county_id="b", name="乙县", cap_base="")]
    config = {"linkage": {"mode": "earned"}}
    columns = None
    if case == "no column":
        columns = [c for c in COUNTY if c != "cap_base"]
    elif case == "both mode":
        config = {"linkage": {"mode": "both"}}
    elif case == "national-2024":
        config = {"rules": "national-2024", **EARNED_OK}
    elif case == "two empty":
        counties[0]["cap_base"] = ""
    issues = issues_of(make(tmp_path, counties=counties, county_columns=columns, **config))
    if case == "no column":
        one(issues, "missing-column", file="counties.csv", column="cap_base")
    else:
        one(issues, "empty-cell", file="counties.csv", row="b", column="cap_base")
        assert (case == "two empty") == any(i.row == "a" and i.column == "cap_base" for i in issues)


def test_cap_base_may_stay_empty_under_the_penalty(tmp_path):
    assert load(make(tmp_path, counties=[county(), county(county_id="b", name="乙县")])).rules.linkage.mode == "penalty"


@pytest.mark.parametrize("config, unit", [({"linkage": {"mode": "earned"}}, "ha"), ({"linkage": {"mode": "both"}}, "ha"),
                                          ({"restriction": {"dynamic": True}}, "ha"), ({"rules": "national-2024", **EARNED_OK}, "ha"),
                                          ({"rules": "hebei-2024", **EARNED_OK}, "mu")])
def test_usable_stock_above_the_stock_under_the_rules(tmp_path, config, unit):
    counties = [county(cap_base=20, usable_stock=131), county(county_id="b", name="乙县", cap_base=0, usable_stock=130)]
    issue = one(issues_of(make(tmp_path, counties=counties, unit=unit, **config)), "stock-exceeds", file="counties.csv", row="a",
                column="usable_stock")
    assert f"131 {unit}" in issue.message and f"130 {unit}" in issue.message
    assert not any(i.code == "stock-exceeds" and i.row == "b" for i in issues_of(make(tmp_path / "x", counties=counties, unit=unit, **config)))


def test_usable_stock_above_the_stock_is_left_alone_under_the_first_contract(tmp_path):
    load(make(tmp_path, counties=[county(cap_base=20, usable_stock=500), county(county_id="b", name="乙县", cap_base=0)]))


@pytest.mark.parametrize("case", ["missing", "one year short", "one county short", "window 7", "empty"])
def test_history_under_the_supply_rate(tmp_path, case):
    full = [dict(county_id=c, year=y, approved=10, supplied=6) for c in ("a", "b") for y in range(2018, 2023)]
    config = {"rules": "hebei-2024", **EARNED_OK}
    history = {"missing": False, "one year short": [r for r in full if r["year"] != 2019],
               "one county short": [r for r in full if r["county_id"] == "a"], "window 7": full, "empty": []}[case]
    if case == "window 7":
        config["restriction"] = {"window": 7}
    issues = issues_of(make(tmp_path, history=history, **config))
    if case == "missing":
        one(issues, "table-missing", file="history.csv")
    elif case == "empty":
        assert {i.row for i in issues if i.code == "history-short"} == {"a", "b"}
    else:
        issue = one(issues, "history-short", file="history.csv", row="b" if case != "one year short" else "a", column="year")
        assert {"one year short": "2019", "one county short": "2018, 2019, 2020, 2021, 2022", "window 7": "2016, 2017"}[case] in issue.message


@pytest.mark.parametrize("row, code", [(dict(county_id="z", year=2020, approved=1, supplied=1), "unknown-ref"),
                                       (dict(county_id="a", year=2023, approved=1, supplied=1), "year-outside-history"),
                                       (dict(county_id="a", year=2022, approved=1, supplied=1), "duplicate-row"),
                                       (dict(county_id="a", year=2021, approved=-1, supplied=1), "bad-value"),
                                       (dict(county_id="a", year="", approved=1, supplied=1), "empty-cell")])
def test_bad_history_rows(tmp_path, row, code):
    full = [dict(county_id=c, year=y, approved=10, supplied=6) for c in ("a", "b") for y in range(2018, 2023)]
    one(issues_of(make(tmp_path, history=full + [row])), code, file="history.csv")


@pytest.mark.parametrize("config", [{"rules": "national-2024"}, {"rules": "hebei-2024"}, {"advance": {"mode": "within_year"}},
                                    {"advance": {"mode": "within_year", "previous_quota": None}},
                                    {"rules": "national-2024", "advance": {"max_share": 0.3}}])
def test_previous_quota_is_required_by_within_year_advance(tmp_path, config):
    one(issues_of(make(tmp_path, **config)), "missing-key", file="scenario.yaml", row="advance.previous_quota")


@pytest.mark.parametrize("row, code, column", [
    (dict(county_id="z", year=2024, unsupplied=1, idle=0), "unknown-ref", "county_id"),
    (dict(county_id="a", year=2022, unsupplied=1, idle=0), "year-outside-horizon", "year"),
    (dict(county_id="a", year=2026, unsupplied=1, idle=0), "year-outside-horizon", "year"),
    (dict(county_id="a", year=2024, unsupplied=1, idle=0, extra_max=-2, extra_cost=1), "bad-value", "extra_max"),
    (dict(county_id="a", year=2024, unsupplied=1, idle=0, extra_max=5), "empty-cell", "extra_cost"),
    (dict(county_id="a", year=2023, unsupplied=1, idle=0), "duplicate-row", "year"),
    (dict(county_id="a", year=2024, unsupplied="", idle=0), "empty-cell", "unsupplied"),
])
def test_bad_disposal_rows(tmp_path, row, code, column):
    disposal = [dict(county_id="a", year=2023, unsupplied=2, idle=1), row]
    one(issues_of(make(tmp_path, disposal=disposal)), code, file="disposal.csv", column=column)


@pytest.mark.parametrize("cell, table", [("maybe", "counties"), ("2", "counties"), ("yes please", "projects"),
                                         ("真", "projects"), ("-1", "projects")])
def test_bad_new_boolean_columns(tmp_path, cell, table):
    if table == "counties":
        folder = make(tmp_path, counties=[county(cap_base=20, poverty_county=cell), county(county_id="b", name="乙县")],
                      county_columns=list(COUNTY) + ["poverty_county"])
    else:
        folder = make(tmp_path, projects=[project(standalone_site=cell)], project_columns=list(PROJECT) + ["standalone_site"])
    one(issues_of(folder), "bad-value", file=f"{table}.csv", column="poverty_county" if table == "counties" else "standalone_site")


def test_every_problem_is_reported_together(tmp_path):
    """Six faults in four files: one ScenarioError lists them all."""
    folder = make(tmp_path, rules="hebei-2024", history=False, restriction={"belo": 1},
                  counties=[county(cap_base="", usable_stock=500), county(county_id="b", name="乙县", cap_base=0)],
                  disposal=[dict(county_id="z", year=2030, unsupplied=1, idle=0, extra_max=-1, extra_cost=1)])
    codes = {(i.code, i.file) for i in issues_of(folder)}
    assert {("missing-key", "scenario.yaml"), ("unknown-key", "scenario.yaml"), ("empty-cell", "counties.csv"),
            ("stock-exceeds", "counties.csv"), ("table-missing", "history.csv"), ("unknown-ref", "disposal.csv"),
            ("year-outside-horizon", "disposal.csv"), ("bad-value", "disposal.csv")} <= codes


def test_validate_command_lists_them(tmp_path):
    out = CliRunner().invoke(cli, ["validate", str(make(tmp_path, rules="nope"))])
    assert out.exit_code == 1 and "contract-2023, hebei-2024, national-2024" in out.output and "Traceback" not in out.output


# ---------------------------------------------------- not implemented ----

@pytest.mark.parametrize("sets, key", [
    (["restriction.overplan_years=1"], "restriction.overplan_years"),
])
def test_run_refuses_a_rule_not_implemented_yet(tmp_path, sets, key):
    with pytest.raises(ScenarioError, match=rf"rule {key} \(.*\) is not implemented yet"):
        load_variant(make(tmp_path), sets)  # validation lists it with every other problem


def test_validate_refuses_it_too(tmp_path):
    folder = make(tmp_path)
    (folder / "scenario.yaml").write_text((folder / "scenario.yaml").read_text(encoding="utf-8")
                                          + "restriction: {overplan_years: 1}\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["validate", str(folder)])
    assert out.exit_code == 1 and "rule restriction.overplan_years (1) is not implemented yet" in out.output


def test_run_command_refuses_it_with_one_clear_line(tmp_path):
    out = CliRunner().invoke(cli, ["run", str(TINY), "--out", str(tmp_path / "r"), "--counterfactuals", "off",
                                   "--set", "restriction.overplan_years=1"])
    assert out.exit_code == 1 and "rule restriction.overplan_years (1) is not implemented yet" in out.output
    assert "Traceback" not in out.output and not (tmp_path / "r").exists()


@pytest.mark.parametrize("sets", [[], ["rules=contract-2023"], ["linkage.earn_ratio=2"], ["restriction.window=3"],
                                  ["restriction.below=0.3"], ["restriction.exempt_categories=[livelihood]"],
                                  ["restriction.exempt_key_levels=[national, provincial]"], ["advance.early_gain=0.2"],
                                  ["advance.mode=within_year", "advance.previous_quota=90"],  # RULES.md 5, implemented
                                  ["advance.mode=within_year", "advance.previous_quota=90", "advance.early_gain=1"],
                                  ["linkage.mode=earned"], ["linkage.mode=both", "rules=contract-2023"],
                                  ["restriction.dynamic=true"], ["restriction.dynamic=true", "restriction.overplan_years=1"],
                                  ["restriction.exempt_key_levels=[national]"], ["restriction.trigger=supply_rate"],
                                  ["restriction.trigger=supply_rate", "restriction.dynamic=true", "restriction.window=3"]])
def test_the_first_contracts_values_and_inert_parameters_run(tmp_path, sets):
    check_implemented(load_variant(make(tmp_path), sets))


@pytest.mark.parametrize("sets", [["ring_fence.per_county=40"], ["key_projects.outside_budget=national_and_standalone"],
                                  ["key_projects.province_reserve={2023: 1, 2024: 1, 2025: 1}"]])
def test_key_projects_and_ring_fence_are_implemented(tmp_path, sets):
    """RULES.md items 4 and 6 run (tests/test_rules_supply.py solves them)."""
    check_implemented(load_variant(make(tmp_path), sets))


# ------------------------------------------------------------- runs ----

def test_contract_2023_gives_byte_identical_tables_and_records_the_set(tmp_path):
    from quota.run import run_scenario

    run_scenario(TINY, tmp_path / "plain")
    run_scenario(TINY, tmp_path / "named", sets=["rules=contract-2023"])
    tables = sorted(p.name for p in (tmp_path / "plain").glob("*.csv"))
    assert "allocations.csv" in tables and tables == sorted(p.name for p in (tmp_path / "named").glob("*.csv"))
    for name in tables:
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "named" / name).read_bytes(), name
    assert "rules" not in json.loads((tmp_path / "plain" / "manifest.json").read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "named" / "manifest.json").read_text(encoding="utf-8"))["rules"] == {"name": "contract-2023", "overridden": {}}


def test_manifest_records_each_key_the_scenario_overrode(tmp_path):
    from quota.run import run_scenario

    run_scenario(TINY, tmp_path / "r", sets=["rules=contract-2023", "restriction.below=0.2", "linkage.restrict_on_overplan=false"])
    rules = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))["rules"]
    assert rules == {"name": "contract-2023", "overridden": {"restriction.below": {"rule_set": 0.15, "scenario": 0.2},
                                                             "restriction.on_overplan": {"rule_set": True, "scenario": False}}}


# ---------------------------------------------------------- command ----

@pytest.mark.parametrize("lang, heading, title", [("zh", "规则集", "国家规则加河北限批标准"), ("en", "rule sets", "Hebei's 限批 trigger")])
def test_rules_lists_the_sets(lang, heading, title):
    out = CliRunner().invoke(cli, ["rules", "--lang", lang])
    assert out.exit_code == 0 and out.output.startswith(heading) and title in out.output
    assert all(name in out.output for name in rule_set_names())


@pytest.mark.parametrize("lang, words", [("zh", ["核实: 否", "来源: 河北省标准,据2018年《中国国土资源报》报道", "近 5 年平均供地率低于 60%",
                                                 "ring_fence.per_county: 40 公顷 (600 亩)"]),
                                         ("en", ["confirmed: no", "source: Hebei, as reported in 2018", "5-year average supply rate is below 60%",
                                                 "ring_fence.per_county: 40 ha (600 mu)"])])
def test_rules_name_shows_every_key_with_value_source_and_confirmation(lang, words):
    out = CliRunner().invoke(cli, ["rules", "hebei-2024", "--lang", lang])
    assert out.exit_code == 0
    for key in RULE_KEYS:
        assert f"\n{key}: " in out.output
    assert "restriction.below: 0.6 " in out.output
    assert all(w in out.output for w in words), out.output


def test_rules_unknown_name_exits_1_listing_the_sets():
    out = CliRunner().invoke(cli, ["rules", "hebei"])
    assert out.exit_code == 1 and "contract-2023, hebei-2024, national-2024" in out.output and "Traceback" not in out.output


def test_rule_sets_ship_in_the_wheel():
    """pyproject's package-data for quota.input matches every rule set file (make run uses a plain install)."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    files = [p.relative_to(ROOT / "quota" / "input").as_posix() for p in rulesets.RULESET_DIR.glob("*.yaml")]
    assert len(files) == 3 and all(any(fnmatch.fnmatch(f, g) for g in data.get("quota.input", [])) for f in files)
