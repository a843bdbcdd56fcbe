"""Commands in the reader's words (issue 15, item 5): the words inside commands in English, French and
Japanese, help and refusals showing the reader's keyword, French typography and lists in each language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"


def test_french_puts_a_no_break_space_before_a_colon():
    with (ROOT / "handlers/locale/fr/LC_MESSAGES/messages.po").open("rb") as source:
        catalogue = read_po(source, locale="fr")
    spaced = []
    for message in catalogue:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        spaced += [form for form in forms if message.id and re.search(r"\S :", form)]
    assert spaced == [], "French: a no-break space (U+00A0) before a colon, not a space"
