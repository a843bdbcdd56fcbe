"""Files shared with the bot for import (handlers/commands/chat_imports.py): fetched with a size limit.

Slack serves a shared file at its ``url_private``, to the bot's token; Teams gives a 1:1
chat's attachment a short-lived ``downloadUrl`` that needs no token. Either way the body is
read as a stream and abandoned past the limit, so a large file costs no more than the limit.
A Slack token is only ever sent to Slack (or the Slack API the settings name: a test's fake).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

FETCH_TIMEOUT_SECONDS = 20.0


class TooLarge(Exception):
    """The file is over the limit: nothing more of it was read."""


class NotFetched(Exception):
    """The platform did not give the file (a refused, failed or unsafe address)."""


def loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def slack_file_host(url: str, api_url: str) -> bool:
    """Whether url is Slack's (or the configured Slack API's host), and so may be given the bot token."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return bool(host) and parts.netloc == api.netloc and parts.scheme == api.scheme


def fetchable(url: str) -> bool:
    """https, or http on this machine (a test's fake)."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and loopback(parts.hostname or ""))


async def fetch(url: str, *, limit: int, headers: dict[str, str] | None = None) -> bytes:
    """The file's bytes, or TooLarge past ``limit`` bytes, or NotFetched."""
    if not fetchable(url):
        raise NotFetched(f"not an address files are fetched from: {urlsplit(url).scheme}://{urlsplit(url).hostname}")
    try:
        async with (
            httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as client,
            client.stream("GET", url, headers=headers or {}) as response,
        ):
            if response.status_code != 200:
                raise NotFetched(f"HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise TooLarge
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    raise TooLarge
            return bytes(data)
    except httpx.HTTPError as exc:
        raise NotFetched(type(exc).__name__) from None
