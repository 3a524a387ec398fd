"""Every word the report prints, in zh and en: section titles, column headers with units, value
names, and the rule behind each figure with its source.

Only this module holds report wording. ``header(column, lang, unit)`` is the one way a column
header is made (label plus unit), for Markdown, HTML and Excel alike, so a test can map any
header back to its CSV column.
"""
from __future__ import annotations

LANGS = ("zh", "en")

UNIT = {"zh": {"ha": "公顷", "mu": "亩"}, "en": {"ha": "ha", "mu": "mu"}}

# ------------------------------------------------------------------ the seed ----

PLAN_TITLE = "《市县域经济高质量发展提升攻坚三年行动计划(2023—2025年)》"  # the seed document, as a bureau reader knows it
# how the report cites the clause beside each quotation, and in running text ("by the action plan's clause")
SEED_CITE = {"zh": PLAN_TITLE + "三(四)强化用地保障",
             "en": "Action plan " + PLAN_TITLE + ", clause 三(四) 强化用地保障"}
SEED_SHORT = {"zh": PLAN_TITLE + "三(四)", "en": "action plan, clause 三(四)"}
SEED_SOURCE = {
    "zh": PLAN_TITLE + "三、保障措施(四)强化用地保障",
    "en": "City action plan for county economies 2023—2025 (市县域经济高质量发展提升攻坚三年行动计划), "
          "part III (safeguards), clause (4) 强化用地保障, securing land",
}
SEED_CLAUSE = (
    "科学使用新增建设用地计划指标。坚持土地要素跟着项目走,以真实有效的项目落地作为配置计划的依据,对利于县域经济发展的优质项目,"
    "在新增建设用地计划指标上予以倾斜支持。急需开工项目可优先组卷报批,使用预支指标;对投资大、占地规模较大的重大项目,按照\"总体规划、"
    "分期建设、确保开工\"的原则,结合项目开工建设进度,采取逐步安排的方式解决用地计划,既充分保障项目建设,又切实提高指标使用率。"
    "积极盘活县域存量建设用地。继续开展批而未供和闲置土地处置专项行动,逐年减少批而未供土地和闲置总量,综合运用\"增存挂钩\"机制,"
    "对批而未供和闲置土地处置缓慢、超计划使用新增用地指标的县(市)实施建设用地限批。统筹推进低效用地再开发,进一步完善建设用地二级市场,"
    "推动土地资源高效利用。"
)
# Quotations of the clause (each a substring of SEED_CLAUSE) with an English rendering.
SEED = {
    "quota": ("科学使用新增建设用地计划指标。坚持土地要素跟着项目走,以真实有效的项目落地作为配置计划的依据",
              "Use the new construction-land quota scientifically. Land follows projects: real, effective projects that "
              "will be built are the basis for allocating the plan."),
    "tilt": ("对利于县域经济发展的优质项目,在新增建设用地计划指标上予以倾斜支持",
             "High-quality projects that benefit the county economy are favoured in the allocation of new quota."),
    "advance": ("急需开工项目可优先组卷报批,使用预支指标",
                "Projects that urgently need to start may be submitted first and use advance quota."),
    "phases": ("对投资大、占地规模较大的重大项目,按照\"总体规划、分期建设、确保开工\"的原则,结合项目开工建设进度,采取逐步安排的方式解决用地计划",
               "Major projects with large investment and land take get their land plan step by step, following "
               "\"plan as a whole, build in phases, make sure construction starts\", in step with construction progress."),
    "utilisation": ("既充分保障项目建设,又切实提高指标使用率",
                    "Both secure the projects' construction and really raise the utilisation of the quota."),
    "stock": ("积极盘活县域存量建设用地", "Actively revitalise the counties' stock of construction land."),
    "linkage": ("继续开展批而未供和闲置土地处置专项行动,逐年减少批而未供土地和闲置总量,综合运用\"增存挂钩\"机制",
                "Continue the campaign to dispose of approved-but-unsupplied and idle land, reduce both every year, "
                "and apply the mechanism linking new quota to stock disposal (增存挂钩)."),
    "restriction": ("对批而未供和闲置土地处置缓慢、超计划使用新增用地指标的县(市)实施建设用地限批",
                    "Counties that dispose of unsupplied and idle land slowly, or use new land beyond their plan, "
                    "are put under restricted approval of construction land (限批)."),
}

# ------------------------------------------------------------------- words ----

TEXT = {
    "zh": {
        "title": "新增建设用地计划指标配置报告", "contents": "目录", "illustrative": "示意数据:本情景为示意(合成)数据,不是官方统计,数字不得引用。",
        "not_proven": "注意:结果未被证明最优", "proven": "已证明最优", "rule": "依据", "seed": "政策依据",
        "no_cjk": "本机没有中文字体,图表改用编号和英文标注。安装方法:Debian/Ubuntu 运行 `apt-get install fonts-noto-cjk`,"
                  "Fedora 运行 `dnf install google-noto-sans-cjk-fonts`;macOS 与 Windows 已自带 PingFang / 微软雅黑。",
        "generated": "生成", "scenario": "情景", "unit_line": "面积单位:{u};目标值与价值单位:加权公顷(每公顷价值 w 乘以面积)。",
        "sec_headline": "概要", "sec_years": "分年度指标使用", "sec_counties": "县域增存挂钩与限批", "sec_projects": "项目配置及原因",
        "sec_value": "项目每公顷价值构成", "sec_phases": "分期项目", "sec_plans": "分期方案比较", "sec_shadow": "影子价格",
        "sec_binding": "约束松紧", "sec_cf": "反事实分析", "sec_idle": "闲置土地", "sec_idle_audit": "闲置土地审计发现",
        "idle_audit_intro": "下表列出市、县自然资源主管部门的记录与规则要求不一致之处:每条发现给出地块、县、依据条款、金额或数量和严重程度。"
                            "只对数据中有相应列的事实作出发现(例如没有 fee_levied 列时,不判断是否征收);全部见 idle_findings.csv。",
        "idle_audit_none": "未发现记录与规则要求不一致之处(只检查数据中有相应列的事实)。",
        "idle_audit_by": "各类发现", "sec_rules": "参数及其依据",
        "idle_taken_back": "规划期内收回、符合 53 号令第十四条第(二)项的土地自次年起计入本县可用存量:{parcels}。",
        "idle_taken_back_one": "{parcel}({county},{area} {u},{on} 收回)自 {year} 年起",
        "sec_verify": "独立核验", "sec_files": "文件",
        "status": "求解状态", "message": "说明", "objective": "目标值(加权公顷)", "bound": "最优界", "gap": "相对间隙", "solver": "求解器",
        "method": "方法", "utilisation": "指标使用率", "utilisation_total": "规划期指标使用率", "projects_by_status": "项目状态",
        "advance_owed": "规划期末未还预支", "verified": "独立核验", "checks_line": "{n} 项检查,{v} 项违反",
        "cf_line": "分析 {n} 个项目:{parts}", "cf_no_change": "其他项目不变", "cf_widest": ";最宽的区间 {w} 加权公顷,{k} 个在可用宽度内(1 加权公顷或上限的 10%)", "cf_rest": ";另 {m} 个项目不作分析({which})", "cf_none": "本次运行未计算反事实分析(`quota run --counterfactuals on` 可计算)。",
        "not_computed": "本次运行没有此表。", "none_rows": "无。",
        "figure": "图", "table_note_all": "共 {n} 行。", "table_note_cut": "仅列出前 {k} 行(共 {n} 行),完整表格见 {file} 和 report.xlsx。",
        "binding_rows": "紧约束(松弛量为 0)的资源约束", "family_summary": "各约束族:行数、紧约束行数",
        "rows": "行数", "binding_count": "紧约束行数", "family": "约束族",
        "shadow_nonzero": "列出固定整数决策后或线性松弛中价格非零的行;全部行见 shadow_prices.csv。",
        "files_intro": "运行目录中的文件:", "caveat": "提示",
        "rules_intro": "下表列出模型用到的每个参数:本情景的取值、默认值,以及其政策来源。标注“未核实”的为假设,保留为参数。",
        "yes": "是", "no": "否", "year": "年份", "total": "合计",
        "parameter": "参数", "value_used": "本情景取值", "default": "默认值", "origin": "来源", "checked": "核实情况",
        "confirmed": "已核实", "unconfirmed": "未核实", "model_derived": "模型推导",
        "quota_line": "计划指标(含结转)", "chart_no_data": "无数据",
        "about_sheet": "说明", "sheet": "工作表", "file": "对应文件", "column": "列名", "header": "表头",
        "kv_item": "项目", "kv_value": "值", "path": "参数键", "section": "章节", "proven_optimal": "已证明最优",
        "sec_disposal": "存量处置与挣得指标", "sec_ruleset": "规则集及其来源",
        "disposal_intro": "各县各年:基础指标、处置面积(计划处置、模型追加处置、本规划项目供应的存量)、处置挣得的指标、"
                          "可用上限与实际使用的新增与预支指标。完整表格见 counties.csv(每县每年一行)。",
        "disposal_intro_rate": "限批逐年判定时另列判定比率和当年是否限批。",
        "disposal_intro_dynamic": "各县各年:处置面积(计划处置、模型追加处置、本规划项目供应的存量)与实际使用的新增与预支指标"
                                  "(本情景不按处置挣得指标)。完整表格见 counties.csv(每县每年一行)。",
        "disposal_rule": "规则(行动计划三(四)之外的规定):非重点项目的计划指标按当年处置存量挣得(自然资发〔2020〕91号;RULES.md 第 1 项):"
                         "县 c 在 y 年使用的新增与预支指标 ≤ 基础指标 B + 挂钩比例 r × 处置面积 D,r = {ratio}{ratio_flag};"
                         "供应批而未供土地即为处置。",
        "dynamic_rule": "规则(行动计划三(四)之外的规定):限批逐县逐年判定(RULES.md 第 2、3 项):{trigger}低于 {below:.0%}{below_flag}的县当年限批;"
                        "规划期内的处置计入比率,县可通过处置解除限批。",
        "rate_supply": "近 {window} 年供地率", "rate_disposal": "处置率", "rate_supply_head": "近 {window} 年供地率",
        "rate_disposal_head": "处置率(含规划期内处置)",
        "ruleset_intro": "本情景使用规则集 {name}({title})。下表列出每个规则项在本次运行中的取值(情景覆盖的标“已覆盖”)、规则集的取值、"
                         "来源及是否核实。",
        "ruleset_unconfirmed": "以下规则的取值未经核实,是假设,保留为参数,结论须据此审慎看待:{keys}。",
        "ruleset_reported": "以下规则的取值据报道(地方实践),尚无正式文件:{keys}。",
        "rule_key": "规则项", "rule_value": "本次取值", "rule_set_value": "规则集取值", "rule_source": "来源", "rule_confirmed": "核实情况",
        "rule_note": "说明", "rule_confirmed_own": "情景自定(非规则集取值)", "overridden": "已覆盖", "reported": "据报道", "unconfirmed_flag": "(未核实)",
        "advance_early": "当年早批次预支(计入当年)",
    },
    "en": {
        "title": "New construction-land quota allocation report", "contents": "Contents",
        "illustrative": "Illustrative data: this scenario is synthetic, not official statistics; do not cite its numbers.",
        "not_proven": "Warning: the result is NOT proven optimal", "proven": "proven optimal", "rule": "Rule", "seed": "Policy source",
        "no_cjk": "No CJK font was found, so the charts use ids and English labels. To draw Chinese: Debian/Ubuntu "
                  "`apt-get install fonts-noto-cjk`, Fedora `dnf install google-noto-sans-cjk-fonts`; macOS and Windows have "
                  "PingFang / Microsoft YaHei already.",
        "generated": "generated", "scenario": "Scenario",
        "unit_line": "Areas in {u}; objective and values in value-weighted hectares (value per hectare w times area).",
        "sec_headline": "Headline figures", "sec_years": "Quota use by year", "sec_counties": "County linkage (增存挂钩) and restriction (限批)",
        "sec_projects": "Projects: allocation and reason", "sec_value": "Value per hectare of the top projects",
        "sec_phases": "Phased projects", "sec_plans": "Phasing plans compared", "sec_shadow": "Shadow prices",
        "sec_binding": "Binding constraints", "sec_cf": "Counterfactuals", "sec_idle": "Idle land (闲置土地)", "sec_idle_audit": "Idle land: the auditor's findings",
        "idle_audit_intro": "Where what the bureau recorded differs from what the rules require: each finding gives the parcel, "
                            "the county, the article, the amount at stake and a severity. A finding is made only on a fact "
                            "whose column the data has (without a fee_levied column, whether a fee was levied is not judged); "
                            "all are in idle_findings.csv.",
        "idle_audit_none": "No recorded fact differs from what the rules require (only facts whose column the data has are checked).",
        "idle_audit_by": "Findings by kind",
        "idle_taken_back": "Land taken back within the horizon that Order 53 Art. 14(2) reaches is usable stock of its county "
                           "from the next year: {parcels}.",
        "idle_taken_back_one": "{parcel} ({county}, {area} {u}, taken back on {on}) from {year}",
        "sec_rules": "Parameters and their origin", "sec_verify": "Independent verification", "sec_files": "Files",
        "status": "Status", "message": "Message", "objective": "Objective (value-weighted ha)", "bound": "Best bound",
        "gap": "Relative gap", "solver": "Solver", "method": "Method", "utilisation": "Utilisation",
        "utilisation_total": "Utilisation over the horizon", "projects_by_status": "Projects by status",
        "advance_owed": "Advance owed at the end", "verified": "Independent verification", "checks_line": "{n} checks, {v} violations",
        "cf_line": "{n} projects analysed: {parts}", "cf_no_change": "no other project changes", "cf_widest": "; widest interval {w} value-weighted ha, {k} within the width a planner can act on (1 value-weighted ha or 10% of the upper end)", "cf_rest": "; {m} more not analysed ({which})",
        "cf_none": "Counterfactuals were not computed in this run (`quota run --counterfactuals on` computes them).",
        "not_computed": "This run has no such table.", "none_rows": "None.",
        "figure": "Figure", "table_note_all": "{n} rows.",
        "table_note_cut": "The first {k} of {n} rows; the full table is in {file} and report.xlsx.",
        "binding_rows": "Binding resource constraints (slack 0)", "family_summary": "Constraint families: rows and binding rows",
        "rows": "rows", "binding_count": "binding rows", "family": "family",
        "shadow_nonzero": "Rows with a non-zero fixed-LP or relaxation price; every row is in shadow_prices.csv.",
        "files_intro": "Files in the run folder:", "caveat": "Caveat",
        "rules_intro": "Every parameter the model uses: the value in this scenario, the default, and its policy origin. "
                       "Items marked unconfirmed are assumptions and stay parameters.",
        "yes": "yes", "no": "no", "year": "Year", "total": "Total",
        "parameter": "parameter", "value_used": "value in this scenario", "default": "default", "origin": "origin",
        "checked": "status", "confirmed": "confirmed", "unconfirmed": "unconfirmed", "model_derived": "model-derived",
        "quota_line": "quota (incl. carry-over)", "chart_no_data": "no data",
        "about_sheet": "about", "sheet": "sheet", "file": "file", "column": "column", "header": "header",
        "kv_item": "item", "kv_value": "value", "path": "yaml key", "section": "section", "proven_optimal": "proven optimal",
        "sec_disposal": "Disposal of stock and earned quota", "sec_ruleset": "Rule set and sources",
        "disposal_intro": "Per county and year: the base quota, the land disposed of (planned, extra chosen by the model, stock "
                          "supplied to this plan's projects), the quota earned by disposal, the limit and the new and advance "
                          "quota used. The full table is counties.csv (one row per county and year).",
        "disposal_intro_dynamic": "Per county and year: the land disposed of (planned, extra chosen by the model, stock "
                                  "supplied to this plan's projects) and the new and advance quota used (quota is not earned "
                                  "by disposal in this scenario). The full table is counties.csv (one row per county and year).",
        "disposal_intro_rate": " With restriction decided by year, the rate behind it and whether the county is restricted that "
                               "year follow.",
        "disposal_rule": "Rule (beyond the action plan's clause 三(四)): quota for projects that are not key projects is earned by disposing of "
                         "stock (自然资发〔2020〕91号; RULES.md item 1): new and advance quota used by county c in year y ≤ base B "
                         "+ earn ratio r × disposal D, r = {ratio}{ratio_flag}; supplying unsupplied land is disposal.",
        "dynamic_rule": "Rule (beyond the action plan's clause 三(四)): restriction (限批) is decided per county and year (RULES.md items 2, 3): "
                        "a county whose {trigger} is below {below:.0%}{below_flag} is restricted that year; disposal within the "
                        "horizon counts, so a county can dispose of its way out of restriction.",
        "rate_supply": "{window}-year supply rate", "rate_disposal": "disposal rate", "rate_supply_head": "{window}-year supply rate",
        "rate_disposal_head": "disposal rate (incl. disposal in the horizon)",
        "ruleset_intro": "This scenario uses rule set {name} ({title}). Each rule key with its value in this run (keys the "
                         "scenario overrides are marked overridden), the set's value, its source and whether it is confirmed.",
        "ruleset_unconfirmed": "These rule values are NOT confirmed: they are assumptions, kept as parameters, and conclusions "
                               "resting on them need care: {keys}.",
        "ruleset_reported": "These rule values are reported (local practice) without a formal document: {keys}.",
        "rule_key": "rule key", "rule_value": "value in this run", "rule_set_value": "rule set's value", "rule_source": "source",
        "rule_confirmed": "confirmed", "rule_note": "note", "rule_confirmed_own": "set by this scenario (not the set's)", "overridden": "overridden", "reported": "reported",
        "unconfirmed_flag": " (unconfirmed)", "advance_early": "early-batch advance (charged this year)",
    },
}

STATUS = {
    "zh": {"approved": "按期获批", "deferred": "推迟获批", "partial": "部分分期获批", "rejected": "未获批", "excluded": "不符合条件",
           "higher_level": "上级重点项目"},
    "en": {"approved": "approved", "deferred": "deferred", "partial": "partial", "rejected": "rejected", "excluded": "excluded",
           "higher_level": "higher level"},
}
SOLVER_STATUS = {
    "zh": {"optimal": "最优", "feasible": "可行解(未证明最优)", "infeasible": "不可行", "unbounded": "无界", "no_solution": "无解"},
    "en": {"optimal": "optimal", "feasible": "feasible (not proven optimal)", "infeasible": "infeasible", "unbounded": "unbounded",
           "no_solution": "no solution"},
}
CATEGORY = {
    "zh": {"industry": "工业", "infrastructure": "基础设施", "livelihood": "民生", "commerce": "商服", "tourism": "文旅",
           "housing": "住宅", "other": "其他"},
    "en": {"industry": "industry", "infrastructure": "infrastructure", "livelihood": "livelihood", "commerce": "commerce",
           "tourism": "tourism", "housing": "housing", "other": "other"},
}
SOURCE = {
    "zh": {"new": "新增指标", "advance": "预支指标", "stock": "存量用地", "higher_level": "上级保障", "province": "省级预留指标",
           "ring_fenced": "脱贫县戴帽指标"},
    "en": {"new": "new quota", "advance": "advance", "stock": "stock land", "higher_level": "higher level",
           "province": "provincial reserve", "ring_fenced": "ring-fenced quota"},
}
KEY_LEVEL = {"zh": {"none": "", "city": "市级", "provincial": "省级", "national": "国家级"},
             "en": {"none": "", "city": "city", "provincial": "provincial", "national": "national"}}
CF_KIND = {"zh": {"why": "为何获批(排除后重算)", "why_not": "为何未批(纳入后重算)"},
           "en": {"why": "why approved (locked out)", "why_not": "why not (locked in)"}}
# the counterfactual results counted in the report's headline, in this order, each "n + word"
CF_COUNT = {"zh": {"solved": "{k} 个精确", "bounded": "{k} 个为区间", "essential": "{k} 个必需(无此项目则不可行)",
                   "impossible": "{k} 个无法获批", "unknown": "{k} 个时限内未得结果"},
            "en": {"solved": "{k} exact", "bounded": "{k} as intervals", "essential": "{k} essential (infeasible without it)",
                   "impossible": "{k} cannot be approved", "unknown": "{k} without a result in the time limit"}}
LIST_SEP = {"zh": "、", "en": ", "}
METHOD = {"zh": {"optimise": "优化", "factor": "因素法"}, "en": {"optimise": "optimiser", "factor": "factor method"}}
CF_RESULT = {"zh": {"solved": "精确", "bounded": "区间", "essential": "必需(无此项目则不可行)", "impossible": "无法获批",
                    "unknown": "未知(时限内无解)"},
             "en": {"solved": "exact", "bounded": "interval", "essential": "essential (infeasible without it)",
                    "impossible": "cannot be approved", "unknown": "unknown (no solution in the time limit)"}}
IDLE_CLASS = {"zh": {"not_idle": "尚未构成闲置", "started_on_time": "按期动工", "fee": "征缴闲置费",
                     "reclaim": "征费并可提请无偿收回", "government": "政府原因闲置", "taken_back": "已收回"},
              "en": {"not_idle": "not idle yet", "started_on_time": "started in time", "fee": "idle-land fee",
                     "reclaim": "fee, and taking back may be proposed", "government": "government cause",
                     "taken_back": "taken back"}}
IDLE_CAUSE = {"zh": {"enterprise": "企业原因", "government": "政府原因"}, "en": {"enterprise": "enterprise", "government": "government"}}
IDLE_KIND = {"zh": {"not_started": "未动工满一年(第二条第一款)", "halted": "已动工、中止满一年(第二条第二款)", "": ""},
             "en": {"not_started": "not started (Art. 2 ¶1)", "halted": "halted below the thresholds (Art. 2 ¶2)", "": ""}}
FINDING = {
    "zh": {"fee_not_levied": "应征未征闲置费", "fee_below_due": "闲置费少征", "fee_on_exempt": "政府原因仍征闲置费",
           "take_back_undecided": "满两年未作收回决定", "taken_back_early": "不满两年即收回", "no_evidence": "政府原因无证明材料",
           "extension_too_long": "延期或限期开发超过一年", "below_threshold": "名义动工、实属闲置(第二条第二款)"},
    "en": {"fee_not_levied": "fee due, not levied", "fee_below_due": "fee levied below the due", "fee_on_exempt":
           "fee levied on a government cause", "take_back_undecided": "two years idle, no decision on taking back",
           "taken_back_early": "taken back before two years", "no_evidence": "government cause without evidence",
           "extension_too_long": "extension or deadline beyond one year", "below_threshold": "started on paper, idle under Art. 2 ¶2"},
}
SEVERITY = {"zh": {"high": "高", "medium": "中"}, "en": {"high": "high", "medium": "medium"}}
RESTRICT_CAUSE = {"zh": {"disposal_rate": "处置率低", "overplan": "超计划用地", "disposal_rate+overplan": "处置率低且超计划用地", "": "",
                        "supply_rate": "供地率低", "supply_rate+overplan": "供地率低且超计划用地"},
                  "en": {"disposal_rate": "low disposal rate", "overplan": "over-plan use",
                         "disposal_rate+overplan": "low disposal rate and over-plan use", "": "",
                         "supply_rate": "low supply rate", "supply_rate+overplan": "low supply rate and over-plan use"}}
FAMILY = {
    "zh": {"city_quota": "市级指标", "carry_over": "结转", "advance_cap": "预支上限", "farmland": "耕地指标", "stock": "可用存量", "stock_by_year": "逐年可用存量(含收回土地)",
           "county_cap": "县级额度", "plan_choice": "方案选择", "phase_order": "分期顺序", "commitment": "分期承诺",
           "supply_split": "来源拆分", "stock_only": "限批县仅用存量", "dependency": "项目依赖", "lock_in": "锁定纳入",
           "province_reserve": "省级预留指标", "ring_fence": "脱贫县戴帽指标", "earned_quota": "县级可用指标(基础+挂钩)", "disposal": "存量处置"},
    "en": {"city_quota": "city quota", "carry_over": "carry-over", "advance_cap": "advance cap", "farmland": "farmland quota",
           "stock": "usable stock", "stock_by_year": "usable stock by year (land taken back)", "county_cap": "county cap", "plan_choice": "plan choice", "phase_order": "phase order",
           "commitment": "phasing commitment", "supply_split": "supply split", "stock_only": "stock only (restricted)",
           "dependency": "dependency", "lock_in": "lock in", "province_reserve": "provincial reserve",
           "ring_fence": "ring-fenced quota", "earned_quota": "earned quota", "disposal": "disposal"},
}
VALUE_TERMS = ("w_base", "w_investment_intensity", "w_tax_intensity", "w_jobs_intensity", "w_urgent", "w_key")

# --------------------------------------------------------------- columns ----
# column -> (zh, en, unit kind). Unit kinds: area (the scenario's unit), wan (万元), pct (a share, shown as %),
# value (value-weighted ha), per_ha (value per ha), per_unit (value per scenario unit), inv / tax / jobs (per ha),
# year(s), days, times (a multiplier), model (model units: ha or a count).

UNIT_KIND = {
    "zh": {"wan": "万元", "pct": "%", "value": "加权公顷", "per_ha": "价值/公顷", "per_unit": "价值/{u}", "inv": "万元/公顷",
           "tax": "万元/公顷·年", "jobs": "人/公顷", "years": "年", "days": "天", "times": "倍", "model": "公顷或计数"},
    "en": {"wan": "万元", "pct": "%", "value": "value-weighted ha", "per_ha": "value/ha", "per_unit": "value/{u}",
           "inv": "万元/ha", "tax": "万元/ha/yr", "jobs": "jobs/ha", "years": "years", "days": "days", "times": "×",
           "model": "ha or count"},
}

COLUMNS = {
    # allocations, shared ids
    "project_id": ("项目编号", "project id", None), "name": ("名称", "name", None), "county_id": ("县(市、区)编号", "county id", None),
    "plan": ("分期方案", "plan", None), "phase": ("分期", "phase", None), "year": ("年份", "year", None),
    "source": ("来源", "source", None), "area": ("面积", "area", "area"),
    # plan against actual (re-planning, quota.report.past_section)
    "last_plan": ("上次计划", "last plan", "area"), "actual": ("实际获批", "actual", "area"),
    "new_plan": ("本次计划", "new plan", "area"), "change": ("本次较上次", "change", "area"), "against": ("对照", "against the plan", None),
    # projects
    "category": ("类别", "category", None), "status": ("状态", "status", None), "reason": ("原因", "reason", None),
    "first_year": ("首期获批年份", "first year", None), "phase1_earliest": ("首期最早可批年份", "phase 1 earliest year", None),
    "deferral_years": ("推迟", "deferral", "years"), "discount_lost": ("推迟损失价值", "value lost to delay", "value"),
    "phases_approved": ("已批分期数", "phases approved", None), "phases_total": ("分期总数", "phases", None),
    "urgent": ("急需开工", "urgent", None), "key_level": ("重点项目级别", "key level", None), "ready": ("已就绪", "ready", None),
    "lock": ("锁定", "lock", None), "stock_ok": ("可用存量", "may use stock", None), "exclusion": ("排除原因代码", "exclusion", None),
    "exclusion_via": ("排除经由项目", "excluded via", None), "w": ("每公顷价值 w", "value w", "per_ha"),
    "w_base": ("基础值", "base", "per_ha"), "w_investment_intensity": ("投资强度项", "investment term", "per_ha"),
    "w_tax_intensity": ("地均税收项", "tax term", "per_ha"), "w_jobs_intensity": ("就业强度项", "jobs term", "per_ha"),
    "w_urgent": ("急需开工加分", "urgent bonus", "per_ha"), "w_key": ("重点项目加分", "key-project bonus", "per_ha"),
    "investment_intensity": ("投资强度", "investment intensity", "inv"), "tax_intensity": ("地均税收", "tax intensity", "tax"),
    "jobs_intensity": ("就业强度", "jobs intensity", "jobs"), "penalty_per_ha": ("挂钩罚金 π", "linkage penalty π", "per_ha"),
    "net_value_per_ha": ("每公顷净值", "net value", "per_ha"), "value": ("价值", "value", "value"),
    # counties
    "unsupplied_stock": ("批而未供存量", "unsupplied stock", "area"), "idle_stock": ("闲置存量", "idle stock", "area"),
    "unsupplied_task": ("批而未供处置任务", "unsupplied task", "area"), "idle_task": ("闲置处置任务", "idle task", "area"),
    "unsupplied_disposed": ("批而未供已处置", "unsupplied disposed", "area"), "idle_disposed": ("闲置已处置", "idle disposed", "area"),
    "usable_stock": ("可用存量", "usable stock", "area"), "overplan": ("上年超计划用地", "over-plan use last year", "area"),
    "cap_base": ("县级额度基数", "cap base", "area"), "stock_total": ("存量合计", "stock total", "area"),
    "disposed_total": ("处置合计", "disposed total", "area"), "disposal_rate": ("处置率", "disposal rate", "pct"),
    "task_total": ("任务合计", "task total", "area"), "shortfall": ("任务缺口", "task shortfall", "pct"),
    "restricted_rate": ("因处置率限批", "restricted by rate", None), "restricted_overplan": ("因超计划限批", "restricted by over-plan", None),
    "restricted": ("限批", "restricted", None), "unsupplied_task_met": ("批而未供任务完成", "unsupplied task met", None),
    "idle_task_met": ("闲置任务完成", "idle task met", None), "tasks_met": ("两项任务均完成", "both tasks met", None),
    "cap_multiplier": ("额度系数", "cap multiplier", "times"), "cap_first_year": ("首年县级额度", "cap, first year", "area"),
    "cap_later_years": ("以后各年县级额度", "cap, later years", "area"), "restrict_cause": ("限批原因", "restriction cause", None),
    "new_used": ("新增指标使用", "new quota used", "area"), "advance_used": ("预支指标使用", "advance used", "area"),
    "stock_used": ("存量使用", "stock used", "area"), "penalty_paid": ("挂钩罚金合计", "penalty paid", "value"),
    "idle_parcels": ("闲置宗地数", "idle parcels", None), "idle_fee_total": ("闲置费合计", "idle-land fees", "wan"),
    "idle_reclaim_area": ("应无偿收回面积", "area to take back", "area"),
    "ring_fenced_used": ("脱贫县戴帽指标使用", "ring-fenced quota used", "area"),  # also a year column of summary.json
    "province_reserve": ("省级预留指标", "provincial reserve", "area"), "province_used": ("省级预留指标使用", "provincial reserve used", "area"),
    # counties.csv's year columns (under a rule set: earned linkage or restriction per year; one row per county and year)
    "base": ("基础指标", "base quota", "area"), "disposal_planned": ("计划处置", "planned disposal", "area"),
    "disposal_extra": ("追加处置", "extra disposal", "area"), "disposal_stock": ("供应存量(计为处置)", "stock supplied (disposal)", "area"),
    "disposal": ("当年处置合计", "disposal in the year", "area"), "earn_ratio": ("挂钩比例", "earn ratio", "times"),
    "earned": ("处置挣得指标", "quota earned", "area"), "limit": ("可用上限(基础+挣得)", "limit (base + earned)", "area"),
    # spatial (docs/spatial.md): counties.csv's adcode and sites.csv
    "adcode": ("行政区划代码", "adcode", None), "site_kind": ("选址形式", "site kind", None), "site_area": ("选址面积", "site area", "area"),
    "ecological_redline": ("占生态保护红线", "in ecological red line", "area"),
    "permanent_farmland": ("占永久基本农田", "in permanent basic farmland", "area"),
    "outside_urban": ("城镇开发边界外", "outside urban boundary", "area"), "cultivated_land": ("占耕地", "on cultivated land", "area"),
    "outside_county": ("本县以外", "outside own county", "area"), "spatial_exclusion": ("控制线排除", "excluded by control line", None),
    "admitted": ("经允许占用", "admitted for its kind", None), "farmland_area": ("填报耕地面积", "farmland area", "area"),
    "quota_used": ("使用新增与预支指标", "quota used", "area"), "room": ("余量", "room", "area"),
    "rate": ("限批判定比率", "rate behind restriction", "pct"),
    "restricted_in_year": ("当年限批", "restricted that year", None),  # ``restricted`` is the static one, before the horizon
    # plans
    "phases": ("分期数", "phases", None), "phases_in_horizon": ("规划期内分期数", "phases in horizon", None),
    "earliest_years": ("各期最早年份", "earliest years", None), "area_in_horizon": ("规划期内用地", "area in horizon", "area"),
    "value_if_chosen": ("按最早年份估值", "value if chosen", "value"), "chosen": ("选用", "chosen", None),
    "realised_value": ("实现价值", "realised value", "value"),
    # idle parcels
    "parcel_id": ("宗地编号", "parcel id", None), "agreed_start": ("约定动工日期", "agreed start", None),
    "actual_start": ("实际动工日期", "actual start", None), "cause": ("闲置原因", "cause", None),
    "grant_price": ("出让价款", "grant price", "wan"), "idle_until": ("闲置计至", "idle until", None),
    "fee_from": ("满征费年限之日", "fee due from", None), "reclaim_from": ("满收回年限之日", "take-back from", None),
    "idle_days": ("闲置", "idle", "days"), "full_years_idle": ("闲置满", "full years idle", "years"),
    "classification": ("认定", "classification", None), "fee": ("土地闲置费", "idle-land fee", "wan"),
    "rule": ("依据", "rule", None), "alternatives": ("可选处置方式", "alternatives", None),
    "idle_kind": ("闲置类型", "kind of idleness", None), "idle_since": ("认定为闲置土地之日", "idle land since", None),
    "may_take_back": ("可提请无偿收回", "taking back may be proposed", None), "article": ("条款", "article", None),
    "stock_from": ("计入可用存量起始年份", "usable stock from", None),
    "grant_date": ("出让(划拨)日期", "grant date", None), "developed_share": ("已开发面积占比", "share developed", "pct"),
    "invested_share": ("已投资额占比", "share invested", "pct"), "halted_on": ("中止开发建设日期", "halted on", None),
    "cause_kind": ("政府原因类别", "government cause", None), "cause_evidence": ("原因说明材料", "evidence", None),
    "fee_levied": ("已征闲置费", "fee levied", "wan"), "fee_levied_on": ("征收日期", "fee levied on", None),
    "taken_back_on": ("收回日期", "taken back on", None), "keep_decided_on": ("不予收回决定日期", "decided not to take back on", None),
    "build_deadline": ("限期开发至", "deadline to build", None), "extended_on": ("延期批准日期", "extension granted on", None),
    "extended_until": ("延期至", "extended until", None),
    "finding": ("审计发现", "finding", None), "severity": ("严重程度", "severity", None), "amount": ("金额或数量", "amount", None),
    "fee_due": ("应征闲置费", "fee due", "wan"), "parcels": ("宗数", "parcels", None),
    # shadow prices
    "family": ("约束族", "family", None), "key": ("键", "key", None),
    "shadow_price_per_ha": ("影子价格(固定整数)", "shadow price (fixed LP)", "per_ha"),
    "shadow_price_per_unit": ("影子价格(固定整数)", "shadow price (fixed LP)", "per_unit"), "unit": ("单位", "unit", None),
    "binding": ("紧约束", "binding", None), "label": ("含义", "meaning", None),
    "relaxation_price_per_ha": ("松弛价格", "relaxation price", "per_ha"),
    "relaxation_price_per_unit": ("松弛价格", "relaxation price", "per_unit"),
    # constraints
    "sense": ("方向", "sense", None), "rhs": ("右端项", "rhs", "model"), "lhs": ("左端值", "lhs", "model"),
    "slack": ("松弛量", "slack", "model"), "ok": ("通过", "ok", None),
    "rhs_area": ("右端项", "rhs", "area"), "lhs_area": ("左端值", "lhs", "area"), "slack_area": ("松弛量", "slack", "area"),
    "county": ("县(市、区)", "county", None),
    # counterfactuals
    "kind": ("类型", "kind", None), "result": ("结果", "result", None), "loss_low": ("损失下限", "loss, low", "value"),
    "loss_high": ("损失上限", "loss, high", "value"), "exact": ("精确", "exact", None),
    "objective_low": ("反事实目标值下限", "objective, low", "value"), "objective_high": ("反事实目标值上限", "objective, high", "value"),
    "changed_projects": ("随之改变的项目", "projects that change", None),
    "changes": ("最优替代方案的变化(+ 改为获批,− 被挤出,~ 改期;年份,面积)", "the alternative: + approved instead, − displaced, "
                "~ moved (years, area)", None),
    # years (summary.json)
    "quota": ("计划指标", "quota", "area"), "carried_in": ("上年结转", "carried in", "area"), "available": ("可用指标", "available", "area"),
    "advance_drawn": ("预支(次年扣还)", "advance drawn", "area"),
    # advance_drawn's header under advance.mode within_year (RULES.md 5: the early batch, charged to its own year)
    "advance_early": ("当年早批次预支(计入当年)", "early-batch advance (charged this year)", "area"), "advance_repaid": ("扣还上年预支", "advance repaid", "area"),
    "charged": ("计入当年指标", "charged to quota", "area"), "higher_level": ("上级保障", "higher level", "area"),
    "unused": ("未用", "unused", "area"), "carried": ("结转下年", "carried out", "area"), "lapsed": ("失效", "lapsed", "area"),
    "utilisation": ("使用率", "utilisation", "pct"),
}
QUOTA_YEAR = ("{y} 年新增与预支", "new + advance {y}", "area")  # counties.csv quota_<year>

# sheets of report.xlsx: CSV file (or summary part) -> (zh, en) sheet name, in workbook order
SHEETS = {
    "headline": ("概要", "headline"), "years": ("分年度", "years"), "projects.csv": ("项目", "projects"),
    "allocations.csv": ("分配", "allocations"), "counties.csv": ("县域", "counties"),
    "plans.csv": ("分期方案", "plans"),
    "shadow_prices.csv": ("影子价格", "shadow prices"), "constraints.csv": ("约束", "constraints"),
    "counterfactuals.csv": ("反事实", "counterfactuals"), "idle_parcels.csv": ("闲置土地", "idle parcels"),
    "idle_findings.csv": ("闲置土地审计发现", "idle-land findings"),
    "checks.csv": ("核验", "checks"), "rule_set": ("规则集", "rule set"), "rules": ("参数依据", "parameters"), "rule_texts": ("依据条文", "rules"),
}


def unit_name(kind: str | None, lang: str, unit: str) -> str | None:
    """The unit shown in a header for a unit kind, or None."""
    if kind is None:
        return None
    if kind == "area":
        return UNIT[lang][unit]
    return UNIT_KIND[lang][kind].format(u=UNIT[lang][unit])


def column_info(column: str) -> tuple[str, str, str | None]:
    if column in COLUMNS:
        return COLUMNS[column]
    if column.startswith("quota_") and column[6:].isdigit():
        y = column[6:]
        return QUOTA_YEAR[0].format(y=y), QUOTA_YEAR[1].format(y=y), QUOTA_YEAR[2]
    return column, column, None  # a column this module does not know yet: its own name


def header(column: str, lang: str, unit: str) -> str:
    """'面积(公顷)' / 'area (ha)': the column's label with its unit."""
    zh, en, kind = column_info(column)
    text = zh if lang == "zh" else en
    u = unit_name(kind, lang, unit)
    if u is None:
        return text
    return f"{text}({u})" if lang == "zh" else f"{text} ({u})"


def kind_of(column: str) -> str | None:
    return column_info(column)[2]


# ------------------------------------------------------------------ rules ----
# Per report section: rules, each (zh, en) with format fields from ``rule_values``, and the seed
# quotations (keys of SEED) the section's figures come from.

RULES = {
    "headline": {
        "seed": ("quota", "tilt"),
        "rules": [
            ("目标:最大化获批项目的价值 Σ w_p·面积·δ^推迟年数,减去增存挂钩罚金 π 与预支成本 {adv_cost},加上存量抵扣 γ={gamma}(docs/model.md)。"
             "全部约束由独立核验程序用输出表格逐条复算(quota audit)。",
             "Objective: maximise the value of approved projects, Σ w_p·area·δ^(years deferred), less the linkage penalty π "
             "and the advance cost {adv_cost}, plus the stock credit γ = {gamma} (docs/model.md). An independent checker "
             "recomputes every constraint from the output tables (quota audit)."),
            ("只有已就绪(ready)的项目参与配置:以真实有效的项目落地作为配置依据(" + SEED_SHORT["zh"] + ")。",
             "Only ready projects take part: real, effective projects are the basis of the allocation (" + SEED_SHORT["en"] + ")."),
        ],
    },
    "years": {
        "seed": ("quota", "advance", "utilisation", "stock"),
        "rules": [
            ("计划指标为指令性指标,当年使用(新增 + 扣还上年预支)不得超过当年指标加结转(国土资源部令第66号《土地利用年度计划管理办法》第十三条;"
             "超计划批地被禁止)。", "The annual quota is mandatory: use in a year (new quota plus last year's advance repaid) may not "
             "exceed the year's quota plus carry-over (MLR Order 66 (2016), Art. 13; over-plan approval is forbidden)."),
            ("预支:急需开工项目可使用预支指标,每年预支不超过次年计划指标的 {adv_share:.0%},在次年指标中扣还(国土资源部令第66号第十条:"
             "可预支上年下达指标的 50%,在新一年指标中扣除){adv_last}。",
             "Advance (预支): urgent projects may draw advance quota, each year at most {adv_share:.0%} of next year's quota, "
             "repaid from next year's quota (Order 66, Art. 10: up to 50% of last year's quota, deducted from the new year's){adv_last}."),
            ("结转:未用指标结转下年的比例为 {carry:.0%}(默认 0,不结转:各省做法不一,安徽省未用指标由省收回);未结转的部分失效。",
             "Carry-over: {carry:.0%} of unused quota carries into the next year (default 0, none: provinces differ, and "
             "Anhui takes unused quota back); the rest lapses."),
            ("存量用地不占新增指标,先用存量、后用增量(2021 年规定),目标中每公顷存量抵扣 γ = {gamma}。",
             "Stock land needs no new quota: stock first, new quota second (2021 rules), with a credit of γ = {gamma} per hectare."),
            ("{higher}", "{higher_en}"),
            ("超计划用地:超出部分从下一年指标中\"超多少,扣多少\"(2008 年《土地利用年度计划执行情况考核办法》;自然资发〔2020〕91号)。",
             "Over-plan use is deducted one for one from the next year's quota, 超多少扣多少 (2008 assessment rules; 2020 notice 自然资发〔2020〕91号)."),
        ],
    },
    "counties": {
        "seed": ("linkage", "restriction"),
        "rules": [
            ("处置率 = (批而未供已处置 + 闲置已处置) ÷ (批而未供存量 + 闲置存量);任务缺口 = max(0, 1 − 处置合计 ÷ 任务合计)。",
             "Disposal rate = (unsupplied disposed + idle disposed) ÷ (unsupplied stock + idle stock); task shortfall = "
             "max(0, 1 − disposed ÷ tasks)."),
            ("增存挂钩:批而未供和闲置两项处置任务均完成的县,县级额度 ×(1+{bonus:.0%});任一未完成,×(1−{cut:.0%})(自然资规〔2018〕1号)。",
             "Linkage (增存挂钩): a county that met both disposal tasks gets its cap × (1 + {bonus:.0%}); missing either, "
             "× (1 − {cut:.0%}) (自然资规〔2018〕1号)."),
            ("挂钩罚金:每公顷新增或预支指标计 π = λ × 任务缺口,λ = {penalty}(无全国统一标准,为情景参数)。",
             "Linkage penalty: π = λ × shortfall per hectare of new or advance quota, λ = {penalty} (no national figure; a parameter)."),
            ("限批:处置率低于 {below:.0%}{overplan_zh}的县,非豁免项目只能使用存量用地;豁免:{exempt_zh}及省级、国家级重点项目。"
             "{below:.0%} 这一比例来自省级做法(山东 2019、宁夏 2018 的处置任务比例),不是国家法律规定。",
             "Restricted approval (限批): in a county with a disposal rate below {below:.0%}{overplan_en}, projects that are not "
             "exempt may use only stock land; exempt: {exempt_en}, and provincial or national key projects. The {below:.0%} is a "
             "provincial practice (the disposal-task ratio of Shandong 2019 and Ningxia 2018), not national law."),
            ("首年县级额度 = max(0, 额度系数 × 额度基数 − 上年超计划用地):超多少,扣多少(2008 年考核办法);以后各年为 额度系数 × 额度基数。",
             "County cap in the first year = max(0, multiplier × cap base − last year's over-plan use): 超多少扣多少 "
             "(2008 assessment rules); in later years multiplier × cap base."),
        ],
    },
    "projects": {
        "seed": ("quota", "tilt"),
        "rules": [
            ("每公顷价值 w_p = 1 + {b_inv}·z_投资强度 + {b_tax}·z_地均税收 + {b_jobs}·z_就业强度 + 急需开工加分 {urgent} + 重点项目加分"
             "(市级 {key_city},省级 {key_prov},国家级 {key_nat});z 为每公顷指标在全部合格项目中的极差标准化值(0 到 1)。权重为情景参数。",
             "Value per hectare w_p = 1 + {b_inv}·z_investment + {b_tax}·z_tax + {b_jobs}·z_jobs + urgent bonus {urgent} + "
             "key bonus (city {key_city}, provincial {key_prov}, national {key_nat}); z are per-hectare figures min-max scaled "
             "to 0–1 over all eligible projects. The weights are scenario parameters."),
            ("推迟一年,价值乘以 δ = {delta};净值 = w_p − 所在县挂钩罚金 π。每个项目的原因给出其数字:不符合条件的字段、限批县的处置率、"
             "被竞争掉时其净值与各年指标价格的比较、推迟的年数及当年为何已满。",
             "Each year of delay multiplies the value by δ = {delta}; net value = w_p − the county's penalty π. Each reason gives "
             "its figures: the failed field, the restricted county's rate, the net value against each year's price of quota "
             "when outcompeted, the years deferred and why the earlier year was full."),
            ("{higher}", "{higher_en}"),
        ],
    },
    "phases": {
        "seed": ("phases", "utilisation"),
        "rules": [
            ("分期项目按方案整体批准:各期依次批准,相邻两期间隔不少于 {gap} 年;{commit_zh}(国发〔2008〕3号\"分期供地\",该段原文未核实;"
             "全国没有规定间隔或首期比例,均为情景参数)。",
             "A phased project is approved by plan: phases in order, at least {gap} year(s) apart; {commit_en} "
             "(国发〔2008〕3号 \"分期供地\", paragraph unconfirmed; no national gap or first-phase share exists, so both are parameters)."),
        ],
    },
    "plans": {
        "seed": ("phases",),
        "rules": [
            ("方案估值 = Σ_k w_p·面积_k·δ^(y_k − 最早年份_k),各期按最早可行年份计,只计规划期内的分期;模型可能选估值较低但规划期内用地较少的方案。",
             "Plan value = Σ_k w_p·area_k·δ^(y_k − earliest_k), each phase at its earliest feasible year, counting phases within "
             "the horizon; the model may choose a plan worth less alone when it needs less quota in the horizon."),
        ],
    },
    "shadow": {
        "seed": (),
        "rules": [
            ("影子价格(固定整数):固定已选项目批准方案后重解线性规划,所得对偶值,即在已选方案下每增加 1 单位资源的价值。"
             "松弛价格:线性松弛的对偶值,即决定项目取舍的指标\"价格\"——项目每公顷净值高于其所用资源的价格时才会被选中。两者都是模型推导量,不是政策规定。",
             "Shadow price (fixed LP): the dual of the LP re-solved with the chosen approvals fixed, the value of one more unit "
             "of the resource at those approvals. Relaxation price: the dual of the LP relaxation, the price of quota that "
             "decides approvals: a project is taken when its net value per hectare covers the price of what it uses. Both are "
             "model-derived, not policy rules."),
        ],
    },
    "binding": {
        "seed": (),
        "rules": [
            ("每一行约束的松弛量见 constraints.csv(模型单位:面积为公顷,其余为计数);松弛量为 0 的是紧约束。",
             "The slack of every constraint row is in constraints.csv (model units: hectares for areas, counts otherwise); "
             "a row with zero slack is binding."),
        ],
    },
    "cf": {
        "seed": (),
        "rules": [
            ("为何获批:排除该项目后重新求解;为何未批:强制纳入该项目后重新求解。损失 = 最优值 − 反事实最优值,两者都只知道范围,"
             "故损失给出经证明的区间:下限 = 已知最好方案的目标值 − 反事实的上界,上限 = 本次运行的上界 − 反事实已知最好方案的目标值。"
             "先用线性松弛给出每个项目的上界,再修补本次方案(排除后贪心补入;纳入后放弃代价最小的项目)得到可行的替代方案,"
             "然后在时间预算内对区间最宽的项目重新求解混合整数规划。反事实本身的间隙不超过本次运行的绝对间隙时标为精确"
             "(`--counterfactuals full` 会一直算到全部精确)。\"必需\"表示没有该项目就没有可行方案(锁定或依赖)。"
             "\"最优替代方案的变化\"列出已知最好的反事实方案中改为获批(+)、被挤出(−)和改期(~)的项目及其年份和面积。"
             "方法同 prioritizr 的重要性分析。",
             "Why approved: lock the project out and re-solve; why not: lock it in and re-solve. Loss = the optimum − the "
             "counterfactual optimum; both are known within bounds, so the loss is a proven interval: low = the best allocation "
             "known − the counterfactual's bound, high = the run's bound − the best counterfactual allocation found. The LP "
             "relaxation bounds every counterfactual first; a repair of the run's allocation (locked out: the freed room filled "
             "greedily; locked in: the cheapest approvals given up) gives a feasible alternative; then the widest intervals are "
             "re-solved as MIPs within the time budget. Exact: the counterfactual's own gap is within the run's absolute gap "
             "(`--counterfactuals full` goes on until all are). \"Essential\": no allocation exists without it (a lock or a "
             "dependency). The alternative lists the projects approved instead (+), displaced (−) and moved (~) in the best "
             "counterfactual allocation found, with their years and area. As prioritizr's importance functions."),
        ],
    },
    "idle": {
        "seed": ("linkage",),
        "rules": [
            ("《闲置土地处置办法》(国土资源部令第53号,2012):超过约定动工日期满 {fee_years} 年未动工的,或已动工但开发面积不足三分之一、"
             "投资不足 25% 且中止开发建设满 {fee_years} 年的,属闲置土地(第二条);按出让或划拨价款的 {fee_rate:.0%} 征缴土地闲置费"
             "(第十四条第(一)项,法定上限 20%);满 {reclaim_years} 年的,经有批准权的人民政府批准可以无偿收回(第十四条第(二)项;"
             "城市房地产管理法第二十六条),征费与收回是两项决定;因政府原因闲置的不征费、不收回,按原因协商处置(第八条、第十二条)。"
             "收回的土地自次年起计入本县可用存量。评估日 {date}。",
             "Idle land, MLR Order 53 (2012): not started {fee_years} full year(s) after the agreed start, or started with under a "
             "third of the area developed or under 25% invested and halted {fee_years} full year(s), is idle land (Art. 2); an "
             "idle-land fee of {fee_rate:.0%} of the grant or allocation price is due (Art. 14(1), at most 20% by law); after "
             "{reclaim_years} full years it may be taken back without compensation with the approval of the government that "
             "approved the land (Art. 14(2); Urban Real Estate Law Art. 26): the fee and taking back are two decisions; idling "
             "caused by the government is exempt and disposed of by agreement, by cause (Art. 8, 12). Land taken back is usable "
             "stock of its county from the next year. Assessment date {date}."),
        ],
    },
    "idle_audit": {
        "seed": ("linkage",),
        "rules": [
            ("审计发现比较部门记录(征收的闲置费及日期、收回或不予收回的决定、延期或限期开发、政府原因的类别和证明材料)与上述规则的要求:"
             "应征未征、少征、政府原因仍征费、满两年未作决定、不满两年即收回、政府原因无证明、延期或限期开发超过一年、名义动工实属闲置。"
             "每条发现的条款列在“条款”列;`quota audit` 独立复算每一条。",
             "The findings compare what the bureau recorded (the fee levied and its date, taking back or a decision not to, an "
             "extension or a deadline to build, the kind and evidence of a government cause) with what the rules above require: "
             "a fee due and not levied, levied short, levied on a government cause; two years idle with no decision; taken back "
             "before two years; a government cause without evidence; an extension or deadline beyond one year; started on paper "
             "but idle under Art. 2 ¶2. Each finding's article is in its `article` column; `quota audit` recomputes every one."),
        ],
    },
}

HIGHER = {
    True: ("国家和省级重点项目的指标在用地报批时直接配置,不占市级指标(国土资源部令第66号第十、十二条;自然资发〔2020〕91号)。",
           "National and provincial key projects get their quota at approval from the higher level, outside the city's budget "
           "(Order 66, Art. 10 and 12; 自然资发〔2020〕91号)."),
    False: ("本情景中国家和省级重点项目占用市级指标(key_projects_outside_budget = false)。",
            "In this scenario national and provincial key projects use city quota (key_projects_outside_budget = false)."),
}
ADV_LAST = {True: ("规划期最后一年也可预支,欠款列为期末未还预支", "; the last year may draw advance too, owed beyond the horizon"),
            False: ("规划期最后一年不预支", "; none in the last year")}
OVERPLAN_CLAUSE = {True: ("或上年超计划用地", ", or with over-plan use last year,"), False: ("", "")}
NONE = ("无", "none")
ILLUSTRATIVE_MARKERS = ("示意", "illustrative")  # a scenario whose name says so gets the illustrative-data notice
CLAUSE_ID = "三(四)"  # the seed's clause id


def solver_message(summary: dict, lang: str) -> str:
    """The solver's verdict in ``lang``: ``summary.json`` keeps it in English (``message``) and Chinese (``message_zh``)."""
    if lang == "zh" and summary.get("message_zh"):
        return summary["message_zh"]
    return summary.get("message", "")


def seed_quote(zh: str, en: str, lang: str) -> str:
    """A quotation of the clause as the report shows it: the document's title and clause, then the words
    (and, in English, a rendering)."""
    return f"{SEED_CITE[lang]}:「{zh}」" + ("" if lang == "zh" else f" ({en})")
COMMIT = {"all": ("批准首期即承诺在规划期内批准其余各期", "approving phase 1 commits to the other phases within the horizon"),
          "first": ("只承诺首期,后续分期可不安排", "only phase 1 is committed; later phases may stay open")}

# the policy table: parameter -> (zh name, en name, config path, default, zh origin, en origin, confirmed?)
PARAMETERS = [
    ("unit", "面积单位", "area unit", "ha", "城市和县级计划以公顷下达;亩亦可(1 公顷 = 15 亩)", "city and county plans are issued in 公顷; mu accepted (1 ha = 15 mu)", "confirmed"),
    ("carry_over", "未用指标结转比例", "carry-over of unused quota", 0.0, "各省做法不一;安徽省未用指标由省收回", "provincial practice varies; Anhui takes unused quota back", "confirmed"),
    ("advance.max_share", "预支上限(占次年指标)", "advance cap (share of next year)", 0.5, "国土资源部令第66号(2016)第十条:最多预支上年指标的 50%,在新一年扣除", "Order 66 (2016), Art. 10: up to 50% of last year's quota, deducted from the new year", "confirmed"),
    ("key_projects_outside_budget", "重点项目不占市级指标", "key projects outside the city budget", True, "第66号令第十、十二条;2020、2024 年规定:报批时配置指标", "Order 66 Art. 10 and 12; 2020 and 2024 rules: quota assigned at approval", "confirmed"),
    ("linkage.bonus", "增存挂钩奖励", "linkage bonus", 0.10, "自然资规〔2018〕1号:两项任务均完成 +10%", "自然资规〔2018〕1号: +10% if both disposal tasks met", "confirmed"),
    ("linkage.cut", "增存挂钩扣减", "linkage cut", 0.20, "自然资规〔2018〕1号:任一任务未完成 −20%", "自然资规〔2018〕1号: −20% if either task missed", "confirmed"),
    ("overplan", "超计划用地扣减", "over-plan use deducted", "1:1", "2008 年考核办法;2020 年通知:超多少,扣多少", "2008 assessment rules; 2020 notice: 超多少扣多少", "confirmed"),
    ("linkage.restrict_below", "限批处置率门槛", "restriction threshold (disposal rate)", 0.15, "山东 2019、宁夏 2018 省级做法;15% 是省级任务比例,不是国家法律", "Shandong 2019 and Ningxia 2018 practice; the 15% is a provincial task ratio, not national law", "unconfirmed"),
    ("linkage.exempt_categories", "限批豁免类别", "exempt from restriction", "livelihood, infrastructure", "民生、基础设施(及国家、省级重点项目),各地做法", "livelihood, infrastructure (and national/provincial key projects), local practice", "confirmed"),
    ("linkage.penalty", "挂钩罚金系数 λ", "linkage penalty λ", 1.0, "无全国统一数字,为模型参数", "no national figure; a model parameter", "unconfirmed"),
    ("linkage.stock_credit", "存量抵扣 γ", "stock credit γ", 0.1, "2021 年规定:先存量后增量", "2021 rules: use stock first, new quota second", "confirmed"),
    ("idle_land.fee_rate", "土地闲置费比例", "idle-land fee rate", 0.2, "国土资源部令第53号(2012)第十四条:满 1 年未动工征 20%(法定上限)", "Order 53 (2012) Art. 14: 20% of the price after 1 year not started (the legal cap)", "confirmed"),
    ("idle_land.reclaim_years", "无偿收回年限", "years before taking back", 2, "国土资源部令第53号第十四条第(二)项:满 2 年未动工可提请无偿收回,须经有批准权的人民政府批准(城市房地产管理法第二十六条)", "Order 53 Art. 14(2): taking back may be proposed after 2 years not started, with the approving government's approval (Urban Real Estate Law Art. 26)", "confirmed"),
    ("phasing.min_gap", "分期最小间隔(年)", "min gap between phases (years)", 1, "国发〔2008〕3号\"分期供地\"(段落未核实);无全国数字", "国发〔2008〕3号 分期供地 (paragraph unconfirmed); no national numbers", "unconfirmed"),
    ("delay_discount", "推迟折扣 δ", "delay discount δ", 0.9, "模型参数:越早批准越好", "model parameter: earlier approval is better", "model_derived"),
    ("advance.cost", "预支成本", "advance cost", 0.05, "模型参数:预支须次年扣还", "model parameter: advance is repaid next year", "model_derived"),
    ("scoring.urgent_bonus", "急需开工加分", "urgent bonus", 0.5, SEED_SHORT["zh"] + ":急需开工项目可优先组卷报批", SEED_SHORT["en"] + ": urgent projects are submitted first", "model_derived"),
]

# under advance.mode within_year (RULES.md 5) the years section states the early batch instead of next year's repayment
RULES["years_within"] = {"seed": RULES["years"]["seed"], "rules": [
    ("计划指标为指令性指标,当年使用(新增 + 当年早批次预支)不得超过当年指标加结转(国土资源部令第66号第十三条;超计划批地被禁止)。",
     "The annual quota is mandatory: use in a year (new quota plus the year's early-batch advance) may not exceed the year's "
     "quota plus carry-over (MLR Order 66 (2016), Art. 13; over-plan approval is forbidden)."),
    ("年内预支(早批次):当年计划下达前,急需开工项目可整期使用预支指标,合计不超过上年指标的 {adv_share:.0%},计入当年指标、"
     "当年县级额度和耕地指标,不在次年扣还(国土资源部令第66号第十条:可预支上年下达指标的 50%,在新一年指标中扣除;2024 年要求不得寅吃卯粮)。",
     "Within-year advance (the early batch): before the year's plan arrives, urgent projects may draw advance for a whole phase, "
     "at most {adv_share:.0%} of last year's quota in all, charged to the same year's quota, county cap and farmland quota, "
     "nothing repaid next year (Order 66, Art. 10: up to 50% of last year's quota, deducted from the new year's; 2024: no "
     "borrowing from future years)."),
] + RULES["years"]["rules"][2:]}

# ----------------------------------------------------------------- charts ----
# Chart words. Charts use ``en`` whenever no CJK font is available, so the en side holds no Chinese.

CHART = {
    "zh": {
        "years_title": "分年度指标使用(按来源)", "years_y": "面积({u})", "new": "新增指标", "advance_repaid": "扣还上年预支",
        "stock": "存量用地(不占指标)", "higher_level": "上级保障(不占指标)", "advance_drawn": "当年预支(次年扣还)",
        "early_batch": "当年早批次预支(计入当年)",
        "quota": "计划指标(含结转)", "util": "使用率 {p:.1%}",
        "counties_title": "县域处置率与配置", "counties_top": "(所获配置最多的 {n} 个县,共 {total} 个;全部见 counties.csv)",
        "stock_top": "可用存量(价格最高的 {n} 个县,共 {total} 个)", "rate_x": "处置率", "alloc_x": "配置面积({u})", "threshold": "限批门槛 {t:.0%}",
        "restricted": "限批县", "not_restricted": "非限批县", "restricted_tag": "(限批:{cause})", "new_adv": "新增与预支",
        "gantt_title": "分期项目:最早可批年份与获批年份", "earliest": "最早可批", "approved": "获批", "gantt_x": "年份",
        "gantt_empty": "没有分期项目", "not_approved": "未获批",
        "value_title": "每公顷价值 w 构成(前 {n} 个项目)", "value_x": "每公顷价值 w",
        "w_base": "基础值 1", "w_investment_intensity": "投资强度", "w_tax_intensity": "地均税收", "w_jobs_intensity": "就业强度",
        "w_urgent": "急需开工", "w_key": "重点项目",
        "shadow_title": "影子价格(每{u}价值)", "shadow_y": "每{u}价值", "fixed": "固定整数后的影子价格", "relaxation": "线性松弛价格",
        "cf_title": "反事实损失区间(加权公顷)", "cf_why": "为何获批:排除后的损失", "cf_why_not": "为何未批:强制纳入的损失",
        "essential": "必需", "loss_x": "目标值损失(加权公顷)", "no_data": "无数据",
        "earned_title": "各县各年挣得与使用的指标", "earned_top": "(使用指标最多的 {n} 个县,共 {total} 个;全部见 counties.csv)",
        "earned_y": "面积({u})", "base": "基础指标", "earned": "处置挣得", "disposal": "处置面积", "used": "使用新增与预支",
        "restricted_year": "限批",
        "idle_title": "闲置土地:各县地块认定与闲置费", "idle_area_x": "面积({u})", "idle_fee_x": "闲置费(万元)",
        "fee_due": "应征", "fee_levied": "已征", "idle_classes": "各类地块面积", "idle_fees": "应征与已征闲置费",
    },
    "en": {
        "years_title": "Quota use by year and source", "years_y": "area ({u})", "new": "new quota", "advance_repaid": "last year's advance repaid",
        "stock": "stock land (no quota)", "higher_level": "higher level (no quota)", "advance_drawn": "advance drawn (repaid next year)",
        "early_batch": "early-batch advance (charged this year)",
        "quota": "quota (incl. carry-over)", "util": "utilisation {p:.1%}",
        "counties_title": "Disposal rate and allocation by county",
        "counties_top": " (the {n} counties that received most, of {total}; all in counties.csv)",
        "stock_top": "usable stock (the {n} highest-priced of {total} counties)", "rate_x": "disposal rate", "alloc_x": "allocated ({u})",
        "threshold": "restriction threshold {t:.0%}", "restricted": "restricted", "not_restricted": "not restricted",
        "restricted_tag": " (restricted: {cause})", "new_adv": "new + advance",
        "gantt_title": "Phased projects: earliest year and approval year", "earliest": "earliest", "approved": "approved",
        "gantt_x": "year", "gantt_empty": "no phased projects", "not_approved": "not approved",
        "value_title": "Composition of value per hectare w (top {n} projects)", "value_x": "value per hectare w",
        "w_base": "base 1", "w_investment_intensity": "investment", "w_tax_intensity": "tax", "w_jobs_intensity": "jobs",
        "w_urgent": "urgent", "w_key": "key project",
        "shadow_title": "Shadow prices (value per {u})", "shadow_y": "value per {u}", "fixed": "shadow price, approvals fixed", "relaxation": "LP relaxation price",
        "cf_title": "Counterfactual loss intervals (value-weighted ha)", "cf_why": "why approved: loss if locked out",
        "cf_why_not": "why not: loss if locked in", "essential": "essential", "loss_x": "objective loss (value-weighted ha)", "no_data": "no data",
        "earned_title": "Quota earned and used by county and year",
        "earned_top": " (the {n} counties that used most, of {total}; all in counties.csv)",
        "earned_y": "area ({u})", "base": "base quota", "earned": "earned by disposal", "disposal": "disposal", "used": "new + advance used",
        "restricted_year": "restricted",
        "idle_title": "Idle land: parcels by class and fees by county", "idle_area_x": "area ({u})", "idle_fee_x": "fee (10,000 yuan)",
        "fee_due": "due", "fee_levied": "levied", "idle_classes": "area by class", "idle_fees": "fees due and levied",
    },
}
CAPTION = {
    "zh": {"quota_by_year": "分年度指标使用:柱为各来源用地,折线为计划指标(含结转);新增与扣还预支之和计入当年指标。",
           "quota_by_year_within": "分年度指标使用:柱为各来源用地,折线为计划指标(含结转);新增与当年早批次预支之和计入当年指标。",
           "counties": "各县处置率(左)与所获配置(右),限批县标红;虚线为限批门槛。",
           "phases": "分期项目各期的最早可批年份与实际获批年份;字母为方案、数字为分期。",
           "value_terms": "每公顷价值 w 最高的项目,w 按各项分解。",
           "shadow_prices": "按年份的影子价格:固定整数决策后的对偶值与线性松弛价格;有价格时另列各县可用存量。",
           "earned": "各县各年:左柱为可用上限(基础指标加处置挣得的指标;未按处置挣得指标时为处置面积),右柱为使用的新增与预支指标;"
                     "限批年份标“限批”。",
           "counterfactuals": "反事实分析的损失区间:左为排除已批项目的损失,右为强制纳入未批项目的损失(最小者)。",
           "idle_audit": "闲置土地:左为各县地块按认定分类的面积,右为各县应征与已征的土地闲置费(万元)。"},
    "en": {"quota_by_year": "Quota use by year: bars are land by source, the line the quota (incl. carry-over); new quota and "
                            "last year's advance repaid are charged to the year's quota.",
           "quota_by_year_within": "Quota use by year: bars are land by source, the line the quota (incl. carry-over); new quota "
                                   "and the year's early-batch advance are charged to the year's quota.",
           "counties": "Disposal rate (left) and allocation (right) by county; restricted counties in red; the dashed line is the threshold.",
           "phases": "Each phase's earliest year against the year it was approved; letter = plan, number = phase.",
           "value_terms": "The projects with the highest value per hectare w, split into its terms.",
           "shadow_prices": "Shadow prices by year: duals with the approvals fixed, and the LP relaxation prices; and each county's usable stock where it has a price.",
           "earned": "Per county and year: left bar, the limit (base quota plus quota earned by disposal; the disposal itself "
                     "when quota is not earned), right bar, the new and advance quota used; restricted years are marked.",
           "counterfactuals": "Counterfactual loss intervals: left, locking an approved project out; right, locking a rejected "
                              "project in (the cheapest).",
           "idle_audit": "Idle land: left, each county's parcels by class (area); right, each county's idle-land fees due "
                         "against those levied (万元)."},
}
