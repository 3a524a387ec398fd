"""Why a check of ``quota audit`` fails, in both languages (continued): the files and inputs, idle land, earned linkage
and restriction by year, the fixed past of a re-plan, the spatial checks and the projects' statuses and reasons
(quota.check.provenance, .audit_idle, .audit_earned, .audit_past, .spatial, .status). As in quota.messages.checks.
"""
from __future__ import annotations

CHECKS_MORE: dict[str, dict[str, str]] = {
    # files and inputs (quota.check.provenance)
    "check.file_missing": {"zh": "文件缺失", "en": "the file is missing"},
    "check.hash_differs": {"zh": "SHA256 哈希值 {got}… 与 manifest.json 中的 {digest}… 不同:运行之后文件被改动过",
                           "en": "SHA-256 {got}… differs from the manifest's {digest}…: the file changed after the run"},
    "check.unlisted": {"zh": "manifest.json 中未列出:{files}", "en": "not in the manifest: {files}"},
    "check.files": {"zh": "运行文件夹({kind})应有 {name},但该文件{here},且{listed} manifest.json:运行文件夹不完整或被改动过",
                    "en": "a run folder ({kind}) holds {name}, but it is {here} and {listed} in the manifest: the run folder "
                          "is incomplete or was changed"},
    "check.kind_short": {"zh": "简要报告(参数扫描中的一点)", "en": "short report (sweep point)"},
    "check.kind_full": {"zh": "完整报告", "en": "full report"},
    "check.is_missing": {"zh": "缺失", "en": "missing"},
    "check.is_there": {"zh": "存在", "en": "there"},
    "check.is_listed": {"zh": "已列入", "en": "listed"},
    "check.not_listed": {"zh": "未列入", "en": "not listed"},
    "check.inputs_named": {"zh": "场景列出的文件为 {scenario},manifest.json 为 {manifest}",
                           "en": "the scenario names {scenario}, the manifest {manifest}"},
    # idle land (quota.check.audit_idle)
    "check.idle_file": {"zh": "输入中有闲置土地,但运行文件夹没有 idle_parcels.csv,或者相反",
                        "en": "the inputs have idle parcels but the run has no idle_parcels.csv, or the reverse"},
    "check.parcels_differ": {"zh": "地块不一致:{ids}", "en": "parcels differ: {ids}"},
    "check.findings_file": {"zh": "运行中有闲置土地,但没有 idle_findings.csv", "en": "the run has idle parcels but no idle_findings.csv"},
    "check.findings_differ": {"zh": "复算有而文件中没有:{missing};文件中有而复算没有:{extra}",
                              "en": "recomputed but not in the file: {missing}; in the file but not recomputed: {extra}"},
    # earned linkage and restriction by year (quota.check.audit_earned)
    "check.no_year_column": {"zh": "规则要求 counties.csv 每县每年一行(linkage.mode 为 earned 或 both,或 restriction.dynamic),"
                                   "但其中没有 `year` 列",
                             "en": "the rules want counties.csv per county and year (linkage.mode earned or both, or "
                                   "restriction.dynamic), but it has no year column"},
    "check.not_one_per_year": {"zh": "counties.csv 并非每县每年恰好一行", "en": "counties.csv does not have exactly one row per county and year"},
    "check.no_year_row": {"zh": "counties.csv 中没有该县该年的行", "en": "counties.csv has no row for this county and year"},
    "check.what_extra": {"zh": "额外处置 对比 extra_max", "en": "extra disposal vs extra_max"},
    "check.what_earned": {"zh": "新增 + 预支 对比 基数 + earn_ratio × 处置", "en": "new + advance vs base + earn_ratio × disposal"},
    "check.what_restricted_year": {"zh": "限批年份中非豁免项目的新增 + 预支 对比 0",
                                   "en": "new + advance to non-exempt projects in a restricted year vs 0"},
    "check.yes": {"zh": "是", "en": "True"},
    "check.no": {"zh": "否", "en": "False"},
    # a re-plan's fixed past (quota.check.audit_past)
    "check.facts_hash": {"zh": "facts/*.csv 的哈希值为 {got}…,manifest.json 中为 {want}…",
                         "en": "facts/*.csv hash to {got}…, the manifest says {want}…"},
    "check.as_of": {"zh": "summary.json 中 as_of 为 {summary},manifest.json 中为 {manifest}",
                    "en": "summary.json as_of {summary}, manifest {manifest}"},
    "check.fixed_past": {"zh": "allocations.csv 中为 {got},既成事实为 {want}", "en": "allocations.csv {got}, the facts {want}"},
    # spatial (quota.check.spatial)
    "check.no_sites_csv": {"zh": "场景有项目选址,但运行文件夹没有 sites.csv",
                           "en": "the scenario has project sites but the run folder has no sites.csv"},
    "check.sites_count": {"zh": "sites.csv 列有 {got} 处选址,图层中有 {want} 处", "en": "sites.csv lists {got} sites, the layer {want}"},
    "check.site_column": {"zh": "`{column}`:sites.csv 中为 {got},复算为 {want}", "en": "{column}: sites.csv {got}, recomputed {want}"},
    "check.no_layer": {"zh": "spatial.gpkg 中没有 {layer} 图层", "en": "spatial.gpkg has no {layer} layer"},
    "check.missing_columns": {"zh": "缺少列 {columns}", "en": "missing columns {columns}"},
    "check.layer_columns": {"zh": "counties.csv 中有而图层中没有的列:{columns}", "en": "counties.csv columns not in the layer: {columns}"},
    "check.layer_sites": {"zh": "以下项目的状态或原因与 projects.csv 不一致:{ids}", "en": "status or reason differ from projects.csv for {ids}"},
    # statuses and reasons (quota.check.status)
    "check.projects_differ": {"zh": "projects.csv 列有输入中没有的 {extra},缺少 {missing}",
                              "en": "projects.csv lists {extra} that the inputs do not, and lacks {missing}"},
    "check.status_wrong": {"zh": "状态:按配置结果应为 `{want}`,projects.csv 中为 `{got}`",
                           "en": "status: the allocations give {want}, projects.csv has {got}"},
    "check.status_column": {"zh": "`{column}`:按配置结果应为 {want},projects.csv 中为 {got}",
                            "en": "{column}: the allocations give {want}, projects.csv has {got}"},
    "check.exclusion": {"zh": "排除原因(`exclusion`):复算为 {want},projects.csv 中为 {got}", "en": "exclusion: recomputed {want}, projects.csv has {got}"},
    "check.reason_class": {"zh": "原因属于`{cls}`类,与 projects.csv 中的状态`{status}`不符",
                           "en": "the reason is of the class {cls!r}, which does not fit the status {status!r} of projects.csv"},
    "check.reason_unknown": {"zh": "原因“{text}”不是本工具会写出的原因(报告语言 `{language}`)",
                             "en": "the reason {text!r} is not one quota writes (report language {language})"},
    "check.reason_wrong": {"zh": "状态 `{status}`:原因属于`{cls}`类(“{text}”…),按配置结果和输入应为`{want}`类",
                           "en": "status {status}: the reason is of the class {cls!r} ({text!r}…), the allocations and inputs give {want!r}"},
    "check.reason_numbers": {"zh": "状态 `{status}`,原因类 `{cls}`:其中所写 {wrong}", "en": "status {status}, reason {cls}: it names {wrong}"},
    "check.reason_number": {"zh": "`{name}` 为 {named}(复算为 {value})", "en": "{name} {named} (recomputed {value})"},
    "check.reason_overlap": {"zh": "重叠面积 {named}(复算为 {value})", "en": "overlap {named} (recomputed {value})"},
}

# the keys of the audit's checks that are words, not ids, as the Chinese table prints them (quota.check.audit.format_audit);
# "line N" and "summary YEAR" are keys with a number; KEY_WORDS the last word of a restriction-by-year key
KEY_ZH = {
    "form": "表的形式", "counties": "县", "all": "全部", "total": "合计", "excluded set": "排除的项目", "status counts": "状态计数",
    "verification": "独立核验", "bound": "最优界", "objective ≤ bound": "目标值 ≤ 最优界", "gap": "相对间隙",
    "proven optimal": "证明最优", "objective": "目标值", "files": "文件", "parcels": "地块", "findings": "审计发现",
    "rows": "行", "unlisted files": "未列入的文件", "sites": "选址", "projects": "项目", "facts sha256": "既成事实的哈希值",
    "spatial.gpkg counties columns": "spatial.gpkg 的县图层各列",
}
KEY_WORDS = {"rate": "比率", "quota": "新增与预支指标"}
KEY_PATTERNS = ((r"^line (\d+)$", r"第 \1 行"), (r"^summary (\d+)$", r"summary.json \1 年"))
