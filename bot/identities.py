"""Addresses the platforms vouch for, turned into links between identities.

The front ends learn addresses (Slack: ``users.info`` in the weekly refresh;
Teams: the conversation member, when someone writes to the bot) and hand them
here; ``handlers.domain.identities.record_email`` decides whether they link anyone.

Teams cannot look a person up by address without Microsoft Graph, but Slack
can (``users.lookupByEmail``). So when a Teams address links nobody, the
platforms that can search are asked for it: a Teams user who never owned
anything in Slack (and so was never refreshed there) still finds their Slack
identity.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.exc import IntegrityError

from handlers.domain import identities
from handlers.domain.ports import Ports
from models.db import declare_write
from models.people import find_person
from models.platforms import platform_of

logger = logging.getLogger(__name__)

FindByEmail = Callable[[str], Awaitable[str | None]]  # address → that platform's user ref, or None


class EmailLinks:
    def __init__(self, ports: Ports, *, find_by_email: Mapping[str, FindByEmail] | None = None) -> None:
        self.ports = ports
        self.find_by_email = dict(find_by_email or {})  # platform ("slack") → its search

    async def learned(self, ref: str, email: str | None) -> str | None:
        """Record ref's address; the ref it is now linked with, if any. Runs the database work in a thread."""
        partner, searchable = await asyncio.to_thread(self._record, ref, email)
        if partner is not None or searchable is None:
            return partner
        for platform, find in self.find_by_email.items():
            if platform == platform_of(ref):
                continue
            found = await find(searchable)
            if found is None:
                continue
            # That platform just vouched for found's address: recording it links the two.
            partner, _ = await asyncio.to_thread(self._record, found, searchable)
            if partner is not None:
                return found
        return None

    def _record(self, ref: str, email: str | None) -> tuple[str | None, str | None]:
        """(the ref linked with, the address to search other platforms for when nothing linked)."""
        for attempt in (1, 2):
            try:
                with self.ports.open_session() as session:
                    declare_write(session)
                    partner = identities.record_email(session, ref, email, now=self.ports.clock.now())
                    return partner, None if partner is not None else _searchable(session, ref)
            except IntegrityError:
                # Another replica wrote this person's row (or link) first. Its row is there
                # now, so one more attempt updates it and sees any link it made.
                if attempt == 2:
                    logger.warning("could not record the address of %s: another replica kept writing it", ref)
        return None, None


def _searchable(session, ref: str) -> str | None:
    """ref's address, if finding its owner elsewhere could still link ref: it has an
    address, has never unlinked, and has no identity on another platform yet."""
    person = find_person(session=session, user_ref=ref)
    if person is None or person.email is None or not person.link_by_email:
        return None
    return person.email if identities.identities_of(session, ref) == (ref,) else None
