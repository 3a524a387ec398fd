"""Chart helpers shared by every ``plot_*`` function: a figure without pyplot, PNG saving, a Gantt chart.

Charts are drawn on a bare ``matplotlib.figure.Figure`` (no pyplot, no global backend), so
library and test code can draw in any process. Callers call ``quota.report.fonts.setup_fonts()`` first
and pass labels already chosen for the font: Chinese when ``has_cjk()``, ids and English
otherwise. Nothing here decides a language.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .labels import CHART, UNIT

DPI = 150


@dataclass(frozen=True)
class Words:
    """What a chart may print: chart words in a language the font can draw, and project and county labels."""

    lang: str
    unit: str
    cjk: bool

    def __getitem__(self, key: str) -> str:
        return CHART[self.lang][key]

    def name(self, name, ident) -> str:
        """A project's or county's Chinese name with a CJK font, else its id."""
        return str(name) if self.cjk and isinstance(name, str) and name else str(ident)

    @property
    def u(self) -> str:
        return UNIT[self.lang][self.unit]


@dataclass(frozen=True)
class Style:
    """How one series of bars looks, and its legend label."""

    label: str
    color: str
    hatch: str = ""


# colour-blind-safe pair (Okabe–Ito blue and vermillion); B is hatched too, so print in grey still tells them apart
PAIR = (Style("A", "#0072B2"), Style("B", "#D55E00", "//"))


def new_figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def save_png(fig: Figure, path: str | Path, dpi: int = DPI) -> Path:
    path = Path(path)
    fig.savefig(path, format="png", dpi=dpi)
    return path


def plot_gantt(bars: pd.DataFrame, rows: list[str], styles: dict[str, Style], path: str | Path, *, title: str,
               xlabel: str, xticks: list[int], notes: pd.DataFrame | None = None, empty_text: str = "") -> Path:
    """A Gantt chart with one band per row and one sub-row per series inside it.

    ``bars``: columns ``row`` (a label in ``rows``), ``series`` (a key of ``styles``), ``start``,
    ``width`` and ``text`` (drawn in the bar). ``rows`` is the top-to-bottom order. ``notes``
    (``row``, ``series``, ``text``) are written right of the last tick, one per sub-row.
    With no rows, the figure says ``empty_text``.
    """
    series = list(styles)
    h = 0.8 / len(series)
    fig = new_figure(9.0, max(2.4, 1.0 + 0.55 * len(rows) * len(series) / 2))
    ax = fig.add_subplot()
    x0, x1 = min(xticks) - 0.6, max(xticks) + 0.6
    if not rows:
        ax.text(0.5, 0.5, empty_text, ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    pos = {r: i for i, r in enumerate(rows)}

    def y_of(row, s):
        return pos[row] + (series.index(s) - (len(series) - 1) / 2) * h

    for b in bars.itertuples(index=False):
        st = styles[b.series]
        y = y_of(b.row, b.series)
        ax.barh(y, b.width, left=b.start, height=h * 0.9, color=st.color, hatch=st.hatch, edgecolor="white", linewidth=0.8)
        ax.text(b.start + b.width / 2, y, b.text, ha="center", va="center", color="white", fontsize=8, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": st.color, "edgecolor": "none"})
    if notes is not None and len(notes):
        for n in notes.itertuples(index=False):
            ax.text(x1 + 0.05, y_of(n.row, n.series), n.text, ha="left", va="center", fontsize=8, color=styles[n.series].color)
        x1 += 0.9
    if rows:
        ax.set_yticks(range(len(rows)), rows, fontsize=8)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        for i in range(len(rows) - 1):
            ax.axhline(i + 0.5, color="#dddddd", linewidth=0.6)
    ax.set_xticks(xticks, [str(x) for x in xticks])
    for x in xticks[:-1]:
        ax.axvline(x + 0.5, color="#eeeeee", linewidth=0.6, zorder=0)
    ax.set_xlim(x0, x1)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    fig.legend(handles=[Patch(facecolor=s.color, hatch=s.hatch, edgecolor="white", label=s.label) for s in styles.values()],
               loc="outside lower center", ncol=len(styles), frameon=False, fontsize=8)
    return save_png(fig, path)
