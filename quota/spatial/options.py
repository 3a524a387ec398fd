"""``spatial:`` in scenario.yaml → ``SpatialOptions`` (``parse_spatial``), checked like every other key.

The layer keys name files (GeoJSON, GeoPackage ``file.gpkg#layer``, Shapefile) relative to the yaml that names them;
``quota.input.read`` resolves and checks them as it does tables. The other keys are the checks' parameters. None of
them is a national constant: the tolerance is a data-precision setting, and the kinds a rule admits with higher
approval are read from the texts cited in docs/spatial.md and may be narrowed or widened by a bureau.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..input.scenario import CATEGORIES, CATEGORY_ALIASES, KEY_LEVELS

LAYERS = ("counties", "sites", "parcels", "urban_boundary", "permanent_farmland", "ecological_redline", "cultivated_land")
CONTROL_LINES = ("ecological_redline", "permanent_farmland", "urban_boundary", "cultivated_land")
ALLOWED_KEYS = ("redline_allowed", "farmland_allowed", "outside_urban_allowed")
SUB_KEYS = {
    "spatial": set(LAYERS) | {"county_key", "area_crs", "tolerance", "cultivated_gap", "source", *ALLOWED_KEYS},
    "spatial.redline_allowed": {"categories", "key_levels"},
    "spatial.farmland_allowed": {"categories", "key_levels"},
    "spatial.outside_urban_allowed": {"categories", "standalone_site"},
}


@dataclass(frozen=True)
class Allowed:
    """The kinds of project a control-line rule admits with higher approval: a project of one of ``categories`` and
    (for the protected lines) one of ``key_levels``; for the urban boundary also any stand-alone-site project."""

    categories: tuple[str, ...] = ()
    key_levels: tuple[str, ...] = ()
    standalone_site: bool = False


@dataclass(frozen=True)
class SpatialOptions:
    files: tuple[tuple[str, Path, str | None], ...] = ()  # (layer key, file, layer inside the file or None)
    county_key: str = "auto"  # county_id | adcode | auto (county_id when the layer has it, else adcode)
    area_crs: str = "auto"  # auto: the CGCS2000 3-degree Gauss-Krüger zone of the counties (EPSG:4513-4533)
    tolerance: float = 0.01  # ha: overlaps below this are digitising noise, not occupation
    cultivated_gap: float = 0.5  # share: a site's cultivated land this far from its farmland_area is a warning
    source: str = ""  # the boundaries' source, for the maps' captions
    # 土地管理法 Art. 35: national energy, transport, water and military key projects, State Council approval
    farmland_allowed: Allowed = Allowed(("infrastructure",), ("national", "provincial"))
    # 自然资发〔2022〕142号 (1)6 and the 2019 guideline: unavoidable linear infrastructure; national major projects
    redline_allowed: Allowed = Allowed(("infrastructure",), ("national",))
    # 城镇开发边界管理: outside the boundary no concentrated urban building; stand-alone-site projects only
    outside_urban_allowed: Allowed = Allowed((), (), True)

    def file(self, key: str) -> tuple[Path, str | None] | None:
        return next(((p, layer) for k, p, layer in self.files if k == key), None)


def parse_spatial(cfg) -> SpatialOptions | None:
    """The ``spatial`` block through ``quota.input.config.Config`` (every problem an issue), or None without one."""
    data = cfg.get("spatial", None)
    if data is None:
        return None
    if not isinstance(data, dict):
        return None  # Config.mapping_keys has said so
    files = []
    for key in LAYERS:
        value = data.get(key)
        if isinstance(value, tuple):  # resolved by quota.input.read
            files.append((key, value[0], value[1]))
        elif value is not None:
            cfg.err(f"spatial.{key}", "config.yaml-type.layer")
    if "counties" not in {k for k, _, _ in files}:
        if any(k != "counties" for k, _, _ in files):
            cfg.err("spatial.counties", "config.missing-key.counties_layer")
    d = SpatialOptions()
    source = cfg.text("spatial.source", "")
    return SpatialOptions(
        files=tuple(files), county_key=cfg.choice("spatial.county_key", "auto", ("auto", "county_id", "adcode")),
        area_crs=_crs_key(cfg), tolerance=cfg.number("spatial.tolerance", d.tolerance, 0, 1e4) * cfg.factor,
        cultivated_gap=cfg.number("spatial.cultivated_gap", d.cultivated_gap, 0, 1e3), source=source,
        farmland_allowed=_allowed(cfg, "farmland_allowed", d.farmland_allowed),
        redline_allowed=_allowed(cfg, "redline_allowed", d.redline_allowed),
        outside_urban_allowed=_allowed(cfg, "outside_urban_allowed", d.outside_urban_allowed))


def _crs_key(cfg) -> str:
    value = cfg.get("spatial.area_crs", "auto")
    if value == "auto":
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"EPSG:{value}"
    if not isinstance(value, str):
        cfg.err("spatial.area_crs", "config.yaml-type.crs", value=repr(value))
        return "auto"
    return value


def _allowed(cfg, key: str, default: Allowed) -> Allowed:
    base = f"spatial.{key}"
    cats = _codes(cfg, f"{base}.categories", cfg.get(f"{base}.categories", list(default.categories)),
                  lambda c: CATEGORY_ALIASES.get(c, c.lower()), CATEGORIES)
    levels = _codes(cfg, f"{base}.key_levels", cfg.get(f"{base}.key_levels", list(default.key_levels)), str.lower, KEY_LEVELS)
    standalone = cfg.boolean(f"{base}.standalone_site", default.standalone_site) if key == "outside_urban_allowed" else False
    return Allowed(tuple(cats), tuple(levels), standalone)


def _codes(cfg, key: str, value, normal, allowed) -> list[str]:
    if not isinstance(value, list):
        cfg.err(key, "config.yaml-type.list", value=repr(value), example=allowed[0])
        return []
    out = []
    for v in value:
        code = normal(str(v).strip())
        if code not in allowed:
            cfg.err(key, "config.yaml-value.word", fix="config.yaml-value.word.fix_codes", value=repr(v), allowed=", ".join(allowed))
        else:
            out.append(code)
    return out
