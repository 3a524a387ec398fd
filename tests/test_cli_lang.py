"""The command line in the caller's language (issue 21): ``--help``, click's usage errors and the error handler.

- ``quota.messages.lang.resolve``: --lang, else the scenario's lang, else QUOTA_LANG, LC_ALL, LC_MESSAGES, LANG, else en;
- every visible option of every command has its help in both languages, and every help text of the catalogue
  belongs to a command or option that exists;
- ``--help`` in zh has no English word but code (option names, metavars, choice values, the example command lines,
  yaml keys and file names) and the terms of ``tests/test_zh_throughout.py``'s ALLOWED; in en it is the same text
  as before (``tests/test_docs.py`` checks docs/cli.md, the generated English help);
- a usage error in zh reads ``用法:`` ... ``错误:`` with the message translated, in en stays click's own;
- the error handler renders a ``QuotaError`` by ``render(lang)`` in the command's language.
"""
from __future__ import annotations

import re
import string

import click
import pytest
from click.testing import CliRunner

from quota.commands import docs_cli
from quota.commands.bilingual import command_path, help_text
from quota.commands.cli import cli
from quota.commands.exits import handle_errors
from quota.commands.wrap import NO_START, width
from quota.errors import QuotaError
from quota.messages import MESSAGES, message
from quota.messages.cli import CLI
from quota.messages.help_check import HELP_CHECK
from quota.messages.help_generate import HELP_GENERATE
from quota.messages.help_ledger import HELP_LEDGER
from quota.messages.help_run import HELP_RUN
from quota.messages.lang import environment_lang, resolve
from test_zh_throughout import _names, english

OWN = {**CLI, **HELP_RUN, **HELP_CHECK, **HELP_GENERATE, **HELP_LEDGER}
# Names a Chinese reader meets as they are in help texts: tools, formats and the solver names as typed after --solver.
TOOLS = {"Dask", "SQLite", "PostgreSQL", "CSV", "GeoJSON", "UTF", "GBK", "yaml", "highs", "cbc"}
CODE = [r"\bquota(?: [a-z][\w-]*)*", r"--?[\w-]+", r"\w+://\S+", r"\S*<[^>]+>\S*", r"\w+\[\w+\]", r"\b[A-Z][A-Z_]*\b", r"\[[\w|.-]+\]"]


def _code_words(cmd: click.Command) -> set[str]:
    """The words of a command that are code: its choice values, and its subcommands' names."""
    words = {str(c) for p in cmd.params if isinstance(p.type, click.Choice) for c in p.type.choices}
    if isinstance(cmd, click.Group):
        words |= set(cmd.commands)
    return words | {w for c in words for w in re.findall(r"[A-Za-z]+", c)}


def zh_english(text: str, code: set[str] = frozenset()) -> dict:
    """English words in a Chinese help or message, the example command lines (their comments aside) and code left out."""
    lines = []
    for line in text.splitlines():
        if re.match(r"\s*quota\b", line):
            line = line.partition("#")[2]
        lines.append(line)
    text = "\n".join(lines)
    for pattern in CODE:
        text = re.sub(pattern, " ", text)
    return dict(english(text, TOOLS | _names() | set(code)))


# ------------------------------------------------------------ the choice ----

@pytest.mark.parametrize("environ, lang", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh-Hans"}, "zh"),
    ({"QUOTA_LANG": "zh", "LC_ALL": "en_US.UTF-8"}, "zh"),
    ({"QUOTA_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
])
def test_the_environment_chooses_the_language(environ, lang):
    assert environment_lang(environ) == lang


def test_explicit_then_scenario_then_environment(monkeypatch):
    monkeypatch.setenv("QUOTA_LANG", "zh")
    assert resolve() == "zh" and resolve(None, "en") == "en" and resolve("zh", "en") == "zh" and resolve("en") == "en"
    monkeypatch.delenv("QUOTA_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert resolve() == "en" and resolve(None, "zh") == "zh" and resolve("xx", None) == "en"


# ------------------------------------------------------------ help texts ----

def test_every_option_of_every_command_has_help_in_both_languages():
    missing, used = [], set()
    for path, cmd, ctx in docs_cli.commands():
        key = command_path(ctx)
        used.add(f"help.{key}")
        if help_text(key, "zh") is None:
            missing.append(f"help.{key}")
        for p in cmd.params:
            if isinstance(p, click.Argument) or p.hidden:
                continue
            found = [k for k in (f"help.{key}.{p.name}", f"help.option.{p.name}") if k in MESSAGES]
            used.update(found[:1])
            if not found:
                missing.append(f"help.{key}.{p.name} ({'/'.join(p.opts)})")
    assert not missing, f"options without help in the catalogue (quota/messages/help_*.py): {missing}"
    orphans = sorted(k for k in MESSAGES if k.startswith("help.") and k not in used)
    assert not orphans, f"help texts of no command or option: {orphans}"


@pytest.mark.parametrize("path", [p for p, _, _ in docs_cli.commands()], ids=lambda p: " ".join(p) or "quota")
def test_help_in_chinese_has_no_english(path):
    out = CliRunner().invoke(cli, prog_name="quota", args=[*path, "--help"], env={"QUOTA_LANG": "zh"}, terminal_width=100)
    assert out.exit_code == 0, out.output
    assert out.output.startswith("用法: quota") and "选项:" in out.output and "显示本帮助并退出。" in out.output
    cmd = cli
    for name in path:
        cmd = cmd.commands[name]
    found = zh_english(out.output, _code_words(cmd))
    assert not found, f"quota {' '.join(path)} --help: English words: {found}"


@pytest.mark.parametrize("path", [p for p, _, _ in docs_cli.commands()], ids=lambda p: " ".join(p) or "quota")
def test_chinese_help_fits_the_terminal_and_breaks_lines_as_chinese_does(path):
    out = CliRunner().invoke(cli, prog_name="quota", args=[*path, "--help"], env={"QUOTA_LANG": "zh"}, terminal_width=80)
    for line in out.output.splitlines():
        body = line.strip()
        if re.fullmatch(r"[!-~]+", body):  # a single word (no Chinese, no space) longer than a line overflows, as in click
            continue
        assert width(line) <= 80 or line.lstrip().startswith("quota "), line
        assert not body or body[0] not in NO_START or body.startswith("[") or body.startswith("("), line


def test_lang_on_the_command_line_chooses_the_help_language_in_any_order():
    runner = CliRunner()
    for args in (["run", "--lang", "zh", "--help"], ["run", "--help", "--lang", "zh"], ["rules", "--lang=zh", "-h"]):
        assert runner.invoke(cli, prog_name="quota", args=args, env={"QUOTA_LANG": "en"}).output.startswith("用法:"), args
    assert runner.invoke(cli, prog_name="quota", args=["run", "--lang", "en", "--help"], env={"QUOTA_LANG": "zh"}).output.startswith("Usage:")
    assert runner.invoke(cli, prog_name="quota", args=["--help"], env={"QUOTA_LANG": "", "LC_ALL": "zh_CN.UTF-8"}).output.startswith("用法:")
    assert runner.invoke(cli, prog_name="quota", args=["--version"], env={"QUOTA_LANG": "zh"}).output.startswith("quota,版本 ")


def test_english_help_is_clicks_own():
    out = CliRunner().invoke(cli, prog_name="quota", args=["run", "--help"], terminal_width=100)
    assert out.output.startswith("Usage: quota run [OPTIONS] [SCENARIO]\n\n  Solve a scenario and write a run folder.")
    assert "  --gap FLOAT  " in out.output and "Relative MIP gap at which the solver may stop.  [default: 0.0001]" in out.output
    assert "Show this message and exit." in out.output


def test_every_message_of_the_catalogue_renders_in_both_languages():
    for key, texts in OWN.items():
        assert set(texts) == {"zh", "en"}, key
        fields = {f for _, f, _, _ in string.Formatter().parse(texts["en"]) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(texts["zh"]) if f}, key
        zh = message(key, "zh", **dict.fromkeys(fields, "1"))
        assert re.search(r"[\u4e00-\u9fff]", zh), key
        found = zh_english(zh, set().union(*(_code_words(cmd) for _, cmd, _ in docs_cli.commands())))
        assert not found, f"{key}: English words in the zh text: {found}"


# ----------------------------------------------------------- usage errors ----

@pytest.mark.parametrize("args, said", [
    (["run", "--bogus"], "没有选项 '--bogus'。"),
    (["generate"], "缺少选项 '--out'。"),
    (["run", "--counterfactuals", "maybe"], "'--counterfactuals' 的取值无效:'maybe' 不是可选的值"),
    (["run", "--gap", "abc"], "'--gap' 的取值无效:'abc' 不是一个数。"),
    (["run", "--gap", "2"], "'--gap' 的取值无效:2.0 不是 0 到 1 之间的相对间隙。"),
    (["run", "--time-limit", "0"], "不是大于 0 的秒数"),
    (["run", "--as-of", "1800"], "1800 不在范围 1949<=x<=2100 之内。"),
    (["ledger", "adopt", "x.db"], "缺少参数 'RUN_DIR'。"),
    (["ledger", "adopt", "x.db", "run", "--year", "2024", "--date", "5/1"], "不符合日期格式"),
    (["rnu"], "没有命令 'rnu'。"),  # click >= 8.4 adds: 是不是要用 'run'?
    (["validate", "a", "b"], "多余的参数:b。"),
    (["run", "--as-of", "2024"], "--as-of 须同时给出 --ledger"),
    (["generate", "--out", "x", "--stock-range", "5", "1"], "须满足 0 < MIN <= MAX。"),
])
def test_usage_error_in_chinese(args, said, tmp_path):
    out = CliRunner().invoke(cli, prog_name="quota", args=args, env={"QUOTA_LANG": "zh"})
    assert out.exit_code == 2, out.output
    assert said in out.output and "错误:" in out.output and "Error" not in out.output and "Traceback" not in out.output
    assert "用法: quota" in out.output or args == ["run", "--as-of", "2024"]
    found = zh_english(out.output, {"maybe", "abc", "rnu", "run", "auto", "on", "off", "full", "x", "db"})
    assert not found, f"{args}: English words: {found}"


def test_usage_error_in_english_is_clicks_own():
    out = CliRunner().invoke(cli, prog_name="quota", args=["run", "--counterfactuals", "maybe"])
    assert out.exit_code == 2
    assert "Usage: quota run [OPTIONS] [SCENARIO]" in out.output
    assert "Error: Invalid value for '--counterfactuals': 'maybe' is not one of 'auto', 'on', 'off', 'full'." in out.output
    out = CliRunner().invoke(cli, prog_name="quota", args=["run", "--lang", "en", "--bogus"], env={"QUOTA_LANG": "zh"})
    assert "Error: No such option" in out.output


# ---------------------------------------------------------- error handler ----

class _Rendered(QuotaError):
    def render(self, lang: str) -> str:
        return {"zh": "场景中有 1 个问题", "en": "1 problem in the scenario"}[lang]


def _failing(error: Exception) -> click.Command:
    @click.command()
    @click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
    @handle_errors
    def fails(lang):
        raise error
    return fails


@pytest.mark.parametrize("error, lang, said", [
    (_Rendered("1 problem in the scenario"), "zh", "错误:场景中有 1 个问题"),
    (_Rendered("1 problem in the scenario"), "en", "Error: 1 problem in the scenario"),
    (QuotaError("plain"), "zh", "错误:plain"),
    (FileNotFoundError(2, "No such file or directory", "x.csv"), "zh", "请检查路径、它的权限和磁盘剩余空间。"),
    (FileNotFoundError(2, "No such file or directory", "x.csv"), "en", "Check the path, its permissions and the free disk space."),
    (ZeroDivisionError("division by zero"), "zh", "内部错误(ZeroDivisionError: division by zero)。这是 quota 的程序错误"),
    (KeyboardInterrupt(), "zh", "已中断:在完成之前停止"),
])
def test_the_error_handler_speaks_the_commands_language(error, lang, said, monkeypatch):
    monkeypatch.delenv("QUOTA_DEBUG", raising=False)
    out = CliRunner().invoke(_failing(error), ["--lang", lang])
    assert out.exit_code == (130 if isinstance(error, KeyboardInterrupt) else 1)
    assert said in out.output and "Traceback" not in out.output


def test_errors_follow_the_scenarios_language(tiny, tmp_path):
    """A scenario with ``lang: zh`` has its errors in Chinese whatever the environment, and one in English in English."""
    import shutil

    folder = shutil.copytree(tiny, tmp_path / "s")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8").replace("years: [2023, 2024, 2025]", "years: [2023, x]")
    for lang, env, head in (("zh", "en", "错误:"), ("en", "zh", "Error: ")):
        (folder / "scenario.yaml").write_text(text.replace("lang: en", f"lang: {lang}"), encoding="utf-8")
        out = CliRunner().invoke(cli, prog_name="quota", args=["validate", str(folder)], env={"QUOTA_LANG": env})
        assert out.exit_code == 1 and out.output.startswith(head), out.output
    out = CliRunner().invoke(cli, prog_name="quota", args=["validate", str(tmp_path / "none")], env={"QUOTA_LANG": "zh"})
    assert out.output.startswith("错误:")  # no scenario to read: the environment's
