"""The report (quota.report): report.md, report.html, report.xlsx and figures, in zh and en.

One solved default run (the session's ``contract_run``) is written twice, in zh and in en; the
tiny fixture is solved once with counterfactuals; a small scenario with hostile names checks
escaping. The browser test needs headless Chromium (Debian ``chromium``, installed by .ci/run)
and fails, rather than skips, without it.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import math
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from builder import county, project, write_scenario
from quota.report.fonts import has_cjk
from quota.report import labels as L
from quota.report.charts import render_charts
from quota.report.document import build_document
from quota.report.escape import safe_cell
from quota.report.safety import read_csv
from quota.report.excel import sheet_columns, sheet_name
from quota.run import eval_summary, output_tables, solve_scenario, write_result
from quota.input.validate import load

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://x","y")'
CHARTS = {"quota_by_year.png", "counties.png", "phases.png", "value_terms.png", "shadow_prices.png"}


@pytest.fixture(scope="module")
def zh_written(contract_run, tmp_path_factory) -> tuple[Path, list]:
    """The default run written in zh, and every warning raised while writing it (charts included)."""
    assert contract_run.lang == "zh"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = write_result(contract_run, tmp_path_factory.mktemp("report") / "zh")
    return out, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def zh_dir(zh_written) -> Path:
    return zh_written[0]


@pytest.fixture(scope="module")
def en_dir(contract_run, tmp_path_factory) -> Path:
    return write_result(dataclasses.replace(contract_run, lang="en"), tmp_path_factory.mktemp("report") / "en")


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    """The tiny fixture (lang en) with every counterfactual."""
    r = solve_scenario(load(Path(__file__).parent / "fixtures" / "tiny"), counterfactuals=True)
    assert "counterfactuals" in r.explanations
    return write_result(r, tmp_path_factory.mktemp("report") / "tiny")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """Names that are markup or formulas; P3 is too large for the quota, so it is rejected with a reason."""
    folder = write_scenario(tmp_path_factory.mktemp("hostile") / "scenario", counties=[county(name="@SUM(1)")], projects=[
        project(project_id="P1", name=SCRIPT_NAME, area=10), project(project_id="P2", name=FORMULA_NAME, area=20),
        project(project_id="P3", name="-2+3", area=200)])
    return write_result(solve_scenario(load(folder)), tmp_path_factory.mktemp("report") / "hostile")


# ------------------------------------------------------------------ build ----

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_builds_in_each_language(lang, zh_dir, en_dir):
    out = zh_dir if lang == "zh" else en_dir
    T = L.TEXT[lang]
    for name in ("report.md", "report.html", "report.xlsx"):
        assert (out / name).stat().st_size > 1000, name
    assert CHARTS <= {p.name for p in (out / "figures").glob("*.png")}
    md = (out / "report.md").read_text(encoding="utf-8")
    for key in ("sec_headline", "sec_years", "sec_counties", "sec_projects", "sec_phases", "sec_shadow", "sec_cf", "sec_idle",
                "sec_rules"):
        assert f"## {T[key]}" in md, key
    assert T["illustrative"] in md  # the scenario's name says 示意 / illustrative
    # the rule behind the figures, quoting the seed clause 三(四)
    assert "自然资规〔2018〕1号" in md and "超多少" in md and ("Order 53" in md or "第53号" in md)
    assert ("not national law" in md) if lang == "en" else ("不是国家法律" in md)
    assert L.SEED["restriction"][0] in md and L.SEED["advance"][0] in md
    xlsx = openpyxl.load_workbook(out / "report.xlsx")
    assert sheet_name("projects.csv", lang) in xlsx.sheetnames


def test_md_is_the_headline_and_every_project(contract_run, zh_dir):
    md = (zh_dir / "report.md").read_text(encoding="utf-8")
    assert f"{contract_run.solution.objective:,.2f}" in md
    for pid, reason in contract_run.projects["reason"].items():
        assert f"| {pid} |" in md and reason.replace("|", "\\|") in md


def test_not_proven_and_no_counterfactuals_are_said(contract_run):
    tables = output_tables(contract_run)
    summary = dict(eval_summary(contract_run), proven_optimal=False, status="feasible", message="stopped at the time limit")
    text = str(build_document(contract_run, tables, summary, "en", [], True))
    assert L.TEXT["en"]["not_proven"] in text and "stopped at the time limit" in text
    assert L.TEXT["en"]["cf_none"] in text


def test_counterfactual_section(tiny_dir):
    md = (tiny_dir / "report.md").read_text(encoding="utf-8")
    cf = pd.read_csv(tiny_dir / "counterfactuals.csv", dtype={"project_id": str})
    assert L.header("loss_low", "en", "ha") in md and L.header("loss_high", "en", "ha") in md
    for r in cf.itertuples():
        assert f"| {r.project_id} |" in md
    assert (tiny_dir / "figures" / "counterfactuals.png").exists()


def test_seed_quotes_come_from_the_clause():
    for zh, _ in L.SEED.values():
        assert zh in L.SEED_CLAUSE
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_9d74759cae13cf21.txt"
    if seed.exists():  # the brief's copy, beside the repository
        assert L.SEED_CLAUSE in seed.read_text(encoding="utf-8")


def test_every_column_has_words(zh_dir):
    """Every CSV column has a zh and en label, so no header of the report is a bare column name."""
    for csv in zh_dir.glob("*.csv"):
        for c in pd.read_csv(csv, nrows=0).columns:
            assert c in L.COLUMNS or re.fullmatch(r"quota_\d{4}", c), f"{csv.name}: column {c} has no label in quota/report/labels.py"


# ----------------------------------------------------------------- charts ----

def test_charts_draw_chinese_without_missing_glyphs(zh_written):
    assert has_cjk(), "no CJK font: install one (Debian `apt-get install fonts-noto-cjk`; .ci/run does) to test Chinese charts"
    out, caught = zh_written
    glyphs = [m for m in caught if "missing from" in m or "Glyph" in m]
    assert not glyphs, glyphs[:5]
    assert CHARTS <= {p.name for p in (out / "figures").glob("*.png")}
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in (out / "figures").glob("*.png"))
    assert "fonts-noto-cjk" not in (out / "report.md").read_text(encoding="utf-8")  # Chinese was drawn, no font note


def test_charts_fall_back_to_ids_without_a_cjk_font(contract_run, monkeypatch):
    """With no CJK font, charts use ids and English: drawn in DejaVu Sans alone, no glyph is missing."""
    import matplotlib

    import quota.report.charts as charts_module

    monkeypatch.setattr(charts_module, "setup_fonts", lambda: False)
    tables = output_tables(contract_run)
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}), warnings.catch_warnings():
        warnings.simplefilter("error")
        charts, cjk = render_charts(contract_run, tables, eval_summary(contract_run), "zh")
    assert not cjk and len(charts) >= 5
    text = str(build_document(contract_run, tables, eval_summary(contract_run), "zh", charts, cjk))
    assert "fonts-noto-cjk" in text  # the report says how to get a font


# ------------------------------------------------------------------ excel ----

def _same(text: str, cell) -> bool:
    """A CSV field (as written) against the xlsx cell."""
    if text == "":
        return cell is None or cell == ""
    if isinstance(cell, bool):
        return text == str(cell)
    if isinstance(cell, (int, float)):
        return math.isclose(float(text), cell, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(cell, (dt.date, dt.datetime)):
        return text == cell.isoformat()[:10]
    return cell == safe_cell(text)


@pytest.mark.parametrize("which", ["zh", "tiny"])
def test_excel_tables_match_the_csvs(which, zh_dir, tiny_dir):
    out, lang = (zh_dir, "zh") if which == "zh" else (tiny_dir, "en")
    wb = openpyxl.load_workbook(out / "report.xlsx")
    csvs = sorted(out.glob("*.csv"))
    assert {"projects.csv", "counties.csv", "allocations.csv", "shadow_prices.csv"} <= {c.name for c in csvs}
    if which == "tiny":
        assert "counterfactuals.csv" in {c.name for c in csvs}
    for csv in csvs:
        ws = wb[sheet_name(csv.name, lang)]
        frame = read_csv(csv, dtype=str, keep_default_na=False)  # the true text: the CSV holds it formula-safe
        frame = frame[sheet_columns(frame, "ha")]  # a hectare run: the per-unit prices would repeat the per-ha ones
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == [L.header(c, lang, "ha") for c in frame.columns], csv.name
        assert len(set(rows[0])) == len(rows[0]), csv.name  # each header names one column
        assert len(rows) - 1 == len(frame), csv.name
        for i, rec in enumerate(frame.itertuples(index=False), start=1):
            for c, text, cell in zip(frame.columns, rec, rows[i]):
                assert _same(text, cell), (csv.name, i, c, text, cell)
        assert ws.freeze_panes in ("A2", "C2"), csv.name  # the header row (and the ids) stay in view
    assert (lang == "en") or "面积(公顷)" in [c.value for c in wb[sheet_name("projects.csv", "zh")][1]]


def test_excel_years_match_the_summary(zh_dir):
    import json

    years = json.loads((zh_dir / "summary.json").read_text(encoding="utf-8"))["years"]
    ws = openpyxl.load_workbook(zh_dir / "report.xlsx")[sheet_name("years", "zh")]
    rows = list(ws.iter_rows(values_only=True))
    cols = list(years[0])
    assert list(rows[0]) == [L.header(c, "zh", "ha") for c in cols]
    for y, row in zip(years, rows[1:]):
        assert all(math.isclose(y[c], v, abs_tol=1e-9) if y[c] is not None else v is None for c, v in zip(cols, row))


# ----------------------------------------------------------------- safety ----

def test_html_is_self_contained(zh_dir):
    html = (zh_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    imgs = re.findall(r"<img\b[^>]*>", html)
    assert len(imgs) >= 5
    for tag in imgs:
        src = re.search(r'src="([^"]+)"', tag).group(1)
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert "<style>" in html and "<link" not in html


def test_hostile_names_are_text(hostile_dir):
    html = (hostile_dir / "report.html").read_text(encoding="utf-8")
    assert SCRIPT_NAME not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert len(re.findall(r"<script\b", html)) == 1  # the report's own image check only
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html)
    md = (hostile_dir / "report.md").read_text(encoding="utf-8")
    assert SCRIPT_NAME not in md and "&lt;script&gt;" in md
    wb = openpyxl.load_workbook(hostile_dir / "report.xlsx")
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)  # nothing is a formula
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, cell.coordinate, cell.value)
                    texts.append(cell.value)
    assert SCRIPT_NAME in texts and "'" + FORMULA_NAME in texts and "'-2+3" in texts and "'@SUM(1)" in texts


# ---------------------------------------------------------------- browser ----

def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is needed to check report.html in a browser and was not found: install the Debian "
                "package `chromium` (`apt-get install -y chromium`; .ci/run does).")


def _browser(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}"]
    return subprocess.run([_chromium(), *flags, *args], capture_output=True, text=True, timeout=120)


def test_html_in_headless_chromium(zh_dir, tmp_path):
    from PIL import Image, ImageStat

    url = (zh_dir / "report.html").resolve().as_uri()
    shot = tmp_path / "shot.png"
    done = _browser([f"--screenshot={shot}", "--window-size=1280,2000", url], tmp_path / "profile1")
    assert shot.exists(), done.stderr[-2000:]
    with Image.open(shot) as im:
        gray = im.convert("L")
        assert gray.size == (1280, 2000)
        assert ImageStat.Stat(gray).stddev[0] > 20  # not blank: header, text and the first chart
        dark = sum(gray.histogram()[:200]) / (gray.size[0] * gray.size[1])
        assert dark > 0.05
    dom = _browser(["--dump-dom", "--virtual-time-budget=10000", url], tmp_path / "profile2").stdout
    n = len(list((zh_dir / "figures").glob("*.png")))
    assert 'data-images="ok"' in dom, re.search(r"<body[^>]*>", dom)
    assert f'data-images-loaded="{n}/{n}"' in dom
