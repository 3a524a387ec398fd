"""Synthetic geometry for ``quota generate --spatial``: county squares, control lines and project sites as GeoJSON.

The counties are 40 km squares on a grid in CGCS2000 / 3-degree Gauss-Krüger zone 38 (EPSG:4526, metres, near 114°E,
38°N); each has its urban development boundary in the middle (16 km square), an ecological red line in its north-east
corner, a strip of permanent basic farmland along its south edge and cultivated land around that. Sites are points
(a disc of the project's area, docs/spatial.md) inside the boundary; a seeded share of projects not admitted by the
default rules is placed in the red line, on the farmland or outside the boundary, so that every check excludes some.
Idle parcels are points inside their county's boundary. Plain text, the same bytes for the same seed.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

CRS = "EPSG:4526"
X0, Y0, SIDE = 38_400_000, 4_150_000, 40_000  # the first county's south-west corner, the county's side (m)
ZONES = {"urban_boundary": (12_000, 12_000, 28_000, 28_000), "ecological_redline": (30_000, 30_000, 38_000, 38_000),
         "permanent_farmland": (2_000, 2_000, 38_000, 9_000), "cultivated_land": (1_000, 1_000, 39_000, 11_000)}
BREAKING = {"ecological_redline": (34_000, 34_000), "permanent_farmland": (20_000, 5_500), "outside_urban": (6_000, 20_000)}
SHARE = 0.02  # of the projects, per check


def spatial_files(d: dict, seed: int) -> tuple[dict[str, str], list[str]]:
    """The GeoJSON files (name → text) and the yaml lines of the ``spatial:`` block."""
    counties = d["counties"]["county_id"].tolist()
    cols = int(np.ceil(np.sqrt(len(counties))))
    origin = {c: (X0 + (i % cols) * SIDE, Y0 + (i // cols) * SIDE) for i, c in enumerate(counties)}
    files = {"spatial/counties.geojson": _collection([({"county_id": c}, _box(*origin[c], SIDE, SIDE)) for c in counties])}
    for key, (a, b, e, f) in ZONES.items():
        files[f"spatial/{key}.geojson"] = _collection([({"county_id": c}, _box(origin[c][0] + a, origin[c][1] + b, e - a, f - b))
                                                       for c in counties])
    rng = np.random.default_rng(seed + 20)
    p = d["projects"]
    free = ~p["category"].isin(["infrastructure", "基础设施"]) & ~p.get("standalone_site", pd.Series(False, index=p.index)).astype(bool)
    candidates = list(p.index[free.to_numpy()])
    rng.shuffle(candidates)
    n = max(1, int(round(SHARE * len(p))))
    breaking = {i: code for k, code in enumerate(BREAKING) for i in candidates[k * n:(k + 1) * n]}
    sites = []
    for i, (pid, cid) in enumerate(zip(p["project_id"], p["county_id"])):
        x, y = origin[cid]
        if i in breaking:
            dx, dy = BREAKING[breaking[i]]
        else:
            dx, dy = rng.uniform(14_500, 25_500, 2)
        sites.append(({"project_id": pid}, {"type": "Point", "coordinates": [round(x + dx, 1), round(y + dy, 1)]}))
    files["spatial/sites.geojson"] = _collection(sites)
    lines = ["spatial:", "  counties: spatial/counties.geojson", "  county_key: county_id", "  sites: spatial/sites.geojson",
             *[f"  {k}: spatial/{k}.geojson" for k in ZONES]]
    if d["idle_parcels"] is not None and len(d["idle_parcels"]):
        q = d["idle_parcels"]
        files["spatial/parcels.geojson"] = _collection(
            [({"parcel_id": pid}, {"type": "Point", "coordinates": [round(origin[c][0] + v, 1), round(origin[c][1] + w, 1)]})
             for pid, c, v, w in zip(q["parcel_id"], q["county_id"], rng.uniform(14_500, 25_500, len(q)),
                                     rng.uniform(14_500, 25_500, len(q)))])
        lines.append("  parcels: spatial/parcels.geojson")
    lines.append('  source: "合成数据 synthetic (quota generate --spatial)"')
    return files, lines


def _box(x, y, w, h) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]]}


def _collection(features) -> str:
    return json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{CRS.replace(':', '::')}"}},
                       "features": [{"type": "Feature", "properties": props, "geometry": geom} for props, geom in features]},
                      ensure_ascii=False) + "\n"
