"""The agenda's tables.

Document → commitments; commitments belong to areas, may belong to a
mechanism (a recurring meeting), and have owners. Mechanisms carry their
cadences (with the source that stated each) and their occurrences.

Every table that the seed loader fills has a natural ``key`` so that loading
is an upsert, never a duplicate. Fields that people change in the bot
(owners, status) remember that they did, so a re-seed does not undo them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Enumerations are stored as plain strings, not database enum types, so that
# adding a value (a new status, say) needs no schema change on PostgreSQL.
_ENUM = String(32)


# The JSON columns' defaults. Not `default_factory=_new_list`: pydantic asks each factory's signature, and for the
# builtin `list` Python reads it from its text signature, compiling the tokenizer's patterns first (some 10 ms
# of every start, `agenda-bot ask` included); a function's signature is read directly.
def _new_list() -> list:
    return []


def _new_dict() -> dict:
    return {}


class Kind(StrEnum):
    recurring_mechanism = "recurring_mechanism"
    deadline = "deadline"
    one_time_event = "one_time_event"
    ongoing_cooperation = "ongoing_cooperation"
    position = "position"


class Status(StrEnum):
    unknown = "unknown"  # the sources record no outcome
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    stalled = "stalled"
    dropped = "dropped"


CLOSED = (Status.done, Status.dropped)  # the statuses after which nothing is due


class Origin(StrEnum):
    seed = "seed"  # from seeds/agenda, refreshed by every load
    bot = "bot"  # set by a person through the bot; the loader leaves it alone
    imported = "import"  # from a file given to `agenda-bot import`; the seed loader leaves it alone too


class OwnerKind(StrEnum):
    department = "department"
    user = "user"


class Role(StrEnum):
    member = "member"  # everyone, by default: reads
    coordinator = "coordinator"  # keeps the agenda true: owners, dates, statuses
    admin = "admin"  # grants roles, and everything a coordinator does


class Sensitivity(StrEnum):
    public = "public"
    restricted = "restricted"  # never in anything a channel can see


class Stage(StrEnum):
    """Where a treaty or agreement stands; each stage is dated and sourced."""

    negotiations_launched = "negotiations_launched"
    concluded = "concluded"
    signed = "signed"
    in_force = "in_force"


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    title: str
    short_title: str
    date_edtf: str
    date_note: str
    year: int
    place: str | None = None
    issued_by: str | None = None
    source_file: str
    # Other names people use for it ("Indo-Pacific", "行動計画"): seeds/agenda/terms.yaml, for lookups.
    aliases: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    # The framing statement before its commitments, verbatim: lookups cite it, labelled, never as a commitment.
    preamble: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class SearchTerm(SQLModel, table=True):
    """A thing the texts name, or a topic word, with what else means the same (seeds/agenda/terms.yaml).

    Kept in the database with the agenda, so answering a lookup reads no seed file."""

    __tablename__ = "search_term"
    id: int | None = Field(default=None, primary_key=True)
    canonical: str = Field(unique=True, index=True)  # as the texts write it
    variants: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    names_a_thing: bool = True  # a treaty, a body, a place, an issue; False: a topic word


class Area(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    aliases: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    country: str
    aliases: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))


class Mechanism(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    area_keys: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    alternates_host: bool = False
    usual_season: str | None = None
    owners_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    # Reminder lead times for this meeting (days before), when they differ from the default.
    reminder_lead_days: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime | None = None  # last change made through the bot (see repository.touch_mechanism)
    # Optimistic locking, as for commitments: a change to a meeting's dates or owners
    # touches its row, so two people changing them at once cannot both succeed.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))

    __mapper_args__ = {"version_id_col": version.sa_column}


class Cadence(SQLModel, table=True):
    """One statement of how often a mechanism meets. A later one supersedes an
    earlier one, but both are kept with their sources."""

    __table_args__ = (UniqueConstraint("mechanism_id", "source_commitment_key"),)

    id: int | None = Field(default=None, primary_key=True)
    mechanism_id: int = Field(foreign_key="mechanism.id", index=True)
    rrule: str
    stated: str
    effective_edtf: str
    effective_on: date
    source_commitment_key: str


class Held(StrEnum):
    """What a record says about one meeting (handlers/commands/held.py); no record: unknown."""

    held = "held"
    not_held = "not_held"


class Occurrence(SQLModel, table=True):
    """A meeting that happened, is fixed, or was recorded as not held; fuzzy
    dates keep their EDTF form and the window they stand for.

    ``held`` is what someone recorded with `/agenda held` or `/agenda not held`;
    None on older rows: seeded history and `/agenda schedule`, which read as
    before (held when past and not ``planned_only``, fixed when ahead)."""

    __table_args__ = (UniqueConstraint("mechanism_id", "date_edtf"),)

    id: int | None = Field(default=None, primary_key=True)
    mechanism_id: int = Field(foreign_key="mechanism.id", index=True)
    date_edtf: str
    starts_on: date
    ends_on: date  # inclusive: the last day of the window
    place: str | None = None
    host: str | None = None  # "CA" or "JP"
    note: str = ""
    planned_only: bool = False  # announced, never confirmed by a later source
    source_commitment_key: str | None = None
    origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    held: Held | None = Field(default=None, sa_type=_ENUM)
    ordinal: int | None = None  # its number in the series ("the 13th"), when known
    reason: str = ""  # why it was not held, as recorded
    # A time of day, when one was fixed (`/agenda schedule pol-mil 2027-10-14 09:30 Tokyo`): the instant, UTC, and
    # the IANA zone it was given in (its date is ``starts_on`` there). None: a date only, as most meetings are.
    starts_at: datetime | None = None
    timezone: str | None = None

    @property
    def not_held(self) -> bool:
        return self.held == Held.not_held


class Milestone(SQLModel, table=True):
    """One step of a meeting's preparation or follow-up, as changed for that meeting.

    The checklist is the defaults (handlers/commands/milestones.py: agenda proposals 30 days
    before, briefing notes 14, delegation list 7, record of discussion 14 after),
    overlaid by these rows: a different day, an owner, done. A row belongs to one
    occurrence (the date fixed for the meeting), so moving that date moves its
    checklist with it."""

    __table_args__ = (UniqueConstraint("occurrence_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    key: str  # agenda | briefing | delegation | record
    days: int  # relative to the meeting's day: -30 is thirty days before
    owner_ref: str | None = None  # a person ("slack:U…"); None: the meeting's owners
    done_at: datetime | None = None
    done_by: str | None = None


class Proposal(SQLModel, table=True):
    """A commitment proposed for discussion at a mechanism's next meeting: the one after the
    last meeting held before it was proposed (handlers/commands/proposals.py)."""

    __tablename__ = "agenda_proposal"
    __table_args__ = (UniqueConstraint("mechanism_id", "commitment_id", "proposed_on"),)

    id: int | None = Field(default=None, primary_key=True)
    mechanism_id: int = Field(foreign_key="mechanism.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    proposed_on: date  # the day it was proposed (UTC): it is for the first meeting on or after it
    proposed_by: str
    proposed_at: datetime


class MeetingOutcome(SQLModel, table=True):
    """The record of discussion for one agenda item at one meeting held: what was said or agreed
    (handlers/commands/outcomes.py). One per item and meeting; a later outcome replaces it (audited)."""

    __tablename__ = "meeting_outcome"
    __table_args__ = (UniqueConstraint("occurrence_id", "commitment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    text: str
    recorded_by: str
    recorded_at: datetime


class MeetingAction(SQLModel, table=True):
    """A follow-up action decided at a meeting held: a commitment of its own (a deadline with
    owners, reminded and escalated as any other), citing the meeting it came from."""

    __tablename__ = "meeting_action"

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    commitment_id: int = Field(foreign_key="commitment.id", unique=True, index=True)


class Delegate(SQLModel, table=True):
    """Who attends a meeting for one side: a person (``slack:U…``) or a department (a key of the
    catalogue, or a name as typed), for one occurrence (handlers/commands/outcomes.py)."""

    __table_args__ = (UniqueConstraint("occurrence_id", "country", "kind", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    country: str  # CA or JP
    kind: str  # user | department | name (a department the catalogue does not know, as typed)
    ref: str
    display_name: str
    added_by: str
    added_at: datetime


class Commitment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)  # the public id people type: 2002-A4
    position: int  # order within its document, for stable listings
    document_id: int = Field(foreign_key="document.id", index=True)
    mechanism_id: int | None = Field(default=None, foreign_key="mechanism.id", index=True)
    section: str
    title: str
    text: str
    kind: Kind = Field(sa_type=_ENUM)
    due_edtf: str | None = None
    due_start: date | None = None
    due_end: date | None = None
    dates_stated: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    organisations: str = ""  # "; "-joined so both full-text indexes can read it
    related_keys: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    # Earlier commitments this one carries on, changes or replaces: {"updates": ["1999-1"]}
    # (handlers/domain/lineage.py).
    lineage: dict = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    # Sub-steps of the undertaking, in order: [{"text": …, "done": EDTF or None}] (seeds/schema.py StepSeed).
    steps: list[dict] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    status: Status = Field(default=Status.unknown, sa_type=_ENUM)
    status_note: str = ""
    status_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    owners_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    content_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)  # bot: edited with /agenda edit
    updated_at: datetime | None = None  # last change made through the bot
    sensitivity: Sensitivity = Field(default=Sensitivity.public, sa_type=_ENUM)
    source_note: str = ""  # for commitments added in the bot: where the text comes from
    reminder_lead_days: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Optimistic locking: every UPDATE checks and bumps it, so two people
    # saving the same item cannot silently overwrite each other.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))

    # SQLAlchemy adds "AND version = <as loaded>" to every UPDATE and raises
    # StaleDataError when another transaction got there first.
    __mapper_args__ = {"version_id_col": version.sa_column}

    @property
    def organisation_list(self) -> list[str]:
        return [o for o in self.organisations.split("; ") if o]


class CommitmentSplit(SQLModel, table=True):
    """A record that merged separate undertakings, retired: its id still resolves, to the
    commitments it was split into (seeds/agenda/commitments/*.yaml ``splits``)."""

    __tablename__ = "commitment_split"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)  # the retired id: 2005-D1
    successor_keys: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    lead_in: str = ""  # the words the parts shared, verbatim, when they were one sentence
    # What people had set in chat on the merged record when it was split, and where it went:
    # [{"field": "status", "value": …, "by": …, "to": [keys]}]; a text edited in chat is kept here.
    carried: list[dict] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))
    split_at: datetime | None = None  # when an existing record was split; None: split before it was loaded


class CommitmentArea(SQLModel, table=True):
    commitment_id: int = Field(foreign_key="commitment.id", primary_key=True)
    area_id: int = Field(foreign_key="area.id", primary_key=True, index=True)
    is_primary: bool = False


class Owner(SQLModel, table=True):
    """Who answers for a commitment or a mechanism: a department until people
    are assigned, then people (a department may stay alongside)."""

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int | None = Field(default=None, foreign_key="commitment.id", index=True)
    mechanism_id: int | None = Field(default=None, foreign_key="mechanism.id", index=True)
    kind: OwnerKind = Field(sa_type=_ENUM)
    ref: str = Field(index=True)  # department key, or "<platform>:<user id>"
    display_name: str
    origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)


# -- the write path: roles, audit, stages ----------------------------------------


class Member(SQLModel, table=True):
    """People with a role above member. Admins named in AGENDA_ADMINS are
    admins whatever this table says; rows here are grants made in the bot."""

    id: int | None = Field(default=None, primary_key=True)
    user_ref: str = Field(unique=True, index=True)
    role: Role = Field(sa_type=_ENUM)
    granted_by: str
    granted_at: datetime


class CommitmentStage(SQLModel, table=True):
    __tablename__ = "commitment_stage"
    __table_args__ = (UniqueConstraint("commitment_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(foreign_key="commitment.id", index=True)
    stage: Stage = Field(sa_type=_ENUM)
    on_edtf: str  # when it happened, as precisely as known
    source_note: str = ""
    recorded_by: str
    recorded_at: datetime


class AuditEntry(SQLModel, table=True):
    """One change, as it was made: append-only (database triggers refuse
    UPDATE and DELETE on this table)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_ref: str = Field(index=True)  # "<platform>:<user id>"
    origin: str  # where the change came from: "slack:C024BE91L", "slack:home", "cli"
    action: str  # assign, unassign, status, stage, schedule, add, edit, role
    target_type: str  # commitment, mechanism, member
    target_key: str = Field(index=True)
    before: dict = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False))
    note: str = ""


# -- delivery: the outbox ------------------------------------------------------------


class Delivery(StrEnum):
    pending = "pending"  # waiting for its due time (or its next attempt)
    sending = "sending"  # claimed by a dispatcher, under a lease
    sent = "sent"
    dead = "dead"  # gave up after bounded attempts, or the platform refused for good
    expired = "expired"  # fell due so long ago (downtime) that sending it now would only be noise
    cancelled = "cancelled"  # no longer wanted before it was sent (its item was acknowledged)


class OutboxMessage(SQLModel, table=True):
    """One message to deliver, written before it is sent.

    ``key`` is deterministic (``reminder:<item>:<due date>:<lead>:<recipient>``),
    and unique: planning twice, restarting, or two replicas planning at once
    can never create a second message.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    kind: str  # reminder, milestone, date_prompt, escalation, digest, alert
    target: str = Field(index=True)  # "slack:U024BE7LH" (a person: DM) or "slack:C024BE91L" (a channel)
    due_at: datetime = Field(index=True)
    body: dict = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False))  # a neutral Reply, as data
    status: Delivery = Field(default=Delivery.pending, sa_type=_ENUM, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(index=True)
    claimed_by: str | None = None
    lease_until: datetime | None = None
    provider_message_id: str | None = None  # the platform's id once sent (Slack: channel:ts)
    last_error: str = ""
    created_at: datetime
    sent_at: datetime | None = None
    late: bool = False  # delivered after its due time (after downtime): the message says so


class Person(SQLModel, table=True):
    """What the bot knows about a person it messages: their timezone (from
    the platform, cached) and their own reminder lead times, if any."""

    id: int | None = Field(default=None, primary_key=True)
    user_ref: str = Field(unique=True, index=True)
    timezone: str | None = None  # IANA name; None: the platform gives none
    timezone_checked_at: datetime | None = None
    lead_days: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The address the platform vouches for (Slack profile, Teams/Entra account), lower-cased:
    # the same address on both platforms links the two identities (handlers/domain/identities.py).
    email: str | None = Field(default=None, index=True)
    email_checked_at: datetime | None = None
    link_by_email: bool = True  # false once they unlinked: their address no longer links them again
    # As the platform shows them ("Maria Sato"): mentions a platform cannot render itself use it.
    display_name: str | None = None
    # The bot's language for them ("en", "fr", "ja"): the one they chose (`/agenda language`), else the
    # one their platform's locale gives (Slack's users.info, Teams' activity), else English
    # (handlers/domain/languages.py).
    language: str | None = None  # chosen by them
    platform_language: str | None = None  # as their platform last said


class Acknowledgement(SQLModel, table=True):
    """Someone saw a reminder or an escalation and took it in hand: escalations
    of that item stop."""

    id: int | None = Field(default=None, primary_key=True)
    # One per item: simultaneous presses must not record two (the loser is told it is done).
    item_ref: str = Field(unique=True, index=True)  # commitment id or meeting key
    message_key: str  # the outbox message it answered
    acknowledged_by: str
    at: datetime


class DigestSubscription(SQLModel, table=True):
    """A channel that gets the weekly digest, when, and about what."""

    __tablename__ = "digest_subscription"

    id: int | None = Field(default=None, primary_key=True)
    channel_ref: str = Field(unique=True, index=True)  # "slack:C024BE91L"
    area_keys: list[str] = Field(default_factory=_new_list, sa_column=Column(JSON, nullable=False))  # empty: all
    weekday: int = 0  # Monday = 0
    at: str = "09:00"  # local time, HH:MM
    timezone: str = "America/Toronto"
    language: str = "en"  # the digest's language, chosen at subscription
    created_by: str
    created_at: datetime


class Revision(SQLModel, table=True):
    """One row, bumped by every change to the agenda (seed loads and changes
    from chat), so processes can cache what they derive from it and know,
    with one primary-key read, when to throw the cache away."""

    id: int = Field(default=1, primary_key=True)
    value: int = 0


# -- calendar feeds ------------------------------------------------------------------


class CalendarFeed(SQLModel, table=True):
    """One person's subscription link to one calendar feed.

    Only the SHA-256 digest of the token is kept: someone who reads the
    database (a backup, a leak) cannot rebuild a working link from it. So the
    link is shown once, when it is made; revoking deletes the row.
    """

    __tablename__ = "calendar_feed"
    __table_args__ = (UniqueConstraint("user_ref", "feed"),)

    id: int | None = Field(default=None, primary_key=True)
    user_ref: str = Field(index=True)  # the owner; their current role decides what the feed shows
    feed: str  # "agenda" (everything), "mine", or "area:<area key>"
    token_sha256: str = Field(unique=True, index=True)  # hex digest of the token in the link
    created_at: datetime


class DashboardLink(SQLModel, table=True):
    """One person's link to the read-only dashboard page (handlers/commands/dashboard_links.py).

    A table of its own, not a kind of calendar feed: a calendar token can never
    open a dashboard, nor the other way round, whatever a lookup forgets to filter.
    As for feeds, only the token's SHA-256 digest is kept; the link is shown once.
    """

    __tablename__ = "dashboard_link"

    id: int | None = Field(default=None, primary_key=True)
    user_ref: str = Field(unique=True, index=True)  # one link per person; their current role decides what it shows
    token_sha256: str = Field(unique=True, index=True)
    created_at: datetime


# -- Microsoft Teams -----------------------------------------------------------------


class TeamsConversation(SQLModel, table=True):
    """Where the bot can write in Microsoft Teams without being spoken to.

    Teams gives no way to open a channel conversation, and a 1:1 chat only
    once the app is installed for the person, so the bot keeps what each
    conversation told it (on install, when added, on every message): proactive
    reminders and digests are sent with it. ``active`` turns false when Teams
    answers 403 (bot blocked or removed) or the app is uninstalled.
    """

    __tablename__ = "teams_conversation"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(unique=True, index=True)  # without any ";messageid=" thread suffix
    conversation_type: str = Field(sa_type=_ENUM)  # personal | channel | groupChat
    service_url: str  # differs by region and cloud: always send with the stored one
    tenant_id: str | None = None
    bot_id: str | None = None
    user_ref: str | None = Field(default=None, index=True)  # "teams:<aad object id>"; in 1:1 chats, the person
    active: bool = True
    inactive_reason: str = ""
    updated_at: datetime


# -- one person, several platforms ----------------------------------------------------


class LinkedPerson(SQLModel, table=True):
    """One person known under several platform identities (Slack and Teams).

    Ownership, roles and reminders follow the person: what is assigned to
    either identity is theirs on both platforms. A person with one identity
    has no row here.
    """

    __tablename__ = "linked_person"

    id: int | None = Field(default=None, primary_key=True)
    reminders_via: str = "all"  # all | slack | teams: where their reminders and prompts go
    created_at: datetime


class IdentityLink(SQLModel, table=True):
    """One platform identity of a linked person."""

    __tablename__ = "identity_link"

    id: int | None = Field(default=None, primary_key=True)
    user_ref: str = Field(unique=True, index=True)  # "slack:U…" or "teams:<aad object id>"
    person_id: int = Field(foreign_key="linked_person.id", index=True)
    how: str  # email (the same address on both platforms) | code (`/agenda link`)
    linked_by: str  # the identity that completed the link, or "email"
    linked_at: datetime


class LinkCode(SQLModel, table=True):
    """A one-time code from `/agenda link`, waiting to be said on the other platform.

    Only its SHA-256 digest is kept, as with calendar tokens.
    """

    __tablename__ = "link_code"

    id: int | None = Field(default=None, primary_key=True)
    code_sha256: str = Field(unique=True, index=True)
    user_ref: str = Field(index=True)  # who asked for it: the identity it proves
    created_at: datetime
    expires_at: datetime


class SeenRequest(SQLModel, table=True):
    """A signed platform request already served, kept while its signature is still valid.

    A Slack signature is good for five minutes; a copy replayed meanwhile has
    the same signature, so the unique key refuses it on every replica.
    """

    __tablename__ = "seen_request"

    key_sha256: str = Field(primary_key=True)  # of the platform and its signature, never the signature itself
    expires_at: datetime = Field(index=True)


class SeedLoad(SQLModel, table=True):
    """Which seeds were last loaded (one row): a start whose seed files and loader are
    the same skips reloading them (seeds/fingerprint.py)."""

    __tablename__ = "seed_load"

    id: int = Field(default=1, primary_key=True)
    fingerprint: str


class PendingImport(SQLModel, table=True):
    """A file an admin shared with the bot in chat, previewed and waiting for its Confirm button.

    The files are kept as they were previewed, so Confirm applies exactly those (never a new
    download), with the preview's fingerprint: an agenda that changed since gives another
    preview instead. Only the SHA-256 digest of the button's token is kept, as with link
    codes. ``applied_at`` is set in the import's own transaction, so it is applied at most once.
    """

    __tablename__ = "pending_import"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(unique=True, index=True)
    user_ref: str = Field(index=True)  # who previewed it: only they (or a linked identity) may confirm it
    origin: str  # where it was shared: "slack:D024BE91L", "teams:a:1…"
    file_name: str  # the name the audit trail gives: "imported from <file name> by <person>"
    files: dict = Field(default_factory=_new_dict, sa_column=Column(JSON, nullable=False))  # name → text
    fingerprint: str  # of the previewed changes (seeds.imports.fingerprint)
    created_at: datetime
    expires_at: datetime
    applied_at: datetime | None = None


class Translation(SQLModel, table=True):
    """A name or title the team wrote, in French or Japanese; or an official text of a commitment.

    ``attribute`` says what it translates: an area's, a department's or a meeting's ``name``, a
    document's ``short_title``, a commitment's ``title`` (the team's own words, marked as the
    team's translation where shown), or a commitment's ``text``: an official French or Japanese
    text of the agreement, attached with its ``source`` by a coordinator or the seeds, and only
    ever shown as official because it was attached so. The agreed (English) text stays on the
    commitment and stays authoritative; nothing here is machine-made.
    """

    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("subject", "key", "attribute", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(index=True)  # area, department, mechanism, document, commitment
    key: str  # the subject's key: "counter-terrorism", "2002-A4"
    attribute: str  # name, short_title, title; text (an official text)
    language: str  # fr, ja
    text: str = Field(sa_column=Column(Text, nullable=False))
    source: str = ""  # an official text: where it is published ("Recueil des traités du Canada, 2025/12")
    origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)  # seed, imported, or attached in the bot
