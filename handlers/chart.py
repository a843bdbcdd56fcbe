"""A small picture for the digest: the channel's items by area and status.

Rendered here, server-side, as a PNG (matplotlib's Agg backend: no display, no
browser), with alt text that says what it shows. It is drawn from the records
the digest already chose, so restricted items and other areas' items are never
counted. Kept small: Teams carries it inline in the card (under its size limit),
Slack as a file posted with the digest.
"""

from __future__ import annotations

import base64
import io
from collections import Counter, defaultdict

from handlers.i18n import N_, _
from handlers.reply import Image
from models.tables import Status

AREAS_SHOWN = 8  # the largest areas; the rest are added up as "Other areas"
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
        counts["Other areas"] = other
        shown.append("Other areas")
    return Image(png_base64=_png(shown, counts), alt=_alt(statuses, shown, counts), name="agenda-status-by-area.png")


def _png(areas: list[str], counts: dict[str, Counter]) -> str:
    import matplotlib

    matplotlib.use("Agg")  # no display; safe in a server thread
    from matplotlib.figure import Figure  # a Figure, not pyplot: no global state between digests

    figure = Figure(figsize=(6, 0.3 * len(areas) + 1.0), dpi=72)
    axes = figure.subplots()
    rows = list(reversed(areas))  # the largest on top
    left = [0] * len(rows)
    for status in ORDER:
        values = [counts[a][status] for a in rows]
        if any(values):
            axes.barh([_short(a) for a in rows], values, left=left, color=COLOURS[status], label=WORDS[status])
            left = [x + v for x, v in zip(left, values, strict=True)]
    axes.set_xlabel("items")
    axes.tick_params(labelsize=8)
    axes.legend(fontsize=7, loc="upper right", frameon=False)
    axes.set_title("Items by area and status", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(area: str) -> str:
    return area if len(area) <= 32 else area[:31] + "…"


def _alt(statuses, areas: list[str], counts: dict[str, Counter]) -> str:
    total = Counter(Status(s) for _a, s in statuses)
    by_status = ", ".join(f"{total[s]} {_(WORDS[s])}" for s in ORDER if total[s])
    largest = "; ".join(f"{a} {sum(counts[a].values())}" for a in areas[:3])
    return _("Bar chart of {n} items by area and status: {statuses}. Largest areas: {areas}.").format(
        n=len(statuses), statuses=by_status, areas=largest
    )
