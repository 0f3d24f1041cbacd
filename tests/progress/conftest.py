import datetime
import io
import zoneinfo

import pytest
import time_machine

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)  # a Friday
TODAY = NOW.date()


@pytest.fixture
def frozen():
    """Friday 27 November 2026, 10:00 in Beijing."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def reporters(district):
    """ZD-001 reported by its lead HQ and its street office (added as a reporting unit)."""
    from tiaodu.progress.settings_services import reporting_units_set

    reporting_units_set(user=district.users["hq"], project=district.project, units=[district.units["street"]])
    return district


def figures_of(project, **values):
    """{indicator id: (value, reason)} from indicator names: figures_of(p, 拆迁面积=(100, ""))."""
    out = {}
    for name, value in values.items():
        indicator = project.indicators.get(name=name)
        out[indicator.pk] = value if isinstance(value, tuple) else (value, "")
    return out


def draft(user, project, as_of, figures=None, **fields):
    from tiaodu.progress.services import ReportInput, report_save_draft

    data = ReportInput(as_of=as_of, figures=figures or {}, **fields)
    return report_save_draft(user=user, project=project, data=data)


def submitted(user, project, as_of, figures=None, **fields):
    from tiaodu.progress.services import report_submit

    return report_submit(user=user, report=draft(user, project, as_of, figures, **fields))


def jpeg(*, exif=None, size=(64, 48), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buf, format="JPEG", exif=exif)
    else:
        image.save(buf, format="JPEG")
    return buf.getvalue()


def exif_with_gps(taken="2026:11:25 09:30:00", lat=(36, 41, 30.0), lon=(117, 0, 18.0)):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif.get_ifd(0x8769)[36867] = taken
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = lat
    gps[3] = "E"
    gps[4] = lon
    return exif
