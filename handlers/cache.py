"""What every request derives from the agenda, kept per process.

The timeline (every meeting's next date, projected or fixed) and the
vocabulary (areas, meetings, departments and their aliases) change only when
the agenda does. Every change bumps the database's revision number, so one
primary-key read tells whether the cached copy is still good; replicas each
keep their own and see each other's changes the same way.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from handlers.resolve import Vocabulary
from handlers.timeline import Timeline
from models import repository
from scheduling.capitals import DEFAULT_CAPITALS, Capitals


@dataclass(frozen=True)
class _Entry:
    revision: int
    today: date
    timeline: Timeline
    vocabulary: Vocabulary


class AgendaCache:
    def __init__(self) -> None:
        self._entry: _Entry | None = None
        self._lock = threading.Lock()

    def get(self, session: Session, today: date, capitals: Capitals = DEFAULT_CAPITALS) -> tuple[Timeline, Vocabulary]:
        revision = repository.current_revision(session=session)
        entry = self._entry
        if entry is None or entry.revision != revision or entry.today != today:
            with self._lock:  # one request rebuilds; the others wait for it rather than repeat it
                entry = self._entry
                if entry is None or entry.revision != revision or entry.today != today:
                    entry = self._entry = _Entry(revision, today, *_build(session, today, capitals))
        return entry.timeline, entry.vocabulary


class ReplyCache:
    """Answers to read-only commands, kept per process.

    Keys carry the agenda revision and the day, so any change, and midnight,
    retire every entry; and what the asker may see (restricted items), so
    one person's answer is never served to someone who may not see it.
    """

    def __init__(self, size: int = 2048) -> None:
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            reply = self._entries.get(key)
            if reply is not None:
                self._entries.move_to_end(key)
            return reply

    def put(self, key: Hashable, reply) -> None:
        with self._lock:
            self._entries[key] = reply
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _build(session: Session, today: date, capitals: Capitals) -> tuple[Timeline, Vocabulary]:
    timeline = Timeline(repository.load_mechanisms(session=session), today, capitals)
    vocabulary = Vocabulary(
        [area for area, _count in repository.list_areas(session=session, include_restricted=True)],
        repository.list_mechanisms(session=session),
        repository.list_departments(session=session),
    )
    return timeline, vocabulary
