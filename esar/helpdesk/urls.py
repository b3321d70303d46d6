from django.urls import path

from esar.helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("contact/", views.contact_edit, name="contact"),
]
