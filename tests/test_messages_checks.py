"""The catalogue of why an audit check fails, the ledger commands' lines, ``quota generate``'s last line and the
no-CJK-font warning (issue 21: quota.messages.checks, .checks_more, .ledger, .other).

Every message renders in both languages with the same fields and no zh text holds an English word outside
tests/test_zh_throughout.py's ALLOWED terms; every key the audit's code names is in the catalogue and every key
there is used; a forged run audited with ``--lang zh`` explains each failure in Chinese, and with ``--lang en`` in the
English the audit has always printed; the ledger commands and ``quota generate`` speak the language asked for.
"""
from __future__ import annotations

import re
import string
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from forger import reseal, save, table
from ledger_helpers import APPROVALS_2023, make_run, write
from test_zh_throughout import data_words, english

from quota.commands.cli import cli
from quota.messages import MESSAGES, message
from quota.messages.checks import CHECKS
from quota.messages.checks_more import CHECKS_MORE, KEY_WORDS, KEY_ZH
from quota.messages.ledger import LEDGER
from quota.messages.other import OTHER

MINE = {**CHECKS, **CHECKS_MORE, **LEDGER, **OTHER}
# names a Chinese reader meets as they are: operating systems and fonts (the no-CJK-font warning), the environment
# variable that sets the language (the ledger commands' --lang help, as quota.messages.help_ledger words it)
SYSTEMS = {"Debian", "Ubuntu", "Fedora", "macOS", "Windows", "PingFang", "LANG"}
CHECK_CODE = Path(__file__).resolve().parents[1] / "quota" / "check"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MINE))
def test_every_message_renders_in_both_languages_and_the_zh_one_is_chinese(key):
    entry = MESSAGES[key]
    assert set(entry) == {"zh", "en"} and fields(entry["zh"]) == fields(entry["en"]), key
    values = {name: "7" for name in fields(entry["en"])}
    zh, en = message(key, "zh", **values), message(key, "en", **values)
    assert zh and en, key
    found = english(zh, SYSTEMS)
    assert not found, f"{key}: English words in the zh text: {dict(found)}"


def test_the_keys_the_audit_names_are_those_of_the_catalogue():
    code = "\n".join(p.read_text(encoding="utf-8") for p in CHECK_CODE.glob("*.py"))
    named = set(re.findall(r'"(check\.[a-z_]+)"', code))
    ours = set(CHECKS) | set(CHECKS_MORE)
    assert named - ours == set(), "keys the code names that the catalogue lacks"
    assert ours - named == set(), "keys of the catalogue no check uses"
    assert not english(" ".join([*KEY_ZH.values(), *KEY_WORDS.values()]))


def test_a_forged_run_audited_in_chinese_explains_every_failure_in_chinese(run):
    projects = table(run, "projects.csv")
    a = projects.index[projects["status"] == "approved"][0]
    r = projects.index[projects["status"] == "rejected"][0]
    projects.loc[[a, r], "status"] = projects.loc[[r, a], "status"].to_numpy()  # status, reason
    projects.loc[a, "w"] = f"{float(projects.loc[a, 'w']) + 1:.6f}"  # value w
    save(run, "projects.csv", projects)
    alloc = table(run, "allocations.csv")
    alloc.loc[alloc.index[0], "area"] = f"{float(alloc.loc[alloc.index[0], 'area']) + 500:.6f}"  # phase whole, quota, caps, use, objective
    save(run, "allocations.csv", alloc)
    counties = table(run, "counties.csv")
    counties.loc[counties.index[0], "disposal_rate"] = "0.99"  # linkage: a column recomputed otherwise
    save(run, "counties.csv", counties)
    reseal(run)

    zh = CliRunner().invoke(cli, ["audit", str(run), "--no-resolve", "--lang", "zh"])
    en = CliRunner().invoke(cli, ["audit", str(run), "--no-resolve", "--lang", "en"])
    failures = zh.output.split("处不符:", 1)[1]
    families = {line.split()[1] for line in failures.splitlines() if line.strip()}
    assert {"项目状态", "原因类别", "每公顷价值", "增存挂钩", "县级用地", "目标值", "分期整体且按期"} <= families, families
    assert "复算为" in failures and "对比" in failures  # the columns compared, the rules' two sides
    found = english(failures, data_words(run))
    assert not found, f"quota audit --lang zh: English words in the failures: {dict(found)}"
    assert "recomputed" in en.output and "file has" in en.output and " vs " in en.output  # English as it always was
    assert en.output.count("\n  FAIL ") == failures.count("\n  不符 ")


def test_the_ledger_commands_speak_the_language_asked_for(tmp_path):
    url, run = tmp_path / "ledger.db", make_run(tmp_path / "run")

    def quota(*args):
        r = CliRunner().invoke(cli, [str(x) for x in args], prog_name="quota")
        assert r.exit_code == 0, r.output
        return r.output

    said = [quota("ledger", "init", url, "--lang", "zh"),
            quota("ledger", "adopt", url, run, "--year", 2023, "--lang", "zh"),
            quota("ledger", "import", url, write(tmp_path / "approvals.csv", APPROVALS_2023), "--replace", "--lang", "zh"),
            quota("ledger", "lapse", url, "--year", 2025, "--lang", "zh"),
            quota("ledger", "export", url, "--out", tmp_path / "ledger.xlsx", "--lang", "zh")]
    text = "\n".join(said)
    for line in ("台账:", "(新建)", "已采纳:    运行 #1,2023 年:4 行批准记录,30.00 公顷(批次 1)",
                 "3 行批准记录,27.00 公顷(批次 2,4 行早先的记录标为已被取代)", "到期失效:  P1 第 1 期(甲县),2023-05-10 批准",
                 "已写入:"):
        assert line in text, (line, text)
    assert not english(text), dict(english(text))
    assert "(up to date)" in quota("ledger", "init", url, "--lang", "en")
    assert "lapsed:    0 approval(s)" in quota("ledger", "lapse", url, "--year", 2025, "--lang", "en")


@pytest.mark.parametrize("lang, line", [("zh", "已写入:    {out} — 3 个县,25 个项目,2023—2024 年(合成数据)"),
                                        ("en", "written:   {out} — 3 counties, 25 projects, years 2023–2024 (synthetic data)")])
def test_generate_says_what_it_wrote_in_the_scenarios_language(tmp_path, lang, line):
    out = tmp_path / "gen"
    r = CliRunner().invoke(cli, ["generate", "--out", str(out), "--counties", "3", "--projects", "25", "--years", "2",
                                 "--first-year", "2023", "--lang", lang])
    assert r.exit_code == 0, r.output
    assert line.format(out=out) in r.output


def test_the_no_cjk_font_warning_is_in_the_charts_language(monkeypatch):
    from quota.report import fonts

    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    for lang, words in (("zh", "本机没有中文字体"), ("en", "no CJK font found"), (None, "no CJK font found")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert fonts.setup_fonts(lang) is False
        assert [w.category for w in caught] == [fonts.NoCJKFont] and words in str(caught[0].message)
