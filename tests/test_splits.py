"""Split what was merged (issue 17 item 5): records that merged separate undertakings become
one commitment each, their old ids still answer with what they became, and what people set in
chat on a merged record reaches its parts when a database seeded before the split reloads the
seeds. Preambles are framing statements lookups cite; sub-steps and done/total (item 6)."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Ports, Requester
from handlers.views.text import render_text
from models.db import make_engine, migrate, session
from models.tables import Commitment, CommitmentSplit, Owner, Sensitivity, Status
from scheduling.clock import FixedClock
from seeds.catalogue import SeedAgenda, read_agenda
from seeds.loader import load_seeds
from seeds.schema import CommitmentSeed
from tests.conftest import TODAY, ports_for

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:C0TEST")
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])


def said(ports: Ports, text: str, requester: Requester = ADMIN) -> str:
    return render_text(answer(text, ports=ports, requester=requester))


def as_before_the_split(agenda: SeedAgenda) -> SeedAgenda:
    """The agenda as seeded before: each split's parts merged back into one record under the old id."""
    commitments, merged = [], {}
    parts = {key: split for _d, split in agenda.splits for key in split.into}
    for document, c in agenda.commitments:
        split = parts.get(c.id)
        if split is None:
            commitments.append((document, c))
        elif split.id not in merged:
            members = [p for _d, p in agenda.commitments if p.id in split.into]
            merged[split.id] = CommitmentSeed(
                id=split.id, title=f"{c.title} (merged)", section=c.section, kind=c.kind,
                text=" ".join(p.text for p in members),
                areas=list(dict.fromkeys(a for p in members for a in p.areas)),
                owners=list(dict.fromkeys(o for p in members for o in p.owners)),
            )  # fmt: skip
            commitments.append((document, merged[split.id]))
    return dataclasses.replace(agenda, commitments=commitments, splits=[])


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_database_seeded_before_the_split_gets_it_and_keeps_what_chat_set(empty_database_url):
    engine, clock = make_engine(empty_database_url), FixedClock(TODAY)
    migrate(engine)
    with session(engine) as db:
        load_seeds(db, as_before_the_split(read_agenda()), clock=clock)
    ports = ports_for(engine, clock, admins=frozenset({ADMIN.user_ref}))
    said(ports, "status 2002-B9 in progress briefer offered in May")
    said(ports, "assign 2002-B9 <@slack:UMARIA>")
    said(ports, "sensitivity 2002-E2 restricted")
    with session(engine) as db:
        report = load_seeds(db, clock=clock)
        assert report.changed
        keys = set(db.exec(select(Commitment.key)))
        parts = {c.key: c for c in db.exec(select(Commitment).where(Commitment.key.in_(["2002-B9a", "2002-B9b"])))}
        owners = {c: {o.ref for o in db.exec(select(Owner).where(Owner.commitment_id == parts[c].id))} for c in parts}
        e2 = db.exec(select(Commitment.sensitivity).where(Commitment.key.in_(["2002-E2a", "2002-E2b"]))).all()
        split = db.exec(select(CommitmentSplit).where(CommitmentSplit.key == "2002-B9")).one()
        assert not load_seeds(db, clock=clock).changed  # the split is made once
    assert "2002-B9" not in keys and "2005-D1" not in keys and {"2005-D1a", "2005-D1e"} <= keys
    assert {c.status for c in parts.values()} == {Status.in_progress}
    assert all("slack:UMARIA" in refs and "rcmp" in refs for refs in owners.values()), owners
    assert set(e2) == {Sensitivity.restricted}  # a restricted record's parts stay restricted
    assert [c["field"] for c in split.carried] == ["status", "owners"]

    shown = said(ports, "show 2002-B9")  # the old id answers, with what it became and what was carried
    assert "“2002-B9” was split into 2002-B9a, 2002-B9b" in shown
    assert "Status “in progress” (@UADMIN" in shown and "carried to 2002-B9a, 2002-B9b" in shown
    refused = said(ports, "status 2002-B9 done")  # a change to the old id changes nothing, and says why
    assert "was split into 2002-B9a, 2002-B9b" in refused
    part = said(ports, "show 2002-B9a")
    assert "Split from: 2002-B9, with 2002-B9b" in part
    assert "Status from: set in chat on 2002-B9, carried over when it was split" in part
    hidden = said(ports, "show 2002-E2", Requester(user_ref="slack:UMEMBER", channel_ref="slack:C1"))
    assert "was split" not in hidden and "2002-E2a" not in hidden  # restricted parts: a member sees none
    engine.dispose()


@SQLITE_ONLY
def test_the_five_tracks_of_2005_are_five_commitments_and_the_old_id_answers_everywhere(ports, engine, tmp_path):
    shown = said(ports, "show 2005-D1")
    assert "“2005-D1” was split into 2005-D1a, 2005-D1b, 2005-D1c, 2005-D1d, 2005-D1e" in shown
    assert "will continue to work together to strengthen international non-proliferation" in shown  # the lead-in
    assert "was split into" in said(ports, "2005-D1")  # a lookup on the id
    admin = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    assert "was split into" in said(admin, "assign 2005-D1 <@slack:UMARIA>")
    # A question about the old id answers about its parts, and says so.
    for question in ("status of 2005-D1", "who owns 2005-D1", "what's happening with 2005-D1?"):
        first = said(ports, question).splitlines()[0]
        assert first.startswith("2005-D1 (split into 2005-D1a, 2005-D1b, 2005-D1c, 2005-D1d, 2005-D1e): 5 commitments")
    ids = {line.split(" ")[0] for line in said(ports, "IAEA").splitlines()}
    assert "2005-D1b" in str(ids) and "2005-D1a" not in str(ids)
    d1b = said(ports, "show 2005-D1b")
    assert "“support for the activities of the International Atomic Energy Agency”" in d1b
    # A spreadsheet row for the retired id names its parts.
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("id,status\n2005-D1,done\n", encoding="utf-8")
    from seeds.imports import import_path

    with session(engine) as db, pytest.raises(Exception, match="2005-D1 was split into 2005-D1a"):
        import_path(db, sheet, actor="cli", apply=False, now=TODAY)


@SQLITE_ONLY
def test_preambles_are_cited_as_framing_statements_not_commitments(ports):
    for words in ("what is the purpose of the 2005 agenda", "2005 préambule", "2005年の目的"):
        reply = said(ports, words)
        assert "Preamble of the 2005 Agenda" in reply or "2005 Agenda" in reply, (words, reply)
        assert "reaffirmed their commitment to continued joint efforts" in reply, words
    reply = said(ports, "most promising areas of bilateral cooperation")
    assert "Preamble of the 1999 Action Agenda: a framing statement, not a commitment" in reply
    assert "Preamble" not in said(ports, "MLAT")


@SQLITE_ONLY
def test_sub_steps_count_and_areas_show_done_over_total(ports, database_url, monkeypatch, tmp_path):
    shown = said(ports, "show 2002-C6")
    assert "Progress: 0 of 2 steps done" in shown and "○ Jointly evaluate the outcome of the Manila seminar" in shown
    said(dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref})), "status 2005-D1e done")
    areas = said(ports, "areas")
    small_arms = next(line for line in areas.splitlines() if line.startswith("Small arms"))
    assert "1/" in small_arms and " done" in small_arms, small_arms
    from bot.cli import main  # the JSON export carries the steps

    for name in [k for k in os.environ if k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["export", "--format", "json", "-o", str(tmp_path / "a.json")]) == 0
    exported = json.loads((tmp_path / "a.json").read_text())
    assert {"id": "2002-B9", "into": ["2002-B9a", "2002-B9b"], "lead_in": None} in exported["splits"]
    rows = exported["commitments"]
    assert next(r for r in rows if r["id"] == "2002-C6")["steps"] == [
        {"text": "Jointly evaluate the outcome of the Manila seminar", "done": None},
        {"text": "Agree on means to support concrete initiatives deriving from its recommendations", "done": None},
    ]


@SQLITE_ONLY
def test_a_restricted_part_is_never_named_in_a_channel_by_its_old_id_or_its_sister_parts(ports):
    from handlers.views.reply import Visibility

    admin = dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))
    said(admin, "sensitivity 2005-D1a restricted")
    member = Requester(user_ref="slack:UMEMBER", channel_ref="slack:C0TEST")
    for words in ("show 2005-D1b", "show 2005-D1", "2005-D1", "status of 2005-D1", "who owns 2005-D1"):
        shown = render_text(answer(words, ports=admin, requester=member, audience=Visibility.channel))
        assert "2005-D1b" in shown and "2005-D1a" not in shown, (words, shown)
    assert "2005-D1a" in said(admin, "show 2005-D1b")  # the admin, privately, sees every part
