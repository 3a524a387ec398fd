"""A catalogue of bad inputs: each breaks one thing in a copy of a valid scenario.

Every row of ``CATALOGUE`` is one test with its own fixture: a short id, a
function that breaks a freshly written valid base (two counties, three
projects, a phased project and a dependency), and the issue it must produce —
code, file, row key and column, a regular expression on the message, and a
non-empty hint that says how to fix it. Unless a row says otherwise, the
defect must be the only problem reported (no cascade of follow-on errors), and
the rendered error, as ``quota validate`` prints it, names the file, row and
column.

The list covers issue 9: duplicate ids and rows; unknown references; negative,
zero, NaN, infinite and absurd areas; phases that do not add up; farmland over
area; years outside the horizon or not consecutive; a quota year missing; unit
typos; wrong yaml types; dependency cycles; lock-in of ineligible projects; an
empty projects table; a missing xlsx sheet; formulas in a workbook; a table
path escaping the folder; yaml tags that would run code; merged headers, units
in the header or in a cell; undecodable and mixed encodings; malformed CSV.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl
import pytest
import yaml
from builder import county, project, write_scenario
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import Issue, ScenarioError
from quota.input.validate import load

PHASE_COLUMNS = ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]
KEY = {"counties": "county_id", "projects": "project_id", "phases": "project_id", "dependencies": "project_id"}


# ------------------------------------------------------------- the base ----

def write_base(folder: Path) -> Path:
    """The valid base: counties a, b; projects P1, P2 (phased 12 + 8 ha, plan A), P3 (requires P1)."""
    return write_scenario(
        folder,
        counties=[county(), county(county_id="b", name="乙县", cap_base=40)],
        projects=[project(), project(project_id="P2", name="二期项目", area=20, farmland_area=5),
                  project(project_id="P3", name="学校", county_id="b", category="livelihood", urgent="true")],
        phases=[dict(project_id="P2", plan="A", phase=1, area=12, farmland_area=3, earliest_year=2023),
                dict(project_id="P2", plan="A", phase=2, area=8, farmland_area=2, earliest_year=2024)],
        dependencies=[dict(project_id="P3", requires="P1")],
    )


def rows_of(folder: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / f"{table}.csv").read_text(encoding="utf-8"))))


def put_rows(folder: Path, table: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")


def cell(table: str, key: str, column: str, value: str) -> Callable[[Path], Path]:
    """Set one cell, found by the row's key (first matching row) and the column name."""
    def breaks(folder: Path) -> Path:
        rows = rows_of(folder, table)
        col, key_col = rows[0].index(column), rows[0].index(KEY[table])
        row = next(r for r in rows[1:] if r[key_col] == key)
        row[col] = value
        put_rows(folder, table, rows)
        return folder
    return breaks


def append(table: str, row: dict) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        rows = rows_of(folder, table)
        rows.append([str(row.get(c, "")) for c in rows[0]])
        put_rows(folder, table, rows)
        return folder
    return breaks


def repeat_row(table: str, index: int) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        rows = rows_of(folder, table)
        rows.append(list(rows[index]))
        put_rows(folder, table, rows)
        return folder
    return breaks


def header_only(table: str) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        put_rows(folder, table, rows_of(folder, table)[:1])
        return folder
    return breaks


def rename_column(table: str, old: str, new: str) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        rows = rows_of(folder, table)
        rows[0][rows[0].index(old)] = new
        put_rows(folder, table, rows)
        return folder
    return breaks


def drop_column(table: str, column: str) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        rows = rows_of(folder, table)
        i = rows[0].index(column)
        put_rows(folder, table, [r[:i] + r[i + 1:] for r in rows])
        return folder
    return breaks


def raw_bytes(table: str, change: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        path = folder / f"{table}.csv"
        path.write_bytes(change(path.read_bytes()))
        return folder
    return breaks


def file_bytes(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    """Change the bytes of any file of the scenario folder; returns the path to load (the folder, or a workbook)."""
    def breaks(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))
        return path if path.suffix == ".xlsx" else folder
    return breaks


def config(**changes) -> Callable[[Path], Path]:
    """Change yaml keys (None deletes one)."""
    def breaks(folder: Path) -> Path:
        path = folder / "scenario.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for k, v in changes.items():
            if v is None:
                data.pop(k)
            else:
                data[k] = v
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return folder
    return breaks


def yaml_text(extra: str) -> Callable[[Path], Path]:
    """Append raw lines to scenario.yaml."""
    def breaks(folder: Path) -> Path:
        path = folder / "scenario.yaml"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
        return folder
    return breaks


def both(*steps: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def breaks(folder: Path) -> Path:
        for step in steps:
            path = step(folder)
        return path
    return breaks


# ------------------------------------------------------------ workbooks ----

def to_book(folder: Path, drop: tuple[str, ...] = (), cells: dict | None = None) -> Path:
    """The base as book.xlsx (sheet 'scenario' of key/value rows, one sheet per table), minus ``drop``
    sheets, with ``cells`` {(sheet, key, column): value} set."""
    data = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "scenario"
    ws.append(["key", "value"])
    for k, v in data.items():
        ws.append([k, yaml.safe_dump(v, default_flow_style=True).strip().removesuffix("...").strip()])
    for table in ("counties", "projects", "phases", "dependencies"):
        if table in drop:
            continue
        rows = rows_of(folder, table)
        sheet = book.create_sheet(table)
        for r in rows:
            sheet.append([int(c) if c.isdigit() else (c or None) for c in r])
        for (name, key, column), value in (cells or {}).items():
            if name == table:
                i = next(i for i, r in enumerate(rows) if r[0] == key)
                sheet.cell(row=i + 1, column=rows[0].index(column) + 1, value=value)
    path = folder / "book.xlsx"
    book.save(path)
    return path


def book(drop: tuple[str, ...] = (), cells: dict | None = None) -> Callable[[Path], Path]:
    return lambda folder: to_book(folder, drop, cells)


# ----------------------------------------------------------- catalogue ----

@dataclass(frozen=True)
class Bad:
    id: str
    breaks: Callable[[Path], Path]
    code: str
    file: str
    row: str  # exact, or a regular expression after "re:"
    column: str
    message: str  # a regular expression searched in the message
    alone: bool = True  # the only issue reported

    def __repr__(self) -> str:
        return self.id


def _mixed(data: bytes) -> bytes:
    lines = data.decode("utf-8").splitlines(keepends=True)
    return "".join(lines[:2]).encode("utf-8") + "".join(lines[2:]).encode("gbk")


CATALOGUE = [
    # ids and rows
    Bad("duplicate-project-id", append("projects", project(project_id="P2", name="重复")),
        "duplicate-id", "projects.csv", "P2", "project_id", r"'P2' appears 2 times \(lines 3, 5\) with different values"),
    Bad("duplicate-row", repeat_row("projects", 1), "duplicate-id", "projects.csv", "P1", "project_id", r"repeated: 2 identical rows"),
    Bad("duplicate-county-id", append("counties", county(county_id="b", name="又一个乙县")),
        "duplicate-id", "counties.csv", "b", "county_id", r"'b' appears 2 times"),
    Bad("duplicate-phase", repeat_row("phases", 2), "duplicate-id", "phases.csv", "P2/A/2", "phase", r"more than once", alone=False),
    # references
    Bad("unknown-county", cell("projects", "P1", "county_id", "zz"), "unknown-ref", "projects.csv", "P1", "county_id",
        r"'zz' is not in the counties table; the row would be lost"),
    Bad("unknown-required-project", cell("dependencies", "P3", "requires", "P9"), "unknown-ref", "dependencies.csv", "P3→P9",
        "requires", r"'P9' is not in the projects table"),
    Bad("unknown-phased-project", append("phases", dict(project_id="P9", plan="A", phase=1, area=5, farmland_area=0, earliest_year=2023)),
        "unknown-ref", "phases.csv", "P9/A/1", "project_id", r"'P9' is not in the projects table"),
    # areas
    Bad("negative-area", cell("projects", "P1", "area", "-5"), "bad-value", "projects.csv", "P1", "area", r"-5 is negative"),
    Bad("zero-area", cell("projects", "P1", "area", "0"), "bad-value", "projects.csv", "P1", "area", r"is zero"),
    Bad("nan-area", cell("projects", "P1", "area", "NaN"), "bad-value", "projects.csv", "P1", "area", r"'NaN' is not a finite number"),
    Bad("infinite-area", cell("projects", "P1", "area", "inf"), "bad-value", "projects.csv", "P1", "area", r"'inf' is not a finite number"),
    Bad("absurd-area", cell("projects", "P1", "area", "1e9"), "bad-value", "projects.csv", "P1", "area", r"absurdly large"),
    Bad("negative-stock", cell("counties", "a", "usable_stock", "-1"), "bad-value", "counties.csv", "a", "usable_stock", r"negative"),
    Bad("empty-required-cell", cell("projects", "P2", "investment", ""), "empty-cell", "projects.csv", "P2", "investment",
        r"is empty; the model needs a value here and fills none in"),
    Bad("phases-not-summing", cell("phases", "P2", "area", "13"), "phase-sum", "phases.csv", "P2/A", "area",
        r"add up to 21 ha but the project's area is 20 ha"),
    Bad("farmland-over-area", cell("projects", "P1", "farmland_area", "11"), "farmland-exceeds-area", "projects.csv", "P1",
        "farmland_area", r"farmland 11 ha is larger than the project's area 10 ha"),
    Bad("phase-numbering-gap", cell("phases", "P2", "phase", "3"), "phase-numbering", "phases.csv", "P2/A", "phase",
        r"numbered \[2, 3\]"),
    # years
    Bad("years-not-consecutive", config(years=[2023, 2025], quota={2023: 100, 2025: 100}), "yaml-value", "scenario.yaml",
        "years", "years", r"consecutive"),
    Bad("years-implausible", config(years=[1800, 1801], quota={1800: 1, 1801: 1}), "yaml-value", "scenario.yaml", "years", "years",
        r"not plausible years"),
    Bad("earliest-year-typo", cell("projects", "P1", "earliest_year", "20233"), "bad-value", "projects.csv", "P1", "earliest_year",
        r"20233 is not a plausible year"),
    Bad("phase-before-project", cell("phases", "P2", "earliest_year", "2022"), "phase-before-project", "phases.csv", "P2/A/1",
        "earliest_year", r"phase 1 may start in 2022, before the project's earliest year 2023"),
    Bad("quota-missing-year", config(quota={2023: 100, 2024: 100}), "missing-year", "scenario.yaml", "quota.2025", "quota.2025",
        r"no value for 2025"),
    Bad("farmland-quota-missing-year", config(farmland_quota={2023: 10}), "missing-year", "scenario.yaml", "farmland_quota.2024",
        "farmland_quota.2024", r"no value for 2024", alone=False),
    # yaml values and types
    Bad("unit-typo", config(unit="hectare"), "yaml-value", "scenario.yaml", "unit", "unit", r"one of ha, mu; it is 'hectare'"),
    Bad("yaml-years-as-text", config(years="2023-2025"), "yaml-type", "scenario.yaml", "years", "years", r"must be a list of years"),
    Bad("yaml-number-as-text", config(carry_over="half"), "yaml-type", "scenario.yaml", "carry_over", "carry_over",
        r"must be a number, not 'half'"),
    Bad("yaml-mapping-as-number", config(advance=0.5), "yaml-type", "scenario.yaml", "advance", "advance", r"must be a mapping"),
    Bad("yaml-huge-integer", config(carry_over=10 ** 400), "yaml-type", "scenario.yaml", "carry_over", "carry_over", r"must be a number"),
    Bad("yaml-key-typo", config(quotas={2023: 1}), "unknown-key", "scenario.yaml", "quotas", "quotas", r"is not a scenario key"),
    Bad("yaml-table-name-typo", config(tables={"project": "projects.csv"}), "unknown-key", "scenario.yaml", "tables.project",
        "tables.project", r"is not a table of the scenario"),
    Bad("yaml-duplicate-key", yaml_text("quota: {2023: 1, 2024: 1, 2025: 1}\n"), "duplicate-key", "scenario.yaml", r"re:line \d+", "quota",
        r"the key 'quota' is given twice"),
    Bad("yaml-alias-bomb", yaml_text("description: &a [*a]\n"), "yaml-syntax", "scenario.yaml", "", "",
        r"anchors and aliases"),
    Bad("yaml-python-tag", yaml_text('description: !!python/object/apply:os.system ["echo pwned"]\n'), "yaml-syntax",
        "scenario.yaml", r"re:line \d+", "", r"could not determine a constructor for the tag .*python/object/apply:os\.system"),
    Bad("yaml-not-utf8", file_bytes("scenario.yaml", lambda b: "name: 测试\n".encode("gbk") + b), "encoding", "scenario.yaml", "", "",
        r"not UTF-8 \(byte offset 6, line 1\)"),
    # dependencies and locks
    Bad("dependency-cycle", append("dependencies", dict(project_id="P1", requires="P3")), "dependency-cycle", "dependencies.csv",
        "re:P[13]", "requires", r"cycle: P[13] → P[13] → P[13]"),
    Bad("dependency-on-itself", append("dependencies", dict(project_id="P2", requires="P2")), "dependency-self", "dependencies.csv",
        "P2→P2", "requires", r"P2 requires itself"),
    Bad("lock-in-not-ready", both(cell("projects", "P1", "lock", "in"), cell("projects", "P1", "ready", "false")),
        "lock-not-ready", "projects.csv", "P1", "lock", r"locked in but not ready"),
    Bad("lock-in-excluded", both(cell("projects", "P3", "lock", "in"), cell("projects", "P1", "ready", "no")),
        "lock-excluded", "projects.csv", "P3", "lock", r"locked in but excluded: it requires P1"),
    Bad("lock-in-beyond-horizon", both(cell("projects", "P1", "lock", "in"), cell("projects", "P1", "earliest_year", "2030")),
        "lock-beyond-horizon", "projects.csv", "P1", "lock", r"cannot start before 2030, after the horizon ends in 2025"),
    # tables and files
    Bad("empty-projects-table", header_only("projects"), "empty-table", "projects.csv", "", "",
        r"the projects table has no rows; there is nothing to allocate", alone=False),
    Bad("empty-projects-file", raw_bytes("projects", lambda b: b""), "empty-table", "projects.csv", "", "", r"has no rows", alone=False),
    Bad("missing-column", drop_column("projects", "jobs"), "missing-column", "projects.csv", "", "jobs", r"'jobs' is missing"),
    Bad("unit-in-header", rename_column("projects", "area", "area (ha)"), "missing-column", "projects.csv", "", "area",
        r"'area' is missing"),
    Bad("unit-in-cell", cell("projects", "P1", "area", "12 ha"), "bad-value", "projects.csv", "P1", "area", r"'12 ha' is not a number"),
    Bad("mu-in-cell", cell("projects", "P2", "farmland_area", "30亩"), "bad-value", "projects.csv", "P2", "farmland_area",
        r"'30亩' is not a number"),
    Bad("formula-text-in-csv", cell("projects", "P1", "investment", "=SUM(A1:A3)"), "bad-value", "projects.csv", "P1", "investment",
        r"'=SUM\(A1:A3\)' is not a number"),
    Bad("merged-header", raw_bytes("projects", lambda b: "项目清单,,,,面积,,\n".encode("utf-8") + b), "header-not-first",
        "projects.csv", "line 2", "", r"column names are on line 2, not on the first line"),
    Bad("duplicate-column", rename_column("projects", "jobs", "area"), "duplicate-column", "projects.csv", "", "area",
        r"appears 2 times \(fields 5, 10\)", alone=False),
    Bad("extra-field", raw_bytes("projects", lambda b: b.replace(b"\nP2,", b"\nP2,x,", 1)), "csv-syntax", "projects.csv", "line 3", "",
        r"line 3 has 16 fields but the header has 15"),
    Bad("value-with-unquoted-comma", raw_bytes("projects", lambda b: b.replace("二期项目".encode(), "二期,项目".encode())), "csv-syntax",
        "projects.csv", "line 3", "", r"line 3 has 16 fields but the header has 15: a value holds an unquoted comma"),
    Bad("unclosed-quote", raw_bytes("projects", lambda b: b.replace("二期项目".encode(), '"二期项目'.encode())), "csv-syntax",
        "projects.csv", "line 3", "", r"from line 3: unexpected end of data"),
    Bad("bad-boolean", cell("projects", "P1", "urgent", "perhaps"), "bad-value", "projects.csv", "P1", "urgent",
        r"'perhaps' is not true or false"),
    Bad("unknown-category", cell("projects", "P1", "category", "factory"), "bad-value", "projects.csv", "P1", "category",
        r"'factory' is not a category"),
    Bad("arabic-digits", cell("projects", "P1", "jobs", "١٢٣"), "bad-value", "projects.csv", "P1", "jobs", r"is not a number"),
    Bad("table-path-escape", config(tables={"projects": "../../etc/passwd"}), "path-escape", "scenario.yaml", "tables.projects",
        "tables.projects", r"'../../etc/passwd' leaves the scenario folder; it is refused"),
    Bad("table-absolute-path", config(tables={"projects": "/etc/passwd"}), "path-escape", "scenario.yaml", "tables.projects",
        "tables.projects", r"leaves the scenario folder"),
    Bad("table-file-missing", config(tables={"projects": "nosuch.csv"}), "table-missing", "nosuch.csv", "", "", r"does not exist"),
    Bad("table-is-a-folder", lambda f: (f / "dir.csv").mkdir() or config(tables={"projects": "dir.csv"})(f), "not-a-file",
        "dir.csv", "", "tables.projects", r"is a folder, not a regular file"),
    # encodings
    Bad("damaged-utf8", raw_bytes("counties", lambda b: b + b"c,\xff\xfe\x80,1,1,1,1,1,1,1,1,\n"), "encoding", "counties.csv",
        "", "", r"UTF-8 up to line 4, but the byte at byte offset \d+ \(line 4, 0xff\) is not UTF-8 \(nor GBK\): the file is damaged"),
    Bad("undecodable-gbk", raw_bytes("counties", lambda b: b.decode("utf-8").encode("gbk") + b"c,\x80,1,1,1,1,1,1,1,1,\n"), "encoding",
        "counties.csv", "", "", r"neither UTF-8 \(first bad byte at offset \d+\) nor GBK/GB18030 \(first bad byte at offset \d+, line 4: 0x80\)"),
    Bad("mixed-encodings", raw_bytes("projects", _mixed), "encoding", "projects.csv", "", "",
        r"mixes encodings: the lines before line 3 are UTF-8 with Chinese text, but from byte offset \d+ \(line 3, 0x[0-9a-f]+\) on it is GBK"),
    Bad("utf16", raw_bytes("projects", lambda b: b.decode("utf-8").encode("utf-16")), "encoding", "projects.csv", "", "",
        r"UTF-16 text"),
    # workbooks
    Bad("xlsx-sheet-missing", book(drop=("projects",)), "sheet-missing", "book.xlsx", "", "projects",
        r"no sheet named 'projects'"),
    Bad("xlsx-formula-without-value", book(cells={("projects", "P1", "area"): "=1+1"}), "formula-no-value", "book.xlsx[projects]",
        "P1 (sheet row 2)", "area", r"holds the formula '=1\+1' and no saved result; .* never evaluates a formula"),
    Bad("xlsx-bad-cell", book(cells={("projects", "P2", "area"): -20}), "bad-value", "book.xlsx[projects]", "P2 (sheet row 3)", "area", r"negative"),
    Bad("xlsx-not-a-workbook", both(book(), file_bytes("book.xlsx", lambda b: b"not a zip")),
        "xlsx-unreadable", "book.xlsx", "", "", r"cannot be read as an \.xlsx workbook"),
]


def test_the_catalogue_is_long_enough():
    assert len(CATALOGUE) >= 30
    assert len({b.id for b in CATALOGUE}) == len(CATALOGUE)


def test_the_base_is_valid(tmp_path):
    s = load(write_base(tmp_path))
    assert list(s.projects.index) == ["P1", "P2", "P3"] and s.warnings == ()
    s = load(to_book(tmp_path))
    assert list(s.projects.index) == ["P1", "P2", "P3"] and s.warnings == ()


def matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern[3:], value) is not None if pattern.startswith("re:") else pattern == value


@pytest.mark.parametrize("bad", CATALOGUE, ids=[b.id for b in CATALOGUE])
def test_bad_input(tmp_path, bad):
    path = bad.breaks(write_base(tmp_path))
    with pytest.raises(ScenarioError) as info:
        load(path)
    issues = info.value.issues
    listing = "\n".join(repr(i) for i in issues)
    hits = [i for i in issues if (i.code, i.file, i.column) == (bad.code, bad.file, bad.column) and matches(bad.row, i.row)]
    assert len(hits) == 1, f"expected one {bad.code} at {bad.file} / {bad.row} / {bad.column}; got:\n{listing}"
    issue = hits[0]
    assert issue.severity == "error" and all(i.severity == "error" for i in issues)
    assert re.search(bad.message, issue.message), f"{bad.message!r} not in {issue.message!r}"
    assert issue.hint.strip(), f"{issue!r} says nothing about how to fix it"
    if bad.alone:
        assert len(issues) == 1, f"one defect should give one issue; got:\n{listing}"
    rendered = str(info.value)  # what the command line prints
    assert str(issue) in rendered and issue.file in rendered and "Fix: " in rendered
    if issue.row:
        assert f"row {issue.row}" in rendered
    if issue.column:
        assert f"column {issue.column}" in rendered


# ------------------------------------------------------------ the hints ----

def issue_of(path: Path) -> Issue:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value.issues[0]


def test_unit_in_header_hint_names_the_column_to_rename(tmp_path):
    issue = issue_of(rename_column("projects", "area", "area (ha)")(write_base(tmp_path)))
    assert "'area (ha)'" in issue.hint and "rename it 'area'" in issue.hint and "unit:" in issue.hint


def test_near_miss_column_name_hint(tmp_path):
    issue = issue_of(rename_column("projects", "annual_tax", "Annual Tax")(write_base(tmp_path)))
    assert issue.code == "missing-column" and "rename the column 'Annual Tax' to 'annual_tax'" in issue.hint


@pytest.mark.parametrize("text, unit", [("12 ha", "ha"), ("30亩", "亩"), ("1,200万元", "万元"), ("12 公顷", "公顷")])
def test_unit_in_cell_hint(tmp_path, text, unit):
    issue = issue_of(cell("projects", "P1", "investment", text)(write_base(tmp_path)))
    assert f"without {unit!r}" in issue.hint and "unit: mu" in issue.hint


def test_formula_text_hint(tmp_path):
    issue = issue_of(cell("projects", "P1", "investment", "=SUM(A1:A3)")(write_base(tmp_path)))
    assert "formula" in issue.hint and "never evaluates" in issue.hint


def test_yaml_python_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    folder = write_base(tmp_path / "s")
    yaml_text(f'description: !!python/object/apply:os.system ["touch {marker}"]\n')(folder)
    issue = issue_of(folder)
    assert issue.code == "yaml-syntax" and "!!python are refused on purpose" in issue.hint
    assert not marker.exists()
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output and not marker.exists()


def test_an_escaping_table_path_is_never_opened(tmp_path):
    """The refused path is not read at all, even when it exists."""
    secret = tmp_path / "secret.csv"
    secret.write_text("project_id\nSECRET\n", encoding="utf-8")
    folder = config(tables={"projects": "../secret.csv"})(write_base(tmp_path / "s"))
    issue = issue_of(folder)
    assert issue.code == "path-escape" and "SECRET" not in str(issue)


# ------------------------------------------------------------ formulas ----

def with_cached_value(path: Path, formula: str, value: str) -> Path:
    """Give a formula cell the result that Excel would have saved (openpyxl cannot write one)."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = next(n for n, data in items.items() if n.startswith("xl/worksheets/") and f"<f>{formula}</f>".encode() in data)
    items[name], count = re.subn(rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?".encode(),
                                 f"<f>{formula}</f><v>{value}</v>".encode(), items[name])
    assert count == 1
    with zipfile.ZipFile(path, "w") as z:
        for n, data in items.items():
            z.writestr(n, data)
    return path


def test_xlsx_formula_with_a_saved_value_reads_the_value_and_never_evaluates(tmp_path):
    """The saved result (7) differs from what the formula computes (2): quota reads 7, with a warning."""
    path = with_cached_value(to_book(write_base(tmp_path), cells={("projects", "P1", "area"): "=1+1"}), "1+1", "7")
    s = load(path)
    assert s.projects.at["P1", "area"] == 7.0
    (warning,) = [w for w in s.warnings if w.code == "formula"]
    assert warning.file == "book.xlsx[projects]" and "not evaluated" not in warning.message
    assert "no formula was evaluated" in warning.message and warning.severity == "warning"


def test_xlsx_formula_in_the_scenario_sheet(tmp_path):
    folder = write_base(tmp_path)
    path = to_book(folder)
    wb = openpyxl.load_workbook(path)
    ws = wb["scenario"]
    row = next(r for r in ws.iter_rows() if r[0].value == "carry_over") if any(r[0].value == "carry_over" for r in ws.iter_rows()) else None
    if row is None:
        ws.append(["carry_over", "=0.1*2"])
    else:
        row[1].value = "=0.1*2"
    wb.save(path)
    issue = issue_of(path)
    assert (issue.code, issue.file, issue.row, issue.column) == ("formula-no-value", "book.xlsx[scenario]", "carry_over", "value")
