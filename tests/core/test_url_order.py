"""The API's routes come before the pages' (tiaodu/urls.py). That can change no match and no reverse():
no page route can match a path under /api/, and no route name is both a page's and the API's."""

from django.urls import URLResolver, get_resolver, resolve


def _routes():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, route, inner)
            else:
                yield route, (namespace + pattern.name) if pattern.name else None

    return list(walk(get_resolver().url_patterns))


def test_no_page_route_can_match_an_api_path():
    pages = [route for route, _name in _routes() if not route.startswith("api/")]
    assert len(pages) > 300
    for route in pages:
        # A literal first word (a converter or a regular expression could match "api"), never "api".
        assert route == "" or route[0].isalnum(), route
        assert route.split("/", 1)[0] != "api", route


def test_no_name_is_both_a_page_and_an_api_route():
    routes = _routes()
    api = {name for route, name in routes if name and route.startswith("api/")}
    pages = {name for route, name in routes if name and not route.startswith("api/")}
    assert api and pages
    assert not api & pages


def test_api_and_pages_resolve_to_their_views():
    assert resolve("/api/v1/projects/ZD-001/").func.cls.__name__ == "ProjectViewSet"
    assert resolve("/api/schema/").url_name == "schema"
    assert resolve("/api/docs/").url_name == "swagger-ui"
    assert resolve("/").route == ""
    assert resolve("/healthz").url_name == "healthz"
