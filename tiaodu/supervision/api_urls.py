"""/api/v1/supervision-items/, problems/, meetings/, accountability-records/, notifications/"""

from rest_framework.routers import SimpleRouter

from tiaodu.supervision.api import (
    AccountabilityViewSet,
    MeetingViewSet,
    NotificationViewSet,
    ProblemViewSet,
    SupervisionItemViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("supervision-items", SupervisionItemViewSet, basename="api-supervision-item")
router.register("problems", ProblemViewSet, basename="api-problem")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("accountability-records", AccountabilityViewSet, basename="api-accountability")
router.register("notifications", NotificationViewSet, basename="api-notification")
urlpatterns = router.urls
