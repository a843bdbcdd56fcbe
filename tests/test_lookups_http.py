"""Rows of issue 13's table through the real endpoints, Slack and Teams alike:
a name gives what names it, a year and a place combine, French and Japanese
find the English items, and absence is said plainly."""

from __future__ import annotations

import pytest

from tests.test_front_ends_agree import ask_slack, ask_teams, both  # noqa: F401 (the live server)

# (typed, words the title must contain, the ids the answer holds, exactly)
ROWS = [
    ("SHIRBRIG", "SHIRBRIG", ("2002-B4a", "2002-B4b")),
    ("CTBT", "CTBT", ("2002-C3", "1999-18")),
    ("Afghanistan 2005", "Afghanistan: 2 commitments", ("2005-C1", "2005-C2")),
    ("Corée du Nord", "North Korea: 5 commitments", ("2021-1", "2005-G1", "2005-G2", "2005-G3", "2005-G4")),
    ("テロ対策", "Counter-terrorism: 8 commitments", None),
    ("women peace and security", "Nothing found for “women peace and security”", ("2021-7",)),
]


@pytest.mark.parametrize("text, title, ids", ROWS, ids=[row[0] for row in ROWS])
def test_lookups_answer_the_same_in_slack_and_teams(both, text, title, ids):  # noqa: F811
    url, slack, teams = both
    in_slack, in_teams = ask_slack(url, slack, text), ask_teams(url, teams, text)
    assert title in in_slack.title, in_slack.title
    if ids is not None:
        assert set(in_slack.ids) == set(ids), in_slack.ids
    assert (in_teams.title, in_teams.ids) == (in_slack.title, in_slack.ids)
