"""Secret links: a calendar feed's or a dashboard's address holds a token.

A token is ``secrets.token_urlsafe(32)`` (256 bits). The database keeps only
its SHA-256 digest, so a leaked database or backup opens nothing; the price is
that a link can be shown only once, when it is made. Logs name a token by the
start of its digest, never by the token.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def log_id(token: str) -> str:
    """What logs may say about a token: the start of its digest, never the token."""
    return "sha256:" + token_digest(token)[:12]
