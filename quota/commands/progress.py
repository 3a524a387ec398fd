"""The progress bar of ``quota run --counterfactuals full``: on stderr, only when it is a terminal."""
from __future__ import annotations

import contextlib
import sys

import click


@contextlib.contextmanager
def counterfactual_progress(wanted: bool):
    """A progress bar on stderr for ``--counterfactuals full`` (none when stderr is not a terminal): a callback
    ``(exact, total)``, or None."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    bar = None
    try:
        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="反事实已精确 counterfactuals exact", file=sys.stderr, show_pos=True)
                bar.__enter__()
            bar.update(done - bar.pos)
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
