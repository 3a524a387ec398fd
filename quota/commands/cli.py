"""The ``quota`` command line: one click group, thin commands over the library.

Each command reads its options, calls the library and prints what it returns. Every ``QuotaError``
becomes one clear message and exit code 1, and no traceback reaches the user (``quota.commands.exits``).
The help of every command and option, with its examples, is in the message catalogue in Chinese and English
(``quota.messages.help_*``, by command and option name: ``quota.commands.bilingual``).
"""
from __future__ import annotations

import signal
import sys

import click

from .bilingual import Group, help_lang, version_option
from .progress import counterfactual_progress
from .exits import handle_errors, process, say_interrupted, stop_promptly, terminate
from .generate_data import GenerateOptions
from ..input.rulesets import rule_set_names
from ..messages import message
from .ledger import ledger as ledger_command
from .rules import rules as rules_command
from ..solve.solution import DEFAULT_GAP, SolveOptions


def _positive_seconds(ctx, param, value):
    if value is not None and not value > 0:  # also refuses nan
        raise click.BadParameter(message("cli.seconds", help_lang(ctx), value=value))
    return value


def _relative_gap(ctx, param, value):
    if not 0 <= value <= 1:  # also refuses nan
        raise click.BadParameter(message("cli.gap", help_lang(ctx), value=value))
    return value


def solve_options(f):
    f = click.option("--solver", default="highs", show_default=True)(f)
    f = click.option("--time-limit", type=float, default=None, callback=_positive_seconds)(f)
    f = click.option("--gap", type=float, default=DEFAULT_GAP, show_default=True, callback=_relative_gap)(f)
    return f


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@version_option
def cli():
    pass


@cli.command()
@click.argument("scenario", required=False, type=click.Path())
@click.option("--out", type=click.Path(), default=None)
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--force", is_flag=True)
@click.option("--counterfactuals", type=click.Choice(["auto", "on", "off", "full"]), default="auto", show_default=True)
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE")
@click.option("--method", type=click.Choice(["optimise", "factor"]), default="optimise", show_default=True)
@click.option("--alternatives", type=click.IntRange(min=0), default=0, metavar="K")
@click.option("--within", type=click.FloatRange(0, 1, max_open=True), default=0.01, show_default=True)
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT")
@click.option("--ledger", metavar="LEDGER", default=None)
@click.option("--as-of", "as_of", type=click.IntRange(1949, 2100), default=None, metavar="YEAR")
@handle_errors
def run(scenario, out, solver, time_limit, gap, lang, force, counterfactuals, sets, method, alternatives, within,
        scheduler, ledger, as_of):
    from ..report.write import default_run_folder
    from .screen import show_run
    from ..run import default_scenario, run_scenario

    signal.signal(signal.SIGTERM, terminate)
    stop_promptly()
    path = scenario or default_scenario()
    target = out or default_run_folder(scenario)
    cf = {"auto": "auto", "on": True, "off": False, "full": "full"}[counterfactuals]
    facts = ledger_facts(path, sets, ledger, as_of)
    opts = SolveOptions(solver=solver, time_limit=time_limit, gap=gap, scheduler=scheduler)
    with counterfactual_progress(cf == "full") as progress:
        result = run_scenario(path, target, opts, lang, force, cf, sets=sets, method=method, alternatives=alternatives,
                              within=within, facts=facts, progress=progress)
    show_run(result, target, alternatives, within, ledger, as_of)


def ledger_facts(path, sets, ledger, as_of):
    """The ledger's facts before ``as_of`` for ``quota run --ledger --as-of`` (None without --as-of)."""
    if as_of is None:
        return None
    if ledger is None:
        raise click.UsageError(message("cli.as_of_needs_ledger", "en"))  # in zh through quota.commands.exits
    from ..input.variants import load_variant
    from ..ledger.schema import reading
    from ..ledger.store import read_facts

    with reading(ledger):  # a ledger that does not exist is an error here, not an empty past
        pass
    return read_facts(ledger, as_of, load_variant(path, sets).name)


@cli.command()
@click.argument("scenario", type=click.Path())
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=V1,V2,...")
@click.option("--grid", type=click.Path(), default=None)
@click.option("--out", type=click.Path(), default=None)
@click.option("--workers", type=click.IntRange(min=1), default=None)
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT")
@click.option("--method", type=click.Choice(["optimise", "factor"]), default="optimise", show_default=True)
@click.option("--full-reports", is_flag=True)
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--force", is_flag=True)
@handle_errors
def sweep(scenario, sets, grid, out, workers, scheduler, method, full_reports, solver, time_limit, gap, lang, force):
    from ..report.write import default_sweep_folder
    from .screen import SweepScreen
    from .sweep import run_sweep
    from .sweep_grid import read_grid

    signal.signal(signal.SIGTERM, terminate)
    target = out or default_sweep_folder(scenario)
    screen = SweepScreen(lang)
    try:
        result = run_sweep(scenario, read_grid(sets, grid), target, SolveOptions(solver=solver, time_limit=time_limit, gap=gap),
                           lang, workers, scheduler, method, full_reports, progress=screen.progress, on_start=screen.start,
                           force=force, grid_file=grid)
    except KeyboardInterrupt:
        screen.interrupted(target)
        sys.exit(130)
    finally:
        screen.close()
    screen.done(result)


@cli.command()
@click.argument("scenario", type=click.Path())
@handle_errors
def validate(scenario):
    from ..input.validate import load
    from ..messages import message
    from ..report.labels import UNIT

    from ..messages import message

    s = load(scenario)  # its problems: a ScenarioError, shown in the scenario's language (ScenarioError.lang)
    for w in s.warnings:
        click.echo(message("run.warning", s.lang, text=w.render(s.lang) if hasattr(w, "render") else w))
    click.echo(message("validate.valid", s.lang, name=s.name, counties=len(s.counties), projects=len(s.projects), first=s.first_year,
                       last=s.last_year, unit=UNIT[s.lang].get(s.unit, s.unit) if s.lang == "zh" else s.unit))


@cli.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--out", type=click.Path(), default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--force", is_flag=True)
@handle_errors
def compare(run_a, run_b, out, lang, force):
    from ..messages import message
    from .compare import compare_runs, read_run
    from .compare_report import format_comparison, write_comparison
    from ..report.write import check_target, default_compare_folder

    target = out or default_compare_folder(run_a, run_b)
    check_target(target, force, "comparison", [run_a, run_b])  # before any work; again when writing
    c = compare_runs(read_run(run_a), read_run(run_b))
    lang = lang or c.a.lang
    write_comparison(c, target, lang, force)
    click.echo(format_comparison(c, lang))
    click.echo("\n" + message("written", lang, path=target))


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.option("--resolve/--no-resolve", default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def audit(run_dir, resolve, lang):
    from ..check.audit import audit_run, format_audit, run_lang
    from ..reaudit import optimum

    checks = audit_run(run_dir, optimum, {None: "auto", True: "on", False: "off"}[resolve])
    click.echo(format_audit(checks, lang or run_lang(run_dir) or "en"))
    if not checks["ok"].all():
        sys.exit(1)


@cli.command("audit-idle")
@click.argument("scenario", type=click.Path())
@click.option("--out", type=click.Path(), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.option("--force", is_flag=True)
@handle_errors
def audit_idle(scenario, out, lang, force):
    from ..messages import message
    from .audit_idle import format_findings, write_idle_audit

    target, findings, lang = write_idle_audit(scenario, out, lang, force)
    click.echo(format_findings(findings, lang))
    click.echo("\n" + message("written", lang, path=target))


def _share(flag: str):
    """A share option of ``quota generate``, defaulting to ``GenerateOptions``."""
    field = flag.lstrip("-").replace("-", "_")
    return click.option(flag, field, type=click.FloatRange(0, 1), default=getattr(GenerateOptions, field), show_default=True)


@cli.command()
@click.option("--out", type=click.Path(), required=True)
@click.option("--counties", type=click.IntRange(min=1), default=GenerateOptions.counties, show_default=True)
@click.option("--projects", type=click.IntRange(min=1), default=GenerateOptions.projects, show_default=True)
@click.option("--years", type=click.IntRange(min=1), default=GenerateOptions.years, show_default=True)
@click.option("--first-year", type=click.IntRange(1949, 2100), default=GenerateOptions.first_year, show_default=True)
@_share("--phased")
@_share("--urgent")
@_share("--key")
@_share("--not-ready")
@_share("--stock-ok")
@_share("--dependencies")
@_share("--locks")
@_share("--restricted")
@_share("--tasks-met")
@_share("--cap-share")
@click.option("--stock-range", type=(float, float), default=(GenerateOptions.stock_min, GenerateOptions.stock_max), show_default=True)
@click.option("--idle-ratio", type=click.FloatRange(0), default=GenerateOptions.idle_ratio, show_default=True)
@click.option("--parcels-per-county", type=click.IntRange(min=0), default=GenerateOptions.parcels_per_county, show_default=True)
@_share("--parcel-share")
@click.option("--demand-ratio", type=click.FloatRange(0, min_open=True), default=GenerateOptions.demand_ratio, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=GenerateOptions.lang, show_default=True)
@click.option("--rules", type=click.Choice(rule_set_names()), default=None)
@click.option("--spatial", is_flag=True)
@click.option("--seed", type=int, default=GenerateOptions.seed, show_default=True)
@click.option("--force", is_flag=True)
@handle_errors
def generate(out, force, stock_range, **options):
    from .generate import generate_scenario

    if not 0 < stock_range[0] <= stock_range[1]:
        raise click.BadParameter(message("cli.stock_range", "en"), param_hint="--stock-range")  # zh: as for --as-of
    path = generate_scenario(out, force=force, stock_min=stock_range[0], stock_max=stock_range[1], **options)
    lang = options["lang"]  # the generated scenario's language
    click.echo(message("generate.written", lang, path=path, counties=options["counties"], projects=options["projects"],
                       first=options["first_year"], last=options["first_year"] + options["years"] - 1,
                       rules=message("generate.rules", lang, rules=options["rules"]) if options["rules"] else ""))


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.argument("project_id")
@click.option("--no-solve", is_flag=True)
@click.option("--time-limit", type=float, default=60.0, show_default=True)
@handle_errors
def explain(run_dir, project_id, no_solve, time_limit):
    from ..explain.project import explain_project

    click.echo(explain_project(run_dir, project_id, resolve=not no_solve, time_limit=time_limit))


cli.add_command(rules_command)  # quota rules [NAME]: quota.commands.rules
cli.add_command(ledger_command)  # quota ledger ...: quota.commands.ledger


def main():
    process["main"] = True
    try:
        cli(prog_name="quota")
    except KeyboardInterrupt:
        say_interrupted()
        sys.exit(130)
