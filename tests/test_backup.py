"""Backup and restore carry the whole state between SQLite and PostgreSQL, both ways.

The state is built the way people build it (commands through the handlers:
roles, owners, statuses, schedules, sensitivity, digests, calendar links, and
the audit trail they leave), plus delivery state (outbox, people, Teams
conversation references). After a
round trip every table holds the same rows, and the restored bot answers,
searches and takes new changes.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlmodel import select

from bot.cli import main
from handlers import answer
from handlers.domain.ports import Ports, Requester
from handlers.views.reply import Reply, reply_to_data
from handlers.views.text import render_text
from models.backup import BackupError, backup, restore, tables
from models.db import make_engine, session
from models.platforms import Conversation
from models.tables import Person, TeamsConversation
from scheduling import outbox
from scheduling.outbox import Planned
from tests.conftest import TODAY, fresh_database_url

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:CDESK", conversation=Conversation.channel)


def _build_state(ports: Ports) -> None:
    ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    for words in [
        "role <@slack:UCOORD> coordinator",
        "assign 2002-A4 <@slack:UMARIA> Public Safety Canada",
        "status 2002-A4 in progress",
        "sensitivity 2002-A4 restricted",
        "schedule symposium 2027-03-15",
        "digest subscribe",
        "calendar",
    ]:
        reply = answer(words, ports=ports, requester=ADMIN)
        assert reply.tone.value in ("answer", "notice"), f"{words}: {render_text(reply)}"
    with ports.open_session() as db:
        body = reply_to_data(Reply(title="Reminder: the symposium is in 7 days"))
        outbox.enqueue(
            db, [Planned("reminder:x", "reminder", "slack:UMARIA", TODAY + timedelta(days=1), body)], now=TODAY
        )
        db.add(Person(user_ref="slack:UMARIA", timezone="Asia/Tokyo", timezone_checked_at=TODAY, lead_days=[14, 2]))
        db.add(
            TeamsConversation(
                conversation_id="a:1personal-chat-with-ken",
                conversation_type="personal",
                service_url="https://smba.trafficmanager.net/teams/",
                tenant_id="tid-canada-japan",
                bot_id="28:agenda-bot",
                user_ref="teams:aad-ken",
                updated_at=TODAY,
            )
        )
        db.commit()


def _contents(engine) -> dict[str, list]:
    """Every row of every table, in a form both databases agree on."""
    with engine.connect() as connection:
        return {
            table.name: [
                [_normal(value) for value in row]
                for row in connection.execute(select(*table.columns).order_by(*table.primary_key.columns))
            ]
            for table in tables()
        }


def _normal(value):
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return value


@pytest.mark.parametrize(("source", "target"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_the_whole_state_survives_a_round_trip_between_databases(source, target, request, tmp_path, clock):
    source_engine = make_engine(fresh_database_url(source, request))
    ports = Ports(open_session=partial(session, source_engine), clock=clock)
    _build_state(ports)
    file = tmp_path / "agenda-backup.json.gz"
    written = backup(source_engine, file, now=TODAY)
    assert written["audit_entry"] >= 6 and written["calendar_feed"] >= 1 and written["outbox"] == 1
    assert written["teams_conversation"] == 1 and written["person"] == 1

    target_engine = make_engine(fresh_database_url(target, request, seeded=False))
    restored = restore(target_engine, file)
    assert restored == written
    before, after = _contents(source_engine), _contents(target_engine)
    for table in before:
        assert after[table] == before[table], f"table {table} differs after the round trip"

    # The restored bot works: answers, full-text search (its index rebuilt), new changes (ids follow).
    restored_ports = Ports(open_session=partial(session, target_engine), clock=clock)
    owner = Requester(user_ref="slack:UMARIA")
    for words in ["show 2002-A4", "IAEA", "mine"]:
        assert render_text(answer(words, ports=restored_ports, requester=owner)) == render_text(
            answer(words, ports=ports, requester=owner)
        )
    admin_ports = dataclasses.replace(restored_ports, admins=frozenset({ADMIN.user_ref}))
    change = answer("assign 2005-A1 <@slack:UKEN>", ports=admin_ports, requester=ADMIN)
    assert change.tone.value == "answer", render_text(change)
    source_engine.dispose()
    target_engine.dispose()


def test_restore_refuses_a_database_that_holds_data(request, tmp_path):
    engine = make_engine(fresh_database_url("sqlite", request))
    file = tmp_path / "backup.json"
    backup(engine, file, now=TODAY)
    with pytest.raises(BackupError, match="restore goes into an empty database"):
        restore(engine, file)


def test_restore_refuses_what_is_not_a_backup(request, tmp_path):
    engine = make_engine(fresh_database_url("sqlite", request, seeded=False))
    junk = tmp_path / "notes.json"
    junk.write_text(json.dumps({"hello": "world"}))
    with pytest.raises(BackupError, match="not an agenda-bot backup"):
        restore(engine, junk)
    junk.write_bytes(b"\x00\x01garbage")
    with pytest.raises(BackupError, match="not an agenda-bot backup"):
        restore(engine, junk)


def test_the_terminal_commands_back_up_and_restore(request, tmp_path, monkeypatch, capsys):
    source = fresh_database_url("sqlite", request)
    file = tmp_path / "state.json"
    monkeypatch.setenv("DATABASE_URL", source)
    assert main(["backup", str(file)]) == 0
    assert "commitment" in capsys.readouterr().out
    target = fresh_database_url("sqlite", request, seeded=False)
    monkeypatch.setenv("DATABASE_URL", target)
    assert main(["restore", str(file)]) == 0
    assert main(["restore", str(file)]) == 1  # a second time: the database is no longer empty
    assert "restore goes into an empty database" in capsys.readouterr().err
