"""Charts inside the briefing, drawn with matplotlib (Agg, object API: no pyplot global state).

The CJK font comes from Debian's fonts-noto-cjk, found through fontconfig (`fc-match`); matplotlib
reads the right face of the .ttc collection by family name.
"""

from __future__ import annotations

import functools
import io
import subprocess
from collections.abc import Sequence

from tiaodu.core.domain import COMPLETED, NOT_STARTED, STATUS_LABELS, SUSPENDED, UNDER_CONSTRUCTION
from tiaodu.progress.figures import UnitFigures

CJK_FAMILY = "Noto Sans CJK SC"
STATUS_COLORS = {
    STATUS_LABELS[COMPLETED]: "#2e7d32",
    STATUS_LABELS[UNDER_CONSTRUCTION]: "#1565c0",
    STATUS_LABELS[NOT_STARTED]: "#9e9e9e",
    STATUS_LABELS[SUSPENDED]: "#ef6c00",
}
MAX_UNITS = 30
DPI = 200
WIDTH_IN = 150 / 25.4


@functools.cache
def cjk_font_file() -> str | None:
    """The path of the Noto Sans CJK collection, from fontconfig."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{CJK_FAMILY}:style=Regular"],
            capture_output=True,
            timeout=10,
            check=False,
        ).stdout.decode()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.strip() or None


@functools.cache
def _setup():
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import font_manager

    path = cjk_font_file()
    if path:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            pass
    return font_manager.FontProperties(family=[CJK_FAMILY, "sans-serif"])


@functools.cache
def _canvas_class():
    """An Agg canvas whose PNG is RGB: the figure is opaque (white face), so the alpha channel matplotlib
    writes is 255 everywhere. Without it the PNG is smaller and WeasyPrint embeds the picture as it is
    instead of splitting off an all-opaque soft mask (a decode and two encodes more per chart)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image, PngImagePlugin

    class OpaquePngCanvas(FigureCanvasAgg):
        def print_png(self, filename_or_obj, **_print_figure_options):
            FigureCanvasAgg.draw(self)
            rgba = self.buffer_rgba()
            height, width = rgba.shape[:2]
            image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
            info = PngImagePlugin.PngInfo()  # what matplotlib's own PNG says
            info.add_text("Software", f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/")
            image.save(filename_or_obj, format="png", pnginfo=info, dpi=(self.figure.dpi, self.figure.dpi))

    return OpaquePngCanvas


def _figure(height_in: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    _canvas_class()(fig)
    return fig


def _png(fig) -> bytes:
    """The figure cropped to its tight box plus 0.08 in. The box is measured here, once: savefig's
    bbox_inches="tight" would first draw the whole figure (without painting) to measure it, then measure
    it again, for the same box (tests/briefings/test_charts.py)."""
    buf = io.BytesIO()
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.08)
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches=bbox, facecolor="white")
    return buf.getvalue()


def status_chart(counts: dict[str, dict[str, int]]) -> bytes:
    """Stacked bars: per project type, the projects by status (已竣工/在建/未开工/暂停)."""
    font = _setup()
    types = list(counts)
    fig = _figure(0.55 + 0.42 * max(len(types), 1))
    ax = fig.add_subplot(1, 1, 1)
    left = [0] * len(types)
    for label, color in STATUS_COLORS.items():
        values = [counts[t].get(label, 0) for t in types]
        bars = ax.barh(types, values, left=left, color=color, label=label, height=0.55)
        for bar, value, start in zip(bars, values, left, strict=True):
            if value:
                ax.text(
                    start + value / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(value),
                    ha="center",
                    va="center",
                    color="white",
                    fontproperties=font,
                    fontsize=9,
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(types)), labels=types, fontproperties=font, fontsize=10)
    ax.invert_yaxis()
    ax.set_xlabel("项目数（个）", fontproperties=font, fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.legend(
        prop=font.copy() if hasattr(font, "copy") else font,
        ncols=4,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        frameon=False,
        fontsize=9,
    )
    ax.set_xlim(0, max(max(left, default=0), 1) * 1.02)
    return _png(fig)


def units_chart(units: Sequence[UnitFigures]) -> bytes:
    """Horizontal bars: each unit's on-time share, in ranking order (at most MAX_UNITS shown)."""
    font = _setup()
    shown = units
    note = ""
    if len(units) > MAX_UNITS:
        half = MAX_UNITS // 2
        shown = [*units[:half], *units[-half:]]
        note = f"（共{len(units)}个单位，图中显示前{half}名和后{half}名）"
    names = [u.unit for u in shown]
    shares = [float(u.on_time_share) * 100 for u in shown]
    colors = ["#2e7d32" if s >= 80 else "#ef6c00" if s >= 50 else "#c62828" for s in shares]
    fig = _figure(0.6 + 0.26 * max(len(shown), 1))
    ax = fig.add_subplot(1, 1, 1)
    positions = list(range(len(shown)))
    bars = ax.barh(positions, shares, color=colors, height=0.65)
    for bar, share in zip(bars, shares, strict=True):
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.1f}%",
            va="center",
            fontproperties=font,
            fontsize=8,
        )
    ax.set_yticks(positions, labels=names, fontproperties=font, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 80, 100], labels=["0", "20%", "40%", "60%", "80%", "100%"])
    ax.tick_params(axis="x", labelsize=8)
    ax.axvline(80, color="#999999", linewidth=0.6, linestyle="--")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    if note:
        ax.set_title(note, fontproperties=font, fontsize=8.5, loc="left")
    return _png(fig)
