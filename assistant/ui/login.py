"""``LoginThrottle``: a growing delay per client after failed logins, and a lockout with a log note.

An ASGI middleware around gradio's ``POST /login``: the n-th failed attempt in a row from one
address waits ``base * 2**(n-1)`` seconds (capped) before it is even checked; after
``lockout_after`` failures the address is refused for ``lockout_seconds`` and the log says so.
Attempts from one address are checked one at a time, so parallel guessing gains nothing. Does not:
check passwords (gradio does) or see the real address behind a reverse proxy (the proxy's address
is what it throttles then; see the README).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("assistant.ui.login")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


@dataclass
class _Client:
    failures: int = 0
    locked_until: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class LoginThrottle:
    def __init__(
        self,
        app: ASGIApp,
        base: float = 0.5,
        cap: float = 30.0,
        lockout_after: int = 10,
        lockout_seconds: float = 300.0,
    ) -> None:
        self.app = app
        self.base, self.cap = base, cap
        self.lockout_after, self.lockout_seconds = lockout_after, lockout_seconds
        self.clients: dict[str, _Client] = {}

    def delay(self, failures: int) -> float:
        """Seconds the next attempt waits after ``failures`` failed ones in a row.

        Example: [LoginThrottle(app).delay(n) for n in range(4)] -> [0.0, 0.5, 1.0, 2.0]
        """
        return 0.0 if failures <= 0 else min(self.cap, self.base * 2 ** (failures - 1))

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        path = str(scope.get("path", "")).rstrip("/")
        if (
            scope.get("type") != "http"
            or scope.get("method") != "POST"
            or not path.endswith("/login")
        ):
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown", 0))[0]
        client = self.clients.setdefault(address, _Client())
        async with client.lock:
            wait = client.locked_until - time.monotonic()
            if wait > 0:
                await _refuse(send, wait)
                return
            await asyncio.sleep(self.delay(client.failures))
            status: list[int] = []

            async def watch(message: Message) -> None:
                if message.get("type") == "http.response.start":
                    status.append(int(message.get("status", 0)))
                await send(message)

            await self.app(scope, receive, watch)
            if status and status[0] == 200:
                client.failures = 0
                return
            client.failures += 1
            if client.failures >= self.lockout_after:
                client.locked_until = time.monotonic() + self.lockout_seconds
                log.warning(
                    "login: %d failed logins in a row from %s; that address is locked out for %.0f s",
                    client.failures,
                    address,
                    self.lockout_seconds,
                )


async def _refuse(send: Any, wait: float) -> None:
    body = json.dumps(
        {"detail": f"Too many failed logins from this address; try again in {wait:.0f} s."}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(int(wait) + 1).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
