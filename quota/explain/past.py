"""What a re-plan adds to each project's reason: the ledger's facts of the years before ``as_of`` (quota.replan)."""
from __future__ import annotations

import pandas as pd

TEXT = {"fact": {"zh": ";{years} 年已批(台账事实,已固定)", "en": "; approved in {years} per the ledger (fixed)"},
        "missed": {"zh": ";上次计划 {years} 年批准,实际未批(台账)", "en": "; the last plan approved it in {years}, it was not (ledger)"}}


def fact_reasons(s, reasons: pd.Series, lang: str) -> pd.Series:
    """``reasons`` with a clause for each project the facts approved, or that the last plan approved in a past year
    and the facts did not. Unchanged without facts."""
    facts = getattr(s, "facts", None)
    if facts is None:
        return reasons
    done = facts.approvals.groupby("project_id")["year"].apply(lambda y: sorted(set(int(v) for v in y)))
    last = facts.last_plan[facts.last_plan["year"] < facts.as_of]
    planned = last[~last["project_id"].isin(done.index)].groupby("project_id")["year"].apply(lambda y: sorted(set(int(v) for v in y)))
    out = reasons.copy()
    for key, table in (("fact", done), ("missed", planned)):
        for pid, years in table.items():
            if pid in out.index:
                out[pid] = out[pid] + TEXT[key][lang].format(years=", ".join(map(str, years)))
    return out
