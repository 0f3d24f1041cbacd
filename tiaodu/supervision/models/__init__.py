"""Problems and their escalation ladder, dispatch meetings and decisions, supervision items and their
warnings, accountability records, and notifications (inbox, e-mail, group-robot webhooks)."""

from tiaodu.supervision.models.accountability import (  # noqa: F401
    AccountabilityRecord,
    Measure,
)
from tiaodu.supervision.models.items import (  # noqa: F401
    ItemEvent,
    ItemPhoto,
    ProjectWarning,
    ProjectWarningCheck,
    Source,
    SupervisionItem,
    WarningLevel,
    photo_path,
)
from tiaodu.supervision.models.meetings import (  # noqa: F401
    Decision,
    Meeting,
)
from tiaodu.supervision.models.notifications import (  # noqa: F401
    Delivery,
    DeliveryAttempt,
    Notification,
    WebhookEndpoint,
)
from tiaodu.supervision.models.problems import (  # noqa: F401
    TOP_LEVEL,
    Level,
    Problem,
    ProblemEvent,
    ProblemType,
    SupervisionConfig,
)
from tiaodu.supervision.models.reporting import InvestmentReminder, ReportReminder  # noqa: F401
