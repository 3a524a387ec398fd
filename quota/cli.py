"""The ``quota`` command line: one click group, thin commands over the library.

Every ``QuotaError`` becomes one clear message and exit code 1; no traceback
reaches the user.
"""
from __future__ import annotations

import functools
import signal
import sys

import click

from .errors import InfeasibleError, QuotaError, ScenarioError
from .solve import DEFAULT_GAP, SolveOptions


def handle_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except ScenarioError as e:
            raise click.ClickException(str(e)) from None
        except InfeasibleError as e:
            raise click.ClickException(str(e) + (f"\n{e.diagnosis}" if e.diagnosis is not None else "")) from None
        except QuotaError as e:
            raise click.ClickException(str(e)) from None
    return wrapper


def solve_options(f):
    f = click.option("--solver", default="highs", show_default=True, help="PuLP solver: highs, cbc, or any available PuLP solver name.")(f)
    f = click.option("--time-limit", type=float, default=None, help="Stop the solver after S seconds; the result is then marked not proven optimal.")(f)
    f = click.option("--gap", type=float, default=DEFAULT_GAP, show_default=True, help="Relative MIP gap at which the solver may stop.")(f)
    return f


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quota")
def cli():
    """quota: allocate new construction-land quota (新增建设用地计划指标) across projects, and explain why.

    \b
    Examples:
      quota run                       # the bundled illustrative scenario
      quota run my-city/ --out runs/2024
      quota validate my-city/
    """


@cli.command()
@click.argument("scenario", required=False, type=click.Path())
@click.option("--out", type=click.Path(), default=None, help="Run folder to write (must not exist unless --force). Default: runs/<scenario name>.")
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the scenario's lang).")
@click.option("--force", is_flag=True, help="Replace an existing run folder, once the new one is complete.")
@handle_errors
def run(scenario, out, solver, time_limit, gap, lang, force):
    """Solve a scenario and write a run folder. With no SCENARIO, run the bundled default.

    \b
    Examples:
      quota run
      quota run scenarios/shijiazhuang --out runs/base --lang en
      quota run my.xlsx --time-limit 60 --gap 0.001
    """
    from .run import default_scenario, run_scenario

    signal.signal(signal.SIGTERM, _terminate)
    path = scenario or default_scenario()
    target = out or f"runs/{(scenario and __import__('pathlib').Path(scenario).stem) or 'default'}"
    result = run_scenario(path, target, SolveOptions(solver=solver, time_limit=time_limit, gap=gap), lang, force)
    click.echo(format_summary(result.summary, target))


@cli.command()
@click.argument("scenario", type=click.Path())
@handle_errors
def validate(scenario):
    """Check a scenario and list every problem at once (exit 1 if any).

    \b
    Example:
      quota validate scenarios/shijiazhuang
    """
    from .validate import load

    s = load(scenario)
    for w in s.warnings:
        click.echo(f"warning: {w}")
    click.echo(f"valid: {s.name} — {len(s.counties)} counties, {len(s.projects)} projects, years {s.first_year}–{s.last_year}, unit {s.unit}")


def format_summary(summary: dict, out) -> str:
    gap = "—" if summary["gap"] is None else f"{summary['gap']:.2e}"
    bound = "—" if summary["bound"] is None else f"{summary['bound']:,.3f}"
    lines = [f"scenario:  {summary['scenario']}",
             f"status:    {summary['status']} — {summary['message']}",
             f"objective: {summary['objective']:,.3f}   bound: {bound}   gap: {gap}   solver: {summary['solver']}"]
    if not summary["proven_optimal"]:
        lines.append("WARNING:   not proven optimal")
    u = summary["unit"]
    for y in summary["years"]:
        util = "—" if y["utilisation"] is None else f"{y['utilisation']:.1%}"
        lines.append(f"{y['year']}: quota {y['quota']:,.2f} {u}, used {y['charged']:,.2f} (new {y['new_used']:,.2f}, advance repaid "
                     f"{y['advance_repaid']:,.2f}), advance drawn {y['advance_drawn']:,.2f}, stock {y['stock_used']:,.2f}, utilisation {util}")
    counts = ", ".join(f"{k} {v}" for k, v in summary["projects"].items())
    lines.append(f"projects:  {counts}")
    lines.append(f"verified:  {summary['verification']['checks']} checks, {summary['verification']['violations']} violations")
    lines.append(f"written:   {out}")
    return "\n".join(lines)


def main():
    try:
        cli(prog_name="quota")
    except KeyboardInterrupt:
        click.echo("interrupted: no run folder was written.", err=True)
        sys.exit(130)
