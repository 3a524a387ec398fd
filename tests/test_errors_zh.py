"""Every input problem and error message in zh and en (issue 21, errors): the catalogue's ``errors_*`` modules.

- every entry renders in both languages with dummy fields, and its zh text holds no English word outside the allowed
  terms (``tests/test_zh_throughout.py``'s ``ALLOWED``, and ``ALLOWED_ERRORS`` below, each with its reason);
- every catalogue key the code names exists, so no error fails while it is being raised;
- a scenario with several problems lists them in Chinese (file, row and column framed in Chinese, the fix after
  修改方法), while ``str()`` stays the English it always was;
- ``quota validate`` speaks the scenario's language.
"""
from __future__ import annotations

import csv
import re
import shutil
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from quota.commands.cli import cli
from quota.errors import InfeasibleError, Issue, QuotaError, ScenarioError
from quota.input.scenario import CATEGORIES
from quota.input.validate import load
from quota.messages import MESSAGES
from quota.messages.errors_all import ERRORS

from test_zh_throughout import english

ROOT = Path(__file__).resolve().parents[1]

# Words an error may show as they are, beside test_zh_throughout.ALLOWED: the names of file formats, encodings,
# libraries and tools the user meets in those names (a CSV file, GBK, QGIS's menus are named in Chinese), and the tool.
ALLOWED_ERRORS = {
    "CSV", "UTF", "GBK", "GB18030", "BOM", "YAML", "JSON", "TRIM",  # file formats, encodings, Excel's TRIM()
    "GeoJSON", "GeoPackage", "Shapefile", "PROJ", "CGCS2000",  # GIS formats, the projection library, China's datum
    "SHA", "SQLite", "PostgreSQL", "URL", "Dask", "FIFO",  # a checksum, databases, a cluster library, a file kind
    "quota",  # the program, by its name ("quota 的缺陷")
    "yaml", "MB", "Unicode",  # the file type as scenarios name it (yaml 文件), a file's size, Excel's "Unicode 文本"
}


class Dummy:
    """A field value for any template: formats as ``1`` under any format spec, ``!r`` included."""

    def __format__(self, spec):
        return "1"

    def __repr__(self):
        return "1"


def fields(template: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


def test_the_error_modules_are_gathered_into_the_catalogue():
    from quota.messages import errors_all

    modules = [m for m in (ROOT / "quota" / "messages").glob("errors_*.py") if m.stem != "errors_all"]
    assert len(errors_all.PARTS) == len(modules)  # a new errors_* module is gathered too
    assert ERRORS and all(MESSAGES[k] == v for k, v in ERRORS.items())


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_every_error_renders_in_both_languages_and_its_chinese_is_chinese(key):
    entry = ERRORS[key]
    assert set(entry) == {"zh", "en"}
    dummy = {f: Dummy() for f in fields(entry["zh"]) | fields(entry["en"])}
    zh, en = entry["zh"].format(**dummy), entry["en"].format(**dummy)
    assert zh.strip() and en.strip()
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the zh text has no Chinese: {zh}"
    assert not english(zh, ALLOWED_ERRORS), f"{key}: English in the zh text: {zh}"


def _keys_in_code() -> set[str]:
    """Every literal catalogue key the code passes to Issue.of, QuotaError.of, Config.err, both, message, fix=."""
    found = set()
    for path in (ROOT / "quota").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'(?:\.of\(|both\(|message\(|fix=|\.err\([^,]+,\s*)\s*"([\w-]+\.[\w.-]+)"', text))
    return found


def test_every_key_the_code_names_is_in_the_catalogue():
    missing = sorted(k for k in _keys_in_code() if k not in MESSAGES and not k.endswith((".", "_")))  # not a prefix
    assert not missing, f"keys the code raises but the catalogue lacks: {missing}"


def test_an_issue_of_the_catalogue_keeps_its_english_fields_and_adds_chinese():
    i = Issue.of("checks.unknown-ref", "projects.csv", "P3", "county_id", value="'ZZZ'", table="counties")
    assert (i.code, i.file, i.row, i.column, i.severity) == ("unknown-ref", "projects.csv", "P3", "county_id", "error")
    assert str(i) == ("[unknown-ref] projects.csv, row P3, column county_id: 'ZZZ' is not in the counties table; the row "
                      "would be lost in a join. Fix: add 'ZZZ' to counties, or correct the id.")
    assert i.render("en") == str(i)
    assert i.render("zh").startswith("[unknown-ref] 文件 projects.csv,第 P3 行,列 county_id:'ZZZ' 不在 `counties` 表中")
    assert "修改方法:" in i.render("zh")


@pytest.mark.parametrize("row, file, framed", [
    ("line 7", "projects.csv", "第 7 行"), ("P003 (sheet row 4)", "s.xlsx[projects]", "P003(工作表第 4 行)"),
    ("feature 3 (project_id P019)", "sites.geojson", "第 3 个要素(project_id P019)"),
    ("P096 phase 1, line 3", "approvals.csv", "P096 第 1 期(第 3 行)"), ("quota.2024", "scenario.yaml", "键 quota.2024")])
def test_rows_are_framed_in_chinese(row, file, framed):
    assert framed in Issue.of("checks.dependency-self", file, row, "", p="P1").render("zh")


def test_an_error_renders_in_either_language_and_str_stays_english():
    e = QuotaError.of("error.out.exists", out="runs/a")
    assert str(e) == e.render("en") == "the output folder runs/a already exists; choose another --out, or pass --force to replace it."
    assert e.render("zh").startswith("输出文件夹 runs/a 已存在")
    assert QuotaError("plain text").render("zh") == "plain text"  # not from the catalogue: the text as given


@pytest.fixture
def broken(tmp_path):
    """The tiny fixture in Chinese with four problems: a key out of range, a category, a unit in a number and an
    unknown county."""
    folder = tmp_path / "bad"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", folder)
    yaml = folder / "scenario.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("lang: en", "lang: zh") + "delay_discount: 2\n", encoding="utf-8")
    rows = list(csv.reader((folder / "projects.csv").open(encoding="utf-8")))
    h = rows[0]
    rows[1][h.index("area")], rows[2][h.index("category")], rows[3][h.index("county_id")] = "12 公顷", "工厂", "ZZZ"
    with (folder / "projects.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder


def test_a_scenario_with_several_problems_lists_them_in_chinese(broken):
    with pytest.raises(ScenarioError) as info:
        load(broken)
    e = info.value
    assert e.lang == "zh" and len(e.issues) == 4
    zh = e.render()  # the scenario's language
    assert zh == e.render("zh") and zh.splitlines()[0] == "情景中有 4 个问题:"
    for where in ("文件 scenario.yaml,键 delay_discount:", "文件 projects.csv,第 P2 行,列 category:",
                  "文件 projects.csv,第 P1 行,列 area:", "文件 projects.csv,第 P3 行,列 county_id:"):
        assert where in zh, zh
    assert zh.count("修改方法:") == 4
    # what may stay: the problems' codes (ids of the kind of problem), the columns' names (the file's own header), the
    # category codes the fix names beside their Chinese names, and the data (ZZZ)
    data = {i.code for i in e.issues} | {i.column for i in e.issues} | set(CATEGORIES) | {"ZZZ"}
    assert not english(zh, ALLOWED_ERRORS | data), zh
    assert str(e).splitlines()[0] == "4 problems in the scenario:" and "Fix: " in str(e)
    assert e.render("en") == str(e)


def test_quota_validate_speaks_the_scenario_language(broken):
    ok = CliRunner().invoke(cli, ["validate", str(ROOT / "scenarios" / "shijiazhuang")])
    assert ok.exit_code == 0, ok.output
    assert "有效:" in ok.output and "提示:[" in ok.output and "warning:" not in ok.output
    en = CliRunner().invoke(cli, ["validate", str(ROOT / "tests" / "fixtures" / "tiny")])
    assert en.exit_code == 0 and "valid: tiny test scenario" in en.output


def test_an_infeasible_model_is_diagnosed_in_either_language():
    s = load(ROOT / "scenarios" / "infeasible-example")
    from quota.pipeline import solve_scenario

    with pytest.raises(InfeasibleError) as info:
        solve_scenario(s, lang="en")
    e = info.value
    assert str(e) == e.render("en") and "city quota" in str(e) and e.lang == "en"
    assert "市级指标" in e.render("zh") and "缺口" in e.render("zh")


# the calls that make an issue or an error from a literal key: (function name, position of the key, key prefix,
# fields the helper fills in itself)
CALLS = {"of": (0, "", set()), "err": (1, "", {"key", "name"}), "both": (0, "", set()), "message": (0, "", set())}
HELPERS = {"quota/input/cells.py": {"bad": (0, "input.", {"col", "text"})},
           "quota/input/idle_checks.py": {"bad": (1, "idle.idle-fact.", {"col"})},
           "quota/replan_checks.py": {"_issue": (3, "replan.fact-contradiction.", set())},
           "quota/model/past_cells.py": {"_issue": (2, "replan.fact-contradiction.", set())},
           "quota/replan.py": {"_note": (2, "", set())}}


def _calls():
    """Every call of the code that names a catalogue key literally and passes its fields by name (no ``**``)."""
    import ast

    for path in sorted((ROOT / "quota").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        known = {**CALLS, **HELPERS.get(rel, {})}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name not in known or any(k.arg is None for k in node.keywords):
                continue
            at, prefix, own = known[name]
            if len(node.args) <= at or not isinstance(node.args[at], ast.Constant) or not isinstance(node.args[at].value, str):
                continue
            key = prefix + node.args[at].value
            given = {k.arg for k in node.keywords} | own
            fix = next((k.value.value for k in node.keywords if k.arg == "fix" and isinstance(k.value, ast.Constant)), None)
            yield f"{rel}:{node.lineno}", key, given, (prefix + fix if fix and name == "bad" else fix)


def test_every_call_gives_the_fields_its_message_needs():
    """A message whose field is not given would fail while the error is being raised: every literal call checked."""
    wrong = []
    for where, key, given, fix in _calls():
        for k in (key, fix or key + ".hint"):
            if k in MESSAGES:
                need = fields(MESSAGES[k]["zh"]) | fields(MESSAGES[k]["en"])
                if need - given:
                    wrong.append(f"{where} {k}: {sorted(need - given)} not given")
    assert not wrong, "\n".join(wrong)
