"""Inputs a hostile or careless user gives (issue 14): each is refused by ``validate`` naming the file, row
and column, or accepted and works end to end; none ends in an internal error, none is silently misread.

Classes, at least five cases each: invisible and compatibility characters in ids; control characters and
non-strings in text; dates; extreme numbers; files (containment, non-regular files, size, ``extends``
cycles); the bounded YAML loader for ``--set`` and ``--grid``; messages. A property test puts generated
hostile values into a valid scenario and runs validate, then solve and write.
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
import signal
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from builder import county, project, write_scenario, write_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quota.input import files, read
from quota.errors import Issue, QuotaError, ScenarioError
from quota.run import run_scenario
from quota.commands.sweep_grid import parse_values, read_grid
from quota.input.validate import load
from quota.input.variants import load_variant, parse_set

PARCEL_COLUMNS = ["parcel_id", "county_id", "area", "agreed_start", "grant_price", "cause", "actual_start"]
PHASE_COLUMNS = ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]


def problems(path, sets=()) -> list[Issue]:
    with pytest.raises(ScenarioError) as info:
        load_variant(path, sets) if sets else load(path)
    return info.value.issues


def one(issues: list[Issue], code: str, file: str = None, row: str = None, column: str = None, text: str = "") -> Issue:
    """The one issue with this code (and file, row, column when given) whose message holds ``text``."""
    hits = [i for i in issues if i.code == code and (file is None or i.file == file) and (row is None or i.row == row)
            and (column is None or i.column == column) and text in i.message]
    assert len(hits) == 1, "\n".join(map(repr, issues))
    assert hits[0].hint
    return hits[0]


def parcels(folder: Path, rows: list[dict]) -> Path:
    write_table(folder / "idle_parcels.csv", rows, PARCEL_COLUMNS)
    return folder


PARCEL = dict(parcel_id="L1", county_id="a", area=30, agreed_start="2020-01-01", grant_price=100, cause="enterprise",
              actual_start="")
IDLE = {"idle_land": {"assessment_date": "2023-06-30"}}


# ------------------------------------------- invisible and compatibility ids ----

def test_zero_width_space_in_a_project_id(tmp_path):
    s = write_scenario(tmp_path, projects=[project(), project(project_id="P\u200b1")])
    i = one(problems(s), "bad-character", "projects.csv", "P\u200b1", "project_id")
    assert "U+200B ZERO WIDTH SPACE" in i.message


def test_bom_inside_a_county_id(tmp_path):
    s = write_scenario(tmp_path, counties=[county(), county(county_id="\ufeffa")])
    assert "U+FEFF ZERO WIDTH NO-BREAK SPACE" in one(problems(s), "bad-character", "counties.csv", None, "county_id").message


@pytest.mark.parametrize("ch, name", [("\u200d", "ZERO WIDTH JOINER"), ("\u2060", "WORD JOINER"), ("\x07", "control character")])
def test_other_invisible_characters_in_ids(tmp_path, ch, name):
    s = write_scenario(tmp_path, projects=[project(), project(project_id="P2", county_id=f"a{ch}")])
    assert name in one(problems(s), "bad-character", "projects.csv", "P2", "county_id").message


def test_full_width_id_colliding_with_an_ascii_one_names_both_rows(tmp_path):
    s = write_scenario(tmp_path, projects=[project(), project(project_id="Ｐ1")])
    i = one(problems(s), "duplicate-id", "projects.csv", None, "project_id")
    assert "'P1' (line 2)" in i.message and "'Ｐ1' (line 3)" in i.message


def test_full_width_reference_is_not_a_silent_match(tmp_path):
    s = write_scenario(tmp_path, projects=[project(county_id="ａ")])
    i = one(problems(s), "id-mismatch", "projects.csv", "P1", "county_id")
    assert "'a'" in i.message


def test_plans_that_differ_only_by_compatibility_characters(tmp_path):
    s = write_scenario(tmp_path, phases=[dict(project_id="P1", plan="Ⅱ", phase=1, area=10, farmland_area=0, earliest_year=2023),
                                         dict(project_id="P1", plan="II", phase=1, area=10, farmland_area=0, earliest_year=2023)])
    one(problems(s), "duplicate-id", "phases.csv", None, "plan")


def test_dependency_on_an_id_with_a_word_joiner(tmp_path):
    s = write_scenario(tmp_path, projects=[project(), project(project_id="P2")],
                       dependencies=[dict(project_id="P2", requires="P\u20601")])
    one(problems(s), "bad-character", "dependencies.csv", None, "requires")


def test_a_full_width_id_alone_is_accepted_as_written(tmp_path):
    s = load(write_scenario(tmp_path, projects=[project(project_id="Ｐ1")]))
    assert list(s.projects.index) == ["Ｐ1"]


# ----------------------------------------------- control characters, non-strings ----

@pytest.mark.parametrize("text, point", [("a\x1b[31mb", "U+001B"), ("a\rb", "U+000D"), ("a\x00b", "U+0000"),
                                          ("a\tb", "U+0009"), ("a\nb", "U+000A"), ("a\u202eb", "U+202E")])
def test_control_characters_in_a_name(tmp_path, text, point):
    s = write_scenario(tmp_path, projects=[project(name=text)])
    assert point in one(problems(s), "bad-character", "projects.csv", "P1", "name").message


@pytest.mark.parametrize("key, value", [("name", {"a": 1}), ("name", [1, 2]), ("name", 2024), ("description", [1, 2]),
                                        ("description", {"x": "y"})])
def test_non_string_name_or_description(tmp_path, key, value):
    s = write_scenario(tmp_path, **{key: value})
    one(problems(s), "yaml-type", "scenario.yaml", key, key)


def test_control_character_in_the_description_but_line_breaks_allowed(tmp_path):
    one(problems(write_scenario(tmp_path / "a", description="x\x1by")), "bad-character", "scenario.yaml", "description")
    load(write_scenario(tmp_path / "b", description="line one\nline two"))


# ------------------------------------------------------------------ dates ----

@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1900-01-01", "2101-01-01"])
def test_assessment_date_out_of_range(tmp_path, date):
    s = parcels(write_scenario(tmp_path, idle_land={"assessment_date": date}), [PARCEL])
    one(problems(s), "yaml-value", "scenario.yaml", "idle_land.assessment_date")


@pytest.mark.parametrize("column, date", [("agreed_start", "9999-01-01"), ("actual_start", "0001-01-01"),
                                          ("agreed_start", "1800-05-05")])
def test_parcel_dates_out_of_range(tmp_path, column, date):
    s = parcels(write_scenario(tmp_path, **IDLE), [{**PARCEL, column: date}])
    one(problems(s), "bad-value", "idle_parcels.csv", "L1", column)


def test_a_timestamp_assessment_date_works_end_to_end(tmp_path):
    s = parcels(write_scenario(tmp_path / "s"), [PARCEL])
    text = (s / "scenario.yaml").read_text(encoding="utf-8") + "idle_land: {assessment_date: 2023-06-30 12:00:00}\n"
    (s / "scenario.yaml").write_text(text, encoding="utf-8")
    assert load(s).assessment_date == dt.date(2023, 6, 30)
    run_scenario(s, tmp_path / "out", counterfactuals=False)
    assert (tmp_path / "out" / "manifest.json").exists()


def test_an_excel_date_cell_for_the_assessment_date(tmp_path):
    s = parcels(write_scenario(tmp_path / "s"), [PARCEL])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scenario"
    sheet.append(["key", "value"])
    cfg = yaml.safe_load((s / "scenario.yaml").read_text(encoding="utf-8"))
    for key, value in cfg.items():
        sheet.append([key, yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()])
    sheet.append(["idle_land.assessment_date", dt.datetime(2023, 6, 30)])
    for name in ("counties", "projects", "idle_parcels"):
        ws = book.create_sheet(name)
        for row in (s / f"{name}.csv").read_text(encoding="utf-8").splitlines():
            ws.append(row.split(","))
    book.save(tmp_path / "book.xlsx")
    assert load(tmp_path / "book.xlsx").assessment_date == dt.date(2023, 6, 30)


# -------------------------------------------------------------- extreme numbers ----

@pytest.mark.parametrize("column, value, text", [("area", "1e-9", "too small"), ("farmland_area", "1e-9", "too small"),
                                                  ("investment", "1e200", "absurdly large"), ("annual_tax", "1e13", "absurdly large"),
                                                  ("jobs", "1e200", "absurdly large"), ("investment", "inf", "finite"),
                                                  ("annual_tax", "nan", "finite")])
def test_extreme_numbers_in_a_table(tmp_path, column, value, text):
    s = write_scenario(tmp_path, projects=[project(**{column: value})])
    one(problems(s), "bad-value", "projects.csv", "P1", column, text)


@pytest.mark.parametrize("key, config", [("scoring.weights.jobs_intensity", {"scoring": {"weights": {"jobs_intensity": 1e200}}}),
                                         ("linkage.penalty", {"linkage": {"penalty": 1e250}}),
                                         ("advance.cost", {"advance": {"cost": 1e7}}),
                                         ("quota.2023", {"quota": {2023: 1e200, 2024: 100, 2025: 100}}),
                                         ("quota.2023", {"quota": {2023: 1e-9, 2024: 100, 2025: 100}}),
                                         ("idle_land.reclaim_years", {"idle_land": {"reclaim_years": 10 ** 9}})])
def test_extreme_numbers_in_the_yaml(tmp_path, key, config):
    s = write_scenario(tmp_path, **config)
    one(problems(s), "yaml-value", "scenario.yaml", key, key)


def test_the_bounds_themselves_are_accepted(tmp_path):
    s = write_scenario(tmp_path, projects=[project(area="0.000001", investment="1e12")], linkage={"penalty": 1e6})
    load(s)


# --------------------------------------------------------------------- files ----

def test_a_default_named_table_linked_outside_the_folder(tmp_path):
    s = write_scenario(tmp_path / "s")
    outside = tmp_path / "secret.csv"
    (s / "counties.csv").rename(outside)
    (s / "counties.csv").symlink_to(outside)
    i = one(problems(s), "path-escape", "counties.csv")
    assert "outside the folder" in i.message


def test_a_default_named_table_linked_to_etc_passwd(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "projects.csv").unlink()
    (s / "projects.csv").symlink_to("/etc/passwd")
    one(problems(s), "path-escape", "projects.csv")


def test_a_link_inside_the_folder_is_followed(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "data").mkdir()
    (s / "counties.csv").rename(s / "data" / "c.csv")
    (s / "counties.csv").symlink_to(s / "data" / "c.csv")
    load(s)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_table_that_is_a_device(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "counties.csv").unlink()
    os.symlink("/dev/zero", s / "counties.csv")
    s2 = write_scenario(tmp_path / "s2", tables={"counties": "zero.csv"})
    os.symlink("/dev/zero", s2 / "zero.csv")
    one(problems(s), "path-escape", "counties.csv")  # a default-named table: outside the folder it is found in
    one(problems(s2), "path-escape", "scenario.yaml", "tables.counties")  # a named one: outside the yaml's folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "projects.csv").unlink()
    os.mkfifo(s / "projects.csv")
    signal.alarm(20)  # a blocking open would hang the test: fail it instead
    try:
        one(problems(s), "not-a-file", "projects.csv", text="named pipe")
    finally:
        signal.alarm(0)


def test_a_table_that_is_a_folder(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "counties.csv").unlink()
    (s / "counties.csv").mkdir()
    one(problems(s), "not-a-file", "counties.csv", text="folder")


def test_files_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_TABLE_BYTES", 200)
    s = write_scenario(tmp_path / "s", projects=[project(project_id=f"P{k}") for k in range(10)])
    one(problems(s), "file-too-large", "projects.csv", text="MB")
    monkeypatch.setattr(files, "MAX_YAML_BYTES", 50)
    one(problems(s), "file-too-large", "scenario.yaml")


def test_extends_cycles_are_refused_naming_the_cycle(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (s / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    i = one(problems(s / "a.yaml"), "extends-cycle")
    assert "a.yaml → " in i.message and "b.yaml → " in i.message
    (s / "self.yaml").write_text("extends: self.yaml\n", encoding="utf-8")
    one(problems(s / "self.yaml"), "extends-cycle")
    (s / "c.yaml").write_text("extends: .\n", encoding="utf-8")  # its own folder: scenario.yaml, which extends nothing
    (s / "scenario.yaml").write_text((s / "scenario.yaml").read_text(encoding="utf-8") + "extends: c.yaml\n", encoding="utf-8")
    one(problems(s / "c.yaml"), "extends-cycle")


def test_extends_of_a_file_that_is_not_yaml(tmp_path):
    s = write_scenario(tmp_path / "s")
    (s / "v.yaml").write_text("extends: /etc/passwd\n", encoding="utf-8")
    one(problems(s / "v.yaml"), "extends-type", "v.yaml", "extends")


def test_scenario_files_lists_the_inputs_without_reading_tables(tmp_path):
    s = write_scenario(tmp_path / "s", dependencies=[])
    files = read.input_files(s)
    assert [p.name for p in files] == ["scenario.yaml", "counties.csv", "projects.csv", "dependencies.csv"]
    assert list(load(s).files) == files


# ----------------------------------------------------- bounded yaml: --set, --grid ----

BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" \
       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"


def test_an_alias_bomb_in_a_set_value():
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        parse_set("linkage.penalty={" + BOMB.replace("\n", ", ").rstrip(", ") + "}")


def test_an_alias_bomb_in_a_sweep_set():
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        parse_values("linkage.penalty", "&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], "
                                        "&d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], "
                                        "&f [*e,*e,*e,*e,*e,*e,*e,*e,*e]")


def test_an_alias_bomb_in_a_grid_file(tmp_path):
    (tmp_path / "grid.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        read_grid([], tmp_path / "grid.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_grid_file_that_is_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "grid.yaml")
    signal.alarm(20)
    try:
        with pytest.raises(ScenarioError, match="named pipe"):
            read_grid([], tmp_path / "grid.yaml")
    finally:
        signal.alarm(0)


def test_a_python_tag_or_a_repeated_key_in_a_set():
    with pytest.raises(ScenarioError, match="constructor"):
        parse_set('linkage.penalty=!!python/object/apply:os.system ["echo pwned"]')
    with pytest.raises(ScenarioError, match="given twice"):
        parse_set("quota={2023: 1, 2023: 2}")


@pytest.mark.parametrize("text, value", [("1e9", 1e9), ("1E+9", 1e9), ("-2.5e-3", -2.5e-3), ("1.0e+9", 1e9), ("12", 12)])
def test_exponent_numbers_are_numbers(text, value):
    assert parse_set(f"quota.2023={text}").value == value
    assert parse_values("linkage.penalty", f"0,{text}") == [0, value]


# ------------------------------------------------------------------ messages ----

def test_a_duplicate_yaml_key_does_not_hide_the_other_problems(tmp_path):
    s = write_scenario(tmp_path, projects=[project(area="-3")])
    (s / "scenario.yaml").write_text((s / "scenario.yaml").read_text(encoding="utf-8") + "lang: zh\n", encoding="utf-8")
    issues = problems(s)
    one(issues, "duplicate-key", "scenario.yaml", None, "lang")
    one(issues, "bad-value", "projects.csv", "P1", "area")


def test_a_set_problem_has_a_set_hint(tmp_path):
    s = write_scenario(tmp_path)
    i = one(problems(s, ["scoring.weights.jobs_intensity=abc"]), "yaml-type")
    assert i.file == "--set scoring.weights.jobs_intensity=abc"
    assert "--set scoring.weights.jobs_intensity=" in i.hint and "jobs_intensity: " not in i.hint


def test_a_workbook_message_names_the_sheet_and_spreadsheet_row(tmp_path):
    s = write_scenario(tmp_path / "s", projects=[project(), project(project_id="P2", area="-4")])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scenario"
    for key, value in yaml.safe_load((s / "scenario.yaml").read_text(encoding="utf-8")).items():
        sheet.append([key, yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()])
    for name in ("counties", "projects"):
        ws = book.create_sheet(name)
        for row in (s / f"{name}.csv").read_text(encoding="utf-8").splitlines():
            ws.append(row.split(","))
    book.save(tmp_path / "book.xlsx")
    one(problems(tmp_path / "book.xlsx"), "bad-value", "book.xlsx[projects]", "P2 (sheet row 3)", "area")


def test_a_bom_before_a_gbk_body(tmp_path):
    s = write_scenario(tmp_path, projects=[project(name="二期项目")])
    body = (s / "projects.csv").read_text(encoding="utf-8").encode("gbk")
    (s / "projects.csv").write_bytes(codecs.BOM_UTF8 + body)
    i = one(problems(s), "encoding", "projects.csv")
    assert "BOM" in i.message and "GBK" in i.message


def test_an_oversized_csv_field_names_its_line(tmp_path):
    s = write_scenario(tmp_path, projects=[project(), project(project_id="P2")])
    text = (s / "projects.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[2] = lines[2].replace("项目", '"' + "x" * 200_000, 1)  # a quote opened on line 3 and never closed
    (s / "projects.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    i = one(problems(s), "csv-syntax", "projects.csv", "line 3")
    assert "longer than" in i.message


# ------------------------------------------------------------- property test ----

HOSTILE_TEXT = st.sampled_from(["x\x1by", "a\rb", "\u200bP", "Ｐ1", "P1\ufeff", "=HYPERLINK(\"x\")", "a\x00", "名\u202e称", "ok"])
HOSTILE_NUMBER = st.sampled_from(["1e-9", "1e-6", "0.5", "1e200", "1e12", "1e13", "inf", "nan", "-0", "1e-300", "3"])
HOSTILE_DATE = st.sampled_from(["9999-12-31", "0001-01-01", "2023-06-30 12:00:00", "2023-02-29", "2024-02-29", "2100-12-31"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=HOSTILE_TEXT, pid=HOSTILE_TEXT, area=HOSTILE_NUMBER, money=HOSTILE_NUMBER, jobs=HOSTILE_NUMBER,
       weight=st.sampled_from([0.5, 1e6, 1e7, 1e200, float("inf")]), date=HOSTILE_DATE, start=HOSTILE_DATE)
def test_validate_then_run_never_ends_in_an_internal_error(tmp_path_factory, name, pid, area, money, jobs, weight, date, start):
    folder = tmp_path_factory.mktemp("p")
    s = write_scenario(folder / "s", projects=[project(), project(project_id=pid, name=name, area=area, investment=money, jobs=jobs)],
                       scoring={"weights": {"jobs_intensity": weight}}, idle_land={"assessment_date": date})
    parcels(s, [{**PARCEL, "agreed_start": start}])
    try:
        load(s)
    except ScenarioError as e:
        assert all(i.file and i.message and i.hint for i in e.issues)
        return
    try:
        run_scenario(s, folder / "out", counterfactuals=False)
    except QuotaError as e:  # an infeasible model, explained: a message, not an internal error
        assert not isinstance(e, ScenarioError), f"validate passed but the run refused the scenario: {e}"
        return
    assert (folder / "out" / "manifest.json").exists()
