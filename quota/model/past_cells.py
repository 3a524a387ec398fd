"""Each approval of the ledger against the model's cells (re-planning, ``quota.replan_checks.check_facts``).

The cells are made as ``quota.model.build`` makes them, without a solver: a fact whose cell does not exist (the
project excluded, the year before the phase can start, a county restricted for the horizon) or whose source has no
variable there (advance for a project that is not urgent, stock without ``stock_ok``...) is a contradiction between
the facts and the scenario, named from both sides.
"""
from __future__ import annotations

import pandas as pd

from ..errors import Issue
from ..messages import MESSAGES, both
from .build import eval_projects_frame, make_cells
from .families.province_reserve import province_reserve
from .families.ring_fence import ring_fenced
from .linkage import eval_linkage


def _issue(row: str, column: str, entry: str, **fields) -> Issue:
    return Issue.of("replan.fact-contradiction." + entry, "ledger: approvals", row, column, **fields)


def cell_issues(s, facts) -> list[Issue]:
    """Each approval against the model's cells: eligible project, a year the phase can start in, a source the project
    may draw then. Higher-level projects: placed by the higher level at each phase's earliest year."""
    linkage = eval_linkage(s)
    projects = eval_projects_frame(s, linkage)
    cells = make_cells(s, projects, linkage)
    have = set(cells.index)
    adv = set(cells.index[cells["adv_ok"].to_numpy(dtype=bool)])
    stock = set(cells.index[cells["stock_ok"].to_numpy(dtype=bool)])
    new = set(cells.index[cells["new_ok"].to_numpy(dtype=bool)])
    reserve = province_reserve(s)
    e = s.phases.set_index(["project_id", "plan", "phase"])["earliest_year"]
    issues = []
    a = facts.approvals
    for pid, plan, k, y, src in zip(a["project_id"], a["plan"], a["phase"], a["year"], a["source"]):
        key, row = (pid, plan, k, y), f"{pid}/{plan or '-'}/{k}/{y}"
        p = projects.loc[pid]
        if src == "higher_level" or p["higher_level"]:
            place = max(int(e[(pid, plan, k)]), s.first_year)
            if src != "higher_level" or not p["higher_level"]:
                issues.append(_issue(row, "source", "higher_" + ("is" if p["higher_level"] else "not"),
                                     fix="replan.fact-contradiction.higher.hint", project=pid, source=src, level=p["key_level"]))
            elif y != place:
                issues.append(_issue(row, "year", "higher_year", phase=k, project=pid, year=y, place=place))
            continue
        if p["excluded"]:
            issues.append(_issue(row, "project_id", "excluded" + ("_via" if p["exclusion_via"] else ""),
                                 fix="replan.fact-contradiction.excluded.hint", project=pid, year=y, why=p["exclusion"],
                                 via=p["exclusion_via"]))
        elif key not in have:
            ek = int(e[(pid, plan, k)])
            why = "earliest" if y < ek else "gap" if k > 1 and y >= ek else "restricted"
            why_zh, why_en = both(f"replan.why.{why}", earliest=ek, phase=k, year=y, gap=s.phasing.min_gap, county=p["county_id"])
            issues.append(_issue(row, "year", "cannot", phase=k, project=pid, year=y, why=why_en, why_zh=why_zh))
        elif src == "new" and key not in new or src == "advance" and key not in adv or src == "stock" and key not in stock \
                or src == "province" and not (key in new and p["key_level"] == "provincial" and reserve.get(y, 0) > 0) \
                or src == "ring_fenced" and not ring_fenced(s, pd.Series([p["county_id"]]))[0]:
            why_zh, why_en = both(f"replan.source_why.{src}") if f"replan.source_why.{src}" in MESSAGES else ("", "")
            issues.append(_issue(row, "source", "source_denied", project=pid, year=y, source=src, why=why_en, why_zh=why_zh))
    return issues




