"""The cache contract: every cache of what the agenda says, what it holds, its key, what retires it.

The agenda revision is one number in the database (the ``revision`` row). It
moves, in the same transaction, with every change to what an answer can show,
and with nothing else (models/revision.py):

- Bumped by: the write commands that change agenda rows (roles, owners,
  status and treaty stages, meeting dates, sensitivity, an item's reminder
  lead times, the add/edit form), the presses of a reminder's buttons (because
  ``history`` shows them), linking and unlinking identities (a linked identity
  owns what the other owns), a seed load that changes a row, and a restore.
  Each calls ``models.revision.agenda_changed(session)`` before writing.
- Not bumped by: deliveries (the outbox), acknowledgement rows, digest
  subscriptions, a person's timezone, address, name or own lead times,
  where a linked person's reminders go, calendar and dashboard links, link
  codes, seen requests, Teams conversations.
- The allow-list (``models.revision.AGENDA_TABLES``) is the tables the caches
  below read. A write to one of them in a transaction that did not call
  ``agenda_changed`` is refused in the tests and logged as an error (and bumped)
  in production: a forgotten bump is found, not served stale.

Every cache is per process: replicas, the terminal and the scheduler each keep
their own and see each other's changes through the number.

- ``AgendaCache`` (``Ports.cache``) holds the timeline (each meeting's next
  date), the vocabulary (areas, meetings, departments, aliases), the lookup
  index (handlers/domain/index.py), the team's French and Japanese names,
  titles and official texts (``Timeline.names``, handlers/views/names.py), the
  lineage (handlers/domain/lineage.py) and the commitments as listed. Key: one
  entry, (revision, UTC day). Retired by a new revision or day, checked with
  one primary-key read per request.
- ``ReplyCache`` (``Ports.replies``) holds the answers to read-only commands
  (``handlers.READS``). Key: (revision, UTC day, page size, command, what the
  asker may see, and for ``mine`` who asks). Retired by a new revision or day:
  old keys are never asked for again and age out (LRU, 2048 entries).
- The same ``ReplyCache`` holds what decides what someone may see (everything,
  a channel's view, or the restricted items they own). Key: ("viewer",
  revision, user, audience). Retired as above.
- The revision of a request: Slack over HTTP reads the revision once per batch of
  requests, in the replay store's transaction (bot/seen_requests.py), which begins
  after every request of the batch arrived, and each of them is answered as of it
  (``handle(..., revision=)``, ``cached_reply(..., revision=)``): a cached answer
  needs no session, and a change committed before the request came, through any
  session or process, is in its answer.
- ``RevisionHint`` (``Ports.revision``) holds the revision this process last
  read, so ``cached_reply`` can answer without the database when a front end
  has no revision of the request's own (Teams, Slack in Socket Mode). Retired after
  0.5 s, and at once by this process's own changes (``forget()``): people see
  their own change in their next answer, another process's at most 0.5 s later.
- Anything else derived from the agenda keys on the revision as
  ``AgendaCache`` does.
- ``NameBook`` (bot/names.py) holds people's display names, for mentions a
  platform cannot render. Key: user ref. Reloaded every minute (names are not
  agenda rows, so they do not move the revision).

Two rules keep the caches honest. Build from the database only in a session
begun after the revision was read (the session that read it, or one begun after
the replay store's batch read it): what it reads is then that revision or a newer
one, never an older one. An entry kept under revision N may so hold rows of a
revision a moment newer (a change committed after N was read), which only a
request that arrived before that change can be given, since every request that
arrives after it reads the newer number: an answer is never from before a change
committed before its request arrived. (On PostgreSQL, whose statements each see
the newest commit, that was already all the session's own read promised.) Never
keep what was built inside a transaction that is changing the agenda
(``models.revision.changing(session)``): its rows are not committed, and its
revision number is not yet anyone else's. Pure functions
memoised with ``lru_cache`` (fuzzy dates, projections, holidays) depend on their
arguments alone and need nothing of this.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session

from handlers.domain.index import SubjectIndex
from handlers.domain.lineage import Lineage
from handlers.domain.resolve import Vocabulary
from handlers.domain.timeline import Timeline
from handlers.views import i18n
from handlers.views.reply import Item
from models import repository, search
from models.db import MemoryOnly, NeedsDatabase
from models.revision import changing
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.fuzzy import FuzzyDate


@dataclass(frozen=True)
class Agenda:
    """What one agenda revision, on one day, gives every request."""

    revision: int
    today: date
    timeline: Timeline
    vocabulary: Vocabulary
    index: SubjectIndex
    lineage: Lineage  # which commitments carry on, change or replace which: read whole once per revision
    # Commitments as listed (handlers/views/present.item), by id, filled as they are first shown: an
    # item's wording depends only on the agenda and the day. Who may see it is checked apart.
    items: dict[tuple[str, int], Item] = field(default_factory=dict, compare=False)  # (language, id)


class AgendaCache:
    def __init__(self) -> None:
        self._entry: Agenda | None = None
        self._lock = threading.Lock()

    def get(
        self, session: Session, today: date, capitals: Capitals = DEFAULT_CAPITALS, *, revision: int | None = None
    ) -> Agenda:
        """The agenda as of ``revision`` (read here unless the request has read it in this session)."""
        if revision is None:
            revision = repository.current_revision(session=session)
        if changing(session):  # this transaction's own, uncommitted agenda: used, never kept
            return Agenda(revision, today, *_build(session, today, capitals))
        entry = self._entry
        if entry is None or entry.revision != revision or entry.today != today:
            if isinstance(session, MemoryOnly):  # on the event loop: never wait here for a rebuild
                raise NeedsDatabase
            with self._lock:  # one request rebuilds; the others wait for it rather than repeat it
                entry = self._entry
                if entry is None or entry.revision != revision or entry.today != today:
                    entry = self._entry = Agenda(revision, today, *_build(session, today, capitals))
        return entry


WORDED_BATCH = 500  # commitments loaded per query when wording them all


def word_every_item(session: Session, agenda: Agenda, language: str = i18n.DEFAULT) -> int:
    """Word every commitment as listed (``Agenda.items``) in ``language`` now; how many were worded.

    What a front end calls at start, in the session that read ``agenda``'s revision (so what it
    loads is of that revision): otherwise each commitment is loaded and worded the first time an
    answer shows it, a query for every new page of results, which on a 10,000-commitment agenda
    was most of what a new question cost. Loaded in batches (a page at a time cost three times
    as much per item). After a later change the new revision's items are worded as they are shown.
    """
    from handlers.views import present  # present imports the repository's records; cache is imported earlier

    missing = [i for i in agenda.index.items if (language, i) not in agenda.items]
    with i18n.speaking(language):
        for start in range(0, len(missing), WORDED_BATCH):
            batch = repository.load_commitments(session=session, ids=missing[start : start + WORDED_BATCH])
            agenda.items.update({(language, r.commitment.id): present.item(r, agenda.timeline) for r in batch})
    return len(missing)


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


class RevisionHint:
    """The agenda revision this process last read, trusted for a short while.

    Checking that a cached answer is still good costs a database round trip
    (and, in the Slack front end, a hop to a worker thread). A question asked
    again within `ttl` seconds of a read can skip both: the front end answers
    it from the reply cache on the event loop. Changes made in this process
    forget the hint at once, so people always see their own changes; a change
    made by another replica or the terminal is seen at most `ttl` later.
    """

    def __init__(self, ttl: float = 0.5, monotonic=time.monotonic) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._seen: tuple[int, float] | None = None
        self._generation = 0  # bumped by forget(): readings begun before it are stale
        self._lock = threading.Lock()

    def reading(self) -> int:
        """Call before reading the revision; pass the result to saw()."""
        return self._generation

    def saw(self, revision: int, reading: int) -> None:
        with self._lock:
            # A change committed while this read was under way may be newer than what it read.
            if reading == self._generation:
                self._seen = (revision, self._monotonic())

    def forget(self) -> None:
        with self._lock:
            self._generation += 1
            self._seen = None

    def recent(self) -> int | None:
        seen = self._seen  # one read: another thread may replace it meanwhile
        if seen is None or self._monotonic() - seen[1] > self._ttl:
            return None
        return seen[0]


def _build(session: Session, today: date, capitals: Capitals) -> tuple[Timeline, Vocabulary, SubjectIndex, Lineage]:
    with i18n.speaking(i18n.DEFAULT):  # kept for every reader: what it words ahead (meetings' dates) is in English
        timeline = Timeline.load(session, today, capitals)
    vocabulary = Vocabulary(
        [area for area, _count in repository.list_areas(session=session, include_restricted=True)],
        repository.list_mechanisms(session=session),
        repository.list_departments(session=session),
        timeline.names,
    )
    items, documents = search.index_rows(session=session)
    # A document's French and Japanese short titles name it as its other names do.
    named = timeline.names.every_name("document")
    documents = [replace(d, aliases=(*d.aliases, *named.get(d.key, ()))) for d in documents]
    # Parse every date an item may show now (each once per process: FuzzyDate keeps them), so
    # that listing an item for the first time does not: the EDTF grammar takes milliseconds.
    for edtf in {i.due_edtf for i in items if i.due_edtf} | {d.date_edtf for d in documents if d.date_edtf}:
        FuzzyDate.parse(edtf)
    index = SubjectIndex(items, documents, search.index_terms(session=session))
    return timeline, vocabulary, index, Lineage.load(session)
