"""The briefing's charts: the picture a reader sees is the one matplotlib's own `savefig(bbox_inches="tight")`
gives.

The charts are written as RGB PNGs (the figure is opaque) cropped to a tight box measured once; matplotlib's
Agg canvas writes RGBA and measures the box after a draw of its own. On random figures the pixels, the size
and the resolution of both agree, the alpha channel being opaque throughout.
"""

import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageChops

from tiaodu.briefings import charts
from tiaodu.progress.figures import UnitFigures

STATUSES = list(charts.STATUS_COLORS)
TYPES = ["重点建设项目", "综合整治项目", "民生保障项目"]


def _matplotlib_png(fig) -> bytes:  # the charts' PNG before issue 16
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=charts.DPI, bbox_inches="tight", pad_inches=0.08, facecolor="white")
    return buf.getvalue()


def _as_matplotlib_writes_it(draw, *args) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "_canvas_class", lambda: FigureCanvasAgg)
        patch.setattr(charts, "_png", _matplotlib_png)
        return draw(*args)


def _same_picture(ours: bytes, theirs: bytes) -> None:
    a, b = Image.open(io.BytesIO(ours)), Image.open(io.BytesIO(theirs))
    assert a.mode == "RGB" and b.mode == "RGBA"
    assert a.size == b.size
    assert a.info["dpi"] == b.info["dpi"]
    assert b.getchannel("A").getextrema() == (255, 255)
    assert ImageChops.difference(a, b.convert("RGB")).getbbox() is None


counts = st.dictionaries(
    st.sampled_from(TYPES),
    st.fixed_dictionaries({label: st.integers(0, 60) for label in STATUSES}),
    min_size=1,
)
units = st.lists(
    st.builds(
        lambda name, projects, share: UnitFigures(name, projects, round(projects * share), share, 0.0),
        st.text("东西南北园街道指挥部局", min_size=2, max_size=12),
        st.integers(1, 40),
        st.floats(0, 1),
    ),
    min_size=1,
    max_size=charts.MAX_UNITS + 6,
)


@settings(max_examples=8, deadline=None)
@given(counts=counts)
def test_it_draws_the_status_chart_as_matplotlib_does(counts):
    _same_picture(charts.status_chart(counts), _as_matplotlib_writes_it(charts.status_chart, counts))


@settings(max_examples=8, deadline=None)
@given(units=units)
@example(  # more units than the chart shows: a note above it names how many
    units=[
        UnitFigures(f"第{i}街道办事处", 10, i % 11, (i % 11) / 10, 0.0) for i in range(charts.MAX_UNITS + 6)
    ]
)
def test_it_draws_the_units_chart_as_matplotlib_does(units):
    _same_picture(charts.units_chart(units), _as_matplotlib_writes_it(charts.units_chart, units))
