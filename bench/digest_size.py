"""Measure the quiet and busy digest (lines, words) on the seeded agenda, as render_text shows it.

Run from a checkout: .venv/bin/python bench/digest_size.py [-v]  (the code of the current directory)."""

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial

sys.path.insert(0, ".")
from handlers import answer
from handlers.domain.ports import Ports, Requester
from handlers.domain.timeline import Timeline
from handlers.views.text import render_text
from models.db import make_engine, migrate, session
from models.platforms import Conversation
from scheduling.clock import FixedClock
from scheduling.digest import compose
from seeds.loader import load_seeds

TODAY = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
COORD = Requester(user_ref="slack:UCOORD", channel_ref="slack:CLEADS", conversation=Conversation.channel)


def build():
    path = tempfile.mktemp(suffix=".db")
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session(engine) as db:
        load_seeds(db)
    return engine


def digest_text(engine, clock):
    with session(engine) as db:
        timeline = Timeline.load(db, clock.now().date())
        parts = compose(db, timeline, areas=[], since=clock.now() - timedelta(weeks=1), now=clock.now())
    return "\n".join(render_text(p) for p in parts)


def measure(label, text):
    lines = text.splitlines()
    print(f"{label}: {len(lines)} lines, {len(text.split())} words")


BUSY = [
    "status 2005-C1 in progress talks resumed",
    "status 2005-C1 done agreed at the talks",
    "status 1999-3 stalled waiting for Tokyo",
    "status 1999-4 in progress",
    "assign 1999-5 <@slack:UMARIA>",
    "assign 2002-A4 <@slack:UKENJI>",
    "status 2002-A4 in progress drafting",
    "schedule symposium 10 Dec 2026 in Tokyo host Japan",
    "schedule pol-mil Dec 2026",
    "status 1999-6 dropped superseded",
]

if __name__ == "__main__":
    engine = build()
    clock = FixedClock(TODAY)
    ports = Ports(open_session=partial(session, engine), clock=clock, page_size=8, admins=frozenset({COORD.user_ref}))
    quiet = digest_text(engine, clock)
    measure("quiet", quiet)
    for words in BUSY:
        r = answer(words, ports=ports, requester=COORD)
        if r.tone.value == "error":
            print("!", words, r.title)
    busy = digest_text(engine, clock)
    measure("busy", busy)
    if "-v" in sys.argv:
        print("=" * 60)
        print(quiet)
        print("=" * 60)
        print(busy)
