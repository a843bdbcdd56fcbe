"""One person, several platforms: which identities are the same person, and
where that person's reminders go.

Someone who uses both Slack and Teams has two user refs (``slack:U…`` and
``teams:<aad object id>``). Once linked, they are one person: what is assigned
to either identity is theirs on both platforms, their role is the higher of
the two, and their reminders go to the platforms they chose
(``LinkedPerson.reminders_via``: all, slack or teams).

Two ways to link, both proving the identities belong together:

- **By email.** Each platform vouches for an address (Slack's profile email,
  the Teams account's address); when the front ends learn one, ``record_email``
  links it with the one identity on the other platform that has the same
  address. Someone who unlinks is never linked by email again.
- **By code.** ``/agenda link`` (handlers/commands/linking.py) shows a one-time code
  privately on one platform; saying it on the other links them.

A person with a single identity has no rows here: ``identities_of`` is then
just that ref.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import Reply, Section, Tone, reply_to_data
from models import identity_links, writes
from models.people import others_with_email, person_row
from models.platforms import PLATFORMS, on_a_platform, platform_of
from models.tables import LinkedPerson, Person
from scheduling import outbox
from scheduling.outbox import Planned

logger = logging.getLogger(__name__)

ALREADY_LINKED = N_("These accounts are already linked.")  # what conflict() says when there is nothing to do


def linkable(ref: str) -> bool:
    """A person can be linked on the platforms; "cli:" refs cannot."""
    return on_a_platform(ref)


def normalize_email(email: str | None) -> str | None:
    """Addresses compare case-insensitively in practice (directories treat them so)."""
    email = (email or "").strip().lower()
    return email if "@" in email and " " not in email else None


@dataclass(frozen=True)
class Links:
    """Every link, read at once: planning looks at every owner."""

    groups: dict[str, tuple[str, ...]]  # ref → all refs of that person, itself included
    via: dict[str, str]  # ref → where that person's reminders go

    def of(self, ref: str) -> tuple[str, ...]:
        return self.groups.get(ref, (ref,))

    def deliver_to(self, ref: str) -> tuple[str, ...]:
        """The identities a message for this person goes to, by their choice.

        A choice of a platform they no longer have an identity on means all of them.
        """
        refs = self.of(ref)
        via = self.via.get(ref, "all")
        chosen = tuple(r for r in refs if platform_of(r) == via)
        return chosen or refs


def load(session: Session) -> Links:
    rows = identity_links.all_links(session=session)
    members: dict[int, list[str]] = {}
    via: dict[str, str] = {}
    for ref, person_id, reminders_via in rows:
        members.setdefault(person_id, []).append(ref)
        via[ref] = reminders_via
    groups = {ref: tuple(refs) for refs in members.values() for ref in refs}
    return Links(groups, via)


def identities_of(session: Session, ref: str) -> tuple[str, ...]:
    """This ref and every identity linked with it (one indexed query)."""
    linked = identity_links.linked_refs(session=session, user_ref=ref)
    return (ref, *(r for r in linked if r != ref))


def person_of(session: Session, ref: str) -> LinkedPerson | None:
    return identity_links.linked_person(session=session, user_ref=ref)


def conflict(session: Session, a: str, b: str) -> str | None:
    """Why a and b cannot be linked, or None.

    One identity per platform per person: linking two Slack accounts (or a
    second Teams account to someone) would send their reminders to a stranger
    as soon as one of them was not who we thought.
    """
    if not (linkable(a) and linkable(b)):
        return _("Only Slack and Teams accounts can be linked.")
    if platform_of(a) == platform_of(b):
        return _("Both are {platform} accounts; a link joins one Slack and one Teams account.").format(
            platform=PLATFORMS[platform_of(a)].title
        )
    refs_a, refs_b = identities_of(session, a), identities_of(session, b)
    if b in refs_a:
        return ALREADY_LINKED
    platforms_a = {platform_of(r) for r in refs_a}
    platforms_b = {platform_of(r) for r in refs_b}
    if platforms_a & platforms_b:
        taken = PLATFORMS[sorted(platforms_a & platforms_b)[0]].title
        return _("One of the two is already linked with another {platform} account; remove that link first.").format(
            platform=taken
        )
    return None


def link(session: Session, a: str, b: str, *, how: str, by: str, now: datetime) -> LinkedPerson:
    """Make a and b one person. Nothing is committed here.

    The caller checks ``conflict`` first; with two platforms and one identity
    per platform, neither a nor b can be linked yet (a third platform would
    make people with several links to merge).
    """
    return identity_links.make_person(session=session, refs=(a, b), how=how, by=by, now=now)


def unlink(session: Session, ref: str) -> tuple[str, ...]:
    """Undo ref's link; returns the identities it was linked with.

    Their addresses stop linking them: a person who undid a link made by
    email must not find it made again at their next message.
    """
    others = identities_of(session, ref)[1:]
    if not others:
        return ()
    identity_links.dissolve(session=session, refs=(ref, *others))
    return others


def set_reminders_via(session: Session, ref: str, via: str) -> tuple[str, str] | None:
    """(before, after), or None when ref is not linked (one platform: nothing to choose)."""
    person = person_of(session, ref)
    if person is None:
        return None
    before, person.reminders_via = person.reminders_via, via
    writes.save(session=session, row=person)
    return before, via


def record_email(session: Session, ref: str, email: str | None, *, now: datetime) -> str | None:
    """Store the address a platform gave for ref and link by it; returns the ref it linked with, if any.

    Links only when exactly one identity on the other platform has the
    address, neither side is already linked on the other's platform, and
    neither has unlinked before. Commits.
    """
    email = normalize_email(email)
    person = person_row(session=session, user_ref=ref)
    person.email, person.email_checked_at = email, now
    writes.save(session=session, row=person)
    partner = _email_partner(session, person)
    if partner is not None:
        link(session, ref, partner, how="email", by="email", now=now)
        announce(session, (ref, partner), how="email", now=now)
        logger.info("linked %s and %s: the same address on both platforms", ref, partner)
    session.commit()
    return partner


def announce(session: Session, targets: Sequence[str], *, how: str, now: datetime) -> None:
    """Tell these identities they are now linked, and how to undo it.

    A link moves reminders (and restricted items) to another account, so the
    person hears of it on each platform, whoever made it.
    """
    from handlers.domain.languages import language_for

    for target in targets:  # one-off, written with the link itself: nothing to deduplicate, so a unique key
        with i18n.speaking(language_for(session, target)):  # in the language of whoever reads it
            why = _("the same email address on both platforms") if how == "email" else _("a code from `/agenda link`")
            notice = Reply(
                title=_("Your Slack and Teams accounts are now linked."),
                summary=_(
                    "Linked by {how}. What you own, your role and your reminders are now the same on both."
                ).format(how=why),
                sections=[
                    Section(
                        body=_(
                            "Reminders come to both. To get them in one place: `/agenda link reminders slack` or "
                            "`/agenda link reminders teams`. Not you, or not wanted? `/agenda link remove` undoes it."
                        )
                    )
                ],
                tone=Tone.notice,
            )
        outbox.add(
            session,
            Planned(f"notice:link:{target}:{uuid.uuid4().hex}", "notice", target, now, reply_to_data(notice)),
            now=now,
        )


def _email_partner(session: Session, person: Person) -> str | None:
    if person.email is None or not person.link_by_email or not linkable(person.user_ref):
        return None
    same = others_with_email(session=session, person=person)
    others = [ref for ref in same if linkable(ref) and platform_of(ref) != platform_of(person.user_ref)]
    if len(others) != 1:
        if len(others) > 1:
            logger.warning("%d identities share %s's address; not linking by email", len(others), person.user_ref)
        return None
    return others[0] if conflict(session, person.user_ref, others[0]) is None else None


def describe(refs: Sequence[str]) -> str:
    """ "Slack <@slack:U1> and Teams <@teams:…>", for answers."""
    return i18n.and_list(f"{_title(platform_of(r))} <@{r}>" for r in refs)


def _title(platform: str) -> str:
    return PLATFORMS[platform].title if platform in PLATFORMS else platform
