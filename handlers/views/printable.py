"""A Reply as a page a person prints: Markdown, or a self-contained HTML page.

Made for the meeting briefing (`agenda-bot ask --print html briefing pol-mil > briefing.html`),
it renders any Reply: its title, summary, sections, each item's agreed text (quoted, in full),
source and facts. Buttons are left out: paper has none. Its own few words ("Source") and the HTML
page's ``lang`` are the reply's language (the reader's: the one it was written in).
"""

from __future__ import annotations

from html import escape

from handlers.views import i18n
from handlers.views.i18n import _
from handlers.views.reply import Item, Reply

_STYLE = (
    "body{font:11pt/1.4 Georgia,serif;max-width:46em;margin:2em auto;color:#111}"
    "h1{font-size:16pt;margin:0 0 .2em}h2{font-size:12.5pt;border-bottom:1px solid #999;margin:1.2em 0 .4em}"
    "h3{font-size:11pt;margin:.9em 0 .2em}blockquote{margin:.3em 0 .3em 1em;font-style:italic}"
    ".meta{color:#444;font-size:9.5pt}dl{margin:.2em 0}dt{float:left;clear:left;width:7em;color:#444}"
    "dd{margin-left:7.5em}@page{margin:1.6cm}"
)


def as_markdown(reply: Reply) -> str:
    with i18n.speaking(reply.language):
        return _markdown(reply)


def _markdown(reply: Reply) -> str:
    lines = [f"# {reply.title}", ""]
    if reply.summary:
        lines += [f"*{reply.summary}*", ""]
    for section in reply.sections:
        if section.heading:
            lines += [f"## {section.heading}", ""]
        if section.body:
            lines += [*(f"{line}  " for line in section.body.splitlines()), ""]
        for item in section.items:
            lines += _markdown_item(item)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_item(item: Item) -> list[str]:
    lines = [f"### {item.id} {item.title}".rstrip(), ""]
    if item.text:
        lines += [f"> {line}" if item.quoted else line for line in item.text.splitlines()] + [""]
    if item.citation:
        lines += [_("Source: {cite}").format(cite=item.citation) + "  "]
    lines += [f"**{fact.label}:** {fact.value}  " for fact in item.facts]
    return [*lines, ""]


def as_html(reply: Reply) -> str:
    with i18n.speaking(reply.language) as language:
        return _html(reply, language)


def _html(reply: Reply, language: str) -> str:
    parts = [
        "<!doctype html>",
        f'<html lang="{language}"><head><meta charset="utf-8">',
        f"<title>{escape(reply.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(reply.title)}</h1>",
    ]
    if reply.summary:
        parts.append(f'<p class="meta">{escape(reply.summary)}</p>')
    for section in reply.sections:
        if section.heading:
            parts.append(f"<h2>{escape(section.heading)}</h2>")
        if section.body:
            parts.append("<p>" + "<br>".join(escape(line) for line in section.body.splitlines()) + "</p>")
        for item in section.items:
            parts.append(_html_item(item))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_item(item: Item) -> str:
    html = [f"<h3>{escape(item.id)} {escape(item.title)}</h3>"]
    if item.text:
        text = "<br>".join(escape(line) for line in item.text.splitlines())
        html.append(f"<blockquote>“{text}”</blockquote>" if item.quoted else f"<p>{text}</p>")
    if item.citation:
        html.append(f'<p class="meta">{escape(_("Source: {cite}").format(cite=item.citation))}</p>')
    if item.facts:
        facts = "".join(f"<dt>{escape(f.label)}</dt><dd>{escape(f.value)}</dd>" for f in item.facts)
        html.append(f"<dl>{facts}</dl>")
    return "\n".join(html)
