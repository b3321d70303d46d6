"""Placeholder routes; the real views replace these."""

from django.http import Http404
from django.urls import path

app_name = "synthesis"


def _todo(request):
    raise Http404


urlpatterns = [
    path("index/", _todo, name="index"),
    path("list/", _todo, name="list"),
]
