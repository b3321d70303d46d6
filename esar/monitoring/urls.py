from django.urls import path

from esar.monitoring import reminder_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.national, name="national"),
    path("province/<str:code>/", views.province, name="province"),
    path("lao/<str:code>/", views.lao, name="lao"),
    path("reminders/", reminder_views.settings_page, name="reminder_settings"),
]
