from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tiaodu.core.health import healthz

api_v1 = [
    path("", include("tiaodu.orgs.api_urls")),
    path("", include("tiaodu.projects.api_urls")),
    path("", include("tiaodu.scheduling.api_urls")),
    path("", include("tiaodu.progress.api_urls")),
    path("", include("tiaodu.investment.api_urls")),
    path("", include("tiaodu.supervision.api_urls")),
    path("", include("tiaodu.briefings.api_urls")),
    path("", include("tiaodu.command.api_urls_map")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The API before the pages: every page route starts with a word of its own, never "api/" (a test
    # checks), so this changes no match — it spares each API request trying the ~370 page routes first.
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("tiaodu.portal.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tiaodu.orgs.urls")),
    # before projects: the project file (项目档案) is served at /projects/<code>/
    path("", include("tiaodu.command.urls")),
    path("", include("tiaodu.projects.urls")),
    path("", include("tiaodu.projects.ledger_urls")),
    path("", include("tiaodu.scheduling.urls")),
    path("", include("tiaodu.progress.urls")),
    path("", include("tiaodu.investment.urls")),
    path("", include("tiaodu.supervision.urls")),
    path("", include("tiaodu.briefings.urls")),
    path("admin/", admin.site.urls),
    # Swagger UI for signed-in users (anyone else is sent to the sign-in page); its start-up script is a
    # separate request to the same view, so the page needs no inline script.
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="core/swagger_ui.html")
        ),
        name="swagger-ui",
    ),
]

# JSON under /api/, pages elsewhere.
handler400 = "tiaodu.core.error_views.bad_request"
handler403 = "tiaodu.core.error_views.permission_denied"
handler404 = "tiaodu.core.error_views.page_not_found"
handler500 = "tiaodu.core.error_views.server_error"
