"""``quota rules``: list the shipped rule sets, or show one set's every key with its value, source and confirmation.

The sets are data (``quota/input/rulesets/*.yaml``, read by ``quota.input.rulesets``); this module only formats them,
in Chinese or English. Registered on the ``quota`` group by ``quota.commands.cli``.
"""
from __future__ import annotations

import click

from ..input.rule_options import AREA_KEYS
from ..input.rulesets import RuleSet, read_rule_set, rule_set_names
from ..messages.lang import resolve
from .bilingual import Command
from .exits import handle_errors

WORDS = {
    "zh": {"sets": "规则集(quota rules 名称 显示每一项):", "extends": "继承", "key": "规则项", "value": "取值",
           "confirmed": "核实", "source": "来源", "from": "定义于", "yes": "是", "no": "否", "reported": "据报道",
           "none": "—", "ha": "公顷", "mu": "亩", "usage": "在 scenario.yaml 中写 `rules: {name}` 使用;情景自己的键逐项覆盖规则集。"},
    "en": {"sets": "rule sets (quota rules NAME shows every key):", "extends": "extends", "key": "key", "value": "value",
           "confirmed": "confirmed", "source": "source", "from": "set by", "yes": "yes", "no": "no", "reported": "reported",
           "none": "—", "ha": "ha", "mu": "mu", "usage": "Use it with `rules: {name}` in scenario.yaml; the scenario's own keys override the set's, key by key."},
}


def format_rule_sets(lang: str = "zh") -> str:
    """One line per shipped rule set: its name, title and the set it extends."""
    w = WORDS[lang]
    lines = [w["sets"]]
    for name in rule_set_names():
        rs = read_rule_set(name)
        extends = f" ({w['extends']} {rs.extends})" if rs.extends else ""
        lines.append(f"  {name:<15} {rs.title.get(lang, '')}{extends}")
    return "\n".join(lines)


def format_rule_set(rs: RuleSet, lang: str = "zh") -> str:
    """Every key of ``rs``: value, confirmation, source, the set that gives it, and the note in ``lang``."""
    w = WORDS[lang]
    lines = [f"{rs.name}: {rs.title.get(lang, '')}", rs.description.get(lang, "")]
    if rs.extends:
        lines.append(f"{w['extends']} {rs.extends}")
    lines.append("")
    for e in rs.entries:
        lines.append(f"{e.key}: {format_value(e.key, e.value, w)}   [{w['confirmed']}: {w[e.confirmed]}; {w['from']} {e.origin}]")
        lines.append(f"    {e.zh if lang == 'zh' else e.en}")
        lines.append(f"    {w['source']}: {e.source_in(lang)}")
    lines += ["", w["usage"].format(name=rs.name)]
    return "\n".join(lines)


def format_value(key: str, value, w: dict) -> str:
    if value is None:
        return w["none"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{y}: {a:g} {w['ha']}" for y, a in value.items()) + "}"
    if key in AREA_KEYS and isinstance(value, (int, float)):
        return f"{value:g} {w['ha']} ({value * 15:g} {w['mu']})" if value else "0"
    return f"{value:g}" if isinstance(value, float) else str(value)


@click.command(name="rules", cls=Command)
@click.argument("name", required=False)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def rules(name, lang):
    lang = resolve(lang)  # the environment's language without --lang (quota.messages.lang)
    click.echo(format_rule_sets(lang) if name is None else format_rule_set(read_rule_set(name, "quota rules"), lang))
