"""Supersession across documents (issue 17 item 3): a later commitment that carries on, changes
or replaces an earlier one is shown first, with its lineage; the earlier one says it is history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handlers import answer
from handlers.domain.ports import Requester
from handlers.views.text import render_text
from models.db import session
from seeds.catalogue import SeedError, check_references, read_agenda
from seeds.import_file import ImportFileError
from seeds.imports import import_path

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
HERE = Path(__file__).parent / "imports"
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


def ask(ports, words: str) -> str:
    return render_text(answer(words, ports=ports, requester=ADMIN))


def order(text: str, *keys: str) -> list[int]:
    return [text.index(f"\n{key}  ") for key in keys]


@SQLITE_ONLY
def test_the_annual_symposium_of_2005_comes_before_the_biennial_one_of_1999_it_updated(ports):
    listed = ask(ports, "symposium")
    # Newest document first, and within 1999 the document's order (1999-1, then 1999-2), except that
    # 1999-1 is history now: it comes after every current commitment.
    new, other, old = order(listed, "2005-E1", "1999-2", "1999-1")
    assert new < other < old
    assert "Updates: 1999-1 (no longer current)" in listed
    assert "Updated by: 2005-E1: that one is current; this one is its history" in listed
    assert "Updated by: 2005-E1" in ask(ports, "show 1999-1")


@SQLITE_ONLY
def test_an_imported_document_can_supersede_an_earlier_commitment(engine, clock, ports, tmp_path):
    for name in ("test-statement.yaml", "test-statement.txt"):
        shutil.copy(HERE / name, tmp_path / name)
    path = tmp_path / "test-statement.yaml"
    text, due = path.read_text(), '    due: "../2027-12-31"\n'
    path.write_text(text.replace(due, due + "    supersedes: [2002-A4]\n"))
    with session(engine) as db:
        preview = import_path(db, path, apply=False, actor="cli:curator", now=clock.now())
    assert "lineage" in preview.render()
    with session(engine) as db:
        assert import_path(db, path, apply=True, actor="cli:curator", now=clock.now()).applied
    assert "Superseded by: 2026-T2: that one is current" in ask(ports, "show 2002-A4")
    assert "Supersedes: 2002-A4 (no longer current)" in ask(ports, "show 2026-T2")

    path.write_text(text.replace(due, due + "    updates: [2002-Z9]\n"))
    unknown = r"commitments\[1\].updates\[0\]: unknown commitment"
    with session(engine) as db, pytest.raises(ImportFileError, match=unknown):
        import_path(db, path, apply=False, actor="cli:curator", now=clock.now())


def test_the_seeds_name_only_commitments_that_exist_as_earlier_ones():
    agenda = read_agenda()
    broken = [(d, c.model_copy(update={"supersedes": ["1999-99"]}) if c.id == "2005-E1" else c)
              for d, c in agenda.commitments]  # fmt: skip
    with pytest.raises(SeedError, match="commitment 2005-E1: unknown earlier id 1999-99"):
        check_references(type(agenda)(catalogue=agenda.catalogue, commitments=broken))
