"""``--help`` of ``quota ledger`` and its subcommands (the key scheme is in ``quota.commands.bilingual``)."""
from __future__ import annotations

_FORCE = "Replace an existing export folder (only one quota ledger export wrote), once the new one is complete."

HELP_LEDGER: dict[str, dict[str, str]] = {
    "help.ledger": {
        "zh": "台账:逐年记录批准、供地和处置的事实,存放在 SQLite 文件或 PostgreSQL 数据库中。LEDGER 是文件路径"
              "(SQLite 文件,首次使用时建立)或数据库地址。\n\n\b\n示例:\n"
              "  quota ledger init ledger.db\n"
              "  quota ledger adopt ledger.db runs/2023 --year 2023\n"
              "  quota ledger import ledger.db supply.csv\n"
              "  quota ledger status ledger.db --year 2024\n"
              "  quota ledger init postgresql+psycopg://analyst@db.example/quota",
        "en": "The ledger (台账): what was approved, supplied and disposed of, year by year, in a SQLite file or a PostgreSQL\n"
              "database. LEDGER is a file path (a SQLite file, created on first use) or a database URL.\n\n\b\nExamples:\n"
              "  quota ledger init ledger.db\n"
              "  quota ledger adopt ledger.db runs/2023 --year 2023\n"
              "  quota ledger import ledger.db supply.csv\n"
              "  quota ledger status ledger.db --year 2024\n"
              "  quota ledger init postgresql+psycopg://analyst@db.example/quota"},
    "help.ledger.init": {
        "zh": "建立台账,或把旧版本的台账升级到当前版本的表结构。\n\n\b\n示例:\n"
              "  quota ledger init ledger.db\n"
              "  quota ledger init postgresql+psycopg://analyst@db.example/quota",
        "en": "Create a ledger (建立台账), or bring an older one to this quota's schema.\n\n\b\nExamples:\n"
              "  quota ledger init ledger.db\n"
              "  quota ledger init postgresql+psycopg://analyst@db.example/quota"},
    "help.ledger.status": {
        "zh": "按年份和县列出计划与实际:计划数(该年采纳的运行,没有时取覆盖该年的最近一次运行)、批准、供地、处置和超计划用地"
              "(公顷);以及到 --year 年底前如不供地即失效的批准。\n\n\b\n示例:\n"
              "  quota ledger status ledger.db\n"
              "  quota ledger status ledger.db --year 2025 --lang en",
        "en": "Per year and county, the plan against the facts (计划与实际): planned (the run adopted for the year, else the\n"
              "latest run reaching it), approved, supplied, disposed of and used beyond plan, in ha; and the approvals that lapse\n"
              "by the end of --year unless supplied.\n\n\b\nExamples:\n"
              "  quota ledger status ledger.db\n"
              "  quota ledger status ledger.db --year 2025 --lang en"},
    "help.ledger.status.year": {"zh": "列出到该年年底前如不供地即失效的批准(到期失效)。默认:今年。",
                                "en": "List the approvals that lapse by the end of this year unless supplied (到期失效). "
                                      "Default: this year."},
    "help.ledger.status.scenario": {"zh": "只与这个情景名称的运行比较。默认:任何运行。",
                                    "en": "Compare with the runs of this scenario name only. Default: any run."},
    "help.ledger.status.lang": {"zh": "标题的语言(默认:按环境变量 QUOTA_LANG、LC_ALL、LC_MESSAGES、LANG 判断,都未设置时为英文)。",
                                "en": "Language of the headings (default: the environment's: QUOTA_LANG, LC_ALL, LC_MESSAGES, "
                                      "LANG; en if none is set)."},
    "help.ledger.adopt": {
        "zh": "采纳一次运行中某一年的计划:记录这次运行,并把它在 --year 年的批准记为已批准的事实。台账中已有该年的批准时拒绝,"
              "除非加 --replace。\n\n\b\n示例:\n"
              "  quota ledger adopt ledger.db runs/2023 --year 2023\n"
              "  quota ledger adopt ledger.db runs/2023-b --year 2023 --replace",
        "en": "Adopt a run's plan for one year (采纳计划): record the run, and its approvals of --year as approved facts.\n"
              "Refused when the ledger already holds approvals of that year, unless --replace.\n\n\b\nExamples:\n"
              "  quota ledger adopt ledger.db runs/2023 --year 2023\n"
              "  quota ledger adopt ledger.db runs/2023-b --year 2023 --replace"},
    "help.ledger.adopt.year": {"zh": "采纳这次运行中哪一年的批准。", "en": "The year of the run whose approvals are adopted."},
    "help.ledger.adopt.replace": {"zh": "把台账中该年的批准标为已被取代(保留,绝不删除),改记这次运行的批准。",
                                  "en": "Mark the ledger's approvals of that year superseded (kept, never deleted) "
                                        "and record the run's instead."},
    "help.ledger.adopt.approval_date": {"zh": "采纳记录的批准日期(YYYY-MM-DD)。默认:--year 年的 12 月 31 日。",
                                        "en": "Approval date of the adopted rows (YYYY-MM-DD). Default: 31 December of --year."},
    "help.ledger.import": {
        "zh": "从自然资源部门自己的表格导入事实:批准、供地、处置、下达指标、超计划用地,格式为 CSV(UTF-8 或 GBK)或 .xlsx"
              "(每类一张工作表)。每个问题都列出文件、行和列;只要有一个问题,就什么也不写入。表格格式见 docs/ledger.md。\n\n\b\n"
              "示例:\n"
              "  quota ledger import ledger.db approvals-2023.csv\n"
              "  quota ledger import ledger.db 台账2023.xlsx --unit mu\n"
              "  quota ledger import ledger.db supply.csv --replace",
        "en": "Import facts from the bureau's own tables (导入台账): approvals, supply, disposal, quota issued, over-plan use,\n"
              "as CSV (UTF-8 or GBK) or .xlsx (one sheet per kind). Every problem is listed with its file, row and column, and\n"
              "nothing is written when there is any. Formats: docs/ledger.md.\n\n\b\nExamples:\n"
              "  quota ledger import ledger.db approvals-2023.csv\n"
              "  quota ledger import ledger.db 台账2023.xlsx --unit mu\n"
              "  quota ledger import ledger.db supply.csv --replace"},
    "help.ledger.import.kind": {"zh": "文件名看不出类别时,CSV 文件中事实的类别(approvals.csv、供地.csv 等文件名可以看出)。",
                                "en": "The facts a CSV file holds, when its name does not say (approvals.csv, 供地.csv, ...)."},
    "help.ledger.import.unit": {"zh": "文件中面积的单位:公顷(ha)或亩(mu)。", "en": "Unit of the file's areas."},
    "help.ledger.import.replace": {"zh": "把台账中该文件所含年份(和类别)的记录标为已被取代(保留,绝不删除),改记文件中的记录。",
                                   "en": "Mark the ledger's rows of the years (and kinds) the file holds superseded "
                                         "(kept, never deleted) and record the file's rows instead."},
    "help.ledger.export": {
        "zh": "导出台账的每一张表(包括已被取代的记录),每张表一个 CSV 文件,另加一个 ledger.xlsx。\n\n\b\n示例:\n"
              "  quota ledger export ledger.db --out ledger-2024",
        "en": "Export every table of the ledger (导出台账), superseded rows too, as CSV files and one ledger.xlsx.\n\n\b\n"
              "Examples:\n"
              "  quota ledger export ledger.db --out ledger-2024"},
    "help.ledger.export.out": {"zh": "要写出的文件夹(已存在时须加 --force)。", "en": "Folder to write (must not exist unless --force)."},
    "help.ledger.export.force": {"zh": "新的导出完整写好后,替换已有的导出文件夹(只替换由 quota ledger export 写出的文件夹)。",
                                 "en": _FORCE},
    "help.ledger.lapse": {
        "zh": "记录批准失效:批准后两年内未供应的土地,批准失效(自然资规〔2018〕1号);未供应的部分在失效当年记为批而未供存量的"
              "处置,类别为 `lapsed`(失效)。再次运行不会重复记录。\n\n\b\n示例:\n"
              "  quota ledger lapse ledger.db --year 2025",
        "en": "Record lapsed approvals (批准失效): land approved and not supplied within two years (自然资规〔2018〕1号) lapses;\n"
              "the part not supplied is recorded as disposal of the 批而未供 stock, kind lapsed, in the year it lapsed. Running\n"
              "it again lapses nothing twice.\n\n\b\nExamples:\n"
              "  quota ledger lapse ledger.db --year 2025"},
    "help.ledger.lapse.year": {"zh": "使两年期限在该年 12 月 31 日前届满的批准失效。",
                               "en": "Lapse the approvals whose two years end by 31 December of this year."},
}
