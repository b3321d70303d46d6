from django.contrib.auth import views as auth_views

from esar.core import audit


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            action="account.password_changed",
            actor=self.request.user,
            obj=self.request.user,
            ip_address=audit.client_ip(self.request),
        )
        return response
