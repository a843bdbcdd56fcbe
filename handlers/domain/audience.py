"""Who will see an answer, and what they may see in it: the one audience check.

An answer is *private* (the asker alone: a Slack ephemeral answer, a direct
message, the Home tab, their own calendar feed, a Teams 1:1 chat) or *shared*
(everyone in a conversation: an answer said in a Teams channel or group chat,
a Slack Share, a digest, a reminder to the coordinators' channel). Every path
asks here, through ``handlers.views.reply.Visibility``:

- Restricted commitments are seen only privately, by their owners and by
  coordinators and admins (``may_see``, which Context.visible applies).
- A meeting carries the sensitivity of the commitments it comes from: when all
  of them are restricted (a meeting made for a restricted recurring commitment,
  and named after it), so is the meeting, seen only by who may see one of them
  (``meetings_seen``).
- What belongs to the asker alone (calendar links, link codes) is given only in
  private; elsewhere ``ask_privately`` says where to ask.
- Before anything is shared, ``shared_safe`` makes sure it names no restricted
  item (its id, its title, its meeting): the last line behind the filters.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from handlers.views.i18n import _
from handlers.views.reply import Item, Reply, Section, Tone, Visibility
from models import repository, translations
from models.tables import Mechanism

logger = logging.getLogger(__name__)

SHORTEST_NAME = 4  # a restricted title shorter than this would match ordinary words
# Ids the bot's own help and hints use as examples ("`/agenda show 2002-A4`"): not taken, alone, as
# naming that item, or help would be withheld once it is restricted. Its title still is.
EXAMPLE_IDS = frozenset({"2002-A4", "1999-12"})


def is_private(audience: Visibility) -> bool:
    return audience == Visibility.private


def ask_privately(what: str) -> Reply:
    """The answer, in a shared conversation, to a request for something only the asker may hold."""
    return Reply(
        title=_("{what}: ask me in a private chat.").format(what=_(what)),
        summary=_(
            "Everyone here would see them. In Slack, `/agenda` answers only you; in Teams, open a chat with the bot."
        ),
        tone=Tone.notice,
    )


def may_see(session: Session, ids: list[int], *, owner_refs: Sequence[str], everything: bool) -> list[int]:
    """Of these commitments, in order, those the audience may see: public ones; restricted ones
    for coordinators and admins in private (``everything``), or owned by ``owner_refs``."""
    if not ids or everything:
        return ids
    allowed = repository.visible_ids(session=session, ids=ids, owner_refs=owner_refs)
    return [i for i in ids if i in allowed]


def meetings_seen(session: Session, mechanism_ids: Iterable[int], seen: Callable[[list[int]], list[int]]) -> list[int]:
    """Of these meetings, in order, those whose sensitivity lets the audience see them: a meeting
    no commitment comes from is public; otherwise one of its commitments must be ``seen``."""
    wanted = list(mechanism_ids)
    sources = repository.commitment_ids_by_mechanism(session=session, mechanism_ids=wanted)
    allowed = set(seen(sorted({i for ids in sources.values() for i in ids})))
    return [m for m in wanted if m not in sources or allowed.intersection(sources[m])]


def restricted_meetings(session: Session, mechanism_ids: Iterable[int]) -> set[int]:
    """Of these meetings, those a channel may not see."""
    wanted = list(mechanism_ids)
    public = set(meetings_seen(session, wanted, lambda ids: may_see(session, ids, owner_refs=(), everything=False)))
    return {m for m in wanted if m not in public}


# -- the last check before anything is shared ----------------------------------------


@dataclass(frozen=True)
class Secrets:
    """What identifies a restricted item: its id and title, its meeting's key and name."""

    pattern: re.Pattern | None

    def named_in(self, text: str | None) -> bool:
        return bool(text and self.pattern and self.pattern.search(text))


def secrets(session: Session, *, said: str = "") -> Secrets:
    """What would identify a restricted item, less what the asker said themselves in the
    conversation (an answer that repeats a typed id, "No commitment with the id …", tells
    nothing new; refusing it would tell that the id exists)."""
    rows = repository.restricted_names(session=session)
    words = {key for _m, key, _title in rows} | {title for _m, _key, title in rows}
    # Their titles (and official texts) in French and Japanese name them as well as the English.
    words |= set(translations.translated_names(session=session, subject="commitment", keys=[k for _m, k, _t in rows]))
    for mechanism_id in restricted_meetings(session, {m for m, _key, _title in rows if m is not None}):
        mechanism = session.get(Mechanism, mechanism_id)
        words |= {mechanism.key, mechanism.name}
        words |= set(translations.translated_names(session=session, subject="mechanism", keys=[mechanism.key]))
    words = {w.strip() for w in words if len(w.strip()) >= SHORTEST_NAME}
    words = {w for w in words if w not in EXAMPLE_IDS and not _whole(w).search(said)}
    if not words:
        return Secrets(None)
    # Whole words only, longest first: 2005-E1 is not 2005-E12, and "Talks" is not "Talkshow".
    return Secrets(_whole(*sorted(words, key=len, reverse=True)))


# A letter or digit of a script that spaces its words. Japanese does not: a title followed by a
# particle (刑事共助条約を…) or after one is still that title, so a Japanese character is no word around it.
_SPACED = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u31f0-\u31ff]"


def _whole(*words: str) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!{_SPACED})(?<!-)(?:{alternatives})(?!{_SPACED})(?!-)", re.IGNORECASE)


def shared_safe(reply: Reply, session: Session, *, said: str = "", done: bool = False) -> Reply:
    """The reply as a shared conversation may see it: items, lines and buttons naming a
    restricted item (that the asker did not name in ``said``) are left out; if its title or
    summary names one, a neutral answer instead (``done``: the command was carried out, so say
    so). Unchanged, the same object."""
    found = secrets(session, said=said)
    if found.pattern is None:
        return reply
    if found.named_in(reply.title) or found.named_in(reply.summary):
        logger.warning("a shared answer named a restricted item; withheld")
        return withheld(done=done)
    sections = [s for s in (_section(s, found) for s in reply.sections) if s is not None]
    actions = [a for a in reply.actions if not (found.named_in(a.label) or found.named_in(a.query))]
    if sections == reply.sections and actions == reply.actions:
        return reply
    logger.warning("a shared answer named a restricted item; those parts were left out")
    return dataclasses.replace(reply, sections=sections, actions=actions)


def withheld(*, done: bool = False) -> Reply:
    return Reply(
        title=_("Done; the details are not shown here.") if done else _("I can't show that answer here."),
        summary=_("Ask me in a private chat to see it."),
        tone=Tone.notice,
    )


def _section(section: Section, found: Secrets) -> Section | None:
    if found.named_in(section.heading):
        return None
    body = section.body
    if found.named_in(body):
        body = "\n".join(line for line in body.splitlines() if not found.named_in(line)) or None
    items = [i for i in section.items if not _names(i, found)]
    if body == section.body and items == section.items:
        return section
    return Section(section.heading, body, items) if body or items else None


def _names(item: Item, found: Secrets) -> bool:
    texts = [item.id, item.title, item.text, str(item.citation or "")]
    texts += [t for f in item.facts for t in (f.label, f.value)]
    texts += [item.action.label, item.action.query] if item.action else []
    return any(found.named_in(t) for t in texts)
