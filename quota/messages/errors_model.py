"""Errors of solving (quota.solve, quota.pipeline, quota.run, quota.explain.infeasible): the solver missing or
failing, the model infeasible (the diagnosis: which constraints had to bend), an allocation that fails the
independent verification, the factor method, Dask and the spatial libraries.

Keys ``error.<area>.<name>``, raised through ``QuotaError.of`` (any subclass) or formatted by the diagnosis.
"""
from __future__ import annotations

_AMOUNT = "{lhs:,.2f} {u}"

ERRORS_MODEL: dict[str, dict[str, str]] = {
    # quota.explain.infeasible: the diagnosis of an infeasible model, one line per constraint that had to bend
    "error.infeasible.head": {"zh": "模型不可行:没有任何配置能同时满足全部约束。为找出冲突,允许以下约束在高代价下突破:",
                              "en": "The model is infeasible: no allocation meets every constraint. Letting constraints "
                                    "bend at a high price shows the conflict:"},
    "error.infeasible.city_quota": {"zh": "{key} 年市级指标:需要 " + _AMOUNT + "(其中锁定项目 {locked:,.2f} {u}),计划指标及结转仅 "
                                          "{rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                                    "en": "city quota {key}: " + _AMOUNT + " needed (locked-in projects {locked:,.2f} {u}), "
                                          "quota plus carry-over allow {rhs:,.2f} {u}; short by {bend:,.2f} {u}"},
    "error.infeasible.advance_cap": {"zh": "{key} 年预支上限:需要 " + _AMOUNT + ",上限 {rhs:,.2f} {u},超出 {bend:,.2f} {u}",
                                     "en": "advance cap {key}: " + _AMOUNT + " needed, cap {rhs:,.2f} {u}; over by {bend:,.2f} {u}"},
    "error.infeasible.farmland": {"zh": "{key} 年耕地指标:需要 " + _AMOUNT + ",指标 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                                  "en": "farmland quota {key}: " + _AMOUNT + " needed, {rhs:,.2f} {u} allowed; short by "
                                        "{bend:,.2f} {u}"},
    "error.infeasible.stock": {"zh": "{key} 可用存量:需要 " + _AMOUNT + ",仅有 {rhs:,.2f} {u},缺口 {bend:,.2f} {u}",
                               "en": "usable stock of {key}: " + _AMOUNT + " needed, {rhs:,.2f} {u} available; short by "
                                     "{bend:,.2f} {u}"},
    "error.infeasible.stock_by_year": {"zh": "{key} 年末前可用存量(含此前收回的土地):需要 " + _AMOUNT + ",仅有 {rhs:,.2f} {u},"
                                             "缺口 {bend:,.2f} {u}",
                                       "en": "stock usable by the end of {key} (with land taken back before it): " + _AMOUNT
                                             + " needed, {rhs:,.2f} {u} available; short by {bend:,.2f} {u}"},
    "error.infeasible.county_cap": {"zh": "{key} 县级额度:需要 " + _AMOUNT + ",额度 {rhs:,.2f} {u},超出 {bend:,.2f} {u}",
                                    "en": "county cap {key}: " + _AMOUNT + " needed, cap {rhs:,.2f} {u}; over by {bend:,.2f} {u}"},
    "error.infeasible.dependency": {"zh": "依赖关系 {key}:锁定项目不得不先于其前置项目获批",
                                    "en": "dependency {key}: a locked-in project would have to come before the project it "
                                          "requires"},
    "error.infeasible.commitment": {"zh": "分期承诺 {key}:后续分期无法在规划期内安排",
                                    "en": "phasing commitment {key}: a later phase cannot be fitted within the horizon"},
    "error.infeasible.lock_in": {"zh": "锁定项目 {key}:无论资源多少都无法获批(例如所在县限批且无可用存量,或各期无法在规划期内安排)",
                                 "en": "locked-in project {key} cannot be approved whatever the resources (e.g. a restricted "
                                       "county without usable stock, or phases that do not fit the horizon)"},
    # quota.solve.solution
    "error.solver.unavailable": {"zh": "本机没有求解器 {solver}。可用的有:{known}。请安装(如 CBC 用 `pip install pulp[cbc]`),"
                                       "或改用 `--solver highs`。",
                                 "en": "the solver {solver} is not available on this machine. Available: {known}. Install it "
                                       "(e.g. `pip install pulp[cbc]` for CBC), or pass --solver highs."},
    "error.solver.failed": {"zh": "求解器 {solver} 运行失败:{error}", "en": "the solver {solver} failed: {error}"},
    "error.solver.infeasible": {"zh": "模型不可行:没有任何配置能同时满足全部约束。",
                                "en": "the model is infeasible: no allocation meets every constraint."},
    "error.solver.unbounded": {"zh": "模型无界;这是 quota 的缺陷,请报告。",
                               "en": "the model is unbounded; this is a bug in quota, please report it."},
    "error.solver.no_allocation": {"zh": "{solver} 停止时没有得到可行配置。请用 --time-limit 给它更多时间,或放宽情景。",
                                   "en": "{solver} stopped without a feasible allocation. Give it more time with --time-limit, "
                                         "or loosen the scenario."},
    "error.solver.no_allocation_limit": {"zh": "{solver} 运行 {seconds} 秒(时间上限 {limit} 秒)后停止,没有得到可行配置。"
                                               "请用 --time-limit 给它更多时间,或放宽情景。",
                                         "en": "{solver} stopped without a feasible allocation after {seconds} s (time limit "
                                               "{limit} s). Give it more time with --time-limit, or loosen the scenario."},
    "error.lp.fixed": {"zh": "固定获批项目后的线性规划", "en": "LP with the approvals fixed"},
    "error.lp.relaxation": {"zh": "线性松弛问题", "en": "LP relaxation"},
    "error.solver.lp_integer": {"zh": "{what_zh}仍含整数变量;这是 quota 的缺陷,请报告。",
                                "en": "the {what} still has integer variables; this is a bug in quota, please report it."},
    "error.solver.lp_not_optimal": {"zh": "{what_zh}未能求得最优解;无法给出其影子价格。",
                                    "en": "the {what} did not solve to optimality; its prices are unavailable."},
    # quota.pipeline.verified: the independent verification of an allocation
    "error.verify.solver": {"zh": "求解器给出的配置未通过独立校验({n} 处违反:{found_zh})。结果未写出。请改用 `--solver highs`,或调小 `--gap`。",
                            "en": "the solver's allocation failed independent verification ({found}). It is not written. "
                                  "Try --solver highs, or a smaller --gap."},
    "error.verify.factor": {"zh": "因素法给出的配置未通过独立校验({n} 处违反:{found_zh})。这是 quota.solve.factor 的缺陷,请报告。",
                            "en": "the factor method's allocation failed independent verification ({found}). This is a bug "
                                  "in quota.solve.factor, please report it."},
    "error.verify.alternative": {"zh": "备选方案 {name} 未通过独立校验({n} 处违反:{found_zh})。请改用 `--solver highs`,或调小 `--gap`。",
                                 "en": "alternative {name} failed independent verification ({found}). Try --solver highs, or "
                                       "a smaller --gap."},
    "error.alternatives.range": {"zh": "--alternatives 至少为 1,--within 须在 [0, 1) 内;现为 {k} 和 {within}。",
                                 "en": "--alternatives must be at least 1 and --within in [0, 1); got {k} and {within}."},
    # quota.solve.cluster
    "error.dask.missing": {"zh": "--scheduler 需要 dask.distributed:`pip install 'quota[dask]'`(或 `dask[distributed]`)。",
                           "en": "--scheduler needs dask.distributed: pip install 'quota[dask]' (or 'dask[distributed]')."},
    "error.dask.unreachable": {"zh": "无法连接 {scheduler} 上的 Dask 调度器({error})。请启动它(`dask scheduler`;`dask worker 地址`),"
                                     "或检查地址。",
                               "en": "cannot reach the Dask scheduler at {scheduler} ({error}). Start it (dask scheduler; "
                                     "dask worker ADDRESS) or check the address."},
    # quota.solve.factor
    "error.factor.nothing": {"zh": "因素法无从切块:每个加权因素在每个县都为零。请给某些县具有的因素一个正权重(scenario.yaml 中的 "
                                   "factor.weights)。",
                             "en": "the factor method has nothing to split by: every weighted factor is zero in every "
                                   "county. Give a positive weight to a factor that some county has (factor.weights in "
                                   "scenario.yaml)."},
    "error.factor.lock": {"zh": "因素法无法在规划期内安排锁定项目 {project}:其用地在市级指标、耕地指标、县级额度或存量中都放不下。"
                                "请运行优化模型,或取消锁定。",
                          "en": "the factor method cannot place the locked-in project {project} within the horizon: its "
                                "land does not fit in the city quota, farmland quota, county cap or stock. Run the "
                                "optimiser, or clear the lock."},
    # quota.run
    "error.run.no_default": {"zh": "本次安装缺少随附的默认情景;请重新安装 quota。",
                             "en": "the bundled default scenario is missing from this installation; reinstall quota."},
    "error.run.replan_factor": {"zh": "用台账事实重新规划需要优化模型:因素法没有固定的过去。请去掉 `--method factor` 再运行。",
                                "en": "re-planning with the ledger's facts needs the optimiser: the factor method has no "
                                      "fixed past. Run without --method factor."},
    "error.run.method": {"zh": "方法 {method} 加 {alternatives} 个备选方案不可行:方法只能是 {methods} 之一,且备选方案需要优化模型。",
                         "en": "method {method} with {alternatives} alternatives is not possible: the method is one of "
                               "{methods}, and alternatives need the optimiser."},
    # quota.spatial.require_libs
    "error.spatial.install": {"zh": "情景中有 `spatial:` 部分,需要 `shapely`、`pyogrio` 和 `pyproj`(无法导入 {missing})。它们是 quota 的依赖:"
                                    "请重新安装(`pip install --force-reinstall quota` 或 `pip install shapely pyogrio pyproj`),"
                                    "或从 scenario.yaml 中删去 `spatial:`,不带地图和空间检查运行。",
                              "en": "the scenario has a `spatial:` block, which needs shapely, pyogrio and pyproj ({missing} "
                                    "not importable). They are dependencies of quota: reinstall it (`pip install "
                                    "--force-reinstall quota`, or `pip install shapely pyogrio pyproj`), or remove "
                                    "`spatial:` from scenario.yaml to run without maps and spatial checks."},
}
