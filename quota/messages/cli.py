"""click's own words in both languages, and how a command ends (``quota.commands.bilingual``, ``quota.commands.exits``).

The English is click's, as click 8.2 and later print it: English output stays click's own (so it follows the
installed click); the Chinese is rendered by ``quota.commands.bilingual`` from the same pieces. ``PATTERNS`` lists
click's English messages that carry their values only in the text (a wrong choice, a number out of range ...), each
with the key of its Chinese.
"""
from __future__ import annotations

CLI: dict[str, dict[str, str]] = {
    # the frame of --help
    "cli.usage": {"zh": "用法:", "en": "Usage:"},
    "cli.options": {"zh": "选项", "en": "Options"},
    "cli.commands": {"zh": "命令", "en": "Commands"},
    "cli.options_metavar": {"zh": "[选项]", "en": "[OPTIONS]"},
    "cli.command_metavar": {"zh": "命令 [参数]...", "en": "COMMAND [ARGS]..."},
    "cli.default": {"zh": "默认值:{default}", "en": "default: {default}"},
    "cli.required": {"zh": "必填", "en": "required"},
    "cli.env_var": {"zh": "环境变量:{var}", "en": "env var: {var}"},
    "cli.help_option": {"zh": "显示本帮助并退出。", "en": "Show this message and exit."},
    "cli.version": {"zh": "{prog},版本 {version}", "en": "{prog}, version {version}"},
    # usage errors (exit code 2)
    "cli.error": {"zh": "错误:{message}", "en": "Error: {message}"},
    "cli.try_help": {"zh": "用 '{command} {option}' 查看帮助。", "en": "Try '{command} {option}' for help."},
    "cli.missing_option": {"zh": "缺少选项 {name}。", "en": "Missing option {name}."},
    "cli.missing_argument": {"zh": "缺少参数 {name}。", "en": "Missing argument {name}."},
    "cli.missing_parameter": {"zh": "缺少参数 {name}。", "en": "Missing parameter {name}."},
    "cli.no_such_option": {"zh": "没有选项 '{name}'。", "en": "No such option '{name}'."},
    "cli.no_such_command": {"zh": "没有命令 {name}。", "en": "No such command {name}."},
    "cli.did_you_mean": {"zh": "是不是要用 {names}?", "en": "Did you mean {names}?"},
    "cli.invalid_value": {"zh": "{name} 的取值无效:{detail}", "en": "Invalid value for {name}: {detail}"},
    "cli.invalid": {"zh": "取值无效:{detail}", "en": "Invalid value: {detail}"},
    "cli.not_one_of": {"zh": "{value} 不是可选的值,可选:{choices}。", "en": "{value} is not one of {choices}."},
    "cli.not_float": {"zh": "{value} 不是一个数。", "en": "{value} is not a valid float."},
    "cli.not_integer": {"zh": "{value} 不是整数。", "en": "{value} is not a valid integer."},
    "cli.not_in_range": {"zh": "{value} 不在范围 {range} 之内。", "en": "{value} is not in the range {range}."},
    "cli.not_date": {"zh": "{value} 不符合日期格式 {formats}。", "en": "{value} does not match the format {formats}."},
    "cli.takes_values": {"zh": "需要 {nargs} 个值,给了 {given} 个。", "en": "Takes {nargs} values but {given} were given."},
    "cli.requires_argument": {"zh": "选项 {name} 后面需要给一个值。", "en": "Option {name} requires an argument."},
    "cli.requires_arguments": {"zh": "选项 {name} 后面需要给 {nargs} 个值。", "en": "Option {name} requires {nargs} arguments."},
    "cli.takes_no_value": {"zh": "选项 {name} 不接受取值。", "en": "Option {name} does not take a value."},
    "cli.extra_arguments": {"zh": "多余的参数:{args}。", "en": "Got unexpected extra arguments ({args})"},
    "cli.missing_command": {"zh": "缺少命令。", "en": "Missing command."},
    # the checks of quota's own options (quota.commands.cli)
    "cli.seconds": {"zh": "{value} 不是大于 0 的秒数。", "en": "{value} is not a number of seconds above 0."},
    "cli.gap": {"zh": "{value} 不是 0 到 1 之间的相对间隙。", "en": "{value} is not a relative gap between 0 and 1."},
    "cli.stock_range": {"zh": "须满足 0 < MIN <= MAX。", "en": "need 0 < MIN <= MAX."},
    "cli.as_of_needs_ledger": {"zh": "--as-of 须同时给出 --ledger:此前各年的事实来自台账。",
                               "en": "--as-of needs --ledger: the facts of the years before it come from the ledger."},
    # how a command ends (quota.commands.exits)
    "cli.os_error": {"zh": "{error}{where}。请检查路径、它的权限和磁盘剩余空间。",
                     "en": "{error}{where}. Check the path, its permissions and the free disk space."},
    "cli.internal_error": {"zh": "内部错误({kind}: {error})。这是 quota 的程序错误,请连同情景一起报告。"
                                 "设置 QUOTA_DEBUG=1 可以看到调用栈。",
                           "en": "internal error ({kind}: {error}). This is a bug in quota; please report it with the "
                                 "scenario. Set QUOTA_DEBUG=1 to see the traceback."},
    "cli.interrupted": {"zh": "已中断:在完成之前停止;没有留下写了一半的文件夹。",
                        "en": "interrupted: stopped before the end; no half-written folder was left behind."},
}

# click's English messages whose values are only in the text: (regular expression, key of the Chinese). The groups
# are the fields of the Chinese template; a message none of them matches is shown as click wrote it.
PATTERNS: list[tuple[str, str]] = [
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", "cli.not_one_of"),
    (r"(?P<value>.+) is not (?P<choices>'[^']*')\.", "cli.not_one_of"),
    (r"(?P<value>.+) is not a valid float\.", "cli.not_float"),
    (r"(?P<value>.+) is not a valid integer\.", "cli.not_integer"),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "cli.not_in_range"),
    (r"(?P<value>.+) does not match the formats? (?P<formats>.+)\.", "cli.not_date"),
    (r"Takes (?P<nargs>\d+) values but (?P<given>\d+) (?:was|were) given\.", "cli.takes_values"),
    (r"Option (?P<name>'[^']+') requires an argument\.", "cli.requires_argument"),
    (r"(?P<name>\S+) option requires an argument\.?", "cli.requires_argument"),
    (r"Option (?P<name>'[^']+') requires (?P<nargs>\d+) arguments\.", "cli.requires_arguments"),
    (r"Option (?P<name>'[^']+') does not take a value\.", "cli.takes_no_value"),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)", "cli.extra_arguments"),
    (r"No such command (?P<name>.+)\.", "cli.no_such_command"),
    (r"Missing command\.", "cli.missing_command"),
]
