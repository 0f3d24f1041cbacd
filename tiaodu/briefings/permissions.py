"""Who may do what with briefings and the document center (`<noun>_can_<verb>(*, user, obj=None)`).

* briefings: every signed-in user reads them; the office and administrators generate them;
* documents: whoever sees a document (`Document.objects.restrict(user, "view")`, see
  tiaodu/briefings/querysets.py) may preview, download, star and share it; every signed-in user may
  upload (linking it only to what they may see); the author, the office and administrators edit its
  title and delete it — a briefing's files only the office and administrators;
* share links: revoked by the one who shared, the document's author, the office and administrators.
"""

from __future__ import annotations

from tiaodu.briefings.models import DocKind, Document, ShareLink
from tiaodu.core.permissions import signed_in

BRIEFING_DENIED = "只有领导小组办公室或系统管理员可以生成调度通报"


def briefing_can_generate(*, user, obj=None) -> bool:
    return signed_in(user) and user.manages_all


def document_can_upload(*, user, obj=None) -> bool:
    return signed_in(user)


def document_can_view(*, user, obj: Document) -> bool:
    return signed_in(user) and Document.objects.restrict(user, "view").filter(pk=obj.pk).exists()


def document_can_edit(*, user, obj: Document) -> bool:
    """Title and description: the author, the office and administrators."""
    return signed_in(user) and Document.objects.restrict(user, "change").filter(pk=obj.pk).exists()


def document_can_delete(*, user, obj: Document) -> bool:
    """Those who may edit it; a briefing's files only the office and administrators."""
    if obj.kind == DocKind.BRIEFING and not (signed_in(user) and user.manages_all):
        return False
    return document_can_edit(user=user, obj=obj)


def document_can_share(*, user, obj: Document) -> bool:
    """Make a share link: whoever may see the document."""
    return document_can_view(user=user, obj=obj)


def share_can_revoke(*, user, obj: ShareLink) -> bool:
    return signed_in(user) and ShareLink.objects.restrict(user, "change").filter(pk=obj.pk).exists()
