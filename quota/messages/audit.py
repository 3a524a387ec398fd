"""What ``quota audit`` prints (quota.check.audit.format_audit): the table's header, each family of checks by name,
the verdict line and the notes on what was and was not re-solved. The families' ids (``hash:input``, ``county use``)
stay as they are in the audit's table of checks (``audit_run``); only the printed labels are here.
"""
from __future__ import annotations

# family id -> its printed name in Chinese (in English the id is the name)
FAMILY_ZH = {
    "hash": "文件哈希", "hash:input": "输入文件哈希", "hash:output": "输出文件哈希", "files": "文件齐全", "inputs": "输入重读",
    "county rows": "县表行结构", "linkage": "增存挂钩", "county use": "县级用地", "idle": "闲置土地",
    "idle county totals": "闲置土地县级合计", "idle findings": "闲置土地审计发现", "allocation": "指标配置", "rows": "配置表各行",
    "phase whole & on time": "分期整体且按期", "plan choice": "方案选择", "commitment": "分期承诺", "phase order": "分期顺序",
    "higher level": "上级重点项目", "eligibility": "准入条件", "advance urgent only": "仅急需项目预支",
    "stock_ok only": "仅可用存量项目使用存量", "restriction": "限批", "city quota": "市级指标", "advance cap": "预支上限",
    "farmland": "耕地指标", "stock": "可用存量", "stock by year": "分年可用存量(含收回土地)", "county cap": "县级额度", "county years": "县级分年数字",
    "earned quota": "挂钩所得指标", "restriction by year": "逐年限批", "province reserve": "省级预留指标",
    "ring-fence": "脱贫县戴帽指标", "dependency": "项目依赖", "lock in": "锁定纳入", "value w": "每公顷价值 w",
    "objective": "目标值", "status": "项目状态", "reason": "原因类别", "summary": "运行摘要", "re-solve": "重新求解",
    "early batch": "当年早批次预支", "fixed past": "固定的往年事实", "spatial": "空间核查",
}

AUDIT: dict[str, dict[str, str]] = {
    "audit.header": {"zh": "结果  检查项目", "en": "      check"},
    "audit.items": {"zh": "检查数", "en": "items"},
    "audit.failed": {"zh": "不通过", "en": "failed"},
    "audit.pass": {"zh": "通过", "en": "pass"},
    "audit.fail": {"zh": "不符", "en": "FAIL"},
    "audit.passed": {"zh": "审计通过:{n} 项检查,0 处不符", "en": "audit passed: {n} checks, 0 discrepancies"},
    "audit.discrepancies": {"zh": "{n} 处不符:", "en": "{n} discrepancies:"},
    "audit.discrepancy": {"zh": "{n} 处不符:", "en": "{n} discrepancy:"},
    # notes: what was and was not done (the re-solve)
    "audit.not_claimed": {"zh": "目标值的最优界与相对间隙:运行未声明(因素法或无解),不作检查",
                          "en": "objective bound and gap: not claimed (factor method or no solution), not checked"},
    "audit.no_solver": {"zh": "未提供求解器", "en": "no solver given"},
    "audit.no_resolve": {"zh": "--no-resolve", "en": "--no-resolve"},
    "audit.too_big": {"zh": "共 {n} 个项目,超过 {most} 个;如需重新求解请加 --resolve",
                      "en": "{n} projects, more than {most}; pass --resolve to re-solve"},
    "audit.resolve_skipped": {"zh": "重新求解:未进行({why});目标值已按配置结果复算,但未与最优值比较",
                              "en": "re-solve: not done ({why}); the objective was checked against the allocation, not against the optimum"},
    "audit.resolve_nothing": {"zh": "重新求解:未进行(summary.json 未声明可比较的目标值和最优界)",
                              "en": "re-solve: not done (summary.json claims no objective and bound to compare)"},
    "audit.resolve_done": {"zh": "重新求解:已完成;最优值 {best}{bound},本次运行的目标值 {objective},声明的相对间隙 {gap}",
                           "en": "re-solve: done; optimum {best}{bound}, run's objective {objective}, claimed gap {gap}"},
    "audit.resolve_bound": {"zh": "(最优界 {bound})", "en": " (bound {bound})"},
}
