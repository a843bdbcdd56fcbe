"""The two capitals: their clocks, their weekends and their public holidays.

Pure logic, no wording beyond names: handlers/views/dates.py turns it into text.
The first capital is Canada's side, the second Japan's (hosts in the agenda
are CA or JP); which cities and zones is a setting, Ottawa and Tokyo by default.

Holidays come from the ``holidays`` package: in Canada the federal
government's holidays (Remembrance Day, Boxing Day, National Day for Truth and
Reconciliation…) plus the province's public ones; in Japan the national ones
and the New Year closure of government offices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

COUNTRY_NAMES = {"CA": "Canada", "JP": "Japan"}
WEEKEND = {5, 6}  # Saturday and Sunday, in both countries


@dataclass(frozen=True)
class Capital:
    city: str  # "Ottawa"
    zone: str  # IANA name, "America/Toronto"
    country: str  # "CA" or "JP"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)


@dataclass(frozen=True)
class DayOff:
    """Why a day is not a working day in one country."""

    country: str  # "CA" or "JP"
    reason: str  # a holiday's name, or "Saturday" / "Sunday"
    weekend: bool

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, self.country)


@dataclass(frozen=True)
class Capitals:
    canada: Capital
    japan: Capital
    province: str = "ON"  # whose provincial holidays count on the Canadian side
    working_hours: tuple[time, time] = (time(9, 0), time(17, 30))  # local, in each capital

    @property
    def both(self) -> tuple[Capital, Capital]:
        return (self.canada, self.japan)

    def days_off(self, day: date, *, language: str = "en") -> list[DayOff]:
        """Weekend and holidays on this calendar day, Canada first; empty on a working day in both.
        Holidays are named in ``language`` where the package has it (Canada's in French, Japan's in
        Japanese), else in English."""
        found = []
        if day.weekday() in WEEKEND:
            found.append(DayOff("CA", f"{day:%A}", True))
        else:
            found += [DayOff("CA", name, False) for name in _holiday_names("CA", self.province, day, language)]
        if day.weekday() in WEEKEND:
            found.append(DayOff("JP", f"{day:%A}", True))
        else:
            found += [DayOff("JP", name, False) for name in _holiday_names("JP", None, day, language)]
        return found

    def works_on(self, country: str, day: date) -> bool:
        return not any(off.country == country for off in self.days_off(day))

    def working_day_in_both(self, day: date) -> bool:
        return not self.days_off(day)

    def works_where(self, zone: str, day: date) -> bool:
        """Whether ``day`` is a working day for someone whose clock is ``zone``: not a weekend,
        nor a public holiday of the zone's country (Japan's with its New Year closure; Canada's
        federal ones, plus the province's for someone on the Canadian capital's clock)."""
        if day.weekday() in WEEKEND:
            return False
        country = country_of_zone(zone)
        if country in COUNTRY_NAMES:
            province = self.province if country == "CA" and zone == self.canada.zone else None
            return not _holiday_names(country, province, day)
        return country is None or not _year_elsewhere(country, day.year).get(day)

    def working_day_on_or_before(self, day: date, zone: str) -> date:
        """``day``, or the working day before it where ``zone`` is (a fortnight back at most)."""
        for back in range(15):
            earlier = date.fromordinal(day.toordinal() - back)
            if self.works_where(zone, earlier):
                return earlier
        return day


DEFAULT_CAPITALS = Capitals(Capital("Ottawa", "America/Toronto", "CA"), Capital("Tokyo", "Asia/Tokyo", "JP"))


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone → ISO country code, from the tz database's zone.tab."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = Path("/usr/share/zoneinfo/zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}


def country_of_zone(zone: str) -> str | None:
    return _zone_countries().get(zone)


@lru_cache(maxsize=64)
def _year_elsewhere(country: str, year: int) -> dict[date, str]:
    import holidays  # a quarter of a second: only when a day is looked up

    try:
        return dict(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the package does not know: weekends only
        return {}


def _holiday_names(country: str, province: str | None, day: date, language: str = "en") -> tuple[str, ...]:
    return _year(country, province, day.year, language).get(day, ())


# The holidays package's languages for each country's names, by the bot's language (English where it has none).
_HOLIDAY_LANGUAGES = {"CA": {"en": "en_CA", "fr": "fr"}, "JP": {"en": "en_US", "ja": "ja"}}
_NEW_YEAR_CLOSURE = {"en": "New Year holidays", "fr": "congés du Nouvel An", "ja": "年末年始の休日"}


@lru_cache(maxsize=64)
def _year(country: str, province: str | None, year: int, language: str = "en") -> dict[date, tuple[str, ...]]:
    # Building a year of holidays computes every rule (Easter, equinoxes,
    # substitute days); do it once per country and year, then look days up.
    import holidays  # a quarter of a second: only when a day is looked up

    names = _HOLIDAY_LANGUAGES[country].get(language, _HOLIDAY_LANGUAGES[country]["en"])
    if country == "CA":
        sources = [holidays.country_holidays("CA", categories=("government",), language=names, years=year)]
        if province is not None:
            sources.append(holidays.country_holidays("CA", subdiv=province, language=names, years=year))
    else:
        # Japan's ministries close from 29 Dec to 3 Jan (Act on Holidays of
        # Administrative Organs, art. 1). The package files 31 Dec to 3 Jan under
        # its "bank" category, but not 29 and 30 Dec: those two are added here.
        public = holidays.country_holidays(country, language=names, years=year)
        bank = holidays.country_holidays(country, categories=("bank",), language=names, years=year)
        closure = [*bank, date(year, 12, 29), date(year, 12, 30)]
        closed = _NEW_YEAR_CLOSURE.get(language, _NEW_YEAR_CLOSURE["en"])
        sources = [public, {day: closed for day in closure if day not in public}]
    merged: dict[date, list[str]] = {}
    for source in sources:
        for day, names in source.items():
            known = merged.setdefault(day, [])
            known += [n for n in names.split("; ") if n not in known]  # the package joins same-day names with "; "
    return {day: tuple(names) for day, names in merged.items()}


# The provinces and territories, as the holidays package names them (a test holds the two
# together); written out so that validating the setting does not load the package.
PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")


def provinces() -> tuple[str, ...]:
    """The Canadian provinces and territories (for validating the setting)."""
    return PROVINCES
