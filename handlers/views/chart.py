"""A small picture for the digest: the channel's items by area and status.

Rendered here, server-side, as a PNG (matplotlib's Agg backend: no display, no
browser), with alt text that says what it shows. It is drawn from the records
the digest already chose, so restricted items and other areas' items are never
counted. Kept small: Teams carries it inline in the card (under its size limit),
Slack as a file posted with the digest.

Its drawn words (title, axis, legend) are in the reader's language. Japanese needs a font with its
glyphs: the first CJK font installed (CJK_FONTS, found through matplotlib's font manager) is added
after matplotlib's default as a per-glyph fallback; with none installed, the labels are drawn in
English rather than as empty boxes (the alt text, plain text, stays Japanese).
"""

from __future__ import annotations

import base64
import io
from collections import Counter, defaultdict
from functools import cache

from handlers.views import i18n
from handlers.views.i18n import N_, _
from handlers.views.reply import Image
from models.tables import Status

AREAS_SHOWN = 8  # the largest areas; the rest are added up as "Other areas"
OTHER_AREAS = N_("Other areas")
OTHER = "\0other areas"  # their row, named in the words it is drawn or described in
# Fonts with Japanese glyphs, the first one installed wins: Noto/Source Han (Linux packages fonts-noto-cjk),
# IPA (fonts-ipaexfont), and the ones macOS and Windows ship.
CJK_FONTS = ("Noto Sans CJK JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic",
             "Hiragino Sans", "Yu Gothic", "MS Gothic")  # fmt: skip
ORDER = [Status.done, Status.in_progress, Status.not_started, Status.stalled, Status.dropped, Status.unknown]
WORDS = {
    Status.done: N_("done"), Status.in_progress: N_("in progress"), Status.not_started: N_("not started"),
    Status.stalled: N_("stalled"), Status.dropped: N_("dropped"), Status.unknown: N_("no status"),
}  # fmt: skip
COLOURS = {  # colour-blind safe (Okabe-Ito), grey for "no status"
    Status.done: "#009E73", Status.in_progress: "#0072B2", Status.not_started: "#56B4E9",
    Status.stalled: "#E69F00", Status.dropped: "#000000", Status.unknown: "#BBBBBB",
}  # fmt: skip


def status_by_area(statuses: list[tuple[str, str]]) -> Image | None:
    """A bar per area, split by status, from (area name, status) pairs; None with nothing to show."""
    if not statuses:
        return None
    counts: dict[str, Counter] = defaultdict(Counter)
    for area, status in statuses:
        counts[area][Status(status)] += 1
    ranked = sorted(counts, key=lambda a: (-sum(counts[a].values()), a))
    shown = ranked[:AREAS_SHOWN]
    if len(ranked) > AREAS_SHOWN:
        other = Counter()
        for area in ranked[AREAS_SHOWN:]:
            other.update(counts[area])
        counts[OTHER] = other
        shown.append(OTHER)
    return Image(png_base64=_png(shown, counts), alt=_alt(statuses, shown, counts), name="agenda-status-by-area.png")


def _png(areas: list[str], counts: dict[str, Counter]) -> str:
    import matplotlib

    matplotlib.use("Agg")  # no display; safe in a server thread
    from matplotlib.figure import Figure  # a Figure, not pyplot: no global state between digests

    families = drawing_fonts(i18n.current())
    with i18n.speaking(i18n.current() if families else i18n.ENGLISH):  # no font for the language: English words
        return _draw(Figure, areas, counts, families or [matplotlib.rcParams["font.family"][0]])


@cache
def drawing_fonts(language: str) -> list[str] | None:
    """The font families to draw a language with (matplotlib's default, then a fallback for its glyphs),
    or None when no installed font has them."""
    import matplotlib
    from matplotlib import font_manager

    default = matplotlib.rcParams["font.sans-serif"][0]
    if language != i18n.JAPANESE:
        return [default]
    known = {font.name for font in font_manager.fontManager.ttflist}
    if not known & set(CJK_FONTS):
        # matplotlib's list of system fonts leaves out font collections (.ttc), the form CJK fonts come in
        for path in font_manager.findSystemFonts(fontext="ttc") + font_manager.findSystemFonts():
            if any(hint in path.lower() for hint in _CJK_FILES):
                font_manager.fontManager.addfont(path)
        known = {font.name for font in font_manager.fontManager.ttflist}
    return next(([default, name] for name in CJK_FONTS if name in known), None)


_CJK_FILES = ("cjk", "sourcehan", "ipaex", "ipag", "takao", "hiragino", "yugoth", "msgothic")


def _draw(Figure, areas: list[str], counts: dict[str, Counter], families: list[str]) -> str:
    figure = Figure(figsize=(6, 0.3 * len(areas) + 1.0), dpi=72)
    axes = figure.subplots()
    rows = list(reversed(areas))  # the largest on top
    names = [_short(_name(a)) for a in rows]
    left = [0] * len(rows)
    for status in ORDER:
        values = [counts[a][status] for a in rows]
        if any(values):
            axes.barh(names, values, left=left, color=COLOURS[status], label=_(WORDS[status]))
            left = [x + v for x, v in zip(left, values, strict=True)]
    axes.set_xlabel(_("items"), family=families)
    axes.tick_params(labelsize=8)
    for label in axes.get_yticklabels():  # area names (the agenda's own, and "Other areas" in the reader's words)
        label.set_family(families)
    axes.legend(prop={"family": families, "size": 7}, loc="upper right", frameon=False)
    axes.set_title(_("Items by area and status"), fontsize=9, family=families)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _name(area: str) -> str:
    return _(OTHER_AREAS) if area == OTHER else area


def _short(area: str) -> str:
    return area if len(area) <= 32 else area[:31] + "…"


def _alt(statuses, areas: list[str], counts: dict[str, Counter]) -> str:
    total = Counter(Status(s) for _a, s in statuses)
    by_status = ", ".join(f"{total[s]} {_(WORDS[s])}" for s in ORDER if total[s])
    largest = "; ".join(f"{_name(a)} {sum(counts[a].values())}" for a in areas[:3])
    return _("Bar chart of {n} items by area and status: {statuses}. Largest areas: {areas}.").format(
        n=len(statuses), statuses=by_status, areas=largest
    )
