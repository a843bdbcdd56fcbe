"""Reply → plain text: the terminal's rendering and every platform's fallback."""

from __future__ import annotations

import re
import textwrap

from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import MENTION, ActionKind, Item, Reply

WIDTH = 100


def render_text(reply: Reply, *, width: int = WIDTH) -> str:
    with i18n.speaking(reply.language):  # its own few words in the reply's language
        return _render_text(reply, width)


def _render_text(reply: Reply, width: int) -> str:
    lines = [reply.title]
    if reply.summary:
        lines.append(reply.summary)
    for section in reply.sections:
        lines.append("")
        if section.heading:
            lines += [section.heading, "-" * min(len(section.heading), width)]
        if section.body:
            lines.append(section.body)
        for item in section.items:
            lines += _item(item, width)
    hints = [f"[{a.label}] /agenda {a.query}" for a in reply.actions if a.kind in (ActionKind.more, ActionKind.run)]
    if hints:
        lines += ["", *hints]
    return _plain_mentions("\n".join(lines).rstrip() + "\n")


def render_summary(reply: Reply) -> str:
    """One or two lines: the notification text a chat client shows."""
    return _plain_mentions(sentences(reply.title, reply.summary))


def sentences(*parts: str) -> str:
    """Parts joined as sentences: a full stop between two only where the first has no ending of its own
    (titles often end with one, and "Fixed… 09:00 America/Toronto.. About" read badly)."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and not _ENDED.search(text):
            text += "."
        text = f"{text} {part}" if text else part
    return text


_ENDED = re.compile(r"[.!?…:;][”’\"')\]]*$")  # a sentence's end, perhaps inside a closing quote or bracket


def _item(item: Item, width: int) -> list[str]:
    lines = [f"{item.id}  {item.title}"]
    wrapped = textwrap.wrap(item.text, width - 4) or [""]
    if item.quoted:
        lines += [f"  “{wrapped[0]}"] + [f"   {line}" for line in wrapped[1:]]
        lines[-1] += "”"
    else:
        lines += [f"  {line}" for line in wrapped]
    if item.citation:
        lines.append("  " + _("Source: {source}").format(source=item.citation))
    lines += ["  " + i18n.colon(fact.label, fact.value) for fact in item.facts]
    if item.trimmed:
        lines.append("  " + _("(trimmed: /agenda show {id} for the full text)").format(id=item.id))
    lines.append("")
    return lines


def _plain_mentions(text: str) -> str:
    return MENTION.sub(lambda m: "@" + m.group(1).split(":", 1)[1], text)
