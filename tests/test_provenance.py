"""Provenance of facts (issue 17 item 4): every owner, status and date says where it comes
from — the agreed text, the curator's inference ("assumed"), a chat change (who, when), an
import — on `show` and in the exports; and seeded owners the texts contradict are corrected."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os

import pytest

from bot.cli import main
from handlers import answer
from handlers.domain.ports import Requester
from handlers.views.text import render_text
from models.db import session
from seeds.catalogue import read_agenda
from seeds.imports import import_path

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


def show(ports, key: str) -> str:
    return render_text(answer(f"show {key}", ports=ports, requester=ADMIN))


def line(text: str, label: str) -> str:
    return next(x for x in text.splitlines() if x.strip().startswith(label))


@SQLITE_ONLY
def test_seeded_owners_are_named_by_the_text_or_marked_assumed(ports):
    # 1999-22: "members of the Canadian Department of National Defence and the Japan Defense Agency".
    owners = line(show(ports, "1999-22"), "Owners from:")
    assert "Department of National Defence: named in the agreed text" in owners
    assert "Ministry of Defense of Japan: named in the agreed text" in owners  # as its alias, the JDA
    # 2002-A1 names G8 "Justice and Interior Ministers", not Canada's Department of Justice.
    owners = line(show(ports, "2002-A1"), "Owners from:")
    assert "Department of Justice Canada: assumed (the curator's inference" in owners
    assert "named" not in owners
    shown = show(ports, "2002-A4")
    assert line(shown, "Status from:").endswith("no outcome on record: the agreed texts give none")
    assert line(shown, "Date from:").endswith("the agreed text: “by the end of 2003”")


@SQLITE_ONLY
def test_a_chat_change_says_who_and_when(ports):
    admin = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    answer("assign 2002-A4 <@slack:UMARIA>", ports=admin, requester=ADMIN)
    answer("status 2002-A4 signed on 24 May 2010", ports=admin, requester=ADMIN)
    shown = show(ports, "2002-A4")
    assert "@UMARIA: set by @UADMIN in chat on 22 Nov 2026" in line(shown, "Owners from:")
    assert "Department of Justice Canada: assumed" in line(shown, "Owners from:")  # the seeded ones stay so
    assert line(shown, "Status from:").endswith("set by @UADMIN in chat on 22 Nov 2026")


@SQLITE_ONLY
def test_an_import_says_which_file_and_the_exports_carry_every_source(database_url, engine, clock, monkeypatch,
                                                                      capsys, tmp_path, ports):  # fmt: skip
    for name in [k for k in os.environ if k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    update = tmp_path / "update.csv"
    update.write_text("id,status,due\n2005-C1,stalled,\n1999-1,,2027-10\n")
    with session(engine) as db:
        assert import_path(db, update, apply=True, actor="cli:curator", now=clock.now()).applied
    shown = show(ports, "2005-C1")
    assert line(shown, "Status from:").endswith(f"imported from {update.name} by cli:curator on 22 Nov 2026")
    dated = line(show(ports, "1999-1"), "Date from:")
    assert dated.endswith(f"imported from {update.name} by cli:curator on 22 Nov 2026")

    assert main(["export", "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    rows = {r["id"]: r for r in json.loads((tmp_path / "a.json").read_text())["commitments"]}
    assert rows["2005-C1"]["status_source"].startswith("imported from")
    assert "Department of National Defence: named in the agreed text" in rows["1999-22"]["owners_source"]
    assert rows["2002-A4"]["due_source"] == "the agreed text: “by the end of 2003”"
    assert main(["export", "--format", "csv", "-o", str(tmp_path / "a.csv")]) == 0
    csv_rows = {r["id"]: r for r in csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text()))}
    assert csv_rows["2002-A1"]["owners_source"].count("assumed") == len(rows["2002-A1"]["owners"])
    capsys.readouterr()


def test_offers_and_positions_of_one_government_have_its_owners_only():
    """What the texts say one side does (Canada invites, briefs, offers, supports) is that side's."""
    agenda = read_agenda()
    country = {d.key: d.country for d in agenda.catalogue.departments}
    owners = {c.id: {country[o] for o in c.owners} for _, c in agenda.commitments}
    assert owners["2002-B4a"] == owners["2002-B4b"] == {"CA"}  # "Invite Japan … during the Canadian presidency"
    assert owners["2002-B9a"] == owners["2002-B9b"] == {"CA"}  # "Provide a briefer … Offer to integrate …"
    assert owners["2002-E2b"] == {"CA"}  # "Enlist the support of Japan for Canada's follow-up efforts"
    assert owners["2005-G3"] == {"CA"}  # "The Government of Canada also supports efforts by the Japanese side …"


@SQLITE_ONLY
def test_the_digest_says_what_an_import_changed_and_which_file_it_came_from(engine, clock, tmp_path):
    from pathlib import Path

    from tests.test_digest import digest_text, section

    here = Path(__file__).parent / "imports"
    update = tmp_path / "update.csv"
    update.write_text("id,status\n2005-C1,stalled\n")
    with session(engine) as db:
        import_path(db, here / "test-statement.yaml", apply=True, actor="cli:curator", now=clock.now())
    with session(engine) as db:
        import_path(db, update, apply=True, actor="cli:curator", now=clock.now())
    changed = section(digest_text(engine, clock), "Changes this week").splitlines()
    assert ("• 2005-C1 Enhance policy dialogue on Afghanistan, the MEPP and human security: status unknown → "
            f"stalled, by cli:curator (imported from {update.name})") in changed  # fmt: skip
    assert ("• 2026-T2 Conclude a Test Agreement on information sharing by the end of 2027: added, by cli:curator "
            "(imported from test-statement.yaml)") in changed  # fmt: skip
