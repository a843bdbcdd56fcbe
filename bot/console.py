"""Console delivery: with no Slack bot token, outgoing messages are printed
(and stay recorded in the outbox), so the whole bot can be watched on one
machine with no accounts."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from handlers.views.dates import moment
from handlers.views.reply import reply_from_data
from handlers.views.text import render_text
from scheduling.capitals import DEFAULT_CAPITALS, Capitals
from scheduling.dispatcher import SendResult
from scheduling.outbox import Claimed


class ConsoleNotifier:
    def __init__(self, stream: TextIO | None = None, capitals: Capitals = DEFAULT_CAPITALS) -> None:
        self.stream = stream or sys.stdout
        self.capitals = capitals
        self._ids = itertools.count(1)

    async def send(self, message: Claimed) -> SendResult:
        late = f" (late: due {moment(message.due_at, self.capitals, flag=False)})" if message.late else ""
        banner = f"──── {message.kind} → {message.target}{late} ────"
        self.stream.write(f"{banner}\n{render_text(reply_from_data(message.body))}{'─' * len(banner)}\n")
        self.stream.flush()
        return SendResult(ok=True, provider_id=f"console:{next(self._ids)}")
