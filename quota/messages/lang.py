"""Which language a command speaks: ``resolve(explicit, scenario)``.

The order, first found wins:

1. ``explicit``: the command's ``--lang``, when given on the command line;
2. ``scenario``: the scenario's ``lang`` (``scenario.yaml``), once the command has read one;
3. the environment: ``QUOTA_LANG``, then the locale variables ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (the order in
   which POSIX lets them override each other). The first one set and not empty decides: a value starting with
   ``zh`` (``zh``, ``zh_CN.UTF-8``, ``zh-Hans``) gives Chinese, anything else set gives English;
4. nothing set: English, since a machine without a locale is most often a server or a CI runner.

``--help`` and click's own usage errors follow the same order (without a scenario: they come before any is read).
"""
from __future__ import annotations

import os

LANGS = ("zh", "en")
ENVIRONMENT = ("QUOTA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


def resolve(explicit: str | None = None, scenario: str | None = None) -> str:
    """``zh`` or ``en``: the explicit ``--lang``, else the scenario's ``lang``, else the environment, else ``en``."""
    for chosen in (explicit, scenario):
        if chosen in LANGS:
            return chosen
    return environment_lang()


def environment_lang(environ: dict[str, str] | None = None) -> str:
    """The language the environment asks for (``QUOTA_LANG``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); ``en`` when none is set."""
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = environ.get(name, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
