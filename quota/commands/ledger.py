"""``quota ledger``: the ledger (台账) of what was approved, supplied and disposed of, year by year.

Thin commands over ``quota.ledger``: ``init``, ``status``, ``adopt``, ``import``, ``export``, ``lapse`` (their help is in
``quota.messages.help_ledger``). A ledger is a SQLite file the analyst names (created on first use) or a PostgreSQL
database given by URL. Registered on the ``quota`` group by ``quota.commands.cli``.
"""
from __future__ import annotations

import datetime as dt

import click

from ..messages import message
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
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def init(url, lang):
    from ..ledger.schema import init as init_ledger, shown_url

    lang = resolve(lang)  # the environment's language without --lang (quota.messages.lang)
    found, version = init_ledger(url)
    state = message("ledger.created" if not found else "ledger.up_to_date" if found == version else "ledger.migrated", lang, found=found)
    click.echo(message("ledger.init", lang, url=url if "://" not in url else shown_url(url), version=version, state=state))


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
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def adopt(url, run_dir, year, replace, approval_date, lang):
    from ..ledger.store import adopt as adopt_run

    lang = resolve(lang)
    a = adopt_run(url, run_dir, year, replace=replace, approval_date=approval_date.date() if approval_date else None)
    replaced = message("ledger.superseded", lang, n=a.superseded) if a.superseded else ""
    click.echo(message("ledger.adopted", lang, run_id=a.run_id, year=year, rows=a.rows, area=number(a.area, 2), batch=a.batch_id,
                       replaced=replaced))
    if a.taken_back:
        click.echo(message("ledger.taken_back", lang, n=a.taken_back, year=year, area=number(a.taken_back_area, 2)))
    for why in a.not_recorded_zh if lang == "zh" else a.not_recorded:
        click.echo(message("ledger.not_again", lang, why=why))


@ledger.command(name="import")
@click.argument("url", metavar="LEDGER")
@click.argument("file", type=click.Path())
@click.option("--kind", type=click.Choice(["approvals", "supply", "disposal", "quota_issued", "overplan"]), default=None)
@click.option("--unit", type=click.Choice(["ha", "mu"]), default="ha", show_default=True)
@click.option("--replace", is_flag=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def import_(url, file, kind, unit, replace, lang):
    from ..ledger.imports import import_facts

    lang = resolve(lang)
    result = import_facts(url, file, kind, replace=replace, unit=unit)
    for warning in result.warnings:  # an Issue (quota.errors): in the language where it can say itself in it
        click.echo(message("run.warning", lang, text=warning.render(lang) if hasattr(warning, "render") else warning), err=True)
    for t in result.tables:
        replaced = message("ledger.superseded", lang, n=t.superseded) if t.superseded else ""
        click.echo(message("ledger.imported", lang, label=t.label, rows=t.rows, kind=message(f"ledger.kind.{t.kind}", lang),
                           area=number(t.area, 2), batch=t.batch_id, replaced=replaced))


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--out", type=click.Path(), required=True)
@click.option("--force", is_flag=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def export(url, out, force, lang):
    from ..ledger.export import export_ledger

    path = export_ledger(url, out, force)
    click.echo(message("written", resolve(lang), path=path))


@ledger.command()
@click.argument("url", metavar="LEDGER")
@click.option("--year", type=click.IntRange(1949, 2100), required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@handle_errors
def lapse(url, year, lang):
    from ..ledger.status import lapse as lapse_approvals

    lang = resolve(lang)
    due = lapse_approvals(url, year)
    for r in due.itertuples():
        plan = message("ledger.lapsed_plan", lang, plan=r.plan) if r.plan else ""
        click.echo(message("ledger.lapsed", lang, project=r.project_id, plan=plan, phase=r.phase, county=r.county_id,
                           approved=r.approval_date, area=number(r.unsupplied, 2), date=r.lapse_date))
    click.echo(message("ledger.lapsed_total", lang, n=len(due), area=number(due["unsupplied"].sum() if len(due) else 0.0, 2), year=year))
