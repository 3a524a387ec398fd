"""``eval_explanations``: every explanation table of a solved run, computed in one pass.

Order matters because each LP re-solve leaves its own values on the variables: slack first (at
the MIP solution), then the fixed LP (shadow prices at the chosen approvals), then the LP
relaxation (prices that decide approvals), then, on request, the counterfactuals.
"""
from __future__ import annotations

import time

import pandas as pd

from ..model.quota_model import QuotaModel
from ..solve.cluster import local_workers
from ..solve.solution import Solution
from .counterfactual import eval_counterfactuals
from .fixed import solve_fixed_lp, solve_relaxation
from .prices import eval_project_prices
from .shadow import CAVEAT, eval_shadow_prices, eval_slacks


def eval_explanations(m: QuotaModel, sol: Solution, lang: str, counterfactuals: bool = False,
                      budget: float = 45.0, full: bool = False, progress=None, scheduler: str | None = None
                      ) -> dict[str, pd.DataFrame]:
    timings = {}
    t = time.perf_counter()
    slacks = eval_slacks(m)
    solve_fixed_lp(m, sol)
    shadow = eval_shadow_prices(m, lang)
    relaxation = solve_relaxation(m, sol)
    relaxed = eval_shadow_prices(m, lang)
    shadow["relaxation_price_per_ha"] = relaxed["shadow_price_per_ha"].to_numpy()
    shadow["relaxation_price_per_unit"] = relaxed["shadow_price_per_unit"].to_numpy()
    relaxed_x = pd.Series([x.value() or 0.0 for x in m.cells["x"]], index=m.cells.index)
    project_prices = eval_project_prices(m, shadow, relaxed_x)
    shadow.attrs["caveat"] = CAVEAT[lang]
    shadow.attrs["relaxation_objective"] = relaxation
    timings["prices"] = time.perf_counter() - t
    out = {"shadow_prices": shadow, "constraints": slacks, "project_prices": project_prices}
    if counterfactuals:
        t = time.perf_counter()
        out["counterfactuals"] = eval_counterfactuals(m, sol, budget=budget, full=full, progress=progress,
                                                      gap=sol.options.gap, scheduler=scheduler,
                                                      workers=local_workers(sol.options.threads))
        timings["counterfactuals"] = time.perf_counter() - t
    out["timings"] = timings
    return out
