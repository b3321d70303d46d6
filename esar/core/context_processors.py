from django.http import HttpRequest

from esar.core.navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    membership = (
        getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    )
    return {"nav_items": items_for(user) if user else [], "current_membership": membership}
