from django.urls import path

from esar.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.index, name="index"),
    path("inbox/", views.inbox, name="inbox"),
    path("lao/<str:code>/", views.lao_page, name="lao"),
    path("lao/<str:code>/deliver/", views.deliver, name="deliver"),
    path("accounts/", views.accounts_index, name="accounts_index"),
    path("accounts/issue/", views.accounts_issue, name="accounts_issue"),
    path("accounts/issuances/", views.issuance_batches, name="issuance_batches"),
    path("accounts/issuances/<int:pk>/", views.issuance_batch, name="issuance_batch"),
    path("accounts/issuances/<int:pk>/all.zip", views.issuance_zip, name="issuance_zip"),
    path(
        "accounts/issuances/<int:pk>/delete-files/",
        views.issuance_delete_files,
        name="issuance_delete_files",
    ),
    path(
        "accounts/issuances/<int:pk>/<str:province>.<str:kind>",
        views.issuance_file,
        name="issuance_file",
    ),
    path("accounts/<int:lao_pk>/", views.accounts, name="accounts"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/manifest.json", views.manifest, name="manifest"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/synthesis/", views.synthesis, name="synthesis"),
    path("<int:pk>/sar/<int:revision_pk>/", views.revision, name="revision"),
    path("<int:pk>/sar/<int:revision_pk>/notes/", views.note, name="note"),
    path("<int:pk>/file/<int:attachment_pk>/", views.download, name="file"),
    path("<int:pk>/files/<path:path>", views.package_file, name="package_file"),
]
