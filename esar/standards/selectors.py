"""Reads of standard sets. Standards are national reference data: every member may read them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from esar.standards.models import Standard, StandardItem, StandardSet


def sets_with_counts() -> QuerySet[StandardSet]:
    return StandardSet.objects.annotate(
        standard_count=Count("standards", distinct=True),
        item_count=Count("standards__items", distinct=True),
    ).order_by("education_level", "-effective_from_year", "-version")


def set_for(code: str) -> StandardSet:
    """A set with its standards, items and quality levels, or 404."""
    return get_object_or_404(
        StandardSet.objects.prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.order_by("order").prefetch_related(
                    Prefetch("items", queryset=StandardItem.objects.order_by("order"))
                ),
            ),
            "quality_levels",
        ),
        code=code,
    )


def report_count(standard_set: StandardSet) -> int:
    """How many reports were written against the set (and so pin it forever)."""
    return standard_set.sars.count()
