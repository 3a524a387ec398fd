"""Run folders and fact files for the ledger tests, made by hand so that every figure is known.

``make_run`` writes a run folder through the real writer (``quota.report.write.write_run``: a manifest with the
SHA-256 of every file) holding what the ledger reads of a run: summary.json, allocations.csv, projects.csv.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from quota.report.write import write_run

PROJECTS = {"P1": "甲县", "P2": "甲县", "P3": "乙县", "P4": "乙县", "P7": "甲县", "=P8": "丙县"}
# project_id, plan, phase, year, source, area
PLAN = [("P1", "", 1, 2023, "new", 2.0), ("P1", "", 1, 2023, "stock", 10.0), ("P2", "", 1, 2023, "new", 8.0),
        ("P7", "B", 1, 2023, "new", 10.0), ("P7", "B", 2, 2024, "new", 10.0), ("P4", "", 1, 2024, "advance", 5.0),
        ("=P8", "", 1, 2025, "new", 6.0)]


def make_run(folder: Path, allocations=PLAN, scenario: str = "tiny ledger", objective: float = 100.0, tag: str = "") -> Path:
    """A run folder of ``allocations`` (``tag`` makes the manifest, and so the run, a different one)."""
    alloc = pd.DataFrame(list(allocations), columns=["project_id", "plan", "phase", "year", "source", "area"])
    projects = pd.DataFrame({"project_id": list(PROJECTS), "county_id": list(PROJECTS.values())})
    summary = {"status": "optimal", "objective": objective, "gap": 0.0, "method": "optimise", "scenario": scenario}
    manifest = {"scenario": scenario, "scenario_path": str(folder), "unit": "ha", "parameters": {"name": scenario, "tag": tag},
                "rules": {"name": "hebei-2024", "overridden": {}}}
    return write_run(folder, {"allocations.csv": alloc, "projects.csv": projects, "summary.json": summary}, [], manifest)


def count(url: str, table: str, where: str = "") -> int:
    from quota.ledger.schema import ledger_url

    engine = sa.create_engine(ledger_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT count(*) FROM {table} {where}").scalar()
    finally:
        engine.dispose()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


APPROVALS_2023 = """project_id,county_id,plan,phase,year,source,area,approval_date
P1,甲县,,1,2023,new,2,2023-05-10
P1,甲县,,1,2023,stock,10,2023-05-10
P3,乙县,,1,2023,新增,15,2023-07-01
"""
SUPPLY_2023 = """project_id,plan,phase,year,supply_date,area
P1,,1,2023,2023-09-01,8
P3,,1,2023,2024-03-01,15
"""
DISPOSAL = """county_id,year,kind,area
甲县,2023,supplied,20
甲县,2023,闲置费,3
乙县,2023,taken_back,4.5
"""
QUOTA = """year,area
2023,30
2024,32
"""
OVERPLAN = """county_id,year,area
乙县,2023,1.5
"""
