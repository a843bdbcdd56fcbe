"""Platform requests already served, so that a copy sent again is refused.

The first use of each request's identity (a Slack signature, a Teams
conversation and activity id) is recorded in the database
(models/replays.py), the store every replica shares, until no copy could be
accepted any more. Records are written in batches: requests that arrive while
one batch is being committed form the next, so a burst costs a few commits,
not one each.

A store made with ``read_revision=True`` also reads the agenda revision in each batch's
transaction, once for the batch, and gives it to every request of the batch
(``admit``): a number read after each of them arrived, so an answer as of it is
never from before a change committed before its request came. A cached answer
then needs no database session of its own (handlers/domain/cache.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from models import replays, repository
from models.db import declare_write

PURGE_EVERY_SECONDS = 60


class SeenRequests:
    """The replay store of one platform.

    A single thread writes: on SQLite, writers queue for one lock, and threads each waiting
    in SQLite's busy handler (which sleeps up to 25 ms a try) would also take the workers
    of the pool that answers questions.
    """

    def __init__(
        self, platform: str, open_session, now: Callable[[], float] = time.time, *, read_revision: bool = False
    ) -> None:
        self.platform = platform
        self.open_session = open_session
        self.now = now
        self.read_revision = read_revision
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{platform}-replays")
        self.pending: list[tuple[str, datetime, asyncio.Future[tuple[bool, int | None]]]] = []
        self.flushing: asyncio.Task | None = None
        self.next_purge = 0.0  # time.monotonic() of the next deletion of expired keys

    async def first_use(self, identity: str, expires_at: datetime) -> bool:
        """True the first time ``identity`` is seen before it expires; False for a copy."""
        return (await self.admit(identity, expires_at))[0]

    async def admit(self, identity: str, expires_at: datetime) -> tuple[bool, int | None]:
        """(first use, the agenda revision read in the same batch, after this request arrived; None
        unless the store reads it)."""
        decided = asyncio.get_running_loop().create_future()
        self.pending.append((replays.request_key(self.platform, identity), expires_at, decided))
        if self.flushing is None:
            self.flushing = asyncio.create_task(self._flush())
        return await decided

    async def _flush(self) -> None:
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                keys = [(key, expires_at) for key, expires_at, _ in batch]
                try:
                    taken, revision = await asyncio.get_running_loop().run_in_executor(self.writer, self._record, keys)
                except Exception as error:  # the database is down: every request waiting is told
                    for *_, decided in batch:
                        if not decided.done():  # done: its request was cancelled meanwhile
                            decided.set_exception(error)
                    continue
                for key, _, decided in batch:
                    if not decided.done():
                        decided.set_result((key in taken, revision))
                    taken.discard(key)  # the same request twice in one batch: the second is the replay
        finally:
            self.flushing = None

    def _record(self, keys: list[tuple[str, datetime]]) -> tuple[set[str], int | None]:
        now = datetime.fromtimestamp(self.now(), UTC)
        with self.open_session() as session:
            # A light commit (no fsync on SQLite): a power loss may forget the last few requests
            # seen, which would let a copy of one of them through once; a replay-dedupe store can
            # afford that, and the fsync cost several milliseconds of every batch.
            declare_write(session, light=True)
            # Read in this transaction, begun after every request of the batch arrived (the batch
            # was taken before it began): the newest committed revision, whatever wrote it.
            revision = repository.current_revision(session=session) if self.read_revision else None
            taken = replays.first_uses(session=session, keys=keys, now=now)
            if time.monotonic() >= self.next_purge:
                self.next_purge = time.monotonic() + PURGE_EVERY_SECONDS
                declare_write(session, light=True)
                replays.forget_expired(session=session, now=now)
        return taken, revision
