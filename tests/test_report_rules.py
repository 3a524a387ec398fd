"""The report under a rule set (RULES.md "What every run must show"): the disposal and earned-quota section with its
chart, the rule-set table with sources and confirmations, and the early-batch header of the years table.

A two-county scenario under ``rules: national-2024`` (earned linkage, restriction decided by year, within-year advance)
with one key overridden is solved once and written in zh and in en. A first-contract run gets none of it.
"""
from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml
from builder import county, project, write_scenario, write_table

from quota.input.rule_options import RULE_KEYS
from quota.input.rulesets import read_rule_set
from quota.input.validate import load
from quota.report import labels as L
from quota.report.escape import escape_md
from quota.report.fonts import has_cjk
from quota.run import solve_scenario, write_result

DISPOSAL = ["county_id", "year", "unsupplied", "idle", "extra_max", "extra_cost"]


@pytest.fixture(scope="module")
def rules_run(tmp_path_factory):
    """County a (rate 10% < 15%: restricted in 2024 until it disposes), county b (rate fine, base 10); national-2024
    with early_gain overridden to 0.25."""
    slow = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=0, idle_task=0, unsupplied_disposed=10, idle_disposed=0)
    counties = [county(county_id="a", name="甲县", cap_base=5, **slow),
                county(county_id="b", name="乙县", cap_base=10, unsupplied_disposed=50, **{k: v for k, v in slow.items()
                                                                                         if k != "unsupplied_disposed"})]
    projects = [project(project_id="P1", county_id="a", area=8, earliest_year=2024),
                project(project_id="P2", county_id="b", area=12, earliest_year=2024),
                project(project_id="P3", county_id="b", area=6, earliest_year=2025, category="livelihood")]
    folder = write_scenario(tmp_path_factory.mktemp("rules") / "scenario", counties, projects, years=[2024, 2025],
                            quota={2024: 100, 2025: 100}, delay_discount=0.9, rules="national-2024",
                            linkage={"stock_credit": 0, "bonus": 0, "cut": 0},
                            advance={"previous_quota": 100, "early_gain": 0.25})
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=2, idle=0, extra_max=10, extra_cost=0.01),
                                          dict(county_id="b", year=2024, unsupplied=3, idle=1, extra_max=0, extra_cost=0)],
                DISPOSAL)
    r = solve_scenario(load(folder))
    assert r.checks["ok"].all() and r.county_years is not None
    return r


@pytest.fixture(scope="module")
def written(rules_run, tmp_path_factory) -> dict:
    """lang → (run folder, warnings raised while writing it)."""
    out = {}
    for lang in ("zh", "en"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            folder = write_result(dataclasses.replace(rules_run, lang=lang), tmp_path_factory.mktemp("report") / lang)
        out[lang] = (folder, [str(w.message) for w in caught])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_disposal_section_with_its_chart(written, lang):
    folder, _ = written[lang]
    T = L.TEXT[lang]
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert f"## {T['sec_disposal']}" in md
    assert "(figures/earned.png)" in md and (folder / "figures" / "earned.png").read_bytes().startswith(b"\x89PNG")
    cy = pd.read_csv(folder / "counties.csv", dtype={"county_id": str})  # one row per county and year
    section = md.split(f"## {T['sec_disposal']}")[1].split("\n## ")[0]
    for col in ("base", "disposal_planned", "disposal_extra", "disposal_stock", "earned", "limit", "quota_used",
                "restricted_in_year"):
        assert L.header(col, lang, "ha") in section, col
    for r in cy.itertuples():
        assert f"| {r.name} | {r.county_id} | {r.year} | {r.base:,.2f} |" in section
        assert f"{r.rate:.1%}" in section
    assert "自然资发〔2020〕91号" in section
    assert L.TEXT[lang]["unconfirmed_flag"] in section  # earn_ratio 1.0 is unconfirmed in national-2024
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert T["sec_disposal"] in html and L.CAPTION[lang]["earned"] in html


def test_counties_csv_is_per_county_and_year(rules_run, written):
    """RULES.md "What every run must show under a rule set": counties.csv one row per county and year, sorted; county_id,
    name, year, then the first-contract columns (the county's, the same on each of its year rows), then the year columns.
    No county_years.csv. The report's counties section shows one row per county."""
    from quota.counties_table import YEAR_COLUMNS
    folder, _ = written["en"]
    assert not (folder / "county_years.csv").exists()
    c = pd.read_csv(folder / "counties.csv", dtype={"county_id": str}, keep_default_na=False)
    first = list(rules_run.counties.reset_index().columns)  # the first-contract columns, one row per county
    years = [k for k in YEAR_COLUMNS if k in c]
    assert list(c.columns) == first[:2] + ["year"] + first[2:] + years[1:]
    assert years == ["year", "base", "disposal_planned", "disposal_extra", "disposal_stock", "disposal", "earn_ratio", "earned",
                     "limit", "quota_used", "room", "rate", "restricted_in_year"]
    assert list(zip(c["county_id"], c["year"])) == [("a", 2024), ("a", 2025), ("b", 2024), ("b", 2025)]
    for cid, g in c.groupby("county_id"):
        assert (g[first].nunique() == 1).all(), cid  # the same on each year row
        for col in ("cap_first_year", "new_used", "disposal_rate"):
            assert g[col].iloc[0] == pytest.approx(rules_run.counties.at[cid, col])
    assert list(c["restricted"]) == [True, True, False, False]  # static, before the horizon: the county's, on each row
    assert list(c["restricted_in_year"])[0] and not any(c["restricted_in_year"][2:])  # a 10% < 15% in 2024; b never
    md = (folder / "report.md").read_text(encoding="utf-8")
    section = md.split(f"## {L.TEXT['en']['sec_counties']}")[1].split("\n## ")[0]
    assert section.count("| 甲县 | a |") == 1 and section.count("| 乙县 | b |") == 1


def test_earned_chart_draws_chinese_without_missing_glyphs(written):
    assert has_cjk(), "no CJK font: install one (Debian `apt-get install fonts-noto-cjk`) to test Chinese charts"
    folder, caught = written["zh"]
    glyphs = [m for m in caught if "missing from" in m or "Glyph" in m]
    assert not glyphs, glyphs[:5]
    assert "fonts-noto-cjk" not in (folder / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rule_set_table_lists_every_key_with_source_and_confirmation(rules_run, written, lang):
    folder, _ = written[lang]
    assert {k for k, _, _ in rules_run.scenario.rules.overridden} == {"advance.early_gain", "advance.previous_quota"}
    T = L.TEXT[lang]
    md = (folder / "report.md").read_text(encoding="utf-8")
    section = md.split(f"## {T['sec_ruleset']}")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in section.splitlines() if line.startswith("| ")}
    words = {"yes": "已核实" if lang == "zh" else "confirmed", "no": "⚠ " + T["unconfirmed"] if lang == "zh" else "⚠ unconfirmed",
             "reported": T["reported"]}
    unconfirmed = []
    for e in read_rule_set("national-2024").entries:
        assert e.key in rows, e.key
        line = rows[e.key]
        assert escape_md(e.source_in(lang)) in line  # zh: the source as a Chinese reader knows it (source_zh)
        if e.key.startswith("advance.") and e.key != "advance.mode":  # the scenario's own values, marked
            mine = "0.250" if e.key == "advance.early_gain" else f"100.00 {L.UNIT[lang]['ha']}"
            assert (f"{mine}({T['overridden']})" if lang == "zh" else f"{mine} ({T['overridden']})") in line
            assert escape_md(T["rule_confirmed_own"]) in line
            continue
        assert words[e.confirmed] in line, (e.key, line)
        assert escape_md(e.zh if lang == "zh" else e.en) in line
        if e.confirmed == "no":
            unconfirmed.append(e.key)
    assert set(rows) - {T["rule_key"]} == set(RULE_KEYS)
    assert unconfirmed and T["ruleset_unconfirmed"].format(keys=", ".join(unconfirmed)) in section
    assert "national-2024" in section


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_years_table_heads_the_early_batch_under_within_year_advance(written, lang):
    md = (written[lang][0] / "report.md").read_text(encoding="utf-8")
    years = md.split(f"## {L.TEXT[lang]['sec_years']}")[1].split("\n## ")[0]
    assert L.header("advance_early", lang, "ha") in years
    assert L.header("advance_drawn", lang, "ha") not in years
    assert L.CAPTION[lang]["quota_by_year_within"] in years and L.CAPTION[lang]["quota_by_year"] not in years
    assert L.RULES["years_within"]["rules"][1][0 if lang == "zh" else 1].format(adv_share=0.5) in years
    assert L.RULES["years"]["rules"][1][0 if lang == "zh" else 1][:20] not in years  # not the next-year repayment


def test_first_contract_report_has_no_rule_sections(tmp_path):
    """The tiny fixture names no rule set: counties.csv one row per county, no new section or chart, the next-year
    advance header."""
    folder = write_result(solve_scenario(load(Path(__file__).parent / "fixtures" / "tiny")), tmp_path / "run")
    md = (folder / "report.md").read_text(encoding="utf-8")
    T = L.TEXT["en"]
    assert "year" not in pd.read_csv(folder / "counties.csv").columns and not (folder / "figures" / "earned.png").exists()
    assert T["sec_disposal"] not in md and T["sec_ruleset"] not in md
    assert L.header("advance_drawn", "en", "ha") in md and L.header("advance_early", "en", "ha") not in md


def test_a_scenario_overriding_the_set_back_to_the_first_contract(tmp_path):
    """rules: contract-2023 names a set but keeps counties.csv one row per county: the rule-set table, no disposal
    section."""
    folder = write_scenario(tmp_path / "s", [county()], [project()], rules="contract-2023")
    r = solve_scenario(load(folder))
    out = write_result(r, tmp_path / "run")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert L.TEXT["en"]["sec_ruleset"] in md and L.TEXT["en"]["sec_disposal"] not in md
    assert yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))["rules"] == "contract-2023"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_has_county_years_and_the_rule_set(written, lang):
    """The counties sheet is counties.csv, one row per county and year, with county, name and year frozen in view."""
    import openpyxl

    from quota.report.excel import sheet_name

    book = openpyxl.load_workbook(written[lang][0] / "report.xlsx")
    sheet = book[sheet_name("counties.csv", lang)]
    rows = list(sheet.iter_rows(values_only=True))
    heads = [L.header(c, lang, "ha") for c in ("county_id", "name", "year")]
    assert list(rows[0][:3]) == heads and len(set(rows[0])) == len(rows[0])
    assert [r[:3] for r in rows[1:]] == [("a", "甲县", 2024), ("a", "甲县", 2025), ("b", "乙县", 2024), ("b", "乙县", 2025)]
    assert sheet.freeze_panes == "D2" and len(book.sheetnames) == len(set(book.sheetnames))
    rules = book[sheet_name("rule_set", lang)]
    keys = [row[0] for row in rules.iter_rows(min_row=2, values_only=True)]
    assert keys == list(RULE_KEYS)
    texts = [row[1] for row in book[sheet_name("rule_texts", lang)].iter_rows(min_row=2, values_only=True)]
    assert any("linkage.earn_ratio" in (t or "") for t in texts)  # the unconfirmed warning, in the rule texts too


def test_dynamic_restriction_without_a_rule_set(tmp_path):
    """restriction.dynamic alone (no rule set, no earned linkage): the disposal section without base or earned columns,
    the chart of disposal against quota used, the rate per year; no rule-set table, and no 'unconfirmed' flag on a
    threshold the scenario gives itself."""
    slow = dict(unsupplied_stock=100, idle_stock=0, unsupplied_task=0, idle_task=0, unsupplied_disposed=10, idle_disposed=0)
    folder = write_scenario(tmp_path / "s", [county(county_id="a", **slow)], [project(project_id="P1", area=8, earliest_year=2024)],
                            years=[2024, 2025], quota={2024: 100, 2025: 100}, delay_discount=0.9, linkage={"stock_credit": 0},
                            restriction={"dynamic": True, "below": 0.15})
    write_table(folder / "disposal.csv", [dict(county_id="a", year=2024, unsupplied=0, idle=0, extra_max=10, extra_cost=0.2)],
                DISPOSAL)
    out = write_result(solve_scenario(load(folder)), tmp_path / "run")
    T = L.TEXT["en"]
    md = (out / "report.md").read_text(encoding="utf-8")
    section = md.split(f"## {T['sec_disposal']}")[1].split("\n## ")[0]
    assert (out / "figures" / "earned.png").exists() and T["disposal_intro_dynamic"] in section
    assert L.header("earned", "en", "ha") not in section and L.header("disposal_extra", "en", "ha") in section
    assert "| 甲县 | a | 2024 | 0.00 | 5.00 | 0.00 | 5.00 | 0.00 | 10.0% | yes |" in section  # 5 ha disposed lift it in 2025
    assert T["unconfirmed_flag"] not in section and T["sec_ruleset"] not in md
