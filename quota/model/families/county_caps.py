"""County caps from the factor-method allowance ``cap_base``, with the linkage multiplier and over-plan deduction.

Seed clause 三(四): 「继续开展批而未供和闲置土地处置专项行动,逐年减少批而未供土地和闲置总量,综合运用"增存挂钩"机制」 (``labels.SEED['linkage']``);
「对批而未供和闲置土地处置缓慢、超计划使用新增用地指标的县(市)实施建设用地限批」 (``labels.SEED['restriction']``)

Mathematical formulation
    Σ_{p∈c} (n_pky + v_pky) ≤ max(0, m_c·cap_base_c − overplan_c)   in the first year (超多少,扣多少)
    Σ_{p∈c} (n_pky + v_pky) ≤ m_c·cap_base_c                        in later years
    + O_cy in a year y before ``as_of`` (re-planning): the over-plan use the ledger records (``past.py``)

Table rows (docs/model.md)
    county cap | `Σ_{p∈c} (n + v)_y ≤ cap_cy` when `cap_base` is given

m_c = 1 + bonus when both disposal tasks are met, else 1 − cut (自然资规〔2018〕1号).
Counties with an empty ``cap_base`` have no cap. Stock is not counted.

Reads: counties.cap_base, counties.overplan, the linkage numbers of ``quota.model.linkage``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..linkage import county_caps
from ..quota_model import QuotaModel, split_terms
from .past import overplan_allowance
from .supply import charged_term_arrays


def add_county_caps(m: QuotaModel) -> None:
    s = m.scenario
    at, var, coef = charged_term_arrays(m.cells)
    county = m.cells["county_id"].to_numpy()[at]
    year = m.cells["year"].to_numpy()[at]
    c, counties = pd.factorize(county, sort=True)
    y, years = pd.factorize(year, sort=True)
    pair, rows = np.unique(c * len(years) + y, return_inverse=True)  # the (county, year) pairs with terms, sorted
    keys = pd.MultiIndex.from_arrays([counties[pair // len(years)], years[pair % len(years)]])
    cap = county_caps(m.linkage, keys.get_level_values(0), keys.get_level_values(1), s.first_year) \
        + overplan_allowance(s, keys.get_level_values(0), keys.get_level_values(1))
    capped = ~np.isnan(cap)  # no cap_base: no row
    pairs = split_terms(rows, var, coef, len(keys))
    m.add_rows("county_cap", keys[capped], [p for p, c in zip(pairs, capped) if c], "<=", cap[capped],
               ("county_id", "year"))
