"""``--help`` of ``quota`` itself, ``quota run``, ``quota sweep`` and ``quota validate``, and of the solver options
they share (looked up, and the key scheme explained, in ``quota.commands.bilingual``)."""
from __future__ import annotations

HELP_RUN: dict[str, dict[str, str]] = {
    "help.quota": {
        "zh": "quota:把新增建设用地计划指标配置到各项目,并说明每一项配置的理由。\n\n\b\n示例:\n"
              "  quota run                       # 运行自带的示意情景\n"
              "  quota run my-city/ --out runs/2024\n"
              "  quota validate my-city/\n"
              "  quota audit runs/2024           # 根据输入复算一次运行",
        "en": "quota: allocate new construction-land quota (新增建设用地计划指标) across projects, and explain why.\n\n\b\n"
              "Examples:\n"
              "  quota run                       # the bundled illustrative scenario\n"
              "  quota run my-city/ --out runs/2024\n"
              "  quota validate my-city/\n"
              "  quota audit runs/2024           # recompute a run from its inputs"},
    "help.quota.version": {"zh": "显示版本号并退出。", "en": "Show the version and exit."},

    # shared by quota run and quota sweep (quota.commands.cli.solve_options)
    "help.option.solver": {"zh": "PuLP 求解器:highs、cbc,或本机可用的任何 PuLP 求解器名称。",
                           "en": "PuLP solver: highs, cbc, or any available PuLP solver name."},
    "help.option.time_limit": {"zh": "求解 S 秒后停止求解器;结果随之标为未证明最优。",
                               "en": "Stop the solver after S seconds; the result is then marked not proven optimal."},
    "help.option.gap": {"zh": "求解器可以停止时的 MIP 相对间隙。", "en": "Relative MIP gap at which the solver may stop."},

    "help.run": {
        "zh": "求解一个情景,写出运行文件夹。不给 SCENARIO 时运行自带的默认情景。\n\n\b\n示例:\n"
              "  quota run\n"
              "  quota run scenarios/shijiazhuang --out runs/base --lang en\n"
              "  quota run my.xlsx --time-limit 60 --gap 0.001\n"
              "  quota run --set linkage.penalty=2 --set quota.scale=0.9 --out runs/tight\n"
              "  quota run --method factor --out runs/factor     # 之后:quota compare runs/base runs/factor\n"
              "  quota run --alternatives 5 --within 0.01 --out runs/alt\n"
              "  quota run big-province/ --time-limit 540 --gap 0.001 --scheduler tcp://scheduler-host:8786\n"
              "  quota run --ledger ledger.db --as-of 2024 --out runs/2024   # 2023 年固定为台账中的事实",
        "en": "Solve a scenario and write a run folder. With no SCENARIO, run the bundled default.\n\n\b\nExamples:\n"
              "  quota run\n"
              "  quota run scenarios/shijiazhuang --out runs/base --lang en\n"
              "  quota run my.xlsx --time-limit 60 --gap 0.001\n"
              "  quota run --set linkage.penalty=2 --set quota.scale=0.9 --out runs/tight\n"
              "  quota run --method factor --out runs/factor     # then: quota compare runs/base runs/factor\n"
              "  quota run --alternatives 5 --within 0.01 --out runs/alt\n"
              "  quota run big-province/ --time-limit 540 --gap 0.001 --scheduler tcp://scheduler-host:8786\n"
              "  quota run --ledger ledger.db --as-of 2024 --out runs/2024   # 2023 fixed to the ledger's facts"},
    "help.run.out": {"zh": "要写出的运行文件夹(已存在时须加 --force)。默认:runs/<情景名称>。",
                     "en": "Run folder to write (must not exist unless --force). Default: runs/<scenario name>."},
    "help.run.lang": {"zh": "报告的语言(默认:情景设定的语言)。", "en": "Report language (default: the scenario's lang)."},
    "help.run.force": {"zh": "新的运行文件夹完整写好后,替换已有的运行文件夹(只替换由 quota run 写出、且不含任何输入的文件夹)。",
                       "en": "Replace an existing run folder (only one quota run wrote, holding no input), once the new one is complete."},
    "help.run.counterfactuals": {
        "zh": "每个项目为什么获批(或未获批):经证明的损失区间和随之变化的项目。auto:项目不超过 300 个时,在时间预算内计算;"
              "full:直到每个区间都在本次运行自身的间隙以内。",
        "en": "Why each project is (not) approved: a proven loss interval and the projects that change. auto: up to "
              "300 projects, within a time budget; full: until every interval is within the run's own gap."},
    "help.run.sets": {"zh": "修改情景的一个键(可重复),例如 linkage.penalty=2、quota.2024=600、quota.scale=0.9。",
                      "en": "Change one scenario key (repeatable), e.g. linkage.penalty=2, quota.2024=600, quota.scale=0.9."},
    "help.run.method": {"zh": "factor:用因素法对照方案代替优化,写出同样的运行文件夹。",
                        "en": "factor: the factor-method baseline (因素法) instead of the optimiser, in the same run folder."},
    "help.run.alternatives": {"zh": "另外找出 K 个批准不同项目组合的配置方案,目标值与最优值相差不超过 --within。",
                              "en": "Also find K allocations approving other sets of projects, within --within of the optimum."},
    "help.run.within": {"zh": "--alternatives 允许的与最优值的相对差距。",
                        "en": "Relative distance from the optimum allowed for --alternatives."},
    "help.run.scheduler": {
        "zh": "把大模型的各县子问题和反事实的重解放到这个 Dask 调度器的工作进程上求解(默认:本机每个处理器核一个进程,"
              "装有 dask.distributed 时为本地 Dask 集群)。",
        "en": "Solve the county problems of a large model, and the counterfactuals' re-solves, on this Dask "
              "scheduler's workers (default: one local process per core, a local Dask cluster when dask.distributed "
              "is installed)."},
    "help.run.ledger": {"zh": "把这次运行记入该台账(SQLite 文件或数据库地址;见 quota ledger)。",
                        "en": "Record the run in this ledger (台账: a SQLite file or a database URL; see quota ledger)."},
    "help.run.as_of": {"zh": "从 YEAR 年起重新安排:此前各年取台账中的事实并固定不变(须同时给出 --ledger)。",
                       "en": "Re-plan from YEAR: the years before it are the ledger's facts, fixed (needs --ledger)."},

    "help.sweep": {
        "zh": "在参数取值网格上运行一个情景:每个取值点一个运行文件夹,sweep.csv 列出每个点的主要数字,figures/<key>.png "
              "画出每项数字随每个键的变化。输入和选项都相同、已经算完的点会跳过,因此中断的扫描可以从停下的地方接着算;"
              "用其他输入或选项算过的点会被拒绝,除非加 --force。\n\n\b\n示例:\n"
              "  quota sweep scenarios/shijiazhuang --set linkage.penalty=0,0.5,1,2 --set quota.scale=0.9,1,1.1\n"
              "  quota sweep scenarios/shijiazhuang --grid grid.yaml --out sweeps/penalty --workers 2\n"
              "  quota sweep scenarios/shijiazhuang --grid grid.yaml --scheduler tcp://scheduler-host:8786",
        "en": "Run a scenario over a grid of parameter values: one run folder per point, sweep.csv with\n"
              "the key figures of every point, and figures/<key>.png of each figure against each key.\n"
              "Points already done with the same inputs and options are skipped, so an interrupted sweep resumes\n"
              "where it stopped; a point done with other inputs or options is refused unless --force.\n\n\b\nExamples:\n"
              "  quota sweep scenarios/shijiazhuang --set linkage.penalty=0,0.5,1,2 --set quota.scale=0.9,1,1.1\n"
              "  quota sweep scenarios/shijiazhuang --grid grid.yaml --out sweeps/penalty --workers 2\n"
              "  quota sweep scenarios/shijiazhuang --grid grid.yaml --scheduler tcp://scheduler-host:8786"},
    "help.sweep.sets": {"zh": "让情景的一个键依次取这些值(可重复;网格是所有取值的组合)。",
                        "en": "Sweep one scenario key over these values (repeatable; the grid is every combination)."},
    "help.sweep.grid": {"zh": "一个把键对应到取值列表的 yaml 文件,与 --set 一样扫描。",
                        "en": "A yaml file mapping keys to lists of values, swept like --set."},
    "help.sweep.out": {"zh": "扫描文件夹(再次使用同一文件夹即接着算)。默认:sweeps/<情景名称>。",
                       "en": "Sweep folder (re-use it to resume). Default: sweeps/<scenario name>."},
    "help.sweep.workers": {"zh": "本机进程数,每个进程求解一个点。默认:处理器核数。",
                           "en": "Local processes, each solving one point. Default: the CPU count."},
    "help.sweep.scheduler": {"zh": "改在这个 Dask 调度器的工作进程上计算各点(需要安装扩展 quota[dask])。",
                             "en": "Run the points on this Dask scheduler's workers instead (needs the extra quota[dask])."},
    "help.sweep.method": {"zh": "扫描优化方法,或因素法对照方案。", "en": "Sweep the optimiser, or the factor-method baseline."},
    "help.sweep.full_reports": {"zh": "每个点都写出 report.html、report.xlsx 和图表(较慢),而不只是 report.md。",
                                "en": "Write report.html, report.xlsx and charts in every point (slower), not only report.md."},
    "help.sweep.lang": {"zh": "报告的语言(默认:情景设定的语言)。", "en": "Report language (default: the scenario's lang)."},
    "help.sweep.force": {"zh": "重新求解用其他输入或选项算过的点(否则拒绝,并指出哪里不同),替换它们的文件夹。",
                         "en": "Solve again the points done with other inputs or options (else refused, naming what differs), "
                               "replacing their folders."},

    "help.validate": {
        "zh": "检查一个情景,一次列出全部问题(有任何问题时退出码为 1)。\n\n\b\n示例:\n  quota validate scenarios/shijiazhuang",
        "en": "Check a scenario and list every problem at once (exit 1 if any).\n\n\b\nExample:\n"
              "  quota validate scenarios/shijiazhuang"},
}
