"""A request is answered as of the agenda revision read after it arrived.

Over HTTP, Slack's replay store reads the revision once per batch of requests, in the
batch's transaction (bot/seen_requests.py), and the slash command answers as of it
(handlers/domain/cache.py): a write committed through any other session or process is in
the very next answer, with no session of the request's own when the answer is cached.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.seen_requests import SeenRequests
from handlers import handle, parse
from handlers.domain.ports import Requester
from models import repository
from models.db import make_engine, session
from models.revision import agenda_changed
from models.tables import Commitment, Origin, Owner, OwnerKind
from scheduling.clock import FixedClock
from tests.conftest import TODAY, settings_for
from tests.fakes.slack_api import start_fake_slack
from tests.live_server import live_server
from tests.slack_requests import signed_headers, slash_command_body

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
ASKER = Requester(user_ref="slack:U0TEST", display_name="tester", channel_ref="slack:C0TEST")
NEW_OWNER = "Zelda Quartermaine"


def _add_owner(engine) -> None:
    """A change made through a session of its own, as another replica or the terminal makes it."""
    with session(engine) as db:
        agenda_changed(db)
        mlat = db.exec(select(Commitment).where(Commitment.key == "2002-A4")).one()
        db.add(Owner(commitment_id=mlat.id, kind=OwnerKind.user, ref="slack:UZQ", display_name=NEW_OWNER,
                     origin=Origin.bot))  # fmt: skip
        db.commit()


def test_a_write_through_another_session_is_in_the_next_slack_answer(backend, tmp_path, sqlite_template):
    path = tmp_path / "agenda.db"
    shutil.copy(sqlite_template, path)
    fake = start_fake_slack()
    try:
        settings = settings_for(f"sqlite:///{path}", slack_api_url=fake.api_url)
        with live_server(settings, clock=FixedClock(TODAY)) as base:

            def ask() -> str:
                body = slash_command_body("show 2002-A4", response_url=fake.response_url("rev"))
                response = httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10)
                assert response.status_code == 200
                return response.text

            first = ask()
            assert ask() == first  # answered from the cache
            assert NEW_OWNER not in first
            engine = make_engine(f"sqlite:///{path}")
            _add_owner(engine)
            engine.dispose()
            assert NEW_OWNER in ask()  # at once: not half a second later, when a hint of the revision expires
    finally:
        fake.close()


def test_the_replay_store_gives_each_request_the_revision_read_after_it_arrived(engine):
    seen = SeenRequests("slack", partial(session, engine), read_revision=True)
    expires = datetime.now(UTC) + timedelta(minutes=5)

    async def run() -> list[tuple[bool, int | None]]:
        first = await seen.admit("signature-1", expires)
        _add_owner(engine)
        return [first, await seen.admit("signature-2", expires), await seen.admit("signature-1", expires)]

    (taken, before), (taken_again, after), (copy, _) = asyncio.run(run())
    assert taken and taken_again and not copy
    assert after == before + 1


def test_a_cached_answer_as_of_a_given_revision_opens_no_connection(ports, engine):
    checkouts = []
    event.listen(engine, "checkout", lambda *_args: checkouts.append(1))
    with session(engine) as db:
        revision = repository.current_revision(session=db)
    first = handle(parse("counter-terrorism"), ports=ports, requester=ASKER, revision=revision)
    checkouts.clear()
    assert handle(parse("counter-terrorism"), ports=ports, requester=ASKER, revision=revision) is first
    assert not checkouts
    _add_owner(engine)  # a newer revision is a new key: answered afresh
    with session(engine) as db:
        newer = repository.current_revision(session=db)
    assert handle(parse("counter-terrorism"), ports=ports, requester=ASKER, revision=newer) is not first
