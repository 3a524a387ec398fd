"""``format_summary``: a run's ``summary.json`` as the lines ``quota run`` prints on the screen.

Takes the summary (``quota.pipeline.eval_summary``, or ``RunResult.summary``), the run folder and the language
(default: the run's own, ``summary["lang"]``); gives plain text: the status, objective, bound and gap, each year's
quota use, the projects by status and the verification. The words are the catalogue's (``quota.messages.console``).
"""
from __future__ import annotations

from pathlib import Path

from ..messages import message
from . import labels as L
from .numbers import number, scientific


def format_summary(summary: dict, out: str | Path | None, lang: str | None = None) -> str:
    """The screen summary of a run; ``out`` is the run folder named on its last line."""
    lang = lang or summary.get("lang") or "en"
    zh = lang == "zh"
    status = L.SOLVER_STATUS["zh"].get(summary["status"], summary["status"]) if zh else summary["status"]
    verdict = summary.get("message_zh") or summary["message"] if zh else summary["message"]
    lines = [message("run.scenario", lang, name=summary["scenario"]),
             message("run.status", lang, status=status, message=verdict),
             message("run.objective", lang, objective=number(summary["objective"], 3, lang),
                     bound=number(summary["bound"], 3, lang), gap=scientific(summary["gap"]), solver=summary["solver"])]
    if summary.get("method", "optimise") != "optimise":
        lines.insert(1, message("run.method_factor", lang))
    elif not summary["proven_optimal"]:
        lines.append(message("run.not_proven", lang))
    unit = L.UNIT[lang].get(summary["unit"], summary["unit"])
    for y in summary["years"]:
        lines.append(message("run.year", lang, year=y["year"], quota=number(y["quota"], 2, lang), unit=unit,
                             charged=number(y["charged"], 2, lang), new=number(y["new_used"], 2, lang),
                             repaid=number(y["advance_repaid"], 2, lang), drawn=number(y["advance_drawn"], 2, lang),
                             stock=number(y["stock_used"], 2, lang), util=number(y["utilisation"], 1, lang, percent=True)))
    counts = L.LIST_SEP[lang].join(message("run.count", lang, status=L.STATUS["zh"].get(k, k) if zh else k, n=v)
                                   for k, v in summary["projects"].items())
    lines.append(message("run.projects", lang, counts=counts))
    cf = summary.get("counterfactuals")
    if cf:
        lines.append(message("run.counterfactuals", lang, computed=cf["computed"],
                             mode={"auto": "自动", "on": "全部", "full": "完整"}.get(cf["mode"], cf["mode"]) if zh else cf["mode"],
                             seconds=number(cf["seconds"], 1, lang), exact=cf["exact"], within=cf["within_tolerance"],
                             widest=number(cf["widest"], 3, lang)))
    ver = summary["verification"]
    lines.append(message("run.verified", lang, checks=ver["checks"], violations=ver["violations"]))
    lines.append(message("written", lang, path=out))
    return "\n".join(lines)
