"""The same land, written three other ways, gives the same allocation.

The bundled default scenario is rewritten (1) in mu (亩) with ``unit: mu``,
(2) as one ``.xlsx`` workbook and (3) as GBK-encoded CSVs. Each variant is
solved once per module and compared with the hectare/CSV original: approvals
(project, plan, phase, year), status per project, per-(county, year) totals of
new / advance / stock quota, the objective, and the rows of allocations.csv.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from quota.run import RunResult, output_tables, run_scenario
from quota.input.scenario import MU_PER_HA
from quota.input.validate import load

# every area, stock, task, disposed, usable, overplan and cap_base column (MODEL.md, "Units")
AREA_COLUMNS = {
    "counties": ["unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed",
                 "idle_disposed", "usable_stock", "overplan", "cap_base"],
    "projects": ["area", "farmland_area"],
    "phases": ["area", "farmland_area"],
    "idle_parcels": ["area"],
}
TABLES = ("counties", "projects", "phases", "dependencies", "idle_parcels")
APPROVAL = ["project_id", "plan", "phase", "year"]
ROW = APPROVAL + ["source"]
TOL_HA = 1e-6


# ------------------------------------------------------------ variants ----

def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def write_mu(src: Path, dst: Path) -> Path:
    """The same scenario in mu: every area figure ×15 and ``unit: mu``."""
    shutil.copytree(src, dst)
    for name, columns in AREA_COLUMNS.items():
        frame = read_csv(src / f"{name}.csv")
        for col in columns:
            frame[col] = [repr(float(v) * MU_PER_HA) if v.strip() else "" for v in frame[col]]
        frame.to_csv(dst / f"{name}.csv", index=False, encoding="utf-8")
    cfg = yaml.safe_load((src / "scenario.yaml").read_text(encoding="utf-8"))
    assert cfg.get("unit", "ha") == "ha"
    cfg["unit"] = "mu"
    for key in ("quota", "farmland_quota"):
        cfg[key] = {y: v * MU_PER_HA for y, v in cfg[key].items()}
    (dst / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def flatten(config: dict, prefix: str = "") -> list[tuple[str, object]]:
    rows = []
    for key, value in config.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, path + ".")
        else:
            rows.append((path, value))
    return rows


def yaml_text(value) -> str:
    """A value as YAML text (JSON is YAML; dates in ISO form)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def excel_value(text: str):
    """A CSV cell as Excel would hold it: numbers as numbers, true/false as booleans, empty as blank."""
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    return text


def write_workbook(src: Path, path: Path) -> Path:
    """The same scenario as one workbook: sheet ``scenario`` (dotted key / YAML value rows) and one sheet per table."""
    cfg = yaml.safe_load((src / "scenario.yaml").read_text(encoding="utf-8"))
    cfg.pop("tables", None)  # in a workbook the tables are its sheets
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scenario"
    sheet.append(["key", "value"])
    for key, value in flatten(cfg):
        sheet.append([key, yaml_text(value)])
    for name in TABLES:
        frame = read_csv(src / f"{name}.csv")
        ws = book.create_sheet(name)
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([excel_value(v) for v in row])
    book.save(path)
    return path


def write_gbk(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    for name in TABLES:
        path = dst / f"{name}.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    return dst


# ------------------------------------------------------------- solving ----

@pytest.fixture(scope="module")
def variants(contract_path, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("equivalence")
    return {"ha": contract_path, "mu": write_mu(contract_path, root / "mu"),
            "xlsx": write_workbook(contract_path, root / "scenario.xlsx"), "gbk": write_gbk(contract_path, root / "gbk")}


@pytest.fixture(scope="module")
def ha(contract_run) -> RunResult:
    return contract_run


@pytest.fixture(scope="module")
def mu(variants) -> RunResult:
    return run_scenario(variants["mu"])


@pytest.fixture(scope="module")
def xlsx(variants) -> RunResult:
    return run_scenario(variants["xlsx"])


@pytest.fixture(scope="module")
def gbk(variants) -> RunResult:
    return run_scenario(variants["gbk"])


def approvals(r: RunResult) -> pd.DataFrame:
    return r.allocations[APPROVAL].drop_duplicates().sort_values(APPROVAL).reset_index(drop=True)


def county_year_totals(r: RunResult) -> pd.DataFrame:
    """Hectares of new, advance and stock per (county, year); every county and year present."""
    a = r.allocations.assign(county_id=r.allocations["project_id"].map(r.scenario.projects["county_id"]))
    a = a[a["source"].isin(["new", "advance", "stock"])]
    index = pd.MultiIndex.from_product([r.scenario.counties.index, r.scenario.years], names=["county_id", "year"])
    t = a.pivot_table(index=["county_id", "year"], columns="source", values="area", aggfunc="sum", fill_value=0.0)
    return t.reindex(index=index, columns=["new", "advance", "stock"], fill_value=0.0)


def allocation_rows(r: RunResult) -> pd.DataFrame:
    """allocations.csv as written (scenario unit), areas back in hectares."""
    rows = output_tables(r)["allocations.csv"]
    rows = rows.assign(area=rows["area"] / r.scenario.unit_factor, plan=rows["plan"].fillna(""))
    return rows.sort_values(ROW).reset_index(drop=True)


# --------------------------------------------------------------- tests ----

def test_variants_read_as_intended(variants):
    mu_s, xlsx_s, gbk_s, ha_s = (load(variants[k]) for k in ("mu", "xlsx", "gbk", "ha"))
    assert (mu_s.unit, ha_s.unit, xlsx_s.unit) == ("mu", "ha", "ha")
    assert set(ha_s.encodings.values()) == {"utf-8"}
    assert gbk_s.encodings["projects"] == gbk_s.encodings["counties"] == "gb18030"  # the tables with Chinese text
    assert set(xlsx_s.encodings.values()) == {"xlsx"} and set(xlsx_s.encodings) == set(TABLES)
    for s in (mu_s, xlsx_s, gbk_s):
        assert s.name == ha_s.name and s.quota == ha_s.quota and s.farmland_quota == ha_s.farmland_quota
        assert (s.advance, s.phasing, s.linkage, s.scoring) == (ha_s.advance, ha_s.phasing, ha_s.linkage, ha_s.scoring)
        assert s.assessment_date == ha_s.assessment_date
        pd.testing.assert_frame_equal(s.projects, ha_s.projects, check_exact=False, rtol=0, atol=1e-9)
        pd.testing.assert_frame_equal(s.counties, ha_s.counties, check_exact=False, rtol=0, atol=1e-9)
        pd.testing.assert_frame_equal(s.phases, ha_s.phases, check_exact=False, rtol=0, atol=1e-9)
        pd.testing.assert_frame_equal(s.dependencies, ha_s.dependencies)


@pytest.mark.parametrize("variant", ["mu", "xlsx"])
def test_same_approvals_and_status(request, ha, variant):
    other = request.getfixturevalue(variant)
    pd.testing.assert_frame_equal(approvals(other), approvals(ha))
    pd.testing.assert_series_equal(other.projects["status"], ha.projects["status"])


@pytest.mark.parametrize("variant", ["mu", "xlsx"])
def test_same_county_year_totals(request, ha, variant):
    other = request.getfixturevalue(variant)
    pd.testing.assert_frame_equal(county_year_totals(other), county_year_totals(ha), check_exact=False, rtol=0, atol=TOL_HA)


@pytest.mark.parametrize("variant", ["mu", "xlsx"])
def test_same_objective(request, ha, variant):
    other = request.getfixturevalue(variant)
    assert other.solution.objective == pytest.approx(ha.solution.objective, rel=1e-6)


def test_mu_run_reports_in_mu(ha, mu):
    """Output areas come back in the scenario's unit; the objective stays in hectare units."""
    mu_rows = output_tables(mu)["allocations.csv"]
    ha_rows = output_tables(ha)["allocations.csv"]
    assert mu_rows["area"].sum() == pytest.approx(MU_PER_HA * ha_rows["area"].sum(), rel=1e-9)
    assert mu.summary["objective"] == pytest.approx(ha.summary["objective"], rel=1e-6)
    assert mu.summary["unit"] == "mu"
    for y_mu, y_ha in zip(mu.summary["years"], ha.summary["years"]):
        assert y_mu["quota"] == pytest.approx(MU_PER_HA * y_ha["quota"])
        assert y_mu["new_used"] == pytest.approx(MU_PER_HA * y_ha["new_used"], abs=1e-6)


@pytest.mark.parametrize("variant", ["mu", "xlsx"])
def test_same_allocation_rows(request, ha, variant):
    """Row for row, allocations.csv (project, plan, phase, year, source, area). Stricter than the
    county-year totals: it also pins the per-project split between new and advance quota."""
    other = request.getfixturevalue(variant)
    a, b = allocation_rows(ha), allocation_rows(other)
    pd.testing.assert_frame_equal(b[ROW], a[ROW])
    assert (b["area"] - a["area"]).abs().max() <= TOL_HA


def test_gbk_copy_gives_the_same_approvals(ha, gbk):
    pd.testing.assert_frame_equal(approvals(gbk), approvals(ha))
    pd.testing.assert_series_equal(gbk.projects["status"], ha.projects["status"])
    assert list(gbk.projects["name"]) == list(ha.projects["name"])  # Chinese names survive GBK
