"""Every reply the bot can produce reads without doubled full stops.

A title that ends with a full stop followed by ". " and the summary (the
notification text of every platform) read "America/Toronto.. About"; a
sentence pasted after another one that already ended gave ". .". This walks
every command the help and the parser know, as a member and as an admin, in a
channel and in private, plus the reminders and digests the bot sends on its
own, and checks every text a person reads: the plain text, the notification
summary, the Slack blocks and the Teams card.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta

import pytest

from bot.slack.render import render as render_slack
from bot.teams.render import render as render_teams
from handlers import answer
from handlers.commands.registry import coordinators_help, help_text
from handlers.domain.ports import Requester
from handlers.domain.timeline import Timeline
from handlers.views.reply import Reply, Visibility, reply_from_data
from handlers.views.text import render_summary, render_text
from models import repository
from models.platforms import Conversation
from scheduling.digest import compose
from scheduling.planner import Policy
from scheduling.reminders import planned_messages

ADMIN = Requester(user_ref="slack:UADMIN", channel_ref="slack:CLEADS", conversation=Conversation.channel)
MEMBER = Requester(user_ref="slack:UMEMBER", channel_ref="slack:D0MEMBER")

# Doubled stops: ".." that is not part of an ellipsis "...", and ". ." (a sentence ending twice).
DOUBLED = re.compile(r"(?<![./])\.\.(?![./])|\.\s+\.(?!\.)")

# Concrete forms of every command, right and wrong, so every answer's wording is reached.
COMMANDS = [
    "", "help", "areas", "counter-terrorism", "MLAT", "qwertyuiop", "show 2002-A4", "show 2099-Z9", "show 2002-A",
    "next", "next 2 weeks", "next 6 months", "next forever", "mine", "owner DND", "owner Atlantis",
    "history 2002-A4", "history symposium", "history nothing",
    "plan symposium", "plan symposium 2027", "plan nothing", "slot", "slot tomorrow 90m", "slot 3 days",
    "digest preview", "digest subscribe", "digest subscribe CT on friday at 08:30 Asia/Tokyo", "digest subscribe",
    "digest subscribe Atlantis", "digest subscribe Mars/Base", "digest unsubscribe", "digest unsubscribe",
    "remind me 14 2", "remind me default", "remind symposium 60 30 7", "remind symposium 60 30 7",
    "remind nothing 3", "calendar", "calendar CT", "calendar revoke all", "calendar revoke <@slack:UMEMBER> all",
    "link", "link reminders teams", "link 0000-0000", "link <@slack:UMEMBER>", "link remove <@slack:UMEMBER>",
    "assign 2002-A4 <@slack:UMARIA> DND", "assign 2002-A4 <@slack:UMARIA> DND", "unassign 2002-A4 DND",
    "assign symposium <@slack:UMARIA>", "assign nothing <@slack:UMARIA>",
    "status 2002-A4 in progress waiting", "status 2002-A4 in progress waiting", "status 2002-A4 signed on 24 May 2010",
    "status 2099-Z9 done", "status 2002-A4 sideways", "status 2005-C1 stalled waiting for Tokyo.",
    "show 2005-C1", "next 12 months", "2005-C1", "history 2005-C1",
    "schedule pol-mil 9 Nov 2027 in Tokyo. host Japan", "pol-mil", "show 1999-1", "next 12 months",
    "schedule symposium 14 Oct 2027 in Ottawa host Canada", "schedule symposium 17 Oct 2027",
    "schedule symposium 17 Oct 2027 confirm", "schedule symposium 2001", "schedule nothing 2027",
    "sensitivity 2005-C1 restricted", "sensitivity 2005-C1 restricted", "sensitivity 2005-C1 public",
    "role <@slack:UMEMBER> coordinator", "role <@slack:UMEMBER> coordinator", "role <@slack:UMEMBER> member",
    "add", "edit 2002-A4", "edit 2099-Z9",
    "ack reminder:x:2027-10-14:7d:slack:UADMIN", "snooze reminder:x:2027-10-14:7d:slack:UADMIN tomorrow",
    "open reminder:x:2027-10-14:7d:slack:UADMIN", "snooze x someday",
]  # fmt: skip


def _examples() -> list[str]:
    """Every `/agenda …` example the help text gives, with its placeholders as typed."""
    found = re.findall(r"`/agenda ([^`]*)`", help_text() + "\n" + coordinators_help())
    return [re.sub(r"[<>\[\]]", "", example).replace("…", "").strip() for example in found]


def _texts(reply: Reply) -> list[str]:
    """What a person reads of a reply, on each platform."""
    texts = [render_text(reply), render_summary(reply)]
    slack = render_slack(reply)
    texts.append(json.dumps(slack.blocks, ensure_ascii=False) if slack.blocks else "")
    texts.append(slack.text)
    teams = render_teams(reply)
    texts += [teams.summary, *(json.dumps(card.model_dump(by_alias=True), ensure_ascii=False) for card in teams.cards)]
    return texts


def _doubled(reply: Reply, said: str) -> list[str]:
    problems = []
    for text in _texts(reply):
        for match in DOUBLED.finditer(text):
            problems.append(f"{said!r}: …{text[max(0, match.start() - 40) : match.end() + 20]}…")
    return problems


@pytest.fixture
def backend() -> str:
    return "sqlite"  # wording does not depend on the database


@pytest.fixture
def agenda(ports):
    return dataclasses.replace(ports, admins=frozenset({ADMIN.user_ref}))


def test_no_reply_to_any_command_has_a_doubled_full_stop(agenda):
    problems, pressed = [], set()
    for words in [*COMMANDS, *_examples()]:
        for who in (MEMBER, ADMIN):
            for audience in (Visibility.private, Visibility.channel):
                reply = answer(words, ports=agenda, requester=who, audience=audience)
                problems += _doubled(reply, f"{who.user_ref} {audience}: {words}")
                pressed |= {(a.query, a.page, who) for a in reply.actions}
    for query, page, who in sorted(pressed, key=str):  # and every button those answers carry
        problems += _doubled(answer(query, ports=agenda, requester=who, page=page), f"button: {query}")
    assert not problems, "\n".join(problems)


def test_no_reminder_or_digest_has_a_doubled_full_stop(agenda, clock):
    answer("assign symposium <@slack:UMARIA>", ports=agenda, requester=ADMIN)
    answer("assign 2002-A4 <@slack:UMARIA>", ports=agenda, requester=ADMIN)
    answer("schedule symposium 14 Oct 2027 in Ottawa host Canada", ports=agenda, requester=ADMIN)
    policy = Policy(coordinators_channel="slack:CLEADS", lead="slack:UADMIN", horizon=timedelta(days=400))
    problems = []
    with agenda.open_session() as session:
        now = clock.now()
        timeline = Timeline(repository.load_mechanisms(session=session), now.date(), agenda.capitals)
        for message in planned_messages(session, timeline, policy, now):
            problems += _doubled(reply_from_data(message.body), message.key)
        for part in compose(session, timeline, areas=[], since=now - timedelta(weeks=1), now=now):
            problems += _doubled(part, "digest")
    assert not problems, "\n".join(problems)


def test_saving_a_form_whose_title_ends_with_a_full_stop(agenda, clock):
    from handlers.commands.forms import submit_form

    values = {
        "title": "Hold a joint cyber security dialogue.", "text": "Both will.", "area": "dialogue",
        "kind": "deadline", "due": "14 Oct 2027", "people": (), "departments": (), "source": "x",
        "sensitivity": "public",
    }  # fmt: skip
    result = submit_form(values, form_key=None, expected_version=None, opened_at=clock.now().isoformat(),
                         ports=agenda, requester=ADMIN)  # fmt: skip
    assert not result.errors and result.reply.title.endswith("dialogue.")
    assert not _doubled(result.reply, "add form")


def test_a_place_typed_with_a_full_stop_is_stored_without_it():
    from handlers.commands.parser import Schedule, parse

    assert parse("schedule pol-mil 9 Nov 2027 in Tokyo. host Japan") == Schedule(
        "pol-mil", "2027-11-09", "Tokyo", "JP", False
    )


def test_the_check_itself_tells_an_ellipsis_from_a_doubled_stop():
    assert DOUBLED.search("America/Toronto.. About") and DOUBLED.search("It ended. . Then")
    assert not DOUBLED.search("Opening the form… wait... and ../2003-12-31 ok.")
