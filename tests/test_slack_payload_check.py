"""The payload check reads a slash command's form without decoding every field
(bot/slack/payloads.py); what it says must be what the whole parse says, for any body."""

from __future__ import annotations

import random
from urllib.parse import urlencode

from slack_bolt.request.internals import parse_body

from bot.slack import payloads
from bot.slack.payloads import payload_problem
from tests.hostile import COMMAND_WORDS, hostile_request, junk_text

FORM = "application/x-www-form-urlencoded"


def _by_the_whole_parse(raw: bytes, content_type: str | None) -> str | None:
    """The check as it was before the shortcut: Bolt's parse of the whole body, then every rule."""
    try:
        body = parse_body(raw.decode("utf-8"), content_type)
    except (ValueError, RecursionError):
        return "a body that does not decode"
    if not isinstance(body, dict):
        return "a payload that is not a JSON object"
    if "command" not in body and payloads._deeper_than(body, payloads.MAX_DEPTH):
        return f"a payload nested more than {payloads.MAX_DEPTH} levels deep"
    for key in payloads._OBJECTS:
        if key in body and not isinstance(body[key], dict):
            return f"a payload whose {key} is not an object"
    if "command" in body:
        return payloads._slash_command(body)
    kind = body.get("type")
    if kind is None:
        return None
    if not isinstance(kind, str):
        return "a payload whose type is not a string"
    check = payloads._BY_TYPE.get(kind)
    return check(body) if check else None


def _forms(rng: random.Random) -> bytes:
    """Slash-command-like forms with the awkward parts parse_qsl has rules for."""
    fields = [
        ("command", rng.choice(["/agenda", "", "%2Fagenda", "+"])),
        ("user_id", rng.choice(["U1", "", "%00"])),
        ("text", junk_text(rng)),
        ("channel_id", "C1"),
        ("response_url", "https://hooks.slack.com/x?a=1&b=2"),
    ]
    rng.shuffle(fields)
    pieces = [urlencode([f]) if rng.random() < 0.7 else f"{f[0]}={f[1]}" for f in fields if rng.random() < 0.9]
    extras = ["", "&", "lonely", "=", "user", "user=U1", "type=block_actions", "com%6Dand=/x", "user_id=", "command"]
    extras += ["c+o=d", "event=x", "payload=1", "text=payload", "%ZZ=1", "user_id=U2", rng.choice(COMMAND_WORDS)]
    for _ in range(rng.randrange(0, 4)):
        pieces.insert(rng.randrange(0, len(pieces) + 1), rng.choice(extras))
    return "&".join(pieces).encode()


def test_the_shortcut_says_what_the_whole_parse_says():
    rng = random.Random(13)
    bodies = [(_forms(rng), rng.choice([FORM, None, "application/json", "text/plain"])) for _ in range(3000)]
    for _ in range(2000):
        request = hostile_request(rng, signing_secret="s", service_url="http://127.0.0.1:9")
        bodies.append((request.body, request.headers.get("content-type")))
    bodies += [(b"\xff\xfe", FORM), (b"{}", FORM), (b"[1]", "application/json"), (b"", FORM)]
    for raw, content_type in bodies:
        assert payload_problem(raw, content_type) == _by_the_whole_parse(raw, content_type), (raw, content_type)


def test_a_slash_command_is_read_without_decoding_its_fields():
    body = urlencode({"command": "/agenda", "user_id": "U1", "text": "MLAT", "response_url": "https://x/y"})
    assert payloads._slash_command_form(body, FORM) == {
        "command": "%2Fagenda", "user_id": "U1", "text": "MLAT", "response_url": "https%3A%2F%2Fx%2Fy"}  # fmt: skip
    assert payload_problem(body.encode(), FORM) is None
    assert payload_problem(urlencode({"command": "/agenda", "user_id": ""}).encode(), FORM) is not None
