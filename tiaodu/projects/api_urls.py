"""/api/v1/projects/ (by code; …/changes/), project-changes/, indicators/, letters/, letter-items/ (SimpleRouter: no format suffixes,
so a project code may contain a dot)."""

from rest_framework.routers import SimpleRouter

from tiaodu.projects.api import (
    IndicatorViewSet,
    LetterItemViewSet,
    LetterViewSet,
    ProjectChangeViewSet,
    ProjectViewSet,
)

router = SimpleRouter(trailing_slash=True)
router.register("projects", ProjectViewSet, basename="api-project")
router.register("indicators", IndicatorViewSet, basename="api-indicator")
router.register("letters", LetterViewSet, basename="api-letter")
router.register("letter-items", LetterItemViewSet, basename="api-letter-item")
router.register("project-changes", ProjectChangeViewSet, basename="api-project-change")
urlpatterns = router.urls
