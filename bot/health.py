"""Readiness: may a load balancer send this replica work?

/healthz only says the process answers. /readyz checks what serving needs:
the database answers, the scheduler runs (unless switched off on purpose),
and the outbox is not falling behind (a due message waiting longer than
AGENDA_READY_OUTBOX_LAG_SECONDS means deliveries are stuck somewhere).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from bot.delivery import DeliveryService
from bot.metrics import outbox_state
from handlers.domain.ports import Ports
from models.db import ping

CHECK_TIMEOUT = 3.0  # seconds; a probe that hangs is a failed probe


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)  # name → "ok" or what is wrong
    stopping: bool = False

    @property
    def ready(self) -> bool:
        return not self.stopping and all(value == "ok" or value == "disabled" for value in self.checks.values())

    def as_json(self) -> dict:
        return {"status": "ready" if self.ready else "not ready", "stopping": self.stopping, "checks": self.checks}


async def readiness(
    engine: Engine, ports: Ports, delivery: DeliveryService | None, *, max_lag: float, stopping: bool = False
) -> Readiness:
    result = Readiness(stopping=stopping)
    try:
        await asyncio.wait_for(asyncio.to_thread(ping, engine), CHECK_TIMEOUT)
        result.checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
        result.checks["database"] = f"unreachable: {type(exc).__name__}"
        result.checks["outbox"] = "unknown: no database"
    if delivery is None:
        result.checks["scheduler"] = "disabled"
    elif delivery.running:
        result.checks["scheduler"] = "ok"
    else:
        result.checks["scheduler"] = "not running"
    if "outbox" not in result.checks:
        try:
            _counts, lag = await asyncio.wait_for(
                asyncio.to_thread(outbox_state, ports.open_session, ports.clock.now()), CHECK_TIMEOUT
            )
            result.checks["outbox"] = "ok" if lag <= max_lag else f"behind: a due message has waited {lag:.0f}s"
        except Exception as exc:  # noqa: BLE001
            result.checks["outbox"] = f"unknown: {type(exc).__name__}"
    return result
