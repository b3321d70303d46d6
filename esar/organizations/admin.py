from django.contrib import admin

from esar.organizations.models import (
    Agency,
    Institution,
    LaoTypeChange,
    LocalAuthority,
    Province,
    ProvincialOffice,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(ProvincialOffice)
class ProvincialOfficeAdmin(admin.ModelAdmin):
    list_display = ["province", "name_th"]
    search_fields = ["name_th", "province__name_th"]


class LaoTypeChangeInline(admin.TabularInline):
    model = LaoTypeChange
    extra = 0
    readonly_fields = ["recorded_at", "recorded_by"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "lao_type", "province", "is_active"]
    list_filter = ["lao_type", "is_active", "province__region"]
    list_select_related = ["province"]
    search_fields = ["code", "name_th", "name_en"]
    autocomplete_fields = ["province"]
    inlines = [LaoTypeChangeInline]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "onesqa_code", "name_th", "kind", "lao", "is_active"]
    list_filter = [
        "kind",
        "is_active",
        "teaches_early_childhood",
        "teaches_basic",
        "teaches_vocational",
    ]
    list_select_related = ["lao"]
    search_fields = ["code", "onesqa_code", "name_th", "name_en"]
    autocomplete_fields = ["lao"]
