"""Load driver for the official Python SDK (imagekitio 5.x): the same calls as
`cargo run --release -p imagekit-examples --example load`, printed in the same format.

    .tools/peers/py/bin/python benches/peers/load.py --base-url URL --requests N --concurrency C

Concurrency: AsyncImageKit on asyncio's default event loop, C worker tasks sharing one counter
(at most C calls in flight, like a semaphore of C). One untimed first call (cold start when
LOAD_T0_NS is set), untimed warm-up calls, then N timed calls.
"""

import asyncio
import os
import resource
import sys
import time

T0 = os.environ.get("LOAD_T0_NS")

from imagekitio import AsyncImageKit, __version__  # noqa: E402

FILE_ID = "6673f2b6b2c3e4a1d9f1a2b3"
VERSION_ID = "6673f9c2e7d8a5b4c3f2e1d0"
KEY = "private_load_test_key="


def flags(argv):
    out = {}
    for name, value in zip(argv[::2], argv[1::2]):
        if not name.startswith("--"):
            raise SystemExit(f"bad argument {name}")
        out[name[2:]] = value
    return out


async def call(client):
    file = await client.files.versions.get(VERSION_ID, file_id=FILE_ID)
    if file.version_info.id != VERSION_ID:
        raise RuntimeError("unexpected answer")


async def run(client, requests, concurrency):
    counter = iter(range(requests))

    async def worker():
        for _ in counter:
            await call(client)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, max(requests, 1)))))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main():
    f = flags(sys.argv[1:])
    requests = int(f.get("requests", 20000))
    concurrency = max(1, int(f.get("concurrency", 16)))
    warmup = int(f.get("warmup", min(max(requests // 10, concurrency * 4), 5000)))
    async with AsyncImageKit(private_key=KEY, base_url=f["base-url"]) as client:
        await call(client)
        cold_ms = (time.time_ns() - int(T0)) / 1e6 if T0 else None
        await run(client, warmup, concurrency)
        cpu0 = cpu_seconds()
        start = time.perf_counter()
        await run(client, requests, concurrency)
        elapsed = time.perf_counter() - start
        cpu = cpu_seconds() - cpu0

    print("mode: python-sdk")
    print(f"sdk: imagekitio {__version__}, python {sys.version.split()[0]}")
    print(f"base url: {f['base-url']}")
    print(f"requests: {requests}")
    print(f"concurrency: {concurrency}")
    print(f"warm-up requests: {warmup}")
    if cold_ms is not None:
        print(f"cold start ms: {cold_ms:.2f}")
    print(f"elapsed s: {elapsed:.3f}")
    print(f"cpu us/request: {cpu * 1e6 / requests:.2f}")
    print(f"peak rss KiB: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
    print(f"requests/s: {requests / elapsed:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
