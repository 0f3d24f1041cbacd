"""/api/v1/units/ and /api/v1/people/ (a SimpleRouter: no second API root, no format suffixes)."""

from rest_framework.routers import SimpleRouter

from tiaodu.orgs.api import PersonViewSet, UnitViewSet

router = SimpleRouter(trailing_slash=True)
router.register("units", UnitViewSet, basename="api-unit")
router.register("people", PersonViewSet, basename="api-person")
urlpatterns = router.urls
