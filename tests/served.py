"""A real ``agenda-bot serve`` (or ``deploy/start.sh``) process, and the moment it is ready.

Readiness is a signal, not a sleep loop: the process runs at INFO, and a thread
reads what it writes (into a log file too) and sets an event at uvicorn's
"Uvicorn running on …" line, which comes once the lifespan (migrations, seeding,
warm-up) has finished and the socket is listening; it sets it too if the process
ends. One /readyz then confirms what serving needs. A start that times out or
fails says how far it got and when: each line of its output with the seconds
since the start. (Most of a start is imports: ~3.4 s per process on an idle
machine, and deploy/start.sh starts two; on a loaded one, several times that.)
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

SERVING = re.compile(r"Uvicorn running on (http://\S+)")
BIN = Path(sys.executable).parent / "agenda-bot"
START_TIMEOUT = 180.0  # a bound for a machine under heavy load; a ready start returns as soon as it is


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command() -> list[str]:
    return [str(BIN), "serve"] if BIN.exists() else [sys.executable, "-m", "bot.cli", "serve"]


def clean_environment(**values: str) -> dict[str, str]:
    """The environment without the settings of whoever runs the tests, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AGENDA_", "DATABASE_", "TEAMS_"))}
    return env | values


class Served:
    """A server process whose output goes to ``log`` and is watched for readiness."""

    def __init__(self, command: Sequence[str], env: dict[str, str], log: Path, *, cwd: Path | None = None) -> None:
        self.log = log
        self.lines: list[tuple[float, str]] = []  # (seconds since the start, line)
        self.url: str | None = None
        self._ready = threading.Event()
        self._ended = threading.Event()
        self.started = time.monotonic()
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            list(command), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        self._reader = threading.Thread(target=self._read, daemon=True, name=f"served-{self.process.pid}")
        self._reader.start()

    def _read(self) -> None:
        with self.log.open("w") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))
                if self.url is None and (found := SERVING.search(line)):
                    self.url = found.group(1)
                    self._ready.set()
        self._ended.set()
        self._ready.set()  # whoever waits wakes up: it ended before (or after) serving

    def output(self, last: int = 60) -> str:
        shown = self.lines[-last:]
        return "\n".join(f"{t:7.2f}s {line[:300]}" for t, line in shown) or "(no output)"

    def wait_ready(self, timeout: float = START_TIMEOUT) -> str:
        """The server's URL once it listens and /readyz says ready; a clear failure otherwise."""
        if not self._ready.wait(timeout):
            raise AssertionError(
                f"not serving {timeout:.0f}s after the start (pid {self.process.pid}); its output so far:\n"
                + self.output()
            )
        if self.url is None:
            self.process.wait(10)
            raise AssertionError(f"exited with {self.process.returncode} before serving; its output:\n{self.output()}")
        delay, deadline = 0.05, time.monotonic() + 30
        while True:  # ready as soon as it listens, unless a check fails: then say which
            response = httpx.get(f"{self.url}/readyz", timeout=10)
            if response.status_code == 200:
                return self.url
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"listening but not ready: {response.text}\n{self.output()}")
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def wait_ended(self, timeout: float = 10) -> str:
        """Everything the process wrote, once it has ended and its output is read to the end."""
        self.process.wait(timeout)
        self._ended.wait(timeout)
        return self.log.read_text()

    def stop(self, timeout: float = 30) -> float:
        """SIGTERM, then wait for it to end (SIGKILL if it will not); the seconds it took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        self._ended.wait(10)
        return time.monotonic() - started

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._ended.wait(10)
