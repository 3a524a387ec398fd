"""The report's sections under a rule set (RULES.md): disposal and earned quota, and the rule set with its sources.

``disposal_section`` shows the year columns of counties.csv (one row per county and year only under earned linkage or
restriction decided by year) with its chart; ``ruleset_section`` lists every rule key of the set the scenario names, with its value in this run (keys
the scenario overrode marked), its source and whether it is confirmed, and says plainly which values are not.
``add_rule_sections`` places them in the document; a run without a rule set gets neither, so its report is unchanged.
"""
from __future__ import annotations

import pandas as pd

from ..counties_table import year_part
from ..input.rule_options import AREA_KEYS, RULE_KEYS
from ..input.rulesets import read_rule_set
from . import labels as L
from .document import Section, Table, fmt, table

COUNTY_YEAR_COLUMNS = ["name", "county_id", "year", "base", "disposal_planned", "disposal_extra", "disposal_stock",
                       "disposal", "earned", "limit", "quota_used", "rate", "restricted_in_year"]


def add_rule_sections(sections: list[Section], result, tables: dict, lang: str, charts) -> list[Section]:
    """``sections`` with the disposal section after the counties and the rule-set section before the parameters."""
    figs = {c.name.removesuffix(".png"): c for c in charts}
    extra = {"counties": disposal_section(result.scenario, tables, lang, figs),
             "rules": ruleset_section(result.scenario, lang)}
    out = []
    for sec in sections:
        new = extra.get(sec.key)
        if new is not None and sec.key == "rules":
            out.append(new)
        out.append(sec)
        if new is not None and sec.key == "counties":
            out.append(new)
    return out


def disposal_section(s, tables: dict, lang: str, figs: dict) -> Section | None:
    """counties.csv's year columns per county and year, the chart of earned against used quota, and the rules behind
    them (None when counties.csv is one row per county)."""
    cy = year_part(tables["counties.csv"])
    if cy is None:
        return None
    T = L.TEXT[lang]
    rs = s.rules.restriction
    sec = Section("disposal", T["sec_disposal"])
    c = cy.sort_values(["county_id", "year"]).reset_index(drop=True)
    c["year"] = c["year"].astype(str)
    rate_head = T["rate_supply_head" if rs.trigger == "supply_rate" else "rate_disposal_head"].format(window=rs.window)
    klass = ["restricted" if r else "" for r in c["restricted_in_year"].astype(bool)] if "restricted_in_year" in c else None
    fig = figs.get("earned")
    if fig is not None:
        sec.blocks.append(("figure", fig.name, fig.caption))
    intro = T["disposal_intro" if "earned" in c else "disposal_intro_dynamic"] + (T["disposal_intro_rate"] if "rate" in c else "")
    sec.blocks.append(("p", intro))
    sec.blocks.append(("table", table(c[[k for k in COUNTY_YEAR_COLUMNS if k in c]], lang, s.unit, file="counties.csv",
                                      row_class=klass, headers={"rate": f"{rate_head} (%)" if lang == "en" else f"{rate_head}(%)"})))
    texts = []
    if s.rules.linkage.mode in ("earned", "both"):
        texts.append(T["disposal_rule"].format(ratio=fmt(s.rules.linkage.earn_ratio, None, lang),
                                               ratio_flag=_flag(s, "linkage.earn_ratio", lang)))
    if rs.dynamic:
        trigger = T["rate_supply" if rs.trigger == "supply_rate" else "rate_disposal"].format(window=rs.window)
        texts.append(T["dynamic_rule"].format(trigger=trigger, below=rs.below, below_flag=_flag(s, "restriction.below", lang)))
    sec.blocks.append(("rules", texts, []))
    return sec


def ruleset_section(s, lang: str) -> Section | None:
    """Every rule key of the named set: the value in this run, the set's value where the scenario overrode it, the
    source and the confirmation; a warning naming the unconfirmed values (RULES.md: the report says so)."""
    if not s.rules.name:
        return None
    T = L.TEXT[lang]
    rule_set = read_rule_set(s.rules.name)
    entries = {e.key: e for e in rule_set.entries}
    overridden = {k: set_value for k, set_value, _ in s.rules.overridden}
    rows, unconfirmed, reported = [], [], []
    for key in RULE_KEYS:
        e = entries[key]
        value = show_value(s, key, s.rules.value(key), lang)
        if key in overridden:
            rows.append([key, f"{value}({T['overridden']})" if lang == "zh" else f"{value} ({T['overridden']})", show_value(s, key, overridden[key], lang),
                         f"scenario.yaml; {rule_set.name}: {e.source_in(lang)}", T["rule_confirmed_own"], e.zh if lang == "zh" else e.en])
            continue
        if e.confirmed == "no":
            unconfirmed.append(key)
        elif e.confirmed == "reported":
            reported.append(key)
        rows.append([key, value, "", e.source_in(lang), CONFIRMATION[lang][e.confirmed], e.zh if lang == "zh" else e.en])
    sec = Section("ruleset", T["sec_ruleset"])
    sec.blocks.append(("p", T["ruleset_intro"].format(name=rule_set.name, title=rule_set.title.get(lang, ""))))
    if unconfirmed:
        sec.blocks.append(("warn", T["ruleset_unconfirmed"].format(keys=", ".join(unconfirmed))))
    if reported:
        sec.blocks.append(("note", T["ruleset_reported"].format(keys=", ".join(reported))))
    heads = [T["rule_key"], T["rule_value"], T["rule_set_value"], T["rule_source"], T["rule_confirmed"], T["rule_note"]]
    sec.blocks.append(("table", Table(heads, rows, [False] * len(heads), T["table_note_all"].format(n=len(rows)),
                                      ["restricted" if r[0] in unconfirmed else "" for r in rows])))
    return sec


def ruleset_sheet(sections: list[Section]) -> pd.DataFrame | None:
    """The rule-set table of the document as a frame (a sheet of report.xlsx), or None without a rule set."""
    for sec in sections:
        if sec.key == "ruleset":
            t = next(b[1] for b in sec.blocks if b[0] == "table")
            return pd.DataFrame(t.rows, columns=t.columns)
    return None


CONFIRMATION = {"zh": {"yes": "已核实", "no": "⚠ 未核实", "reported": "据报道"},
                "en": {"yes": "confirmed", "no": "⚠ unconfirmed", "reported": "reported"}}


def show_value(s, key: str, value, lang: str) -> str:
    """A rule value as the report prints it: areas (hectares in the rules) in the scenario's unit, lists joined."""
    u = L.UNIT[lang][s.unit]
    if value is None:
        return "—"
    if isinstance(value, bool):
        return L.TEXT[lang]["yes"] if value else L.TEXT[lang]["no"]
    if key in AREA_KEYS:
        pairs = value.items() if isinstance(value, dict) else value if isinstance(value, tuple) else None
        if pairs is not None:
            return "; ".join(f"{y}: {fmt(float(a) * s.unit_factor, 'area', lang)} {u}" for y, a in pairs) or "—"
        return f"{fmt(float(value) * s.unit_factor, 'area', lang)} {u}"
    if isinstance(value, (tuple, list)):
        names = {**L.CATEGORY[lang], **{k: v for k, v in L.KEY_LEVEL[lang].items() if v}}
        return ", ".join(names.get(v, str(v)) for v in value) or L.NONE[0 if lang == "zh" else 1]
    return fmt(value, None, lang)


def _flag(s, key: str, lang: str) -> str:
    """' (unconfirmed)' when the value of ``key`` comes from the rule set the scenario names, and the set marks it
    unconfirmed; a value the scenario gives itself has no source to confirm."""
    if not s.rules.name or any(k == key for k, _, _ in s.rules.overridden):
        return ""
    entry = {e.key: e for e in read_rule_set(s.rules.name).entries}[key]
    return L.TEXT[lang]["unconfirmed_flag"] if entry.confirmed == "no" else ""
