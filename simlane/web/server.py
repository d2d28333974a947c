"""Serve the dashboard with uvicorn inside an existing asyncio loop (``simlane run``) or alone (``simlane web``)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Iterator

import uvicorn


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the host process (``simlane run``) owns Ctrl-C and stops us by
    cancelling the task."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listen(host: str, port: int) -> socket.socket:
    """Bind and listen before uvicorn starts: a port in use is then a plain ``OSError`` here. uvicorn's own bind
    logs and calls ``sys.exit``, and a ``SystemExit`` in a task stops the whole event loop (the bot's too)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)


async def serve_web(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    ready: asyncio.Event | None = None,
    announce: Callable[[str], object] = print,
) -> None:
    """Serve the ASGI app until cancelled; once listening, ``announce`` the address and set ``ready``.

    ``port=0`` picks a free port (the announced address has the real one). A port already in use raises
    ``OSError``, so the caller decides what happens to the rest of the process.
    """
    from config.asgi import application

    sock = _listen(host, port)
    config = uvicorn.Config(
        application, host=host, port=port, lifespan="off", log_level="warning", access_log=False, log_config=None
    )
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                break
            await asyncio.sleep(0.02)  # startup is a bind and listen: a few ticks at most
        if task.done():
            await task
            raise OSError(f"the dashboard stopped before it listened on {host}:{port}")
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        announce(f"SimLane dashboard: http://{shown}:{bound}/")
        if ready is not None:
            ready.set()
        await task
    except asyncio.CancelledError:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise
    finally:
        sock.close()
