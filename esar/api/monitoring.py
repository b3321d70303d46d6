"""Progress and dashboards through the API; same selectors and scoping as the pages."""

from ninja import Router

router = Router(tags=["progress"])
