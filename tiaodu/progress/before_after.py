"""整治前后对比 (before and after, 长效机制): the site photos of one place side by side over time.

A pure function over plain photo records (no Django). The rule:

* only photos with a GPS position count (a photo without one cannot be placed);
* photos are taken in time order (their day, then their id); a photo joins the first place whose anchor —
  the position of the place's earliest photo — lies within `radius_m` (50 m by default: a street corner,
  a stretch of river bank, the front of one building; phone GPS is good to 5–20 m outdoors), else it
  starts a new place. Anchoring on the earliest photo (not on a moving centre) keeps a place from
  creeping along a road photo by photo;
* a place gives a pair — its earliest photo against its latest — only when the two were taken on
  different days (whether in one report or two); a place photographed once, or only on one day, has no
  "after" yet and is left out.

Places are returned by their earliest day, then the anchor photo's id.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from tiaodu.core.geo import haversine_m

RADIUS_M = 50.0


@dataclass(frozen=True)
class PhotoPoint:
    id: int
    report_id: int
    day: datetime.date  # the day it was taken (else the report's as-of date)
    latitude: float | None
    longitude: float | None


@dataclass
class Place:
    photos: list[PhotoPoint] = field(default_factory=list)  # in time order

    @property
    def anchor(self) -> PhotoPoint:
        return self.photos[0]

    @property
    def before(self) -> PhotoPoint:
        return self.photos[0]

    @property
    def after(self) -> PhotoPoint:
        return self.photos[-1]

    @property
    def days(self) -> int:
        return (self.after.day - self.before.day).days


def _key(p: PhotoPoint):
    return (p.day, p.id)


def group_places(photos: Iterable[PhotoPoint], radius_m: float = RADIUS_M) -> list[Place]:
    """Every place (photos within radius_m of the place's earliest photo), photos in time order."""
    places: list[Place] = []
    for photo in sorted((p for p in photos if p.latitude is not None and p.longitude is not None), key=_key):
        for place in places:
            a = place.anchor
            if haversine_m(a.latitude, a.longitude, photo.latitude, photo.longitude) <= radius_m:
                place.photos.append(photo)
                break
        else:
            places.append(Place([photo]))
    return places


def before_after(photos: Iterable[PhotoPoint], radius_m: float = RADIUS_M) -> list[Place]:
    """The places whose earliest and latest photos were taken on different days."""
    return [place for place in group_places(photos, radius_m) if place.before.day != place.after.day]
