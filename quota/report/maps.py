"""The report's maps, drawn with matplotlib from the scenario's county boundaries (``spatial:``; docs/spatial.md).

Each ``plot_map_*`` draws one map in the projected area CRS (metres, so one unit is the same east and north), with a
scale bar, a north arrow (grid north; the Gauss-Krüger meridian convergence is under 2° in a 3° zone) and the
boundaries' source in its caption. Chinese names only with a CJK font (``quota.report.plot.Words``).
``render_maps`` draws every map the run's tables allow; without county boundaries it draws none.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from ..counties_table import county_part, year_part
from .map_labels import MAP, MAP_CAPTION
from .plot import new_figure, save_png

STATUS_COLOURS = {"approved": "#0072B2", "deferred": "#56B4E9", "partial": "#009E73", "higher_level": "#999999",
                  "rejected": "#E69F00", "excluded": "#D55E00"}
IDLE_COLOURS = {"fee": "#E69F00", "reclaim": "#D55E00", "government": "#CC79A7", "not_idle": "#009E73", "started_on_time": "#0072B2"}


def render_maps(result, tables: dict, w, lang: str, path_of) -> list[tuple[str, str]]:
    """Draw every map the tables allow into ``path_of(name)``; (file name, caption) of each."""
    s = result.scenario
    sp = s.spatial
    if sp is None or not len(sp.counties):
        return []
    crs = sp.area_crs
    source = MAP_CAPTION[lang]["source"].format(source=sp.options.source or "scenario.yaml spatial.counties", crs=crs)
    counties = county_part(tables["counties.csv"]).set_index("county_id")
    out = []

    def add(name, draw):
        draw(path_of(f"{name}.png"))
        out.append((f"{name}.png", f"{MAP_CAPTION[lang][name]} {source}"))

    add("map_allocation", lambda p: plot_map_allocation(sp, counties, tables["projects.csv"], w, p))
    if sp.figures is not None:
        add("map_sites", lambda p: plot_map_sites(sp, tables["projects.csv"], tables.get("sites.csv"), w, p))
    cy = year_part(tables["counties.csv"])
    if cy is not None and {"disposal", "earned"} <= set(cy.columns):
        add("map_disposal", lambda p: plot_map_disposal(sp, cy, w, p))
    add("map_restriction", lambda p: plot_map_restriction(sp, counties, cy, w, p))
    if sp.parcels is not None and "idle_parcels.csv" in tables:
        add("map_idle", lambda p: plot_map_idle(sp, tables["idle_parcels.csv"], w, p))
    return out


# ------------------------------------------------------------------ parts ----

def _path(geom) -> MplPath:
    """A (multi)polygon as one matplotlib path, exteriors counter-clockwise and holes clockwise (nonzero fill)."""
    from shapely import get_parts
    from shapely.geometry.polygon import orient

    paths = []
    for poly in get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        poly = orient(poly, 1.0)
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            paths.append(MplPath(xy, [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]))
    return MplPath.make_compound_path(*paths) if paths else MplPath(np.zeros((1, 2)))


def _draw(ax, geom, **kw) -> None:
    if geom is not None and not geom.is_empty:
        ax.add_patch(PathPatch(_path(geom), **kw))


def _frame(ax, sp, w) -> None:
    """Extent, aspect, scale bar and north arrow; no axis ticks (metres of a projected CRS say nothing to a reader)."""
    from shapely import union_all

    x0, y0, x1, y1 = union_all(sp.counties.to_numpy()).bounds
    pad = 0.04 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    km = [k for k in (1, 2, 5, 10, 20, 50, 100, 200) if k * 1000 <= (x1 - x0) / 4][-1:] or [1]
    length = km[0] * 1000
    bx, by = x0, y0 - pad * 0.5
    for i in range(2):
        ax.add_patch(PathPatch(MplPath([(bx + i * length / 2, by), (bx + (i + 1) * length / 2, by),
                                        (bx + (i + 1) * length / 2, by + pad * 0.18), (bx + i * length / 2, by + pad * 0.18),
                                        (bx + i * length / 2, by)]), facecolor="black" if i == 0 else "white",
                               edgecolor="black", linewidth=0.6, zorder=5))
    for x, text in ((bx, "0"), (bx + length, f"{km[0]} {MAP[w.lang]['km']}")):
        ax.text(x, by + pad * 0.25, text, ha="center", va="bottom", fontsize=7, zorder=5)
    nx, ny = x1 + pad * 0.4, y1 - pad * 0.2
    ax.annotate("", xy=(nx, ny + pad * 0.1), xytext=(nx, ny - pad * 0.9),
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2}, zorder=5)
    ax.text(nx, ny + pad * 0.2, MAP[w.lang]["north"] if w.cjk else "N", ha="center", va="bottom", fontsize=9,
            fontweight="bold", zorder=5)


def _outlines(ax, sp, names=None, w=None, fontsize=6) -> None:
    for cid, g in sp.counties.items():
        _draw(ax, g, facecolor="none", edgecolor="#555555", linewidth=0.5, zorder=3)
        if names is not None:
            pt = g.representative_point()
            ax.text(pt.x, pt.y, w.name(names.get(cid), cid), ha="center", va="center", fontsize=fontsize, color="#333333", zorder=4)


def _choropleth(ax, sp, values: pd.Series, cmap: str, vmax: float | None = None):
    norm = Normalize(0.0, vmax if vmax is not None else max(float(values.max()), 1e-9))
    colours = colormaps[cmap]
    for cid, g in sp.counties.items():
        v = values.get(cid, np.nan)
        _draw(ax, g, facecolor="#eeeeee" if pd.isna(v) else colours(norm(v)), edgecolor="#555555", linewidth=0.5, zorder=2)
    return norm, colours


def _colorbar(fig, ax, norm, cmap, label) -> None:
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label=label)


# ------------------------------------------------------------------- maps ----

def plot_map_allocation(sp, counties: pd.DataFrame, projects: pd.DataFrame, w, path):
    """Land allocated to each county (new + advance + stock), labelled with its share of the county's project demand."""
    words = MAP[w.lang]
    used = counties[["new_used", "advance_used", "stock_used"]].astype(float).sum(axis=1)
    demand = projects.groupby("county_id")["area"].sum()
    fig = new_figure(7.5, 7.0)
    ax = fig.add_subplot()
    norm, cmap = _choropleth(ax, sp, used, "Blues")
    for cid, g in sp.counties.items():
        pt = g.representative_point()
        share = used.get(cid, 0.0) / demand[cid] if demand.get(cid, 0) > 0 else 0.0
        ax.text(pt.x, pt.y, words["alloc_label"].format(name=w.name(counties["name"].get(cid), cid), v=used.get(cid, 0.0),
                                                        u=w.u, s=share), ha="center", va="center", fontsize=6.5, zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.7, "edgecolor": "none"})
    _colorbar(fig, ax, norm, cmap, words["alloc_bar"].format(u=w.u))
    _frame(ax, sp, w)
    ax.set_title(words["alloc_title"], fontsize=11)
    return save_png(fig, path)


def plot_map_sites(sp, projects: pd.DataFrame, sites: pd.DataFrame | None, w, path):
    """Sites by status over the control lines; those a control line excluded ringed in black."""
    words = MAP[w.lang]
    fig = new_figure(8.0, 7.5)
    ax = fig.add_subplot()
    layers = (("cultivated_land", "#F0E442", 0.25, "", "cultivated"), ("permanent_farmland", "#E69F00", 0.45, "", "farmland"),
              ("ecological_redline", "#009E73", 0.45, "///", "redline"))
    handles = []
    for key, colour, alpha, hatch, word in layers:
        if key in sp.lines:
            _draw(ax, sp.lines[key], facecolor=colour, alpha=alpha, hatch=hatch, edgecolor="none", zorder=1)
            handles.append(Patch(facecolor=colour, alpha=alpha, hatch=hatch, label=words[word]))
    if "urban_boundary" in sp.lines:
        _draw(ax, sp.lines["urban_boundary"], facecolor="#bbbbbb", alpha=0.35, edgecolor="#333333", linewidth=0.7,
              linestyle="--", zorder=2)
        handles.append(Patch(facecolor="#bbbbbb", alpha=0.35, edgecolor="#333333", linestyle="--", label=words["urban"]))
    _outlines(ax, sp)
    p = projects.set_index("project_id")
    status = p["status"].reindex(sp.sites.index)
    excluded = set()
    if sites is not None:
        excluded = set(sites.loc[sites["spatial_exclusion"].fillna("") != "", "project_id"])
    cents = [g.centroid for g in sp.sites.to_numpy()]
    area = p["area"].reindex(sp.sites.index).astype(float).to_numpy()
    from .labels import STATUS

    for st, colour in STATUS_COLOURS.items():
        mask = (status == st).to_numpy()
        if mask.any():
            ax.scatter([c.x for c, m in zip(cents, mask) if m], [c.y for c, m in zip(cents, mask) if m], s=6 + 2.0 * area[mask],
                       color=colour, alpha=0.85, edgecolors="white", linewidths=0.3, zorder=6,
                       label=STATUS[w.lang].get(st, st) if w.cjk or w.lang == "en" else st)
    for pid in excluded:
        c = sp.sites[pid].centroid
        ax.scatter([c.x], [c.y], s=60 + 2.0 * float(p.at[pid, "area"]), facecolors="none", edgecolors="black", linewidths=1.2,
                   zorder=7)
    handles += [h for h in ax.get_legend_handles_labels()[0]]
    if excluded:
        from matplotlib.lines import Line2D

        handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="none", markeredgecolor="black",
                              label=words["spatial_excluded"]))
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.85)
    _frame(ax, sp, w)
    ax.set_title(words["sites_title"], fontsize=11)
    return save_png(fig, path)


def plot_map_disposal(sp, cy: pd.DataFrame, w, path):
    """Disposal over the horizon and quota earned by disposal, by county, side by side."""
    words = MAP[w.lang]
    fig = new_figure(11.0, 5.6)
    totals = cy.groupby("county_id")[["disposal", "earned"]].sum()
    for i, (col, cmap) in enumerate((("disposal", "Greens"), ("earned", "Purples"))):
        ax = fig.add_subplot(1, 2, i + 1)
        norm, colours = _choropleth(ax, sp, totals[col].astype(float), cmap)
        _colorbar(fig, ax, norm, colours, w.u)
        _frame(ax, sp, w)
        ax.set_title(words[f"{col}_title"], fontsize=10)
    return save_png(fig, path)


def plot_map_restriction(sp, counties: pd.DataFrame, cy: pd.DataFrame | None, w, path):
    """Small multiples: one map per year, restricted counties shaded (one map when restriction is not by year)."""
    words = MAP[w.lang]
    if cy is not None and "restricted_in_year" in cy:
        panels = [(str(int(y)), g.set_index("county_id")["restricted_in_year"].astype(str).str.lower().isin(["true", "1"]))
                  for y, g in cy.groupby("year")]
    else:
        panels = [("", counties["restricted"].astype(str).str.lower().isin(["true", "1"]))]
    fig = new_figure(3.6 * len(panels) + 0.4, 4.2)
    for i, (year, restricted) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1)
        for cid, g in sp.counties.items():
            _draw(ax, g, facecolor="#D55E00" if bool(restricted.get(cid, False)) else "#e8eef4", edgecolor="#555555",
                  linewidth=0.5, zorder=2)
        _frame(ax, sp, w)
        ax.set_title(year, fontsize=10)
    fig.legend(handles=[Patch(facecolor="#D55E00", label=words["restricted"]), Patch(facecolor="#e8eef4", edgecolor="#555555",
                                                                                    label=words["free"])],
               loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    fig.suptitle(words["restrict_title"], fontsize=11)
    return save_png(fig, path)


def plot_map_idle(sp, parcels: pd.DataFrame, w, path):
    """Idle-land parcels coloured by their Order 53 class, over the county outlines."""
    from .labels import IDLE_CLASS

    words = MAP[w.lang]
    fig = new_figure(7.5, 7.0)
    ax = fig.add_subplot()
    _outlines(ax, sp)
    q = parcels.set_index("parcel_id")
    for cls, colour in IDLE_COLOURS.items():
        ids = [pid for pid in sp.parcels.index if pid in q.index and q.at[pid, "classification"] == cls]
        if ids:
            cents = [sp.parcels[i].centroid for i in ids]
            ax.scatter([c.x for c in cents], [c.y for c in cents], s=[12 + 3 * float(q.at[i, "area"]) for i in ids], color=colour,
                       edgecolors="black", linewidths=0.3, zorder=6, label=IDLE_CLASS[w.lang].get(cls, cls))
    ax.legend(loc="lower right", fontsize=7, framealpha=0.85)
    _frame(ax, sp, w)
    ax.set_title(words["idle_title"], fontsize=11)
    return save_png(fig, path)


def plot_schedule_maps(run_a, run_b, path, lang: str = "zh", labels: tuple[str, str] = ("A", "B")):
    """Two schedules of the same counties side by side (land allocated by county in each) and their difference, B − A:
    for the planner comparing one schedule with another (notebooks/02). Both runs need county boundaries."""
    import warnings

    from .fonts import NoCJKFont, setup_fonts
    from .plot import Words

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=NoCJKFont)
        cjk = setup_fonts()
    sp = run_a.scenario.spatial
    if sp is None or run_b.scenario.spatial is None:
        raise ValueError("both runs need county boundaries (a spatial: block)")
    w = Words(lang if cjk else "en", run_a.scenario.unit, cjk)
    f = run_a.scenario.unit_factor
    used = [r.counties[["new_used", "advance_used", "stock_used"]].astype(float).sum(axis=1) * f for r in (run_a, run_b)]
    names = run_a.scenario.counties["name"]
    fig = new_figure(15.0, 5.6)
    top = max(float(u.max()) for u in used)
    for i, (u, label) in enumerate(zip(used, labels)):
        ax = fig.add_subplot(1, 3, i + 1)
        norm, cmap = _choropleth(ax, sp, u, "Blues", top)
        _frame(ax, sp, w)
        ax.set_title(f"{label}: {MAP[w.lang]['alloc_bar'].format(u=w.u)}", fontsize=10)
    diff = used[1].reindex(used[0].index).fillna(0.0) - used[0]
    ax = fig.add_subplot(1, 3, 3)
    span = max(float(diff.abs().max()), 1e-9)
    colours = colormaps["RdBu"]
    norm = Normalize(-span, span)
    for cid, g in sp.counties.items():
        _draw(ax, g, facecolor=colours(norm(diff.get(cid, 0.0))), edgecolor="#555555", linewidth=0.5, zorder=2)
        if abs(diff.get(cid, 0.0)) > 1e-6:
            pt = g.representative_point()
            ax.text(pt.x, pt.y, f"{w.name(names.get(cid), cid)}\n{diff[cid]:+,.1f}", ha="center", va="center", fontsize=6.5, zorder=4)
    _colorbar(fig, ax, norm, "RdBu", w.u)
    _frame(ax, sp, w)
    ax.set_title(f"{labels[1]} − {labels[0]}", fontsize=10)
    return save_png(fig, path)
