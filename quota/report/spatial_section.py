"""The report's spatial parts (docs/spatial.md): the county map that opens the report, the section on sites and the
control lines with its rules, and the maps placed in the county and idle-land sections. A run without ``spatial:``
gets none of them, so its report is today's.
"""
from __future__ import annotations


from . import labels as L
from .document import Section, table
from .map_labels import SECTION, SPATIAL_RULES

SITE_COLUMNS = ["project_id", "name", "county", "status", "site_area", "ecological_redline", "permanent_farmland",
                "outside_urban", "cultivated_land", "farmland_area", "spatial_exclusion", "admitted"]


def add_spatial_sections(sections: list[Section], result, tables: dict, lang: str, charts) -> list[Section]:
    s = result.scenario
    figs = {c.name.removesuffix(".png"): c for c in charts}
    if s.spatial is None or "map_allocation" not in figs:
        return sections
    T = SECTION[lang]
    opening = Section("map", T["sec_map"], [("figure", figs["map_allocation"].name, figs["map_allocation"].caption)])
    out = [opening]
    for sec in sections:
        out.append(sec)
        if sec.key == "counties":
            sec.blocks[1:1] = [("figure", figs[k].name, figs[k].caption) for k in ("map_restriction", "map_disposal") if k in figs]
        elif sec.key == "idle" and "map_idle" in figs:
            sec.blocks.insert(0, ("figure", figs["map_idle"].name, figs["map_idle"].caption))
        elif sec.key == "projects":
            out.append(sites_section(s, tables, lang, figs))
    return out


def sites_section(s, tables: dict, lang: str, figs: dict) -> Section:
    """The sites' checks: the map, the counts, the projects each check excluded or noted, and the rules cited."""
    T = SECTION[lang]
    sec = Section("spatial", T["sec_spatial"])
    sites = tables.get("sites.csv")
    if sites is None or "map_sites" not in figs:
        sec.blocks.append(("p", T["no_sites"]))
        return sec
    o = s.spatial.options
    f, u = s.unit_factor, L.UNIT[lang][s.unit]
    sec.blocks.append(("figure", figs["map_sites"].name, figs["map_sites"].caption))
    tol = o.tolerance * f
    sites = sites.reset_index(drop=True)
    p = tables["projects.csv"].set_index("project_id")
    warn = (sites["cultivated_land"].notna() & ((sites["cultivated_land"] - sites["farmland_area"]).abs() > tol)
            & ((sites["cultivated_land"] - sites["farmland_area"]).abs()
               > o.cultivated_gap * sites[["cultivated_land", "farmland_area"]].max(axis=1)))
    excl = sites["spatial_exclusion"].fillna("")
    sec.blocks.append(("p", T["spatial_intro"].format(tol=f"{tol:g}", u=u)))
    sec.blocks.append(("p", T["counts"].format(n=len(sites), red=int((excl == "ecological_redline").sum()),
                                               farm=int((excl == "permanent_farmland").sum()), out=int((excl == "outside_urban").sum()),
                                               admitted=int((sites["admitted"].fillna("") != "").sum()), warn=int(warn.sum()))))
    shown = sites[(excl != "") | (sites["admitted"].fillna("") != "") | warn].copy()
    names = tables["counties.csv"].drop_duplicates("county_id").set_index("county_id")["name"]
    shown["name"] = shown["project_id"].map(p["name"])
    shown["county"] = shown["county_id"].map(names).fillna(shown["county_id"])
    shown["status"] = shown["project_id"].map(p["status"])
    sec.blocks.append(("table", table(shown[SITE_COLUMNS], lang, s.unit, {"status": L.STATUS[lang]}, "sites.csv")))
    cats = lambda c: ("、" if lang == "zh" else ", ").join(L.CATEGORY[lang].get(x, x) for x in c) or ("无" if lang == "zh" else "none")  # noqa: E731
    levels = lambda k: ("、" if lang == "zh" else ", ").join(L.KEY_LEVEL[lang].get(x, x) for x in k) or "-"  # noqa: E731
    values = dict(farm_cats=cats(o.farmland_allowed.categories), farm_levels=levels(o.farmland_allowed.key_levels),
                  red_cats=cats(o.redline_allowed.categories), red_levels=levels(o.redline_allowed.key_levels),
                  out_cats=cats(o.outside_urban_allowed.categories), gap=o.cultivated_gap, tol=f"{tol:g}", u=u,
                  standalone=L.TEXT[lang]["yes" if o.outside_urban_allowed.standalone_site else "no"])
    sec.blocks.append(("rules", [t.format(**values) for t in SPATIAL_RULES[lang]], []))
    return sec


