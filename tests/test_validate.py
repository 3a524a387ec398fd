"""Validation: start from one valid scenario and break one thing per test (PyPSA style).

Each test asserts the specific ``Issue`` — code, file, row key and column — and
that it says how to fix the problem. The acceptance test at the end breaks five
files at once and expects every problem in one ``ScenarioError`` and in the
output of ``quota validate``.
"""
from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from builder import COUNTY, PROJECT, county, project, write_scenario, write_table
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import Issue, ScenarioError
from quota.input.validate import load

PHASE_COLUMNS = ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]
PARCEL_COLUMNS = ["parcel_id", "county_id", "area", "agreed_start", "grant_price", "cause", "actual_start"]


# ------------------------------------------------------------- fixture ----

def base_spec() -> dict:
    """The one valid scenario every test breaks: two counties, three projects, a phased
    project (P2, plan A in two phases) and a dependency (P3 requires P1)."""
    return {
        "config": {},
        "counties": [county(), county(county_id="b", name="乙县", cap_base=40)],
        "projects": [
            project(),
            project(project_id="P2", name="二期项目", area=20, farmland_area=5),
            project(project_id="P3", name="学校", county_id="b", category="livelihood", urgent="true"),
        ],
        "phases": [
            dict(project_id="P2", plan="A", phase=1, area=12, farmland_area=3, earliest_year=2023),
            dict(project_id="P2", plan="A", phase=2, area=8, farmland_area=2, earliest_year=2024),
        ],
        "dependencies": [dict(project_id="P3", requires="P1")],
    }


@pytest.fixture
def spec() -> dict:
    return base_spec()


def write(folder: Path, spec: dict) -> Path:
    write_scenario(folder, counties=spec["counties"], projects=spec["projects"], phases=spec["phases"],
                   dependencies=spec["dependencies"], **spec["config"])
    if "idle_parcels" in spec:
        write_table(folder / "idle_parcels.csv", spec["idle_parcels"], PARCEL_COLUMNS)
    return folder


def issues_of(path: Path) -> list[Issue]:
    with pytest.raises(ScenarioError) as info:
        load(path)
    issues = info.value.issues
    assert issues, "a ScenarioError must carry its issues"
    return issues


def listing(issues: list[Issue]) -> str:
    return "\n".join(repr(i) for i in issues)


def find(issues: list[Issue], code: str, file: str, row: str, column: str) -> Issue:
    """The one issue with this code at (file, row, column); it must say what is wrong and how to fix it."""
    hits = [i for i in issues if (i.code, i.file, i.row, i.column) == (code, file, row, column)]
    assert len(hits) == 1, f"expected one {code} at {file} / {row} / {column}; got:\n{listing(issues)}"
    issue = hits[0]
    assert issue.severity == "error"
    assert issue.message.strip() and issue.hint.strip(), f"{issue!r} needs a message and a hint"
    assert issue.hint in str(issue) and file in str(issue)
    return issue


def only(issues: list[Issue], code: str, file: str, row: str, column: str) -> Issue:
    """As ``find``, and the broken thing is the only problem reported (no cascade, no noise)."""
    issue = find(issues, code, file, row, column)
    assert len(issues) == 1, f"one defect should give one issue; got:\n{listing(issues)}"
    return issue


def test_base_fixture_is_valid(tmp_path, spec):
    s = load(write(tmp_path, spec))
    assert list(s.projects.index) == ["P1", "P2", "P3"]
    assert list(s.counties.index) == ["a", "b"]
    assert s.quota == {2023: 100.0, 2024: 100.0, 2025: 100.0}
    p2 = s.phases[s.phases["project_id"] == "P2"]
    assert list(p2["phase"]) == [1, 2] and list(p2["area"]) == [12.0, 8.0]
    p1 = s.phases[s.phases["project_id"] == "P1"]  # unphased: empty plan, phase 1 of the full area
    assert list(p1["plan"]) == [""] and list(p1["phase"]) == [1] and list(p1["area"]) == [10.0]
    assert list(zip(s.dependencies["project_id"], s.dependencies["requires"])) == [("P3", "P1")]
    # the cells the contract reads as "none"
    assert s.projects.at["P1", "lock"] == "" and s.projects.at["P1", "key_level"] == "none"
    assert pd.isna(s.counties.at["a", "cap_base"]) and s.counties.at["b", "cap_base"] == 40.0


# ----------------------------------------------------------- ids, refs ----

def test_duplicate_project_id(tmp_path, spec):
    spec["projects"].append(project(project_id="P2", name="重复"))
    issue = find(issues_of(write(tmp_path, spec)), "duplicate-id", "projects.csv", "P2", "project_id")
    assert "2 times" in issue.message


def test_duplicate_county_id(tmp_path, spec):
    spec["counties"].append(county(county_id="b", name="又一个乙县"))
    only(issues_of(write(tmp_path, spec)), "duplicate-id", "counties.csv", "b", "county_id")


def test_duplicate_phase(tmp_path, spec):
    spec["phases"].append(dict(spec["phases"][1]))
    find(issues_of(write(tmp_path, spec)), "duplicate-id", "phases.csv", "P2/A/2", "phase")


def test_unknown_county_is_an_error_and_the_row_is_not_dropped(tmp_path, spec):
    spec["projects"][0]["county_id"] = "zz"
    spec["projects"][0]["urgent"] = "perhaps"  # a second defect in the same row is still seen
    issues = issues_of(write(tmp_path, spec))
    issue = find(issues, "unknown-ref", "projects.csv", "P1", "county_id")
    assert "'zz'" in issue.message
    find(issues, "bad-value", "projects.csv", "P1", "urgent")
    # P3 requires P1: had P1 been dropped by a join, the dependency would now point nowhere
    assert len(issues) == 2, listing(issues)


def test_unknown_project_in_dependencies(tmp_path, spec):
    spec["dependencies"].append(dict(project_id="P3", requires="P9"))
    issue = only(issues_of(write(tmp_path, spec)), "unknown-ref", "dependencies.csv", "P3→P9", "requires")
    assert "P9" in issue.message


def test_unknown_project_in_phases(tmp_path, spec):
    spec["phases"].append(dict(project_id="P9", plan="A", phase=1, area=5, farmland_area=0, earliest_year=2023))
    only(issues_of(write(tmp_path, spec)), "unknown-ref", "phases.csv", "P9/A/1", "project_id")


# --------------------------------------------------------------- areas ----

@pytest.mark.parametrize("text, words", [
    ("-5", "negative"), ("0", "zero"), ("NaN", "finite"), ("nan", "finite"), ("inf", "finite"),
    ("-inf", "finite"), ("1e9", "absurdly large"), ("ten", "not a number"),
])
def test_bad_project_area(tmp_path, spec, text, words):
    spec["projects"][0]["area"] = text
    spec["projects"][0]["farmland_area"] = 0
    issue = only(issues_of(write(tmp_path, spec)), "bad-value", "projects.csv", "P1", "area")
    assert words in issue.message


def test_absurd_area_is_judged_in_hectares(tmp_path, spec):
    """2,000,000 mu is 133,333 ha: large but possible, so not refused as absurd."""
    spec["config"] = {"unit": "mu"}
    spec["projects"][0]["area"] = 2_000_000
    s = load(write(tmp_path, spec))
    assert s.projects.at["P1", "area"] == pytest.approx(2_000_000 / 15)


def test_negative_county_stock(tmp_path, spec):
    spec["counties"][1]["idle_stock"] = -3
    issue = only(issues_of(write(tmp_path, spec)), "bad-value", "counties.csv", "b", "idle_stock")
    assert "negative" in issue.message


def test_zero_phase_area(tmp_path, spec):
    spec["phases"][1]["area"] = 0
    spec["phases"][1]["farmland_area"] = 0
    issues = issues_of(write(tmp_path, spec))
    find(issues, "bad-value", "phases.csv", "P2/A/2", "area")


def test_phases_not_summing_to_area(tmp_path, spec):
    spec["phases"][1]["area"] = 9
    issue = only(issues_of(write(tmp_path, spec)), "phase-sum", "phases.csv", "P2/A", "area")
    assert "21" in issue.message and "20" in issue.message


def test_area_messages_use_the_scenario_unit(tmp_path, spec):
    """A mu scenario is told about its own numbers, not their hectare conversion."""
    spec["config"] = {"unit": "mu"}
    spec["projects"][0]["farmland_area"] = 165  # area 10 mu
    spec["phases"][1]["area"] = 9  # 12 + 9 = 21 mu, project 20 mu
    issues = issues_of(write(tmp_path, spec))
    farmland = find(issues, "farmland-exceeds-area", "projects.csv", "P1", "farmland_area")
    assert "165 mu" in farmland.message and "10 mu" in farmland.message
    phase_sum = find(issues, "phase-sum", "phases.csv", "P2/A", "area")
    assert "21 mu" in phase_sum.message and "20 mu" in phase_sum.message


def test_phase_sum_within_relative_tolerance_is_accepted(tmp_path, spec):
    spec["phases"][1]["area"] = 8 + 20 * 1e-8  # well inside 1e-6 relative
    load(write(tmp_path, spec))


def test_phase_numbering_gap(tmp_path, spec):
    spec["phases"][1]["phase"] = 3
    issue = only(issues_of(write(tmp_path, spec)), "phase-numbering", "phases.csv", "P2/A", "phase")
    assert "[1, 3]" in issue.message


def test_phase_numbering_not_from_one(tmp_path, spec):
    spec["phases"][0]["phase"] = 2
    spec["phases"][1]["phase"] = 3
    find(issues_of(write(tmp_path, spec)), "phase-numbering", "phases.csv", "P2/A", "phase")


def test_phase_one_earlier_than_project(tmp_path, spec):
    spec["phases"][0]["earliest_year"] = 2022
    issue = only(issues_of(write(tmp_path, spec)), "phase-before-project", "phases.csv", "P2/A/1", "earliest_year")
    assert "2022" in issue.message and "2023" in issue.message


def test_farmland_larger_than_area(tmp_path, spec):
    spec["projects"][0]["farmland_area"] = 11
    issue = only(issues_of(write(tmp_path, spec)), "farmland-exceeds-area", "projects.csv", "P1", "farmland_area")
    assert "11" in issue.message and "10" in issue.message


def test_phase_farmland_larger_than_phase_area(tmp_path, spec):
    spec["phases"][1]["farmland_area"] = 9
    spec["phases"][0]["farmland_area"] = 0
    only(issues_of(write(tmp_path, spec)), "farmland-exceeds-area", "phases.csv", "P2/A/2", "farmland_area")


# --------------------------------------------------------- empty cells ----

@pytest.mark.parametrize("table, index, column, row", [
    ("projects", 0, "area", "P1"), ("projects", 0, "farmland_area", "P1"), ("projects", 0, "earliest_year", "P1"),
    ("projects", 1, "investment", "P2"), ("projects", 1, "annual_tax", "P2"), ("projects", 2, "jobs", "P3"),
    ("projects", 0, "urgent", "P1"), ("projects", 0, "ready", "P1"), ("projects", 0, "category", "P1"),
    ("counties", 0, "unsupplied_stock", "a"), ("counties", 1, "usable_stock", "b"), ("counties", 1, "overplan", "b"),
    ("phases", 0, "area", "P2/A/1"), ("phases", 1, "earliest_year", "P2/A/2"),
])
def test_empty_required_cell_is_an_error_not_zero(tmp_path, spec, table, index, column, row):
    spec[table][index][column] = ""
    issue = find(issues_of(write(tmp_path, spec)), "empty-cell", f"{table}.csv", row, column)
    assert "fills none in" in issue.message


def test_whitespace_only_cell_is_empty(tmp_path, spec):
    spec["projects"][1]["investment"] = "   "
    only(issues_of(write(tmp_path, spec)), "empty-cell", "projects.csv", "P2", "investment")


# ------------------------------------------------------- typed columns ----

@pytest.mark.parametrize("text, value", [
    ("true", True), ("false", False), ("1", True), ("0", False), ("yes", True), ("no", False),
    ("是", True), ("否", False), ("TRUE", True), ("False", False), ("Yes", True),
])
def test_booleans_accepted(tmp_path, spec, text, value):
    spec["projects"][0]["urgent"] = text
    spec["projects"][0]["stock_ok"] = text
    s = load(write(tmp_path, spec))
    assert s.projects["urgent"].dtype == bool and s.projects["stock_ok"].dtype == bool
    assert s.projects.at["P1", "urgent"] == value and s.projects.at["P1", "stock_ok"] == value


@pytest.mark.parametrize("text", ["maybe", "2", "真", "tru"])
def test_bad_boolean(tmp_path, spec, text):
    spec["projects"][0]["ready"] = text
    issue = only(issues_of(write(tmp_path, spec)), "bad-value", "projects.csv", "P1", "ready")
    assert repr(text) in issue.message and "是/否" in issue.hint


@pytest.mark.parametrize("alias, code", [
    ("工业", "industry"), ("基础设施", "infrastructure"), ("民生", "livelihood"), ("商服", "commerce"),
    ("文旅", "tourism"), ("住宅", "housing"), ("其他", "other"), ("Industry", "industry"),
])
def test_chinese_category_aliases(tmp_path, spec, alias, code):
    spec["projects"][0]["category"] = alias
    s = load(write(tmp_path, spec))
    assert s.projects.at["P1", "category"] == code


def test_chinese_alias_in_exempt_categories(tmp_path, spec):
    spec["config"] = {"linkage": {"exempt_categories": ["民生", "基础设施", "文旅"]}}
    s = load(write(tmp_path, spec))
    assert s.linkage.exempt_categories == ("livelihood", "infrastructure", "tourism")


def test_unknown_category(tmp_path, spec):
    spec["projects"][0]["category"] = "factory"
    issue = only(issues_of(write(tmp_path, spec)), "bad-value", "projects.csv", "P1", "category")
    assert "'factory'" in issue.message and "工业" in issue.hint


@pytest.mark.parametrize("column, text", [("key_level", "county"), ("lock", "maybe"), ("earliest_year", "2023.5"),
                                          ("earliest_year", "23")])
def test_bad_project_cell(tmp_path, spec, column, text):
    spec["projects"][0][column] = text
    only(issues_of(write(tmp_path, spec)), "bad-value", "projects.csv", "P1", column)


# ---------------------------------------------------------------- yaml ----

@pytest.mark.parametrize("years", [[2023, 2025], [2024, 2023], [2023, 2023, 2024]])
def test_years_not_consecutive(tmp_path, spec, years):
    spec["config"] = {"years": years, "quota": {y: 100 for y in range(2023, 2026)}}
    issue = only(issues_of(write(tmp_path, spec)), "yaml-value", "scenario.yaml", "years", "years")
    assert "consecutive" in issue.message


def test_quota_missing_a_year(tmp_path, spec):
    spec["config"] = {"quota": {2023: 100, 2024: 100}}
    issue = only(issues_of(write(tmp_path, spec)), "missing-year", "scenario.yaml", "quota.2025", "quota.2025")
    assert "2025" in issue.message


def test_farmland_quota_missing_a_year(tmp_path, spec):
    spec["config"] = {"farmland_quota": {2023: 10, 2025: 10}}
    only(issues_of(write(tmp_path, spec)), "missing-year", "scenario.yaml", "farmland_quota.2024", "farmland_quota.2024")


def test_quota_missing_altogether(tmp_path, spec):
    text = (write(tmp_path, spec) / "scenario.yaml").read_text(encoding="utf-8")
    cfg = yaml.safe_load(text)
    del cfg["quota"]
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    only(issues_of(tmp_path), "missing-key", "scenario.yaml", "quota", "quota")


def test_quota_keys_outside_the_horizon_are_ignored(tmp_path, spec):
    spec["config"] = {"quota": {2022: 5, 2023: 100, 2024: 110, 2025: 120, 2026: 7},
                      "farmland_quota": {2021: 1, 2023: 10, 2024: 11, 2025: 12}}
    s = load(write(tmp_path, spec))
    assert s.quota == {2023: 100.0, 2024: 110.0, 2025: 120.0}
    assert s.farmland_quota == {2023: 10.0, 2024: 11.0, 2025: 12.0}


def test_quota_keys_as_strings_are_years(tmp_path, spec):
    spec["config"] = {"quota": {"2023": 100, "2024": 110, "2025": 120}}
    assert load(write(tmp_path, spec)).quota == {2023: 100.0, 2024: 110.0, 2025: 120.0}


def test_unit_typo(tmp_path, spec):
    spec["config"] = {"unit": "hectare"}
    issue = only(issues_of(write(tmp_path, spec)), "yaml-value", "scenario.yaml", "unit", "unit")
    assert "'hectare'" in issue.message and "mu" in issue.hint


@pytest.mark.parametrize("config, row", [
    ({"carry_over": "half"}, "carry_over"),
    ({"years": "2023-2025"}, "years"),
    ({"quota": 1200}, "quota"),
    ({"advance": 0.5}, "advance"),
    ({"advance": {"last_year": "no"}}, "advance.last_year"),
    ({"advance": {"max_share": True}}, "advance.max_share"),
    ({"phasing": {"min_gap": 1.5}}, "phasing.min_gap"),
    ({"linkage": {"exempt_categories": "livelihood"}}, "linkage.exempt_categories"),
    ({"key_projects_outside_budget": "yes"}, "key_projects_outside_budget"),
    ({"delay_discount": ".9"}, "delay_discount"),
    ({"quota": {2023: 100, 2024: "lots", 2025: 100}}, "quota.2024"),
    ({"quota": {2023: 100, 2024: float("inf"), 2025: 100}}, "quota.2024"),
    ({"carry_over": float("nan")}, "carry_over"),
])
def test_wrong_yaml_types(tmp_path, spec, config, row):
    spec["config"] = config
    only(issues_of(write(tmp_path, spec)), "yaml-type", "scenario.yaml", row, row)


@pytest.mark.parametrize("config, row", [
    ({"delay_discount": 0}, "delay_discount"),  # (0, 1]
    ({"advance": {"max_share": 1.5}}, "advance.max_share"),
    ({"phasing": {"commit": "some"}}, "phasing.commit"),
    ({"lang": "fr"}, "lang"),
])
def test_yaml_values_out_of_range(tmp_path, spec, config, row):
    spec["config"] = config
    only(issues_of(write(tmp_path, spec)), "yaml-value", "scenario.yaml", row, row)


def test_unknown_yaml_key(tmp_path, spec):
    spec["config"] = {"quotas": {2023: 1}}
    issue = only(issues_of(write(tmp_path, spec)), "unknown-key", "scenario.yaml", "quotas", "quotas")
    assert "'quota'" in issue.hint  # did you mean


def test_unknown_nested_yaml_key(tmp_path, spec):
    spec["config"] = {"linkage": {"penatly": 2}}
    issue = only(issues_of(write(tmp_path, spec)), "unknown-key", "scenario.yaml", "linkage.penatly", "linkage.penatly")
    assert "'penalty'" in issue.hint


def test_top_level_yaml_not_a_mapping(tmp_path, spec):
    write(tmp_path, spec)
    (tmp_path / "scenario.yaml").write_text("- 2023\n- 2024\n", encoding="utf-8")
    only(issues_of(tmp_path), "yaml-type", "scenario.yaml", "", "")


# -------------------------------------------------------- dependencies ----

def test_dependency_cycle_names_its_projects(tmp_path, spec):
    spec["dependencies"].append(dict(project_id="P1", requires="P3"))
    issues = issues_of(write(tmp_path, spec))
    cycles = [i for i in issues if i.code == "dependency-cycle"]
    assert len(cycles) == 1 and len(issues) == 1, listing(issues)
    issue = find(issues, "dependency-cycle", "dependencies.csv", cycles[0].row, "requires")
    assert issue.row in ("P1", "P3")
    assert "P1" in issue.message and "P3" in issue.message and "P2" not in issue.message


def test_long_dependency_cycle(tmp_path, spec):
    spec["dependencies"] += [dict(project_id="P1", requires="P2"), dict(project_id="P2", requires="P3")]
    issues = issues_of(write(tmp_path, spec))
    (issue,) = [i for i in issues if i.code == "dependency-cycle"]
    assert all(p in issue.message for p in ("P1", "P2", "P3"))


def test_project_requiring_itself(tmp_path, spec):
    spec["dependencies"].append(dict(project_id="P2", requires="P2"))
    only(issues_of(write(tmp_path, spec)), "dependency-self", "dependencies.csv", "P2→P2", "requires")


# --------------------------------------------------------------- locks ----

def test_lock_in_on_project_not_ready(tmp_path, spec):
    spec["projects"][0].update(lock="in", ready="false")
    issue = only(issues_of(write(tmp_path, spec)), "lock-not-ready", "projects.csv", "P1", "lock")
    assert "not ready" in issue.message


def test_lock_in_excluded_through_a_dependency(tmp_path, spec):
    spec["projects"][0]["ready"] = "false"  # P3 requires P1, so P3 is excluded too
    spec["projects"][2]["lock"] = "in"
    issue = only(issues_of(write(tmp_path, spec)), "lock-excluded", "projects.csv", "P3", "lock")
    assert "P1" in issue.message  # names the project the exclusion comes from


def test_lock_in_excluded_through_a_chain(tmp_path, spec):
    spec["projects"][1]["lock"] = "out"
    spec["dependencies"].append(dict(project_id="P1", requires="P2"))  # P3 → P1 → P2 (locked out)
    spec["projects"][2]["lock"] = "in"
    issue = only(issues_of(write(tmp_path, spec)), "lock-excluded", "projects.csv", "P3", "lock")
    assert "P2" in issue.message


def test_lock_in_first_phase_beyond_the_horizon(tmp_path, spec):
    spec["projects"][0].update(lock="in", earliest_year=2026)
    issue = only(issues_of(write(tmp_path, spec)), "lock-beyond-horizon", "projects.csv", "P1", "lock")
    assert "2026" in issue.message and "2025" in issue.message


def test_lock_in_phased_project_beyond_the_horizon(tmp_path, spec):
    spec["projects"][1].update(lock="in", earliest_year=2026)
    for row, year in zip(spec["phases"], (2026, 2027)):
        row["earliest_year"] = year
    only(issues_of(write(tmp_path, spec)), "lock-beyond-horizon", "projects.csv", "P2", "lock")


def test_lock_in_valid(tmp_path, spec):
    spec["projects"][1]["lock"] = "in"
    spec["projects"][0]["lock"] = "OUT"
    spec["projects"][2]["lock"] = ""  # P3 requires P1, locked out: excluded, but not locked in
    s = load(write(tmp_path, spec))
    assert list(s.projects["lock"]) == ["out", "in", ""]


def test_higher_level_project_with_two_plans(tmp_path, spec):
    spec["projects"][1]["key_level"] = "provincial"
    spec["phases"] += [dict(project_id="P2", plan="B", phase=1, area=20, farmland_area=5, earliest_year=2024)]
    issue = only(issues_of(write(tmp_path, spec)), "higher-level-plans", "phases.csv", "P2", "plan")
    assert "one plan" in issue.message


# -------------------------------------------------------------- tables ----

def test_empty_projects_table(tmp_path, spec):
    spec.update(projects=[], phases=[], dependencies=[])
    only(issues_of(write(tmp_path, spec)), "empty-table", "projects.csv", "", "")


@pytest.mark.parametrize("table, column, columns", [
    ("projects", "jobs", list(PROJECT)), ("projects", "stock_ok", list(PROJECT)),
    ("counties", "usable_stock", list(COUNTY)), ("phases", "earliest_year", PHASE_COLUMNS),
    ("projects", "project_id", list(PROJECT)), ("counties", "county_id", list(COUNTY)), ("phases", "project_id", PHASE_COLUMNS),
])
def test_missing_required_column(tmp_path, spec, table, column, columns):
    write(tmp_path, spec)
    write_table(tmp_path / f"{table}.csv", spec[table], [c for c in columns if c != column])
    issue = only(issues_of(tmp_path), "missing-column", f"{table}.csv", "", column)
    assert repr(column) in issue.message


def test_missing_optional_cap_base_column_is_fine(tmp_path, spec):
    write(tmp_path, spec)
    write_table(tmp_path / "counties.csv", spec["counties"], [c for c in COUNTY if c != "cap_base"])
    s = load(tmp_path)
    assert s.counties["cap_base"].isna().all()


def test_missing_projects_file(tmp_path, spec):
    write(tmp_path, spec)
    (tmp_path / "projects.csv").unlink()
    only(issues_of(tmp_path), "table-missing", "projects.csv", "", "")


@pytest.mark.parametrize("value", ["../../etc/passwd", "/etc/passwd", "sub/../../outside.csv"])
def test_table_path_escaping_the_folder_is_refused(tmp_path, spec, value):
    folder = tmp_path / "s"
    spec["config"] = {"tables": {"projects": value}}
    write(folder, spec)
    (tmp_path / "outside.csv").write_text((folder / "projects.csv").read_text(encoding="utf-8"), encoding="utf-8")
    issue = only(issues_of(folder), "path-escape", "scenario.yaml", "tables.projects", "tables.projects")
    assert "refused" in issue.message


def test_table_symlink_escaping_the_folder_is_refused(tmp_path, spec):
    folder = tmp_path / "s"
    write(folder, spec)
    (folder / "projects.csv").rename(tmp_path / "outside.csv")
    (folder / "projects.csv").symlink_to(tmp_path / "outside.csv")
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["tables"] = {"projects": "projects.csv"}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    only(issues_of(folder), "path-escape", "scenario.yaml", "tables.projects", "tables.projects")


def test_table_in_a_subfolder_is_allowed(tmp_path, spec):
    folder = write(tmp_path, spec)
    (folder / "data").mkdir()
    (folder / "projects.csv").rename(folder / "data" / "projects.csv")
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["tables"] = {"projects": "data/projects.csv"}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    assert len(load(folder).projects) == 3


def test_yaml_python_tag_is_refused_safely(tmp_path, spec):
    marker = tmp_path / "pwned"
    folder = write(tmp_path / "s", spec)
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    text += f'description: !!python/object/apply:os.system ["touch {marker}"]\n'
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    issues = issues_of(folder)
    issue = only(issues, "yaml-syntax", "scenario.yaml", issues[0].row, "")
    assert "python" in issue.hint
    assert not marker.exists()


def test_yaml_syntax_error_names_the_line(tmp_path, spec):
    folder = write(tmp_path, spec)
    (folder / "scenario.yaml").write_text("name: x\nyears: [2023, 2024\nquota: {}\n", encoding="utf-8")
    issue = issues_of(folder)[0]
    assert issue.code == "yaml-syntax" and issue.file == "scenario.yaml" and issue.row.startswith("line ")


def test_undecodable_csv(tmp_path, spec):
    folder = write(tmp_path, spec)
    (folder / "counties.csv").write_bytes((folder / "counties.csv").read_bytes() + b"c,\x80\x80\xff,1,1,1,1,1,1,1,1,\n")
    only(issues_of(folder), "encoding", "counties.csv", "", "")


def test_gbk_csv_is_read(tmp_path, spec):
    folder = write(tmp_path, spec)
    for name in ("counties", "projects"):
        path = folder / f"{name}.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    s = load(folder)
    assert s.counties.at["b", "name"] == "乙县" and s.projects.at["P3", "name"] == "学校"


def test_full_width_digits_are_read_with_a_warning(tmp_path, spec):
    spec["projects"][0]["investment"] = "１２００"
    s = load(write(tmp_path, spec))
    assert s.projects.at["P1", "investment"] == 1200
    (warning,) = s.warnings
    assert (warning.code, warning.file, warning.row, warning.column, warning.severity) == \
        ("normalised", "projects.csv", "P1", "investment", "warning")


def workbook(path: Path, spec: dict, settings: list[tuple[str, str]], header: bool = True) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scenario"
    if header:
        sheet.append(["key", "value"])
    for key, value in settings:
        sheet.append([key, value])
    for name, columns in (("counties", list(COUNTY)), ("projects", list(PROJECT))):
        ws = book.create_sheet(name)
        ws.append(columns)
        for row in spec[name]:
            ws.append([row[c] for c in columns])
    book.save(path)
    return path


SETTINGS = [("name", "book"), ("years", "[2023, 2024, 2025]"), ("quota", "{2023: 100, 2024: 100, 2025: 100}"),
            ("linkage.penalty", "2")]


@pytest.mark.parametrize("header", [True, False])
def test_workbook_scenario_sheet_with_or_without_header(tmp_path, spec, header):
    """Without a key/value header, the first setting is still read, not silently skipped."""
    s = load(workbook(tmp_path / "book.xlsx", spec, SETTINGS, header))
    assert s.name == "book" and s.linkage.penalty == 2.0 and s.linkage.bonus == 0.1


def test_workbook_issue_names_the_sheet(tmp_path, spec):
    spec["projects"][1]["area"] = -20
    workbook(tmp_path / "book.xlsx", spec, SETTINGS)
    issue = only(issues_of(tmp_path / "book.xlsx"), "bad-value", "book.xlsx[projects]", "P2 (sheet row 3)", "area")
    assert "negative" in issue.message  # the row as Excel shows it: the header is row 1, P2 is the second data row


@pytest.mark.parametrize("header", [True, False])
def test_workbook_setting_issue_names_the_sheet_row(tmp_path, spec, header):
    """A bad value on the scenario sheet names the sheet and the row where Excel shows it (header = row 1)."""
    settings = SETTINGS[:3] + [("linkage.penalty", "-2"), ("carry_over", "3")]
    workbook(tmp_path / "book.xlsx", spec, settings, header)
    first = 2 if header else 1
    issues = issues_of(tmp_path / "book.xlsx")
    rows = {i.column: i.row for i in issues if i.file == "book.xlsx[scenario]"}
    assert rows == {"linkage.penalty": f"linkage.penalty (sheet row {first + 3})",
                    "carry_over": f"carry_over (sheet row {first + 4})"}, issues


# ------------------------------------------------------------- extends ----

def write_yaml(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path, spec) -> Path:
    """A full scenario in base/, with non-default linkage so that a merge that loses a key shows."""
    spec["config"] = {"linkage": {"penalty": 1.5, "bonus": 0.2, "cut": 0.3, "exempt_categories": ["livelihood", "infrastructure"]},
                      "advance": {"max_share": 0.4, "cost": 0.07}, "carry_over": 0.25}
    return write(tmp_path / "base", spec)


def test_extends_cycle(tmp_path, base):
    write_yaml(tmp_path / "a.yaml", {"extends": "b.yaml"})
    write_yaml(tmp_path / "b.yaml", {"extends": "a.yaml", "name": "b"})
    issues = issues_of(tmp_path / "a.yaml")
    issue = only(issues, "extends-cycle", "a.yaml", "", "extends")
    assert "a.yaml" in issue.message and "b.yaml" in issue.message


def test_extends_itself(tmp_path, base):
    write_yaml(tmp_path / "a.yaml", {"extends": "a.yaml"})
    only(issues_of(tmp_path / "a.yaml"), "extends-cycle", "a.yaml", "", "extends")


def test_extends_a_folder_means_its_scenario_yaml(tmp_path, base):
    write_yaml(tmp_path / "v" / "scenario.yaml", {"extends": "../base", "carry_over": 0.5})
    s = load(tmp_path / "v")
    assert s.carry_over == 0.5 and s.linkage.bonus == 0.2 and len(s.projects) == 3


def test_extends_missing_file(tmp_path, base):
    write_yaml(tmp_path / "v" / "scenario.yaml", {"extends": "nope.yaml"})
    only(issues_of(tmp_path / "v"), "extends-missing", "scenario.yaml", "extends", "extends")


def test_extends_mappings_merge_recursively(tmp_path, base):
    write_yaml(tmp_path / "v" / "scenario.yaml", {"extends": "../base/scenario.yaml", "linkage": {"penalty": 2}})
    s = load(tmp_path / "v")
    b = load(base)
    assert s.linkage.penalty == 2.0
    assert (s.linkage.bonus, s.linkage.cut, s.linkage.exempt_categories) == (0.2, 0.3, ("livelihood", "infrastructure"))
    assert s.advance == b.advance and s.carry_over == 0.25 and s.quota == b.quota
    assert s.projects.equals(b.projects) and s.counties.equals(b.counties)


def test_extends_lists_and_scalars_replace(tmp_path, base):
    write_yaml(tmp_path / "v" / "scenario.yaml", {
        "extends": "../base/scenario.yaml", "carry_over": 0.0, "years": [2023, 2024],
        "linkage": {"exempt_categories": ["tourism"]}, "advance": {"cost": 0.01}})
    s = load(tmp_path / "v")
    assert s.carry_over == 0.0
    assert s.years == (2023, 2024) and s.quota == {2023: 100.0, 2024: 100.0}
    assert s.linkage.exempt_categories == ("tourism",)  # replaced, not [livelihood, infrastructure, tourism]
    assert s.advance.cost == 0.01 and s.advance.max_share == 0.4


def test_extends_chain_nearest_wins(tmp_path, base):
    write_yaml(tmp_path / "mid" / "scenario.yaml", {"extends": "../base/scenario.yaml", "linkage": {"penalty": 3, "cut": 0.1}})
    write_yaml(tmp_path / "top" / "scenario.yaml", {"extends": "../mid/scenario.yaml", "linkage": {"penalty": 4}})
    s = load(tmp_path / "top")
    assert (s.linkage.penalty, s.linkage.cut, s.linkage.bonus) == (4.0, 0.1, 0.2)


def test_extends_table_path_is_resolved_against_the_yaml_that_names_it(tmp_path, spec):
    base = write(tmp_path / "base", spec)
    (base / "data").mkdir()
    (base / "projects.csv").rename(base / "data" / "projects.csv")
    cfg = yaml.safe_load((base / "scenario.yaml").read_text(encoding="utf-8"))
    write_yaml(base / "scenario.yaml", {**cfg, "tables": {"projects": "data/projects.csv"}})
    # the variant names its own counties file; projects still come from base/data/
    variant = tmp_path / "v"
    variant.mkdir()
    counties = copy.deepcopy(spec["counties"])
    counties[0]["name"] = "变体甲县"
    write_table(variant / "c2.csv", counties, list(COUNTY))
    write_yaml(variant / "scenario.yaml", {"extends": "../base/scenario.yaml", "tables": {"counties": "c2.csv"}})
    s = load(variant)
    assert s.counties.at["a", "name"] == "变体甲县"
    assert list(s.projects.index) == ["P1", "P2", "P3"]
    assert (base / "data" / "projects.csv").resolve() in [p.resolve() for p in s.files]
    assert (variant / "c2.csv").resolve() in [p.resolve() for p in s.files]


def test_extends_variant_table_path_escape_is_refused(tmp_path, base):
    write_yaml(tmp_path / "v" / "scenario.yaml", {"extends": "../base/scenario.yaml",
                                                  "tables": {"projects": "../base/projects.csv"}})
    only(issues_of(tmp_path / "v"), "path-escape", "scenario.yaml", "tables.projects", "tables.projects")


def test_table_named_nowhere_is_found_in_the_scenario_folder_then_the_extended_folders_nearest_first(tmp_path, base):
    mid = tmp_path / "mid"
    write_yaml(mid / "scenario.yaml", {"extends": "../base/scenario.yaml"})
    phases = [dict(project_id="P2", plan="M", phase=1, area=20, farmland_area=5, earliest_year=2023)]
    write_table(mid / "phases.csv", phases, PHASE_COLUMNS)
    top = tmp_path / "top"
    write_yaml(top / "scenario.yaml", {"extends": "../mid/scenario.yaml"})

    s = load(top)  # nothing in top/: mid/ is nearer than base/
    assert set(s.phases.loc[s.phases["project_id"] == "P2", "plan"]) == {"M"}

    phases[0]["plan"] = "T"
    write_table(top / "phases.csv", phases, PHASE_COLUMNS)
    s = load(top)  # the scenario's own folder comes first
    assert set(s.phases.loc[s.phases["project_id"] == "P2", "plan"]) == {"T"}

    (top / "phases.csv").unlink()
    (mid / "phases.csv").unlink()
    s = load(top)  # then the farthest: base/
    assert set(s.phases.loc[s.phases["project_id"] == "P2", "plan"]) == {"A"}


# --------------------------------------------------------- idle parcels ----

def parcels(*areas, county_id="a") -> list[dict]:
    return [dict(parcel_id=f"IP{i}", county_id=county_id, area=a, agreed_start="2021-06-30", grant_price=100,
                 cause="enterprise", actual_start="") for i, a in enumerate(areas, start=1)]


def test_idle_parcels_matching_idle_stock(tmp_path, spec):
    spec["config"] = {"idle_land": {"assessment_date": "2023-06-30"}}
    spec["idle_parcels"] = parcels(10, 20)  # county a: idle_stock 30
    s = load(write(tmp_path, spec))
    assert len(s.idle_parcels) == 2


def test_idle_parcels_disagreeing_with_idle_stock(tmp_path, spec):
    spec["config"] = {"idle_land": {"assessment_date": "2023-06-30"}}
    spec["idle_parcels"] = parcels(10, 15)
    issue = only(issues_of(write(tmp_path, spec)), "idle-mismatch", "counties.csv", "a", "idle_stock")
    assert "30" in issue.message and "25" in issue.message and "idle_parcels.csv" in issue.message


def test_idle_parcels_mismatch_is_reported_in_the_scenario_unit(tmp_path, spec):
    spec["config"] = {"unit": "mu", "idle_land": {"assessment_date": "2023-06-30"}}
    spec["counties"][0].update(idle_stock=450)
    spec["idle_parcels"] = parcels(150, 225)
    issue = only(issues_of(write(tmp_path, spec)), "idle-mismatch", "counties.csv", "a", "idle_stock")
    assert "450 mu" in issue.message and "375 mu" in issue.message


def test_under_earned_linkage_idle_stock_is_the_parcels_classed_idle(tmp_path, spec):
    """Where disposal earns quota, idle_stock is the area classed idle (fee, reclaim, government), not every listed
    parcel: a parcel less than a year past its agreed start is listed but is not idle land (Order 53 Art. 2)."""
    spec["config"] = {"idle_land": {"assessment_date": "2023-06-30"}, "linkage": {"mode": "earned"}}
    spec["counties"][0].update(idle_stock=30, cap_base=10)
    spec["counties"][1:] = [dict(c, cap_base=10) for c in spec["counties"][1:]]
    spec["idle_parcels"] = parcels(10, 20) + [dict(parcels(5)[0], parcel_id="IP9", agreed_start="2023-01-15")]
    s = load(write(tmp_path, spec))  # 10 + 20 classed fee; IP9 (not yet a year late) is not idle stock
    assert len(s.idle_parcels) == 3
    spec["counties"][0].update(idle_stock=35)  # every listed parcel: the first contract's reading, wrong here
    issue = only(issues_of(write(tmp_path / "all", spec)), "idle-mismatch", "counties.csv", "a", "idle_stock")
    assert "classed as idle" in issue.message and "35" in issue.message and "30" in issue.message


def test_under_the_first_contract_idle_stock_may_be_every_parcel_or_those_classed_idle(tmp_path, spec):
    """So that one scenario's data runs under either rule set (``--set rules=contract-2023``)."""
    spec["config"] = {"idle_land": {"assessment_date": "2023-06-30"}}
    spec["idle_parcels"] = parcels(10, 20) + [dict(parcels(5)[0], parcel_id="IP9", agreed_start="2023-01-15")]
    for stock in (35, 30):  # every parcel; those classed idle (IP9 is not yet a year late)
        spec["counties"][0].update(idle_stock=stock)
        assert len(load(write(tmp_path / str(stock), spec)).idle_parcels) == 3
    spec["counties"][0].update(idle_stock=33)
    issue = only(issues_of(write(tmp_path / "33", spec)), "idle-mismatch", "counties.csv", "a", "idle_stock")
    assert "35" in issue.message and "30" in issue.message


def test_idle_parcels_without_assessment_date(tmp_path, spec):
    spec["idle_parcels"] = parcels(10, 20)
    only(issues_of(write(tmp_path, spec)), "missing-key", "scenario.yaml", "idle_land.assessment_date", "idle_land.assessment_date")


# ----------------------------------------------------------- acceptance ----

ACCEPTANCE_DEFECTS = [  # (code, file, row, column): one defect in each of six files
    ("yaml-value", "scenario.yaml", "unit", "unit"),
    ("bad-value", "counties.csv", "b", "usable_stock"),
    ("unknown-ref", "projects.csv", "P1", "county_id"),
    ("phase-sum", "phases.csv", "P2/A", "area"),
    ("unknown-ref", "dependencies.csv", "P3→P9", "requires"),
    ("bad-value", "idle_parcels.csv", "IP2", "cause"),
]


@pytest.fixture
def broken(tmp_path) -> Path:
    spec = base_spec()
    spec["config"] = {"unit": "hectare", "idle_land": {"assessment_date": "2023-06-30"}}
    spec["counties"][1]["usable_stock"] = -4
    spec["projects"][0]["county_id"] = "zz"
    spec["phases"][1]["area"] = 7
    spec["dependencies"].append(dict(project_id="P3", requires="P9"))
    spec["idle_parcels"] = parcels(10, 20)
    spec["idle_parcels"][1]["cause"] = "weather"
    return write(tmp_path / "broken", spec)


def test_acceptance_every_defect_in_one_error(broken):
    issues = issues_of(broken)
    for code, file, row, column in ACCEPTANCE_DEFECTS:
        find(issues, code, file, row, column)
    assert len({i.file for i in issues}) >= 5
    assert len(issues) == len(ACCEPTANCE_DEFECTS), listing(issues)


def test_acceptance_quota_validate_lists_every_problem(broken):
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), "a clean exit, not an unhandled exception"
    assert "Traceback" not in result.output
    assert f"{len(ACCEPTANCE_DEFECTS)} problems" in result.output
    lines = [line for line in result.output.splitlines() if line.strip().startswith("- [")]
    assert len(lines) == len(ACCEPTANCE_DEFECTS), result.output
    for code, file, row, column in ACCEPTANCE_DEFECTS:
        assert any(f"[{code}] {file}, row {row}, column {column}:" in line and "Fix:" in line for line in lines), \
            f"{code} {file} {row} {column} missing from:\n{result.output}"

