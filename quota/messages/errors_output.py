"""Errors of the output folders and of the commands that read run folders (quota.report.write, quota.report.safety,
quota.explain.project, quota.check.audit, quota.check.provenance, quota.commands.compare, quota.commands.audit_idle,
quota.commands.sweep and its grid).

Keys ``error.<area>.<name>``, raised through ``QuotaError.of``; ``error.out.kind.*`` name the kinds of folder.
"""
from __future__ import annotations

_OTHER_OUT = {"zh": "请另选 --out。", "en": "Choose another --out."}
_AGAIN = {"zh": "请重新运行该情景。", "en": "Run the scenario again."}
_COMPLETE = {"zh": "请重新运行该情景,得到完整的运行结果文件夹。", "en": "Run the scenario again to get a complete run folder."}

ERRORS_OUTPUT: dict[str, dict[str, str]] = {
    "error.more": {"zh": " 等(另有 {n} 个)", "en": " and {n} more"},
    # quota.report.write: where a command writes
    "error.out.kind.run": {"zh": "运行结果文件夹(`quota run`)", "en": "a run folder (quota run)"},
    "error.out.kind.comparison": {"zh": "对比结果文件夹(`quota compare`)", "en": "a comparison folder (quota compare)"},
    "error.out.kind.sweep": {"zh": "参数扫描文件夹(`quota sweep`)", "en": "a sweep folder (quota sweep)"},
    "error.out.kind.scenario": {"zh": "生成的情景文件夹(`quota generate`)", "en": "a generated scenario folder (quota generate)"},
    "error.out.kind.ledger": {"zh": "台账导出文件夹(`quota ledger export`)", "en": "a ledger export folder (quota ledger export)"},
    "error.out.kind.idle_audit": {"zh": "闲置土地核查文件夹(`quota audit-idle`)", "en": "an idle-land audit folder (quota audit-idle)"},
    "error.out.is_input": {"zh": "--out {out} 就是本命令的输入 {item};写到那里会毁掉它。请另选 --out(一个新文件夹)。",
                           "en": "--out {out} is the input {item} of this command; writing there would destroy it. Choose "
                                 "another --out (a new folder)."},
    "error.out.holds_input_writing": {"zh": "--out {out} 中有本命令的输入 {item};写入会删除该输入。请另选 --out(输入之外的新文件夹)。",
                                      "en": "--out {out} holds the input {item} of this command; writing it would delete that "
                                            "input. Choose another --out (a new folder outside the inputs)."},
    "error.out.holds_input_replacing": {"zh": "--out {out} 中有本命令的输入 {item};替换会删除该输入。请另选 --out(输入之外的新文件夹)。",
                                        "en": "--out {out} holds the input {item} of this command; replacing it would delete "
                                              "that input. Choose another --out (a new folder outside the inputs)."},
    "error.out.not_a_folder": {"zh": "{out} 已存在且不是文件夹;" + _OTHER_OUT["zh"], "en": "{out} exists and is not a folder; choose another --out."},
    "error.out.resume_other": {"zh": "{out} 已存在,但不是{what_zh}(其中是{found_zh}:{some_zh});只有是时程序才会写入。"
                                     "请另选 --out,用新的或空的文件夹。",
                               "en": "{out} exists and is not {what} (it holds {found}: {some}); quota writes into it only "
                                     "if it is. Choose another --out, a new or empty folder."},
    "error.out.resume_unknown": {"zh": "{out} 已存在,但不是{what_zh}(其中没有 quota 的 manifest.json:{some_zh});只有是时程序才会写入。"
                                       "请另选 --out,用新的或空的文件夹。",
                                 "en": "{out} exists and is not {what} (it has no quota manifest.json: {some}); quota writes "
                                       "into it only if it is. Choose another --out, a new or empty folder."},
    "error.out.exists": {"zh": "输出文件夹 {out} 已存在;请另选 --out,或加 --force 替换它。",
                         "en": "the output folder {out} already exists; choose another --out, or pass --force to replace it."},
    "error.out.not_quota": {"zh": "{out} 不是 quota 写出的文件夹(其中没有 quota 输出的 manifest.json),所以 --force 不会替换它:"
                                  "那样会删除 {some_zh}。请移走这些文件,或另选 --out。",
                            "en": "{out} is not a folder quota wrote (no manifest.json of quota output in it), so --force "
                                  "will not replace it: that would delete {some}. Move those files away, or choose another "
                                  "--out."},
    "error.out.other_kind": {"zh": "{out} 中是{found_zh},不是{what_zh};--force 只替换同类文件夹。" + _OTHER_OUT["zh"],
                             "en": "{out} holds {found}, not {what}; --force replaces only a folder of the same kind. "
                                   + _OTHER_OUT["en"]},
    "error.out.foreign_files": {"zh": "{out} 中有不是 quota 写入的文件:{some_zh};--force 会删除它们。请移走这些文件,或另选 --out。",
                                "en": "{out} holds file(s) quota did not write there: {some}; --force would delete them. Move "
                                      "them away, or choose another --out."},
    "error.out.name_escapes": {"zh": "拒绝写入 {name}:该文件名越出了输出文件夹 {root}。这是 quota 的缺陷(文件名取自输入数据),请报告。",
                               "en": "refused to write {name}: the name leaves the output folder {root}. This is a bug in "
                                     "quota (a file name made from input data); please report it."},
    # quota.explain.project
    "error.run_folder.unreadable": {"zh": "{run} 不是可读的运行结果文件夹({error});请给出 `quota run --out` 写出的文件夹。",
                                    "en": "{run} is not a readable run folder ({error}); give the folder `quota run --out` "
                                          "wrote."},
    "error.explain.no_project": {"zh": "项目 {project} 不在 {file} 中;请检查编号。", "en": "project {project} is not in {file}; check the id."},
    "error.explain.inputs_changed": {"zh": "运行之后输入已改动({files});请先重新运行 `quota run` 再作解释。",
                                     "en": "the inputs changed since the run ({files}); re-run `quota run` before explaining."},
    # quota.check.audit, quota.check.provenance
    "error.audit.manifest": {"zh": "{run} 不是可读的运行结果文件夹:manifest.json({error})。请给出 `quota run --out` 写出的文件夹。",
                             "en": "{run} is not a readable run folder: manifest.json ({error}). Give the folder that "
                                   "`quota run --out` wrote."},
    "error.audit.relative_input": {"zh": "manifest.json 用相对路径写明输入 {name},而 {cwd} 中没有这个文件。请在运行时所在的文件夹中核查,"
                                         "或在 manifest.json 的 `inputs` 中写上绝对路径。",
                                   "en": "the manifest names the input {name} by a relative path, and {cwd} holds no such "
                                         "file. Run the audit from the folder the run was made in, or write the absolute "
                                         "path into manifest.json's inputs."},
    "error.audit.no_scenario": {"zh": "manifest.json 的输入中没有情景文件(.yaml 或 .xlsx)。",
                                "en": "the manifest names no scenario file (.yaml or .xlsx) among its inputs."},
    # quota.commands.compare: reading the two run folders
    "error.compare.a_file": {"zh": "运行结果文件夹 {path} 是文件,不是文件夹;请给出 `quota run` 写出的文件夹。",
                             "en": "the run folder {path} is a file, not a folder; give a folder written by `quota run`."},
    "error.compare.no_folder": {"zh": "运行结果文件夹 {path} 不存在;请给出 `quota run` 写出的文件夹。",
                                "en": "the run folder {path} does not exist; give a folder written by `quota run`."},
    "error.compare.json": {"zh": "{file} 无法按 JSON 读取({error});运行结果文件夹已损坏。" + _AGAIN["zh"],
                           "en": "{file} cannot be read as JSON ({error}); the run folder is damaged. " + _AGAIN["en"]},
    "error.compare.keys": {"zh": "{file} 缺少键 {missing},因此不是 `quota run` 写出的。" + _COMPLETE["zh"],
                           "en": "{file} lacks the key(s) {missing}, so it was not written by `quota run`. " + _COMPLETE["en"]},
    "error.compare.csv": {"zh": "{file} 无法按 UTF-8 CSV 表读取({error});运行结果文件夹已损坏。" + _AGAIN["zh"],
                          "en": "{file} cannot be read as a UTF-8 CSV table ({error}); the run folder is damaged. "
                                + _AGAIN["en"]},
    "error.compare.columns": {"zh": "{file} 缺少列 {missing},因此不是 `quota run` 写出的。" + _COMPLETE["zh"],
                              "en": "{file} lacks the column(s) {missing}, so it was not written by `quota run`. "
                                    + _COMPLETE["en"]},
    "error.compare.missing": {"zh": "缺少 {file}:{folder} 不是完整的运行结果文件夹。请给出 `quota run` 写出的文件夹,或重新运行该情景。",
                              "en": "{file} is missing: {folder} is not a complete run folder. Give a folder written by "
                                    "`quota run`, or run the scenario again."},
    # quota.commands.audit_idle
    "error.audit_idle.none": {"zh": "{scenario} 中没有闲置地块(没有 idle_parcels 表),无可核查。请添加 idle_parcels.csv 和 "
                                    "`tables: {{idle_parcels: idle_parcels.csv}}`(见 docs/zh/scenario-format.md)。",
                              "en": "{scenario} lists no idle parcels (no idle_parcels table), so there is nothing to audit. "
                                    "Add idle_parcels.csv and `tables: {{idle_parcels: idle_parcels.csv}}` "
                                    "(docs/scenario-format.md)."},
    # quota.commands.sweep, sweep_grid, sweep_folder
    "error.sweep.nothing": {"zh": "没有可扫描的参数:请给出 --set 键=值1,值2,... 或 --grid grid.yaml。",
                            "en": "nothing to sweep: give --set KEY=V1,V2,... or --grid grid.yaml."},
    "error.sweep.reuse": {"zh": "{folder} 中有 {n} 个点是用与本命令不同的输入或选项求解的,其结果不能沿用:\n{lines_zh}\n"
                                "加 --force 重新求解这些点(替换其文件夹),或另选 --out 保留两者。",
                          "en": "{folder} holds {n} point(s) solved with other inputs or options than this command, so "
                                "their results cannot be reused:\n{lines}\nPass --force to solve them again (their folders "
                                "are replaced), or choose another --out to keep both."},
    "error.sweep.group": {"zh": "  {n} 个点({shown}):{what}", "en": "  {n} point(s) ({shown}): {what}"},
    "error.sweep.differ.unreadable": {"zh": "其记录无法读取", "en": "its record is unreadable"},
    "error.sweep.differ.scenario": {"zh": "情景不同(当时为 {old},现在为 {new})", "en": "another scenario ({old} then, {new} now)"},
    "error.sweep.differ.input_gone": {"zh": "输入 {path} 已不再读取", "en": "input {path} is no longer read"},
    "error.sweep.differ.input_new": {"zh": "输入 {path} 是新增的", "en": "input {path} is new"},
    "error.sweep.differ.input_changed": {"zh": "输入 {path} 已改动(SHA-256 当时为 {old}…,现在为 {new}…)",
                                         "en": "input {path} changed (SHA-256 {old}… then, {new}… now)"},
    "error.sweep.differ.option": {"zh": "选项 {key}:当时为 {old},现在为 {new}", "en": "option {key}: {old} then, {new} now"},
}
