"""``quota audit``: passes on an untouched run, and names the cause of every tampering.

One solved run of the default scenario per session (``contract_run`` in conftest.py) is written
once; each test that tampers works on its own copy (shutil.copytree).
"""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from builder import write_workbook
from click.testing import CliRunner

from quota.check.audit import audit_run
from quota.commands.cli import cli
from quota.run import run_scenario, write_result


def failures(run_dir) -> pd.DataFrame:
    checks = audit_run(run_dir)
    return checks[~checks["ok"]]


def edit_csv(path: Path, fn) -> None:
    """Edit a written table as text cells, so that every other cell stays byte for byte."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = fn(t)
    (t if out is None else out).to_csv(path, index=False)


def test_untouched_run_passes(pristine):
    checks = audit_run(pristine)
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    families = set(checks["family"])
    for family in ("hash:input", "hash:output", "linkage", "county use", "idle", "restriction", "city quota", "county cap",
                   "objective", "value w"):
        assert family in families
    result = CliRunner().invoke(cli, ["audit", str(pristine)])  # a zh run: the table in Chinese
    assert result.exit_code == 0 and "审计通过" in result.output and "通过  市级指标" in result.output, result.output
    result = CliRunner().invoke(cli, ["audit", str(pristine), "--lang", "en", "--no-resolve"])
    assert result.exit_code == 0 and "audit passed" in result.output and "pass  city quota" in result.output


def test_edited_allocation_is_named(run):
    def bump(t):
        i = t.index[t["project_id"] == "P007"][0]
        assert t.loc[i, "area"] == "13.350000"
        t.loc[i, "area"] = "14.350000"
    edit_csv(run / "allocations.csv", bump)
    bad = failures(run)
    assert ("hash:output", "allocations.csv") in set(zip(bad["family"], bad["key"]))
    assert "P007/-/1" in set(bad.loc[bad["family"] == "phase whole & on time", "key"])
    result = CliRunner().invoke(cli, ["audit", str(run), "--lang", "en"])
    assert result.exit_code == 1 and "FAIL" in result.output and "Traceback" not in result.output


def test_edited_input_is_named(run, contract_path, tmp_path):
    """The inputs move with the run (the manifest names absolute paths), then one input is edited."""
    scenario = Path(shutil.copytree(contract_path, tmp_path / "scenario"))
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"] = {str(scenario / Path(k).name): v for k, v in manifest["inputs"].items()}
    (run / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert failures(run).empty  # moved, not changed
    text = (scenario / "counties.csv").read_text(encoding="utf-8")
    (scenario / "counties.csv").write_text(text.replace("shenze,深泽县,211.68,65.67,52.72,19.00,17.72,3.85",
                                                        "shenze,深泽县,211.68,65.67,52.72,19.00,47.72,3.85"), encoding="utf-8")
    bad = failures(run)
    assert ("hash:input", str(scenario / "counties.csv")) in set(zip(bad["family"], bad["key"]))
    linkage = bad[bad["family"] == "linkage"]
    assert list(linkage["key"]) == ["shenze"] and "unsupplied_disposed" in linkage["message"].iloc[0]


def test_new_quota_in_a_restricted_county_is_named(run, contract_path):
    """P051 (深泽 commerce, not exempt; 深泽 is restricted) is served from stock. Give it 0.01 ha of new
    quota by hand. The year's quota is fully used, so to keep every other rule true a project X with
    new quota in that year (unphased, no dependencies, no lock) is dropped and marked rejected; the two
    counties' rows in counties.csv and the objective follow:
    Δobjective = −w_X·a_X·δ^(y−max(e_X, 2023)) + π_X·a_X − 0.01·(π_shenze + γ).
    The restriction rule fails, and so do X's status and reason (its first year and reason still say
    approved), the status counts and the gap of summary.json, which the forger did not adjust."""
    alloc = pd.read_csv(run / "allocations.csv", keep_default_na=False)
    projects = pd.read_csv(run / "projects.csv", keep_default_na=False).set_index("project_id")
    counties = pd.read_csv(run / "counties.csv", keep_default_na=False).set_index("county_id")
    deps = pd.read_csv(contract_path / "dependencies.csv")
    year = int(alloc.loc[(alloc["project_id"] == "P051") & (alloc["source"] == "stock"), "year"].iloc[0])
    rows = alloc.groupby("project_id").agg(n=("area", "size"), source=("source", "first"), year=("year", "first"), plan=("plan", "first"))
    free = rows[(rows["n"] == 1) & (rows["source"] == "new") & (rows["year"] == year) & (rows["plan"] == "")
                & ~rows.index.isin(set(deps["project_id"]) | set(deps["requires"])) & (projects["lock"].reindex(rows.index) == "")
                & ~projects["county_id"].reindex(rows.index).map(counties["restricted"]).astype(bool)]
    x = free.index[0]
    a_x, cid_x = float(alloc.loc[alloc["project_id"] == x, "area"].iloc[0]), projects.at[x, "county_id"]

    def move(t):
        i = t.index[(t["project_id"] == "P051") & (t["source"] == "stock")][0]
        t.loc[i, "area"] = f"{float(t.loc[i, 'area']) - 0.01:.6f}"
        t.loc[len(t)] = {**t.loc[i].to_dict(), "source": "new", "area": "0.010000"}
        return t[t["project_id"] != x]
    edit_csv(run / "allocations.csv", move)
    edit_csv(run / "projects.csv", lambda t: t.__setitem__("status", t["status"].where(t["project_id"] != x, "rejected")))
    pi = counties["penalty_per_ha"]

    def county(t):
        for cid, changes in (("shenze", {"new_used": 0.01, "stock_used": -0.01, "penalty_paid": 0.01 * pi["shenze"], f"quota_{year}": 0.01}),
                             (cid_x, {"new_used": -a_x, "penalty_paid": -a_x * pi[cid_x], f"quota_{year}": -a_x})):
            i = t.index[t["county_id"] == cid][0]
            for col, delta in changes.items():
                t.loc[i, col] = f"{float(t.loc[i, col]) + delta:.6f}"
    edit_csv(run / "counties.csv", county)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    disc = 0.9 ** (year - max(projects.at[x, "phase1_earliest"], 2023))
    summary["objective"] += -projects.at[x, "w"] * a_x * disc + pi[cid_x] * a_x - 0.01 * (pi["shenze"] + 0.1)
    (run / "summary.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    bad = failures(run)
    assert set(bad["family"]) == {"restriction", "hash:output", "status", "reason", "summary"}, bad.to_string()
    assert set(bad.loc[bad["family"].isin(["status", "reason"]), "key"]) == {x}
    assert set(bad.loc[bad["family"] == "summary", "key"]) == {"status counts", "gap", "proven optimal"}
    named = bad[bad["family"] == "restriction"].set_index("key")
    assert set(named.index) == {"P051", "shenze"}
    assert "shenze" in named.at["P051", "message"] and "0.010000" in named.at["P051", "message"]


def test_edited_parcel_fee_is_named(run):
    edit_csv(run / "idle_parcels.csv", lambda t: t.__setitem__("fee", t["fee"].where(t["parcel_id"] != "IP002", "900.000000")))
    bad = failures(run)
    assert set(bad["family"]) == {"idle", "hash:output"}
    assert list(bad.loc[bad["family"] == "idle", "key"]) == ["IP002"]
    assert "fee: recomputed 908.6" in bad.loc[bad["family"] == "idle", "message"].iloc[0]


def test_added_file_is_named(run):
    (run / "notes.txt").write_text("an auditor's note", encoding="utf-8")
    bad = failures(run)
    assert list(bad["key"]) == ["unlisted files"] and "notes.txt" in bad["message"].iloc[0]


def test_not_a_run_folder(tmp_path):
    result = CliRunner().invoke(cli, ["audit", str(tmp_path)])
    assert result.exit_code == 1 and "manifest.json" in result.output and "Traceback" not in result.output
    help_text = CliRunner().invoke(cli, ["audit", "--help"]).output
    assert "Example" in help_text and "quota audit runs/" in help_text


def test_county_row_by_hand(pristine):
    """深泽 shenze, from its own counties.csv inputs: U 211.68, I 65.67, TU 52.72, TI 19.00,
    DU 17.72, DI 3.85, overplan 0, cap_base 40, λ 1, restrict_below 0.15, cut 0.20.

    r = (17.72 + 3.85) / (211.68 + 65.67) = 21.57 / 277.35 = 0.077772 < 0.15 → restricted (disposal_rate)
    s = 1 − 21.57 / (52.72 + 19.00) = 1 − 0.300753 = 0.699247;  π = λ·s = 0.699247
    DU < TU → m = 1 − 0.20 = 0.8;  caps: max(0, 0.8·40 − 0) = 32 (first year), 0.8·40 = 32 after
    """
    row = pd.read_csv(pristine / "counties.csv").set_index("county_id").loc["shenze"]
    U, I, TU, TI, DU, DI = (row[k] for k in ("unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task",
                                             "unsupplied_disposed", "idle_disposed"))
    rate = (DU + DI) / (U + I)
    short = max(0.0, 1 - (DU + DI) / (TU + TI))
    m = 1.1 if DU >= TU and DI >= TI else 0.8
    assert row["disposal_rate"] == pytest.approx(rate, abs=1e-6) == pytest.approx(0.077772, abs=1e-6)
    assert row["shortfall"] == pytest.approx(short, abs=1e-6) == pytest.approx(0.699247, abs=1e-6)
    assert row["penalty_per_ha"] == pytest.approx(1.0 * short, abs=1e-6)
    assert bool(row["restricted"]) and row["restrict_cause"] == "disposal_rate"
    assert row["cap_multiplier"] == pytest.approx(m) == pytest.approx(0.8)
    assert row["cap_first_year"] == pytest.approx(max(0.0, m * row["cap_base"] - row["overplan"])) == pytest.approx(32.0)
    assert row["cap_later_years"] == pytest.approx(m * row["cap_base"]) == pytest.approx(32.0)
    assert row["new_used"] == 0 and row["advance_used"] == 0  # stock only, as 限批 requires of non-exempt projects


def test_mu_variant_with_extends(tiny, tmp_path):
    """The tiny scenario restated in mu (×15) as a variant that extends it, with two idle parcels in 丙县."""
    base = Path(shutil.copytree(tiny, tmp_path / "base"))
    mu = tmp_path / "mu"
    mu.mkdir()
    for name, cols in (("counties", ["unsupplied_stock", "idle_stock", "unsupplied_task", "idle_task", "unsupplied_disposed",
                                     "idle_disposed", "usable_stock", "overplan", "cap_base"]),
                       ("projects", ["area", "farmland_area"]), ("phases", ["area", "farmland_area"])):
        t = pd.read_csv(base / f"{name}.csv", dtype=str, keep_default_na=False)
        for col in cols:
            t[col] = [f"{float(v) * 15:g}" if v else "" for v in t[col]]
        t.to_csv(mu / f"{name}.csv", index=False)
    (mu / "idle_parcels.csv").write_text("parcel_id,county_id,area,agreed_start,grant_price,cause,actual_start\n"
                                         "X1,c,100,2022-06-30,500,enterprise,\nX2,c,200,2020-02-29,800,enterprise,\n", encoding="utf-8")
    (mu / "scenario.yaml").write_text("extends: ../base/scenario.yaml\nunit: mu\n"
                                      "quota: {2023: 450, 2024: 450, 2025: 450}\nfarmland_quota: {2023: 300, 2024: 300, 2025: 300}\n"
                                      "idle_land: {assessment_date: 2023-06-30}\n", encoding="utf-8")
    out = write_result(run_scenario(mu), tmp_path / "run")
    checks = audit_run(out)
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    parcels = pd.read_csv(out / "idle_parcels.csv").set_index("parcel_id")
    assert parcels.at["X1", "area"] == pytest.approx(100) and parcels.at["X1", "fee"] == pytest.approx(100)
    assert parcels.at["X2", "classification"] == "reclaim"


def test_workbook_scenario(tiny, tmp_path):
    """The tiny scenario as one .xlsx workbook: the audit reads the sheets itself (openpyxl)."""
    write_workbook(tiny, tmp_path / "tiny.xlsx")
    out = write_result(run_scenario(tmp_path / "tiny.xlsx"), tmp_path / "run")
    checks = audit_run(out)
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert list(checks.loc[checks["family"] == "hash:input", "key"]) == [str((tmp_path / "tiny.xlsx").resolve())]


def test_doc_example(run):
    """docs/audit.md's tampering example, made on a real run: the doc's discrepancy lines about 深泽 and the
    city quota are what the audit prints (the hash, counts and objective there are marked as an example)."""
    import re

    doc = (Path(__file__).parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
    doc = doc.split("The same edit on the bundled default")[0]  # the first-contract example (the next is tested in test_default_scenario.py)
    rows = pd.read_csv(run / "allocations.csv", dtype={"project_id": str, "plan": str}, keep_default_na=False)
    edit = (rows["project_id"] == "P051") & (rows["source"] == "stock")
    rows.loc[edit, "source"] = "new"
    rows.to_csv(run / "allocations.csv", index=False, float_format="%.6f")
    result = CliRunner().invoke(cli, ["audit", str(run), "--no-resolve", "--lang", "en"])
    assert result.exit_code == 1
    lines = re.findall(r"^  FAIL (?:county use|restriction|city quota) .*$", doc, re.M)
    assert len(lines) == 4
    # The city's 2023 total is the run's own (which solution within the 1e-4 gap HiGHS returns differs between
    # PuLP 3 and PuLP 4) plus the 7.4 ha the edit moved to new quota; the doc shows it for the run it was made on.
    year = next(y for y in json.loads((run / "summary.json").read_text(encoding="utf-8"))["years"] if y["year"] == 2023)
    moved = f"{year['new_used'] + year['advance_repaid'] + 7.4:.6f}"
    for line in lines:
        if line.startswith("  FAIL city quota"):
            line = re.sub(r"quota \+ carried: [0-9.]+ >", f"quota + carried: {moved} >", line)
        assert line in result.output.splitlines(), line
    assert "re-solve: not done (--no-resolve)" in result.output
