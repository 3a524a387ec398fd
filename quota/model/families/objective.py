"""Objective: the value of approved land, less linkage penalties and advance cost, plus stock credit.

Seed clause 三(四): 「对利于县域经济发展的优质项目,在新增建设用地计划指标上予以倾斜支持」 (``labels.SEED['tilt']``)

Mathematical formulation (maximised, areas in hectares)
    Σ w_p·a_pk·δ^(y − max(e_pk, y_1))·x_pky − Σ π_c(p)·(n + v)_pky − cost_adv·Σ v + γ·Σ s
    within_year advance adds the early batch's gain: + Σ w_p·a_pk·(δ^(y − max(e_pk, y_1) − g) − δ^(y − max(e_pk, y_1)))·b_pky

With n + v = a·x − s this is, per cell, the coefficient a·(w·δ^t − π) on x,
−cost_adv on v and (π + γ) on s. Province reserve p and ring-fenced quota r, when the rules
give them, are not the city's linkage quota: n + v = a·x − s − p − r, so each gets π. δ = ``delay_discount``; t counts the years a
phase waits past its earliest year (or past the first year, for projects that
were already waiting). Higher-level key projects add nothing. g = ``advance.early_gain``:
a phase in the early batch (RULES.md 5, ``early_batch.py``) starts that much earlier.

Reads: the scores of ``quota.model.score``, the penalties of ``quota.model.linkage``, advance.cost, linkage.stock_credit,
advance.early_gain.
"""
from __future__ import annotations

from .. import compat
from ..quota_model import QuotaModel
from .early_batch import early_gain_coef
from .earned import extra_objective_terms
from .supply import extra_sources, term_arrays


def set_objective(m: QuotaModel) -> None:
    s = m.scenario
    c = m.cells
    area, pi = c["area"].to_numpy(dtype=float), c["penalty"].to_numpy(dtype=float)
    value = area * (c["w"].to_numpy(dtype=float) * c["discount"].to_numpy(dtype=float) - pi)
    columns = [("x", value), ("v", -s.advance.cost), ("s", pi + s.linkage.stock_credit)]
    columns += [(e, pi) for e in extra_sources(c)]  # province and ring-fenced quota pay no π
    if "b" in c:  # within_year advance: the early batch's gain
        columns.append(("b", early_gain_coef(s, c)))
    _, var, coef = term_arrays(c, columns)
    m.prob.setObjective(compat.expr(list(zip(var.tolist(), coef.tolist())) + extra_objective_terms(m) + m.slack_objective_terms()))
