"""``quota ledger``: the ledger (台账) of what was approved, supplied and disposed of, year by year.

Thin commands over ``quota.ledger``: ``init``, ``status``, ``adopt``, ``import``, ``export``, ``lapse``. A ledger is a
SQLite file the analyst names (created on first use) or a PostgreSQL database given by URL. Registered on the
``quota`` group by ``quota.commands.cli``.
"""
from __future__ import annotations

import datetime as dt

import click

from ..report.numbers import number
from .exits import handle_errors

WORDS = {
    "zh": {"years": "按年:计划与实际(公顷)", "counties": "按年、按县:计划与实际(公顷)", "lapsing": "{year} 年底前到期失效的批准(两年内未供地,自然资规〔2018〕1号):",
           "none_lapsing": "{year} 年底前没有到期失效的批准。", "empty": "台账中还没有计划或事实。",
           "year": "年份", "county_id": "县", "plan_run": "计划运行", "plan_from": "计划来源", "quota_issued": "下达指标",
           "planned": "计划", "approved": "批准", "difference": "差额", "supplied": "已供地", "disposed": "处置", "overplan": "超计划",
           "adopted": "已采纳", "latest": "最近运行", "project_id": "项目", "plan": "方案", "phase": "期次", "area": "批准面积",
           "unsupplied": "未供面积", "approval_date": "批准日期", "lapse_date": "失效日期"},
    "en": {"years": "by year: planned against actual (ha)", "counties": "by year and county: planned against actual (ha)",
           "lapsing": "approvals that lapse by the end of {year} unless supplied (two years, 自然资规〔2018〕1号):",
           "none_lapsing": "no approval lapses by the end of {year}.", "empty": "the ledger holds no plan and no fact yet.",
           "year": "year", "county_id": "county", "plan_run": "plan run", "plan_from": "plan from", "quota_issued": "quota issued",
           "planned": "planned", "approved": "approved", "difference": "difference", "supplied": "supplied", "disposed": "disposed",
           "overplan": "over plan", "adopted": "adopted", "latest": "latest run", "project_id": "project", "plan": "plan",
           "phase": "phase", "area": "approved", "unsupplied": "unsupplied", "approval_date": "approved on",
           "lapse_date": "lapses on"},
}


@click.group(name="ledger")
def ledger():
    """The ledger (台账): what was approved, supplied and disposed of, year by year, in a SQLite file or a PostgreSQL
    database. LEDGER is a file path (a SQLite file, created on first use) or a database URL.

    \b
    Examples:
      quota ledger init ledger.db
      quota ledger adopt ledger.db runs/2023 --year 2023
      quota ledger import ledger.db supply.csv
      quota ledger status ledger.db --year 2024
      quota ledger init postgresql+psycopg://analyst@db.example/quota
    """


@ledger.command()
@click.argument("url", metavar="LEDGER")
@handle_errors
def init(url):
    """Create a ledger (建立台账), or bring an older one to this quota's schema.

    \b
    Examples:
      quota ledger init ledger.db
      quota ledger init postgresql+psycopg://analyst@db.example/quota
    """
    from ..ledger.schema import init as init_ledger, shown_url

    found, version = init_ledger(url)
    state = "created" if not found else "up to date" if found == version else f"migrated from version {found}"
    click.echo(f"ledger:    {url if '://' not in url else shown_url(url)} — schema version {version} ({state})")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--year", type=click.IntRange(1949, 2100), default=None,
              help="List the approvals that lapse by the end of this year unless supplied (到期失效). Default: this year.")
@click.option("--scenario", default=None, help="Compare with the runs of this scenario name only. Default: any run.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the headings.")
@handle_errors
def status(url, year, scenario, lang):
    """Per year and county, the plan against the facts (计划与实际): planned (the run adopted for the year, else the
    latest run reaching it), approved, supplied, disposed of and used beyond plan, in ha; and the approvals that lapse
    by the end of --year unless supplied.

    \b
    Examples:
      quota ledger status ledger.db
      quota ledger status ledger.db --year 2025 --lang en
    """
    from ..ledger.status import eval_status

    year = year or dt.date.today().year
    click.echo(format_status(eval_status(url, year, scenario), year, lang))


def format_status(s, year: int, lang: str) -> str:
    """The three tables of ``eval_status`` as text, headings in ``lang``."""
    w = WORDS[lang]
    if s.years.empty:
        return w["empty"]
    years = s.years.copy()
    years["plan_run"] = years["plan_run"].map(lambda r: "—" if r is None or r != r else f"#{int(r)}")
    years["plan_from"] = years["plan_from"].map(lambda v: w.get(v, "—") if v else "—")
    years["quota_issued"] = years["quota_issued"].map(lambda v: number(v, 2))
    named = getattr(s, "names", {})

    def county(cid):  # the name, its id beside (the id alone where no run folder names it)
        name = named.get(cid)
        return cid if not name or name == cid else f"{name}({cid})" if lang == "zh" else f"{name} ({cid})"

    counties = s.counties.assign(county_id=s.counties["county_id"].map(county))
    parts = [w["years"], _table(years, w), "", w["counties"], _table(counties, w), ""]
    if s.lapsing.empty:
        parts.append(w["none_lapsing"].format(year=year))
    else:
        cols = ["project_id", "plan", "phase", "year", "county_id", "area", "unsupplied", "approval_date", "lapse_date"]
        lapsing = s.lapsing[cols].assign(county_id=s.lapsing["county_id"].map(county))
        parts += [w["lapsing"].format(year=year), _table(lapsing, w)]
    return "\n".join(parts)


def _table(frame, w: dict) -> str:
    shown = frame.rename(columns={c: w.get(c, c) for c in frame.columns})
    return shown.to_string(index=False, float_format=lambda v: number(v, 2))  # never -0.00


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.argument("run_dir", type=click.Path())
@click.option("--year", type=click.IntRange(1949, 2100), required=True, help="The year of the run whose approvals are adopted.")
@click.option("--replace", is_flag=True, help="Mark the ledger's approvals of that year superseded (kept, never deleted) "
              "and record the run's instead.")
@click.option("--date", "approval_date", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Approval date of the adopted rows (YYYY-MM-DD). Default: 31 December of --year.")
@handle_errors
def adopt(url, run_dir, year, replace, approval_date):
    """Adopt a run's plan for one year (采纳计划): record the run, and its approvals of --year as approved facts.
    Refused when the ledger already holds approvals of that year, unless --replace.

    \b
    Examples:
      quota ledger adopt ledger.db runs/2023 --year 2023
      quota ledger adopt ledger.db runs/2023-b --year 2023 --replace
    """
    from ..ledger.store import adopt as adopt_run

    a = adopt_run(url, run_dir, year, replace=replace, approval_date=approval_date.date() if approval_date else None)
    replaced = f", {a.superseded} earlier row(s) marked superseded" if a.superseded else ""
    click.echo(f"adopted:   run #{a.run_id}, {year}: {a.rows} approval row(s), {a.area:,.2f} ha (batch {a.batch_id}{replaced})")


@ledger.command(name="import")
@click.argument("url", metavar="LEDGER")
@click.argument("file", type=click.Path())
@click.option("--kind", type=click.Choice(["approvals", "supply", "disposal", "quota_issued", "overplan"]), default=None,
              help="The facts a CSV file holds, when its name does not say (approvals.csv, 供地.csv, ...).")
@click.option("--unit", type=click.Choice(["ha", "mu"]), default="ha", show_default=True, help="Unit of the file's areas.")
@click.option("--replace", is_flag=True, help="Mark the ledger's rows of the years (and kinds) the file holds superseded "
              "(kept, never deleted) and record the file's rows instead.")
@handle_errors
def import_(url, file, kind, unit, replace):
    """Import facts from the bureau's own tables (导入台账): approvals, supply, disposal, quota issued, over-plan use,
    as CSV (UTF-8 or GBK) or .xlsx (one sheet per kind). Every problem is listed with its file, row and column, and
    nothing is written when there is any. Formats: docs/ledger.md.

    \b
    Examples:
      quota ledger import ledger.db approvals-2023.csv
      quota ledger import ledger.db 台账2023.xlsx --unit mu
      quota ledger import ledger.db supply.csv --replace
    """
    from ..ledger.imports import import_facts

    result = import_facts(url, file, kind, replace=replace, unit=unit)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for t in result.tables:
        replaced = f", {t.superseded} earlier row(s) marked superseded" if t.superseded else ""
        click.echo(f"imported:  {t.label}: {t.rows} {t.kind} row(s), {t.area:,.2f} ha (batch {t.batch_id}{replaced})")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--out", type=click.Path(), required=True, help="Folder to write (must not exist unless --force).")
@click.option("--force", is_flag=True, help="Replace an existing export folder (only one quota ledger export wrote), once "
              "the new one is complete.")
@handle_errors
def export(url, out, force):
    """Export every table of the ledger (导出台账), superseded rows too, as CSV files and one ledger.xlsx.

    \b
    Examples:
      quota ledger export ledger.db --out ledger-2024
    """
    from ..ledger.export import export_ledger

    path = export_ledger(url, out, force)
    click.echo(f"written:   {path}")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--year", type=click.IntRange(1949, 2100), required=True,
              help="Lapse the approvals whose two years end by 31 December of this year.")
@handle_errors
def lapse(url, year):
    """Record lapsed approvals (批准失效): land approved and not supplied within two years (自然资规〔2018〕1号) lapses;
    the part not supplied is recorded as disposal of the 批而未供 stock, kind lapsed, in the year it lapsed. Running
    it again lapses nothing twice.

    \b
    Examples:
      quota ledger lapse ledger.db --year 2025
    """
    from ..ledger.status import lapse as lapse_approvals

    due = lapse_approvals(url, year)
    for r in due.itertuples():
        plan = f" plan {r.plan}" if r.plan else ""
        click.echo(f"lapsed:    {r.project_id}{plan} phase {r.phase} ({r.county_id}), approved {r.approval_date}, "
                   f"{r.unsupplied:,.2f} ha unsupplied on {r.lapse_date}")
    click.echo(f"lapsed:    {len(due)} approval(s), {due['unsupplied'].sum() if len(due) else 0:,.2f} ha by the end of {year}")
