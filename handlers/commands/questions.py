"""Questions, not just keywords: what is asked, in English, French and Japanese.

``recognise(words)`` reads free text (what would otherwise be a lookup) as a
Question: who owns X, when is the next X (where, who hosts it), when was the
last X, what is the status of X, what did we agree on X (in YEAR / in
DOCUMENT), what is overdue / upcoming / due this month / next year, which
documents, what changed since DATE, what falls in the next N days / weeks /
months, in a named month, before or by the end of one, what does a person or
department own, is there anything on X (the lookup of X), or help. It returns
None for anything else: a topic stays a lookup.

How: the text is folded for matching (NFKC, casefold, Latin accents stripped:
"Où en est" = "ou en est"; Japanese is left as typed). Each intent has a few
*cues* per language (the table below); an intent is recognised when one of
its cues is found anywhere in the text, so word order does not matter ("who
owns the symposium" = "the symposium: who owns it?"). What the cue leaves is
the subject, with filler words ("the", "please", "do we have", "s'il vous
plaît", "教えてください") trimmed from its edges and question marks dropped.
The subject is handed, as the asker typed it, to ``find_subject``.

Dates ("since 1 November", "depuis le 1er novembre", "11月1日以降") are kept as
words here and resolved by ``since_date`` against the injected clock's today.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from handlers.domain.when import YEARS
from handlers.views.i18n import N_


class Lazy:
    """A regular expression compiled on its first use, not at import: a start that asks no question (a lookup,
    `ask MLAT`) should not pay for the patterns that read questions."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):  # search, match, sub, groupindex…: the compiled pattern's own
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)


class Intent(StrEnum):
    owner = "owner"  # who owns X
    next = "next"  # when is the next X (where, who hosts it)
    last = "last"  # when was the last X
    held = "held"  # has X been held (this year, in 2024): answered as `last`, its record
    cadence = "cadence"  # how often does X meet, is X annual: its stated cadence
    about = "about"  # is there anything on X, tell me about X: the lookup of X
    status = "status"  # what is the status of X
    agreed = "agreed"  # what did we agree on X [in YEAR | in DOCUMENT]
    overdue = "overdue"
    upcoming = "upcoming"
    this_month = "this_month"
    next_month = "next_month"
    this_week = "this_week"
    next_week = "next_week"
    this_quarter = "this_quarter"
    next_quarter = "next_quarter"
    quarter = "quarter"  # Q1 2027, le premier trimestre, 第1四半期: its first month in `month`
    in_year = "in_year"  # what is planned for 2027 (a past year: what we agreed in it)
    by_year_end = "by_year_end"  # what falls from today to the end of 2027
    through_next_year = "through_next_year"  # what falls from today to the end of next year
    this_year = "this_year"
    next_year = "next_year"
    documents = "documents"
    changes = "changes"  # what changed since DATE
    within = "within"  # what falls in the next N days / weeks / months / years
    month = "month"  # what falls in a named month ("in January", "en mars", "3月")
    before = "before"  # what falls from today until a named month begins ("before March")
    by_end = "by_end"  # what falls from today to the end of a named month ("by the end of March")
    owned_by = "owned_by"  # what does DND own: the `owner` listing
    areas = "areas"  # what are the areas: the `areas` listing
    overview = "overview"  # where does the whole agenda stand: counts by status, what is overdue, each area
    with_status = "with_status"  # what is stalled, which items are done: the commitments in one status
    oldest = "oldest"  # the oldest (open) commitment: the list, oldest document first
    briefing = "briefing"  # what is on the agenda of the next X: the meeting's briefing
    next_deadline = "next_deadline"  # the next deadline (of X): the soonest due date ahead, however far
    dormant = "dormant"  # which meetings have not met lately: each meeting's last record, oldest first
    unowned = "unowned"  # which items have no owner (and, when all have one, which have no person assigned)
    mine = "mine"  # what do I own, what is on my plate: the `mine` listing
    meetings = "meetings"  # which meetings are there: the `meeting` listing
    help = "help"
    # A change said in words ("mark the MLAT as done", "move the symposium to 14 Oct 2027"): answered with the
    # command it is, to confirm with a button; nothing changes until then.
    everything = "everything"  # list all commitments: every one the audience may see, answered as what we agreed
    follow_ups = "follow_ups"  # which follow-up actions are open (of X): those decided at meetings held
    set_status = "set_status"
    reschedule = "reschedule"
    record_held = "record_held"  # "we held the Pol-Mil on 8 Dec 2026 in Tokyo": `held`, to confirm


# What a change said in words sets, read from its cue: the status, or the date.
INSTRUCTIONS = {Intent.set_status: "status", Intent.reschedule: "when", Intent.record_held: "when"}

# Intents about one subject: without one, they are not these questions.
SUBJECT_INTENTS = {
    Intent.owner, Intent.next, Intent.last, Intent.held, Intent.status, Intent.about, Intent.owned_by,
    Intent.cadence, Intent.briefing,
}  # fmt: skip
# Intents about a period of time; a subject narrows them ("what is overdue on counter-terrorism").
WINDOWS = {
    Intent.overdue, Intent.upcoming, Intent.this_month, Intent.next_month, Intent.this_year, Intent.next_year,
    Intent.this_week, Intent.next_week, Intent.this_quarter, Intent.next_quarter, Intent.quarter,
    Intent.within, Intent.month, Intent.before, Intent.by_end, Intent.in_year, Intent.by_year_end,
    Intent.through_next_year,
}  # fmt: skip


@dataclass(frozen=True)
class Question:
    intent: Intent
    words: str = ""  # the subject, as typed ("the symposium" → "symposium"); empty when none
    year: int | None = None  # agreed … in 2005; the year of a named month, when given
    document: str | None = None  # agreed … in the 2005 Agenda (words naming a document)
    since: str | None = None  # changes since … (words; resolved with the clock)
    asked: str = ""  # the whole question, as typed: what Share and More run again
    page: int = 1
    count: int | None = None  # within: how many units ahead
    unit: str | None = None  # within: "days", "weeks", "months" or "years"
    month: int | None = None  # month / before / by_end: 1–12
    status: str | None = None  # with_status: the Status value asked for, or OPEN (any status not closed)
    years: tuple[int | None, int | None] | None = None  # agreed before 2005: (None, 2004), both ends kept
    by_me: bool = False  # changes: only those the asker made ("what did I change")
    side: str | None = None  # owner: "JP" or "CA" when one country's side is asked ("the Japanese lead")
    to: str | None = None  # set_status / reschedule: the status or date said, as typed ("done", "14 Oct 2027")
    where: bool = False  # next: where it meets or who hosts is asked ("where is the next symposium", "開催国は")

    @property
    def unfinished(self) -> bool:
        """Asked about nothing: "who owns", "when is the next", "what did we agree"."""
        return (self.intent in SUBJECT_INTENTS or self.intent == Intent.agreed) and not (
            self.words or self.year or self.document or self.years
        )


# -- the table: cues per intent and language (on folded text) ----------------------------------------

_OF = r"(?:of|for|on|about|with|regarding)"
_DE = r"(?:de la\b|de l'|du\b|des\b|de\b|d')"  # "de" is not the start of "depuis"

# Periods and months, for the window questions ("in the next three months", "avant mars", "3月中").
NUMBERS = {
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "quelques": 3,  # loose words, read as the usual sense
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
}  # fmt: skip
UNITS = {
    "day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
    "year": "years", "years": "years", "jour": "days", "jours": "days", "semaine": "weeks", "semaines": "weeks",
    "mois": "months", "an": "years", "ans": "years", "annee": "years", "annees": "years", "日": "days",
    "週": "weeks", "週間": "weeks", "か月": "months", "ヶ月": "months", "カ月": "months", "ヵ月": "months",
    "ケ月": "months", "箇月": "months", "年": "years",
}  # fmt: skip
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}  # fmt: skip
# What people call each status when they ask for the list of it (folded; the Status values of models/tables.py).
_STATUS_SAID = {
    "stalled": "stalled", "stuck": "stalled", "blocked": "stalled", "on hold": "stalled",
    "in progress": "in_progress", "under way": "in_progress", "underway": "in_progress", "ongoing": "in_progress",
    "done": "done", "completed": "done", "complete": "done", "finished": "done", "achieved": "done",
    "not started": "not_started", "not yet started": "not_started", "dropped": "dropped", "abandoned": "dropped",
    "au point mort": "stalled", "bloque": "stalled", "bloques": "stalled", "en suspens": "stalled",
    "en cours": "in_progress", "termine": "done", "termines": "done", "accompli": "done", "accomplis": "done",
    "realise": "done", "realises": "done", "acheve": "done", "acheves": "done", "pas commence": "not_started",
    "pas commences": "not_started", "non commence": "not_started", "non commences": "not_started",
    "abandonne": "dropped", "abandonnes": "dropped",
    "停滞": "stalled", "進行中": "in_progress", "実施中": "in_progress", "完了": "done", "達成": "done",
    "未着手": "not_started", "中止": "dropped",
}  # fmt: skip
# "Still open", "outstanding", 未完了: any status but done or dropped.
OPEN = "open"
_STATUS_SAID |= {"未完了": OPEN, "未了": OPEN, "未解決": OPEN, "残っている": OPEN, "残った": OPEN}
_ST_OPEN_EN = "still open|open|outstanding|pending|unfinished|not yet done|not done|not completed|not finished" \
    "|incomplete|unresolved"
_ST_OPEN_FR = "ouverte?s?|non terminee?s?|pas terminee?s?|inachevee?s?|en attente|a faire|restante?s?"
_OPEN_SAID = Lazy(rf"(?:{_ST_OPEN_EN}|{_ST_OPEN_FR})")
_ST_EN = "stalled|stuck|blocked|on hold|in progress|under way|underway|ongoing|done|completed|complete|finished" \
    "|achieved|not yet started|not started|dropped|abandoned"
_ST_FR = "au point mort|bloques?|en suspens|en cours|termines?|accomplis?|realises?|acheves?|pas commences?" \
    "|non commences?|abandonnes?"
_QUARTER_WORDS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "premier": 1, "1er": 1, "deuxieme": 2, "2e": 2, "troisieme": 3, "3e": 3, "quatrieme": 4, "4e": 4,
}  # fmt: skip
_N = rf"(?P<n>\d{{1,4}}|{'|'.join(sorted(NUMBERS, key=len, reverse=True))})"
_MONTH_NAME = rf"(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?"
_OF_YEAR = r"(?:,? (?:de |of )?(?P<year>(?:19|20)\d\d))?"
_JA_MONTH = r"(?:(?P<year>(?:19|20)\d\d)年)?(?<!\d)(?P<month>1[0-2]|[1-9])月(?!\d{1,2}日)"
# A season said for a period: "before summer" is before June begins, "by the end of summer" the end of August.
SEASONS = {
    "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2),
    "printemps": (3, 5), "ete": (6, 8), "automne": (9, 11), "hiver": (12, 2),
    "春": (3, 5), "夏": (6, 8), "秋": (9, 11), "冬": (12, 2),
}  # fmt: skip
_SEASON_EN = r"(?:the )?(?P<season>spring|summer|autumn|fall|winter)"
_SEASON_FR = r"(?:le |l')?(?P<season>printemps|ete|automne|hiver)"
_JA_UNIT = r"(?P<unit>日|週間|週|か月|ヶ月|カ月|ヵ月|ケ月|箇月|年)"

_DOC_NOUNS = (
    r"agenda|proposals?|priorities|document|statement|declaration|programme|program|action agenda"
    r"|ordre du jour|propositions|priorites|programme d'action"
)

CUES: dict[Intent, dict[str, list[str]]] = {
    Intent.within: {
        "en": [
            rf"\b(?:(?:in|over|within|during|for) )?(?:the )?(?:next|coming|following) {_N}"
            r" (?P<unit>days?|weeks?|months?|years?)\b",
            rf"\bwithin {_N} (?P<unit>days?|weeks?|months?|years?)\b",
        ],
        "fr": [
            rf"\b(?:(?:dans|au cours|durant|pendant|d'ici)(?: les| des)? )?{_N} prochaine?s? "
            r"(?P<unit>jours|semaines|mois|ans|annees)\b",
            rf"\b(?:dans|au cours|durant|pendant|d'ici)(?: les| des)? {_N} (?P<unit>jours|semaines|mois|ans|annees)"
            r"(?: (?:a venir|prochaine?s?|qui viennent))?\b",
        ],
        "ja": [
            rf"(?:今後|これから|向こう|次の)(?P<n>\d{{1,4}}){_JA_UNIT}(?:間)?(?:以内)?(?:に|の|で)?",
            rf"(?P<n>\d{{1,4}}){_JA_UNIT}(?:間)?以内(?:に|の|で)?",
        ],
    },
    Intent.before: {
        "en": [
            rf"\b(?:before|prior to|ahead of) (?:the (?:start|beginning) of )?{_MONTH_NAME}{_OF_YEAR}\b",
            rf"\b(?:before|prior to|ahead of|by) (?:the (?:start|beginning) of )?{_SEASON_EN}{_OF_YEAR}\b",
        ],
        "fr": [
            rf"\b(?:avant|d'ici)(?: le (?:debut|mois) d'| le (?:debut|mois) de)? {_MONTH_NAME}{_OF_YEAR}\b",
            rf"\b(?:avant|d'ici)(?: le debut d[eu] ?)? ?{_SEASON_FR}{_OF_YEAR}\b",
        ],
        "ja": [
            rf"{_JA_MONTH}(?:より前|以前|の前|前まで)(?:に|の)?",
            r"(?:(?P<year>(?:19|20)\d\d)年の?)?(?P<season>春|夏|秋|冬)(?:より前|前|の前|まで)(?:に|の)?",
        ],
    },
    Intent.by_end: {
        "en": [
            rf"\b(?:by|until|till|through|to) (?:the end of )?{_MONTH_NAME}{_OF_YEAR}\b",
            rf"\b(?:by|until|till|through) the end of {_SEASON_EN}{_OF_YEAR}\b",
        ],
        "fr": [
            rf"\b(?:jusqu'a|jusqu'en|d'ici) (?:la )?(?:fin )?(?:de |d')?(?:mois de )?{_MONTH_NAME}{_OF_YEAR}\b",
            rf"\b(?:jusqu'a|d'ici) la fin (?:de l'|du |de l')?(?P<season>printemps|ete|automne|hiver){_OF_YEAR}\b",
        ],
        "ja": [
            rf"{_JA_MONTH}(?:末)?まで(?:に|の)?",
            r"(?:(?P<year>(?:19|20)\d\d)年の?)?(?P<season>春|夏|秋|冬)の?(?:終わり|末)まで(?:に|の)?",
        ],
    },
    Intent.month: {
        "en": [
            rf"\b(?:in|during|for|due in|over|throughout) (?:the month of )?{_MONTH_NAME}{_OF_YEAR}\b",
            rf"^{_MONTH_NAME}{_OF_YEAR}$",
        ],
        "fr": [
            rf"\b(?:en|au mois d'|au mois de|pendant le mois de|durant le mois de|courant) {_MONTH_NAME}{_OF_YEAR}\b"
        ],
        "ja": [rf"{_JA_MONTH}(?:中|に|の|は)?"],
    },
    Intent.owned_by: {
        "en": [
            r"\b(?:what|which(?: commitments| items)?)(?: does| do| did)? (?P<subject>.+?)"
            r" (?:own|owns|lead|leads|handle|handles)(?: on)?$",
            r"\bwhat(?:'s| is| are) (?P<subject>.+?) (?:responsible for|in charge of|working on|leading)$",
            r"\bwhat(?:'s| is) on (?P<subject>.+?)(?:'s|') (?:plate|list)$",
            r"\b(?:commitments|items) (?:owned|led|handled) by (?P<subject>.+)$",
        ],
        "fr": [
            r"\b(?:qu'est-ce que|que|quels engagements|quels dossiers) (?P<subject>.+?)"
            r" (?:pilote|gere|dirige|a en charge)$",
            r"\bde quoi (?P<subject>.+?) (?:est|sont)(?:-(?:il|elle|ils|elles))? (?:responsables?|en charge)$",
            r"\b(?:engagements|dossiers) (?:pilotes|geres|confies a) (?:par )?(?P<subject>.+)$",
        ],
        "ja": [r"^(?P<subject>.+?)が(?:担当|所管)(?:している|する|の)(?:もの|項目|約束|案件|事項)?(?:は)?(?:何|なに)?"],
    },
    Intent.owner: {
        "en": [
            r"\bwho(?:'s| is| are)? (?:owns?|responsible for|in charge of|runs?|leads?|handles?|looks after)\b"
            r"(?: it| this| that)?",
            r"\bwho(?:'s| is| are)? (?:the |our )?(?:canadian |japanese |canada's |japan's )?(?:owners?|leads?"
            r"|point of contact|points of contact|contacts?|focal points?|responsible) (?:of|for|on)\b",
            r"\b(?:owners?|lead) (?:of|for)\b",
            r"\bowned by whom\b|\bwho owns?\b|\bwhose (?:is|are)\b",
            r"\bwho (?:do|should|can|could|would) (?:i|we) (?:contact|talk to|speak (?:to|with)|ask|call|write to"
            r"|reach out to|go to)\b",
            r"\bwho(?:'s| is| are)? (?:our |the |my )?(?:canadian |japanese )?counterparts? (?:on|for|in charge of)\b",
            r"\bwho (?:from|in|at) (?:japan|canada|tokyo|ottawa) (?:owns?|leads?|handles?|runs?|is responsible for"
            r"|is in charge of)\b",
            r"\b(?:which|what) (?:canadian |japanese )?(?:department|ministry|agency|office|team|side)s?"
            r" (?:leads?|owns?|handles?|runs?"
            r"|(?:is|are) (?:responsible for|in charge of|the lead on|leading))(?: on| for)?\b",
        ],
        "fr": [
            rf"\bqui (?:est|sont) (?:le |la |les )?(?:responsables?|charges?|en charge)"
            rf"(?: (?:canadiens?|canadiennes?|japonais|japonaises?|du canada|du japon))? {_DE}",
            rf"\bqui (?:s'occupe|s'en occupe|gere|pilote|dirige)\b(?: {_DE})?",
            rf"\b(?:le |la |les )?(?:responsables?|proprietaires?) {_DE}",
            r"\b(?:a qui|qui) (?:dois-je|devrais-je|puis-je|peut-on|faut-il|doit-on) (?:contacter|m'adresser|parler"
            r"|ecrire|joindre|consulter|appeler)\b",
        ],
        "ja": [
            r"^(?:誰|だれ|どなた|どこ)が(?P<subject>.+?)を(?:担当|所管)(?:して(?:いる|います|る)|する|しています)(?:の)?"
            r"(?:ですか|でしょうか|か)?$",
            r"の?(?:担当者?|責任者|所管|担当部署)(?:は|って)?(?:誰|だれ|どなた|どこ)?",
            r"を?(?:担当|所管)(?:している|する)(?:のは|人は)?(?:誰|だれ|どなた|どこ)?",
            r"(?:誰|だれ)が",
            r"(?:誰|だれ|どなた|どこ)に(?:連絡|相談|問い合わせ|聞け|聞いたら|確認)"
            r"(?:すれば(?:いい|よい|よろしい)|したら(?:いい|よい)|すべき|できます|する)?(?:の)?",
        ],
    },
    Intent.next: {
        "en": [
            r"\b(?:who|which country|what country|where)(?:'s| is| will| does)? (?:host|hosts|hosting)"
            r"(?: the)?(?: next)?\b",
            r"\bwhen(?:'s| is| are| will| does| do)? (?:the |our )?next\b",
            r"\bnext (?:meeting|session|round|date) (?:of|for)\b",
            r"\bwhen\b",
            r"\bnext\b",
        ],
        "fr": [
            r"\bqui (?:accueille|accueillera|recoit|recevra|organise|organisera)(?: la| le| les)?(?: prochaine?s?)?\b",
            r"\bou (?:aura lieu|se tiendra|a lieu|se tient)(?: la| le)?(?: prochaine?)?\b",
            rf"\b(?:la |le )?prochaine? (?:reunion|session|seance|edition) {_DE}",
            r"\bquand\b",
            r"\bprochaine?s?\b",
        ],
        "ja": [
            r"^次回?の",
            r"の次回?(?:の(?:会合|会議|開催))?(?:日程|予定)?(?:は)?$",
            r"の?次回?(?:の会合|の会議|の開催)?(?:は|って)いつ",
            r"(?:は|って)?いつ(?:開催|ある|です|でしょう)?",
            r"の?(?:次回?の)?(?:開催国|開催地|開催場所|ホスト国?)(?:は|って)?(?:どこ)?",
        ],
    },
    Intent.last: {
        "en": [
            r"^when (?:was|were) (?:the |our )?(?P<subject>.+?) (?:last )?(?:held|hosted|convened)$",
            r"\bwhen (?:was|were|did)\b(?=.*\b(?:last|previous|most recent)\b)",
            r"\b(?:the )?(?:last|previous|most recent) (?:meeting|session|round|one) (?:of|for)\b",
            r"\b(?:last|previous|most recent)\b(?! (?:year|month|week|time)s?\b)",  # "since last week": a date
        ],
        "fr": [
            r"\bquand (?:a eu lieu|s'est tenue?|s'est reunie?|etait|a ete)\b",
            r"\bquand (?:nous sommes-nous|nous nous sommes|s'est-on|avons-nous) (?:reunis?|rencontres?|vus)"
            r"(?: pour la derniere fois)?\b",
            rf"\b(?:la |le )?(?:derniere?|precedente?) (?:reunion|session|seance|edition|rencontre) {_DE}",
            r"\b(?:derniere?|precedente?)s?\b(?! (?:annee|mois|semaine|fois)s?\b)",
        ],
        "ja": [
            r"^前回の",
            r"の?前回(?:の(?:会合|会議|開催))?(?:は|って)?(?:いつ)?",
            r"(?:は|が)?(?:最後に|最近)(?:開催|開か)(?:された|れた)の?(?:は)?(?:いつ)?",
            r"(?:は|が)?いつ(?:開催|開か)(?:された|れた|されました|れました)(?:か)?",
            r"(?:最後に|前回)(?:会った|会合した|集まった|開催した|会いました|集まりました)の?(?:は)?(?:いつ)?",
        ],
    },
    Intent.held: {
        "en": [
            r"^(?:has|have|was|were|did) (?P<subject>.+?) (?:been )?(?:held|convened|taken place|took place"
            r"|take place|happen|happened|meet|met)(?: (?:this|last) year| yet| in (?:19|20)\d\d)?$",
        ],
        "fr": [
            r"^(?:est-ce que )?(?:les |la |le |l')?(?P<subject>.+?) (?:a|ont)(?:-t-(?:il|elle)|-(?:ils|elles))?"
            r" (?:eu lieu|ete tenue?s?|siege)(?: cette annee| l'an dernier| en (?:19|20)\d\d)?$",
        ],
        "ja": [
            r"^(?P<subject>.+?)は(?:今年|昨年|去年|(?:19|20)\d\d年に?)?(?:開催|開か)(?:され|れ)(?:ました|た)(?:か)?$",
        ],
    },
    Intent.cadence: {
        "en": [
            r"\bhow (?:often|frequently|regularly)\b",
            r"\b(?:what(?:'s| is) the )?(?:cadence|frequency|periodicity|rhythm) (?:of|for)\b",
            r"^(?:is|are) (?P<subject>.+?) (?:still )?(?:annual|yearly|biennial|every (?:year|two years|other year)"
            r"|held (?:annually|yearly|every year|every two years|every other year))"
            r"(?: or (?:annual|yearly|biennial|every (?:year|two years|other year)|not))?$",
        ],
        "fr": [
            rf"\b(?:a quelle|quelle est la) (?:frequence|periodicite)\b(?: {_DE})?",
            r"\btous les combien\b",
            r"^(?:est-ce que )?(?:les |la |le |l')?(?P<subject>.+?) (?:est|sont|a|ont)(?:-(?:il|elle|ils|elles)"
            r"|-t-(?:il|elle))? (?:annuel(?:le)?s?|lieu chaque annee|lieu tous les (?:deux )?ans)$",
        ],
        "ja": [
            r"の?(?:開催)?(?:頻度|周期|間隔)(?:は|って)?(?:どのくらい|どれくらい|どの程度)?",
            r"(?:は|って)?(?:どのくらい|どれくらい|どの程度)の(?:頻度|間隔)で(?:開催され(?:ます|る)|開かれ(?:ます|る))?",
            r"は(?:毎年|年に一度|年1回|隔年|二年ごと|2年ごと)(?:の)?(?:開催)?(?:され(?:ます|る)|開かれ(?:ます|る))?"
            r"(?:ですか|か)$",
        ],
    },
    Intent.about: {
        "en": [
            r"\b(?:is there|are there|do we have|have we got|have we|do you have)"
            r" (?:anything|something|any(?: commitments| items)?|commitments|items)"
            r" (?:on|about|regarding|concerning|for)\b",
            r"\bwhat (?:do we have|have we got|is there|do you have) (?:on|about|regarding)\b",
            r"\banything (?:on|about|regarding)\b",
            r"\btell me (?:everything )?about\b",
            r"^(?:(?:can|could|would) you )?(?:please )?(?:show|give|find|get|send) (?:me|us)\b(?: (?:all|everything)"
            r"(?: (?:on|about|for|regarding))?)?",
            r"^(?:i(?:'m| am) looking for|i(?:'d like| would like| want| need)(?: to see| to know about)?"
            r"|looking for|search(?:ing)? for|find|information (?:on|about)|info (?:on|about)"
            r"|details (?:on|of|about))\b",
            r"\bwhat about\b",
            r"^what (?:does|do) (?P<subject>.+?) (?:say|state|read|provide)$",
            r"\bwhat do (?:we|you) know (?:about|of|on)\b",
            r"^(?:which|what) (?:documents|texts|sources|commitments|items|undertakings) (?:mention|cover|talk about"
            r"|refer to|say anything about|involve|concern|relate to|are related to|include"
            r"|deal with|are about|speak of)\b",
            r"^(?:commitments|items) (?:involving|concerning|mentioning|about|related to|relating to)\b",
            r"^(?:summari[sz]e|give me an overview of|an overview of|overview of)\b",
            r"^what(?:'s| is| are) (?P<subject>.+?) about$",
            r"^(?:what|which)(?:'s| is) (?P<subject>\d{4}-?[a-z]?\d+[a-z]?)$",
            r"\bwhat (?:are we doing|do we do|have we done|are we doing together) (?:on|about|for|in|regarding)\b",
            r"^(?:brief me|fill me in|catch me up|bring me up to speed|update me) (?:on|about|regarding|with)\b",
            r"^(?:help me )?prepare (?:me )?for\b",
        ],
        "fr": [
            r"\b(?:y a-t-il|est-ce qu'il y a|avons-nous|a-t-on|il y a)(?: quelque chose| des engagements| du nouveau)?"
            r" (?:sur|au sujet de|concernant|a propos de)\b",
            r"\bqu'(?:avons-nous|a-t-on|est-ce qu'on a|est-ce que nous avons) (?:sur|au sujet de|concernant)\b",
            rf"\bparlez-moi {_DE}",
            r"^(?:(?:pouvez-vous|pourriez-vous|peux-tu) )?(?:montrez-moi|montre-moi|me montrer|donnez-moi|donne-moi|"
            r"trouvez|trouve|cherche|je cherche|je voudrais voir|j'aimerais voir|je veux voir|je souhaite voir"
            r"|j'ai besoin d[e']|des informations sur|infos sur)\b"
            r"(?: (?:tout|tous les engagements) (?:sur|concernant))?",
            r"^(?:qu'est-ce que|c'est quoi|que (?:dit|prevoit)) (?:l'engagement |l'article )?"
            r"(?P<subject>\d{4}-?[a-z]?\d+[a-z]?)$",
            r"^que (?:contient|dit|prevoit)\b",  # "que dit le programme sur X" is read first, as what was agreed
            r"^(?:qu'est-ce que|c'est quoi) (?:le |la |les |l')?(?P<subject>.+)$",  # after every other reading
            rf"\bque (?:savons-nous|sait-on) {_DE}",
            r"^(?:quels|quelles) (?:engagements|documents|textes|elements) (?:mentionnent|traitent d[eu']"
            r"|parlent d[eu']|portent sur|concernent|evoquent)",
            r"\b(?:que faisons-nous|que fait-on|qu'est-ce qu'on fait|qu'est-ce que nous faisons)"
            r" (?:en matiere de|pour|sur|au sujet de|concernant|dans le domaine de|a propos de)\b",
        ],
        "ja": [
            r"(?:について|に関して|に関する)(?:の)?(?:こと|もの|項目|約束)?を?(?:教えて|知りたい|見せて)(?:ください|下さい)?",
            r"(?:について|に関して)(?:は)?(?:何か|何が|なにが|どんな(?:もの|約束|項目)が)?(?:あります|ある)(?:か)?",
            r"(?:に関する|についての|の)?(?:情報|資料|項目)?を?(?:見せて|探して|検索して|表示して)(?:ください|下さい)?",
            r"^(?P<subject>\d{4}-?[a-z]?\d+[a-z]?)(?:とは|って)(?:何|なに)?",
            r"(?:に関する|についての|に関連する|に触れた|に言及した)(?:項目|約束|合意事項|文書|もの)(?:は|を)?(?:何|どれ)?(?:ですか)?$",
        ],
    },
    Intent.status: {
        "en": [
            r"\bwhat(?:'s| is) the (?:status|state|progress) (?:of|on|with)\b",
            r"\b(?:status|state|progress) (?:of|on|with)\b",
            r"\bwhere (?:are we|do we stand|are things|do things stand|is|are) (?:on|with)\b",
            r"\bwhat(?:'s| is| has been) (?:happening|going on|the latest|new) (?:with|on|in|about)\b",
            r"\b(?:any )?(?:progress|news|update|updates) (?:on|with|about)\b",
            r"\bhow(?:'s| is| are) (?:it going with\b|things with\b)",
            r"\bhow (?:are|is) (?:we|things|it) (?:doing|going|progressing|getting on) (?:on|with|in)\b",
            r"\bhow(?:'s| is| are)\b(?=.*\b(?:going|progressing)\b)",
            r"\bstatus\b",
            r"^(?:is|are|has|have|was|were|did) (?P<subject>.+?) (?:been )?(?:still )?(?:done|finished|complete"
            r"|completed|signed|ratified|in force|concluded|implemented|achieved|on track|delivered|met|happen|happened"
            r"|open|outstanding|pending|unresolved)(?: yet)?$",
            r"\b(?:what(?:'s| is) the )?(?:deadline|due date) (?:for|of|on)\b",
            r"^(?:did|have|has) (?:we|canada|japan|they|both sides|the two governments) (?:ever |already |yet )?"
            r"(?:sign|signed|ratify|ratified|conclude|concluded|finish|finished|complete|completed|deliver|delivered"
            r"|implement|implemented|achieve|achieved)\b",
            r"^when (?:is|are) (?P<subject>.+?) due$",
            r"\b(?:are we|is it|is that|are things|is everything|is this) (?:still )?on (?:track|schedule)"
            r" (?:with|for|on)\b",
            r"\bwhat(?: has|'s| ever)? happened (?:to|with)\b|\bwhatever happened to\b"
            r"|\bwhat(?:'s| is| has)? become of\b|\bwhat became of\b",
        ],
        "fr": [
            r"\bou en (?:est|sont)(?:-on| on)?(?: avec| sur)?\b",
            rf"\b(?:quel est |quel etait )?(?:le |l')(?:statut|etat d'avancement|avancement) {_DE}",
            rf"\bquel est l'etat {_DE}",
            r"\bou (?:en )?sommes-nous (?:avec|sur)\b",
            r"\bqu'en est-il (?:de la|de l'|du|des|de|d')",
            r"^(?:est-ce que )?(?:avons-nous|a-t-on|on a|nous avons|le canada a|le japon a)(?: deja| enfin)?"
            r" (?:signe|ratifie|conclu|termine|acheve|mis en oeuvre|realise)\b",
            rf"\bqu'est-il advenu {_DE}|\bqu'est(?:-ce que)? devenue?s? (?:la |le |les |l')?"
            r"|\bque (?:devient|deviennent) (?:la |le |les |l')?",
            r"\b(?:ou|comment) (?:en est|avance|progresse)(?:nt)?\b",
            r"\b(?:sommes-nous|est-on|on est) (?:toujours )?(?:dans les temps|sur la bonne voie) (?:pour|avec|sur)\b",
            rf"\b(?:quelle est )?(?:l'echeance|la date limite|le delai|la date d'echeance) {_DE}",
            r"^(?:est-ce que )?(?:les |la |le |l')?(?P<subject>.+?) (?:a|ont|est|sont)(?:-t-(?:il|elle)|-(?:il|elle|ils"
            r"|elles))?(?: (?:deja|enfin))?(?: ete)? (?:signee?s?|ratifiee?s?|conclue?s?|terminee?s?|fini(?:e|s|es)?"
            r"|achevee?s?|en vigueur|mise?s? en (?:oeuvre|œuvre)|realisee?s?|completee?s?|respectee?s?)"
            r"(?: maintenant)?$",
        ],
        "ja": [
            r"の?(?:最新の?)?(?:状況|進捗|現状|進み具合|ステータス)(?:は|って)?(?:どう|いかが)?(?:なって(?:いる|いますか|る)?|ですか)?",
            r"の?(?:期限|締め切り|締切)(?!が近|が迫|の近)(?:は|って)?(?:いつ)?",
            r"(?:は|って)?どう(?:なった|なりました|なっている|なっています)(?:の|か)?",
            r"(?:は|が)?(?:予定通り|順調)(?:に進んで(?:いますか|いる)|ですか)?",
            r"^(?P<subject>.+?)は(?:もう|すでに|既に)?(?:署名|批准|締結|発効|完了|実施|達成|合意)(?:され|し)"
            r"(?:ました|た|ている|ています)(?:か)?$",
        ],
    },
    Intent.agreed: {
        "en": [
            r"\bwhat are (?:japan's|canada's|our|the|both sides'|each side's) (?:commitments|undertakings|obligations)"
            r" (?:on|about|regarding|for|in|concerning)\b",
            rf"\bwhat (?:did|have|had) we (?:agree|agreed|commit|committed|decide|decided|promise|promised)"
            rf"(?: to)?(?: {_OF})?\b",
            rf"\bwhat (?:was|has been|were) (?:agreed|committed|decided)(?: to)?(?: {_OF})?\b",
            rf"\bwhat (?:do|does) (?:we|the agenda) say (?:{_OF})\b",
            # "what did the 2021 document say about X": the document named in the cue is the filter
            rf"\bwhat (?:did|does|do) (?:the |our )?(?P<document>[^,;:]*?\b(?:{_DOC_NOUNS})) say (?:{_OF})\b",
            r"\b(?:our |japan's |canada's |both sides' |each side's )?"
            rf"(?:agreements|commitments|obligations|undertakings|promises|what we agreed"
            rf"|what we (?:promised|committed to|undertook|agreed to)) {_OF}\b|\bagreed (?:on|about)\b",
            r"^(?:which|what) (?:commitments|items|undertakings|promises) (?:were|was|have been|had been|did we)"
            r" (?:agreed|made|adopted|taken|make|agree)(?: (?:to|on))?\b",
            rf"\bhow many (?:commitments|items|undertakings|promises)(?: (?:are there|do we have|have we made|did we"
            rf" make|were made|exist))? (?:{_OF}|in)\b",
            # "list the 2021 commitments", "the commitments from 2021": the year is in the cue
            r"^(?:(?:list|show(?: me)?|give me)(?: all)? )?(?:all )?(?:the |our )?(?:(?P<year>(?:19|20)\d\d) )?"
            r"(?:commitments|items|undertakings)"
            r"(?(year)|(?: (?:agreed |made )?(?:in|from|of) (?P<year2>(?:19|20)\d\d)))$",
            r"\bwhen (?:did|have) (?:we|the two governments|both governments|both sides|canada and japan)"
            r" (?:agree|commit|promise|decide|sign up)(?: to| on)?\b",
            r"\bwhat (?:has|have|did) (?:canada|japan|we|the two governments|both governments|both sides)"
            rf" (?:committed|commit|agreed|agree|promised|promise|undertaken|undertake)(?: to)?(?: {_OF})?\b",
            # "what came out of the 2021 statement", "what did the leaders say about North Korea"
            r"\bwhat (?:came|has come|comes) out of\b",
            r"\bwhat (?:did|do|does|have|has) (?:the |our )?(?:leaders|prime ministers|ministers|governments"
            r"|two governments|both governments|both sides|canada and japan) (?:say|said|agree|agreed|state|stated"
            rf"|commit|committed)(?: to)?(?: {_OF})?\b",
        ],
        "fr": [
            r"\bcombien (?:d'engagements|de promesses|d'elements)(?: (?:y a-t-il|avons-nous|a-t-on|avons-nous pris"
            r"|a-t-on pris|ont ete pris))?"
            r" (?:sur|concernant|au sujet de|en matiere de|pour|dans|a propos de|en(?= (?:19|20)\d\d\b))",
            rf"\b(?:qu'avons-nous|qu'a-t-on|qu'est-ce qu'on a|qu'est-ce que nous avons|qu'avions-nous)"
            rf" (?:convenu|decide|accepte|promis|agree)(?: {_DE}| (?:sur|au sujet de|concernant|pour|a propos de))?",
            rf"\b(?:ce (?:qui a ete|que nous avons) convenu|engagements)"
            r"(?: (?:du japon|du canada|des deux pays|des deux gouvernements|canadiens|japonais|de chaque partie))?"
            rf" (?:sur|au sujet de|concernant|pour|a propos de|envers|a l'egard de|en matiere de"
            rf"|vis-a-vis {_DE}|{_DE})",
            r"^(?:quels|quelles) (?:engagements|promesses|mesures) (?:ont ete|avons-nous|a-t-on|avaient ete)"
            r" (?:pris|prises|convenus|convenues|adoptes|adoptees)\b",
            r"\bque (?:dit|prevoit|contient) (?:le programme|l'ordre du jour|l'agenda|le texte|l'accord)"
            r" (?:sur|au sujet de|concernant|a propos de|pour)\b",
            r"^(?:qu'est-ce qui a ete|qu'a-t-on|qu'avons-nous|qu'est-ce que nous avons|qu'est-ce qu'on a)"
            r" (?:convenu|decide|promis|agree)(?= en (?:19|20)\d\d\b| dans\b|$)",
            r"^(?:un |le )?resume (?:de la|du|des|de l'|de)\b(?=.*\b(?:19|20)\d\d\b)",  # a year's document
            # "qu'est-ce qui est ressorti de la déclaration de 2021", "qu'ont dit les dirigeants sur la Corée du Nord"
            r"\b(?:qu'est-ce qui (?:est|a) (?:ressorti|decoule)|que retenir) (?:de la|du|des|de l'|de)\b",
            r"\bqu'ont (?:dit|declare|convenu|decide) (?:les dirigeants|les premiers ministres|les ministres"
            r"|les deux gouvernements|les gouvernements)(?: (?:sur|au sujet de|concernant|a propos de|de))?\b",
        ],
        "ja": [
            r"(?:について|に関して|に関する|で)?(?:何|なに)を?(?:合意|約束|決定|決め)(?:した|しました|たの)?(?:か|の)?",
            r"(?:について|に関する|に関して)の?(?:合意|約束)(?:事項|内容)?(?:は)?",
            r"^(?P<year>(?:19|20)\d\d)年の(?:約束|合意事項|項目|コミットメント)(?:の)?(?:一覧|リスト)?(?:は)?$",
            r"の?(?:合意|約束)(?:事項|内容|したこと)(?:は|を)?(?:何|なに)?(?:ですか)?(?:教えて(?:ください|下さい)?)?$",
            # "首脳は北朝鮮について何と言ったか", "2021年の声明の内容は"
            r"(?:首脳|両首脳|両政府|両国|大臣)(?:は|が)(?P<subject>.*?)(?:について|に関して)?(?:何と|なんと)"
            r"(?:言った|述べた|言いました|述べました)(?:か|の)?",
        ],
    },
    Intent.overdue: {
        "en": [
            r"\boverdue\b|\bpast due\b|\bbehind schedule\b|\blate\b"
            r"|\b(?:deadlines?|due dates?) (?:that )?(?:have |has |we )?(?:passed|missed|lapsed|expired|slipped)\b"
            r"|\b(?:missed|passed|lapsed|expired) (?:deadlines?|due dates?)\b"
            r"|\b(?:deadlines?|due dates?) (?:did|have) we (?:miss|missed|blow|blown)\b|\bdid we miss\b"
        ],
        "fr": [
            r"\ben retard\b|\bechu(?:e|s|es)?\b|\bdepasse(?:e|s|es)?\b"
            r"|\b(?:echeances?|delais?|dates? limites?) (?:qui )?(?:sont |est |ont ete |a ete )?"
            r"(?:passee?s?|manquee?s?)\b"
            r"|\b(?:echeances?|delais?|dates? limites?) (?:avons-nous|a-t-on) (?:manquee?s?|rate(?:e|s|es)?)\b"
        ],
        "ja": [r"期限切れ|期限(?:を|が)過ぎ(?:た|ている|ています)(?:もの)?|遅れて(?:いる)?(?:もの)?|遅延|延滞"],
    },
    Intent.this_month: {
        "en": [r"\bthis month\b|\b(?:by|before) the end of the month\b|\bby month(?:-| )end\b"],
        "fr": [r"\bce mois(?:-| )ci\b|\bce mois\b|\b(?:d'ici|avant) la fin du mois\b"],
        "ja": [r"今月|(?<!\d)月末まで"],
    },
    Intent.this_week: {
        "en": [r"\bthis week\b|\b(?:by|before) the end of the week\b"],
        "fr": [r"\bcette semaine\b|\b(?:d'ici|avant) la fin de la semaine\b"],
        "ja": [r"今週"],
    },
    Intent.next_week: {
        "en": [r"\bnext week\b"],
        "fr": [r"\b(?:la )?semaine prochaine\b"],
        "ja": [r"来週"],
    },
    Intent.this_quarter: {
        "en": [r"\bthis quarter\b|\b(?:by|before) the end of the quarter\b"],
        "fr": [r"\bce trimestre(?:-ci)?\b|\b(?:d'ici|avant) la fin du trimestre\b"],
        "ja": [r"今四半期|この四半期"],
    },
    Intent.next_quarter: {
        "en": [r"\bnext quarter\b"],
        "fr": [r"\b(?:le )?(?:trimestre prochain|prochain trimestre)\b"],
        "ja": [r"来四半期|次の四半期"],
    },
    Intent.quarter: {
        "en": [
            r"\b(?:q(?P<q>[1-4])|(?:the )?(?P<qw>first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of)?)"
            r"(?:,? (?P<year>(?:19|20)\d\d))?\b",
        ],
        "fr": [
            r"\b(?:t(?P<q>[1-4])|(?:le |au )?(?P<qw>premier|1er|deuxieme|2e|second|troisieme|3e|quatrieme|4e)"
            r" trimestre(?: de| d')?)(?:,? (?P<year>(?:19|20)\d\d))?\b",
        ],
        "ja": [r"(?:(?P<year>(?:19|20)\d\d)年(?:度)?の?)?第?(?P<q>[1-4])四半期"],
    },
    Intent.by_year_end: {
        "en": [r"\b(?:by|before|until|through) (?:the end of )?(?P<year>20\d\d)\b"],
        "fr": [r"\b(?:d'ici|avant|jusqu'a|jusqu'en) (?:la )?(?:fin )?(?:de |d')?(?:l'annee )?(?P<year>20\d\d)\b"],
        "ja": [r"(?P<year>20\d\d)年(?:末|の終わり)?まで(?:に|の)?"],
    },
    Intent.in_year: {
        "en": [
            r"\b(?:planned|scheduled|due|happen(?:s|ed|ing)?|coming(?: up)?|expected|in store"
            r"|on the (?:calendar|agenda)|ahead)(?: for| in| during| throughout)? (?P<year>20\d\d)\b",
            r"^(?P<year>20\d\d)$",
        ],
        "fr": [
            r"\b(?:prevue?s?|a venir|au programme|a l'agenda|attendue?s?|arrive(?:ra|nt|ront)?)(?: pour| en| durant"
            r"| pendant)? (?:l'annee )?(?P<year>20\d\d)\b",
        ],
        "ja": [r"(?P<year>20\d\d)年(?:度)?(?:の|に)?(?:予定|計画|スケジュール|行事)"],
    },
    Intent.next_month: {
        "en": [r"\bnext month\b"],
        "fr": [r"\ble mois prochain\b|\bmois prochain\b"],
        "ja": [r"来月"],
    },
    Intent.this_year: {
        "en": [r"\bthis year\b|\b(?:by|before) the end of the year\b|\bby year(?:-| )end\b"],
        "fr": [r"\bcette annee\b|\b(?:d'ici|avant) la fin de l'annee\b"],
        "ja": [r"今年(?:中|の)?(?:に|中に|のうちに)?|年内(?:に)?|年末まで(?:に)?"],
    },
    Intent.next_year: {
        "en": [r"\bnext year\b"],
        "fr": [r"\bl'an(?:nee)? prochaine?\b|\ban(?:nee)? prochaine?\b"],
        "ja": [r"来年"],
    },
    Intent.upcoming: {
        # "the next meetings" with no meeting named is the list of what comes (after `next` asks "of what?")
        "en": [
            r"\bupcoming\b|\bcoming up\b|\bwhat(?:'s| is) (?:next|coming up|coming)\b|\b(?:due )?soon\b"
            r"|\b(?:next|coming|future) (?:meetings?|events?|dates?|deadlines?)\b"
            r"|\bwhen (?:do|will|shall|are) we (?:next )?(?:meet|meeting)(?: next| again)?\b"
            r"|\b(?:what(?:'s| is) )?(?:the )?most urgent\b|\bwhat (?:should|do) (?:i|we) (?:worry|care) about\b"
            r"|\bneeds? (?:my |our )?attention\b"
        ],
        "fr": [
            r"\ba venir\b|\bprochainement\b|\bqu'est-ce qui (?:s'en )?vient\b|\bbientot\b|\ble plus urgent\b"
            r"|\bqu'est-ce qui presse\b"
            r"|\bprochaine?s? (?:reunions?|rencontres?|echeances?|dates?)\b"
        ],
        "ja": [
            r"(?:期限|締め切り|締切)(?:が|の)(?:近い|迫って(?:いる)?)|今後の?(?:予定)?|これから(?:の予定)?|予定|もうすぐ"
            r"|近々|間もなく|次の?(?:会合|会議)|急ぎ|緊急"
        ],
    },
    Intent.documents: {
        "en": [
            r"\b(?:which|what|list(?: of)?(?: the)?|all(?: the)?)?\s*(?:source )?(?:documents|docs|texts)\b",
            r"\bhow many (?:commitments|items|undertakings)(?: (?:are there|do we have|have we made|in total|altogether"
            r"|are on the agenda|does the agenda (?:hold|have)))*$",
        ],
        "fr": [
            r"\b(?:quels|liste des|les)?\s*(?:documents|textes)(?: sources?)?\b",
            r"\bcombien (?:y a-t-il )?d'engagements(?: (?:y a-t-il|avons-nous|au total|en tout))*$",
        ],
        "ja": [
            r"(?:どの|どんな)?(?:文書|資料)(?:一覧|の一覧|は)?",
            r"^(?:全部で)?(?:約束|項目|コミットメント)は(?:全部で)?(?:何件|いくつ)(?:あります|ある)?(?:か)?$",
        ],
    },
    Intent.areas: {
        "en": [
            r"^(?:(?:what|which)(?: are)?|list|show(?: me)?|all)(?: all)?(?: the)? (?:areas|topics|themes|subjects)"
            r"(?: (?:are there|do we have|of the agenda|covered|does the agenda cover))?$",
        ],
        "fr": [r"^(?:quels sont|liste des|montrez-moi) (?:les )?(?:domaines|themes|sujets)(?: du programme)?$"],
        "ja": [
            r"^(?:どんな|どの)分野(?:が|は)?(?:あります|ある)?(?:か)?$",
            r"^分野(?:の)?一覧$|^分野は(?:何|なに)(?:ですか)?$",
        ],
    },
    # The whole agenda, not one subject: a cue that leaves no words ("status of everything"); with words left
    # ("the status of the MLAT") it is the status question instead.
    # The commitments in one status, asked as a list (the whole text is the question: "is the MLAT done" asks
    # about one subject, its status).
    Intent.with_status: {
        "en": [
            rf"^(?:what|which)(?: commitments| items| ones)?(?:'s| is| are| has| have)?(?: been)? (?P<status>{_ST_EN})"
            r"(?: so far| yet| now)?$",
            r"^(?:is|are) (?:anything|there any(?: commitments| items)?|any(?: commitments| items)?)"
            rf" (?P<status>{_ST_EN})(?=$| (?:on|in|for|about|regarding|from|of|under|since|before)\b)",
            rf"^(?:list|show(?: me)?)?(?: all)?(?: the)? ?(?P<status>{_ST_OPEN_EN}|{_ST_EN})"
            r" (?:commitments|items|ones)$",
            r"^what have we (?P<status>completed|finished|achieved|done|dropped|abandoned)(?: so far)?$",
            r"^how many(?: commitments| items)? (?:are|have been|were|remain)(?: still)?"
            rf" (?P<status>{_ST_OPEN_EN}|{_ST_EN})$",
            # "list everything from 1999 that is still open", "which 2005 items are outstanding on counter-terrorism":
            # the words between the head and the status, and those after it, are a year, a document or a subject
            r"^(?:(?:list|show(?: me)?|give me|find) )?(?:everything|all|anything|what's|what|which"
            r"|(?:the )?(?:commitments|items|ones))\b(?: (?:commitments|items|ones))?(?P<subject>.*?)"
            r"(?: (?:that|which))?(?: (?:is|are|remains?|stays?|has been|have been))?(?: still)?"
            rf" (?P<status>{_ST_OPEN_EN}|{_ST_EN})"
            r"(?=$| (?:from|in|on|for|about|regarding|of|under|within|since|before|after|until|between|prior)\b)",
        ],
        "fr": [
            r"^(?:qu'est-ce qui est|quels (?:engagements|dossiers) sont|quels sont les engagements|lesquels sont"
            rf"|y a-t-il des engagements|les engagements|engagements) (?P<status>{_ST_FR})$",
            r"^qu'avons-nous (?P<status>accompli|realise|acheve|termine|abandonne)(?: jusqu'ici)?$",
            r"^combien (?:d'engagements|de dossiers|d'elements)? ?(?:sont|restent|demeurent)(?: encore| toujours)?"
            rf" (?P<status>{_ST_OPEN_FR}|{_ST_FR})$",
            r"^(?:(?:listez|liste|montrez-moi|montre-moi|donnez-moi) )?(?:tout ce qui|tous les engagements"
            r"|les engagements|quels engagements|quels dossiers|ce qui|qu'est-ce qui|lesquels|engagements)\b"
            r"(?P<subject>.*?)(?: qui)?(?: (?:est|sont|reste|restent|demeure|demeurent))?(?: encore| toujours)?"
            rf" (?P<status>{_ST_OPEN_FR}|{_ST_FR})"
            r"(?=$| (?:de|du|des|d'|en|dans|sur|pour|concernant|depuis|avant|apres|entre|jusqu'en)\b)",
        ],
        "ja": [
            r"^(?P<status>停滞|進行中|実施中|完了|達成|未着手|中止)(?:している|した|済み|の)?(?:項目|もの|約束|合意事項)?"
            r"(?:は|を)?(?:何|どれ|ありますか)?(?:ですか)?(?:教えて(?:ください|下さい)?)?$",
            r"(?P<status>未完了|未了|未解決|残っている|残った|停滞|進行中|実施中|完了|達成|未着手|中止)(?:している|した|済み|の|で)?"
            r"(?:項目|もの|約束|合意事項|案件)",
        ],
    },
    Intent.unowned: {
        "en": [
            r"\b(?:no|without(?: an?)?|missing(?: an?)?|lacking(?: an?)?|with no|has no|have no) (?:owners?|leads?"
            r"|one assigned|person assigned|people assigned|named owners?|assigned owners?|assignees?|named person)\b"
            r"|\bunowned\b|\bunassigned\b|\b(?:nobody|no one|noone) (?:owns|is assigned|assigned|has been assigned"
            r"|is responsible)\b|\bnot (?:yet )?assigned\b|\bhave(?:n't| not) been assigned\b|\bnobody owns\b",
        ],
        "fr": [
            r"\bsans (?:responsables?|proprietaires?|pilotes?|titulaires?|personne (?:assignee|designee|responsable))\b"
            r"|\bpersonne n'(?:est|a ete) (?:assigne|designe|responsable)\b|\bnon (?:assigne|attribue)e?s?\b"
            r"|\bn'(?:ont|a) (?:pas de|aucun) (?:responsables?|pilotes?)\b|\baucun responsable\b",
        ],
        "ja": [
            r"担当(?:者|部署)?(?:が|の)?(?:いない|いません|未定|なし|無し|不在|未設定|決まっていない|決まっていません)"
            r"|未割り?当て?|誰も担当していない",
        ],
    },
    Intent.through_next_year: {
        "en": [
            r"\b(?:by|before|until|till|through|to) (?:the end of )?next year\b"
            r"|\bbetween now and (?:the end of )?next year\b"
        ],
        "fr": [r"\b(?:d'ici|avant|jusqu'a|jusqu'en) (?:la )?fin (?:de )?l'an(?:nee)? prochaine?\b"],
        "ja": [r"来年(?:末|の終わり|いっぱい)まで(?:に|の)?"],
    },
    # "The oldest open commitment": the words around the cue say whether open ones only, and of what.
    Intent.oldest: {
        "en": [
            r"\b(?:the )?(?:oldest|(?P<waiting>longest(?:-| )(?:standing|running|outstanding|open|pending)))\b"
            r"|\b(?:the )?earliest(?= (?:open |outstanding |unfinished |pending )?(?:commitments?|items?|undertakings?"
            r"|promises?)\b)",
        ],
        "fr": [r"\b(?:le |la |les |l')?plus (?:ancien(?:ne)?s?|vieil(?:le)?s?|vieux)\b"
               r"|\b(?P<waiting>en (?:suspens|attente) depuis le plus longtemps)\b"],
        "ja": [r"(?:最も|もっとも|一番|いちばん)?古い|最古の?|長年(?:の)?"],
    },
    # "What's the next deadline": the soonest deadline ahead (a look-ahead window would stop at 90 days).
    Intent.next_deadline: {
        "en": [r"\b(?:the |our )?(?:next|upcoming|nearest|soonest) (?:deadline|due date)s?\b"],
        "fr": [r"\b(?:la |le |notre )?(?:prochaine?) (?:echeance|date limite|delai|date d'echeance)s?\b"],
        "ja": [r"次の?(?:締め切り|締切|期限)"],
    },
    # "Which meetings haven't been held for years": each meeting's last record, the longest silent first.
    Intent.dormant: {
        "en": [
            r"\b(?:which|what) (?:meetings|mechanisms|dialogues|talks)(?: have| has)?(?:n't| not| never)"
            r" (?:been )?(?:held|met|taken place|convened|happened)\b"
            r"(?: (?:for|in|since) (?:years|ages|a (?:long )?while|a long time|some time|decades|months))?",
            r"\b(?:dormant|lapsed|inactive|silent|stalled) (?:meetings|mechanisms|dialogues)\b",
            r"\bmeetings (?:not|never) (?:held|convened)\b",
            r"\bwhen (?:was|did) each (?:meeting|mechanism|dialogue) (?:last )?(?:held|meet|convene)\b",
        ],
        "fr": [
            r"\bquelles (?:reunions|rencontres)(?: ne)? (?:n'ont|ont) (?:pas|jamais|plus)"
            r" (?:eu lieu|ete tenues|siege)\b",
            r"\b(?:reunions|rencontres|mecanismes)(?: (?:qui )?(?:sont|est))?"
            r" (?:en sommeil|inactifs?|inactives|dormante?s"
            r"|tombee?s en desuetude)\b",
        ],
        "ja": [
            r"(?:長い間|長年|しばらく|何年も)?(?:開催されていない|開かれていない|休眠(?:中)?の?)(?:会合|会議|協議)",
            r"(?:会合|会議)(?:の)?(?:うち|で)(?:長い間|長年|しばらく|何年も)?(?:開催されていない|開かれていない)(?:もの)?",
        ],
    },
    # "What's on the agenda for the next Pol-Mil": the meeting's briefing (what is proposed, its checklist).
    Intent.briefing: {
        "en": [
            r"\b(?:what(?:'s| is| will be| are we| will we| do we)? )?(?:on|in) (?:the|our) agenda (?:for|of|at)"
            r" (?:the |our )?(?:next |upcoming |coming )?",
            r"\b(?:the )?agenda (?:for|of) (?:the |our )?(?:next|upcoming|coming)\b",
            r"\bwhat (?:will|shall|should|are|do) we (?:discuss|be discussing|discussing|raise|raising|cover|covering"
            r"|bring up|bringing up|talk about|talking about|be talking about)"
            r" (?:at|in|during) (?:the |our )?(?:next |upcoming |coming )?",
            r"\bwhat(?:'s| is| has been| was)? (?:proposed|tabled|put forward) for (?:the |our )?(?:next |upcoming )?",
            r"\bwhat (?:needs|has|have|do we need|does it take|must|should) (?:to )?"
            r"(?:happen|be done|get done|do|prepare)"
            r" (?:before|ahead of|for) (?:the |our )?(?:next|upcoming|coming)\b",
            # "brief me on North Korea" is a lookup: only a meeting to come is briefed
            r"\b(?:brief me (?:on|for)|(?:a |the )?briefing (?:for|on|about)|prepare (?:me )?for) (?:the |our )?"
            r"(?:next|upcoming|coming)\b",
            # "what should I prepare for the symposium", "help me prepare the next Pol-Mil": preparing is for a
            # meeting to come, so its briefing, with or without "next"
            r"\bwhat (?:should|do|must) (?:i|we) (?:need to |have to )?(?:prepare|get ready|have ready)"
            r" (?:for|before|ahead of)"
            r" (?:the |our )?(?:next |upcoming |coming )?",
            r"^(?:help me |let's |let us )?(?:prepare|get ready)(?: me| us)? (?:for )?(?:the |our )?"
            r"(?:next |upcoming |coming )?",
        ],
        "fr": [
            r"\b(?:qu'est-ce qui est |quoi )?a l'ordre du jour (?:de la |du |des |de l')(?:prochaine?s? )?",
            r"\b(?:l')?ordre du jour (?:de la |du |des |de l')prochaine?s?\b",
            r"\bde quoi (?:parlerons-nous|allons-nous parler|discuterons-nous|va-t-on parler) (?:a la |au |aux |a l')"
            r"(?:prochaine?s? )?",
            r"\b(?:qu'est-ce qui est |quels points sont )?(?:propose|proposes|inscrits?) (?:pour|a) (?:la |le |l')"
            r"(?:prochaine?s? )?",
            r"\bque (?:faut-il|doit-on|devons-nous) (?:faire|preparer) (?:avant|pour) (?:la |le )prochaine?\b",
            r"^(?:aidez-moi a |aide-moi a )?preparer (?:la |le |l')(?:prochaine?s? )?",
            r"\bque (?:dois-je|devons-nous|faut-il) preparer (?:pour|avant) (?:la |le |l')(?:prochaine?s? )?",
        ],
        "ja": [
            r"の?(?:議題|アジェンダ案|検討事項|提案事項)(?:は|を)?(?:何|なに)?(?:ですか)?(?:教えて(?:ください|下さい)?)?$",
            r"で(?:何|なに)を(?:話し合う|議論する|協議する|取り上げる)(?:予定)?(?:ですか|のか|か)?$",
            r"の?(?:準備|事前準備)(?:を(?:する|したい|始める|手伝って))?(?:には|に)?(?:何が必要|何を(?:すれば|する))?"
            r"(?:ですか|でしょうか|か)?(?:教えて(?:ください|下さい)?)?$",
        ],
    },
    Intent.overview: {
        "en": [
            r"\b(?:overall |general |current )?(?:status|state|progress)(?: report| update)?"
            r"(?: (?:of|on|across|for) (?:everything|it all|all(?: of it)?|(?:the )?(?:whole |entire )?agenda))?\b",
            r"\b(?:an |the )?(?:overview|big picture|state of play|rundown|status report)\b"
            r"(?: (?:of|on) (?:the )?(?:(?:whole |entire )?agenda|everything|things))?",
            r"\bwhere (?:do|are) (?:things|we)(?: stand)?(?: overall| on everything)?\b",
            r"\bhow (?:are|is) (?:we|things|everything|the agenda) (?:doing|going)(?: overall)?\b",
        ],
        "fr": [
            r"\b(?:l')?etat (?:d'avancement|des lieux)(?: (?:general|global|d'ensemble|du programme|de tout))?\b",
            r"\b(?:une |la )?vue d'ensemble\b(?: (?:du programme|des engagements))?",
            r"\b(?:ou en sommes-nous|ou en est-on|ou en sont les choses)\b(?: (?:globalement|dans l'ensemble))?",
            r"\b(?:le |un )?(?:bilan|point de situation|portrait d'ensemble)\b(?: (?:general|global))?",
            r"\b(?:le )?(?:statut|etat|avancement) (?:general|global|d'ensemble|de tout)\b",
        ],
        "ja": [
            r"(?:全体|全般)(?:の|的な)?(?:進捗状況|進捗|状況|現状|概要|様子)(?:は|を)?"
            r"(?:どう(?:ですか|なって(?:いますか|いる|る))?)?(?:教えて(?:ください|下さい)?)?",
            r"^(?:現在の|今の|最新の?)?(?:進捗状況|進捗|状況|現状|概要|全体像)(?:は|を)?"
            r"(?:どう(?:ですか|なって(?:いますか|いる|る))?)?(?:教えて(?:ください|下さい)?)?$",
            r"全体像",
        ],
    },
    Intent.changes: {
        "en": [
            r"\bwhat(?:'s| has| have)? (?:changed|new|happened)\b|\b(?:changes|updates|news|anything new)\b"
            r"|\bchanged\b",
            r"\bwhat (?:did|have|has) (?:i|we) (?:changed?|updated?|edited?|modified?|touched)\b"
            r"|\bmy (?:changes|edits)\b",
        ],
        "fr": [
            r"\bquoi de (?:neuf|nouveau)\b|\bqu'est-ce qui a change\b"
            r"|\b(?:les )?(?:changements|modifications|nouveautes)\b"
            r"|\bdu nouveau\b|\bqu'est-ce qui a bouge\b|\ba change\b",
            r"\bqu'(?:est-ce que j'ai|ai-je) (?:change|modifie|mis a jour)\b|\bmes (?:changements|modifications)\b",
        ],
        "ja": [
            r"の?(?:変更|変化|更新|変わった(?:こと|もの)?|新しい(?:こと)?)(?:点|は)?(?:何|なに)?",
            r"(?:何|なに)(?:が|か)(?:変わり|変わっ|変更され)(?:ました|た)(?:か)?",
            r"^最新(?:の)?(?:情報|動き|ニュース)|^新着",
            r"(?:私|わたし|自分|僕)が(?:最近|先週|今週|今月|昨日|今日)?(?:変更|更新|編集)(?:した|しました)(?:もの|こと|項目|内容|点)?"
            r"(?:は|を)?(?:何|なに)?(?:ですか)?(?:教えて(?:ください|下さい)?)?",
        ],
    },
    Intent.mine: {
        "en": [
            r"^(?:what|which)(?: commitments| items)? (?:do|should|must) i (?:need to |have to )?(?:do|own|follow up"
            r"(?: on)?|work on|handle|deliver)$",
            r"^(?:what|which)(?: commitments| items)? (?:am i|i am) (?:responsible for|in charge of|on the hook for"
            r"|working on|assigned(?: to)?)$",
            r"^(?:show |list |give )?(?:me )?my (?:commitments|items|work|tasks|actions|assignments|deadlines"
            r"|follow-ups|list|agenda)$",
            r"^what(?:'s| is) on my (?:plate|list|desk)$|^my stuff$",
        ],
        "fr": [
            r"^(?:mes|nos) (?:engagements|dossiers|taches|echeances|suivis)$",
            r"^(?:qu'est-ce que|que) (?:je dois|dois-je) (?:faire|suivre|livrer)$",
            r"^de quoi (?:suis-je|je suis) (?:responsable|charge|en charge)$",
            r"^(?:qu'est-ce qui|quels dossiers) (?:me revien(?:t|nent)|m'est confie|me sont confies)$",
        ],
        "ja": [
            r"^(?:私|わたし|自分|僕)(?:の|が)(?:担当|所管|案件|項目|タスク)(?:している)?(?:の)?(?:項目|もの|案件)?(?:は|を)?"
            r"(?:何|なに)?(?:ですか|でしょうか)?(?:教えて(?:ください|下さい)?)?$",
        ],
    },
    Intent.meetings: {
        "en": [
            r"^(?:list|show(?: me)?|what|which|all|how many)(?: all| of)?(?: the| our)?"
            r" (?:meetings|mechanisms|dialogues)"
            r"(?: (?:are there|do we have|exist|are on the agenda|we hold))?$",
        ],
        "fr": [
            r"^(?:quelles sont |liste des |montrez-moi |toutes )?(?:les )?(?:reunions|mecanismes|dialogues)"
            r"(?: (?:existantes|prevues|du programme))?$",
            r"^quelles (?:reunions|rencontres)(?: (?:avons-nous|y a-t-il|existe-t-il))?$",
        ],
        "ja": [
            r"^(?:会合|会議|協議)(?:の)?(?:一覧|リスト)(?:を)?(?:見せて|表示して|教えて)?(?:ください|下さい)?$"
            r"|^(?:どんな|どの)(?:会合|会議)が(?:あります|ある)(?:か)?$"
        ],
    },
    Intent.everything: {
        "en": [
            r"^(?:(?:list|show(?: me)?|give me|see)(?: all| every| the whole list of| the full list of)?"
            r"|all|every|the whole list of|the full list of) (?:the |our )?(?:commitments?|items|undertakings|agenda)$",
            r"^everything$|^(?:show|list) everything$|^(?:the |our )?(?:whole|entire|full|complete) (?:agenda|list)$",
        ],
        "fr": [
            r"^(?:(?:la )?liste (?:de tous les|des)|tous les|(?:montrez|affichez|listez)(?:-moi)? tous les)"
            r" engagements$",
        ],
        "ja": [r"^(?:全て|すべて|全部)の(?:約束|合意事項|項目)(?:の一覧)?$|^(?:約束|合意事項)の一覧$"],
    },
    Intent.follow_ups: {
        "en": [
            r"\b(?:the |our |all )?(?:open |outstanding |pending |overdue |unfinished )?(?:action items?"
            r"|follow-?ups?(?: actions?| items?)?|next steps)(?: (?:are|is) (?:still )?(?:open|outstanding|pending))?"
            r"(?: (?:from|of|for|after|decided at|agreed at) (?:the )?(?:last |latest |previous |most recent )?)?",
        ],
        "fr": [
            r"\b(?:les |nos )?(?:actions|mesures|suites) (?:de suivi|a donner)(?: (?:ouvertes|en cours|en suspens))?"
            r"(?: (?:de la|du|des|de l'|apres la|apres le) (?:derniere?s? )?)?|\bles suivis\b(?: (?:de la|du|des) )?",
        ],
        "ja": [
            r"(?:前回の)?(?P<subject>[^ ]*?)(?:の|で決まった)?(?:未完了の|未了の)?"
            r"(?:フォローアップ(?:事項|項目|アクション)?|アクションアイテム|宿題|やるべきこと)"
            r"(?:は|を)?(?:何|なに)?(?:ですか)?(?:教えて(?:ください|下さい)?)?",
        ],
    },
    Intent.set_status: {
        "en": [
            r"^(?:please )?(?:mark|flag|record|log) (?P<subject>.+?) as (?P<status>.+)$",
            r"^(?:please )?(?:set|change|update|move) (?:the )?status (?:of|for|on) (?P<subject>.+?)"
            r" to (?P<status>.+)$",
            r"^(?:please )?(?:set|change|update|move) (?P<subject>.+?)(?:'s status| status) to (?P<status>.+)$",
        ],
        "fr": [
            r"^(?:veuillez )?(?:marquer|indiquer|noter|consigner) (?P<subject>.+?) comme (?P<status>.+)$",
            r"^(?:veuillez )?(?:mettre|changer|passer|modifier) (?:le )?statut (?:de la |du |de l'|des |de |d')"
            r"(?P<subject>.+?) (?:a|en|sur|pour) (?P<status>.+)$",
        ],
        "ja": [
            r"^(?P<subject>.+?)の(?:ステータス|状況|状態)を(?P<status>.+?)(?:に|へ)(?:する|して|変更|設定|更新)",
            r"^(?P<subject>.+?)を(?P<status>完了|中止|進行中|保留|停滞|署名済み|批准済み|発効済み|未着手)"
            r"(?:に|と)?(?:する|して|変更|設定|更新|記録)",
        ],
    },
    Intent.reschedule: {
        "en": [
            r"^(?:please )?(?:move|reschedule|postpone|push back|push|bring forward|reset|change the date of)"
            r" (?:the date of )?(?P<subject>.+?) (?:to|until|till|for|on) (?P<when>.+)$",
            r"^(?:please )?(?:fix|set) the (?:date of the |date for the |next )?(?P<subject>.+?)(?: date)?"
            r" (?:to|for|on|as) (?P<when>.+)$",
        ],
        "fr": [
            r"^(?:veuillez )?(?:reporter|deplacer|decaler|avancer|reprogrammer|fixer|changer la date)"
            r" (?:(?:de )?la date (?:de la |du |de l'|des |de |d'))?(?P<subject>.+?)"
            r" (?:au|a la|a l'|a|en|pour le|pour|le|jusqu'au) (?P<when>.+)$",
        ],
        "ja": [
            r"^(?:次回の)?(?P<subject>.+?)(?:の(?:日程|開催日|日付|期日))?を(?P<when>.+?)(?:に|へ)"
            r"(?:変更|移動|延期|設定|決定|前倒し|変えて|して)",
        ],
    },
    Intent.record_held: {
        "en": [
            # a date said (a digit in it): "in years" or "on time" is no record of a meeting
            r"^(?:we )?(?:held|had|hosted) (?:the |our )?(?P<subject>.+?) (?P<when>(?:on|in) [^?]*\d[^?]*)$",
            r"^(?!(?:which|what|who|when|how|did|has|have|was|were)\b)(?:the |our )?(?P<subject>.+?)"
            r" (?:was held|took place|met|happened|was hosted) (?P<when>(?:on|in) [^?]*\d[^?]*)$",
        ],
        "fr": [
            r"^(?:nous avons tenu|on a tenu) (?:le |la |les |l')?(?P<subject>.+?)"
            r" (?P<when>(?:le|en|a|au) [^?]*\d[^?]*)$",
            r"^(?!(?:quand|quel|quelle|est-ce)\b)(?:le |la |les |l')?(?P<subject>.+?)"
            r" (?:a eu lieu|s'est tenue?|s'est reunie?|se sont tenu(?:e)?s) (?P<when>(?:le|en|a|au) [^?]*\d[^?]*)$",
        ],
        "ja": [
            r"^(?P<subject>.+?)(?:は|が|を)(?P<when>[^は]*?\d[^は]*?)に"
            r"(?:開催され(?:た|ました)|開催(?:した|しました)|開かれ(?:た|ました)"
            r"|行われ(?:た|ました))$",
        ],
    },
    Intent.help: {
        "en": [r"^(?:help(?: me)?|what can you do|how does this work|how do i use (?:this|you)|commands)$"],
        "fr": [r"^(?:aide|aidez-moi|a l'aide|que sais-tu faire|comment ca marche|mode d'emploi)$"],
        "ja": [r"^(?:ヘルプ|使い方|使いかた|助けて|何ができる(?:の)?)$"],
    },
}

# A period said without a date: "this week", "recently" (since_date reads each).
_RECENT = Lazy(
    r"\b(?:recently|lately|this week|this month|today|yesterday|last week|last month|last year|recemment|dernierement"
    r"|cette semaine|ce mois(?:-| )ci|ce mois|aujourd'hui|hier|la semaine derniere|le mois dernier|l'an dernier"
    r"|l'annee derniere)\b|最近|近頃|今週|今月|今日|昨日|先週|先月|去年|昨年"
)
# A span counted back from today: "in the last 7 days", "over the past two weeks", "3 days ago", "ces 7 derniers
# jours", "il y a deux semaines", "この1週間", "過去3か月", "7日前". since_date reads each as today minus the span.
_COUNT_WORDS = {
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "quelques": 3,  # loose words, read as the usual sense
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "quinze": 15, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10,
}  # fmt: skip
_COUNT = r"(?P<n>\d{1,3}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + ")"
_JA_UNIT = r"(?P<unit>日|週|(?:か|ヶ|カ|ヵ|ケ)月|年)"
_BACK_SPANS = (
    Lazy(
        rf"\b(?:(?:in|over|during|within|for|from) )?(?:the )?(?:last|past|previous) (?:{_COUNT} )?"
        r"(?P<unit>day|week|month|year)s?\b"
    ),
    Lazy(rf"\b{_COUNT} (?P<unit>day|week|month|year)s? ago\b"),
    Lazy(
        rf"\b(?:(?:au cours|pendant|durant|sur) )?(?:des |les |ces |la |le |l'|du )(?:{_COUNT} )?"
        r"derniere?s? (?P<unit>jour|semaine|mois|annee)s?\b"
    ),
    Lazy(
        rf"\b(?:(?:au cours|pendant|durant|sur) )?(?:des |les |ces |la |le |l'|du )(?:{_COUNT} )?"
        r"(?P<unit>jour|semaine|mois|annee)s? derniere?s?\b"
    ),
    Lazy(rf"\b(?:il y a )?{_COUNT} (?P<unit>jour|semaine|mois|an|annee)s?\b"),
    Lazy(rf"(?:この|過去|直近|ここ)(?:(?<!\d){_COUNT})?{_JA_UNIT}間?"),
    Lazy(rf"(?<!\d){_COUNT}{_JA_UNIT}間?前"),
    Lazy(rf"(?<!\d){_COUNT}{_JA_UNIT}間"),
)
_BACK_UNIT = {"day": "days", "week": "weeks", "month": "months", "year": "years", "jour": "days", "semaine": "weeks",
              "mois": "months", "an": "years", "annee": "years", "日": "days", "週": "weeks", "月": "months",
              "年": "years"}  # fmt: skip


def back_span(text: str) -> re.Match | None:
    """The first span counted back from today that text names ("the last 7 days", "この1週間"), if any."""
    found = [m for pattern in _BACK_SPANS if (m := pattern.search(text)) is not None]
    return min(found, key=lambda m: (m.start(), -m.end())) if found else None


def _span_back(said: re.Match) -> relativedelta:
    count = said["n"]
    n = int(count) if count and count[0].isdigit() else _COUNT_WORDS.get(count or "", 1)
    return relativedelta(**{_BACK_UNIT[said["unit"][-1] if said["unit"][-1] in "日週月年" else said["unit"]]: n})


_LAST_WORD = Lazy(r"前回|最後|最後に会った|last|previous|most recent|derniere?|precedente?")
_BARE_NOUN = Lazy(r"changes?|changed|updates?|news|changements?|modifications?|nouveautes?|変更|変化|更新")
# Where a date follows: "since", "depuis", and Japanese "以降" (which follows the date).
_SINCE = Lazy(r"\b(?:since|after|depuis(?: le)?|apres(?: le)?)\s+(?P<since>.+)$")
_SINCE_JA = Lazy(r"(?P<since>[^ ]+?)(?:以降|以来|から|より後)")

# Filters of "what did we agree on X": a year, or a document.
_YEAR = r"(?:19|20)\d\d"
_YEAR_EN_FR = Lazy(rf"(?:\b(?:in|from|en|de|dans)\s+(?:l'annee\s+)?)?\b(?P<year>{_YEAR})\b")
_YEAR_JA = Lazy(rf"(?P<year>{_YEAR})年(?:に|の|で|には)?")
# A span of years ("before 2005", "since 2002", "between 1999 and 2005"): "before" and "after" leave the
# year out, "until" and "since" keep it in.
_YEARS_EN_FR = Lazy(
    rf"\b(?:(?P<before>before|prior to|earlier than|avant)|(?P<until>until|up to|through|up until|jusqu'en|jusqu'a)"
    rf"|(?P<after>after|later than|apres)|(?P<since>since|as of|starting in|depuis|a partir de))"
    rf" (?:the year |l'annee )?"
    rf"(?P<year>{_YEAR})\b|\b(?:between|entre) (?P<first>{_YEAR}) (?:and|et) (?P<last>{_YEAR})\b"
)
_YEARS_JA = Lazy(
    rf"(?P<first>{_YEAR})年から(?P<last>{_YEAR})年(?:まで)?(?:に|の|で)?"
    rf"|(?P<year>{_YEAR})年(?:(?P<before>より前)|(?P<until>以前|まで)|(?P<after>より後)|(?P<since>以降|以来|から))(?:に|の|で)?"
)
# The oldest *open* commitment: said beside the cue ("oldest open commitment", "le plus ancien encore ouvert").
_OPEN_WORDS = Lazy(
    rf"\b(?:(?:that|which) )?(?:(?:is|are|remains?) )?(?:still )?(?:{_ST_OPEN_EN})\b"
    rf"|\b(?:qui )?(?:(?:est|sont|reste|restent) )?(?:encore |toujours )?(?:{_ST_OPEN_FR})\b"
    r"|(?:まだ)?(?:未完了|未了|未解決|残っている|残った|終わっていない)(?:の)?"
)
_ITEM_NOUN = Lazy(
    r"(?:\b(?:l'|les |le ))?\b(?:commitments?|items?|undertakings?|promises?|ones?|engagements?|dossiers?|points?"
    r"|things?)\b(?: (?:that |which )?we (?:agreed|committed to|promised|made|signed up to)(?: (?:on|about|to))?)?"
    r"|(?:約束|項目|合意事項|コミットメント|案件|もの)(?:は|を)?(?:何|なに|どれ)?(?:ですか)?"
)
# "Decided at the last Pol-Mil", "lors de la dernière réunion", "前回の…で": a meeting's own record.
_AT_A_MEETING = Lazy(
    r"\b(?:at|during|in) (?:the |our )?(?:last|previous|most recent)\b"
    r"|\b(?:lors de|a|au cours de|pendant) (?:la |le )?(?:derniere?|precedente?)\b|前回の"
)
# "Who is the Japanese lead on X", "côté canadien", "日本側の担当": one country's side of the owners.
_WHERE = Lazy(r"\bwhere\b|\bhost(?:s|ed|ing)?\b|\bou\b|\bhote\b|\baccueill|開催国|開催地|開催場所|ホスト|どこ")
_SIDES = {
    "JP": Lazy(r"\b(?:japanese|japan's|(?:from|in) japan|japonaise?s?|du japon)\b|日本側|日本の(?:担当|責任者)"),
    "CA": Lazy(
        r"\b(?:canadian|canada's|(?:from|in) canada|canadiens?|canadiennes?|du canada)\b"
        r"|カナダ側|カナダの(?:担当|責任者)"
    ),
}
# "What did I change": the asker's own changes.
_BY_ME = Lazy(
    r"\b(?:by me|i(?:'ve| have)? made|(?:that |which )?i (?:changed|made|did))\b|私が|わたしが|自分が|僕が"
)
_ME = Lazy(r"\b(?:i|i've|my|me|j'ai|ai-je|mes)\b|私|わたし|自分|僕")
_DOCUMENT_EN_FR = Lazy(  # "in the 2002 Proposals for Collaboration", up to "on <subject>"
    rf"\b(?:in|from|dans|selon)\s+(?:the |our |le |la |les |l')?(?P<document>[^,;:]*?\b(?:{_DOC_NOUNS})\b"
    r"(?:(?!\s(?:on|about|regarding|concerning|sur|concernant|au sujet|a propos)\b)[^,;:])*)"
)
_DOCUMENT_NOUN = Lazy(rf"(?:the |our |le |la |les |l')?(?:{_DOC_NOUNS}|texte|accord|文書|声明|合意文書|宣言)s?")
_DOCUMENT_JA = Lazy(r"(?P<document>[^ 、,]+?(?:アジェンダ|行動計画|提案|文書|優先事項))(?:で|に|の中で|では)")

# Filler at the edges of a subject: it does not change what is asked about.
_FILLER = {
    "en": (
        "please", "pls", "can you tell me", "could you tell me", "can you", "could you", "tell me", "show me",
        "i'd like to know", "i would like to know", "i want to know", "do you know", "do we know", "do we have",
        "is there", "are there", "there", "we have", "have we", "have", "do we", "we", "what", "which", "who",
        "when", "where", "how", "is", "are", "was", "were", "does", "do", "did", "will", "the", "a", "an", "our",
        "its", "it", "this", "that", "these", "on", "of", "for", "about", "with", "regarding", "in", "to", "at",
        "thanks", "thank you", "hey", "hi", "ok", "so", "and", "any", "all", "items", "item", "anything",
        "meet", "meeting", "meetings", "session", "meets", "held", "take place", "happen", "due", "happening",
        "planned", "scheduled",
        "going", "progressing", "coming", "one", "again", "currently", "now", "right now", "list", "next", "be",
        "what's", "who's", "when's", "where's", "how's", "it's", "there's", "have we got", "last", "previous",
        "most recent", "convene", "took place", "met", "take", "everything", "owe", "we owe", "up", "coming up",
        "stuff", "things", "commitments", "commitment", "deadlines", "deadline", "dates", "expected", "need",
        "i need", "give me", "show", "we got", "got", "falls", "fall", "falling", "there be", "how many",
        "hosted", "hosts", "host", "who hosted", "canadian", "japanese", "by the end", "the end", "end",
        "hold", "we hold", "we last", "did we", "ones", "still", "from", "that", "which", "on the japanese side",
        "on the canadian side", "on japan's side", "on canada's side", "japanese side", "canadian side", "side",
        "they", "annual", "yearly", "sign", "remind me", "a summary of", "summary of", "the summary of",
        "a summary", "summary", "an overview of", "overview of", "signed", "ratify", "ratified", "conclude",
        "concluded",
        "finish", "finished", "complete", "completed", "deliver", "delivered", "implement", "implemented",
        "achieve", "achieved", "know", "yet", "ever", "already", "to", "the full text of", "full text of",
        "the text of", "text of", "the wording of", "wording of", "the exact wording of", "decided", "discussed",
        "happened", "what happened", "went on",
        "was decided", "were decided", "agreed", "was agreed", "concluded",
    ),
    "fr": (
        "s'il vous plait", "s'il te plait", "svp", "pouvez-vous me dire", "pourriez-vous me dire", "peux-tu me dire",
        "dites-moi", "dis-moi", "je voudrais savoir", "j'aimerais savoir", "bonjour", "est-ce que", "qu'est-ce qui",
        "qu'est-ce que", "quel est", "quelle est", "quels sont", "quelles sont", "quel", "quelle", "quoi", "qui",
        "est", "sont", "le", "la", "les", "l'", "du", "des", "de", "d'", "un", "une", "sur", "pour", "avec",
        "au sujet de", "concernant", "a propos de", "notre", "nos", "merci", "a lieu", "aura lieu", "prevu", "prevus",
        "prevue", "prevues", "ce qui", "il y a", "y a-t-il", "on", "nous", "en", "dans", "a", "c'est", "se tient",
        "reunion", "reunions", "rencontre", "rencontres", "seance", "session", "edition",
        "se tiendra", "se reunit", "se reunira", "la prochaine", "le prochain", "prochaine", "prochain", "sera",
        "qu'est-ce qu'on", "quand", "ou", "dernier", "derniere", "precedent", "precedente", "quelque chose",
        "tout", "tous", "engagements", "engagement", "echeances", "echeance", "dossiers", "dossier", "a venir",
        "prevu", "y a-t-il quelque chose", "quoi de prevu", "qu'y a-t-il", "combien", "combien de", "combien d'",
        "quels", "quelles", "ceux", "celles", "rappelle-moi", "rappelez-moi", "redis-moi", "redites-moi",
        "a quelle date", "quelle date", "date", "a quel moment", "qui sera", "sera l'hote", "l'hote", "hote",
        "donnez-moi", "donne-moi", "montrez-moi", "montre-moi", "la liste", "liste", "canadien", "canadienne",
        "japonais", "japonaise", "avons-nous", "a-t-on", "tenu", "tenue", "nous avons", "encore", "toujours",
        "du cote japonais", "du cote canadien", "cote japonais", "cote canadien", "signe", "ratifie", "conclu",
        "deja", "enfin", "reunissent", "se reunissent", "se reunit", "lieu", "eu lieu", "a eu lieu", "ont eu lieu",
        "fois", "pour la derniere fois", "nous sommes-nous", "sommes-nous", "reunis", "reunies", "un resume de",
        "le resume de",
        "un resume du", "resume de", "resume du", "resume", "le texte integral de", "le texte integral du",
        "le texte de", "le texte du", "texte integral", "le libelle de", "le libelle du", "a ete decide",
        "ete decide", "decide", "a ete convenu", "convenu", "discute", "lors", "lors de", "je cherche",
        "je recherche", "nous cherchons", "on cherche", "cherche", "points", "les points", "ont lieu", "auront lieu",
        "ont",
    ),
    "ja": (
        "教えてください", "教えて下さい", "を教えて", "教えて", "ください", "でしょうか", "ですか", "ますか",
        "か", "ね", "よ", "を知りたい", "知りたい", "すみません", "は", "が", "を", "の", "に", "について",
        "に関して", "って", "いつ", "誰", "だれ", "どなた", "何", "なに", "です", "。", "、", "もの", "こと", "一覧",
        "予定", "項目", "事項", "案件", "日程", "スケジュール", "どこ", "ありますか", "あります", "ある", "何か",
        "開催国", "開催地", "開催場所", "開催", "会合", "会議", "ミーティング", "全部", "すべて", "全て", "何件",
        "いくつ", "約束", "合意事項", "コミットメント", "次回", "次", "でしたか", "でした", "ました", "で", "のうち",
        "日本側", "カナダ側", "開催されます", "開催される", "開かれます", "開かれる", "の概要", "概要",
        "期限が来るもの", "期限が来る", "期限を迎えるもの", "期限を迎える", "予定されているもの", "予定されている",
        "締め切り", "締切", "期限", "全文", "本文", "見せて", "を見せて", "見せてください", "探しています",
        "を探しています", "探して", "います", "どんな", "どの",
    ),
}  # fmt: skip

_EDGE = " ,;:-'\"()"
_QUESTION_MARKS = re.compile(r"[?？¿!！。]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "«": " ", "»": " ", "“": " ", "”": " "})
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


# -- folding: what is matched, and the way back to what was typed ------------------------------------


def fold(text: str) -> tuple[str, list[int]]:
    """Text for matching (casefolded, Latin accents stripped, ’ → '), and for each of its
    characters the index of the typed character it comes from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        base = unicodedata.normalize("NFD", ch)
        # Only Latin letters lose their marks: a Japanese ジ is not シ.
        piece = base[0] if base[0].isascii() and base[0].isalpha() else ch
        piece = piece.translate(_APOSTROPHES).casefold()
        folded.append(piece)
        origin += [index] * len(piece)
    return "".join(folded), origin




@functools.cache
def _fillers(lang: str, *, at_end: bool) -> re.Pattern:
    """A run of filler words at the start (or the end) of the text; Japanese has no spaces between words.
    Compiled when a question is first trimmed, not at import: a lookup (`ask MLAT`) trims nothing."""
    either = "|".join(re.escape(f) for f in sorted(_FILLER[lang], key=len, reverse=True))
    if lang == "ja":
        return re.compile(f"(?:{either})+$" if at_end else f"^(?:{either})+")
    if at_end:
        return re.compile(rf"(?:(?:^|\s+)(?:{either}))+$")
    return re.compile(rf"^(?:(?:{either})(?:\s+|$|(?<=')))+")


# Window intents are checked before "next" and "upcoming": "next year" is a period, not a meeting.
# "When was the last" before "when"; "anything on" last: "is there anything overdue" is a window.
# A named month after "who owns" and "when was the last": "who hosts it in October" asks about a meeting.
_ORDER = [
    Intent.help, Intent.set_status, Intent.reschedule, Intent.record_held, Intent.follow_ups, Intent.everything,
    Intent.mine, Intent.briefing, Intent.next_deadline, Intent.dormant, Intent.meetings,
    Intent.changes,
    Intent.documents, Intent.areas,
    Intent.oldest, Intent.agreed,
    Intent.held, Intent.cadence, Intent.unowned, Intent.overdue, Intent.with_status, Intent.through_next_year,
    Intent.by_year_end,
    Intent.in_year, Intent.this_month, Intent.this_week,
    Intent.next_week, Intent.this_quarter, Intent.next_quarter, Intent.quarter, Intent.next_month, Intent.this_year,
    Intent.next_year, Intent.within, Intent.before, Intent.by_end, Intent.owned_by, Intent.owner,
    Intent.overview, Intent.status, Intent.last, Intent.month, Intent.next, Intent.upcoming,
    Intent.about,
]  # fmt: skip


@functools.cache
def _cues(japanese: bool) -> dict[Intent, list[tuple[str, str]]]:
    """The cues of each intent, in CUES's order. Every Japanese cue needs a Japanese character to match,
    so text without one is matched without them."""
    langs = ("en", "fr", "ja") if japanese else ("en", "fr")
    return {
        intent: [(lang, cue) for lang, cues in CUES[intent].items() if lang in langs for cue in cues]
        for intent in _ORDER
    }


# A cue is compiled the first time text holds what it needs (_required), not at import nor for every
# question: compiling all of them takes some 20 ms, and a start that looks up a topic (`ask MLAT`) would
# compile every one to find that none matches.
_compiled = functools.cache(re.compile)

_CUE_TOKENS = re.compile(
    # \b \d \s \u3040 \1: a class, an assertion, a code or a group (read as a whole); \. \?: that character
    r"\\(?P<escaped>x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|\d{1,3}|.)"
    r"|(?P<klass>\[\^?\]?(?:\\.|[^\]])*\])"
    r"|(?P<flags>\(\?[aiLmsux-])"  # (?i): flags, which change what a character matches
    r"|(?P<repeat>\{\d*,?\d*\}|[?*+])"
    r"|(?P<group>[()])"
    r"|(?P<text>[^\\\[\](){}|?*+^$.]+)"
    r"|(?P<other>.)",  # | ^ $ . and a { or ] that is itself
    re.DOTALL,
)


@functools.cache
def _required(cue: str) -> tuple[str, ...]:
    """Runs of characters that every match of the cue contains, read from its text without compiling it:
    its plain characters outside groups, classes and alternatives, less a character a repeat applies to
    ("owns?" needs "own"). Nothing when alternatives or flags stand at the top. tests/test_questions.py
    checks them against the regex parser's own reading of every cue."""
    runs: list[str] = []
    run, depth = "", 0
    for token in _CUE_TOKENS.finditer(cue):
        kind = token.lastgroup
        if kind == "flags" or (token[0] == "|" and depth == 0):
            return ()
        if depth == 0 and (kind == "text" or (kind == "escaped" and not token[kind].isalnum())):
            run += token[kind]
            continue
        if kind == "repeat":
            run = run[:-1]  # the character repeated may be missing ("s?"), or repeated: the run ends before it
        elif kind == "group":
            depth += 1 if token[0] == "(" else -1
        if run:
            runs.append(run)
        run = ""
    return (*runs, run) if run else tuple(runs)


def _top_alternatives(cue: str) -> list[str] | None:
    """The cue's alternatives at its top ("a|b(?:c|d)" → "a", "b(?:c|d)"), read with _required's tokens;
    None when it sets flags (which change what its characters match)."""
    parts, start, depth = [], 0, 0
    for token in _CUE_TOKENS.finditer(cue):
        kind = token.lastgroup
        if kind == "flags":
            return None
        if kind == "group":
            depth += 1 if token[0] == "(" else -1
        elif kind == "other" and token[0] == "|" and depth == 0:
            parts.append(cue[start : token.start()])
            start = token.end()
    return [*parts, cue[start:]]


@dataclass(frozen=True)
class _Cue:
    intent: Intent
    lang: str
    pattern: str
    needs: frozenset[str]  # every run of characters a match holds (_required)
    # One run from each of its top alternatives ("\bupcoming\b|\bsoon\b": upcoming, soon), when each has one:
    # a match holds at least one of them. None when an alternative needs nothing, or there is one alternative.
    one_of: frozenset[str] | None


@functools.cache
def _cue_table(japanese: bool) -> tuple[tuple[_Cue, ...], tuple[str, ...]]:
    """Every cue in the order recognise() tries them (_ORDER, then CUES's order), and every run of characters
    they need: a question's text is searched for each run once, not once per cue that needs it."""
    table = []
    for intent, cues in _cues(japanese).items():
        for lang, cue in cues:
            alternatives = _top_alternatives(cue) or [cue]
            runs = [_required(part) for part in alternatives] if len(alternatives) > 1 else []
            one_of = frozenset(max(r, key=len) for r in runs) if runs and all(runs) else None
            table.append(_Cue(intent, lang, cue, frozenset(_required(cue)), one_of))
    runs = {run for cue in table for run in (*cue.needs, *(cue.one_of or ()))}
    return tuple(table), tuple(sorted(runs))


def recognise(text: str, *, page: int = 1) -> Question | None:
    """The question these words ask, or None when they are not one (a topic, an id)."""
    typed = " ".join(_QUESTION_MARKS.sub(" ", unicodedata.normalize("NFKC", text)).split())
    folded, origin = fold(typed)
    if not folded:
        return None
    table, runs = _cue_table(bool(_JAPANESE.search(folded)))
    held = {run for run in runs if run in folded}
    unfinished = None  # "who owns", with nothing after it: answered with how to ask, unless more is asked
    for cue in table:
        if not cue.needs <= held or (cue.one_of is not None and cue.one_of.isdisjoint(held)):
            continue  # it cannot match this text: not compiled for it
        match = _compiled(cue.pattern).search(folded)
        if match is None or (match.start() == match.end()):
            continue
        question = _read(cue.intent, cue.lang, typed, folded, origin, match, page)
        if question is not None and not question.unfinished:
            return question
        unfinished = unfinished or question
    return unfinished


def _read(
    intent: Intent, lang: str, typed: str, folded: str, origin: list[int], match: re.Match, page: int
) -> Question | None:
    rest = [(0, match.start()), (match.end(), len(folded))]  # what the cue leaves, in folded positions
    year = document = since = None
    if intent == Intent.help:
        return Question(Intent.help, asked=typed)
    if intent in INSTRUCTIONS:  # "mark the MLAT as done": what is changed, and to what, as typed
        start, end = match.span(INSTRUCTIONS[intent])
        to = typed[origin[start] : origin[end - 1] + 1].strip(" ,;:.!?。？！")
        words = _subject(typed, folded, origin, [match.span("subject")], lang)
        return Question(intent, words=words, to=to, asked=typed) if words and to else None
    if intent == Intent.changes:
        remainder = _join(folded, rest)
        found = (_SINCE_JA if lang == "ja" else _SINCE).search(remainder)
        if found is not None:
            said = found.group("since").strip(_EDGE + "?？!！。")
            # "since last week", "depuis la semaine dernière": a period whose "last" is no filler
            whole = _RECENT.fullmatch(said) or ((span := back_span(said)) and span.group(0) == said)
            since = said if whole else _trim(found.group("since"), lang)
            by_me = bool(_ME.search(folded))
            return Question(Intent.changes, since=since, asked=typed, page=page, by_me=by_me) if since else None
        # No date: "what's new", "what changed this week", "最近の変更は". A period named is kept as words
        # (since_date reads it); none means recently. Words about something else ("changes to the MLAT") are
        # not this question.
        by_me = bool(_ME.search(folded))
        remainder = _BY_ME.sub(" ", remainder)
        recent = (
            back_span(remainder)  # "in the last 7 days", "この1週間"
            or _RECENT.search(remainder)
            or _RECENT.search(match.group(0))  # 私が先週変更した: inside the cue
        )
        left = _trim(_RECENT.sub(" ", remainder.replace(recent.group(0), " ") if recent else remainder), lang)
        if left or (recent is None and _BARE_NOUN.fullmatch(folded.strip())):
            return None  # "changes" or "updates" alone is a topic word (climate change), not a question
        since = recent.group(0) if recent else "recently"
        return Question(Intent.changes, since=since, asked=typed, page=page, by_me=by_me)
    if "subject" in match.re.groupindex:  # "what does <DND> own": the subject sits inside the cue
        rest = [match.span("subject"), (match.end(), len(folded))]
    if intent == Intent.agreed and _AT_A_MEETING.search(folded):
        return None  # "what was decided at the last Pol-Mil": that meeting's record, not what the documents agreed
    status = None
    if intent == Intent.oldest:  # "the oldest open commitment on X": open said beside the cue, the noun dropped
        rest, said = _take(folded, rest, _OPEN_WORDS, 0)
        status = OPEN if said or match.groupdict().get("waiting") else None  # "longest outstanding": open by meaning
        rest, _noun = _take(folded, rest, _ITEM_NOUN, 0)
    years = None
    if intent in (Intent.agreed, Intent.with_status, Intent.oldest):
        document = (match.groupdict().get("document") or "").strip() or None  # named in the cue itself
        rest, years = _take_years(folded, rest, lang)
        if document is None:
            rest, document = _take(folded, rest, _DOCUMENT_JA if lang == "ja" else _DOCUMENT_EN_FR, "document")
        if years is None:
            rest, found = _take(folded, rest, _YEAR_JA if lang == "ja" else _YEAR_EN_FR, "year")
            year = int(found) if found else None
    period = _period(intent, match)
    if period is None:
        return None  # "in the next few days": no number, so not this question
    words = _subject(typed, folded, origin, rest, lang)
    if intent == Intent.next and _LAST_WORD.fullmatch(fold(words)[0]):
        return None  # "前回の会合はいつ": the last meeting ("when was the last"), not one named "前回"
    if intent == Intent.agreed and (year or document) and _DOCUMENT_NOUN.fullmatch(fold(words)[0]):
        words = ""  # "what came out of the 2021 statement": the year's document itself, not a topic "statement"
    if intent == Intent.documents and words:
        return None  # "documents on Afghanistan": a lookup
    if intent == Intent.overview and words:
        return None  # "the status of the MLAT": a status question about one subject
    year = period.get("year", year)
    side = None
    if intent == Intent.owner:  # "the Japanese lead on X": that side's owners
        side = next((code for code, said in _SIDES.items() if said.search(folded)), None)
    where = intent == Intent.next and _WHERE.search(folded) is not None
    if (intent in SUBJECT_INTENTS or intent == Intent.agreed) and not (words or year or document or years):
        return Question(intent, asked=typed, page=page)  # unfinished: what it is about is missing
    return Question(
        intent, words=words, year=year, document=document, since=since, asked=typed, page=page,
        count=period.get("count"), unit=period.get("unit"), month=period.get("month"),
        status=period.get("status", status), years=years, side=side, where=where,
    )  # fmt: skip


def _period(intent: Intent, match: re.Match) -> dict | None:
    """The number and unit, or the month and year, a window question names; {} for other questions."""
    groups = match.groupdict()
    found: dict = {}
    if intent == Intent.within:
        n, unit = groups.get("n"), groups.get("unit")
        count = int(n) if n and n.isdigit() else NUMBERS.get(n or "")
        unit = UNITS.get(unit or "") or UNITS.get((unit or "").rstrip("s"))
        if count is None or unit is None:
            return None
        found |= {"count": count, "unit": unit}
    if intent in (Intent.in_year, Intent.by_year_end):
        found["year"] = int(groups["year"])
    if intent == Intent.agreed and (said := groups.get("year") or groups.get("year2")):
        found["year"] = int(said)  # "list the 2021 commitments": the year is in the cue
    if intent == Intent.with_status:
        said = groups.get("status") or ""
        status = _STATUS_SAID.get(said) or (OPEN if _OPEN_SAID.fullmatch(said) else None)
        return {"status": status} if status else None
    if intent == Intent.quarter:
        said = groups.get("q") or _QUARTER_WORDS.get(groups.get("qw") or "")
        if said is None:
            return None
        found["month"] = 3 * (int(said) - 1) + 1
        if groups.get("year"):
            found["year"] = int(groups["year"])
    if intent in (Intent.month, Intent.before, Intent.by_end):
        name = groups.get("month") or ""
        month = int(name) if name.isdigit() else MONTHS.get(name)
        if groups.get("season"):  # before a season: its first month; by its end: its last
            first, last = SEASONS[groups["season"]]
            month = first if intent == Intent.before else last
        if month is None:
            return None
        found["month"] = month
        if groups.get("year"):
            found["year"] = int(groups["year"])
    return found


def _take_match(folded: str, rest: list[tuple[int, int]], pattern: re.Pattern) -> tuple[list, re.Match | None]:
    """Find pattern in what is left; return what is left without it, and the match."""
    for index, (start, end) in enumerate(rest):
        found = pattern.search(folded, start, end)
        if found:
            return [*rest[:index], (start, found.start()), (found.end(), end), *rest[index + 1 :]], found
    return rest, None


def _take(folded: str, rest: list[tuple[int, int]], pattern: re.Pattern, group: str) -> tuple[list, str | None]:
    """Find pattern in what is left; return what is left without it, and its group."""
    left, found = _take_match(folded, rest, pattern)
    return left, found.group(group).strip() if found else None


def _take_years(folded: str, rest: list[tuple[int, int]], lang: str) -> tuple[list, tuple | None]:
    """A span of the documents' years said in what is left ("before 2005": (None, 2004)), and what is left
    without it."""
    left, found = _take_match(folded, rest, _YEARS_JA if lang == "ja" else _YEARS_EN_FR)
    if found is None:
        return rest, None
    if found.group("first"):
        return left, tuple(sorted((int(found.group("first")), int(found.group("last")))))
    year = int(found.group("year"))
    if found.group("before"):
        return left, (None, year - 1)
    if found.group("until"):
        return left, (None, year)
    if found.group("after"):
        return left, (year + 1, None)
    return left, (year, None)


def _join(folded: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(" ".join(folded[a:b] for a, b in spans if b > a).split())


def _subject(typed: str, folded: str, origin: list[int], spans: list[tuple[int, int]], lang: str) -> str:
    """What the cues leave, trimmed of filler at each end, as the asker typed it."""
    pieces = []
    for start, end in spans:
        # Trim filler on the folded text, then map the kept span back to the typed one.
        segment = folded[start:end]
        stripped = _trim_span(segment, lang)
        if stripped is None:
            continue
        a, b = stripped
        pieces.append(typed[origin[start + a] : origin[start + b - 1] + 1].strip(" ,;:-'"))
    return " ".join(p for p in pieces if p).strip(" ,;:")


def _trim_span(segment: str, lang: str) -> tuple[int, int] | None:
    """The part of segment left once filler and punctuation are trimmed from both ends."""
    start, end = 0, len(segment)
    languages = _languages(segment, lang)
    changed = True
    while changed and start < end:
        changed = False
        text = segment[start:end]
        core = text.strip(_EDGE)
        if core != text:
            start += len(text) - len(text.lstrip(_EDGE))
            end = start + len(core)
            changed = True
            continue
        for language in languages:
            if (head := _fillers(language, at_end=False).match(text)) and head.end() > 0:
                start += head.end()
                changed = True
                break
            if (tail := _fillers(language, at_end=True).search(text)) and tail.end() > tail.start():
                end = start + tail.start()
                changed = True
                break
    return (start, end) if start < end else None


def _trim(words: str, lang: str) -> str:
    span = _trim_span(words, lang)
    return words[span[0] : span[1]] if span else ""


def _languages(segment: str, lang: str) -> list[str]:
    """Filler of the question's language, and Japanese particles wherever Japanese is typed."""
    order = [lang]
    if _JAPANESE.search(segment) and "ja" not in order:
        order.append("ja")
    if lang == "ja":
        order += ["en", "fr"]
    return order


# -- dates: "since …", against today ------------------------------------------------------------------

_FRENCH_MONTHS = {
    "janvier": "january", "fevrier": "february", "mars": "march", "avril": "april", "mai": "may", "juin": "june",
    "juillet": "july", "aout": "august", "septembre": "september", "octobre": "october", "novembre": "november",
    "decembre": "december", "janv": "jan", "fevr": "feb", "avr": "apr", "juil": "jul", "sept": "sep", "oct": "oct",
    "nov": "nov", "dec": "dec",
}  # fmt: skip
_RELATIVE = {
    ("yesterday", "hier", "昨日", "きのう"): timedelta(days=1),
    ("last week", "a week ago", "la semaine derniere", "il y a une semaine", "先週", "1週間前"): timedelta(weeks=1),
    ("last month", "a month ago", "le mois dernier", "il y a un mois", "先月", "1か月前"): relativedelta(months=1),
    ("last year", "a year ago", "l'an dernier", "l'annee derniere", "il y a un an", "去年", "昨年"): relativedelta(
        years=1
    ),
}  # fmt: skip
# "Since Monday", "depuis lundi", "月曜日以降": the last such day before today (dateutil would take a weekday
# of the default year's first week).
_WEEKDAYS = (
    ("monday", "mon", "lundi", "月曜日", "月曜"), ("tuesday", "tue", "tues", "mardi", "火曜日", "火曜"),
    ("wednesday", "wed", "mercredi", "水曜日", "水曜"), ("thursday", "thu", "thurs", "jeudi", "木曜日", "木曜"),
    ("friday", "fri", "vendredi", "金曜日", "金曜"), ("saturday", "sat", "samedi", "土曜日", "土曜"),
    ("sunday", "sun", "dimanche", "日曜日", "日曜"),
)  # fmt: skip
_WEEKDAY = Lazy(r"^(?:last |(?:le |ce )|先週の|この前の)?(?P<day>[^ ]+?)(?: dernier| last)?$")
_JA_DATE = Lazy(r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?$")
_NUMERIC = Lazy(r"^\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?$")  # 03/04: Ottawa and Tokyo read it differently


_BETWEEN = N_("“{words}”: I read dates between {first} and {last}.")


class SinceError(ValueError):
    """The words after "since" are not a date I can read: a catalogue message and its values, worded when
    answered (in the asker's language)."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message, self.values = message, values


# Periods that start on a calendar boundary, and "recently" (a month back: what a digest-reader missed).
_STARTS = {
    ("today", "aujourd'hui", "今日"): lambda today: today,
    ("this week", "cette semaine", "今週"): lambda today: today - timedelta(days=today.weekday()),
    ("this month", "ce mois-ci", "ce mois ci", "ce mois", "今月"): lambda today: today.replace(day=1),
    ("recently", "lately", "recemment", "dernierement", "最近", "近頃"): lambda today: today - timedelta(days=30),
}  # fmt: skip


def since_date(words: str, today: date) -> date:
    """The day "since …" means, counted from today: "1 November" (this year's, or last year's if it is
    still ahead), "le 1er novembre", "11月1日", "2026-11-01", "yesterday", "last week", "先月"."""
    folded, _ = fold(" ".join(words.split()))
    folded = folded.strip(" ,.")
    for names, delta in _RELATIVE.items():
        if folded in names:
            return today - delta
    if (span := back_span(folded)) is not None and span.group(0) == folded:  # "the last 7 days", "この1週間"
        found = today - _span_back(span)
        if found.year not in YEARS:
            raise SinceError(_BETWEEN, words=words, first=YEARS[0], last=YEARS[-1])
        return found
    for names, start in _STARTS.items():
        if folded in names:
            return start(today)
    if (said := _WEEKDAY.match(folded)) is not None:
        for weekday, names in enumerate(_WEEKDAYS):
            if said["day"] in names and folded.startswith("先週の"):  # that day of the week before this one
                return today - timedelta(days=today.weekday() + 7 - weekday)
            if said["day"] in names:
                return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)  # 1 to 7 days back
    if _NUMERIC.match(folded) or re.fullmatch(r"\d{5,}", folded):
        raise SinceError(
            N_("“{words}” reads differently in Ottawa and Tokyo: write 1 Nov 2026 or 2026-11-01."), words=words
        )
    explicit_year = re.search(r"\b\d{4}\b|\d{4}年", folded) is not None
    if (ja := _JA_DATE.match(folded.replace(" ", ""))) is not None:
        year = int(ja["y"]) if ja["y"] else today.year
        try:
            found = date(year, int(ja["m"]), int(ja["d"] or 1))
        except ValueError as exc:
            raise SinceError(N_("“{words}” is not a date."), words=words) from exc
    else:
        english = re.sub(r"\b(\d{1,2})(?:er|re|e)\b", r"\1", folded)  # 1er novembre
        english = " ".join(_FRENCH_MONTHS.get(w, w) for w in english.replace("le ", " ").split())
        if re.fullmatch(r"\d{4}", english):
            found = date(int(english), 1, 1)
            if found.year not in YEARS:
                raise SinceError(_BETWEEN, words=words, first=YEARS[0], last=YEARS[-1])
            return found
        try:
            found = dateutil_parser.parse(english, default=datetime(today.year, 1, 1), dayfirst=True).date()
        except (ValueError, OverflowError, TypeError) as exc:
            raise SinceError(N_("I can't read “{words}” as a date."), words=words) from exc
    if found > today and not explicit_year:
        found = found.replace(year=found.year - 1)  # "since 1 December", asked in November: last December
    if found.year not in YEARS:
        raise SinceError(_BETWEEN, words=words, first=YEARS[0], last=YEARS[-1])
    return found
