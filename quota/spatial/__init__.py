"""Spatial inputs and checks (the ``spatial:`` block of scenario.yaml): county boundaries, project sites, parcels and
the control lines (三区三线), read with pyogrio, checked with shapely, reprojected with pyproj.

    options (quota.spatial.options) ──read_layer (layers)──▶ shapely geometries in a projected CRS
        ──load_spatial (load)──▶ SpatialData: every site's overlaps in ha (sites) ──▶ Scenario.spatial

The exclusions that follow from the overlaps are decided in ``quota.input.eligibility`` (the one path every project
takes); the GeoPackage out is ``quota.spatial.gpkg``, the maps ``quota.report.maps``. Nothing here is imported by a
scenario without ``spatial:``, so such a scenario runs without these libraries.
"""
from __future__ import annotations

from ..errors import QuotaError


def require_libs() -> None:
    """Import shapely, pyogrio and pyproj, or raise a ``QuotaError`` saying how to install them."""
    missing = []
    for name in ("shapely", "pyogrio", "pyproj"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise QuotaError.of("error.spatial.install", missing=", ".join(missing))
