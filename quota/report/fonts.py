"""Chinese glyphs in charts: find a CJK font the system has, or fall back to English labels.

Charts must never draw empty boxes. ``setup_fonts()`` looks for Noto Sans CJK, Source Han Sans,
WenQuanYi, SimHei, Microsoft YaHei or PingFang among matplotlib's fonts. When none is found,
``has_cjk()`` is False and chart code labels with ids and English instead of Chinese names.
"""
from __future__ import annotations

import functools
import warnings

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans SC",
                "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
                "PingFang SC", "Heiti SC", "Noto Sans SC")


class NoCJKFont(UserWarning):
    """No CJK font was found: the charts use English labels (the message says how to install one)."""


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first CJK font family matplotlib can use, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    # matplotlib caches its font list: a font installed after the cache was made is found on a rebuild
    fm = font_manager.FontManager()
    names = {f.name for f in fm.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            font_manager.fontManager = fm
            return family
    return None


def has_cjk() -> bool:
    return cjk_family() is not None


def setup_fonts(lang: str | None = None) -> bool:
    """Configure matplotlib for Chinese labels. Returns whether a CJK font is in use; warns (``NoCJKFont``, in ``lang``,
    English when not given) when there is none."""
    import matplotlib

    from ..messages import message

    family = cjk_family()
    if family is None:
        warnings.warn(NoCJKFont(message("fonts.no_cjk", lang or "en")), stacklevel=2)
        return False
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return True


def label(chinese: str, fallback: str) -> str:
    """``chinese`` when a CJK font is available, else ``fallback``."""
    return chinese if has_cjk() else fallback
