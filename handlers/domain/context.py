"""Per-request state shared by the handlers: one session, one 'today'."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from handlers.domain import audience
from handlers.domain.cache import Agenda
from handlers.domain.identities import identities_of
from handlers.domain.index import SubjectIndex
from handlers.domain.lineage import Lineage
from handlers.domain.permissions import at_least, role_of
from handlers.domain.ports import Ports, Requester
from handlers.domain.resolve import Vocabulary
from handlers.domain.timeline import Timeline
from handlers.views import i18n, present
from handlers.views.i18n import _, gap
from handlers.views.names import NameBook
from handlers.views.reply import Action, ActionKind, Item, Reply, Section, Visibility
from models import repository
from models.tables import Role


class _once:
    """``functools.cached_property`` without its lock: on Python 3.11 that lock is one per property of
    the class, shared by every Context, so a request on the event loop (handlers.answer_from_memory)
    could wait there for another request's database read in a worker thread. A Context belongs to
    one request, on one thread; what two threads may compute at once is computed twice, harmlessly."""

    def __init__(self, compute) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, _owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, _owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)  # found there next time
        return value


class Context:
    def __init__(
        self, session: Session, ports: Ports, requester: Requester, audience: Visibility = Visibility.private
    ) -> None:
        self.session = session
        self.ports = ports
        # Where the platform gave no zone, the deployment's default is the requester's.
        self.requester = replace(requester, default_timezone=ports.default_timezone)
        self.audience = audience  # who will see the answer: the asker, or the whole channel
        self.revision: int | None = None  # the agenda revision, when this request has read it already

    @_once
    def identities(self) -> tuple[str, ...]:
        """The asker's user ref, then the identities linked with it on other platforms:
        one person, who owns and may do on either platform what they own and may do on one."""
        return identities_of(self.session, self.requester.user_ref)

    @_once
    def role(self) -> Role:
        return role_of(self.session, self.identities, self.ports.admins)

    def visible(self, ids: list[int]) -> list[int]:
        """Drop restricted commitments the audience may not see, keeping order.

        Restricted items never reach a channel. In a private answer, their
        owners and coordinators (and admins) still see them (handlers/domain/audience.py).
        """
        private = audience.is_private(self.audience)
        if not ids or self.index.restricted.isdisjoint(ids):
            return ids  # nothing restricted among them, as of this agenda revision: no question to ask
        return audience.may_see(
            self.session, ids, owner_refs=self.identities if private else (), everything=self.sees_everything
        )

    def visible_meetings(self, ids: list[int]) -> list[int]:
        """Drop meetings the audience may not see: a meeting is as restricted as what it comes from."""
        return audience.meetings_seen(self.session, ids, self.visible)

    def meeting_names(self) -> str:
        """The meetings the audience may see, by name: what an unknown meeting's answer lists."""
        mechanisms = repository.list_mechanisms(session=self.session)
        seen = set(self.visible_meetings([m.id for m in mechanisms]))
        return ", ".join(self.names.of(m) for m in mechanisms if m.id in seen)

    @_once
    def today(self) -> date:
        # Dates in the agenda are calendar dates; UTC's date is the neutral one
        # until the per-user timezone work (reminders) needs more.
        return self.ports.clock.now().date()

    @_once
    def _agenda(self) -> Agenda:
        return self.ports.cache.get(self.session, self.today, self.ports.capitals, revision=self.revision)

    @property
    def timeline(self) -> Timeline:
        return self._agenda.timeline

    @property
    def names(self) -> NameBook:
        """The agenda's names and titles in the reader's language, and official texts (handlers/views/names.py)."""
        return self._agenda.timeline.names

    @property
    def sees_everything(self) -> bool:
        return audience.is_private(self.audience) and at_least(self.role, Role.coordinator)

    @property
    def vocabulary(self) -> Vocabulary:
        return self._agenda.vocabulary

    @property
    def index(self) -> SubjectIndex:
        """What words name in the agreed texts (handlers/domain/index.py)."""
        return self._agenda.index

    def items(self, ids: list[int]) -> list[Item]:
        """Commitments as listed, in order; ``ids`` must already be filtered with ``visible()``.

        Kept per agenda revision and day (handlers/domain/cache.py), so a page of a list
        costs no query once its items have been shown to anyone."""
        known, language = self._agenda.items, i18n.current()  # as worded in the reader's language
        missing = [i for i in ids if (language, i) not in known]
        for record in repository.load_commitments(session=self.session, ids=missing):
            known[(language, record.commitment.id)] = present.item(record, self.timeline)
        items = [known[(language, i)] for i in ids if (language, i) in known]
        # Lineage names other commitments: which ones depends on who asks, so it is added here, not kept.
        shown = self.lineage_shown([item.id for item in items])
        return [self.lineage.item(item, shown) for item in items] if shown else items

    @property
    def lineage(self) -> Lineage:
        """Which commitments carry on, change or replace which (handlers/domain/lineage.py), as of this revision."""
        return self._agenda.lineage

    def lineage_shown(self, keys: list[str]) -> set[str]:
        """The commitments the lineage of these names that the audience may see."""
        named = self.lineage.named_by(keys)
        if not named:
            return set()
        return {self.lineage.key_of[i] for i in self.visible(self.lineage.id_of(named))}

    def paged(
        self,
        *,
        title: str,
        summary: str,
        ids: list[int],
        query: str,
        page: int,
        also: list[int] | None = None,
    ) -> Reply:
        """One page of commitments, with Share and (when there is more) More.

        ``ids`` and ``also`` must already be filtered with ``visible()``.
        """
        # Never an earlier commitment before the one that replaced it (when the audience may see that one).
        ids = self.lineage.current_first(ids, self.lineage_shown(self.lineage.keys_among(ids)))
        size = self.ports.page_size
        pages = max(1, -(-len(ids) // size))
        page = min(page, pages)
        chunk = ids[(page - 1) * size : page * size]
        sections = [Section(items=self.items(chunk))]
        if also and page == pages:
            sections.append(Section(heading=_("Also mentioned in"), items=self.items(also)))
        if pages > 1:
            summary += gap() + _("Page {page} of {pages}.").format(page=page, pages=pages)
        actions = [Action(ActionKind.share, _("Share in channel"), query, page)]
        if page < pages:
            left = len(ids) - page * size
            actions.append(Action(ActionKind.more, _("More ({left} left)").format(left=left), query, page + 1))
        return Reply(title=title, summary=summary, sections=sections, actions=actions)
