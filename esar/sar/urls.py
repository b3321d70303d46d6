from django.urls import path

from esar.sar.views import attachments, editor, lists, report, review

app_name = "sar"

urlpatterns = [
    path("", lists.index, name="index"),
    path("open/", lists.open_report, name="open"),
    path("all/", lists.sar_list, name="list"),
    path("queue/", lists.queue, name="queue"),
    path("file/<int:attachment_pk>/", attachments.download, name="file"),
    path("<int:pk>/", report.detail, name="detail"),
    path("<int:pk>/submit/", report.submit, name="submit"),
    path("<int:pk>/start-from-previous/", report.start_previous, name="start_previous"),
    path("<int:pk>/basic/", editor.basic, name="basic"),
    path("<int:pk>/standard/<int:standard_pk>/", editor.standard, name="standard"),
    path("<int:pk>/summary/", editor.summary, name="summary"),
    path("<int:pk>/files/", attachments.files, name="files"),
    path("<int:pk>/files/upload/", attachments.upload, name="upload"),
    path(
        "<int:pk>/files/<int:attachment_pk>/remove/",
        attachments.remove_evidence,
        name="remove_evidence",
    ),
    path("<int:pk>/revision/<int:number>/", review.revision, name="revision"),
    path("<int:pk>/review/", review.review, name="review"),
]
