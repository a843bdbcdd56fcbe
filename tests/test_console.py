"""Console delivery: with no Slack bot token, messages are printed (and recorded)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bot.console import ConsoleNotifier
from handlers.views.reply import Reply, Section, reply_to_data
from scheduling.outbox import Claimed


async def test_console_prints_the_message_with_its_target_and_lateness():
    stream = io.StringIO()
    body = reply_to_data(Reply(title="Reminder: Political-Military Talks", sections=[Section(body="In 7 days.")]))
    due = datetime(2026, 11, 22, 14, tzinfo=UTC)
    result = await ConsoleNotifier(stream).send(Claimed(1, "k", "reminder", "slack:UKEN", due, body, 1, late=True))
    printed = stream.getvalue()
    assert result.ok and result.provider_id == "console:1"
    assert "reminder → slack:UKEN (late: due Sun 22 Nov 09:00 Ottawa · Sun 22 Nov 23:00 Tokyo)" in printed
    assert "Reminder: Political-Military Talks" in printed and "In 7 days." in printed
