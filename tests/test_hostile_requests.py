"""What an intruder can send before proving who they are, and what it costs the server.

One live server answers Slack (signed requests) and Teams (real token
validation against a fake Bot Framework on loopback), logging through the
production pipeline (bot/logs.py) into a buffer the tests read.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from sqlmodel import func, select

from bot.logs import REDACTED, Redactor, configure_logging
from bot.slack.render import ACTION_IDS
from handlers.views.reply import ActionKind
from models.db import make_engine, session
from models.tables import AuditEntry
from scheduling.clock import FixedClock
from tests import test_teams_auth as teams_auth_tests
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import SIGNING_SECRET, block_action_body, signed_headers, slash_command_body
from tests.teams_activities import APP_ID

LIMIT = 64 * 1024  # a small limit for these tests; the default is 256 KiB


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


# A fake Bot Framework on loopback that publishes the test key, as in the Teams sign-in tests.
signer, fake_teams = teams_auth_tests.signer, teams_auth_tests.fake_teams


class Log:
    """What the server logs during one test, through the production pipeline at INFO
    (what Bolt and the Teams SDK say at INFO must be safe to keep)."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.pipeline = configure_logging("INFO", secrets=[SIGNING_SECRET, "xoxb-test-token"], stream=self.stream)

    def text(self) -> str:
        self.pipeline.close()  # the listener thread writes what is queued, then stops
        return self.stream.getvalue()


@pytest.fixture
def log() -> Log:
    log = Log()
    yield log
    log.pipeline.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template, fake_slack, fake_teams):
    path = tmp_path_factory.mktemp("hostile") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}",
        slack_api_url=fake_slack.api_url,
        teams_client_id=APP_ID,
        teams_client_secret="test-secret-not-used-offline",
        teams_openid_metadata_url=fake_teams.openid_metadata_url,
        scheduler_enabled=False,
        max_request_bytes=LIMIT,
    )
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, f"sqlite:///{path}"


def _healthz_while(action) -> tuple[object, float]:
    """Run ``action`` while /healthz is asked; return its result and how long /healthz took."""
    seconds: list[float] = []

    def probe() -> None:
        time.sleep(0.1)
        started = time.perf_counter()
        httpx.get(f"{base}/healthz", timeout=30)
        seconds.append(time.perf_counter() - started)

    base = action.base
    thread = threading.Thread(target=probe)
    thread.start()
    result = action()
    thread.join()
    return result, seconds[0]


class _Post:
    def __init__(self, base: str, path: str, **kwargs) -> None:
        self.base, self.path, self.kwargs = base, path, kwargs

    def __call__(self) -> httpx.Response:
        return httpx.post(f"{self.base}{self.path}", timeout=30, **self.kwargs)


# -- item 1: size before anything else --------------------------------------------------


@pytest.mark.parametrize("size", [40_000, 1024 * 1024, 8 * 1024 * 1024])
def test_an_unsigned_body_of_any_size_is_refused_at_once_and_health_stays_live(served, log, size):
    base, _ = served
    headers = {"content-type": "application/x-www-form-urlencoded"}
    response, health_seconds = _healthz_while(_Post(base, "/slack/events", content=b"a" * size, headers=headers))
    assert response.status_code == (401 if size <= LIMIT else 413)
    # Seconds, not minutes: the old redactor took 5 s on 40 KB and stalled /healthz meanwhile.
    assert health_seconds < 2.0
    logged = log.text()
    assert "POST /slack/events 4" in logged  # the request log saw it
    assert "a" * 500 not in logged  # a refused body never reaches the log


def test_a_streamed_body_past_the_limit_is_refused_when_it_passes_it(served):
    base, _ = served

    def chunks():
        for _ in range(64):
            yield b"b" * 8192  # 512 KiB in all, with no Content-Length

    response = httpx.post(f"{base}/api/messages", content=chunks(), timeout=30)
    assert response.status_code == 413
    assert "limited to" in response.json()["error"]


def test_a_forged_teams_token_with_a_huge_key_id_is_refused_at_once(served, log):
    base, _ = served
    # 40 KB: past the header limit; 7 KB: a token past 8 KB; 3 KB: refused by the SDK's validator.
    for kid_size, expected in [(40_000, 431), (7_000, 401), (3_000, 401)]:
        header = _b64(json.dumps({"alg": "RS256", "kid": "k" * kid_size}))
        token = f"{header}.{_b64('{}')}.c2ln"
        response, health_seconds = _healthz_while(
            _Post(base, "/api/messages", json={"type": "message"}, headers={"authorization": f"Bearer {token}"})
        )
        assert response.status_code == expected
        assert health_seconds < 2.0
    logged = log.text()
    assert "refused a request whose headers pass" in logged and "token is longer than" in logged
    assert "k" * 5000 not in logged
    assert max(len(line) for line in logged.splitlines()) < 20_000  # every line is bounded


def test_the_redactor_is_linear_on_long_runs_that_almost_match():
    """Each shape once made a pattern backtrack over the whole run, at every letter of it."""
    redact = Redactor(["a-known-secret"])
    for hostile in [
        "a" * 60_000,  # scheme://user:password@ over letters
        "eyJ-" * 15_000,  # a JWT that never finds its dots
        "Bearer " + " " * 60_000,
        "/calendar/" + "c" * 60_000,
        "x://" + "u" * 60_000,
    ]:
        started = time.perf_counter()
        redact(hostile)
        assert time.perf_counter() - started < 1.0, hostile[:12]


def test_a_line_is_cut_after_redaction_so_no_secret_is_cut_in_half():
    redact = Redactor()
    line = redact("x" * 70_000 + " token xoxb-1234-5678-abcdef")
    assert len(line) < 66_000 and "xoxb-1234" not in line


# -- item 7: replays --------------------------------------------------------------------


def _audit_rows(database_url: str, target: str) -> int:
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            return db.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.target_key == target)).one()
    finally:
        engine.dispose()


def test_a_signed_request_replayed_within_its_window_runs_once(served, fake_slack):
    base, database_url = served
    # Making calendar links writes a row and an audit entry: a replay would make a second pair.
    body = slash_command_body("calendar", response_url=fake_slack.response_url("replay"), user_id="UREPLAY")
    headers = signed_headers(body)
    first = httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10)
    replayed = httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10)
    assert first.status_code == 200 and "calendar" in first.text.lower()
    assert replayed.status_code == 401
    assert _audit_rows(database_url, "slack:UREPLAY") == 2  # one request: its two links, once


def test_the_replay_store_refuses_a_second_use_on_every_backend(engine):
    from datetime import UTC, datetime, timedelta

    from models import replays
    from models.db import declare_write

    now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    key = replays.request_key("slack", "v0=" + "ab" * 32)

    def use(at: datetime) -> bool:
        with session(engine) as db:
            declare_write(db)
            return key in replays.first_uses(session=db, keys=[(key, now + timedelta(minutes=5))], now=at)

    assert use(now) is True
    assert use(now + timedelta(seconds=1)) is False
    assert use(now + timedelta(minutes=6)) is True  # expired and forgotten; the timestamp check refuses it anyway


def test_copies_of_one_request_sent_at_once_run_once(served, fake_slack):
    """Copies arriving together are recorded in one batch (or racing batches): one passes."""
    base, database_url = served
    body = slash_command_body("calendar", response_url=fake_slack.response_url("burst"), user_id="UBURST")
    headers = signed_headers(body)
    with ThreadPoolExecutor(max_workers=8) as pool:
        posts = [pool.submit(httpx.post, f"{base}/slack/events", content=body, headers=headers, timeout=10)]
        posts += [pool.submit(httpx.post, f"{base}/slack/events", content=body, headers=headers, timeout=10)
                  for _ in range(7)]  # fmt: skip
        statuses = sorted(post.result().status_code for post in posts)
    assert statuses == [200] + [401] * 7
    assert _audit_rows(database_url, "slack:UBURST") == 2


def test_a_batch_of_keys_takes_each_once_on_every_backend(engine):
    from datetime import UTC, datetime, timedelta

    from models import replays

    now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    later = now + timedelta(minutes=5)
    with session(engine) as db:
        assert replays.first_uses(session=db, keys=[("a", later), ("b", later), ("a", later)], now=now) == {"a", "b"}
    with session(engine) as db:
        assert replays.first_uses(session=db, keys=[("b", later), ("c", later)], now=now) == {"c"}
    with session(engine) as db:
        assert replays.forget_expired(session=db, now=later + timedelta(seconds=1)) == 3


# -- item 8: no body in the log ---------------------------------------------------------


def test_a_late_but_genuine_request_is_refused_without_logging_its_body(served, fake_slack, log):
    base, _ = served
    secret_url = fake_slack.response_url("late-request-secret-path")
    body = slash_command_body("link 12345678", response_url=secret_url)
    late = signed_headers(body, timestamp=int(time.time()) - 600)
    response = httpx.post(f"{base}/slack/events", content=body, headers=late, timeout=10)
    assert response.status_code == 401
    logged = log.text()
    assert "five minutes" in logged  # the reason is logged
    assert "late-request-secret-path" not in logged and "12345678" not in logged


def test_platform_library_messages_with_a_body_are_withheld_below_debug():
    stream = io.StringIO()
    pipeline = configure_logging("INFO", stream=stream)
    try:
        logging.getLogger("slack_bolt.App").info("Invalid request signature detected (body: code=31415926)")
        logging.getLogger("slack_bolt.App").warning("Unhandled request ({'code': '31415926'})")
        logging.getLogger("agenda_bot.test").info("an ordinary line")
    finally:
        pipeline.close()
    text = stream.getvalue()
    assert "31415926" not in text and "withheld" in text and "an ordinary line" in text


def test_a_response_url_is_redacted_wherever_it_appears():
    line = Redactor()("posting to https://hooks.slack.com/commands/T0/123/abcSECRET failed")
    assert "abcSECRET" not in line and REDACTED in line


# -- item 11: malformed input is a 4xx and a log line -----------------------------------


@pytest.mark.parametrize("timestamp", ["not-a-number", "", "1e9", "-5", "12345678901234567890"])
def test_a_malformed_slack_timestamp_is_a_401(served, log, timestamp):
    base, _ = served
    body = slash_command_body("help", response_url="http://127.0.0.1:9/unused")
    headers = signed_headers(body) | {"x-slack-request-timestamp": timestamp}
    response = httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=10)
    assert response.status_code == 401
    logged = log.text()
    assert "malformed X-Slack-Request-Timestamp" in logged or "five minutes" in logged
    assert "Traceback" not in logged


def test_json_nested_fifty_thousand_levels_is_a_400(served, log):
    base, _ = served
    nested = "[" * 50_000 + "]" * 50_000
    response = httpx.post(
        f"{base}/api/messages", content=nested, headers={"content-type": "application/json"}, timeout=10
    )
    assert response.status_code in (400, 413)
    deep = '{"type": "message", "value": ' + "[" * 30_000 + "]" * 30_000 + "}"
    response = httpx.post(f"{base}/api/messages", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400
    signed = urlencode({"payload": "[" * 9_000 + "]" * 9_000})  # within the size limit once encoded
    response = httpx.post(f"{base}/slack/events", content=signed, headers=signed_headers(signed), timeout=10)
    assert response.status_code == 400
    logged = log.text()
    assert "not a JSON object" in logged and "does not decode" in logged
    assert "Traceback" not in logged


@pytest.mark.parametrize(
    "payload",
    [
        [],
        [1, 2],
        "a string",
        {"type": "block_actions", "user": {}, "actions": []},
        {"type": "block_actions", "user": {"id": ""}, "actions": [{"action_id": "show:x", "value": "{}"}]},
        {"type": "block_actions", "actions": [{"action_id": "share:0", "value": '{"q": "help"}'}]},
        {"type": "view_submission", "user": {"id": "U1"}, "view": None},
        {"type": "view_submission", "user": {"id": "U1"}, "view": {"callback_id": "agenda_form", "state": 5}},
        {"type": "unknown_kind"},
    ],
)
def test_a_signed_but_malformed_payload_is_a_4xx_not_a_500(served, log, payload):
    base, _ = served
    body = urlencode({"payload": json.dumps(payload)})
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert 200 <= response.status_code < 500, response.text
    logged = log.text()
    assert "POST /slack/events" in logged
    assert "Traceback" not in logged


def test_a_signed_button_payload_nested_hundreds_of_levels_is_a_400_not_a_500(served, log, fake_slack):
    """Bolt copies a button's request whole for its lazy listener; a deep enough payload overflowed that copy."""
    base, _ = served
    more = f"{ACTION_IDS[ActionKind.more]}:0"
    body = block_action_body(action_id=more, value='{"q": "help"}', response_url=fake_slack.response_url("deep"))
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["state"] = {"values": json.loads('{"x": ' * 600 + "{}" + "}" * 600)}
    body = urlencode({"payload": json.dumps(payload)})
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code == 400
    assert "nested more than" in log.text() and "Traceback" not in log.text()


def test_a_block_action_with_an_empty_user_answers_help_not_an_error(served, fake_slack):
    base, _ = served
    body = block_action_body(action_id="show:0", value='{"q": "help"}', response_url=fake_slack.response_url("e"))
    body = body.replace("%22id%22%3A+%22U0TEST%22", "%22id%22%3A+%22%22")
    response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
    assert response.status_code < 500


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
