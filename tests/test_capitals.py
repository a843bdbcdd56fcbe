"""Both capitals in every date: clocks across daylight-saving changes, weekends and holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.settings import Settings
from handlers.views.dates import day, flags, moment, when
from scheduling.capitals import DEFAULT_CAPITALS, Capital, Capitals, provinces

CAPITALS = DEFAULT_CAPITALS
SUNDAY = " ⚠ Sunday in Ottawa, Sunday in Tokyo"


@pytest.mark.parametrize(
    ("instant", "wording"),
    [
        # Winter: Ottawa is UTC-5, Tokyo UTC+9, 14 hours apart.
        (datetime(2026, 3, 4, 0, 0, tzinfo=UTC), "Tue 3 Mar 19:00 Ottawa · Wed 4 Mar 09:00 Tokyo"),
        # Canada springs forward on Sun 8 Mar 2026 at 02:00; Japan keeps its clock: now 13 hours apart.
        (datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "Sun 8 Mar 01:59 Ottawa · Sun 8 Mar 15:59 Tokyo" + SUNDAY),
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "Sun 8 Mar 03:00 Ottawa · Sun 8 Mar 16:00 Tokyo" + SUNDAY),
        (datetime(2026, 3, 10, 0, 0, tzinfo=UTC), "Mon 9 Mar 20:00 Ottawa · Tue 10 Mar 09:00 Tokyo"),
        # Canada falls back on Sun 1 Nov 2026 at 02:00: 01:30 happens twice in Ottawa.
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "Sun 1 Nov 01:30 Ottawa · Sun 1 Nov 14:30 Tokyo" + SUNDAY),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "Sun 1 Nov 01:30 Ottawa · Sun 1 Nov 15:30 Tokyo" + SUNDAY),
        (
            datetime(2026, 11, 3, 0, 0, tzinfo=UTC),
            "Mon 2 Nov 19:00 Ottawa · Tue 3 Nov 09:00 Tokyo ⚠ Culture Day in Tokyo",
        ),
        # Year end: Ottawa's New Year's Eve evening is New Year's Day in Tokyo.
        (
            datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
            "Thu 31 Dec 18:00 Ottawa · Fri 1 Jan 08:00 Tokyo ⚠ New Year's Day in Tokyo",
        ),
    ],
)
def test_a_moment_reads_in_both_capitals_with_weekdays(instant, wording):
    assert moment(instant, CAPITALS) == wording


def test_a_moment_can_leave_out_the_flags_for_a_record_of_the_past():
    assert moment(datetime(2026, 7, 1, 14, tzinfo=UTC), CAPITALS, flag=False) == (
        "Wed 1 Jul 10:00 Ottawa · Wed 1 Jul 23:00 Tokyo"
    )
    assert "Canada Day in Ottawa" in moment(datetime(2026, 7, 1, 14, tzinfo=UTC), CAPITALS)


@pytest.mark.parametrize(
    ("edtf", "wording"),
    [
        ("2026-07-01", "Wed 1 Jul 2026 ⚠ Canada Day (Canada)"),  # Canada only: Tokyo works
        ("2026-05-04", "Mon 4 May 2026 ⚠ Greenery Day (Japan)"),  # Golden Week, Japan only
        ("2026-05-06", "Wed 6 May 2026 ⚠ Substitute Holiday (Japan)"),  # Constitution Day fell on a Sunday
        ("2026-05-07", "Thu 7 May 2026"),  # Golden Week is over
        ("2026-10-12", "Mon 12 Oct 2026 ⚠ Thanksgiving Day (Canada), Sports Day (Japan)"),  # both, by chance
        ("2026-11-11", "Wed 11 Nov 2026 ⚠ Remembrance Day (Canada)"),  # federal, though not Ontario's
        ("2026-02-16", "Mon 16 Feb 2026 ⚠ Family Day (Canada)"),  # Ontario's, not federal
        ("2026-11-28", "Sat 28 Nov 2026 ⚠ weekend"),
        ("2027-01-01", "Fri 1 Jan 2027 ⚠ New Year's Day (Canada), New Year's Day (Japan)"),
        ("2028-12-28", "Thu 28 Dec 2028"),  # Japan's ministries still work
        ("2028-12-29", "Fri 29 Dec 2028 ⚠ New Year holidays (Japan)"),  # and close until 3 Jan, by law
        ("2029-01-03", "Wed 3 Jan 2029 ⚠ New Year holidays (Japan)"),
        ("2029-01-04", "Thu 4 Jan 2029"),
        ("2028-02-29", "Tue 29 Feb 2028"),  # a leap day, a working day in both
        ("2027-23", "autumn 2027"),  # a season has no weekday and nothing to flag
        ("../2027-12-31", "by Fri 31 Dec 2027"),
    ],
)
def test_an_agenda_date_has_its_weekday_and_is_flagged_when_either_side_is_off(edtf, wording):
    assert when(edtf, CAPITALS) == wording


def test_the_province_decides_the_provincial_holidays():
    quebec = Capitals(CAPITALS.canada, CAPITALS.japan, province="QC")
    assert flags(date(2026, 6, 24), quebec) == "⚠ Saint Jean Baptiste Day (Canada)"
    assert flags(date(2026, 6, 24), CAPITALS) == ""
    assert flags(date(2026, 2, 16), quebec) == ""  # Family Day is not Quebec's


def test_holidays_are_built_once_per_year():
    from scheduling.capitals import _year

    _year.cache_clear()
    for offset in range(60):
        CAPITALS.days_off(date(2030, 1, 1).fromordinal(date(2030, 1, 1).toordinal() + offset))
    info = _year.cache_info()
    assert info.misses == 2 and info.hits >= 2 * 40  # Canada and Japan, once each; weekdays look up both


def test_day_wording():
    assert day(date(2024, 2, 29)) == "Thu 29 Feb 2024"


def test_the_pair_of_cities_is_a_setting():
    settings = Settings(
        AGENDA_CAPITALS="Vancouver=America/Vancouver,Osaka=Asia/Tokyo",
        AGENDA_PROVINCE="bc",
        AGENDA_WORKING_HOURS="08:30-17:00",
    )
    capitals = settings.capitals_config
    assert capitals.canada == Capital("Vancouver", "America/Vancouver", "CA")
    assert capitals.province == "BC"
    assert (
        moment(datetime(2026, 3, 4, 0, 0, tzinfo=UTC), capitals) == "Tue 3 Mar 16:00 Vancouver · Wed 4 Mar 09:00 Osaka"
    )
    assert Settings().capitals_config == DEFAULT_CAPITALS


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AGENDA_CAPITALS", "Ottawa=America/Toronto", "two capitals"),
        ("AGENDA_CAPITALS", "Ottawa=America/Ottawa,Tokyo=Asia/Tokyo", "unknown timezone"),
        ("AGENDA_PROVINCE", "XX", "unknown province"),
        ("AGENDA_WORKING_HOURS", "9 to 5", "HH:MM-HH:MM"),
        ("AGENDA_WORKING_HOURS", "17:00-09:00", "end after they start"),
    ],
)
def test_bad_capital_settings_are_refused_with_a_reason(name, value, message):
    with pytest.raises(ValueError, match=message):
        Settings(**{name: value})


def test_a_recipients_working_day_follows_their_zones_country():
    from scheduling.capitals import DEFAULT_CAPITALS, country_of_zone

    assert [country_of_zone(z) for z in ("Asia/Tokyo", "America/Toronto", "Europe/Paris", "UTC")] == [
        "JP", "CA", "FR", None,
    ]  # fmt: skip
    before = DEFAULT_CAPITALS.working_day_on_or_before
    assert before(date(2027, 1, 2), "Asia/Tokyo") == date(2026, 12, 28)  # the ministries' New Year closure
    assert before(date(2027, 1, 2), "America/Toronto") == date(2026, 12, 31)  # New Year's Day, then a Thursday
    assert before(date(2026, 7, 14), "Europe/Paris") == date(2026, 7, 13)  # the Fête nationale
    assert before(date(2026, 7, 14), "UTC") == date(2026, 7, 14)  # no country: weekends only


def test_the_provinces_are_those_the_holidays_package_knows():
    import holidays

    assert provinces() == tuple(sorted(holidays.country_holidays("CA").subdivisions))
