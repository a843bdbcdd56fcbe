"""What words name (handlers/domain/index.py, handlers/commands/lookup.py): folding, Japanese, strict
matching, ranking, filters, honest absence, and the audience rule on every list."""

from __future__ import annotations

import pytest

from handlers.domain.index import SubjectIndex, fold, query_tokens, tokens
from handlers.views.reply import Tone
from handlers.views.text import render_text
from models.search import IndexedDocument, IndexedItem
from tests.test_audience import CHANNEL, COORD, MEMBER, ask, everything_in
from tests.test_audience import agenda as agenda  # noqa: F401 (a fixture)
from tests.test_handlers import ids

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def _item(n: int, title: str, text: str = "", year: int = 2020) -> IndexedItem:
    return IndexedItem(n, f"{year}-{n}", title, text, "", "", year, year, n, (), None)


@pytest.fixture
def index() -> SubjectIndex:
    items = [
        _item(1, "Core funding for lectures"),
        _item(2, "Cooperation in Kosovo and East Timor"),
        _item(3, "平和維持活動の協力", "平和構築と人間の安全保障"),
        _item(4, "Landmine victims", "assistance to landmine victims", year=2021),
    ]
    return SubjectIndex(items, [IndexedDocument(2020, "d", "A document", "2020 Paper", 2020)])


def test_folding_ignores_case_width_and_accents_but_keeps_japanese_marks(backend):
    assert fold("Corée du NORD") == "coree du nord"
    assert fold("ＤＰＲＫ") == "dprk"
    assert fold("ｼﾝﾎﾟｼﾞｳﾑ") == "シンポジウム"  # half-width katakana, voicing marks kept
    assert query_tokens("テロ対策について") == ["テロ", "ロ対", "対策"]  # the particle is dropped


def test_japanese_two_character_words_are_found(backend, index):
    assert index.search("平和") == [3]  # a trigram index would miss it
    assert index.search("人間の安全保障") == [3]
    assert index.search("平和 地雷") == []  # every word must be there


def test_strict_words_and_prefixes_only_for_unknown_words(backend, index):
    assert index.search("Kosov") == [2]  # not a word of the texts: a prefix of Kosovo
    assert index.search("core") == [1]
    assert index.search("Corée") == []  # "coree" is no prefix of "core", nor the other way round
    assert index.search("Kosovo landmine") == []  # no "any word will do"
    assert index.search("landmines") == [4] and tokens("countries") == ["country"]


def test_the_nearest_items_share_the_rarest_word_and_are_at_most_two(backend, index):
    assert index.nearest("landmine cyber") == [4]
    assert index.nearest("frobnication") == []


@pytest.mark.parametrize(
    ("words", "first", "only"),
    [
        ("SHIRBRIG", None, {"2002-B4a", "2002-B4b"}),
        ("CTBT", None, {"2002-C3", "1999-18"}),
        ("export controls", "2005-D1c", {"2005-D1c", "2002-A2", "2002-A3"}),
        ("Afghanistan 2005", None, {"2005-C1", "2005-C2"}),
        ("Corée du Nord", None, {"2021-1", "2005-G1", "2005-G2", "2005-G3", "2005-G4"}),
        ("拉致問題", None, {"2005-G3", "2005-G4"}),
    ],
)
def test_a_name_gives_what_names_it_best_first(agenda, backend, words, first, only):
    reply = ask(agenda, MEMBER, words)
    found = ids(reply, 0)
    assert set(found) == only, found
    if first:
        assert found[0] == first


@pytest.mark.parametrize(
    "words", ["ctbt", "CTBT", "包括的核実験禁止条約", "traité d'interdiction complète des essais nucléaires"]
)
def test_a_named_thing_is_headed_by_its_name_as_the_texts_write_it(agenda, backend, words):
    reply = ask(agenda, MEMBER, words)  # not the folded "ctbt" a translation or a lower-case typing gives
    assert reply.title.startswith("CTBT (Non-proliferation"), reply.title


def test_a_year_or_a_document_name_lists_the_document(agenda, backend):
    for words in ("2021", "Indo-Pacific", "インド太平洋"):
        reply = ask(agenda, MEMBER, words)
        assert reply.title.startswith("2021 Indo-Pacific priorities: 8 commitments"), (words, reply.title)


def test_nothing_about_the_words_is_said_plainly_with_at_most_two_nearest_items(agenda, backend):
    reply = ask(agenda, MEMBER, "women peace and security")
    assert reply.tone == Tone.notice and reply.title == "Nothing found for “women peace and security”"
    assert "Nothing in the agenda is about" in reply.summary
    assert reply.sections[0].heading == "Nearest, not a match" and ids(reply) == ["2021-7"]
    for words in ("South China Sea", "cyber security", "OTAN", "南シナ海"):
        reply = ask(agenda, MEMBER, words)
        assert reply.tone == Tone.notice and len(ids(reply)) <= 2, (words, ids(reply))


def test_a_restricted_item_is_never_named_nor_offered_as_nearest_to_who_may_not_see_it(agenda, backend):
    ask(agenda, COORD, "sensitivity 2002-B4a restricted")  # the SHIRBRIG items
    ask(agenda, COORD, "sensitivity 2002-B4b restricted")
    title = "Invite Japan to take part in SHIRBRIG"
    for words in ("SHIRBRIG", "SHIRBRIG cyber drills"):  # found, and nearest to a miss
        for who, where in [(MEMBER, None), (MEMBER, CHANNEL), (COORD, CHANNEL)]:
            reply = ask(agenda, who, words, where) if where else ask(agenda, who, words)
            shown = everything_in(reply)
            assert "2002-B4" not in shown and title not in shown, (words, who, where)
        assert "2002-B4a" in ids(ask(agenda, COORD, words))  # a coordinator, privately, sees it
    assert "Nearest, not a match" in render_text(ask(agenda, COORD, "SHIRBRIG cyber drills"))
