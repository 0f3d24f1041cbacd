"""The briefing's charts: the picture a reader sees is the one matplotlib's own PNG writer gives.

The charts are written as RGB PNGs (the figure is opaque); matplotlib's Agg canvas writes RGBA. On random
figures the pixels, the size and the resolution of both agree, the alpha channel being opaque throughout.
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image, ImageChops

from tiaodu.briefings import charts
from tiaodu.progress.figures import UnitFigures

STATUSES = list(charts.STATUS_COLORS)
TYPES = ["重点建设项目", "综合整治项目", "民生保障项目"]


def _as_matplotlib_writes_it(draw, *args) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "_canvas_class", lambda: FigureCanvasAgg)
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
def test_it_draws_the_units_chart_as_matplotlib_does(units):
    _same_picture(charts.units_chart(units), _as_matplotlib_writes_it(charts.units_chart, units))
