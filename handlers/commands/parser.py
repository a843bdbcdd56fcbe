"""From the words after `/agenda` to a Command, or a ParseError that says why.

The front ends hand over neutral text: Slack's escapes are undone and a user
mention arrives as ``<@slack:U123>`` (a platform-qualified id). Everything
else here is plain words.

The Commands and their parsers live here; which word starts which command is the
command table's (handlers/commands/registry.py, handlers/commands/subcommands/).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from dateutil.relativedelta import relativedelta

from handlers.commands import terms
from handlers.commands.questions import UNITS, Intent, Question, fold, recognise
from handlers.domain import timeline
from handlers.domain.when import WhenError, find_when, parse_when
from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import MENTION
from models.platforms import PLATFORMS
from models.tables import Status

MAX_INPUT = 1000  # characters; a topic is a few words
DEFAULT_NEXT_DAYS = 90
# The longest look ahead, in each calendar unit: three years.
MAX_NEXT = {"days": 3 * 366, "weeks": 156, "months": 36, "years": 3}

_PERIOD = re.compile(r"^(\d{1,4})\s*(\S+)$")  # a number and a unit, "6 months", "6mo", "30 jours", "3か月"
_UNITS = {"d": "days", "w": "weeks", "wk": "weeks", "m": "months", "mo": "months", "y": "years", "yr": "years"}

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("mon", "monday"), ("tue", "tuesday"), ("wed", "wednesday"), ("thu", "thursday"), ("fri", "friday"),
         ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in names
}  # fmt: skip
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

ROLE_WORDS = {"admin": "admin", "coordinator": "coordinator", "member": "member"}
# What `/agenda status` takes: the words answers use for each status and treaty stage (handlers/domain/timeline.py's
# STATUS_WORDS and STAGE_WORDS, the one list of them), to the value stored. "Unknown" is not a status to set.
STATUS_BY_WORDS = {words: status.value for status, words in timeline.STATUS_WORDS.items() if status != Status.unknown}
STAGE_BY_WORDS = {words: stage.value for stage, words in timeline.STAGE_WORDS.items()}


def _status_and_stage_words() -> tuple[tuple[str, str, bool], ...]:
    # Kept per set of catalogues: a catalogue installed for a test (the pseudo-locale run) gets its own.
    return _status_and_stage_words_in(tuple(i18n.translations(language) for language in i18n.LANGUAGES))


@cache
def _status_and_stage_words_in(_catalogues: tuple) -> tuple[tuple[str, str, bool], ...]:
    """(words, value, is a stage) for every status and stage, in English, French and Japanese (the catalogue's
    words for them, so `statut 2002-A4 en cours` and `ステータス 2002-A4 進行中` read as the English), accents
    folded; longest first, so "in force" is not read as a shorter word's start."""
    found = {}
    for language in i18n.LANGUAGES:
        with i18n.speaking(language):
            for table, is_stage in ((STATUS_BY_WORDS, False), (STAGE_BY_WORDS, True)):
                for words, value in table.items():
                    found[fold(_(words))[0]] = (value, is_stage)
    return tuple(sorted(((w, v, st) for w, (v, st) in found.items()), key=lambda row: -len(row[0])))


COUNTRY_WORDS = {"canada": "CA", "ca": "CA", "japan": "JP", "jp": "JP"}  # English; every language: terms.country
_COMMITMENT_ID = re.compile(r"^\d{4}-[A-Za-z]?\d+[a-z]?$")
_DURATION = re.compile(r"^(?:(\d{1,2})\s*(?:h|hr|hrs|hour|hours))?\s*(?:(\d{1,3})\s*(?:m|min|mins|minute|minutes)?)?$")
DEFAULT_SLOT_MINUTES = 60
MAX_SLOT_MINUTES = 8 * 60


@dataclass(frozen=True)
class Help:
    topic: str = ""  # `help schedule`: the words after help, which may name a command


def parse_help(rest: str) -> Help | None:
    """`help`, `help schedule` (that command's help); None for other words (`help me with nuclear`: a lookup)."""
    from handlers.commands.registry import spec_named  # the table imports the handlers, which import this module

    topic = rest.strip()
    return Help(topic=topic) if not topic or spec_named(topic) is not None else None


@dataclass(frozen=True)
class Areas:
    pass


@dataclass(frozen=True)
class Show:
    id: str


@dataclass(frozen=True)
class Next:
    """The period ahead, in calendar units: 12 months from 22 Nov is to 22 Nov next year, not 360 days."""

    count: int = DEFAULT_NEXT_DAYS
    unit: str = "days"  # days | weeks | months | years

    def horizon(self, today: date) -> date:
        """The period's last day (dateutil's relativedelta: 1 month from 31 Jan is 28 or 29 Feb)."""
        return today + relativedelta(**{self.unit: self.count})

    @property
    def label(self) -> str:
        """'12 months', '1 week' (in the reader's language)."""
        from handlers.views.i18n import ngettext

        forms = {
            "days": ngettext("{n} day", "{n} days", self.count),
            "weeks": ngettext("{n} week", "{n} weeks", self.count),
            "months": ngettext("{n} month", "{n} months", self.count),
            "years": ngettext("{n} year", "{n} years", self.count),
        }
        return forms[self.unit].format(n=self.count)


@dataclass(frozen=True)
class Mine:
    page: int = 1


@dataclass(frozen=True)
class OwnedBy:
    who: str  # a "<platform>:<id>" user ref, or department words
    is_user: bool
    page: int = 1


@dataclass(frozen=True)
class Lookup:
    words: str
    page: int = 1


@dataclass(frozen=True)
class SetRole:
    user: str  # "<platform>:<id>"
    role: str


@dataclass(frozen=True)
class Assign:
    words: str  # the target (an id or a mechanism) and any departments, resolved by the handler
    users: tuple[str, ...]
    remove: bool = False  # unassign


@dataclass(frozen=True)
class SetStatus:
    id: str
    status: str | None  # one of STATUS_BY_WORDS' values, or None when a stage is given
    stage: str | None
    on: str | None  # EDTF
    note: str


@dataclass(frozen=True)
class Schedule:
    target: str
    when: str  # EDTF
    place: str | None
    host: str | None  # CA or JP
    confirmed: bool = False  # fix it even on a weekend or holiday (after the warning)
    at: str | None = None  # a time of day, HH:MM, on that date, where ``zone`` is (the handler finds a zone if none)
    zone: str | None = None  # the IANA zone the time was given in (`Tokyo`, `東京`, `Asia/Tokyo` → Asia/Tokyo)


@dataclass(frozen=True)
class SetSensitivity:
    id: str
    sensitivity: str


@dataclass(frozen=True)
class History:
    target: str


@dataclass(frozen=True)
class Acknowledge:
    key: str  # the outbox message (reminder or escalation) being acknowledged


@dataclass(frozen=True)
class OpenReminder:
    key: str  # the reminder whose item is opened (the press is audited)


@dataclass(frozen=True)
class Snooze:
    key: str
    days: int  # 1: tomorrow, 7: next week


@dataclass(frozen=True)
class Digest:
    action: str  # subscribe | unsubscribe | preview
    area_words: tuple[str, ...] = ()
    weekday: int | None = None
    at: str | None = None  # HH:MM
    timezone: str | None = None
    language: str | None = None  # the digest's language: en | fr | ja
    # Channels named in the command (`#canal`, `<#C123|canal>`), as typed: a digest is always the channel's where
    # the command is typed, so the handler refuses a channel that is not that one rather than subscribe the wrong one.
    channels: tuple[str, ...] = ()
    # The city named for the timezone, when it is one of terms.CITIES (`Montréal`: shown so, in the reader's
    # words); not part of what the command is: `Montréal` and `America/Toronto` subscribe alike.
    city: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Remind:
    target: str  # "me", a commitment id, or a meeting
    days: tuple[int, ...] | None  # None: back to the default


@dataclass(frozen=True)
class Plan:
    target: str  # a meeting (mechanism)
    year: int | None  # None: its next occurrence


@dataclass(frozen=True)
class FindSlot:
    day: (
        str | None
    )  # ISO date in the first capital (Ottawa); "tomorrow"/"today" resolved by the handler; None: next working day
    minutes: int = DEFAULT_SLOT_MINUTES


@dataclass(frozen=True)
class OpenForm:
    id: str | None  # None: add a new commitment; else edit this one


@dataclass(frozen=True)
class CalendarLinks:
    area_words: str | None = None  # None: the whole agenda and the asker's own items


@dataclass(frozen=True)
class CalendarRevoke:
    feed_words: str = "all"  # all, agenda, mine, or an area
    user: str | None = None  # someone else's links (admins); None: the asker's


@dataclass(frozen=True)
class DashboardAsk:
    """`/agenda dashboard`: a personal link to the read-only dashboard page."""


@dataclass(frozen=True)
class DashboardRevoke:
    user: str | None = None  # someone else's link (admins); None: the asker's


@dataclass(frozen=True)
class Link:
    """One person's Slack and Teams accounts (handlers/commands/linking.py)."""

    action: str  # status (and a code, when there is something to link) | redeem | remove | via
    code: str | None = None  # redeem: the eight digits, without the dash
    via: str | None = None  # all | slack | teams
    user: str | None = None  # status / remove of someone else (coordinators / admins)


Command = (
    Help | Areas | Show | Next | Mine | OwnedBy | Lookup | Question
    | SetRole | Assign | SetStatus | Schedule | SetSensitivity | History | OpenForm
    | Acknowledge | Snooze | Digest | Remind | OpenReminder | CalendarLinks | CalendarRevoke | Plan | FindSlot | Link
    | DashboardAsk | DashboardRevoke
)  # fmt: skip


@dataclass(frozen=True)
class Said:
    """What a command's parser reads: the words after its keyword, the whole cleaned text, and the page."""

    rest: str
    words: str
    page: int = 1


@dataclass(frozen=True)
class ParseError:
    """A parser's answer to words it cannot read: its message and suggestion are catalogue messages
    (marked N_), with ``values`` for their {placeholders} (the asker's own words, shown as typed)."""

    message: str
    suggestion: str = N_("Try `/agenda help` for what I understand.")
    values: Mapping[str, object] = field(default_factory=dict)
    # The words after the keyword are nothing like this command (no action, no date, no step at all), as opposed
    # to a command got partly wrong. A keyword that is also an everyday French or Japanese word (`résumé`, `tenue`)
    # then reads the words as a lookup (handlers/commands/registry.py: or_lookup_in_other_words). A flag, not the
    # message's wording, so rewording a message cannot silently drop that rule.
    unfit: bool = False

    @property
    def text(self) -> str:
        """The message in English, filled in (logs, tests); error_reply words it for the reader."""
        return self.message.format(**self.values) if self.values else self.message


# Dashes pasted from documents and mail (non-breaking hyphen, en dash, minus…): typed ids and names use "-".
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63]")


def clean(text: str) -> str:
    """Drop control and format characters, fold compatibility forms and dashes, squeeze spaces."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


def parse(text: str | None, *, page: int = 1) -> Command | ParseError:
    """What these words ask. Memoised: a front end asks it of the same words more than once a request
    (the cache, the handler, whether it was a change), and recognising a question is not cheap. The
    result depends on the words, the page, the language a message is worded in (some errors list the
    words to use) and the catalogues installed; Commands and ParseErrors are frozen, so one may be shared."""
    # The catalogues are told apart by the function that gives them (a test installs its own), not
    # loaded here: a language nobody speaks is compiled when first used, as before.
    return _parse(text or "", max(1, page), i18n.current(), i18n.translations)


def _too_long(raw: str) -> ParseError:
    """Past the limit: a command (a status with a long note pasted in) is told so, not that topics are short."""
    from handlers.commands.registry import keywords  # the table imports the handlers, which import this module

    if fold(clean(raw[:100]).partition(" ")[0])[0] in keywords():
        return ParseError(
            N_("That is {n} characters; a command takes at most {max}."),
            N_("Nothing was changed. Shorten what follows the command (a note, a reason) and send it again."),
            {"n": len(raw), "max": MAX_INPUT},
        )
    return ParseError(
        N_("That is {n} characters; I look up a topic of a few words."),
        N_("For example `/agenda counter-terrorism` or `/agenda MLAT`."),
        {"n": len(raw)},
    )


@lru_cache(maxsize=4096)
def _parse(raw: str, page: int, _language: str, _catalogues: object) -> Command | ParseError:
    if len(raw) > MAX_INPUT:
        return _too_long(raw)
    words = clean(raw)
    if not words:
        return Help()
    head, _sep, rest = words.partition(" ")
    keyword, rest = fold(head)[0], rest.strip()  # `Réunion`, `réunion` and `reunion` alike
    page = max(1, page)
    from handlers.commands.registry import keywords  # the table imports the handlers, which import this module

    if (word := keywords().get(keyword)) is not None and (parsed := word(Said(rest, words, page))) is not None:
        return parsed
    if MENTION.fullmatch(words):
        return OwnedBy(MENTION.fullmatch(words).group(1), is_user=True, page=page)
    question = recognise(words, page=page)
    if question is not None:
        return as_command(question)
    return Lookup(words, page=page)


_MYSELF = {"i", "me", "myself", "je", "moi", "私", "わたし", "僕", "自分"}


def as_command(question: Question) -> Command:
    """A question some command already answers: "help", "what are the areas", "what does DND own" (`owner DND`)."""
    if question.intent == Intent.help:
        return Help()
    if question.intent == Intent.areas:
        return Areas()
    if question.intent == Intent.mine or (
        question.intent == Intent.owned_by and question.words.casefold() in _MYSELF
    ):
        return Mine(page=question.page)  # "what do I own", "my commitments", "私の担当は"
    if question.intent == Intent.owned_by and not question.unfinished:
        mention = MENTION.fullmatch(question.words)
        who = mention.group(1) if mention else question.words
        return OwnedBy(who, is_user=mention is not None, page=question.page)
    return question


def or_question(
    parsed: Command | ParseError, words: str, page: int, *, refuse: tuple[Intent, ...] = ()
) -> Command | ParseError:
    """A command's own parse, unless it cannot read the words and they ask a question (not of a kind in ``refuse``)."""
    if not isinstance(parsed, ParseError):
        return parsed
    question = recognise(words, page=page)
    if question is None or question.unfinished or question.intent in (Intent.help, *refuse):
        return parsed  # the command's own error says more than "who owns what?"
    return as_command(question)


# What a person writing a period after `next` types: a number or a unit ("next fortnight", "next 6 mois").
_PERIOD_LIKE = re.compile(
    r"^\d|\b(?:days?|weeks?|fortnights?|months?|quarters?|years?|decades?|jours?|semaines?|mois|ans?|annees?)\b"
    r"|^(?:forever|ever|always|a while|toujours|longtemps)$"
)


def parse_next_or_question(said: Said) -> Command | ParseError:
    """`next 6 months` is a period; `next year` and `next pol-mil` are questions (handlers/commands/questions.py);
    a period it cannot read (`next fortnight`, `next 5000 days`) stays the period's own error."""
    folded = unicodedata.normalize("NFD", said.rest.casefold()).encode("ascii", "ignore").decode()
    refuse = (Intent.next, Intent.within) if _PERIOD_LIKE.search(folded) else ()
    return or_question(parse_next(said.rest), said.words, said.page, refuse=refuse)


def parse_next(rest: str) -> Next | ParseError:
    if not rest:
        return Next()
    match = _PERIOD.match(fold(rest)[0])
    said = match.group(2) if match else ""
    unit = next((u for w in (said, said.rstrip("s")) if (u := _UNITS.get(w) or UNITS.get(w))), None)
    if not unit:
        return ParseError(
            N_("I can't read “{words}” as a period."),
            N_("Try `/agenda next 30 days`, `/agenda next 6 weeks` or `/agenda next 3 months`."),
            {"words": rest},
        )
    count = int(match.group(1))
    if not 1 <= count <= MAX_NEXT[unit]:
        return ParseError(N_("I look ahead between 1 day and 3 years."), N_("Try `/agenda next 6 months`."))
    return Next(count, unit)


def parse_owner(rest: str, page: int) -> OwnedBy | ParseError:
    if not rest:
        return ParseError(
            N_("`owner` needs a person or a department."),
            N_("For example `/agenda owner @maria` or `/agenda owner DND`."),
        )
    mention = MENTION.fullmatch(rest)
    if mention:
        return OwnedBy(mention.group(1), is_user=True, page=page)
    return OwnedBy(rest, is_user=False, page=page)


# -- the write path ------------------------------------------------------------------


def parse_role(rest: str) -> SetRole | ParseError:
    usage = N_("For example `/agenda role @maria coordinator` (admin, coordinator or member).")
    users = MENTION.findall(rest)
    words = MENTION.sub(" ", rest).split()
    role = terms.term_of(words[0], *ROLE_WORDS) if len(words) == 1 else None  # coordonnateur, 調整担当者
    if len(users) != 1 or role is None:
        return ParseError(N_("`role` needs one person and one role."), usage)
    return SetRole(users[0], ROLE_WORDS[role])


def parse_assign(rest: str, *, remove: bool) -> Assign | ParseError:
    verb = "unassign" if remove else "assign"
    users = tuple(MENTION.findall(rest))
    words = " ".join(MENTION.sub(" ", rest).split())
    if not words or (not users and len(words.split()) < 2):
        return ParseError(
            N_("`{verb}` needs a commitment id or a meeting, and people or departments."),
            N_("For example `/agenda {verb} 2002-A4 @maria` or `/agenda {verb} symposium @ken`."),
            {"verb": verb},
        )
    return Assign(words, users, remove=remove)


def parse_status_or_question(said: Said) -> Command | ParseError:
    """`status 2002-A4 done` is a change; `status of the MLAT` a question."""
    parsed = with_when_errors(parse_status)(said.rest)
    if _COMMITMENT_ID.match(said.rest.partition(" ")[0]):
        return parsed
    # `status` alone is the change command missing its id; "status of everything" asks where things stand.
    refuse = () if said.rest.strip() else (Intent.overview,)
    return or_question(parsed, said.words, said.page, refuse=refuse)


# A Japanese status word said as done (署名済み, 妥結済, 発効した): the same status
_JAPANESE_DONE = ("済み", "済", "した", "しました")


def _said_status(folded: str, words: str) -> int | None:
    """How many characters of ``folded`` say the status ``words`` (its Japanese `済み` with it), or None when
    it does not start with them. Japanese needs no space after it: `署名済み`, `進行中協議再開`."""
    if folded == words or folded.startswith(words + " "):
        return len(words)
    if not folded.startswith(words) or not words or words[-1].isascii():
        return None
    said = len(words)
    done = next((end for end in _JAPANESE_DONE if folded.startswith(end, said)), "")
    return said + len(done)


def _japanese_date_at(tokens: list[str]) -> tuple[str, int] | None:
    """A date written the Japanese way (2027年10月14日) as the first token: (its EDTF, 1); None otherwise."""
    if not tokens or "年" not in tokens[0]:
        return None
    found = find_when(tokens[:1])
    return (found[2], 1) if found else None


def parse_status(rest: str) -> SetStatus | ParseError:
    usage = N_(
        "For example `/agenda status 2002-A4 in progress talks resumed`, or for a treaty "
        "`/agenda status 2002-A4 signed on 14 Oct 2027 per the joint statement`. Statuses: {statuses}; stages: "
        "{stages}."
    )
    # the words the parser reads, as it reads them, filled into every message of this command
    # (in the asker's language: the parser reads each language's words, handlers.answer parses in it)
    from babel.lists import format_list  # "a, b, or c", "a, b ou c", "a、b、またはc"

    known = {
        "statuses": format_list([f"`{_(w)}`" for w in STATUS_BY_WORDS], style="or", locale=i18n.babel_locale()),
        "stages": format_list([f"`{_(w)}`" for w in STAGE_BY_WORDS], style="or", locale=i18n.babel_locale()),
    }
    head, _sep, tail = rest.partition(" ")
    if not _COMMITMENT_ID.match(head):
        return ParseError(N_("`status` needs a commitment id first."), usage, known)
    # Japanese: no spaces (`署名済み2027年10月14日に`), and the date may come first, as a Japanese sentence says it
    # (`2027年10月14日に署名`); a date written the Japanese way is a date without `日付` (English and French
    # keep `on`/`le`: a note may start with a number).
    tail = terms.japanese_spaced(tail, "on")
    on = None
    if (first := _japanese_date_at(tail.split())) is not None:
        on, tail = first[0], " ".join(tail.split()[first[1] :])
    folded, origin = fold(tail)
    for words, value, is_stage in _status_and_stage_words():
        said = _said_status(folded, words)
        if said is None:
            continue
        remainder = tail[origin[said] if said < len(origin) else len(tail) :].split()
        if remainder and terms.means(remainder[0], "on"):  # "signed on 14 Oct 2027", "signé le 14 oct. 2027"
            found = find_when(remainder[1:])
            if not found or found[0] != 0:
                return ParseError(N_("After `on`, give the date: `on 14 Oct 2027`, `on Oct 2027`."), usage, known)
            on, remainder = found[2], remainder[1 + found[1] :]
        elif on is None and (japanese := _japanese_date_at(remainder)) is not None:  # 署名 2027年10月14日
            on, remainder = japanese[0], remainder[japanese[1] :]
        return SetStatus(head, None if is_stage else value, value if is_stage else None, on, " ".join(remainder))
    if tail:
        return ParseError(N_("I don't know the status “{words}”."), usage, {**known, "words": tail})
    return ParseError(N_("`status` needs a status."), usage, known)


# `東京で日本主催確定`, `オタワにてカナダ主催`: a place and its particle, the host country before 主催, 確定
_JAPANESE_ORDER = re.compile(r"^(?:([^\x00-\x7f]+?)(?:にて|で))?(?:(カナダ|日本)の?主催)?(確定)?$")


def parse_schedule(rest: str) -> Schedule | ParseError:
    usage = N_(
        "For example `/agenda schedule symposium 14 Oct 2027 in Ottawa host Canada`, "
        "`/agenda schedule pol-mil 14 Oct 2027 09:30 Tokyo`, `/agenda schedule pol-mil autumn 2027`; "
        "add `confirm` to fix a weekend or holiday."
    )
    tokens = terms.japanese_spaced(rest).split()  # `2027年10月14日場所東京`: no spaces in Japanese
    found = find_when(tokens)
    if not found or found[0] == 0:
        return ParseError(N_("`schedule` needs a meeting and a date."), usage)
    start, end, edtf = found
    # After the date no meeting's name is left to split: `場所東京主催日本確定` is read word by word, and the
    # Japanese order `東京で日本主催確定` (place with its particle, then the host) as `場所 東京 主催 日本 確定`
    tail = terms.japanese_spaced(" ".join(tokens[end:]), "in", "host", "confirm", anywhere=True).split()
    timed = _time_of_day(tail)  # right after the date: `09:30 Tokyo`, `at 2pm Ottawa`, `à 14 h`, `9時30分 東京`
    if isinstance(timed, ParseError):
        return timed
    at, zone, tail = timed
    if japanese := _JAPANESE_ORDER.match("".join(tail)):
        place_said, host_said, confirm_said = japanese.groups()
        tail = [*(["場所", place_said] if place_said else []), *(["主催", host_said] if host_said else [])]
        tail += [confirm_said] if confirm_said else []
    target = " ".join(tokens[:start])
    confirmed = bool(tail) and terms.means(tail[-1], "confirm")  # confirmer, 確定
    tail = tail[:-1] if confirmed else tail
    host = None
    if len(tail) >= 2 and terms.means(tail[-2], "host"):  # host Canada, hôte Japon, 主催 カナダ
        host = terms.country(tail[-1])
        if host is None:
            return ParseError(N_("The host is Canada or Japan, not “{words}”."), usage, {"words": tail[-1]})
        tail = tail[:-2]
    place = None
    if tail and terms.means(tail[0], "in") and len(tail) > 1:  # in Ottawa, à Tokyo, 場所 東京
        # A sentence's stop is not part of the city: "in Tokyo." read "in Tokyo.; host Japan." back.
        place, tail = " ".join(tail[1:]).rstrip(" .,;") or None, []
    if tail and at and zone is None and tail == timed[2][: len(tail)]:  # `14:00 Pariss`: a city not known
        return _unknown_city(tail[0])
    if tail:
        return ParseError(N_("I don't understand “{words}” after the date."), usage, {"words": " ".join(tail)})
    return Schedule(target, edtf, place, host, confirmed, at, zone)


def _time_of_day(tail: list[str]) -> tuple[str | None, str | None, list[str]] | ParseError:
    """A meeting's time of day at the start of ``tail`` (after its date), with the city or zone it is in, and the
    words left: `09:30 Tokyo`, `at 9:30 Tokyo`, `2pm Ottawa`, `à 14 h Ottawa`, `9時30分 東京`, `東京時間 9時30分`
    (the digest's reading of a time and a city: handlers/commands/terms.py). No city: None, for the handler to
    take the host's capital. Written as a time but not one (`25:00`, `9:75`): refused, saying why."""
    index = 1 if tail and terms.means(tail[0], "at") else 0  # at 9:30; à 14 h (à alone is `in`: à Ottawa)
    zone = terms.zone_of(tail[index]) if index < len(tail) else None
    if zone and index + 1 < len(tail) and terms.clock_at(tail, index + 1, twelve_hour=True):  # 東京時間 9時30分
        index += 1
    else:
        zone = None
    found = terms.clock_at(tail, index, twelve_hour=True)
    if found is None:
        if index < len(tail) and terms.clock_like(tail[index]):
            return ParseError(
                N_("“{words}” is not a time of day: hours go from 0 to 23 and minutes from 0 to 59."),
                N_("Write the time as `09:30`, `14:00` or `2pm`, then its city: `09:30 Tokyo`."),
                {"words": tail[index]},
            )
        return None, None, tail
    at, left = found[0], tail[index + found[1] :]
    if zone is None and left and (named := terms.zone_of(left[0])):  # 09:30 Tokyo, 14 h Ottawa, 9時30分 東京時間
        zone, left = named, left[1:]
    elif zone is None and left and "/" in left[0]:  # Europe/Pariss
        return _unknown_city(left[0])
    return at, zone, left


def _unknown_city(words: str) -> ParseError:
    return ParseError(
        N_("I don't know the city or timezone “{words}”."),
        N_("Name a capital or a city after the time, such as `14:00 Ottawa` or `09:30 Tokyo`, or a timezone such "
           "as Asia/Tokyo."),
        {"words": words},
    )  # fmt: skip


def parse_sensitivity(rest: str) -> SetSensitivity | ParseError:
    parts = rest.split()
    said = terms.term_of(parts[1], "public", "restricted") if len(parts) == 2 else None  # restreint, 非公開
    if said is None or not _COMMITMENT_ID.match(parts[0]):
        return ParseError(
            N_("`sensitivity` needs an id and public or restricted."), N_("`/agenda sensitivity 2002-A4 restricted`")
        )
    return SetSensitivity(parts[0], said)


def parse_history(rest: str) -> History | ParseError:
    if not rest:
        return ParseError(
            N_("`history` needs a commitment id or a meeting."), N_("For example `/agenda history 2002-A4`.")
        )
    return History(rest)


def parse_edit(rest: str) -> OpenForm | ParseError:
    if not _COMMITMENT_ID.match(rest):
        return ParseError(N_("`edit` needs a commitment id."), N_("For example `/agenda edit 2002-A4`."))
    return OpenForm(rest)


def parse_add(rest: str) -> OpenForm | ParseError:
    if rest:
        return ParseError(N_("`add` takes no words: it opens a form."), N_("Type `/agenda add`."))
    return OpenForm(None)


def with_when_errors(parser):
    def parse_guarded(rest: str):
        try:
            return parser(rest)
        except WhenError as exc:
            return ParseError(
                exc.message, N_("Dates: 14 Oct 2027, 2027-10-14, Oct 2027, autumn 2027 or 2027."), exc.values
            )

    return parse_guarded


def parse_ack(rest: str) -> Acknowledge | ParseError:
    if not rest or " " in rest:
        return ParseError(N_("`ack` needs the reminder it answers."), N_("Use the Acknowledge button on a reminder."))
    return Acknowledge(rest)


def parse_open(rest: str) -> OpenReminder | ParseError:
    if not rest or " " in rest:
        return ParseError(N_("`open` needs the reminder it comes from."), N_("Use the Open button on a reminder."))
    return OpenReminder(rest)


def parse_snooze(rest: str) -> Snooze | ParseError:
    key, _sep, period = rest.partition(" ")
    days = {"tomorrow": 1, "1d": 1, "1 day": 1, "next week": 7, "7d": 7, "1 week": 7}.get(
        terms.term_of(period, "tomorrow", "next week") or period.strip().lower()
    )  # demain, la semaine prochaine; 明日, 来週
    if not key or days is None:
        return ParseError(
            N_("`snooze` needs a reminder and tomorrow or next week."), N_("Use the Snooze buttons on a reminder.")
        )
    return Snooze(key, days)


# A channel named in the words: `#canal`, or Slack's own form `<#C123|canal>` / `<#C123>` where it reaches the
# parser as typed (Slack's front end hands `#canal` over). Slack names hold no spaces, `#` or angle brackets.
CHANNEL = re.compile(r"^(?:<#(?:slack:)?([A-Z0-9]+)(?:\|([^<>|]*))?>|#([^\s#<>,]+)),?$")


def channel_named(word: str) -> tuple[str | None, str | None] | None:
    """(its id, its name) when the word names a channel, either of them None when not given; None otherwise."""
    if not (match := CHANNEL.match(word)):
        return None
    return match[1], match[2] or match[3]


def parse_digest(rest: str) -> Digest | ParseError:
    usage = N_(
        "`/agenda digest subscribe [areas, comma-separated] [on monday] [at 09:00] [Ottawa|Tokyo|America/Toronto]`, "
        "`/agenda digest unsubscribe`, `/agenda digest preview`."
    )
    head, _sep, tail = rest.partition(" ")
    action = terms.term_of(head, "subscribe", "unsubscribe", "preview")  # `abonner`, `登録解除`, `aperçu`
    # `月曜日9時30分`, `東京日本語`: Japanese is written without spaces
    tokens = terms.japanese_spaced(tail, words=(*terms.city_names("ja"), *i18n.TYPED_NAMES)).split()
    channels = tuple(token.rstrip(",") for token in tokens if channel_named(token))
    if action in {"unsubscribe", "preview"} and len(channels) == len(tokens):  # `désabonner #canal`: refused later
        return Digest(action, channels=channels)
    if action != "subscribe":
        return ParseError(N_("`digest` needs subscribe, unsubscribe or preview."), usage, unfit=True)
    tokens = [token for token in tokens if not channel_named(token)]  # a channel is not an area
    areas, weekday, at, zone, city, language = [], None, None, None, None, None
    index = 0
    while index < len(tokens):
        word = tokens[index].lower()
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if terms.means(word, "weekday on") and terms.weekday(following) is not None:  # on monday, le lundi
            weekday, index = terms.weekday(following), index + 2
        elif word not in WEEKDAYS and terms.weekday(word) is not None:  # lundi, 月曜日 (English says `on monday`)
            weekday, index = terms.weekday(word), index + 1
        elif terms.means(word, "at") and (clock := terms.clock_at(tokens, index + 1)):  # at 09:00, à 9 h 30
            at, index = clock[0], index + 1 + clock[1]
        elif clock := terms.clock_at(tokens, index, bare=True):  # 9h30, 9時30分, 午後3時
            at, index = clock[0], index + clock[1]
        elif named := terms.zone_at(tokens, index):  # Tokyo, Tokio, 東京, Asia/Tokyo, New York, メキシコシティー
            zone, city, index = named[0], named[1], index + named[2]
        elif "/" in word:  # Europe/Pariss: refused
            zone, city, index = tokens[index], None, index + 1
        elif said := i18n.language_of(word):  # the digest's language: a code, or its name in any of the three
            language, index = said, index + 1
        elif word in {"on", "at"}:
            return ParseError(N_("I can't read “{words}”."), usage, {"words": " ".join(tokens[index : index + 2])})
        else:
            areas.append(tokens[index])
            index += 1
    area_words = tuple(a.strip() for a in " ".join(areas).split(",") if a.strip())
    return Digest("subscribe", area_words, weekday, at, zone, language, channels, city)


def parse_remind_or_question(said: Said) -> Command | ParseError:
    """`remind me 14 2` sets lead times; "remind me what we agreed on peacekeeping" asks."""
    return or_question(parse_remind(said.rest), said.words, said.page)


_JAPANESE_DAYS = re.compile(r"^(\d{1,3})日前?$")


def parse_remind(rest: str) -> Remind | ParseError:
    usage = N_(
        "`/agenda remind me 14 2` (your own lead times), `/agenda remind 2002-A4 60 30 7` or "
        "`/agenda remind symposium 90 30 7` (coordinators), `... default` to go back to the default."
    )
    said = re.sub(r"[,、]", " ", rest).replace("par défaut", "par-défaut").replace("par defaut", "par-défaut")
    # `自分14日前2日前`: no spaces in Japanese, and a lead time said with its unit (14日, 14日前) is its number
    tokens = [_JAPANESE_DAYS.sub(r"\1", t) for t in terms.japanese_spaced(said, "me", "default").split()]
    if tokens and tokens[0] != "me" and terms.means(tokens[0], "me"):  # moi, 自分
        tokens[0] = "me"
    if tokens and terms.means(tokens[-1], "default"):  # défaut, 既定
        target, days = tokens[:-1], None
    else:
        cut = len(tokens)
        while cut > 0 and tokens[cut - 1].isdigit():
            cut -= 1
        target, numbers = tokens[:cut], tokens[cut:]
        if not numbers:
            return ParseError(N_("`remind` needs how many days before, or `default`."), usage)
        days = tuple(sorted({int(n) for n in numbers}, reverse=True))
        if len(days) > 6 or days[0] > 365:
            return ParseError(N_("Give at most six lead times, each at most 365 days."), usage)
    if not target:
        return ParseError(N_("`remind` needs `me`, a commitment id or a meeting."), usage)
    return Remind(" ".join(target), days)


def parse_calendar(rest: str) -> CalendarLinks | CalendarRevoke | ParseError:
    head, _sep, tail = terms.japanese_spaced(rest, "revoke").partition(" ")  # `取消すべて`: no spaces in Japanese
    if terms.means(head, "revoke"):  # révoquer, 取消
        users = MENTION.findall(tail)
        words = " ".join(MENTION.sub(" ", tail).split()) or "all"
        words = terms.term_of(words, "all", "agenda", "mine") or words  # tout, programme, moi; すべて, 議題, 自分
        if len(users) > 1:
            return ParseError(N_("Revoke one person's links at a time."), N_("`/agenda calendar revoke @maria all`"))
        return CalendarRevoke(words, users[0] if users else None)
    return CalendarLinks(rest or None)


def parse_dashboard(rest: str) -> DashboardAsk | DashboardRevoke | ParseError:
    head, _sep, tail = terms.japanese_spaced(rest, "revoke").partition(" ")  # `取消<@…>`
    if not rest:
        return DashboardAsk()
    if terms.means(head, "revoke"):
        users = MENTION.findall(tail)
        if len(users) > 1 or MENTION.sub(" ", tail).strip():
            return ParseError(
                N_("Revoke one person's dashboard link at a time."), N_("`/agenda dashboard revoke @maria`")
            )
        return DashboardRevoke(users[0] if users else None)
    return ParseError(
        N_("I can't read “{words}” after `dashboard`."),
        N_("`/agenda dashboard` gives your link; `/agenda dashboard revoke` turns it off."),
        {"words": rest},
    )


_LINK_CODE = re.compile(r"^(\d{4})[\s-]?(\d{4})$")
_VIA_WORDS = {"both": "all", "all": "all", "everywhere": "all", **{name: name for name in PLATFORMS}}
_VIA_TERMS = ("both", *PLATFORMS)  # les deux, 両方; スラック, チームズ (terms.TERMS)


def parse_link(rest: str) -> Link | ParseError:
    usage = N_(
        "`/agenda link` gives a code to say on your other platform; `/agenda link 1234-5678` says it; "
        "`/agenda link reminders slack|teams|both` chooses where reminders go; `/agenda link remove` undoes a link."
    )
    words = rest.split()
    users = MENTION.findall(rest)
    # `リマインダースラック`, `通知チームズ`: no spaces in Japanese
    plain = [w.lower() for w in terms.japanese_spaced(MENTION.sub(" ", rest), "reminders", "unlink", "status").split()]
    if not words:
        return Link("status")
    if (code := _LINK_CODE.match(rest)) is not None:
        return Link("redeem", code="".join(code.groups()))
    if len(users) > 1:
        return ParseError(N_("One person at a time."), usage)
    user = users[0] if users else None
    if (plain == [] or plain == ["status"] or len(plain) == 1 and terms.means(plain[0], "status")) and user:
        return Link("status", user=user)
    if plain and terms.means(plain[0], "unlink") and len(plain) == 1:  # retirer, 解除
        return Link("remove", user=user)
    if plain and terms.means(plain[0], "reminders") and not user:  # rappels, リマインダー
        via = " ".join(plain[1:])
        via = terms.term_of(via, *_VIA_TERMS) or terms.folded(via)  # les deux, 両方; スラック, チームズ
        if len(plain) >= 2 and via in _VIA_WORDS:
            return Link("via", via=_VIA_WORDS[via])
        return ParseError(N_("Where should your reminders go: slack, teams or both?"), usage)
    if any(ch.isdigit() for ch in rest):
        return ParseError(
            N_("“{words}” is not a link code: codes are eight digits, like 1234-5678."), usage, {"words": rest}
        )
    return ParseError(N_("I can't read “{words}” after `link`."), usage, {"words": rest})


def parse_plan(rest: str) -> Plan | ParseError:
    usage = N_("For example `/agenda plan symposium` or `/agenda plan pol-mil 2028`.")
    words = rest.split()
    year = None
    if words and re.fullmatch(r"\d{4}", words[-1]):
        year, words = int(words[-1]), words[:-1]
        if not 1990 <= year <= 2100:
            return ParseError(N_("I plan meetings between 1990 and 2100, not in {year}."), usage, {"year": year})
    if not words:
        return ParseError(N_("`plan` needs a meeting."), usage)
    return Plan(" ".join(words), year)


def parse_slot(rest: str) -> FindSlot | ParseError:
    usage = N_(
        "For example `/agenda slot`, `/agenda slot tomorrow 90m`, `/agenda slot 3 Mar 2027 1h30`: "
        "a day (Ottawa's date) and a length."
    )
    # `明日90分`, `今日1時間30分`: no spaces in Japanese
    tokens, minutes = terms.japanese_spaced(rest, "today", "tomorrow").split(), DEFAULT_SLOT_MINUTES
    for size in (2, 1):  # "1h 30m" or "90m"; "1時間30分"
        tail = " ".join(tokens[-size:]).lower() if len(tokens) >= size else ""
        match = _DURATION.match(tail) if tail and not tail.isdigit() else None
        if match and any(match.groups()):
            minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
            tokens = tokens[:-size]
            break
        if tail and (japanese := terms.japanese_minutes(tail)) is not None:
            minutes, tokens = japanese, tokens[:-size]
            break
    if not 15 <= minutes <= MAX_SLOT_MINUTES:
        return ParseError(N_("A call lasts between 15 minutes and 8 hours."), usage)
    words = " ".join(tokens).lower()
    if not words:
        return FindSlot(None, minutes)
    if day := terms.term_of(words, "today", "tomorrow"):  # aujourd'hui, demain; 今日, 明日
        return FindSlot(day, minutes)
    if tokens[-1].isdigit() and len(tokens[-1]) < 4:
        return ParseError(
            N_("Is {number} minutes or hours? Give the length with a unit: 90m or 1h30."), usage, {"number": tokens[-1]}
        )
    day = parse_when(tokens)
    if day is None or len(day) != 10:
        return ParseError(N_("I can't read “{words}” as one day and a length."), usage, {"words": " ".join(tokens)})
    return FindSlot(day, minutes)
