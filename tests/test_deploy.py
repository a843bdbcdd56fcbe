"""The container's start sequence, run outside a container (no container engine
runs here): deploy/start.sh migrates, seeds and serves; two replicas starting
together on one empty PostgreSQL take turns and seed once. And the container
files say what the README promises: non-root, health check, pinned images,
two replicas behind one port."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import func
from sqlmodel import select

from models.db import make_engine, session
from models.tables import Commitment
from tests.conftest import fresh_database_url
from tests.served import Served, clean_environment, free_port

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "deploy" / "start.sh"
SEEDED_COMMITMENTS = 107


def _start(database_url: str, log: Path) -> Served:
    env = clean_environment(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # agenda-bot, as in the image
        DATABASE_URL=database_url,
        AGENDA_PORT=str(free_port()),
        AGENDA_PLANNER_SECONDS="3600",
        AGENDA_LOG_LEVEL="INFO",  # uvicorn says when it serves: the readiness signal (tests/served.py)
    )
    return Served([str(START)], env, log, cwd=log.parent)


def _commitments(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with session(engine) as db:
            return db.exec(select(func.count()).select_from(Commitment)).one()
    finally:
        engine.dispose()


def test_the_start_script_migrates_seeds_and_serves_then_stops_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"  # no file yet: a first start on a new volume
    for attempt in ("first", "second"):  # the second start finds everything in place
        served = _start(url, tmp_path / f"{attempt}.log")
        try:
            base = served.wait_ready()
            assert httpx.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}
        finally:
            took = served.stop()  # start.sh exec'd the server: the SIGTERM reaches it
        assert served.process.returncode in (0, -signal.SIGTERM), served.output()
        assert took < 25
        assert _commitments(url) == SEEDED_COMMITMENTS


def test_two_replicas_starting_together_on_one_empty_postgresql_seed_it_once(request, tmp_path):
    url = fresh_database_url("postgresql", request, seeded=False)
    started = [_start(url, tmp_path / f"replica-{n}.log") for n in (1, 2)]
    try:
        for served in started:
            served.wait_ready()
    finally:
        for served in started:
            served.stop()
    assert _commitments(url) == SEEDED_COMMITMENTS


# -- what the container files promise -----------------------------------------------


def test_the_image_runs_the_start_script_as_a_non_root_user_with_a_health_check():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert len(stages) >= 2, "multi-stage: build tools stay out of the final image"
    assert all(re.search(r":\d+\.\d+\.\d+", image) for image in stages), f"base images pinned: {stages}"
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", dockerfile, re.M)
    assert "COPY deploy/start.sh /opt/agenda/bin/agenda-start" in dockerfile
    assert re.search(r'^CMD \["agenda-start"\]', dockerfile, re.M)
    # The final image draws Japanese: a CJK font the chart knows by name (handlers/views/chart.py).
    from handlers.views.chart import CJK_FONTS

    final = dockerfile[dockerfile.rindex("\nFROM ") :]
    assert "fonts-ipaexfont-gothic" in final and "IPAexGothic" in CJK_FONTS


def test_compose_runs_two_replicas_on_postgresql_behind_one_port():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    bots = {name: s for name, s in services.items() if s.get("build")}
    assert sorted(bots) == ["bot-1", "bot-2"]
    for bot in bots.values():
        assert bot["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert "@db:5432/" in bot["environment"]["DATABASE_URL"]
        assert bot["depends_on"]["db"]["condition"] == "service_healthy"
        assert "ports" not in bot  # reached only through the proxy
    assert re.search(r":\d+\.\d+", services["db"]["image"]) and re.search(r":\d+\.\d+\.\d+", services["proxy"]["image"])
    published = [port for s in services.values() for port in s.get("ports", [])]
    assert published == ["3000:8080"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server bot-1:3000" in nginx and "server bot-2:3000" in nginx and "listen 8080" in nginx


@pytest.fixture(autouse=True)
def _only_where_posix():
    if os.name != "posix":
        pytest.skip("deploy/start.sh is a POSIX shell script")
