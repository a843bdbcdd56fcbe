"""The curated agenda: verbatim, complete where it can be checked, consistent."""

from __future__ import annotations

import re

import pytest

from seeds.catalogue import SOURCES_DIR, normalise_source, read_agenda, verbatim_problems
from seeds.schema import CommitmentSeed, Kind, is_dated_target


@pytest.fixture(scope="module")
def agenda():
    return read_agenda()


def test_every_seeded_text_is_verbatim_in_its_source(agenda):
    assert verbatim_problems(agenda) == []


def test_every_source_document_is_seeded(agenda):
    seeded_files = {d.source_file for d in agenda.catalogue.documents}
    assert seeded_files == {p.name for p in SOURCES_DIR.glob("*.txt")}
    documents_with_commitments = {document for document, _ in agenda.commitments}
    assert documents_with_commitments == {d.key for d in agenda.catalogue.documents}


def test_every_bullet_of_the_bullet_documents_is_a_commitment(agenda):
    """1999 and 2002 are bullet lists: each bullet must be seeded (all or part of it)."""
    for document in agenda.catalogue.documents:
        source = (SOURCES_DIR / document.source_file).read_text(encoding="utf-8")
        bullets = [normalise_source(b) for b in re.findall(r"^[-•]\s+(.+)$", source, flags=re.M)]
        if not bullets:
            continue
        texts = [normalise_source(c.text) for d, c in agenda.commitments if d == document.key]
        missing = [b[:60] for b in bullets if not any(t in b or b.startswith(t[:40]) for t in texts)]
        assert missing == [], f"{document.key}: bullets with no commitment"


def test_ids_follow_the_convention_and_are_unique(agenda):
    ids = [c.id for _, c in agenda.commitments]
    assert len(ids) == len(set(ids))
    years = {d.key: d.date[:4] for d in agenda.catalogue.documents}
    assert all(c.id.startswith(years[d]) for d, c in agenda.commitments)


@pytest.mark.parametrize("alias", ["CT", "DPRK", "SALW", "PKO", "NACD", "HADR", "MLAT", "ARF", "WMD", "CBRN"])
def test_the_acronyms_people_type_are_aliases(agenda, alias):
    aliases = {a.casefold() for area in agenda.catalogue.areas for a in [area.name, *area.aliases]}
    assert alias.casefold() in aliases


def test_related_links_are_symmetric_and_cross_documents(agenda):
    by_id = {c.id: (d, c) for d, c in agenda.commitments}
    for document, c in agenda.commitments:
        for other in c.related:
            other_document, other_commitment = by_id[other]
            assert other_document != document, f"{c.id} → {other} is in the same document"
            assert c.id in other_commitment.related, f"{c.id} → {other} is not returned"


def test_the_symposium_cadence_changed_in_2005_and_both_are_kept(agenda):
    symposium = next(m for m in agenda.catalogue.mechanisms if m.key == "peace-security-symposium")
    stated = sorted((c.effective[:4], c.rrule) for c in symposium.cadences)
    assert stated == [("1999", "FREQ=YEARLY;INTERVAL=2"), ("2005", "FREQ=YEARLY")]
    assert symposium.alternates_host
    hosts = [(o.date[:4], o.host) for o in symposium.occurrences]
    assert ("1998", "CA") in hosts and ("2000", "JP") in hosts


def test_the_mlat_is_a_deadline_at_the_end_of_2003(agenda):
    mlat = next(c for _, c in agenda.commitments if "Mutual Legal Assistance" in c.text)
    assert mlat.kind == Kind.deadline
    assert mlat.due == "../2003-12-31"


def test_the_un_reform_target_is_a_deadline_like_the_mlat(agenda):
    """Issue 12 item 19: results at the September 2005 Summit are a dated target, not the Summit itself."""
    target = next(c for _, c in agenda.commitments if c.id == "2005-F1")
    assert target.kind == Kind.deadline and target.due == "2005-09"


def test_every_dated_target_in_the_seeds_is_a_deadline(agenda):
    for _, c in agenda.commitments:
        if c.due and is_dated_target(c.title, c.dates_stated):
            assert c.kind == Kind.deadline, c.id


@pytest.mark.parametrize(
    ("title", "kind", "due"),
    [
        ("Work for reform by the September 2005 Summit", "one_time_event", "2005-09"),
        ("Conclude a treaty by end-2003", "ongoing_cooperation", "../2003-12-31"),
        ("Conclude a treaty", "deadline", None),
    ],
)
def test_the_schema_refuses_a_dated_target_that_is_not_a_deadline(title, kind, due):
    from pydantic import ValidationError

    seed = {"id": "2005-F9", "title": title, "section": "F", "text": "t", "areas": ["un-reform"], "kind": kind}
    with pytest.raises(ValidationError, match="deadline"):
        CommitmentSeed.model_validate(seed | ({"due": due} if due else {}))


def test_documents_without_a_year_say_how_it_was_inferred(agenda):
    for document in agenda.catalogue.documents:
        if "?" in document.date:
            assert len(document.date_note) > 40, document.key
