"""The run folder's spatial outputs: ``sites.csv`` (every site's figures and what they decided) and ``spatial.gpkg``
(layers ``counties``, ``county_years`` under rules by year, ``sites`` and ``parcels``, in CGCS2000 EPSG:4490, with
a QGIS style per layer in ``layer_styles``). Both are written only for a scenario with ``spatial:``.

Figures are in the scenario's unit, as every other table of the run folder; ``quota audit`` recomputes them from the
input layers and checks the GeoPackage against projects.csv.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..counties_table import county_part, year_part
from ..input.eligibility import SPATIAL_CHECKS, eval_spatial_checks
from .sites import FIGURES
from .style import write_styles

SITE_COLUMNS = ["project_id", "county_id", "site_kind", *FIGURES, "farmland_area", "spatial_exclusion", "admitted"]


def eval_sites_table(s) -> pd.DataFrame:
    """One row per project with a site: its figures (scenario unit), the spatial exclusion and the checks its kind
    was admitted for (``;``-separated), as ``quota.input.eligibility`` decided them."""
    sp = s.spatial
    fig = sp.figures
    checks = eval_spatial_checks(s).loc[fig.index]
    out = pd.DataFrame({"project_id": fig.index, "county_id": s.projects.loc[fig.index, "county_id"].to_numpy(),
                        "site_kind": ["point" if pid in sp.site_points else "polygon" for pid in fig.index]})
    for col in FIGURES:
        out[col] = fig[col].to_numpy(float) * s.unit_factor
    out["farmland_area"] = s.projects.loc[fig.index, "farmland_area"].to_numpy(float) * s.unit_factor
    out["spatial_exclusion"] = checks["exclusion"].to_numpy()
    tol = sp.options.tolerance
    out["admitted"] = [";".join(code for code, col, _ in SPATIAL_CHECKS if checks.at[pid, f"{code}_allowed"]
                                and checks.at[pid, col] > tol) for pid in fig.index]
    return out


def gpkg_writer(s, tables: dict[str, pd.DataFrame]):
    """A function writing spatial.gpkg at the path it is given (quota.report.write calls it inside the run folder)."""
    def write(path: Path) -> None:
        import pyogrio.raw

        layers = []
        for name, frame, geoms in _layers(s, tables):
            wkb = np.array([g.wkb for g in s.spatial.to_cgcs2000(geoms)], dtype=object)
            cols = [c for c in frame.columns]
            data = [_field(frame[c]) for c in cols]
            pyogrio.raw.write(path, wkb, data, cols, layer=name, driver="GPKG", geometry_type="Unknown", crs="EPSG:4490",
                              promote_to_multi=False)
            layers.append(name)
        write_styles(path, layers)
    return write


def _layers(s, tables: dict[str, pd.DataFrame]):
    sp = s.spatial
    c = county_part(tables["counties.csv"]).reset_index(drop=True)
    yield "counties", c, sp.counties.reindex(c["county_id"]).to_numpy()
    cy = year_part(tables["counties.csv"])
    if cy is not None:
        names = c.set_index("county_id")["name"]
        cy = cy.assign(name=cy["county_id"].map(names))
        yield "county_years", cy, sp.counties.reindex(cy["county_id"]).to_numpy()
    if len(sp.sites):
        p = tables["projects.csv"].set_index("project_id")
        a = tables["allocations.csv"]
        years = a.groupby("project_id")["year"].apply(lambda y: ",".join(str(int(v)) for v in sorted(set(y))))
        by = a.groupby(["project_id", "source"])["area"].sum()
        sources = {pid: "; ".join(f"{src} {v:.2f}" for (q, src), v in by.items() if q == pid) for pid in p.index}
        ids = list(sp.sites.index)
        sites = pd.DataFrame({"project_id": ids, "name": p.loc[ids, "name"].to_numpy(), "county_id": p.loc[ids, "county_id"].to_numpy(),
                              "category": p.loc[ids, "category"].to_numpy(), "status": p.loc[ids, "status"].to_numpy(),
                              "reason": p.loc[ids, "reason"].to_numpy(), "plan": p.loc[ids, "plan"].to_numpy(),
                              "first_year": p.loc[ids, "first_year"].to_numpy(), "years": [years.get(i, "") for i in ids],
                              "sources": [sources.get(i, "") for i in ids], "area": p.loc[ids, "area"].to_numpy()})
        figures = tables["sites.csv"].set_index("project_id").loc[ids].reset_index(drop=True)
        sites = pd.concat([sites, figures.drop(columns=["county_id", "farmland_area"])], axis=1)
        yield "sites", sites, sp.sites.to_numpy()
    if sp.parcels is not None and "idle_parcels.csv" in tables:
        q = tables["idle_parcels.csv"]
        q = q[q["parcel_id"].isin(sp.parcels.index)].reset_index(drop=True)
        cols = [k for k in ("parcel_id", "county_id", "area", "classification", "fee", "full_years_idle", "rule") if k in q]
        yield "parcels", q[cols], sp.parcels.reindex(q["parcel_id"]).to_numpy()


def _field(col: pd.Series) -> np.ndarray:
    """A column as pyogrio writes it: numbers as float (empty as null), booleans as 0/1, the rest as text."""
    if pd.api.types.is_bool_dtype(col):
        return col.astype(int).to_numpy()
    if pd.api.types.is_numeric_dtype(col):
        return col.astype(float).to_numpy()
    return np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in col], dtype=object)
