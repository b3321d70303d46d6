from django.contrib.auth.backends import ModelBackend

from esar.accounts import onetime
from esar.accounts.permissions import Perm, has_perm
from esar.core import audit


class AccountBackend(ModelBackend):
    """Password login, loading the membership with the user, and admin rights from the role.

    A one-time password (issued or reset by an office) opens one web log-in before it expires;
    the API (`for_api=True`) refuses accounts that still have one, except to choose a password
    (`choosing_password=True`: a one-time password that could still log in on the web is
    accepted, without using it up). Every way in (the log-in page, the admin's log-in, the token
    and password endpoints) authenticates here, so none can skip these rules.
    """

    def authenticate(
        self,
        request,
        username=None,
        password=None,
        *,
        for_api=False,
        choosing_password=False,
        **kwargs,
    ):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        refusal = onetime.check_at_login(user, consume=not for_api)
        if refusal is None or (choosing_password and refusal is onetime.Refusal.CHANGE_FIRST):
            return user
        audit.record(
            action="account.one_time_password_refused",
            obj=user,
            data={"reason": refusal.value, "channel": "api" if for_api else "web"},
            ip_address=audit.client_ip(request),
        )
        if request is not None:
            setattr(request, onetime.REFUSAL_ATTR, refusal)
        # Django then reports a failed log-in (audited, counted by django-axes).
        return None

    def get_user(self, user_id):
        from esar.accounts.models import User

        try:
            user = User._default_manager.select_related("membership").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        # DLA administrators manage every model in the Django admin.
        if has_perm(user_obj, Perm.ADMIN_SITE):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if has_perm(user_obj, Perm.ADMIN_SITE):
            return True
        return super().has_module_perms(user_obj, app_label)
