"""No English reaches a French or Japanese reader (issue 15): a pseudo-locale run, and the platforms'
limits in the two longer languages.

The pseudo catalogue is built here from what `pybabel extract` finds in the code: every message's
translation is the English with each Latin letter accented and the whole bracketed
(``"Status: {status}"`` → ``"⟦Šťáťúš: {status}⟧"``), placeholders, `code` (the commands people type)
and links kept as they are. It stands in for Japanese, whose dates (Babel, CLDR) have no Latin letter,
and a broad table (every registry command's examples, questions, a reminder, a digest, the Home tab,
the forms, refusals and errors) is answered and rendered for Slack (Block Kit), Teams (Adaptive Cards)
and as text. Every human-readable string of the rendered messages is then read: with the agenda's own
words taken out (its names, titles and agreed texts, which are never translated), the pseudo letters,
the commands, ids, mentions, links, timezones and the languages' own names, no Latin word may remain.
A word that remains is a sentence the team wrote that did not go through the catalogue.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from datetime import UTC, datetime, timedelta
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlmodel import select

from handlers import answer
from handlers.domain.ports import Requester
from handlers.views import i18n
from handlers.views.reply import Reply
from handlers.views.text import render_text
from models.db import session
from models.platforms import Conversation
from models.tables import (
    Area,
    AuditEntry,
    Cadence,
    Commitment,
    Department,
    Document,
    Mechanism,
    Occurrence,
    Owner,
    Person,
    Translation,
)
from tests.catalogues import extract_messages

ROOT = Path(__file__).resolve().parent.parent
LOWER, UPPER = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PSEUDO_LOWER, PSEUDO_UPPER = "áƀçďéƒĝĥíĵķĺɱñóƥʠŕšťúʋŵẋýž", "ÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓƤɊŔŠŤÚṼŴẊÝŽ"
ACCENT = str.maketrans(LOWER + UPPER, PSEUDO_LOWER + PSEUDO_UPPER)
PSEUDO = set(PSEUDO_LOWER + PSEUDO_UPPER + "⟦⟧")
# Kept as written in a pseudo translation: {placeholders}, `commands`, <links and mentions>, URLs.
KEPT = re.compile(r"\{[^{}]*\}|`[^`]*`|<[@#!][^<>]*>|<https?:[^<>]*>|https?://\S+")
# A placeholder of a command's syntax, `<id or meeting>`, `[<note>]`, `<@person>`: a translator translates it (the
# words around it, `status`, `in progress`, `on`, are what the parser reads, and stay). Not a mention (<@U123>,
# <@slack:U1>, <#C1|name>, <!here>) nor a link.
PLACEHOLDER = re.compile(r"<@?(?![A-Z0-9])[^<>|:!#@]+>")

# What may stay in Latin letters in a French or Japanese answer, besides the agenda's own words.
ALLOWED = [
    re.compile(r"`[^`]*`"),  # a command to type, in any language: `/agenda show 2002-A4`
    # a command, unquoted (Teams and text show no code; a hint after a parse error quotes none): its words, the
    # command's own in the reader's language (`/agenda ステータス …`)
    # (its placeholders, `<id or meeting>`, are read for English first: `leaks`)
    re.compile(
        r'/agenda(?: +(?:[A-Za-z0-9@\u3040-\u30ff\u4e00-\u9fff][\w.-]*(?:\|[\w-]+)*|"?<[^<>]*>"?'
        r"|\[(?:[^\[\]<>]|<[^<>]*>)*\]|\||…)){0,12}"
    ),
    re.compile(r"https?://\S+"),  # links
    EMOJI := re.compile(r":[a-z_]+:"),  # Slack emoji codes
    re.compile(r"<[@#!][^<>]*>|@(?:slack|teams|cli):[\w.-]+|@U[A-Z0-9]+\b"),  # mentions, Slack's and ours
    re.compile(r"\b(?:slack|teams|cli):[\w.-]+"),  # a person's ref shown to a coordinator
    re.compile(r"\b\d{4}-[A-Z]\d*\w*|\b\d{4}-\d+\b"),  # commitment ids: 2002-A4, 1999-1
    re.compile(r"\b[A-Z][a-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?\b"),  # IANA zones: Asia/Tokyo
    re.compile(r"\((?:en|fr|ja)\)|\b(?:en|fr|ja)\|(?:en|fr|ja)(?:\|(?:en|fr|ja))?\b"),  # language codes
    re.compile(r"\bEnglish\b|\bfrançais\b"),  # the languages' own names
    re.compile(r"\b(?:Slack|Microsoft Teams|Teams|Outlook|Google Calendar|iCalendar|UTC)\b"),  # product names
    re.compile(r"\.(?:agenda|briefing|delegation|record)\b"),  # a milestone's id after its meeting's
    re.compile(r"\b(?:CA|JP|ON)\b"),  # country and province codes  # the two countries' codes, as the record has them
]


def pseudo(message: str) -> str:
    """English → ⟦Éñĝĺíšĥ⟧, keeping what a translator keeps."""
    out, last = [], 0
    for kept in KEPT.finditer(message):
        out.append(message[last : kept.start()].translate(ACCENT))
        code = kept.group(0)
        if code.startswith("`"):  # a command's syntax: its placeholders are translated, its words kept
            code = PLACEHOLDER.sub(lambda placeholder: placeholder.group(0).translate(ACCENT), code)
        out.append(code)
        last = kept.end()
    out.append(message[last:].translate(ACCENT))
    return "⟦" + "".join(out) + "⟧"


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory) -> GNUTranslations:
    template = extract_messages(tmp_path_factory.mktemp("pot"))
    catalog = Catalog(locale="ja", domain="messages")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # Japanese has one plural form
            catalog.add(message.id, (pseudo(message.id[1]),))
        else:
            catalog.add(message.id, pseudo(message.id))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)


@pytest.fixture
def pseudo_japanese(monkeypatch, pseudo_catalogue):
    """The pseudo catalogue installed as Japanese, for this test only."""
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda language: pseudo_catalogue if language == "ja" else real(language))


# -- what a reader reads ----------------------------------------------------------------------

HUMAN_KEYS = {"text", "title", "label", "placeholder", "alt_text", "altText", "fallbackText", "errorMessage", "summary"}


def readable(payload) -> list[str]:
    """Every string a person reads in a Block Kit or Adaptive Card payload (not ids, values or styles)."""
    found: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("data", "value", "private_metadata"):  # what a button or form sends back
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in HUMAN_KEYS:
            found.append(node)

    walk(payload)
    return found


def agenda_words(engine) -> list[str]:
    """The agenda's own words, never translated: names, titles, agreed texts, places, organisations."""
    import holidays

    words: set[str] = set()
    with session(engine) as db:
        for row in db.exec(select(Commitment)):
            words |= {row.title, row.text, row.section, row.status_note, row.source_note, *row.organisation_list}
            words |= {*row.dates_stated, row.due_edtf or ""}
        for row in db.exec(select(Cadence)):
            words |= {row.stated, row.rrule}
        for table in (Area, Department, Mechanism):
            for row in db.exec(select(table)):
                words |= {row.name, *row.aliases, getattr(row, "key", "")}
        for row in db.exec(select(Owner)):
            words.add(row.display_name)
        for row in db.exec(select(Document)):
            words |= {row.title, row.short_title, row.place or "", *row.aliases, row.date_note or ""}
        for row in db.exec(select(Occurrence)):  # a record's note, as the bot wrote it then, and a reason as typed
            words |= {row.place or "", *re.split(r"<@[^<>]*>", row.note), row.reason}
        for row in db.exec(select(Translation)):  # the team's French and Japanese names, official texts as published
            words |= {row.text, row.source}
        for row in db.exec(select(AuditEntry)):  # a note or an outcome as typed, recorded in the history
            words |= {str(v) for v in (row.before.get("status_note"), row.after.get("status_note"), row.note) if v}
            words |= {str(v) for k, v in (*row.before.items(), *row.after.items()) if k.startswith("outcome") and v}
    for year in (2026, 2027, 2028):
        words |= set(holidays.country_holidays("CA", subdiv="ON", years=year).values())
        words |= set(holidays.country_holidays("JP", years=year).values())
    return sorted((w for w in words if w and len(w) > 1), key=len, reverse=True)


def leaks(fragments: list[str], data: list[str]) -> set[str]:
    """The Latin words left in ``fragments`` once pseudo text, data and allowed tokens are taken out.

    What a reply quotes as code in Slack (`link 1234-5678`) is the same in Teams and text, unquoted:
    it counts as data there too."""
    found: set[str] = set()
    code = {span.strip("`") for fragment in fragments for span in ALLOWED[0].findall(html.unescape(fragment))}
    data = sorted({*data, *(c for c in code if len(c) > 1)}, key=len, reverse=True)
    data = [" ".join(word.split()) for word in data]
    for fragment in fragments:
        for placeholder in PLACEHOLDER.findall(html.unescape(fragment)):  # `<id or meeting>`, quoted or not
            if words := re.findall(r"[A-Za-z][A-Za-z']+", placeholder):
                found.add(f"placeholder {' '.join(words)!r} in {fragment[:160]!r}")
        text = html.unescape(fragment).replace("\n>", "\n")
        text = ALLOWED[1].sub(" ", ALLOWED[0].sub(" ", text))  # commands (one line each), before their words are data
        text = EMOJI.sub(" ", text)  # ":page_facing_up:" before a data word ("up") takes part of it
        text = " ".join(text.split())  # then as one line: a wrapped agreed text is found whole
        for word in data:
            if word in text:  # a whole name, not part of a word (nor the command's /agenda)
                text = re.sub(rf"(?<![A-Za-z/]){re.escape(word)}(?![A-Za-z])", " ", text)
        text = re.sub(r"[A-Za-z ,.'-]+…\*?$", "…", text)  # a name clipped to fit: its start alone is no sentence
        for pattern in ALLOWED[1:]:
            text = pattern.sub(" ", text)
        text = "".join(" " if c in PSEUDO else c for c in text)
        words = re.findall(r"[A-Za-z][A-Za-z']+", text)
        if words:
            found.add(f"{' '.join(words)[:120]!r} in {fragment[:160]!r}")
    return found


def rendered(reply: Reply) -> tuple[list[str], list[str]]:
    """A reply as Slack, Teams and the terminal show it, and the agenda's own words it quotes."""
    from bot.slack.render import render as slack
    from bot.teams.render import card_json
    from bot.teams.render import render as teams

    quoted = [s for section in reply.sections for i in section.items for s in _quoted(i)]
    with i18n.speaking("ja"):  # (a front end renders in its own language: the reply's words are the reply's)
        fragments = [render_text(reply)]
        message = slack(reply)
        fragments += [message.text, *readable(message.blocks)]
        fragments += readable(slack(reply, shared_by="U0SHARER").blocks)
        for card in teams(reply).cards:
            fragments += readable(card_json(card))
        if reply.form is not None:
            from bot.slack.modals import form_view
            from bot.teams.dialogs import form_card

            fragments += readable(form_view(reply.form, channel=None))
            fragments += readable(card_json(form_card(reply.form, command="add", values={}, errors={})))
    return fragments, quoted


def _quoted(item) -> list[str]:
    """An item's agreed text as quoted (perhaps trimmed), its title and source: the agenda's words."""
    words = [item.title, item.id]
    if item.quoted:
        words.append(item.text)
    if item.citation:
        words += [item.citation.document, item.citation.section]
    return words


# Still English: nothing a command answers. (Entries would be a command the asker typed, or a planned message's key.)
# The help is checked too: its commands' placeholders (`<id or meeting>`) are translated, their words are the parser's.
STILL_ENGLISH: tuple[str, ...] = ()

MARIE_JA = Requester(user_ref="slack:UKENJI", locale="ja-JP", timezone="Asia/Tokyo")
ADMIN_JA = Requester(user_ref="slack:UADMIN", locale="ja-JP", timezone="America/Toronto", channel_ref="slack:D0ADMIN")
CHANNEL_JA = dataclasses.replace(ADMIN_JA, channel_ref="slack:CLEADS", conversation=Conversation.channel)

QUESTIONS = (
    "who owns the symposium",
    "when is the next pol-mil",
    "when was the last symposium",
    "what is the status of counter-terrorism",
    "what did we agree on afghanistan in 2005",
    "what is overdue",
    "what is coming up this month",
    "what happened next year",
    "which documents",
    "what changed since 1 november",
    "is there anything on mlat",
    "who hosts the next symposium",
    "what did we agree on nothing-at-all",
    "show 2099-Z9",
    "gibberish words here",
    "edit 2002-A4 status bogus",
    "schedule nonsense",
    # the parser's refusals, with the asker's words in them (and a date's)
    "status 2002-A4 bogus",
    "link 123",
    "schedule symposium 03/04/2027",
    "held pol-mil 31 Feb 2027",
    "next eleventy days",
    "slot tomorrow 90",
    "assign",
    "dashboard bogus",
    "assign 2002-A4 Ministry of Nowhere",
    "schedule nowhere-talks 2027",
    "status 2005-C1 signed",
    # questions added later: the meetings, recent changes, one's own list, a meeting's record, whom to contact
    "list all meetings",
    "what's new",
    "what changed this week",
    "my commitments",
    "has the symposium been held this year",
    "who do I contact about the MLAT",
    "what is 2002-A4",
    "what changed since 03/04",
    "what changed since the dawn of time",
    "status 2002-A4 done",
    "assign nowhere-at-all DND",
    "status 2002-A4 signed on 1 Jan 2099",
    "role <@slack:UADMIN> member",
)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_no_english_reaches_a_reader_in_another_language(engine, ports, pseudo_japanese):
    from bot.delivery import policy_from
    from bot.slack.home import home_view
    from handlers.commands import registry
    from handlers.domain.timeline import Timeline
    from handlers.pages.home import home
    from handlers.views.reply import reply_from_data
    from models import repository
    from scheduling.digest import due_digests
    from scheduling.reminders import planned_messages
    from tests.conftest import settings_for

    ports = dataclasses.replace(ports, admins=frozenset({ADMIN_JA.user_ref}))
    with session(engine) as db:
        db.add(Person(user_ref=MARIE_JA.user_ref, timezone="Asia/Tokyo", language="ja"))
        db.add(Person(user_ref=ADMIN_JA.user_ref, timezone="America/Toronto", language="ja"))
        db.commit()
    fragments: dict[str, tuple[list[str], list[str]]] = {}

    asked: dict[str, tuple[Reply, str]] = {}

    def ask(text: str, requester: Requester) -> Reply:
        reply = answer(text, ports=ports, requester=requester)
        asked[f"{requester.user_ref} {text}"] = (reply, text)
        return reply

    ask("digest subscribe on monday at 09:00 Asia/Tokyo ja", CHANNEL_JA)
    # (`language …` would change the asker's language for the rest: its answer is in the language chosen)
    examples = [e for spec in registry.table() if spec.name != "language" for e in spec.examples]  # 言語 英語 too
    for text in [*examples, *QUESTIONS, "help", "aide", "ヘルプ"]:
        ask(text, ADMIN_JA)
    for text in ("help", "show 2002-A4", "edit 2002-A4 status done", "assign symposium <@slack:UX>", "audit"):
        ask(text, MARIE_JA)  # a member: refusals too
    for text in ("show 2002-A4", "symposium", "areas", "digest subscribe nowhere-area", "digest subscribe Mars/Etc"):
        ask(text, CHANNEL_JA)

    for who in (MARIE_JA, ADMIN_JA):
        view = home(ports, who)
        fragments[f"home {who.user_ref}"] = (readable(home_view(view).to_dict()), [])

    start = datetime(2027, 9, 10, tzinfo=UTC)  # a month before the symposium its examples fix: its reminders are due
    policy = dataclasses.replace(policy_from(settings_for()), horizon=timedelta(days=40))
    answer(f"assign symposium <@{MARIE_JA.user_ref}>", ports=ports, requester=ADMIN_JA)
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), start.date(), ports.capitals)
        for planned in planned_messages(db, timeline, policy, start):
            if planned.target == MARIE_JA.user_ref:  # (the others read English)
                fragments[planned.key] = rendered(reply_from_data(planned.body))
        now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
        timeline = Timeline(repository.load_mechanisms(session=db), now.date(), ports.capitals)
        digests = list(due_digests(db, timeline, now, timedelta(hours=2)))
        assert digests
        for planned in digests:
            fragments[planned.key] = rendered(reply_from_data(planned.body))

    for where, (reply, text) in asked.items():
        fragments[where] = rendered(reply)
        fragments[where][1].extend([text, *text.split()])  # the asker's own words, shown back
    data = agenda_words(engine)  # (after the commands: the places and owners they recorded count too)
    found = {
        f"{where}: {leak}"
        for where, (texts, quoted) in fragments.items()
        if not where.partition(" ")[2].startswith(STILL_ENGLISH) and not where.startswith(STILL_ENGLISH)
        and where.partition(" ")[2] != ""  # a bare `/agenda`: the help
        for leak in leaks(texts, [*data, *quoted])
    }
    assert not found, f"{len(found)} English words reach a Japanese reader:\n" + "\n".join(sorted(found))
    assert i18n.current() == "en"


# -- the platforms' limits in the longer languages ------------------------------------------------

SLACK_BLOCKS, SLACK_VIEW_BLOCKS, SLACK_TEXT, SLACK_HEADER, SLACK_BUTTON = 50, 100, 3000, 150, 75
TEAMS_MESSAGE = 80_000  # bytes as UTF-16: what Teams advises (it refuses over 100 KB)


def within_slack(blocks: list[dict], *, most: int = SLACK_BLOCKS) -> None:
    assert 1 <= len(blocks) <= most
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= SLACK_HEADER
        for text in [block.get("text")] + block.get("elements", []):
            if isinstance(text, dict) and isinstance(text.get("text"), str):
                assert len(text["text"]) <= SLACK_TEXT
            if isinstance(text, dict) and text.get("type") == "button":
                assert len(text["text"]["text"]) <= SLACK_BUTTON


def within_teams(cards) -> None:
    from bot.teams.render import TEXT_LIMIT, card_json

    for card in cards:
        data = card_json(card)
        assert len(json.dumps(data, ensure_ascii=False).encode("utf-16-le")) <= TEAMS_MESSAGE
        assert all(len(t) <= TEXT_LIMIT for t in readable(data))


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_largest_answers_a_reminder_and_a_digest_fit_slack_and_teams_in_french_and_japanese(engine, ports):
    from bot.slack.home import home_view
    from bot.slack.modals import form_view
    from bot.slack.render import render as slack
    from bot.teams.render import render as teams
    from handlers.domain.timeline import Timeline
    from handlers.pages.home import home
    from handlers.views.reply import reply_from_data
    from models import repository
    from scheduling.digest import due_digests

    readers = {
        "fr": Requester(user_ref="slack:UFR", locale="fr-CA", timezone="America/Toronto", channel_ref="slack:DFR"),
        "ja": Requester(user_ref="slack:UJA", locale="ja-JP", timezone="Asia/Tokyo", channel_ref="slack:DJA"),
    }
    ports = dataclasses.replace(ports, admins=frozenset(r.user_ref for r in readers.values()), page_size=50)
    for language, reader in readers.items():
        channel = dataclasses.replace(reader, channel_ref=f"slack:C{language}", conversation=Conversation.channel)
        answer(f"digest subscribe on monday at 09:00 Asia/Tokyo {language}", ports=ports, requester=channel)
        answer("assign symposium pol-mil CT DPRK PKO " + f"<@{reader.user_ref}>", ports=ports, requester=reader)
    largest = ["next 2 years", "counter-terrorism", "meeting symposium", "briefing symposium"]
    for language, reader in readers.items():
        for text in largest:
            reply = answer(text, ports=ports, requester=reader)
            assert reply.language == language and reply.tone != "error", (text, reply.title)
            within_slack(slack(reply).blocks)
            within_teams(teams(reply).cards)
        within_slack(home_view(home(ports, reader)).to_dict()["blocks"], most=SLACK_VIEW_BLOCKS)
        form = answer("add", ports=ports, requester=reader).form
        assert len(form_view(form, channel=None)["title"]["text"]) <= 24

    now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
    with session(engine) as db:
        timeline = Timeline(repository.load_mechanisms(session=db), now.date(), ports.capitals)
        digests = {p.target: reply_from_data(p.body) for p in due_digests(db, timeline, now, timedelta(hours=2))}
    assert digests["slack:Cfr"].title.startswith("Résumé hebdomadaire du programme, semaine du lun. 23 nov. 2026")
    assert digests["slack:Cja"].title.startswith("議題の週次ダイジェスト（2026年11月23日(月)の週）")
    for digest in digests.values():
        within_slack(slack(digest).blocks)
        within_teams(teams(digest).cards)


ENGLISH_PLACEHOLDER_WORDS = {"meeting", "place", "reason", "city", "person", "people", "text", "area", "areas", "topic",
                             "year", "day", "length", "departments", "department", "action", "or", "season"}


def test_the_catalogues_translate_a_commands_placeholders():
    """`/agenda history <id or meeting>` reads `<ID または会合>` in Japanese and `<id ou réunion>` in French:
    the words the parser reads stay, what stands for the reader's own words is translated."""
    untranslated = []
    for language in ("fr", "ja"):
        with (ROOT / "handlers" / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source)
        for message in catalog:
            for string in [message.string] if isinstance(message.string, str) else message.string:
                for code in re.findall(r"`[^`]*`", string or ""):
                    for placeholder in PLACEHOLDER.findall(code):
                        words = {w.casefold() for w in re.findall(r"[A-Za-z]+", placeholder)}
                        if words & ENGLISH_PLACEHOLDER_WORDS or (language == "ja" and words - {"id", "n"}):
                            untranslated.append(f"{language}: {placeholder} in {string[:100]!r}")
    assert not untranslated, "\n".join(untranslated)
