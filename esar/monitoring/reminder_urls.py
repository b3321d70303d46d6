"""The reminder settings page's URL, included by `esar.monitoring.urls` (namespace monitoring)."""

from django.urls import path

from esar.monitoring import reminder_views

urlpatterns = [
    path("reminders/", reminder_views.settings_page, name="reminder_settings"),
]
