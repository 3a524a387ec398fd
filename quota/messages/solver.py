"""The solver's verdict (quota.solve.solution, quota.solve.factor): summary.json keeps it in both languages."""
from __future__ import annotations

SOLVER: dict[str, dict[str, str]] = {
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

