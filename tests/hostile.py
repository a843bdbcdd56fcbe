"""Hostile requests, generated from a random source: what an intruder, a broken
proxy or a confused client could send to /slack/events, /api/messages and the
calendar feeds.

One generator serves the fuzz tests (tests/test_fuzz.py, which hand it
Hypothesis's random source, so failures shrink and replay) and the benchmark
(bench/hostile.py, which sends 10,000). Signed Slack requests are signed as
Slack signs them, so they reach the handlers, not just the gate; Teams
activities name a loopback service URL, never another host.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.teams_activities import BOT_ID, CHANNEL, PERSONAL, TEAM, TENANT

# Words of /agenda commands, with arguments good, bad and hostile.
COMMAND_WORDS = [
    "help", "areas", "show", "next", "mine", "owner", "assign", "unassign", "status", "schedule", "sensitivity",
    "history", "add", "edit", "role", "ack", "snooze", "open", "digest", "subscribe", "unsubscribe", "remind",
    "calendar", "revoke", "slot", "plan", "link", "unlink", "me", "symposium", "pol-mil", "MLAT", "DPRK",
    "counter-terrorism", "2002-A4", "2005-C1", "1999-A1", "x:2005-C1:abc", "restricted", "public", "done",
    "in progress", "signed on 24 May 2010", "in force", "0000", "9999", "31 Feb 2027", "tomorrow", "2 weeks",
    "12 months", "400 days", "-1", "0", "99999999999999999999", "host Canada", "in Ottawa", "confirm", "coordinator",
    "admin", "all", "fr", "ja", "テロ対策", "Corée du Nord", "<@U0TEST>", "<@UADMIN|ken>", "<!channel>", "@here",
    "'; DROP TABLE commitment; --", "%s%s%n", "{{7*7}}", "${jndi:ldap://x}", "\u202e", "\x00", "\ud7ff", "`code`",
    "*bold*", "<https://evil.example|click>", "‮", "　", "..", "…", "\n", "\t",
]  # fmt: skip
ACTION_PREFIXES = ["agenda_show", "agenda_share", "agenda_more", "agenda_run", "agenda_do", "home_filter", "nope"]
SLACK_TYPES = ["block_actions", "view_submission", "view_closed", "event_callback", "shortcut", "url_verification"]
TEAMS_TYPES = ["message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "typing", "event"]


@dataclass
class HostileRequest:
    kind: str  # what it tries, for the report
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def junk_text(rng: random.Random, most: int = 60) -> str:
    if rng.random() < 0.1:
        points = (rng.randrange(0x20, 0x30000) for _ in range(rng.randrange(0, most)))
        return "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)  # surrogates cannot be sent
    return " ".join(rng.choice(COMMAND_WORDS) for _ in range(rng.randrange(0, 6)))


def junk_json(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return rng.choice([None, True, False, 0, -1, 2**63, 1.5e308, "", junk_text(rng), "x" * rng.randrange(0, 500)])
    if roll < 0.65:
        return [junk_json(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    keys = ["type", "user", "id", "actions", "view", "value", "text", "from", "conversation", "channelData", "name"]
    return {rng.choice(keys): junk_json(rng, depth + 1) for _ in range(rng.randrange(0, 5))}


@dataclass(frozen=True)
class Targets:
    """What a hostile request names: the signing secret it is signed with, the Teams service URL
    the bot would answer to, and the Slack response_url (by default a closed loopback port, so
    answers fail at once; the benchmark passes its fake Slack's webhook)."""

    signing_secret: str
    service_url: str
    response_url: str = "http://127.0.0.1:9/response"


def hostile_request(
    rng: random.Random, *, signing_secret: str, service_url: str, response_url: str | None = None
) -> HostileRequest:
    targets = Targets(signing_secret, service_url, *([response_url] if response_url else []))
    return rng.choice(_MAKERS)(rng, targets)


# -- Slack ---------------------------------------------------------------------------------


def _sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


def _slash(rng: random.Random, to: Targets) -> HostileRequest:
    fields = {
        "command": "/agenda",
        "text": junk_text(rng),
        "user_id": rng.choice(["U0TEST", "UADMIN", "U" + secrets.token_hex(4).upper(), ""]),
        "user_name": junk_text(rng, 10),
        "channel_id": rng.choice(["C0TEST", "D0DM", "G0GROUP", "", "C" + "9" * 40]),
        "team_id": "T0TEST",
        "response_url": to.response_url,
        "trigger_id": secrets.token_hex(8),
    }
    if rng.random() < 0.1:
        fields.pop(rng.choice(list(fields)))
    body = urlencode(fields).encode()
    return HostileRequest("slack command (signed)", "POST", "/slack/events", _sign(body, to.signing_secret), body)


def _payload(rng: random.Random, to: Targets) -> HostileRequest:
    kind = rng.choice(SLACK_TYPES)
    value = rng.choice(
        [
            json.dumps({"q": junk_text(rng), "p": rng.choice([1, 0, -5, "x", 10**12, None])}),
            json.dumps({"q": rng.choice(["calendar", "link", "mine", "calendar agenda", "history 2002-A4"])}),
            junk_text(rng),
            json.dumps(junk_json(rng)),
        ]
    )
    payload = {
        "type": kind,
        "user": rng.choice([{"id": "U0TEST", "name": "t"}, {"id": ""}, {}, None, "U0TEST"]),
        "team": {"id": "T0TEST"},
        "channel": rng.choice([{"id": "C0TEST"}, {}, None]),
        "response_url": to.response_url,
        "trigger_id": secrets.token_hex(8),
        "actions": [{"action_id": f"{rng.choice(ACTION_PREFIXES)}:{rng.randrange(-2, 9)}", "value": value}],
        "view": rng.choice(
            [
                {"type": "modal", "callback_id": "agenda_form", "private_metadata": junk_text(rng),
                 "state": {"values": junk_json(rng) if rng.random() < 0.5 else {}}},
                {"type": "home", "id": "V0", "blocks": []},
                None,
            ]
        ),
        "event": rng.choice([{"type": "app_home_opened", "user": "U0TEST", "tab": "home"}, {}, None]),
    }  # fmt: skip
    if rng.random() < 0.3:
        payload = junk_json(rng) if rng.random() < 0.5 else rng.choice([[], [payload], "payload", 42])
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return HostileRequest(f"slack {kind} (signed)", "POST", "/slack/events", _sign(body, to.signing_secret), body)


def _forged_slack(rng: random.Random, to: Targets) -> HostileRequest:
    body = urlencode({"command": "/agenda", "text": junk_text(rng), "user_id": "UADMIN"}).encode()
    trick = rng.randrange(7)
    headers = _sign(body, to.signing_secret)
    if trick == 0:
        headers = _sign(body, "not-the-secret")
    elif trick == 1:
        headers["x-slack-request-timestamp"] = rng.choice(["", "abc", "1e10", "-1", "9" * 30, "1.5", "0x10"])
    elif trick == 2:
        headers = _sign(body, to.signing_secret, timestamp=int(time.time()) - rng.choice([301, 3600, 10**9]))
    elif trick == 3:
        headers["x-slack-signature"] = rng.choice(["", "v0=", "v1=" + "0" * 64, "v0=" + "z" * 64, "x" * 5000])
    elif trick == 4:
        body = body + b"&tampered=1"
    elif trick == 5:
        headers = {}
    else:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 4096)))
    return HostileRequest("slack forged", "POST", "/slack/events", headers, body)


def _oversized(rng: random.Random, to: Targets) -> HostileRequest:
    path = rng.choice(["/slack/events", "/api/messages"])
    size = rng.choice([300 * 1024, 1024 * 1024, 4 * 1024 * 1024])
    return HostileRequest(f"oversized {path}", "POST", path, {"content-type": "application/json"}, b"{" * size)


def _deep(rng: random.Random, to: Targets) -> HostileRequest:
    depth = rng.choice([1_000, 5_000, 50_000])
    nested = ("[" * depth + "]" * depth).encode()
    if rng.random() < 0.5:
        return HostileRequest("deep json teams", "POST", "/api/messages", {"content-type": "application/json"}, nested)
    # The same body signed twice in one second would be refused as a replay: each gets a nonce.
    nested = "[" * min(depth, 9_000) + "]" * min(depth, 9_000)
    body = urlencode({"payload": nested, "trigger_id": secrets.token_hex(8)}).encode()
    return HostileRequest("deep json slack (signed)", "POST", "/slack/events", _sign(body, to.signing_secret), body)


# -- Teams and the rest --------------------------------------------------------------------


def _activity(rng: random.Random, to: Targets) -> HostileRequest:
    personal = rng.random() < 0.5
    conversation = (
        {"id": PERSONAL, "conversationType": "personal"}
        if personal
        else {"id": f"{CHANNEL};messageid=1", "conversationType": "channel", "isGroup": True}
    )
    text = junk_text(rng)
    activity = {
        "type": rng.choice(TEAMS_TYPES),
        "id": secrets.token_hex(6),
        "timestamp": "2026-11-22T15:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": to.service_url,  # always the loopback fake: a reply must never leave this machine
        "from": rng.choice([{"id": "29:aad-x", "name": "X", "aadObjectId": "aad-x"}, {"id": ""}, {}]),
        "recipient": {"id": BOT_ID, "name": "AgendaBot"},
        "conversation": {"tenantId": TENANT, **conversation},
        "channelData": {"tenant": {"id": TENANT}} | ({} if personal else {"team": {"id": TEAM}}),
        "text": text if personal else f"<at>AgendaBot</at> {text}",
        "name": rng.choice(["adaptiveCard/action", "task/fetch", "task/submit", "", "composeExtension/query"]),
        "value": rng.choice([junk_json(rng), {"action": {"type": "Action.Execute", "verb": junk_text(rng, 10),
                                                          "data": junk_json(rng)}}]),
        "entities": rng.choice([[], [{"type": "mention", "text": "<at>AgendaBot</at>", "mentioned": {"id": BOT_ID}}],
                                junk_json(rng)]),
    }  # fmt: skip
    for key in rng.sample(sorted(activity), rng.randrange(0, 3)):
        if key != "serviceUrl":
            activity[key] = junk_json(rng)
    if rng.random() < 0.1:
        activity = junk_json(rng)
    headers = {"content-type": "application/json"}
    if rng.random() < 0.3:
        headers["authorization"] = rng.choice(["Bearer", "Bearer x.y.z", "Basic abc", "Bearer " + "e" * 9000])
    return HostileRequest("teams activity", "POST", "/api/messages", headers, json.dumps(activity).encode())


def _raw_teams(rng: random.Random, to: Targets) -> HostileRequest:
    body = rng.choice(
        [b"", b"null", b"[]", b"{", b"\xff\xfe", b'{"type": 5}', bytes(rng.randrange(256) for _ in range(64))]
    )
    return HostileRequest("teams raw", "POST", "/api/messages", {"content-type": "application/json"}, body)


def _feed(rng: random.Random, to: Targets) -> HostileRequest:
    token = rng.choice([secrets.token_urlsafe(32), "", "..%2F..%2Fetc%2Fpasswd", "x" * 3000, "%00", "ab.cd"])
    return HostileRequest("calendar feed", "GET", f"/calendar/{token}.ics")


_MAKERS = [
    _slash,
    _slash,
    _payload,
    _payload,
    _forged_slack,
    _oversized,
    _deep,
    _activity,
    _activity,
    _raw_teams,
    _feed,
]
