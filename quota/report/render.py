"""``render_report``: the run's tidy tables as report.md, report.html, report.xlsx and figures/*.png."""
from __future__ import annotations

import pandas as pd

from . import labels as L
from .charts import Chart, render_charts
from .document_idle import add_idle_audit
from .document import build_document, categories_text, illustrative, parameter_value, short_sections
from .excel import render_excel
from .html import render_html
from .markdown import render_markdown
from .past_section import TEXT as PAST_TEXT, past_section, past_sheets, plot_plan_vs_actual
from .rules_sections import add_rule_sections, ruleset_sheet
from .spatial_section import add_spatial_sections

__all__ = ["render_report", "render_short_report"]


def render_report(result, tables: dict[str, pd.DataFrame], summary: dict) -> dict[str, object]:
    """File name (relative to the run folder) → content: str for text, bytes for xlsx and png."""
    lang = result.lang
    s = result.scenario
    T = L.TEXT[lang]
    charts, cjk = render_charts(result, tables, summary, lang)
    charts += past_charts(result, lang)
    sections = add_rule_sections(build_document(result, tables, summary, lang, charts, cjk), result, tables, lang, charts)
    sections = add_idle_audit(sections, result, tables, lang, charts)  # the auditor's findings on idle land
    past = past_section(result, lang, {c.name.removesuffix(".png"): c for c in charts})
    if past is not None:  # re-planning only: after the quota use of each year
        at = next((i + 1 for i, sec in enumerate(sections) if sec.key == "years"), 1)
        sections.insert(at, past)
    sections = add_spatial_sections(sections, result, tables, lang, charts)  # spatial: maps first, sites and control lines
    title = f"{T['title']}: {s.name}"
    subtitle = " · ".join([f"{T['status']}: {L.SOLVER_STATUS[lang].get(summary['status'], summary['status'])}",
                           L.solver_message(summary, lang),
                           T["unit_line"].format(u=L.UNIT[lang][s.unit])])
    files: dict[str, object] = {
        "report.md": render_markdown(sections, title, lang),
        "report.html": render_html(sections, title, subtitle, lang, {c.name: c.png for c in charts}),
        "report.xlsx": _excel(result, tables, summary, sections, lang, cjk),
    }
    files.update({f"figures/{c.name}": c.png for c in charts})
    return files


def past_charts(result, lang: str) -> list[Chart]:
    """The chart of "plan against actual" (re-planning only)."""
    if getattr(result.scenario, "facts", None) is None:
        return []
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = plot_plan_vs_actual(result, lang, Path(tmp) / "plan_vs_actual.png")
        return [Chart("plan_vs_actual.png", PAST_TEXT[lang]["caption"], path.read_bytes())]


def render_short_report(result, summary: dict) -> str:
    """The headline and quota-use sections alone, as Markdown, without charts (for quick screens)."""
    lang = result.lang
    return render_markdown(short_sections(result, summary, lang), f"{L.TEXT[lang]['title']}: {result.scenario.name}", lang)


def _excel(result, tables, summary, sections, lang: str, cjk: bool) -> bytes:
    s = result.scenario
    T = L.TEXT[lang]
    sheets = {k: v for k, v in tables.items() if isinstance(v, pd.DataFrame)}
    if "checks.csv" not in sheets and getattr(result, "checks", None) is not None:
        sheets["checks.csv"] = result.checks
    sheets.update(past_sheets(result))  # re-planning: plan against actual
    rule_set = ruleset_sheet(sections)
    if rule_set is not None:  # under rules: NAME, the rule-set table as its own sheet
        sheets["rule_set"] = rule_set
    headline: list[tuple[str, object]] = []
    if illustrative(s.name):
        headline.append(("⚠", T["illustrative"]))
    if not summary.get("proven_optimal", True):
        headline.append(("⚠", T["not_proven"]))
    if not cjk:
        headline.append(("!", T["no_cjk"]))
    headline += [(T["scenario"], s.name), (T["status"], L.SOLVER_STATUS[lang].get(summary["status"], summary["status"])),
                 (T["message"], L.solver_message(summary, lang)),
                 (T["proven_optimal"], T["yes"] if summary.get("proven_optimal") else T["no"]),
                 (T["objective"], summary.get("objective")), (T["bound"], summary.get("bound")), (T["gap"], summary.get("gap")),
                 (T["solver"], summary.get("solver"))]
    headline += [(f"{T['utilisation']} {y['year']}", y.get("utilisation")) for y in summary["years"]]
    headline += [(f"{T['projects_by_status']}: {L.STATUS[lang].get(k, k)}", n) for k, n in summary["projects"].items()]
    v = summary.get("verification", {})
    headline.append((T["verified"], T["checks_line"].format(n=v.get("checks", 0), v=v.get("violations", 0))))
    params = [[T["parameter"], T["path"], T["value_used"], T["default"], T["origin"], T["checked"]]]
    for path, name_zh, name_en, default, origin_zh, origin_en, checked in L.PARAMETERS:
        used = parameter_value(s, path, lang)
        params.append([name_zh if lang == "zh" else name_en, path, used if not isinstance(used, tuple) else str(used),
                       categories_text(default, lang) if isinstance(default, str) else default,
                       origin_zh if lang == "zh" else origin_en, T[checked]])
    texts = [[T["section"], T["rule"]]]
    for sec in sections:
        for block in sec.blocks:
            if block[0] == "rules":
                texts += [[sec.title, t] for t in block[1]]
                texts += [[sec.title, L.seed_quote(zh, en, lang)] for zh, en in block[2]]
            elif block[0] == "seed":
                texts.append([sec.title, f"{block[1]}: {block[2]}"])
            elif block[0] == "warn" and sec.key in ("shadow", "ruleset"):
                texts.append([sec.title, block[1]])
    years = pd.DataFrame(summary["years"])
    return render_excel(sheets, years, headline, params, texts, lang, s.unit)

