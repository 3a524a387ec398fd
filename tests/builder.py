"""Write small scenarios for tests: defaults for every column, override what a test is about."""
from __future__ import annotations

import csv
from pathlib import Path

import yaml

COUNTY = dict(county_id="a", name="甲县", unsupplied_stock=100, idle_stock=30, unsupplied_task=20, idle_task=5,
              unsupplied_disposed=25, idle_disposed=6, usable_stock=0, overplan=0, cap_base="")
PROJECT = dict(project_id="P1", name="项目", county_id="a", category="industry", area=10, farmland_area=0,
               earliest_year=2023, investment=1000, annual_tax=100, jobs=10, urgent="false", ready="true",
               key_level="none", lock="", stock_ok="false")
CONFIG = dict(name="test", lang="en", unit="ha", years=[2023, 2024, 2025], quota={2023: 100, 2024: 100, 2025: 100})


def county(**kw) -> dict:
    return {**COUNTY, **kw}


def project(**kw) -> dict:
    return {**PROJECT, **kw}


def write_table(path: Path, rows: list[dict], columns: list[str] | None = None, encoding: str = "utf-8") -> None:
    columns = columns or (list(rows[0]) if rows else [])
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for r in rows:
            w.writerow({k: r.get(k, "") for k in columns})


def write_scenario(folder: Path, counties: list[dict] | None = None, projects: list[dict] | None = None,
                   phases: list[dict] | None = None, dependencies: list[dict] | None = None, **config) -> Path:
    """Write scenario.yaml and its CSVs into ``folder``; keyword arguments override yaml keys."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cfg = {**CONFIG, **config}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    write_table(folder / "counties.csv", counties if counties is not None else [county()], list(COUNTY))
    write_table(folder / "projects.csv", projects if projects is not None else [project()], list(PROJECT))
    if phases is not None:
        write_table(folder / "phases.csv", phases, ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"])
    if dependencies is not None:
        write_table(folder / "dependencies.csv", dependencies, ["project_id", "requires"])
    return folder


def write_workbook(scenario: Path, path: Path) -> Path:
    """The scenario folder ``scenario`` (yaml and CSV tables) as one .xlsx workbook at ``path``."""
    import json

    import openpyxl
    import pandas as pd

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scenario"
    sheet.append(["key", "value"])
    for key, value in yaml.safe_load((scenario / "scenario.yaml").read_text(encoding="utf-8")).items():
        sheet.append([key, json.dumps(value, ensure_ascii=False)])
    for name in ("counties", "projects", "phases", "dependencies"):
        frame = pd.read_csv(scenario / f"{name}.csv", dtype=str, keep_default_na=False)
        ws = book.create_sheet(name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([float(v) if v.replace(".", "", 1).isdigit() else (v or None) for v in row])
    book.save(path)
    return path
