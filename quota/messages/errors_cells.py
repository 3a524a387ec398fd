"""Errors of the table cells (quota.input.cells): a column missing, a cell empty or not of its kind.

Keys ``input.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``); ``<key>.hint`` is the fix. ``{col}`` is the
column, ``{text}`` the cell as written (quoted).
"""
from __future__ import annotations

ERRORS_CELLS: dict[str, dict[str, str]] = {
    "input.missing-column": {"zh": "缺少必填列 `{col}`。", "en": "the required column '{col}' is missing."},
    "input.missing-column.fix_unit": {
        "zh": "列 {name} 看来就是 '{col}',只是列名中带了单位:请改名为 '{col}'。面积按情景的单位填写(在 scenario.yaml 中"
              "用 `unit: ha` 或 `unit: mu` 统一设定),金额单位为万元。",
        "en": "the column {name} looks like '{col}' with a unit in its name: rename it '{col}'. Areas are in the "
              "scenario's unit, set once by `unit: ha` or `unit: mu` in scenario.yaml; money is in 万元."},
    "input.missing-column.fix_rename": {"zh": "把列 {name} 改名为 '{col}'(列名须与数据格式说明完全一致)。",
                                        "en": "rename the column {name} to '{col}' (the names must be written exactly as "
                                              "in the data contract)."},
    "input.missing-column.fix_add": {"zh": "添加 '{col}' 列(现有的列为:{found})。",
                                     "en": "add a '{col}' column (the columns found are: {found})."},
    "input.formula-no-value": {"zh": "是公式 {formula},但没有保存的计算结果;程序只读取 Excel 保存的数值,从不计算公式。",
                               "en": "holds the formula {formula} and no saved result; quota reads the values Excel saved "
                                     "and never evaluates a formula."},
    "input.formula-no-value.hint": {"zh": "在 Excel 中打开并保存工作簿(保存时会存下每个结果),或粘贴为数值(选择性粘贴 → 数值)。",
                                    "en": "open and save the workbook in Excel (it saves each result), or paste the values "
                                          "(选择性粘贴 → 数值)."},
    "input.empty-cell": {"zh": "为空;模型在此需要一个值,程序不会自行补值。",
                         "en": "is empty; the model needs a value here and fills none in."},
    "input.empty-cell.hint": {"zh": "为这一行填写 `{col}`。", "en": "write the {col} for this row."},
    "input.bad-character.text": {"zh": "含有控制字符 {char}(第 {at} 个字符),会使报告和输出表格出现乱码。",
                                 "en": "holds the control character {char} (at position {at}); it would garble the report "
                                       "and the output tables."},
    "input.bad-character.text.hint": {"zh": "删除该字符(换行或制表符请改为空格)。",
                                      "en": "delete it (a line break or tab: write a space instead)."},
    "input.bad-character.id": {"zh": "编号 {text} 含有不可见字符 {char}(第 {at} 个字符);去掉它后看起来相同的编号会被当成另一个。",
                               "en": "the id {text} holds the invisible character {char} (at position {at}); an id that "
                                     "looks the same without it would be taken for another."},
    "input.bad-character.id.hint": {"zh": "删除该字符:用普通字符重新输入编号。",
                                    "en": "delete the character: retype the id in plain characters."},
    "input.bad-value.bool": {"zh": "{text} 不是“是”或“否”。", "en": "{text} is not true or false."},
    "input.bad-value.bool.hint": {"zh": "填写 是/否、true/false、1/0 或 yes/no。", "en": "write true/false, 1/0, yes/no or 是/否."},
    "input.bad-value.category": {"zh": "{text} 不是项目类别。", "en": "{text} is not a category."},
    "input.bad-value.category.hint": {"zh": "填写工业、基础设施、民生、商服、文旅、住宅、其他之一(或英文代码 {known})。",
                                      "en": "use one of {known} (or 工业, 基础设施, 民生, 商服, 文旅, 住宅, 其他)."},
    "input.bad-value.key_level": {"zh": "{text} 不是重点项目级别。", "en": "{text} is not a key level."},
    "input.bad-value.key_level.hint": {"zh": "填写 {known} 之一,或留空。", "en": "use {known}, or leave it empty."},
    "input.bad-value.lock": {"zh": "{text} 不是锁定值。", "en": "{text} is not a lock."},
    "input.bad-value.lock.hint": {"zh": "填写 `in`(锁定入选)、`out`(锁定不选),或留空。", "en": "write in, out, or leave it empty."},
    "input.bad-value.cause": {"zh": "{text} 不是土地闲置的原因。", "en": "{text} is not a cause of idling."},
    "input.bad-value.cause.hint": {"zh": "填写 `enterprise`(企业原因)或 `government`(政府原因)。",
                                   "en": "write enterprise or government."},
    "input.bad-value.cause_kind": {"zh": "{text} 不是政府原因造成闲置的情形(53 号令第八条)。",
                                   "en": "{text} is not a government cause of idling (Order 53 Art. 8)."},
    "input.bad-value.cause_kind.hint": {"zh": "填写 {aliases} 之一(或代码 {known})。",
                                        "en": "use one of {known} (or {aliases})."},
    "input.bad-value.date": {"zh": "{text} 不是日期。", "en": "{text} is not a date."},
    "input.bad-value.date.hint": {"zh": "按 `YYYY-MM-DD` 格式填写(如 2024-03-31)。", "en": "write it as YYYY-MM-DD."},
    "input.bad-value.date_range": {"zh": "{date} 不是合理的日期。", "en": "{date} is not a plausible date."},
    "input.bad-value.date_range.hint": {"zh": "填写 {lo} 年至 {hi} 年之间的日期。", "en": "write a date between {lo} and {hi}."},
    "input.bad-value.number": {"zh": "{text} 不是数字。", "en": "{text} is not a number."},
    "input.bad-value.fix_unit": {"zh": "只写数字,不要带 {unit}:面积按情景的单位填写(在 scenario.yaml 中用 `unit: ha` 或 "
                                       "`unit: mu` 为整个情景统一设定),金额单位为万元,就业为人数。",
                                 "en": "write the number alone, without {unit}: areas are in the scenario's unit (`unit: ha` "
                                       "or `unit: mu` in scenario.yaml, one for the whole scenario), money in 万元, jobs as "
                                       "a count."},
    "input.bad-value.fix_formula": {"zh": "这是 Excel 公式;程序从不计算公式。请直接填写数值。",
                                    "en": "this is an Excel formula; quota never evaluates formulas. Write the value itself."},
    "input.bad-value.fix_number": {"zh": "把 `{col}` 写成普通数字。", "en": "write the {col} as a plain number."},
    "input.bad-value.finite": {"zh": "{text} 不是有限的数。", "en": "{text} is not a finite number."},
    "input.bad-value.finite.hint": {"zh": "把 `{col}` 写成有限的数。", "en": "write the {col} as a finite number."},
    "input.bad-value.whole": {"zh": "{text} 不是整数。", "en": "{text} is not a whole number."},
    "input.bad-value.whole.hint": {"zh": "把 `{col}` 写成整数。", "en": "write the {col} as a whole number."},
    "input.bad-value.year": {"zh": "{number} 不是合理的年份。", "en": "{number} is not a plausible year."},
    "input.bad-value.year.hint": {"zh": "填写 {lo} 至 {hi} 之间的年份。", "en": "write a year between {lo} and {hi}."},
    "input.bad-value.phase": {"zh": "分期号不能为 {number};分期从 1 开始编号。",
                              "en": "phase {number} is not allowed; phases count from 1."},
    "input.bad-value.phase.hint": {"zh": "分期依次编号为 1、2、3……", "en": "number the phases 1, 2, 3, ..."},
    "input.bad-value.phase_huge": {"zh": "分期号 {number} 太大;分期号最大为 {most}。",
                                   "en": "phase {number} is too large; a phase number is at most {most}."},
    "input.bad-value.negative": {"zh": "{number} 是负数。", "en": "{number} is negative."},
    "input.bad-value.negative.hint": {"zh": "`{col}` 不能为负;请改正符号。", "en": "a {col} cannot be negative; correct the sign."},
    "input.bad-value.share": {"zh": "{number} 大于 1;比例是占整体的份额。",
                              "en": "{number} is above 1; a share is a fraction of the whole."},
    "input.bad-value.share.hint": {"zh": "把 `{col}` 写成 0 到 1 之间的数(30% 写 0.3)。",
                                   "en": "write the {col} between 0 and 1 (0.3 for 30%)."},
    "input.bad-value.zero_area": {"zh": "为零;项目或分期的面积必须大于零。",
                                  "en": "is zero; a project or phase must have a positive area."},
    "input.bad-value.zero_area.hint": {"zh": "填写面积,或删除这一行。", "en": "give the area, or remove the row."},
    "input.bad-value.huge_area": {"zh": "{number} 作为面积大得离谱。", "en": "{number} is absurdly large for an area."},
    "input.bad-value.huge_area.hint": {"zh": "检查单位(公顷还是亩)和数字。", "en": "check the unit (ha or mu) and the digits."},
    "input.bad-value.tiny_area": {"zh": "{number} 面积过小:小于 {least} 公顷(0.01 平方米)时,求解器无法把它与零区分。",
                                  "en": "{number} is too small an area: below {least} ha (0.01 m²) the solver cannot tell "
                                        "it from zero."},
    "input.bad-value.tiny_area.hint": {"zh": "检查单位和数字;没有面积请填 0。", "en": "check the unit and the digits; write 0 for no area."},
    "input.bad-value.huge": {"zh": "{number} 大得离谱(超过 {limit});这样大的数会破坏目标函数的量纲平衡。",
                             "en": "{number} is absurdly large (more than {limit}); numbers this large break the scaling "
                                   "of the objective."},
    "input.bad-value.huge.hint": {"zh": "检查数字和单位(金额单位为万元)。", "en": "check the digits and the unit (money is in 万元)."},
    "input.normalised.digits": {"zh": "{text} 按 {value} 读入。", "en": "{text} was read as {value}."},
    "input.normalised.digits.hint": {"zh": "改用半角数字即可消除此提示。", "en": "write plain ASCII digits to silence this warning."},
    "input.normalised.letters": {"zh": "{text} 按 {value} 读入。", "en": "{text} was read as {value}."},
    "input.normalised.letters.hint": {"zh": "改用半角字母即可消除此提示。", "en": "write plain ASCII letters to silence this warning."},
}
