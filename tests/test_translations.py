"""Names and titles in the reader's language, the agreed text labelled, official texts (issue 15, item 6).

The team's French and Japanese names of areas, departments, meetings and documents and titles of
commitments (seeds/agenda, the `translation` table) are shown to French and Japanese readers, a
title marked as the team's translation; the agreed text stays the one quoted, labelled as the agreed
text in English; an official French or Japanese text is shown only when a coordinator (or the seeds)
attached it, marked official with its source, the English beside it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from handlers import answer
from handlers.domain import audience
from handlers.domain.ports import Requester
from handlers.domain.timeline import Timeline
from handlers.views import i18n
from handlers.views.reply import Reply, Section, Tone, Visibility
from handlers.views.text import render_text
from models.db import session
from models.tables import AuditEntry, Translation
from tests.test_handlers import ids

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])

FRENCH = Requester(user_ref="teams:aad-marie", locale="fr-CA")
JAPANESE = Requester(user_ref="teams:aad-kenji", locale="ja-JP")
ENGLISH = Requester(user_ref="slack:U0TEST")
COORDINATOR = Requester(user_ref="slack:UCOORD", channel_ref="slack:C0TEST")
MEMBER_FR = Requester(user_ref="teams:aad-claire", locale="fr-CA")

TITLE_FR = "Conclure un traité d'entraide juridique en matière pénale d'ici la fin de 2003"
TITLE_JA = "2003年末までに刑事共助条約（MLAT）を締結する"
AGREED = "Negotiate and conclude a Treaty on Mutual Legal Assistance in Criminal Matters (MLAT)"
OFFICIAL = "Négocier et conclure un traité d’entraide judiciaire en matière pénale (texte d’essai)."
SOURCE = "Recueil d’essai, 2026"


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({COORDINATOR.user_ref}))


def slack_and_teams(reply: Reply) -> str:
    from bot.slack.render import render as slack
    from bot.teams.render import card_json
    from bot.teams.render import render as teams

    with i18n.speaking(reply.language):
        cards = [card_json(card) for card in teams(reply).cards]
        return json.dumps(slack(reply).blocks, ensure_ascii=False) + json.dumps(cards, ensure_ascii=False)


def test_french_and_japanese_readers_get_the_team_s_names_and_titles_marked_and_the_agreed_text_labelled(agenda):
    shown = answer("show 2002-A4", ports=agenda, requester=FRENCH)
    assert shown.title == f"2002-A4\u00a0: {TITLE_FR}"
    text = render_text(shown)
    assert AGREED in text  # the agreed text, as written
    assert "Texte convenu (anglais) · titre traduit par l’équipe" in text  # on the item's source line
    assert "Propositions de collaboration de 2002" in text and "Entraide juridique et application de la loi" in text
    assert "Ministère de la Justice Canada" in text and "Department of Justice Canada" not in text
    platforms = slack_and_teams(shown)  # the same marks in Slack's blocks and Teams' cards
    assert "titre traduit par l’équipe" in platforms and "Texte convenu (anglais)" in platforms

    listed = answer("counter-terrorism", ports=agenda, requester=JAPANESE)
    assert listed.title.startswith("テロ対策")
    text = render_text(listed)
    assert "合意文（英語） · タイトルは事務局訳" in text and "2005年アジェンダ" in text and "外務省" in text
    assert "合意文（英語）" in slack_and_teams(listed)

    english = render_text(answer("show 2002-A4", ports=agenda, requester=ENGLISH))
    assert "Conclude a Mutual Legal Assistance Treaty (MLAT) by end-2003" in english
    assert "translated" not in english and "Agreed text (English)" not in english

    areas = render_text(answer("areas", ports=agenda, requester=FRENCH))
    assert "Lutte contre le terrorisme" in areas and "Counter-terrorism" not in areas
    meeting = answer("meeting symposium", ports=agenda, requester=JAPANESE)
    assert meeting.title == "日加平和・安全保障シンポジウム"


def test_the_french_and_japanese_names_are_found_as_typed(agenda):
    """A department's official name, an area's or a document's in French or Japanese finds what it names."""
    gac = answer("Affaires mondiales Canada", ports=agenda, requester=FRENCH)
    assert "Affaires mondiales Canada" in gac.title and gac.item_count
    mofa = answer("外務省", ports=agenda, requester=JAPANESE)
    assert "外務省" in mofa.title and mofa.item_count
    area = answer("Consolidation de la paix et reconstruction après les conflits", ports=agenda, requester=FRENCH)
    assert area.title.startswith("Consolidation de la paix") and area.item_count
    same = answer("平和構築・紛争後の復興", ports=agenda, requester=JAPANESE)
    assert same.item_count == area.item_count
    # and in English too: the name is the area's, whatever the reader's language
    assert answer("Lutte contre le terrorisme", ports=agenda, requester=ENGLISH).title.startswith("Counter-terrorism")


def test_an_official_text_is_attached_by_a_coordinator_shown_marked_to_its_readers_only_and_audited(agenda, engine):
    refused = answer(f"official 2002-A4 fr {SOURCE} | {OFFICIAL}", ports=agenda, requester=MEMBER_FR)
    assert refused.tone == Tone.notice and refused.title.startswith("Seuls les coordonnateurs")
    with session(engine) as db:
        assert not db.exec(select(Translation).where(Translation.attribute == "text")).all()
    usage = answer("official 2002-A4 fr", ports=agenda, requester=COORDINATOR)
    assert usage.tone == Tone.error and "`/agenda official <id> fr|ja remove`" in render_text(usage)
    assert answer("official 2002-A4 en x | y", ports=agenda, requester=COORDINATOR).tone == Tone.error

    done = answer(f"official 2002-A4 fr {SOURCE} | {OFFICIAL}", ports=agenda, requester=COORDINATOR)
    assert done.title == "The official French text of 2002-A4 is attached.", done.title
    french = answer("show 2002-A4", ports=agenda, requester=FRENCH)  # a new revision: no stale answer
    item = french.sections[0].items[0]
    assert item.text == OFFICIAL
    assert f"Texte officiel en français (source\u00a0: {SOURCE})" in str(item.citation)
    assert any(f.label == "Texte convenu (anglais)" and f.value.startswith(AGREED) for f in item.facts)
    listed = answer("MLAT", ports=agenda, requester=FRENCH).sections[0].items[0]
    assert listed.text == OFFICIAL and "`/agenda voir 2002-A4`" in str(listed.citation)  # the English: `voir`
    # Its words find it, in any reader's language, from the next revision on ("d'essai" is in no other text)
    assert ids(answer("texte d'essai", ports=agenda, requester=ENGLISH), 0) == ["2002-A4"]
    for other in (JAPANESE, ENGLISH):  # an official French text is not shown as theirs to other readers ...
        shown = answer("show 2002-A4", ports=agenda, requester=other).sections[0].items[0]
        assert shown.text.startswith(AGREED) and OFFICIAL not in str(shown.citation)
        # ... who are told it exists, in their language, with its words and source, in the full view only
        told = [f for f in shown.facts if f.value == OFFICIAL]
        assert len(told) == 1 and SOURCE in told[0].label, shown.facts
        assert OFFICIAL not in render_text(answer("MLAT", ports=agenda, requester=other))
    assert "Official French text (source: " in render_text(answer("show 2002-A4", ports=agenda, requester=ENGLISH))
    assert "フランス語" in render_text(answer("show 2002-A4", ports=agenda, requester=JAPANESE))
    assert OFFICIAL in slack_and_teams(answer("show 2002-A4", ports=agenda, requester=ENGLISH))  # both platforms
    with session(engine) as db:
        entry = db.exec(select(AuditEntry).where(AuditEntry.action == "official")).one()
        assert entry.target_key == "2002-A4" and entry.actor_ref == COORDINATOR.user_ref
        assert entry.after == {"official (fr)": OFFICIAL, "source (fr)": SOURCE}
    assert "texte officiel" in render_text(answer("history 2002-A4", ports=agenda, requester=FRENCH))

    removed = answer("official 2002-A4 fr remove", ports=agenda, requester=COORDINATOR)
    assert removed.title == "The official French text of 2002-A4 is removed."
    assert OFFICIAL not in render_text(answer("show 2002-A4", ports=agenda, requester=FRENCH))
    again = answer("official 2002-A4 fr remove", ports=agenda, requester=COORDINATOR)
    assert again.tone == Tone.notice
    assert answer("texte d'essai", ports=agenda, requester=FRENCH).tone == Tone.notice  # no longer found


def test_a_restricted_item_s_translated_title_never_reaches_a_channel(agenda, engine):
    assert answer("sensitivity 2002-A4 restricted", ports=agenda, requester=COORDINATOR).tone == Tone.answer
    for who, title in ((FRENCH, TITLE_FR), (JAPANESE, TITLE_JA)):
        shared = render_text(answer("legal-cooperation", ports=agenda, requester=who, audience=Visibility.channel))
        assert title not in shared and "2002-A4" not in shared
        # Nor is it found in a channel by the words of its translated title (the index holds them)
        searched = render_text(answer(title, ports=agenda, requester=who, audience=Visibility.channel))
        assert title not in searched and "2002-A4" not in searched
    # The last check knows the French and Japanese titles as well as the English one.
    reply = Reply(title="Digest", sections=[Section(body=f"• {TITLE_JA}\n• other"), Section(body=TITLE_FR)])
    with session(engine) as db:
        safe = audience.shared_safe(reply, db)
    assert render_text(safe).count("other") == 1 and TITLE_JA not in render_text(safe)
    assert TITLE_FR not in render_text(safe)
    # A Japanese title is found with the particles around it (Japanese does not space its words)
    for line in (f"次の{TITLE_JA}を参照", f"{TITLE_JA}について", f"「{TITLE_JA}」"):
        hidden = Reply(title="Digest", sections=[Section(body=f"{line}\n• other")])
        with session(engine) as db:
            assert line not in render_text(audience.shared_safe(hidden, db)), line


def test_feeds_reminders_digests_and_pages_use_the_reader_s_names(agenda, engine, clock):
    from handlers.pages.calendar.events import Leads, commitment_event
    from handlers.pages.dashboard import Viewer, item_page
    from models import repository
    from scheduling.digest import compose
    from scheduling.reminders import due_items

    assert answer(f"official 2002-A4 fr {SOURCE} | {OFFICIAL}", ports=agenda, requester=COORDINATOR).tone == "answer"
    with session(engine) as db:
        timeline = Timeline.load(db, clock.now().date())
        record = repository.load_commitments(session=db, ids=[repository.get_commitment_id(session=db, key="2002-A4")])
        with i18n.speaking("ja"):
            event = commitment_event(record[0], timeline, Leads(own=None, default=(7,)))
            items = {i.due.ref: i for i in due_items(db, timeline)}
            digest = render_text(compose(db, timeline, areas=[], since=clock.now() - timedelta(days=7),
                                         now=clock.now())[0])  # fmt: skip
        with i18n.speaking("fr"):
            french_event = commitment_event(record[0], timeline, Leads(own=None, default=(7,)))
    assert TITLE_JA in event.summary and "2002-A4" in event.summary
    assert "合意文（英語）" in event.description and OFFICIAL not in event.description
    assert french_event.description.startswith(f"“{OFFICIAL}”") and AGREED in french_event.description
    assert items["2002-A4"].due.title == TITLE_JA and items["peace-security-symposium"].due.title.startswith("日加")
    assert f"2002-A4 {TITLE_JA}" in digest  # its change this week, named in the channel's language
    with i18n.speaking("fr"):
        page = item_page(Viewer(COORDINATOR.user_ref), "2002-A4", ports=agenda)
    assert page.row.title == TITLE_FR and page.official.text == OFFICIAL and page.text.startswith(AGREED)
    assert page.text_label == "Texte convenu (anglais)" and "titre traduit par l’équipe" in page.note


def test_the_seeds_state_translations_strictly_and_a_second_load_changes_nothing(engine):
    from pydantic import ValidationError

    from seeds.catalogue import read_agenda
    from seeds.loader import load_seeds
    from seeds.schema import AreaSeed, CommitmentSeed

    with pytest.raises(ValidationError):
        AreaSeed(key="x", name="X", names={"de": "Iks"})  # French and Japanese only
    with pytest.raises(ValidationError):
        AreaSeed(key="x", name="X", names={"fr": "  "})
    seed = CommitmentSeed(
        id="2030-1", title="T", section="S", text="t", areas=["dialogue"], kind="ongoing_cooperation",
        titles={"fr": "Titre"}, official={"ja": {"text": "本文", "source": "官報"}},
    )  # fmt: skip
    assert seed.official["ja"].source == "官報"
    with pytest.raises(ValidationError):
        CommitmentSeed(**{**seed.model_dump(), "official": {"fr": {"text": "Texte"}}})  # a source is required
    with session(engine) as db:
        assert not load_seeds(db, read_agenda()).changed
        rows = db.exec(select(Translation)).all()
    assert len({(r.key, r.language) for r in rows if r.subject == "commitment"}) == 2 * 107


def test_an_import_carries_titles_and_an_official_text(engine, clock):
    from seeds.catalogue import SeedAgenda
    from seeds.loader import load_fragment
    from seeds.schema import Catalogue, CommitmentSeed

    seed = CommitmentSeed(
        id="2030-1", title="Hold a cyber policy dialogue", section="1. Cyber", text="Hold a cyber policy dialogue.",
        areas=["dialogue"], kind="ongoing_cooperation", titles={"fr": "Tenir un dialogue sur la cyberpolitique"},
        official={"ja": {"text": "サイバー政策対話を開催する。", "source": "外務省ウェブサイト"}},
    )  # fmt: skip
    fragment = SeedAgenda(Catalogue(documents=[], areas=[], departments=[], mechanisms=[]), [("agenda-2005", seed)])
    with session(engine) as db:
        load_fragment(db, fragment)
        db.commit()
        rows = {(t.attribute, t.language): t for t in db.exec(select(Translation).where(Translation.key == "2030-1"))}
    assert rows[("title", "fr")].text == "Tenir un dialogue sur la cyberpolitique"
    assert rows[("text", "ja")].source == "外務省ウェブサイト" and rows[("text", "ja")].origin == "import"


def test_the_migration_goes_down_and_up(engine):
    from alembic import command
    from sqlalchemy import inspect

    from models.db import alembic_config

    config = alembic_config(engine)
    command.downgrade(config, "0026_pending_imports")  # the revision before this one
    assert "translation" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    assert "translation" in inspect(engine).get_table_names()
