"""Work that runs after Slack has its acknowledgement.

The Bolt app processes each request before it responds (``process_before_response``):
Bolt awaits the listener and sends the acknowledgement as soon as it returns, instead
of polling every 10 ms for ``ack()`` while the listener goes on. A listener therefore
returns once it has acknowledged, and hands what follows (an answer through
``response_url``, a modal, a confirmation, a Home tab) to ``later``. Buttons and
events whose whole work follows the acknowledgement are Bolt lazy listeners instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine

from slack_bolt.async_app import AsyncAck

logger = logging.getLogger(__name__)

# asyncio keeps only weak references to tasks: held here until they end.
_running: set[asyncio.Task] = set()


def later(work: Coroutine, what: str) -> None:
    """Run ``work`` on the event loop without waiting for it; a failure is logged, as Bolt logs a listener's."""
    task = asyncio.get_running_loop().create_task(_logged(work, what))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _logged(work: Coroutine, what: str) -> None:
    try:
        await work
    except Exception:
        logger.exception("%s failed after the acknowledgement", what)


async def acknowledge(ack: AsyncAck) -> None:
    """The acknowledgement of a lazy listener (a button, an event): the work is in its lazy function."""
    await ack()
