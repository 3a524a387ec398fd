"""County caps from the factor-method allowance ``cap_base``, with the linkage multiplier and over-plan deduction.

Mathematical formulation
    Σ_{p∈c} (n_pky + v_pky) ≤ max(0, m_c·cap_base_c − overplan_c)   in the first year (超多少,扣多少)
    Σ_{p∈c} (n_pky + v_pky) ≤ m_c·cap_base_c                        in later years

m_c = 1 + bonus when both disposal tasks are met, else 1 − cut (自然资规〔2018〕1号).
Counties with an empty ``cap_base`` have no cap. Stock is not counted.

Reads: counties.cap_base, counties.overplan, the linkage numbers of ``quota.linkage``.
"""
from __future__ import annotations

from ..linkage import county_cap
from ..model import QuotaModel
from .supply import charged_terms

DOC = __doc__


def add_county_caps(m: QuotaModel) -> None:
    s = m.scenario
    keys, pairs, rhs = [], [], []
    for (county, y), cells in m.cells.groupby(["county_id", "year"], sort=True):
        cap = county_cap(m.linkage, county, y, s.first_year)
        if cap is None:
            continue
        terms = charged_terms(cells)
        if not terms:
            continue
        keys.append((county, y))
        pairs.append(terms)
        rhs.append(cap)
    m.add_rows("county_cap", keys, pairs, "<=", rhs, ("county_id", "year"), DOC)
