"""Numbers that must not repeat within a year (通报期号, 纪要文号): the next number is max+1, taken in a
transaction; two offices pressing at once both try the same number, the unique (year, number) constraint lets
one win and the other tries again (as it does when SQLite reports the database busy)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, transaction

NUMBER_RETRIES = 8
T = TypeVar("T")


def allocate_number(allocate: Callable[[], T], *, failure: str) -> T:
    """Run `allocate` (read the last number, create the next) in a transaction until it succeeds; after
    NUMBER_RETRIES attempts, RuntimeError(failure)."""
    last_error = None
    for attempt in range(NUMBER_RETRIES):
        try:
            with transaction.atomic():
                return allocate()
        except (IntegrityError, OperationalError) as exc:
            last_error = exc
            time.sleep(0.02 * (attempt + 1) + random.random() * 0.03)
    raise RuntimeError(failure) from last_error
