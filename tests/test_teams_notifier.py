"""Proactive delivery to a fake Bot Connector on loopback: stored conversation
references, Retry-After, transient failures, 403 (blocked or removed) and the
per-conversation pace."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import jwt
import pytest
from sqlmodel import select

from bot.delivery import DeliveryService
from bot.teams.adapter import StarletteAdapter
from bot.teams.app import create_teams_app
from bot.teams.notifier import ConversationPace, TeamsNotifier
from handlers.views.reply import Action, ActionKind, Reply, Section, reply_to_data
from models import teams_conversations as conversations
from models.db import session
from models.tables import Delivery, OutboxMessage, TeamsConversation
from scheduling import outbox
from scheduling.outbox import Claimed, Planned
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.teams_activities import ADA_AAD, APP_ID, CHANNEL, PERSONAL, TENANT

BOT_TOKEN = jwt.encode({"aud": "https://api.botframework.com", "appid": APP_ID}, "k" * 32, algorithm="HS256")
ADA = f"teams:{ADA_AAD}"


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the outbox on both databases is tested in test_outbox.py


@pytest.fixture
def fake_teams():
    fake = start_fake_teams()
    yield fake
    fake.close()


@pytest.fixture
async def app(ports):
    settings = settings_for(teams_client_id=APP_ID, teams_client_secret="unused-offline")
    # A token provider stands in for Entra (token acquisition needs https://login.microsoftonline.com).
    teams = create_teams_app(
        settings=settings, ports=ports, adapter=StarletteAdapter(), token=lambda scope, tenant: BOT_TOKEN
    )
    await teams.initialize()
    return teams


@pytest.fixture
def known(ports, fake_teams):
    """Ada's 1:1 chat and the peace-security channel, as installs and messages recorded them."""
    with ports.open_session() as db:
        for ref in (
            conversations.Reference(PERSONAL, "personal", fake_teams.url, TENANT, "28:bot", ADA),
            conversations.Reference(CHANNEL, "channel", fake_teams.url, TENANT, "28:bot", None),
        ):
            conversations.remember(db, ref, now=TODAY)


def reminder(target: str, n: int = 1) -> Claimed:
    reply = Reply(
        title=f"Reminder {n}: the symposium is in 7 days",
        sections=[Section(body="Owners: you.")],
        actions=[Action(ActionKind.do, "Acknowledge", "ack symposium")],
    )
    return Claimed(n, f"k{n}", "reminder", target, TODAY, reply_to_data(reply), 1, False)


async def test_a_reminder_reaches_the_persons_1to1_chat_as_a_card(app, ports, fake_teams, known):
    result = await TeamsNotifier(app, ports).send(reminder(ADA))
    assert result.ok and result.provider_id.startswith(f"{PERSONAL}:")
    [posted] = fake_teams.posted
    assert posted.conversation_id == PERSONAL
    assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    [card] = fake_teams.cards()
    assert card["version"] == "1.5" and "Reminder 1" in card["body"][0]["text"]
    assert card["actions"][0]["verb"] == "agenda.do"


async def test_a_digest_reaches_the_channel(app, ports, fake_teams, known):
    assert (await TeamsNotifier(app, ports).send(reminder(f"teams:{CHANNEL}"))).ok
    assert [p.conversation_id for p in fake_teams.posted] == [CHANNEL]


async def test_429_returns_its_retry_after_and_posts_nothing(app, ports, fake_teams, known):
    fake_teams.failing[PERSONAL] = [(429, {"Retry-After": "7"}, {"error": {"code": "Throttled"}})]
    result = await TeamsNotifier(app, ports).send(reminder(ADA))
    assert not result.ok and result.retry_after == 7 and not result.permanent
    assert fake_teams.posted == []


@pytest.mark.parametrize("status", [412, 502, 503, 504, 500])
async def test_transient_failures_are_retried_later(app, ports, fake_teams, known, status):
    fake_teams.failing[PERSONAL] = [(status, {}, {"error": {"code": "ServiceError"}})]
    result = await TeamsNotifier(app, ports).send(reminder(ADA))
    assert not result.ok and not result.permanent and result.retry_after is None


async def test_403_marks_the_conversation_inactive_for_good(app, ports, fake_teams, known):
    fake_teams.failing[PERSONAL] = [(403, {}, {"error": {"code": "MessageWritesBlocked"}})]
    notifier = TeamsNotifier(app, ports)
    result = await notifier.send(reminder(ADA))
    assert result.permanent and "MessageWritesBlocked" in result.error
    with ports.open_session() as db:
        row = db.exec(select(TeamsConversation).where(TeamsConversation.conversation_id == PERSONAL)).one()
    assert not row.active and "403" in row.inactive_reason
    again = await notifier.send(reminder(ADA, 2))  # no second try against a blocked bot
    assert again.permanent and fake_teams.posted == []


async def test_with_no_conversation_known_at_all_the_failure_says_why(app, ports, fake_teams):
    result = await TeamsNotifier(app, ports).send(reminder("teams:aad-never-met"))
    assert result.permanent and "installed" in result.error
    assert fake_teams.created == []


async def test_a_person_who_never_wrote_gets_a_new_1to1_chat_kept_for_next_time(app, ports, fake_teams, known):
    notifier = TeamsNotifier(app, ports)
    assert (await notifier.send(reminder("teams:aad-new-owner"))).ok
    [created] = fake_teams.created
    assert created["members"] == [{"id": "aad-new-owner"}] and created["tenantId"] == TENANT
    assert [p.conversation_id for p in fake_teams.posted] == ["a:created-aad-new-owner"]
    assert (await notifier.send(reminder("teams:aad-new-owner", 2))).ok
    assert len(fake_teams.created) == 1  # the stored chat is used again
    with ports.open_session() as db:
        row = conversations.find(db, "teams:aad-new-owner")
    assert row.conversation_type == "personal" and row.service_url == fake_teams.url


async def test_teams_refusing_to_open_a_chat_is_permanent(app, ports, fake_teams, known):
    fake_teams.failing["create"] = [(403, {}, {"error": {"code": "Forbidden"}})]
    result = await TeamsNotifier(app, ports).send(reminder("teams:aad-outsider"))
    assert result.permanent and "installed for them" in result.error and fake_teams.posted == []


async def test_through_the_dispatcher_429_waits_and_403_alerts_the_admins(app, ports, fake_teams, known, engine, clock):
    admin = "teams:aad-admin"
    with ports.open_session() as db:
        conversations.remember(
            db, conversations.Reference("a:admin-chat", "personal", fake_teams.url, TENANT, "28:bot", admin), now=TODAY
        )
    ports = dataclasses.replace(ports, admins=frozenset({admin}))
    service = DeliveryService(settings_for(), ports, TeamsNotifier(app, ports))
    fake_teams.failing[PERSONAL] = [(403, {}, {"error": {"code": "MessageWritesBlocked"}})]
    fake_teams.failing[CHANNEL] = [(429, {"Retry-After": "30"}, {})]
    body = reply_to_data(Reply(title="Weekly digest"))
    with session(engine) as db:
        outbox.enqueue(db, [Planned("r1", "reminder", ADA, TODAY, body)], now=TODAY)
        outbox.enqueue(db, [Planned("d1", "digest", f"teams:{CHANNEL}", TODAY, body)], now=TODAY)
    await service.dispatcher.drain()
    with session(engine) as db:
        rows = {r.key: r for r in db.exec(select(OutboxMessage)).all()}
    assert rows["r1"].status == Delivery.dead
    assert rows["d1"].status == Delivery.pending and rows["d1"].next_attempt_at == TODAY + timedelta(seconds=30)
    [alert] = [r for r in rows.values() if r.kind == "alert"]
    assert alert.target == admin and alert.status == Delivery.sent  # the admin heard of it, in Teams
    assert [p.conversation_id for p in fake_teams.posted] == ["a:admin-chat"]
    clock.advance(timedelta(seconds=31))
    await service.dispatcher.drain()
    assert [p.conversation_id for p in fake_teams.posted] == ["a:admin-chat", CHANNEL]


async def test_at_most_seven_messages_a_second_per_conversation():
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pace = ConversationPace(now=lambda: now[0], sleep=sleep)
    for _ in range(7):
        await pace.wait("19:a")
    await pace.wait("19:b")  # another conversation is not held back
    assert waits == []
    await pace.wait("19:a")
    assert waits == [pytest.approx(1.0)]
    sent = pace._sent["19:a"]
    assert sent[-1] - sent[0] >= 1.0 - 1e-9  # any 8 consecutive sends span at least a second


async def test_a_fan_out_stays_under_the_tenant_limit(app, ports, fake_teams):
    """Forty-one channels of one tenant: the 41st send waits for the window, the others do not."""
    waits: list[float] = []
    now = [0.0]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    with ports.open_session() as db:
        for n in range(41):
            ref = conversations.Reference(f"19:c{n}@thread.tacv2", "channel", fake_teams.url, TENANT, "28:bot", None)
            conversations.remember(db, ref, now=TODAY)
    notifier = TeamsNotifier(app, ports)
    notifier.tenant_pace = ConversationPace(40, now=lambda: now[0], sleep=sleep)
    for n in range(41):
        assert (await notifier.send(reminder(f"teams:19:c{n}@thread.tacv2", n))).ok
    assert waits == [pytest.approx(1.0)]
    assert len(fake_teams.posted) == 41
