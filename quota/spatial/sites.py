"""Each project site against the control lines and its county: the overlaps in hectares (``eval_site_figures``).

Every area is measured in the projected area CRS (metres², divided by 10,000). A point site stands for a disc of the
project's area (projects.csv) around it, scaled so that the disc's polygon has exactly that area. The figures are
facts about the geometry only; what they mean for the project (excluded, allowed with higher approval, a warning)
is decided in ``quota.input.eligibility`` and ``quota.spatial.load``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

M2_PER_HA = 10_000.0
FIGURES = ("site_area", "ecological_redline", "permanent_farmland", "outside_urban", "cultivated_land", "outside_county")


def site_polygons(geoms: np.ndarray, areas_ha: np.ndarray) -> np.ndarray:
    """Polygons as they are; a point as a disc of its project's area (``areas_ha``), centred on it."""
    from shapely import affinity

    out = geoms.copy()
    for i, g in enumerate(geoms):
        if g.geom_type in ("Point", "MultiPoint"):
            centre = g.centroid
            disc = centre.buffer(np.sqrt(areas_ha[i] * M2_PER_HA / np.pi), quad_segs=16)
            k = np.sqrt(areas_ha[i] * M2_PER_HA / disc.area)
            out[i] = affinity.scale(disc, k, k, origin=centre)
    return out


def eval_site_figures(sites: pd.Series, own_county: pd.Series, counties: pd.Series, lines: dict) -> pd.DataFrame:
    """Per project with a site (``sites``: project_id → polygon, area CRS): its area and, in ha, its overlap with the
    ecological red line and permanent basic farmland, its area outside the urban development boundary, its overlap
    with cultivated land, and its area outside its own county (``own_county``: project_id → county_id). A control
    line not given leaves its column empty (not checked). Also ``county_found``: the county holding most of the site."""
    import shapely

    g = sites.to_numpy()
    out = pd.DataFrame(index=sites.index)
    out["site_area"] = shapely.area(g) / M2_PER_HA
    for key in ("ecological_redline", "permanent_farmland", "cultivated_land"):
        line = lines.get(key)
        out[key] = shapely.area(shapely.intersection(g, line)) / M2_PER_HA if line is not None else np.nan
    urban = lines.get("urban_boundary")
    out["outside_urban"] = shapely.area(shapely.difference(g, urban)) / M2_PER_HA if urban is not None else np.nan
    mine = counties.reindex(own_county.reindex(sites.index)).to_numpy()
    out["outside_county"] = shapely.area(shapely.difference(g, mine)) / M2_PER_HA
    tree = shapely.STRtree(counties.to_numpy())
    found = []
    for geom in g:
        hits = tree.query(geom, predicate="intersects")
        if len(hits) == 0:
            found.append("")
            continue
        shares = shapely.area(shapely.intersection(geom, counties.to_numpy()[hits]))
        found.append(str(counties.index[hits[int(np.argmax(shares))]]))
    out["county_found"] = found
    return out
