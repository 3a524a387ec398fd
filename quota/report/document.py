"""The report as a list of sections of plain blocks, built from the run's tidy tables.

Markdown and HTML both render this one document, so they always say the same thing. Nothing here
computes a figure the tables do not hold: it picks columns, orders rows, names values in the
report language, formats numbers, and attaches the rule behind each section.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..counties_table import county_part
from ..model.families import RESOURCES
from . import labels as L
from .cf_text import changes_text, cf_line  # noqa: F401 - cf_line: part of this module's interface
from .numbers import number, scientific

MAX_ROWS = 500  # rows of one table in report.md / report.html; report.xlsx has every row
STATUS_ORDER = ("approved", "deferred", "partial", "higher_level", "rejected", "excluded")


@dataclass
class Table:
    """A table ready to print: ``columns`` are headers, ``rows`` hold strings; ``numeric`` marks right-aligned columns."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str = ""
    row_class: list[str] = field(default_factory=list)  # a css class per row (from a fixed set, never user text)


@dataclass
class Section:
    key: str
    title: str
    blocks: list = field(default_factory=list)  # ("p" | "warn" | "note", text), ("kv", [(k, v)]), ("table", Table),
    #                                               ("figure", name, caption), ("rules", [text], [(quote, translation)])


# ------------------------------------------------------------- formatting ----

def fmt(value, kind: str | None, lang: str) -> str:
    """One cell as text: areas and money to 2 decimals, shares as %, values per ha to 3 decimals."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return L.TEXT[lang]["yes"] if value else L.TEXT[lang]["no"]
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, (int, np.integer)):
        return number(value, 0, lang, group=kind in ("area", "wan", "value"))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if kind == "pct":
            return number(v, 1, lang, percent=True)
        if kind in ("per_ha", "per_unit", "times"):
            return number(v, 3, lang)
        if kind in ("area", "wan", "value", "model", "inv", "tax", "jobs"):
            return number(v, 2, lang)
        if kind in ("years", "days") or v.is_integer():
            return number(v, 0, lang, group=False)
        return number(v, 3, lang)
    return str(value)


def table(frame: pd.DataFrame, lang: str, unit: str, values: dict | None = None, file: str = "",
          row_class: list[str] | None = None, headers: dict | None = None) -> Table:
    """``frame`` (raw values, CSV column names) as a printable Table. ``values``: column → {raw: shown}."""
    values = values or {}
    headers = headers or {}
    n = len(frame)
    shown = frame.head(MAX_ROWS)
    cols = list(shown.columns)
    rows = []
    for rec in shown.itertuples(index=False):
        row = []
        for c, v in zip(cols, rec):
            if c in values and isinstance(v, str):
                v = values[c].get(v, v)
            row.append(fmt(v, L.kind_of(c), lang))
        rows.append(row)
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c]) for c in cols]
    T = L.TEXT[lang]
    note = T["table_note_cut"].format(k=MAX_ROWS, n=n, file=file) if n > MAX_ROWS else T["table_note_all"].format(n=n)
    return Table([headers.get(c) or L.header(c, lang, unit) for c in cols], rows, numeric, note,
                 (row_class or [])[:MAX_ROWS])


def rules_block(section: str, lang: str, values: dict) -> tuple:
    spec = L.RULES[section]
    i = 0 if lang == "zh" else 1
    texts = [t[i].format(**values) for t in spec["rules"]]
    quotes = [L.SEED[k] for k in spec["seed"]]
    return ("rules", [t for t in texts if t.strip()], quotes)


# ----------------------------------------------------------- rule values ----

def rule_values(s, lang: str) -> dict:
    """The scenario's parameters, as the rule texts quote them."""
    lk = s.linkage
    cats = L.CATEGORY
    idle = s.idle_land if s.idle_parcels is not None else None
    zh = lang == "zh"
    return {
        "adv_share": s.advance.max_share, "adv_cost": s.advance.cost, "carry": s.carry_over, "gamma": lk.stock_credit,
        "adv_last": L.ADV_LAST[bool(s.advance.last_year)][0 if zh else 1],
        "higher": L.HIGHER[bool(s.key_projects_outside_budget)][0], "higher_en": L.HIGHER[bool(s.key_projects_outside_budget)][1],
        "bonus": lk.bonus, "cut": lk.cut, "penalty": lk.penalty, "below": lk.restrict_below,
        "overplan_zh": L.OVERPLAN_CLAUSE[bool(lk.restrict_on_overplan)][0],
        "overplan_en": L.OVERPLAN_CLAUSE[bool(lk.restrict_on_overplan)][1],
        "exempt_zh": "、".join(cats["zh"].get(c, c) for c in lk.exempt_categories) or L.NONE[0],
        "exempt_en": ", ".join(cats["en"].get(c, c) for c in lk.exempt_categories) or L.NONE[1],
        "b_inv": s.scoring.weight("investment_intensity"), "b_tax": s.scoring.weight("tax_intensity"),
        "b_jobs": s.scoring.weight("jobs_intensity"), "urgent": s.scoring.urgent_bonus, "key_city": s.scoring.key("city"),
        "key_prov": s.scoring.key("provincial"), "key_nat": s.scoring.key("national"), "delta": s.delay_discount,
        "gap": s.phasing.min_gap, "commit_zh": L.COMMIT.get(s.phasing.commit, ("", ""))[0],
        "commit_en": L.COMMIT.get(s.phasing.commit, ("", ""))[1],
        "fee_rate": idle.fee_rate if idle else 0.2, "fee_years": idle.fee_years if idle else 1,
        "reclaim_years": idle.reclaim_years if idle else 2,
        "date": (idle.assessment_date.isoformat() if idle and idle.assessment_date else "—"),
    }


def parameter_value(s, path: str, lang: str = "en"):
    """A parameter's value in this scenario, by its dotted yaml path."""
    if path == "overplan":
        return "1:1"
    if path.startswith("idle_land."):
        return getattr(s.idle_land, path.split(".", 1)[1]) if s.idle_parcels is not None else None
    obj = s
    for part in path.split("."):
        obj = getattr(obj, part, None)
    if isinstance(obj, tuple):
        return ", ".join(L.CATEGORY[lang].get(c, c) for c in obj)
    return obj


# -------------------------------------------------------------- sections ----

def build_document(result, tables: dict[str, pd.DataFrame], summary: dict, lang: str, charts, cjk: bool) -> list[Section]:
    s = result.scenario
    unit = s.unit
    T = L.TEXT[lang]
    tables = {k: v.reset_index(drop=True) for k, v in tables.items() if isinstance(v, pd.DataFrame)}
    rv = rule_values(s, lang)
    figs = {c.name.removesuffix(".png"): c for c in charts}
    ctx = dict(s=s, unit=unit, lang=lang, T=T, rv=rv, figs=figs, tables=tables, summary=summary, result=result)
    sections = [_headline(cjk=cjk, **ctx), _years(**ctx), _counties(**ctx), _projects(**ctx), _phases(**ctx),
                _shadow(**ctx), _binding(**ctx), _counterfactuals(**ctx), _idle(**ctx), _parameters(**ctx), _files(**ctx)]
    return [x for x in sections if x is not None]


def illustrative(name: str) -> bool:
    return any(m in name.lower() for m in L.ILLUSTRATIVE_MARKERS)


def _figure(figs, key):
    c = figs.get(key)
    return [("figure", c.name, c.caption)] if c is not None else []


def _county_names(tables) -> pd.Series:
    c = county_part(tables["counties.csv"])
    return pd.Series(c["name"].to_numpy(), index=c["county_id"].to_numpy())


def short_sections(result, summary: dict, lang: str) -> list[Section]:
    """The headline and quota-use sections alone, without charts (the short report.md of sweep points)."""
    s = result.scenario
    tables = {"counterfactuals.csv": result.explanations["counterfactuals"].reset_index()} \
        if "counterfactuals" in getattr(result, "explanations", {}) else {}
    ctx = dict(s=s, unit=s.unit, lang=lang, T=L.TEXT[lang], rv=rule_values(s, lang), figs={}, tables=tables,
               summary=summary, result=result)
    return [_headline(cjk=True, **ctx), _years(**ctx)]


def _headline(s, unit, lang, T, rv, figs, tables, summary, result, cjk) -> Section:
    sec = Section("headline", T["sec_headline"])
    if illustrative(s.name):
        sec.blocks.append(("warn", T["illustrative"]))
    if not summary.get("proven_optimal", True):
        sec.blocks.append(("warn", f"{T['not_proven']}: {L.solver_message(summary, lang)}"))
    if not cjk:
        sec.blocks.append(("note", T["no_cjk"]))
    years = summary["years"]
    charged = sum((y.get("charged") or 0.0) for y in years)
    avail = sum((y.get("available") or 0.0) for y in years)
    u = L.UNIT[lang][unit]
    kv = [(T["scenario"], s.name), (T["status"], f"{L.SOLVER_STATUS[lang].get(summary['status'], summary['status'])} — "
                                                  f"{L.solver_message(summary, lang)}"),
          (T["objective"], fmt(summary["objective"], "value", lang)), (T["bound"], fmt(summary.get("bound"), "value", lang)),
          (T["gap"], scientific(summary.get("gap"), missing="")), (T["solver"], str(summary.get("solver", ""))),
          (T["utilisation"], "; ".join(f"{y['year']}: {fmt(y.get('utilisation'), 'pct', lang)}" for y in years)),
          (T["utilisation_total"], fmt(charged / avail if avail > 0 else None, "pct", lang))]
    if summary.get("method") and summary["method"] != "optimise":
        kv.insert(1, (T["method"], L.METHOD[lang].get(summary["method"], summary["method"])))
    if summary.get("advance_owed"):
        kv.append((T["advance_owed"], f"{fmt(summary['advance_owed'], 'area', lang)} {u}"))
    kv.append((T["projects_by_status"], "; ".join(f"{L.STATUS[lang].get(k, k)} {n}" for k, n in summary["projects"].items())))
    v = summary.get("verification", {})
    kv.append((T["verified"], T["checks_line"].format(n=v.get("checks", 0), v=v.get("violations", 0))))
    cf = tables.get("counterfactuals.csv")
    if cf is not None:
        kv.append((T["sec_cf"], cf_line(cf, tables.get("projects.csv"), lang)))
    sec.blocks += [("p", T["unit_line"].format(u=u)), ("kv", kv), rules_block("headline", lang, rv)]
    return sec


def _years(s, unit, lang, T, rv, figs, tables, summary, **_) -> Section:
    sec = Section("years", T["sec_years"])
    y = pd.DataFrame(summary["years"])
    cols = ["year", "quota", "carried_in", "available", "new_used", "advance_repaid", "charged", "utilisation",
            "advance_drawn", "stock_used", "higher_level", "province_reserve", "province_used", "ring_fenced_used",  # the last
            "unused", "carried", "lapsed"]  # three only under a rule set's reserve or ring-fence
    y = y[[c for c in cols if c in y.columns]]
    y["year"] = y["year"].astype(str)
    early = {"advance_drawn": L.header("advance_early", lang, unit)} if summary.get("advance_mode") == "within_year" else None
    sec.blocks += _figure(figs, "quota_by_year") + [("table", table(y, lang, unit, file="summary.json", headers=early)),
                                                     rules_block("years_within" if early else "years", lang, rv)]
    return sec


def _counties(s, unit, lang, T, rv, figs, tables, **_) -> Section:
    sec = Section("counties", T["sec_counties"])
    c = county_part(tables["counties.csv"]).sort_values("county_id")  # the year columns: disposal_section
    cause = {k: v for k, v in L.RESTRICT_CAUSE[lang].items()}
    link = ["name", "county_id", "stock_total", "disposed_total", "disposal_rate", "task_total", "shortfall", "tasks_met",
            "cap_multiplier", "penalty_per_ha", "overplan", "restricted", "restrict_cause"]
    got = ["name", "cap_base", "cap_first_year", "cap_later_years", "usable_stock", "new_used", "advance_used", "stock_used"] \
        + [k for k in c.columns if k.startswith("quota_")] + ["ring_fenced_used", "penalty_paid", "idle_parcels", "idle_fee_total",
                                                              "idle_reclaim_area"]
    klass = ["restricted" if r else "" for r in c["restricted"].astype(bool)]
    sec.blocks += _figure(figs, "counties")
    sec.blocks.append(("table", table(c[[k for k in link if k in c.columns]], lang, unit, {"restrict_cause": cause},
                                      "counties.csv", klass)))
    sec.blocks.append(("table", table(c[[k for k in got if k in c.columns]], lang, unit, file="counties.csv", row_class=klass)))
    sec.blocks.append(rules_block("counties", lang, rv))
    return sec


def _projects(s, unit, lang, T, rv, figs, tables, **_) -> Section:
    sec = Section("projects", T["sec_projects"])
    p = tables["projects.csv"].copy()
    p["county"] = p["county_id"].map(_county_names(tables)).fillna(p["county_id"])
    p["_o"] = p["status"].map({k: i for i, k in enumerate(STATUS_ORDER)}).fillna(len(STATUS_ORDER))
    p = p.sort_values(["_o", "project_id"])
    cols = ["project_id", "name", "county", "category", "status", "reason", "plan", "first_year", "area", "w",
            "net_value_per_ha", "value"]
    shown = table(p[cols], lang, unit, {"category": L.CATEGORY[lang], "status": L.STATUS[lang]}, "projects.csv",
                  [f"st-{x}" if x in STATUS_ORDER else "" for x in p["status"]])
    sec.blocks += [("h3", T["sec_value"])] + _figure(figs, "value_terms") + [("table", shown), rules_block("projects", lang, rv)]
    return sec


def _phases(s, unit, lang, T, rv, figs, tables, **_) -> Section:
    sec = Section("phases", T["sec_phases"], _figure(figs, "phases"))
    sec.blocks.append(rules_block("phases", lang, rv))
    plans = tables.get("plans.csv")
    if plans is not None and len(plans):
        names = tables["projects.csv"].set_index("project_id")["name"]
        pl = plans.copy()
        pl.insert(1, "name", pl["project_id"].map(names))
        sec.blocks.append(("p", f"**{T['sec_plans']}**"))
        sec.blocks.append(("table", table(pl, lang, unit, file="plans.csv")))
        sec.blocks.append(rules_block("plans", lang, rv))
    return sec


def _shadow(s, unit, lang, T, rv, figs, tables, result, **_) -> Section | None:
    sp = tables.get("shadow_prices.csv")
    sec = Section("shadow", T["sec_shadow"])
    if sp is None:
        sec.blocks.append(("p", T["not_computed"]))
        return sec
    caveat = (result.explanations.get("shadow_prices").attrs.get("caveat") if result.explanations.get("shadow_prices") is not None
              else None)
    if not caveat:
        from ..explain.shadow import CAVEAT

        caveat = CAVEAT[lang]
    keep = (sp["shadow_price_per_unit"].abs() > 0) | (sp["relaxation_price_per_unit"].abs() > 0) | (sp["family"] == "city_quota")
    rows = sp[keep].copy()
    cols = ["family", "key", "label", "shadow_price_per_unit", "relaxation_price_per_unit", "binding"]
    sec.blocks += _figure(figs, "shadow_prices")
    sec.blocks.append(("warn", f"{T['caveat']}: {caveat}"))
    sec.blocks.append(("p", T["shadow_nonzero"]))
    sec.blocks.append(("table", table(rows[cols], lang, unit, {"family": L.FAMILY[lang]}, "shadow_prices.csv")))
    sec.blocks.append(rules_block("shadow", lang, rv))
    return sec


def _binding(s, unit, lang, T, rv, figs, tables, **_) -> Section | None:
    con = tables.get("constraints.csv")
    if con is None:
        return None
    sec = Section("binding", T["sec_binding"])
    g = con.groupby("family", sort=False)["binding"].agg(["size", "sum"]).reset_index()
    fam = pd.DataFrame({"family": g["family"].map(lambda f: L.FAMILY[lang].get(f, f)), "rows": g["size"], "binding": g["sum"]})
    sec.blocks.append(("p", f"**{T['family_summary']}**"))
    sec.blocks.append(("table", table(fam, lang, unit, headers={"family": T["family"], "rows": T["rows"], "binding": T["binding_count"]})))
    b = con[con["binding"].astype(bool) & con["family"].isin(RESOURCES)].copy()
    for col in ("rhs", "lhs", "slack"):
        b[col] = b[col] * s.unit_factor
    b = b.rename(columns={"rhs": "rhs_area", "lhs": "lhs_area", "slack": "slack_area"})
    sec.blocks.append(("p", f"**{T['binding_rows']}**"))
    sec.blocks.append(("table", table(b[["family", "key", "sense", "rhs_area", "lhs_area", "slack_area"]], lang, unit,
                                      {"family": L.FAMILY[lang]}, "constraints.csv")))
    sec.blocks.append(rules_block("binding", lang, rv))
    return sec


def _counterfactuals(s, unit, lang, T, rv, figs, tables, **_) -> Section:
    sec = Section("cf", T["sec_cf"])
    cf = tables.get("counterfactuals.csv")
    if cf is None:
        sec.blocks += [("p", T["cf_none"]), rules_block("cf", lang, rv)]
        return sec
    p = tables["projects.csv"].set_index("project_id")
    c = cf.copy()
    c.insert(1, "name", c["project_id"].map(p["name"]))
    c.insert(2, "status", c["project_id"].map(p["status"]))
    if "changes" in c:
        c["changes"] = [changes_text(v, p["name"], lang) for v in c["changes"]]
    cols = ["project_id", "name", "status", "kind", "result", "loss_low", "loss_high", "exact", "changes"]
    cols = [k for k in cols if k in c] if "changes" in c else cols[:-1] + ["changed_projects"]
    sec.blocks += _figure(figs, "counterfactuals")
    sec.blocks.append(("table", table(c[cols], lang, unit, {"status": L.STATUS[lang], "kind": L.CF_KIND[lang],
                                                            "result": L.CF_RESULT[lang]}, "counterfactuals.csv")))
    sec.blocks.append(rules_block("cf", lang, rv))
    return sec


def _idle(s, unit, lang, T, rv, figs, tables, **_) -> Section | None:
    idle = tables.get("idle_parcels.csv")
    if idle is None:
        return None
    sec = Section("idle", T["sec_idle"])
    d = idle.copy()
    d["county"] = d["county_id"].map(_county_names(tables)).fillna(d["county_id"])
    cols = ["parcel_id", "county", "area", "agreed_start", "actual_start", "cause", "grant_price", "idle_kind", "idle_since",
            "full_years_idle", "classification", "fee", "may_take_back", "rule"]
    sec.blocks.append(("table", table(d[cols], lang, unit, {"cause": L.IDLE_CAUSE[lang], "classification": L.IDLE_CLASS[lang],
                                                            "idle_kind": L.IDLE_KIND[lang]}, "idle_parcels.csv")))
    sec.blocks.append(rules_block("idle", lang, rv))
    return sec


def _parameters(s, unit, lang, T, rv, **_) -> Section:
    sec = Section("rules", T["sec_rules"])
    zh = lang == "zh"
    rows = []
    for path, name_zh, name_en, default, origin_zh, origin_en, checked in L.PARAMETERS:
        used = parameter_value(s, path, lang)
        rows.append([f"{name_zh if zh else name_en} ({path})", fmt(used, None, lang) if not isinstance(used, str) else used,
                     fmt(default, None, lang) if not isinstance(default, str) else categories_text(default, lang),
                     origin_zh if zh else origin_en,
                     T[checked]])
    heads = [T["parameter"], T["value_used"], T["default"], T["origin"], T["checked"]]
    sec.blocks.append(("p", T["rules_intro"]))
    sec.blocks.append(("table", Table(heads, rows, [False, True, True, False, False], "")))
    sec.blocks.append(("seed", L.SEED_SOURCE[lang], L.SEED_CLAUSE))
    return sec


def _files(s, unit, lang, T, tables, **_) -> Section:
    sec = Section("files", T["sec_files"])
    sec.blocks.append(("p", T["files_intro"] + " " + ", ".join(sorted(tables) + ["summary.json", "checks.csv", "report.md",
                                                                                 "report.html", "report.xlsx", "figures/*.png",
                                                                                 "manifest.json"])))
    return sec


def categories_text(text: str, lang: str) -> str:
    """"livelihood, infrastructure" in the report language: 民生、基础设施."""
    return L.LIST_SEP[lang].join(L.CATEGORY[lang].get(c.strip(), c.strip()) for c in text.split(","))
