"""Fuzzing, on a small budget: the parser, the handlers and both endpoints must
answer anything with a reply or a 4xx, never an exception or a 5xx.

Hypothesis drives each; a failure is shrunk and printed with the seed that
replays it. bench/hostile.py sends 10,000 of the same requests to a served
process and reports 5xx, timeouts and the slowest answer.
"""

from __future__ import annotations

import random
import shutil
from functools import partial

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import answer
from handlers.commands.parser import Command, ParseError, parse
from handlers.domain.ports import Ports, Requester
from handlers.views.reply import Visibility
from models.db import make_engine, session
from scheduling.clock import FixedClock
from tests.conftest import TODAY
from tests.fakes.slack_api import start_fake_slack
from tests.fakes.teams_connector import start_fake_teams
from tests.hostile import COMMAND_WORDS, hostile_request
from tests.live_server import both_platforms, live_server
from tests.slack_requests import SIGNING_SECRET

BUDGET = settings(
    max_examples=120, deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow], database=None
)
commands = st.lists(st.sampled_from(COMMAND_WORDS), max_size=7).map(" ".join)
anything = st.one_of(commands, st.text(max_size=400), st.from_regex(r"[a-z ]{0,12}[0-9:./-]{0,14}", fullmatch=True))


@BUDGET
@given(text=anything, page=st.integers(min_value=-(2**63), max_value=2**63))
def test_the_parser_answers_anything_with_a_command_or_a_parse_error(text, page):
    assert isinstance(parse(text, page=page), Command | ParseError)


@pytest.fixture(scope="module")
def agenda_ports(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("fuzz") / "agenda.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield Ports(
        open_session=partial(session, engine),
        clock=FixedClock(TODAY),
        page_size=8,
        admins=frozenset({"slack:UADMIN"}),
    )
    engine.dispose()


@BUDGET
@given(
    text=anything,
    who=st.sampled_from(["slack:UADMIN", "slack:U0TEST", "teams:aad-ada-0001"]),
    audience=st.sampled_from(list(Visibility)),
    page=st.integers(min_value=1, max_value=50),
)
def test_the_handlers_answer_anything_without_raising(agenda_ports, text, who, audience, page):
    requester = Requester(user_ref=who, display_name="fuzz", channel_ref="slack:C0TEST")
    reply = answer(text, ports=agenda_ports, requester=requester, page=page, audience=audience)
    assert reply.title  # every reply says something


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template):
    fake_slack, fake_teams = start_fake_slack(), start_fake_teams()
    path = tmp_path_factory.mktemp("fuzz-http") / "agenda.db"
    shutil.copy(sqlite_template, path)
    settings = both_platforms(f"sqlite:///{path}", fake_slack.api_url, admins="slack:UADMIN", max_request_bytes=65536)
    with live_server(settings, clock=FixedClock(TODAY)) as url:
        yield url, f"{fake_teams.url}"
    fake_slack.close()
    fake_teams.close()


@BUDGET
@given(rng=st.randoms(use_true_random=False))
def test_both_endpoints_answer_hostile_requests_without_a_5xx(served, rng: random.Random):
    base, service_url = served
    request = hostile_request(rng, signing_secret=SIGNING_SECRET, service_url=service_url)
    response = httpx.request(
        request.method, f"{base}{request.path}", headers=request.headers, content=request.body, timeout=10
    )
    assert response.status_code < 500, (request.kind, response.status_code, response.text[:300])
