"""Held-out phrasings (tests/eval/phrasings.yaml): the ways officials ask, read as the right
question or command, and, where the set says so, answered with the commitments that matter.

The question tests (tests/test_questions.py) hold the table the questions were built from;
this set was written apart from it, as people phrase things in chat, to catch a reading that
only works for the words it was made for."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from handlers import answer
from handlers.commands import parser as commands
from handlers.commands.questions import Question
from handlers.views.reply import Tone
from tests.test_audience import COORD, MEMBER

PHRASINGS = yaml.safe_load((Path(__file__).parent / "eval" / "phrasings.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", PHRASINGS, ids=[e["q"] for e in PHRASINGS])
def test_each_phrasing_is_read_as_what_it_asks(entry):
    parsed = commands.parse(entry["q"])
    if "command" in entry:
        assert type(parsed).__name__ == entry["command"], parsed
        if "words" in entry:
            assert parsed.who == entry["words"], parsed
        return
    assert isinstance(parsed, Question), parsed
    assert parsed.intent == entry["intent"], parsed
    assert parsed.words == entry["words"], parsed
    for field in ("count", "unit", "month", "year", "status", "by_me", "side"):
        if field in entry:
            assert getattr(parsed, field) == entry[field], (field, parsed)
    if "years" in entry:  # a span of years, [first, last], null for an open end
        assert list(parsed.years or ()) == entry["years"], parsed


ANSWERED = [e for e in PHRASINGS if e.get("holds")] + [e for e in PHRASINGS if e.get("intent") in ("within", "month")]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_answers_hold_what_was_asked_about_and_never_nothing_found(ports):
    agenda = dataclasses.replace(ports, admins=frozenset({COORD.user_ref}), page_size=500)
    for entry in ANSWERED:
        reply = answer(entry["q"], ports=agenda, requester=MEMBER)
        shown = {item.id for section in reply.sections for item in section.items}
        assert reply.tone != Tone.error, (entry["q"], reply.title)
        assert not reply.title.startswith(("Nothing found", "Nothing in the agenda on")), (entry["q"], reply.title)
        assert set(entry.get("holds", [])) <= shown, (entry["q"], reply.title, sorted(shown))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_look_ahead_names_its_period_in_the_reader_s_language(ports):
    from handlers.domain.ports import Requester

    said = {}
    for language, words in (("en", "what's coming up in the next 3 months"), ("fr", "dans les 3 prochains mois"),
                            ("ja", "今後3か月の予定")):  # fmt: skip
        reply = answer(words, ports=ports, requester=Requester(user_ref=f"slack:U{language}", locale=language))
        said[language] = reply.summary
    assert said["en"].startswith("From Sun 22 Nov 2026 to Mon 22 Feb 2027."), said["en"]
    assert said["fr"].startswith("Du dim. 22 nov. 2026 au lun. 22 févr. 2027."), said["fr"]
    assert said["ja"].startswith("2026年11月22日(日)から2027年2月22日(月)まで"), said["ja"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_named_month_is_the_next_one_and_a_look_ahead_past_three_years_is_refused_clearly(ports):
    january = answer("any meetings in January?", ports=ports, requester=MEMBER)
    assert "January 2027" in january.title, january.title  # asked in November 2026: the coming January
    november = answer("anything in November?", ports=ports, requester=MEMBER)
    assert "November 2026" in november.title, november.title  # this month still counts
    too_far = answer("what's due in the next 5 years", ports=ports, requester=MEMBER)
    assert too_far.tone == Tone.error and too_far.title == "I look ahead between 1 day and 3 years."


@pytest.mark.parametrize("backend", ["sqlite"])
def test_where_everything_stands_counts_only_what_the_audience_may_see_in_the_reader_s_language(ports):
    from handlers.domain.ports import Requester
    from handlers.views.reply import Visibility

    agenda = dataclasses.replace(ports, admins=frozenset({COORD.user_ref}))
    before = answer("status of everything", ports=agenda, requester=MEMBER, audience=Visibility.channel)
    assert before.title == "Where the agenda stands: 107 commitments, 2 overdue.", before.title
    assert "By status: 107 with no outcome on record." in before.summary, before.summary
    assert "Counter-terrorism (CT): 8 commitments" in before.sections[0].body
    answer("status 2002-A4 done signed in 2008", ports=agenda, requester=COORD)
    answer("sensitivity 2005-A1 restricted", ports=agenda, requester=COORD)
    in_channel = answer("where do things stand", ports=agenda, requester=MEMBER, audience=Visibility.channel)
    # One commitment fewer (the restricted one), and the MLAT no longer overdue now that it is done.
    assert in_channel.title == "Where the agenda stands: 106 commitments, 1 overdue.", in_channel.title
    assert in_channel.summary.startswith("By status: 105 with no outcome on record and 1 done."), in_channel.summary
    assert "Counter-terrorism (CT): 7 commitments" in in_channel.sections[0].body
    privately = answer("where do things stand", ports=agenda, requester=COORD)
    assert privately.title.startswith("Where the agenda stands: 107 commitments"), privately.title
    french = answer("où en sommes-nous", ports=agenda, requester=Requester(user_ref="slack:UFR", locale="fr"))
    assert french.title == "Où en est le programme : 106 engagements, 1 en retard.", french.title
    japanese = answer("全体の状況は", ports=agenda, requester=Requester(user_ref="slack:UJA", locale="ja"))
    assert japanese.title == "アジェンダの現状：全106件、うち期限切れ1件。", japanese.title
    assert "結果の記録なし 105件、完了 1件" in japanese.summary, japanese.summary


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_department_named_alone_in_any_language_answers_with_what_it_owns(ports):
    titles = {words: answer(words, ports=ports, requester=MEMBER).title for words in ("MOFA", "外務省", "MDN", "DND")}
    assert titles["MOFA"] == titles["外務省"] and titles["MOFA"].startswith("Owned by Ministry of Foreign Affairs")
    assert titles["MDN"] == titles["DND"] and titles["DND"].startswith("Owned by Department of National Defence")
    assert answer("counter-terrorism", ports=ports, requester=MEMBER).title.startswith("Counter-terrorism")
    # A department's short name that is also a word of the agreed texts is looked up as the word; what the
    # department owns is one press away (and `owner Justice` as before).
    word = answer("justice", ports=ports, requester=MEMBER)
    assert word.title.startswith("“justice”: "), word.title
    assert [(a.label, a.query) for a in word.actions if a.query.startswith("owner")] == [
        ("Owned by Department of Justice Canada", "owner justice")
    ]
    assert answer("owner Justice", ports=ports, requester=MEMBER).title.startswith("Owned by Department of Justice")
