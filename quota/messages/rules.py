"""The rule sets' words outside the report (quota.input.rulesets, quota.commands.rules): a source given in English
only, as a scenario-local rule set may give it (the shipped sets give ``source_zh`` beside every ``source``).
"""
from __future__ import annotations

RULES: dict[str, dict[str, str]] = {
    "rules.source_en_only": {"zh": "{source}(规则集未给出中文出处,照录原文)", "en": "{source}"},
}
