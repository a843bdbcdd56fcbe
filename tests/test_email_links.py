"""People's Slack and Teams identities link by the address each platform
vouches for, through the real endpoints: signed slash commands, Teams
Activity JSON, and fakes of both platforms on loopback (Slack's users.info and
users.lookupByEmail, the Bot Connector's conversation members)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import shutil
from datetime import timedelta
from functools import partial

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import event, insert
from sqlmodel import select

from bot.identities import EmailLinks
from bot.slack.people import SlackPeople
from handlers.domain import identities
from handlers.domain.ports import Ports
from handlers.domain.timeline import Timeline
from models import repository
from models.db import make_engine, session
from models.tables import OutboxMessage, Person
from scheduling.clock import FixedClock
from scheduling.planner import Policy
from scheduling.reminders import planned_messages
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import both_platforms, live_app
from tests.slack_requests import signed_headers, slash_command_body
from tests.teams_activities import TEAM, card_action, channel_message, personal_message


class World:
    def __init__(self, url, app, slack, teams, database_url, clock) -> None:
        self.url, self.app, self.slack, self.teams, self.clock = url, app, slack, teams, clock
        self.engine = make_engine(database_url)
        self.ports = Ports(open_session=partial(session, self.engine), clock=clock, page_size=8)

    def slash(self, text: str, user: str) -> str:
        """A signed /agenda command; the text of the answer."""
        body = slash_command_body(text, response_url=self.slack.response_url(user), user_id=user)
        message = httpx.post(f"{self.url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
        if "Looking that up" in message.get("text", ""):
            message = self.slack.wait_for_webhooks(1, user)[-1]
        return str(message)

    def teams_says(self, text: str, aad: str, *, press: bool = False) -> str:
        """A Teams user writes to the bot in their 1:1 chat (or presses a button there);
        the answer's text, once the address lookup it started has finished."""
        self.teams.clear()
        if press:
            activity = card_action("agenda.run", {"q": text}, self.teams.url, user_aad=aad, name=aad)
            activity["conversation"]["id"] = f"a:chat-{aad}"
        else:
            activity = personal_message(text, self.teams.url, conversation_id=f"a:chat-{aad}", user_aad=aad, name=aad)
        response = httpx.post(f"{self.url}/api/messages", json=activity, timeout=10)
        assert response.status_code == 200
        if not press:
            self.teams.wait_for(1)  # the answer arrives whatever the lookup does
        self.settle()
        return response.text + " ".join(str(card) for card in self.teams.cards())

    def settle(self) -> None:
        """Wait for the background address lookups. Each starts before Teams gets its
        HTTP response, so any lookup this test caused is pending or done by now."""
        addresses = self.app.state.teams_addresses
        while True:
            try:
                tasks = tuple(addresses.pending.values())
                break
            except RuntimeError:  # changed size while we read it: read again
                continue
        if tasks:
            asyncio.run_coroutine_threadsafe(addresses.settled(), tasks[0].get_loop()).result(10)

    def linked(self, ref: str) -> tuple[str, ...]:
        with session(self.engine) as db:
            return identities.identities_of(db, ref)

    def person(self, ref: str) -> Person | None:
        with session(self.engine) as db:
            return db.exec(select(Person).where(Person.user_ref == ref)).first()

    def notices(self) -> set[str]:
        with session(self.engine) as db:
            return set(db.exec(select(OutboxMessage.target).where(OutboxMessage.kind == "notice")).all())


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("email-links") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins="slack:UADMIN")
    clock = FixedClock(TODAY)
    with live_app(settings, clock=clock) as (url, app):
        world = World(url, app, slack, teams, f"sqlite:///{path}", clock)
        yield world
        world.engine.dispose()
    slack.close()
    teams.close()


@pytest.fixture
def moved_clock(world):
    """Tests that move the module's clock put it back."""
    yield world.clock
    world.clock.at = TODAY


def member(aad: str, email: str | None = None, upn: str | None = None) -> dict:
    """A TeamsChannelAccount as the Bot Connector returns it."""
    return {"id": f"29:{aad}", "name": aad, "aadObjectId": aad, "email": email, "userPrincipalName": upn}


def test_a_slack_owner_who_writes_from_teams_is_linked_by_address(world):
    world.slack.users["UMARIA"] = {"tz": "America/Toronto", "email": "Maria.Sato@example.org"}
    world.teams.members["29:aad-maria"] = member("aad-maria", "MARIA.SATO@EXAMPLE.ORG", "msato@corp.example.org")
    assert "now a coordinator" in world.slash("role <@UCOORD> coordinator", "UADMIN")
    assert "2002-A4" in world.slash("assign 2002-A4 <@UMARIA>", "UCOORD")
    assert "symposium" in world.slash("assign symposium <@UMARIA>", "UCOORD").lower()

    # The weekly refresh: one users.info call gives Maria's zone and address.
    before = len(world.slack.calls("users.info"))
    asyncio.run(
        SlackPeople(AsyncWebClient(token="xoxb-test-token", base_url=world.slack.api_url), world.ports).refresh()
    )
    assert [c.body["user"] for c in world.slack.calls("users.info")[before:]] == ["UMARIA"]
    maria = world.person("slack:UMARIA")
    assert (maria.timezone, maria.email) == ("America/Toronto", "maria.sato@example.org")
    assert world.linked("slack:UMARIA") == ("slack:UMARIA",)  # nobody in Teams has it yet

    world.teams_says("help", "aad-maria")  # first contact from Teams
    assert world.teams.member_calls() == [("a:chat-aad-maria", "29:aad-maria")]
    assert world.linked("teams:aad-maria") == ("teams:aad-maria", "slack:UMARIA")
    assert {"teams:aad-maria", "slack:UMARIA"} <= world.notices()  # both are told, and how to undo it
    assert world.slack.calls("users.lookupByEmail") == []  # the address linked at once: Slack is not searched

    mine = world.teams_says("mine", "aad-maria")
    assert "2002-A4" in mine
    assert world.teams.member_calls() == []  # known now: not asked at every message

    with session(world.engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), TODAY.date())
        planned = planned_messages(db, timeline, Policy(horizon=timedelta(days=400)), TODAY)
    targets = {p.target for p in planned}
    assert {"slack:UMARIA", "teams:aad-maria"} <= targets


def test_a_teams_user_slack_never_mentioned_is_found_by_address(world):
    world.slack.users["UKEN"] = {"tz": "Asia/Tokyo", "email": "ken.tanaka@example.jp"}
    world.teams.members["29:aad-ken"] = member("aad-ken", None, "Ken.Tanaka@example.jp")  # no email: the UPN
    world.teams_says("counter-terrorism", "aad-ken", press=True)  # a button press counts as contact too
    assert world.teams.member_calls() == [("a:chat-aad-ken", "29:aad-ken")]
    assert [c.body["email"] for c in world.slack.calls("users.lookupByEmail")][-1:] == ["ken.tanaka@example.jp"]
    assert world.linked("teams:aad-ken") == ("teams:aad-ken", "slack:UKEN")
    assert world.person("slack:UKEN").email == "ken.tanaka@example.jp"
    assert {"teams:aad-ken", "slack:UKEN"} <= world.notices()


def test_in_a_channel_the_member_is_asked_of_the_team(world):
    """As the Bot Framework's TeamsInfo.get_member does: a thread's conversation id is not a roster."""
    world.teams.members["29:aad-cho"] = member("aad-cho", "cho@example.org")
    world.teams.clear()
    activity = channel_message("help", world.teams.url, user_aad="aad-cho", name="Cho")
    assert httpx.post(f"{world.url}/api/messages", json=activity, timeout=10).status_code == 200
    world.teams.wait_for(1)
    world.settle()
    assert world.teams.member_calls() == [(TEAM, "29:aad-cho")]
    assert world.person("teams:aad-cho").email == "cho@example.org"


def test_different_addresses_do_not_link(world):
    world.slack.users["UANNE"] = {"email": "anne@example.org"}
    world.teams.members["29:aad-ann"] = member("aad-ann", "ann@example.org")
    asked = len(world.slack.calls("users.lookupByEmail"))
    world.teams_says("help", "aad-ann")
    assert world.person("teams:aad-ann").email == "ann@example.org"
    assert len(world.slack.calls("users.lookupByEmail")) == asked + 1  # searched, found nobody
    assert world.linked("teams:aad-ann") == ("teams:aad-ann",)
    assert "teams:aad-ann" not in world.notices()


@pytest.mark.parametrize("failure", [404, 500, "drop"])
def test_a_failed_member_lookup_still_answers_and_is_retried_a_week_later(world, moved_clock, caplog, failure):
    aad = f"aad-fail-{failure}"
    world.slack.users[f"UFAIL{failure}"] = {"email": f"{aad}@example.org"}
    world.teams.members[f"29:{aad}"] = failure
    with caplog.at_level(logging.WARNING, logger="bot.teams.people"):
        assert "peace and security agenda" in world.teams_says("help", aad)  # the answer came
    assert world.teams.member_calls() == [(f"a:chat-{aad}", f"29:{aad}")]
    assert f"Teams would not give the member teams:{aad}" in caplog.text
    assert world.linked(f"teams:{aad}") == (f"teams:{aad}",)
    assert world.person(f"teams:{aad}") is None or world.person(f"teams:{aad}").email is None

    world.teams_says("help", aad)
    assert world.teams.member_calls() == []  # not asked at every message

    world.teams.members[f"29:{aad}"] = member(aad, f"{aad}@example.org")
    moved_clock.advance(timedelta(days=7, hours=1))
    world.teams_says("help", aad)
    assert world.teams.member_calls() == [(f"a:chat-{aad}", f"29:{aad}")]  # a week later, asked again
    assert world.linked(f"teams:{aad}") == (f"teams:{aad}", f"slack:UFAIL{failure}")


def test_an_address_another_replica_checked_this_week_is_not_asked_again(world, moved_clock):
    with session(world.engine) as db:
        db.add(Person(user_ref="teams:aad-zed", email="zed@example.org", email_checked_at=TODAY - timedelta(days=6)))
        db.commit()
    world.teams.members["29:aad-zed"] = member("aad-zed", "zed@example.org")
    world.teams_says("help", "aad-zed")
    assert world.teams.member_calls() == []
    moved_clock.advance(timedelta(days=1, hours=1))  # now 7 days and an hour since that replica asked
    world.teams_says("help", "aad-zed")
    assert world.teams.member_calls() == [("a:chat-aad-zed", "29:aad-zed")]


def test_someone_who_unlinked_is_not_linked_again_by_address(world, moved_clock):
    world.slack.users["UUMA"] = {"email": "uma@example.org"}
    world.teams.members["29:aad-uma"] = member("aad-uma", "uma@example.org")
    world.teams_says("help", "aad-uma")
    assert world.linked("teams:aad-uma") == ("teams:aad-uma", "slack:UUMA")
    with session(world.engine) as db:
        identities.unlink(db, "teams:aad-uma")
        db.commit()

    asked = len(world.slack.calls("users.lookupByEmail"))
    moved_clock.advance(timedelta(days=8))
    world.teams_says("help", "aad-uma")
    assert world.teams.member_calls() == [("a:chat-aad-uma", "29:aad-uma")]  # asked again: still not linked
    assert world.linked("teams:aad-uma") == ("teams:aad-uma",)
    assert len(world.slack.calls("users.lookupByEmail")) == asked  # no point searching Slack for them


async def test_slack_lookup_by_email_never_raises(caplog):
    slack = start_fake_slack()
    try:
        slack.users["UMARIA"] = {"email": "maria@example.org"}
        ports = Ports(open_session=None, clock=FixedClock(TODAY))
        people = SlackPeople(AsyncWebClient(token="xoxb-test", base_url=slack.api_url, retry_handlers=[]), ports)
        assert await people.lookup_by_email("MARIA@example.org") == "slack:UMARIA"
        with caplog.at_level(logging.WARNING, logger="bot.slack.people"):
            assert await people.lookup_by_email("nobody@example.org") is None
            assert caplog.records == []  # nobody is not a problem
            slack.failing["users.lookupByEmail"] = "missing_scope"
            assert await people.lookup_by_email("maria@example.org") is None
            assert await people.lookup_by_email("maria@example.org") is None
        assert [r.getMessage() for r in caplog.records] == [
            "users.lookupByEmail failed: missing_scope (the app needs the users:read.email scope)"
        ]  # once, not at every lookup
        closed = SlackPeople(AsyncWebClient(token="x", base_url="http://127.0.0.1:9/api/", retry_handlers=[]), ports)
        assert await closed.lookup_by_email("maria@example.org") is None  # nothing listening
    finally:
        slack.close()


async def test_without_slack_a_teams_address_is_kept_and_nothing_is_searched(ports, engine):
    links = EmailLinks(ports)  # no SLACK_BOT_TOKEN: nothing to search
    assert await links.learned("teams:aad-solo", "Solo@Example.org") is None
    with session(engine) as db:
        assert db.exec(select(Person.email).where(Person.user_ref == "teams:aad-solo")).one() == "solo@example.org"


async def test_two_replicas_recording_one_person_at_once(ports, engine, backend):
    """The other replica inserts the person's row between our read and our write:
    the unique user_ref refuses ours, and one more attempt updates theirs and links."""
    if backend == "sqlite":
        pytest.skip("SQLite has one writer at a time (BEGIN IMMEDIATE): this race cannot happen there")
    with session(engine) as db:
        db.add(Person(user_ref="slack:URACE", email="race@example.org", email_checked_at=TODAY))
        db.commit()
    other_replica = make_engine(engine.url.render_as_string(hide_password=False))
    sessions = []

    def open_session():
        db = session(engine)
        if not sessions:

            def insert_first(*_):
                with other_replica.begin() as connection:
                    connection.execute(insert(Person).values(user_ref="teams:aad-race", link_by_email=True))

            event.listen(db, "before_flush", insert_first, once=True)
        sessions.append(db)
        return db

    links = EmailLinks(dataclasses.replace(ports, open_session=open_session))
    try:
        assert await links.learned("teams:aad-race", "race@example.org") == "slack:URACE"
    finally:
        other_replica.dispose()
    assert len(sessions) == 2  # refused once, then recorded
    with session(engine) as db:
        assert identities.identities_of(db, "teams:aad-race") == ("teams:aad-race", "slack:URACE")
