"""Projecting recurring mechanisms: cadence, supersession, host alternation."""

from __future__ import annotations

from datetime import date

from scheduling.projection import CadenceRule, PastOccurrence, cadence_in_force, project_next

BIENNIAL_1999 = CadenceRule("FREQ=YEARLY;INTERVAL=2", "every second year", date(1999, 9, 17))
ANNUAL_2005 = CadenceRule("FREQ=YEARLY", "every year", date(2005, 1, 14))
SYMPOSIUM_HISTORY = [
    PastOccurrence(date(1998, 9, 1), date(1998, 9, 30), "CA", "Sep 1998"),
    PastOccurrence(date(2000, 9, 1), date(2000, 11, 30), "JP", "autumn 2000"),
]


def test_newer_cadence_is_in_force_from_its_date():
    both = [ANNUAL_2005, BIENNIAL_1999]
    assert cadence_in_force(both, date(2003, 1, 1)) == BIENNIAL_1999
    assert cadence_in_force(both, date(2005, 1, 14)) == ANNUAL_2005
    assert cadence_in_force(both, date(1990, 1, 1)) == BIENNIAL_1999  # before any: the first


def _symposium(*, today: date):
    """The symposium's projection: biennial from 1999, annual from 2005, hosts alternating, usually in autumn."""
    return project_next(
        cadences=[BIENNIAL_1999, ANNUAL_2005],
        history=SYMPOSIUM_HISTORY,
        today=today,
        alternates_host=True,
        usual_season=23,
    )


def test_symposium_goes_annual_after_2005_and_alternates_hosts():
    projection = _symposium(today=date(2026, 11, 22))
    # 2000 (JP) → 2002, 2004 biennial → 2005, 2006 … 2026 annual: 24 steps, even → Japan again.
    assert (projection.starts_on, projection.ends_on, projection.label) == (
        date(2026, 9, 1),
        date(2026, 11, 30),
        "autumn 2026",
    )
    assert projection.cadence == ANNUAL_2005
    # Nothing is on record since 2000: the 23 meetings due since then are unknown, not assumed,
    # and so is the host (alternation would need every one of them held).
    assert projection.host is None
    assert projection.steps_since_record == 23
    assert projection.basis == (
        "Cadence “every year”, counted from the last recorded meeting (autumn 2000); "
        "23 meetings were due since then with no record, held or not: unknown. Hosts alternate between Canada "
        "and Japan, but with 23 meetings unrecorded since the last known host (Japan), the next host is unknown."
    )
    assert "assumes" not in projection.basis and "took place" not in projection.basis


def test_window_that_has_closed_moves_to_the_next_year_and_host():
    projection = _symposium(today=date(2026, 12, 1))
    assert projection.label == "autumn 2027"
    assert projection.host is None and projection.steps_since_record == 24


def test_biennial_without_history_projects_from_its_start_by_year():
    projection = project_next(cadences=[BIENNIAL_1999], history=[], today=date(2026, 11, 22), alternates_host=True)
    assert (projection.label, projection.host) == ("2027", None)
    assert projection.basis.startswith("No meeting is on record; cadence “every second year” counted from 1999")
    assert "no host is on record" in projection.basis


def test_host_alternation_counts_gaps_from_the_last_known_host():
    # The last record has no host; the one before it does: parity runs from there.
    history = [
        PastOccurrence(date(2010, 5, 1), date(2010, 5, 31), "CA", "May 2010"),
        PastOccurrence(date(2012, 5, 1), date(2012, 5, 31), None, "May 2012"),
    ]
    projection = project_next(cadences=[BIENNIAL_1999], history=history, today=date(2013, 1, 1), alternates_host=True)
    assert projection.label == "2014"
    assert projection.host == "CA"  # 2010 CA, 2012 JP (unrecorded host), 2014 CA


def test_no_cadence_means_no_projection():
    assert project_next(cadences=[], history=SYMPOSIUM_HISTORY, today=date(2026, 1, 1), alternates_host=True) is None


def test_leap_day_anchor_does_not_skip_years():
    # dateutil drops Feb 29 in non-leap years; a window is a year, so the projection still lands every year.
    history = [PastOccurrence(date(2024, 2, 29), date(2024, 2, 29), "JP", "29 Feb 2024")]
    projection = project_next(
        cadences=[CadenceRule("FREQ=YEARLY", "every year", date(2020, 1, 1))],
        history=history,
        today=date(2025, 3, 1),
        alternates_host=True,
    )
    assert projection.label == "2025"
    assert projection.host == "CA"


BIENNIAL_POL_MIL = CadenceRule("FREQ=YEARLY;INTERVAL=2", "every two years", date(1999, 9, 17))
OTTAWA_2022 = PastOccurrence(date(2022, 12, 15), date(2022, 12, 15), "CA", "15 Dec 2022")


def test_projection_counts_from_the_last_record_and_calls_the_gap_unknown():
    projection = project_next(
        cadences=[BIENNIAL_POL_MIL], history=[OTTAWA_2022], today=date(2026, 11, 22), alternates_host=True
    )
    assert projection.label == "2026" and projection.steps_since_record == 1  # 2024: no record
    assert projection.host is None
    assert "1 meeting was due since then with no record, held or not: unknown" in projection.basis


def test_a_not_held_record_closes_its_cycle_and_keeps_the_turn():
    not_held_2024 = PastOccurrence(date(2024, 1, 1), date(2024, 12, 31), None, "2024", held=False)
    projection = project_next(
        cadences=[BIENNIAL_POL_MIL], history=[OTTAWA_2022, not_held_2024], today=date(2026, 11, 22),
        alternates_host=True,
    )  # fmt: skip
    assert projection.label == "2026" and projection.steps_since_record == 0
    assert projection.host == "JP"  # Canada hosted in 2022; 2024 did not meet; Japan's turn stays Japan's
    assert projection.basis.startswith("Cadence “every two years”, counted from the last record, not held")


def test_a_held_record_passes_the_turn_even_without_a_host():
    held_2024 = PastOccurrence(date(2024, 11, 5), date(2024, 11, 5), None, "5 Nov 2024")
    projection = project_next(
        cadences=[BIENNIAL_POL_MIL], history=[OTTAWA_2022, held_2024], today=date(2026, 11, 22), alternates_host=True
    )
    assert (projection.label, projection.host, projection.steps_since_record) == ("2026", "CA", 0)


def test_a_gap_between_records_makes_the_host_unknown():
    held_2026 = PastOccurrence(date(2026, 3, 5), date(2026, 3, 5), None, "5 Mar 2026")  # 2024 between: no record
    projection = project_next(
        cadences=[BIENNIAL_POL_MIL], history=[OTTAWA_2022, held_2026], today=date(2026, 11, 22), alternates_host=True
    )
    assert projection.label == "2028" and projection.steps_since_record == 0
    assert projection.host is None and "1 meeting unrecorded since the last known host (Canada)" in projection.basis
