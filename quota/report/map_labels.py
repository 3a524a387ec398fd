"""Words of the maps and of the spatial section of the report, in zh and en (data, as ``quota.report.labels``).

The rules quoted are those docs/spatial.md cites, each marked as confirmed from a copy of its text or as a parameter.
"""
from __future__ import annotations

MAP = {
    "zh": {"alloc_title": "各县配置用地(面积与占需求比例)", "alloc_label": "{name}\n{v:,.0f} {u}({s:.0%})", "alloc_bar": "配置用地({u})",
           "sites_title": "项目选址与三条控制线", "redline": "生态保护红线", "farmland": "永久基本农田", "cultivated": "耕地",
           "urban": "城镇开发边界", "spatial_excluded": "因控制线排除", "disposal_title": "各县处置面积(规划期合计)",
           "earned_title": "各县处置挣得的指标(规划期合计)", "restrict_title": "各县各年限批", "restricted": "限批", "free": "未限批",
           "idle_title": "闲置土地地块(按处置类别)", "north": "北", "km": "千米"},
    "en": {"alloc_title": "Land allocated by county (area and share of demand)", "alloc_label": "{name}\n{v:,.0f} {u} ({s:.0%})",
           "alloc_bar": "allocated ({u})", "sites_title": "Project sites and the control lines", "redline": "ecological red line",
           "farmland": "permanent basic farmland", "cultivated": "cultivated land", "urban": "urban development boundary",
           "spatial_excluded": "excluded by a control line", "disposal_title": "Disposal by county (whole horizon)",
           "earned_title": "Quota earned by disposal by county (whole horizon)", "restrict_title": "Restriction (限批) by county and year",
           "restricted": "restricted", "free": "not restricted", "idle_title": "Idle-land parcels by class", "north": "N", "km": "km"},
}
MAP_CAPTION = {
    "zh": {"map_allocation": "各县所获配置用地(新增、预支与存量),括号内为占本县项目用地需求的比例。",
           "map_sites": "项目选址(按状态着色,点大小示意面积)与生态保护红线、永久基本农田、耕地和城镇开发边界;因控制线排除的项目以黑边标出。",
           "map_disposal": "各县规划期内的处置面积(左)与按处置挣得的指标(右)。",
           "map_restriction": "各县各年是否限批(限批县着色)。",
           "map_idle": "闲置土地地块按《闲置土地处置办法》的分类着色。",
           "source": "边界来源:{source};坐标系 {crs}(面积按此投影计算)。"},
    "en": {"map_allocation": "Land allocated to each county (new, advance and stock), with its share of the county's project demand.",
           "map_sites": "Project sites (coloured by status, dot size by area) with the ecological red line, permanent basic farmland, "
                        "cultivated land and the urban development boundary; projects excluded by a control line are ringed in black.",
           "map_disposal": "Disposal over the horizon (left) and quota earned by disposal (right), by county.",
           "map_restriction": "Whether each county is restricted (限批) in each year (restricted counties shaded).",
           "map_idle": "Idle-land parcels by their class under Order 53.",
           "source": "Boundaries: {source}; CRS {crs} (areas measured in it)."},
}
SECTION = {
    "zh": {"sec_map": "县域配置地图", "sec_spatial": "选址与三条控制线", "no_sites": "本情景未给出项目选址,只绘制县域地图。",
           "spatial_intro": "每个有选址的项目都按下列规则检查;超出容差 {tol} {u} 的重叠即视为占用。"
                            "表中列出超过容差或给出提示的项目;全部项目见 sites.csv 与 spatial.gpkg。",
           "counts": "有选址 {n} 个项目:因生态保护红线排除 {red} 个,因永久基本农田排除 {farm} 个,因城镇开发边界排除 {out} 个;"
                     "经允许类别占用 {admitted} 个;耕地面积提示 {warn} 个。"},
    "en": {"sec_map": "County map", "sec_spatial": "Sites and the control lines", "no_sites": "The scenario gives no project sites; only county maps are drawn.",
           "spatial_intro": "Every project with a site is checked by the rules below; an overlap above the tolerance of {tol} {u} "
                            "counts as occupation. The table lists the projects above the tolerance or with a note; every "
                            "site is in sites.csv and spatial.gpkg.",
           "counts": "{n} projects have sites: {red} excluded by the ecological red line, {farm} by permanent basic farmland, {out} by "
                     "the urban development boundary; {admitted} admitted for their kind; {warn} with a cultivated-land note."},
}
SPATIAL_RULES = {  # (zh, en); {values} from docs/spatial.md's parameters
    "zh": ["永久基本农田:「永久基本农田经依法划定后,任何单位和个人不得擅自占用或者改变其用途。国家能源、交通、水利、军事设施等重点建设项目"
           "选址确实难以避让永久基本农田,涉及农用地转用或者土地征收的,必须经国务院批准。」(《土地管理法》第三十五条,已据文本副本核对)"
           "允许类别(参数 spatial.farmland_allowed):类别 {farm_cats},重点级别 {farm_levels}。",
           "生态保护红线:红线内自然保护地核心保护区外「禁止开发性、生产性建设活动」,仅允许有限人为活动,其中包括「必须且无法避让、"
           "符合县级以上国土空间规划的线性基础设施」(自然资发〔2022〕142号《关于加强生态保护红线管理的通知(试行)》,已据文本副本核对);"
           "「除国家重大项目外」(中办发〔2019〕48号《关于在国土空间规划中统筹划定落实三条控制线的指导意见》,未核对原文)。"
           "允许类别(参数 spatial.redline_allowed):类别 {red_cats},重点级别 {red_levels}。",
           "城镇开发边界:边界外「严控新增城镇建设,不得规划建设各类新城新区、开发区、非农产业园区等集中城镇建设用地」(自然资源部"
           "《城镇开发边界管理办法(试行)》,据新闻报道,未核对原文);单独选址项目不受此限。允许(参数 spatial.outside_urban_allowed):"
           "单独选址项目 {standalone},类别 {out_cats}。",
           "耕地:选址占用耕地面积与 farmland_area 相差超过 {gap:.0%}(且超过容差)时给出提示,两数并列,不影响配置。",
           "容差 {tol} {u} 为数据精度参数(数字化误差),不是法定数值。"],
    "en": ["Permanent basic farmland: \"once delimited by law, no unit or individual may occupy it or change its use without "
           "authority; national key construction projects of energy, transport, water and military facilities whose sites truly "
           "cannot avoid it need the approval of the State Council\" (Land Administration Law, Art. 35; checked against a copy of "
           "the text). Admitted (parameter spatial.farmland_allowed): categories {farm_cats}, key levels {farm_levels}.",
           "Ecological red line: outside the core zones of protected areas, \"development and production construction is "
           "prohibited\"; only limited activities are allowed, among them \"linear infrastructure that must and cannot avoid it "
           "and conforms to the spatial plan of county level or above\" (自然资发〔2022〕142号, checked against a copy); \"except "
           "national major projects\" (中办发〔2019〕48号 guideline on the three control lines; not checked against the "
           "original). Admitted (parameter spatial.redline_allowed): categories {red_cats}, key levels {red_levels}.",
           "Urban development boundary: outside it \"new urban building is strictly controlled; no new towns, development zones "
           "or non-agricultural industrial parks may be planned\" (MNR, 城镇开发边界管理办法(试行), as reported; original not "
           "checked); stand-alone-site projects are outside this rule. Admitted (parameter spatial.outside_urban_allowed): "
           "stand-alone-site projects {standalone}, categories {out_cats}.",
           "Cultivated land: a site whose cultivated land differs from its farmland_area by more than {gap:.0%} (and more than "
           "the tolerance) gets a note with both figures; the allocation is not changed.",
           "The tolerance of {tol} {u} is a data-precision parameter (digitising error), not a legal figure."],
}
