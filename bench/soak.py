"""Load and soak: two replicas on PostgreSQL under mixed traffic while they deliver.

Starts a throwaway PostgreSQL (the tests' helper: the machine's binaries, a Unix
socket, nothing on the network), seeds it once, starts a fake Slack Web API on
loopback that rate-limits and fails a little, queues a fan-out of reminders due
over the whole run, then starts two `agenda-bot serve` replicas and, for the set
time, sends signed traffic to both in turn: lookups and listings (slash
commands) and button presses (More, Share, Show), plus Teams messages when
the Teams front end is present. Every few seconds it samples each replica's
resident memory.

It reports, per kind of request, latency percentiles and errors (there must be
none), deliveries (each message exactly once), and, as ratios measured within
the run: p99 in the last third against the first third (drift), and each
replica's memory at the end against its memory after warm-up (growth).

    .venv/bin/python bench/soak.py [--minutes 3] [--concurrency 8] [--fanout 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.slack_latency import free_port, response_url_sink  # noqa: E402
from handlers.views.reply import Reply, reply_to_data  # noqa: E402
from models.db import make_engine, session  # noqa: E402
from scheduling import outbox  # noqa: E402
from scheduling.outbox import Planned  # noqa: E402
from tests.fakes.slack_limits import LimitedSlack, RunningLimitedSlack  # noqa: E402
from tests.fakes.teams_connector import start_fake_teams  # noqa: E402
from tests.postgres import start_server  # noqa: E402
from tests.slack_requests import block_action_body, signed_headers, slash_command_body  # noqa: E402
from tests.teams_activities import channel_message, personal_message  # noqa: E402

SECRET = "soak-signing-secret-7a1c"
TOKEN = "xoxb-soak-0000-token"
LOOKUPS = [
    "counter-terrorism", "MLAT", "DPRK", "nuclear", "Afghanistan", "covid", "areas", "next", "next 6 months",
    "show 2002-A4", "counter-terorism", "peacekeeping training", "IAEA safeguards", "frobnication", "help",
]  # fmt: skip
BUTTONS = [("agenda_more:0", {"q": "counter-terrorism", "p": 2}), ("agenda_show:0", {"q": "show 2005-A1"})]


@dataclass
class Stats:
    samples: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))  # kind → (t, s)
    errors: Counter = field(default_factory=Counter)
    memory: dict[int, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))  # replica → (t, kB)

    def add(self, kind: str, started: float, seconds: float) -> None:
        self.samples[kind].append((started, seconds))


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))] if ordered else float("nan")


def _queue_fanout(url: str, count: int, over: timedelta) -> None:
    """Reminders to 200 channels and people, due evenly over the run: the dispatchers work throughout."""
    engine = make_engine(url)
    now = datetime.now(UTC)
    body = reply_to_data(Reply(title="Reminder: the symposium is in 7 days"))
    targets = [f"slack:C{n:04d}" for n in range(150)] + [f"slack:U{n:04d}" for n in range(50)]
    planned = [
        Planned(f"soak:{n}", "reminder", targets[n % len(targets)], now + over * (n / count), body)
        for n in range(count)
    ]
    with session(engine) as db:
        outbox.enqueue(db, planned, now=now)
    engine.dispose()


def _serve(url: str, api_url: str, teams_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "AGENDA_", "DATABASE_", "TEAMS_"))}
    env |= {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "AGENDA_PORT": str(port),
        "AGENDA_SEED_ON_START": "false",
        "AGENDA_PLANNER_SECONDS": "3600",  # the fan-out is queued by this script; planning adds little here
        "AGENDA_DISPATCH_SECONDS": "1",
        "AGENDA_LOG_LEVEL": "WARNING",
        "AGENDA_TEAMS_ALLOW_UNAUTHENTICATED": "true",  # no token service here: see the module docstring
        "TEAMS_SERVICE_URL": teams_url,
    }
    script = Path(sys.executable).parent / "agenda-bot"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    output = log.open("w")
    process = subprocess.Popen([*command, "serve"], env=env, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
    return process, f"http://127.0.0.1:{port}"


async def _wait_ready(client: aiohttp.ClientSession, base: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"a replica exited with {process.returncode}")
        with contextlib.suppress(aiohttp.ClientError):
            async with client.get(f"{base}/readyz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{base} never became ready")


def _requests(response_url: str, teams_url: str):
    """Endless (n, kind, path, body, headers) in a fixed mix: 2 slash commands, 1 button press, 1 Teams message."""
    users = itertools.cycle(f"USOAK{n:02d}" for n in range(20))
    lookups = itertools.cycle(LOOKUPS)
    buttons = itertools.cycle(BUTTONS)
    for n in itertools.count():
        if n % 4 == 2:
            action, value = next(buttons)
            body = block_action_body(
                action_id=action, value=json.dumps(value), response_url=response_url, user_id=next(users)
            )
            yield n, "button", "/slack/events", body, signed_headers(body, secret=SECRET)
        elif n % 4 == 3:
            text = next(lookups)
            user = f"aad-{next(users).lower()}"
            make = personal_message if n % 8 == 3 else channel_message
            activity = make(text, teams_url, user_aad=user)
            yield n, "teams", "/api/messages", json.dumps(activity), {"content-type": "application/json"}
        else:
            body = slash_command_body(next(lookups), response_url=response_url, user_id=next(users))
            yield n, "command", "/slack/events", body, signed_headers(body, secret=SECRET)


async def _drive(
    bases: list[str], response_url: str, teams_url: str, stats: Stats, *, seconds: float, concurrency: int
) -> None:
    source = _requests(response_url, teams_url)
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                n, kind, path, body, headers = next(source)
                base = bases[(n + n // 4) % len(bases)]  # every kind goes to every replica in turn
                started = time.monotonic()
                try:
                    async with client.post(f"{base}{path}", data=body.encode(), headers=headers) as response:
                        payload = await response.read()
                        if response.status >= 300 or b"Something went wrong" in payload:
                            stats.errors[f"{kind}: HTTP {response.status}"] += 1
                except (aiohttp.ClientError, TimeoutError) as exc:
                    stats.errors[f"{kind}: {type(exc).__name__}"] += 1
                stats.add(kind, started, time.monotonic() - started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _sample_memory(processes: list[subprocess.Popen], stats: Stats, stop: asyncio.Event) -> None:
    while not stop.is_set():
        for index, process in enumerate(processes):
            if process.poll() is None:
                stats.memory[index].append((time.monotonic(), _rss_kb(process.pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 5)


def _report(stats: Stats, started: float, seconds: float, slack: LimitedSlack, fanout: int, due_by_end: int) -> bool:
    ok = True
    print(
        f"\nsoak: two replicas on PostgreSQL, {seconds / 60:.1f} min, mixed traffic; "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    print(f"{'kind':10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'p99 late/early':>15}")
    third = seconds / 3
    for kind, samples in sorted(stats.samples.items()):
        latencies = [s for _t, s in samples]
        early = [s for t, s in samples if t - started < third]
        late = [s for t, s in samples if t - started >= 2 * third]
        errors = sum(n for k, n in stats.errors.items() if k.startswith(kind))
        drift = _percentile(late, 99) / _percentile(early, 99)
        print(
            f"{kind:10} {len(latencies):>9,} {errors:>7} {_percentile(latencies, 50) * 1000:>8.1f} "
            f"{_percentile(latencies, 99) * 1000:>8.1f} {drift:>14.2f}x"
        )
    if stats.errors:
        ok = False
        print("errors:", dict(stats.errors))
    print(f"\n{'replica':8} {'RSS after warm-up':>18} {'RSS at end':>11} {'max':>8} {'end/warm-up':>12}")
    for index, series in sorted(stats.memory.items()):
        warm = [kb for t, kb in series if t - started >= 20] or [kb for _t, kb in series]
        first, last, peak = warm[0], warm[-1], max(warm)
        print(
            f"{index + 1:<8} {first / 1024:>15.0f} MB {last / 1024:>8.0f} MB {peak / 1024:>5.0f} MB "
            f"{last / first:>11.2f}x"
        )
    print("RSS over time (MB), every 30 s:")
    for index, series in sorted(stats.memory.items()):
        marks, next_mark = [], 0.0
        for t, kb in series:
            if t - started >= next_mark:
                marks.append(f"{kb / 1024:.0f}")
                next_mark += 30
        print(f"  replica {index + 1}: {' '.join(marks)}")
    keys = Counter(slack.keys())
    doubled = sum(1 for n in keys.values() if n > 1)
    print(
        f"\ndeliveries: {len(keys):,} of {fanout:,} queued ({due_by_end:,} due by the end), doubled {doubled}, "
        f"429s answered {slack.rate_limited:,}, 5xx answered {slack.server_errors:,}"
    )
    return ok and doubled == 0


async def main_async(args: argparse.Namespace, work: Path) -> bool:
    server = start_server()
    try:
        url = server.url("postgres")
        seed = subprocess.run(  # noqa: ASYNC221 - before anything else runs on this loop
            [sys.executable, "-m", "bot.cli", "seed"],
            env={**os.environ, "DATABASE_URL": url},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if seed.returncode:
            raise RuntimeError(seed.stderr)
        seconds = args.minutes * 60
        # Spread due times over 1.5x the run: about two thirds fall due while it runs.
        spread = timedelta(seconds=seconds * 1.5)
        _queue_fanout(url, args.fanout, spread)
        due_by_end = round(args.fanout / 1.5)
        fake = RunningLimitedSlack(LimitedSlack(per_channel_interval=0.05, error_rate=0.01))
        teams = start_fake_teams()
        replicas = [_serve(url, fake.fake.api_url, teams.url, work / f"replica-{n}.log") for n in (1, 2)]
        try:
            async with aiohttp.ClientSession() as client:
                for process, base in replicas:
                    await _wait_ready(client, base, process)
            stats, stop = Stats(), asyncio.Event()
            sampler = asyncio.ensure_future(_sample_memory([p for p, _ in replicas], stats, stop))
            started = time.monotonic()
            async with response_url_sink() as response_url:
                await _drive(
                    [base for _, base in replicas],
                    response_url,
                    teams.url,
                    stats,
                    seconds=seconds,
                    concurrency=args.concurrency,
                )
            stop.set()
            await sampler
            print(f"Teams replies received by the fake connector: {len(teams.activities()):,}")
            return _report(stats, started, seconds, fake.fake, args.fanout, due_by_end)
        finally:
            for process, _base in replicas:
                process.send_signal(signal.SIGTERM)
            for process, _base in replicas:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            fake.close()
            teams.close()
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fanout", type=int, default=3000, help="reminders queued, due over the run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="agenda-soak-"))
    try:
        ok = asyncio.run(main_async(args, work))
    finally:
        print(f"(replica logs in {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
