"""Latency of `/agenda` through the real endpoint, beside a bare Bolt app that
only acknowledges, in the same run on the same machine.

Starts `agenda-bot serve` (SQLite, seeded) and bench/bare_bolt.py on loopback,
drives signed slash commands at a fixed concurrency, and prints p50/p99 and
requests per second for each, the ratio of the two, and the same for the bot
on a generated agenda of 10,000 commitments.

    .venv/bin/python bench/slack_latency.py [--concurrency 16] [--requests 2000] [--skip-large]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import ROOT, SECRET, agenda_bot, free_port, percentile, signed_command, start, stop, wait_healthy

QUERIES = [
    "counter-terrorism", "MLAT", "DPRK", "nuclear", "Afghanistan", "covid", "areas", "next",
    "show 2002-A4", "counter-terorism", "peacekeeping", "IAEA", "frobnication",
]  # fmt: skip


async def drive(base: str, *, requests: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(n: int) -> None:
            nonlocal errors
            body, headers = signed_command(QUERIES[n % len(QUERIES)], n)
            async with semaphore:
                started = time.perf_counter()
                try:
                    response = await client.post(f"{base}/slack/events", content=body, headers=headers)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        await asyncio.gather(*(one(n) for n in range(min(200, requests))))  # warm-up, not counted
        latencies.clear()
        errors = 0
        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(requests)))
        elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "errors": errors,
        "p50": percentile(latencies, 50) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "rps": requests / elapsed,
    }


def run_target(name: str, command: list[str], env: dict, args) -> dict:
    port = free_port()
    process = start(
        [*command] if "bare_bolt" not in " ".join(command) else [*command, str(port)], env | {"AGENDA_PORT": str(port)}
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        return {"name": name} | asyncio.run(
            drive(f"http://127.0.0.1:{port}", requests=args.requests, concurrency=args.concurrency)
        )
    finally:
        stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--large-n", type=int, default=10_000)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="agenda-bench-"))
    bot_env = {
        "SLACK_SIGNING_SECRET": SECRET,
        "AGENDA_SCHEDULER": "false",
        "AGENDA_LOG_LEVEL": "WARNING",
    }
    results = [
        run_target(
            "bare Bolt (ack only)",
            [sys.executable, str(ROOT / "bench" / "bare_bolt.py")],
            {"PYTHONPATH": str(ROOT)},
            args,
        ),
        run_target(
            "agenda-bot, seeded agenda",
            [*agenda_bot(), "serve"],
            bot_env | {"DATABASE_URL": f"sqlite:///{work}/seeded.db"},
            args,
        ),
    ]
    if not args.skip_large:
        from bench.generate_agenda import load

        url = f"sqlite:///{work}/large.db"
        print(f"generating {args.large_n} commitments…", file=sys.stderr)
        load(url, args.large_n)
        large_env = bot_env | {"DATABASE_URL": url, "AGENDA_SEED_ON_START": "false"}
        results.append(
            run_target(f"agenda-bot, {args.large_n:,} commitments", [*agenda_bot(), "serve"], large_env, args)
        )

    print(f"\n/agenda over HTTP, concurrency {args.concurrency}, {args.requests} requests each")
    print(f"{'target':<36}{'errors':>7}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
    for r in results:
        print(f"{r['name']:<36}{r['errors']:>7}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['rps']:>9.0f}")
    bare, seeded = results[0], results[1]
    ratio = seeded["rps"] / bare["rps"]
    checks = [
        ("no errors", all(r["errors"] == 0 for r in results)),
        ("seeded p99 <= 50 ms", seeded["p99"] <= 50),
        (f"throughput >= 0.5 x bare (is {ratio:.2f} x)", ratio >= 0.5),
    ]
    if len(results) > 2:
        checks.append((f"{args.large_n:,} commitments p99 <= 100 ms", results[2]["p99"] <= 100))
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 1 if args.check and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
