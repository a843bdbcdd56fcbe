"""Paths that hold a secret: calendar feeds and dashboards (handlers/domain/secret_links.py).

Access logs print paths. ``RedactSecretPaths`` rewrites the token in uvicorn's
access log records to a digest prefix (which our own lines use too), so a log
line can be matched to a link without opening it.
"""

from __future__ import annotations

import logging
import re

from handlers.domain.secret_links import log_id

# The token is the path segment after the prefix; each run ends at the next "/" or "." (linear).
SECRET_PATH = re.compile(r"/(calendar|dashboard)/([^/?#\s.]+)")


def redact(text: str) -> str:
    return SECRET_PATH.sub(lambda m: f"/{m.group(1)}/<{log_id(m.group(2))}>", text)


class RedactSecretPaths(logging.Filter):
    """Replace calendar and dashboard tokens in log records' arguments with a digest prefix."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_access_log() -> None:
    """Install the filter on uvicorn's access logger, once per process."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecretPaths) for f in access.filters):
        access.addFilter(RedactSecretPaths())
