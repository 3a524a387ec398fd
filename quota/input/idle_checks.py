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

        def bad(col, message, fix):
            issues.append(Issue("idle-fact", raw.label, key, col, message, fix))

        agreed, start, grant, halt = get("agreed_start"), get("actual_start"), get("grant_date"), get("halted_on")
        if grant and agreed and agreed < grant:
            bad("agreed_start", f"the agreed start {agreed} is before the grant {grant}: no contract agrees a start before it "
                "is made.", "correct agreed_start or grant_date.")
        if grant and start and start < grant:
            bad("actual_start", f"the actual start {start} is before the grant {grant}: the land was not the user's yet.",
                "correct actual_start or grant_date.")
        shares = [get("developed_share"), get("invested_share")]
        if halt is not None:
            if start is None:
                bad("halted_on", f"halted on {halt}, but the parcel has no actual start: only started land can be halted.",
                    "give actual_start, or leave halted_on empty (a parcel never started is idle under Art. 2 ¶1).")
            elif halt < start:
                bad("halted_on", f"halted on {halt}, before its actual start {start}.", "correct halted_on or actual_start.")
            for col, v in zip(("developed_share", "invested_share"), shares):
                if v is None and not str(written.at[i, col]).strip():
                    bad(col, f"the parcel is halted (since {halt}) but its {col} is not given, so Order 53 Art. 2 ¶2 (under "
                        "1/3 developed or 25% invested, halted a full year) cannot be tested.",
                        f"give the {col} as a fraction between 0 and 1.")
        elif any(v is not None for v in shares) and start is None:
            col = "developed_share" if shares[0] is not None else "invested_share"
            bad(col, "a share developed or invested is given, but the parcel has no actual start.",
                "give actual_start, or leave the shares empty.")
        cause = get("cause")
        for col in ("cause_kind", "cause_evidence", "extended_on", "extended_until"):
            if get(col) is not None and cause == "enterprise":
                fix = ("for an enterprise-caused parcel a deadline to build is build_deadline (限期开发), with keep_decided_on."
                       if col.startswith("extended") else "write cause government, or leave the cell empty.")
                bad(col, f"{col} is given but the cause is enterprise: it belongs to a government cause (Order 53 Art. 8, 12).", fix)
        fee, fee_on = get("fee_levied"), get("fee_levied_on")
        if fee is not None and fee > 0 and fee_on is None:
            bad("fee_levied_on", f"a fee of {fee:g} 万元 is levied without the date it was levied.", "give fee_levied_on.")
        if fee_on is not None and not (fee or 0) > 0:
            bad("fee_levied", f"a fee is levied on {fee_on} without its amount.", "give fee_levied in 万元, or leave fee_levied_on empty.")
        for a, b in (("extended_on", "extended_until"), ("extended_until", "extended_on")):
            if get(a) is not None and get(b) is None:
                bad(b, f"{a} is given without {b}: an extension (Order 53 Art. 12(1)) is granted on a date, until a date.",
                    f"give {b}, or leave {a} empty.")
        if get("extended_on") and get("extended_until") and get("extended_until") <= get("extended_on"):
            bad("extended_until", f"the extension ends {get('extended_until')}, not after it was granted on {get('extended_on')}.",
                "correct extended_until.")
        if get("build_deadline") is not None and get("keep_decided_on") is None:
            bad("keep_decided_on", "a deadline to build (限期开发) is given without the date of the decision that set it.",
                "give keep_decided_on, the date of the decision not to take the land back.")
        for col in ACTS:
            when = get(col)
            if when is not None and assessment is not None and when > assessment:
                bad(col, f"{col} {when} is after the assessment date {assessment}: the parcels are the record as at that date.",
                    "leave out what happened later, or move idle_land.assessment_date.")
        taken = get("taken_back_on")
        if taken is not None and grant is not None and taken < grant:
            bad("taken_back_on", f"taken back on {taken}, before the grant {grant}.", "correct taken_back_on or grant_date.")

