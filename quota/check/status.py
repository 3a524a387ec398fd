"""Each project's status and reason recomputed from the allocation and the inputs.

Takes the inputs (``quota.check.provenance.read_inputs``), the run's allocations.csv and projects.csv; checks
each project's status, plan, first year and phase counts (MODEL.md, Precise semantics: Status), and that its
reason is of a class that fits the status and names the years, the level or the project the allocation gives.
The reason classes are matched by their openings, as quota/explain/reasons.py words them.
"""
from __future__ import annotations

import re
import string
from pathlib import Path

import numpy as np
import pandas as pd

from ..report.safety import read_csv
from .findings import Checks, texts
from .recompute import HIGHER, linkage, read_allocations
from .recompute_sources import higher_mask

# the opening of each reason class, as quota/explain/reasons.py words it (tests/test_forgery.py keeps the two in step);
# the reason of a status must be of one of its classes, and the numbers it names must be the allocation's
REASON_TEMPLATES = {
    'zh': {
        'not_ready': '项目未就绪(ready=否),不是真实可落地项目,不参与配置',
        'ecological_redline': '选址与生态保护红线重叠 {area} ',
        'permanent_farmland': '选址占用永久基本农田 {area} ',
        'outside_urban': '选址在城镇开发边界外 {area} ',
        'lock_out': '已锁定排除(lock=out)',
        'dependency': '所依赖的项目 {via} 被排除,本项目随之排除',
        'higher_level': '{level}重点项目,由上级计划指标保障,不占用市级指标;第 1 期安排在 {year} 年',
        'approved': '{year} 年按最早年份获批',
        'deferred': '推迟 {k} 年,于 {year} 年获批(最早可批 {e} 年)',
        'partial': '第 1 期于 {year} 年获批,规划期内获批 {m}/{K} 期',
        'restricted': '所在县({county})被限批:',
        'beyond_horizon': '最早可批年份 {e} 年晚于规划期末 {last} 年',
        'requires_unapproved': '所依赖的项目 {q} 未在规划期内获批',
        'outcompeted': '未获批:每公顷净值 ',
        'factor_allowance': '因素法:{county}分得的 {y} 年指标已按 w 从高到低用于其他项目',
    },
    'en': {
        'not_ready': 'not ready (ready = false): not a real, ready project, so not eligible',
        'ecological_redline': 'site overlaps the ecological red line by {area} ',
        'permanent_farmland': 'site occupies {area} ',
        'outside_urban': 'site lies {area} ',
        'lock_out': 'locked out (lock = out)',
        'dependency': 'requires {via}, which is excluded, so this project is excluded too',
        'higher_level': '{level} key project, covered by higher-level quota and not charged to the city; phase 1 placed in {year}',
        'approved': 'approved in its earliest year {year}',
        'deferred': 'deferred {k} year(s) to {year} (earliest {e})',
        'partial': 'phase 1 approved in {year}, {m} of {K} phases approved',
        'restricted': 'its county ({county}) is restricted: ',
        'beyond_horizon': 'earliest year {e} is after the horizon ends in {last}',
        'requires_unapproved': 'requires {q}, which is not approved within the horizon',
        'outcompeted': 'not approved: net value ',
        'factor_allowance': "factor method: {county}'s allowance for {y} went to projects of higher w first",
    },
}
SPATIAL = ("ecological_redline", "permanent_farmland", "outside_urban")  # quota/explain/reasons_spatial.py
REASON_CLASSES = {"excluded": ("not_ready", "lock_out", "dependency", *SPATIAL), "higher_level": ("higher_level",),
                  "approved": ("approved",), "deferred": ("deferred",), "partial": ("partial",),
                  "rejected": ("beyond_horizon", "restricted", "requires_unapproved", "outcompeted", "factor_allowance")}



def _pattern(template: str) -> re.Pattern:
    """A reason template (``str.format`` fields) as a regular expression matching its opening; year-like
    fields are digits, the others any text; each field a named group."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name is not None:
            out.append(rf"(?P<{name}>\d+)" if name in ("year", "e", "last", "k", "m", "K") else rf"(?P<{name}>.+?)")
    return re.compile("".join(out), re.S)


REASON_PATTERNS = {lang: {k: _pattern(t) for k, t in d.items()} for lang, d in REASON_TEMPLATES.items()}


def reason_class(text: str, lang: str) -> tuple[str, dict] | None:
    """The class of a reason text and the values it names, or None."""
    for cls, pattern in REASON_PATTERNS.get(lang, REASON_PATTERNS["en"]).items():
        m = pattern.match(text)
        if m:
            return cls, m.groupdict()
    return None


def exclusions(inp: dict) -> pd.DataFrame:
    """Per project: the exclusion code (not_ready, lock_out, dependency or "") and, for a dependency, the
    first excluded project (by id) that its chain of requirements reaches."""
    p, deps = inp["projects"], inp["deps"]
    own = pd.Series("", index=p.index, dtype=object)
    if inp.get("sites") is not None:  # the spatial checks, recomputed from the layers (quota.check.spatial)
        spatial = inp["sites"]["exclusion"]
        own[spatial.index[spatial != ""]] = spatial[spatial != ""]
    own[p["lock"] == "out"] = "lock_out"
    own[~p["ready"]] = "not_ready"
    needs: dict = {}
    for a, b in zip(deps["project_id"], deps["requires"]):
        needs.setdefault(a, []).append(b)
    out = pd.DataFrame({"exclusion": own, "exclusion_via": ""}, index=p.index)
    for pid in p.index[own == ""]:
        seen, todo = set(), list(needs.get(pid, []))
        while todo:
            q = todo.pop()
            if q not in seen:
                seen.add(q)
                todo += needs.get(q, [])
        reached = sorted(q for q in seen if q in own.index and own[q])
        if reached:
            out.loc[pid] = ["dependency", reached[0]]
    return out


def expected_schedule(inp: dict, a: pd.DataFrame) -> pd.DataFrame:
    """Per project, from the allocations and the inputs: plan, first year, phases approved and in the plan,
    phase 1's earliest year, deferral and status (MODEL.md, Precise semantics: Status)."""
    P, ph, first = inp["projects"], inp["phases"], inp["years"][0]
    excl = exclusions(inp)
    higher = higher_mask(inp) & (excl["exclusion"] == "")
    one = a[a["phase"] == 1].sort_values("year").drop_duplicates("project_id").set_index("project_id")
    out = pd.DataFrame(index=P.index)
    out["plan"] = one["plan"].reindex(P.index)
    out["first_year"] = one["year"].reindex(P.index)
    out["phases_approved"] = a.groupby("project_id")["phase"].nunique().reindex(P.index).fillna(0).astype(int)
    plans = ph.groupby("project_id")["plan"].unique()
    key = [pl if isinstance(pl, str) else (plans[pid][0] if pid in plans.index and len(plans[pid]) == 1 else None)
           for pid, pl in zip(P.index, out["plan"])]
    top = ph.groupby(["project_id", "plan"])["phase"].max()
    e1 = ph[ph["phase"] == 1].set_index(["project_id", "plan"])["earliest_year"]
    out["phases_total"] = [top.get((pid, k), np.nan) if k is not None else np.nan for pid, k in zip(P.index, key)]
    e_any = ph[ph["phase"] == 1].groupby("project_id")["earliest_year"].min()
    out["phase1_earliest"] = [e1.get((pid, k), e_any.get(pid, np.nan)) if k is not None else e_any.get(pid, np.nan)
                              for pid, k in zip(P.index, key)]
    out["deferral_years"] = out["first_year"] - out["phase1_earliest"].clip(lower=first)
    out["status"] = np.select([excl["exclusion"] != "", higher, out["first_year"].isna(),
                               out["phases_approved"] < out["phases_total"], out["deferral_years"] > 0],
                              ["excluded", "higher_level", "rejected", "partial", "deferred"], default="approved")
    return out.join(excl)


def rejected_class(inp: dict, pid: str, sched: pd.DataFrame, link: pd.DataFrame) -> tuple[str, str]:
    """The reason class of a rejected project, and the project a ``requires_unapproved`` reason names:
    beyond the horizon; restricted county, not exempt; a requirement not approved; else outcompeted."""
    P, cfg = inp["projects"], inp["cfg"]
    if sched.at[pid, "phase1_earliest"] > inp["years"][-1]:
        return "beyond_horizon", ""
    levels = set(cfg.get("restriction", {}).get("exempt_key_levels", HIGHER))
    exempt = P.at[pid, "category"] in set(cfg["linkage"]["exempt_categories"]) or P.at[pid, "key_level"] in levels
    dynamic = str(cfg.get("restriction", {}).get("dynamic", False)).lower() in ("true", "1")  # restricted by year: it may wait
    if bool(link.at[P.at[pid, "county_id"], "restricted"]) and not exempt and not dynamic:
        return "restricted", ""
    for q in inp["deps"].loc[inp["deps"]["project_id"] == pid, "requires"]:
        if pd.isna(sched.at[q, "first_year"]):
            return "requires_unapproved", q
    return "outcompeted", ""


def check_statuses(c: Checks, inp: dict, alloc_csv: Path, projects_csv: Path, manifest: dict) -> None:
    """Each project's status, plan, first year and phase counts from the allocations, and its reason's
    class (and the years, the level or the project it names) from the status."""
    a = read_allocations(alloc_csv)
    a = a[a["project_id"].isin(inp["projects"].index)]
    got = read_csv(projects_csv, dtype=str, keep_default_na=False).set_index("project_id")
    want = expected_schedule(inp, a)
    link = linkage(inp)
    lang = manifest.get("lang") or inp["cfg"].get("lang") or "zh"
    extra, missing = sorted(set(got.index) - set(want.index)), sorted(set(want.index) - set(got.index))
    c.add("status", "projects", not extra and not missing, "" if not extra and not missing else "check.projects_differ",
          extra=extra, missing=missing)
    for pid in want.index.intersection(got.index):
        w, g = want.loc[pid], got.loc[pid]
        st = w["status"]
        shown = g.get("status")
        bad = [texts("check.status_wrong", want=(st, repr(st)), got=(shown, repr(shown)))] if shown != st else []
        for col, v in (("first_year", w["first_year"]), ("phases_approved", w["phases_approved"])):
            text = "" if pd.isna(v) else str(int(v))
            if col in g and str(g[col]).removesuffix(".0") != text:
                empty = texts("check.empty")
                bad.append(texts("check.status_column", column=col, want=text or empty, got=g[col] or empty))
        if "plan" in g and isinstance(w["plan"], str) and g["plan"] != w["plan"]:
            bad.append(texts("check.status_column", column="plan", want=repr(w["plan"]), got=repr(g["plan"])))
        if st == "excluded" and "exclusion" in g and (g["exclusion"], g.get("exclusion_via", "")) != (w["exclusion"], w["exclusion_via"]):
            bad.append(texts("check.exclusion", want=f"{w['exclusion']} {w['exclusion_via']}".rstrip(),
                             got=f"{g['exclusion']} {g.get('exclusion_via', '')}".rstrip()))
        c.add("status", pid, not bad, ("; ".join(z for z, _ in bad), "; ".join(e for _, e in bad)) if bad else (st, st))
        ok, message = _reason_ok(inp, pid, st, want, link, str(g.get("reason", "")), lang)
        claimed = str(g.get("status", ""))
        if ok and message not in REASON_CLASSES.get(claimed, ()):
            ok, message = False, texts("check.reason_class", cls=message, status=claimed)
        c.add("reason", pid, ok, message if isinstance(message, tuple) else (message, message))


def _reason_ok(inp: dict, pid: str, st: str, want: pd.DataFrame, link: pd.DataFrame, text: str,
               lang: str) -> tuple[bool, str | tuple[str, str]]:
    """(True, the reason's class), or (False, why not as a (zh, en) pair)."""
    found = reason_class(text, lang)
    if found is None:
        return False, texts("check.reason_unknown", text=text[:80], language=lang)
    cls, named = found
    w = want.loc[pid]
    expect = {"excluded": (w["exclusion"],), "higher_level": ("higher_level",), "approved": ("approved",),
              "deferred": ("deferred",), "partial": ("partial",)}.get(st)
    via = ""
    if expect is None:  # rejected
        cls_want, via = rejected_class(inp, pid, want, link)
        # the factor method (quota/solve/factor.py) words an outcompeted project by its county's allowance
        expect = (cls_want, "factor_allowance") if cls_want == "outcompeted" else (cls_want,)
    if cls not in expect:
        return False, texts("check.reason_wrong", status=st, cls=cls, text=text[:60], want=expect[0])
    numbers = {"year": w["first_year"], "e": w["phase1_earliest"] if cls == "beyond_horizon" else max(w["phase1_earliest"], inp["years"][0]),
               "k": w["deferral_years"], "m": w["phases_approved"], "K": w["phases_total"], "last": inp["years"][-1]}
    wrong = [texts("check.reason_number", name=k, named=named[k], value=int(v)) for k, v in numbers.items()
             if k in named and not pd.isna(v) and int(named[k]) != int(v)]
    for k, v in (("via", w["exclusion_via"]), ("q", via)):
        if k in named and named[k] != v:
            wrong.append(texts("check.reason_number", name=k, named=named[k], value=v))
    if "area" in named and cls in SPATIAL:  # the overlap the reason names, against the layers' (2 decimals)
        area = inp["sites"].at[pid, cls]
        try:
            ok = abs(float(named["area"]) - area) <= 0.006
        except ValueError:
            ok = False
        if not ok:
            wrong.append(texts("check.reason_overlap", named=named["area"], value=f"{area:.2f}"))
    if wrong:
        return False, texts("check.reason_numbers", status=st, cls=cls, wrong=("、".join(z for z, _ in wrong), ", ".join(e for _, e in wrong)))
    return True, cls

