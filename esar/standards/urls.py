from django.urls import path

from esar.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.set_list, name="list"),
    path("new/", views.new_version, name="new_version"),
    path("new/template.xlsx", views.template, name="template"),
    path("<slug:code>/", views.set_detail, name="detail"),
    path("<slug:code>/deactivate/", views.set_active, {"active": False}, name="deactivate"),
    path("<slug:code>/reactivate/", views.set_active, {"active": True}, name="reactivate"),
]
