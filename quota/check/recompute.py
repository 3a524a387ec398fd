"""The allocation recomputed from the inputs: county linkage and use, every rule, the objective.

Takes the inputs as ``quota.check.provenance.read_inputs`` gives them and the run's counties.csv,
allocations.csv and projects.csv; with its own arithmetic it recomputes every county's
linkage numbers, restriction and use (``check_counties``; under earned linkage or dynamic restriction counties.csv
is one row per county and year, and each county's first-contract columns must be the same on all its year rows),
and every constraint residual of the allocation (idle parcels: ``quota.check.audit_idle``),
each project's value ``w`` and the objective (``check_allocations``), one check per row.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..counties_table import county_part, differing, has_years
from ..report.safety import read_csv
from .audit_earned import (check_county_years, check_restriction_years, dynamic_mode, earned_mode, extra_cost, history_rates,
                           supply_trigger, wants_years)
from .audit_idle import taken_back_stock
from ..report.labels import CATEGORY, KEY_LEVEL, RESTRICT_CAUSE, SOURCE
from .findings import TOL_ABS, TOL_REL, Checks, at_most, compare, same, texts
from .provenance import COUNTY_NUMBERS
from .recompute_sources import allowed_sources, check_extra_sources, county_ring_use, higher_mask

HIGHER = {"provincial", "national"}


def linkage(inp: dict) -> pd.DataFrame:
    """λ, +bonus/−cut and 限批 from the inputs, with this module's own arithmetic (自然资规〔2018〕1号)."""
    C, L = inp["counties"], inp["cfg"]["linkage"]
    out = pd.DataFrame(index=C.index)
    for col in COUNTY_NUMBERS:
        out[col] = C[col]
    out["stock_total"] = C["unsupplied_stock"] + C["idle_stock"]
    out["disposed_total"] = C["unsupplied_disposed"] + C["idle_disposed"]
    out["task_total"] = C["unsupplied_task"] + C["idle_task"]
    out["disposal_rate"] = [d / s if s > 0 else 1.0 for d, s in zip(out["disposed_total"], out["stock_total"])]
    out["shortfall"] = [max(0.0, 1 - d / t) if t > 0 else 0.0 for d, t in zip(out["disposed_total"], out["task_total"])]
    out["penalty_per_ha"] = (0.0 if L.get("mode") == "earned" else L["penalty"]) * out["shortfall"]  # RULES.md 1
    below = float(inp["cfg"].get("restriction", {}).get("below", L["restrict_below"]))  # restriction.below, or its old name
    out["restricted_rate"] = out["disposal_rate"] < below
    if supply_trigger(inp["cfg"]):  # RULES.md 2: 供地率 of history.csv over the window before the horizon
        out["supply_rate"] = [history_rates(inp, cid, inp["years"][0])[0] for cid in C.index]
        out["restricted_rate"] = out["supply_rate"] < below
    out["restricted_overplan"] = (C["overplan"] > 0) & bool(L["restrict_on_overplan"])
    out["restricted"] = out["restricted_rate"] | out["restricted_overplan"]
    rate_name = "supply_rate" if supply_trigger(inp["cfg"]) else "disposal_rate"
    out["restrict_cause"] = ["+".join(n for n, f in ((rate_name, r), ("overplan", o)) if f)
                             for r, o in zip(out["restricted_rate"], out["restricted_overplan"])]
    out["unsupplied_task_met"] = C["unsupplied_disposed"] >= C["unsupplied_task"]
    out["idle_task_met"] = C["idle_disposed"] >= C["idle_task"]
    out["tasks_met"] = out["unsupplied_task_met"] & out["idle_task_met"]
    out["cap_multiplier"] = np.where(out["tasks_met"], 1 + L["bonus"], 1 - L["cut"])
    out["cap_first_year"] = np.maximum(0.0, out["cap_multiplier"] * C["cap_base"] - C["overplan"]).where(C["cap_base"].notna())
    out["cap_later_years"] = out["cap_multiplier"] * C["cap_base"]
    return out


def check_stock(c: Checks, inp: dict, stock: pd.DataFrame) -> None:
    """Stock drawn per county within usable_stock and the land taken back within the horizon (usable from the year
    after; ``audit_idle.taken_back_stock``), and, while that land is not yet usable, the stock drawn by each year's end."""
    C, years = inp["counties"], inp["years"]
    back: dict[str, list[tuple[int, float, str]]] = {}
    for cid, usable_from, area, pid in taken_back_stock(inp):
        back.setdefault(cid, []).append((usable_from, area, pid))
    drawn = stock.groupby(["county_id", "year"])["area"].sum()
    for cid in C.index:
        limit = {y: float(C.at[cid, "usable_stock"]) + sum(a for u, a, _ in back.get(cid, []) if u <= y) for y in years}
        used = {y: sum(float(drawn.get((cid, t), 0.0)) for t in years if t <= y) for y in years}
        listed = [texts("check.stock_parcel", parcel=p, year=u) for u, _, p in back.get(cid, [])]
        parcels = ("、".join(z for z, _ in listed), ", ".join(e for _, e in listed))
        at_most(c, "stock", cid, used[years[-1]], limit[years[-1]], "check.stock",
                back=texts("check.stock_back", parcels=parcels) if listed else "")
        for y in [y for y in years if limit[y] < limit[years[-1]]]:
            at_most(c, "stock by year", f"{cid} {y}", used[y], limit[y], "check.stock_by_year", year=y, parcels=parcels)


def cause(code: str) -> tuple[str, str]:
    """(zh, en) of a county's restriction cause (counties.csv restrict_cause)."""
    return RESTRICT_CAUSE["zh"].get(code, code), code


def read_allocations(path: Path) -> pd.DataFrame:
    a = read_csv(path, dtype={"plan": str, "project_id": str}, keep_default_na=False, na_values={"area": [""]})
    return a.assign(plan=a["plan"].astype(str), phase=a["phase"].astype(int), year=a["year"].astype(int), area=a["area"].astype(float))


def check_county_rows(c: Checks, inp: dict, table: pd.DataFrame) -> None:
    """Family ``county rows``: counties.csv is one row per county and year exactly when the rules want it (earned
    linkage or dynamic restriction), else one row per county; and each county's first-contract columns are the same
    on all its year rows (a forger editing one row of a county is caught here, the others by ``linkage``)."""
    long, wanted = has_years(table), wants_years(inp["cfg"])
    ok = long == wanted and (long or table["county_id"].is_unique)
    c.add("county rows", "form", ok, "check.rows_form", form=texts("check.per_county_year" if long else "check.per_county"),
          want="" if ok else texts("check.rows_want", form=texts("check.per_county_year" if wanted else "check.one_per_county")))
    if long:
        bad = differing(table)
        for cid in sorted(set(table["county_id"])):
            cols = [col for k, col in bad if k == cid]
            c.add("county rows", cid, not cols, "check.rows_differ" if cols else "", columns=", ".join(cols))


def check_counties(c: Checks, inp: dict, counties_csv: Path, alloc_csv: Path) -> None:
    link = linkage(inp)
    table = read_csv(counties_csv, dtype={"county_id": str, "restrict_cause": str}, keep_default_na=False, na_values=[""])
    check_county_rows(c, inp, table)
    out = county_part(table).set_index("county_id")
    out["restrict_cause"] = out["restrict_cause"].fillna("")  # an empty cause is written as an empty cell
    c.add("linkage", "counties", set(out.index) == set(link.index), "check.counties_differ" if set(out.index) != set(link.index) else "",
          ids=sorted(set(out.index) ^ set(link.index)))
    a = read_allocations(alloc_csv)
    a["county_id"] = a["project_id"].map(inp["projects"]["county_id"])
    use = a.pivot_table(index="county_id", columns="source", values="area", aggfunc="sum").reindex(link.index).fillna(0.0)
    for cid in link.index.intersection(out.index):
        compare(c, "linkage", cid, link.loc[cid].to_dict(), out.loc[cid])
        u = {k: float(use.at[cid, s]) if s in use else 0.0 for k, s in (("new_used", "new"), ("advance_used", "advance"), ("stock_used", "stock"))}
        u["penalty_paid"] = link.at[cid, "penalty_per_ha"] * (u["new_used"] + u["advance_used"]) / inp["per_ha"]
        for y in inp["years"]:
            rows = a[(a["county_id"] == cid) & (a["year"] == y) & a["source"].isin(["new", "advance"])]
            u[f"quota_{y}"] = float(rows["area"].sum())
        u.update(county_ring_use(inp, a, cid))
        compare(c, "county use", cid, u, out.loc[cid])


# --------------------------------------------------------- allocation ----

def excluded_projects(inp: dict) -> set[str]:
    p, deps = inp["projects"], inp["deps"]
    out = set(p.index[~p["ready"] | (p["lock"] == "out")])
    if inp.get("sites") is not None:  # the spatial checks (quota.check.spatial)
        out |= set(inp["sites"].index[inp["sites"]["exclusion"] != ""])
    grew = True
    while grew:  # a project requiring an excluded one is excluded, transitively
        new = set(deps.loc[deps["requires"].isin(out), "project_id"]) - out
        out |= new
        grew = bool(new)
    return out


def values_w(inp: dict, excluded: set[str]) -> pd.Series:
    """w = 1 + Σ β·z + urgent_bonus·urgent + key_bonus, z min-max scaled over the projects not excluded."""
    p, S = inp["projects"], inp["cfg"]["scoring"]
    pop = ~p.index.isin(excluded)
    w = pd.Series(1.0, index=p.index)
    for term, col in (("investment_intensity", "investment"), ("tax_intensity", "annual_tax"), ("jobs_intensity", "jobs")):
        x = p[col] / p["area"]
        lo, hi = x[pop].min(), x[pop].max()
        w += S["weights"][term] * ((x - lo) / (hi - lo) if hi > lo else 0.0 * x)
    return w + S["urgent_bonus"] * p["urgent"] + p["key_level"].map(S["key_bonus"])


def check_allocations(c: Checks, inp: dict, alloc_csv: Path, projects_csv: Path, summary_json: Path) -> None:
    cfg, P, C, years = inp["cfg"], inp["projects"], inp["counties"], inp["years"]
    first, last = years[0], years[-1]
    a = read_allocations(alloc_csv)
    ph = inp["phases"].set_index(["project_id", "plan", "phase"]).sort_index()
    keys = list(zip(a["project_id"], a["plan"], a["phase"]))
    sources = allowed_sources(inp)
    for i, (k, src, area) in enumerate(zip(keys, a["source"], a["area"])):
        problems = [texts(m, source=repr(src)) for m, bad in (("check.unknown_phase", k not in ph.index),
                                                              ("check.unknown_source", src not in sources),
                                                              ("check.negative_area", area < -TOL_ABS)) if bad]
        if problems:
            c.add("rows", f"line {i + 2}", False, "check.row_problems", phase="/".join(map(str, k)),
                  problems=("、".join(z for z, _ in problems), ", ".join(e for _, e in problems)))
    c.add("rows", "all", True, "check.rows_read", n=len(a))
    a = a.loc[pd.Series([k in ph.index for k in keys], index=a.index, dtype=bool)].copy()  # a mask even when empty
    a["county_id"] = a["project_id"].map(P["county_id"])
    outside = bool(cfg["key_projects_outside_budget"])
    higher = set(P.index[higher_mask(inp)]) if outside else set()
    excluded = excluded_projects(inp)
    link = linkage(inp)

    # approvals: each phase whole, once, in its window, in order, one plan, committed phases
    year_of = {}
    for (pid, plan, k), g in a.groupby(["project_id", "plan", "phase"]):
        e, need = ph.at[(pid, plan, k), "earliest_year"], ph.at[(pid, plan, k), "area"]
        ys = sorted(int(y) for y in g["year"].unique())
        year_of[(pid, plan, k)] = ys[0]
        want_year = max(e, first) if pid in higher else None
        ok = len(ys) == 1 and abs(g["area"].sum() - need) <= TOL_REL * max(1.0, need) + 3 * TOL_ABS \
            and (e <= ys[0] and first <= ys[0] <= last) and (want_year is None or ys[0] == want_year)
        c.add("phase whole & on time", f"{pid}/{plan or '-'}/{k}", ok, "check.phase_whole", years=ys, area=f"{g['area'].sum():.6f}",
              need=f"{need:.6f}", earliest=f"{e:g}")
    for pid, g in a.groupby("project_id"):
        c.add("plan choice", pid, g["plan"].nunique() == 1, "check.plans", plans=sorted(str(v) for v in g["plan"].unique()))
    gap = int(cfg["phasing"]["min_gap"])
    for (pid, plan, k), y in year_of.items():
        if k > 1 and pid not in higher:
            prev = year_of.get((pid, plan, k - 1))
            c.add("phase order", f"{pid}/{plan or '-'}/{k}", prev is not None and prev + gap <= y, "check.phase_order", k=k, year=y,
                  before=k - 1, prev=texts("check.never") if prev is None else prev, gap=gap)
        if k == 1 and cfg["phasing"]["commit"] == "all" and pid not in higher:
            later = ph.loc[(pid, plan)]
            for kk, e in later["earliest_year"].items():
                if kk > 1 and e <= last:
                    c.add("commitment", f"{pid}/{plan or '-'}/{kk}", (pid, plan, kk) in year_of, "check.commitment")
    for pid in higher - excluded:  # placed by the higher level at their earliest years
        for (plan, k), row in ph.loc[pid].iterrows():
            if max(row["earliest_year"], first) <= last:
                c.add("higher level", f"{pid}/{plan or '-'}/{k}", (pid, plan, k) in year_of, "check.higher_listed")

    # eligibility, and what each source may serve
    status = read_csv(projects_csv, dtype={"project_id": str}).set_index("project_id")
    listed = set(status.index[status["status"] == "excluded"])
    c.add("eligibility", "excluded set", listed == excluded, "" if listed == excluded else "check.excluded_set", ids=sorted(listed ^ excluded))
    for pid in sorted(set(a["project_id"]) & excluded):
        c.add("eligibility", pid, False, "check.excluded_allocated")
    for i, r in a.iterrows():
        if r["source"] == "higher_level" and r["project_id"] not in higher:
            c.add("higher level", r["project_id"], False, "check.higher_not_covered")
        if r["source"] != "higher_level" and r["project_id"] in higher:
            level = P.at[r["project_id"], "key_level"]
            c.add("higher level", r["project_id"], False, "check.higher_in_city", source=(SOURCE["zh"].get(r["source"], r["source"]), r["source"]),
                  level=(KEY_LEVEL["zh"].get(level, level), level))
        if r["source"] == "advance" and not P.at[r["project_id"], "urgent"]:
            c.add("advance urgent only", r["project_id"], False, "check.advance_not_urgent", area=f"{r['area']:.6f}", year=r["year"])
        if r["source"] == "stock" and not P.at[r["project_id"], "stock_ok"]:
            c.add("stock_ok only", r["project_id"], False, "check.stock_not_ok", area=f"{r['area']:.6f}", year=r["year"])
    exempt = set(cfg["linkage"]["exempt_categories"])
    city = a[a["source"] != "higher_level"]
    quota = city[city["source"].isin(["new", "advance"])]
    levels = set(cfg.get("restriction", {}).get("exempt_key_levels", HIGHER))
    dynamic = dynamic_mode(cfg)
    shut = city["county_id"].map(link["restricted"]).astype(bool) & (not dynamic) & ~(city["project_id"].map(P["category"]).isin(exempt)
                                                                                 | city["project_id"].map(P["key_level"]).isin(levels))
    new_kind = city[city["source"].isin(["new", "advance", "province"])]  # the provincial reserve is new quota too
    if dynamic:  # 限批 decided per county and year (RULES.md 3)
        check_restriction_years(c, inp, city, exempt, levels, alloc_csv.parent / "counties.csv")
    for cid in ([] if dynamic else link.index[link["restricted"]]):  # 限批: no new or advance quota for non-exempt projects
        rows = new_kind[new_kind["county_id"] == cid]
        ok = [P.at[q, "category"] in exempt or P.at[q, "key_level"] in levels for q in rows["project_id"]]
        bad = rows.loc[~np.asarray(ok, dtype=bool)]
        for pid, area in bad.groupby("project_id")["area"].sum().items():
            category, level = P.at[pid, "category"], P.at[pid, "key_level"]
            c.add("restriction", pid, False, "check.restricted_project", pid=pid, cid=cid, name=C.at[cid, "name"], area=f"{area:.6f}",
                  category=(CATEGORY["zh"].get(category, category), category), level=(KEY_LEVEL["zh"].get(level) or "无", level),
                  cause=cause(link.at[cid, "restrict_cause"]),
                  exempt=("、".join(CATEGORY["zh"].get(x, x) for x in sorted(exempt)), ", ".join(sorted(exempt))))
        c.add("restriction", cid, bad.empty, "check.restricted_county", cause=cause(link.at[cid, "restrict_cause"]),
              total=f"{rows['area'].sum():.6f}", bad=f"{bad['area'].sum():.6f}", ids=sorted(set(bad["project_id"])))

    # city quota with carry-over, advance cap, farmland, stock, county caps
    new = city[city["source"] == "new"].groupby("year")["area"].sum()
    adv = city[city["source"] == "advance"].groupby("year")["area"].sum()
    Q, carried = inp["quota"], 0.0
    within = cfg["advance"].get("mode", "next_year") == "within_year"  # RULES.md 5: early batch, charged in its own year
    for i, y in enumerate(years):
        if within:
            used = new.get(y, 0.0) + adv.get(y, 0.0)
            at_most(c, "city quota", y, used, Q[y] + carried, "check.what_city_within")
            last_q = Q[years[i - 1]] if i else float(cfg["advance"]["previous_quota"])
            at_most(c, "advance cap", y, adv.get(y, 0.0), cfg["advance"]["max_share"] * last_q,
                    "check.what_early_cap")
        else:
            used = new.get(y, 0.0) + (adv.get(years[i - 1], 0.0) if i else 0.0)
            at_most(c, "city quota", y, used, Q[y] + carried, "check.what_city")
            cap = cfg["advance"]["max_share"] * (Q[years[i + 1]] if i + 1 < len(years) else (Q[y] if cfg["advance"]["last_year"] else 0.0))
            at_most(c, "advance cap", y, adv.get(y, 0.0), cap, "check.what_advance_cap")
        carried = float(cfg["carry_over"]) * max(0.0, Q[y] + carried - used)
    if within:
        check_early_batch(c, city, ph, years, json.loads(summary_json.read_text(encoding="utf-8")))
    if inp["farmland"]:
        share = quota.apply(lambda r: ph.at[(r["project_id"], r["plan"], r["phase"]), "farmland_area"]
                            / ph.at[(r["project_id"], r["plan"], r["phase"]), "area"], axis=1) if len(quota) else pd.Series(dtype=float)
        farm = (quota["area"] * share).groupby(quota["year"]).sum() if len(quota) else pd.Series(dtype=float)
        for y in years:
            at_most(c, "farmland", y, farm.get(y, 0.0), inp["farmland"][y], "check.what_farmland")
    check_stock(c, inp, city[city["source"] == "stock"])
    cy = quota.groupby(["county_id", "year"])["area"].sum()
    if earned_mode(cfg):  # the earned row stands in for the county cap (it contains it)
        check_county_years(c, inp, link, city.assign(county_id=city["project_id"].map(P["county_id"])),
                           alloc_csv.parent / "counties.csv")
    for cid in ([] if earned_mode(cfg) else C.index[C["cap_base"].notna()]):
        for y in years:
            cap = link.at[cid, "cap_first_year"] if y == first else link.at[cid, "cap_later_years"]
            cap += inp.get("overplan_facts", {}).get((cid, y), 0.0)  # re-planning: a past year's over-plan use
            at_most(c, "county cap", f"{cid} {y}", cy.get((cid, y), 0.0), cap, "check.what_county_cap")
    check_extra_sources(c, inp, city, shut)

    # dependencies and locks
    y1 = a[a["phase"] == 1].groupby("project_id")["year"].min()
    for p_, q in zip(inp["deps"]["project_id"], inp["deps"]["requires"]):
        if p_ in y1.index and p_ not in higher:
            c.add("dependency", f"{p_}→{q}", q in y1.index and y1[q] <= y1[p_], "check.dependency", pid=p_, year=y1[p_], requires=q,
                  when=texts("check.in_year", year=y1[q]) if q in y1.index else texts("check.never_approved"))
    for pid in P.index[P["lock"] == "in"]:
        c.add("lock in", pid, pid in y1.index, "check.lock_in")

    # value per hectare and the objective (in hectare units)
    w = values_w(inp, excluded)
    listed_w = status["w"].astype(float)
    for pid in P.index.difference(list(excluded)):
        c.add("value w", pid, same(w[pid], listed_w.get(pid)), "check.recomputed_vs", value=f"{w[pid]:.6f}", file="projects.csv",
              found=listed_w.get(pid))
    e = [ph.at[k, "earliest_year"] for k in zip(city["project_id"], city["plan"], city["phase"])]
    early = float(cfg["advance"].get("early_gain", 0.5)) * (city["source"] == "advance") if within else 0.0  # starts earlier
    disc = float(cfg["delay_discount"]) ** (city["year"] - np.maximum(np.asarray(e, dtype=float), first) - early)
    pi = city["county_id"].map(link["penalty_per_ha"])
    is_q, is_v, is_s = city["source"].isin(["new", "advance"]), city["source"] == "advance", city["source"] == "stock"
    value = (city["project_id"].map(w) * city["area"] * disc).sum() - (pi * city["area"])[is_q].sum() \
        - cfg["advance"]["cost"] * city["area"][is_v].sum() + cfg["linkage"]["stock_credit"] * city["area"][is_s].sum() \
        - extra_cost(inp, alloc_csv.parent / "counties.csv")
    value /= inp["per_ha"]
    # tolerance: the 6-decimal rounding of each area, times its coefficient, twice over
    coef = city["project_id"].map(w) * disc + pi.where(is_q, 0.0) + cfg["advance"]["cost"] * is_v + cfg["linkage"]["stock_credit"] * is_s
    tol = 1e-6 * float(coef.abs().sum()) / inp["per_ha"] + 1e-9 * abs(value)
    reported = json.loads(summary_json.read_text(encoding="utf-8"))["objective"]
    ok = reported is not None and abs(value - reported) <= tol
    c.found.update(objective=float(value), objective_tol=float(tol))
    c.add("objective", "total", ok, "check.objective", value=f"{value:,.6f}", reported=reported, tol=f"{tol:.1e}")


def check_early_batch(c: Checks, city: pd.DataFrame, ph: pd.DataFrame, years: list[int], summary: dict) -> None:
    """Within-year advance (RULES.md 5): a phase that draws advance draws its whole area as advance, in one year, with no
    new quota or stock beside it; summary.json's years show the early batch as drawn, charged in the year, never repaid."""
    for (pid, plan, k, y), g in city.groupby(["project_id", "plan", "phase", "year"]):
        adv = float(g.loc[g["source"] == "advance", "area"].sum())
        if adv > 0:
            need, other = float(ph.at[(pid, plan, k), "area"]), float(g.loc[g["source"] != "advance", "area"].sum())
            ok = other <= TOL_ABS and abs(adv - need) <= TOL_REL * max(1.0, need) + 3 * TOL_ABS
            c.add("early batch", f"{pid}/{plan or '-'}/{k} {y}", ok, "check.early_phase", advance=f"{adv:.6f}", need=f"{need:.6f}",
                  other=f"{other:.6f}")
    drawn = city[city["source"] == "advance"].groupby("year")["area"].sum()
    listed = {int(r["year"]): r for r in summary.get("years", [])}
    for y in years:
        r = listed.get(y, {})
        want = float(drawn.get(y, 0.0))
        ok = same(want, r.get("advance_drawn")) and not r.get("advance_repaid") and not summary.get("advance_owed")
        c.add("early batch", f"summary {y}", ok, "check.early_summary", want=f"{want:.6f}", drawn=r.get("advance_drawn"),
              repaid=r.get("advance_repaid"), owed=summary.get("advance_owed"))
