from django.urls import path

from esar.cycles import views

app_name = "cycles"

urlpatterns = [
    path("", views.year_list, name="list"),
    path("new/", views.year_create, name="create"),
    path("<int:year>/", views.year_detail, name="detail"),
    path("<int:year>/edit/", views.year_edit, name="edit"),
]
