"""`/agenda language`: the bot's language for oneself (English, French or Japanese), or the platform's."""

from __future__ import annotations

from handlers.commands.registry import Access, CommandSpec, later, plain
from handlers.views.i18n import N_

COMMANDS = (
    CommandSpec(
        name="language",
        words={"language": plain(later("handlers.commands.language:parse_language"))},
        local={"language": {"fr": "langue", "ja": "言語"}},
        handlers={"handlers.commands.language:SetLanguage": later("handlers.commands.language:set_language")},
        access=Access.change,  # stored on the person; the Home tab shows it
        rank=295,
        examples=(
            "language", "language fr", "language ja", "language auto",
            "langue français", "langue anglais", "langue japonais", "言語 日本語", "言語 英語", "言語 フランス語",
        ),  # fmt: skip
        help=N_(
            "`/agenda language fr|ja|en`: the bot's language for you (`auto`: your Slack or Teams language); "
            "`/agenda language` shows it."
        ),
        aliases=frozenset({"langue", "言語"}),
    ),
)
