"""Spatial inputs and checks (quota.spatial, docs/spatial.md): hand-made squares with overlaps worked out here.

Two 10 km counties side by side in CGCS2000 / 3-degree Gauss-Krüger zone 38 (EPSG:4526, metres, x with the zone
prefix 38). In county a (x0, y0 its south-west corner; every offset below in metres from it):

- urban development boundary: x 0..5000, the whole height;          - ecological red line: x 8000..10000, y 8000..10000;
- permanent basic farmland: x 6000..8000, y 0..2000;                 - cultivated land: x 0..2000, the whole height.

Sites (200 m squares, 4 ha, unless said):
- P1 x 3000..3200, y 5000..5200: inside the boundary, touching nothing: no overlap.
- P2 (industry) x 7900..8100, y 8000..8200: half in the red line, 100 m × 200 m = 2 ha; all 4 ha outside the boundary.
  Excluded by the red line (the most serious check first).
- P3 (industry) x 5900..6100, y 1000..1200: half in farmland, 2 ha; 4 ha outside. Excluded by permanent farmland.
- P4 (commerce) x 5200..5400, y 5000..5200: 4 ha outside the boundary, nothing else. Excluded as outside it.
- P5 (national infrastructure, stand-alone site) x 6000..6200, y 1500..1700: 4 ha in farmland, 4 ha outside: admitted.
- P6 (housing) x 4800.2..5000.4, y 0..200 (200.2 m wide): 0.4 m × 200 m = 80 m² = 0.008 ha outside, below the
  0.01 ha tolerance: not excluded.
- P7 (industry, farmland_area 0.5) x 1000..1200, y 3000..3200: 4 ha of cultivated land against 0.5 ha declared:
  |4 − 0.5| = 3.5 > 0.5 × 4, a warning with both figures.
- P8 a point at x 3500, y 7000 with area 2 ha: a disc of exactly 2 ha inside the boundary, no overlap.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import pyproj
import pytest
import shapely
import yaml
from shapely import box

from builder import PROJECT, county, project, write_scenario, write_table
from quota.check.audit import audit_run
from quota.errors import ScenarioError
from quota.input.validate import load
from quota.run import run_scenario

X0, Y0 = 38_500_000.0, 4_200_000.0  # EPSG:4526: about 114°E, 37.9°N
GK = "EPSG:4526"


def sq(x, y, w=200.0, h=200.0):
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


SITES = {"P1": sq(3000, 5000), "P2": sq(7900, 8000), "P3": sq(5900, 1000), "P4": sq(5200, 5000), "P5": sq(6000, 1500),
         "P6": sq(4800.2, 0, 200.2), "P7": sq(1000, 3000), "P8": shapely.Point(X0 + 3500, Y0 + 7000)}
LINES = {"urban_boundary": sq(0, 0, 5000, 10000), "ecological_redline": sq(8000, 8000, 2000, 2000),
         "permanent_farmland": sq(6000, 0, 2000, 2000), "cultivated_land": sq(0, 0, 2000, 10000)}
COUNTIES = {"a": sq(0, 0, 10000, 10000), "b": sq(10000, 0, 10000, 10000)}
# hand-worked figures, ha: (red line, permanent farmland, outside the boundary, cultivated land)
EXPECT = {"P1": (0, 0, 0, 0), "P2": (2, 0, 4, 0), "P3": (0, 2, 4, 0), "P4": (0, 0, 4, 0), "P5": (0, 4, 4, 0),
          "P6": (0, 0, 0.008, 0), "P7": (0, 0, 0, 4), "P8": (0, 0, 0, 0)}
EXCLUDED = {"P2": "ecological_redline", "P3": "permanent_farmland", "P4": "outside_urban"}


def write_layer(path: Path, geoms, fields: dict, crs: str | None = GK, driver: str = "GeoJSON") -> None:
    geoms = list(geoms)
    if crs not in (GK, None):
        fn = pyproj.Transformer.from_crs(GK, crs, always_xy=True).transform
        geoms = [shapely.transform(g, lambda xy: np.column_stack(fn(xy[:, 0], xy[:, 1]))) for g in geoms]
    pyogrio.raw.write(path, np.array([shapely.to_wkb(g) for g in geoms], dtype=object), [np.asarray(v) for v in fields.values()],
                      list(fields), driver=driver, geometry_type="Unknown", crs=crs)


def spatial_scenario(folder: Path, crs: str = GK, sites: dict | None = None, **spatial) -> Path:
    """The scenario above, every layer written in ``crs``; ``sites`` replaces the site geometries."""
    projects = [project(project_id=pid, area=4, farmland_area=0) for pid in SITES]
    kinds = {"P2": {}, "P3": {}, "P4": dict(category="commerce"), "P5": dict(category="infrastructure", key_level="national",
             standalone_site="true"), "P6": dict(category="housing"), "P7": dict(farmland_area=0.5), "P8": dict(area=2)}
    projects = [{**p, "standalone_site": "false", **kinds.get(p["project_id"], {})} for p in projects]
    projects.append(project(project_id="P9", county_id="b", area=4, standalone_site="false"))
    write_scenario(folder, counties=[county(county_id="a"), county(county_id="b", name="乙县")], projects=projects,
                   quota={2023: 40, 2024: 40, 2025: 40})
    write_table(folder / "projects.csv", projects, list(PROJECT) + ["standalone_site"])
    (folder / "layers").mkdir()
    write_layer(folder / "layers" / "counties.geojson", COUNTIES.values(), {"county_id": np.array(list(COUNTIES))}, crs)
    geoms = {**SITES, **(sites or {})}
    write_layer(folder / "layers" / "sites.geojson", geoms.values(), {"project_id": np.array(list(geoms))}, crs)
    for key, g in LINES.items():
        write_layer(folder / "layers" / f"{key}.geojson", [g], {"note": np.array(["test"])}, crs)
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["spatial"] = {"counties": "layers/counties.geojson", "sites": "layers/sites.geojson",
                      **{k: f"layers/{k}.geojson" for k in LINES}, **spatial}
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return folder


def figures(s) -> pd.DataFrame:
    return s.spatial.figures[["ecological_redline", "permanent_farmland", "outside_urban", "cultivated_land"]]


# ---------------------------------------------------------------- checks ----

def test_overlaps_of_hand_made_squares(tmp_path):
    s = load(spatial_scenario(tmp_path / "s"))
    assert s.spatial.area_crs == GK  # auto: zone 38 for counties at 114°E
    got = figures(s)
    for pid, want in EXPECT.items():
        assert got.loc[pid].to_numpy() == pytest.approx(want, abs=1e-6), pid
    assert s.spatial.figures.at["P8", "site_area"] == pytest.approx(2.0, abs=1e-9)  # the point's disc has the project's area
    assert (s.spatial.figures["outside_county"] == 0).all()


@pytest.mark.parametrize("crs", ["EPSG:4490", "EPSG:4527"], ids=["CGCS2000 geographic", "the next Gauss-Kruger zone"])
def test_the_same_sites_in_another_crs_give_the_same_overlaps(tmp_path, crs):
    """The layers written in EPSG:4490 (longitude, latitude) or in zone 39 and measured in zone 38 (auto): each vertex is
    reprojected there and back, so overlaps agree within 1e-6 ha (a hundredth of a square metre); the red line, farmland
    and boundary edges are straight in zone 38 in both cases."""
    base = figures(load(spatial_scenario(tmp_path / "gk")))
    other = load(spatial_scenario(tmp_path / "other", crs=crs))
    assert other.spatial.area_crs == GK
    assert np.allclose(figures(other).to_numpy(), base.to_numpy(), atol=1e-6)


def test_areas_in_a_neighbouring_zone_agree_within_a_tenth_of_a_percent(tmp_path):
    """Measured in zone 39 (area_crs: EPSG:4527), 3° from the central meridian, the scale factor of Gauss-Krüger is
    about 1 + y²/2R² ≈ 1.00068 at the sites, so areas grow by about 0.14%; straight edges bend slightly. Within 0.3%."""
    base = load(spatial_scenario(tmp_path / "gk")).spatial.figures
    far = load(spatial_scenario(tmp_path / "far", area_crs="EPSG:4527")).spatial.figures
    assert np.allclose(far["site_area"], base["site_area"], rtol=3e-3)
    assert not np.allclose(far["site_area"], base["site_area"], rtol=1e-6)  # it is a different projection


def test_each_check_excludes_through_eligibility_and_the_audit_agrees(tmp_path):
    out = tmp_path / "run"
    r = run_scenario(spatial_scenario(tmp_path / "s"), out=out)
    p = r.projects
    for pid, code in EXCLUDED.items():
        assert p.at[pid, "status"] == "excluded" and p.at[pid, "exclusion"] == code, pid
    assert "2.00 ha" in p.at["P2", "reason"] and "red line" in p.at["P2", "reason"]
    assert "2.00 ha" in p.at["P3", "reason"] and "Art. 35" in p.at["P3", "reason"]
    assert "4.00 ha outside" in p.at["P4", "reason"]
    assert p.at["P5", "status"] != "excluded" and "State Council" in p.at["P5", "reason"]
    assert p.at["P6", "status"] != "excluded"
    assert "4.00 ha of cultivated land against a farmland_area of 0.50 ha" in p.at["P7", "reason"]
    assert any(w.code == "cultivated-mismatch" and "P7" in w.row for w in r.scenario.warnings)
    sites = pd.read_csv(out / "sites.csv").set_index("project_id")
    assert sites.loc["P2", "ecological_redline"] == pytest.approx(2.0, abs=1e-5)
    checks = audit_run(out, resolve="off")
    assert checks["ok"].all(), checks[~checks["ok"]].to_string()
    assert (checks["family"] == "spatial").sum() >= len(SITES)


def test_the_audit_finds_a_changed_overlap(tmp_path):
    out = tmp_path / "run"
    run_scenario(spatial_scenario(tmp_path / "s"), out=out)
    text = (out / "sites.csv").read_text(encoding="utf-8").replace("P1,a,polygon,4.000000,0.000000", "P1,a,polygon,4.000000,3.000000")
    (out / "sites.csv").write_text(text, encoding="utf-8")
    checks = audit_run(out, resolve="off")
    bad = checks[~checks["ok"]]
    assert ((bad["family"] == "spatial") & (bad["key"] == "P1")).any(), bad.to_string()


def test_spatial_gpkg_has_every_layer_and_column(tmp_path):
    out = tmp_path / "run"
    run_scenario(spatial_scenario(tmp_path / "s"), out=out)
    layers = {str(n) for n, _ in pyogrio.list_layers(out / "spatial.gpkg")}
    assert {"counties", "sites", "layer_styles"} <= layers
    counties = pd.read_csv(out / "counties.csv", nrows=0).columns
    assert set(counties) <= set(pyogrio.read_info(out / "spatial.gpkg", layer="counties")["fields"])
    fields = set(pyogrio.read_info(out / "spatial.gpkg", layer="sites")["fields"])
    assert {"project_id", "status", "reason", "first_year", "years", "sources", "ecological_redline", "permanent_farmland",
            "outside_urban", "spatial_exclusion"} <= fields
    assert pyogrio.read_info(out / "spatial.gpkg", layer="sites")["crs"] == "EPSG:4490"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "spatial.gpkg" in manifest["outputs"] and "sites.csv" in manifest["outputs"]


# ------------------------------------------------------------ bad inputs ----

def bowtie():
    return shapely.Polygon([(X0 + 100, Y0 + 100), (X0 + 300, Y0 + 300), (X0 + 300, Y0 + 100), (X0 + 100, Y0 + 300)])


@pytest.mark.parametrize("sites, code, words", [
    ({"P1": bowtie()}, "invalid-geometry", "Self-intersection"),
    ({"P1": shapely.Polygon()}, "empty-geometry", "no geometry"),
    ({"P9": sq(3000, 3000)}, "site-outside-county", "outside its county b"),
    ({"P99": sq(3000, 3000)}, "unknown-id", "no row in projects.csv"),
], ids=["invalid polygon", "empty geometry", "site outside its county", "id without a row"])
def test_bad_geometry_is_named_and_nothing_is_written(tmp_path, sites, code, words):
    out = tmp_path / "run"
    with pytest.raises(ScenarioError) as e:
        run_scenario(spatial_scenario(tmp_path / "s", sites=sites), out=out)
    found = [i for i in e.value.issues if i.code == code]
    assert found and found[0].file == "sites.geojson" and "feature" in found[0].row and words in found[0].message + found[0].hint
    assert found[0].hint
    assert not out.exists()


def test_a_layer_without_a_crs_is_refused(tmp_path):
    folder = spatial_scenario(tmp_path / "s")
    write_layer(folder / "layers" / "urban.shp", [LINES["urban_boundary"]], {"note": np.array(["x"])}, None, "ESRI Shapefile")
    assert not (folder / "layers" / "urban.prj").exists()
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["spatial"]["urban_boundary"] = "layers/urban.shp"
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"unknown-crs.*urban.shp.*declares no coordinate reference system"):
        load(folder)


def test_every_problem_is_listed_at_once(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load(spatial_scenario(tmp_path / "s", sites={"P1": bowtie(), "P2": shapely.Polygon(), "P77": sq(0, 0)}))
    assert {"invalid-geometry", "empty-geometry", "unknown-id"} <= {i.code for i in e.value.issues}


def test_a_layer_outside_the_folder_is_refused(tmp_path):
    folder = spatial_scenario(tmp_path / "s")
    cfg = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    cfg["spatial"]["sites"] = "../elsewhere.geojson"
    (folder / "scenario.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError, match="path-escape"):
        load(folder)


# --------------------------------------------------------- without libs ----

BLOCK = "import sys; [sys.modules.__setitem__(m, None) for m in ('shapely', 'pyogrio', 'pyproj')]; "


def test_a_scenario_without_spatial_runs_without_the_libraries(tiny):
    code = BLOCK + f"from quota.run import run_scenario; r = run_scenario({str(tiny)!r}); print(r.solution.status)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "optimal" in done.stdout.lower(), done.stderr[-2000:]


def test_a_spatial_scenario_without_the_libraries_says_how_to_install_them(tmp_path):
    folder = spatial_scenario(tmp_path / "s")
    code = BLOCK + f"from quota.input.validate import load\ntry:\n    load({str(folder)!r})\nexcept Exception as e:\n    print(type(e).__name__, e)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "QuotaError" in done.stdout and "pip install" in done.stdout, done.stdout + done.stderr[-2000:]


def test_the_bundled_scenario_excludes_by_each_check(default_run):
    e = default_run.projects["exclusion"]
    assert {"ecological_redline", "permanent_farmland", "outside_urban"} <= set(e)
    assert default_run.scenario.spatial.area_crs == GK


# --------------------------------------------------------------- report ----

def test_the_report_opens_with_the_county_map_in_headless_chromium(tmp_path):
    """report.html of a spatial run: the first section is the county map, and in headless Chromium the top of the page
    shows it (not blank) with every image loaded."""
    from PIL import Image, ImageStat

    from test_report import _browser

    out = tmp_path / "run"
    run_scenario(spatial_scenario(tmp_path / "s"), out=out)
    md = (out / "report.md").read_text(encoding="utf-8")
    first = md.split("\n## ", 2)[1]
    assert first.startswith("County map") and "figures/map_allocation.png" in first
    assert "figures/map_sites.png" in md and "## Sites and the control lines" in md
    for name in ("map_allocation.png", "map_sites.png", "map_restriction.png"):
        with Image.open(out / "figures" / name) as im:
            assert ImageStat.Stat(im.convert("L")).stddev[0] > 10, name
    url = (out / "report.html").resolve().as_uri()
    shot = tmp_path / "shot.png"
    done = _browser([f"--screenshot={shot}", "--window-size=1280,1400", url], tmp_path / "profile1")
    assert shot.exists(), done.stderr[-2000:]
    with Image.open(shot) as im:
        gray = im.convert("L")
        top = gray.crop((0, 150, 1280, 1400))  # below the title: the county map section
        assert ImageStat.Stat(top).stddev[0] > 20
    dom = _browser(["--dump-dom", "--virtual-time-budget=10000", url], tmp_path / "profile2").stdout
    n = len(list((out / "figures").glob("*.png")))
    assert f'data-images-loaded="{n}/{n}"' in dom
    from quota.report.labels import TEXT

    assert dom.index("County map") < dom.index(TEXT["en"]["sec_headline"]) < dom.index("Sites and the control lines")


def test_generate_writes_synthetic_geometry_that_breaks_each_check(tmp_path):
    from quota.commands.generate import generate_scenario
    from quota.input.eligibility import eval_eligibility

    folder = generate_scenario(tmp_path / "g", counties=4, projects=60, spatial=True, seed=3)
    s = load(folder)
    assert s.spatial.area_crs == GK and len(s.spatial.sites) == 60
    assert {"ecological_redline", "permanent_farmland", "outside_urban"} <= set(eval_eligibility(s)["exclusion"])
    again = generate_scenario(tmp_path / "h", counties=4, projects=60, spatial=True, seed=3)
    assert (again / "spatial" / "sites.geojson").read_bytes() == (folder / "spatial" / "sites.geojson").read_bytes()
