from django.urls import path

from esar.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.national, name="national"),
    path("province/<str:code>/", views.province, name="province"),
    path("lao/<str:code>/", views.lao, name="lao"),
]
urlpatterns += __import__("esar.monitoring.reminder_urls", fromlist=["*"]).urlpatterns  # reminders
