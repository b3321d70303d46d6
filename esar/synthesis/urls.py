from django.urls import path

from esar.synthesis import views

app_name = "synthesis"

urlpatterns = [
    path("", views.index, name="index"),
    path("all/", views.synthesis_list, name="list"),
    path("<int:lao_pk>/<int:year>/", views.detail, name="detail"),
    path("province/<str:code>/<int:year>/export/", views.province_export, name="province_export"),
    path("<int:lao_pk>/<int:year>/synthesis.pdf", views.pdf, name="pdf"),
    path("<int:lao_pk>/<int:year>/synthesis.xlsx", views.xlsx, name="xlsx"),
]
