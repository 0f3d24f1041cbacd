"""Benchmark of the anomaly flags (数据异常, issue 12): flags computed on submit against 100,000 stored photos.

    .venv/bin/python benchmarks/flags_bench.py                 # SQLite: benchmarks/out/flags_bench.sqlite3
    .venv/bin/python benchmarks/flags_bench.py --postgres      # PostgreSQL: a fresh database bench_flags
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python benchmarks/flags_bench.py --postgres
    .venv/bin/python benchmarks/flags_bench.py --photos 20000  # smaller

Data (fixed seed): N stored report photos (default 100,000; 10 a report, on 200 projects) whose 64-bit
perceptual hashes are uniformly random — the worst case for the band index (real photos' hashes cluster,
which only makes bands rarer). One of them is a near copy (3 bits apart) of a photo of the report under
test. The report under test: a project with 10 indicators and a linear plan, two earlier accepted reports
of the same unit (so the jump, stalled and copied-text rules all read their history), and a draft with 10
figures and 5 JPEG photos uploaded with EXIF time and GPS (through the real upload service).

Measured, median of 20 runs after one warm-up, in this process:
1. anomalies.report_flags(report) — everything submit computes for the flags (target < 50 ms);
2. reference: a plain select of the report with its figures and photos (Report.objects.get + two lists);
3. reference: the scan the band index avoids — every stored hash read and compared by popcount;
4. one real services.report_submit of the draft (flags included, once).
The number of candidate photos read through the bands is printed with the plan of the query.
Results also go to benchmarks/out/flags_results_<sqlite|postgresql>.json.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

AS_OF = datetime.date(2026, 11, 26)  # a Thursday
PG_URL = "postgres://postgres@127.0.0.1:5432/bench_flags"


def setup_database(postgres: bool) -> str:
    if postgres:
        import psycopg

        given = os.environ.get("DATABASE_URL", "")
        url = given if given.startswith("postgres") else PG_URL
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "bench_flags"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "flags_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "flags_media"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def jpeg(seed: int, taken: datetime.datetime, lat: float, lon: float):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    pen = ImageDraw.Draw(image)
    for _ in range(20):
        x, y = rng.randrange(600), rng.randrange(440)
        pen.rectangle(
            (x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 200)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(0x8825)

    def dms(v):
        d = int(v)
        m = int((v - d) * 60)
        return (d, m, round(((v - d) * 60 - m) * 60, 2))

    gps[1], gps[2], gps[3], gps[4] = "N", dms(lat), "E", dms(lon)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif, quality=85)
    return SimpleUploadedFile(f"IMG_{seed:04d}.jpg", buf.getvalue(), content_type="image/jpeg")


def generate(n_photos: int, seed: int = 20261126) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from tiaodu.orgs.models import Person, Role, Unit, UnitType, User
    from tiaodu.progress import photohash
    from tiaodu.progress.models import Report, ReportPhoto, ReportStatus
    from tiaodu.progress.services import ReportInput, report_save_draft, report_submit, report_verify
    from tiaodu.projects.models import Category, Indicator, Project, ProjectStatus, ProjectType

    rng = random.Random(seed)
    t0 = time.perf_counter()
    gov = Unit.objects.create(name="区委区政府", type=UnitType.GOVERNMENT, sort_order=1)
    hq = Unit.objects.create(name="第1指挥部", type=UnitType.HEADQUARTERS, parent=gov, sort_order=2)
    user = User.objects.create_user(
        "bench-hq",
        password=None,
        role=Role.UNIT,
        person=Person.objects.create(name="赵指挥", post="指挥长", unit=hq),
    )
    # The lead unit's own reports are verified by someone else: the office or an administrator.
    verifier = User.objects.create_user("bench-admin", password=None, role=Role.ADMIN)
    category = Category.objects.first()
    lat, lon = 36.69, 117.0

    def project(code):
        return Project.objects.create(
            code=code,
            name=f"基准项目{code}",
            type=ProjectType.KEY_CONSTRUCTION,
            category=category,
            lead_unit=hq,
            status=ProjectStatus.UNDER_CONSTRUCTION,
            planned_start=datetime.date(2026, 1, 5),
            planned_finish=datetime.date(2027, 6, 30),
            deadline=datetime.date(2027, 8, 31),
            latitude=Decimal(str(lat)),
            longitude=Decimal(str(lon)),
        )

    others = [project(f"BF-{i:04d}") for i in range(200)]
    per_report = 10
    n_reports = (n_photos + per_report - 1) // per_report
    now = timezone.now()
    with transaction.atomic():
        reports = Report.objects.bulk_create(
            [
                Report(
                    project=others[i % len(others)],
                    as_of=AS_OF - datetime.timedelta(days=7 * (1 + i // len(others))),
                    reporting_unit=hq,
                    status=ReportStatus.VERIFIED,
                    counted=True,
                    thread=uuid.uuid4(),
                    source="bench",
                    submitted_at=now,
                    verified_at=now,
                )
                for i in range(n_reports)
            ],
            batch_size=2000,
        )
        photos = []
        for i in range(n_photos):
            value = rng.getrandbits(64)
            photos.append(
                ReportPhoto(
                    report=reports[i // per_report],
                    image=f"reports/bench{i}.jpg",
                    original_name=f"P{i}.jpg",
                    content_type="image/jpeg",
                    **photohash.hash_fields(value),
                )
            )
        ReportPhoto.objects.bulk_create(photos, batch_size=5000)
    t_data = time.perf_counter() - t0

    target = project("BF-TEST")
    inds = [
        Indicator.objects.create(
            project=target, name=f"指标{k + 1}", unit_of_measure="m²", target=Decimal(100000), sort_order=k
        )
        for k in range(10)
    ]
    tz = timezone.get_current_timezone()

    def submit(as_of, values, text, photos=()):
        figures = {ind.pk: (str(v), "") for ind, v in zip(inds, values, strict=True)}
        data = ReportInput(as_of=as_of, figures=figures, image_progress=text)
        draft = report_save_draft(user=user, project=target, data=data, photos=list(photos))
        return draft

    for w, text in ((2, "第一周"), (1, "第二周")):
        r = submit(
            AS_OF - datetime.timedelta(days=7 * w), [20000 + 500 * (2 - w) * k for k in range(10)], text
        )
        report_verify(user=verifier, report=report_submit(user=user, report=r), note="基准")
    taken = datetime.datetime.combine(AS_OF, datetime.time(9), tzinfo=tz)
    uploads = [jpeg(seed + k, taken, lat + 0.001 * k, lon) for k in range(5)]
    draft = submit(AS_OF, [21000 + 700 * k for k in range(10)], "第三周", uploads)
    # A stored photo 3 bits away from the first upload: the search must find it.
    first = draft.photos.order_by("id").first()
    near = photohash.to_unsigned(first.phash) ^ 0b10010001
    ReportPhoto.objects.filter(pk=photos[n_photos // 2].pk).update(**photohash.hash_fields(near))
    return {"draft": draft, "user": user, "t_data": t_data}


def median_ms(fn, runs: int = 20) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    url = setup_database(args.postgres)
    from django.db import connection
    from django.db.models import Q

    from tiaodu.progress import anomalies, photohash
    from tiaodu.progress.models import Report, ReportPhoto
    from tiaodu.progress.services import report_submit

    made = generate(args.photos)
    with connection.cursor() as cursor:  # fresh statistics after the bulk load, as autovacuum would
        cursor.execute("ANALYZE")
    draft = made["draft"]
    print(
        f"database: {connection.vendor}; {ReportPhoto.objects.count():,} photos; data made in {made['t_data']:.1f} s"
    )

    t_flags, flags = median_ms(lambda: anomalies.report_flags(draft))

    def plain_select():
        r = Report.objects.get(pk=draft.pk)
        return list(r.figures.all()), list(r.photos.all())

    t_select, _ = median_ms(plain_select)
    mine = [p.phash for p in draft.photos.all()]

    def scan():
        found = 0
        for (other,) in (
            ReportPhoto.objects.exclude(report__thread=draft.thread)
            .values_list("phash")
            .iterator(chunk_size=20000)
        ):
            if other is not None and any(photohash.distance(h, other) <= 6 for h in mine):
                found += 1
        return found

    t_scan, scanned = median_ms(scan, runs=5)
    hashed = list(draft.photos.all())
    query = Q()
    for i in range(photohash.BANDS):
        values = {v for p in hashed for v in photohash.probes(getattr(p, f"band{i}"))}
        query |= Q(**{f"band{i}__in": sorted(values)})
    candidates = ReportPhoto.objects.filter(query).order_by()
    n_candidates = candidates.count()
    with connection.cursor() as cursor:
        sql, params = candidates.values_list("phash").query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
    t = time.perf_counter()
    submitted = report_submit(user=made["user"], report=draft)
    t_submit = (time.perf_counter() - t) * 1000
    result = {
        "database": connection.vendor,
        "url": url.split("@")[-1],
        "photos": args.photos,
        "flags_ms": round(t_flags, 2),
        "plain_select_ms": round(t_select, 2),
        "scan_ms": round(t_scan, 2),
        "flags_vs_select": round(t_flags / t_select, 1),
        "scan_vs_flags": round(t_scan / t_flags, 1),
        "candidates": n_candidates,
        "scan_matches": scanned,
        "submit_ms": round(t_submit, 1),
        "flags": [f["code"] for f in submitted.flags],
        "plan": plan,
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    assert "photo_reused" in [f["code"] for f in flags], "the near copy was not found"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"flags_results_{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
