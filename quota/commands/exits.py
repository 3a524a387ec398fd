"""How a command ends: every ``QuotaError`` (and a path, permission or disk problem) becomes one clear
message and exit code 1, Ctrl-C and SIGTERM exit 130 with one line, and no traceback reaches the user.

``handle_errors`` wraps each click command; ``terminate`` is the SIGTERM handler; ``stop_promptly`` makes
a signal stop ``quota run`` even while the solver runs native code; ``process["main"]`` is set by
``quota.commands.cli.main`` in a real quota process (not when a test calls the click group).

The message is in the command's language (``quota.messages.lang.resolve``): its ``--lang``, else the ``lang`` of the
scenario or run folder it was given (read again, on the error path only), else the environment's. A ``QuotaError``
is shown by its ``render(lang)`` when it has one, ``Error:`` becomes ``错误:`` and click's usage errors are translated
(``quota.commands.bilingual``).
"""
from __future__ import annotations

import functools
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import click

from ..errors import QuotaError
from ..messages import message
from ..messages.lang import resolve
from .bilingual import in_language


class Failure(click.ClickException):
    """A command's failure (exit 1), with ``Error:`` in the language of the message."""

    def __init__(self, text: str, lang: str):
        super().__init__(text)
        self.lang = lang

    def show(self, file=None) -> None:
        click.echo(message("cli.error", self.lang, message=self.format_message()), file=file, err=file is None)


def handle_errors(f):
    """Run a command so that it ends in one clear message (exit 1) or exit 130 when interrupted, never a traceback."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        process["lang"] = resolve(kwargs.get("lang"))  # for "interrupted", which may come from another thread
        try:
            return f(*args, **kwargs)
        except QuotaError as e:  # the error's own language (the scenario it is about) when it carries one
            lang = resolve(kwargs.get("lang"), e.lang) if getattr(e, "lang", None) else command_lang(kwargs)
            render = getattr(e, "render", None)  # QuotaError.render(lang): the error's text in that language
            raise Failure(render(lang) if callable(render) else str(e), lang) from None
        except OSError as e:  # a path, permission or disk problem: name it, without a traceback
            lang = command_lang(kwargs)
            where = f": {e.filename}" if e.filename else ""
            raise Failure(message("cli.os_error", lang, error=e.strerror or e, where=where), lang) from None
        except click.exceptions.UsageError as e:
            shown = in_language(e, command_lang(kwargs), click.get_current_context(silent=True))
            if shown is e:
                raise
            raise shown from None
        except click.exceptions.ClickException as e:
            raise Failure(e.format_message(), command_lang(kwargs)) from None
        except (click.exceptions.Abort, click.exceptions.Exit):
            raise
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through terminate: exit 130, not click's "Aborted!" and 1
            say_interrupted()
            sys.exit(130)
        except Exception as e:  # a bug in quota: one clear line, the traceback only on request
            if os.environ.get("QUOTA_DEBUG"):
                raise
            lang = command_lang(kwargs)
            raise Failure(message("cli.internal_error", lang, kind=type(e).__name__, error=e), lang) from None
    return wrapper


def command_lang(kwargs: dict) -> str:
    """The language of a command's messages: its --lang, else its scenario's or run folder's, else the environment's."""
    return resolve(kwargs.get("lang"), None if kwargs.get("lang") else input_lang(click.get_current_context(silent=True)))


def input_lang(ctx: click.Context | None) -> str | None:
    """The ``lang`` of the scenario (``SCENARIO``, with its ``--set lang=...``) or run folder (``RUN_DIR``, ``RUN_A``)
    a command was given; None when it has none or it cannot be read."""
    if ctx is None:
        return None
    given = {p.name: ctx.params.get(p.name) for p in ctx.command.params if isinstance(p, click.Argument)}
    try:
        if "scenario" in given:
            sets = [s.partition("=")[2].strip() for s in ctx.params.get("sets") or () if s.partition("=")[0].strip() == "lang"]
            if sets:
                return sets[-1]
            from ..input.read import scenario_files
            from ..run import default_scenario

            return scenario_files(given["scenario"] or default_scenario()).config.get("lang")
        folder = given.get("run_dir") or given.get("run_a")
        if folder:
            return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("lang")
    except Exception:  # an unreadable scenario or folder is the error being reported, not a second one
        return None
    return None


def terminate(signum, frame):
    """The SIGTERM handler: stop as Ctrl-C does (exit 130, no half-written folder)."""
    raise KeyboardInterrupt(f"signal {signum}")


process = {"main": False, "lang": None}  # main: True in a real quota process (main()), not when a test calls the
# click group; lang: the language of the command running
_said = threading.Lock()


def say_interrupted() -> None:
    if _said.acquire(blocking=False):  # once, from whichever thread gets here first
        click.echo(message("cli.interrupted", process["lang"] or resolve()), err=True)


def stop_promptly(grace: float = 1.0) -> None:
    """Make SIGINT and SIGTERM stop ``quota run`` even while the solver runs.

    Python runs a signal handler only between bytecodes, so while HiGHS solves (native code, GIL released)
    the KeyboardInterrupt of ``terminate`` would wait for the solve to end: hours on a large model. A
    watcher thread wakes on the signal through ``signal.set_wakeup_fd``. If the process is still alive
    ``grace`` seconds later and no folder is being written, nothing of the run is on disk yet, and it exits
    with code 130. A folder being written is left to the main thread, which is then in Python code and
    removes its temporary folder itself (quota.report.write)."""
    if not process["main"] or os.name != "posix" or threading.current_thread() is not threading.main_thread():
        return
    from ..report.write import no_write_in_progress

    def watch(fd: int) -> None:
        stops = {signal.SIGINT, signal.SIGTERM}
        while True:
            data = os.read(fd, 64)
            if not data:
                return
            if stops.intersection(data):
                break
        time.sleep(grace)
        with no_write_in_progress():
            say_interrupted()
            os._exit(130)

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    os.register_at_fork(after_in_child=lambda: signal.set_wakeup_fd(-1))  # a forked child's signals are its own
    threading.Thread(target=watch, args=(read_end,), daemon=True, name="quota-stop-promptly").start()
