"""Errors of the scenario as a whole (quota.input.read, rules, rulesets, variants, validate; the grid of
quota.commands.sweep_grid): files and tables that are missing, ``extends`` chains, rule sets, ``--set`` and
``--grid``, the tables the chosen rules need.

Keys ``scenario.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``); ``<key>.hint`` is the fix.
"""
from __future__ import annotations

ERRORS_SCENARIO: dict[str, dict[str, str]] = {
    # quota.input.read: the scenario's files
    "scenario.missing-scenario": {"zh": "情景文件或文件夹不存在。", "en": "the scenario file or folder does not exist."},
    "scenario.missing-scenario.hint": {"zh": "给出含有 scenario.yaml 的文件夹、一个 .yaml 文件或一个 .xlsx 工作簿。",
                                       "en": "give a folder holding scenario.yaml, a .yaml file or an .xlsx workbook."},
    "scenario.extends-cycle": {"zh": "`extends` 又指回了继承链中已有的文件:{loop}。",
                               "en": "`extends` leads back to a file already in the chain: {loop}."},
    "scenario.extends-cycle.hint": {"zh": "解开这些 yaml 文件之间的循环:其中一个不能再继承其他文件。",
                                    "en": "remove the loop between the yaml files: one of them must extend none of the others."},
    "scenario.yaml-type.tables": {"zh": "必须是“表名: 文件”的映射。", "en": "must be a mapping of table name to file."},
    "scenario.yaml-type.tables.hint": {"zh": "例如写 `tables: {{projects: projects.csv}}`。",
                                       "en": "write e.g. `tables: {{projects: projects.csv}}`."},
    "scenario.unknown-key.table": {"zh": "不是情景的数据表。", "en": "is not a table of the scenario."},
    "scenario.unknown-key.table.hint": {"zh": "数据表有:{tables}。", "en": "the tables are {tables}."},
    "scenario.unknown-key.table_close": {"zh": "是否想写 {close}?数据表有:{tables}。",
                                         "en": "did you mean {close}? the tables are {tables}."},
    "scenario.yaml-type.extends": {"zh": "必须是文件名。", "en": "must be a file name."},
    "scenario.yaml-type.extends.hint": {"zh": "例如写 `extends: base.yaml`。", "en": "write e.g. `extends: base.yaml`."},
    "scenario.extends-missing": {"zh": "文件 {file} 不存在。", "en": "the file {file} does not exist."},
    "scenario.extends-missing.hint": {"zh": "写出相对于本文件的 yaml 文件路径。", "en": "name a yaml file relative to this one."},
    "scenario.extends-type": {"zh": "{file} 是 {name},不是 .yaml 文件;`extends` 应写情景的 yaml 文件或文件夹。",
                              "en": "{file} is {name}, not a .yaml file; `extends` names a scenario yaml file or folder."},
    "scenario.extends-type.hint": {"zh": "写出基础情景的 .yaml 文件(或其文件夹)。",
                                   "en": "name the base scenario's .yaml file (or its folder)."},
    "scenario.yaml-type.path": {"zh": "必须是文件名。", "en": "must be a file name."},
    "scenario.yaml-type.path.hint": {"zh": "例如写 `{name}: {example}`。", "en": "write e.g. `{name}: {example}`."},
    "scenario.yaml-type.path_unusable": {"zh": "{value} 不是可用的文件名。", "en": "{value} is not a usable file name."},
    "scenario.path-escape": {"zh": "路径 {value} 越出了情景文件夹,不予读取。", "en": "the path {value} leaves the scenario folder; it is refused."},
    "scenario.path-escape.hint": {"zh": "把文件放在 yaml 文件所在文件夹(或其子文件夹)中,并写相对于该文件夹的路径。",
                                  "en": "put the file in the folder of the yaml file (or below it) and name it relative to "
                                        "that folder."},
    "scenario.table-missing.named": {"zh": "{name} 表的文件不存在。", "en": "the {name} table file does not exist."},
    "scenario.table-missing.named.hint": {"zh": "在 yaml 文件旁建立 {file},或改正 `tables.{name}`。",
                                          "en": "create {file} beside the yaml file, or fix `tables.{name}`."},
    "scenario.table-missing.required": {"zh": "没有找到必需的 {name} 表。", "en": "the required {name} table was not found."},
    "scenario.table-missing.required.hint": {"zh": "在 scenario.yaml 旁添加 {name}.csv,或在 `tables` 下写明它。",
                                             "en": "add {name}.csv beside scenario.yaml, or name it under `tables`."},
    "scenario.layer-missing": {"zh": "{key} 图层文件不存在。", "en": "the {key} layer file does not exist."},
    "scenario.layer-missing.hint": {"zh": "把 {file} 放在 yaml 文件旁(或其子文件夹中),或改正 `spatial.{key}`。",
                                    "en": "put {file} beside the yaml file (or below it), or fix `spatial.{key}`."},
    # quota.input.validate
    "scenario.empty-table.projects": {"zh": "`projects` 表没有数据行;没有可分配的项目。",
                                      "en": "the projects table has no rows; there is nothing to allocate."},
    "scenario.empty-table.projects.hint": {"zh": "在表头下至少添加一个候选项目。",
                                           "en": "add at least one candidate project under the header."},
    "scenario.empty-table.counties": {"zh": "`counties` 表没有数据行;任何项目都无处安排。",
                                      "en": "the counties table has no rows; no project can be placed."},
    "scenario.empty-table.counties.hint": {"zh": "在表头下为每个县添加一行。", "en": "add a row per county under the header."},
    "scenario.missing-key.assessment_date": {"zh": "给出了闲置地块(idle_parcels),却没有认定基准日,无法认定任何地块。",
                                             "en": "idle_parcels are given but no assessment date, so no parcel can be "
                                                   "classified."},
    "scenario.missing-key.assessment_date.hint": {"zh": "在 scenario.yaml 中添加 `idle_land: {{assessment_date: 2023-06-30}}`。",
                                                  "en": "add `idle_land: {{assessment_date: 2023-06-30}}` to scenario.yaml."},
    "scenario.folded": {"zh": "共有 {n} 处给出这一提示({rows_zh});第一处,{first_zh}:{message_zh}",
                        "en": "{n} rows give this warning (rows {rows}); the first, row {first}: {message}"},
    # quota.input.rulesets
    "scenario.unknown-rule-set": {"zh": "{name} 不是规则集;可用的规则集有 {known}。",
                                  "en": "{name} is not a rule set; the known ones are {known}."},
    "scenario.unknown-rule-set.hint": {"zh": "填写其中之一(如 `rules: {first}`),或删除该键以沿用第一版合同;"
                                             "`quota rules` 列出各规则集及其改动。",
                                       "en": "write one of them (e.g. `rules: {first}`), or remove the key to keep the first "
                                             "contract; `quota rules` lists them with what each one changes."},
    "scenario.rule-set-cycle": {"zh": "规则集相互继承,形成循环:{loop}。", "en": "the rule sets extend each other in a loop: {loop}."},
    "scenario.rule-set-cycle.hint": {"zh": "让其中一个不再继承其他规则集。", "en": "make one of them extend none of the others."},
    "scenario.yaml-type.rule_keys": {"zh": "必须为每个规则键给出取值、来源和是否已核实。",
                                     "en": "must map each rule key to its value, source and confirmation."},
    "scenario.yaml-type.rule_keys.hint": {"zh": "写 `keys: {{restriction.below: {{value: 0.15, source: ..., confirmed: \"no\", "
                                                "zh: ..., en: ...}}}}`。",
                                          "en": "write `keys: {{restriction.below: {{value: 0.15, source: ..., confirmed: "
                                                "\"no\", zh: ..., en: ...}}}}`."},
    "scenario.unknown-rule-key": {"zh": "不是规则集可以给出的键。", "en": "is not a key a rule set may give."},
    "scenario.unknown-rule-key.alias": {"zh": "不是规则集可以给出的键(它是 {alias} 的旧名)。",
                                        "en": "is not a key a rule set may give (it is the old name of {alias})."},
    "scenario.unknown-rule-key.hint": {"zh": "使用 {known} 之一。", "en": "use one of {known}."},
    "scenario.rule-entry.fields": {"zh": "必须给出 {fields};没有来源的规则无法在报告中列示。",
                                   "en": "must give {fields}; a rule without its source cannot be shown in the report."},
    "scenario.rule-entry.fields.hint": {"zh": "像随附的规则集那样写全每一项。", "en": "write every field, as the shipped sets do."},
    "scenario.rule-entry.confirmed": {"zh": "`confirmed` 为 {value}。", "en": "confirmed is {value}."},
    "scenario.rule-entry.confirmed.hint": {"zh": "填写 {known} 之一。", "en": "write one of {known}."},
    "scenario.rule-entry.source_zh": {"zh": "`source_zh` 为 {value},不是文本。", "en": "source_zh is {value}, not a text."},
    "scenario.rule-entry.source_zh.hint": {"zh": "把来源的中文标题和条款写成文本,或删去 source_zh。",
                                           "en": "write the source's Chinese title and article as text, or leave source_zh out."},
    "scenario.yaml-type.rules": {"zh": "必须是规则集的名称,而不是 {value}。", "en": "must be the name of a rule set, not {value}."},
    "scenario.yaml-type.rules.hint": {"zh": "例如写 `rules: national-2024`;`quota rules` 列出各规则集。",
                                      "en": "write e.g. `rules: national-2024`; `quota rules` lists the sets."},
    # quota.input.rules: what the chosen rules need
    "scenario.missing-column.cap_base": {"zh": "linkage.mode 为 {mode} 时需要每个县的基础指标(cap_base):核算的指标加在它之上。",
                                         "en": "linkage.mode {mode} needs each county's base quota (基础指标): earned quota is "
                                               "added to it."},
    "scenario.missing-column.cap_base.hint": {"zh": "添加 cap_base 列(可以为 0)。", "en": "add a cap_base column (0 allowed)."},
    "scenario.empty-cell.cap_base": {"zh": "为空,但 linkage.mode 为 {mode} 时需要该县的基础指标:核算的指标加在它之上。",
                                     "en": "is empty, but linkage.mode {mode} needs the county's base quota (基础指标): "
                                           "earned quota is added to it."},
    "scenario.empty-cell.cap_base.hint": {"zh": "填写基础指标;该县没有时填 0。", "en": "write the base quota, or 0 when the county has none."},
    "scenario.empty-cell.extra_cost": {"zh": "为空,而 extra_max 允许额外处置;模型会不计成本地选择它。",
                                       "en": "is empty while extra_max allows extra disposal; the model would choose it for "
                                             "nothing."},
    "scenario.empty-cell.extra_cost.hint": {"zh": "填写每公顷的成本(万元或目标函数单位)。",
                                            "en": "write the cost per ha (万元 or objective units)."},
    "scenario.stock-exceeds": {"zh": "可用存量 usable_stock {usable} {unit} 大于 unsupplied_stock + idle_stock = {stocks} {unit};"
                                     "在这些规则下,动用存量即为处置,处置后的土地不再是存量。",
                               "en": "usable_stock {usable} {unit} is more than unsupplied_stock + idle_stock = {stocks} "
                                     "{unit}; under these rules stock drawn is disposal, and disposed land leaves the stock."},
    "scenario.stock-exceeds.hint": {"zh": "调低 usable_stock,或改正存量数字。", "en": "lower usable_stock, or correct the stocks."},
    "scenario.year-outside-horizon": {"zh": "{year} 年在规划期 {first}—{last} 年之外;那时计划的处置不能计入。",
                                      "en": "{year} is outside the horizon {first}–{last}; disposal planned then cannot count."},
    "scenario.year-outside-horizon.hint": {"zh": "删除该行,或改正年份。", "en": "remove the row, or correct the year."},
    "scenario.year-outside-history": {"zh": "{year} 年不在规划期首年 {first} 年之前;历史数据给的是规划期之前各年"
                                            "(规划期内各年由模型算出)。",
                                      "en": "{year} is not before the horizon's first year {first}; history gives the years "
                                            "before it (the horizon's own years come from the model)."},
    "scenario.year-outside-history.hint": {"zh": "删除该行,或改正年份。", "en": "remove the row, or correct the year."},
    "scenario.duplicate-row.county_year": {"zh": "同一县同一年出现在不止一行。", "en": "this county and year appear on more than one row."},
    "scenario.duplicate-row.county_year.hint": {"zh": "每个县每年只保留一行。", "en": "keep one row per county and year."},
    "scenario.table-missing.history": {"zh": "restriction.trigger 为 supply_rate 时,需要每个县在规划期前 {window} 年"
                                             "({first}—{last} 年)的批准和供应面积。",
                                       "en": "restriction.trigger supply_rate needs each county's land approved and supplied "
                                             "in the {window} years before the horizon ({first}–{last})."},
    "scenario.table-missing.history.hint": {"zh": "添加 history.csv(`county_id`、`year`、`approved`、`supplied` 四列),或在 `tables` 下写明它。",
                                            "en": "add history.csv (county_id, year, approved, supplied), or name it under "
                                                  "`tables`."},
    "scenario.history-short": {"zh": "缺少 {missing} 年的行;无法计算该县近 {window} 年的供地率。",
                               "en": "has no row for {missing}; the supply rate over the last {window} years cannot be "
                                     "computed for this county."},
    "scenario.history-short.hint": {"zh": "{first}—{last} 年每年添加一行(当年没有批准时,批准和供应都填 0)。",
                                    "en": "add a row per year {first}–{last} (0 approved and 0 supplied when nothing was "
                                          "approved)."},
    "scenario.not-implemented.static": {"zh": "规则 {key}({value})在 `restriction.dynamic` 不为 `true` 时尚未实现:静态限批适用整个规划期。",
                                        "en": "rule {key} ({value}) is not implemented yet without restriction.dynamic true: "
                                              "static restriction holds for the whole horizon."},
    "scenario.not-implemented.static.hint": {"zh": "添加 `restriction: {{dynamic: true}}`,或删除该键(0 表示整个规划期)。",
                                             "en": "add `restriction: {{dynamic: true}}`, or remove the key (0: the whole "
                                                   "horizon)."},
    "scenario.not-implemented": {"zh": "规则 {key}({value})尚未实现:模型在这里仍按第一版合同处理,结果会在不知不觉中出错。",
                                 "en": "rule {key} ({value}) is not implemented yet: the model still follows the first "
                                       "contract here, so the result would be silently wrong."},
    "scenario.not-implemented.from_set": {"zh": "规则 {key}({value},来自规则集 {rule_set})尚未实现:模型在这里仍按第一版合同处理,"
                                                "结果会在不知不觉中出错。",
                                          "en": "rule {key} ({value}) is not implemented yet (from rule set {rule_set}): the "
                                                "model still follows the first contract here, so the result would be "
                                                "silently wrong."},
    "scenario.not-implemented.hint": {"zh": "删除该键,或填写第一版合同的取值({first}),或使用 `rules: contract-2023`。",
                                      "en": "remove the key or give the first contract's value ({first}), or use `rules: "
                                            "contract-2023`."},
    "scenario.method.factor": {"zh": "因素法(`--method factor`)", "en": "the factor method (--method factor)"},
    "scenario.not-supported": {"zh": "{path_zh}不遵循规则 {key}({value}):其分配结果会无视这条规则。",
                               "en": "{path} does not follow rule {key} ({value}): its allocation would ignore the rule."},
    "scenario.not-supported.hint": {"zh": "运行优化模型(默认方法),或填写第一版合同的取值({first})。",
                                    "en": "run the optimiser (the default method), or give the first contract's value "
                                          "({first})."},
    "scenario.not-supported.factor": {"zh": "因素法(`--method factor`)不分配 {key}:它只切分市级指标。",
                                      "en": "the factor method (--method factor) does not allocate {key}: it shares out the "
                                            "city quota only."},
    "scenario.not-supported.factor.hint": {"zh": "运行优化模型(`--method optimise`),或把 {key} 设为第一版合同的取值",
                                           "en": "run the optimiser (--method optimise), or set {key} to its first-contract value"},
    # quota.input.variants: --set
    "scenario.bad-set": {"zh": "不是 KEY.PATH=VALUE 的形式。", "en": "is not of the form KEY.PATH=VALUE."},
    "scenario.bad-set.hint": {"zh": "例如写 `--set linkage.penalty=2` 或 `--set quota.scale=0.9`。",
                              "en": "write e.g. `--set linkage.penalty=2` or `--set quota.scale=0.9`."},
    "scenario.unknown-key.set": {"zh": "全部键见 docs/zh/scenario-format.md。", "en": "see docs/scenario-format.md for every key."},
    "scenario.unknown-key.not_settable_tables": {"zh": "不能在命令行中设置:数据表路径相对于写明它的 yaml 文件所在文件夹解析。"
                                                       "请改写一个带 `extends:` 的变体 yaml。",
                                                 "en": "cannot be set from the command line: table paths resolve against the "
                                                       "folder of the yaml file that names them. Write a variant yaml with "
                                                       "`extends:` instead."},
    "scenario.unknown-key.not_settable_extends": {"zh": "不能在命令行中设置:变体继承哪个情景由 yaml 文件自己选定。"
                                                        "请改写一个带 `extends:` 的变体 yaml。",
                                                  "en": "cannot be set from the command line: a variant's parent is chosen "
                                                        "by the yaml file itself. Write a variant yaml with `extends:` "
                                                        "instead."},
    "scenario.unknown-key.top": {"zh": "不是情景参数的键;最外层的键有 {keys}。",
                                 "en": "is not a scenario key; the top-level keys are {keys}."},
    "scenario.unknown-key.year_map": {"zh": "不是情景参数的键;{top} 之下应写年份(如 {top}.2024)或 {top}.scale。",
                                      "en": "is not a scenario key; under {top} give a year (e.g. {top}.2024) or {top}.scale."},
    "scenario.unknown-key.single": {"zh": "不是情景参数的键:{prefix} 是单个值,不是映射。",
                                    "en": "is not a scenario key: {prefix} is a single value, not a mapping."},
    "scenario.unknown-key.under": {"zh": "不是情景参数的键;{prefix} 之下的键有 {keys}。",
                                   "en": "is not a scenario key; the keys under {prefix} are {keys}."},
    "scenario.yaml-type.scale": {"zh": "必须是非负数,而不是 {value}。", "en": "must be a non-negative number, not {value}."},
    "scenario.yaml-type.scale.hint": {"zh": "例如写 `--set {key}=0.9`,把每年的 {top} 压减 10%。",
                                      "en": "write e.g. `--set {key}=0.9` to cut every year's {top} by 10%."},
    "scenario.yaml-type.scale_none": {"zh": "要把每年的 {top} 乘以系数,但情景中没有给出 {top}。",
                                      "en": "multiplies every year's {top}, but the scenario has none."},
    "scenario.yaml-type.scale_not_map": {"zh": "要把每年的 {top} 乘以系数,但情景没有按“年份: 面积”的映射给出它。",
                                         "en": "multiplies every year's {top}, but the scenario does not give it as a "
                                               "mapping of year to area."},
    "scenario.yaml-type.scale_none.hint": {"zh": "在情景中给出 `{top}: {{2023: ..., 2024: ...}}`,或去掉这个 --set。",
                                           "en": "give `{top}: {{2023: ..., 2024: ...}}` in the scenario, or drop this --set."},
    # quota.commands.sweep_grid: --set and --grid of a sweep
    "scenario.bad-set.sweep": {"zh": "不是 KEY.PATH=V1,V2,... 的形式。", "en": "is not of the form KEY.PATH=V1,V2,..."},
    "scenario.bad-set.sweep.hint": {"zh": "例如写 `--set linkage.penalty=0,0.5,1,2`。", "en": "write e.g. --set linkage.penalty=0,0.5,1,2"},
    "scenario.bad-set.twice": {"zh": "被扫描了两次。", "en": "is swept twice."},
    "scenario.bad-set.twice.hint": {"zh": "每个键只给一次,写在 --set 或 --grid 中。", "en": "give each key once, in --set or in --grid."},
    "scenario.bad-set.empty": {"zh": "没有列出任何值。", "en": "lists no value."},
    "scenario.bad-set.empty.hint": {"zh": "在 = 之后给出一个或多个值。", "en": "give one or more values after =."},
    "scenario.grid": {"zh": "必须把每个键对应到一组取值。", "en": "must map keys to lists of values."},
    "scenario.grid.hint": {"zh": "例如写 `linkage.penalty: [0, 0.5, 1, 2]`。", "en": "write e.g. `linkage.penalty: [0, 0.5, 1, 2]`."},
}
