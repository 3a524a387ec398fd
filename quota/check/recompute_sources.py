"""The audit's recomputation of the supply sources of the rules as practised: provincial reserve and ring-fence.

RULES.md item 4 (``key_projects.outside_budget``, ``key_projects.province_reserve``) and item 6
(``ring_fence.per_county``), from the scenario's inputs (its yaml merged over the rule set it names) and the run's
allocations.csv and counties.csv, with this module's own arithmetic: which key projects are outside the city budget,
which sources an allocation may have, who may draw on the reserve and the ring-fence, each year's reserve and each
poverty county's ring-fence against their limits, and each county's ring-fenced use as counties.csv gives it.
Areas in the scenario's unit, as in the rest of the audit.
"""
from __future__ import annotations

import pandas as pd

from ..report.labels import KEY_LEVEL
from .findings import Checks, at_most
from .provenance import TRUE

HIGHER = {"provincial", "national"}


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    """An optional boolean column of an input table (text as read): absent or empty is false."""
    if column not in frame:
        return pd.Series(False, index=frame.index)
    return frame[column].fillna("").astype(str).str.strip().str.lower().isin(TRUE)


def rules_of(inp: dict) -> dict:
    """The rule values this module needs, from the merged configuration (first-contract defaults when absent)."""
    cfg = inp["cfg"]
    kp, rf = cfg.get("key_projects") or {}, cfg.get("ring_fence") or {}
    reserve = {int(y): float(a) for y, a in (kp.get("province_reserve") or {}).items() if int(y) in inp["years"]}
    return {"mode": kp.get("outside_budget", "all_higher"), "reserve": {y: a for y, a in reserve.items() if a > 0},
            "per_county": float(rf.get("per_county") or 0.0)}


def higher_mask(inp: dict) -> pd.Series:
    """Per project: a key project the higher level covers (before exclusion), as ``key_projects_outside_budget`` and
    ``key_projects.outside_budget`` say."""
    P = inp["projects"]
    if not bool(inp["cfg"]["key_projects_outside_budget"]):
        return pd.Series(False, index=P.index)
    if rules_of(inp)["mode"] == "national_and_standalone":
        return (P["key_level"] == "national") | ((P["key_level"] == "provincial") & _flag(P, "standalone_site"))
    return P["key_level"].isin(HIGHER)


def allowed_sources(inp: dict) -> tuple[str, ...]:
    r = rules_of(inp)
    return ("new", "advance", "stock", "higher_level") + (("province",) if r["reserve"] else ()) \
        + (("ring_fenced",) if r["per_county"] > 0 else ())


def check_extra_sources(c: Checks, inp: dict, city: pd.DataFrame, shut: pd.Series) -> None:
    """``city``: allocation rows inside the city budget, with county_id. ``shut``: per row, a non-exempt project of a
    restricted county (限批 shuts the reserve as it shuts new quota, not the ring-fence)."""
    r, P, C = rules_of(inp), inp["projects"], inp["counties"]
    prov = city[city["source"] == "province"]
    if len(prov) or r["reserve"]:
        may = (prov["project_id"].map(P["key_level"]) == "provincial") & ~prov["project_id"].map(_flag(P, "standalone_site")) \
            & prov["year"].isin(list(r["reserve"])) & ~shut.reindex(prov.index).fillna(False).astype(bool)
        for pid, area in prov[~may].groupby("project_id")["area"].sum().items():
            level = P.at[pid, "key_level"]
            c.add("province reserve", pid, False, "check.reserve_wrong", area=f"{area:.6f}", pid=pid,
                  level=(KEY_LEVEL["zh"].get(level) or "无", level))
        used = prov.groupby("year")["area"].sum()
        for y, limit in r["reserve"].items():
            at_most(c, "province reserve", y, float(used.get(y, 0.0)), limit, "check.what_reserve")
    ring = city[city["source"] == "ring_fenced"]
    if len(ring) or r["per_county"] > 0:
        poor = _flag(C, "poverty_county")
        for pid, area in ring[~ring["county_id"].map(poor).fillna(False).astype(bool)].groupby("project_id")["area"].sum().items():
            c.add("ring-fence", pid, False, "check.ring_not_poor", area=f"{area:.6f}", pid=pid, cid=P.at[pid, "county_id"])
        used = ring.groupby(["county_id", "year"])["area"].sum()
        for cid in C.index[poor]:
            for y in inp["years"]:
                at_most(c, "ring-fence", f"{cid} {y}", float(used.get((cid, y), 0.0)), r["per_county"],
                        "check.what_ring", name=C.at[cid, "name"])


def county_ring_use(inp: dict, a: pd.DataFrame, cid: str) -> dict:
    """counties.csv's ring-fenced columns of one county, recomputed (none when the rules give no ring-fence)."""
    if rules_of(inp)["per_county"] <= 0:
        return {}
    mine = a[(a["county_id"] == cid) & (a["source"] == "ring_fenced")]
    out = {"ring_fenced_used": float(mine["area"].sum())}
    for y in inp["years"]:
        out[f"ring_fenced_{y}"] = float(mine.loc[mine["year"] == y, "area"].sum())
    return out
