"""The ceilings every page is compared with, served by the same server and middleware.

- hello: a bare Django view, no database, no template: what the framework and server cost alone.
- detail: one row read by primary key and a small template rendered: the cheapest real page.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from esar.organizations.models import Institution


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(Institution, pk=pk)
    return render(request, "bench/detail.html", {"institution": institution})
