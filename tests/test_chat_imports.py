"""Import from chat (issue 17 item 1): an admin shares a file with the bot in Slack or Teams, sees the
terminal's preview, and a Confirm button applies exactly that, once; and the example document
(seeds/examples/, a real 2022 document) imports, re-imports as a no-op and answers lookups."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from handlers import answer
from handlers.commands import chat_imports
from handlers.domain.ports import Requester
from handlers.views.text import render_text
from models.db import make_engine, session
from models.tables import AuditEntry, Commitment, PendingImport
from scheduling.clock import FixedClock
from seeds.imports import import_path
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.live_server import live_server
from tests.slack_requests import block_action_body, signed_headers
from tests.teams_activities import card_action, personal_file_message

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "seeds" / "examples" / "2022-indo-pacific-action-plan.yaml"
TEST_DOCUMENT = {name: (Path(__file__).parent / "imports" / name).read_bytes()
                 for name in ("test-statement.yaml", "test-statement.txt")}  # fmt: skip
ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:DADMIN")
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:DMEMBER")
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])
TOKEN = re.compile(r"import-confirm ([A-Za-z0-9_-]+)")


# -- the example document -------------------------------------------------------------------------


def test_the_2022_action_plan_example_previews_applies_reimports_as_nothing_and_answers_lookups(engine, clock, ports):
    options = {"actor": "cli:curator", "now": clock.now()}
    with session(engine) as db:
        preview = import_path(db, EXAMPLE, apply=False, **options).render()
    assert "dry run: nothing was changed" in preview
    assert "Documents: 1 added" in preview and "+ indo-pacific-action-plan-2022: Canada–Japan Action Plan" in preview
    assert "Commitments: 8 added" in preview and "+ 2022-2: Launch negotiations on a Security of Information" in preview
    assert "Owners: 16 added" in preview
    with session(engine) as db:
        assert import_path(db, EXAMPLE, apply=True, **options).applied
    with session(engine) as db:
        again = import_path(db, EXAMPLE, apply=True, **options)
        assert not again.changes and "nothing to change" in again.render()
        assert len(db.exec(select(Commitment).where(Commitment.key.startswith("2022-"))).all()) == 8

    def asked(words: str) -> str:
        return render_text(answer(words, ports=ports, requester=ADMIN))

    assert "2022-1" in asked("Indo-Pacific Action Plan") and "2022-8" in asked("Indo-Pacific Action Plan")
    assert "2022-6" in asked("energy security")  # a priority area's words
    assert "2022-2" in asked("security of information")
    shown = asked("show 2022-2")
    assert "[Paraphrase]" in shown and "2022 Indo-Pacific Action Plan" in shown  # never passed off as agreed text


# -- the neutral handler: confirm once, expiry, a changed agenda, who may ------------------------------


def _files(**changes: str) -> list[chat_imports.SharedFile]:
    files = dict(TEST_DOCUMENT)
    for old, new in changes.items():
        files["test-statement.yaml"] = files["test-statement.yaml"].replace(old.encode(), new.encode())
    return [chat_imports.SharedFile(name, data) for name, data in files.items()]


def _token(reply) -> str:
    [action] = reply.actions
    return TOKEN.search(action.query).group(1)


def test_confirm_applies_what_was_previewed_once_and_a_second_press_says_so(engine, ports):
    assert render_text(chat_imports.import_refusal(ports, MEMBER)).startswith("Only admins can import files")
    ports = dataclasses.replace(ports, admins=frozenset({"slack:UADMIN"}))
    assert chat_imports.import_refusal(ports, ADMIN) is None
    preview = chat_imports.preview(ports, ADMIN, _files())
    assert "Documents: 1 added" in render_text(preview) and "Run again with --apply" not in render_text(preview)
    token = _token(preview)
    # Someone else pressing the same button is refused (not an admin; another admin); nothing is applied.
    assert "Only admins" in render_text(answer(f"import-confirm {token}", ports=ports, requester=MEMBER))
    other = dataclasses.replace(ports, admins=ports.admins | {"slack:UOTHER"})
    another_admin = dataclasses.replace(ADMIN, user_ref="slack:UOTHER")
    pressed = answer(f"import-confirm {token}", ports=other, requester=another_admin)
    assert pressed.title == "Only the admin who shared test-statement.yaml can confirm its import."
    done = render_text(answer(f"import-confirm {token}", ports=ports, requester=ADMIN))
    assert "Imported test-statement.yaml" in done
    again = render_text(answer(f"import-confirm {token}", ports=ports, requester=ADMIN))
    assert "already imported" in again and "changed nothing" in again
    with session(engine) as db:
        entries = db.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        [pending] = db.exec(select(PendingImport)).all()
    assert entries and all(e.note == "imported from test-statement.yaml by slack:UADMIN" for e in entries)
    assert pending.applied_at is not None and pending.token_sha256 != token  # only its digest is kept


@SQLITE_ONLY
def test_an_expired_preview_a_changed_agenda_and_a_bad_file(engine, ports, clock, tmp_path):
    ports = dataclasses.replace(ports, admins=frozenset({"slack:UADMIN"}))
    # Expired: nothing applied, share it again.
    stale = _token(chat_imports.preview(ports, ADMIN, _files()))
    clock.advance(timedelta(minutes=chat_imports.PENDING_MINUTES + 1))
    assert "expired" in render_text(answer(f"import-confirm {stale}", ports=ports, requester=ADMIN))
    # The agenda changes between preview and confirm: a new preview with a new button, not the old changes.
    token = _token(chat_imports.preview(ports, ADMIN, _files()))
    for file in _files(**{"Hold an annual Test Dialogue": "Hold a yearly Test Dialogue"}):
        (tmp_path / file.name).write_bytes(file.data)
    with session(engine) as db:
        assert import_path(db, tmp_path / "test-statement.yaml", apply=True, actor="cli:x", now=clock.now()).applied
    changed = answer(f"import-confirm {token}", ports=ports, requester=ADMIN)
    assert "The agenda changed since the preview" in changed.title
    assert "2026-T1" in render_text(changed) and "title" in render_text(changed)
    assert "Imported" in render_text(answer(f"import-confirm {_token(changed)}", ports=ports, requester=ADMIN))
    with session(engine) as db:
        t1 = db.exec(select(Commitment).where(Commitment.key == "2026-T1")).one()
    assert t1.title.startswith("Hold an annual Test Dialogue")
    # A bad file gets the parser's own words, with the line; a file of no importable kind says what is.
    bad = render_text(chat_imports.preview(ports, ADMIN, _files(**{"areas: [dialogue]": "areas: [dialog]"})))
    assert "cannot be imported" in bad and "unknown area 'dialog'" in bad and "line " in bad
    assert "/tmp" not in bad  # no server paths
    assert "Share one file" in render_text(chat_imports.preview(ports, ADMIN, [chat_imports.SharedFile("a.pdf", b"")]))
    # In the admin's language, the list of changes too (its keys, titles and values are the records' own).
    french = dataclasses.replace(ADMIN, locale="fr-CA")
    shown = chat_imports.preview(ports, french, _files(**{"2026-T3": "2026-T4"}))
    assert shown.title == "Aperçu : importation de test-statement.yaml"
    assert shown.actions[0].label == "Confirmer l'importation"
    assert "Engagements : 1 ajout, 1 suppression" in shown.sections[0].body
    assert "      type: coopération continue" in shown.sections[0].body
    japanese_admin = dataclasses.replace(ADMIN, locale="ja-JP")
    in_japanese = chat_imports.preview(ports, japanese_admin, _files(**{"2026-T3": "2026-T4"}))
    assert "合意事項：追加1件, 削除1件" in in_japanese.sections[0].body
    assert "担当者：追加2件, 削除2件" in in_japanese.sections[0].body and "added" not in in_japanese.sections[0].body
    japanese = dataclasses.replace(ADMIN, user_ref="slack:UMEMBER", locale="ja-JP")
    assert chat_imports.import_refusal(ports, japanese).title == "ファイルを取り込むことができるのは管理者のみです。"


# -- through the real Slack and Teams endpoints --------------------------------------------------------


@pytest.fixture(scope="module")
def servers(tmp_path_factory, sqlite_template):
    slack, teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("chat-import") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}", slack_api_url=slack.api_url, teams_allow_unauthenticated=True, scheduler_enabled=False,
        admins="UADMIN,teams:aad-admin-0042", import_max_bytes=64 * 1024,
    )  # fmt: skip
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, slack, teams, f"sqlite:///{path}"
    slack.close()
    teams.close()


def _slack_event(url: str, event: dict) -> None:
    body = json.dumps({"token": "unused", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback",
                       "event_id": f"Ev{time.monotonic_ns()}", "event_time": 1700000000, "event": event})  # fmt: skip
    headers = signed_headers(body) | {"content-type": "application/json"}
    assert httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=10).status_code == 200


def _share_in_slack(url: str, slack, user: str, files: dict[str, bytes], *, size: int | None = None) -> str:
    """A file_share message in the bot's direct messages; the text of what the bot posts back."""
    before = len(slack.calls("chat.postMessage"))
    slack.files.update(files)
    shared = [{"id": f"F{n}", "name": name, "size": size or len(data), "mimetype": "text/plain",
               "url_private": slack.file_url(name), "url_private_download": slack.file_url(name)}
              for n, (name, data) in enumerate(files.items())]  # fmt: skip
    _slack_event(url, {"type": "message", "subtype": "file_share", "user": user, "channel": f"D{user}", "text": "",
                       "channel_type": "im", "ts": "1700000000.000100", "files": shared})  # fmt: skip
    posted = slack.wait_for_calls("chat.postMessage", before + 1)[-1].body
    assert posted["channel"] == f"D{user}"
    return json.dumps(posted, ensure_ascii=False)


def _press_in_slack(url: str, slack, token: str, name: str) -> str:
    value = json.dumps({"q": f"import-confirm {token}", "p": 1})
    body = block_action_body(action_id="agenda_do:100", value=value, response_url=slack.response_url(name),
                             user_id="UADMIN")  # fmt: skip
    assert httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200
    return json.dumps(slack.wait_for_webhooks(1, name)[-1], ensure_ascii=False)


def _audit(database_url: str) -> list[AuditEntry]:
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            return list(db.exec(select(AuditEntry).where(AuditEntry.action == "import")).all())
    finally:
        engine.dispose()


def test_slack_an_admin_shares_a_document_previews_confirms_once_others_are_refused(servers):
    url, slack, _teams, database_url = servers
    # Words typed in the bot's direct messages, and the file_shared event, are acknowledged and left alone.
    _slack_event(url, {"type": "message", "user": "UADMIN", "channel": "DUADMIN", "channel_type": "im",
                       "text": "hello", "ts": "1700000000.000200"})  # fmt: skip
    _slack_event(url, {"type": "file_shared", "file_id": "F0", "user_id": "UADMIN", "channel_id": "DUADMIN"})
    # A member: refused, and the file is never downloaded.
    downloads = len(slack.file_requests)
    assert "Only admins can import files" in _share_in_slack(url, slack, "UMEMBER", TEST_DOCUMENT)
    assert len(slack.file_requests) == downloads
    # Too large by its declared size: refused before any download.
    assert "too large" in _share_in_slack(url, slack, "UADMIN", TEST_DOCUMENT, size=10**6)
    assert len(slack.file_requests) == downloads
    # The admin's document and its text: the terminal's preview, and a Confirm button.
    posted = _share_in_slack(url, slack, "UADMIN", TEST_DOCUMENT)
    assert all(h.get("Authorization") == "Bearer xoxb-test-token" for h in slack.file_requests[downloads:])
    assert "Documents: 1 added" in posted and "2026-T2" in posted and "agenda_do:" in posted
    assert _audit(database_url) == []  # a preview changes nothing
    token = TOKEN.search(posted).group(1)
    assert "Imported test-statement.yaml" in _press_in_slack(url, slack, token, "confirm1")
    assert {e.note for e in _audit(database_url)} == {"imported from test-statement.yaml by slack:UADMIN"}
    assert "already imported" in _press_in_slack(url, slack, token, "confirm2")
    # A bad file: the parser's clear error, nothing written.
    bad = _share_in_slack(url, slack, "UADMIN", {"broken.yaml": b"document: [unclosed\n"})
    assert "broken.yaml cannot be imported" in bad and "not valid YAML" in bad


def test_teams_an_admin_attaches_a_spreadsheet_previews_and_confirms_others_are_refused(servers):
    url, _slack, teams, database_url = servers
    teams.files["agenda.csv"] = b"id,status\n2002-A4,in_progress\n"  # a spreadsheet may leave columns out

    def say(activity: dict) -> str:
        teams.clear()
        assert httpx.post(f"{url}/api/messages", json=activity, timeout=10).status_code == 200
        teams.wait_for(1)
        return json.dumps(teams.cards(), ensure_ascii=False)

    attached = {"agenda.csv": teams.download_url("agenda.csv")}
    assert "Only admins can import files" in say(personal_file_message(attached, teams.url))
    assert teams.file_requests == []  # refused before any download
    admin = {"user_aad": "aad-admin-0042", "name": "Admin", "conversation_id": "a:1admin-chat"}
    shown = say(personal_file_message(attached, teams.url, **admin))
    assert "2002-A4" in shown and "status: unknown → in_progress" in shown and "agenda.do" in shown
    token = TOKEN.search(shown).group(1)
    press = card_action("agenda.do", {"q": f"import-confirm {token}", "p": 1}, teams.url,
                        user_aad="aad-admin-0042", name="Admin")  # fmt: skip
    teams.clear()
    assert httpx.post(f"{url}/api/messages", json=press, timeout=10).status_code == 200
    assert "Imported agenda.csv" in json.dumps(teams.wait_for(1), ensure_ascii=False)
    assert any(e.note == "imported from agenda.csv by teams:aad-admin-0042" and e.target_key == "2002-A4"
               for e in _audit(database_url))  # fmt: skip
    # Past the download limit (64 KiB here): refused, and only the limit was read.
    teams.files["big.csv"] = b"id,status\n" + b"x" * (65 * 1024)
    assert "too large" in say(personal_file_message({"big.csv": teams.download_url("big.csv")}, teams.url, **admin))
