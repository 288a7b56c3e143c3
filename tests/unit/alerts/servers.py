"""In-process servers alert channels talk to: a Bot API stand-in over HTTP, an SMTP server."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Recorded", "recording_bot_api", "recording_smtp"]


@dataclass
class Recorded:
    """What a fake server received; ``answer`` is what the Bot API fake replies."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    answer: dict[str, Any] = field(default_factory=lambda: {"ok": True, "result": {}})
    url: str = ""


@contextlib.contextmanager
def recording_bot_api() -> Iterator[Recorded]:
    """A Telegram Bot API stand-in on 127.0.0.1 recording each request's path and JSON body."""
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            recorded.requests.append({"path": self.path, "body": body})
            payload = json.dumps(recorded.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorded.url = f"127.0.0.1:{server.server_address[1]}"
    try:
        yield recorded
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def recording_smtp() -> Iterator[Recorded]:
    """An aiosmtpd server on 127.0.0.1 recording each message (envelope and text)."""
    from aiosmtpd.controller import Controller

    recorded = Recorded()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            recorded.requests.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "data": envelope.content.decode("utf-8", "replace"),
                }
            )
            return "250 OK"

    # aiosmtpd checks readiness by connecting to its port, so it needs a real one, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    recorded.url = f"127.0.0.1:{port}"
    try:
        yield recorded
    finally:
        controller.stop()
