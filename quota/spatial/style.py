"""QGIS layer styles for spatial.gpkg: a categorized renderer per layer, stored in the GeoPackage's ``layer_styles``
table, which QGIS reads and applies as the default style when a layer is opened (QGIS 3).

The colours are the report's maps' (Okabe–Ito, colour-blind safe); labels are zh and en together.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.sax.saxutils import quoteattr

# layer → (field, [(value, label, fill colour "r,g,b")], label field, symbol kind)
STYLES = {
    "counties": ("restricted", [("1", "限批 restricted", "213,94,0"), ("0", "未限批 not restricted", "86,180,233")], "name", "fill"),
    "sites": ("status", [("approved", "获批 approved", "0,114,178"), ("deferred", "推迟 deferred", "86,180,233"),
                         ("partial", "部分获批 partial", "0,158,115"), ("higher_level", "上级保障 higher level", "153,153,153"),
                         ("rejected", "未获批 rejected", "230,159,0"), ("excluded", "排除 excluded", "213,94,0")], "project_id", "fill"),
    "parcels": ("classification", [("fee", "征收闲置费 fee", "230,159,0"), ("reclaim", "无偿收回 take back", "213,94,0"),
                                   ("government", "政府原因 government cause", "204,121,167"),
                                   ("not_idle", "未闲置 not idle", "0,158,115"),
                                   ("started_on_time", "按期开工 started on time", "0,114,178")], "parcel_id", "fill"),
}
STYLES["county_years"] = ("restricted_in_year", STYLES["counties"][1], "name", "fill")


def layer_qml(layer: str) -> str:
    """The QML (QGIS style XML) of one layer: categories by its field, labels by its label field."""
    field, cats, label, _ = STYLES[layer]
    categories = "".join(f'<category value={quoteattr(v)} label={quoteattr(t)} symbol="{i}" render="true"/>'
                         for i, (v, t, _) in enumerate(cats))
    symbols = "".join(
        f'<symbol type="fill" name="{i}" alpha="0.75" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" '
        f'pass="0" locked="0"><Option type="Map"><Option type="QString" name="color" value="{c},255"/>'
        '<Option type="QString" name="outline_color" value="35,35,35,255"/><Option type="QString" name="outline_width" '
        'value="0.26"/><Option type="QString" name="style" value="solid"/></Option></layer></symbol>'
        for i, (_, _, c) in enumerate(cats))
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            '<qgis version="3.28.0" styleCategories="Symbology|Labeling">'
            f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} symbollevels="0" enableorderby="0" forceraster="0">'
            f"<categories>{categories}</categories><symbols>{symbols}</symbols></renderer-v2>"
            '<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(label)} fontSize="8" isExpression="0" textColor="20,20,20,255"/>'
            '</settings></labeling></qgis>')


def write_styles(path: Path, layers: list[str]) -> None:
    """The ``layer_styles`` table (QGIS's schema, registered in ``gpkg_contents``) with a default style per layer."""
    con = sqlite3.connect(path)
    try:
        con.execute("CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
                    "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
                    "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
                    "update_time DATETIME)")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                    "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', '1970-01-01T00:00:00.000Z')")
        con.executemany("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                        "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                        "VALUES ('', '', ?, 'geom', ?, ?, '', 1, 'quota', '', NULL, '1970-01-01T00:00:00Z')",
                        [(layer, f"quota {layer}", layer_qml(layer)) for layer in layers if layer in STYLES])
        con.commit()
    finally:
        con.close()
