"""The ``spatial:`` layers of a scenario, keyed to its tables and measured: ``load_spatial`` → ``SpatialData``.

Counties are keyed by a ``county_id`` field, or by an ``adcode`` field matched to the ``adcode`` column of counties.csv
(``spatial.county_key``); sites by ``project_id``, parcels by ``parcel_id``. A feature whose id has no row, a row
given twice, a county without a boundary, and a site outside its own county are errors; a site whose cultivated land
is far from its ``farmland_area`` is a warning. Every problem names the file, the feature and the fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Issue
from ..messages import both
from .layers import CGCS2000, POINTS, POLYGONS, RawLayer, auto_area_crs, read_layer, reproject
from .options import CONTROL_LINES, SpatialOptions
from .sites import eval_site_figures, site_polygons


@dataclass(frozen=True)
class SpatialData:
    """The layers in ``area_crs`` (metres) and every site's figures (``figures``, ha, indexed by project_id)."""

    options: SpatialOptions
    area_crs: str
    counties: pd.Series  # county_id → polygon
    sites: pd.Series  # project_id → polygon (a point site as a disc of its area)
    site_points: frozenset = frozenset()  # project ids given as points
    parcels: pd.Series | None = None  # parcel_id → geometry
    lines: dict = field(default_factory=dict)  # control line → its features merged into one geometry
    figures: pd.DataFrame | None = None  # quota.spatial.sites.FIGURES and county_found, per project with a site
    labels: dict = field(default_factory=dict)  # layer key → file name as messages name it

    def to_cgcs2000(self, geoms) -> np.ndarray:
        """Geometries of the area CRS in EPSG:4490, for the GeoPackage."""
        return reproject(np.asarray(geoms, dtype=object), self.area_crs, CGCS2000)


def load_spatial(opts: SpatialOptions, counties: pd.DataFrame, projects: pd.DataFrame, parcels: pd.DataFrame | None,
                 issues: list[Issue]) -> SpatialData | None:
    """Read, key and measure every layer; None when any problem was found (each one added to ``issues``)."""
    from . import require_libs

    require_libs()
    n = len(issues)
    raw: dict[str, RawLayer] = {}
    specs = {"counties": (POLYGONS, None), "sites": (POLYGONS + POINTS, "project_id"),
             "parcels": (POLYGONS + POINTS, "parcel_id"), **{k: (POLYGONS, None) for k in CONTROL_LINES}}
    for key, path, layer in opts.files:
        kinds, id_field = specs[key]
        got = read_layer(key, path, layer, kinds, id_field, issues)
        if got is not None:
            raw[key] = got
    if "counties" not in raw or any(i.code in ("layer-unreadable", "unknown-crs", "crs-mismatch", "empty-layer")
                                    for i in issues[n:]):
        return None
    area_crs = opts.area_crs if opts.area_crs != "auto" else auto_area_crs(raw["counties"])
    import pyproj

    try:
        projected = pyproj.CRS.from_user_input(area_crs).is_projected
    except pyproj.exceptions.CRSError:
        projected = False
    if not projected:
        issues.append(Issue.of("spatial.area-crs", "scenario.yaml", "spatial.area_crs", "spatial.area_crs", crs=repr(area_crs)))
        return None
    geoms = {k: reproject(r.geoms, r.crs, area_crs) for k, r in raw.items()}
    boundaries = _key_counties(raw["counties"], geoms["counties"], counties, opts.county_key, issues)
    sites, points = _key_sites(raw.get("sites"), geoms.get("sites"), projects, issues)
    parcel_geoms = _key_parcels(raw.get("parcels"), geoms.get("parcels"), parcels, issues)
    if len(issues) > n:
        return None
    import shapely

    lines = {k: shapely.union_all(geoms[k]) for k in CONTROL_LINES if k in geoms}
    figures = None
    if len(sites):
        figures = eval_site_figures(sites, projects["county_id"], boundaries, lines)
        _check_sites(raw["sites"], figures, projects, boundaries.index, opts, issues, counties)
    if len(issues) > n and any(i.severity == "error" for i in issues[n:]):
        return None
    return SpatialData(opts, area_crs, boundaries, sites, frozenset(points), parcel_geoms, lines, figures,
                       {k: r.label for k, r in raw.items()})


def _key_counties(layer: RawLayer, geoms, counties: pd.DataFrame, key: str, issues: list[Issue]) -> pd.Series:
    if key == "auto":
        key = "county_id" if "county_id" in layer.fields else "adcode"
    if key not in layer.fields:
        issues.append(Issue.of("spatial.missing-field.counties", layer.label, "", key, key=repr(key)))
        return pd.Series(dtype=object)
    if key == "adcode":
        if "adcode" not in counties or counties["adcode"].isna().all():
            issues.append(Issue.of("spatial.missing-column.adcode", "counties.csv", "", "adcode"))
            return pd.Series(dtype=object)
        to_id = dict(zip(counties["adcode"].astype(str), counties.index))
    else:
        to_id = {str(c): c for c in counties.index}
    ids = [_text(v) for v in layer.fields[key]]
    out = {}
    for i, v in enumerate(ids):
        where = layer.ident(i, key)
        if v not in to_id:
            issues.append(Issue.of("spatial.unknown-id.county", layer.label, where, key, key=key, value=repr(v)))
        elif to_id[v] in out:
            issues.append(Issue.of("spatial.duplicate-id.county", layer.label, where, key, county=to_id[v]))
        else:
            out[to_id[v]] = geoms[i]
    missing = [c for c in counties.index if c not in out]
    if missing and len(out):
        issues.append(Issue.of("spatial.missing-boundary", layer.label, "", key, counties=", ".join(map(str, missing))))
    return pd.Series(out, dtype=object).reindex([c for c in counties.index if c in out])


def _key_sites(layer: RawLayer | None, geoms, projects: pd.DataFrame, issues: list[Issue]) -> tuple[pd.Series, list]:
    if layer is None:
        return pd.Series(dtype=object), []
    out, points, idx = _keyed(layer, geoms, "project_id", set(projects.index), "projects.csv", issues)
    if not out:
        return pd.Series(dtype=object), []
    ids = list(out)
    polys = site_polygons(np.array([out[k] for k in ids], dtype=object), projects.loc[ids, "area"].to_numpy(float))
    return pd.Series(list(polys), index=pd.Index(ids, name="project_id"), dtype=object), [k for k in ids if k in points]


def _key_parcels(layer: RawLayer | None, geoms, parcels: pd.DataFrame | None, issues: list[Issue]) -> pd.Series | None:
    if layer is None:
        return None
    if parcels is None:
        issues.append(Issue.of("spatial.no-table", layer.label, "", "spatial.parcels"))
        return None
    known = set(parcels["parcel_id"] if "parcel_id" in parcels else parcels.index)
    out, _, _ = _keyed(layer, geoms, "parcel_id", known, "idle_parcels.csv", issues)
    return pd.Series(out, dtype=object)


def _keyed(layer: RawLayer, geoms, key: str, known: set, table: str, issues: list[Issue]):
    if key not in layer.fields:
        issues.append(Issue.of("spatial.missing-field", layer.label, "", key, key=key, table=table))
        return {}, set(), {}
    out, points, idx = {}, set(), {}
    for i, v in enumerate(_text(x) for x in layer.fields[key]):
        where = layer.ident(i, key)
        if v not in known:
            issues.append(Issue.of("spatial.unknown-id", layer.label, where, key, key=key, value=repr(v), table=table))
        elif v in out:
            issues.append(Issue.of("spatial.duplicate-id", layer.label, where, key, value=v, first=idx[v] + 1))
        else:
            out[v], idx[v] = geoms[i], i
            if layer.geoms[i].geom_type in POINTS:
                points.add(v)
    return out, points, idx


def _check_sites(layer: RawLayer, fig: pd.DataFrame, projects: pd.DataFrame, known, opts: SpatialOptions,
                 issues: list[Issue], counties: pd.DataFrame) -> None:
    """A site outside its own county (beyond the tolerance) is an error; cultivated land far from farmland_area a warning."""
    ids = [_text(x) for x in layer.fields["project_id"]]
    row = {pid: i for i, pid in enumerate(ids)}
    tol = opts.tolerance
    for pid, f in fig.iterrows():
        where = layer.ident(row[pid], "project_id")
        own = projects.at[pid, "county_id"]
        if own not in known:
            continue
        if f["outside_county"] > tol:
            found = f["county_found"]
            name_zh, name = (counties["name"].get(found, found),) * 2 if found else both("spatial.no-county")
            issues.append(Issue.of("spatial.site-outside-county", layer.label, where, "geometry", outside=f"{f['outside_county']:.2f}",
                                   site=f"{f['site_area']:.2f}", own=own, own_name=counties.at[own, "name"], name=name,
                                   name_zh=name_zh))
        cult, farm = f["cultivated_land"], float(projects.at[pid, "farmland_area"])
        if not np.isnan(cult) and abs(cult - farm) > tol and abs(cult - farm) > opts.cultivated_gap * max(cult, farm):
            issues.append(Issue.of("spatial.cultivated-mismatch", layer.label, where, "farmland_area", "warning",
                                   cult=f"{cult:.2f}", farm=f"{farm:.2f}"))


def _text(v) -> str:
    """An id as text: a whole number stored as a float (Shapefile, GeoJSON) without its '.0'."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()
