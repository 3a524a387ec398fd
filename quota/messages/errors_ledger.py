"""Errors of the ledger's fact files (quota.ledger.tables, facts, imports) and of re-planning with the facts
(quota.replan, quota.replan_checks, quota.model.past_cells, quota.model.families.past).

Keys ``ledger.<code>[.<variant>]`` and ``replan.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``);
``<key>.hint`` is the fix. ``replan.why.*`` and ``replan.source_why.*`` are the reasons filled into them.
"""
from __future__ import annotations

_FACT = "replan.fact-contradiction."

ERRORS_LEDGER: dict[str, dict[str, str]] = {
    # quota.ledger.tables: reading a fact file
    "ledger.sheet-skipped": {"zh": "工作表名称不是事实数据表的名称,未读取。",
                             "en": "the sheet's name is not a fact table's, so it was not read."},
    "ledger.sheet-skipped.hint": {"zh": "如果它存放事实数据,把工作表命名为 {kinds} 之一(或用地批准、供地、处置、下达指标、超计划用地)。",
                                  "en": "name each fact sheet {kinds} (or 用地批准, 供地, 处置, 下达指标, 超计划用地) if it holds "
                                        "facts."},
    "ledger.no-fact-table": {"zh": "工作簿中没有一张工作表以事实数据表命名。", "en": "no sheet of the workbook is named as a fact table."},
    "ledger.no-fact-table.hint": {"zh": "把工作表命名为 {kinds}(或其中文名称);见 docs/zh/ledger.md。",
                                  "en": "name the sheets {kinds} (or their Chinese names); see docs/ledger.md."},
    "ledger.unknown-kind": {"zh": "从文件名看不出文件存放哪类事实数据。", "en": "the file name does not say which facts the file holds."},
    "ledger.unknown-kind.hint": {"zh": "按数据类别给文件命名({files}),或给出 --kind。",
                                 "en": "name the file after its kind ({files}), or give --kind."},
    "ledger.not-a-table": {"zh": "既不是 .csv 文件,也不是 .xlsx 工作簿。", "en": "is neither a .csv file nor an .xlsx workbook."},
    "ledger.not-a-table.hint": {"zh": "把表格保存为 CSV(UTF-8 或 GBK)或 .xlsx 工作簿。",
                                "en": "save the table as CSV (UTF-8 or GBK) or as an .xlsx workbook."},
    "ledger.kind-twice": {"zh": "有 {n} 张工作表存放 `{kind}` 数据({sheets})。", "en": "{n} sheets hold {kind} facts ({sheets})."},
    "ledger.kind-twice.hint": {"zh": "每类数据只保留一张工作表。", "en": "keep one sheet of each kind."},
    "ledger.empty-table": {"zh": "`{kind}` 表没有数据行。", "en": "the {kind} table has no rows."},
    "ledger.empty-table.hint": {"zh": "在表头下添加数据行,或不要导入该文件。", "en": "add the rows under the header, or leave the file out."},
    "ledger.unknown-column": {"zh": "这些列不属于 `{kind}` 表,未读取。", "en": "these columns are not part of the {kind} table and were not read."},
    "ledger.unknown-column.hint": {"zh": "`{kind}` 表的列为 {columns}。", "en": "the {kind} columns are {columns}."},
    "ledger.bad-value": {"zh": "{value} 不是有效的 `{col}`。", "en": "{value} is not a {col}."},
    "ledger.bad-value.hint": {"zh": "填写 {words} 之一。", "en": "write one of {words}."},
    "ledger.missing-column": {"zh": "事实数据表 `{table}` 没有 `{col}` 列。", "en": "the facts table {table} has no column {col}."},
    "ledger.missing-column.hint": {"zh": "用 quota.ledger(read_facts)读取事实数据,或构造含全部列的表。",
                                   "en": "read the facts with quota.ledger (read_facts) or build them with all columns."},
    # quota.ledger.imports: the rows of a fact file, and against the ledger
    "ledger.duplicate-row": {"zh": "与 {row} 的 {key} 相同:同一事实给了两次。", "en": "repeats the {key} of {row}: one fact given twice."},
    "ledger.duplicate-row.hint": {"zh": "两行只保留一行(如两行都成立,把面积相加)。",
                                  "en": "keep one of the two rows (add their areas if both hold)."},
    "ledger.date-year": {"zh": "{date} 不在该行的年份 {year} 年内。", "en": "{date} is not in the year {year} of the row."},
    "ledger.date-year.hint": {"zh": "改正日期或年份。", "en": "correct the date or the year."},
    "ledger.phase-disagrees": {"zh": "给出的是 {value},而同一期的 {row} 给出的是 {other}:一期只批准一次,只有一个方案、年份和县。",
                               "en": "gives {value} where {row}, the same phase, gives {other}: a phase is approved once, in "
                                     "one plan, year and county."},
    "ledger.phase-disagrees.hint": {"zh": "使该期各行的 `{col}` 一致。", "en": "make the {col} of the phase's rows the same."},
    "ledger.supply-before-approval.year": {"zh": "{date} 早于批准年份 {year} 年:土地在批准之后才供应。",
                                           "en": "{date} is before the approval year {year}: land is supplied after it is "
                                                 "approved."},
    "ledger.supply-before-approval.year.hint": {"zh": "改正供地日期,或其所供应的批准的年份。",
                                                "en": "correct the supply date, or the year of the approval it supplies."},
    "ledger.already-held": {"zh": "台账中已有 {what} 的 {n} 行 `{kind}` 数据(批次 {batches})。",
                            "en": "the ledger already holds {n} {kind} row(s) for {what} (batch {batches})."},
    "ledger.already-held.hint": {"zh": "加上 --replace,把这些行标记为已被取代(仍予保留)并改记文件中的行;或在文件中去掉 {what}。",
                                 "en": "add --replace to mark them superseded (they are kept) and record the file's rows "
                                       "instead; or leave {what} out of the file."},
    "ledger.approved-twice": {"zh": "{project} 第 {phase} 期已在台账中于 {year} 年批准(批次 {batch});一期只批准一次。",
                              "en": "{project} phase {phase} is already approved in {year} in the ledger (batch {batch}); a "
                                    "phase is approved once."},
    "ledger.approved-twice.hint": {"zh": "去掉这一行,或改正台账中 {year} 年的批准记录(用 `--replace` 重新导入)。",
                                   "en": "leave the row out, or correct the ledger's approvals of {year} (import them with "
                                         "--replace)."},
    "ledger.no-approval": {"zh": "台账和文件中都没有 {project} 第 {phase} 期在 {year} 年的批准记录:土地批准后才能供应。",
                           "en": "neither the ledger nor the file holds an approval of {project} phase {phase} in {year}: "
                                 "land is supplied only once approved."},
    "ledger.no-approval.plan": {"zh": "台账和文件中都没有 {project}(方案 {plan})第 {phase} 期在 {year} 年的批准记录:土地批准后才能供应。",
                                "en": "neither the ledger nor the file holds an approval of {project} (plan {plan}) phase "
                                      "{phase} in {year}: land is supplied only once approved."},
    "ledger.no-approval.hint": {"zh": "改正项目、方案、分期或年份,或先导入批准记录。",
                                "en": "correct the project, plan, phase or year, or import the approval first."},
    "ledger.supply-before-approval": {"zh": "{date} 早于批准日期 {approved}。", "en": "{date} is before the approval of {approved}."},
    "ledger.supply-before-approval.hint": {"zh": "改正供地日期。", "en": "correct the supply date."},
    "ledger.supply-exceeds": {"zh": "使 {project} 第 {phase} 期的供地面积达到 {used} 公顷,超过批准的 {area} 公顷。",
                              "en": "brings the land supplied of {project} phase {phase} to {used} ha, more than the {area} "
                                    "ha approved."},
    "ledger.supply-exceeds.hint": {"zh": "改正面积(台账中此前的供地行也计算在内)。",
                                   "en": "correct the areas (the ledger's earlier supply rows count too)."},
    # quota.replan: facts that have no place in the run (warnings)
    "replan.fact-unused.disposal": {"zh": "有 {n} 条处置事实在本次运行中用不上:按第一版合同的增存挂钩(linkage.mode 为 penalty,"
                                          "限批一次判定),处置只按 counties.csv 的考核期计算一次,不逐年计算。",
                                    "en": "{n} disposal fact(s) have no place in this run: under the first contract's "
                                          "linkage (linkage.mode penalty, restriction decided once) disposal counts once, "
                                          "from counties.csv's assessment period, not year by year."},
    "replan.fact-unused.disposal.hint": {"zh": "为新的考核期更新 counties.csv 的 unsupplied_disposed / idle_disposed,或改用逐年核算处置的"
                                               "规则集(`rules: national-2024` 或 `rules: hebei-2024`)。",
                                         "en": "update counties.csv's unsupplied_disposed / idle_disposed for a new assessment "
                                               "period, or plan under a rule set that counts disposal by year (rules: "
                                               "national-2024 or hebei-2024)."},
    "replan.fact-mapping.overplan": {"zh": "超计划用地会放宽当年的县级约束,但不能使以后年份限批:这里限批对整个规划期只判定一次"
                                           "(`restriction.dynamic` 为 `false`),依据是 counties.csv 的 `overplan`。",
                                     "en": "over-plan use widens its year's county rows, but cannot restrict a later year: "
                                           "restriction is decided once for the horizon here (restriction.dynamic false), "
                                           "from counties.csv's overplan."},
    "replan.fact-mapping.overplan.hint": {"zh": "编制新规划期时设定 counties.csv 的 `overplan`,或在 `restriction.dynamic` 为 `true` 时编制。",
                                          "en": "set counties.csv's overplan when planning a new horizon, or plan with "
                                                "restriction.dynamic true."},
    "replan.fact-unused.supply": {"zh": "有 {n} 条供地事实在本次运行中用不上:只有逐年判定限批且按供地率触发(RULES.md 第 2 项)时,"
                                        "才读取已批土地的供应情况。",
                                  "en": "{n} supply fact(s) have no place in this run: only the supply-rate trigger of "
                                        "restriction decided by year (RULES.md 2) reads the supply of approved land."},
    "replan.fact-unused.supply.hint": {"zh": "无需处理;`quota ledger status` 会列出它们。",
                                       "en": "nothing to do; `quota ledger status` shows them."},
    "replan.fact-mapping.disposal": {"zh": "disposal.csv 计划在 {first}—{last} 年处置 {planned} 公顷;台账记录的是 {recorded} 公顷,"
                                           "以台账为准(没有记录的县和年份按 0 计)。",
                                     "en": "disposal.csv planned {planned} ha of disposal in {first}–{last}; the ledger "
                                           "records {recorded} ha, which replace it (a county and year with none recorded "
                                           "counts 0)."},
    "replan.fact-mapping.disposal.hint": {"zh": "把这些年份的每一笔处置都记入台账(`quota ledger import`)。",
                                          "en": "record every disposal of those years in the ledger (`quota ledger import`)."},
    # quota.replan_checks: the facts against the scenario
    _FACT + "as_of": {"zh": "as_of {as_of} 在情景的规划期 {first}—{last} 年之外:as_of 之前的年份固定、其余年份待规划,"
                            "所以 as_of 必须是规划期内的年份。",
                      "en": "as_of {as_of} is outside the scenario's horizon {first}–{last}: the years before as_of are "
                            "fixed and the rest planned, so as_of must be a year of the horizon."},
    _FACT + "as_of.hint": {"zh": "用 {first} 至 {last} 之间的 --as-of 重新规划,或延长情景的年份。",
                           "en": "re-plan with --as-of between {first} and {last}, or extend the scenario's years."},
    _FACT + "year": {"zh": "该事实的年份 {year} 在已定的过去 {first}—{before} 年之外(scenario.yaml 的规划期为 {first}—{last} 年,"
                           "as_of 为 {as_of})。",
                     "en": "the fact's year {year} is outside the fixed past {first}–{before} (the horizon {first}–{last} "
                           "of scenario.yaml, before as_of {as_of})."},
    _FACT + "year.hint": {"zh": "只读取这个 as_of 的事实数据,或改正年份。", "en": "read the facts for this as_of only, or correct the year."},
    _FACT + "area": {"zh": "面积不是正数。", "en": "the area is not positive."},
    _FACT + "area.hint": {"zh": "改正面积。", "en": "correct the area."},
    _FACT + "county": {"zh": "县 {county} 不在 counties.csv 中。", "en": "county {county} is not in counties.csv."},
    _FACT + "county.hint": {"zh": "把该县添加到 counties.csv,或改正该事实的 county_id。",
                            "en": "add the county to counties.csv, or correct the fact's county_id."},
    _FACT + "kind": {"zh": "未知的处置方式 `{kind}`。", "en": "unknown disposal kind {kind}."},
    _FACT + "kind.hint": {"zh": "使用 {known} 之一。", "en": "use one of {known}."},
    _FACT + "twice": {"zh": "同一年(和同一县)出现在不止一行。", "en": "this year (and county) appears on more than one row."},
    _FACT + "twice.hint": {"zh": "每年(每县)只保留一行。", "en": "keep one row per year (and county)."},
    _FACT + "project": {"zh": "项目 {project} 已获批准,但已不在 projects.csv 中。",
                        "en": "project {project} was approved, but it is no longer in projects.csv."},
    _FACT + "project.hint": {"zh": "把 {project} 放回 projects.csv(批准依然有效),或改正该事实。",
                             "en": "put {project} back into projects.csv (an approval stands), or correct the fact."},
    _FACT + "plan": {"zh": "{project} 方案 {plan} 的第 {phase} 期已获批准,但 phases.csv 中没有这个方案和分期(现有 {plans})。",
                     "en": "phase {phase} of plan {plan} of {project} was approved, but phases.csv has no such plan and "
                           "phase (it has {plans})."},
    _FACT + "plan.hint": {"zh": "把 phases.csv 改为已批准的方案,或改正该事实的方案和分期。",
                          "en": "correct phases.csv to the plan approved, or the fact's plan and phase."},
    _FACT + "source": {"zh": "未知的指标来源 {source}。", "en": "unknown source {source}."},
    _FACT + "source.hint": {"zh": "使用 {known} 之一。", "en": "use one of {known}."},
    _FACT + "years": {"zh": "{project} 的第 {phase} 期在 {n} 个不同年份获批;一期只整期批准一次。",
                      "en": "phase {phase} of {project} is approved in {n} different years; a phase is approved once, whole."},
    _FACT + "years.hint": {"zh": "只保留实际批准的那一年。", "en": "keep the year it was approved in."},
    _FACT + "whole_more": {"zh": "{project} 第 {phase} 期的批准面积合计 {got} 公顷,多于 phases.csv(不分期时为 projects.csv)中"
                                 "该期面积 {want} 公顷;模型按整期批准。",
                           "en": "the approvals of phase {phase} of {project} add up to {got} ha, more than its area of "
                                 "{want} ha in phases.csv (projects.csv when unphased); the model approves phases whole."},
    _FACT + "whole_less": {"zh": "{project} 第 {phase} 期的批准面积合计 {got} 公顷,少于 phases.csv(不分期时为 projects.csv)中"
                                 "该期面积 {want} 公顷;模型按整期批准。",
                           "en": "the approvals of phase {phase} of {project} add up to {got} ha, less than its area of "
                                 "{want} ha in phases.csv (projects.csv when unphased); the model approves phases whole."},
    _FACT + "whole.hint": {"zh": "把 phases.csv 中该期的面积(及项目面积)改为实际批准的面积,或改正事实数据。",
                           "en": "correct the phase's area in phases.csv (and the project's area) to what was approved, or "
                                 "the facts."},
    _FACT + "supply_other_year": {"zh": "{project} 第 {phase} 期于 {year} 年批准的土地已供应,但批准记录显示它于 {other} 年批准。",
                                  "en": "land of phase {phase} of {project} approved in {year} was supplied, but the "
                                        "approvals have it approved in {other}."},
    _FACT + "supply_unapproved": {"zh": "{project} 第 {phase} 期于 {year} 年批准的土地已供应,但批准记录中没有这一期。",
                                  "en": "land of phase {phase} of {project} approved in {year} was supplied, but the "
                                        "approvals do not have it."},
    _FACT + "supply.hint": {"zh": "补记批准记录,或改正供地的项目、分期或年份。",
                            "en": "record the approval, or correct the supply's project, phase or year."},
    _FACT + "supply_area": {"zh": "供应 {got} 公顷,超过批准的 {approved} 公顷。", "en": "{got} ha supplied, more than the {approved} ha approved."},
    _FACT + "supply_area.hint": {"zh": "改正供地面积。", "en": "correct the supply's area."},
    # quota.model.past_cells: each approval against the model's cells
    _FACT + "higher_is": {"zh": "{project} 以 {source} 获批,但在本情景中它是不占市级指标的重点项目(key_level 为 {level})。",
                          "en": "{project} was approved on {source}, but under the scenario it is a key project outside "
                                "the city budget (key_level {level})."},
    _FACT + "higher_not": {"zh": "{project} 以 {source} 获批,但在本情景中它不是不占市级指标的重点项目(key_level 为 {level})。",
                           "en": "{project} was approved on {source}, but under the scenario it is not a key project "
                                 "outside the city budget (key_level {level})."},
    _FACT + "higher.hint": {"zh": "改正该事实的指标来源,或 projects.csv 中的 key_level。",
                            "en": "correct the fact's source, or key_level in projects.csv."},
    _FACT + "higher_year": {"zh": "上级把 {project} 的第 {phase} 期安排在 {year} 年,但模型把它安排在最早年份 {place} 年"
                                  "(phases.csv / projects.csv)。",
                            "en": "the higher level placed phase {phase} of {project} in {year}, but the model places it "
                                  "at its earliest year {place} (phases.csv / projects.csv)."},
    _FACT + "higher_year.hint": {"zh": "把第 {phase} 期的 earliest_year 设为 {year},或改正该事实的年份。",
                                 "en": "set earliest_year of phase {phase} to {year}, or correct the fact's year."},
    _FACT + "excluded": {"zh": "{project} 于 {year} 年获批,但本情景排除了它({why})。",
                         "en": "{project} was approved in {year}, but the scenario excludes it ({why})."},
    _FACT + "excluded_via": {"zh": "{project} 于 {year} 年获批,但本情景排除了它({why},经由 {via})。",
                             "en": "{project} was approved in {year}, but the scenario excludes it ({why} via {via})."},
    _FACT + "excluded.hint": {"zh": "在 projects.csv 中使该项目具备条件(`ready`、`lock` 或其所依赖的项目),或改正该事实。",
                              "en": "make the project ready (ready, lock, or what it requires) in projects.csv, or correct "
                                    "the fact."},
    "replan.why.earliest": {"zh": "其最早年份为 {earliest} 年(phases.csv / projects.csv)",
                            "en": "its earliest year is {earliest} (phases.csv / projects.csv)"},
    "replan.why.gap": {"zh": "按 min_gap {gap},第 {phase} 期不能在 {year} 年紧随其前面各期",
                       "en": "phase {phase} cannot come {year} with min_gap {gap} after its earlier phases"},
    "replan.why.restricted": {"zh": "所在县 {county} 在整个规划期限批,既不能用指标也不能用存量",
                              "en": "its county {county} is restricted (限批) for the horizon and it may draw neither quota "
                                    "nor stock"},
    _FACT + "cannot": {"zh": "{project} 的第 {phase} 期于 {year} 年获批,但模型不能在那一年批准它:{why_zh}。",
                       "en": "phase {phase} of {project} was approved in {year}, but the model cannot approve it then: "
                             "{why}."},
    _FACT + "cannot.hint": {"zh": "改正情景(earliest_year、该县的限批)或该事实。",
                            "en": "correct the scenario (earliest_year, the county's restriction) or the fact."},
    "replan.source_why.new": {"zh": "所在县限批且该项目不属豁免", "en": "its county is restricted (限批) and it is not exempt"},
    "replan.source_why.advance": {"zh": "只有急需项目在可预支的年份、且不在限批县时才能使用预支指标",
                                  "en": "only urgent projects draw advance, in the years advance may be drawn, outside "
                                        "restricted counties"},
    "replan.source_why.stock": {"zh": "只有 stock_ok 的项目、且所在县有可用存量时才能使用存量",
                                "en": "only stock_ok projects in counties with usable_stock draw stock"},
    "replan.source_why.province": {"zh": "只有非单独选址的省级重点项目、在有省级预留指标的年份才能使用",
                                   "en": "only provincial key projects that are not stand-alone-site, in years with a "
                                         "provincial reserve"},
    "replan.source_why.ring_fenced": {"zh": "只有脱贫县的项目、在 ring_fence.per_county 大于 0 时才能使用",
                                      "en": "only projects of poverty counties, when ring_fence.per_county > 0"},
    _FACT + "source_denied": {"zh": "{project} 于 {year} 年以 {source} 获批,但本情景不允许它在那时使用 {source}({why_zh})。",
                              "en": "{project} was approved in {year} on {source}, but the scenario does not let it draw "
                                    "{source} then ({why})."},
    _FACT + "source_denied.hint": {"zh": "改正该事实的指标来源,或情景中该项目的相关列(`urgent`、`stock_ok`、`county_id`)。",
                                   "en": "correct the fact's source, or the project's columns (urgent, stock_ok, county) in "
                                         "the scenario."},
    # quota.model.families.past: a constraint row the facts break
    _FACT + "row": {"zh": "{cut} 年以前的事实违反了 {family} 约束 {key}:即使以后的每项决策都取最优,其左端为 {side} 公顷,"
                          "而界限为 {bound}。",
                    "en": "the facts before {cut} break the {family} row {key}: with every later decision at its best its "
                          "left side is {side} ha against {bound}."},
    _FACT + "row.hint": {"zh": "改正事实数据或情景。", "en": "correct the facts or the scenario."},
    _FACT + "row.fix_city_quota": {"zh": "记录当年实际下达的指标(quota_issued),或改正批准记录的指标来源",
                                   "en": "record the quota actually issued that year (quota_issued), or correct the approvals' sources"},
    _FACT + "row.fix_carry_over": {"zh": "记录当年实际下达的指标(quota_issued)", "en": "record the quota actually issued that year (quota_issued)"},
    _FACT + "row.fix_county_cap": {"zh": "记录该县当年的超计划用地(overplan)", "en": "record the county's over-plan use that year (overplan)"},
    _FACT + "row.fix_earned_quota": {"zh": "记录该县当年的超计划用地(overplan)或处置",
                                     "en": "record the county's over-plan use that year (overplan), or its disposal"},
    _FACT + "row.fix_stock": {"zh": "批准动用的存量超过了 counties.csv 中的 usable_stock:请改正 usable_stock 或批准记录的指标来源",
                              "en": "the approvals drew more stock than usable_stock in counties.csv: correct usable_stock or "
                                    "the approvals' sources"},
    _FACT + "row.fix_stock_by_year": {"zh": "批准记录在收回的土地可用之前(`taken_back_on` 的次年起可用)就动用了它:请改正批准记录的指标来源或年份",
                                      "en": "the approvals drew stock before the land taken back was usable (the year after "
                                            "taken_back_on): correct the approvals' sources or years"},
    _FACT + "row.fix_phase_order": {"zh": "某期在其前一期之前获批(min_gap):请改正事实中的分期或年份",
                                    "en": "a phase was approved before the phase it follows (min_gap): correct the facts' "
                                          "phases or years"},
    _FACT + "row.fix_dependency": {"zh": "某项目在其所依赖的项目之前获批:请改正 dependencies.csv 或事实数据",
                                   "en": "a project was approved before one it requires: correct dependencies.csv or the facts"},
    _FACT + "row.fix_plan_choice": {"zh": "同一项目的两个方案都获批了:请改正 phases.csv 的方案或事实数据",
                                    "en": "two plans of one project were approved: correct phases.csv's plans or the facts"},
    _FACT + "row.fix_early_batch": {"zh": "年内预支按整期进入:请把该期的全部面积记为预支",
                                    "en": "within-year advance takes a whole phase: record the phase's whole area as advance"},
    _FACT + "row.fix_advance_cap": {"zh": "动用的预支指标超过了上限:请改正指标来源",
                                    "en": "more advance was drawn than its cap: correct the sources"},
    _FACT + "row.fix_farmland": {"zh": "改正 farmland_quota 或各期的占用耕地", "en": "correct farmland_quota or the phases' farmland"},
    _FACT + "row.fix_ring_fence": {"zh": "使用的戴帽指标超过了 per_county", "en": "more ring-fenced quota than per_county"},
    _FACT + "row.fix_province_reserve": {"zh": "使用的省级预留指标超过了 key_projects.province_reserve",
                                         "en": "more provincial reserve than key_projects.province_reserve"},
    _FACT + "row.fix_lock_in": {"zh": "锁定入选的项目已无法再获批准", "en": "the locked project can no longer be approved"},
    _FACT + "row.fix_commitment": {"zh": "已承诺的后续分期已无法再获批准", "en": "a committed later phase can no longer be approved"},
    "ledger.parcel-not-taken-back": {"zh": "在 `{kind}` 行上填写了地块 {parcel}:只有收回(`taken_back`)才按地块记录。",
                                     "en": "names the parcel {parcel} on a {kind} row: only a take-back (taken_back, 收回) is "
                                           "recorded by parcel."},
    "ledger.parcel-not-taken-back.hint": {"zh": "把 `parcel_id` 留空,或把 `kind` 写为 `taken_back`。",
                                          "en": "leave parcel_id empty, or write kind taken_back."},
    "ledger.taken-back-twice": {"zh": "地块 {parcel} 在 {other} 也记为收回:同一地块只能收回一次。",
                                "en": "the parcel {parcel} is taken back on {other} too: land is taken back once."},
    "ledger.taken-back-twice.hint": {"zh": "两行只保留一行。", "en": "keep one of the two rows."},
    "ledger.taken-back-twice.held": {"zh": "台账中已记有地块 {parcel} 于 {year} 年收回(批次 {batch}):同一地块只能收回一次。",
                               "en": "the ledger holds the parcel {parcel} as taken back in {year} (batch {batch}): land is "
                                     "taken back once."},
    "ledger.taken-back-twice.held.hint": {"zh": "删去这一行,或改正台账中 {year} 年的处置记录(用 `--replace` 重新导入)。",
                                    "en": "leave the row out, or correct the ledger's disposal of {year} (import it with --replace)."},
}
