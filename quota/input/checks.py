"""Checks across rows and tables of a parsed scenario: ids unique, references known, phases, dependencies, parcels, locks.

Joins are strict: an unknown county or project is an error, never a dropped row; two ids that are the same once
normalised (``quota.input.cells.normal_id``: 'Ｐ001' and 'P001') are an error naming both rows. A plan's phases run
1..K and add up to the project's area; dependencies form no cycle; the idle parcels of a county add up to its
``idle_stock``; a lock-in can be honoured (``check_locks``, on the built ``Scenario``). Each check adds every
problem it finds to ``issues``; ``quota.input.validate`` calls them in a fixed order, so the order of the
reported problems is fixed too.
"""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import Issue
from ..messages import MESSAGES, both
from .cells import normal_id
from .read import RawScenario
from .scenario import HIGHER_LEVELS, MU_PER_HA, Scenario
from .tables import RawTable


def _check_collisions(raw: RawTable, values: list, col: str, issues: list[Issue], scope: list | None = None) -> None:
    """Ids written differently that are the same once normalised (``normal_id``), within one ``scope`` value
    (a plan within its project): an error naming both rows."""
    groups: dict = {}
    for i, v in enumerate(values):
        if isinstance(v, str):  # an empty or refused cell is None (or NaN in a frame): reported elsewhere
            groups.setdefault((scope[i] if scope else None, normal_id(v)), {}).setdefault(v, []).append(i)
    for (owner, norm), forms in groups.items():
        if len(forms) < 2:
            continue
        shown = [both("checks.id-form", form=repr(f), s="s" if len(rows) > 1 else "",
                      lines=", ".join(str(raw.line(i)) for i in rows[:5])) for f, rows in forms.items()]
        issues.append(Issue.of("checks.duplicate-id.forms", raw.label, f"{owner}/{norm}" if owner else norm, col, col=col,
                               shown=" and ".join(en for _, en in shown), shown_zh="、".join(zh for zh, _ in shown),
                               norm=repr(norm)))


def check_unique(raw: RawTable, parsed: pd.DataFrame, col: str, issues: list[Issue]) -> None:
    if parsed is None or col not in parsed:
        return
    _check_collisions(raw, parsed[col].tolist(), col, issues)
    counts = parsed[col].dropna().value_counts()
    for value in counts[counts > 1].index:
        rows = [i for i, v in enumerate(parsed[col]) if v == value]
        lines = ", ".join(str(raw.line(i)) for i in rows)
        if len({tuple(raw.frame.iloc[i]) for i in rows}) == 1:
            issues.append(Issue.of("checks.duplicate-id.rows", raw.label, value, col, value=repr(value), n=counts[value], lines=lines))
        else:
            issues.append(Issue.of("checks.duplicate-id.values", raw.label, value, col, value=repr(value), n=counts[value], lines=lines))


def check_refs(raw: RawTable, parsed: pd.DataFrame, keys: list[str], col: str, target: pd.DataFrame, target_name: str,
                issues: list[Issue], target_col: str | None = None, target_raw: RawTable | None = None) -> None:
    target_col = target_col or col
    if parsed is None or target is None or col not in parsed or target_col not in target:
        return
    known = set(target[target_col].dropna().tolist())
    normal = None
    for key, value in zip(keys, parsed[col].tolist()):
        if isinstance(value, str) and value not in known:  # an empty or refused cell is None or NaN: reported already
            if normal is None:
                normal = {normal_id(v): v for v in known}
            if normal_id(value) in normal:
                same = normal[normal_id(value)]
                issues.append(Issue.of("checks.id-mismatch", raw.label, key, col, value=repr(value), same=repr(same), table=target_name,
                                       where=f" ({target_raw.label})" if target_raw is not None else "",
                                       where_zh=f"({target_raw.label})" if target_raw is not None else ""))
                continue
            issues.append(Issue.of("checks.unknown-ref", raw.label, key, col, value=repr(value), table=target_name))


def _area_text(ha: float, params: dict) -> str:
    """An area for a message, in the scenario's unit: the number the user wrote."""
    unit = params.get("unit", "ha")
    return f"{ha * (MU_PER_HA if unit == 'mu' else 1.0):g} {unit}"


def check_projects(raw: RawTable, projects: pd.DataFrame, keys: list[str], params: dict, issues: list[Issue]) -> None:
    if projects is None or "area" not in projects or "farmland_area" not in projects:
        return
    for key, a, f in zip(keys, projects["area"], projects["farmland_area"]):
        if a is not None and f is not None and f > a * (1 + 1e-9):
            issues.append(Issue.of("checks.farmland-exceeds-area", raw.label, key, "farmland_area", farmland=_area_text(f, params),
                                   area=_area_text(a, params)))


def build_phases(raw: RawTable | None, phases: pd.DataFrame | None, keys: list[str] | None, projects: pd.DataFrame, params: dict,
                  issues: list[Issue]) -> pd.DataFrame:
    cols = ["project_id", "plan", "phase", "area", "farmland_area", "earliest_year"]
    base = projects.dropna(subset=["project_id"])[["project_id", "area", "farmland_area", "earliest_year"]].copy() if projects is not None and "project_id" in projects else pd.DataFrame(columns=cols)
    if phases is None or len(phases) == 0:
        phases = pd.DataFrame(columns=cols)
    else:
        check_refs(raw, phases, keys, "project_id", projects, "projects", issues)
        _check_collisions(raw, phases["plan"].tolist(), "plan", issues, scope=phases["project_id"].tolist())
        phases = phases.assign(_key=keys)
        for key, a, f in zip(keys, phases["area"], phases["farmland_area"]):
            if a is not None and f is not None and f > a * (1 + 1e-9):
                issues.append(Issue.of("checks.farmland-exceeds-area.phase", raw.label, key, "farmland_area",
                                       farmland=_area_text(f, params), area=_area_text(a, params)))
        dup = phases.duplicated(["project_id", "plan", "phase"], keep=False)
        for key in phases.loc[dup, "_key"].unique():
            issues.append(Issue.of("checks.duplicate-id.phase", raw.label, key, "phase"))
        proj = base.drop_duplicates("project_id").set_index("project_id")  # duplicates are reported elsewhere
        valid = phases.dropna(subset=["project_id", "phase"])
        for g in _suspect_plans(valid, proj):
            _check_plan(raw, g, proj, params, issues)
        phases = phases.drop(columns="_key")
    unphased = base[~base["project_id"].isin(set(phases["project_id"].tolist()))].assign(plan="", phase=1)
    full = pd.concat([phases[cols], unphased[cols]], ignore_index=True)
    full = full.dropna(subset=["project_id", "phase"])
    full["phase"] = full["phase"].astype(int)
    return full.sort_values(["project_id", "plan", "phase"]).reset_index(drop=True)


def _suspect_plans(phases: pd.DataFrame, proj: pd.DataFrame):
    """The rows of each plan (project, plan) that ``_check_plan`` might find fault with, in the order the plans
    first appear. The tests run on whole columns and are looser than ``_check_plan``'s, so no faulty plan is
    missed; the few plans they let through are checked one by one, with the exact messages."""
    gid = phases.groupby(["project_id", "plan"], sort=False).ngroup().to_numpy()  # -1: no plan (no plan column)

    def number(frame, col):
        return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float, na_value=float("nan"))

    phase, area, early = number(phases, "phase"), number(phases, "area"), number(phases, "earliest_year")
    owner = proj.reindex(phases["project_id"])
    parea, pearly = number(owner, "area"), number(owner, "earliest_year")
    rows = pd.DataFrame({"gid": gid, "phase": phase, "area": area, "nan_area": pd.isna(area),
                         "early": (phase == 1) & (early < pearly)})[gid >= 0]
    by = rows.groupby("gid", sort=True)
    size, total = by.size(), by["area"].sum()
    plan_area = pd.Series(parea[gid >= 0]).groupby(rows["gid"].to_numpy()).first()
    numbering_ok = (by["phase"].min() == 1) & (by["phase"].max() == size) & (by["phase"].nunique() == size)
    sum_ok = ~((total - plan_area).abs() > 0.5e-6 * plan_area.abs().clip(lower=1e-9)) & ~by["nan_area"].any()
    suspect = (~numbering_ok | ~sum_ok | by["early"].any()).to_numpy()
    order = np.argsort(gid, kind="stable")
    starts = np.searchsorted(gid[order], by.size().index.to_numpy())
    ends = np.append(starts[1:], len(order))
    for k in np.flatnonzero(suspect):
        yield phases.iloc[order[starts[k]:ends[k]]]


def _check_plan(raw: RawTable, g: pd.DataFrame, proj: pd.DataFrame, params: dict, issues: list[Issue]) -> None:
    """One plan's phases: numbered 1..K, adding up to the project's area, phase 1 not before the project."""
    pid, plan = g["project_id"].iloc[0], g["plan"].iloc[0]
    if pid not in proj.index:
        return
    label = f"{pid}/{plan or '-'}"
    numbers = sorted(g["phase"])
    if numbers != list(range(1, len(numbers) + 1)):
        issues.append(Issue.of("checks.phase-numbering", raw.label, label, "phase", numbers=numbers))
    total, area = g["area"].sum(min_count=len(g)), proj.at[pid, "area"]
    if pd.notna(total) and area is not None and abs(total - area) > 1e-6 * max(abs(area), 1e-9):
        issues.append(Issue.of("checks.phase-sum", raw.label, label, "area", total=_area_text(total, params), area=_area_text(area, params)))
    first = g.loc[g["phase"] == 1, "earliest_year"]
    e = proj.at[pid, "earliest_year"]
    if len(first) and first.iloc[0] is not None and e is not None and first.iloc[0] < e:
        issues.append(Issue.of("checks.phase-before-project", raw.label, f"{label}/1", "earliest_year", year=first.iloc[0], earliest=e))


def check_dependencies(raw: RawTable, deps: pd.DataFrame, keys: list[str], projects: pd.DataFrame, issues: list[Issue]) -> None:
    for col in ("project_id", "requires"):
        check_refs(raw, deps, keys, col, projects, "projects", issues, target_col="project_id")
    graph = nx.DiGraph()
    for key, p, q in zip(keys, deps["project_id"].tolist(), deps["requires"].tolist()):
        if not isinstance(p, str) or not isinstance(q, str):  # a cell already refused (missing or unreadable id)
            continue
        if graph.has_edge(p, q):
            issues.append(Issue.of("checks.duplicate-row.dependency", raw.label, key, "requires", "warning", p=p, q=q))
            continue
        if p == q:
            issues.append(Issue.of("checks.dependency-self", raw.label, key, "requires", p=p))
            continue
        graph.add_edge(p, q)
    for cycle in ([] if nx.is_directed_acyclic_graph(graph) else nx.simple_cycles(graph)):
        path = " → ".join(map(str, cycle + [cycle[0]]))
        issues.append(Issue.of("checks.dependency-cycle", raw.label, cycle[0], "requires", path=path))


def check_parcels_match(raw: RawScenario, parcels: pd.DataFrame, counties: pd.DataFrame, params: dict, issues: list[Issue]) -> None:
    """A county's ``idle_stock`` against the parcels it lists.

    Where disposal is tracked year by year (``Rules.stock_moves``: earned linkage or dynamic restriction) disposing
    of idle land earns quota or lifts 限批, so idle stock must be exactly the land the idle-land module classes as
    idle at the assessment date (fee, reclaim or government, of either kind of Order 53 Art. 2: not started a full
    year, or started below the ¶2 thresholds and halted a full year): a parcel less than a year late, started on
    time, or taken back (usable stock of its county from the next year: ``quota.input.idle.eval_taken_back``), is
    listed but is not idle land. Under the first contract, idle stock is only the denominator of the disposal
    rate, and either reading is accepted: every listed parcel, or those classed idle (so that one scenario's data
    may be run under either rule set)."""
    if counties is None or "idle_stock" not in counties or parcels is None:
        return
    from .idle import idle_at_assessment  # the one classification

    listed = parcels.dropna(subset=["county_id", "area"])
    every = listed.groupby("county_id")["area"].sum()
    idle = listed[idle_at_assessment(listed, params["idle_land"])].groupby("county_id")["area"].sum().reindex(every.index, fill_value=0.0)
    strict = params["rules"].stock_moves
    stock = counties.dropna(subset=["county_id"]).drop_duplicates("county_id").set_index("county_id")["idle_stock"]  # duplicates are reported elsewhere
    f = 15.0 if params.get("unit") == "mu" else 1.0
    unit = params.get("unit", "ha")
    label = raw.tables["idle_parcels"].label
    for cid in every.index:
        if cid not in stock.index or stock[cid] is None or pd.isna(stock[cid]):
            continue
        near = [abs(stock[cid] - t) <= 1e-6 * max(t, 1e-9) + 1e-9 for t in (every[cid], idle[cid])]
        if near[1] or (near[0] and not strict):
            continue
        issues.append(Issue.of("checks.idle-mismatch." + ("strict" if strict else "either"), raw.tables["counties"].label, cid,
                               "idle_stock", stock=f"{stock[cid] * f:g}", unit=unit, label=label, idle=f"{idle[cid] * f:g}",
                               every=f"{every[cid] * f:g}"))


def _exclusion_text(row) -> dict[str, str]:
    """Why a project is excluded, in both languages (``why``, ``why_zh``), from the catalogue's checks.exclusion.*."""
    key = f"checks.exclusion.{row['exclusion']}"
    zh, en = both(key, via=row["exclusion_via"]) if key in MESSAGES else (row["exclusion"], row["exclusion"])
    return {"why": en, "why_zh": zh}


def check_locks(s: Scenario, raw: RawScenario, issues: list[Issue]) -> None:
    from .eligibility import eval_eligibility  # the one definition of exclusion

    label = raw.tables["projects"].label
    elig = eval_eligibility(s)
    first = s.phases[s.phases["phase"] == 1].groupby("project_id", sort=False)["earliest_year"].min()
    for pid, ready in s.projects.loc[s.projects["lock"] == "in", "ready"].items():
        if not ready:
            issues.append(Issue.of("checks.lock-not-ready", label, pid, "lock"))
        elif elig.at[pid, "excluded"]:
            issues.append(Issue.of("checks.lock-excluded", label, pid, "lock", **_exclusion_text(elig.loc[pid])))
        elif first[pid] > s.last_year:
            issues.append(Issue.of("checks.lock-beyond-horizon", label, pid, "lock", first=first[pid], last=s.last_year))
    if s.key_projects_outside_budget:
        plans = s.phases.groupby("project_id", sort=False)["plan"].nunique()
        higher = plans.reindex(s.projects.index[s.projects["key_level"].isin(HIGHER_LEVELS)])  # NaN (no phases): one plan
        for pid in higher.index[higher > 1]:
            issues.append(Issue.of("checks.higher-level-plans", raw.tables.get("phases", raw.tables["projects"]).label, pid, "plan"))
