"""What one uncached lookup costs inside the bot: SQL statements and milliseconds.

The same distinct two-word searches as bench/slack_latency.py, answered in process
(handlers.answer, no HTTP, no Slack), against an existing database: the seeded
agenda, or a generated one (bench/generate_agenda.py --database-url ...). Counts
are exact; times depend on the machine, so compare runs made one after the other.

    .venv/bin/python bench/lookup_cost.py sqlite:///agenda.db [--searches 500] [--revision-given]

``--revision-given``: each search is handled as Slack over HTTP handles it, with the agenda
revision read beforehand (by the replay store) rather than in the search's own session.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:  # run as a script from anywhere
        sys.path.insert(0, str(path))

from slack_latency import distinct_searches  # noqa: E402

from handlers import answer, handle, parse  # noqa: E402
from handlers.domain.ports import Ports, Requester  # noqa: E402
from models import repository  # noqa: E402
from models.db import make_engine, session  # noqa: E402
from scheduling.clock import FixedClock  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--revision-given", action="store_true", help="the revision read before, not per search")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    statements, checkouts = [0], [0]
    event.listen(engine, "before_cursor_execute", lambda *_a, **_k: statements.__setitem__(0, statements[0] + 1))
    event.listen(engine, "checkout", lambda *_a, **_k: checkouts.__setitem__(0, checkouts[0] + 1))
    clock = FixedClock(datetime(2026, 11, 22, 15, tzinfo=UTC))
    ports = Ports(open_session=partial(session, engine), clock=clock)
    asker = Requester(user_ref="slack:UBENCH", display_name="bench", channel_ref="slack:CBENCH")
    answer("areas", ports=ports, requester=asker)  # the per-revision caches, as a running bot has them
    searches = distinct_searches(args.searches)
    revision = None
    if args.revision_given:
        with session(engine) as db:
            revision = repository.current_revision(session=db)
    statements[0], checkouts[0], started, cpu = 0, 0, time.perf_counter(), time.process_time()
    for words in searches:
        if revision is None:
            answer(words, ports=ports, requester=asker)
        else:
            handle(parse(words), ports=ports, requester=asker, revision=revision)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{len(searches)} distinct searches: {statements[0] / len(searches):.1f} SQL statements, "
        f"{checkouts[0] / len(searches):.2f} connections, {elapsed / len(searches) * 1000:.2f} ms "
        f"({cpu / len(searches) * 1000:.2f} ms of CPU) each"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
