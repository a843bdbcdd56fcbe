"""Teams message text → the words the shared parser reads."""

from __future__ import annotations

import pytest
from microsoft_teams.api import MessageActivity

import bot.teams  # noqa: F401  (the SDK, imported the safe way)
from bot.teams.text import to_neutral
from tests.teams_activities import BOT_ID, channel_message, personal_message

URL = "http://127.0.0.1:9/"


def _activity(data: dict) -> MessageActivity:
    return MessageActivity.model_validate(data)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("agenda counter-terrorism", "counter-terrorism"),
        ("counter-terrorism", "counter-terrorism"),
        ("/agenda show 2002-A4", "show 2002-A4"),
        ("Agenda: next 6 months", "next 6 months"),
        ("agendas", "agendas"),  # only the whole word is the command word
        ("", ""),
    ],
)
def test_the_command_word_is_optional(typed, expected):
    assert to_neutral(_activity(personal_message(typed, URL))) == expected
    assert to_neutral(_activity(channel_message(typed, URL))) == expected


def test_rich_text_markup_and_other_mentions():
    data = channel_message("", URL)
    data["text"] = "<p><at>AgendaBot</at>&nbsp;agenda assign 2002-A4 <at>Maria Sato</at> &amp; DND</p>"
    data["entities"].append(
        {"type": "mention", "text": "<at>Maria Sato</at>", "mentioned": {"id": "29:m", "aadObjectId": "aad-maria"}}
    )
    assert to_neutral(_activity(data)) == "assign 2002-A4 <@teams:aad-maria> & DND"


def test_a_mention_without_an_object_id_stays_a_name():
    data = channel_message("owner", URL)
    data["text"] += " <at>Ken</at>"
    data["entities"].append({"type": "mention", "text": "<at>Ken</at>", "mentioned": {"id": "29:k", "name": "Ken"}})
    assert to_neutral(_activity(data)) == "owner @Ken"
    assert data["entities"][0]["mentioned"]["id"] == BOT_ID


def test_the_requester_carries_the_locale_teams_reports():
    from bot.teams.front import requester_of

    data = personal_message("help", URL)
    assert requester_of(_activity(data)).locale is None  # nothing said: nothing assumed
    data["entities"] = [{"type": "clientInfo", "locale": "ja-JP", "timezone": "Asia/Tokyo"}]
    assert requester_of(_activity(data)).locale == "ja-JP"  # the client's, when the activity has none
    data["locale"] = "fr-CA"
    assert requester_of(_activity(data)).locale == "fr-CA"  # the activity's own first
    data["locale"], data["entities"] = "<script>" * 10, []
    assert requester_of(_activity(data)).locale is None  # not a language tag
