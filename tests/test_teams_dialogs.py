"""`agenda add` / `agenda edit` in Teams: a button opens a dialog built from the
neutral form; Save goes through the same validation, permission check,
conflict check and audit as Slack's modal."""

from __future__ import annotations

import shutil

import httpx
import pytest
from sqlmodel import select

from models.db import make_engine, session
from models.tables import AuditEntry, Commitment
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.teams_activities import (
    ADA_AAD,
    CHANNEL,
    TEAM,
    TENANT,
    channel_conversation,
    channel_message,
    dialog_invoke,
    personal_message,
)

ADMIN = "aad-admin-0042"
# Each field of the add form and its input kind, as the Save button carries them back.
FORM_KINDS = {
    "title": "text", "text": "multiline", "area": "select", "kind": "select", "cadence": "select", "due": "text",
    "source": "text", "sensitivity": "select", "people": "users", "departments": "multiselect",
}  # fmt: skip


@pytest.fixture
def world(tmp_path, sqlite_template):
    fake = start_fake_teams()
    shutil.copy(sqlite_template, tmp_path / "agenda.db")
    url = f"sqlite:///{tmp_path}/agenda.db"
    settings = settings_for(
        url,
        teams_allow_unauthenticated=True,
        admins=f"teams:{ADMIN}",
        scheduler_enabled=False,
    )
    engine = make_engine(url)
    with live_server(settings, clock=FixedClock(TODAY)) as base:
        yield base, fake, engine
    engine.dispose()
    fake.close()


def post(base: str, activity: dict) -> httpx.Response:
    response = httpx.post(f"{base}/api/messages", json=activity, timeout=10)
    assert response.status_code == 200
    return response


def inputs(card: dict) -> dict[str, dict]:
    return {element["id"]: element for element in card["body"] if element["type"].startswith("Input.")}


def test_edit_opens_a_dialog_and_saves_through_the_neutral_form(world):
    base, fake, engine = world
    post(base, personal_message("edit 2005-C1", fake.url, user_aad=ADMIN))
    [button_card] = fake.cards()
    [button] = button_card["actions"]
    assert button["type"] == "Action.Submit" and button["data"]["msteams"] == {"type": "task/fetch"}

    opened = post(base, dialog_invoke("task/fetch", button["data"], fake.url, user_aad=ADMIN)).json()
    assert opened["task"]["type"] == "continue"
    attachment = opened["task"]["value"]["card"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    form = attachment["content"]
    fields = inputs(form)
    assert {"title", "text", "area", "kind", "due", "people", "departments"} <= set(fields)
    assert fields["people"]["choices.data"]["dataset"] == "graph.microsoft.com/users"
    save = form["actions"][0]["data"]

    # What Teams sends on Save: the button's data merged with every input's value.
    typed = {name: field.get("value") or "" for name, field in fields.items()}
    refused = post(
        base, dialog_invoke("task/submit", save | typed | {"due": "whenever it suits"}, fake.url, user_aad=ADMIN)
    ).json()
    assert refused["task"]["type"] == "continue"  # the dialog again, with the error under "due"
    again = refused["task"]["value"]["card"]["content"]
    due_at = [i for i, e in enumerate(again["body"]) if e.get("id") == "due"][0]
    assert again["body"][due_at + 1]["color"] == "Attention"
    assert inputs(again)["due"]["value"] == "whenever it suits"  # what was typed is kept
    with session(engine) as db:
        assert db.exec(select(AuditEntry)).all() == []

    fake.clear()
    title = "Political-Military talks, renamed in Teams"
    saved = post(base, dialog_invoke("task/submit", save | typed | {"title": title}, fake.url, user_aad=ADMIN)).json()
    assert saved["task"]["type"] == "message"
    with session(engine) as db:
        row = db.exec(select(Commitment).where(Commitment.key == "2005-C1")).one()
        [entry] = db.exec(select(AuditEntry)).all()
    assert row.title == title
    assert entry.action == "edit" and entry.actor_ref == f"teams:{ADMIN}"
    assert fake.cards()  # the confirmation was posted in the chat


def test_a_member_cannot_open_or_save_a_form(world):
    base, fake, engine = world
    post(base, personal_message("add", fake.url))
    assert "Only coordinators" in str(fake.cards())
    opened = post(base, dialog_invoke("task/fetch", {"agenda_form": {"open": "add"}}, fake.url)).json()
    assert opened["task"]["type"] == "message" and "Only coordinators" in opened["task"]["value"]
    meta = {"command": "add", "key": None, "version": None, "opened_at": TODAY.isoformat(), "kinds": {"title": "text"}}
    saved = post(base, dialog_invoke("task/submit", {"agenda_form": meta, "title": "Mine now"}, fake.url)).json()
    assert saved["task"]["type"] == "message" and "Only coordinators" in saved["task"]["value"]
    with session(engine) as db:
        assert db.exec(select(AuditEntry)).all() == []


@pytest.mark.parametrize("data", [{}, {"agenda_form": "x"}, {"agenda_form": {"open": 3}}])
def test_a_dialog_that_is_not_ours_closes_with_a_message(world, data):
    base, fake, _ = world
    response = post(base, dialog_invoke("task/fetch", data, fake.url)).json()
    assert response["task"]["type"] == "message"


@pytest.mark.parametrize("kept", [5, "teams:x", None, {"a": 1}])
def test_a_save_carrying_malformed_form_data_is_answered_not_failed(world, kept):
    """The Save button's data comes back from the client: whatever its shape, the dialog answers."""
    base, fake, engine = world
    meta = {"command": "add", "key": None, "version": None, "opened_at": TODAY.isoformat(),
            "kinds": {"title": "text", "people": "users", "departments": "multiselect"},
            "kept_people": kept}  # fmt: skip
    data = {"agenda_form": meta, "title": ["not", "text"], "people": 7, "departments": {"x": 1}}
    who = {"user_aad": ADMIN}
    saved = post(base, dialog_invoke("task/submit", data, fake.url, **who)).json()
    assert saved["task"]["type"] == "continue"  # the dialog again, with its errors
    with session(engine) as db:
        assert db.exec(select(AuditEntry)).all() == []


def in_channel(activity: dict) -> dict:
    """The same invoke, from a dialog opened by a button in a channel."""
    activity["conversation"] = {"tenantId": TENANT, **channel_conversation()}
    activity["channelData"] |= {"team": {"id": TEAM}, "channel": {"id": CHANNEL}}
    return activity


def test_a_restricted_meeting_saved_from_a_channel_never_names_itself_there(world):
    base, fake, engine = world
    title = "Quiet track on maritime interdiction"
    meta = {"command": "add", "key": None, "version": None, "opened_at": TODAY.isoformat(), "kinds": FORM_KINDS}
    typed = {
        "title": title, "text": "A confidential yearly consultation on interdiction at sea.", "area": "dialogue",
        "kind": "recurring_mechanism", "cadence": "every year", "source": "2026 note verbale",
        "sensitivity": "restricted", "people": ADA_AAD,
    }  # fmt: skip
    save = dialog_invoke("task/submit", {"agenda_form": meta} | typed, fake.url, user_aad=ADMIN)
    saved = post(base, in_channel(save))
    with session(engine) as db:
        row = db.exec(select(Commitment).where(Commitment.title == title)).one()
    assert row.sensitivity == "restricted"
    assert fake.posted and all(p.conversation_id.startswith(CHANNEL) for p in fake.posted)
    posted = str(fake.cards())
    assert posted and title not in posted and row.key not in posted  # the channel is told only that it was done
    assert title in saved.json()["task"]["value"]  # the dialog's closing note: only the person who saved sees it

    # Its meeting is as restricted: not in `next` in the channel, there in the owner's 1:1 chat.
    fake.clear()
    post(base, channel_message("next 1 year", fake.url, user_aad=ADMIN))
    shown = str(fake.cards())
    assert "Symposium" in shown and title not in shown and row.key.lower() not in shown.lower()
    fake.clear()
    post(base, personal_message("next 1 year", fake.url))  # Ada owns it
    assert title in str(fake.cards())


def test_a_restricted_commitments_id_is_not_cited_in_a_channel(world):
    base, fake, _engine = world
    post(base, personal_message("sensitivity 2005-E1 restricted", fake.url, user_aad=ADMIN))
    for words in ("show 1999-1", "symposium"):
        fake.clear()
        post(base, channel_message(words, fake.url, user_aad=ADMIN))
        shown = str(fake.cards())
        assert "Symposium" in shown and "2005-E1" not in shown, words
    fake.clear()
    post(base, personal_message("show 1999-1", fake.url, user_aad=ADMIN))
    assert "stated in 2005-E1" in str(fake.cards())  # the admin, privately


def test_an_activity_sent_twice_runs_once(world):
    """The Bot Framework resends an activity the bot was slow to answer, and a captured one
    stays valid as long as its token: a copy must not run the turn again (a second save)."""
    base, fake, engine = world
    meta = {"command": "add", "key": None, "version": None, "opened_at": TODAY.isoformat(), "kinds": FORM_KINDS}
    typed = {
        "title": "Sent twice", "text": "Both Governments will hold a dialogue.", "area": "dialogue",
        "kind": "ongoing_cooperation", "cadence": "none", "source": "2026 note", "sensitivity": "public",
        "people": ADA_AAD,
    }  # fmt: skip
    save = dialog_invoke("task/submit", {"agenda_form": meta} | typed, fake.url, user_aad=ADMIN)
    first = post(base, save).json()
    assert first["task"]["type"] == "message"
    post(base, save)  # the copy: answered, and ignored
    with session(engine) as db:
        assert len(db.exec(select(Commitment).where(Commitment.title == "Sent twice")).all()) == 1
        assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "add")).all()) == 1
    post(base, save | {"id": save["id"] + "1"})  # the same words in a new activity: a new save
    with session(engine) as db:
        assert len(db.exec(select(Commitment).where(Commitment.title == "Sent twice")).all()) == 2
