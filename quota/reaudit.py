"""``quota audit --resolve``: re-solve a run's scenario from its inputs, for the audit to compare.

Kept apart from ``quota.check.audit``, which imports no model-building or solving code: the audit is given
``optimum`` (this function) and checks the run's claimed objective, bound and gap against what it returns.
"""
from __future__ import annotations

import copy
from pathlib import Path

from .check.provenance import scenario_raw
from .input.validate import validate
from .ledger.facts import read_facts_folder
from .replan import with_facts
from .model.build import build_model
from .solve.solution import SolveOptions, solve

RESOLVE_GAP = 1e-6  # tighter than a run's default 1e-4, so that the optimum found is a fair yardstick


def optimum(manifest: dict, time_limit: float | None = 300.0) -> tuple[float, float | None]:
    """The best objective a fresh solve of the run's scenario (with its ``--set`` overrides) finds, and its
    bound, in value-weighted hectares as summary.json. HiGHS is the yardstick, whatever solver the run used."""
    raw, _ = scenario_raw(manifest)
    s = validate(copy.deepcopy(raw))
    if manifest.get("facts"):  # a re-plan: the same facts, from the run folder (quota.check.audit passes run_dir)
        s = with_facts(s, read_facts_folder(Path(manifest["run_dir"]) / "facts", int(manifest["facts"]["as_of"])))
    opts = SolveOptions(solver="highs", time_limit=time_limit, gap=RESOLVE_GAP)
    sol = solve(build_model(s), opts)
    return float(sol.objective), (None if sol.bound is None else float(sol.bound))
