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

INSTALL = ("the scenario has a `spatial:` block, which needs shapely, pyogrio and pyproj ({missing} not importable). "
           "They are dependencies of quota: reinstall it (`pip install --force-reinstall quota`, or `pip install shapely "
           "pyogrio pyproj`), or remove `spatial:` from scenario.yaml to run without maps and spatial checks.")


def require_libs() -> None:
    """Import shapely, pyogrio and pyproj, or raise a ``QuotaError`` saying how to install them."""
    missing = []
    for name in ("shapely", "pyogrio", "pyproj"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise QuotaError(INSTALL.format(missing=", ".join(missing)))
