"""People's display names, kept in memory for rendering.

Slack shows its own users' mentions by name, but not a Teams person's, and a
Teams card shows nobody's: there a mention would read as an opaque id. The
names the platforms give (Slack's profile, a Teams sender's name) are stored
on the person row; this book holds them in memory so rendering touches no
database. It reloads in the background once it is a minute old, so names
another replica learned show up soon after.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from handlers.domain.ports import Ports
from handlers.views.reply import Reply, with_names
from models.people import display_names

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 60.0


class NameBook:
    def __init__(
        self,
        ports: Ports | None = None,  # None: a book that knows nobody (front ends built without a server)
        *,
        max_age: float = MAX_AGE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ports = ports
        self.max_age = max_age
        self.monotonic = monotonic
        self.names: Mapping[str, str] = {}  # replaced whole, never changed in place: readers need no lock
        self._loaded_at: float | None = None
        self._loading: asyncio.Task | None = None
        self._foreign: tuple[Mapping[str, str], str | None, bool] | None = None

    def load(self) -> None:
        """Read every known name (blocking: at start-up, or in a worker thread)."""
        if self.ports is None:
            return
        with self.ports.open_session() as session:
            self.names = display_names(session=session)
        self._loaded_at = self.monotonic()

    def remember(self, user_ref: str, name: str) -> None:
        """A name this process just stored: shown at once, without waiting for a reload."""
        if self.names.get(user_ref) != name:
            self.names = {**self.names, user_ref: name}

    def named(self, reply: Reply, *, native: str | None = None) -> Reply:
        """The reply with people named where ``native`` (a platform, or None) cannot show them."""
        self._reload_if_stale()
        names = self.names
        if not self._any_foreign(names, native):  # nobody it could name: the same reply, unchanged
            return reply
        return with_names(reply, names, native=native)

    def _any_foreign(self, names: Mapping[str, str], native: str | None) -> bool:
        """Whether ``names`` holds someone of another platform than ``native`` (worked out once per book of names)."""
        known = self._foreign
        if known is None or known[0] is not names or known[1] != native:
            known = self._foreign = (names, native, any(ref.partition(":")[0] != native for ref in names))
        return known[2]

    def _reload_if_stale(self) -> None:
        stale = self._loaded_at is None or self.monotonic() - self._loaded_at > self.max_age
        if self.ports is None or not stale or (self._loading is not None and not self._loading.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # rendering outside the server (the console): what is known will do
            return
        self._loaded_at = self.monotonic()  # one reload at a time, even if it fails
        self._loading = loop.create_task(self._reload())

    async def _reload(self) -> None:
        try:
            await asyncio.to_thread(self.load)
        except Exception:  # names are a nicety: mentions fall back to ids
            logger.exception("could not reload people's names")
