from django.urls import path

from esar.sar import views

app_name = "sar"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_report, name="open"),
    path("all/", views.sar_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("file/<int:attachment_pk>/", views.download, name="file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/start-from-previous/", views.start_previous, name="start_previous"),
    path("<int:pk>/basic/", views.basic, name="basic"),
    path("<int:pk>/standard/<int:standard_pk>/", views.standard, name="standard"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/files/", views.files, name="files"),
    path("<int:pk>/files/upload/", views.upload, name="upload"),
    path(
        "<int:pk>/files/<int:attachment_pk>/remove/",
        views.remove_evidence,
        name="remove_evidence",
    ),
    path("<int:pk>/revision/<int:number>/", views.revision, name="revision"),
    path("<int:pk>/review/", views.review, name="review"),
]
