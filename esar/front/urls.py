from django.urls import path

from esar.front import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
]
