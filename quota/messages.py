"""Messages in both languages, by key: the start of the one message catalogue (issue 21).

Each entry is ``{"zh": template, "en": template}``; ``message(key, lang, **fields)`` fills one in. Only the
messages that stages below the report produce live here so far (the solver's verdict, which ``summary.json``
keeps in both languages); the report's words are in ``quota.report.labels``, and click's help and the
errors are still English: both are to move here.
"""
from __future__ import annotations

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # the solver's verdict (quota.solve.solution, quota.solve.factor): summary.json message / message_zh
    "solver.proven": {"zh": "已证明最优,相对间隙 {gap}",
                      "en": "proven optimal within a relative gap of {gap}"},
    "solver.stopped_limit": {"zh": "未证明最优:达到时间上限后停止,相对间隙 {gap_pct}(目标值 {objective},最优界 {bound})",
                             "en": "not proven optimal: stopped at the time limit, gap {gap_pct} (objective {objective}, bound {bound})"},
    "solver.stopped_budget": {"zh": "未证明最优:达到大模型的默认时间预算 {budget} 秒后停止(可用 --time-limit 另设),相对间隙 {gap_pct}"
                                    "(目标值 {objective},最优界 {bound})",
                              "en": "not proven optimal: stopped at the default budget of {budget} s for large models "
                                    "(--time-limit sets another), gap {gap_pct} (objective {objective}, bound {bound})"},
    "solver.nothing_left": {"zh": "未证明最优:时限内已没有可再尝试的方法,相对间隙 {gap_pct}(目标值 {objective},最优界 {bound})",
                            "en": "not proven optimal: nothing left to try within the time, gap {gap_pct} (objective {objective}, "
                                  "bound {bound})"},
    "solver.stopped_early": {"zh": "未证明最优:提前停止,相对间隙 {gap_pct}(目标值 {objective},最优界 {bound})",
                             "en": "not proven optimal: stopped early, gap {gap_pct} (objective {objective}, bound {bound})"},
    "solver.no_bound_optimal": {"zh": "求解器报告最优,但未给出最优界:未证明最优",
                                "en": "optimal according to the solver, but it gives no bound: not proven optimal"},
    "solver.no_bound_feasible": {"zh": "得到可行配置,但求解器未给出最优界:未证明最优",
                                 "en": "a feasible allocation, but the solver gives no bound: not proven optimal"},
    "solver.factor": {"zh": "因素法对照方案:按经验公式分配,不是优化,因而没有最优界和相对间隙",
                      "en": "factor method (因素法) baseline: a rule of thumb, not an optimisation, so no bound or gap"},
}


def message(key: str, lang: str, **fields) -> str:
    """The message ``key`` in ``lang`` (zh or en) with ``fields`` filled in."""
    return MESSAGES[key][lang if lang in LANGS else "en"].format(**fields)


def both(key: str, **fields) -> tuple[str, str]:
    """(zh, en) of the message ``key``."""
    return message(key, "zh", **fields), message(key, "en", **fields)
