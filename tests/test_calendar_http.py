"""Calendar feeds through the real server: a signed `/agenda calendar` from
Slack, then the link fetched over HTTP, revoked, and kept out of the logs."""

from __future__ import annotations

import logging
import re
import shutil

import httpx
import pytest
from icalendar import Calendar

from bot.secret_paths import RedactSecretPaths
from bot.settings import Settings
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import signed_headers, slash_command_body

PUBLIC = "https://agenda.example.org"
LINK = re.compile(re.escape(PUBLIC) + r"(/calendar/([A-Za-z0-9_-]{43,})\.ics)")


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


def _settings(database_url: str, fake_slack) -> Settings:
    return settings_for(
        database_url,
        slack_api_url=fake_slack.api_url,
        scheduler_enabled=False,
        public_url=PUBLIC + "/",  # a trailing slash is dropped
    )


def _slash(base: str, text: str, fake_slack, user: str = "U0CAL") -> str:
    body = slash_command_body(text, response_url=fake_slack.response_url("cal"), user_id=user)
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code == 200
    message = response.json()
    assert message["response_type"] == "ephemeral"  # a link is a secret: only the asker sees it
    return str(message)


def test_links_from_slack_open_the_feed_over_http_until_revoked(database_url, fake_slack):
    with live_server(_settings(database_url, fake_slack), clock=FixedClock(TODAY)) as base:
        paths = [m.group(1) for m in LINK.finditer(_slash(base, "calendar", fake_slack))]
        assert len(set(paths)) == 2  # the whole agenda and the asker's items
        response = httpx.get(base + paths[0], timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert "no-cache" in response.headers["cache-control"]
        calendar = Calendar.from_ical(response.content)
        assert any(str(e.uid) == "projected-pol-mil-talks@agenda-bot" for e in calendar.events)

        unknown = httpx.get(f"{base}/calendar/{'A' * 43}.ics", timeout=10)
        nowhere = httpx.get(f"{base}/calendar/not-a-feed", timeout=10)  # no route at all
        assert "revoked" in _slash(base, "calendar revoke all", fake_slack).lower()
        revoked = httpx.get(base + paths[0], timeout=10)
        for answer in (unknown, nowhere, revoked):
            assert answer.status_code == 404
            assert (answer.text, answer.headers["content-type"]) == (unknown.text, unknown.headers["content-type"])
        assert revoked.text == "Not Found"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("httpx"):  # the test's own HTTP client, not the server
            self.lines.append(self.format(record))


def test_tokens_never_reach_the_logs(fake_slack, tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    settings = _settings(f"sqlite:///{tmp_path / 'agenda.db'}", fake_slack)
    collect = _Collect()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn.access", "bot", "handlers")]
    levels = [lg.level for lg in loggers]
    with live_server(settings, clock=FixedClock(TODAY), log_level="info") as base:
        for lg in loggers:
            lg.addHandler(collect)
            lg.setLevel(logging.INFO)
        path, token = LINK.search(_slash(base, "calendar dialogue", fake_slack)).groups()
        assert httpx.get(base + path, timeout=10).status_code == 200
        assert httpx.get(base + path.replace(token, token[::-1]), timeout=10).status_code == 404
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(collect)
            lg.setLevel(level)
    access = [line for line in collect.lines if "/calendar/" in line]
    assert len(access) >= 2, collect.lines  # the access log did record the two fetches…
    # …uvicorn's with a digest prefix in place of the token, ours (bot/request_log.py) with the route's pattern
    assert any("/calendar/<sha256:" in line for line in access)
    assert all("/calendar/<sha256:" in line or "/calendar/{token}.ics" in line for line in access)
    assert not any(token in line or token[::-1] in line for line in collect.lines)


def test_the_redaction_filter_rewrites_uvicorns_access_record():
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/calendar/SECRETtoken_123.ics?x=1", "1.1", 200), None,
    )  # fmt: skip
    RedactSecretPaths().filter(record)
    assert "SECRETtoken_123" not in record.getMessage()
    assert "/calendar/<sha256:" in record.getMessage()


def test_the_public_url_comes_from_the_environment_and_must_be_http(monkeypatch):
    from pydantic import ValidationError

    monkeypatch.setenv("AGENDA_PUBLIC_URL", "https://agenda.example.org/bot/")
    assert settings_for().public_url == "https://agenda.example.org/bot"
    monkeypatch.setenv("AGENDA_PUBLIC_URL", "agenda.example.org")
    with pytest.raises(ValidationError, match="AGENDA_PUBLIC_URL"):
        settings_for()
    monkeypatch.delenv("AGENDA_PUBLIC_URL")
    assert settings_for().public_url == "http://127.0.0.1:3000"
