from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from esar.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    max_num = 1
    autocomplete_fields = ["lao", "institution"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "role", "is_active"]
    list_select_related = ["membership"]
    list_filter = ["membership__role", "is_active"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ())[:1],  # the stubs allow None; Django sets them
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj: User) -> str:
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown, never edited; revoke one through the API or by deleting it."""

    list_display = ["key_prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["key_prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
