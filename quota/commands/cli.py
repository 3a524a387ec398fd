"""The ``quota`` command line: one click group, thin commands over the library.

Each command reads its options, calls the library and prints what it returns. Every ``QuotaError``
becomes one clear message and exit code 1, and no traceback reaches the user (``quota.commands.exits``).
"""
from __future__ import annotations

import signal
import sys

import click

from .progress import counterfactual_progress
from .exits import handle_errors, process, say_interrupted, stop_promptly, terminate
from .generate_data import GenerateOptions
from ..input.rulesets import rule_set_names
from .ledger import ledger as ledger_command
from .rules import rules as rules_command
from ..solve.solution import DEFAULT_GAP, SolveOptions


def _positive_seconds(ctx, param, value):
    if value is not None and not value > 0:  # also refuses nan
        raise click.BadParameter(f"{value} is not a number of seconds above 0.")
    return value


def _relative_gap(ctx, param, value):
    if not 0 <= value <= 1:  # also refuses nan
        raise click.BadParameter(f"{value} is not a relative gap between 0 and 1.")
    return value


def solve_options(f):
    f = click.option("--solver", default="highs", show_default=True, help="PuLP solver: highs, cbc, or any available PuLP solver name.")(f)
    f = click.option("--time-limit", type=float, default=None, callback=_positive_seconds,
                     help="Stop the solver after S seconds; the result is then marked not proven optimal.")(f)
    f = click.option("--gap", type=float, default=DEFAULT_GAP, show_default=True, callback=_relative_gap,
                     help="Relative MIP gap at which the solver may stop.")(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quota")
def cli():
    """quota: allocate new construction-land quota (新增建设用地计划指标) across projects, and explain why.

    \b
    Examples:
      quota run                       # the bundled illustrative scenario
      quota run my-city/ --out runs/2024
      quota validate my-city/
      quota audit runs/2024           # recompute a run from its inputs
    """


@cli.command()
@click.argument("scenario", required=False, type=click.Path())
@click.option("--out", type=click.Path(), default=None, help="Run folder to write (must not exist unless --force). Default: runs/<scenario name>.")
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the scenario's lang).")
@click.option("--force", is_flag=True, help="Replace an existing run folder (only one quota run wrote, holding no input), "
              "once the new one is complete.")
@click.option("--counterfactuals", type=click.Choice(["auto", "on", "off", "full"]), default="auto", show_default=True,
              help="Why each project is (not) approved: a proven loss interval and the projects that change. auto: up to "
                   "300 projects, within a time budget; full: until every interval is within the run's own gap.")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Change one scenario key (repeatable), e.g. linkage.penalty=2, quota.2024=600, quota.scale=0.9.")
@click.option("--method", type=click.Choice(["optimise", "factor"]), default="optimise", show_default=True,
              help="factor: the factor-method baseline (因素法) instead of the optimiser, in the same run folder.")
@click.option("--alternatives", type=click.IntRange(min=0), default=0, metavar="K",
              help="Also find K allocations approving other sets of projects, within --within of the optimum.")
@click.option("--within", type=click.FloatRange(0, 1, max_open=True), default=0.01, show_default=True,
              help="Relative distance from the optimum allowed for --alternatives.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Solve the county problems of a large model on this Dask scheduler's workers (default: a local Dask "
                   "cluster, one process per core, when dask.distributed is installed).")
@click.option("--ledger", metavar="LEDGER", default=None,
              help="Record the run in this ledger (台账: a SQLite file or a database URL; see quota ledger).")
@click.option("--as-of", "as_of", type=click.IntRange(1949, 2100), default=None, metavar="YEAR",
              help="Re-plan from YEAR: the years before it are the ledger's facts, fixed (needs --ledger).")
@handle_errors
def run(scenario, out, solver, time_limit, gap, lang, force, counterfactuals, sets, method, alternatives, within,
        scheduler, ledger, as_of):
    """Solve a scenario and write a run folder. With no SCENARIO, run the bundled default.

    \b
    Examples:
      quota run
      quota run scenarios/shijiazhuang --out runs/base --lang en
      quota run my.xlsx --time-limit 60 --gap 0.001
      quota run --set linkage.penalty=2 --set quota.scale=0.9 --out runs/tight
      quota run --method factor --out runs/factor     # then: quota compare runs/base runs/factor
      quota run --alternatives 5 --within 0.01 --out runs/alt
      quota run big-province/ --time-limit 540 --gap 0.001 --scheduler tcp://scheduler-host:8786
      quota run --ledger ledger.db --as-of 2024 --out runs/2024   # 2023 fixed to the ledger's facts
    """
    from ..report.summary import format_summary
    from ..report.write import default_run_folder
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
    for w in result.scenario.warnings:  # normalisations of the input (quota validate lists them too)
        click.echo(f"warning: {w}", err=True)
    for note in result.summary.get("solver_notes") or []:  # e.g. how to run the county problems in parallel
        click.echo(f"note: {note}", err=True)
    click.echo(format_summary(result.summary, target))
    if alternatives:
        from ..solve.alternatives import format_alternatives

        click.echo(format_alternatives(result.extras["alternatives/summary.csv"], alternatives, within))
    if ledger is not None:
        from ..ledger.store import record_run

        click.echo(f"ledger:    run {record_run(ledger, target, as_of=as_of)} recorded in {ledger}")


def ledger_facts(path, sets, ledger, as_of):
    """The ledger's facts before ``as_of`` for ``quota run --ledger --as-of`` (None without --as-of)."""
    if as_of is None:
        return None
    if ledger is None:
        raise click.UsageError("--as-of needs --ledger: the facts of the years before it come from the ledger.")
    from ..input.variants import load_variant
    from ..ledger.schema import reading
    from ..ledger.store import read_facts

    with reading(ledger):  # a ledger that does not exist is an error here, not an empty past
        pass
    return read_facts(ledger, as_of, load_variant(path, sets).name)


@cli.command()
@click.argument("scenario", type=click.Path())
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=V1,V2,...",
              help="Sweep one scenario key over these values (repeatable; the grid is every combination).")
@click.option("--grid", type=click.Path(), default=None, help="A yaml file mapping keys to lists of values, swept like --set.")
@click.option("--out", type=click.Path(), default=None, help="Sweep folder (re-use it to resume). Default: sweeps/<scenario name>.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Local processes, each solving one point. Default: the CPU count.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run the points on this Dask scheduler's workers instead (needs the extra quota[dask]).")
@click.option("--method", type=click.Choice(["optimise", "factor"]), default="optimise", show_default=True,
              help="Sweep the optimiser, or the factor-method baseline.")
@click.option("--full-reports", is_flag=True, help="Write report.html, report.xlsx and charts in every point (slower), not only report.md.")
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the scenario's lang).")
@click.option("--force", is_flag=True, help="Solve again the points done with other inputs or options (else refused, naming "
              "what differs), replacing their folders.")
@handle_errors
def sweep(scenario, sets, grid, out, workers, scheduler, method, full_reports, solver, time_limit, gap, lang, force):
    """Run a scenario over a grid of parameter values: one run folder per point, sweep.csv with
    the key figures of every point, and figures/<key>.png of each figure against each key.
    Points already done with the same inputs and options are skipped, so an interrupted sweep resumes
    where it stopped; a point done with other inputs or options is refused unless --force.

    \b
    Examples:
      quota sweep scenarios/shijiazhuang --set linkage.penalty=0,0.5,1,2 --set quota.scale=0.9,1,1.1
      quota sweep scenarios/shijiazhuang --grid grid.yaml --out sweeps/penalty --workers 2
      quota sweep scenarios/shijiazhuang --grid grid.yaml --scheduler tcp://scheduler-host:8786
    """
    from ..report.write import default_sweep_folder
    from .sweep import run_sweep
    from .sweep_grid import read_grid

    signal.signal(signal.SIGTERM, terminate)
    target = out or default_sweep_folder(scenario)
    bar = {}

    def start(total, todo):
        click.echo(f"sweep:     {total} points, {total - todo} already done, {todo} to solve", err=True)
        bar["bar"] = click.progressbar(length=todo, label="solving", show_pos=True, file=sys.stderr).__enter__()

    def progress(result):
        bar["bar"].update(1, result["name"])

    try:
        result = run_sweep(scenario, read_grid(sets, grid), target, SolveOptions(solver=solver, time_limit=time_limit, gap=gap),
                           lang, workers, scheduler, method, full_reports, progress=progress, on_start=start,
                           force=force, grid_file=grid)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: the points finished so far are kept in {target}; run the same command again to resume.", err=True)
        sys.exit(130)
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    click.echo(f"engine:    {result.engine}; {len(result.solved)} solved, {len(result.skipped)} skipped (done before), "
               f"{len(result.failed)} failed, {result.seconds:.1f} s")
    click.echo(f"written:   {result.folder / 'sweep.csv'}")
    if result.failed:
        lines = "\n".join(f"  {name}: {message}" for name, message in result.failed.items())
        raise click.ClickException(f"{len(result.failed)} point(s) failed and were not written; run the sweep again to retry them:\n{lines}")


@cli.command()
@click.argument("scenario", type=click.Path())
@handle_errors
def validate(scenario):
    """Check a scenario and list every problem at once (exit 1 if any).

    \b
    Example:
      quota validate scenarios/shijiazhuang
    """
    from ..input.validate import load

    s = load(scenario)
    for w in s.warnings:
        click.echo(f"warning: {w}")
    click.echo(f"valid: {s.name} — {len(s.counties)} counties, {len(s.projects)} projects, years {s.first_year}–{s.last_year}, unit {s.unit}")


@cli.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--out", type=click.Path(), default=None,
              help="Folder for headline.csv, by_year.csv, changed.csv and gantt.png (must not exist unless --force). "
                   "Default: compare-<A>-<B> beside RUN_B.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the table and chart (default: run A's).")
@click.option("--force", is_flag=True, help="Replace an existing comparison folder (only one quota compare wrote, "
              "never run A or B), once the new one is complete.")
@handle_errors
def compare(run_a, run_b, out, lang, force):
    """Compare two run folders side by side: objective, value by year, utilisation, advance,
    and the projects whose plan, phase years or status differ, with a Gantt chart of those.

    \b
    Examples:
      quota run --out runs/base
      quota run scenarios/shijiazhuang-p096-plan-a --out runs/p096-a
      quota compare runs/base runs/p096-a          # writes runs/compare-base-p096-a/
      quota compare runs/base runs/p096-a --out cmp --lang en
    """
    from .compare import compare_runs, read_run
    from .compare_report import format_comparison, write_comparison
    from ..report.write import check_target, default_compare_folder

    target = out or default_compare_folder(run_a, run_b)
    check_target(target, force, "comparison", [run_a, run_b])  # before any work; again when writing
    c = compare_runs(read_run(run_a), read_run(run_b))
    write_comparison(c, target, lang, force)
    click.echo(format_comparison(c, lang))
    click.echo(f"\nwritten:   {target}")


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.option("--resolve/--no-resolve", default=None,
              help="Re-solve the scenario from its inputs and check the run's objective is within its claimed gap of "
                   "the optimum. Default: on for runs of at most 400 projects (seconds), off above.")
@handle_errors
def audit(run_dir, resolve):
    """Recompute a run folder from the inputs named in its manifest, independently of the code that
    wrote it: file hashes and the files a run holds, county linkage numbers and restrictions, idle-parcel
    penalties, every constraint residual, each project's status and reason, the objective, bound and
    gap, and (--resolve) the optimum. Prints a table of checks and what was re-solved; exit 1 on any
    discrepancy.

    \b
    Examples:
      quota run --out runs/base
      quota audit runs/base
      quota audit runs/national --resolve     # re-solve also above 400 projects
    """
    from ..check.audit import audit_run, format_audit
    from ..reaudit import optimum

    checks = audit_run(run_dir, optimum, {None: "auto", True: "on", False: "off"}[resolve])
    click.echo(format_audit(checks))
    if not checks["ok"].all():
        sys.exit(1)


@cli.command("audit-idle")
@click.argument("scenario", type=click.Path())
@click.option("--out", type=click.Path(), required=True, help="Folder to write (must not exist unless --force).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the rules (default: the scenario's lang).")
@click.option("--force", is_flag=True, help="Replace an existing folder (only one quota audit-idle wrote), once the new one is complete.")
@handle_errors
def audit_idle(scenario, out, lang, force):
    """The auditor's idle-land check of a scenario (Order 53), without solving: each parcel's class, fee due and
    whether taking back may be proposed, and every finding where the bureau's record differs from what the rules
    require (fee not levied or short, levied on a government cause, two years undecided, taken back early, no
    evidence, an extension beyond a year, started on paper below Art. 2 ¶2). Writes idle_findings.csv,
    idle_parcels.csv, idle_findings.xlsx and manifest.json; exit 0 whether or not there are findings.

    \b
    Examples:
      quota audit-idle scenarios/shijiazhuang --out audits/idle
      quota audit-idle scenarios/shijiazhuang --out audits/idle-en --lang en
    """
    from .audit_idle import format_findings, write_idle_audit

    target, findings, lang = write_idle_audit(scenario, out, lang, force)
    click.echo(format_findings(findings, lang))
    click.echo(f"\nwritten:   {target}")


def _share(flag: str, help: str):
    """A share option of ``quota generate``, defaulting to ``GenerateOptions``."""
    field = flag.lstrip("-").replace("-", "_")
    return click.option(flag, field, type=click.FloatRange(0, 1), default=getattr(GenerateOptions, field),
                        show_default=True, help=help)


@cli.command()
@click.option("--out", type=click.Path(), required=True, help="Scenario folder to write (must not exist unless --force).")
@click.option("--counties", type=click.IntRange(min=1), default=GenerateOptions.counties, show_default=True)
@click.option("--projects", type=click.IntRange(min=1), default=GenerateOptions.projects, show_default=True)
@click.option("--years", type=click.IntRange(min=1), default=GenerateOptions.years, show_default=True, help="Number of consecutive years.")
@click.option("--first-year", type=click.IntRange(1949, 2100), default=GenerateOptions.first_year, show_default=True)
@_share("--phased", "Share of projects built in 2-4 phases (some with an alternative plan B).")
@_share("--urgent", "Share of urgent projects (may draw advance quota).")
@_share("--key", "Share of key projects: city, provincial, national in about 60/28/12.")
@_share("--not-ready", "Share of projects that are not ready (excluded).")
@_share("--stock-ok", "Share of projects that may use county stock.")
@_share("--dependencies", "Share of projects that require an earlier project of their county.")
@_share("--locks", "Share of projects locked: half out, half in (only where valid and feasible). 0: none.")
@_share("--restricted", "Share of counties under 限批: half for slow disposal, half for over-plan use.")
@_share("--tasks-met", "Share of the other counties that met both disposal tasks.")
@_share("--cap-share", "Share of counties with a cap_base.")
@click.option("--stock-range", type=(float, float), default=(GenerateOptions.stock_min, GenerateOptions.stock_max),
              show_default=True, help="County 批而未供 stock in ha, log-uniform between MIN and MAX.")
@click.option("--idle-ratio", type=click.FloatRange(0), default=GenerateOptions.idle_ratio, show_default=True,
              help="Idle stock as a share of 批而未供.")
@click.option("--parcels-per-county", type=click.IntRange(min=0), default=GenerateOptions.parcels_per_county, show_default=True,
              help="Idle parcels per listing county, adding up to its idle_stock. 0: no idle_parcels table.")
@_share("--parcel-share", "Share of counties that list their idle parcels.")
@click.option("--demand-ratio", type=click.FloatRange(0, min_open=True), default=GenerateOptions.demand_ratio, show_default=True,
              help="Ready in-budget demand over the sum of the city quota (1.6-2: scarce).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=GenerateOptions.lang, show_default=True)
@click.option("--rules", type=click.Choice(rule_set_names()), default=None,
              help="Name this rule set in scenario.yaml (rules: NAME) and write the data it needs: cap_base for every county, "
                   "disposal.csv, history.csv, previous_quota, poverty counties, stand-alone-site projects, a provincial "
                   "reserve (as the set asks). Default: none, the first contract.")
@click.option("--spatial", is_flag=True, help="Also write synthetic geometry (county squares, control lines, project sites "
              "and idle parcels as GeoJSON in spatial/) and a spatial: block; some sites break each check (docs/spatial.md).")
@click.option("--seed", type=int, default=GenerateOptions.seed, show_default=True, help="The same seed gives the same files.")
@click.option("--force", is_flag=True, help="Replace an existing folder (only one quota generate wrote), once the new one is complete.")
@handle_errors
def generate(out, force, stock_range, **options):
    """Write a realistic synthetic scenario of any size (示意合成数据), for tests and benchmarks.

    \b
    Examples:
      quota generate --out scenarios/synthetic-city
      quota generate --out big --counties 170 --projects 20000 --years 5 --phased 0.1 --seed 7
      quota validate big && quota run big --gap 0.001
      quota generate --out city-hebei --rules hebei-2024
      quota generate --out city-maps --spatial
    """
    from .generate import generate_scenario

    if not 0 < stock_range[0] <= stock_range[1]:
        raise click.BadParameter("need 0 < MIN <= MAX.", param_hint="--stock-range")
    path = generate_scenario(out, force=force, stock_min=stock_range[0], stock_max=stock_range[1], **options)
    click.echo(f"written:   {path} — {options['counties']} counties, {options['projects']} projects, "
               f"years {options['first_year']}–{options['first_year'] + options['years'] - 1}"
               + (f", rules {options['rules']}" if options["rules"] else "") + " (synthetic data)")


@cli.command()
@click.argument("run_dir", type=click.Path())
@click.argument("project_id")
@click.option("--no-solve", is_flag=True, help="Only read the run folder; do not re-solve for an exact counterfactual.")
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds for the counterfactual re-solve.")
@handle_errors
def explain(run_dir, project_id, no_solve, time_limit):
    """Print one project's full explanation: status, reason, value terms, allocations, counterfactual.

    \b
    Examples:
      quota explain runs/default P011
      quota explain runs/default P011 --no-solve
    """
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
