from django.urls import path

from esar.organizations import import_views, views

app_name = "organizations"
urlpatterns = [
    path("provinces/", views.province_list, name="province_list"),
    path("provinces/<str:code>/", views.province_detail, name="province_detail"),
    path("laos/", views.lao_list, name="lao_list"),
    path("laos/<str:code>/", views.lao_detail, name="lao_detail"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/mine/", views.my_institution, name="my_institution"),
    path("institutions/<str:code>/", views.institution_detail, name="institution_detail"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
]
