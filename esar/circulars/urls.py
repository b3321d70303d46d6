from django.urls import path

from esar.circulars import views

app_name = "circulars"

urlpatterns = [
    path("", views.circular_list, name="list"),
    path("new/", views.circular_new, name="new"),
    path("<int:pk>/", views.circular_detail, name="detail"),
    path("<int:pk>/edit/", views.circular_edit, name="edit"),
    path("<int:pk>/publish/", views.circular_publish, name="publish"),
    path("<int:pk>/withdraw/", views.circular_withdraw, name="withdraw"),
    path("<int:pk>/qr.svg", views.circular_qr, name="qr"),
    path("<int:pk>/files/", views.attachment_upload, name="upload"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="download"),
    path("<int:pk>/files/<int:attachment_pk>/remove/", views.attachment_remove, name="remove_file"),
]
