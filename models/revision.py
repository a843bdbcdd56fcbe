"""The agenda revision: bumped, once per transaction, by the code that changes the agenda.

What the revision promises, and every cache that relies on it, is written
down once, in handlers/domain/cache.py. This module keeps the promise:

- ``agenda_changed(session)`` is called by each function that changes the
  agenda (the write commands, identity links, the seed loader, a restore),
  before it writes. It bumps the revision row in that same transaction, once
  however often it is called, so the new number commits (or rolls back) with
  the change it announces.
- ``AGENDA_TABLES`` is the allow-list: the tables something keyed on the
  revision reads. Audit entries count only when ``history`` or a question can
  show them (``SHOWN_AUDIT_TARGETS``). Every other table (``OTHER_TABLES``:
  deliveries, people's timezones and names, seen requests, link tokens…)
  never moves the revision, so writing one empties no cache.
- A guard checks each flush, and each INSERT, UPDATE or DELETE run through a
  session: a write to an allow-listed table in a transaction that did not
  call ``agenda_changed`` is a forgotten bump. The test suite makes that an
  error (``strict()``); in production it is logged as one, and the revision
  bumped anyway, so nobody is served a stale answer.

A new table goes in one of the two lists (tests/test_revision.py checks that
every table is in exactly one).
"""

from __future__ import annotations

import logging
from itertools import chain

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel

from models.tables import (
    Acknowledgement,
    Area,
    AuditEntry,
    Cadence,
    CalendarFeed,
    Commitment,
    CommitmentArea,
    CommitmentSplit,
    CommitmentStage,
    DashboardLink,
    Delegate,
    Department,
    DigestSubscription,
    Document,
    IdentityLink,
    LinkCode,
    LinkedPerson,
    Mechanism,
    MeetingAction,
    MeetingOutcome,
    Member,
    Milestone,
    Occurrence,
    OutboxMessage,
    Owner,
    PendingImport,
    Person,
    Proposal,
    Revision,
    SearchTerm,
    SeedLoad,
    SeenRequest,
    TeamsConversation,
    Translation,
)

logger = logging.getLogger(__name__)

AGENDA_TABLES: frozenset[type[SQLModel]] = frozenset({
    Document, Area, Department, Mechanism, Cadence, Occurrence, Commitment, CommitmentArea, CommitmentStage,
    CommitmentSplit,  # retired ids resolve to what they were split into
    SearchTerm,  # what names what in lookups (handlers/domain/index.py)
    Milestone,  # a meeting's checklist: its page and the digest show it
    Proposal,  # what is proposed for a meeting's agenda: its page and briefing show it
    MeetingOutcome, MeetingAction, Delegate,  # a meeting's record of discussion, actions, delegations
    Owner,  # who owns what: `mine`, `owned-by`, and who may see a restricted item
    Member,  # roles decide who sees restricted items
    IdentityLink,  # a linked identity owns, and has the role of, the other
    AuditEntry,  # `history` and "what changed since": only SHOWN_AUDIT_TARGETS
    Translation,  # names and titles in French and Japanese, official texts: every answer shows them
})  # fmt: skip
# Audit entries about these show in `history <id>` (presses of a reminder's buttons too) and in questions.
SHOWN_AUDIT_TARGETS = frozenset({"commitment", "mechanism", "reminder"})
OTHER_TABLES: frozenset[type[SQLModel]] = frozenset({
    Revision, SeedLoad,
    OutboxMessage, Acknowledgement, DigestSubscription,  # delivery: planned, sent, pressed, subscribed
    Person,  # timezone, address, display name, own lead days: rendering and reminders, not answers
    LinkedPerson,  # where a linked person's reminders go (the link itself is IdentityLink)
    CalendarFeed, DashboardLink, LinkCode,  # tokens
    PendingImport,  # a chat import waiting for its Confirm: the import itself bumps the revision
    SeenRequest, TeamsConversation,  # requests served, conversations to write to
})  # fmt: skip
_AGENDA_TABLE_NAMES = frozenset(table.__tablename__ for table in AGENDA_TABLES)

_CHANGED_IN = "agenda_changed_in"  # session.info: the transaction that bumped the revision
_strict = False


class UndeclaredAgendaChange(RuntimeError):
    """Agenda rows were written in a transaction that did not call agenda_changed()."""


def agenda_changed(session: Session) -> None:
    """Say, before writing, that this transaction changes the agenda: bumps the revision once."""
    if changing(session):
        return
    session.execute(update(Revision).where(Revision.id == 1).values(value=Revision.value + 1))
    session.info[_CHANGED_IN] = session.get_transaction()


def strict(on: bool = True) -> None:
    """Make a forgotten agenda_changed() an error (the test suite), not a logged one (production)."""
    global _strict
    _strict = on


def is_agenda_row(row: object) -> bool:
    if type(row) not in AGENDA_TABLES:
        return False
    return not isinstance(row, AuditEntry) or row.target_type in SHOWN_AUDIT_TARGETS


def changing(session: Session) -> bool:
    """Whether this session's transaction declared an agenda change (which is not committed yet)."""
    changed_in = session.info.get(_CHANGED_IN)
    return changed_in is not None and changed_in is session.get_transaction()


def _undeclared(session: Session, what: str) -> None:
    message = f"agenda rows written without agenda_changed(session): {what}"
    if _strict:
        raise UndeclaredAgendaChange(message)
    logger.error("%s; the revision is bumped anyway", message)
    agenda_changed(session)


@event.listens_for(Session, "before_flush")
def _check_flush(session: Session, _flush_context, _instances) -> None:
    if changing(session):
        return
    dirty = (o for o in session.dirty if session.is_modified(o))
    written = sorted({type(o).__name__ for o in chain(session.new, session.deleted, dirty) if is_agenda_row(o)})
    if written:
        _undeclared(session, ", ".join(written))


@event.listens_for(Session, "do_orm_execute")
def _check_statement(state: ORMExecuteState) -> None:
    """INSERT, UPDATE and DELETE statements run through a session skip the flush: checked here."""
    if not (state.is_insert or state.is_update or state.is_delete) or changing(state.session):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _AGENDA_TABLE_NAMES:
        _undeclared(state.session, f"{type(state.statement).__name__.upper()} {table.name}")
