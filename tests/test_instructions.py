"""A change said in words ("mark the MLAT as done", "reporter le colloque au 14 octobre 2027",
"刑事共助条約を完了にする"): read as the command it is and answered with that command and a Confirm
button; nothing changes before the press, the press runs the command with its own permission check."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import func, select

from handlers.commands.questions import Intent, recognise
from handlers.views.reply import ActionKind, Tone, Visibility
from models.db import make_engine, session
from models.revision import agenda_changed
from models.tables import AuditEntry, Commitment, Member, Role
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import block_action_body, signed_headers, slash_command_body
from tests.test_audience import COORD, MEMBER, OWNER, SECRET_MEETING, TITLE, everything_in, save
from tests.test_questions import ask, ask_in

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])  # the answers; PostgreSQL writes are tested elsewhere


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORD.user_ref}))


@pytest.mark.parametrize(
    ("typed", "intent", "words", "to"),
    [
        ("mark 2002-A4 as done", Intent.set_status, "2002-A4", "done"),
        ("please set the status of the MLAT to in progress", Intent.set_status, "MLAT", "in progress"),
        ("set MLAT status to stalled", Intent.set_status, "MLAT", "stalled"),
        ("marquer le MLAT comme terminé", Intent.set_status, "MLAT", "terminé"),
        ("mettre le statut du MLAT à en cours", Intent.set_status, "MLAT", "en cours"),
        ("刑事共助条約を完了にする", Intent.set_status, "刑事共助条約", "完了"),
        ("刑事共助条約のステータスを進行中に変更して", Intent.set_status, "刑事共助条約", "進行中"),
        ("move the symposium to 14 October 2027", Intent.reschedule, "symposium", "14 October 2027"),
        ("reschedule the next Pol-Mil to autumn 2027", Intent.reschedule, "Pol-Mil", "autumn 2027"),
        ("reporter le colloque au 14 octobre 2027", Intent.reschedule, "colloque", "14 octobre 2027"),
        ("シンポジウムの日程を2027年10月14日に変更", Intent.reschedule, "シンポジウム", "2027年10月14日"),
    ],
)
def test_a_change_said_in_words_is_read_as_what_it_changes_and_to_what(typed, intent, words, to):
    question = recognise(typed)
    assert (question.intent, question.words, question.to) == (intent, words, to)


@pytest.mark.parametrize(
    "typed", ["what's the status of the MLAT", "is the MLAT done?", "when is the next symposium", "move forward"]
)
def test_a_question_about_a_status_or_a_date_is_no_change(typed):
    question = recognise(typed)
    assert question is None or question.intent not in (Intent.set_status, Intent.reschedule)


def _status_of(agenda, key: str) -> str:
    with agenda.open_session() as db:
        return db.exec(select(Commitment.status).where(Commitment.key == key)).one()


@sqlite_only
@pytest.mark.parametrize(
    ("language", "typed", "title", "command"),
    [
        ("en", "mark the MLAT as done", "Set the status of 2002-A4 to “done”?", "status 2002-A4 done"),
        ("fr", "marquer le MLAT comme terminé", "Mettre le statut de 2002-A4 à «\u00a0terminé\u00a0»?",
         "status 2002-A4 terminé"),
        ("ja", "刑事共助条約を完了にする", "2002-A4のステータスを「完了」にしますか？", "status 2002-A4 完了"),
    ],
)  # fmt: skip
def test_nothing_changes_until_the_coordinator_confirms_the_command(agenda, language, typed, title, command):
    before = _status_of(agenda, "2002-A4")
    reply = ask_in(agenda, language, typed, COORD)
    assert (reply.title, reply.tone) == (title, Tone.notice)
    assert _status_of(agenda, "2002-A4") == before  # nothing yet
    [confirm] = reply.actions
    assert (confirm.kind, confirm.query) == (ActionKind.do, command)
    shown = {"en": "`/agenda status 2002-A4 done`", "fr": "`/agenda statut 2002-A4 terminé`",
             "ja": "`/agenda ステータス 2002-A4 完了`"}[language]  # fmt: skip
    assert shown in reply.summary  # the command in the reader's own words, to type next time
    done = ask_in(agenda, language, confirm.query, COORD)  # the press
    assert done.tone != Tone.error and _status_of(agenda, "2002-A4") == "done"


@sqlite_only
def test_a_meeting_moved_in_words_is_fixed_on_confirming(agenda):
    reply = ask_in(agenda, "fr", "reporter le colloque au 14 octobre 2027", COORD)
    assert reply.title.startswith("Fixer la prochaine réunion — Colloque Canada-Japon"), reply.title
    [confirm] = reply.actions
    assert confirm.query == "schedule peace-security-symposium 14 octobre 2027"
    fixed = ask(agenda, confirm.query, COORD)
    assert fixed.title.startswith("Fixed the next Canada-Japan Peace and Security Symposium: Thu 14 Oct 2027")


@sqlite_only
def test_words_that_name_several_commitments_offer_each(agenda):
    reply = ask(agenda, "mark counter-terrorism as done", COORD)
    assert reply.title == "“counter-terrorism” names 8 commitments: which one is “done”?"
    assert reply.summary.endswith("The first 5 are shown; name one by its id.")
    assert [a.query for a in reply.actions][:2] == ["status 2005-A1 done", "status 2005-A2 done"]
    assert len(reply.actions) == 5 and len(reply.sections[0].body.splitlines()) == 5


@sqlite_only
@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("mark the MLAT as finished-ish", "I don't know the status “finished-ish”."),
        ("mark the unicorn treaty as done", "I don't know a commitment called “unicorn treaty”."),
        ("move the unicorn talks to 14 Oct 2027", "I don't know a meeting called “unicorn talks”."),
    ],
)
def test_what_cannot_be_read_is_said_and_nothing_is_offered(agenda, typed, said):
    reply = ask(agenda, typed, COORD)
    assert reply.title == said and not [a for a in reply.actions if a.kind == ActionKind.do]


@sqlite_only
def test_a_member_is_refused_before_any_button_and_an_owner_may_set_their_own(agenda):
    refused = ask(agenda, "mark the MLAT as done", MEMBER)
    assert refused.title.startswith("Only coordinators and admins can change a status") and not refused.actions
    assert refused.title.endswith("(an item's owners can too).") or "owners" in refused.title
    moved = ask(agenda, "move the symposium to 14 Oct 2027", MEMBER)
    assert moved.title.startswith("Only coordinators and admins can fix meeting dates")


@sqlite_only
def test_a_restricted_item_is_not_found_by_words_in_a_channel(agenda):
    assert not save(agenda, SECRET_MEETING).errors
    for who in (MEMBER, COORD, OWNER):
        for typed in (f"mark {TITLE} as done", f"move {TITLE} to 14 Oct 2027", "mark interdiction as done"):
            reply = ask(agenda, typed, who, Visibility.channel)
            assert TITLE not in everything_in(reply).replace(f"“{TITLE}”", ""), (who, typed)
            assert "interdiction at sea" not in everything_in(reply)


# -- through the real Slack endpoint: the slash command, then the Confirm press -------------------


@pytest.fixture(scope="module")
def fake_slack():
    fake = start_fake_slack()
    yield fake
    fake.close()


def test_through_slack_the_confirm_press_runs_the_command_for_whoever_may(fake_slack, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with session(engine) as db:
        agenda_changed(db)
        db.add(Member(user_ref="slack:UCOORD", role=Role.coordinator, granted_by="test", granted_at=datetime.now(UTC)))
        db.commit()
    settings = settings_for(database_url=f"sqlite:///{path}", slack_api_url=fake_slack.api_url, admins="UADMIN")

    def audited() -> int:
        with session(engine) as db:
            return db.exec(select(func.count()).select_from(AuditEntry)).one()

    def press(base, value: str, user: str, name: str) -> dict:
        url = fake_slack.response_url(name)
        body = block_action_body(action_id="agenda_do:100", value=value, response_url=url, user_id=user)
        assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).is_success
        return fake_slack.wait_for_webhooks(1, name)[0]

    with live_server(settings, clock=FixedClock(TODAY)) as base:
        body = slash_command_body("mark the MLAT as stalled", response_url=fake_slack.response_url("ask"),
                                  user_id="UCOORD")  # fmt: skip
        said = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
        assert said["text"].startswith("Set the status of 2002-A4 to “stalled”?")
        [value] = [e["value"] for b in said["blocks"] for e in b.get("elements", []) if "value" in e
                   and "agenda_do" in e.get("action_id", "")]  # fmt: skip
        assert json.loads(value)["q"] == "status 2002-A4 stalled" and audited() == 0
        refused = press(base, value, "UMEMBER", "member")  # a member pressing a coordinator's button
        assert refused["text"].startswith("Only coordinators and admins can") and audited() == 0
        done = press(base, value, "UCOORD", "coordinator")
        assert done["text"].startswith("2002-A4 is now stalled"), done["text"]
        assert audited() == 1
    engine.dispose()


@sqlite_only
@pytest.mark.parametrize(
    ("language", "typed", "title", "command"),
    [
        ("en", "assign the MLAT to <@slack:UMARIA>", "Make <@slack:UMARIA> an owner of 2002-A4?",
         "assign 2002-A4 <@slack:UMARIA>"),
        ("en", "assign the symposium to DND", "Make DND an owner of Canada-Japan Peace and Security Symposium?",
         "assign peace-security-symposium DND"),
        ("fr", "assigner le MLAT à <@slack:UMARIA> MDN", "Nommer <@slack:UMARIA> MDN responsable de 2002-A4?",
         "assign 2002-A4 <@slack:UMARIA> MDN"),
        ("en", "unassign the MLAT to DND", "Remove DND from the owners of 2002-A4?", "unassign 2002-A4 DND"),
    ],
)  # fmt: skip
def test_an_owner_given_to_a_target_said_in_words_is_confirmed_first(agenda, language, typed, title, command):
    reply = ask_in(agenda, language, typed, COORD)
    assert reply.title == title
    [confirm] = reply.actions
    assert (confirm.kind, confirm.query) == (ActionKind.do, command)
    assert ask(agenda, command, COORD).tone != Tone.error  # the press: the ordinary command
    assert ask(agenda, "assign unicorns to <@slack:UMARIA>", COORD).title.startswith(
        "I can't find a commitment or meeting called"
    )
    assert ask(agenda, typed, MEMBER).title.startswith("Only coordinators and admins can change owners")


def test_every_question_has_an_answer_or_is_a_command():
    """A question recognised but answered by nobody would fail at the front end: each intent is answered, or
    read as the command that answers it (handlers/commands/parser.py as_command)."""
    from handlers.commands.answers import _ANSWERS

    assert set(Intent) - set(_ANSWERS) == {Intent.help, Intent.areas, Intent.mine, Intent.owned_by}


@sqlite_only
@pytest.mark.parametrize(
    ("language", "typed", "command"),
    [
        ("en", "we held the Pol-Mil on 15 Nov 2026 in Tokyo", "held pol-mil-talks 15 Nov 2026 in Tokyo"),
        ("en", "the symposium took place on 14 Oct 2025 in Ottawa",
         "held peace-security-symposium 14 Oct 2025 in Ottawa"),
        ("fr", "le colloque a eu lieu le 14 octobre 2025 à Ottawa",
         "held peace-security-symposium 14 octobre 2025 à Ottawa"),
        ("ja", "シンポジウムは2025年10月14日に開催された", "held peace-security-symposium 2025年10月14日"),
    ],
)  # fmt: skip
def test_a_meeting_said_held_in_words_is_recorded_on_confirming(agenda, language, typed, command):
    reply = ask_in(agenda, language, typed, COORD)
    [confirm] = reply.actions
    assert (confirm.kind, confirm.query) == (ActionKind.do, command)
    assert ask(agenda, "when was the last symposium", COORD).title.startswith(
        "Last Canada-Japan Peace and Security Symposium on record: autumn 2000"
    )  # nothing recorded before the press
    assert ask(agenda, command, COORD).tone != Tone.error
    assert ask(agenda, typed, MEMBER).title.startswith("Only coordinators and admins can record meetings")


# -- through the real Teams endpoint: the message, then the Confirm card action --------------------


def test_through_teams_the_confirm_card_action_runs_the_command(tmp_path, sqlite_template):
    from tests.fakes.teams_connector import start_fake_teams
    from tests.teams_activities import card_action, personal_message

    admin, chat = "aad-admin-0042", "a:1personal-chat-with-the-admin"
    fake = start_fake_teams()
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(f"sqlite:///{path}", teams_allow_unauthenticated=True, admins=f"teams:{admin}",
                            scheduler_enabled=False)  # fmt: skip
    engine = make_engine(f"sqlite:///{path}")

    def say(base, activity: dict) -> str:
        fake.clear()
        assert httpx.post(f"{base}/api/messages", json=activity, timeout=10).status_code == 200
        fake.wait_for(1)
        return " ".join(str(card) for card in fake.cards())

    try:
        with live_server(settings, clock=FixedClock(TODAY)) as base:
            asked = personal_message("marquer le MLAT comme au point mort", fake.url, conversation_id=chat,
                                     user_aad=admin, name="Admin")  # fmt: skip
            asked["locale"] = "fr-CA"
            card = say(base, asked)
            assert "Mettre le statut de 2002-A4 à" in card and "status 2002-A4 au point mort" in card
            with session(engine) as db:
                assert db.exec(select(func.count()).select_from(AuditEntry)).one() == 0
            pressed = card_action("agenda.do", {"q": "status 2002-A4 au point mort", "p": 1}, fake.url,
                                  user_aad=admin, name="Admin")  # fmt: skip
            assert "2002-A4" in say(base, pressed)
            with session(engine) as db:
                [entry] = db.exec(select(AuditEntry)).all()
            assert entry.action == "status" and entry.target_key == "2002-A4"
    finally:
        fake.close()
        engine.dispose()
