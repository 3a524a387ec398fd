"""The catalogue of what the commands print (issue 21, outputs): quota.messages.console, .sweep, .audit and .rules.

Every message renders in both languages with the same fields, and no zh text holds an English word outside
tests/test_zh_throughout.py's ALLOWED terms; the English screen lines are those tests and docs read; the audit's
table names every family in Chinese; numbers in reasons never read ``-0.0``.
"""
from __future__ import annotations

import string

import pandas as pd
import pytest
from test_zh_throughout import english

from quota.check.audit import FAMILIES, format_audit
from quota.messages import MESSAGES, message
from quota.messages.audit import AUDIT, FAMILY_ZH
from quota.messages.console import CONSOLE
from quota.messages.rules import RULES
from quota.messages.sweep import SWEEP
from quota.report.numbers import fill
from quota.report.summary import format_summary

MINE = {**CONSOLE, **SWEEP, **AUDIT, **RULES}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MINE))
def test_every_message_renders_in_both_languages_and_the_zh_one_is_chinese(key):
    entry = MESSAGES[key]
    assert set(entry) == {"zh", "en"} and fields(entry["zh"]) <= fields(entry["en"]), key  # en may add a plural's "es"
    values = {name: "7" for name in fields(entry["en"])}
    zh, en = message(key, "zh", **values), message(key, "en", **values)
    assert zh and en
    found = english(zh)
    assert not found, f"{key}: English words in the zh text: {dict(found)}"


def test_every_audit_family_has_a_chinese_name():
    assert set(FAMILIES) <= set(FAMILY_ZH)
    found = english(" ".join(FAMILY_ZH.values()))
    assert not found, dict(found)


SUMMARY = {"scenario": "甲市 2023—2025", "status": "feasible", "message": "not proven optimal: stopped at the time limit",
           "message_zh": "未证明最优:达到时间上限后停止", "objective": 1234.5678, "bound": 1300.0, "gap": 0.053, "solver": "HiGHS",
           "proven_optimal": False, "unit": "ha", "lang": "zh",
           "years": [{"year": 2023, "quota": 1000.0, "charged": 990.0, "new_used": 950.0, "advance_repaid": 40.0,
                      "advance_drawn": 12.5, "stock_used": -0.0001, "utilisation": 0.99}],
           "projects": {"approved": 3, "rejected": 1, "higher_level": 1}, "verification": {"checks": 1270, "violations": 0}}


def test_the_console_summary_in_english_reads_as_tests_and_docs_expect():
    text = format_summary(SUMMARY, "runs/x", "en").splitlines()
    assert text == [
        "scenario:  甲市 2023—2025",
        "status:    feasible — not proven optimal: stopped at the time limit",
        "objective: 1,234.568   bound: 1,300.000   gap: 5.30e-02   solver: HiGHS",
        "WARNING:   not proven optimal",
        "2023: quota 1,000.00 ha, used 990.00 (new 950.00, advance repaid 40.00), advance drawn 12.50, stock 0.00, utilisation 99.0%",
        "projects:  approved 3, rejected 1, higher_level 1",
        "verified:  1270 checks, 0 violations",
        "written:   runs/x"]


def test_the_console_summary_of_a_zh_run_is_chinese():
    text = format_summary(SUMMARY, "runs/x")  # the run's own language
    assert "求解状态:  可行解(未证明最优) — 未证明最优:达到时间上限后停止" in text and "警告:      未证明最优" in text
    assert "按期获批 3 个、未获批 1 个、上级重点项目 1 个" in text and "计划指标 1,000.00 公顷" in text
    assert "已写入:    runs/x" in text and "-0.00" not in text
    assert not english(text, {"runs"}), dict(english(text, {"runs"}))


def test_the_audit_table_in_both_languages():
    checks = pd.DataFrame([("hash:input", "a.csv", True, ""), ("city quota", "2023", False, "new + advance repaid vs quota: 9 > 8"),
                           ("city quota", "2024", True, "")], columns=["family", "key", "ok", "message"])
    checks.attrs["notes"], checks.attrs["notes_zh"] = ["re-solve: not done (--no-resolve)"], ["重新求解:未进行(--no-resolve)"]
    en = format_audit(checks, "en").splitlines()
    assert en[:3] == ["      check                   items failed", "pass  hash:input                  1      0",
                      "FAIL  city quota                  2      1"]
    assert "re-solve: not done (--no-resolve)" in en and "1 discrepancy:" in en
    assert "  FAIL city quota 2023: new + advance repaid vs quota: 9 > 8" in en
    zh = format_audit(checks, "zh").splitlines()
    assert zh[1].startswith("通过  输入文件哈希") and zh[2].startswith("不符  市级指标") and zh[2].endswith("     2      1")
    assert "重新求解:未进行(--no-resolve)" in zh and "1 处不符:" in zh and "  不符 市级指标 2023: new + advance repaid vs quota: 9 > 8" in zh
    passed = checks.assign(ok=True)
    assert format_audit(passed, "zh").endswith("审计通过:3 项检查,0 处不符")
    assert format_audit(passed, "en").endswith("audit passed: 3 checks, 0 discrepancies")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_numbers_in_reasons_are_grouped_and_never_minus_zero(lang):
    assert fill("{w:.3f} {a:.2f} {g:g} {y}", lang, w=-0.0001, a=12345.678, g=1.0, y=2024) == "0.000 12,345.68 1 2024"


def test_ledger_status_names_each_county_with_its_id_beside():
    from quota.commands.ledger import format_status
    from quota.ledger.status import FIGURES, Status

    years = pd.DataFrame([{"year": 2023, "plan_run": 1, "plan_from": "adopted", "quota_issued": None, **dict.fromkeys(FIGURES, 0.0)}])
    counties = pd.DataFrame([{"year": 2023, "county_id": cid, **dict.fromkeys(FIGURES, -0.0001)} for cid in ("jia", "乙县")])
    lapsing = pd.DataFrame(columns=["project_id", "plan", "phase", "year", "county_id", "area", "unsupplied", "approval_date",
                                    "lapse_date"])
    s = Status(years, counties, lapsing, {"jia": "甲县", "乙县": "乙县"})
    zh, en = format_status(s, 2025, "zh"), format_status(s, 2025, "en")
    assert "甲县(jia)" in zh and "甲县 (jia)" in en and "乙县(乙县)" not in zh  # a name that is its id: once
    assert "-0.00" not in zh and "0.00" in zh
