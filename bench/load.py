"""A small HTTP/1.1 load generator for loopback benchmarks: keep-alive connections,
bounded in requests and in time, reporting throughput and latency percentiles.

    python -m bench.load URL [--body JSON] [--requests N] [--seconds S]
                         [--connections C] [--source ADDRESS] [--pause S]

Every `__VARY__` in the body is replaced by a number no other request of the run
sends, so each request is a document the server has not seen.

Prints one JSON object. Run it in its own process, apart from the server measured.
"""

import argparse
import asyncio
import json
import statistics
import sys
import time
from urllib.parse import urlsplit


class Requests:
    """The request to send, the same each time or made anew (`__VARY__`)."""

    def __init__(self, head: list[str], body: str | None) -> None:
        self.head, self.body = head, body
        self.count = 0
        self.fixed = None if body and "__VARY__" in body else self.make(body)

    def make(self, body: str | None) -> bytes:
        lines = list(self.head)
        payload = (body or "").encode()
        if body is not None:
            lines += [
                "Content-Type: application/json",
                f"Content-Length: {len(payload)}",
            ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload

    def next(self) -> bytes:
        if self.fixed is not None:
            return self.fixed
        self.count += 1
        return self.make((self.body or "").replace("__VARY__", f"v{self.count}"))


async def _one_connection(
    host: str,
    port: int,
    requests: Requests,
    budget: list[int],
    deadline: float,
    latencies: list[float],
    statuses: dict[str, int],
    source: tuple[str, int] | None,
    pause: float,
) -> None:
    """Send requests one after another on a keep-alive connection; when the server
    closes it (as it may after refusing a body), count that and reconnect."""
    reader, writer = await asyncio.open_connection(host, port, local_addr=source)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            started = time.perf_counter()
            try:
                writer.write(requests.next())
                status = await _response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                statuses["closed"] = statuses.get("closed", 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=source
                )
                continue
            latencies.append(time.perf_counter() - started)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if pause:
                await asyncio.sleep(pause)  # a client that reads what it got
    finally:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def run(
    url: str,
    body: str | None,
    requests: int,
    seconds: float,
    connections: int,
    headers: list[str],
    source: tuple[str, int] | None = None,
    pause: float = 0.0,
) -> dict[str, object]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [
        f"{'POST' if body is not None else 'GET'} {path} HTTP/1.1",
        f"Host: {host}",
        "Accept: application/graphql-response+json",
        *headers,
    ]
    request = Requests(lines, body)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    budget = [requests]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _one_connection(
                host,
                port,
                request,
                budget,
                deadline,
                latencies,
                statuses,
                source,
                pause,
            )
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return (
            ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000
            if ordered
            else 0.0
        )

    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(0.50), 2),
        "p99_ms": round(percentile(0.99), 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2) if ordered else 0.0,
        "statuses": dict(sorted(statuses.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else ""
    )
    parser.add_argument("url")
    parser.add_argument("--body", default=None, help="JSON body: POST instead of GET")
    parser.add_argument("--body-file", default=None, help="read the body from a file")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument(
        "--source", default=None, help="the address to send from (127.0.0.2, ...)"
    )
    parser.add_argument(
        "--pause", type=float, default=0.0, help="seconds between a connection's"
    )

    args = parser.parse_args()
    if args.body_file:
        with open(args.body_file, encoding="utf-8") as handle:
            args.body = handle.read()
    result = asyncio.run(
        run(
            args.url,
            args.body,
            args.requests,
            args.seconds,
            args.connections,
            args.header,
            (args.source, 0) if args.source else None,
            args.pause,
        )
    )
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
