"""The frame of every error list (quota.errors): the head line of a scenario's or a fact file's problems."""
from __future__ import annotations

ERRORS_COMMON: dict[str, dict[str, str]] = {
    "errors.scenario": {"zh": "情景中有 {n} 个问题:", "en": "{n} problem{s} in the scenario:"},
    "errors.warning": {"zh": "提示:{issue}", "en": "warning: {issue}"},
    "errors.valid": {"zh": "有效:{name} — {counties} 个县,{projects} 个项目,{first}—{last} 年,面积单位 {unit}",
                     "en": "valid: {name} — {counties} counties, {projects} projects, years {first}–{last}, unit {unit}"},
    "errors.facts": {"zh": "事实数据中有 {n} 个问题;台账中未写入任何内容:",
                     "en": "{n} problem{s} in the facts; nothing was written to the ledger:"},
}
