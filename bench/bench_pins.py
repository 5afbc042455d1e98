"""Community pins under load, against ``streamlit run serve.py`` as deployed:

1. **1,000 submissions in a row**: one pin after another to ``POST /pin/submit`` through a
   campaign link (each answered before the next is sent), over HTTP, from the form's own
   fields; prints the total time (the issue asks for under a minute) and the slowest.
2. **Many reporters at once**: ``--reporters`` (default 500) clients, each opening the form
   (``GET /pin``), placing a point (``GET /pin/place``) and sending a pin (``--photos`` of
   them, default 100, with a 3 MB phone photo), all at the same time; prints errors,
   response times and the server's resident memory before and at its peak (the issue asks
   for under 1 GB).

Run: ``.venv/bin/python bench/bench_pins.py [--reporters N] [--photos N] [--pins N]`` (the
project's boundary cache in ``data/boundaries``, a fresh SQLite store in a temporary folder;
the rate limit per address is lifted, since every request comes from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from browser import rss_mb, streamlit_app

# Points on land in Songkhla (lat, lon): a pin lands near one of them.
SONGKHLA = [(7.0086, 100.4747), (7.1898, 100.5951), (6.8700, 100.4500), (7.0300, 100.3500)]


def _peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _campaign(data_dir: Path, secret: str) -> str:
    import os

    os.environ["CODI_GEO_SESSION_SECRET"] = secret
    os.environ["CODI_GEO_DATA_DIR"] = str(data_dir)
    from codi_geo import settings
    from codi_geo.access import pinning
    from codi_geo.access.auth import User
    from codi_geo.results.store import open_store

    settings.clear()
    store = open_store(f"sqlite:///{data_dir / 'store.sqlite'}")
    try:
        _campaign_row, token = pinning.create_campaign(
            User("bench", "admin"),
            store,
            "bench",
            ["flood", "need", "damage"],
            None,
            datetime.now(UTC) + timedelta(days=1),
        )
    finally:
        store.close()
    return token


def _photo() -> bytes:
    """A phone photo: 4000×3000 pixels of noise, about 3 MB as JPEG."""
    import io
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (1000, 750), os.urandom(1000 * 750 * 3)).resize((4000, 3000))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = "----benchpins"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
        f'filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post(url: str, fields: dict[str, str], photo: bytes | None = None) -> tuple[int, float]:
    if photo is None:
        body, kind = json.dumps(fields).encode(), "application/json"
    else:
        body, kind = _multipart(fields, photo)
    started = time.perf_counter()
    request = urllib.request.Request(
        f"{url}/pin/submit", data=body, method="POST", headers={"Content-Type": kind}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _fields(token: str, number: int, rng: random.Random) -> dict[str, str]:
    lat, lon = rng.choice(SONGKHLA)
    return {
        "client_id": f"bench-{number:08d}-{rng.getrandbits(32):08x}",
        "kind": rng.choice(["flood", "need", "damage"]),
        "latitude": f"{lat + rng.uniform(-0.01, 0.01):.6f}",
        "longitude": f"{lon + rng.uniform(-0.01, 0.01):.6f}",
        "households": str(rng.randint(1, 20)),
        "note": "น้ำท่วมสูง โทร 0812345678",
        "campaign": token,
    }


def in_a_row(url: str, token: str, count: int) -> None:
    rng = random.Random(1)
    times, failures = [], 0
    started = time.perf_counter()
    for number in range(count):
        status, seconds = _post(url, _fields(token, number, rng))
        failures += status != 201
        times.append(seconds)
    total = time.perf_counter() - started
    print(
        f"{count:,} submissions in a row: {total:.1f} s ({count / total:.0f}/s), "
        f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} "
        f"ms, failed {failures}"
    )


def _reporter(
    url: str, token: str, number: int, barrier: threading.Barrier, photo: bytes | None
) -> list[float]:
    rng = random.Random(number)
    times = []
    with contextlib.suppress(threading.BrokenBarrierError):  # start together, or as soon
        barrier.wait(timeout=120)
    for path in (f"/pin?c={token}", f"/pin/place?lat=7.0086&lon=100.4747&c={token}"):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{url}{path}", timeout=180) as response:
            response.read()
        times.append(time.perf_counter() - started)
    status, seconds = _post(url, _fields(token, 1_000_000 + number, rng), photo)
    if status != 201:
        raise RuntimeError(f"submit answered {status}")
    times.append(seconds)
    return times


def at_once(url: str, pid: int, token: str, reporters: int, photos: int) -> None:
    before = rss_mb(pid)
    photo = _photo()
    barrier = threading.Barrier(reporters)
    errors, times = 0, []
    started = time.perf_counter()
    with ThreadPoolExecutor(reporters) as pool:
        futures = [
            pool.submit(_reporter, url, token, n, barrier, photo if n < photos else None)
            for n in range(reporters)
        ]
        for future in futures:
            try:
                times.extend(future.result())
            except Exception:
                errors += 1
    total = time.perf_counter() - started
    print(
        f"{reporters} reporters at once (form, place, send; {photos} with a "
        f"{len(photo) / 1e6:.1f} MB photo): {total:.1f} s, errors {errors}, "
        f"median response {statistics.median(times) * 1000:.0f} ms, slowest "
        f"{max(times):.1f} s"
    )
    print(
        f"server memory: {before:.0f} MB before, {rss_mb(pid):.0f} MB after, peak "
        f"{_peak_mb(pid):.0f} MB (limit 1,024 MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pins", type=int, default=1000)
    parser.add_argument("--reporters", type=int, default=500)
    parser.add_argument(
        "--photos", type=int, default=100, help="how many of the reporters at once send a photo"
    )
    args = parser.parse_args()
    secret = "bench-pins-secret-0123456789abcdef0123"
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        token = _campaign(data_dir, secret)
        env = {
            "CODI_GEO_DATA_DIR": str(data_dir),
            "CODI_GEO_MODE": "internal",
            "CODI_GEO_DATABASE_URL": f"sqlite:///{data_dir / 'store.sqlite'}",
            "CODI_GEO_SESSION_SECRET": secret,
            "CODI_GEO_PIN_RATE_PER_MINUTE": "1000000",
            "CODI_GEO_USERS_FILE": str(data_dir / "no_users.toml"),
        }
        with streamlit_app(env, script="serve.py", timeout=120) as (process, url):
            # The first request loads the tambon shapes; a reporter's first pin pays for it.
            urllib.request.urlopen(f"{url}/pin/place?lat=7&lon=100.5&c={token}").read()
            print(f"server after start and the first point placed: {rss_mb(process.pid):.0f} MB")
            in_a_row(url, token, args.pins)
            at_once(url, process.pid, token, args.reporters, args.photos)


if __name__ == "__main__":
    main()
