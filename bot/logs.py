"""Logging for the server: text or JSON lines, bounded, and no secret ever written.

Every line passes through one redactor, after formatting, so nothing escapes
it: the message, its arguments, an exception's traceback, a library's own
wording. It removes the values of this process's secrets (tokens, signing
secret, client secret, database password) and anything shaped like a
credential that it was never told about (a Slack token, a bearer token, a JWT,
a Slack request signature or response URL, a calendar feed's or a dashboard's token in a path,
a password in a database URL).

Three rules keep logging from being a way to stall the server:

- Redaction and writing happen on a listener thread (``QueueHandler`` and
  ``QueueListener`` from the standard library), never on the event loop: the
  code that logs only copies the record onto a bounded queue.
- Every pattern runs in linear time (no pattern can backtrack over a long run
  of letters), and only the first ``SCANNED_CHARS`` of a field are scanned.
- A line is cut to ``MESSAGE_CHARS`` (a traceback to ``EXCEPTION_CHARS``)
  after redaction, so a 64 MiB request body can never become a 64 MiB line.

Platform libraries log request bodies (Bolt logs a refused request's body at
INFO, an unhandled one's at WARNING). A body can hold a link code or a
``response_url``, which no pattern can recognise, so their bodies are withheld
from the log unless the log level is DEBUG; so are the activities the Teams SDK
cannot read, which it logs with a traceback quoting them: they become one line
saying where the activity failed validation.
"""

from __future__ import annotations

import atexit
import copy
import json
import logging
import logging.handlers
import queue
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import ValidationError

REDACTED = "[redacted]"
WITHHELD = "[withheld from the log]"

SCANNED_CHARS = 65_536  # what the redactor reads of one field; the rest is dropped unread
MESSAGE_CHARS = 4_000  # what reaches the log of one message
EXCEPTION_CHARS = 16_000  # what reaches the log of one traceback
QUEUE_RECORDS = 10_000  # records waiting for the listener; past that, new ones are dropped and counted

# Shapes of credentials, whoever's they are. Each is linear: a match can start only at
# the beginning of a run (a look-behind), and possessive quantifiers (`++`, `*+`) never
# give back what they took, so a long run of letters is read once, not once per letter.
_PATTERNS = [
    (re.compile(r"\bxox[abposer]-[A-Za-z0-9-]++"), REDACTED),  # Slack bot, user, refresh tokens
    (re.compile(r"\bxapp-[A-Za-z0-9-]++"), REDACTED),  # Slack app-level token (Socket Mode)
    (re.compile(r"(?<![\w-])eyJ[\w-]*+\.[\w-]++\.[\w-]*+"), REDACTED),  # a JWT (Teams, Entra ID)
    (re.compile(r"(?i)(?<!\w)(bearer|basic)\s++[\w.~+/=-]++"), rf"\1 {REDACTED}"),
    (re.compile(r"(?<!\w)v0=[0-9a-f]{64}(?![0-9a-f])"), f"v0={REDACTED}"),  # a Slack request signature
    (re.compile(r"https://hooks\.slack\.com/[^\s\"'<>]++"), f"https://hooks.slack.com/{REDACTED}"),  # response_url
    # A feed's token is its password. Linear as it is: the run it scans ends at the next "/".
    (re.compile(r"/calendar/[^/\s\"'?{}]+\.ics"), f"/calendar/{REDACTED}.ics"),
    (re.compile(r"/dashboard/[^/\s\"'?{}<]+"), f"/dashboard/{REDACTED}"),  # a dashboard's token, likewise
    # scheme://user:password@host (bounded: a database URL's parts are short)
    (re.compile(r"(?<![\w+.-])([A-Za-z][\w+.-]{0,31}+://[^:/@\s]{1,256}+:)[^@\s]{1,1024}+@"), rf"\1{REDACTED}@"),
]

# Loggers of the platform libraries, whose messages may carry a request body.
_PLATFORM_LOGGERS = ("slack_bolt", "slack_sdk", "microsoft_teams")
_BODY = re.compile(r"(?i)\bbody\b|^Unhandled request \(")

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


def bounded(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters not logged]"


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        # Cut before scanning: what is cut is never logged, so it needs no redaction.
        text = bounded(text, SCANNED_CHARS)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats as text or JSON; each field is redacted, then cut to its bound."""

    def __init__(self, redactor: Redactor, *, as_json: bool) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redactor = redactor
        self.as_json = as_json

    def format(self, record: logging.LogRecord) -> str:
        message = bounded(self.redactor(record.getMessage()), MESSAGE_CHARS)
        exception = self._exception(record)
        context = {name: getattr(record, name) for name in CONTEXT_FIELDS if hasattr(record, name)}
        if self.as_json:
            line = {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname,
                "logger": record.name,
                "message": message,
                **context,
            }
            if exception:
                line["exception"] = exception
            # Context values come from our own code, but are redacted all the same.
            return self.redactor(json.dumps(line, default=str, ensure_ascii=False))
        record.message = message
        text = f"{self.formatTime(record)} {record.levelname} {record.name}: {message}"
        if exception:
            text += "\n" + exception
        if context:
            text += " " + self.redactor(" ".join(f"{key}={value}" for key, value in context.items()))
        return text

    def _exception(self, record: logging.LogRecord) -> str:
        text = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        return bounded(self.redactor(text), EXCEPTION_CHARS) if text else ""


class WithholdBodies(logging.Filter):
    """Replaces a platform library's message that carries a request body with its first words."""

    def __init__(self, *, show_bodies: bool) -> None:
        super().__init__()
        self.show_bodies = show_bodies

    def filter(self, record: logging.LogRecord) -> bool:
        if self.show_bodies or not record.name.startswith(_PLATFORM_LOGGERS):
            return True
        if record.exc_info and isinstance(record.exc_info[1], ValidationError):
            # The Teams SDK logs an activity it cannot read with a traceback whose message
            # quotes the activity; the sender's mistake deserves one line, without the body.
            record.msg, record.args = "could not read a request: %s", (_summary(record.exc_info[1]),)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            return True
        message = record.getMessage()
        found = _BODY.search(message)
        if found:
            record.msg = f"{message[: found.end()].rstrip('(: ')}: {WITHHELD}"
            record.args = None
        return True


def _summary(error: ValidationError) -> str:
    """Where a validation failed and why, never the value it failed on."""
    first = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])[:200] or "the body"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{first['type']} at {where}{more}"


class _Enqueue(logging.handlers.QueueHandler):
    """Puts a copy of each record on the queue, cheaply: the message is merged
    with its arguments (they may change after the call) and cut to what the
    redactor reads; the traceback becomes text. Formatting waits for the listener."""

    dropped = 0

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record = copy.copy(record)
        record.msg = bounded(record.getMessage(), SCANNED_CHARS)
        record.args = None
        if record.exc_info:
            record.exc_text = bounded(logging.Formatter().formatException(record.exc_info), SCANNED_CHARS)
            record.exc_info = None
        record.stack_info = None
        return record

    def enqueue(self, record: logging.LogRecord) -> None:
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            # Losing a line beats blocking the event loop on a full queue.
            type(self).dropped += 1


class LogPipeline:
    """The queue in front of the writing thread; ``close()`` writes what is queued and stops it."""

    def __init__(self, listener: logging.handlers.QueueListener, handler: logging.Handler) -> None:
        self.listener = listener
        self.handler = handler

    def close(self) -> None:
        if self.listener._thread is not None:
            self.listener.stop()  # drains the queue first
        try:
            self.handler.flush()
        except ValueError:  # the stream was closed already (at exit, say): nothing left to write to
            pass


_active: LogPipeline | None = None


def configure_logging(
    level: str, *, as_json: bool = False, secrets: Iterable[str] = (), stream=None
) -> LogPipeline:
    """One queue handler on the root logger; uvicorn's, APScheduler's and Bolt's loggers propagate to it.
    Lines are redacted and written by a listener thread, stopped (after writing what is queued) at exit."""
    global _active
    if _active is not None:
        _active.close()
    level = level.upper()
    writer = logging.StreamHandler(stream or sys.stderr)
    writer.setFormatter(RedactingFormatter(Redactor(secrets), as_json=as_json))
    enqueue = _Enqueue(queue.Queue(QUEUE_RECORDS))
    enqueue.addFilter(WithholdBodies(show_bodies=level == "DEBUG"))
    listener = logging.handlers.QueueListener(enqueue.queue, writer, respect_handler_level=False)
    listener.start()
    _active = LogPipeline(listener, writer)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(enqueue)
    root.setLevel(level)
    # APScheduler narrates every run at INFO ("Running job …", "… executed successfully"): two lines
    # per tick, forever. Its warnings (a missed run) and errors (a job that raised) still come through.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn's own handlers would bypass the redactor: let its records reach ours.
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    return _active


@atexit.register
def _write_what_is_queued() -> None:
    if _active is not None:
        _active.close()
