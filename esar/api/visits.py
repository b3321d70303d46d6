"""Supervision visits through the API; same selectors and scoping as the pages."""

from ninja import Router

router = Router(tags=["visits"])
