"""The report's charts, each a ``plot_*`` function drawing one tidy table into a PNG.

Charts are drawn on bare matplotlib figures (``quota.report.plot``), never pyplot. Chinese labels and
names only when ``quota.report.fonts`` finds a CJK font; otherwise English labels and ids, so a chart
never shows empty boxes. ``render_charts`` draws them all and returns the PNG bytes.
"""
from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..counties_table import county_part, year_part
from .fonts import NoCJKFont, setup_fonts
from .plot import Style, Words, new_figure, plot_gantt, save_png
from .labels import CAPTION, STATUS, VALUE_TERMS

# Okabe–Ito, colour-blind safe
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9",
                                                              "#CC79A7", "#F0E442", "#999999")
TOP_PROJECTS = 15
GANTT_ROWS = 30
CF_ROWS = 12
COUNTY_ROWS = 40  # counties drawn in the county chart; above it, those that received the most land
STOCK_BARS = 25  # counties drawn in the stock panel of the price chart; above it, those with the highest price
EARNED_PANELS = 24  # counties drawn in the earned-quota chart (a whole prefecture); above it, those that used most quota


@dataclass(frozen=True)
class Chart:
    name: str  # file name under figures/
    caption: str
    png: bytes


def render_charts(result, tables: dict[str, pd.DataFrame], summary: dict, lang: str) -> tuple[list[Chart], bool]:
    """Every chart the tables allow, and whether a CJK font drew them."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=NoCJKFont)  # the report says it instead
        cjk = setup_fonts()
    w = Words(lang if cjk else "en", result.scenario.unit, cjk)
    tables = {k: v.reset_index(drop=True) for k, v in tables.items() if isinstance(v, pd.DataFrame)}
    years = pd.DataFrame(summary["years"])
    projects = tables["projects.csv"]
    counties, county_years = county_part(tables["counties.csv"]), year_part(tables["counties.csv"])
    within_year = summary.get("advance_mode") == "within_year"
    captions = {**CAPTION[lang], "quota_by_year": CAPTION[lang]["quota_by_year_within"]} if within_year else CAPTION[lang]
    jobs = [("quota_by_year", lambda p: plot_quota_by_year(years, w, p, within_year)),
            ("counties", lambda p: plot_counties(counties, result.scenario.linkage.restrict_below, w, p)),
            ("phases", lambda p: plot_phases(result.scenario, projects, tables["allocations.csv"], w, p)),
            ("value_terms", lambda p: plot_value_terms(projects, w, p))]
    if "shadow_prices.csv" in tables:
        jobs.append(("shadow_prices", lambda p: plot_shadow_prices(tables["shadow_prices.csv"], counties, w, p)))
    if county_years is not None:  # under a rule set with earned linkage or restriction by year only
        jobs.append(("earned", lambda p: plot_earned(county_years, w, p)))
    if "idle_parcels.csv" in tables and len(tables["idle_parcels.csv"]):  # the auditor's section
        from .charts_idle import plot_idle_audit

        names = pd.Series(counties["name"].to_numpy(), index=counties["county_id"].to_numpy())
        jobs.append(("idle_audit", lambda p: plot_idle_audit(tables["idle_parcels.csv"], names, w, p)))
    if "counterfactuals.csv" in tables and len(tables["counterfactuals.csv"]):
        jobs.append(("counterfactuals", lambda p: plot_counterfactuals(tables["counterfactuals.csv"], projects, w, p)))
    charts = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, draw in jobs:
            path = Path(tmp) / f"{name}.png"
            draw(path)
            charts.append(Chart(f"{name}.png", captions[name], path.read_bytes()))
        if getattr(result.scenario, "spatial", None) is not None:  # spatial: the maps (quota.report.maps)
            from .maps import render_maps

            for name, caption in render_maps(result, tables, w, lang, lambda n: Path(tmp) / n):
                charts.append(Chart(name, caption, (Path(tmp) / name).read_bytes()))
    return charts, cjk


# ----------------------------------------------------------------- charts ----

def plot_quota_by_year(years: pd.DataFrame, w: Words, path: Path, within_year: bool = False) -> Path:
    """Stacked bars per year: new quota and last year's advance repaid (charged to the quota), then stock and
    higher-level land (outside it); a narrower bar for advance drawn; the quota as a line with utilisation.
    ``within_year`` (advance.mode within_year): the year's early batch is stacked in place of the repayment,
    since it is charged to the same year, and there is no separate bar for advance drawn."""
    fig = new_figure(8.0, 4.6)
    ax = fig.add_subplot()
    x = np.arange(len(years))
    bottom = np.zeros(len(years))
    charged_advance = "advance_drawn" if within_year else "advance_repaid"
    for col, color, hatch in (("new_used", BLUE, ""), (charged_advance, SKY, ""), ("stock_used", GREEN, "//"),
                              ("higher_level", GREY, "\\\\")):
        key = {"new_used": "new", "stock_used": "stock", "advance_drawn": "early_batch"}.get(col, col)
        vals = years[col].fillna(0.0).to_numpy(dtype=float)
        ax.bar(x - 0.12, vals, 0.5, bottom=bottom, color=color, hatch=hatch, edgecolor="white", linewidth=0.6, label=w[key])
        bottom += vals
    if not within_year:
        ax.bar(x + 0.28, years["advance_drawn"].fillna(0.0), 0.16, color=ORANGE, edgecolor="white", label=w["advance_drawn"])
    avail = years["available"].fillna(years["quota"]).to_numpy(dtype=float)
    ax.hlines(avail, x - 0.42, x + 0.18, color="black", linewidth=2.2, label=w["quota"], zorder=3)
    ticks = []
    for y, u in zip(years["year"], years["utilisation"]):
        util = "" if u is None or pd.isna(u) else "\n" + w["util"].format(p=u)
        ticks.append(f"{int(y)}{util}")
    ax.set_xticks(x, ticks)
    ax.set_ylabel(w["years_y"].format(u=w.u))
    ax.set_title(w["years_title"], fontsize=11)
    ax.set_ylim(0, max(bottom.max(), avail.max()) * 1.15 + 1e-9)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    return save_png(fig, path)


def plot_counties(counties: pd.DataFrame, threshold: float, w: Words, path: Path) -> Path:
    """Two panels sharing the counties: disposal rate with the restriction threshold, and what each received."""
    c = counties.sort_values(["disposal_rate", "county_id"], ascending=[False, True]).reset_index(drop=True)
    title = w["counties_title"]
    if len(c) > COUNTY_ROWS:  # one bar per county stays readable only so far: the counties that received most
        got = (c["new_used"] + c["advance_used"] + c["stock_used"]).fillna(0.0)
        top = pd.DataFrame({"got": got, "county_id": c["county_id"]}).sort_values(["got", "county_id"], ascending=[False, True])
        c = c.loc[np.sort(top.index[:COUNTY_ROWS])].reset_index(drop=True)
        title += w["counties_top"].format(n=COUNTY_ROWS, total=len(counties))
    restricted = c["restricted"].astype(bool).to_numpy()
    from .labels import RESTRICT_CAUSE

    cause = c["restrict_cause"].fillna("").astype(str) if "restrict_cause" in c else pd.Series("", index=c.index)
    labels = [w.name(n, i) + (w["restricted_tag"].format(cause=RESTRICT_CAUSE[w.lang].get(k, k)) if r else "")
              for n, i, r, k in zip(c["name"], c["county_id"], restricted, cause)]
    fig = new_figure(9.0, max(3.0, 0.9 + 0.3 * len(c)))
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1, 1.3])
    y = np.arange(len(c))
    left.barh(y, c["disposal_rate"], color=np.where(restricted, VERMILLION, SKY), height=0.7)
    left.axvline(threshold, color="black", linestyle="--", linewidth=1.0)
    left.text(threshold, -0.75, " " + w["threshold"].format(t=threshold), fontsize=8, va="center")
    left.set_yticks(y, labels, fontsize=8)
    left.set_ylim(len(c) - 0.5, -1.3)
    left.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    left.set_xlabel(w["rate_x"])
    bottom = np.zeros(len(c))
    for col, color, hatch, key in ((None, BLUE, "", "new_adv"), ("stock_used", GREEN, "//", "stock")):
        vals = (c["new_used"] + c["advance_used"] if col is None else c[col]).fillna(0.0).to_numpy(dtype=float)
        right.barh(y, vals, left=bottom, color=color, hatch=hatch, edgecolor="white", height=0.7, label=w[key])
        bottom += vals
    right.set_xlabel(w["alloc_x"].format(u=w.u))
    for ax in (left, right):
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
    from matplotlib.patches import Patch

    handles = [Patch(color=VERMILLION, label=w["restricted"]), Patch(color=SKY, label=w["not_restricted"])]
    handles += right.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    fig.suptitle(title, fontsize=11)
    return save_png(fig, path)


def plot_phases(s, projects: pd.DataFrame, allocations: pd.DataFrame, w: Words, path: Path) -> Path:
    """Gantt of the phased projects (quota.report.plot): each phase's earliest year against its approval year."""
    p = projects.set_index("project_id")
    ph = s.phases.reset_index(drop=True)
    plan_of = p["plan"].where(p["plan"].notna() & (p["plan"] != ""))
    n_phases = ph.groupby(["project_id", "plan"])["phase"].max()
    ids = pd.Index(n_phases.index.get_level_values("project_id")[n_phases.to_numpy() > 1]).unique()
    ids = ids[ids.isin(p.index)]
    order = {"higher_level": 0, "approved": 1, "deferred": 2, "partial": 3, "rejected": 4, "excluded": 5}
    status = p["status"].reindex(ids)
    rank = pd.DataFrame({"rank": [order.get(x, 9) for x in status], "q": list(ids)})[(status != "excluded").to_numpy()]
    phased = list(rank.sort_values(["rank", "q"])["q"][:GANTT_ROWS])  # by status, then id
    ph = ph[ph["project_id"].isin(phased)]
    allocations = allocations[allocations["project_id"].isin(phased)]
    label = {q: (f"{w.name(p.at[q, 'name'], q)} {q}" if w.cjk else q) for q in phased}
    bars, notes = [], []
    alloc = allocations.drop_duplicates(["project_id", "plan", "phase"])
    for q in phased:
        plan = plan_of.get(q)
        if plan is None or pd.isna(plan):
            plan = ph.loc[ph["project_id"] == q, "plan"].iloc[0]
        mine = ph[(ph["project_id"] == q) & (ph["plan"] == plan)]
        for r in mine.itertuples(index=False):
            e = max(int(r.earliest_year), s.first_year)
            if e <= s.last_year:
                bars.append((label[q], "earliest", e - 0.45, 0.9, f"{plan}{r.phase}"))
        got = alloc[alloc["project_id"] == q]
        for r in got.itertuples(index=False):
            bars.append((label[q], "approved", r.year - 0.45, 0.9, f"{r.plan}{r.phase}"))
        notes.append((label[q], "approved", STATUS[w.lang].get(p.at[q, "status"], p.at[q, "status"])))
    frame = pd.DataFrame(bars, columns=["row", "series", "start", "width", "text"])
    # two phases in one year share the cell
    if len(frame):
        n = frame.groupby(["row", "series", "start"])["text"].transform("size")
        i = frame.groupby(["row", "series", "start"]).cumcount()
        frame["start"] = frame["start"] + 0.9 * i / n
        frame["width"] = 0.9 / n
    styles = {"earliest": Style(w["earliest"], GREY, "//"), "approved": Style(w["approved"], BLUE)}
    return plot_gantt(frame, [label[q] for q in phased], styles, path, title=w["gantt_title"], xlabel=w["gantt_x"],
                      xticks=list(s.years), notes=pd.DataFrame(notes, columns=["row", "series", "text"]),
                      empty_text=w["gantt_empty"])


def plot_value_terms(projects: pd.DataFrame, w: Words, path: Path) -> Path:
    """Stacked horizontal bars of the terms of w for the projects with the highest w."""
    p = projects[projects["status"] != "excluded"].sort_values(["w", "project_id"], ascending=[False, True]).head(TOP_PROJECTS)
    fig = new_figure(9.0, max(3.0, 1.2 + 0.32 * len(p)))
    ax = fig.add_subplot()
    y = np.arange(len(p))
    left = np.zeros(len(p))
    colors = (GREY, BLUE, GREEN, SKY, ORANGE, PURPLE)
    for term, color in zip(VALUE_TERMS, colors):
        vals = p[term].fillna(0.0).to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=color, edgecolor="white", linewidth=0.6, height=0.7, label=w[term])
        left += vals
    for yi, total, st in zip(y, left, p["status"]):
        ax.text(total + 0.02, yi, f"{total:.2f}  {STATUS[w.lang].get(st, st)}", va="center", fontsize=7)
    ax.set_yticks(y, [f"{w.name(n, q)} {q}" if w.cjk else q for n, q in zip(p["name"], p["project_id"])], fontsize=8)
    ax.set_ylim(len(p) - 0.5, -0.5)
    ax.set_xlim(0, (left.max() if len(left) else 1) * 1.22)
    ax.set_xlabel(w["value_x"])
    ax.set_title(w["value_title"].format(n=len(p)), fontsize=11)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncol=6, frameon=False, fontsize=8)
    return save_png(fig, path)


def plot_shadow_prices(prices: pd.DataFrame, counties: pd.DataFrame, w: Words, path: Path) -> Path:
    """Per family keyed by year: the fixed-LP shadow price and the relaxation price, per unit of area; and,
    when any is priced, the usable stock of each county that has a price."""
    from .labels import FAMILY

    sp = prices[prices["key"].astype(str).str.fullmatch(r"\d{4}")]
    panels = [(fam, sp[sp["family"] == fam], lambda k: str(k)) for fam in dict.fromkeys(sp["family"])]
    stock = prices[prices["family"] == "stock"]
    stock = stock[(stock["shadow_price_per_unit"].abs() > 0) | (stock["relaxation_price_per_unit"].abs() > 0)]
    stock_title = None
    if len(stock) > STOCK_BARS:  # the counties with the highest price, in table order
        high = stock[["shadow_price_per_unit", "relaxation_price_per_unit"]].abs().max(axis=1)
        top = pd.DataFrame({"high": high, "key": stock["key"].astype(str)}).sort_values(["high", "key"], ascending=[False, True])
        stock_title = w["stock_top"].format(n=STOCK_BARS, total=len(stock))
        stock = stock[stock.index.isin(top.index[:STOCK_BARS])]
    if len(stock):
        names = pd.Series(counties["name"].to_numpy(), index=counties["county_id"].astype(str).to_numpy())
        panels.append(("stock", stock, lambda k: w.name(names.get(k), k)))
    widths = [max(2, len(g)) for _, g, _ in panels] or [1]
    fig = new_figure(min(10.0, 2.2 + 0.5 * sum(widths) + 0.8 * len(widths)), 4.0)
    axes = np.atleast_1d(fig.subplots(1, len(widths), sharey=True, width_ratios=widths))
    for ax, (fam, g, label) in zip(axes, panels):
        x = np.arange(len(g))
        for dx, col, color, hatch, key in ((-0.2, "shadow_price_per_unit", BLUE, "", "fixed"),
                                           (0.2, "relaxation_price_per_unit", ORANGE, "//", "relaxation")):
            bars = ax.bar(x + dx, g[col], 0.4, color=color, hatch=hatch, edgecolor="white", label=w[key])
            ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
        ticks = [label(k) for k in g["key"].astype(str)]
        ax.set_xticks(x, ticks, rotation=45 if fam == "stock" else 0, ha="right" if fam == "stock" else "center",
                      fontsize=8 if fam == "stock" else None)
        ax.set_title(stock_title if fam == "stock" and stock_title else FAMILY[w.lang].get(fam, fam), fontsize=9)
        ax.grid(axis="y", color="#eeeeee")
        ax.set_axisbelow(True)
    if not panels:
        axes[0].text(0.5, 0.5, w["no_data"], ha="center", transform=axes[0].transAxes)
    axes[0].set_ylabel(w["shadow_y"].format(u=w.u))
    shown = pd.concat([g for _, g, _ in panels]) if panels else sp
    top = max(float(shown[["shadow_price_per_unit", "relaxation_price_per_unit"]].max().max()) if len(shown) else 0.0, 0.1)
    axes[0].set_ylim(0, top * 1.15)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    fig.suptitle(w["shadow_title"].format(u=w.u), fontsize=11)
    return save_png(fig, path)


def plot_earned(county_years: pd.DataFrame, w: Words, path: Path) -> Path:
    """One panel per county, a pair of bars per year: the limit (base quota hatched, quota earned by disposal on top;
    the disposal alone when quota is not earned) against the new and advance quota used; restricted years marked.
    ``county_years``: the year columns of counties.csv (``quota.counties_table.year_part``)."""
    cy = county_years.sort_values(["county_id", "year"])
    used = cy.groupby("county_id", sort=True)["quota_used"].sum()
    ids = list(used.index)
    title = w["earned_title"]
    if len(ids) > EARNED_PANELS:
        top = pd.DataFrame({"used": used.to_numpy(), "county_id": ids}).sort_values(["used", "county_id"], ascending=[False, True])
        ids = sorted(top["county_id"][:EARNED_PANELS])
        title += w["earned_top"].format(n=EARNED_PANELS, total=len(used))
    ncols = min(4, len(ids)) or 1
    nrows = max(1, -(-len(ids) // ncols))
    fig = new_figure(min(10.0, 1.0 + 2.4 * ncols), 1.3 + 2.1 * nrows)
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    earned = "limit" in cy
    top = float(cy[["limit" if earned else "disposal", "quota_used"]].max().max()) if len(cy) else 0.0
    for ax, cid in zip(axes, ids):
        g = cy[cy["county_id"] == cid]
        x = np.arange(len(g))
        if earned:
            ax.bar(x - 0.2, g["base"], 0.38, color=GREY, hatch="//", edgecolor="white", label=w["base"])
            ax.bar(x - 0.2, g["earned"], 0.38, bottom=g["base"], color=GREEN, edgecolor="white", label=w["earned"])
        else:
            ax.bar(x - 0.2, g["disposal"], 0.38, color=GREEN, edgecolor="white", label=w["disposal"])
        ax.bar(x + 0.2, g["quota_used"], 0.38, color=BLUE, edgecolor="white", label=w["used"])
        if "restricted_in_year" in g:
            for xi, r in zip(x, g["restricted_in_year"].astype(bool)):
                if r:
                    ax.text(xi, top * 1.02, w["restricted_year"], ha="center", va="bottom", fontsize=7, color=VERMILLION)
        ax.set_xticks(x, [str(int(y)) for y in g["year"]], fontsize=7)
        ax.set_title(w.name(g["name"].iloc[0], cid), fontsize=9)
        ax.grid(axis="y", color="#eeeeee")
        ax.set_axisbelow(True)
    for ax in axes[len(ids):]:
        ax.set_axis_off()
    if not ids:
        axes[0].text(0.5, 0.5, w["no_data"], ha="center", transform=axes[0].transAxes)
    axes[0].set_ylim(0, max(top, 1e-9) * 1.15)
    for ax in axes[::ncols]:
        ax.set_ylabel(w["earned_y"].format(u=w.u), fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    fig.suptitle(title, fontsize=11)
    return save_png(fig, path)


def plot_counterfactuals(cf: pd.DataFrame, projects: pd.DataFrame, w: Words, path: Path) -> Path:
    """Loss intervals, each drawn as the interval it is (a dot where it is exact), sorted by loss (the interval's
    middle): the approved projects most costly to lose, and the rejected ones cheapest to force in."""
    names = projects.set_index("project_id")["name"]
    cf = cf.assign(_mid=(cf["loss_low"].astype(float) + cf["loss_high"].astype(float)) / 2)
    why = cf[cf["kind"] == "why"]
    ess = why[why["result"] == "essential"]
    why = why[why["loss_low"].notna() & why["loss_high"].notna()]
    why = why.sort_values(["_mid", "project_id"], ascending=[False, True]).head(CF_ROWS)
    why_not = cf[(cf["kind"] == "why_not") & cf["loss_high"].notna() & cf["loss_low"].notna()]
    why_not = why_not.sort_values(["_mid", "project_id"]).head(CF_ROWS)
    fig = new_figure(10.0, max(3.2, 1.3 + 0.3 * max(len(why) + len(ess[:4]), len(why_not))))
    panels = fig.subplots(1, 2)
    for ax, part, color, key, extra in ((panels[0], why, BLUE, "cf_why", ess.head(4)), (panels[1], why_not, VERMILLION, "cf_why_not", None)):
        rows = [f"{w.name(names.get(q), q)} {q}" if w.cjk else q for q in part["project_id"]]
        lo = part["loss_low"].to_numpy(dtype=float)
        hi = part["loss_high"].to_numpy(dtype=float)
        y = np.arange(len(part))
        span = max(hi.max() if len(hi) else 1.0, 1e-9)
        ax.barh(y, np.maximum(hi - lo, span * 0.004), left=lo, color=color, alpha=0.55, height=0.6)
        ax.plot(lo, y, "|", color=color, markersize=10)
        ax.plot(hi, y, "|", color=color, markersize=10)
        exact = part["result"].to_numpy() == "solved"
        ax.plot(((lo + hi) / 2)[exact], y[exact], "o", color=color, markersize=3)
        if extra is not None and len(extra):
            for k, q in enumerate(extra["project_id"]):
                rows.append(f"{w.name(names.get(q), q)} {q}" if w.cjk else q)
                ax.text(0, len(part) + k, " " + w["essential"], va="center", fontsize=8, color=color)
        n = len(rows)
        if n == 0:
            ax.text(0.5, 0.5, w["no_data"], ha="center", va="center", transform=ax.transAxes)
            ax.set_yticks([])
        else:
            ax.set_yticks(range(n), rows, fontsize=8)
            ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(left=0)
        ax.set_title(w[key], fontsize=9)
        ax.set_xlabel(w["loss_x"])
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
    fig.suptitle(w["cf_title"], fontsize=11)
    return save_png(fig, path)
