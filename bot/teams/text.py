"""Teams message text → the neutral words after `/agenda`.

In a channel or group chat the bot only hears messages that @mention it, as
``<at>AgendaBot</at> agenda counter-terrorism`` with a mention entity per
``<at>…</at>``. The bot's own mention is removed (the SDK's helper, matched on
the recipient id); other people's mentions become neutral refs
(``<@teams:<aad object id>>``) so ``assign … @maria`` works as in Slack. A
leading ``agenda`` is optional: in a 1:1 chat ``counter-terrorism`` is enough.
"""

from __future__ import annotations

import html
import re

from microsoft_teams.api import MentionEntity
from microsoft_teams.api.activities.utils import StripMentionsTextOptions, strip_mentions_text

_COMMAND_WORD = re.compile(r"^/?agenda\b[:,]?\s*", re.IGNORECASE)
_TAGS = re.compile(r"<[^<>]+>")


def user_ref(aad_object_id: str | None, fallback_id: str) -> str:
    """People are known by their Entra (AAD) object id: stable across chats and tenants' bots."""
    return f"teams:{aad_object_id or fallback_id}"


def to_neutral(activity) -> str:
    """The command text of a message activity (mentions resolved, markup gone)."""
    text = strip_mentions_text(activity, StripMentionsTextOptions(account_id=activity.recipient.id)) or ""
    for entity in activity.entities or []:
        if isinstance(entity, MentionEntity) and entity.mentioned.id != activity.recipient.id and entity.text:
            aad = getattr(entity.mentioned, "aad_object_id", None)
            name = entity.text.replace("<at>", "").replace("</at>", "")
            text = text.replace(entity.text, f"<@{user_ref(aad, '')}>" if aad else f"@{name}", 1)
    # Teams may wrap text in HTML (<p>, &nbsp;) when the message came from the rich editor.
    text = html.unescape(_TAGS.sub(lambda m: m.group(0) if m.group(0).startswith("<@") else " ", text))
    text = " ".join(text.replace("\xa0", " ").split())
    return _COMMAND_WORD.sub("", text, count=1)
