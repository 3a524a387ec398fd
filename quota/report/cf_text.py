"""The counterfactuals in words: the headline's one line (every project accounted for, the widest interval left)
and the alternative of a counterfactual (``counterfactuals.csv``'s ``changes``) for a reader."""
from __future__ import annotations

import pandas as pd

from . import labels as L
from .numbers import number


def cf_line(cf: pd.DataFrame, projects: pd.DataFrame | None, lang: str) -> str:
    """Every project accounted for: the analysed ones by result (exact, intervals, essential, ...), then the
    ones not analysed (excluded, higher level) by status."""
    T = L.TEXT[lang]
    counts = cf["result"].value_counts()
    order = list(L.CF_COUNT[lang]) + sorted(set(counts.index) - set(L.CF_COUNT[lang]))
    parts = [L.CF_COUNT[lang].get(r, "{k} " + str(r)).format(k=int(counts.get(r, 0)))
             for r in order if r == "solved" or counts.get(r, 0)]
    text = T["cf_line"].format(n=len(cf), parts=L.LIST_SEP[lang].join(parts))
    interval = cf[cf["result"].isin(["solved", "bounded"])]
    if len(interval) and {"loss_low", "loss_high"} <= set(cf.columns):
        from ..explain.counterfactual import tolerance

        width = (interval["loss_high"] - interval["loss_low"]).astype(float)
        within = int((width <= interval["loss_high"].astype(float).map(tolerance) + 1e-9).sum())
        within += int(cf["result"].isin(["essential", "impossible"]).sum())
        text += T["cf_widest"].format(w=number(float(width.max()), 2, lang), k=within)
    if projects is not None:
        rest = projects[~projects["project_id"].astype(str).isin(cf["project_id"].astype(str))]
        if len(rest):
            by = rest["status"].value_counts()
            which = L.LIST_SEP[lang].join(f"{L.STATUS[lang].get(k, k)} {int(n)}" for k, n in by.items())
            text += T["cf_rest"].format(m=len(rest), which=which)
    return text


def changes_text(changes, names: pd.Series, lang: str) -> str:
    """counterfactuals.csv's ``changes`` ("in P012 2024 3.500000; out P044 2023 2.100000; moved P050 2023>2024") for
    a reader: + approved instead, − displaced, ~ moved, each project by name, its years and area (2 decimals)."""
    if not isinstance(changes, str) or not changes.strip():
        return ""
    if changes == "none":
        return L.TEXT[lang]["cf_no_change"]
    out = []
    for item in changes.split("; "):
        word, pid, *rest = item.split(" ")
        name = names.get(pid, "") if hasattr(names, "get") else ""
        who = (f"{name}({pid})" if lang == "zh" else f"{name} ({pid})") if name else pid
        mark = {"in": "+", "out": "−", "moved": "~"}.get(word, word)
        if word == "moved" and rest:
            out.append(f"{mark}{who} {rest[0].replace('>', '→')}")
        elif len(rest) > 1:
            out.append(f"{mark}{who} {rest[0]} {number(float(rest[1]), 2, lang)}")
        else:
            out.append(f"{mark}{who}")
    return L.LIST_SEP[lang].join(out)
