"""等保 (MLPS level 3) application controls: the security audit log, password expiry and history, one
session per account, and the separation of the administrator, auditor and security officer (三员分立).

Other apps record events with ONE function::

    from tiaodu.orgs.security import security_event_log
    security_event_log(kind="download", request=request, target=f"文档 {document.pk}「{document.title}」")
"""

from tiaodu.orgs.security.events import security_event_log

__all__ = ["security_event_log"]
