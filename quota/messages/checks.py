"""Why a check of ``quota audit`` fails (or what it compared), in both languages: the summary, the re-solve, the
allocation's rules and the counties (quota.check.audit, .findings, .recompute, .recompute_sources).

A check records its message by key and fields (``Checks.add``); the audit's table prints it in the run's language
(``format_audit``). A field given as a (zh, en) pair is filled in each language with its own. The English texts are
those the audit has always printed: tests/test_forgery.py and tests/test_audit*.py match them.
"""
from __future__ import annotations

CHECKS: dict[str, dict[str, str]] = {
    # how a check compares (quota.check.findings)
    "check.unrecomputable": {"zh": "无法复算:{error}", "en": "could not be recomputed: {error}"},
    "check.at_most": {"zh": "{what}:{lhs} {op} {rhs}", "en": "{what}: {lhs} {op} {rhs}"},
    "check.column": {"zh": "`{column}`:复算为 {found},文件中为 {file}", "en": "{column}: recomputed {found}, file has {file}"},
    "check.no_column": {"zh": "无此列", "en": "no such column"},
    "check.empty": {"zh": "空", "en": "empty"},
    "check.recomputed_vs": {"zh": "复算为 {value},{file} 中为 {found}", "en": "recomputed {value}, {file} {found}"},
    # the summary and the re-solve (quota.check.audit)
    "check.status_counts": {"zh": "projects.csv 中的统计为 {counts},summary.json 为 {claimed}",
                            "en": "projects.csv counts {counts}, summary.json {claimed}"},
    "check.verification": {"zh": "checks.csv:{n} 行,其中 {bad} 行未通过;summary.json 声明 {claimed}",
                           "en": "checks.csv: {n} rows, {bad} not ok; summary.json claims {claimed}"},
    "check.no_bound": {"zh": "没有最优界,运行不能声明已证明最优", "en": "no bound, so the run may not claim a proven optimum"},
    "check.objective_bound": {"zh": "目标值 {objective},最优界 {bound}(最大化问题:任何配置的目标值都不能超过最优界)",
                              "en": "objective {objective}, bound {bound} (maximisation: the objective of an allocation cannot "
                                    "exceed the bound)"},
    "check.gap": {"zh": "summary.json 中的相对间隙为 {gap},(最优界 − 目标值)/|目标值| = {true_gap}",
                  "en": "summary.json gap {gap}, (bound − objective)/|objective| = {true_gap}"},
    "check.gap_target": {"zh": "相对间隙 {gap} 高于目标间隙 {target},而运行既无时间上限也无时间预算:求解器不会停在这里,"
                               "所以目标值或最优界并非求解器所得",
                         "en": "the gap {gap} is above the gap target {target}, and the run had no time limit nor budget: the "
                               "solver does not stop there, so the objective or the bound is not what the solver found"},
    "check.proven": {"zh": "声明在间隙 {target} 内已证明最优;实际间隙为 {gap}",
                     "en": "claims a proven optimum within the gap {target}; the gap is {gap}"},
    "check.resolve_objective": {"zh": "运行声明目标值 {objective} 与最优值的间隙在 {gap} 以内;重新求解得到目标值为 {best} 的配置{worse}",
                                "en": "the run claims {objective} within a gap of {gap} of the optimum; a re-solve finds an "
                                      "allocation worth {best}{worse}"},
    "check.resolve_worse": {"zh": ":运行的配置比其声明的差", "en": ": the run's allocation is worse than it claims"},
    "check.resolve_bound": {"zh": "运行声明任何配置的目标值都不超过 {bound};重新求解得到目标值为 {best} 的配置{false}",
                            "en": "the run claims no allocation is worth more than {bound}; a re-solve finds one worth {best}{false}"},
    "check.bound_false": {"zh": ":声明的最优界不成立", "en": ": the claimed bound is false"},
    # counties.csv (quota.check.recompute)
    "check.rows_form": {"zh": "counties.csv 为{form}{want}", "en": "counties.csv is {form}{want}"},
    "check.rows_want": {"zh": ";规则要求{form}", "en": "; the rules want it {form}"},
    "check.per_county_year": {"zh": "每县每年一行", "en": "per county and year"},
    "check.per_county": {"zh": "每县一行", "en": "per county"},
    "check.one_per_county": {"zh": "每县一行", "en": "one row per county"},
    "check.rows_differ": {"zh": "该县各年的行之间不一致:{columns}", "en": "differs between the county's year rows: {columns}"},
    "check.counties_differ": {"zh": "counties.csv 与输入数据的县不一致(一方有、另一方没有):{ids}",
                              "en": "counties.csv has {ids} that the inputs do not, or the reverse"},
    "check.stock": {"zh": "已用存量对比可用存量(usable_stock){back}", "en": "stock used vs usable_stock{back}"},
    "check.stock_back": {"zh": " + 收回的土地({parcels})", "en": " + land taken back ({parcels})"},
    "check.stock_parcel": {"zh": "{parcel} 自 {year} 年起可用", "en": "{parcel} from {year}"},
    "check.stock_by_year": {"zh": "截至 {year} 年末已用存量对比可用存量(usable_stock)+ {year} 年以前收回的土地({parcels})",
                            "en": "stock used by the end of {year} vs usable_stock + land taken back before {year} ({parcels})"},
    # allocations.csv, rule by rule (quota.check.recompute)
    "check.row_problems": {"zh": "{phase}:{problems}", "en": "{phase}: {problems}"},
    "check.unknown_phase": {"zh": "未知的项目/方案/分期", "en": "unknown project/plan/phase"},
    "check.unknown_source": {"zh": "未知的指标来源 {source}", "en": "unknown source {source}"},
    "check.negative_area": {"zh": "面积为负", "en": "negative area"},
    "check.rows_read": {"zh": "读取 {n} 行", "en": "{n} rows read"},
    "check.phase_whole": {"zh": "年份 {years},面积 {area}(应为 {need}),最早年份 {earliest}",
                          "en": "years {years}, area {area} of {need}, earliest {earliest}"},
    "check.plans": {"zh": "方案 {plans}", "en": "plans {plans}"},
    "check.phase_order": {"zh": "第 {k} 期在 {year} 年,第 {before} 期在 {prev} 年,最小间隔 {gap} 年",
                          "en": "phase {k} in {year}, phase {before} in {prev}, gap {gap}"},
    "check.never": {"zh": "(未批准)", "en": "None"},
    "check.commitment": {"zh": "第 1 期已批准,按 `commit: all` 本期须一并承诺", "en": "phase 1 approved commits this phase (commit: all)"},
    "check.higher_listed": {"zh": "规划期内的上级重点项目分期须列入配置表",
                            "en": "a higher-level key phase within the horizon is listed"},
    "check.excluded_set": {"zh": "不一致的项目:{ids}", "en": "differs on {ids}"},
    "check.excluded_allocated": {"zh": "已排除的项目(条件不具备、锁定排除或依赖已排除的项目)获得了配置",
                                 "en": "an excluded project (not ready, locked out or requiring an excluded one) has an allocation"},
    "check.higher_not_covered": {"zh": "上级不覆盖的项目使用了上级指标(higher_level)",
                                 "en": "source higher_level on a project the higher level does not cover"},
    "check.higher_in_city": {"zh": "{level}重点项目使用了{source},而该项目在市级指标之外",
                             "en": "{source} quota on a {level} key project, which is outside the city budget"},
    "check.advance_not_urgent": {"zh": "{year} 年向非急需项目预支 {area}", "en": "advance {area} in {year} on a project that is not urgent"},
    "check.stock_not_ok": {"zh": "{year} 年向不可使用存量(stock_ok)的项目配置存量 {area}",
                           "en": "stock {area} in {year} on a project without stock_ok"},
    "check.restricted_project": {"zh": "限批县 {cid}({name},原因:{cause})的项目 {pid}({category},重点级别:{level})获得新增/预支指标 "
                                       "{area};只有{exempt}项目或省级、国家级重点项目可以",
                                 "en": "{pid} ({category}, key level {level}) in restricted county {cid} ({name}, cause {cause}) "
                                       "gets {area} new/advance quota; only {exempt} or provincial/national key projects may"},
    "check.restricted_county": {"zh": "限批({cause}):新增/预支指标 {total},其中 {bad} 配置给了非豁免项目 {ids}",
                                "en": "restricted ({cause}): {total} new/advance quota, of it {bad} to non-exempt projects {ids}"},
    "check.what_city_within": {"zh": "当年新增 + 早批次预支 对比 当年指标 + 结转", "en": "new + early-batch advance of the year vs quota + carried"},
    "check.what_early_cap": {"zh": "早批次预支 对比 max_share × 上年指标", "en": "early-batch advance vs max_share × last year's quota"},
    "check.what_city": {"zh": "新增 + 归还的预支 对比 当年指标 + 结转", "en": "new + advance repaid vs quota + carried"},
    "check.what_advance_cap": {"zh": "预支 对比 max_share × 次年指标", "en": "advance drawn vs max_share × next year's quota"},
    "check.what_farmland": {"zh": "新增与预支中占用耕地部分 对比 耕地指标", "en": "farmland share of new + advance vs farmland quota"},
    "check.what_county_cap": {"zh": "新增 + 预支 对比 县级额度", "en": "new + advance vs cap"},
    "check.dependency": {"zh": "{pid} 在 {year} 年,其依赖的 {requires} 在 {when}", "en": "{pid} in {year}, requires {requires} in {when}"},
    "check.in_year": {"zh": "{year} 年", "en": "{year}"},
    "check.never_approved": {"zh": "规划期内未获批", "en": "never"},
    "check.lock_in": {"zh": "锁定纳入:第 1 期须在规划期内获批", "en": "locked in: phase 1 must be approved within the horizon"},
    "check.objective": {"zh": "复算为 {value},summary.json 中为 {reported}(容差 {tol})",
                        "en": "recomputed {value}, summary.json {reported} (tolerance {tol})"},
    "check.early_phase": {"zh": "预支 {advance}(本期面积 {need}),其他来源 {other}",
                          "en": "advance {advance} of the phase's {need}, other sources {other}"},
    "check.early_summary": {"zh": "早批次预支 {want};summary.json 中 advance_drawn 为 {drawn},advance_repaid 为 {repaid}(当年预支时应为 0),"
                                  "advance_owed 为 {owed}",
                            "en": "early batch {want}; summary.json advance_drawn {drawn}, advance_repaid {repaid} (0 under "
                                  "within-year advance), advance_owed {owed}"},
    # provincial reserve and ring-fence (quota.check.recompute_sources)
    "check.reserve_wrong": {"zh": "项目 {pid}(重点级别:{level})使用省级预留指标 {area}:只有非单独选址、未被限批、且所在年份有预留指标的"
                                  "省级重点项目可以使用",
                            "en": "{area} from the provincial reserve on {pid} (key level {level}): only provincial key projects "
                                  "that are not stand-alone-site, not shut by 限批, in a year with a reserve may draw it"},
    "check.what_reserve": {"zh": "省级预留指标使用量 对比 key_projects.province_reserve",
                           "en": "provincial reserve used vs key_projects.province_reserve"},
    "check.ring_not_poor": {"zh": "项目 {pid} 使用戴帽指标 {area},但所在县 {cid} 不是脱贫县",
                            "en": "{area} ring-fenced quota on {pid}, whose county {cid} is not a poverty county"},
    "check.what_ring": {"zh": "{name}已用戴帽指标 对比 ring_fence.per_county", "en": "ring-fenced quota used by {name} vs ring_fence.per_county"},
}
