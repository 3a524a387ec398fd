"""click commands that speak the caller's language: ``--help`` and click's own usage errors in Chinese or English.

Every help text is in the message catalogue (``quota.messages.help_*``), both languages side by side, by key:

- ``help.<command path>``: a command's help, ``help.run``, ``help.ledger.status`` (``help.quota``: quota itself);
- ``help.<command path>.<parameter>``: an option's, by the name the command function receives (``help.run.sets``
  for ``--set``); ``help.option.<parameter>``: an option several commands share (the solver options).

The language of ``--help`` (``help_lang``) is the command's ``--lang`` when the command line gives one, read before
click parses the arguments, so ``quota run --lang zh --help`` and ``quota run --help --lang zh`` both work; else the
environment (``quota.messages.lang.resolve``). English is click's own rendering of the English texts, so it follows
the installed click; Chinese is rendered here, with a formatter that counts a Chinese character as two columns and
breaks lines between characters (``quota.commands.wrap``). Usage errors (a wrong option, a missing argument, a value
out of range) are shown in Chinese by ``in_language``, with ``用法:`` and ``错误:``.

Why not gettext: click translates through gettext's process-wide default domain, with the language taken from the
locale variables at each call. Honouring ``--lang zh`` would mean rewriting the process environment for the length
of a call, and a compiled ``.mo`` catalogue would have to ship beside the code: the catalogue here is plain Python
that tests read.
"""
from __future__ import annotations

import copy
import importlib.metadata
import inspect
import re

import click

from ..messages import LANGS, MESSAGES, message
from ..messages.cli import PATTERNS
from ..messages.lang import resolve
from .wrap import WideFormatter, clip, width

LANG_META = "quota.lang"  # in click's ctx.meta (shared by a context and its children): the --lang given, if any


def help_lang(ctx: click.Context | None) -> str:
    """The language of ``--help`` and of usage errors: the ``--lang`` on the command line, else the environment."""
    return resolve(ctx.meta.get(LANG_META) if ctx is not None else None)


def command_path(ctx: click.Context) -> str:
    """``run``, ``ledger.status``; ``quota`` for quota itself, whatever name it was called by."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return ".".join(reversed(names)) or "quota"


def help_text(path: str, lang: str, param: str | None = None) -> str | None:
    """The help of command ``path``, or of its parameter ``param``, in ``lang``; None when the catalogue has none."""
    keys = [f"help.{path}.{param}", f"help.option.{param}"] if param else [f"help.{path}"]
    return next((message(key, lang) for key in keys if key in MESSAGES), None)


def short_help(command: click.Command, path: str, lang: str, limit: int = 45) -> str:
    """The line a group's list of commands shows: click's own shortening in English, the first sentence in Chinese."""
    text = inspect.cleandoc(help_text(path, lang) or "")
    if lang == "en":
        shown = copy.copy(command)
        shown.help, shown.short_help = text, None
        return shown.get_short_help_str(limit)
    first = text.split("\n\n")[0].replace("\n", "")
    first = first[:first.index("。") + 1] if "。" in first else first
    if width(first) <= limit:
        return first
    head = re.split("[:;]", first)[0]  # a sentence too long: what comes before its colon says what the command does
    if 8 <= width(head) <= limit:
        return head
    cut = clip(first, limit)
    comma = cut.rfind(",")  # else the sentence up to a comma, if that keeps most of the line
    return cut[:comma] if comma >= len(cut) // 2 else cut


def _given_lang(command: click.Command, args: list[str]) -> str | None:
    if not any("--lang" in p.opts for p in command.params):
        return None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def _is_help_option(ctx: click.Context, param: click.Parameter) -> bool:
    return bool(param.opts) and set(param.opts) <= set(ctx.help_option_names)


def _extra(part: str, lang: str) -> str:
    """One part of click's ``[default: 0.0001; required]`` in ``lang`` (a range such as ``x>=1`` is code, kept)."""
    for prefix, key, field in (("default: ", "cli.default", "default"), ("env var: ", "cli.env_var", "var")):
        if part.startswith(prefix):
            return message(key, lang, **{field: part[len(prefix):]})
    return message("cli.required", lang) if part == "required" else part


class Bilingual:
    """What ``Command`` and ``Group`` share: help from the catalogue, in the language of the call."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = _given_lang(self, args)
        if given in LANGS:
            ctx.meta[LANG_META] = given
        return super().parse_args(ctx, args)

    def get_help(self, ctx: click.Context) -> str:
        return self._render(ctx, self.format_help)

    def get_usage(self, ctx: click.Context) -> str:
        return self._render(ctx, self.format_usage)

    def _render(self, ctx: click.Context, write) -> str:
        formatter = ctx.make_formatter() if help_lang(ctx) == "en" else \
            WideFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        write(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        words = {self.options_metavar: message("cli.options_metavar", lang)}
        if isinstance(self, click.Group):
            words[self.subcommand_metavar] = message("cli.command_metavar", lang)
        pieces = [words.get(p, p) for p in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=message("cli.usage", lang) + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = help_text(command_path(ctx), help_lang(ctx))
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(inspect.cleandoc(text))

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        rows = [r for r in (self.option_record(ctx, p, lang) for p in self.get_params(ctx)) if r is not None]
        if rows:
            with formatter.section(message("cli.options", lang)):
                formatter.write_dl(rows)

    def option_record(self, ctx: click.Context, param: click.Parameter, lang: str) -> tuple[str, str] | None:
        """``("--gap FLOAT", "help  [default: 0.0001]")`` in ``lang``; None for an argument or a hidden option."""
        if isinstance(param, click.Argument) or getattr(param, "hidden", False):
            return None
        text = message("cli.help_option", lang) if _is_help_option(ctx, param) else \
            help_text(command_path(ctx), lang, param.name)
        shown = copy.copy(param)
        shown.help = text if lang == "en" else None  # click adds [default: ...] after the help; in zh, added here
        record = shown.get_help_record(ctx)
        if record is None or lang == "en":
            return record
        names, extra = record
        if extra.startswith("[") and extra.endswith("]"):
            extra = "[" + "; ".join(_extra(part, lang) for part in extra[1:-1].split("; ")) + "]"
        return names, f"{text}  {extra}" if text and extra else text or extra


class Command(Bilingual, click.Command):
    """A quota command: its help and usage errors in the language of the call."""


class Group(Bilingual, click.Group):
    """A group of quota commands (``quota``, ``quota ledger``): as ``Command``, and usage errors in that language."""

    command_class = Command
    group_class = type  # a subgroup is a Group too

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        Bilingual.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_lang(ctx)
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(name, cmd) for name, cmd in commands if cmd is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            path = command_path(ctx)
            prefix = "" if path == "quota" else path + "."
            rows = [(name, short_help(cmd, prefix + name, lang, limit)) for name, cmd in commands]
            with formatter.section(message("cli.commands", lang)):
                formatter.write_dl(rows)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as e:
            shown = in_language(e)
            if shown is e:
                raise
            raise shown from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            shown = in_language(e)
            if shown is e:
                raise
            raise shown from None


def version_option(f):
    """``--version``: ``quota, version 1.0`` (``quota,版本 1.0``)."""
    def show(ctx: click.Context, param, value):
        if value and not ctx.resilient_parsing:
            click.echo(message("cli.version", help_lang(ctx), prog=ctx.find_root().info_name,
                               version=importlib.metadata.version("quota")))
            ctx.exit()
    return click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=show)(f)


# ------------------------------------------------------------ usage errors ----

class UsageErrorZh(click.UsageError):
    """click's usage error shown in Chinese: ``用法:``, the hint, and ``错误:`` with the message translated."""

    def __init__(self, original: click.UsageError, ctx: click.Context | None = None):
        super().__init__(usage_message(original), original.ctx or ctx)
        self.original = original

    def show(self, file=None) -> None:
        ctx = self.ctx
        if ctx is not None:
            ctx.meta[LANG_META] = "zh"
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = message("cli.try_help", "zh", command=ctx.command_path, option=max(ctx.help_option_names, key=len)) + "\n"
            click.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=file is None, color=ctx.color)
        click.echo(message("cli.error", "zh", message=self.format_message()), file=file, err=file is None,
                   color=ctx.color if ctx is not None else None)


def in_language(e: click.UsageError, lang: str | None = None, ctx: click.Context | None = None) -> click.UsageError:
    """``e`` as the user should see it in ``lang`` (default: the language of its context, else ``ctx``'s): itself in
    English."""
    ctx = e.ctx or ctx
    if isinstance(e, (UsageErrorZh, getattr(click.exceptions, "NoArgsIsHelpError", UsageErrorZh))):
        return e  # already shown in its language, or click's help for a group called without a command
    return UsageErrorZh(e, ctx) if (lang or help_lang(ctx)) == "zh" else e


def usage_message(e: click.UsageError) -> str:
    """The Chinese of click's message ``e``, from its fields where it has them, else from its English text."""
    if isinstance(e, click.MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param is not None else None)
        key = {"argument": "cli.missing_argument", "option": "cli.missing_option"}.get(kind, "cli.missing_parameter")
        return message(key, "zh", name=_hint(e))
    if isinstance(e, click.NoSuchOption):
        return _suggest(message("cli.no_such_option", "zh", name=e.option_name), e.possibilities)
    if isinstance(e, click.BadParameter):
        name, detail = _hint(e), translate(e.message)
        return message("cli.invalid_value", "zh", name=name, detail=detail) if name else message("cli.invalid", "zh", detail=detail)
    return _suggest(translate(e.message), getattr(e, "possibilities", None))  # click >= 8.4 NoSuchCommand has them


def translate(text: str) -> str:
    """The Chinese of one of click's (or quota's own) English messages; the text itself when none is known."""
    for pattern, key in PATTERNS:
        m = re.fullmatch(pattern, text, flags=re.S)
        if m:
            return message(key, "zh", **m.groupdict())
    same = [k for k, v in MESSAGES.items() if k.startswith("cli.") and v["en"] == text]
    return message(same[0], "zh") if same else text


def _hint(e: click.BadParameter) -> str:
    hint = e.param_hint if e.param_hint is not None else e.param.get_error_hint(e.ctx) if e.param is not None else ""
    return " / ".join(repr(h) for h in hint) if isinstance(hint, (list, tuple)) else str(hint)


def _suggest(text: str, possibilities) -> str:
    if not possibilities:
        return text
    return text + message("cli.did_you_mean", "zh", names="、".join(repr(p) for p in sorted(possibilities)))
