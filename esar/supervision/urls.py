from django.urls import path

from esar.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_new, name="new"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_edit, name="edit"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/export.xlsx", views.follow_up_export, name="follow_ups_xlsx"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("follow-ups/<int:pk>/reopen/", views.follow_up_reopen, name="follow_up_reopen"),
]
