"""The search for a reused photo through the four indexed hash bands finds exactly what reading every
stored photo and counting differing bits finds (issue 16: flags on submit with 100,000 stored hashes)."""

import datetime
import random
import uuid

import pytest

from tiaodu.progress import anomalies, flagrules, photohash

pytestmark = pytest.mark.django_db


def _flip(value: int, bits: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), bits):
        value ^= 1 << bit
    return value


def _reports(district, n: int, *, status: str, thread=None, revision: int = 1) -> list:
    from tiaodu.progress.models import Report

    start = datetime.date(2026, 1, 1)
    return Report.objects.bulk_create(
        Report(
            project=district.project,
            as_of=start + datetime.timedelta(days=7 * i),
            reporting_unit=district.units["hq"],
            status=status,
            counted=status == "verified",
            thread=thread or uuid.uuid4(),
            revision=revision + i,
            source="test",
        )
        for i in range(n)
    )


def _scan(report, photos, within: int) -> dict[int, str]:
    """Every stored photo read, in id order, and compared by popcount: the reference."""
    from tiaodu.progress.models import ReportPhoto

    found: dict[int, str] = {}
    stored = (
        ReportPhoto.objects.exclude(report__thread=report.thread)
        .exclude(report__status="draft")
        .exclude(phash=None)
        .order_by("pk")
        .values_list("phash", "report__project__code", "report__reporting_unit__name", "report__as_of")
    )
    for other, code, unit, as_of in stored:
        for p in photos:
            if p.phash is not None and photohash.distance(p.phash, other) <= within:
                found.setdefault(p.pk, f"{code} {unit}截至{flagrules.cn_date(as_of)}周报")
    return found


def test_the_band_search_finds_what_a_full_scan_finds(district):
    from tiaodu.progress.models import ReportPhoto

    rng = random.Random(16)
    draft = _reports(district, 1, status="draft")[0]
    mine = [rng.getrandbits(64) for _ in range(5)]
    photos = ReportPhoto.objects.bulk_create(
        [
            ReportPhoto(
                report=draft,
                image=f"reports/mine{i}.jpg",
                content_type="image/jpeg",
                **photohash.hash_fields(v),
            )
            for i, v in enumerate(mine)
        ]
        + [ReportPhoto(report=draft, image="reports/nohash.jpg", content_type="image/jpeg")]
    )
    verified = _reports(district, 40, status="verified")
    drafts = _reports(district, 2, status="draft")
    own_thread = _reports(district, 1, status="submitted", thread=draft.thread, revision=2)
    values = [rng.getrandbits(64) for _ in range(3000)]
    # Near copies of each of our photos at every distance from 0 to 10 bits, spread over the reports.
    values += [_flip(v, d, rng) for v in mine for d in range(11) for _copy in range(2)]
    rng.shuffle(values)
    ReportPhoto.objects.bulk_create(
        ReportPhoto(
            report=verified[i % len(verified)],
            image=f"reports/s{i}.jpg",
            content_type="image/jpeg",
            **photohash.hash_fields(v),
        )
        for i, v in enumerate(values)
    )
    # Exact copies in a draft and in the report's own thread: never a reuse.
    ReportPhoto.objects.bulk_create(
        ReportPhoto(
            report=r,
            image=f"reports/x{r.pk}.jpg",
            content_type="image/jpeg",
            **photohash.hash_fields(mine[0]),
        )
        for r in (*drafts, *own_thread)
    )
    for within in range(photohash.MAX_DISTANCE + 1):
        expected = _scan(draft, photos, within)
        assert anomalies._reused(draft, photos, within) == expected
        assert len(expected) == 5  # each photo has copies within 0 bits
    assert len(_scan(draft, photos, 10)) == 5
