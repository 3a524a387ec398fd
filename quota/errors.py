"""The one exception family of quota, and the input ``Issue`` record.

``QuotaError`` is the root; the command line turns any of them into one clear
message and exit code 1, never a traceback. Every message comes in zh and en
from the catalogue (``quota.messages``, modules ``errors_*``): ``str()`` is the
English, ``render(lang)`` the chosen language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import MESSAGES  # the catalogue: data only, it imports nothing of quota


def _both(key: str, fields: dict) -> tuple[str, str]:
    entry = MESSAGES[key]
    return entry["zh"].format(**fields), entry["en"].format(**fields)


@dataclass(frozen=True)
class Issue:
    """One problem found in a scenario.

    ``file`` is the file (or sheet) the problem is in, ``row`` the row key
    (a project or county id, or a yaml key path), ``column`` the column or key.
    ``message`` says what is wrong and why it matters; ``hint`` how to fix it
    (English); ``message_zh`` and ``hint_zh`` say the same in Chinese.
    ``Issue.of(key, ...)`` makes one from the catalogue.
    """

    code: str
    file: str
    row: str
    column: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"
    message_zh: str = ""
    hint_zh: str = ""

    @classmethod
    def of(cls, key: str, file: str, row: str, column: str, severity: str = "error", /, *, fix: str | None = None,
           **fields) -> Issue:
        """The issue of catalogue entry ``key`` (``"<area>.<code>[.<variant>]"``), with ``fields`` filled in both
        languages. Its fix is the entry ``fix`` if given, else ``key + ".hint"`` when the catalogue has one. The
        code is the key's second part."""
        zh, en = _both(key, fields)
        fix = fix or key + ".hint"
        hint_zh, hint = _both(fix, fields) if fix in MESSAGES else ("", "")
        return cls(key.split(".")[1], file, row, column, en, hint, severity, zh, hint_zh)

    def where(self, lang: str = "en") -> str:
        """File, row and column, framed in ``lang``."""
        if lang != "zh":
            where = self.file
            if self.row:
                where += f", row {self.row}"
            if self.column:
                where += f", column {self.column}"
            return where
        ledger = self.file.startswith("ledger: ")  # a table of the ledger's facts, not a file
        option = self.file.startswith(("--set", "--grid"))  # the command line's option, not a file
        parts = [f"台账 {self.file[len('ledger: '):]} 表" if ledger else f"命令行 {self.file}" if option else f"文件 {self.file}"]
        if self.row:
            parts.append(row_zh(self.row, self.file))
        if self.column and self.column != self.row:
            parts.append(f"列 {self.column}" if not _is_yaml(self.file) else f"键 {self.column}")
        return ",".join(parts)

    def render(self, lang: str = "en") -> str:
        """The issue in ``lang``: where, what is wrong, how to fix it."""
        if lang != "zh" or not self.message_zh:
            return str(self)
        text = f"[{self.code}] {self.where('zh')}:{self.message_zh}"
        if self.hint_zh:
            text += f"修改方法:{self.hint_zh}"
        return text

    def __str__(self) -> str:
        text = f"[{self.code}] {self.where()}: {self.message}"
        if self.hint:
            text += f" Fix: {self.hint}"
        return text


def _is_yaml(file: str) -> bool:
    return file.endswith((".yaml", ".yml", "[scenario]")) or file.startswith(("--set", "--grid"))


_ROW_FORMS = [(re.compile(r"^line (\d+)$"), "第 {0} 行"),  # a line of a text file
              (re.compile(r"^row (\d+)$"), "第 {0} 行"),  # a sheet row, as Excel numbers it
              (re.compile(r"^(\S+) phase (\S+), sheet row (\d+)$"), "{0} 第 {1} 期(工作表第 {2} 行)"),  # a fact's row
              (re.compile(r"^(\S+) phase (\S+), line (\d+)$"), "{0} 第 {1} 期(第 {2} 行)"),
              (re.compile(r"^(.*), sheet row (\d+)$"), "{0}(工作表第 {1} 行)"),
              (re.compile(r"^(.*), line (\d+)$"), "{0}(第 {1} 行)"),
              (re.compile(r"^(.*) \(sheet row (\d+)\)$"), "{0}(工作表第 {1} 行)"),
              (re.compile(r"^sheet row (\d+)$"), "工作表第 {0} 行"),
              (re.compile(r"^feature (\d+) \((\w+) (.*)\)$"), "第 {0} 个要素({1} {2})"),  # a feature of a map layer
              (re.compile(r"^feature (\d+)$"), "第 {0} 个要素")]


def row_zh(row: str, file: str) -> str:
    """The row key ``row`` of an issue in ``file``, framed in Chinese: ``第 P003 行``, ``第 3 个要素``, ``键 quota.2024``."""
    for pattern, form in _ROW_FORMS:
        m = pattern.match(row)
        if m:
            return form.format(*m.groups())
    return f"键 {row}" if _is_yaml(file) else f"第 {row} 行"


class QuotaError(Exception):
    """Root of every error quota raises on purpose.

    ``QuotaError.of(key, *args, **fields)`` (on any subclass) makes the catalogue's message: English as
    ``str()``, Chinese through ``render("zh")``. An error made from plain text renders that text in both.
    ``lang`` is the language of the scenario the error is about, when it knows one (``render()`` without a
    language uses it): the command line's order is ``--lang``, then this, then the environment.
    """

    zh: str = ""
    en: str = ""
    lang: str | None = None

    @classmethod
    def of(cls, key: str, /, *args, **fields):
        zh, en = _both(key, fields)
        error = cls(en, *args)
        error.zh, error.en = zh, en
        return error

    def render(self, lang: str | None = None) -> str:
        """The message in ``lang`` (zh or en; default the scenario's language, else English)."""
        lang = lang or self.lang or "en"
        return (self.zh if lang == "zh" else self.en) or str(self)


def _listing(head: tuple[str, str], issues: list[Issue], lang: str) -> str:
    return "\n".join([head[0] if lang == "zh" else head[1]] + [f"  - {i.render(lang)}" for i in issues])


class ScenarioError(QuotaError):
    """The scenario has one or more problems; ``issues`` lists them all. ``lang`` is the scenario's language
    when it could be read (the command line shows the problems in it)."""

    head = "errors.scenario"

    def __init__(self, issues: list[Issue], lang: str | None = None):
        self.issues = list(issues)
        self.lang = lang if lang in ("zh", "en") else None
        super().__init__(_listing(self._head(), self.issues, "en"))

    def _head(self) -> tuple[str, str]:
        n = len(self.issues)
        return _both(self.head, {"n": n, "s": "s" if n != 1 else ""})

    def render(self, lang: str | None = None) -> str:
        """The head line and every issue in ``lang`` (default the scenario's language, else English)."""
        return _listing(self._head(), self.issues, lang or self.lang or "en")


class InfeasibleError(QuotaError):
    """The model has no feasible allocation; ``diagnosis`` says what must bend."""

    def __init__(self, message: str, diagnosis=None):
        self.diagnosis = diagnosis
        super().__init__(message)

    @classmethod
    def diagnosed(cls, table, format_diagnosis, lang: str) -> InfeasibleError:
        """The error of a diagnosed model: ``str()`` in the run's language ``lang`` (as the run's other output),
        ``render`` in either."""
        error = cls(format_diagnosis(table, lang), diagnosis=table)
        error.zh, error.en, error.lang = format_diagnosis(table, "zh"), format_diagnosis(table, "en"), lang
        return error


class SolverError(QuotaError):
    """The solver is missing, failed, or stopped without a usable solution."""
