from django.urls import path

from esar.delivery.views import accounts, deliveries, delivery

app_name = "delivery"

urlpatterns = [
    path("", deliveries.index, name="index"),
    path("inbox/", deliveries.inbox, name="inbox"),
    path("lao/<str:code>/", deliveries.lao_page, name="lao"),
    path("lao/<str:code>/deliver/", deliveries.deliver, name="deliver"),
    path("accounts/", accounts.accounts_index, name="accounts_index"),
    path("accounts/issue/", accounts.accounts_issue, name="accounts_issue"),
    path("accounts/issuances/", accounts.issuance_batches, name="issuance_batches"),
    path("accounts/issuances/<int:pk>/", accounts.issuance_batch, name="issuance_batch"),
    path("accounts/issuances/<int:pk>/all.zip", accounts.issuance_zip, name="issuance_zip"),
    path(
        "accounts/issuances/<int:pk>/delete-files/",
        accounts.issuance_delete_files,
        name="issuance_delete_files",
    ),
    path(
        "accounts/issuances/<int:pk>/<str:province>.<str:kind>",
        accounts.issuance_file,
        name="issuance_file",
    ),
    path("accounts/<int:lao_pk>/", accounts.accounts, name="accounts"),
    path("<int:pk>/", delivery.detail, name="detail"),
    path("<int:pk>/manifest.json", delivery.manifest, name="manifest"),
    path("<int:pk>/retry/", delivery.retry, name="retry"),
    path("<int:pk>/acknowledge/", delivery.acknowledge, name="acknowledge"),
    path("<int:pk>/synthesis/", delivery.synthesis, name="synthesis"),
    path("<int:pk>/sar/<int:revision_pk>/", delivery.revision, name="revision"),
    path("<int:pk>/sar/<int:revision_pk>/notes/", delivery.note, name="note"),
    path("<int:pk>/file/<int:attachment_pk>/", delivery.download, name="file"),
    path("<int:pk>/files/<path:path>", delivery.package_file, name="package_file"),
]
