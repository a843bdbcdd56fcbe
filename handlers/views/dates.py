"""Every date and time the bot shows, worded in one place.

A moment (a reminder's send time, a digest, a call slot) is shown in both
capitals, because Ottawa and Tokyo are 13 or 14 hours apart and often on
different days: "Tue 3 Mar 19:00 Ottawa · Wed 4 Mar 09:00 Tokyo".
A calendar day (most agenda dates) is the same day on both sides, so it is
shown once, with its weekday, and flagged when either country is off:
"Wed 1 Jul 2026 ⚠ Canada Day (Canada)". Fuzzy dates ("autumn 2027") have
no weekday to show and nothing to flag.
"""

from __future__ import annotations

from datetime import date, datetime

from handlers.views import i18n
from handlers.views.i18n import N_, _
from scheduling.capitals import Capitals, DayOff
from scheduling.fuzzy import SEASONS, FuzzyDate

WARNING = "⚠"

# CLDR patterns per language; English keeps the strftime wording it always had (and loads no Babel).
_DAY = {"fr": "EEE d MMM y", "ja": "y年M月d日(EEE)"}  # "jeu. 1 juil. 2027", "2027年7月1日(木)"
_PLAIN_DAY = {"fr": "d MMM y", "ja": "y年M月d日"}  # "1 juil. 2027", "2027年7月1日"
_DAY_NO_YEAR = {"fr": "EEE d MMM", "ja": "M月d日(EEE)"}  # "jeu. 1 juil.", "7月1日(木)"
_TIME = {"fr": "H 'h' mm", "ja": "H:mm"}  # "19 h 00", "8 h 30" (the federal government's style); "19:00"
_MONTH = {"fr": "MMM y", "ja": "y年M月"}  # "juil. 2027", "2027年7月"
_MONTH_IN_FULL = {"fr": "MMMM y", "ja": "y年M月"}  # "juillet 2027", "2027年7月"
_SEASON_NAMES = {21: N_("spring"), 22: N_("summer"), 23: N_("autumn"), 24: N_("winter")}
assert set(_SEASON_NAMES) == set(SEASONS)


def _babel(value: date | datetime, patterns: dict[str, str]) -> str:
    from babel.dates import format_datetime  # only for French and Japanese readers

    language = i18n.current()
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return format_datetime(value, patterns[language], tzinfo=value.tzinfo, locale=language)


def city(name: str) -> str:
    """A capital's name in the reader's language ("Ottawa", "オタワ"); a city no catalogue knows, as set."""
    return _(name)


N_("Saturday")  # a weekend day, as the capitals name it among days off
N_("Sunday")


def holiday(name: str) -> str:
    """A holiday's name in the reader's language: the holidays package names Canada's in French and Japan's in
    Japanese; the other side's English names are in the catalogues (HOLIDAYS)."""
    return _(name)


# The names the holidays package gives only in English for the other side (Canada's in Japanese, Japan's in French).
HOLIDAYS = (
    N_("Boxing Day"), N_("Boxing Day (observed)"), N_("Canada Day"), N_("Canada Day (observed)"), N_("Christmas Day"),
    N_("Christmas Day (observed)"), N_("Family Day"), N_("Good Friday"), N_("Labour Day"),
    N_("National Day for Truth and Reconciliation"), N_("National Day for Truth and Reconciliation (observed)"),
    N_("New Year's Day"), N_("New Year's Day (observed)"), N_("Remembrance Day"), N_("Remembrance Day (observed)"),
    N_("Thanksgiving Day"), N_("Victoria Day"),
    N_("Autumnal Equinox Day"), N_("Bank Holiday"), N_("Children's Day"), N_("Coming of Age Day"),
    N_("Constitution Day"), N_("Culture Day"), N_("Emperor's Birthday"), N_("Foundation Day"), N_("Greenery Day"),
    N_("Labor Thanksgiving Day"), N_("Marine Day"), N_("Mountain Day"), N_("National Holiday"),
    N_("Respect for the Aged Day"), N_("Showa Day"), N_("Sports Day"), N_("Substitute Holiday"),
    N_("Vernal Equinox Day"), N_("New Year holidays"),
)  # fmt: skip


def moment(
    at: datetime, capitals: Capitals, *, until: datetime | None = None, flag: bool = True, year: bool = False
) -> str:
    """An instant (or a span ``until`` another) in both capitals, with weekday,
    flagged when it falls on a day off there: "Tue 3 Mar 19:00–20:00 Ottawa · …";
    "jeu. 1 juil. 19 h 00 Ottawa", "7月1日(木) 19:00 オタワ".

    ``flag=False`` for records of what already happened (the audit log): a
    warning helps someone choosing a time, not someone reading a log. ``year``:
    with the year, for a meeting's time that may be months away: "Thu 1 Jul 2027 19:00 Ottawa · …",
    "jeu. 1 juil. 2027 19 h 00 Ottawa", "2027年7月1日(木) 19:00 オタワ"."""
    language = i18n.current()
    sides, off = [], []
    for capital in capitals.both:
        local = capital.local(at)
        if language == i18n.ENGLISH:
            end = f"–{capital.local(until):%H:%M}" if until else ""
            on = f"{local:%a} {local.day} {local:%b %Y}" if year else f"{local:%a} {local.day} {local:%b}"
            sides.append(f"{on} {local:%H:%M}{end} {capital.city}")
        else:
            end = f"–{_babel(capital.local(until), _TIME)}" if until else ""
            on = _babel(local, _DAY if year else _DAY_NO_YEAR)
            sides.append(f"{on} {_babel(local, _TIME)}{end} {city(capital.city)}")
        off += [
            _("{holiday} in {city}").format(holiday=holiday(o.reason), city=city(capital.city))
            for o in capitals.days_off(local.date(), language=language)
            if o.country == capital.country
        ]
    text = " · ".join(sides)
    return f"{text} {WARNING} {', '.join(off)}" if off and flag else text


def time_of_day(hh_mm: str) -> str:
    """A time of day kept as HH:MM, as the reader writes it: '09:00'; '9 h 00'; '9:00'."""
    if i18n.current() == i18n.ENGLISH:
        return hh_mm
    hour, minute = (int(part) for part in hh_mm.split(":"))
    return _babel(datetime(2000, 1, 3, hour, minute), _TIME)


def day(value: date) -> str:
    """'Wed 1 Jul 2026'; 'mer. 1 juil. 2026'; '2026年7月1日(水)'."""
    if i18n.current() == i18n.ENGLISH:
        return f"{value:%a} {value.day} {value:%b %Y}"
    return _babel(value, _DAY)


def plain_day(value: date) -> str:
    """'1 Jul 2026'; '1 juil. 2026'; '2026年7月1日': a window's ends, where the weekday says nothing."""
    if i18n.current() == i18n.ENGLISH:
        return f"{value.day} {value:%b %Y}"
    return _babel(value, _PLAIN_DAY)


def month(value: date) -> str:
    """'January 2027'; 'janvier 2027'; '2027年1月': a month named in a question."""
    if i18n.current() == i18n.ENGLISH:
        return f"{value:%B %Y}"
    return _babel(value, _MONTH_IN_FULL)


def short_day(value: date) -> str:
    """'Tue 3 Mar'; 'mar. 3 mars'; '3月3日(火)': a day near enough that its year goes without saying."""
    if i18n.current() == i18n.ENGLISH:
        return f"{value:%a} {value.day} {value:%b}"
    return _babel(value, _DAY_NO_YEAR)


def flags(value: date, capitals: Capitals) -> str:
    """'⚠ Canada Day (Canada)', '⚠ weekend', or '' on a working day in both countries."""
    off = capitals.days_off(value, language=i18n.current())
    return f"{WARNING} {days_off_wording(off)}" if off else ""


def days_off_wording(off: list[DayOff]) -> str:
    if any(o.weekend for o in off):
        return _("weekend")
    return ", ".join(
        _("{holiday} ({country})").format(holiday=holiday(o.reason), country=_(o.country_name)) for o in off
    )


def fuzzy_wording(fuzzy: FuzzyDate) -> str:
    """An agenda date as stated, in the reader's language: 'autumn 2000', 'automne 2000', '2000年秋'."""
    if i18n.current() == i18n.ENGLISH:
        return fuzzy.describe()
    core = fuzzy.edtf.replace("?", "").replace("~", "").replace("%", "")
    parts = core.split("-")
    if core.startswith("../"):
        text = _("by {day}").format(day=day(fuzzy.end)) if fuzzy.end else _("open-ended")
    elif core.endswith("/.."):
        text = _("from {day}").format(day=day(fuzzy.start)) if fuzzy.start else _("open-ended")
    elif len(parts) == 2 and int(parts[1]) in SEASONS:
        text = _("{season} {year}").format(season=_(_SEASON_NAMES[int(parts[1])]), year=parts[0])
    elif len(parts) == 1:
        text = _("{year}").format(year=parts[0])
    elif len(parts) == 2:
        text = _babel(fuzzy.start, _MONTH) if fuzzy.start else core
    else:
        text = day(fuzzy.start) if fuzzy.start else core
    return _("{date} (inferred)").format(date=text) if fuzzy.inferred else text


def when(edtf: str, capitals: Capitals) -> str:
    """An agenda date as the documents or a coordinator gave it, flagged if it is one day off work."""
    fuzzy = FuzzyDate.parse(edtf)
    text = fuzzy_wording(fuzzy)
    if fuzzy.is_day and (flag := flags(fuzzy.start, capitals)):
        return f"{text} {flag}"
    return text


def late_note(due_at: datetime, capitals: Capitals, language: str) -> str:
    """What a delivery that went out late says first (both platforms' notifiers), in the words of the message it
    is added to: the recipient's language, which the message was written in."""
    with i18n.speaking(language):
        return _("Late: this was due {when}, while the bot was offline.").format(when=moment(due_at, capitals))
