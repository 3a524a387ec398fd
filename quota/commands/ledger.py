"""``quota ledger``: the ledger (台账) of what was approved, supplied and disposed of, year by year.

Thin commands over ``quota.ledger``: ``init``, ``status``, ``adopt``, ``import``, ``export``, ``lapse`` (their help is in
``quota.messages.help_ledger``). A ledger is a SQLite file the analyst names (created on first use) or a PostgreSQL
database given by URL. Registered on the ``quota`` group by ``quota.commands.cli``.
"""
from __future__ import annotations

import datetime as dt

import click

from ..messages.lang import resolve
from .bilingual import Group
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


@click.group(name="ledger", cls=Group)
def ledger():
    pass


@ledger.command()
@click.argument("url", metavar="LEDGER")
@handle_errors
def init(url):
    from ..ledger.schema import init as init_ledger, shown_url

    found, version = init_ledger(url)
    state = "created" if not found else "up to date" if found == version else f"migrated from version {found}"
    click.echo(f"ledger:    {url if '://' not in url else shown_url(url)} — schema version {version} ({state})")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--year", type=click.IntRange(1949, 2100), default=None)
@click.option("--scenario", default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def status(url, year, scenario, lang):
    lang = resolve(lang)  # the environment's language without --lang (quota.messages.lang)
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
@click.option("--year", type=click.IntRange(1949, 2100), required=True)
@click.option("--replace", is_flag=True)
@click.option("--date", "approval_date", type=click.DateTime(["%Y-%m-%d"]), default=None)
@handle_errors
def adopt(url, run_dir, year, replace, approval_date):
    from ..ledger.store import adopt as adopt_run

    a = adopt_run(url, run_dir, year, replace=replace, approval_date=approval_date.date() if approval_date else None)
    replaced = f", {a.superseded} earlier row(s) marked superseded" if a.superseded else ""
    click.echo(f"adopted:   run #{a.run_id}, {year}: {a.rows} approval row(s), {a.area:,.2f} ha (batch {a.batch_id}{replaced})")
    if a.taken_back:
        click.echo(f"disposal:  {a.taken_back} parcel(s) taken back in {year}, {a.taken_back_area:,.2f} ha, kind taken_back")
    for why in a.not_recorded:
        click.echo(f"not again: {why}")


@ledger.command(name="import")
@click.argument("url", metavar="LEDGER")
@click.argument("file", type=click.Path())
@click.option("--kind", type=click.Choice(["approvals", "supply", "disposal", "quota_issued", "overplan"]), default=None)
@click.option("--unit", type=click.Choice(["ha", "mu"]), default="ha", show_default=True)
@click.option("--replace", is_flag=True)
@handle_errors
def import_(url, file, kind, unit, replace):
    from ..ledger.imports import import_facts

    result = import_facts(url, file, kind, replace=replace, unit=unit)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for t in result.tables:
        replaced = f", {t.superseded} earlier row(s) marked superseded" if t.superseded else ""
        click.echo(f"imported:  {t.label}: {t.rows} {t.kind} row(s), {t.area:,.2f} ha (batch {t.batch_id}{replaced})")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--out", type=click.Path(), required=True)
@click.option("--force", is_flag=True)
@handle_errors
def export(url, out, force):
    from ..ledger.export import export_ledger

    path = export_ledger(url, out, force)
    click.echo(f"written:   {path}")


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--year", type=click.IntRange(1949, 2100), required=True)
@handle_errors
def lapse(url, year):
    from ..ledger.status import lapse as lapse_approvals

    due = lapse_approvals(url, year)
    for r in due.itertuples():
        plan = f" plan {r.plan}" if r.plan else ""
        click.echo(f"lapsed:    {r.project_id}{plan} phase {r.phase} ({r.county_id}), approved {r.approval_date}, "
                   f"{r.unsupplied:,.2f} ha unsupplied on {r.lapse_date}")
    click.echo(f"lapsed:    {len(due)} approval(s), {due['unsupplied'].sum() if len(due) else 0:,.2f} ha by the end of {year}")
