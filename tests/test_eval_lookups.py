"""The labelled lookup set (tests/eval/lookups.yaml): recall, precision and honest absence.

Each query goes through find_subject, the step both `/agenda <words>` and the
questions use. Figures are printed (run with -s to see them) and must stay at or
above the targets below, set from what was measured when the set was written
(see the README's lookup section): a change that makes answers worse fails here.

- recall: of the ids a query expects, the share its answer holds (mean over queries);
- precision: of the ids an answer holds, the share that are expected or allowed
  (mean over queries that hold any);
- absence: of the queries about what the agenda does not hold, the share answered
  "nothing", with at most two nearest items.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from handlers.commands.lookup import find_subject
from handlers.domain.context import Context
from models.db import session
from models.tables import Commitment
from seeds.catalogue import read_agenda

EVAL = Path(__file__).parent / "eval" / "lookups.yaml"
RECALL_TARGET = 0.97
PRECISION_TARGET = 0.95
ABSENCE_TARGET = 1.0
LANGUAGES_AT_LEAST = 20  # queries in each language (the set has 60 and more)


def _expand(entry: dict, agenda) -> set[str]:
    expect = set(entry.get("expect", []))
    if "area" in entry:
        expect |= {c.id for _, c in agenda.commitments if entry["area"] in c.areas}
    if "mechanism" in entry:
        expect |= {c.id for _, c in agenda.commitments if c.mechanism == entry["mechanism"]}
    if "year" in entry:
        years = {d.key for d in agenda.catalogue.documents if d.date.startswith(str(entry["year"]))}
        expect |= {c.id for document, c in agenda.commitments if document in years}
    return expect


def labelled() -> list[dict]:
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))


def test_the_set_is_labelled_from_the_seeds_and_speaks_three_languages():
    agenda = read_agenda()
    known = {c.id for _, c in agenda.commitments}
    entries = labelled()
    assert len(entries) >= 60
    for entry in entries:
        expect = _expand(entry, agenda)
        assert bool(expect) != bool(entry.get("nothing")), entry  # either ids or nothing, not both
        assert (expect | set(entry.get("allow", []))) <= known, entry
    japanese = [e for e in entries if any("\u3040" <= ch <= "\u9fff" for ch in e["q"])]
    french = [e for e in entries if any(ch in "éèêàçôûîœ" for ch in e["q"].lower()) or e["q"] in _FRENCH_PLAIN]
    assert len(japanese) >= LANGUAGES_AT_LEAST and len(french) >= LANGUAGES_AT_LEAST - 5


_FRENCH_PLAIN = {"colloque", "AIEA", "TICE", "entraide judiciaire", "Afghanistan en 2005", "vaccins", "OTAN",
                 "maintien de la paix", "lutte contre le terrorisme", "armes légères", "mines terrestres",
                 "Cour pénale internationale", "enlèvements", "consolidation de la paix", "Proche-Orient"}  # fmt: skip


def test_lookups_meet_their_recall_precision_and_absence_targets(engine, ports, requester, backend):
    agenda = read_agenda()
    recalls, precisions, absences, misses = [], [], [], []
    with session(engine) as db:
        keys = dict(db.exec(__import__("sqlmodel").select(Commitment.id, Commitment.key)).all())
        ctx = Context(db, ports, requester)
        for entry in labelled():
            subject = find_subject(entry["q"], ctx)
            got = [keys[i] for i in subject.ids]
            if entry.get("nothing"):
                honest = not got and len(subject.nearest) <= 2
                absences.append(honest)
                if not honest:
                    misses.append(f"{entry['q']}: expected nothing, got {got}")
                continue
            expect = _expand(entry, agenda)
            fine = expect | set(entry.get("allow", []))
            recalls.append(len(expect & set(got)) / len(expect))
            if got:
                precisions.append(len(fine & set(got)) / len(got))
            if not expect <= set(got) or not set(got) <= fine:
                misses.append(f"{entry['q']}: missing {sorted(expect - set(got))}, extra {sorted(set(got) - fine)}")
    recall, precision = sum(recalls) / len(recalls), sum(precisions) / len(precisions)
    absence = sum(absences) / len(absences)
    print(f"\n[{backend}] {len(recalls) + len(absences)} lookups: recall {recall:.3f}, precision {precision:.3f}, "
          f"absence {absence:.3f}")  # fmt: skip
    print("\n".join(f"  {m}" for m in misses))
    assert recall >= RECALL_TARGET and precision >= PRECISION_TARGET and absence >= ABSENCE_TARGET, misses
