"""The facts of each idle parcel, checked against each other (``check_parcel_facts``), and which of them a file records.

``quota.input.cells`` reads each cell alone (a date is a date, a share lies in [0, 1]); here the facts of one row
must fit together: no start before the grant, a halt only after a start and with the shares that Art. 2 ¶2 tests,
a levied fee with its date, an extension with the date it was granted, a deadline to build with its decision, and
no record dated after the assessment date (the parcels are the record as at that date). Each problem names the
file, the parcel and the column, and says how to fix it; all are reported together.

``recorded_facts`` drops the optional fact columns a file does not have: an absent column means the bureau's
record of that fact is not given (so no finding can be made on it), which is not the same as an empty cell (none).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..errors import Issue
from .tables import RawTable

FACTS = ("grant_date", "developed_share", "invested_share", "halted_on", "cause_kind", "cause_evidence", "fee_levied",
         "fee_levied_on", "taken_back_on", "keep_decided_on", "build_deadline", "extended_on", "extended_until")
ACTS = ("grant_date", "halted_on", "fee_levied_on", "taken_back_on", "keep_decided_on", "extended_on")  # dated records


def recorded_facts(raw: RawTable, parcels: pd.DataFrame) -> pd.DataFrame:
    """``parcels`` without the fact columns its file does not have."""
    return parcels.drop(columns=[c for c in FACTS if c not in raw.frame.columns])


def check_parcel_facts(raw: RawTable, parcels: pd.DataFrame, keys: list[str], assessment: dt.date | None,
                       issues: list[Issue]) -> None:
    """Every contradictory or missing fact of every parcel, one issue each (file, parcel, column, fix)."""
    cols = set(parcels.columns)
    written = raw.frame.reindex(columns=list(FACTS), fill_value="")  # a cell that failed to read is reported already
    for i, key, r in zip(parcels.index, keys, parcels.to_dict("records")):
        def get(col):
            v = r.get(col) if col in cols else None
            return None if v is None or (isinstance(v, float) and pd.isna(v)) else v

        def bad(col, entry, fix=None, **fields):
            issues.append(Issue.of("idle.idle-fact." + entry, raw.label, key, col, fix=fix and "idle.idle-fact." + fix, col=col,
                                   **fields))

        agreed, start, grant, halt = get("agreed_start"), get("actual_start"), get("grant_date"), get("halted_on")
        if grant and agreed and agreed < grant:
            bad("agreed_start", "agreed_before_grant", agreed=agreed, grant=grant)
        if grant and start and start < grant:
            bad("actual_start", "start_before_grant", start=start, grant=grant)
        shares = [get("developed_share"), get("invested_share")]
        if halt is not None:
            if start is None:
                bad("halted_on", "halted_unstarted", halt=halt)
            elif halt < start:
                bad("halted_on", "halted_before_start", halt=halt, start=start)
            for col, v in zip(("developed_share", "invested_share"), shares):
                if v is None and not str(written.at[i, col]).strip():
                    bad(col, "halted_no_share", halt=halt)
        elif any(v is not None for v in shares) and start is None:
            col = "developed_share" if shares[0] is not None else "invested_share"
            bad(col, "share_unstarted")
        cause = get("cause")
        for col in ("cause_kind", "cause_evidence", "extended_on", "extended_until"):
            if get(col) is not None and cause == "enterprise":
                bad(col, "enterprise", "enterprise.fix_" + ("extension" if col.startswith("extended") else "cause"))
        fee, fee_on = get("fee_levied"), get("fee_levied_on")
        if fee is not None and fee > 0 and fee_on is None:
            bad("fee_levied_on", "fee_no_date", fee=f"{fee:g}")
        if fee_on is not None and not (fee or 0) > 0:
            bad("fee_levied", "fee_no_amount", date=fee_on)
        for a, b in (("extended_on", "extended_until"), ("extended_until", "extended_on")):
            if get(a) is not None and get(b) is None:
                bad(b, "extension_half", a=a, b=b)
        if get("extended_on") and get("extended_until") and get("extended_until") <= get("extended_on"):
            bad("extended_until", "extension_order", until=get("extended_until"), on=get("extended_on"))
        if get("build_deadline") is not None and get("keep_decided_on") is None:
            bad("keep_decided_on", "deadline_no_decision")
        for col in ACTS:
            when = get(col)
            if when is not None and assessment is not None and when > assessment:
                bad(col, "after_assessment", when=when, assessment=assessment)
        taken = get("taken_back_on")
        if taken is not None and grant is not None and taken < grant:
            bad("taken_back_on", "taken_before_grant", taken=taken, grant=grant)

