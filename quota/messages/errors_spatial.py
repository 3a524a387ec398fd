"""Errors of the map layers (quota.spatial.layers, quota.spatial.load): a layer that cannot be read or placed, a
feature without a valid geometry or a known id, a site outside its county.

Keys ``spatial.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``); ``<key>.hint`` is the fix.
"""
from __future__ import annotations

_DELETE = {"zh": "或删除该要素", "en": "or delete the feature"}

ERRORS_SPATIAL: dict[str, dict[str, str]] = {
    "spatial.layer-unreadable": {"zh": "无法作为 GeoJSON、GeoPackage 或 Shapefile 图层读取:{error}",
                                 "en": "cannot be read as a GeoJSON, GeoPackage or Shapefile layer: {error}"},
    "spatial.layer-unreadable.hint": {"zh": "在 QGIS 中把图层导出为 GeoPackage 或 GeoJSON;GeoPackage 中的图层写作 `file.gpkg#layer`。",
                                      "en": "export the layer from QGIS as GeoPackage or GeoJSON, and name a GeoPackage's "
                                            "layer as `file.gpkg#layer`."},
    "spatial.unknown-crs.none": {"zh": "没有声明坐标参考系,其坐标无法定位或量算。",
                                 "en": "declares no coordinate reference system, so its coordinates cannot be placed or "
                                       "measured."},
    "spatial.unknown-crs.none.hint": {"zh": "连同坐标系一起保存(CGCS2000 EPSG:4490 或其高斯-克吕格投影带,如 EPSG:4526):"
                                            "在 QGIS 中依次点“图层 ▸ 设置坐标系”“导出 ▸ 要素另存为”。",
                                      "en": "save it with its CRS (CGCS2000 EPSG:4490 or its Gauss-Krüger zone, e.g. "
                                            "EPSG:4526): in QGIS, Layer ▸ Set CRS, then Export ▸ Save Features As."},
    "spatial.unknown-crs.unknown": {"zh": "声明的坐标系 {crs} 不为 PROJ 所知。", "en": "declares the CRS {crs}, which PROJ does not know."},
    "spatial.unknown-crs.unknown.hint": {"zh": "把图层保存为 EPSG:4490(CGCS2000)或 EPSG:4513–4533 高斯-克吕格投影带。",
                                         "en": "save the layer in EPSG:4490 (CGCS2000) or an EPSG:4513-4533 Gauss-Krüger zone."},
    "spatial.empty-layer": {"zh": "没有任何要素。", "en": "has no features."},
    "spatial.empty-layer.hint": {"zh": "添加 {key} 要素,或删除 `spatial.{key}`。", "en": "add the {key} features, or remove `spatial.{key}`."},
    "spatial.empty-geometry": {"zh": "没有几何图形(为空),无法在地图上定位,也无法检查。",
                               "en": "has no geometry (empty or null), so it cannot be placed on the map or checked."},
    "spatial.empty-geometry.hint": {"zh": "绘制其几何图形," + _DELETE["zh"] + "。", "en": "draw its geometry, " + _DELETE["en"] + "."},
    "spatial.geometry-type": {"zh": "是 {type};该图层只接受 {kinds_zh}。", "en": "is a {type}; this layer takes {kinds}."},
    "spatial.geometry-type.hint": {"zh": "把 {key} 保存为 `{kind}` 要素。", "en": "save the {key} as {kind} features."},
    "spatial.invalid-geometry": {"zh": "不是有效的 {type}:{reason};其面积和叠加结果都会出错。",
                                 "en": "is not a valid {type}: {reason}; its area and overlaps would be wrong."},
    "spatial.invalid-geometry.hint": {"zh": "在 QGIS 中修复(矢量 ▸ 几何工具 ▸ 修复几何图形)或用 shapely.make_valid 修复,然后重新保存文件。",
                                      "en": "repair it in QGIS (Vector ▸ Geometry Tools ▸ Fix Geometries) or with "
                                            "shapely.make_valid, and save the file again."},
    "spatial.crs-mismatch": {"zh": "按其声明的坐标系({crs})读取,坐标落在中国境外:声明的坐标系多半不是坐标实际所用的坐标系。",
                             "en": "its coordinates, read in the CRS it declares ({crs}), fall outside China: the declared "
                                   "CRS is probably not the one the coordinates are in."},
    "spatial.crs-mismatch.hint": {"zh": "设置图层真实的坐标系(QGIS:图层 ▸ 设置坐标系)后重新保存;不要做投影变换。",
                                  "en": "set the layer's real CRS (QGIS: Layer ▸ Set CRS) and save it again; do not "
                                        "reproject it."},
    "spatial.area-crs": {"zh": "{crs} 不是 PROJ 所知的投影坐标系;面积必须以米为单位量算。",
                         "en": "{crs} is not a projected CRS PROJ knows; areas must be measured in metres."},
    "spatial.area-crs.hint": {"zh": "写 `area_crs: auto`,或高斯-克吕格投影带,如 EPSG:4526。",
                              "en": "write `area_crs: auto`, or a Gauss-Krüger zone such as EPSG:4526."},
    "spatial.missing-field.counties": {"zh": "县界图层没有 {key} 字段,其要素无法与 counties.csv 对应。",
                                       "en": "the county layer has no {key} field, so its features cannot be matched to "
                                             "counties.csv."},
    "spatial.missing-field.counties.hint": {"zh": "添加存放 counties.csv 编号的 `county_id` 字段,或添加 `adcode` 字段(行政区划代码)"
                                                  "并在 counties.csv 中添加 `adcode` 列。",
                                            "en": "add a `county_id` field holding counties.csv's ids, or an `adcode` field "
                                                  "(行政区划代码) and an `adcode` column in counties.csv."},
    "spatial.missing-column.adcode": {"zh": "县界图层按行政区划代码(`adcode`)关联,但 counties.csv 没有 `adcode` 列。",
                                      "en": "the county layer is keyed by adcode, but counties.csv has no adcode column."},
    "spatial.missing-column.adcode.hint": {"zh": "添加 `adcode` 列(如平山县为 130131)。", "en": "add an `adcode` column (e.g. 130131 for 平山县)."},
    "spatial.unknown-id.county": {"zh": "{key} {value} 在 counties.csv 中没有对应的行。", "en": "{key} {value} has no row in counties.csv."},
    "spatial.unknown-id.county.hint": {"zh": "改正 {key},或把该县添加到 counties.csv," + _DELETE["zh"] + "。",
                                       "en": "correct the {key}, add the county to counties.csv, " + _DELETE["en"] + "."},
    "spatial.duplicate-id.county": {"zh": "县 {county} 有第二个边界。", "en": "county {county} has a second boundary."},
    "spatial.duplicate-id.county.hint": {"zh": "把两个要素合并为一个(QGIS:矢量 ▸ 地理处理工具 ▸ 融合),或删除其中一个。",
                                         "en": "merge the two features into one (QGIS: Vector ▸ Geoprocessing ▸ Dissolve) or "
                                               "delete one."},
    "spatial.missing-boundary": {"zh": "counties.csv 中的 {counties} 没有边界,其项目选址无法检查,地图也会出现空洞。",
                                 "en": "counties.csv's {counties} have no boundary, so their sites cannot be checked and the "
                                       "maps would have holes."},
    "spatial.missing-boundary.hint": {"zh": "把它们的边界添加到县界图层。", "en": "add their boundaries to the county layer."},
    "spatial.no-table": {"zh": "给出了地块图层,但情景没有 idle_parcels 表可以关联。",
                         "en": "parcels are given but the scenario has no idle_parcels table to key them to."},
    "spatial.no-table.hint": {"zh": "添加 idle_parcels.csv,或删除 `spatial.parcels`。", "en": "add idle_parcels.csv, or remove `spatial.parcels`."},
    "spatial.missing-field": {"zh": "该图层没有 '{key}' 字段,其要素无法与 `{table}` 对应。",
                              "en": "the layer has no '{key}' field, so its features cannot be matched to {table}."},
    "spatial.missing-field.hint": {"zh": "添加存放 `{table}` 编号的 `{key}` 字段。", "en": "add a `{key}` field holding {table}'s ids."},
    "spatial.unknown-id": {"zh": "{key} {value} 在 `{table}` 中没有对应的行。", "en": "{key} {value} has no row in {table}."},
    "spatial.unknown-id.hint": {"zh": "改正 {key},或在 `{table}` 中添加这一行," + _DELETE["zh"] + "。",
                                "en": "correct the {key}, add the row to {table}, " + _DELETE["en"] + "."},
    "spatial.duplicate-id": {"zh": "{value} 有第二个要素(第一个是第 {first} 个要素)。",
                             "en": "{value} has a second feature (the first is feature {first})."},
    "spatial.duplicate-id.hint": {"zh": "把它们合并为一个多部件要素,或删除其中一个。",
                                  "en": "merge them into one multi-part feature, or delete one."},
    "spatial.no-county": {"zh": "情景以外的地方", "en": "no county of the scenario"},
    "spatial.site-outside-county": {"zh": "选址 {site} 公顷中有 {outside} 公顷在所属县 {own}({own_name})之外;大部分位于{name_zh}。",
                                    "en": "{outside} ha of the {site} ha site lie outside its county {own} ({own_name}); most "
                                          "of it is in {name}."},
    "spatial.site-outside-county.hint": {"zh": "把选址移入所属县,或改正 projects.csv 中该项目的 county_id。",
                                         "en": "move the site into its county, or correct the project's county_id in "
                                               "projects.csv."},
    "spatial.cultivated-mismatch": {"zh": "选址覆盖耕地 {cult} 公顷,而 projects.csv 中 farmland_area 为 {farm} 公顷;"
                                          "耕地指标按 farmland_area 核减。",
                                    "en": "the site covers {cult} ha of cultivated land (耕地), but projects.csv gives "
                                          "farmland_area {farm} ha; the farmland quota is charged by farmland_area."},
    "spatial.cultivated-mismatch.hint": {"zh": "核对选址和该项目的 farmland_area。", "en": "check the site and the project's farmland_area."},
}
