"""Which projects enter the model, and why the others do not.

土地要素跟着项目走: only real, ready projects are allocated. A project is
*excluded* when it is not ready, locked out, or requires (directly or through a
chain) a project that is excluded. Provincial and national key projects are
*higher level* when ``key_projects_outside_budget``: placed at their earliest
years outside the city's quota. Which key projects: every provincial and national one
(``key_projects.outside_budget: all_higher``, the first contract), or national ones and
stand-alone-site (单独选址) provincial ones (``national_and_standalone``, RULES.md item 4).

With ``spatial:`` (docs/spatial.md) a project is also excluded when its site overlaps the ecological red line
(``ecological_redline``) or permanent basic farmland (``permanent_farmland``) by more than ``spatial.tolerance``, or
lies outside the urban development boundary by more (``outside_urban``), unless it is of a kind the rule admits with
higher approval (``spatial.*_allowed``). The overlaps are measured in ``quota.spatial``; they are decided here.
"""
from __future__ import annotations

import networkx as nx
import pandas as pd

from .scenario import HIGHER_LEVELS, Scenario


def eval_eligibility(s: Scenario) -> pd.DataFrame:
    """One row per project: ``excluded`` (bool), ``exclusion`` (code), ``exclusion_via`` and ``higher_level``.

    ``exclusion`` is ``not_ready``, ``lock_out``, a spatial check (``SPATIAL_CHECKS``) or ``dependency``; for a
    dependency ``exclusion_via`` names the excluded project the chain leads to.
    """
    p = s.projects
    own = pd.Series("", index=p.index, dtype=object)
    if s.spatial is not None:
        own[:] = eval_spatial_checks(s)["exclusion"]
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


# (exclusion code, figure of quota.spatial.sites, the spatial.* key of the kinds admitted with higher approval), the
# most serious first: a site failing two checks is excluded by the first
SPATIAL_CHECKS = (("ecological_redline", "ecological_redline", "redline_allowed"),
                  ("permanent_farmland", "permanent_farmland", "farmland_allowed"),
                  ("outside_urban", "outside_urban", "outside_urban_allowed"))


def eval_spatial_checks(s: Scenario) -> pd.DataFrame:
    """Per project: for each check its figure (ha; empty without a site or without the control line), whether it
    exceeds ``spatial.tolerance``, and whether the project is of a kind the rule admits (``<code>_allowed``); and
    ``exclusion``, the first check exceeded by a project not admitted ("" for none)."""
    p, sp = s.projects, s.spatial
    fig = sp.figures if sp.figures is not None else pd.DataFrame(index=pd.Index([], name="project_id"))
    out = pd.DataFrame(index=p.index)
    out["exclusion"] = ""
    for code, column, key in reversed(SPATIAL_CHECKS):  # reversed: the most serious is written last, and wins
        value = fig[column].reindex(p.index) if column in fig else pd.Series(float("nan"), index=p.index)
        allowed = admitted(p, getattr(sp.options, key), code)
        exceeded = value.fillna(0.0) > sp.options.tolerance
        out[column] = value
        out[f"{code}_allowed"] = allowed
        out.loc[exceeded & ~allowed, "exclusion"] = code
    return out


def admitted(p: pd.DataFrame, allowed, code: str) -> pd.Series:
    """Is each project of a kind the rule admits with higher approval? The protected lines: its category and its key
    level are both listed; the urban boundary: a stand-alone-site project (when ``standalone_site``) or a listed category."""
    category = p["category"].isin(allowed.categories)
    if code == "outside_urban":
        standalone = p["standalone_site"].astype(bool) if "standalone_site" in p else pd.Series(False, index=p.index)
        return category | (standalone & allowed.standalone_site)
    return category & p["key_level"].isin(allowed.key_levels)
