"""整治前后对比: grouping a project's photos by place (tiaodu.progress.before_after, pure)."""

import datetime

from tiaodu.progress.before_after import RADIUS_M, PhotoPoint, before_after, group_places

D1, D2, D3 = datetime.date(2026, 3, 1), datetime.date(2026, 6, 1), datetime.date(2026, 11, 1)
LAT, LON = 36.69, 117.01
M_LAT = 1 / 111_195  # one metre north, in degrees


def pt(pk, day, north_m=0.0, report=None, lat=LAT, lon=LON):
    return PhotoPoint(id=pk, report_id=report or pk, day=day, latitude=lat + north_m * M_LAT, longitude=lon)


def test_the_earliest_and_the_latest_photo_of_a_place_pair_up():
    photos = [pt(3, D3, 10), pt(1, D1), pt(2, D2, 20)]
    [place] = before_after(photos)
    assert (place.before.id, place.after.id) == (1, 3)
    assert [p.id for p in place.photos] == [1, 2, 3]
    assert place.days == (D3 - D1).days


def test_photos_without_gps_are_left_out():
    photos = [pt(1, D1), PhotoPoint(2, 2, D3, None, None), PhotoPoint(3, 3, D3, LAT, None)]
    assert before_after(photos) == []
    assert [len(p.photos) for p in group_places(photos)] == [1]


def test_a_single_photo_gives_no_pair():
    assert before_after([pt(1, D1)]) == []
    assert before_after([]) == []


def test_photos_of_the_same_day_give_no_pair():
    assert before_after([pt(1, D1), pt(2, D1, 5, report=9)]) == []


def test_photos_of_one_report_on_different_days_pair_up():
    [place] = before_after([pt(1, D1, report=7), pt(2, D2, report=7)])
    assert (place.before.id, place.after.id) == (1, 2)


def test_places_more_than_the_radius_apart_are_separate():
    photos = [pt(1, D1), pt(2, D3, 5), pt(3, D1, 300), pt(4, D3, 310)]
    places = before_after(photos)
    assert [(p.before.id, p.after.id) for p in places] == [(1, 2), (3, 4)]


def test_the_radius_is_measured_from_the_places_first_photo_so_a_place_does_not_creep():
    # 40 m steps north: the second is within 50 m of the first, the third (80 m) is not
    photos = [pt(1, D1), pt(2, D2, 40), pt(3, D3, 80)]
    places = group_places(photos)
    assert [[p.id for p in place.photos] for place in places] == [[1, 2], [3]]
    assert RADIUS_M == 50


def test_the_radius_can_be_set():
    photos = [pt(1, D1), pt(2, D3, 80)]
    assert before_after(photos) == []
    assert len(before_after(photos, radius_m=100)) == 1


def test_same_day_photos_are_ordered_by_id():
    [place] = before_after([pt(5, D2), pt(4, D2, 3), pt(9, D1, 2)])
    assert (place.before.id, place.after.id) == (9, 5)
