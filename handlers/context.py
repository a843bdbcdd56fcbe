"""Per-request state shared by the handlers: one session, one 'today'."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from sqlmodel import Session

from handlers import present
from handlers.ports import Ports, Requester
from handlers.reply import Action, ActionKind, Reply, Section
from handlers.resolve import Vocabulary
from handlers.timeline import Timeline
from models import repository


class Context:
    def __init__(self, session: Session, ports: Ports, requester: Requester) -> None:
        self.session = session
        self.ports = ports
        self.requester = requester

    @cached_property
    def today(self) -> date:
        # Dates in the agenda are calendar dates; UTC's date is the neutral one
        # until the per-user timezone work (reminders) needs more.
        return self.ports.clock.now().date()

    @cached_property
    def timeline(self) -> Timeline:
        return Timeline(repository.load_mechanisms(session=self.session), self.today)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(
            [area for area, _count in repository.list_areas(session=self.session)],
            repository.list_mechanisms(session=self.session),
            repository.list_departments(session=self.session),
        )

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
        """One page of commitments, with Share and (when there is more) More."""
        size = self.ports.page_size
        pages = max(1, -(-len(ids) // size))
        page = min(page, pages)
        chunk = ids[(page - 1) * size : page * size]
        records = repository.load_commitments(session=self.session, ids=chunk)
        sections = [Section(items=[present.item(r, self.timeline) for r in records])]
        if also and page == pages:
            extra = repository.load_commitments(session=self.session, ids=also)
            sections.append(Section(heading="Also mentioned in", items=[present.item(r, self.timeline) for r in extra]))
        if pages > 1:
            summary += f" Page {page} of {pages}."
        actions = [Action(ActionKind.share, "Share in channel", query, page)]
        if page < pages:
            actions.append(Action(ActionKind.more, f"More ({len(ids) - page * size} left)", query, page + 1))
        return Reply(title=title, summary=summary, sections=sections, actions=actions)
