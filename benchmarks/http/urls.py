"""The site's routes and, only in the benchmark's settings, the two ceilings."""

from django.urls import include, path

from benchmarks.http import views

urlpatterns = [
    path("_ceiling/hello", views.hello),
    path("_ceiling/detail/<int:pk>", views.detail),
    path("", include("config.urls")),
]
