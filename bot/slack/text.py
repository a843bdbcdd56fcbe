"""Slack's text conventions → neutral text for the parser.

Slack sends ``&``, ``<`` and ``>`` escaped, and (with escaping on for the
command) mentions as ``<@U123|name>``, channels as ``<#C123|name>`` and links
as ``<https://…|label>``. Mentions become platform-qualified refs
(``<@slack:U123>``); everything else becomes the words a person sees.
"""

from __future__ import annotations

import re

_ANGLED = re.compile(r"<([^<>]*)>")


def to_neutral(text: str | None) -> str:
    return _unescape(_ANGLED.sub(_replace, text or ""))


def user_ref(user_id: str) -> str:
    return f"slack:{user_id}"


def _replace(match: re.Match) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@") and len(target) > 1:
        return f"<@{user_ref(target[1:])}>"
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    if target.startswith("!"):
        return f"@{(label or target[1:].split('^')[0]).removeprefix('@')}"  # <!subteam^S1|@team>: "@team"
    return label or target


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
