from rest_framework.routers import SimpleRouter

from tiaodu.briefings.api import BriefingViewSet, DocumentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("documents", DocumentViewSet, basename="api-document")
router.register("briefings", BriefingViewSet, basename="api-briefing")
urlpatterns = router.urls
