"""`agenda-bot import`: a document file previewed, applied once, refused over chat edits, and
bad files explained with their line, never half-written (issue 17 item 1)."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from handlers import answer
from handlers.domain.ports import Requester
from handlers.views.text import render_text
from models.db import session
from models.tables import AuditEntry, Commitment, Owner
from seeds.import_file import ImportFileError
from seeds.imports import import_path
from seeds.loader import load_seeds
from tests.test_loader import _snapshot

HERE = Path(__file__).parent / "imports"
ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
ACTOR = "cli:curator"
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def document(tmp_path) -> Path:
    """A copy of the test document (and its source text) that a test may edit."""
    for name in ("test-statement.yaml", "test-statement.txt"):
        shutil.copy(HERE / name, tmp_path / name)
    return tmp_path / "test-statement.yaml"


def do_import(engine, clock, path: Path, **options):
    options = {"apply": False, "actor": ACTOR, "now": clock.now()} | options
    with session(engine) as db:
        return import_path(db, path, **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@SQLITE_ONLY
def test_a_dry_run_previews_documents_commitments_meetings_and_owners_and_changes_nothing(engine, clock, document):
    before = _snapshot(engine)
    result = do_import(engine, clock, document)
    assert not result.applied and result.dry_run
    shown = result.render()
    assert "dry run: nothing was changed" in shown
    assert "Documents: 1 added" in shown and "+ test-statement-2026: Joint Test Statement" in shown
    assert "Commitments: 3 added" in shown and "+ 2026-T2: Conclude a Test Agreement" in shown
    assert "Meetings: 1 added" in shown and "Departments: 1 added" in shown
    assert "Owners: 9 added" in shown
    assert _snapshot(engine) == before  # not a row, not the revision


@SQLITE_ONLY
def test_apply_once_audits_it_answers_lookups_and_a_second_import_changes_nothing(engine, clock, ports, document):
    result = do_import(engine, clock, document, apply=True)
    assert result.applied
    with session(engine) as db:
        entries = db.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
        t3 = db.exec(select(Commitment).where(Commitment.key == "2026-T3")).one()
        t3_owners = {o.ref for o in db.exec(select(Owner).where(Owner.commitment_id == t3.id))}
    audited = {(e.target_type, e.target_key) for e in entries}
    assert audited >= {("commitment", "2026-T1"), ("mechanism", "test-dialogue"), ("document", "test-statement-2026")}
    assert all(e.note == f"imported from {document} by {ACTOR}" and e.actor_ref == ACTOR for e in entries)
    assert t3_owners == {"global-affairs-canada", "rcmp"}
    shown = render_text(answer("show 2026-T2", ports=ports, requester=ADMIN))
    assert "conclude a Test Agreement on information sharing" in shown and "2026 Test Statement" in shown
    assert "2026-T1" in render_text(answer("test dialogue", ports=ports, requester=ADMIN))

    after_first = _snapshot(engine)
    again = do_import(engine, clock, document, apply=True)
    assert again.changes == [] and "nothing to change" in again.render()
    assert _snapshot(engine) == after_first  # idempotent: not even the revision moved

    with session(engine) as db:  # and a seed load (a new release, a restart) keeps what was imported
        load_seeds(db)
    assert "2026-T2" in render_text(answer("show 2026-T2", ports=ports, requester=ADMIN))


@SQLITE_ONLY
def test_a_changed_file_shows_what_changes_and_what_goes(engine, clock, document):
    do_import(engine, clock, document, apply=True)
    edit(document, "owners: [global-affairs-canada, rcmp]", "owners: [global-affairs-canada, public-safety-canada]")
    edit(document, "title: Canada offers a maritime law enforcement workshop", "title: Canada offers a workshop")
    text = document.read_text()
    document.write_text(text[: text.index("  - id: 2026-T2")] + text[text.index("  - id: 2026-T3") :])
    result = do_import(engine, clock, document)
    shown = result.render()
    assert "Commitments: 1 changed, 1 removed" in shown
    assert "- 2026-T2" in shown
    assert "owners: + Public Safety Canada; - Royal Canadian Mounted Police" in shown
    assert "title: Canada offers a maritime law enforcement workshop → Canada offers a workshop" in shown
    applied = do_import(engine, clock, document, apply=True)
    assert applied.applied
    with session(engine) as db:
        assert db.exec(select(Commitment).where(Commitment.key == "2026-T2")).first() is None


def test_an_import_over_a_chat_edit_is_refused_unless_asked_for(engine, clock, ports, document):
    """On SQLite and PostgreSQL: the audit trail says which fields people changed in chat."""
    admin_ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    do_import(engine, clock, document, apply=True)
    answer("assign 2026-T3 Public Safety Canada", ports=admin_ports, requester=ADMIN)
    answer("status 2026-T2 in progress talks began", ports=admin_ports, requester=ADMIN)

    # The same file again: it states owners for 2026-T3 that chat changed since.
    before = _snapshot(engine)
    refused = do_import(engine, clock, document, apply=True)
    assert not refused.applied and refused.refused
    assert [(c.key, c.field, c.by) for c in refused.conflicts] == [("2026-T3", "owners", ADMIN.user_ref)]
    shown = refused.render()
    assert "NOT imported" in shown and "! 2026-T3 owners: set by slack:UADMIN" in shown
    assert "--overwrite-chat-edits" in shown
    assert _snapshot(engine) == before
    # A status set in chat is not something the file states: it is neither a conflict nor overwritten.

    applied = do_import(engine, clock, document, apply=True, overwrite_chat_edits=True)
    assert applied.applied
    with session(engine) as db:
        t3 = db.exec(select(Commitment).where(Commitment.key == "2026-T3")).one()
        t2 = db.exec(select(Commitment).where(Commitment.key == "2026-T2")).one()
        assert {o.ref for o in db.exec(select(Owner).where(Owner.commitment_id == t3.id))} == {
            "global-affairs-canada", "rcmp"}  # fmt: skip
    assert t2.status == "in_progress"
    # Once imported over, the chat edit is settled: the next import is no longer refused.
    assert do_import(engine, clock, document, apply=True).changes == []


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  place: Ottawa\n", "  place: [Ottawa\n", "line 11, column 12: not valid YAML"),
        ("    kind: deadline\n", "    kind: someday\n", "commitments[1].kind: Input should be"),
        ("  place: Ottawa\n", "  place: Ottawa\n  signed_by: nobody\n", "line 10, document.signed_by: unknown key"),
        ("    areas: [legal-cooperation]", "    areas: [legal-cooperaton]",
         "line 48, commitments[1].areas[0]: unknown area 'legal-cooperaton'"),
        ("owners: [global-affairs-canada, rcmp]", "owners: [global-affairs-canada, mounties]",
         "commitments[2].owners[1]: unknown department 'mounties'"),
        ("the end of 2027.", "the close of 2027.", "commitments[1].text (2026-T2): not found word for word"),
        ('  date: "2026-03-02"', '  date: "March 2026"', "line 7, document.date: not an EDTF date"),
        ("  - id: 2026-T3", "  - id: 2002-A4",
         "commitments[2].id: 2002-A4 is a commitment of proposals-2002; a new one needs an id of its own"),
    ],
)  # fmt: skip
def test_a_bad_file_says_where_and_writes_nothing(engine, clock, document, old, new, expected):
    edit(document, old, new)
    before = _snapshot(engine)
    with pytest.raises(ImportFileError) as raised:
        do_import(engine, clock, document, apply=True)
    assert expected in str(raised.value), str(raised.value)
    assert _snapshot(engine) == before


@SQLITE_ONLY
def test_the_command_previews_by_default_and_explains_a_bad_file_without_a_traceback(
    database_url, monkeypatch, capsys, document
):
    for name in [k for k in os.environ if k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["import", str(document)]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "--apply" in out
    assert main(["import", str(document), "--apply"]) == 0
    assert "Imported" in capsys.readouterr().out
    assert main(["import", str(document), "--apply"]) == 0
    assert "nothing to change" in capsys.readouterr().out

    edit(document, "  place: Ottawa\n", "  place: [Ottawa\n")
    assert main(["import", str(document), "--apply"]) == 1
    captured = capsys.readouterr()
    assert "nothing imported" in captured.err and "line 11" in captured.err
    assert "Traceback" not in captured.err + captured.out


@SQLITE_ONLY
def test_a_meeting_date_fixed_in_chat_is_kept_when_a_file_adds_another(engine, clock, ports, document):
    admin_ports = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    do_import(engine, clock, document, apply=True)
    answer("schedule test dialogue 12 Mar 2027 in Tokyo host Japan", ports=admin_ports, requester=ADMIN)
    edit(document, "    cadences:\n", "    occurrences:\n      - date: \"2026-03-02\"\n        place: Ottawa\n"
                                      "        commitment: 2026-T1\n    cadences:\n")  # fmt: skip
    result = do_import(engine, clock, document, apply=True)
    assert result.applied and result.conflicts == []
    occurrences = next(c for c in result.changes if c.key == "test-dialogue").after["occurrences"]
    assert occurrences == ["2026-03-02 Ottawa", "2027-03-12 Tokyo host JP"]
