"""Messages in both languages, by key: the one message catalogue (issue 21).

Each entry is ``{"zh": template, "en": template}``; ``message(key, lang, **fields)`` fills one in. The
entries live in one module per part of the tool (``solver``: the solver's verdict; further modules for
click's help, the errors, the console summary, the audit table, compare and sweep output), and are
gathered here into ``MESSAGES``; a key may be defined once only. The report's own words are in
``quota.report.labels``.
"""
from __future__ import annotations

from .cli import CLI
from .help_check import HELP_CHECK
from .help_generate import HELP_GENERATE
from .help_ledger import HELP_LEDGER
from .help_run import HELP_RUN
from .audit import AUDIT
from .checks import CHECKS
from .checks_more import CHECKS_MORE
from .console import CONSOLE
from .ledger import LEDGER
from .other import OTHER
from .rules import RULES
from .errors_all import ERRORS
from .solver import SOLVER
from .sweep import SWEEP

LANGS = ("zh", "en")


def _gather(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"message keys defined twice: {', '.join(sorted(twice))}")
        merged.update(part)
    return merged


MESSAGES: dict[str, dict[str, str]] = _gather(
    SOLVER,
    CLI,
    HELP_RUN,
    HELP_CHECK,
    HELP_GENERATE,
    HELP_LEDGER,
    CONSOLE,
    SWEEP,
    AUDIT,
    RULES,
    ERRORS,
    CHECKS,
    CHECKS_MORE,
    LEDGER,
    OTHER,
)


def message(key: str, lang: str, /, **fields) -> str:
    """The message ``key`` in ``lang`` (zh or en) with ``fields`` filled in."""
    return MESSAGES[key][lang if lang in LANGS else "en"].format(**fields)


def both(key: str, /, **fields) -> tuple[str, str]:
    """(zh, en) of the message ``key``."""
    return message(key, "zh", **fields), message(key, "en", **fields)
