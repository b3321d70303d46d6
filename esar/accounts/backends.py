from django.contrib.auth.backends import ModelBackend

from esar.accounts.permissions import Perm, has_perm


class AccountBackend(ModelBackend):
    """Password login, loading the membership with the user, and admin rights from the role."""

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
