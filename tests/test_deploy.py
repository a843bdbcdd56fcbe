"""The container's start sequence, run outside a container (no container engine
runs here): deploy/start.sh migrates, seeds and serves; two replicas starting
together on one empty PostgreSQL take turns and seed once. And the container
files say what the README promises: non-root, health check, pinned images,
two replicas behind one port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import func
from sqlmodel import select

from models.db import make_engine, session
from models.tables import Commitment
from tests.conftest import fresh_database_url

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "deploy" / "start.sh"
SEEDED_COMMITMENTS = 97


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AGENDA_", "DATABASE_"))}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",  # agenda-bot, as in the image
        "DATABASE_URL": database_url,
        "AGENDA_PORT": str(port),
        "AGENDA_PLANNER_SECONDS": "3600",
        "AGENDA_LOG_LEVEL": "WARNING",
    }
    output = log.open("w")
    process = subprocess.Popen([str(START)], env=env, stdout=output, stderr=subprocess.STDOUT, cwd=log.parent)
    return process, f"http://127.0.0.1:{port}"


def _wait_ready(process: subprocess.Popen, base: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"start.sh exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready within {timeout}s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> float:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)  # start.sh exec'd the server: the signal reaches it
    try:
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return time.monotonic() - started


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
        log = tmp_path / f"{attempt}.log"
        process, base = _start(url, log)
        try:
            _wait_ready(process, base, log)
            assert httpx.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}
        finally:
            took = _stop(process)
        assert process.returncode in (0, -signal.SIGTERM), log.read_text()[-2000:]
        assert took < 25
        assert _commitments(url) == SEEDED_COMMITMENTS


def test_two_replicas_starting_together_on_one_empty_postgresql_seed_it_once(request, tmp_path):
    url = fresh_database_url("postgresql", request, seeded=False)
    started = [_start(url, tmp_path / f"replica-{n}.log") for n in (1, 2)]
    try:
        for n, (process, base) in enumerate(started, 1):
            _wait_ready(process, base, tmp_path / f"replica-{n}.log")
    finally:
        for process, _base in started:
            _stop(process)
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
