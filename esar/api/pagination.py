"""Page-number pagination with the bounds written into the OpenAPI document."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE: int = settings.NINJA_PAGINATION_PER_PAGE
MAX_PAGE_SIZE: int = settings.NINJA_MAX_PER_PAGE_SIZE


class PageInput(Schema):
    # Bounded so that page × page_size stays a valid database offset.
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class Pagination(PageNumberPagination):
    """`page` from 1, `page_size` up to MAX_PAGE_SIZE; answers {"count", "items"}."""

    # ninja reads this class for the query parameters. The stubs compare it to ninja's own Input,
    # whose page_size may be None; ours always has one, bounded, so the constructors differ.
    Input = PageInput  # type: ignore[assignment]

    def __init__(self, **kwargs) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
