"""The shape a signed Slack payload must have before Bolt routes it.

Bolt trusts a signed body: its listener matchers index into it (a
view_submission's ``view["type"]``, a block action's ``user``), and a payload
that is signed but malformed (a JSON array, a view without a type, an action
without a user) made them raise, which Bolt answers with a 500 and a
traceback. Slack never sends such payloads, so whoever did gets a 400 and one
log line instead. The body is parsed with Bolt's own ``parse_body``, so this
sees exactly what Bolt would.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from slack_bolt.request.internals import parse_body


def payload_problem(raw: bytes, content_type: str | None) -> str | None:
    """None for a payload Bolt can route; otherwise what is wrong with it, for the log."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "a body that does not decode"
    if (fields := _slash_command_form(text, content_type)) is not None:
        return _slash_command(fields)
    try:
        body = parse_body(text, content_type)
    except (ValueError, RecursionError):
        return "a body that does not decode"
    if not isinstance(body, dict):
        return "a payload that is not a JSON object"
    if "command" not in body and _deeper_than(body, MAX_DEPTH):  # a slash command's form is flat
        return f"a payload nested more than {MAX_DEPTH} levels deep"
    # Bolt's middlewares read these with .get() whatever the payload's type.
    for key in _OBJECTS:
        if key in body and not isinstance(body[key], dict):
            return f"a payload whose {key} is not an object"
    if "command" in body:
        return _slash_command(body)
    kind = body.get("type")
    if kind is None:
        return None  # nothing for Bolt to route: it answers 404 itself
    if not isinstance(kind, str):
        return "a payload whose type is not a string"
    check = _BY_TYPE.get(kind)
    return check(body) if check else None


def _slash_command_form(text: str, content_type: str | None) -> dict[str, str] | None:
    """A slash command's form fields as ``parse_body`` would give them, but with the values left
    URL-encoded, or None for any other body (which is then parsed whole).

    Every slash command passes here, and decoding all of its fields (a URL, a trigger id, …) cost
    more than the rest of this check: what is checked of a slash command is only whether its
    ``command`` and ``user_id`` are empty, which their encoded forms tell as well (percent-decoding
    never empties a value). Parsed as ``urllib.parse.parse_qsl`` parses, blank values kept: split on
    ``&``, empty pieces skipped, a name without ``=`` has an empty value, the last of a repeated name
    counts; names are decoded. Bolt reads a body as JSON, or as one ``payload`` field, when it starts
    with ``{``, is declared JSON or holds the word ``payload`` anywhere: those are not forms here."""
    if content_type == "application/json" or text.startswith("{") or "payload" in text:
        return None
    fields: dict[str, str] = {}
    for pair in text.split("&"):
        if pair:
            name, _equals, value = pair.partition("=")
            fields[unquote_plus(name) if "%" in name or "+" in name else name] = value
    if "command" not in fields or any(key in fields for key in _OBJECTS):
        return None  # not a slash command, or one that the whole check refuses: said by the whole check
    return fields


# Slack's own payloads nest a few levels (a view's state, rich text in a message: under 20). Bolt
# copies a request whole (copy.deepcopy) for each lazy listener, and a payload nested some hundreds
# of levels deep made that copy overflow the stack: a 500 and a traceback.
MAX_DEPTH = 100


def _deeper_than(value: object, limit: int) -> bool:
    """Whether JSON lists and objects nest deeper than ``limit`` in ``value`` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _slash_command(body: dict) -> str | None:
    if not _text(body.get("command")) or not _text(body.get("user_id")):
        return "a slash command without a command or a user"
    return None


def _user(body: dict) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not _text(user.get("id")):
        return "an interaction without a user"
    return None


def _block_actions(body: dict) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        return "a block action without actions"
    if not all(isinstance(a, dict) and _text(a.get("action_id")) for a in actions):
        return "a block action without an action id"
    return _user(body)


def _view(body: dict) -> str | None:
    view = body.get("view")
    if not isinstance(view, dict) or not _text(view.get("type")) or not isinstance(view.get("callback_id"), str):
        return "a view payload without a view type and callback id"
    state = view.get("state", {})
    if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
        return "a view payload whose state is not an object"
    if not isinstance(view.get("private_metadata", ""), str):
        return "a view payload whose private metadata is not a string"
    return _user(body)


def _event_callback(body: dict) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _text(event.get("type")):
        return "an event without a type"
    return None


_OBJECTS = ("event", "user", "team", "channel", "container", "view", "enterprise", "message", "state")

_BY_TYPE = {
    "block_actions": _block_actions,
    "view_submission": _view,
    "view_closed": _view,
    "event_callback": _event_callback,
}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
