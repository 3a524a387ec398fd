"""Quality score ``w_p``: value per hectare, kept term by term for the report.

对优质项目予以倾斜支持 (tilt quota toward high-quality projects):

    w_p = 1 + Σ_i β_i·z_ip + urgent_bonus·[urgent_p] + key_bonus[key_level_p]

where ``z_ip`` are investment, tax and jobs per hectare of the project's
``area``, each min-max scaled to [0, 1] over every project that is not excluded
(higher-level ones included); a term whose max equals its min is 0.
"""
from __future__ import annotations

import pandas as pd

from ..input.scenario import Scenario

INTENSITIES = {"investment_intensity": "investment", "tax_intensity": "annual_tax", "jobs_intensity": "jobs"}


def eval_scores(s: Scenario, eligibility: pd.DataFrame) -> pd.DataFrame:
    """Per project: raw intensities, scaled z, each weighted term, and ``w``."""
    p = s.projects
    pop = ~eligibility["excluded"]
    out = pd.DataFrame(index=p.index)
    out["w_base"] = 1.0
    total = out["w_base"].copy()
    for term, column in INTENSITIES.items():
        raw = p[column].astype(float) / p["area"].astype(float)
        lo, hi = raw[pop].min(), raw[pop].max()
        z = (raw - lo) / (hi - lo) if pop.any() and hi > lo else raw * 0.0
        out[term] = raw
        out[f"z_{term}"] = z
        out[f"w_{term}"] = s.scoring.weight(term) * z
        total = total + out[f"w_{term}"]
    out["w_urgent"] = s.scoring.urgent_bonus * p["urgent"].astype(float)
    out["w_key"] = p["key_level"].map({level: s.scoring.key(level) for level in p["key_level"].unique()})
    out["w"] = total + out["w_urgent"] + out["w_key"]
    return out
