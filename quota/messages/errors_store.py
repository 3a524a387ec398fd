"""Errors of the ledger's database and of adopting a run into it (quota.ledger.schema, quota.ledger.runs).

Keys ``error.ledger.<name>``, raised through ``LedgerError.of``.
"""
from __future__ import annotations

_AGAIN = {"zh": "请重新运行该情景。", "en": "Run the scenario again."}

ERRORS_STORE: dict[str, dict[str, str]] = {
    # quota.ledger.runs: the run folder to adopt
    "error.ledger.manifest_unreadable": {"zh": "{run} 不是运行结果文件夹:无法读取其中的 manifest.json({error})。请给出 quota run "
                                               "写出的文件夹。",
                                         "en": "{run} is not a run folder: its manifest.json cannot be read ({error}). Give a "
                                               "folder written by quota run."},
    "error.ledger.not_a_run": {"zh": "{run} 不是运行结果文件夹(其 manifest.json 不是 quota run 写的)。请给出 quota run 写出的文件夹。",
                               "en": "{run} is not a run folder (its manifest.json is not a quota run's). Give a folder "
                                     "written by quota run."},
    "error.ledger.run_missing": {"zh": "{run} 不是完整的运行结果文件夹:缺少 {name}。" + _AGAIN["zh"],
                                 "en": "{run} is not a whole run folder: {name} is missing. " + _AGAIN["en"]},
    "error.ledger.run_unlisted": {"zh": "{run} 不是完整的运行结果文件夹:{name} 不在其 manifest.json 中。" + _AGAIN["zh"],
                                  "en": "{run} is not a whole run folder: {name} is not in its manifest. " + _AGAIN["en"]},
    "error.ledger.run_changed": {"zh": "{path} 在运行结果写出后被改动过(其 SHA-256 与 manifest.json 中的不同),台账不予记录。"
                                       "请重新运行该情景,或查看 `quota audit {run}`。",
                                 "en": "{path} changed after the run was written (its SHA-256 differs from the manifest's), "
                                       "so the ledger will not record it. Run the scenario again, or see `quota audit {run}`."},
    "error.ledger.run_projects": {"zh": "{run}:allocations.csv 中的项目 {projects} 不在 projects.csv 中。",
                                  "en": "{run}: allocations.csv names project(s) {projects} that projects.csv does not hold."},
    "error.ledger.adopt_nothing": {"zh": "运行结果 {run} 在 {year} 年没有批准任何项目(其配置在 {years} 年);未采纳任何内容。",
                                   "en": "the run {run} approves nothing in {year} (its allocations are in {years}); nothing "
                                         "was adopted."},
    "error.ledger.adopt_nothing_at_all": {"zh": "运行结果 {run} 在 {year} 年没有批准任何项目(它在任何年份都没有配置);未采纳任何内容。",
                                          "en": "the run {run} approves nothing in {year} (its allocations are in no year); "
                                                "nothing was adopted."},
    "error.ledger.adopt_date": {"zh": "批准日期 {date} 不在 {year} 年内;请给出所采纳年份内的日期。",
                                "en": "the approval date {date} is not in {year}; give a date in the year adopted."},
    "error.ledger.adopt_held": {"zh": "台账中已有 {year} 年的 {n} 行批准记录(批次 {batch});未采纳任何内容。加上 --replace 可将其标记为"
                                      "已被取代(仍予保留),改记本次运行的结果。",
                                "en": "the ledger already holds {n} approval row(s) for {year} (batch {batch}); nothing was "
                                      "adopted. Add --replace to mark them superseded (they are kept) and record this run's "
                                      "instead."},
    "error.ledger.adopt_other_one": {"zh": "{project} 第 {phase} 期已于 {year} 年获批(批次 {batch})",
                                     "en": "{project} phase {phase} was approved in {year} (batch {batch})"},
    "error.ledger.adopt_other": {"zh": "该运行结果在 {year} 年批准的分期,台账记为在其他年份已获批:{shown_zh}。运行结果与台账矛盾;"
                                       "请固定过去重新规划(quota run --ledger URL --as-of 年份),或改正台账中的批准记录。",
                                 "en": "the run approves in {year} phases the ledger holds as approved in another year: "
                                       "{shown}. The run contradicts the ledger; re-plan with the past fixed (quota run "
                                       "--ledger URL --as-of YEAR), or correct the ledger's approvals."},
    # quota.ledger.schema: the database
    "error.ledger.bad_url": {"zh": "{url} 既不是数据库 URL,也不是文件路径。SQLite 台账请给出文件(ledger.db),"
                                   "或给出 `postgresql+psycopg://user@host/database` 这样的 URL。",
                             "en": "{url} is not a database URL nor a file path. Give a file (ledger.db) for a SQLite "
                                   "ledger, or a URL such as postgresql+psycopg://user@host/database."},
    "error.ledger.no_driver": {"zh": "未安装 {name} 的数据库驱动 {driver};使用 PostgreSQL 请安装带扩展的 quota:"
                                     "`pip install 'quota[postgresql]'`。",
                               "en": "the database driver {driver} for {name} is not installed; for PostgreSQL install "
                                     "quota with the extra: pip install 'quota[postgresql]'."},
    "error.ledger.bad_database": {"zh": "{name} 不是 quota 可用的数据库;请给出 SQLite 文件或 `postgresql+psycopg://` URL。",
                                  "en": "{name} is not a database quota can use; give a SQLite file or a postgresql+psycopg:// "
                                        "URL."},
    "error.ledger.none_at": {"zh": "{path} 处没有台账。请用 `quota ledger init {path}`(或任何写入台账的命令)建立,或检查路径。",
                             "en": "there is no ledger at {path}. Create it with `quota ledger init {path}` (or any command "
                                   "that writes to it), or check the path."},
    "error.ledger.unusable": {"zh": "台账数据库 {url} 无法使用:{error}。请检查 URL 或路径、服务器是否在运行,以及是否有写入权限。",
                              "en": "the ledger database {url} cannot be used: {error}. Check the URL or path, that the "
                                    "server runs and that you may write there."},
    "error.ledger.not_a_ledger": {"zh": "{url} 不是 quota 台账:其中有数据表 {tables},却没有 ledger_version 表。请为台账另给一个数据库或文件。",
                                  "en": "{url} is not a quota ledger: it holds the table(s) {tables} but no ledger_version "
                                        "table. Give another database or file for the ledger."},
    "error.ledger.newer": {"zh": "台账 {url} 的结构版本为 {found},高于本版 quota {version} 所知的版本(最高 {known}):它由更新版本的 "
                                 "quota 写成。请升级 quota(`pip install -U quota`)后再使用;未作任何改动。",
                           "en": "the ledger {url} has schema version {found}, newer than this quota {version} knows (up to "
                                 "{known}): it was written by a later quota. Upgrade quota (pip install -U quota) to use "
                                 "it; nothing was changed."},
    "error.ledger.empty": {"zh": "{url} 中没有 quota 台账。请用 `quota ledger init URL` 建立。",
                           "en": "{url} holds no quota ledger. Create one with `quota ledger init URL`."},
}
