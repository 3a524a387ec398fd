"""One layer file → its features as shapely geometries in the area CRS, every feature checked (``read_layer``).

A layer must declare its CRS (a GeoJSON without one is WGS 84 by RFC 7946, which pyogrio reports); one that declares
none, or one pyproj does not know, is refused, as is one whose coordinates fall outside China in the CRS it declares
(the usual sign of a wrong ``.prj``). Every feature must have a geometry that is not empty, valid (OGC simple
features) and of a kind the layer takes. Each problem names the file, the feature (its number, counting from 1, and
its id) and the fix; all are collected before anything is raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import Issue

CGCS2000 = "EPSG:4490"
CHINA = (73.0, 3.0, 136.0, 54.0)  # lon/lat bounds of China (CGCS2000)
POLYGONS = ("Polygon", "MultiPolygon")
POINTS = ("Point", "MultiPoint")


@dataclass
class RawLayer:
    key: str
    label: str  # the file name (and layer) for messages
    crs: object  # pyproj.CRS
    geoms: np.ndarray  # shapely geometries in the file's CRS
    fields: dict[str, np.ndarray]

    def ident(self, i: int, id_field: str | None) -> str:
        """Feature ``i`` as messages name it: its number from 1 and, where the layer has one, its id."""
        if id_field and id_field in self.fields:
            return f"feature {i + 1} ({id_field} {self.fields[id_field][i]})"
        return f"feature {i + 1}"


def read_layer(key: str, path: Path, layer: str | None, kinds: tuple[str, ...], id_field: str | None,
               issues: list[Issue]) -> RawLayer | None:
    """The layer, or None with issues when it cannot be read or placed at all; a bad feature is an issue and stays in
    the layer, so its id is checked too. ``kinds``: the geometry types it takes; ``id_field``: named in messages."""
    import pyogrio.raw
    import pyproj
    import shapely

    label = path.name + (f"#{layer}" if layer else "")
    try:
        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer, force_2d=True)
    except Exception as e:  # pyogrio raises its own DataSourceError / DataLayerError, and GDAL errors
        issues.append(Issue.of("spatial.layer-unreadable", label, "", f"spatial.{key}", error=str(e)[:200]))
        return None
    fields = {name: np.asarray(v) for name, v in zip(meta["fields"], values)}
    if meta.get("crs") in (None, ""):
        issues.append(Issue.of("spatial.unknown-crs.none", label, "", f"spatial.{key}"))
        return None
    try:
        crs = pyproj.CRS.from_user_input(meta["crs"])
    except pyproj.exceptions.CRSError:
        issues.append(Issue.of("spatial.unknown-crs.unknown", label, "", f"spatial.{key}", crs=repr(meta["crs"])))
        return None
    geoms = shapely.from_wkb(wkb) if wkb is not None else np.array([], dtype=object)
    out = RawLayer(key, label, crs, geoms, fields)
    if len(geoms) == 0:
        issues.append(Issue.of("spatial.empty-layer", label, "", f"spatial.{key}", key=key))
        return None
    for i, g in enumerate(geoms):
        where = out.ident(i, id_field)
        if g is None or g.is_empty:
            issues.append(Issue.of("spatial.empty-geometry", label, where, "geometry"))
        elif g.geom_type not in kinds:
            issues.append(Issue.of("spatial.geometry-type", label, where, "geometry", type=g.geom_type, kinds=" or ".join(kinds),
                                   kinds_zh="或".join(kinds), key=key, kind=kinds[0]))
        elif not g.is_valid:
            issues.append(Issue.of("spatial.invalid-geometry", label, where, "geometry", type=g.geom_type,
                                   reason=shapely.is_valid_reason(g)))
    # a feature with a bad geometry stays in the layer (its id is still checked); load_spatial stops after the ids
    lon, lat = _to(crs, CGCS2000)(*_coords(geoms))
    if not (np.all(np.isfinite(lon)) and lon.min() >= CHINA[0] and lon.max() <= CHINA[2] and lat.min() >= CHINA[1]
            and lat.max() <= CHINA[3]):
        issues.append(Issue.of("spatial.crs-mismatch", label, "", f"spatial.{key}", crs=crs.to_string()))
        return None
    return out


def reproject(geoms: np.ndarray, source, target) -> np.ndarray:
    """``geoms`` from the CRS ``source`` into ``target`` (pyproj; x = easting or longitude)."""
    import shapely

    fn = _to(source, target)
    return shapely.transform(geoms, lambda xy: np.column_stack(fn(xy[:, 0], xy[:, 1])))


def _to(source, target):
    import pyproj

    return pyproj.Transformer.from_crs(source, target, always_xy=True).transform


def _coords(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import shapely

    xy = shapely.get_coordinates(geoms)
    return xy[:, 0], xy[:, 1]


def auto_area_crs(counties: RawLayer) -> str:
    """The CGCS2000 3-degree Gauss-Krüger zone (EPSG:4513 for zone 25, 75°E, to EPSG:4533 for zone 45, 135°E) of the
    counties' mean longitude. A 3° zone keeps the scale error below 1.4e-4, so areas within 0.03%."""
    lon, _ = _to(counties.crs, CGCS2000)(*_coords(counties.geoms))
    zone = int(round(float(np.mean([lon.min(), lon.max()])) / 3.0))
    return f"EPSG:{4513 + min(max(zone, 25), 45) - 25}"
