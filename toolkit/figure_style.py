"""The toolkit's figure style: one font rule (Chinese glyphs fall back to an installed CJK font) and one
palette of stance targets, used by the report, the notebooks and the explorer.

``toolkit.style()`` puts the default sans-serif font first and the installed CJK fonts after it in
``font.family`` (matplotlib >= 3.6 falls back glyph by glyph along that list), so Latin text keeps
matplotlib's font and Chinese text is drawn with the CJK one. When matplotlib's font list is stale (a CJK
font installed after its cache was written) the system's CJK font files are added to it. Missing-glyph
warnings are never silenced: a figure that still lacks a glyph says so. matplotlib is imported inside the
functions, so importing this module stays light.
"""
from __future__ import annotations

import re
import zlib

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")
CJK_FILE = re.compile(r"cjk|sourcehan|wqy|wenquanyi|simhei|msyh|pingfang|notosanssc|stheiti", re.IGNORECASE)
# tab10 without its grey: the first colours go to the packaged targets (toolkit.STANCE_TARGETS, in order)
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
RC = {"axes.titlesize": "medium", "axes.labelsize": "small", "xtick.labelsize": "small",
      "ytick.labelsize": "small", "legend.fontsize": "small", "figure.dpi": 100}


def cjk_fonts(*, refresh: bool = True) -> list[str]:
    """The installed fonts of ``CJK_FONTS`` known to matplotlib, in order of preference.

    Parameters
    ----------
    refresh : bool
        When matplotlib knows none of them, look for CJK font files on the system (a stale font cache) and
        add them to matplotlib's font list first.

    Returns
    -------
    list of str
        Font family names (empty: no CJK font installed; Debian: ``apt-get install fonts-noto-cjk``).
    """
    from matplotlib import font_manager

    known = _known(font_manager)
    if not known and refresh:
        for path in font_manager.findSystemFonts():
            if CJK_FILE.search(path.rsplit("/", 1)[-1]):
                font_manager.fontManager.addfont(path)
        known = _known(font_manager)
    return known


def _known(font_manager) -> list[str]:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


class style:
    """The toolkit's figure settings: a CJK fallback in ``font.family`` and readable label sizes.

    Call it once in a notebook (``toolkit.style()``: the settings stay for the session), or use it as a
    context manager (``with toolkit.style(): ...``: the previous settings come back at the end), as the
    report and the explorer do.

    Examples
    --------
    >>> with toolkit.style():                                  # doctest: +SKIP
    ...     ax.set_xticks([0, 1], ["两军关系", "台独"])
    """

    def __init__(self):
        import matplotlib

        settings = {**RC, "font.family": ["sans-serif", *cjk_fonts()]}
        self._saved = {key: matplotlib.rcParams[key] for key in settings}
        matplotlib.rcParams.update(settings)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        import matplotlib

        matplotlib.rcParams.update(self._saved)


def target_colours(targets) -> dict[str, str]:
    """The fixed colour of every stance target (the same in every figure, whatever else is drawn).

    Parameters
    ----------
    targets : iterable of str
        Target names.

    Returns
    -------
    dict
        Target → hex colour: the packaged targets (``toolkit.stance.STANCE_TARGETS``) take the first colours
        of ``PALETTE`` in their order; any other target a colour from the rest chosen by a hash of its name.
    """
    from .stance import STANCE_TARGETS

    rest = PALETTE[len(STANCE_TARGETS):]
    return {name: PALETTE[STANCE_TARGETS.index(name)] if name in STANCE_TARGETS
            else rest[zlib.crc32(str(name).encode("utf-8")) % len(rest)] for name in targets}


def legend_beside(ax, *, title: str) -> None:
    """The legend of ``ax`` beside the axes, top left of the space to their right, so it never covers a line
    or a point (the figure grows to hold it when saved with ``bbox_inches="tight"``)."""
    ax.legend(title=title, loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
