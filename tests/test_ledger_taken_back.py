"""Land taken back is recorded in the ledger as disposal, once, on SQLite and PostgreSQL (issue 18).

The run folder (tests/ledger_helpers.py's plan) has idle parcels: IP1 of 甲县, 3.2 ha, taken back on 2023-05-10 and
counting as stock from 2024; IP2 of 乙县, taken back on 2023-03-01 after one year idle (``stock_from`` empty: the
rules do not reach it); IP3 of 甲县, taken back in 2022. Adopting 2023 records one disposal row: 甲县 2023
taken_back 3.2 ha, parcel IP1. The rule against double counting: a current take-back row naming the parcel, or a
take-back row of the county and year naming none (the bureau's own county figure), means the adoption records
nothing for it; a disposal file for a year and kind the ledger holds is refused unless --replace, which supersedes
the adoption's rows.
"""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from ledger_helpers import PLAN, PROJECTS, count, write
from quota.ledger import schema
from quota.ledger.errors import FactFileError
from quota.ledger.imports import import_facts
from quota.ledger.store import adopt, current, read_facts
from quota.report.write import write_run

PARCELS = pd.DataFrame({"parcel_id": ["IP1", "IP2", "IP3"], "county_id": ["甲县", "乙县", "甲县"], "area": [3.2, 2.0, 5.0],
                        "classification": ["taken_back"] * 3, "taken_back_on": ["2023-05-10", "2023-03-01", "2022-10-01"],
                        "stock_from": ["2024", "", "2023"]})


def make_run(folder, tag="", unit="ha", parcels=PARCELS):
    alloc = pd.DataFrame(PLAN, columns=["project_id", "plan", "phase", "year", "source", "area"])
    projects = pd.DataFrame({"project_id": list(PROJECTS), "county_id": list(PROJECTS.values())})
    summary = {"status": "optimal", "objective": 100.0, "gap": 0.0, "method": "optimise", "scenario": "tiny ledger"}
    manifest = {"scenario": "tiny ledger", "scenario_path": str(folder), "unit": unit, "parameters": {"tag": tag},
                "rules": {"name": "hebei-2024", "overridden": {}}}
    return write_run(folder, {"allocations.csv": alloc, "projects.csv": projects, "summary.json": summary,
                              "idle_parcels.csv": parcels}, [], manifest)


def taken_back(url) -> list[tuple]:
    with schema.reading(schema.ledger_url(url)) as conn:
        rows = current(conn, "disposal")
    rows = rows[rows["kind"] == "taken_back"]
    return sorted(zip(rows["county_id"], rows["year"], rows["area"], rows["parcel_id"].fillna("")))


def test_adoption_records_the_years_take_backs_once(ledger_url, tmp_path):
    a = adopt(ledger_url, make_run(tmp_path / "run"), 2023)
    assert (a.taken_back, a.taken_back_area, a.not_recorded) == (1, 3.2, ())
    assert taken_back(ledger_url) == [("甲县", 2023, 3.2, "IP1")]  # IP2: taken back early; IP3: 2022, not this year
    b = adopt(ledger_url, make_run(tmp_path / "run-b", tag="b"), 2023, replace=True)  # the year adopted again
    assert b.taken_back == 0 and b.not_recorded == ("IP1: the ledger holds its take-back in 2023 (batch 2)",)
    assert taken_back(ledger_url) == [("甲县", 2023, 3.2, "IP1")]
    assert read_facts(ledger_url, 2024).disposal.values.tolist() == [["甲县", 2023, "taken_back", 3.2]]
    assert adopt(ledger_url, make_run(tmp_path / "run-c", tag="c"), 2024).taken_back == 0  # nothing taken back in 2024


def test_a_run_in_mu_is_recorded_in_hectares(ledger_url, tmp_path):
    parcels = PARCELS.assign(area=PARCELS["area"] * 15)
    adopt(ledger_url, make_run(tmp_path / "run", unit="mu", parcels=parcels), 2023)
    assert taken_back(ledger_url) == [("甲县", 2023, pytest.approx(3.2), "IP1")]


def test_the_bureaus_row_for_the_parcel_stands(ledger_url, tmp_path):
    import_facts(ledger_url, write(tmp_path / "disposal.csv", "county_id,year,kind,area,parcel_id\n甲县,2023,收回,3.5,IP1\n"))
    a = adopt(ledger_url, make_run(tmp_path / "run"), 2023)
    assert a.taken_back == 0 and a.not_recorded == ("IP1: the ledger holds its take-back in 2023 (batch 1)",)
    assert taken_back(ledger_url) == [("甲县", 2023, 3.5, "IP1")]


def test_the_bureaus_county_figure_stands(ledger_url, tmp_path):
    """甲县's own 2023 take-back figure, naming no parcel, may include IP1: the adoption adds nothing to it."""
    import_facts(ledger_url, write(tmp_path / "disposal.csv", "county_id,year,kind,area\n甲县,2023,taken_back,6\n"))
    a = adopt(ledger_url, make_run(tmp_path / "run"), 2023)
    assert a.taken_back == 0 and "甲县 2023 as the county's own figure (batch 1), which stands" in a.not_recorded[0]
    assert taken_back(ledger_url) == [("甲县", 2023, 6.0, "")]


def test_the_bureaus_table_after_the_adoption_replaces_its_rows(ledger_url, tmp_path):
    """The bureau's 2023 take-backs replace the adoption's (no --replace needed); its own rows are refused twice."""
    adopt(ledger_url, make_run(tmp_path / "run"), 2023)
    path = write(tmp_path / "disposal.csv", "county_id,year,kind,area,parcel_id\n甲县,2023,taken_back,3.3,IP1\n乙县,2023,supplied,2,\n")
    assert import_facts(ledger_url, path).tables[0].superseded == 1
    assert taken_back(ledger_url) == [("甲县", 2023, 3.3, "IP1")]  # the adoption's row kept, superseded
    assert count(ledger_url, "disposal") == 3
    with pytest.raises(FactFileError, match=r"already holds 2 disposal row\(s\)|already holds 1 disposal row\(s\) for 2023 taken_back"):
        import_facts(ledger_url, path)
    assert adopt(ledger_url, make_run(tmp_path / "run-b", tag="b"), 2023, replace=True).taken_back == 0


def test_parcel_rows_are_checked(ledger_url, tmp_path):
    bad = ("county_id,year,kind,area,parcel_id\n甲县,2023,supplied,3,IP9\n甲县,2023,taken_back,1,IP1\n"
           "乙县,2023,taken_back,1,IP1\n")
    with pytest.raises(FactFileError) as info:
        import_facts(ledger_url, write(tmp_path / "disposal.csv", bad))
    assert [(i.code, i.column) for i in info.value.issues] == [("parcel-not-taken-back", "parcel_id"),
                                                               ("taken-back-twice", "parcel_id")]
    adopt(ledger_url, make_run(tmp_path / "run"), 2023)
    later = write(tmp_path / "disposal-2024.csv", "county_id,year,kind,area,parcel_id\n甲县,2024,taken_back,3.2,IP1\n")
    with pytest.raises(FactFileError, match="holds the parcel IP1 as taken back in 2023"):
        import_facts(ledger_url, later)


def test_a_ledger_before_parcels_gains_the_column(ledger_url, tmp_path):
    """A version-2 ledger (disposal without parcel_id) is migrated, its rows kept, and then records take-backs."""
    schema.init(ledger_url)
    import_facts(ledger_url, write(tmp_path / "disposal.csv", "county_id,year,kind,area\n乙县,2023,supplied,4\n"))
    engine = sa.create_engine(schema.ledger_url(ledger_url), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE disposal DROP COLUMN parcel_id"))
        conn.execute(sa.text("DELETE FROM ledger_version WHERE version = 3"))
    engine.dispose()
    assert adopt(ledger_url, make_run(tmp_path / "run"), 2023).taken_back == 1
    assert count(ledger_url, "disposal") == 2 and count(ledger_url, "ledger_version") == schema.SCHEMA_VERSION
