"""Delivery to a fake Slack on loopback that rate-limits (429 + Retry-After)
and fails some requests (503): everything arrives, exactly once, paced."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from functools import partial

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.slack.notifier import SlackNotifier, slack_http_session
from bot.web import _slack_people
from handlers.views.reply import Reply, Section, reply_from_data, reply_to_data
from models.db import session
from scheduling import outbox
from scheduling.dispatcher import Dispatcher, DispatchSettings
from scheduling.outbox import Claimed, Planned
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack


@pytest.fixture
def limited_slack():
    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.2, error_rate=0.15))
    yield running.fake
    running.close()


def body(n: int) -> dict:
    return reply_to_data(Reply(title=f"Reminder {n}", sections=[Section(body="The symposium is in 7 days.")]))


async def test_everything_is_delivered_once_through_429s_and_503s(engine, clock, limited_slack):
    targets = ["slack:C1", "slack:C2", "slack:UMARIA"]
    planned = [Planned(f"k{n}", "reminder", targets[n % 3], TODAY, body(n)) for n in range(30)]
    with session(engine) as db:
        outbox.enqueue(db, planned, now=clock.now())
    notifier = SlackNotifier(AsyncWebClient(token="xoxb-test", base_url=limited_slack.api_url))
    dispatcher = Dispatcher(
        open_session=partial(session, engine),
        notifier=notifier,
        clock=clock,
        worker="w1",
        # Paced a little faster than the fake allows, so it answers 429 now and then.
        settings=DispatchSettings(pace=0.15, backoff_base=0.5, max_attempts=8),
    )
    for _ in range(60):
        await dispatcher.drain()
        if len(limited_slack.keys()) == 30:
            break
        clock.advance(timedelta(seconds=2))  # the next attempts come due
    counts = Counter(limited_slack.keys())
    assert sorted(counts) == sorted(f"k{n}" for n in range(30))
    assert set(counts.values()) == {1}
    assert limited_slack.rate_limited > 0 and limited_slack.server_errors > 0  # the fake really pushed back
    dm = [m for m in limited_slack.accepted if m["channel"] == "DMARIA"]  # conversations.open gave the DM
    assert len(dm) == 10 and all(m["text"] and m["blocks"] for m in dm)


async def test_a_permanent_refusal_is_not_retried(engine, clock, limited_slack):
    class Refusing(SlackNotifier):
        async def _channel(self, target):
            from slack_sdk.errors import SlackApiError
            from slack_sdk.web.async_slack_response import AsyncSlackResponse

            response = AsyncSlackResponse(
                client=self.client, http_verb="POST", api_url="x", req_args={},
                data={"ok": False, "error": "channel_not_found"}, headers={}, status_code=200,
            )  # fmt: skip
            raise SlackApiError("channel_not_found", response)

    with session(engine) as db:
        outbox.enqueue(db, [Planned("gone", "digest", "slack:CGONE", TODAY, body(0))], now=clock.now())
    notifier = Refusing(AsyncWebClient(token="xoxb-test", base_url=limited_slack.api_url))
    dead = []

    async def on_dead(message, error):
        dead.append((message.key, error))

    d = Dispatcher(open_session=partial(session, engine), notifier=notifier, clock=clock, worker="w", on_dead=on_dead)
    await d.drain()
    assert dead == [("gone", "Slack error: channel_not_found")]


async def test_timezones_and_addresses_come_from_one_users_info_call_and_are_cached(
    engine, clock, ports, limited_slack
):
    import dataclasses

    from bot.slack.people import SlackPeople
    from handlers import answer
    from handlers.domain.ports import Requester
    from models.tables import Person

    admin = Requester(user_ref="slack:UADMIN")
    ports = dataclasses.replace(ports, admins=frozenset({admin.user_ref}))
    answer(
        "assign symposium <@slack:UMARIA> <@slack:UKEN> <@slack:UGHOST> <@slack:UNOTZ>", ports=ports, requester=admin
    )
    limited_slack.timezones.update({"UMARIA": "America/Toronto", "UKEN": "Asia/Tokyo", "UNOTZ": None})
    limited_slack.emails.update({"UMARIA": "Maria.Sato@Example.org"})  # UKEN's is hidden (no users:read.email)
    refresher = SlackPeople(AsyncWebClient(token="xoxb-test", base_url=limited_slack.api_url), ports)
    assert await refresher.refresh() == 3  # UGHOST is unknown to Slack: skipped, asked again next time
    assert limited_slack.users_info_calls == 4  # one call per person gives both
    with session(engine) as db:
        known = {p.user_ref: (p.timezone, p.email) for p in db.exec(select(Person))}
    assert known == {
        "slack:UMARIA": ("America/Toronto", "maria.sato@example.org"),
        "slack:UKEN": ("Asia/Tokyo", None),
        "slack:UNOTZ": (None, None),
    }
    calls = limited_slack.users_info_calls
    await refresher.refresh()
    assert limited_slack.users_info_calls == calls + 1  # only the unknown one again; the rest are cached for a week
    clock.advance(timedelta(days=7, hours=1))
    await refresher.refresh()
    assert limited_slack.users_info_calls == calls + 1 + 4  # a week on, everyone again


def test_a_late_message_says_so_and_keeps_its_buttons():
    from datetime import UTC, datetime

    from handlers.views.reply import Action, ActionKind
    from scheduling.outbox import Claimed

    reply = Reply(title="Reminder", actions=[Action(ActionKind.do, "Acknowledge", "ack k")])
    due = datetime(2026, 11, 20, 14, tzinfo=UTC)
    content = SlackNotifier(AsyncWebClient(token="x"))._content(
        Claimed(1, "k", "reminder", "slack:U1", due, reply_to_data(reply), 1, True)
    )
    text = str(content["blocks"])
    assert "Late: this was due Fri 20 Nov 09:00 Ottawa · Fri 20 Nov 23:00 Tokyo, while the bot was offline." in text
    assert "Acknowledge" in text
    assert content["metadata"]["event_payload"]["key"] == "k"
    # A reminder written for a French or Japanese reader says it is late in their words, not in English.
    for language, expected in (("fr", "En retard"), ("ja", "遅れて")):
        written = reply_to_data(Reply(title="Rappel", language=language))
        content = SlackNotifier(AsyncWebClient(token="x"))._content(
            Claimed(2, "k2", "reminder", "slack:U1", due, written, 1, True)
        )
        assert expected in str(content["blocks"]) and "Late:" not in str(content["blocks"]), language


async def test_dead_letters_alert_the_admins_once(engine, clock, ports):
    import dataclasses

    from bot.delivery import DeliveryService
    from handlers import answer
    from handlers.domain.ports import Requester
    from models.tables import OutboxMessage
    from scheduling.outbox import Claimed

    ports = dataclasses.replace(ports, admins=frozenset({"slack:UADMIN", "slack:UADMINJA", "cli:root"}))
    answer("language ja", ports=ports, requester=Requester(user_ref="slack:UADMINJA"))
    service = DeliveryService(settings_for(), ports, notifier=None)
    dead = Claimed(9, "reminder:x:2027-01-01:7d:slack:UGONE", "reminder", "slack:UGONE", TODAY, {}, 6, False)
    await service.alert_admins(dead, "account_inactive")
    await service.alert_admins(dead, "account_inactive")  # the same dead letter: one alert
    await service.alert_admins(dataclasses.replace(dead, kind="alert"), "x")  # alerts never alert
    with session(engine) as db:
        alerts = db.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "alert").order_by(OutboxMessage.target)
        ).all()
    assert [(a.target, a.key) for a in alerts] == [
        ("slack:UADMIN", f"alert:dead:{dead.key}:slack:UADMIN"),
        ("slack:UADMINJA", f"alert:dead:{dead.key}:slack:UADMINJA"),
    ]
    english, japanese = (reply_from_data(a.body) for a in alerts)
    assert english.title.startswith("A message could not be delivered") and "account_inactive" in str(english)
    assert japanese.language == "ja" and "account_inactive" in japanese.sections[0].body
    assert "could not" not in japanese.title and "Error" not in japanese.sections[0].body


@pytest.fixture
def steady_slack():
    running = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.0))
    yield running.fake
    running.close()


async def test_deliveries_share_one_pool_of_connections(steady_slack):
    """slack_sdk opens a connection per call unless given a session; the server gives it one."""

    async def send_twenty(client: AsyncWebClient) -> set[int]:
        before = len(steady_slack.client_ports)
        notifier = SlackNotifier(client)
        for n in range(20):  # one after another, to twenty channels: a connection can be reused each time
            claimed = Claimed(n, f"k{n}", "reminder", f"slack:C{n:04d}", TODAY, body(n), 1, False)
            assert (await notifier.send(claimed)).ok
        return set(steady_slack.client_ports[before:])

    alone = await send_twenty(AsyncWebClient(token="xoxb-test", base_url=steady_slack.api_url))
    async with slack_http_session() as http:
        pooled = await send_twenty(AsyncWebClient(token="xoxb-test", base_url=steady_slack.api_url, session=http))
    assert len(alone) == 20 and len(pooled) == 1


def test_the_server_gives_its_delivery_client_a_session(ports):
    async def build():
        people = _slack_people(settings_for(slack_bot_token="xoxb-test"), ports)
        try:
            return people.client.session is not None and not people.client.session.closed
        finally:
            await people.client.session.close()

    assert asyncio.run(build())


async def test_a_date_fixed_after_a_lead_time_says_so_and_real_downtime_still_says_offline(engine, ports):
    """Monday 23 Nov 2026, 10:00 in Ottawa: the symposium is fixed for Monday 30, an hour after its
    7-day reminder's time. That reminder goes at once, saying the date was set late (the bot was
    not offline). The Pol-Mil Talks, fixed for Tuesday 1 Dec at the same moment, have their
    7-day reminder on Tuesday 09:00; the bot is then down until 13:00: that one says offline."""
    import dataclasses
    from datetime import UTC, datetime

    from bot.delivery import DeliveryService
    from handlers import answer
    from handlers.domain.ports import Requester
    from models.tables import Person
    from scheduling.clock import FixedClock
    from scheduling.dispatcher import SendResult

    admin = Requester(user_ref="slack:UADMIN")
    clock = FixedClock(datetime(2026, 11, 23, 15, tzinfo=UTC))
    ports = dataclasses.replace(ports, clock=clock, admins=frozenset({admin.user_ref}))
    with session(engine) as db:
        db.add(Person(user_ref="slack:UMARIA", timezone="America/Toronto"))
        db.commit()
    for words in (
        "assign symposium <@slack:UMARIA>",
        "assign pol-mil <@slack:UMARIA>",
        "schedule symposium 30 Nov 2026 in Ottawa host Canada",
        "schedule pol-mil 1 Dec 2026 in Tokyo",
    ):
        assert answer(words, ports=ports, requester=admin).tone == "answer", words

    received: list[Claimed] = []

    class Inbox:
        async def send(self, message: Claimed) -> SendResult:
            received.append(message)
            return SendResult(ok=True, provider_id=message.key)

    service = DeliveryService(settings_for(), ports, Inbox())
    service.dispatcher.settings.pace = 0
    await service.tick()
    clock.at += timedelta(minutes=1)
    await service.dispatcher.drain()
    [fixed_late] = [m for m in received if m.key == "reminder:peace-security-symposium:2026-11-30:7d:slack:UMARIA"]
    assert not fixed_late.late and fixed_late.due_at == datetime(2026, 11, 23, 15, tzinfo=UTC)
    content = SlackNotifier(AsyncWebClient(token="x"))._content(fixed_late)
    assert "offline" not in str(content)
    assert "Later than usual: the date was set Mon 23 Nov 10:00 Ottawa" in str(content["blocks"])
    assert content["text"].startswith("Reminder: Canada-Japan Peace and Security Symposium, Mon 30 Nov 2026")
    assert "(in 7 days)" in content["text"]

    clock.at = datetime(2026, 11, 24, 18, tzinfo=UTC)  # back after downtime: Tuesday 13:00 in Ottawa
    await service.dispatcher.drain()
    [offline] = [m for m in received if m.key == "reminder:pol-mil-talks:2026-12-01:7d:slack:UMARIA"]
    assert offline.late
    content = SlackNotifier(AsyncWebClient(token="x"))._content(offline)
    assert "while the bot was offline" in str(content["blocks"]) and "Later than usual" not in str(content)
