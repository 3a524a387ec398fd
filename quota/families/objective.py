"""Objective: the value of approved land, less linkage penalties and advance cost, plus stock credit.

Mathematical formulation (maximised, areas in hectares)
    Σ w_p·a_pk·δ^(y − max(e_pk, y1))·x_pky − Σ π_c(p)·(n + v)_pky − cost_adv·Σ v + γ·Σ s

With n + v = a·x − s this is, per cell, the coefficient a·(w·δ^t − π) on x,
−cost_adv on v and (π + γ) on s. δ = ``delay_discount``; t counts the years a
phase waits past its earliest year (or past the first year, for projects that
were already waiting). Higher-level key projects add nothing.

Reads: the scores of ``quota.score``, the penalties of ``quota.linkage``, advance.cost, linkage.stock_credit.
"""
from __future__ import annotations

from .. import compat
from ..model import QuotaModel

DOC = __doc__


def set_objective(m: QuotaModel) -> None:
    s = m.scenario
    c = m.cells
    terms = []
    gamma, cost = s.linkage.stock_credit, s.advance.cost
    for x, v, st, a, w, d, pi in zip(c["x"], c["v"], c["s"], c["area"], c["w"], c["discount"], c["penalty"]):
        terms.append((x, a * (w * d - pi)))
        if v is not None:
            terms.append((v, -cost))
        if st is not None:
            terms.append((st, pi + gamma))
    m.prob.setObjective(compat.expr(terms + m.slack_objective_terms()))
    m.formulations["objective"] = DOC
