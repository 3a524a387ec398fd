"""The audit of the spatial checks: every site's overlaps recomputed from the input layers, the exclusions they imply,
and spatial.gpkg against projects.csv (``recompute_sites``, ``check_sites``, ``check_gpkg``).

The layers are read with the scenario's own reader (``quota.spatial.layers.read_layer``, as the audit reads tables with
``quota.input.read``); the arithmetic is this module's own: the area CRS, the discs of point sites, the merged control
lines, each overlap, and the rule that decides from them (tolerance and admitted kinds from the yaml, with the
defaults of docs/scenario-format.md). Figures are in the scenario's unit.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..report.safety import read_csv
from .findings import Checks, texts

# docs/scenario-format.md, spatial: the defaults
DEFAULTS = {"tolerance": 0.01, "cultivated_gap": 0.5, "county_key": "auto", "area_crs": "auto",
            "redline_allowed": {"categories": ["infrastructure"], "key_levels": ["national"]},
            "farmland_allowed": {"categories": ["infrastructure"], "key_levels": ["national", "provincial"]},
            "outside_urban_allowed": {"categories": [], "standalone_site": True}}
CHECKS = (("ecological_redline", "ecological_redline", "redline_allowed"), ("permanent_farmland", "permanent_farmland", "farmland_allowed"),
          ("outside_urban", "outside_urban", "outside_urban_allowed"))
FIGURES = ("site_area", "ecological_redline", "permanent_farmland", "outside_urban", "cultivated_land", "outside_county")
ALIASES = {"工业": "industry", "基础设施": "infrastructure", "民生": "livelihood", "商服": "commerce", "文旅": "tourism",
           "住宅": "housing", "其他": "other"}
TRUE = {"true", "1", "yes", "是", "y", "t"}
LAYERS = ("counties", "sites", "urban_boundary", "permanent_farmland", "ecological_redline", "cultivated_land")


def spatial_config(cfg: dict) -> dict | None:
    sp = cfg.get("spatial")
    if not isinstance(sp, dict) or not isinstance(sp.get("sites"), (tuple, list)):
        return None
    out = {**DEFAULTS, **{k: v for k, v in sp.items() if k not in DEFAULTS or not isinstance(v, dict)}}
    for k in ("redline_allowed", "farmland_allowed", "outside_urban_allowed"):
        out[k] = {**DEFAULTS[k], **(sp.get(k) or {})}
    return out


def recompute_sites(cfg: dict, projects: pd.DataFrame, counties: pd.DataFrame, per_ha: float) -> pd.DataFrame | None:
    """Per project with a site: FIGURES in the scenario's unit and ``exclusion``; None without sites."""
    import pyproj
    import shapely
    from shapely import affinity

    from ..spatial.layers import read_layer, reproject

    sp = spatial_config(cfg)
    if sp is None:
        return None
    raw = {}
    for key in LAYERS:
        if isinstance(sp.get(key), (tuple, list)):
            issues = []
            raw[key] = read_layer(key, Path(sp[key][0]), sp[key][1], ("Polygon", "MultiPolygon", "Point", "MultiPoint"), None, issues)
            if raw[key] is None:
                raise ValueError("; ".join(str(i) for i in issues))
    c = raw["counties"]
    crs = sp["area_crs"]
    if crs == "auto":
        lon, _ = pyproj.Transformer.from_crs(c.crs, "EPSG:4490", always_xy=True).transform(*shapely.get_coordinates(c.geoms).T)
        crs = f"EPSG:{4513 + min(max(int(round((lon.min() + lon.max()) / 6.0)), 25), 45) - 25}"
    geoms = {k: reproject(r.geoms, r.crs, crs) for k, r in raw.items()}
    key = sp["county_key"] if sp["county_key"] != "auto" else ("county_id" if "county_id" in c.fields else "adcode")
    to_id = dict(zip(counties["adcode"].astype(str), counties.index)) if key == "adcode" else {str(i): i for i in counties.index}
    county = {to_id[_text(v)]: g for v, g in zip(c.fields[key], geoms["counties"])}
    ids = [_text(v) for v in raw["sites"].fields["project_id"]]
    sites = []
    for pid, g in zip(ids, geoms["sites"]):
        if g.geom_type in ("Point", "MultiPoint"):  # a disc of the project's area, in m²
            m2 = float(projects.at[pid, "area"]) / per_ha * 1e4
            disc = g.centroid.buffer(np.sqrt(m2 / np.pi), quad_segs=16)
            g = affinity.scale(disc, np.sqrt(m2 / disc.area), np.sqrt(m2 / disc.area), origin=g.centroid)
        sites.append(g)
    out = pd.DataFrame(index=pd.Index(ids, name="project_id"))
    ha = per_ha / 1e4  # m² → the scenario's unit
    out["site_area"] = [g.area * ha for g in sites]
    lines = {k: shapely.union_all(geoms[k]) for k in LAYERS[2:] if k in geoms}
    for k in ("ecological_redline", "permanent_farmland", "cultivated_land"):
        out[k] = [g.intersection(lines[k]).area * ha for g in sites] if k in lines else np.nan
    out["outside_urban"] = [g.difference(lines["urban_boundary"]).area * ha for g in sites] if "urban_boundary" in lines else np.nan
    out["outside_county"] = [g.difference(county[projects.at[pid, "county_id"]]).area * ha for pid, g in zip(ids, sites)]
    out["exclusion"] = _decide(out, projects.loc[ids], sp, per_ha)
    return out


def _decide(fig: pd.DataFrame, p: pd.DataFrame, sp: dict, per_ha: float) -> list[str]:
    tol = float(sp["tolerance"])  # in the scenario's unit, as the yaml gives it
    out = []
    for pid in fig.index:
        cat, level = ALIASES.get(p.at[pid, "category"], p.at[pid, "category"]), p.at[pid, "key_level"]
        code = ""
        for name, col, key in CHECKS:
            a = sp[key]
            cats = {ALIASES.get(str(x), str(x).lower()) for x in a.get("categories", [])}
            if name == "outside_urban":
                standalone = str(p.at[pid, "standalone_site"]).strip().lower() in TRUE if "standalone_site" in p else False
                ok = cat in cats or (bool(a.get("standalone_site")) and standalone)
            else:
                ok = cat in cats and level in {str(x).lower() for x in a.get("key_levels", [])}
            if not ok and not pd.isna(fig.at[pid, col]) and fig.at[pid, col] > tol:
                code = name
                break
        out.append(code)
    return out


def check_sites(c: Checks, inp: dict, sites_csv: Path) -> None:
    """sites.csv's figures and exclusions against those recomputed from the layers."""
    want = inp["sites"]
    got = read_csv(sites_csv, dtype=str, keep_default_na=False).set_index("project_id") if sites_csv.is_file() else None
    if got is None:
        c.add("spatial", "sites.csv", False, "check.no_sites_csv")
        return
    c.add("spatial", "sites", set(got.index) == set(want.index), "check.sites_count", got=len(got), want=len(want))
    for pid in want.index.intersection(got.index):
        bad = []
        for col in FIGURES:
            w, g = want.at[pid, col], got.at[pid, col]
            if pd.isna(w) != (g == "") or (not pd.isna(w) and abs(float(g) - w) > 1e-3 + 1e-5 * abs(w)):
                bad.append(texts("check.site_column", column=col, got=(g or texts("check.empty")[0], g or "empty"), want=f"{w:.6f}"))
        if got.at[pid, "spatial_exclusion"] != want.at[pid, "exclusion"]:
            bad.append(texts("check.site_column", column="spatial_exclusion", got=repr(got.at[pid, "spatial_exclusion"]),
                             want=repr(want.at[pid, "exclusion"])))
        c.add("spatial", pid, not bad, ("; ".join(z for z, _ in bad), "; ".join(e for _, e in bad)))


def check_gpkg(c: Checks, run: Path) -> None:
    """spatial.gpkg opens with pyogrio, has the layers and columns a run writes, and its sites say what projects.csv says."""
    import pyogrio

    path = run / "spatial.gpkg"
    layers = {str(n) for n, _ in pyogrio.list_layers(path)}
    need = {"counties": ["county_id", "name"], "sites": ["project_id", "status", "reason", "years", "sources"],
            "parcels": ["parcel_id", "classification", "fee"]}
    if not (run / "sites.csv").is_file():
        need.pop("sites")
    if not (run / "idle_parcels.csv").is_file():
        need.pop("parcels")
    for layer, cols in need.items():
        if layer not in layers:
            c.add("spatial", f"spatial.gpkg {layer}", layer == "parcels", "check.no_layer", layer=layer)
            continue
        fields = set(pyogrio.read_info(path, layer=layer)["fields"])
        c.add("spatial", f"spatial.gpkg {layer}", set(cols) <= fields, "check.missing_columns", columns=sorted(set(cols) - fields))
    counties = read_csv(run / "counties.csv", dtype=str, keep_default_na=False)
    if "counties" in layers:
        fields = set(pyogrio.read_info(path, layer="counties")["fields"])
        year_cols = {"year", "base", "disposal_planned", "disposal_extra", "disposal_stock", "disposal", "earn_ratio", "earned",
                     "limit", "quota_used", "room", "rate", "restricted_in_year"}
        missing = set(counties.columns) - fields - year_cols
        c.add("spatial", "spatial.gpkg counties columns", not missing, "check.layer_columns", columns=sorted(missing))
    if "sites" in need and "sites" in layers:
        import pyogrio.raw

        meta, _, _, values = pyogrio.raw.read(path, layer="sites", columns=["project_id", "status", "reason"], read_geometry=False)
        layer = pd.DataFrame(dict(zip(meta["fields"], values))).set_index("project_id")
        p = read_csv(run / "projects.csv", dtype=str, keep_default_na=False).set_index("project_id")
        differ = [pid for pid in layer.index if pid not in p.index or (layer.at[pid, "status"], layer.at[pid, "reason"])
                  != (p.at[pid, "status"], p.at[pid, "reason"])]
        c.add("spatial", "spatial.gpkg sites", not differ, "check.layer_sites", ids=differ[:5])


def _text(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def manifest_spatial(manifest: dict) -> bool:
    return "spatial.gpkg" in (manifest.get("outputs") or {})


