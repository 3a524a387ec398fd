"""The auditor's idle-land chart (``plot_idle_audit``): each county's parcels by class, and its fees due against levied.

Drawn from idle_parcels.csv alone (the class, area, fee due and fee levied of each parcel), on a bare matplotlib
figure like every chart of ``quota.report.charts``; county names and class words in Chinese only with a CJK font.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .labels import IDLE_CLASS
from .plot import new_figure, save_png

CLASS_ORDER = ("fee", "reclaim", "government", "taken_back", "not_idle", "started_on_time")
CLASS_COLOURS = {"fee": "#E69F00", "reclaim": "#D55E00", "government": "#56B4E9", "taken_back": "#009E73",
                 "not_idle": "#CCCCCC", "started_on_time": "#999999"}
DUE, LEVIED = "#0072B2", "#CC79A7"


def plot_idle_audit(parcels: pd.DataFrame, names: pd.Series, w, path: Path) -> Path:
    """Left: area of each class per county (stacked); right: fee due and fee levied per county (万元).

    ``parcels`` is idle_parcels.csv (area in the scenario's unit); ``names`` maps county id → name; ``w`` the chart's
    ``Words``. A file without a fee_levied column draws the levied bars at 0 (none recorded)."""
    p = parcels.copy()
    levied = pd.to_numeric(p["fee_levied"], errors="coerce") if "fee_levied" in p else pd.Series(0.0, index=p.index)
    p["levied"] = levied.fillna(0.0)
    counties = sorted(p["county_id"].unique())
    area = p.pivot_table(index="county_id", columns="classification", values="area", aggfunc="sum", fill_value=0.0)
    area = area.reindex(index=counties, columns=[c for c in CLASS_ORDER if c in area.columns], fill_value=0.0)
    fees = p.groupby("county_id")[["fee", "levied"]].sum().reindex(counties)
    labels = [w.name(names.get(c), c) for c in counties]
    fig = new_figure(9.0, max(3.0, 1.2 + 0.45 * len(counties)))
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1.2, 1])
    y = np.arange(len(counties))
    bottom = np.zeros(len(counties))
    classes = IDLE_CLASS[w.lang]
    for cls in area.columns:
        vals = area[cls].to_numpy(dtype=float)
        left.barh(y, vals, left=bottom, color=CLASS_COLOURS[cls], edgecolor="white", height=0.7, label=classes.get(cls, cls))
        bottom += vals
    left.set_yticks(y, labels, fontsize=8)
    left.set_ylim(len(counties) - 0.5, -0.5)
    left.set_xlabel(w["idle_area_x"].format(u=w.u))
    left.set_title(w["idle_classes"], fontsize=9)
    right.barh(y - 0.18, fees["fee"].to_numpy(dtype=float), height=0.35, color=DUE, label=w["fee_due"])
    right.barh(y + 0.18, fees["levied"].to_numpy(dtype=float), height=0.35, color=LEVIED, label=w["fee_levied"])
    right.set_xlabel(w["idle_fee_x"])
    right.set_title(w["idle_fees"], fontsize=9)
    for ax in (left, right):
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    fig.suptitle(w["idle_title"], fontsize=11)
    return save_png(fig, path)
