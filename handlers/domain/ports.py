"""What handlers are given: a way to open a database session, a clock, and
who is asking. Front ends build these; handlers never see a platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from handlers.domain.cache import AgendaCache, ReplyCache, RevisionHint
from handlers.views.i18n import LanguageBook
from models.platforms import DEFAULT_TIMEZONE, Conversation, platform_of
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.clock import Clock

OpenSession = Callable[[], Session]  # a new session, closed by its with-block


@dataclass(frozen=True)
class Requester:
    user_ref: str  # "<platform>:<id>", e.g. "slack:U024BE7LH"; "cli:<login>" in the terminal
    display_name: str | None = None
    channel_ref: str | None = None
    channel_name: str | None = None  # the channel's name without its #, when the platform tells us (Slack commands)
    timezone: str | None = None  # IANA name, when the platform tells us
    locale: str | None = None  # BCP 47 tag ("fr-CA", "ja-JP"), when the platform tells us
    # The kind of conversation asked in: the front end knows from the platform's own conversation types.
    conversation: Conversation = Conversation.direct
    default_timezone: str = DEFAULT_TIMEZONE  # the deployment's, for a requester whose platform gives none

    @property
    def in_channel(self) -> bool:
        """Asked where several people read the answer (a channel, a group chat), not a direct or 1:1 chat."""
        return self.conversation != Conversation.direct

    @property
    def zone(self) -> str:
        """The requester's timezone: their platform's, else the deployment's default."""
        return self.timezone or self.default_timezone

    @property
    def origin(self) -> str:
        """Where a change came from, for the audit log."""
        return self.channel_ref or platform_of(self.user_ref)


@dataclass(frozen=True)
class Ports:
    open_session: OpenSession
    clock: Clock
    page_size: int = 8
    admins: frozenset[str] = frozenset()  # user refs named in AGENDA_ADMINS
    public_url: str = "http://127.0.0.1:3000"  # AGENDA_PUBLIC_URL: calendar links start with it
    lead_days: tuple[int, ...] = (30, 7, 1)  # AGENDA_REMINDER_LEAD_DAYS: calendar alarms follow them
    capitals: Capitals = DEFAULT_CAPITALS  # the two cities, their holidays and working hours
    plan_gap_days: int = 14  # `/agenda plan` keeps this far from other agenda dates
    default_timezone: str = DEFAULT_TIMEZONE  # AGENDA_DEFAULT_TIMEZONE: for whoever has no zone of their own
    cache: AgendaCache = field(default_factory=AgendaCache, compare=False)
    replies: ReplyCache = field(default_factory=ReplyCache, compare=False)
    revision: RevisionHint = field(default_factory=RevisionHint, compare=False)
    languages: LanguageBook = field(default_factory=LanguageBook, compare=False)  # who speaks what, a minute
