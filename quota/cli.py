"""The ``quota`` command line: one click group, thin commands over the library.

Every ``QuotaError`` becomes one clear message and exit code 1; no traceback
reaches the user.
"""
from __future__ import annotations

import functools
import signal
import sys

import click

from .errors import QuotaError, ScenarioError
from .generate import GenerateOptions
from .solve import DEFAULT_GAP, SolveOptions


def handle_errors(f):
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
      quota audit runs/2024           # recompute a run from its inputs
    """


@cli.command()
@click.argument("scenario", required=False, type=click.Path())
@click.option("--out", type=click.Path(), default=None, help="Run folder to write (must not exist unless --force). Default: runs/<scenario name>.")
@solve_options
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language (default: the scenario's lang).")
@click.option("--force", is_flag=True, help="Replace an existing run folder, once the new one is complete.")
@click.option("--counterfactuals", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
              help="Re-solve once per project to say why it is (not) approved; auto: when at most 300 projects are in the model.")
@handle_errors
def run(scenario, out, solver, time_limit, gap, lang, force, counterfactuals):
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
    cf = {"auto": "auto", "on": True, "off": False}[counterfactuals]
    result = run_scenario(path, target, SolveOptions(solver=solver, time_limit=time_limit, gap=gap), lang, force, cf)
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


@cli.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--out", type=click.Path(), default=None,
              help="Folder for headline.csv, by_year.csv, changed.csv and gantt.png (must not exist unless --force). "
                   "Default: compare-<A>-<B> beside RUN_B.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of the table and chart (default: run A's).")
@click.option("--force", is_flag=True, help="Replace an existing output folder, once the new one is complete.")
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
    from .compare import compare_runs, default_out, format_comparison, read_run, write_comparison

    c = compare_runs(read_run(run_a), read_run(run_b))
    target = out or default_out(run_a, run_b)
    write_comparison(c, target, lang, force)
    click.echo(format_comparison(c, lang))
    click.echo(f"\nwritten:   {target}")


@cli.command()
@click.argument("run_dir", type=click.Path())
@handle_errors
def audit(run_dir):
    """Recompute a run folder from the inputs named in its manifest, independently of the code that
    wrote it: file hashes, county linkage numbers and restrictions, idle-parcel penalties, every
    constraint residual and the objective. Prints a table of checks; exit 1 on any discrepancy.

    \b
    Examples:
      quota run --out runs/base
      quota audit runs/base
    """
    from .audit import audit_run, format_audit

    checks = audit_run(run_dir)
    click.echo(format_audit(checks))
    if not checks["ok"].all():
        sys.exit(1)


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
@click.option("--seed", type=int, default=GenerateOptions.seed, show_default=True, help="The same seed gives the same files.")
@click.option("--force", is_flag=True, help="Replace an existing folder, once the new one is complete.")
@handle_errors
def generate(out, force, stock_range, **options):
    """Write a realistic synthetic scenario of any size (示意合成数据), for tests and benchmarks.

    \b
    Examples:
      quota generate --out scenarios/synthetic-city
      quota generate --out big --counties 170 --projects 20000 --years 5 --phased 0.1 --seed 7
      quota validate big && quota run big --gap 0.001
    """
    from .generate import generate_scenario

    if not 0 < stock_range[0] <= stock_range[1]:
        raise click.BadParameter("need 0 < MIN <= MAX.", param_hint="--stock-range")
    path = generate_scenario(out, force=force, stock_min=stock_range[0], stock_max=stock_range[1], **options)
    click.echo(f"written:   {path} — {options['counties']} counties, {options['projects']} projects, "
               f"years {options['first_year']}–{options['first_year'] + options['years'] - 1} (synthetic data)")


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
    from .explain.project import explain_project

    click.echo(explain_project(run_dir, project_id, resolve=not no_solve, time_limit=time_limit))


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
