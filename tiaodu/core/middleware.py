"""Requests no page can answer: a NUL character in the address (`/projects/%00/`).

PostgreSQL can neither store nor compare text with NUL in it (the query fails), and no address of ours
contains one; such a request gets a 400 in Chinese before any view sees it (JSON under /api/).
NUL in a query parameter is the parameter's business (tiaodu.core.params, form fields): a list page
leaves such a filter out.
"""

from django.http import JsonResponse

from tiaodu.core.views import error_page

MESSAGE = "请求地址含有空字符（%00），无法处理"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": MESSAGE}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return error_page(request, 400, "请求有误", MESSAGE)
        return self.get_response(request)
