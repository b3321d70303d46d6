"""Standard sets in the Django admin: to look, not to change (a change is a new version)."""

from django.contrib import admin

from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class QualityLevelInline(ReadOnlyMixin, admin.TabularInline):
    model = QualityLevel
    fields = ["rank", "name_th", "name_en"]


class StandardInline(ReadOnlyMixin, admin.TabularInline):
    model = Standard
    fields = ["number", "name_th", "name_en", "order"]


@admin.register(StandardSet)
class StandardSetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name_th",
        "education_level",
        "version",
        "effective_from_year",
        "is_active",
    ]
    list_filter = ["education_level", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    inlines = [QualityLevelInline, StandardInline]


class StandardItemInline(ReadOnlyMixin, admin.TabularInline):
    model = StandardItem
    fields = ["number", "group_th", "name_th", "name_en", "order"]


@admin.register(Standard)
class StandardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "standard_set", "number"]
    list_filter = ["standard_set"]
    list_select_related = ["standard_set"]
    inlines = [StandardItemInline]
