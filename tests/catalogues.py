"""The messages the code marks for translation, as `pybabel extract` finds them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def extract_messages(folder: Path) -> Catalog:
    """What `pybabel extract` finds in the code now, with babel.cfg (as the README says to run it);
    the template is written into ``folder``."""
    out = folder / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(out)]
        + [str(ROOT / d) for d in ("handlers", "bot", "scheduling")]
    )
    with out.open("rb") as source:
        return read_po(source)
