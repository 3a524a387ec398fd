"""``quota compare`` and plan values, on the bundled default (hebei-2024) against its variant that holds P096 to plan A.

The default chooses plan B for 元氏经开区装备制造基地 (P096); the variant
``scenarios/shijiazhuang-p096-plan-a`` has only P096's plan A in its phases.csv, so
the two runs differ in that project's plan (and, through the quota it frees or takes,
in a few other projects' years).
"""
from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import matplotlib
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from quota.report import fonts
from quota.commands.cli import cli
from quota.commands.compare import compare_runs, read_run
from quota.commands.compare_report import plot_gantt
from quota.errors import QuotaError
from quota.run import run_scenario

VARIANT = Path(__file__).parents[1] / "scenarios" / "shijiazhuang-p096-plan-a"


@pytest.fixture(scope="module")
def runs(tmp_path_factory, default_path):
    root = tmp_path_factory.mktemp("runs")
    run_scenario(default_path, root / "base")
    run_scenario(VARIANT, root / "p096-a")
    return root


def glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "Glyph" in str(w.message) or "missing from" in str(w.message)]


# ------------------------------------------------------------- plan values ----

def test_plans_csv_gives_the_value_of_each_plan(runs):
    plans = pd.read_csv(runs / "base" / "plans.csv", dtype={"plan": str})
    projects = pd.read_csv(runs / "base" / "projects.csv", dtype={"plan": str}).set_index("project_id")
    assert set(plans["project_id"]) == {"P011", "P069", "P082", "P096"}  # the four with plans A and B
    assert (plans.groupby("project_id")["chosen"].sum() <= 1).all()
    p082 = plans[plans["project_id"] == "P082"].set_index("plan")
    w = projects.at["P082", "w"]
    # plan A: 42 + 42 ha in 2023–2024 at their earliest years; its 3rd phase (2026) is beyond the horizon
    assert p082.at["A", "area_in_horizon"] == pytest.approx(84.0)
    assert p082.at["A", "value_if_chosen"] == pytest.approx(w * 84.0)
    assert p082.at["B", "value_if_chosen"] == pytest.approx(w * 120.0)
    chosen = plans[plans["chosen"]].set_index("project_id")
    for pid, row in chosen.iterrows():
        assert row["plan"] == projects.at[pid, "plan"]
        assert row["realised_value"] == pytest.approx(projects.at[pid, "value"])
    assert chosen.at["P096", "plan"] == "B"
    reason = projects.at["P096", "reason"]
    assert "方案 B" in reason and "方案 A" in reason


def test_value_by_year_adds_up_to_the_projects_value(runs):
    summary = json.loads((runs / "base" / "summary.json").read_text(encoding="utf-8"))
    total = pd.read_csv(runs / "base" / "projects.csv")["value"].sum()
    assert sum(summary["value_by_year"].values()) == pytest.approx(total, rel=1e-9)


# ------------------------------------------------------------------ library ----

def test_compare_names_the_project_whose_plan_differs(runs):
    c = compare_runs(read_run(runs / "base"), read_run(runs / "p096-a"))
    p096 = c.changed.set_index("project_id").loc["P096"]
    assert (p096["plan_A"], p096["plan_B"]) == ("B", "A")
    assert "plan" in p096["changes"]
    # every plan change compare reports is one between the two projects.csv files, and none is missed
    # (P096 is forced; another phased project may switch plan too, within the solver's gap)
    a, b = (pd.read_csv(runs / r / "projects.csv", dtype={"plan": str}).set_index("project_id")["plan"].fillna("")
            for r in ("base", "p096-a"))
    differ = set(a.index[a != b.reindex(a.index).fillna("")])
    reported = set(c.changed.loc[c.changed["plan_A"] != c.changed["plan_B"], "project_id"])
    assert "P096" in reported and reported == differ
    h = c.headline.set_index(["measure", "key"])
    assert h.at[("objective", ""), "delta"] == pytest.approx(h.at[("objective", ""), "B"] - h.at[("objective", ""), "A"])
    assert h.at[("objective", ""), "delta"] <= 1e-3 * h.at[("objective", ""), "A"]  # forcing a plan cannot gain (up to the gap)
    assert set(c.by_year["year"]) == {2023, 2024, 2025}
    assert set(c.phases["project_id"]) <= set(c.changed["project_id"])


def test_a_run_compared_with_itself_has_no_changes(runs):
    run = read_run(runs / "base")
    c = compare_runs(run, run)
    assert c.changed.empty
    assert c.headline["delta"].dropna().abs().max() == 0.0
    assert c.by_year["delta"].dropna().abs().max() == 0.0


def test_gantt_png_draws_chinese_names_without_missing_glyphs(runs, tmp_path):
    c = compare_runs(read_run(runs / "base"), read_run(runs / "p096-a"))
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        path = plot_gantt(c, tmp_path / "gantt.png")
    assert not glyph_warnings(record)
    assert path.stat().st_size > 10_000
    img = matplotlib.image.imread(path)
    assert np.std(img[..., :3]) > 0.05  # not blank


def test_gantt_falls_back_to_ids_without_a_cjk_font(runs, tmp_path, monkeypatch):
    """With only DejaVu Sans (no Chinese glyphs) any Chinese label would warn: there must be none."""
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    c = compare_runs(read_run(runs / "base"), read_run(runs / "p096-a"))
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            path = plot_gantt(c, tmp_path / "gantt.png", "zh")
    assert not glyph_warnings(record)
    assert path.stat().st_size > 10_000


def test_read_run_names_the_missing_file(runs, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(runs / "base", broken)
    (broken / "allocations.csv").unlink()
    with pytest.raises(QuotaError, match="allocations.csv is missing"):
        read_run(broken)
    with pytest.raises(QuotaError, match="does not exist"):
        read_run(tmp_path / "nowhere")


# ---------------------------------------------------------------------- cli ----

def test_cli_compare_prints_the_table_and_writes_the_chart(runs, tmp_path):
    out = tmp_path / "cmp"
    runner = CliRunner()
    r = runner.invoke(cli, ["compare", str(runs / "base"), str(runs / "p096-a"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "P096" in r.output and "B → A" in r.output and "目标值" in r.output
    for name in ("headline.csv", "by_year.csv", "changed.csv", "gantt.png", "manifest.json"):
        assert (out / name).is_file()
    assert "P096" in set(pd.read_csv(out / "changed.csv")["project_id"])
    assert (out / "gantt.png").stat().st_size > 10_000

    again = runner.invoke(cli, ["compare", str(runs / "base"), str(runs / "p096-a"), "--out", str(out)])
    assert again.exit_code == 1 and "已存在" in again.output  # run A is zh: the error in its language
    assert runner.invoke(cli, ["compare", str(runs / "base"), str(runs / "p096-a"), "--out", str(out), "--force",
                               "--lang", "en"]).exit_code == 0


def test_cli_compare_default_out_and_bad_folder(runs, tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["compare", str(runs / "base"), str(runs / "base")])
    assert r.exit_code == 0, r.output
    assert (runs / "compare-base-base" / "gantt.png").is_file()
    bad = runner.invoke(cli, ["compare", str(runs / "base"), str(tmp_path / "nowhere")])
    assert bad.exit_code == 1 and "nowhere" in bad.output and "Traceback" not in bad.output
