"""Logging for the server: text or JSON lines, and no secret ever written.

Every line passes through one redactor, after formatting, so nothing escapes
it: the message, its arguments, an exception's traceback, a library's own
wording. It removes the values of this process's secrets (tokens, signing
secret, client secret, database password) and anything shaped like a
credential that it was never told about (a Slack token, a bearer token, a JWT,
a Slack request signature, a calendar feed's token in a path, a password in a
database URL).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

REDACTED = "[redacted]"

# Shapes of credentials, whoever's they are.
_PATTERNS = [
    (re.compile(r"\bxox[abposer]-[A-Za-z0-9-]+"), REDACTED),  # Slack bot, user, refresh tokens
    (re.compile(r"\bxapp-[A-Za-z0-9-]+"), REDACTED),  # Slack app-level token (Socket Mode)
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]*"), REDACTED),  # a JWT (Teams, Entra ID)
    (re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]+"), rf"\1 {REDACTED}"),
    (re.compile(r"\bv0=[0-9a-f]{64}\b"), f"v0={REDACTED}"),  # a Slack request signature
    (re.compile(r"/calendar/[^/\s\"'?{}]+\.ics"), f"/calendar/{REDACTED}.ics"),  # a feed's token is its password
    (re.compile(r"(\w+://[^:/@\s]+:)[^@\s]+@"), rf"\1{REDACTED}@"),  # scheme://user:password@host
]

# Fields a log call may attach with `extra=`; they become JSON keys (text: appended).
CONTEXT_FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "platform",
    "command",
    "outbox_key",
    "target",
    "outcome",
)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats as text or JSON, then redacts the whole line."""

    def __init__(self, redactor: Redactor, *, as_json: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redactor = redactor
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        context = {name: getattr(record, name) for name in CONTEXT_FIELDS if hasattr(record, name)}
        if self.as_json:
            line = {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
                **context,
            }
            if record.exc_info:
                line["exception"] = self.formatException(record.exc_info)
            return self.redactor(json.dumps(line, default=str, ensure_ascii=False))
        text = super().format(record)
        if context:
            text += " " + " ".join(f"{key}={value}" for key, value in context.items())
        return self.redactor(text)


def configure_logging(level: str, *, as_json: bool = False, secrets: Iterable[str] = (), stream=None) -> None:
    """One handler on the root logger; uvicorn's, APScheduler's and Bolt's loggers propagate to it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(Redactor(secrets), as_json=as_json))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers would bypass the redactor: let its records reach ours.
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
