"""What ``quota run`` prints on the screen (quota.report.summary.format_summary, quota.commands.cli): the summary of a
run, the warnings and notes printed during it, and the last ``written:`` line that ``quota run``, ``quota compare``
and ``quota sweep`` share. The English lines are read by tests and docs: keep them as they are.
"""
from __future__ import annotations

CONSOLE: dict[str, dict[str, str]] = {
    # the summary of a run (format_summary), one line each
    "run.scenario": {"zh": "情景:      {name}", "en": "scenario:  {name}"},
    "run.method_factor": {"zh": "方法:      因素法对照方案,不是优化", "en": "method:    factor method (因素法) baseline, not the optimiser"},
    "run.status": {"zh": "求解状态:  {status} — {message}", "en": "status:    {status} — {message}"},
    "run.objective": {"zh": "目标值:    {objective}   最优界: {bound}   相对间隙: {gap}   求解器: {solver}",
                      "en": "objective: {objective}   bound: {bound}   gap: {gap}   solver: {solver}"},
    "run.not_proven": {"zh": "警告:      未证明最优", "en": "WARNING:   not proven optimal"},
    "run.year": {"zh": "{year} 年:   计划指标 {quota} {unit},计入当年指标 {charged}(新增 {new},扣还上年预支 {repaid}),"
                       "预支 {drawn},存量 {stock},使用率 {util}",
                 "en": "{year}: quota {quota} {unit}, used {charged} (new {new}, advance repaid {repaid}), advance drawn {drawn}, "
                       "stock {stock}, utilisation {util}"},
    "run.projects": {"zh": "项目:      {counts}", "en": "projects:  {counts}"},
    "run.count": {"zh": "{status} {n} 个", "en": "{status} {n}"},
    "run.counterfactuals": {"zh": "反事实:    {computed} 个项目({mode},{seconds} 秒),{exact} 个精确,{within} 个在 max(1, 10%) 以内,"
                                  "最宽区间 {widest}",
                            "en": "counterfactuals: {computed} ({mode}, {seconds} s), {exact} exact, {within} within "
                                  "max(1, 10%), widest interval {widest}"},
    "run.verified": {"zh": "独立核验:  {checks} 项检查,{violations} 项违反", "en": "verified:  {checks} checks, {violations} violations"},
    "run.ledger": {"zh": "台账:      运行 {run} 已记入 {ledger}", "en": "ledger:    run {run} recorded in {ledger}"},
    # quota run --alternatives K (quota.solve.alternatives.format_alternatives)
    "run.alternatives": {"zh": "备选方案:  在最优值 {within} 以内找到 {found} 个(共求 {requested} 个),均已核验"
                               "(alternatives.csv:各项目获批的次数)",
                         "en": "alternatives: {found} of {requested} found within {within} of the optimum, each verified "
                               "(alternatives.csv: how often each project is approved)"},
    "run.alternative": {"zh": "  {name}:目标值 {objective}(比最优值低 {below}),获批 {n} 个项目;增加 {added};减少 {removed}",
                        "en": "  {name}: objective {objective} ({below} below), {n} projects; + {added}; − {removed}"},
    # notes of the solver (summary.json solver_notes / solver_notes_zh), printed during a run
    "note.no_dask": {"zh": "未安装 dask.distributed:各县子问题在本机 {n} 个进程上求解。"
                           "安装 `quota[dask]`(或 `dask[distributed]`)后可在 Dask 集群(本机或 --scheduler)上求解",
                     "en": "dask.distributed is not installed: the county problems ran on {n} local process{es}. "
                           "pip install 'quota[dask]' (or 'dask[distributed]') to run them on a Dask cluster, local or --scheduler."},
    "note.greedy_kept": {"zh": "求解器进程未给出结果({why});采用贪心初始解作为配置",
                         "en": "the solver's process ended without a result ({why}); the greedy start is the allocation"},
    # quota validate, in the scenario's language
    "validate.valid": {"zh": "数据有效:{name} — {counties} 个县,{projects} 个项目,{first}—{last} 年,面积单位 {unit}",
                       "en": "valid: {name} — {counties} counties, {projects} projects, years {first}–{last}, unit {unit}"},
    # the last line of quota run, quota compare, quota audit-idle and quota sweep
    "written": {"zh": "已写入:    {path}", "en": "written:   {path}"},
    # printed during a run, on stderr: a normalisation of the input, a note of the solver
    "run.warning": {"zh": "提示:{text}", "en": "warning: {text}"},
    "run.note": {"zh": "说明: {text}", "en": "note: {text}"},
}
