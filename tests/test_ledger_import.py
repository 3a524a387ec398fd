"""Fact files into the ledger (quota.ledger.imports): every kind, CSV (UTF-8 or GBK) and xlsx, mu; and bad facts, each
rejected with its file, row and column, all problems of a file listed together, nothing written."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from ledger_helpers import APPROVALS_2023, DISPOSAL, OVERPLAN, QUOTA, SUPPLY_2023, count, write
from quota.ledger.errors import FactFileError
from quota.ledger.export import read_tables
from quota.ledger.imports import import_facts
from quota.ledger.store import read_facts
from quota.ledger.tables import kind_of

HEAD = "project_id,county_id,plan,phase,year,source,area,approval_date\n"
SUPPLY_HEAD = "project_id,plan,phase,year,supply_date,area\n"
FACT_TABLES = ("approvals", "supply", "disposal", "quota_issued", "overplan", "batches")


def test_every_kind_is_imported_from_csv(ledger_url, tmp_path):
    for name, text in (("approvals", APPROVALS_2023), ("supply", SUPPLY_2023), ("disposal", DISPOSAL),
                       ("quota_issued", QUOTA), ("overplan", OVERPLAN)):
        result = import_facts(ledger_url, write(tmp_path / f"{name}.csv", text))
        assert [(t.kind, t.superseded) for t in result.tables] == [(name, 0)]
    f = read_facts(ledger_url, 2025)
    assert (len(f.approvals), len(f.supply), len(f.disposal), len(f.quota_issued), len(f.overplan)) == (3, 2, 3, 2, 1)
    assert set(f.disposal["kind"]) == {"supplied", "fee", "taken_back"}  # 闲置费 read as fee
    assert f.approvals.loc[f.approvals["project_id"] == "P3", "source"].tolist() == ["new"]  # 新增


def test_gbk_csv_chinese_file_names_and_mu(ledger_url, tmp_path):
    import_facts(ledger_url, write(tmp_path / "用地批准2023.csv", APPROVALS_2023, "gbk"))
    result = import_facts(ledger_url, write(tmp_path / "超计划用地.csv", "county_id,year,area\n乙县,2023,15\n", "gbk"), unit="mu")
    assert result.tables[0].kind == "overplan"
    f = read_facts(ledger_url, 2024)
    assert f.overplan["area"].tolist() == [pytest.approx(1.0)] and "甲县" in set(read_tables(ledger_url)["approvals"]["county_id"])
    import_facts(ledger_url, write(tmp_path / "bureau-table.csv", "year,area\n2023,30\n"), kind="quota_issued")
    assert read_facts(ledger_url, 2024).quota_issued["area"].tolist() == [30.0]


def _book(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_holds_one_kind_per_sheet(ledger_url, tmp_path):
    path = _book(tmp_path / "台账2023.xlsx", {
        "说明": [["本表为示意"]],
        "供地": [["project_id", "plan", "phase", "year", "supply_date", "area"], ["P1", None, 1, 2023, dt.datetime(2023, 9, 1), 8]],
        "approvals": [HEAD.strip().split(","), ["P1", "甲县", None, 1, 2023, "new", 12, dt.datetime(2023, 5, 10)]],
    })
    result = import_facts(ledger_url, path)
    assert [t.kind for t in result.tables] == ["approvals", "supply"]  # approvals first: supply refers to them
    assert [w.code for w in result.warnings] == ["sheet-skipped"] and "说明" in result.warnings[0].file
    f = read_facts(ledger_url, 2024)
    assert f.supply.values.tolist() == [["P1", "", 1, 2023, dt.date(2023, 9, 1), 8.0]]


def test_replace_supersedes_the_years_the_file_holds_and_deletes_nothing(ledger_url, tmp_path):
    import_facts(ledger_url, write(tmp_path / "disposal.csv", DISPOSAL))
    again = "county_id,year,kind,area\n甲县,2023,supplied,25\n"
    with pytest.raises(FactFileError, match=r"already holds 1 disposal row\(s\) for 2023 supplied"):
        import_facts(ledger_url, write(tmp_path / "disposal-2.csv", again))
    result = import_facts(ledger_url, write(tmp_path / "disposal-2.csv", again), replace=True)
    assert result.tables[0].superseded == 1  # only (2023, supplied): the fee and taken_back rows stay current
    assert count(ledger_url, "disposal") == 4
    assert sorted(read_facts(ledger_url, 2024).disposal["area"]) == [3.0, 4.5, 25.0]


def test_kind_of_names():
    assert [kind_of(n) for n in ("approvals", "Approvals-2023", "供地2024", "处置", "下达指标", "超计划用地", "notes", "supplyx")] == \
        ["approvals", "approvals", "supply", "disposal", "quota_issued", "overplan", None, None]


# ------------------------------------------------------------- bad facts ----

@pytest.fixture
def filled(ledger_url, tmp_path):
    """A ledger holding the 2023 approvals and supply (P1: 12 ha, 8 supplied; P3: 15 ha, all supplied)."""
    import_facts(ledger_url, write(tmp_path / "approvals.csv", APPROVALS_2023))
    import_facts(ledger_url, write(tmp_path / "supply.csv", SUPPLY_2023))
    return ledger_url


BAD = {  # name: (file name, text, (code, row, column))
    "negative area": ("approvals.csv", HEAD + "P2,甲县,,1,2024,new,-2,2024-05-10\n", ("bad-value", "P2 phase 1, line 2", "area")),
    "area with a unit": ("approvals.csv", HEAD + "P2,甲县,,1,2024,new,2公顷,2024-05-10\n", ("bad-value", "line 2", "area")),
    "empty county": ("approvals.csv", HEAD + "P2,,,1,2024,new,2,2024-05-10\n", ("empty-cell", "P2 phase 1, line 2", "county_id")),
    "unknown source": ("approvals.csv", HEAD + "P2,甲县,,1,2024,magic,2,2024-05-10\n", ("bad-value", "line 2", "source")),
    "not a date": ("approvals.csv", HEAD + "P2,甲县,,1,2024,new,2,2024-13-01\n", ("bad-value", "line 2", "approval_date")),
    "date in another year": ("approvals.csv", HEAD + "P2,甲县,,1,2024,new,2,2025-01-01\n", ("date-year", "line 2", "approval_date")),
    "phase 0": ("approvals.csv", HEAD + "P2,甲县,,0,2024,new,2,2024-05-10\n", ("bad-value", "line 2", "phase")),
    "a row twice": ("approvals.csv", HEAD + "P2,甲县,,1,2024,new,2,2024-05-10\nP2,甲县,,1,2024,new,2,2024-05-10\n",
                    ("duplicate-row", "P2 phase 1, line 3", "project_id, phase, source")),
    "missing column": ("approvals.csv", "project_id,county_id,phase,year,area,approval_date\nP2,甲县,1,2024,2,2024-05-10\n",
                       ("missing-column", "", "source")),
    "phase approved in two years": ("approvals.csv", HEAD + "P1,甲县,,1,2024,new,2,2024-05-10\n", ("approved-twice", "line 2", "year")),
    "year held already": ("approvals.csv", HEAD + "P2,甲县,,1,2023,new,2,2023-05-10\n", ("already-held", "", "year")),
    "unknown disposal kind": ("disposal.csv", "county_id,year,kind,area\n甲县,2024,burnt,2\n", ("bad-value", "甲县 2024, line 2", "kind")),
    "supply of no approval": ("supply.csv", SUPPLY_HEAD + "P9,,1,2023,2024-09-01,1\n", ("no-approval", "P9 phase 1, line 2", "project_id")),
    "supply above the approval": ("supply.csv", SUPPLY_HEAD + "P1,,1,2023,2024-09-01,5\n", ("supply-exceeds", "line 2", "area")),
    "supply before approval": ("supply.csv", SUPPLY_HEAD + "P1,,1,2023,2023-01-05,1\n", ("supply-before-approval", "line 2", "supply_date")),
    "no kind in the name": ("bureau.csv", "year,area\n2024,3\n", ("unknown-kind", "", "")),
    "unclosed quote": ("quota_issued.csv", 'year,area\n2024,"3\n', ("csv-syntax", "line 2", "")),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_facts_are_rejected_with_file_row_and_column_and_nothing_is_written(filled, tmp_path, name):
    file, text, (code, row, column) = BAD[name]
    before = {t: count(filled, t) for t in FACT_TABLES}
    with pytest.raises(FactFileError) as e:
        import_facts(filled, write(tmp_path / file, text))
    found = [(i.code, i.file, i.row, i.column) for i in e.value.issues]
    assert any(c == code and f == file and row in r and col == column for c, f, r, col in found), found
    assert "nothing was written" in str(e.value) and "Fix:" in str(e.value)
    assert {t: count(filled, t) for t in FACT_TABLES} == before


def test_every_problem_of_a_file_is_listed_together(filled, tmp_path):
    text = HEAD + "P2,甲县,,1,2024,new,-2,2024-05-10\nP4,,,1,2024,new,2,2024-05-10\nP5,乙县,,1,2024,magic,2,2024-05-10\n"
    with pytest.raises(FactFileError) as e:
        import_facts(filled, write(tmp_path / "approvals.csv", text))
    assert [(i.row, i.column) for i in e.value.issues] == [
        ("P4 phase 1, line 3", "county_id"), ("P2 phase 1, line 2", "area"), ("P5 phase 1, line 4", "source")]


def test_a_bad_sheet_row_is_named_as_the_spreadsheet_shows_it(filled, tmp_path):
    path = _book(tmp_path / "facts.xlsx", {"disposal": [["county_id", "year", "kind", "area"], ["甲县", 2024, "fee", 1],
                                                        ["乙县", 2024, "fee", "x"]]})
    with pytest.raises(FactFileError) as e:
        import_facts(filled, path)
    assert [(i.file, i.row, i.column) for i in e.value.issues] == [("facts.xlsx[disposal]", "乙县 2024, sheet row 3", "area")]
    assert count(filled, "disposal") == 0


def test_the_import_words_are_the_interfaces_and_the_runs():
    """Every source of allocations.csv and every disposal kind of the interface has its word in a fact file."""
    from quota.ledger.facts import DISPOSAL_KINDS, FACT_SOURCES
    from quota.ledger.tables import DISPOSAL_NAMES, SOURCE_NAMES
    from quota.solve.evaluate import SOURCES

    assert set(SOURCE_NAMES) == set(FACT_SOURCES) == set(SOURCES)
    assert set(DISPOSAL_NAMES) == set(DISPOSAL_KINDS)
