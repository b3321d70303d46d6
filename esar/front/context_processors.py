from django.http import HttpRequest

from esar.core.models import Notice
from esar.front.navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    membership = (
        getattr(user, "membership", None) if getattr(user, "is_authenticated", False) else None
    )
    unread = 0
    if membership is not None:
        # One small indexed count per page: the badge on "Notices".
        unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    return {
        "nav_items": items_for(user) if user else [],
        "current_membership": membership,
        "unread_notices": unread,
    }
