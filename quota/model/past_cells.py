"""Each approval of the ledger against the model's cells (re-planning, ``quota.replan_checks.check_facts``).

The cells are made as ``quota.model.build`` makes them, without a solver: a fact whose cell does not exist (the
project excluded, the year before the phase can start, a county restricted for the horizon) or whose source has no
variable there (advance for a project that is not urgent, stock without ``stock_ok``...) is a contradiction between
the facts and the scenario, named from both sides.
"""
from __future__ import annotations

import pandas as pd

from ..errors import Issue
from .build import eval_projects_frame, make_cells
from .families.province_reserve import province_reserve
from .families.ring_fence import ring_fenced
from .linkage import eval_linkage


def _issue(row: str, column: str, message: str, hint: str) -> Issue:
    return Issue("fact-contradiction", "ledger: approvals", row, column, message, hint)


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
                issues.append(_issue(row, "source", f"{pid} was approved on {src}, but under the scenario it is "
                                     f"{'' if p['higher_level'] else 'not '}a key project outside the city budget (key_level "
                                     f"{p['key_level']}).", "correct the fact's source, or key_level in projects.csv."))
            elif y != place:
                issues.append(_issue(row, "year", f"the higher level placed phase {k} of {pid} in {y}, but the model places "
                                     f"it at its earliest year {place} (phases.csv / projects.csv).",
                                     f"set earliest_year of phase {k} to {y}, or correct the fact's year."))
            continue
        if p["excluded"]:
            issues.append(_issue(row, "project_id", f"{pid} was approved in {y}, but the scenario excludes it "
                                 f"({p['exclusion']}{' via ' + p['exclusion_via'] if p['exclusion_via'] else ''}).",
                                 "make the project ready (ready, lock, or what it requires) in projects.csv, or correct the fact."))
        elif key not in have:
            ek = int(e[(pid, plan, k)])
            why = (f"its earliest year is {ek} (phases.csv / projects.csv)" if y < ek else
                   f"phase {k} cannot come {y} with min_gap {s.phasing.min_gap} after its earlier phases" if k > 1 and y >= ek else
                   f"its county {p['county_id']} is restricted (限批) for the horizon and it may draw neither quota nor stock")
            issues.append(_issue(row, "year", f"phase {k} of {pid} was approved in {y}, but the model cannot approve it then: "
                                 f"{why}.", "correct the scenario (earliest_year, the county's restriction) or the fact."))
        elif src == "new" and key not in new or src == "advance" and key not in adv or src == "stock" and key not in stock \
                or src == "province" and not (key in new and p["key_level"] == "provincial" and reserve.get(y, 0) > 0) \
                or src == "ring_fenced" and not ring_fenced(s, pd.Series([p["county_id"]]))[0]:
            issues.append(_issue(row, "source", f"{pid} was approved in {y} on {src}, but the scenario does not let it draw "
                                 f"{src} then ({SOURCE_WHY.get(src, '')}).",
                                 "correct the fact's source, or the project's columns (urgent, stock_ok, county) in the scenario."))
    return issues


SOURCE_WHY = {"new": "its county is restricted (限批) and it is not exempt", "advance": "only urgent projects draw advance, "
              "in the years advance may be drawn, outside restricted counties", "stock": "only stock_ok projects in counties "
              "with usable_stock draw stock", "province": "only provincial key projects that are not stand-alone-site, in "
              "years with a provincial reserve", "ring_fenced": "only projects of poverty counties, when ring_fence.per_county > 0"}


