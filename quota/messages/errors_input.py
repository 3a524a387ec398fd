"""Errors of reading the input files (quota.input.files, tables, workbook, yamlfile): a file that cannot be read,
a CSV table or a workbook that is not well formed, YAML that is not safe.

Keys ``input.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``); ``<key>.hint`` is the fix. ``input.what.*``
and ``input.kind.*`` are the words filled into them.
"""
from __future__ import annotations

_CSV_UTF8 = {"zh": "在 Excel 中另存为“CSV UTF-8(逗号分隔)”", "en": "save the file again from Excel as 'CSV UTF-8 (逗号分隔)'"}

ERRORS_INPUT: dict[str, dict[str, str]] = {
    # which file: filled into the messages below as {what} / {what_zh}
    "input.what.table": {"zh": "{name} 表", "en": "{name} table"},
    "input.what.layer": {"zh": "{name} 图层", "en": "{name} layer"},
    "input.what.workbook": {"zh": "工作簿", "en": "workbook"},
    "input.what.yaml_file": {"zh": "yaml 文件", "en": "yaml file"},
    "input.what.fact_file": {"zh": "事实数据文件", "en": "fact file"},
    "input.kind.folder": {"zh": "文件夹", "en": "a folder"},
    "input.kind.fifo": {"zh": "命名管道(FIFO)", "en": "a named pipe (FIFO)"},
    "input.kind.char": {"zh": "字符设备", "en": "a character device"},
    "input.kind.block": {"zh": "块设备", "en": "a block device"},
    "input.kind.socket": {"zh": "套接字", "en": "a socket"},
    "input.kind.other": {"zh": "特殊文件", "en": "not a regular file"},
    # quota.input.files
    "input.file-unreadable": {"zh": "{what_zh}无法读取:{reason}。", "en": "the {what} cannot be read: {reason}."},
    "input.file-unreadable.hint": {"zh": "确保 {label} 是可以读取的文件。", "en": "make {label} a readable file."},
    "input.path-escape": {"zh": "{what_zh}是指向 {real} 的链接,在文件夹 {folder} 之外;程序不读取写明它的 yaml 文件所在文件夹"
                                "(未写明时为找到它的文件夹)以外的任何数据表。",
                          "en": "the {what} is a link to {real}, outside the folder {folder}; quota reads no table from "
                                "outside the folder of the yaml file that names it (or, unnamed, the folder it is found in)."},
    "input.path-escape.hint": {"zh": "把文件复制到 {folder} 中,不要用链接。",
                               "en": "copy the file into {folder} instead of linking to it."},
    "input.not-a-file": {"zh": "{what_zh}是{kind_zh},不是普通文件;程序只读取保存在磁盘上的文件。",
                         "en": "the {what} is {kind}, not a regular file; quota reads only files saved on disk."},
    "input.not-a-file.hint": {"zh": "给出保存为普通文件的{what_zh}。", "en": "give a {what} saved as an ordinary file."},
    "input.file-too-large": {"zh": "{what_zh}有 {size} MB,超过程序对单个{what_zh}读取的上限 {limit} MB:多半不是要用的文件,"
                                   "或者文件已损坏。",
                             "en": "the {what} is {size} MB, more than the {limit} MB quota reads from one {what}: it is "
                                   "probably not the file meant, or is damaged."},
    "input.file-too-large.hint": {"zh": "检查该文件;确需更大的输入,须调高 quota.input.files 中的上限({name})。",
                                  "en": "check the file; a genuinely larger input needs the limit in quota.input.files "
                                        "({name}) raised."},
    # quota.input.tables: CSV tables
    "input.table-unreadable": {"zh": "{name} 表无法读取:{reason}。", "en": "the {name} table cannot be read: {reason}."},
    "input.table-unreadable.hint": {"zh": "确保 {file} 是可以读取的 CSV 文件。", "en": "make {file} a readable CSV file."},
    "input.csv-syntax.long_field": {"zh": "从第 {line} 行开始的字段超过 {limit} 个字符:通常是那里开了引号却没有关闭,"
                                          "文件其余部分都成了一个值。",
                                    "en": "the field starting on line {line} is longer than {limit} characters: usually a "
                                          "quote opened there and never closed, so the rest of the file became one value."},
    "input.csv-syntax.long_field.hint": {"zh": "查看第 {line} 行:把带引号的字段关闭(\"...\"),字段内的引号写成两个(\"\")。",
                                         "en": "look at line {line}: close the quoted field (\"...\"), or write a quote "
                                               "inside one as two quotes (\"\")."},
    "input.csv-syntax.malformed": {"zh": "从第 {line} 行起不是格式正确的 CSV 表:{error}。",
                                   "en": "is not a well-formed CSV table from line {line}: {error}."},
    "input.csv-syntax.malformed.hint": {"zh": "关闭每个带引号的字段(\"...\"),字段内的引号写成两个(\"\")。",
                                        "en": "close every quoted field (\"...\"), and write a quote inside one as two "
                                              "quotes (\"\")."},
    "input.csv-syntax.width": {"zh": "第 {line} 行有 {fields} 个字段,而表头只有 {width} 个:某个值含有未加引号的逗号,"
                                     "或者某列没有列名。",
                               "en": "line {line} has {fields} fields but the header has {width}: a value holds an unquoted "
                                     "comma, or a column has no name."},
    "input.csv-syntax.width.hint": {"zh": "含逗号的值加上引号(\"a,b\"),或在表头中给每一列写上列名。",
                                    "en": "quote values that contain commas (\"a,b\"), or give every column a name in the "
                                          "header."},
    "input.extra-commas": {"zh": "有 {n} 行在表头的 {width} 列之后还有空字段(第 {lines} 行),已忽略。",
                           "en": "{n} line{s} end with empty fields beyond the header's {width} columns (line{s} {lines}); "
                                 "they were ignored."},
    "input.extra-commas.hint": {"zh": "删除行尾多余的逗号。", "en": "delete the extra commas at the ends of the lines."},
    "input.header-not-first": {"zh": "列名在第 {line} 行,不在第一行:上面还有标题行或合并的表头行。",
                               "en": "the column names are on line {line}, not on the first line: a title or merged header "
                                     "row is above them."},
    "input.header-not-first.hint": {"zh": "删除第 {line} 行以上的行,使第一行就是列名。",
                                    "en": "delete the row{s} above line {line}, so that the first line holds the column names."},
    "input.encoding.utf16": {"zh": "是 UTF-16 文本(Excel 的“Unicode 文本”),不是程序能读取的 CSV 文件。",
                             "en": "is UTF-16 text (Excel's 'Unicode text'), not a CSV file quota can read."},
    "input.encoding.utf16.hint": {"zh": "把文件另存为“CSV UTF-8(逗号分隔)”(Excel:另存为 → CSV UTF-8)。",
                                  "en": "save the file as 'CSV UTF-8 (逗号分隔)' (Excel: 另存为 → CSV UTF-8)."},
    "input.encoding.damaged": {"zh": "第 {line} 行之前是 UTF-8,但字节偏移 {offset} 处(第 {line} 行,{byte})的字节既不是 UTF-8"
                                     "也不是 GBK:文件在此处已损坏。",
                               "en": "is UTF-8 up to line {line}, but the byte at byte offset {offset} (line {line}, {byte}) "
                                     "is not UTF-8 (nor GBK): the file is damaged there."},
    "input.encoding.damaged.hint": {"zh": "查看该行;" + _CSV_UTF8["zh"] + "。", "en": "look at that line; " + _CSV_UTF8["en"] + "."},
    "input.encoding.mixed": {"zh": "混用了编码:第 {line} 行之前是含中文的 UTF-8 文本,而从字节偏移 {offset}(第 {line} 行,{byte})"
                                   "起是 GBK。无论按哪种编码读取,都会有一部分变成错字。",
                             "en": "mixes encodings: the lines before line {line} are UTF-8 with Chinese text, but from byte "
                                   "offset {offset} (line {line}, {byte}) on it is GBK. Read as either, part of it would "
                                   "turn into wrong characters."},
    "input.encoding.mixed.hint": {"zh": "该文件多半是由一个 UTF-8 文件和一个 GBK 文件拼接而成;请在 Excel 中另存为“CSV UTF-8”。",
                                  "en": "the file was probably joined from a UTF-8 and a GBK file; save it again from Excel "
                                        "as 'CSV UTF-8'."},
    "input.encoding.bom_gbk": {"zh": "以 UTF-8 标记(BOM)开头,但其后的文本是 GBK(第一个 GBK 字节在偏移 {offset},第 {line} 行):"
                                     "无论按哪种编码读取,都会有一部分变成错字。",
                               "en": "starts with a UTF-8 mark (BOM) but the text after it is GBK (first GBK byte at offset "
                                     "{offset}, line {line}): read either way, part of it would turn into wrong characters."},
    "input.encoding.bom_gbk.hint": {"zh": "这个标记是某个工具加到 GBK 文件上的;" + _CSV_UTF8["zh"] + "。",
                                    "en": "the mark was added to a GBK file by some tool; " + _CSV_UTF8["en"] + "."},
    "input.encoding.undecodable": {"zh": "无法解码:既不是 UTF-8(第一个错误字节在偏移 {offset}),也不是 GBK/GB18030"
                                         "(第一个错误字节在偏移 {gbk_offset},第 {line} 行:{byte})。",
                                   "en": "cannot be decoded: it is neither UTF-8 (first bad byte at offset {offset}) nor "
                                         "GBK/GB18030 (first bad byte at offset {gbk_offset}, line {line}: {byte})."},
    "input.encoding.undecodable.hint": {"zh": "把文件另存为“CSV UTF-8(逗号分隔)”(Excel:另存为 → CSV UTF-8);该偏移处的字节可能已损坏。",
                                        "en": "save the file as 'CSV UTF-8 (逗号分隔)' (Excel: 另存为 → CSV UTF-8); the "
                                              "bytes at that offset may be damaged."},
    "input.duplicate-column": {"zh": "列 `{col}` 出现了 {n} 次(第 {fields} 个字段);程序无法判断哪一列才是数据。",
                               "en": "the column {col} appears {n} times (fields {fields}); quota cannot tell which one "
                                     "holds the data."},
    "input.duplicate-column.hint": {"zh": "同名的列只保留一列。", "en": "keep one column of each name."},
    "input.empty-rows": {"zh": "跳过了 {n} 个所有单元格都为空的行。", "en": "{n} row{s} with no value in any cell {were} skipped."},
    "input.empty-rows.hint": {"zh": "删除空行。", "en": "delete the empty rows."},
    "input.unnamed-column": {"zh": "第 {fields} 个字段有数据但没有列名;已忽略。",
                             "en": "field{s} {fields} {hold} data but {have} no column name; ignored."},
    "input.unnamed-column.hint": {"zh": "按数据格式说明给该列起名,或删除该列。",
                                  "en": "give the column a name from the data contract, or delete it."},
    "input.whitespace.header": {"zh": "已去掉列名 {names} 两侧的空格。", "en": "spaces around the column name{s} {names} were removed."},
    "input.whitespace.header.hint": {"zh": "删除表头行中的空格。", "en": "delete the spaces in the header row."},
    "input.whitespace.cells": {"zh": "{n} 个单元格的值两侧有空格(第 {lines} 行);空格已去掉。",
                               "en": "{n} cell{s} had spaces around the value (line{s} {lines}); the spaces were removed."},
    "input.whitespace.cells.hint": {"zh": "删除这些空格,例如用 Excel 的 TRIM() 函数。", "en": "delete the spaces, e.g. with Excel's TRIM()."},
    # quota.input.workbook: a scenario or a table in an .xlsx workbook
    "input.sheet-missing.scenario": {"zh": "工作簿中没有名为 `scenario` 的工作表。", "en": "the workbook has no sheet named 'scenario'."},
    "input.sheet-missing.scenario.hint": {"zh": "添加一张由“键/值”行组成的工作表 `scenario`;现有的工作表为:{found}。",
                                          "en": "add a sheet 'scenario' of key/value rows; the sheets found are {found}."},
    "input.sheet-missing": {"zh": "工作簿中没有名为 {sheet} 的工作表。", "en": "the workbook has no sheet named {sheet}."},
    "input.sheet-missing.hint": {"zh": "添加工作表 {sheet};现有的工作表为:{found}。",
                                 "en": "add a sheet {sheet}; the sheets found are {found}."},
    "input.duplicate-key.sheet": {"zh": "键 {key} 写了两次(第 {row} 行又出现一次)。", "en": "the key {key} is given twice (again in row {row})."},
    "input.duplicate-key.sheet.hint": {"zh": "每个键只写一次。", "en": "give each key once."},
    "input.yaml-syntax.cell": {"zh": "{key} 的值无法按 YAML 读取。", "en": "the value of {key} cannot be read as YAML."},
    "input.yaml-syntax.cell.hint": {"zh": "填写数字、词语,或 [列表]/{{映射}}。", "en": "write a number, a word or a [list]/{{map}}."},
    "input.yaml-type.conflict": {"zh": "{key} 与前面的键冲突。", "en": "{key} conflicts with an earlier key."},
    "input.yaml-type.conflict.hint": {"zh": "每个键只写一次。", "en": "give each key once."},
    "input.table-missing.workbook": {"zh": "工作簿不存在。", "en": "the workbook does not exist."},
    "input.table-missing.workbook.hint": {"zh": "检查 `tables` 下写的文件名。", "en": "check the file name under `tables`."},
    "input.xlsx-unreadable": {"zh": "无法作为 .xlsx 工作簿读取({error})。", "en": "cannot be read as an .xlsx workbook ({error})."},
    "input.xlsx-unreadable.hint": {"zh": "在 Excel 中重新另存为 .xlsx。", "en": "save it again from Excel as .xlsx."},
    "input.formula": {"zh": "有 {n} 个单元格是公式;读取的是 Excel 随公式保存的数值,没有计算任何公式。",
                      "en": "{n} cell{s} {hold} formulas; the values Excel saved with them were read, and no formula was "
                            "evaluated."},
    "input.formula.hint": {"zh": "粘贴为数值(选择性粘贴 → 数值),以确保数字就是您看到的那些。",
                           "en": "paste the values (选择性粘贴 → 数值) to be sure the figures are the ones you see."},
    # quota.input.yamlfile
    "input.yaml-syntax.text": {"zh": "无法按安全 YAML 读取:{problem}。", "en": "cannot be read as safe YAML: {problem}."},
    "input.yaml-syntax.text_line": {"zh": "无法按安全 YAML 读取(第 {line} 行):{problem}。",
                                    "en": "cannot be read as safe YAML (line {line}): {problem}."},
    "input.yaml-syntax.text.hint": {"zh": "填写数字、`true`/`false`、词语、[列表] 或 {{映射}};`!!python` 之类的标签和无限展开的锚点是有意拒绝的。",
                                    "en": "write a number, true/false, a word, a [list] or a {{mapping}}; tags such as "
                                          "!!python and anchors that expand without bound are refused on purpose."},
    "input.yaml-syntax.set_value": {"zh": "填写数字(2、0.5、1e9)、`true`/`false`、词语、[列表] 或 {{映射}},例如 `--set linkage.penalty=2`。",
                                    "en": "write a number (2, 0.5, 1e9), true/false, a word, a [list] or a {{mapping}}: "
                                          "e.g. `--set linkage.penalty=2`."},
    "input.yaml-syntax.set_list": {"zh": "各个值用逗号隔开:`--set linkage.penalty=0,0.5,1`。",
                                   "en": "list the values with commas: --set linkage.penalty=0,0.5,1"},
    "input.encoding.yaml": {"zh": "yaml 文件不是 UTF-8 编码(字节偏移 {offset},第 {line} 行)。",
                            "en": "yaml is not UTF-8 (byte offset {offset}, line {line})."},
    "input.encoding.yaml.hint": {"zh": "把 yaml 文件保存为 UTF-8 编码。", "en": "save the yaml file as UTF-8."},
    "input.yaml-unreadable": {"zh": "无法读取:{reason}。", "en": "cannot be read: {reason}."},
    "input.yaml-unreadable.hint": {"zh": "给出可以读取的 yaml 文件。", "en": "give a readable yaml file."},
    "input.yaml-syntax.file": {"zh": "无法按安全 YAML 读取:{problem}。", "en": "cannot be read as safe YAML: {problem}."},
    "input.yaml-syntax.file.hint": {"zh": "改正 YAML 语法;`!!python` 之类的标签是有意拒绝的。",
                                    "en": "fix the YAML syntax; tags such as !!python are refused on purpose."},
    "input.duplicate-key.yaml": {"zh": "键 {key} 在同一个映射中写了两次(第 {line} 行又出现一次);YAML 会悄悄保留后一个,"
                                       "程序不去猜哪个才是本意。",
                                 "en": "the key {key} is given twice in one mapping (again on line {line}); YAML would "
                                       "silently keep the last, so quota refuses to guess which one is meant."},
    "input.duplicate-key.yaml.hint": {"zh": "每个键只写一次。", "en": "give each key once."},
    "input.yaml-type.top": {"zh": "最外层必须是“键: 值”的映射。", "en": "the top level must be a mapping of keys to values."},
    "input.yaml-type.top.hint": {"zh": "按随附情景的样子,逐行写 `key: value`。",
                                 "en": "write `key: value` lines, as in the bundled scenario."},
}
