"""``quota audit`` against a forger: every forged run fails, naming what was forged; untouched runs pass.

The forger edits a copy of a run folder and then, unlike a careless editor, recomputes the SHA-256 of every
output in manifest.json (``reseal``), so the hash checks no longer give it away. One run of the bundled default
scenario (``pristine`` in conftest.py) is written once per session; each case works on its own copy (``run``).
"""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builder import county, project, write_scenario, write_workbook
from click.testing import CliRunner
from forger import move_inputs, reseal, reseal_inputs, save, save_summary, summary, table

from quota.check.audit import audit_run
from quota.check.status import REASON_CLASSES, REASON_TEMPLATES, reason_class
from quota.commands.cli import cli
from quota.reaudit import optimum
from quota.run import run_scenario, write_result


def failed(run: Path, **kw) -> pd.DataFrame:
    checks = audit_run(run, **kw)
    bad = checks[~checks["ok"]]
    assert not bad["family"].str.startswith("hash").any(), bad.to_string()  # the forger resealed: hashes hold
    return bad


def keys(bad: pd.DataFrame, family: str) -> set[str]:
    return set(bad.loc[bad["family"] == family, "key"])


def a_free_approved_project(run: Path) -> str:
    """An approved, unphased project with one new-quota row, that no project requires and not locked."""
    alloc, projects = table(run, "allocations.csv"), table(run, "projects.csv").set_index("project_id")
    deps = pd.read_csv(Path(json.loads((run / "manifest.json").read_text())["scenario_path"]) / "dependencies.csv", dtype=str)
    rows = alloc.groupby("project_id").agg(n=("area", "size"), source=("source", "first"), plan=("plan", "first"))
    ok = rows[(rows["n"] == 1) & (rows["source"] == "new") & (rows["plan"] == "")].index
    ok = [p for p in ok if projects.at[p, "status"] == "approved" and projects.at[p, "lock"] == ""
          and p not in set(deps["requires"]) | set(deps["project_id"])]
    return sorted(ok)[0]


# ------------------------------------------------------------ forgeries ----

def drop_approved(run: Path, careful: bool) -> str:
    """The issue's example: one approved project dropped, set rejected, counties.csv and summary.json adjusted.
    ``careful``: also its first year, phase count, a rejected reason, the status counts and a consistent gap."""
    x = a_free_approved_project(run)
    alloc = table(run, "allocations.csv")
    row = alloc[alloc["project_id"] == x].iloc[0]
    area, year = float(row["area"]), int(row["year"])
    save(run, "allocations.csv", alloc[alloc["project_id"] != x])
    projects = table(run, "projects.csv")
    i = projects.index[projects["project_id"] == x][0]
    w, pi = float(projects.at[i, "w"]), float(projects.at[i, "penalty_per_ha"])
    projects.at[i, "status"] = "rejected"
    if careful:
        projects.loc[i, ["first_year", "deferral_years", "phases_approved", "value", "discount_lost"]] = ["", "", "0", "0", "0"]
        projects.at[i, "reason"] = f"未获批:每公顷净值 {w - pi:.3f}(w={w:.3f},罚金 π={pi:.3f})"
    save(run, "projects.csv", projects)
    counties = table(run, "counties.csv")
    j = counties.index[counties["county_id"] == projects.at[i, "county_id"]][0]
    for col, delta in (("new_used", -area), ("penalty_paid", -area * pi), (f"quota_{year}", -area)):
        counties.at[j, col] = f"{float(counties.at[j, col]) + delta:.6f}"
    save(run, "counties.csv", counties)
    s = summary(run)
    s["objective"] -= w * area - pi * area  # at its earliest year: no discount
    if careful:
        s["projects"]["approved"] -= 1
        s["projects"]["rejected"] += 1
        s["gap"] = (s["bound"] - s["objective"]) / abs(s["objective"])
        s["proven_optimal"] = False
    save_summary(run, s)
    reseal(run)
    return x


def test_dropped_approved_project(run):
    x = drop_approved(run, careful=False)
    bad = failed(run)
    assert x in keys(bad, "status") and x in keys(bad, "reason")
    assert "status counts" in keys(bad, "summary")
    assert "first_year" in bad.loc[(bad["family"] == "status") & (bad["key"] == x), "message"].iloc[0]


def test_dropped_approved_project_carefully(run):
    """Everything the audit recomputes from the allocation is made consistent; the claimed gap gives it away:
    a solve without a time limit does not stop above its gap target."""
    drop_approved(run, careful=True)
    bad = failed(run)
    assert keys(bad, "status") == set() and keys(bad, "reason") == set()
    assert keys(bad, "summary") == {"gap"} and "time limit" in bad.loc[bad["family"] == "summary", "message"].iloc[0]


def test_swapped_statuses(run):
    projects = table(run, "projects.csv")
    a = projects.index[projects["status"] == "approved"][0]
    r = projects.index[projects["status"] == "rejected"][0]
    projects.loc[[a, r], "status"] = projects.loc[[r, a], "status"].to_numpy()
    save(run, "projects.csv", projects)
    reseal(run)
    bad = failed(run)
    assert keys(bad, "status") == {projects.at[a, "project_id"], projects.at[r, "project_id"]}
    assert keys(bad, "reason") == {projects.at[a, "project_id"], projects.at[r, "project_id"]}


@pytest.mark.parametrize("how", ["other class", "other year", "made up"])
def test_changed_reason(run, how):
    projects = table(run, "projects.csv")
    i = projects.index[projects["status"] == "approved"][0]
    year = projects.at[i, "first_year"]
    projects.at[i, "reason"] = {"other class": "最早可批年份 2030 年晚于规划期末 2025 年",
                                "other year": projects.at[i, "reason"].replace(f"{year} 年", f"{int(year) + 1} 年", 1),
                                "made up": "市领导批示同意"}[how]
    save(run, "projects.csv", projects)
    reseal(run)
    bad = failed(run)
    assert keys(bad, "reason") == {projects.at[i, "project_id"]} and set(bad["family"]) == {"reason"}


@pytest.mark.parametrize("gone", [["report.html"], ["figures"], ["checks.csv"], ["report.xlsx", "constraints.csv"]])
def test_deleted_outputs(run, gone):
    for name in gone:
        shutil.rmtree(run / name) if (run / name).is_dir() else (run / name).unlink()
    reseal(run)
    bad = failed(run)
    named = keys(bad, "files")
    for name in gone:
        assert any(k == name or k.startswith(name + "/") for k in named), named


def test_lowered_objective_and_gap(run):
    s = summary(run)
    s["objective"] -= 5.0
    s["gap"] = (s["bound"] - s["objective"]) / abs(s["objective"])
    save_summary(run, s)
    reseal(run)
    bad = failed(run)
    assert "total" in keys(bad, "objective")


def test_raised_bound(run):
    s = summary(run)
    s["bound"] += 50.0
    save_summary(run, s)
    reseal(run)
    bad = failed(run)
    assert {"gap", "proven optimal"} <= keys(bad, "summary")


def test_objective_above_bound(run):
    s = summary(run)
    s["bound"] = s["objective"] - 1.0
    s["gap"] = 1.0 / abs(s["objective"])
    save_summary(run, s)
    reseal(run)
    assert "objective ≤ bound" in keys(failed(run), "summary")


def test_claimed_optimal_with_a_worse_allocation(contract_path, tmp_path):
    """A genuinely feasible but worse run: solved with 10% less quota, then the --set dropped from the manifest,
    so it claims to be the optimum of the full scenario. Every allocation check holds; the re-solve does not."""
    worse = write_result(run_scenario(contract_path, sets=["quota.scale=0.9"]), tmp_path / "worse")
    manifest = json.loads((worse / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("overrides")
    (worse / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    reseal(worse)
    assert failed(worse, optimum=optimum, resolve="off").empty
    bad = failed(worse, optimum=optimum, resolve="on")
    assert keys(bad, "re-solve") == {"objective", "bound"}, bad.to_string()
    result = CliRunner().invoke(cli, ["audit", str(worse), "--lang", "en"])  # 180 projects: re-solved by default
    assert result.exit_code == 1 and "re-solve: done" in result.output and "worse than it claims" in result.output


def test_tampered_input(run, tmp_path):
    scenario = move_inputs(run, tmp_path / "scenario")
    projects = (scenario / "projects.csv").read_text(encoding="utf-8").splitlines()
    head = projects[0].split(",")
    row = projects[1].split(",")
    row[head.index("investment")] = str(float(row[head.index("investment")]) * 3)
    projects[1] = ",".join(row)
    (scenario / "projects.csv").write_text("\n".join(projects) + "\n", encoding="utf-8")
    reseal_inputs(run)
    bad = failed(run)
    assert row[0] in keys(bad, "value w") and "total" in keys(bad, "objective")


def test_input_refused_by_validate(run, tmp_path):
    """An input changed so that validate refuses it (a negative area): the audit names file, row and column."""
    scenario = move_inputs(run, tmp_path / "scenario")
    text = (scenario / "projects.csv").read_text(encoding="utf-8").splitlines()
    head = text[0].split(",")
    row = text[1].split(",")
    row[head.index("area")] = "-5"
    text[1] = ",".join(row)
    (scenario / "projects.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    reseal_inputs(run)
    bad = failed(run)
    inputs = bad[bad["family"] == "inputs"]
    assert len(inputs) and inputs["key"].str.contains("projects.csv").all() and inputs["key"].str.contains("area").any()


def test_extends_cycle_terminates(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    digest = hashlib.sha256((tmp_path / "a.yaml").read_bytes()).hexdigest()
    (run / "manifest.json").write_text(json.dumps({"inputs": {str(tmp_path / "a.yaml"): digest}, "outputs": {}}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "quota", "audit", str(run)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "extends" in done.stdout and "Traceback" not in done.stdout + done.stderr


# ---------------------------------------------------------- untouched ----

def test_untouched_default_passes_with_resolve(pristine):
    checks = audit_run(pristine, optimum=optimum)
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert {"files", "status", "reason", "summary", "re-solve"} <= set(checks["family"])
    assert any(n.startswith("re-solve: done") for n in checks.attrs["notes"])


HOSTILE_NAMES = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "'=1", "普通"]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_untouched_hostile_names_pass(tmp_path):
    """Names (and a county name) that start a formula, round-trip through the run folder and audit clean."""
    folder = write_scenario(tmp_path / "s", counties=[county(name="=1+1"), county(county_id="b", name="@b县")],
                            projects=[project(project_id=f"P{i}", name=n, county_id="ab"[i % 2], area=5 + i)
                                      for i, n in enumerate(HOSTILE_NAMES)], quota={2023: 12, 2024: 12, 2025: 12})
    out = write_result(run_scenario(folder), tmp_path / "run")
    for name in ("projects.csv", "counties.csv", "allocations.csv", "constraints.csv", "checks.csv"):
        with open(out / name, newline="", encoding="utf-8") as f:
            cells = [v for row in csv.reader(f) for v in row]
        assert not [v for v in cells if v[:1] in ("=", "+", "@", "\t", "\r") or (v[:1] == "-" and not _number(v))], name
    raw = pd.read_csv(out / "projects.csv", dtype=str, keep_default_na=False)["name"]
    assert list(raw) == ["'" + n if n[:1] in "=+-@" or n.startswith("'=") else n for n in HOSTILE_NAMES]
    assert list(table(out, "projects.csv")["name"]) == HOSTILE_NAMES
    checks = audit_run(out, optimum=optimum)
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()


def test_workbook_by_relative_path(tiny, tmp_path, monkeypatch):
    """Run with a relative workbook path, audit from another folder: inputs listed once, by absolute path."""
    (tmp_path / "here").mkdir()
    write_workbook(tiny, tmp_path / "here" / "tiny.xlsx")
    monkeypatch.chdir(tmp_path / "here")
    out = write_result(run_scenario("tiny.xlsx"), tmp_path / "run")
    monkeypatch.chdir(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["inputs"]) == [str((tmp_path / "here" / "tiny.xlsx").resolve())]
    result = CliRunner().invoke(cli, ["audit", str(out)])
    assert result.exit_code == 0, result.output
    assert "np.int64" not in result.output and "re-solve: done" in result.output


def test_reason_templates_follow_reasons_py():
    """The audit's reason openings are those of quota/explain/reasons.py: each full reason is classified right."""
    from quota.explain.reasons import TEXT as REASONS
    from quota.explain.reasons_spatial import TEXT as SPATIAL
    from quota.solve.factor import REASON as FACTOR_REASON

    TEXT = {**REASONS, **SPATIAL}  # the spatial checks' reasons (docs/spatial.md) are worded beside the others

    sample = dict(via="P9", level="省级", year=2024, plan="", w=1.5, net=1.2, sources="new 3 ha", k=1, e=2023, lost=0.5,
                  m=1, K=2, county="甲县", cause="x", category="industry", usable=1.0, area=2.0, u="ha", last=2025, q="P8", pi=0.3,
                  tol=0.01)
    for lang in ("zh", "en"):
        for cls in {c for cs in REASON_CLASSES.values() for c in cs} - {"factor_allowance"} | {"restricted_stock"}:
            found = reason_class(TEXT[cls][lang].format(**sample), lang)
            assert found is not None and found[0] == ("restricted" if cls == "restricted_stock" else cls), (lang, cls, found)
        factor = FACTOR_REASON[lang].format(county="甲县", y=2024, left=1.0, need=2.0, u="ha", share=0.25)
        assert reason_class(factor, lang)[0] == "factor_allowance", (lang, factor)
    assert set(REASON_TEMPLATES["zh"]) == set(REASON_TEMPLATES["en"])


def test_carriage_return_in_names_is_refused_before_any_run(tmp_path):
    """A bare CR inside a name would not survive a spreadsheet round trip, so validate refuses it, naming the
    file, the row and the code point; no run folder exists that could fail its audit. (A CR that reaches a CSV
    cell all the same is quoted and read back whole: tests/test_output_safety.py.)"""
    from quota.errors import ScenarioError

    folder = write_scenario(tmp_path / "s", projects=[project(name="a\rb"), project(project_id="P2", name="=1\r2", area=4)])
    with pytest.raises(ScenarioError) as e:
        run_scenario(folder)
    text = str(e.value)
    assert "2 problems" in text and "projects.csv, row P2, column name" in text and "U+000D" in text, text