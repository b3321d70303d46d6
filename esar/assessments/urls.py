from django.urls import path

from esar.assessments import views

app_name = "assessments"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
]
