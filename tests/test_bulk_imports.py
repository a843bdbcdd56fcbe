"""Round trips (issue 17 item 2): an export imports back unchanged; a spreadsheet of statuses,
stages, owners and due dates imports as a bulk update with the same preview, strictly."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from handlers import answer
from handlers.domain.ports import Requester
from models.db import session
from models.revision import agenda_changed
from models.tables import Commitment, Owner
from seeds.import_file import ImportFileError
from seeds.imports import import_path
from tests.test_loader import _snapshot

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    for name in [k for k in os.environ if k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def admin(ports):
    return dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))


def do_import(engine, clock, path: Path, **options):
    options = {"apply": False, "actor": "cli:coordinator", "now": clock.now()} | options
    with session(engine) as db:
        return import_path(db, path, **options)


def chat_changes(admin) -> None:
    for words in ("assign 2002-A4 <@slack:UMARIA> Public Safety Canada", "status 2005-C1 stalled no reply",
                  "status 2002-A4 signed on 24 May 2010", "sensitivity 2005-A1 restricted"):  # fmt: skip
        answer(words, ports=admin, requester=ADMIN)


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def row_of(rows: list[dict], key: str) -> dict:
    return next(r for r in rows if r["id"] == key)


@SQLITE_ONLY  # the round trip is the file's; chat-edit conflicts run on both databases
def test_an_export_in_json_imports_back_unchanged_and_an_edit_in_it_changes_that_field(
    cli, engine, clock, admin, tmp_path
):
    chat_changes(admin)  # people, a stage, a restricted item: all must come back as they are
    exported = tmp_path / "agenda.json"
    assert cli("export", "--format", "json", "-o", str(exported))[0] == 0
    before = _snapshot(engine)
    assert do_import(engine, clock, exported).changes == []
    result = do_import(engine, clock, exported, apply=True)
    assert result.changes == [] and not result.applied
    assert _snapshot(engine) == before  # unchanged: not a row, not the revision

    document = json.loads(exported.read_text())
    item = next(c for c in document["commitments"] if c["id"] == "2002-A1")
    item["title"] = "Collaborate on the G8 counter-terrorism report"
    item["status"] = "in_progress"
    exported.write_text(json.dumps(document))
    result = do_import(engine, clock, exported, apply=True)
    assert [(c.key, c.fields) for c in result.changes] == [("2002-A1", ["status", "title"])]
    with session(engine) as db:
        row = db.exec(select(Commitment).where(Commitment.key == "2002-A1")).one()
    assert (row.title, row.status, row.content_origin, row.status_origin) == (
        "Collaborate on the G8 counter-terrorism report", "in_progress", "import", "import")  # fmt: skip


@SQLITE_ONLY
def test_a_spreadsheet_updates_statuses_stages_owners_and_due_dates_with_a_preview(cli, engine, clock, tmp_path):
    exported = tmp_path / "agenda.csv"
    assert cli("export", "--format", "csv", "-o", str(exported))[0] == 0
    assert do_import(engine, clock, exported).changes == []  # as exported: nothing to change

    rows = read_csv(exported)
    row_of(rows, "2002-A4").update(status="in progress", stage="signed", stage_date="2010-05-24",
                                   owners="justice-canada; Ministry of Justice of Japan; <@slack:UMARIA>")  # fmt: skip
    row_of(rows, "2005-C1").update(status="stalled")
    row_of(rows, "1999-1").update(due="2027-10")
    write_csv(exported, rows)

    before = _snapshot(engine)
    preview = do_import(engine, clock, exported)
    shown = preview.render()
    assert [c.key for c in preview.changes] == ["1999-1", "2002-A4", "2005-C1"]
    assert "due: — → 2027-10" in shown and "stage: + signed 2010-05-24" in shown
    assert "status: unknown → in_progress" in shown and "+ <@slack:UMARIA>" in shown
    assert _snapshot(engine) == before

    code, out, _ = cli("import", str(exported), "--apply")
    assert code == 0 and "Imported" in out
    with session(engine) as db:
        a4 = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        owners = {o.ref for o in db.exec(select(Owner).where(Owner.commitment_id == a4.id))}
    assert owners == {"justice-canada", "moj-japan", "slack:UMARIA"} and a4.status == "in_progress"
    assert do_import(engine, clock, exported).changes == []  # applied once: the same file is a no-op
    again = tmp_path / "again.csv"
    cli("export", "--format", "csv", "-o", str(again))
    assert row_of(read_csv(again), "2002-A4")["stage_date"] == "2010-05-24"
    assert row_of(read_csv(again), "1999-1")["due"] == "2027-10"


@SQLITE_ONLY
def test_a_spreadsheet_is_checked_row_by_row_and_nothing_is_written_when_one_is_wrong(cli, engine, clock, tmp_path):
    exported = tmp_path / "agenda.csv"
    cli("export", "--format", "csv", "-o", str(exported))
    rows = read_csv(exported)
    row_of(rows, "2005-C1").update(status="finished")
    row_of(rows, "2002-A1").update(title="Another title")
    row_of(rows, "2002-A2").update(owners="Global Affairs Canada; Ministry of Magic")
    row_of(rows, "2002-A4").update(due="soon")
    row_of(rows, "2002-A3").update(status="done")  # a good row among bad ones: not written either
    row_of(rows, "1999-1").update(id="1999-99")
    write_csv(exported, rows)
    before = _snapshot(engine)
    with pytest.raises(ImportFileError) as raised:
        do_import(engine, clock, exported, apply=True)
    problems = raised.value.problems
    assert len(problems) == 5, problems
    assert any("(2005-C1): status 'finished' is none of" in p for p in problems)
    assert any("(2002-A1): title cannot be changed from a spreadsheet" in p for p in problems)
    assert any("(2002-A2): owner 'Ministry of Magic' is no known department" in p for p in problems)
    assert any("(2002-A4): due 'soon' is not an EDTF date" in p for p in problems)
    assert any("unknown id '1999-99'" in p for p in problems)
    assert all(p.startswith("line ") for p in problems)
    assert _snapshot(engine) == before

    code, out, err = cli("import", str(exported), "--apply")
    assert code == 1 and "nothing imported, 5 problems" in err and "Traceback" not in err + out


@SQLITE_ONLY
def test_an_unknown_column_is_refused(engine, clock, tmp_path):
    path = tmp_path / "update.csv"
    path.write_text("id,status,owner\n2002-A4,done,DND\n")
    with pytest.raises(ImportFileError, match="line 1: unknown column 'owner'"):
        do_import(engine, clock, path)


@SQLITE_ONLY
def test_cells_a_spreadsheet_would_run_are_exported_quoted_and_import_back_as_they_were(cli, engine, clock, tmp_path):
    with session(engine) as db:
        agenda_changed(db)
        row = db.exec(select(Commitment).where(Commitment.key == "2002-A1")).one()
        row.title = '=HYPERLINK("http://example.com","click")'
        row.content_origin = "bot"  # as `/agenda edit` would: the seed loader leaves it
        db.add(row)
        db.commit()
    exported = tmp_path / "agenda.csv"
    cli("export", "--format", "csv", "-o", str(exported))
    assert row_of(read_csv(exported), "2002-A1")["title"] == "'" + '=HYPERLINK("http://example.com","click")'
    assert do_import(engine, clock, exported).changes == []  # the ' is the export's, not a change


def test_a_spreadsheet_over_a_status_set_in_chat_is_refused_unless_asked_for(cli, engine, clock, admin, tmp_path):
    exported = tmp_path / "agenda.csv"
    cli("export", "--format", "csv", "-o", str(exported))
    answer("status 2005-C1 stalled no reply", ports=admin, requester=ADMIN)  # after the export
    rows = read_csv(exported)
    row_of(rows, "2005-C1").update(status="in_progress")
    write_csv(exported, rows)
    refused = do_import(engine, clock, exported, apply=True)
    assert [(c.key, c.field) for c in refused.conflicts] == [("2005-C1", "status")] and not refused.applied
    # The row still says "unknown" for everything else, which is what it is: only 2005-C1 changes.
    applied = do_import(engine, clock, exported, apply=True, overwrite_chat_edits=True)
    assert applied.applied and [c.key for c in applied.changes] == ["2005-C1"]


@SQLITE_ONLY
def test_an_export_carries_the_french_and_japanese_titles_and_official_texts_and_its_json_imports_them(
    cli, engine, clock, admin, tmp_path
):
    answer("official 2002-A4 ja 外務省告示 | 刑事共助条約を締結する。", ports=admin, requester=ADMIN)
    exported = tmp_path / "agenda.json"
    assert cli("export", "--format", "json", "-o", str(exported))[0] == 0
    document = json.loads(exported.read_text())
    item = row_of(document["commitments"], "2002-A4")
    assert item["title_fr"].startswith("Conclure un traité d'entraide juridique") and item["title_ja"]
    assert (item["official_ja"], item["official_ja_source"]) == ("刑事共助条約を締結する。", "外務省告示")
    assert item["official_fr"] == item["official_fr_source"] == ""
    assert do_import(engine, clock, exported).changes == []  # as exported: nothing to change

    csv_path = tmp_path / "agenda.csv"
    assert cli("export", "--format", "csv", "-o", str(csv_path))[0] == 0
    rows = read_csv(csv_path)
    assert row_of(rows, "2002-A4")["official_ja"] == "刑事共助条約を締結する。"
    row_of(rows, "2002-A4")["title_fr"] = "Un autre titre"  # a spreadsheet changes no text: refused, said why
    write_csv(csv_path, rows)
    with pytest.raises(ImportFileError, match="title_fr cannot be changed from a spreadsheet"):
        do_import(engine, clock, csv_path)

    item["title_fr"] = "Conclure le traité d'entraide judiciaire (titre revu)"
    row_of(document["commitments"], "2002-A1").update(official_fr="Texte officiel d'essai.", official_fr_source="")
    exported.write_text(json.dumps(document))
    with pytest.raises(ImportFileError, match="source"):  # an official text without its source is refused
        do_import(engine, clock, exported)
    row_of(document["commitments"], "2002-A1")["official_fr_source"] = "Recueil d'essai"
    exported.write_text(json.dumps(document))
    result = do_import(engine, clock, exported, apply=True)  # previewed, applied and audited as any field
    changed = sorted((c.key, c.fields) for c in result.changes)
    assert changed == [("2002-A1", ["official_fr"]), ("2002-A4", ["title_fr"])]
    assert result.applied
    french = Requester(user_ref="slack:UFR", locale="fr-CA")
    assert answer("show 2002-A4", ports=admin, requester=french).sections[0].items[0].title.endswith("(titre revu)")
    assert answer("show 2002-A1", ports=admin, requester=french).sections[0].items[0].text == "Texte officiel d'essai."
