"""Import from Teams: a file an admin attaches in a 1:1 chat with the bot.

Teams gives such an attachment the content type ``application/vnd.microsoft.teams.file.download.info``
and a short-lived ``downloadUrl`` that needs no token (the app's manifest says
``supportsFiles``). It is fetched with a size limit (bot/chat_files.py) and previewed by the
platform-neutral handler (handlers/commands/chat_imports.py), whose Confirm button is a card button like
any other. Attachments in channels and group chats are left alone.
"""

from __future__ import annotations

import asyncio
import logging

from bot.chat_files import NotFetched, TooLarge, fetch
from handlers.commands import chat_imports
from handlers.domain.ports import Ports, Requester
from handlers.views.reply import Reply

logger = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def shared_files(activity) -> list[tuple[str, str]]:
    """(name, download URL) of each file attached to the message."""
    found = []
    for attachment in getattr(activity, "attachments", None) or []:
        if getattr(attachment, "content_type", None) != FILE_DOWNLOAD_INFO:
            continue
        content = attachment.content if isinstance(attachment.content, dict) else {}
        url = content.get("downloadUrl")
        if isinstance(url, str) and url:
            found.append((str(attachment.name or content.get("uniqueId") or "?"), url))
    return found


async def import_reply(ports: Ports, requester: Requester, files: list[tuple[str, str]], *, limit: int) -> Reply:
    refused = await asyncio.to_thread(chat_imports.import_refusal, ports, requester)
    if refused is not None:  # before any download
        return refused
    shared: list[chat_imports.SharedFile] = []
    for name, url in files:
        try:
            data = await fetch(url, limit=limit - sum(len(s.data) for s in shared))
        except TooLarge:
            return await asyncio.to_thread(chat_imports.too_large, ports, requester, name, limit)
        except NotFetched as exc:
            logger.warning("could not download %s from Teams: %s", name, exc)
            return await asyncio.to_thread(chat_imports.not_downloaded, ports, requester, name)
        shared.append(chat_imports.SharedFile(name=name, data=data))
    return await asyncio.to_thread(chat_imports.preview, ports, requester, shared)
