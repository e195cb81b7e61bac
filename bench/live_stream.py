"""A measurement harness, not part of the app: the Server-Sent Events design of live
updates, measured against the shipped poll by bench/live_updates.py.

    python -m bench.live_stream PORT REDIS_URL

A small asyncio service (the shape a stream needs: one process holding every idle
connection for the price of a socket, which gunicorn's gthread workers cannot) that
subscribes once to Redis (``PSUBSCRIBE live:project:*``) and writes
``event: changed`` to every open ``GET /stream/<project id>`` of that project when
something publishes to ``live:project:<id>`` after a commit. A comment line every
15 s keeps idle connections open through proxies. It checks no session: a real one
would, once per connection.
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict

from redis.asyncio import Redis

CHANNELS = "live:project:*"
HEARTBEAT_SECONDS = 15
HEADERS = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
           b"Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n\r\n")

streams: dict[str, set[asyncio.StreamWriter]] = defaultdict(set)


async def _relay(redis_url: str) -> None:
    pubsub = Redis.from_url(redis_url).pubsub()
    await pubsub.psubscribe(CHANNELS)
    async for message in pubsub.listen():
        if message["type"] != "pmessage":
            continue
        project = message["channel"].decode().rsplit(":", 1)[1]
        frame = f"event: changed\ndata: {project}\n\n".encode()
        for writer in list(streams[project]):
            writer.write(frame)


async def _heartbeat() -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        for writers in streams.values():
            for writer in list(writers):
                writer.write(b": keep-alive\n\n")


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    request_line = await reader.readline()
    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
        pass
    parts = request_line.split()
    if len(parts) < 2 or not parts[1].startswith(b"/stream/"):
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        writer.close()
        return
    project = parts[1].rsplit(b"/", 1)[1].decode()
    writer.write(HEADERS)
    streams[project].add(writer)
    try:
        await reader.read()  # until the client goes
    finally:
        streams[project].discard(writer)
        writer.close()


async def main(port: int, redis_url: str) -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", port, backlog=1024)
    async with server:
        await asyncio.gather(server.serve_forever(), _relay(redis_url), _heartbeat())


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
