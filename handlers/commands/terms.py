"""The fixed words inside commands, in English, French and Japanese: `held … in … host …`,
`digest subscribe … on monday at 09:00`, `remind me … default`, `slot tomorrow`, `role … coordinator`,
`calendar revoke`, `link reminders both`, `delegation … Japan remove`, `official … remove`.

A command's own word (`schedule`, `programmer`, `日程設定`) is its spec's (handlers/commands/registry.py);
the words after it are declared here, each term with the words that say it in each language, read
as the parser folds what is typed (casefolded, accents dropped: `hôte` and `hote` alike). Weekdays
are CLDR's (Babel), not typed here. A parser asks ``means(word, "host")`` or ``term_of(word, …)``;
help and usage messages write the reader's words in the catalogue's French and Japanese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from handlers.commands.questions import fold
from models.platforms import PLATFORMS

# term → language → the words that say it (the first is the one help writes)
TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    # schedule / held
    "in": {"en": ("in",), "fr": ("à", "au", "aux", "en"), "ja": ("場所", "於")},
    "host": {"en": ("host",), "fr": ("hôte", "pays-hôte"), "ja": ("主催", "主催国", "ホスト")},
    "number": {"en": ("number", "no.", "no", "#"), "fr": ("numéro", "n°", "no"), "ja": ("回", "番号", "第")},
    "confirm": {"en": ("confirm",), "fr": ("confirmer", "confirme", "confirmé"), "ja": ("確定",)},
    "held": {"en": ("held",), "fr": ("tenue", "tenu"), "ja": ("開催",)},  # after `not`: `non tenue`
    "form": {"en": ("form",), "fr": ("formulaire",), "ja": ("フォーム",)},
    "canada": {"en": ("canada", "ca"), "fr": ("canada",), "ja": ("カナダ", "カナダ側")},
    "japan": {"en": ("japan", "jp"), "fr": ("japon",), "ja": ("日本", "日本側")},
    # status: a treaty stage's date
    "on": {"en": ("on",), "fr": ("le",), "ja": ("日付",)},
    # digest
    "subscribe": {"en": ("subscribe",), "fr": ("abonner", "s'abonner", "abonnement"), "ja": ("登録", "購読")},
    "unsubscribe": {"en": ("unsubscribe",), "fr": ("désabonner", "se-désabonner", "désabonnement"),
                    "ja": ("解除", "登録解除", "購読解除")},
    "preview": {"en": ("preview",), "fr": ("aperçu",), "ja": ("プレビュー",)},
    "weekday on": {"en": ("on",), "fr": ("le", "chaque", "tous"), "ja": ("毎週",)},
    "at": {"en": ("at",), "fr": ("à", "a"), "ja": ()},
    # remind
    "me": {"en": ("me",), "fr": ("moi",), "ja": ("自分", "私")},
    "default": {"en": ("default",), "fr": ("défaut", "par-défaut"), "ja": ("既定", "デフォルト")},
    # slot, snooze
    "today": {"en": ("today",), "fr": ("aujourd'hui",), "ja": ("今日", "本日", "きょう")},
    "tomorrow": {"en": ("tomorrow",), "fr": ("demain",), "ja": ("明日", "あした", "あす")},
    "next week": {"en": ("next week",), "fr": ("semaine prochaine", "la semaine prochaine"), "ja": ("来週",)},
    # role
    "admin": {"en": ("admin",), "fr": ("administrateur", "administratrice"), "ja": ("管理者",)},
    "coordinator": {"en": ("coordinator",), "fr": ("coordonnateur", "coordonnatrice", "coordinateur",
                                                   "coordinatrice"), "ja": ("調整担当者", "コーディネーター")},
    "member": {"en": ("member",), "fr": ("membre",), "ja": ("メンバー", "一般")},
    # calendar, dashboard
    "revoke": {"en": ("revoke",), "fr": ("révoquer", "désactiver"), "ja": ("取消", "取り消し", "無効化")},
    "all": {"en": ("all",), "fr": ("tout", "tous"), "ja": ("すべて", "全部")},
    "agenda": {"en": ("agenda",), "fr": ("programme",), "ja": ("議題", "全体")},
    "mine": {"en": ("mine",), "fr": ("moi", "les miens"), "ja": ("自分",)},
    # link
    "status": {"en": ("status",), "fr": ("statut", "état"), "ja": ("状態", "ステータス")},
    "unlink": {"en": ("remove", "undo", "off"), "fr": ("retirer", "supprimer", "annuler"), "ja": ("解除", "削除")},
    "reminders": {"en": ("reminders", "prefer", "via"), "fr": ("rappels", "rappel"),
                  "ja": ("リマインダー", "リマインド", "通知")},
    "both": {"en": ("both", "all", "everywhere"), "fr": ("les deux", "deux", "tous", "partout"),
             "ja": ("両方", "すべて")},
    # the platforms, by their names (Slack, Teams; スラック, チームズ): models/platforms.py
    **{name: {"en": (name,), "ja": platform.japanese} for name, platform in PLATFORMS.items()},
    # sensitivity; action
    "public": {"en": ("public",), "fr": ("public", "publique"), "ja": ("公開",)},
    "restricted": {"en": ("restricted",), "fr": ("restreint", "restreinte"), "ja": ("非公開", "限定")},
    "owner": {"en": ("owner", "owners", "by"), "fr": ("responsable", "responsables", "par"), "ja": ("担当", "担当者")},
    "due": {"en": ("due",), "fr": ("échéance",), "ja": ("期限",)},
    # milestone
    "done": {"en": ("done",), "fr": ("fait", "faite", "terminé", "terminée"), "ja": ("完了", "済み")},
    "not done": {"en": ("not done", "undone"), "fr": ("pas fait", "non fait", "à faire"), "ja": ("未完了",)},
    "days": {"en": ("day", "days"), "fr": ("jour", "jours"), "ja": ("日",)},
    "before": {"en": ("before",), "fr": ("avant",), "ja": ("前",)},
    "after": {"en": ("after",), "fr": ("après",), "ja": ("後",)},
    # delegation, official
    "remove": {"en": ("remove",), "fr": ("retirer", "supprimer"), "ja": ("削除", "解除")},
}  # fmt: skip


def folded(word: str) -> str:
    """A word as the terms are matched: casefolded, Latin accents dropped, a sentence's stop left out."""
    return fold(word.strip())[0].rstrip(".,;:、。").strip() or fold(word.strip())[0]


@cache
def _words(term: str) -> frozenset[str]:
    return frozenset(folded(word) for words in TERMS[term].values() for word in words)


def means(word: str, term: str) -> bool:
    """Whether a typed word (or words) says the term in any of the three languages."""
    return folded(word) in _words(term)


def term_of(word: str, *terms: str) -> str | None:
    """Which of ``terms`` a typed word says, or None."""
    return next((term for term in terms if means(word, term)), None)


def words_of(term: str, language: str) -> tuple[str, ...]:
    """The words a reader of ``language`` types for a term (English where that language has none)."""
    return TERMS[term].get(language) or TERMS[term]["en"]


# -- Japanese written without spaces -----------------------------------------------------------

_HAS_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# What a Japanese reader writes glued to the words around it (`月曜日9時30分`, `明日90分`,
# `署名2027年10月14日に`), each form whole, the longer forms first where two start alike:
# a date (2027年10月14日, 2027年秋), a length (1時間30分, before 1時 reads as a time),
# a time of day (午後3時, 9時30分, 9時半), minutes (90分), a count of days (14日, 14日前),
# a meeting's number (第12回), a weekday (毎週月曜日, 月曜). A particle right after one
# (に, で, から, まで, 付) only ties it to the sentence: dropped. A lone `月` (Monday's
# short name) is not split out: it is in every month (10月).
_JAPANESE_UNIT = re.compile(
    r"(\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[春夏秋冬])?"
    r"|\d{1,2}\s*時間(?:\s*\d{1,3}\s*分|半)?"
    r"|(?:(?:午前|午後)\s*)?\d{1,2}\s*時(?:\s*\d{1,2}\s*分|半)?"
    r"|\d{1,3}\s*分"
    r"|\d{1,3}日(?:前|後)?(?!本)"  # not `12 日本` (Japan)
    r"|第\s*\d{1,3}\s*回"
    r"|(?:毎週)?[月火水木金土日]曜日?)"
    r"(?:から|まで|付け|付|に|で)?"
)


def japanese_spaced(text: str, *terms_said: str, anywhere: bool = False, words: Iterable[str] = ()) -> str:
    """Japanese command words with spaces where a Japanese reader writes none: each date, time, length, count of
    days and weekday apart (`月曜日9時30分` → `月曜日 9時30分`), and ``terms_said``'s Japanese words (and
    ``words``, a command's own: a checklist's steps) split from a word they start (`場所東京` → `場所 東京`), or,
    ``anywhere``, wherever they are (`東京主催日本` → `東京 主催 日本`: only for words where no name can hold
    them, such as after a meeting's date). Only where Japanese is typed; other text is left as typed."""
    if not _HAS_JAPANESE.search(text):
        return text
    text = _JAPANESE_UNIT.sub(lambda found: f" {found[1].replace(' ', '')} ", text)
    japanese = [*(w for term in terms_said for w in TERMS[term]["ja"]), *(w for w in words if _HAS_JAPANESE.search(w))]
    said = sorted({w for w in japanese if len(w) > 1}, key=len, reverse=True)
    if not said:
        return " ".join(text.split())
    if anywhere:
        return " ".join(re.sub("|".join(map(re.escape, said)), lambda found: f" {found[0]} ", text).split())
    spaced = []
    for word in text.split():
        start = None if word in said else next((s for s in said if word.startswith(s) and len(word) > len(s)), None)
        spaced += [start, word[len(start) :]] if start else [word]
    return " ".join(spaced)


COUNTRIES = {"canada": "CA", "japan": "JP"}


def country(word: str) -> str | None:
    """CA or JP for Canada, Japan, Japon, カナダ, 日本 (a trailing stop or colon left out); None otherwise."""
    found = term_of(word, *COUNTRIES)
    return COUNTRIES[found] if found else None


# -- timezones --------------------------------------------------------------------------------

# A timezone as a person names it: a city, in their language (`Tokyo`, `Tokio`, `東京`). The capitals and the
# team's cities, each to its IANA zone; the first three are the examples a refusal gives. Any other zone is
# typed by its IANA name (Asia/Tokyo), the city that names it (Paris, New York, Europe/Paris: zoneinfo's own
# list) or that city as CLDR writes it in English, French or Japanese (`Mexico City`, `Mexico`, `メキシコシティー`;
# `Hong Kong`, `香港`; `ニューヨーク`), in one word or several.
CITIES: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "ottawa": ("America/Toronto", {"en": ("Ottawa",), "fr": ("Ottawa",), "ja": ("オタワ",)}),
    "vancouver": ("America/Vancouver", {"en": ("Vancouver",), "fr": ("Vancouver",),
                                        "ja": ("バンクーバー", "バンクーヴァー")}),
    "tokyo": ("Asia/Tokyo", {"en": ("Tokyo",), "fr": ("Tokyo", "Tokio"), "ja": ("東京", "とうきょう")}),
    "toronto": ("America/Toronto", {"en": ("Toronto",), "fr": ("Toronto",), "ja": ("トロント",)}),
    "montreal": ("America/Toronto", {"en": ("Montreal",), "fr": ("Montréal",), "ja": ("モントリオール",)}),
    "halifax": ("America/Halifax", {"en": ("Halifax",), "fr": ("Halifax",), "ja": ("ハリファックス",)}),
    "winnipeg": ("America/Winnipeg", {"en": ("Winnipeg",), "fr": ("Winnipeg",), "ja": ("ウィニペグ",)}),
    "calgary": ("America/Edmonton", {"en": ("Calgary",), "fr": ("Calgary",), "ja": ("カルガリー",)}),
    "edmonton": ("America/Edmonton", {"en": ("Edmonton",), "fr": ("Edmonton",), "ja": ("エドモントン",)}),
    "osaka": ("Asia/Tokyo", {"en": ("Osaka",), "fr": ("Osaka",), "ja": ("大阪",)}),
    "utc": ("UTC", {"en": ("UTC", "GMT"), "fr": ("UTC", "TU"), "ja": ("UTC", "協定世界時")}),
}  # fmt: skip
ZONE_EXAMPLES = ("ottawa", "vancouver", "tokyo")
_ZONE_SUFFIXES = ("時間", "時")  # 東京時間: Tokyo time
LANGUAGES = ("en", "fr", "ja")
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "GMT"})


@cache
def _cldr_names() -> dict[str, tuple[str, ...]]:
    """Each IANA zone → the older names CLDR may keep its exemplar city under (Asia/Kolkata: Asia/Calcutta)."""
    from babel.core import get_global

    older: dict[str, tuple[str, ...]] = {}
    for old, new in get_global("zone_aliases").items():
        older[new] = (*older.get(new, ()), old)
    return older


def cldr_city(zone: str, language: str) -> str | None:
    """The city a zone is named after (CLDR's exemplar city, through Babel) as a reader of ``language`` writes it:
    `New York`, `Mexico` (French), `メキシコシティー`, `香港`. The English name where French has none of its own
    (CLDR leaves out a name written as in English); None where Japanese has none, or the zone names no city
    (UTC, Etc/GMT+5)."""
    from babel import Locale

    if "/" not in zone or zone.startswith("Etc/"):
        return None
    found = Locale.parse(language).time_zones
    for name in (zone, *_cldr_names().get(zone, ())):
        if city := found.get(name, {}).get("city"):
            return city
    return None if language == "ja" else zone.rpartition("/")[2].replace("_", " ")


@cache
def _zones() -> dict[str, tuple[str, str | None]]:
    """Every name a zone is typed by, folded → (its IANA name, the key of the city above it names, if one): the
    cities above in each language, each IANA name (asia/tokyo), the city ending it (paris, new_york, new york) and
    that city as CLDR writes it in English, French and Japanese, when no other zone has the same city. Not the old
    one-word names (Japan, Cuba, EST): they read as a country or an area's word, not a timezone."""
    from zoneinfo import available_timezones

    from babel.core import get_global

    current = get_global("zone_aliases")  # an old name → the zone's name now (Asia/Calcutta → Asia/Kolkata)
    found: dict[str, tuple[str, str | None]] = {}
    cities: dict[str, set[str]] = {}
    for zone in sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/")):
        found[folded(zone)] = (zone, None)
        ending = zone.rpartition("/")[2]
        names = {ending, ending.replace("_", " "), *(cldr_city(zone, language) or "" for language in LANGUAGES)}
        for name in filter(None, names):  # (a zone and its old name, linked, are one zone: Calcutta is Kolkata)
            cities.setdefault(folded(name), set()).add(current.get(zone, zone))
    found |= {city: (zones.pop(), None) for city, zones in cities.items() if len(zones) == 1 and city not in found}
    found |= {folded(name): (zone, key) for key, (zone, by) in CITIES.items() for said in by.values() for name in said}
    return found


@cache
def _most_words() -> int:
    return max(len(name.split()) for name in _zones())


def _zone_named(word: str) -> tuple[str, str | None] | None:
    said = folded(word)
    said = next((said.removesuffix(s) for s in _ZONE_SUFFIXES if said.endswith(s) and len(said) > len(s)), said)
    return _zones().get(said)


def zone_of(word: str) -> str | None:
    """The IANA zone a typed word names (`Tokyo`, `Tokio`, `東京`, `東京時間`, `Asia/Tokyo`, `asia/tokyo`, `Paris`,
    `ニューヨーク`); None for anything else."""
    named = _zone_named(word)
    return named[0] if named else None


def zone_at(tokens: list[str], index: int) -> tuple[str, str | None, int] | None:
    """The zone named by the words starting at ``tokens[index]``, the longest name first (`New York`, `Mexico
    City`, `Hong Kong`, `Saint-Jean de Terre-Neuve`, `東京`): (its IANA name, the key of the city in CITIES it names
    or None, how many words it takes); None when they name none."""
    for size in range(min(_most_words(), len(tokens) - index), 0, -1):
        if named := _zone_named(" ".join(tokens[index : index + size])):
            return named[0], named[1], size
    return None


def city_names(language: str) -> tuple[str, ...]:
    """The names of the cities above in ``language`` (`東京`, `オタワ`; `東京時間` too): what Japanese may glue
    to the word after it."""
    names = [name for _zone, by in CITIES.values() for name in by[language]]
    return (*names, *(f"{name}{suffix}" for name in names for suffix in _ZONE_SUFFIXES if language == "ja"))


def zone_examples(language: str) -> list[str]:
    """The cities a refusal gives as examples, as a reader of ``language`` writes them."""
    return [CITIES[city][1][language][0] for city in ZONE_EXAMPLES]


def zone_city(zone: str, language: str, city: str | None = None) -> str | None:
    """The city a zone is shown by to a reader of ``language``: the one the person named (``city``, a key of
    CITIES: `Montréal`, `モントリオール`), else the first of CITIES in that zone (America/Toronto: `Ottawa`,
    `オタワ`), else CLDR's (`New York`, `ニューヨーク`); None where none is known (then the IANA name is shown).
    UTC is `UTC`."""
    if zone in UTC_ZONES:
        return "UTC"
    if city in CITIES and CITIES[city][0] == zone:
        return CITIES[city][1][language][0]
    first = next((by[language][0] for key, (its, by) in CITIES.items() if its == zone and key != "utc"), None)
    return first or cldr_city(zone, language)


# -- weekdays and times of day ---------------------------------------------------------------


@cache
def weekdays() -> dict[str, int]:
    """Every weekday's name (CLDR, through Babel: wide and abbreviated) in English, French and Japanese → 0 for
    Monday … 6 for Sunday: `monday`, `mon`, `lundi`, `lun.`, `月曜日`, `月曜`, `月`."""
    from babel.dates import get_day_names

    found: dict[str, int] = {}
    for language in ("en", "fr", "ja"):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=language).items():
                found[folded(name)] = number
                if language == "ja" and name.endswith("日") and len(name) > 1:
                    found[name[:-1]] = number  # 月曜
    return found


def weekday(word: str) -> int | None:
    said = folded(word)
    return weekdays().get(said.removeprefix("毎週") or said)


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")  # 09:30
_FRENCH_CLOCK = re.compile(r"^([01]?\d|2[0-3])\s*h\s*([0-5]\d)?$")  # 9h30, 9 h 30, 9h, 15 h
# 9時30分, 9時半, 午後3時
_JAPANESE_CLOCK = re.compile(r"^(午前|午後)?\s*(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|(半))?\s*(?:に|から)?$")


# 2pm, 2 pm, 2:30pm, 2 p.m., 11am: English's twelve-hour clock (`twelve_hour`)
_TWELVE_HOUR_CLOCK = re.compile(r"^(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*([ap])\.?\s*m\.?$")
# What is written as a time of day, valid or not (`25:00`, `9:75`, `9h75`, `13pm`, `25時`): a refusal says why
_CLOCK_LIKE = re.compile(
    r"^(?:\d{1,2}\s*[:h]\s*\d{0,2}|\d{1,2}(?::\d{1,2})?\s*[ap]\.?\s*m\.?|(?:午前|午後)?\s*\d{1,2}\s*時.*)$"
)


def clock(text: str, *, bare: bool = False, twelve_hour: bool = False) -> str | None:
    """A time of day as HH:MM: `09:30`, `9:30`, `9h30`, `9 h 30`, `9h`, `9時30分`, `9時半`, `午後3時`; None
    otherwise. ``bare``: only the forms that say themselves a time (`9h30`, `9時`), not `09:30`. ``twelve_hour``:
    English's `2pm`, `2:30 p.m.`, `11am` too (a meeting's time; the digest reads the 24-hour clock only)."""
    text = text.strip().casefold()
    if (match := _CLOCK.match(text)) and not bare:
        return f"{int(match[1]):02d}:{match[2]}"
    if twelve_hour and (match := _TWELVE_HOUR_CLOCK.match(text)):
        hour = int(match[1]) % 12 + (12 if match[3] == "p" else 0)
        return f"{hour:02d}:{match[2] or '00'}"
    if match := _FRENCH_CLOCK.match(text):
        return f"{int(match[1]):02d}:{match[2] or '00'}"
    if match := _JAPANESE_CLOCK.match(text):
        hour, minute = int(match[2]), 30 if match[4] else int(match[3] or 0)
        if match[1] and hour > 12 or minute > 59 or hour > 23:
            return None
        if match[1] == "午後" and hour < 12:
            hour += 12
        elif match[1] == "午前" and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}"
    return None


def clock_at(
    tokens: list[str], index: int, *, bare: bool = False, twelve_hour: bool = False
) -> tuple[str, int] | None:
    """The time of day starting at ``tokens[index]`` (one to three tokens: `9 h 30`), and how many it takes."""
    for size in (3, 2, 1):
        said = " ".join(tokens[index : index + size])
        if index + size <= len(tokens) and (found := clock(said, bare=bare, twelve_hour=twelve_hour)):
            return found, size
    return None


def clock_like(text: str) -> bool:
    """Whether the words are written as a time of day, valid or not: `25:00` and `9:75` are refused as times."""
    return bool(_CLOCK_LIKE.match(text.strip().casefold()))


_JAPANESE_LENGTH = re.compile(r"^(?:(\d{1,2})\s*時間)?\s*(?:(\d{1,3})\s*分|(半))?$")  # 1時間30分, 90分, 1時間半


def japanese_minutes(text: str) -> int | None:
    """A length in Japanese (`1時間30分`, `90分`, `1時間半`) in minutes; None otherwise."""
    match = _JAPANESE_LENGTH.match(text.strip())
    if not match or not any(match.groups()) or (match[3] and not match[1]):
        return None
    return int(match[1] or 0) * 60 + (30 if match[3] else int(match[2] or 0))
