"""What the ledger commands print (quota.commands.ledger: ``init``, ``adopt``, ``import``, ``export``, ``lapse``; ``status``'s
tables are headed by its own ``WORDS``), with the ``--lang`` help of the ledger
commands that print them. The English lines are those docs/ledger.md and the tests read.
"""
from __future__ import annotations

_LANG_HELP = {"zh": "输出的语言(默认:按环境变量 QUOTA_LANG、LC_ALL、LC_MESSAGES、LANG 判断,都未设置时为英文)。",
              "en": "Language of the output (default: the environment's: QUOTA_LANG, LC_ALL, LC_MESSAGES, LANG; en if none is set)."}

LEDGER: dict[str, dict[str, str]] = {
    **{f"help.ledger.{command}.lang": _LANG_HELP for command in ("init", "adopt", "import", "export", "lapse")},
    "ledger.init": {"zh": "台账:      {url} — 数据库结构版本 {version}({state})",
                    "en": "ledger:    {url} — schema version {version} ({state})"},
    "ledger.created": {"zh": "新建", "en": "created"},
    "ledger.up_to_date": {"zh": "已是最新", "en": "up to date"},
    "ledger.migrated": {"zh": "已从版本 {found} 升级", "en": "migrated from version {found}"},
    "ledger.adopted": {"zh": "已采纳:    运行 #{run_id},{year} 年:{rows} 行批准记录,{area} 公顷(批次 {batch}{replaced})",
                       "en": "adopted:   run #{run_id}, {year}: {rows} approval row(s), {area} ha (batch {batch}{replaced})"},
    "ledger.superseded": {"zh": ",{n} 行早先的记录标为已被取代", "en": ", {n} earlier row(s) marked superseded"},
    "ledger.taken_back": {"zh": "处置:      {year} 年收回 {n} 宗地块,{area} 公顷,记为 taken_back 类处置",
                          "en": "disposal:  {n} parcel(s) taken back in {year}, {area} ha, kind taken_back"},
    "ledger.not_again": {"zh": "不再记录:  {why}", "en": "not again: {why}"},
    "ledger.held": {"zh": "{parcel}:台账已记录其 {year} 年的收回(批次 {batch})",
                    "en": "{parcel}: the ledger holds its take-back in {year} (batch {batch})"},
    "ledger.held_county": {"zh": "{parcel}:台账已把 {county} {year} 年的收回记为该县自报的数字(批次 {batch}),以该数字为准",
                           "en": "{parcel}: the ledger holds the take-backs of {county} {year} as the county's own figure "
                                 "(batch {batch}), which stands"},
    "ledger.imported": {"zh": "已导入:    {label}:{rows} 行{kind}记录,{area} 公顷(批次 {batch}{replaced})",
                        "en": "imported:  {label}: {rows} {kind} row(s), {area} ha (batch {batch}{replaced})"},
    "ledger.kind.approvals": {"zh": "批准", "en": "approvals"},
    "ledger.kind.supply": {"zh": "供地", "en": "supply"},
    "ledger.kind.disposal": {"zh": "处置", "en": "disposal"},
    "ledger.kind.quota_issued": {"zh": "下达指标", "en": "quota_issued"},
    "ledger.kind.overplan": {"zh": "超计划用地", "en": "overplan"},
    "ledger.lapsed": {"zh": "到期失效:  {project}{plan} 第 {phase} 期({county}),{approved} 批准,至 {date} 仍有 {area} 公顷未供地",
                      "en": "lapsed:    {project}{plan} phase {phase} ({county}), approved {approved}, {area} ha unsupplied on {date}"},
    "ledger.lapsed_plan": {"zh": " 方案 {plan}", "en": " plan {plan}"},
    "ledger.lapsed_total": {"zh": "到期失效:  {year} 年底前共 {n} 项批准,{area} 公顷",
                            "en": "lapsed:    {n} approval(s), {area} ha by the end of {year}"},
}
