"""Placeholder routes; the real views replace these."""

from django.http import Http404
from django.urls import path

app_name = "helpdesk"


def _todo(request):
    raise Http404


urlpatterns = [
    path("list/", _todo, name="list"),
    path("contact/", _todo, name="contact"),
]
