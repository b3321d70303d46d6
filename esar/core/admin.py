from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from esar.core import thaidate
from esar.core.models import AuditEvent, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are evidence: the admin shows them and never changes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["when", "actor_username", "label", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_repr", "object_id"]
    date_hierarchy = "at"

    @admin.display(description=_("time"), ordering="at")
    def when(self, event: AuditEvent) -> str:
        return thaidate.format_datetime(event.at)

    @admin.display(description=_("action"), ordering="action")
    def label(self, event: AuditEvent) -> str:
        return event.label


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "created_by",
        "created_at",
        "progress_done",
        "progress_total",
    ]
    list_filter = ["kind", "status"]
