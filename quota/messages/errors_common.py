"""The frame of every error list (quota.errors): the head line of a scenario's or a fact file's problems."""
from __future__ import annotations

ERRORS_COMMON: dict[str, dict[str, str]] = {
    "errors.scenario": {"zh": "情景中有 {n} 个问题:", "en": "{n} problem{s} in the scenario:"},
    "errors.facts": {"zh": "事实数据中有 {n} 个问题;台账中未写入任何内容:",
                     "en": "{n} problem{s} in the facts; nothing was written to the ledger:"},
}
