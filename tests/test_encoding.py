"""Encodings and normalisation: what Chinese Excel really saves, read correctly and never silently.

- CSV tables in UTF-8 (with or without a BOM), GBK and GB18030 are detected and
  read to the same scenario; the encoding found is kept per table and written
  to the run manifest.
- Undecodable bytes give an error naming the file and the byte offset.
- Each normalisation (stray spaces, full-width digits and punctuation,
  thousands separators, full-width code words) is reported as a warning: in
  the scenario, in ``quota validate``'s output and on the screen of ``quota
  run``. Warnings never stop a run. Boolean spellings that the contract accepts
  (true/false, 1/0, yes/no, 是/否) are not normalisations and give no warning.
- Acceptance 4: a GBK copy of the default scenario's CSVs gives the identical
  allocation, row for row.
"""
from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from builder import county, project, write_scenario
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import ScenarioError
from quota.run import output_tables, run_scenario
from quota.input.validate import load

TINY = Path(__file__).parent / "fixtures" / "tiny"
TABLES = ("counties", "projects", "phases", "dependencies")


def recode(folder: Path, encoding: str, tables=TABLES) -> Path:
    for name in tables:
        path = folder / f"{name}.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    return folder


def copy_tiny(tmp_path: Path, name: str = "s") -> Path:
    return Path(shutil.copytree(TINY, tmp_path / name))


# ----------------------------------------------------------- detection ----

@pytest.mark.parametrize("encoding, recorded", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
])
def test_each_encoding_reads_the_same_scenario(tmp_path, encoding, recorded):
    reference = load(TINY)
    s = load(recode(copy_tiny(tmp_path), encoding))
    ascii_only = "utf-8-sig" if encoding == "utf-8-sig" else "utf-8"  # phases and dependencies: ASCII is valid UTF-8
    assert s.encodings == {"projects": recorded, "counties": recorded, "phases": ascii_only, "dependencies": ascii_only}
    pd.testing.assert_frame_equal(s.projects, reference.projects)
    pd.testing.assert_frame_equal(s.counties, reference.counties)
    pd.testing.assert_frame_equal(s.phases, reference.phases)
    assert s.projects.at["P1", "name"] == "甲县电子产业园" and s.warnings == ()


def test_a_bom_does_not_become_part_of_the_first_column_name(tmp_path):
    folder = recode(copy_tiny(tmp_path), "utf-8-sig")
    assert (folder / "projects.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert "P1" in load(folder).projects.index


def test_gb18030_characters_outside_gbk(tmp_path):
    """A rare character (𠮷, four bytes in GB18030) that GBK cannot hold survives."""
    folder = write_scenario(tmp_path, projects=[project(name="𠮷县项目")])
    recode(folder, "gb18030", ("projects",))
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    s = load(folder)
    assert s.projects.at["P1", "name"] == "𠮷县项目" and s.encodings["projects"] == "gb18030"


def test_each_table_keeps_its_own_encoding(tmp_path):
    folder = recode(copy_tiny(tmp_path), "gbk", ("projects",))
    recode(folder, "utf-8-sig", ("counties",))
    assert load(folder).encodings == {"projects": "gb18030", "counties": "utf-8-sig", "phases": "utf-8", "dependencies": "utf-8"}


def test_the_run_manifest_records_the_encoding_of_each_table(tmp_path):
    folder = recode(copy_tiny(tmp_path), "gbk", ("projects", "counties"))
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--counterfactuals", "off"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["encodings"] == {"projects": "gb18030", "counties": "gb18030", "phases": "utf-8", "dependencies": "utf-8"}


# -------------------------------------------------------- undecodable ----

def test_undecodable_bytes_name_the_file_and_the_byte_offset(tmp_path):
    folder = recode(copy_tiny(tmp_path), "gbk", ("projects",))
    data = (folder / "projects.csv").read_bytes()
    offset = len(data)
    (folder / "projects.csv").write_bytes(data + b"P99,\xff\xff,a\n")
    with pytest.raises(ScenarioError) as info:
        load(folder)
    (issue,) = info.value.issues
    assert (issue.code, issue.file) == ("encoding", "projects.csv")
    assert f"first bad byte at offset {offset + 4}" in issue.message and "0xff" in issue.message
    assert "CSV UTF-8" in issue.hint


@pytest.mark.parametrize("bad", [b"\x80", b"\xff", b"\x81\x20"])
def test_bytes_that_no_encoding_accepts(tmp_path, bad):
    """GB18030 decodes almost any byte sequence; these are the ones it refuses (a lone 0x80, 0xff, a cut lead byte)."""
    for encoding in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            bad.decode(encoding)
    folder = copy_tiny(tmp_path)
    (folder / "dependencies.csv").write_bytes(b"project_id,requires\nP3," + bad + b"\n")
    with pytest.raises(ScenarioError) as info:
        load(folder)
    (issue,) = info.value.issues
    assert issue.code == "encoding" and issue.file == "dependencies.csv" and "offset 23" in issue.message


def test_damaged_utf8_is_not_read_as_gbk(tmp_path):
    """A UTF-8 file with Chinese text and one bad byte would decode as GB18030 into nonsense: it is refused."""
    folder = copy_tiny(tmp_path)
    data = (folder / "projects.csv").read_bytes()
    i = data.index("乙县装备制造".encode())
    (folder / "projects.csv").write_bytes(data[:i] + b"\x80" + data[i + 1:])
    with pytest.raises(ScenarioError) as info:
        load(folder)
    assert f"byte offset {i}" in info.value.issues[0].message and "damaged" in info.value.issues[0].message


# ------------------------------------------------------- normalisation ----

def warnings_of(folder: Path) -> dict[tuple[str, str], list]:
    out: dict = {}
    for w in load(folder).warnings:
        assert w.severity == "warning" and w.hint
        out.setdefault((w.code, w.column), []).append(w)
    return out


def test_stray_spaces_are_removed_and_counted_once_per_column(tmp_path):
    folder = copy_tiny(tmp_path)
    text = (folder / "projects.csv").read_text(encoding="utf-8")
    text = text.replace("P1,甲县电子产业园,a", "P1, 甲县电子产业园 ,a").replace("P2,甲县物流中心,a", "P2,甲县物流中心\u3000,a")
    text = text.replace(",industry,12,", ",industry,\u00a012 ,", 1)
    (folder / "projects.csv").write_text(text.replace("project_id,name", " project_id ,name", 1), encoding="utf-8")
    s = load(folder)
    assert s.projects.at["P1", "name"] == "甲县电子产业园" and s.projects.at["P2", "name"] == "甲县物流中心"
    assert s.projects.at["P1", "area"] == 12.0
    found = warnings_of(folder)
    (names,) = found[("whitespace", "name")]
    assert names.file == "projects.csv" and names.message.startswith("2 cells had spaces around the value (lines 2, 3)")
    (area,) = found[("whitespace", "area")]
    assert area.message.startswith("1 cell had spaces") and "line 2" in area.message
    (header,) = found[("whitespace", "")]
    assert "'project_id'" in header.message


def test_spaces_in_a_workbook_are_reported_too(tmp_path):
    import openpyxl

    from test_bad_inputs import to_book, write_base

    path = to_book(write_base(tmp_path))
    book = openpyxl.load_workbook(path)
    book["projects"]["B2"] = "  项目  "
    book.save(path)
    s = load(path)
    assert s.projects.at["P1", "name"] == "项目"
    (w,) = s.warnings
    assert (w.code, w.file, w.column) == ("whitespace", "book.xlsx[projects]", "name")


@pytest.mark.parametrize("text, value", [
    ("１２００", 1200), ("１２，０００．５", 12000.5), ("1,200", 1200), ("1,200,000.25", 1200000.25), ("1 200", 1200),
    ("1\u00a0200", 1200), ("＋５", 5),
])
def test_full_width_digits_punctuation_and_thousands_separators(tmp_path, text, value):
    folder = write_scenario(tmp_path, projects=[project(investment=text)])
    s = load(folder)
    assert s.projects.at["P1", "investment"] == value
    (w,) = s.warnings
    assert (w.code, w.file, w.row, w.column) == ("normalised", "projects.csv", "P1", "investment")
    assert f"{text!r} was read as {value:g}" in w.message


@pytest.mark.parametrize("text", ["－５", "\u22125"])
def test_full_width_minus_is_read_as_a_minus(tmp_path, text):
    folder = write_scenario(tmp_path, projects=[project(investment=text)])
    with pytest.raises(ScenarioError) as info:
        load(folder)
    assert "-5 is negative" in info.value.issues[0].message


@pytest.mark.parametrize("text", ["1,20", "1.200.000", "12 5", "1_000", "١٢٣", "0x10", "1,2,3"])
def test_ambiguous_numbers_are_errors_not_guesses(tmp_path, text):
    folder = write_scenario(tmp_path, projects=[project(investment=text)])
    with pytest.raises(ScenarioError) as info:
        load(folder)
    (issue,) = info.value.issues
    assert (issue.code, issue.row, issue.column) == ("bad-value", "P1", "investment") and "is not a number" in issue.message


@pytest.mark.parametrize("column, text, value", [("lock", "ｉｎ", "in"), ("urgent", "ＴＲＵＥ", True), ("category", "ｉｎｄｕｓｔｒｙ", "industry")])
def test_full_width_code_words(tmp_path, column, text, value):
    folder = write_scenario(tmp_path, projects=[project(**{column: text})])
    s = load(folder)
    assert s.projects.at["P1", column] == value
    (w,) = s.warnings
    assert (w.code, w.column) == ("normalised", column)


@pytest.mark.parametrize("text, value", [("是", True), ("否", False), ("true", True), ("False", False), ("1", True),
                                         ("0", False), ("yes", True), ("NO", False)])
def test_accepted_boolean_spellings_give_no_warning(tmp_path, text, value):
    """The contract accepts these spellings; reading them is not a normalisation."""
    s = load(write_scenario(tmp_path, projects=[project(urgent=text)]))
    assert bool(s.projects.at["P1", "urgent"]) is value and s.warnings == ()


def test_many_normalised_cells_fold_into_one_warning(tmp_path):
    projects = [project(project_id=f"P{i}", investment=f"1,{i:03d}") for i in range(1, 9)]
    s = load(write_scenario(tmp_path, projects=projects))
    assert s.projects.at["P7", "investment"] == 1007
    (w,) = s.warnings
    assert w.message.startswith("8 rows give this warning (rows P1, P2, P3, P4, P5, ...)") and "'1,001' was read as 1001" in w.message


def test_extra_commas_and_empty_rows_are_reported(tmp_path):
    folder = copy_tiny(tmp_path)
    path = folder / "dependencies.csv"
    path.write_text("project_id,requires\nP3,P9,\n,\nP2,P1,,\n", encoding="utf-8")
    s = load(folder)
    assert list(zip(s.dependencies["project_id"], s.dependencies["requires"])) == [("P3", "P9"), ("P2", "P1")]
    codes = {w.code for w in s.warnings}
    assert codes == {"extra-commas", "empty-rows"}


def test_warnings_are_listed_by_quota_validate(tmp_path):
    folder = write_scenario(tmp_path, projects=[project(investment="１２００", name=" 项目 ")])
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "warning: [normalised] projects.csv, row P1, column investment: '１２００' was read as 1200." in result.output
    assert "warning: [whitespace] projects.csv, column name: 1 cell had spaces" in result.output
    assert "valid:" in result.output


def test_warnings_never_stop_a_run_and_are_shown(tmp_path):
    folder = write_scenario(tmp_path, counties=[county(name=" 甲县 ")], projects=[project(investment="１，２００")])
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--counterfactuals", "off"])
    assert result.exit_code == 0, result.output
    assert "warning: [normalised] projects.csv, row P1, column investment" in result.output
    assert "warning: [whitespace] counties.csv, column name" in result.output
    assert (out / "summary.json").is_file()


def test_warnings_are_kept_in_the_manifest_and_the_summary(tmp_path):
    folder = write_scenario(tmp_path, projects=[project(investment="１，２００")])
    out = tmp_path / "run"
    assert CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--counterfactuals", "off"]).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for record in (manifest["warnings"], summary["warnings"]):
        (w,) = record
        assert w["code"] == "normalised" and w["file"] == "projects.csv" and w["row"] == "P1"


# ---------------------------------------------------------- acceptance ----

def test_acceptance_4_a_gbk_copy_of_the_default_gives_the_identical_allocation(contract_path, contract_run, tmp_path):
    """Acceptance 4: the default scenario's CSVs re-encoded as GBK give allocations.csv row for row, every
    column (project, plan, phase, year, source, area) equal, and the same projects.csv statuses."""
    folder = Path(shutil.copytree(contract_path, tmp_path / "gbk"))
    for path in folder.glob("*.csv"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    gbk = run_scenario(folder)
    assert gbk.scenario.encodings["projects"] == gbk.scenario.encodings["counties"] == "gb18030"
    a, b = output_tables(contract_run), output_tables(gbk)
    pd.testing.assert_frame_equal(b["allocations.csv"].reset_index(drop=True), a["allocations.csv"].reset_index(drop=True))
    cols = ["project_id", "name", "status", "plan", "first_year"]
    pd.testing.assert_frame_equal(b["projects.csv"][cols], a["projects.csv"][cols])
    assert gbk.solution.objective == contract_run.solution.objective
