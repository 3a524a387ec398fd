"""Errors of the scenario's contents (quota.input.checks, quota.input.idle_checks): ids written twice or two ways,
references to nothing, phases that do not add up, dependencies in a loop, locks that cannot hold, idle parcels
whose facts contradict each other.

Keys ``checks.<code>[.<variant>]`` and ``idle.<code>[.<variant>]`` make an ``Issue`` (``Issue.of``); ``<key>.hint``
is the fix. ``checks.exclusion.*`` say why a project is excluded, filled into ``checks.lock-excluded``.
"""
from __future__ import annotations

ERRORS_CHECKS: dict[str, dict[str, str]] = {
    "checks.id-form": {"zh": "{form}(第 {lines} 行)", "en": "{form} (line{s} {lines})"},
    "checks.duplicate-id.forms": {"zh": "{shown_zh} 写法不同,但把全角、兼容和不可见字符规范化后是同一个 `{col}`({norm});"
                                        "程序会把它们当成两个。",
                                  "en": "{shown} are written differently but are the same {col} once full-width, "
                                        "compatibility and invisible characters are normalised ({norm}); quota would take "
                                        "them for two."},
    "checks.duplicate-id.forms.hint": {"zh": "每个 `{col}` 只用一种写法,用普通字符书写。",
                                       "en": "write each {col} one way only, in plain characters."},
    "checks.duplicate-id.rows": {"zh": "{value} 这一行重复了:{n} 行完全相同(第 {lines} 行)。",
                                 "en": "the row of {value} is repeated: {n} identical rows (lines {lines})."},
    "checks.duplicate-id.rows.hint": {"zh": "删除重复的行,只保留一行。", "en": "delete the repeated rows, keeping one."},
    "checks.duplicate-id.values": {"zh": "编号 {value} 出现了 {n} 次(第 {lines} 行),且各行的值不同。",
                                   "en": "the id {value} appears {n} times (lines {lines}) with different values."},
    "checks.duplicate-id.values.hint": {"zh": "给每一行一个自己的编号,或删除有误的行。",
                                        "en": "give every row its own id, or remove the rows that are wrong."},
    "checks.id-mismatch": {"zh": "{value} 与 `{table}` 表{where_zh}中的 {same} 写法不同:把全角、兼容和不可见字符规范化后是同一个编号,"
                                 "但关联时不会匹配。",
                           "en": "{value} is written differently from {same} in the {table} table{where}: they are the "
                                 "same id once full-width, compatibility and invisible characters are normalised, but a "
                                 "join would not match them."},
    "checks.id-mismatch.hint": {"zh": "按 `{table}` 表中的写法原样填写:{same}。", "en": "write it exactly as in the {table} table: {same}."},
    "checks.unknown-ref": {"zh": "{value} 不在 `{table}` 表中;关联时这一行会丢失。",
                           "en": "{value} is not in the {table} table; the row would be lost in a join."},
    "checks.unknown-ref.hint": {"zh": "把 {value} 添加到 `{table}` 表,或改正编号。", "en": "add {value} to {table}, or correct the id."},
    "checks.farmland-exceeds-area": {"zh": "占用耕地 {farmland} 大于项目面积 {area}。",
                                     "en": "farmland {farmland} is larger than the project's area {area}."},
    "checks.farmland-exceeds-area.hint": {"zh": "耕地是面积的一部分;请改正其中一个。",
                                          "en": "farmland is part of the area; correct one of them."},
    "checks.farmland-exceeds-area.phase": {"zh": "该期占用耕地 {farmland} 超过该期面积 {area}。",
                                           "en": "phase farmland {farmland} exceeds the phase area {area}."},
    "checks.farmland-exceeds-area.phase.hint": {"zh": "改正该期的占用耕地或面积。", "en": "correct the phase's farmland or area."},
    "checks.duplicate-id.phase": {"zh": "同一项目、方案和分期出现了不止一次。", "en": "this project, plan and phase appear more than once."},
    "checks.duplicate-id.phase.hint": {"zh": "每一期只保留一行。", "en": "keep one row per phase."},
    "checks.phase-numbering": {"zh": "分期编号为 {numbers};必须从 1 到 K 连续编号。",
                               "en": "the phases are numbered {numbers}; they must run 1..K without gaps."},
    "checks.phase-numbering.hint": {"zh": "把分期依次重新编号为 1、2、3……", "en": "renumber the phases 1, 2, 3, ..."},
    "checks.phase-sum": {"zh": "各期面积合计 {total},而项目面积为 {area}。",
                         "en": "the phase areas add up to {total} but the project's area is {area}."},
    "checks.phase-sum.hint": {"zh": "使每个方案各期面积之和等于项目面积。",
                              "en": "make the phases of each plan add up to the project's area."},
    "checks.phase-before-project": {"zh": "第 1 期最早可在 {year} 年开始,早于项目的最早年份 {earliest} 年。",
                                    "en": "phase 1 may start in {year}, before the project's earliest year {earliest}."},
    "checks.phase-before-project.hint": {"zh": "第 1 期不能早于项目本身;请改正其中一个年份。",
                                         "en": "phase 1 cannot come before the project itself; correct either year."},
    "checks.duplicate-row.dependency": {"zh": "{p} 依赖 {q} 写了不止一行;重复的行不起作用。",
                                        "en": "{p} requires {q} on more than one row; the repeats change nothing."},
    "checks.duplicate-row.dependency.hint": {"zh": "删除重复的行。", "en": "delete the repeated rows."},
    "checks.dependency-self": {"zh": "{p} 依赖它自己。", "en": "{p} requires itself."},
    "checks.dependency-self.hint": {"zh": "删除这一行。", "en": "remove the row."},
    "checks.dependency-cycle": {"zh": "依赖关系形成循环:{path};这些项目中没有一个能先行安排。",
                                "en": "the dependencies form a cycle: {path}; none of these projects could come first."},
    "checks.dependency-cycle.hint": {"zh": "去掉循环中的一条依赖。", "en": "remove one dependency of the cycle."},
    "checks.idle-mismatch.strict": {"zh": "闲置存量 idle_stock 为 {stock} {unit},但 {label} 中该县在认定基准日被认定为闲置的地块"
                                          "(征缴闲置费、收回或政府原因;未动工满一年,或低于第二条第二款标准且中止满一年;未收回)"
                                          "合计 {idle} {unit}(列出的全部地块:{every});处置逐年核算时,只有闲置土地才算闲置存量。",
                                    "en": "idle_stock is {stock} {unit}, but its parcels classed as idle (fee, reclaim or "
                                          "government; not started a full year, or halted below the Art. 2 ¶2 thresholds; "
                                          "not taken back) at the assessment date in {label} add up to {idle} {unit} (all "
                                          "its listed parcels: {every}); where disposal is counted year by year only idle "
                                          "land is idle stock."},
    "checks.idle-mismatch.strict.hint": {"zh": "使该县的 idle_stock 等于这个合计,或改正地块数据(运行文件夹中的 idle_parcels.csv "
                                               "列出每个地块的认定类别)。",
                                         "en": "make the county's idle_stock equal that sum, or correct the parcels "
                                               "(idle_parcels.csv in the run folder shows each parcel's class)."},
    "checks.idle-mismatch.either": {"zh": "闲置存量 idle_stock 为 {stock} {unit},但 {label} 中该县的地块合计 {every} {unit}"
                                          "(其中认定为闲置的:{idle} {unit})。",
                                    "en": "idle_stock is {stock} {unit}, but the county's parcels in {label} add up to {every} "
                                          "{unit} (those classed as idle: {idle} {unit})."},
    "checks.idle-mismatch.either.hint": {"zh": "使该县的 idle_stock 等于其地块(或其中认定为闲置的地块)面积之和,或改正地块数据。",
                                         "en": "make the county's idle_stock equal the sum of its parcels (or of those "
                                               "classed idle), or correct the parcels."},
    "checks.exclusion.dependency": {"zh": "它(直接或经由依赖链)依赖已被排除的 {via}",
                                    "en": "it requires {via} (directly or through a chain), which is excluded"},
    "checks.exclusion.not_ready": {"zh": "它尚不具备开工条件", "en": "it is not ready"},
    "checks.exclusion.lock_out": {"zh": "它被锁定不选", "en": "it is locked out"},
    "checks.exclusion.ecological_redline": {"zh": "其选址与生态保护红线重叠(见 docs/zh/spatial.md)",
                                            "en": "its site overlaps the ecological red line (docs/spatial.md)"},
    "checks.exclusion.permanent_farmland": {"zh": "其选址与永久基本农田重叠(见 docs/zh/spatial.md)",
                                            "en": "its site overlaps permanent basic farmland (docs/spatial.md)"},
    "checks.exclusion.outside_urban": {"zh": "其选址在城镇开发边界之外(见 docs/zh/spatial.md)",
                                       "en": "its site lies outside the urban development boundary (docs/spatial.md)"},
    "checks.lock-not-ready": {"zh": "被锁定入选,但尚不具备开工条件;只有具备条件的项目才能获批。",
                              "en": "is locked in but not ready; only ready projects can be approved."},
    "checks.lock-not-ready.hint": {"zh": "把 `ready` 设为是,或取消锁定。", "en": "set ready to true, or clear the lock."},
    "checks.lock-excluded": {"zh": "被锁定入选,但已被排除:{why_zh}。", "en": "is locked in but excluded: {why}."},
    "checks.lock-excluded.hint": {"zh": "取消锁定,或使所依赖的项目符合条件。", "en": "clear the lock, or make the required projects eligible."},
    "checks.lock-beyond-horizon": {"zh": "被锁定入选,但其第一期最早要到 {first} 年才能开始,晚于规划期末年 {last} 年。",
                                   "en": "is locked in but its first phase cannot start before {first}, after the horizon "
                                         "ends in {last}."},
    "checks.lock-beyond-horizon.hint": {"zh": "取消锁定,或把最早年份提前到规划期内。",
                                        "en": "clear the lock, or bring the earliest year into the horizon."},
    "checks.higher-level-plans": {"zh": "省级或国家级重点项目由上级安排,只能有一个方案。",
                                  "en": "a provincial or national key project is placed by the higher level and must have "
                                        "exactly one plan."},
    "checks.higher-level-plans.hint": {"zh": "该项目只保留一个方案。", "en": "keep one plan for this project."},
    # quota.input.idle_checks: the facts of an idle parcel
    "idle.idle-fact.agreed_before_grant": {"zh": "约定开工日期 {agreed} 早于供地日期 {grant}:合同不会约定在签订之前开工。",
                                           "en": "the agreed start {agreed} is before the grant {grant}: no contract agrees a "
                                                 "start before it is made."},
    "idle.idle-fact.agreed_before_grant.hint": {"zh": "改正 agreed_start 或 grant_date。", "en": "correct agreed_start or grant_date."},
    "idle.idle-fact.start_before_grant": {"zh": "实际开工日期 {start} 早于供地日期 {grant}:那时土地还不归用地者。",
                                          "en": "the actual start {start} is before the grant {grant}: the land was not the "
                                                "user's yet."},
    "idle.idle-fact.start_before_grant.hint": {"zh": "改正 actual_start 或 grant_date。", "en": "correct actual_start or grant_date."},
    "idle.idle-fact.halted_unstarted": {"zh": "于 {halt} 中止开发,但该地块没有实际开工日期:只有已开工的土地才谈得上中止。",
                                        "en": "halted on {halt}, but the parcel has no actual start: only started land can be "
                                              "halted."},
    "idle.idle-fact.halted_unstarted.hint": {"zh": "填写 actual_start,或让 halted_on 留空(从未开工的地块按第二条第一款认定闲置)。",
                                             "en": "give actual_start, or leave halted_on empty (a parcel never started is "
                                                   "idle under Art. 2 ¶1)."},
    "idle.idle-fact.halted_before_start": {"zh": "于 {halt} 中止开发,早于其实际开工日期 {start}。",
                                           "en": "halted on {halt}, before its actual start {start}."},
    "idle.idle-fact.halted_before_start.hint": {"zh": "改正 halted_on 或 actual_start。", "en": "correct halted_on or actual_start."},
    "idle.idle-fact.halted_no_share": {"zh": "该地块已中止开发(自 {halt} 起),但没有给出 `{col}`,无法判断是否符合 53 号令第二条第二款"
                                             "(开发面积不足三分之一或投资额不足 25%,且中止开发满一年)。",
                                       "en": "the parcel is halted (since {halt}) but its {col} is not given, so Order 53 Art. "
                                             "2 ¶2 (under 1/3 developed or 25% invested, halted a full year) cannot be tested."},
    "idle.idle-fact.halted_no_share.hint": {"zh": "把 `{col}` 写成 0 到 1 之间的比例。", "en": "give the {col} as a fraction between 0 and 1."},
    "idle.idle-fact.share_unstarted": {"zh": "给出了已开发或已投资的比例,但该地块没有实际开工日期。",
                                       "en": "a share developed or invested is given, but the parcel has no actual start."},
    "idle.idle-fact.share_unstarted.hint": {"zh": "填写 actual_start,或让这两个比例留空。",
                                            "en": "give actual_start, or leave the shares empty."},
    "idle.idle-fact.enterprise": {"zh": "给出了 `{col}`,但闲置原因是企业原因:这一项属于政府原因(53 号令第八条、第十二条)。",
                                  "en": "{col} is given but the cause is enterprise: it belongs to a government cause "
                                        "(Order 53 Art. 8, 12)."},
    "idle.idle-fact.enterprise.fix_extension": {"zh": "企业原因造成闲置的地块,限期开发的期限写在 build_deadline 中,并填写 keep_decided_on。",
                                                "en": "for an enterprise-caused parcel a deadline to build is build_deadline "
                                                      "(限期开发), with keep_decided_on."},
    "idle.idle-fact.enterprise.fix_cause": {"zh": "把 `cause` 改为 `government`(政府原因),或让该单元格留空。",
                                            "en": "write cause government, or leave the cell empty."},
    "idle.idle-fact.fee_no_date": {"zh": "征缴了 {fee} 万元闲置费,但没有征缴日期。",
                                   "en": "a fee of {fee} 万元 is levied without the date it was levied."},
    "idle.idle-fact.fee_no_date.hint": {"zh": "填写 fee_levied_on。", "en": "give fee_levied_on."},
    "idle.idle-fact.fee_no_amount": {"zh": "于 {date} 征缴闲置费,但没有金额。", "en": "a fee is levied on {date} without its amount."},
    "idle.idle-fact.fee_no_amount.hint": {"zh": "填写 fee_levied(万元),或让 fee_levied_on 留空。",
                                          "en": "give fee_levied in 万元, or leave fee_levied_on empty."},
    "idle.idle-fact.extension_half": {"zh": "给出了 {a} 却没有 {b}:延长开发期限(53 号令第十二条第一项)是在某日批准、延至某日。",
                                      "en": "{a} is given without {b}: an extension (Order 53 Art. 12(1)) is granted on a "
                                            "date, until a date."},
    "idle.idle-fact.extension_half.hint": {"zh": "填写 {b},或让 {a} 留空。", "en": "give {b}, or leave {a} empty."},
    "idle.idle-fact.extension_order": {"zh": "延期截止于 {until},并不晚于批准延期的日期 {on}。",
                                       "en": "the extension ends {until}, not after it was granted on {on}."},
    "idle.idle-fact.extension_order.hint": {"zh": "改正 extended_until。", "en": "correct extended_until."},
    "idle.idle-fact.deadline_no_decision": {"zh": "给出了限期开发的期限,却没有作出该决定的日期。",
                                            "en": "a deadline to build (限期开发) is given without the date of the decision "
                                                  "that set it."},
    "idle.idle-fact.deadline_no_decision.hint": {"zh": "填写 keep_decided_on,即决定不收回土地的日期。",
                                                 "en": "give keep_decided_on, the date of the decision not to take the land "
                                                       "back."},
    "idle.idle-fact.after_assessment": {"zh": "`{col}` {when} 晚于认定基准日 {assessment}:地块数据应是截至该日的记录。",
                                        "en": "{col} {when} is after the assessment date {assessment}: the parcels are the "
                                              "record as at that date."},
    "idle.idle-fact.after_assessment.hint": {"zh": "删去此后发生的事项,或调整 idle_land.assessment_date。",
                                             "en": "leave out what happened later, or move idle_land.assessment_date."},
    "idle.idle-fact.taken_before_grant": {"zh": "于 {taken} 收回,早于供地日期 {grant}。", "en": "taken back on {taken}, before the grant {grant}."},
    "idle.idle-fact.taken_before_grant.hint": {"zh": "改正 taken_back_on 或 grant_date。", "en": "correct taken_back_on or grant_date."},
}
