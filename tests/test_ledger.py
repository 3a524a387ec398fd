"""The ledger (quota.ledger) on SQLite and on a real PostgreSQL server: schema and migration, runs, adoption, lapse,
status worked by hand, export. Fact files: tests/test_ledger_import.py; two writers at once: tests/test_ledger_concurrency.py.

The run folders are made by hand (tests/ledger_helpers.py) through the real run-folder writer, so every figure
below is known: the plan ``PLAN`` approves in 2023 P1 (2 ha new + 10 ha stock), P2 (8) and P7 plan B phase 1 (10),
all in 甲县; in 2024 P7 phase 2 (10, 甲县) and P4 (5, 乙县); in 2025 =P8 (6, 丙县).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from ledger_helpers import (APPROVALS_2023, DISPOSAL, OVERPLAN, PLAN, QUOTA, SUPPLY_2023, count, make_run, write)
from quota.ledger import schema
from quota.ledger.errors import LedgerError
from quota.ledger.export import export_ledger, read_tables
from quota.ledger.facts import LedgerFacts
from quota.ledger.imports import import_facts
from quota.ledger.status import eval_status, lapse, lapse_date
from quota.ledger.store import adopt, read_facts, record_run
from quota.report.safety import read_csv


HERE = Path(__file__).parent


@pytest.fixture
def plan_run(tmp_path):
    return make_run(tmp_path / "run-plan")


def _engine(url):
    return sa.create_engine(schema.ledger_url(url), poolclass=sa.pool.NullPool)


# ------------------------------------------------------------- schema ----

def test_init_creates_every_table_and_is_idempotent(ledger_url):
    assert schema.init(ledger_url) == (0, schema.SCHEMA_VERSION)
    assert schema.init(ledger_url) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    engine = _engine(ledger_url)
    with engine.connect() as conn:
        assert set(schema.TABLES) <= set(sa.inspect(conn).get_table_names())
        versions = [v for (v,) in conn.execute(sa.select(schema.version_table.c.version).order_by(schema.version_table.c.version))]
    engine.dispose()
    assert versions == list(range(1, schema.SCHEMA_VERSION + 1))  # one row per step applied


def test_an_older_ledger_is_migrated_keeping_its_rows(ledger_url, plan_run):
    """A ledger of version 1 (no lapses table) with an adoption in it: the next use applies step 2, and the adopted
    approval lapses (which needs the new table)."""
    engine = _engine(ledger_url)
    with engine.begin() as conn:
        schema.MIGRATIONS[0](conn)
        conn.execute(schema.version_table.insert().values(version=1, applied_at=schema.now(), quota_version="old"))
    with engine.connect() as conn:
        assert "lapses" not in sa.inspect(conn).get_table_names()
    engine.dispose()
    adopt(ledger_url, plan_run, 2023, approval_date=dt.date(2023, 3, 1))  # opens, migrates, writes
    with _engine(ledger_url).connect() as conn:
        assert "lapses" in sa.inspect(conn).get_table_names()
        assert conn.execute(sa.select(sa.func.max(schema.version_table.c.version))).scalar() == schema.SCHEMA_VERSION
    assert count(ledger_url, "approvals") == 4
    assert len(lapse(ledger_url, 2025)) == 3  # P1, P2, P7 phase 1: nothing supplied


def test_a_newer_ledger_is_refused_and_left_alone(ledger_url):
    schema.init(ledger_url)
    engine = _engine(ledger_url)
    with engine.begin() as conn:
        conn.execute(schema.version_table.insert().values(version=schema.SCHEMA_VERSION + 1, applied_at=schema.now(),
                                                          quota_version="9.9"))
    engine.dispose()
    for call in (lambda: schema.init(ledger_url), lambda: read_facts(ledger_url, 2024),
                 lambda: eval_status(ledger_url, 2024)):
        with pytest.raises(LedgerError, match=rf"schema version {schema.SCHEMA_VERSION + 1}, newer than .*Upgrade quota"):
            call()
    assert count(ledger_url, "ledger_version") == schema.SCHEMA_VERSION + 1


def test_a_database_holding_other_tables_of_the_same_names_is_refused(ledger_url):
    engine = _engine(ledger_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE runs (x INTEGER)")
    engine.dispose()
    with pytest.raises(LedgerError, match="is not a quota ledger: it holds the table.s. runs"):
        schema.init(ledger_url)


def test_a_missing_sqlite_file_is_named_by_read_commands_and_created_by_writers(tmp_path, plan_run):
    with pytest.raises(LedgerError, match="there is no ledger at .*missing.db.*quota ledger init"):
        eval_status(str(tmp_path / "missing.db"), 2024)
    assert not (tmp_path / "missing.db").exists()
    assert record_run(str(tmp_path / "new.db"), plan_run) == 1
    facts = read_facts(str(tmp_path / "first.db"), 2024)  # quota run --ledger on a new file: created, empty
    assert (tmp_path / "first.db").exists() and facts.approvals.empty and facts.last_plan.empty


# --------------------------------------------------------------- runs ----

def test_record_run_keeps_the_run_and_its_allocations_once(ledger_url, tmp_path, plan_run):
    first = record_run(ledger_url, plan_run, as_of=2023)
    assert record_run(ledger_url, plan_run) == first  # the same folder: the same run
    other = record_run(ledger_url, make_run(tmp_path / "other", PLAN[:2], tag="b"))
    assert other == first + 1
    assert count(ledger_url, "allocations") == len(PLAN) + 2
    tables = read_tables(ledger_url)
    run = tables["runs"].iloc[0]
    assert run["manifest_hash"] == hashlib.sha256((plan_run / "manifest.json").read_bytes()).hexdigest()
    assert run["scenario_name"] == "tiny ledger" and run["rule_set"] == "hebei-2024" and run["as_of"] == 2023
    assert run["objective"] == 100.0 and run["status"] == "optimal"
    assert json.loads(run["parameters"]) == {"name": "tiny ledger", "tag": ""}
    alloc = tables["allocations"]
    assert alloc.loc[alloc["project_id"] == "=P8", "county_id"].tolist() == ["丙县"]


def test_a_run_folder_changed_after_it_was_written_is_refused(ledger_url, plan_run):
    path = plan_run / "allocations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("10.0", "11.0", 1), encoding="utf-8")
    with pytest.raises(LedgerError, match="allocations.csv changed after the run was written"):
        record_run(ledger_url, plan_run)
    with pytest.raises(LedgerError, match="is not a run folder"):
        record_run(ledger_url, plan_run.parent)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The tiny scenario solved and written as quota run writes it (short report: seconds)."""
    from quota.run import run_scenario, write_result

    return write_result(run_scenario(HERE / "fixtures" / "tiny"), tmp_path_factory.mktemp("tiny") / "run", full_report=False)


def test_a_solved_run_folder_is_recorded(ledger_url, solved):
    """A run folder quota run wrote: every allocation row, in hectares, each project's county from projects.csv."""
    run_id = record_run(ledger_url, solved)
    alloc = read_csv(solved / "allocations.csv")
    assert read_tables(ledger_url)["allocations"].groupby("county_id")["area"].sum().to_dict() == \
        pytest.approx(alloc.merge(read_csv(solved / "projects.csv")[["project_id", "county_id"]], on="project_id")
                      .groupby("county_id")["area"].sum().to_dict())
    facts = read_facts(ledger_url, 2023)
    assert len(facts.last_plan) == len(alloc) and set(facts.last_plan["run_id"]) == {run_id}
    assert facts.last_plan["area"].sum() == pytest.approx(alloc["area"].sum())


# -------------------------------------------------------------- adopt ----

def test_adopt_records_the_years_approvals_and_refuses_a_second_time(ledger_url, plan_run, tmp_path):
    a = adopt(ledger_url, plan_run, 2023)
    assert (a.rows, a.area, a.superseded) == (4, 30.0, 0)
    facts = read_facts(ledger_url, 2024)
    assert sorted(facts.approvals["project_id"]) == ["P1", "P1", "P2", "P7"]
    assert set(facts.approvals["approval_date"]) == {dt.date(2023, 12, 31)}
    with pytest.raises(LedgerError, match="already holds 4 approval row.s. for 2023 .*--replace"):
        adopt(ledger_url, make_run(tmp_path / "b", tag="b"), 2023)
    assert count(ledger_url, "approvals") == 4 and count(ledger_url, "runs") == 1  # the refused run was not recorded


def test_adopt_replace_keeps_the_old_rows_as_superseded(ledger_url, plan_run, tmp_path):
    first = adopt(ledger_url, plan_run, 2023)
    changed = make_run(tmp_path / "b", [("P2", "", 1, 2023, "new", 8.0), ("P3", "", 1, 2023, "new", 15.0)], tag="b")
    second = adopt(ledger_url, changed, 2023, replace=True, approval_date=dt.date(2023, 6, 30))
    assert (second.rows, second.superseded) == (2, 4)
    tables = read_tables(ledger_url)["approvals"]
    assert len(tables) == 6  # nothing deleted
    old = tables[tables["batch_id"] == first.batch_id]
    assert (old["superseded_by"] == second.batch_id).all()
    facts = read_facts(ledger_url, 2024)
    assert sorted(facts.approvals["project_id"]) == ["P2", "P3"]
    assert set(facts.approvals["approval_date"]) == {dt.date(2023, 6, 30)}


def test_adopt_refuses_a_run_contradicting_an_approval_of_another_year(ledger_url, plan_run, tmp_path):
    adopt(ledger_url, plan_run, 2023)
    moved = make_run(tmp_path / "moved", [("P2", "", 1, 2024, "new", 8.0)], tag="moved")  # P2 approved in 2023 already
    with pytest.raises(LedgerError, match="P2 phase 1 was approved in 2023"):
        adopt(ledger_url, moved, 2024)
    with pytest.raises(LedgerError, match="approves nothing in 2026"):
        adopt(ledger_url, plan_run, 2026)
    assert count(ledger_url, "approvals") == 4


# ---------------------------------------------------------- read_facts ----

def test_read_facts_gives_the_current_rows_before_as_of(ledger_url, plan_run, tmp_path):
    adopt(ledger_url, plan_run, 2023)
    import_facts(ledger_url, write(tmp_path / "approvals.csv", APPROVALS_2023), replace=True)
    for name, text in (("supply", SUPPLY_2023), ("disposal", DISPOSAL), ("quota_issued", QUOTA), ("overplan", OVERPLAN)):
        import_facts(ledger_url, write(tmp_path / f"{name}.csv", text))
    later = make_run(tmp_path / "later", [("P4", "", 1, 2024, "new", 5.0)], scenario="tiny ledger", tag="later")
    record_run(ledger_url, later)
    record_run(ledger_url, make_run(tmp_path / "else", [("P3", "", 1, 2024, "new", 1.0)], scenario="another", tag="x"))
    f = read_facts(ledger_url, 2024, "tiny ledger")
    assert isinstance(f, LedgerFacts) and f.as_of == 2024
    assert list(f.approvals.columns) == ["project_id", "plan", "phase", "year", "source", "area", "approval_date"]
    assert sorted(zip(f.approvals["project_id"], f.approvals["source"], f.approvals["area"])) == [
        ("P1", "new", 2.0), ("P1", "stock", 10.0), ("P3", "new", 15.0)]
    assert f.supply[["project_id", "area"]].values.tolist() == [["P1", 8.0]]  # P3's supply is dated 2024
    assert f.disposal["area"].sum() == 27.5 and f.quota_issued.values.tolist() == [[2023, 30.0]]
    assert f.overplan.values.tolist() == [["乙县", 2023, 1.5]]
    assert f.last_plan[["project_id", "area"]].values.tolist() == [["P4", 5.0]]
    assert list(f.last_plan.columns) == ["project_id", "plan", "phase", "year", "source", "area", "run_id"]
    assert f.approvals["phase"].dtype == "int64" and f.approvals["area"].dtype == "float64"
    assert read_facts(ledger_url, 2023).approvals.empty
    assert read_facts(ledger_url, 2024, "another").last_plan["project_id"].tolist() == ["P3"]


# ------------------------------------------------------ status and lapse ----

def _facts(url, plan_run, tmp_path):
    adopt(url, plan_run, 2023)
    import_facts(url, write(tmp_path / "approvals.csv", APPROVALS_2023), replace=True)
    for name, text in (("supply", SUPPLY_2023), ("disposal", DISPOSAL), ("quota_issued", QUOTA), ("overplan", OVERPLAN)):
        import_facts(url, write(tmp_path / f"{name}.csv", text))


def test_status_worked_by_hand(ledger_url, plan_run, tmp_path):
    """Planned 2023 (adopted): 甲县 P1 12 + P2 8 + P7 10 = 30. Approved (the bureau's list replaced the adoption): 甲县
    P1 12, 乙县 P3 15. Supplied of 2023's approvals: 甲县 8, 乙县 15. Disposed: 甲县 20 + 3, 乙县 4.5. Over plan: 乙县 1.5.
    2024 is planned by the latest run reaching it (not adopted): 甲县 P7 10, 乙县 P4 5; 2025: 丙县 6.
    P1's approval of 2023-05-10 (12 ha, 8 supplied) lapses on 2025-05-10 with 4 ha unsupplied; P3 is all supplied."""
    _facts(ledger_url, plan_run, tmp_path)
    s = eval_status(ledger_url, 2025)
    y = s.years.set_index("year")
    assert y.loc[2023, ["planned", "approved", "difference", "supplied", "disposed", "overplan"]].tolist() == [30, 27, -3, 23, 27.5, 1.5]
    assert (y.loc[2023, "plan_from"], y.loc[2024, "plan_from"], y.loc[2023, "quota_issued"], y.loc[2024, "quota_issued"]) == \
        ("adopted", "latest", 30.0, 32.0)
    assert y.loc[2024, ["planned", "approved", "difference"]].tolist() == [15, 0, -15]
    assert y.loc[2025, "planned"] == 6
    c = s.counties.set_index(["year", "county_id"])
    assert c.loc[(2023, "甲县"), ["planned", "approved", "difference", "supplied", "disposed"]].tolist() == [30, 12, -18, 8, 23]
    assert c.loc[(2023, "乙县"), ["planned", "approved", "difference", "supplied", "disposed", "overplan"]].tolist() == \
        [0, 15, 15, 15, 4.5, 1.5]
    assert c.loc[(2024, "乙县"), "planned"] == 5 and c.loc[(2025, "丙县"), "planned"] == 6
    assert s.lapsing[["project_id", "unsupplied", "lapse_date"]].values.tolist() == [["P1", 4.0, dt.date(2025, 5, 10)]]
    assert eval_status(ledger_url, 2024).lapsing.empty


def test_lapse_records_the_unsupplied_part_once(ledger_url, plan_run, tmp_path):
    _facts(ledger_url, plan_run, tmp_path)
    assert lapse(ledger_url, 2024).empty  # P1 lapses in 2025
    due = lapse(ledger_url, 2025)
    assert due[["project_id", "county_id", "unsupplied"]].values.tolist() == [["P1", "甲县", 4.0]]
    assert lapse(ledger_url, 2025).empty and lapse(ledger_url, 2026).empty  # idempotent
    disposal = read_facts(ledger_url, 2026).disposal
    assert disposal[disposal["kind"] == "lapsed"].values.tolist() == [["甲县", 2025, "lapsed", 4.0]]
    assert eval_status(ledger_url, 2025).lapsing.empty
    assert count(ledger_url, "lapses") == 1


def test_lapse_date_is_two_years_on():
    assert lapse_date(dt.date(2023, 5, 10)) == dt.date(2025, 5, 10)
    assert lapse_date(dt.date(2024, 2, 29)) == dt.date(2026, 2, 28)


# -------------------------------------------------------------- export ----

def _text(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def test_export_round_trip(ledger_url, plan_run, tmp_path):
    """Every table, superseded rows too, comes back from its CSV file (read as quota reads its own CSVs) cell for cell,
    formula-like text (the project =P8) and Chinese included; the workbook holds the same rows."""
    _facts(ledger_url, plan_run, tmp_path)
    adopt(ledger_url, plan_run, 2025)
    lapse(ledger_url, 2025)
    out = export_ledger(ledger_url, tmp_path / "export")
    tables = read_tables(ledger_url)
    assert "'=P8" in (out / "approvals.csv").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(out / "ledger.xlsx", read_only=True)
    for name, table in tables.items():
        back = read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(back.columns) == list(table.columns), name
        assert back.values.tolist() == table.map(_text).values.tolist(), name
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(table.columns) and len(rows) == len(table) + 1, name
    book.close()
    approvals = tables["approvals"]
    assert approvals["superseded_by"].notna().sum() == 4 and "=P8" in set(approvals["project_id"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "ledger" and manifest["rows"]["approvals"] == len(approvals)
    with pytest.raises(Exception, match="already exists"):
        export_ledger(ledger_url, out)
    export_ledger(ledger_url, out, force=True)


def test_no_postgresql_gives_a_clear_reason(monkeypatch):
    import pg_server

    monkeypatch.delenv(pg_server.ENV_URL, raising=False)
    monkeypatch.setattr(pg_server.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg_server.shutil, "which", lambda name: None)
    with pytest.raises(pg_server.Unavailable, match="PostgreSQL is not installed .*postgresql. package"):
        pg_server.start_server()
