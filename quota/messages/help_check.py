"""``--help`` of the commands that read what a run wrote, or check it: ``quota compare``, ``quota audit``,
``quota audit-idle``, ``quota explain``, and ``quota rules`` (the key scheme is in ``quota.commands.bilingual``)."""
from __future__ import annotations

HELP_CHECK: dict[str, dict[str, str]] = {
    "help.compare": {
        "zh": "并排比较两个运行文件夹:目标值、各年价值、指标使用率、预支,以及方案、分期年份或状态不同的项目,"
              "并画出这些项目的甘特图。\n\n\b\n示例:\n"
              "  quota run --out runs/base\n"
              "  quota run scenarios/shijiazhuang-p096-plan-a --out runs/p096-a\n"
              "  quota compare runs/base runs/p096-a          # 写出 runs/compare-base-p096-a/\n"
              "  quota compare runs/base runs/p096-a --out cmp --lang en",
        "en": "Compare two run folders side by side: objective, value by year, utilisation, advance,\n"
              "and the projects whose plan, phase years or status differ, with a Gantt chart of those.\n\n\b\nExamples:\n"
              "  quota run --out runs/base\n"
              "  quota run scenarios/shijiazhuang-p096-plan-a --out runs/p096-a\n"
              "  quota compare runs/base runs/p096-a          # writes runs/compare-base-p096-a/\n"
              "  quota compare runs/base runs/p096-a --out cmp --lang en"},
    "help.compare.out": {
        "zh": "写出 headline.csv、by_year.csv、changed.csv 和 gantt.png 的文件夹(已存在时须加 --force)。"
              "默认:RUN_B 旁边的 compare-<A>-<B>。",
        "en": "Folder for headline.csv, by_year.csv, changed.csv and gantt.png (must not exist unless --force). "
              "Default: compare-<A>-<B> beside RUN_B."},
    "help.compare.lang": {"zh": "表格和图表的语言(默认:运行 A 的语言)。",
                          "en": "Language of the table and chart (default: run A's)."},
    "help.compare.force": {"zh": "新的结果完整写好后,替换已有的对比文件夹(只替换由 quota compare 写出的文件夹,绝不替换运行 A 或 B)。",
                           "en": "Replace an existing comparison folder (only one quota compare wrote, never run A or B), "
                                 "once the new one is complete."},

    "help.audit": {
        "zh": "根据运行文件夹清单中记录的输入复算整个运行,独立于写出它的代码:文件哈希和运行应有的文件、各县挂钩数字与限批、"
              "闲置地块的闲置费、每条约束的残差、每个项目的状态和原因、目标值、最优界和间隙,以及(--resolve 时)最优值。"
              "打印核查表和重新求解的情况;发现任何不一致时退出码为 1。\n\n\b\n示例:\n"
              "  quota run --out runs/base\n"
              "  quota audit runs/base\n"
              "  quota audit runs/national --resolve     # 超过 400 个项目也重新求解\n"
              "  quota audit runs/base --lang en         # 用英文打印核查表(默认:运行的语言)",
        "en": "Recompute a run folder from the inputs named in its manifest, independently of the code that\n"
              "wrote it: file hashes and the files a run holds, county linkage numbers and restrictions, idle-parcel\n"
              "penalties, every constraint residual, each project's status and reason, the objective, bound and\n"
              "gap, and (--resolve) the optimum. Prints a table of checks and what was re-solved; exit 1 on any\n"
              "discrepancy.\n\n\b\nExamples:\n"
              "  quota run --out runs/base\n"
              "  quota audit runs/base\n"
              "  quota audit runs/national --resolve     # re-solve also above 400 projects\n"
              "  quota audit runs/base --lang en         # the table in English (default: the run's language)"},
    "help.audit.resolve": {
        "zh": "根据输入重新求解情景,核对运行的目标值与最优值之差在它声称的间隙以内。默认:项目不超过 400 个的运行开启"
              "(几秒钟),超过时关闭。",
        "en": "Re-solve the scenario from its inputs and check the run's objective is within its claimed gap of "
              "the optimum. Default: on for runs of at most 400 projects (seconds), off above."},

    "help.audit.lang": {"zh": "核查表的语言(默认:运行的语言)。", "en": "Language of the table (default: the run's)."},

    "help.audit-idle": {
        "zh": "审计人员对一个情景的闲置土地检查(《闲置土地处置办法》,国土资源部令第53号),不求解:每宗地块的类别、应缴的闲置费、"
              "能否提出无偿收回,以及部门的记录与规定不符之处(应征未征或少征闲置费、对政府原因造成的闲置征收闲置费、闲置满两年"
              "未作决定、未满两年即收回、没有证据、延期超过一年、名义开工但未达到第二条第二款的标准)。写出 idle_findings.csv、"
              "idle_parcels.csv、idle_findings.xlsx 和 manifest.json;不论有无审计发现,退出码都是 0。\n\n\b\n示例:\n"
              "  quota audit-idle scenarios/shijiazhuang --out audits/idle\n"
              "  quota audit-idle scenarios/shijiazhuang --out audits/idle-en --lang en",
        "en": "The auditor's idle-land check of a scenario (Order 53), without solving: each parcel's class, fee due and\n"
              "whether taking back may be proposed, and every finding where the bureau's record differs from what the rules\n"
              "require (fee not levied or short, levied on a government cause, two years undecided, taken back early, no\n"
              "evidence, an extension beyond a year, started on paper below Art. 2 ¶2). Writes idle_findings.csv,\n"
              "idle_parcels.csv, idle_findings.xlsx and manifest.json; exit 0 whether or not there are findings.\n\n\b\n"
              "Examples:\n"
              "  quota audit-idle scenarios/shijiazhuang --out audits/idle\n"
              "  quota audit-idle scenarios/shijiazhuang --out audits/idle-en --lang en"},
    "help.audit-idle.out": {"zh": "要写出的文件夹(已存在时须加 --force)。", "en": "Folder to write (must not exist unless --force)."},
    "help.audit-idle.lang": {"zh": "规则说明的语言(默认:情景设定的语言)。",
                             "en": "Language of the rules (default: the scenario's lang)."},
    "help.audit-idle.force": {"zh": "新的结果完整写好后,替换已有的文件夹(只替换由 quota audit-idle 写出的文件夹)。",
                              "en": "Replace an existing folder (only one quota audit-idle wrote), once the new one is complete."},

    "help.explain": {
        "zh": "打印一个项目的完整解释:状态、原因、价值的各项、用地配置和反事实分析。\n\n\b\n示例:\n"
              "  quota explain runs/default P011\n"
              "  quota explain runs/default P011 --no-solve",
        "en": "Print one project's full explanation: status, reason, value terms, allocations, counterfactual.\n\n\b\n"
              "Examples:\n"
              "  quota explain runs/default P011\n"
              "  quota explain runs/default P011 --no-solve"},
    "help.explain.no_solve": {"zh": "只读运行文件夹,不为得到精确的反事实而重新求解。",
                              "en": "Only read the run folder; do not re-solve for an exact counterfactual."},
    "help.explain.time_limit": {"zh": "重新求解反事实的时间(秒)。", "en": "Seconds for the counterfactual re-solve."},

    "help.rules": {
        "zh": "列出全部规则集;给出 NAME 时,显示该规则集的每一项:取值、来源以及是否已核实。\n\n\b\n示例:\n"
              "  quota rules\n"
              "  quota rules hebei-2024 --lang en",
        "en": "List the rule sets, or show every key of rule set NAME with its value, source and whether it is confirmed.\n\n"
              "\b\nExamples:\n"
              "  quota rules\n"
              "  quota rules hebei-2024 --lang en"},
    "help.rules.lang": {"zh": "说明和标题的语言(默认:按环境变量 QUOTA_LANG、LC_ALL、LC_MESSAGES、LANG 判断,都未设置时为英文)。",
                        "en": "Language of the notes and headings (default: the environment's: QUOTA_LANG, LC_ALL, "
                              "LC_MESSAGES, LANG; en if none is set)."},
}
