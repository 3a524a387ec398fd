"""Objective: the value of approved land, less linkage penalties and advance cost, plus stock credit.

Seed clause 三(四): 「对利于县域经济发展的优质项目,在新增建设用地计划指标上予以倾斜支持」 (``labels.SEED['tilt']``)

Mathematical formulation (maximised, areas in hectares)
    Σ w_p·a_pk·δ^(y − max(e_pk, y_1))·x_pky − Σ π_c(p)·(n + v)_pky − cost_adv·Σ v + γ·Σ s

With n + v = a·x − s this is, per cell, the coefficient a·(w·δ^t − π) on x,
−cost_adv on v and (π + γ) on s. δ = ``delay_discount``; t counts the years a
phase waits past its earliest year (or past the first year, for projects that
were already waiting). Higher-level key projects add nothing.

Reads: the scores of ``quota.model.score``, the penalties of ``quota.model.linkage``, advance.cost, linkage.stock_credit.
"""
from __future__ import annotations

from .. import compat
from ..quota_model import QuotaModel
from .earned import extra_objective_terms
from .supply import term_arrays


def set_objective(m: QuotaModel) -> None:
    s = m.scenario
    c = m.cells
    area, pi = c["area"].to_numpy(dtype=float), c["penalty"].to_numpy(dtype=float)
    value = area * (c["w"].to_numpy(dtype=float) * c["discount"].to_numpy(dtype=float) - pi)
    _, var, coef = term_arrays(c, [("x", value), ("v", -s.advance.cost), ("s", pi + s.linkage.stock_credit)])
    m.prob.setObjective(compat.expr(list(zip(var.tolist(), coef.tolist())) + extra_objective_terms(m) + m.slack_objective_terms()))
