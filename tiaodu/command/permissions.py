"""Who may use the command center (`<noun>_can_<verb>(*, user, obj=None)`).

* the map (/map/): every signed-in user, showing the projects the user may see;
* drawing a project's geometry on the map: whoever may edit the project (projects.permissions);
* the big screen (/screen/): leaders, the supervision office, the office and administrators — those who
  see every project — or anyone holding a live kiosk link (read-only, no one signed in);
* kiosk links and the command settings (campaign, district boundary): the office and administrators.
"""

from __future__ import annotations

from tiaodu.core.permissions import signed_in
from tiaodu.projects.permissions import project_can_edit

SCREEN_DENIED = "大屏仅向区领导、督查室和领导小组办公室开放"
MANAGE_DENIED = "只有领导小组办公室或系统管理员可以修改指挥调度设置"


def map_can_view(*, user, obj=None) -> bool:
    return signed_in(user)


def geometry_can_edit(*, user, obj) -> bool:
    """Draw and save the geometry of the project `obj`."""
    return signed_in(user) and project_can_edit(user=user, obj=obj)


def screen_can_view(*, user, obj=None) -> bool:
    return signed_in(user) and user.sees_all


def command_can_manage(*, user, obj=None) -> bool:
    """Kiosk links, the campaign's name and date, the district boundary."""
    return signed_in(user) and user.manages_all
