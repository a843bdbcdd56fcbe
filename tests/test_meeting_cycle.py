"""One whole cycle of a meeting in chat (issue 16's done-when), once per platform, through the real
HTTP endpoints with the scheduler running and an injected clock moved across the meeting's day:

prepare (a checklist step's reminder reaches its owner), hold (the meeting recorded after its day),
follow up (an action with an owner and a due date: reminded before it, escalated after it).

Slack: signed slash commands, its Web API faked on loopback. Teams: Activity JSON, its connector faked
on loopback. The planner and dispatcher tick every tenth of a second; the clock decides what is due.

The dates: the Pol-Mil Talks fixed for Tue 8 Dec 2026 in Tokyo; briefing notes due 14 days before (Tue
24 Nov), their 7-day reminder Tue 17 Nov 09:00 in Ottawa (14:00 UTC); held, then on Sun 20 Dec an
action due Fri 15 Jan 2027: reminded Fri 8 Jan 09:00 Ottawa, escalated after the 7-day grace, Fri 22 Jan.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import httpx

from scheduling.clock import FixedClock

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
BRIEFING_REMINDER = datetime(2026, 11, 17, 14, 0, 30, tzinfo=UTC)
AFTER_THE_MEETING = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
ACTION_REMINDER = datetime(2027, 1, 8, 14, 0, 30, tzinfo=UTC)
ESCALATION = datetime(2027, 1, 22, 14, 0, 30, tzinfo=UTC)
TICKING = {"scheduler_enabled": True, "planner_seconds": 0.5, "dispatch_seconds": 0.5,
           "default_timezone": "America/Toronto"}  # fmt: skip


def test_a_coordinator_runs_a_whole_meeting_cycle_in_slack(tmp_path, sqlite_template):
    from tests.fakes.slack_api import start_fake_slack
    from tests.live_server import both_platforms, live_server
    from tests.slack_requests import signed_headers, slash_command_body

    slack = start_fake_slack()
    slack.users["UMARIA"] = {"tz": "America/Toronto"}
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", slack.api_url, admins="UADMIN", coordinators_channel="C0COORD",
                              **TICKING)  # fmt: skip
    clock = FixedClock(START)

    def slash(url, text, *, whole=False) -> str:
        name = f"cmd{len(slack.received)}"
        body = slash_command_body(text, response_url=slack.response_url(name), user_id="UADMIN")
        message = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body), timeout=10).json()
        if "Looking that up" in message.get("text", ""):
            message = slack.wait_for_webhooks(1, name)[-1]
        return json.dumps(message, ensure_ascii=False) if whole else message["text"]

    def delivered(key: str, channel: str) -> dict:
        def found():
            return [c.body for c in slack.calls("chat.postMessage")
                    if c.body.get("channel") == channel and key in json.dumps(c.body)]  # fmt: skip

        return slack.wait_until(found, f"{key} posted in {channel}")[0]

    try:
        with live_server(settings, clock=clock) as url:
            # Prepare: the date fixed, a checklist step given to Maria; its reminder reaches her on the day.
            assert slash(url, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan").startswith(
                "Fixed the next Political-Military Talks: Tue 8 Dec 2026 in Tokyo"
            )
            assert slash(url, "milestone pol-mil briefing owner <@UMARIA|maria>").startswith("Political-Military")
            clock.at = BRIEFING_REMINDER
            reminder = delivered("milestone:pol-mil-talks.briefing:2026-11-24:7d:slack:UMARIA", "DMARIA")
            assert reminder["text"].startswith("Reminder: Political-Military Talks: Briefing notes ready, Tue 24 Nov")

            # Hold: after its day, the meeting is recorded.
            clock.at = AFTER_THE_MEETING
            assert slash(url, "held pol-mil 8 Dec 2026").startswith(
                "Recorded: Political-Military Talks, Tue 8 Dec 2026 in Tokyo, host Japan, held."
            )
            # Follow up: an action with an owner and a due date, tracked as a commitment of its own.
            added = slash(url, 'action pol-mil "exchange lists of PKO trainers" owner <@UMARIA|maria> due 15 Jan 2027')
            assert added.startswith("Follow-up action 2026-M1 added for the Political-Military Talks")
            assert "Follow-up of the Political-Military Talks, held 8 Dec 2026 in Tokyo" in slash(
                url, "show 2026-M1", whole=True
            )

            clock.at = ACTION_REMINDER
            reminder = delivered("reminder:2026-M1:2027-01-15:7d:slack:UMARIA", "DMARIA")
            assert reminder["text"].startswith("Reminder: Exchange lists of PKO trainers, Fri 15 Jan 2027 (in 7 days)")
            clock.at = ESCALATION  # a week overdue, nothing recorded: the coordinators' channel hears of it
            escalation = delivered("escalation:2026-M1:2027-01-22:slack:C0COORD", "C0COORD")
            assert escalation["text"].startswith("Overdue: Exchange lists of PKO trainers was due Fri 15 Jan 2027")
    finally:
        slack.close()


def test_a_coordinator_runs_a_whole_meeting_cycle_in_teams(tmp_path, sqlite_template, monkeypatch):
    """Teams as deployed: inbound activities carry Bot Framework tokens checked against the fake's keys;
    proactive sends (the reminders) go to the fake connector with a bot token (the token service is
    online only, so its provider is given here)."""
    import functools

    import jwt

    import bot.teams.app
    from tests.conftest import settings_for
    from tests.fakes.teams_connector import start_fake_teams
    from tests.live_server import live_server
    from tests.teams_activities import APP_ID, PERSONAL, Signer, personal_message

    admin, maria, maria_chat = "aad-admin-0042", "aad-maria-0007", "a:1maria-personal"
    signer, teams = Signer(), start_fake_teams()
    teams.jwks = {"keys": [signer.jwk()]}
    bot_token = jwt.encode({"aud": "https://api.botframework.com", "appid": APP_ID}, "k" * 32, algorithm="HS256")
    with_token = functools.partial(bot.teams.app.create_teams_app, token=lambda scope, tenant: bot_token)
    monkeypatch.setattr(bot.teams.app, "create_teams_app", with_token)
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = settings_for(
        f"sqlite:///{path}", teams_client_id=APP_ID, teams_client_secret="test-secret-not-used-offline",
        teams_openid_metadata_url=teams.openid_metadata_url, admins=f"teams:{admin}", lead=f"teams:{admin}", **TICKING,
    )  # fmt: skip
    clock = FixedClock(START)

    def post(url, activity) -> None:
        headers = {"Authorization": f"Bearer {signer.token(service_url=teams.url)}"}
        assert httpx.post(f"{url}/api/messages", json=activity, headers=headers, timeout=10).status_code == 200

    def say(url, text, *, mention=False) -> str:
        activity = personal_message(text, teams.url, user_aad=admin, name="Admin")
        if mention:  # "@Maria" as Teams sends it: a mention entity with her Entra object id
            mentioned = {"id": f"29:{maria}", "name": "Maria", "aadObjectId": maria}
            activity["entities"] = [{"type": "mention", "text": "<at>Maria</at>", "mentioned": mentioned}]
        teams.clear()
        post(url, activity)
        teams.wait_for(1)
        return json.dumps(teams.cards(), ensure_ascii=False)

    def delivered(conversation: str, words: str) -> str:
        def found():
            return [
                c for c in (json.dumps(a, ensure_ascii=False) for a in teams.activities(conversation)) if words in c
            ]

        return teams.wait_until(found, f"{words!r} in {conversation}")[0]

    try:
        with live_server(settings, clock=clock) as url:
            # Maria has written to the bot once: her 1:1 chat is stored, so reminders can reach her there.
            post(url, personal_message("help", teams.url, user_aad=maria, name="Maria", conversation_id=maria_chat))
            teams.wait_for(1)

            # Prepare: the date fixed, a checklist step given to Maria; its reminder reaches her on the day.
            assert "Fixed the next Political-Military Talks: Tue 8 Dec 2026 in Tokyo" in say(
                url, "schedule pol-mil 8 Dec 2026 in Tokyo host Japan"
            )
            assert "Briefing notes ready" in say(url, "milestone pol-mil briefing owner <at>Maria</at>", mention=True)
            clock.at = BRIEFING_REMINDER
            delivered(maria_chat, "Reminder: Political-Military Talks: Briefing notes ready, Tue 24 Nov")

            # Hold, then follow up.
            clock.at = AFTER_THE_MEETING
            assert "Recorded: Political-Military Talks, Tue 8 Dec 2026 in Tokyo, host Japan, held." in say(
                url, "held pol-mil 8 Dec 2026"
            )
            added = say(url, 'action pol-mil "exchange lists of PKO trainers" owner <at>Maria</at> due 15 Jan 2027',
                        mention=True)  # fmt: skip
            assert "Follow-up action 2026-M1 added for the Political-Military Talks" in added

            clock.at = ACTION_REMINDER
            delivered(maria_chat, "Reminder: Exchange lists of PKO trainers, Fri 15 Jan 2027 (in 7 days)")
            clock.at = ESCALATION  # a week overdue: the lead (here the coordinator) hears of it in their own chat
            delivered(PERSONAL, "Overdue: Exchange lists of PKO trainers was due Fri 15 Jan 2027")
    finally:
        teams.close()
