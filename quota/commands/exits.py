"""How a command ends: every ``QuotaError`` (and a path, permission or disk problem) becomes one clear
message and exit code 1, Ctrl-C and SIGTERM exit 130 with one line, and no traceback reaches the user.

``handle_errors`` wraps each click command; ``terminate`` is the SIGTERM handler; ``stop_promptly`` makes
a signal stop ``quota run`` even while the solver runs native code; ``process["main"]`` is set by
``quota.commands.cli.main`` in a real quota process (not when a test calls the click group).
"""
from __future__ import annotations

import functools
import os
import signal
import sys
import threading
import time

import click

from ..errors import QuotaError, ScenarioError


def handle_errors(f):
    """Run a command so that it ends in one clear message (exit 1) or exit 130 when interrupted, never a traceback."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ScenarioError as e:
            raise click.ClickException(str(e)) from None
        except QuotaError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:  # a path, permission or disk problem: name it, without a traceback
            where = f": {e.filename}" if e.filename else ""
            raise click.ClickException(f"{e.strerror or e}{where}. Check the path, its permissions and the free disk space.") from None
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through terminate: exit 130, not click's "Aborted!" and 1
            say_interrupted()
            sys.exit(130)
        except Exception as e:  # a bug in quota: one clear line, the traceback only on request
            if os.environ.get("QUOTA_DEBUG"):
                raise
            raise click.ClickException(f"internal error ({type(e).__name__}: {e}). This is a bug in quota; please report it "
                                       "with the scenario. Set QUOTA_DEBUG=1 to see the traceback.") from None
    return wrapper


def terminate(signum, frame):
    """The SIGTERM handler: stop as Ctrl-C does (exit 130, no half-written folder)."""
    raise KeyboardInterrupt(f"signal {signum}")


process = {"main": False}  # True in a real quota process (main()), not when a test calls the click group
_said = threading.Lock()


def say_interrupted() -> None:
    if _said.acquire(blocking=False):  # once, from whichever thread gets here first
        click.echo("interrupted: stopped before the end; no half-written folder was left behind.", err=True)


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
