"""What ``quota run`` and ``quota sweep`` print, in the run's language (quota.messages): the run's warnings, notes,
summary, alternatives and ledger line; the sweep's start line, progress bar, end lines and failures.
``quota.commands.cli`` reads the options and calls these.
"""
from __future__ import annotations

import sys

import click

from ..messages import message


def show_run(result, target, alternatives: int, within: float, ledger: str | None, as_of: int | None) -> None:
    """Everything ``quota run`` prints after the run folder is written, in the run's language (summary.json lang)."""
    from ..report.summary import format_summary

    lang = result.summary.get("lang") or "en"
    for w in result.scenario.warnings:  # normalisations of the input (quota validate lists them too)
        click.echo(message("run.warning", lang, text=w.render(lang) if hasattr(w, "render") else w), err=True)
    notes = result.summary.get("solver_notes_zh" if lang == "zh" else "solver_notes") or result.summary.get("solver_notes")
    for note in notes or []:  # e.g. how to run the county problems in parallel
        click.echo(message("run.note", lang, text=note), err=True)
    click.echo(format_summary(result.summary, target, lang))
    if alternatives:
        from ..solve.alternatives import format_alternatives

        click.echo(format_alternatives(result.extras["alternatives/summary.csv"], alternatives, within, lang))
    if ledger is not None:
        from ..ledger.store import record_run

        click.echo(message("run.ledger", lang, run=record_run(ledger, target, as_of=as_of), ledger=ledger))


class SweepScreen:
    """The progress of ``quota sweep`` on stderr, and its last lines on stdout, in the points' language."""

    def __init__(self, lang: str | None):
        self.lang, self.bar = lang or "en", None

    def start(self, total: int, todo: int, lang: str) -> None:
        self.lang = lang
        click.echo(message("sweep.start", lang, total=total, done=total - todo, todo=todo), err=True)
        self.bar = click.progressbar(length=todo, label=message("sweep.solving", lang), show_pos=True, file=sys.stderr).__enter__()

    def progress(self, result: dict) -> None:
        self.bar.update(1, result["name"])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def interrupted(self, target) -> None:
        click.echo("\n" + message("sweep.interrupted", self.lang, folder=target), err=True)

    def done(self, result) -> None:
        """The engine and counts, the sweep.csv written; a ClickException naming the points that failed."""
        lang = result.lang
        click.echo(message("sweep.engine", lang, engine=result.engine_zh if lang == "zh" else result.engine,
                           solved=len(result.solved), skipped=len(result.skipped), failed=len(result.failed),
                           seconds=f"{result.seconds:.1f}"))
        click.echo(message("written", lang, path=result.folder / "sweep.csv"))
        if result.failed:
            lines = "\n".join(f"  {name}: {text}" for name, text in result.failed.items())
            raise click.ClickException(message("sweep.failed", lang, n=len(result.failed)) + "\n" + lines)
