"""The real Teams SDK app behind the real /api/messages endpoint, under uvicorn
on loopback. Activities are the JSON Teams sends; replies land on a fake Bot
Connector on loopback (the activity's serviceUrl)."""

from __future__ import annotations

import shutil

import httpx
import pytest

from bot.settings import Settings
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.teams_activities import (
    CHANNEL,
    PERSONAL,
    card_action,
    card_nodes,
    channel_message,
    personal_message,
)


@pytest.fixture(scope="module")
def fake_teams():
    fake = start_fake_teams()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def _clean(fake_teams):
    fake_teams.clear()


def teams_settings(database_url: str, **overrides) -> Settings:
    values = {
        "database_url": database_url,
        "teams_allow_unauthenticated": True,  # development mode: tokens are tested in test_teams_auth.py
        "scheduler_enabled": False,
    }
    return settings_for(**(values | overrides))


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("teams-live") / "agenda.db"
    shutil.copy(sqlite_template, path)
    with live_server(teams_settings(f"sqlite:///{path}"), clock=FixedClock(TODAY)) as url:
        yield url


def post(base: str, activity: dict, **headers) -> httpx.Response:
    return httpx.post(f"{base}/api/messages", json=activity, headers=headers, timeout=10)


def texts(card: dict) -> list[str]:
    return [node["text"] for node in card_nodes(card) if node.get("type") == "TextBlock"]


def test_a_channel_mention_is_answered_with_an_adaptive_card_in_the_thread(server, fake_teams):
    response = post(server, channel_message("agenda counter-terrorism", fake_teams.url))
    assert response.status_code == 200
    [activity] = fake_teams.wait_for(1)
    [posted] = fake_teams.posted
    assert posted.conversation_id.startswith(f"{CHANNEL};messageid=")  # a reply in the thread
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert "Counter-terrorism" in texts(card)[0]
    assert card["fallbackText"] and activity["summary"] == card["fallbackText"]
    # Already in the channel: nothing to share; other buttons are Action.Execute.
    actions = [a for a in _all_actions(card)]
    assert actions and all(a["type"] == "Action.Execute" for a in actions)
    assert "agenda.share" not in {a["verb"] for a in actions}


def _all_actions(node) -> list[dict]:
    if isinstance(node, dict):
        own = [node] if node.get("type", "").startswith("Action.") else []
        return own + [a for v in node.values() for a in _all_actions(v)]
    if isinstance(node, list):
        return [a for v in node for a in _all_actions(v)]
    return []


@pytest.mark.parametrize("text", ["counter-terrorism", "agenda counter-terrorism", "Agenda  counter-terrorism"])
def test_a_personal_chat_needs_no_mention_and_no_command_word(server, fake_teams, text):
    assert post(server, personal_message(text, fake_teams.url)).status_code == 200
    fake_teams.wait_for(1)
    [card] = fake_teams.cards(PERSONAL)
    assert "Counter-terrorism" in texts(card)[0]


def test_an_empty_mention_gets_the_help(server, fake_teams):
    post(server, channel_message("", fake_teams.url))
    fake_teams.wait_for(1)
    assert "agenda" in " ".join(texts(fake_teams.cards()[0])).lower()


def test_more_replaces_the_card_with_the_next_page(server, fake_teams):
    post(server, personal_message("peacekeeping", fake_teams.url))  # more than one page
    fake_teams.wait_for(1)
    [more] = [a for a in _all_actions(fake_teams.cards()[0]) if a["verb"] == "agenda.more"]
    response = post(server, card_action(more["verb"], more["data"], fake_teams.url))
    assert response.status_code == 200
    body = response.json()
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["version"] == "1.5"
    assert texts(body["value"])[2:] != texts(fake_teams.cards()[0])[2:]  # other items
    assert len(fake_teams.activities()) == 1  # replaced in place, nothing new posted


def test_show_posts_the_item_as_a_new_card(server, fake_teams):
    response = post(server, card_action("agenda.show", {"q": "show 2002-A4", "p": 1}, fake_teams.url))
    assert response.status_code == 200
    assert response.json()["type"] == "application/vnd.microsoft.activity.message"
    fake_teams.wait_for(1)
    assert any("2002-A4" in t for t in texts(fake_teams.cards()[0]))


@pytest.mark.parametrize(
    "verb, data",
    [("agenda.nope", {"q": "help"}), ("other.show", {"q": "help"}), ("agenda.show", {}), (None, {"q": "help"})],
)
def test_a_button_that_is_not_ours_gets_400_and_does_nothing(server, fake_teams, verb, data):
    response = post(server, card_action(verb, data, fake_teams.url))
    assert response.status_code == 200  # the invoke itself succeeded: the error is in the body
    assert response.json()["statusCode"] == 400
    assert fake_teams.activities() == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_an_activity_is_refused_cleanly(server, body):
    response = httpx.post(f"{server}/api/messages", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "activity" in response.json()["error"]


def test_teams_not_configured_answers_503(tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}", scheduler_enabled=False)
    with live_server(settings) as url:
        response = post(url, personal_message("help", "http://127.0.0.1:9/"))
    assert response.status_code == 503
    assert "TEAMS_CLIENT_ID" in response.json()["error"]


def test_an_activity_the_sdk_cannot_read_gets_400_and_does_nothing(server, fake_teams):
    activity = card_action("agenda.show", {"q": "help"}, fake_teams.url)
    activity["value"]["action"]["data"] = "not an object"
    response = post(server, activity)
    assert response.status_code == 400
    assert fake_teams.activities() == []


def test_a_reply_teams_refuses_is_logged_and_the_turn_still_succeeds(server, fake_teams, caplog):
    fake_teams.failing[PERSONAL] = [(502, {}, {"error": {"code": "BadGateway"}})]
    with caplog.at_level("WARNING", logger="bot.teams.front"):
        response = post(server, personal_message("help", fake_teams.url))
    assert response.status_code == 200  # not 500: Teams would retry the whole turn
    assert fake_teams.activities() == []
    assert any("refused a reply" in r.getMessage() and "502" in r.getMessage() for r in caplog.records)


def test_development_mode_warns_loudly_at_start(tmp_path, sqlite_template, caplog):
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    with caplog.at_level("WARNING", logger="bot.web"):
        with live_server(teams_settings(f"sqlite:///{tmp_path}/agenda.db")):
            pass
    [warning] = [r for r in caplog.records if "AGENDA_TEAMS_ALLOW_UNAUTHENTICATED" in r.getMessage()]
    assert warning.levelname == "WARNING" and "WITHOUT a Bot Framework token" in warning.getMessage()


def test_answering_teams_keeps_no_memory_per_message(server, fake_teams):
    # The SDK asks OpenTelemetry for a meter per handler run and per outbound call;
    # OpenTelemetry's stand-in provider used to keep each one (bench/soak.py saw the
    # replica grow ~4 KB per message). The live server runs in this process.
    from opentelemetry import metrics as otel_metrics
    from opentelemetry.metrics._internal import _PROXY_METER_PROVIDER  # the stand-in; private, so checked both ways

    assert type(otel_metrics.get_meter_provider()).__name__ == "NoOpMeterProvider"
    kept = len(_PROXY_METER_PROVIDER._meters)
    for n in range(20):
        assert post(server, personal_message(f"MLAT {n}", fake_teams.url)).status_code < 300
    fake_teams.wait_for(20)
    assert len(_PROXY_METER_PROVIDER._meters) == kept


async def test_digest_subscribe_in_a_teams_channel_then_the_digest_reaches_that_channel(
    tmp_path, sqlite_template, fake_teams
):
    """As the README and the Teams channel menu say: `digest subscribe` typed in a Teams
    channel subscribes it, and the weekly digest is then posted there proactively,
    with the conversation reference stored when the message came in."""
    import asyncio
    from datetime import timedelta

    import jwt

    from bot.delivery import DeliveryService, PlatformNotifier
    from bot.runtime import build_ports
    from bot.teams.adapter import StarletteAdapter
    from bot.teams.app import create_teams_app
    from bot.teams.notifier import TeamsNotifier
    from models.db import make_engine
    from tests.teams_activities import ADA_AAD, APP_ID

    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = teams_settings(f"sqlite:///{path}", admins=f"teams:{ADA_AAD}")
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        assert post(url, channel_message("digest subscribe CT", fake_teams.url)).status_code == 200
        fake_teams.wait_for(1)
    [card] = fake_teams.cards()
    assert texts(card)[0] == "This channel gets the digest every Monday at 09:00 Ottawa time.", texts(card)
    fake_teams.clear()

    # Monday 09:00 in Toronto: the planner composes it, the dispatcher sends it through Teams.
    clock = FixedClock(TODAY + timedelta(hours=23))  # Sunday 15:00 UTC → Monday 14:00 UTC
    engine = make_engine(f"sqlite:///{path}")
    ports = build_ports(settings, engine, clock=clock)
    token = jwt.encode({"aud": "https://api.botframework.com", "appid": APP_ID}, "k" * 32, algorithm="HS256")
    credentials = settings.model_copy(update={"teams_client_id": APP_ID, "teams_allow_unauthenticated": False})
    teams = create_teams_app(
        settings=credentials, ports=ports, adapter=StarletteAdapter(), token=lambda scope, tenant: token
    )
    await teams.initialize()
    notifier = PlatformNotifier({"teams": TeamsNotifier(teams, ports)}, fallback=None)
    service = DeliveryService(settings, ports, notifier)
    try:
        assert await asyncio.to_thread(service.plan_once) >= 1
        assert await service.dispatcher.drain() >= 1
    finally:
        engine.dispose()
    posted = [p.conversation_id for p in fake_teams.posted]
    assert posted and set(posted) == {CHANNEL}  # the channel itself, not the thread the command came from
    assert texts(fake_teams.cards(CHANNEL)[0])[0].startswith("Weekly agenda digest, week of")
