"""The demo's command settings: a made-up district boundary (boundary.geojson, drawn around the demo's
projects; not any real administrative line) and the campaign (决战 + the year of the common deadline,
dated on that deadline). Written only when the settings have no boundary yet."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from tiaodu.command.geojson import clean_boundary
from tiaodu.command.models import CommandSettings
from tiaodu.command.services import command_settings_update
from tiaodu.core.actors import SYSTEM
from tiaodu.demo import data

BOUNDARY_FILE = Path(__file__).with_name("boundary.geojson")


def load_demo_command(deadline: datetime.date) -> dict[str, int]:
    if CommandSettings.load().boundary:
        return {}
    boundary = clean_boundary(json.loads(BOUNDARY_FILE.read_text(encoding="utf-8")))
    values = {
        "campaign_name": f"决战{deadline.year}",
        "campaign_date": deadline,
        "boundary": boundary,
        "boundary_name": "示范区辖区边界（虚构）.geojson",
    }
    command_settings_update(user=SYSTEM, data=values, source=data.SOURCE)
    return {"command settings": 1}
