"""What one calendar feed shows, judged when it is fetched.

A link belongs to a person. Each fetch builds the feed afresh with that
person's *current* role and ownerships (Context.visible), so a restricted
item leaves their calendar as soon as they lose the right to see it, and a
revoked link (its row deleted) answers exactly as a link that never existed.
A calendar app fetches with no reader: the feed is written in its owner's
language (the one they chose, else their platform's last, else English), as
their reminders are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import Session

from handlers.domain.context import Context
from handlers.domain.languages import language_for
from handlers.domain.ports import Ports, Requester
from handlers.domain.secret_links import token_digest
from handlers.pages.calendar.events import Leads, commitment_event
from handlers.pages.calendar.meetings import mechanism_events
from handlers.views.i18n import _, speaking
from models import links, repository
from models.people import lead_days_of
from models.tables import CalendarFeed
from scheduling.ics import UID_DOMAIN, build_calendar

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Served:
    body: bytes
    feed_id: int
    events: int


def find_feed(session: Session, token: str) -> CalendarFeed | None:
    # One indexed lookup by digest, for every token: unknown, revoked
    # (deleted) and malformed tokens all take the same path to "not found".
    return links.calendar_feed_by_digest(session=session, token_sha256=token_digest(token))


def serve_feed(token: str, *, ports: Ports) -> Served | None:
    """The feed's bytes, or None for a token that opens nothing."""
    with ports.open_session() as session:
        feed = find_feed(session, token)
        if feed is None:
            return None
        with speaking(language_for(session, feed.user_ref)):
            return _serve(session, feed, ports)


def _serve(session: Session, feed: CalendarFeed, ports: Ports) -> Served:
    ctx = Context(session, ports, Requester(user_ref=feed.user_ref))
    name, description, commitment_ids, mechanism_ids = _scope(ctx, feed.feed)
    leads = Leads(own=_own_lead_days(session, feed.user_ref), default=ports.lead_days)
    events = []
    for record in repository.load_commitments(session=session, ids=ctx.visible(commitment_ids)):
        event = commitment_event(record, ctx.timeline, leads)
        if event is not None:
            events.append(event)
    for record in repository.load_mechanisms(session=session, ids=ctx.visible_meetings(mechanism_ids)):
        events += mechanism_events(ctx, record, leads)
    body = build_calendar(
        events, uid=f"feed-{feed.id}@{UID_DOMAIN}", name=name, description=description, stamp=ports.clock.now()
    )
    return Served(body, feed.id, len(events))


def _scope(ctx: Context, feed: str) -> tuple[str, str, list[int], list[int]]:
    """Name, description, dated commitments and mechanisms of one feed (before visibility)."""
    session, user = ctx.session, ctx.identities  # one person's identities on every platform
    dated = set(repository.commitment_ids_with_due_dates(session=session))
    mechanisms = repository.list_mechanisms(session=session)
    if feed == "mine":
        owned = repository.commitment_ids_owned_by(session=session, refs=user)
        own_meetings = repository.mechanism_ids_owned_by(session=session, refs=user)
        return (
            _("Canada–Japan agenda: my items"),
            _("Deadlines, events and meetings you own on the Canada–Japan peace and security agenda."),
            [i for i in owned if i in dated],
            [m.id for m in mechanisms if m.id in own_meetings],
        )
    if feed.startswith("area:"):
        area = repository.area_by_key(session=session, key=feed.removeprefix("area:"))
        if area is None:  # the area was removed from the agenda: an empty calendar, still valid
            name = _("Canada–Japan agenda: {area}").format(area=feed.removeprefix("area:"))
            return name, _("This area is no longer on the agenda."), [], []
        in_area = repository.commitment_ids_in_area(session=session, area_id=area.id)
        return (
            _("Canada–Japan agenda: {area}").format(area=ctx.names.of(area)),
            _("Deadlines, events and meetings on {area}, Canada–Japan peace and security agenda.").format(
                area=ctx.names.of(area)
            ),
            [i for i in in_area if i in dated],
            [m.id for m in mechanisms if area.key in m.area_keys],
        )
    return (
        _("Canada–Japan agenda"),
        _("Deadlines, events and meetings of the Canada–Japan peace and security agenda, with projected meetings."),
        sorted(dated),
        [m.id for m in mechanisms],
    )


def _own_lead_days(session: Session, user_ref: str) -> tuple[int, ...] | None:
    """The subscriber's own lead times (`/agenda remind me`) win, as for their reminders."""
    days = lead_days_of(session=session, user_ref=user_ref)
    return tuple(days) if days else None
