"""``quota audit`` of a re-plan: the facts a run's past was fixed to (``facts/*.csv``), applied to the inputs and checked.

A run with the ledger's facts (``quota.replan``) holds them in ``facts/*.csv`` (hectares), hashed in the manifest with
every output, and names ``as_of`` and the facts' SHA-256 in ``manifest.json`` (``facts``) and summary.json. The audit
reads them back and, with its own arithmetic: replaces the quota of each past year by the quota issued; where
disposal is counted by year (earned linkage, dynamic restriction) replaces disposal.csv's rows of past years by the
ledger's disposal (no extra disposal then); adds each past year's over-plan use to its county rows; and checks,
family ``fixed past``, that allocations.csv holds before ``as_of`` exactly the approvals of the facts, that the hash
matches and summary.json names the same ``as_of``. ``quota.check.audit_earned`` reads ``as_of``, the over-plan
use and the supply rate's shift from the inputs this module completes. Areas in the scenario's unit.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..ledger.facts import facts_hash, read_facts_folder
from .findings import Checks, texts

UNSUPPLIED = ("supplied", "withdrawn", "lapsed")
IDLE = ("fee", "taken_back")
ON_QUOTA = ("new", "advance", "province", "ring_fenced")
KEY = ["project_id", "plan", "phase", "year", "source"]


def apply_facts(c: Checks, run: Path, manifest: dict, inp: dict) -> None:
    """Complete ``inp`` (``quota.check.provenance.read_inputs``) with the run's facts, when it has any."""
    meta = manifest.get("facts")
    if not meta:
        return
    as_of = int(meta["as_of"])
    facts = read_facts_folder(run / "facts", as_of)
    f = inp["per_ha"]
    c.add("fixed past", "facts sha256", facts_hash(facts) == meta.get("sha256"), "check.facts_hash", got=facts_hash(facts)[:12],
          want=str(meta.get("sha256"))[:12])
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    c.add("fixed past", "as_of", summary.get("as_of") == as_of, "check.as_of", summary=summary.get("as_of"), manifest=as_of)
    inp["facts"], inp["as_of"] = facts, as_of
    quota = dict(inp["quota"])
    for y, a in zip(facts.quota_issued["year"], facts.quota_issued["area"]):
        quota[int(y)] = float(a) * f
    inp["quota"] = quota
    o = facts.overplan
    inp["overplan_facts"] = {(cid, int(y)): float(a) * f for cid, y, a in zip(o["county_id"], o["year"], o["area"])}
    cfg = inp["cfg"]
    by_year = cfg["linkage"].get("mode", "penalty") in ("earned", "both") \
        or str(cfg.get("restriction", {}).get("dynamic", False)).lower() in ("true", "1")
    if by_year:
        inp["disposal"] = _disposal(inp, facts, as_of)
    inp["supply_shift"] = _shift(inp, facts)


def _disposal(inp: dict, facts, as_of: int) -> pd.DataFrame:
    d, f = facts.disposal, inp["per_ha"]
    past = [y for y in inp["years"] if y < as_of]
    rows = []
    for cid in inp["counties"].index:
        for y in past:
            mine = d[(d["county_id"] == cid) & (d["year"] == y)]
            rows.append({"county_id": cid, "year": y, "unsupplied": float(mine.loc[mine["kind"].isin(UNSUPPLIED), "area"].sum()) * f,
                         "idle": float(mine.loc[mine["kind"].isin(IDLE), "area"].sum()) * f, "extra_max": 0.0, "extra_cost": 0.0})
    old = inp.get("disposal")
    if old is not None:
        old = old[[int(y) not in past for y in old["year"]]]
        rows = old.to_dict("records") + rows
    return pd.DataFrame(rows)


def _shift(inp: dict, facts) -> dict:
    """(county, year) → supplied·(quota share) − approved on quota of the year's approvals (scenario unit)."""
    a = facts.approvals[facts.approvals["source"] != "higher_level"]
    supplied = facts.supply.groupby(["project_id", "plan", "phase", "year"])["area"].sum().to_dict()
    out: dict = {}
    for key, g in a.groupby(["project_id", "plan", "phase", "year"]):
        whole, quota = float(g["area"].sum()), float(g.loc[g["source"].isin(ON_QUOTA), "area"].sum())
        where = (inp["projects"].at[key[0], "county_id"], int(key[3]))
        out[where] = out.get(where, 0.0) + (supplied.get(key, 0.0) * quota / whole - quota) * inp["per_ha"]
    return out


def check_past(c: Checks, inp: dict, alloc: pd.DataFrame) -> None:
    """allocations.csv before ``as_of`` is exactly the facts' approvals (``alloc`` in the scenario's unit)."""
    if "facts" not in inp:
        return
    before = alloc[alloc["year"] < inp["as_of"]].groupby(KEY)["area"].sum()
    facts = inp["facts"].approvals.assign(area=lambda x: x["area"] * inp["per_ha"]).groupby(KEY)["area"].sum()
    for key in sorted(set(before.index) | set(facts.index), key=str):
        got, want = float(before.get(key, 0.0)), float(facts.get(key, 0.0))
        ok = abs(got - want) <= 1e-6 * max(1.0, want) + 3e-6
        c.add("fixed past", "/".join(map(str, key)), ok, "check.fixed_past", got=f"{got:.6f}", want=f"{want:.6f}")
