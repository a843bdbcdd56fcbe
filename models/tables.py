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

from sqlalchemy import JSON, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

# Enumerations are stored as plain strings, not database enum types, so that
# adding a value (a new status, say) needs no schema change on PostgreSQL.
_ENUM = String(32)


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


class Origin(StrEnum):
    seed = "seed"  # from seeds/agenda, refreshed by every load
    bot = "bot"  # set by a person through the bot; the loader leaves it alone


class OwnerKind(StrEnum):
    department = "department"
    user = "user"


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


class Area(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    description: str = ""
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    country: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Mechanism(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    area_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    alternates_host: bool = False
    usual_season: str | None = None
    owners_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)


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


class Occurrence(SQLModel, table=True):
    """A meeting that happened or is fixed; fuzzy dates keep their EDTF form
    and the window they stand for."""

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
    dates_stated: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    organisations: str = ""  # "; "-joined so both full-text indexes can read it
    related_keys: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: Status = Field(default=Status.unknown, sa_type=_ENUM)
    status_note: str = ""
    status_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    owners_origin: Origin = Field(default=Origin.seed, sa_type=_ENUM)
    updated_at: datetime | None = None  # last change made through the bot

    @property
    def organisation_list(self) -> list[str]:
        return [o for o in self.organisations.split("; ") if o]


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
