"""Which projects enter the model, and why the others do not.

土地要素跟着项目走: only real, ready projects are allocated. A project is
*excluded* when it is not ready, locked out, or requires (directly or through a
chain) a project that is excluded. Provincial and national key projects are
*higher level* when ``key_projects_outside_budget``: placed at their earliest
years outside the city's quota. Which key projects: every provincial and national one
(``key_projects.outside_budget: all_higher``, the first contract), or national ones and
stand-alone-site (单独选址) provincial ones (``national_and_standalone``, RULES.md item 4).
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .scenario import HIGHER_LEVELS, Scenario


def eval_eligibility(s: Scenario) -> pd.DataFrame:
    """One row per project: ``excluded`` (bool), ``exclusion`` (code), ``exclusion_via`` and ``higher_level``.

    ``exclusion`` is ``not_ready``, ``lock_out`` or ``dependency``; for a
    dependency ``exclusion_via`` names the excluded project the chain leads to.
    """
    p = s.projects
    own = pd.Series("", index=p.index, dtype=object)
    own[p["lock"] == "out"] = "lock_out"
    own[~p["ready"].astype(bool)] = "not_ready"
    graph = nx.DiGraph(zip(s.dependencies["project_id"], s.dependencies["requires"]))  # only projects in a dependency
    via = pd.Series("", index=p.index, dtype=object)
    for q in sorted(own.index[own != ""]):  # sorted: each dependent names the first excluded id
        if q not in graph or graph.in_degree(q) == 0:
            continue
        for pid in nx.ancestors(graph, q):  # every project that requires q, transitively
            if not own[pid] and not via[pid]:
                via[pid] = q
    out = pd.DataFrame(index=p.index)
    out["exclusion"] = own.where(own != "", via.map(lambda q: "dependency" if q else ""))
    out["exclusion_via"] = via
    out["excluded"] = out["exclusion"] != ""
    out["higher_level"] = (~out["excluded"]) & s.key_projects_outside_budget & outside_budget_level(s)
    return out


def outside_budget_level(s: Scenario) -> pd.Series:
    """Per project: is its key level one that ``key_projects.outside_budget`` puts outside the city budget?"""
    p = s.projects
    if s.rules.key_projects.outside_budget == "national_and_standalone":
        return (p["key_level"] == "national") | ((p["key_level"] == "provincial") & p["standalone_site"].astype(bool))
    return p["key_level"].isin(HIGHER_LEVELS)
