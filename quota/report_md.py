"""A short Markdown report of a run, in zh or en (the full report module builds on it)."""
from __future__ import annotations

LABELS = {
    "zh": {"title": "新增建设用地计划指标配置结果", "status": "求解状态", "objective": "目标值(公顷加权)", "bound": "最优界",
           "gap": "相对间隙", "solver": "求解器", "year": "年份", "quota": "计划指标", "carried_in": "结转转入",
           "new_used": "新增使用", "advance_drawn": "预支", "advance_repaid": "归还预支", "stock_used": "存量使用",
           "higher_level": "上级保障", "lapsed": "失效", "utilisation": "使用率", "counts": "项目状态",
           "approved": "按期获批", "deferred": "推迟获批", "partial": "部分分期获批", "rejected": "未获批", "excluded": "不符合条件",
           "higher_level_s": "上级重点项目", "illustrative": "本情景为示意数据,非官方统计。", "unit": {"ha": "公顷", "mu": "亩"},
           "not_proven": "注意:结果未被证明最优。", "verified": "独立核验", "checks": "项检查,违反"},
    "en": {"title": "New construction-land quota allocation", "status": "Status", "objective": "Objective (value-weighted ha)",
           "bound": "Best bound", "gap": "Relative gap", "solver": "Solver", "year": "Year", "quota": "Quota",
           "carried_in": "Carried in", "new_used": "New used", "advance_drawn": "Advance drawn", "advance_repaid": "Advance repaid",
           "stock_used": "Stock used", "higher_level": "Higher level", "lapsed": "Lapsed", "utilisation": "Utilisation",
           "counts": "Projects by status", "approved": "approved", "deferred": "deferred", "partial": "partial", "rejected": "rejected",
           "excluded": "excluded", "higher_level_s": "higher level", "illustrative": "This scenario is illustrative, not official data.",
           "unit": {"ha": "ha", "mu": "mu"}, "not_proven": "Note: the result is NOT proven optimal.", "verified": "Independent verification",
           "checks": "checks, violations"},
}


def _fmt(v, pct=False):
    if v is None:
        return "—"
    return f"{v:.1%}" if pct else f"{v:,.2f}"


def _gap(g):
    return "—" if g is None else f"{g:.2e}"


def render_short_report(r, summary: dict) -> str:
    L = LABELS[r.lang]
    s = r.scenario
    unit = L["unit"][s.unit]
    lines = [f"# {L['title']}: {s.name}", ""]
    if "illustrative" in s.name.lower() or "示意" in s.name:
        lines += [f"> {L['illustrative']}", ""]
    if not summary["proven_optimal"]:
        lines += [f"**{L['not_proven']}** {summary['message']}", ""]
    lines += [f"- {L['status']}: {summary['status']} ({summary['message']})",
              f"- {L['objective']}: {_fmt(summary['objective'])}",
              f"- {L['bound']}: {_fmt(summary['bound'])}",
              f"- {L['gap']}: {_gap(summary['gap'])}",
              f"- {L['solver']}: {summary['solver']}",
              f"- {L['verified']}: {summary['verification']['checks']} {L['checks']} {summary['verification']['violations']}", ""]
    cols = ["quota", "carried_in", "new_used", "advance_drawn", "advance_repaid", "stock_used", "higher_level", "lapsed", "utilisation"]
    lines.append("| " + " | ".join([L["year"]] + [f"{L[c]} ({unit})" if c != "utilisation" else L[c] for c in cols]) + " |")
    lines.append("|" + "---|" * (len(cols) + 1))
    for y in summary["years"]:
        lines.append("| " + " | ".join([str(y["year"])] + [_fmt(y[c], pct=c == "utilisation") for c in cols]) + " |")
    lines += ["", f"## {L['counts']}", ""]
    for k, n in summary["projects"].items():
        lines.append(f"- {L['higher_level_s'] if k == 'higher_level' else L[k]}: {n}")
    return "\n".join(lines) + "\n"
