"""Secret links: a calendar feed's or a dashboard's address holds a token.

A token is ``secrets.token_urlsafe(32)`` (256 bits). The database keeps only
its SHA-256 digest, so a leaked database or backup opens nothing; the price is
that a link can be shown only once, when it is made. Logs name a token by the
start of its digest, never by the token.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from sqlmodel import SQLModel

from handlers.domain import audit
from handlers.domain.context import Context
from models import writes


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def log_id(token: str) -> str:
    """What logs may say about a token: the start of its digest, never the token."""
    return "sha256:" + token_digest(token)[:12]


def issue(
    ctx: Context, make_row: Callable[[str], SQLModel], *, unique: list[str], action: str, detail: dict
) -> str | None:
    """Store a new link for the asker (``make_row`` gets the token's digest) and audit it; the token,
    or None when another request made the same link (same ``unique`` columns) at the same moment."""
    token = new_token()
    row = make_row(token_digest(token))
    if not writes.insert_unless_present(session=ctx.session, row=row, unique=unique):
        return None
    audit.record(
        ctx,
        action=action,
        target_type=row.__tablename__,
        target_key=ctx.requester.user_ref,
        before={},
        after=detail | {"token": row.token_sha256[:12]},  # a digest prefix, to match logs; never the token
    )
    return token


def revoke(ctx: Context, row: SQLModel, *, owner: str, action: str, detail: dict) -> None:
    """Delete a link and audit it by its digest prefix: the link answers as one that never existed."""
    writes.remove(session=ctx.session, row=row)
    audit.record(
        ctx,
        action=action,
        target_type=row.__tablename__,
        target_key=owner,
        before=detail | {"token": row.token_sha256[:12]},
        after={},
    )
