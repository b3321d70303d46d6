"""Announcements of changes that other apps follow, without the announcing app knowing them.

A service that moves a hop of the cycle, or changes what decides who is counted, announces it here;
the apps that keep figures about it subscribe in their `AppConfig.ready()` (monitoring keeps the
progress rows). This keeps the order of the apps: the lower app announces, the higher one listens,
and no lower app imports a higher one.

Handlers run synchronously, in the announcer's thread and transaction, in the order they
subscribed: what they write commits or rolls back with the change that caused it. These are not
model signals: only the services announce, once per change, with what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

E = TypeVar("E")

_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


@dataclass(frozen=True)
class HopsMoved:
    """Hops of a year moved for these institutions and LAOs: a SAR sent, accepted or returned, a
    synthesis completed or reopened, a delivery made, failed or acknowledged."""

    year: Any  # the AcademicYear
    institution_ids: tuple[int, ...] = ()
    lao_ids: tuple[int, ...] = ()

    @classmethod
    def of(
        cls, year: Any, *, institution_ids: Iterable[int] = (), lao_ids: Iterable[int] = ()
    ) -> HopsMoved:
        return cls(year, tuple(institution_ids), tuple(lao_ids))


@dataclass(frozen=True)
class CountingChanged:
    """What decides who is counted, who is in the target group or who is late changed (the
    registry, the external assessments, a year's deadlines) for these years (None: every open
    year). Followers act once the announcer's transaction commits."""

    years: tuple[int, ...] | None = None


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Run `handler` for every announcement of `event_type` (once, however often subscribed)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def announce(event: object) -> None:
    """Tell every follower of the event's type, in the order they subscribed."""
    for handler in list(_handlers[type(event)]):
        handler(event)


def followers(event_type: type) -> list[Callable[[Any], None]]:
    """Who follows `event_type` (for checks and tests)."""
    return list(_handlers[event_type])
