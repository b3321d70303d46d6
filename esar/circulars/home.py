"""The circulars meant for the person, unread first, on every role's home page.

Registered in CircularsConfig.ready() as the home section "circulars" (esar.core.sections).
"""

from __future__ import annotations

from esar.accounts.models import User
from esar.circulars.selectors import for_home
from esar.core.sections import HomePart


def section(user: User) -> HomePart:
    return HomePart(template="circulars/includes/home.html", context={"circulars": for_home(user)})
