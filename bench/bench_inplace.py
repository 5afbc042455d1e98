"""The map changes in place (issue 18): a filter change restyles the map already in the page.

    .venv/bin/python bench/bench_inplace.py [--rounds 7] [--compare]
    .venv/bin/python bench/bench_inplace.py --years 2569,2568 --database URL

(``URL``: a store of CODI's volumes, such as the SQLite file ``bench_scale.py`` leaves in its
scratch folder: ``sqlite:////tmp/bench_scale_…/store.sqlite``.)

On the internal app with the figures that ship (or the store at ``--database``), at 1400×900,
a change of year on the overview, for the provinces of the whole country and for its 7,425
tambons: per change, the time from the click on the option to the first animation frame whose
map shows the new colours (timed in the page), the websocket bytes the server sent for it
(the map's new drawing, and the whole page's messages: tables and captions too; Streamlit
sends a message it has sent before as a reference, so a year seen before costs less), and
whether the map is the same frame it was (no new iframe, no blink). Targets: the median
≤ 0.25 s; ≤ 50 KB for a national tambon restyle. Bytes are exact; times are this machine's,
noisy when it is shared.
``--compare``: the same rounds again on a server that gives every drawing a new frame
(``bench/new_frames``: the way before the map changed in place), and the ratio of medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from browser import MAP_IFRAME, internal_app, launch, open_map, streamlit_app
from common import PROJECT_DIR

YEARS = ("2569", "2560")
VIEWS = {
    "provinces, whole country": "?fy=2569&metric=baan_mankong_urban:households",
    "tambons, whole country": "?fy=2569&level=tambon&metric=model_tambon:rows",
}

# In the page: from the click on an option to the first animation frame whose map (the
# frame in the page then, the same or a new one) shows other colours than before; and when
# the frame began the new drawing (its first area layer made): the time before it is the
# server's run and the trip, the time after it the frame's own work. Clocks: epoch ms
# (each document has its own ``performance`` origin).
_TIMER_JS = """(iframe) => {
  const now = () => performance.timeOrigin + performance.now();
  const sig = (f) => { try { const w = f.contentWindow;
      if (!w.codiGeo || !w.map || w.codiGeo.loading(w.map)) return null;
      return JSON.stringify(w.codiGeo.colours(w.map)); } catch (e) { return null; } };
  const first = document.querySelector(iframe), before = sig(first);
  const t = window.__codiChange = {click: null, drawn: null, same: null, begun: null};
  const w = first.contentWindow, areas = w.codiGeo.Areas.prototype;
  w.__codiBegun = null;
  if (!areas.__timed) {
    const initialize = areas.initialize;
    areas.initialize = function (D) {
      if (w.__codiBegun === null) w.__codiBegun = w.performance.timeOrigin + w.performance.now();
      return initialize.call(this, D);
    };
    areas.__timed = true;
  }
  document.addEventListener('click', () => {
    if (t.click === null) t.click = now(); }, {capture: true});
  const tick = () => {
    if (t.click !== null) {
      const f = document.querySelector(iframe), s = f ? sig(f) : null;
      if (s && s !== before) {
        t.drawn = now(); t.same = f === first; t.begun = w.__codiBegun; return;
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def map_message_bytes(payload: bytes | str) -> int:
    """The bytes of a websocket frame that carries the map's component (its new drawing), 0
    for any other frame (tables, captions, the page's other parts)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes):
        return 0
    message = ForwardMsg()
    try:
        message.ParseFromString(payload)
    except Exception:  # not a ForwardMsg
        return 0
    if message.WhichOneof("type") != "delta":
        return 0
    element = message.delta.new_element
    if element.WhichOneof("type") != "component_instance":
        return 0
    return len(payload) if "folium" in element.component_instance.component_name else 0


def change_year(page, received: list[bytes | str], year: str) -> dict[str, float]:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="ปีงบประมาณ"
    ).first.click()
    option = page.get_by_role("option", name=year, exact=True)
    option.wait_for()
    page.evaluate(_TIMER_JS, MAP_IFRAME)
    received.clear()
    option.click()
    page.wait_for_function("() => window.__codiChange.drawn !== null", timeout=30_000)
    page.wait_for_timeout(400)  # what the server sends after the map is drawn counts too
    timed = page.evaluate("() => window.__codiChange")
    begun = timed["begun"] if timed["begun"] is not None else timed["drawn"]
    return {
        "seconds": (timed["drawn"] - timed["click"]) / 1000,
        "server": (begun - timed["click"]) / 1000,
        "frame": (timed["drawn"] - begun) / 1000,
        "bytes": sum(len(payload) for payload in received),
        "map bytes": sum(map_message_bytes(payload) for payload in received),
        "same": bool(timed["same"]),
    }


def rounds(
    rounds: int, new_frames: bool, database: str | None = None, years: tuple[str, str] = YEARS
) -> dict[str, float]:
    """Each view's changes between ``years`` on a fresh server (``new_frames``: a new frame
    for each drawing; ``database``: the store it serves, else the figures that ship); prints
    them and returns the median seconds per view."""
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="bench_inplace_"))
    env = internal_app(data_dir)
    if database:
        env["CODI_GEO_DATABASE_URL"] = database
    if new_frames:
        env["PYTHONPATH"] = f"{PROJECT_DIR / 'bench' / 'new_frames'}:{PROJECT_DIR}"
    medians: dict[str, float] = {}
    # a store of CODI's volumes takes minutes to warm before the server reports healthy
    started = streamlit_app(env, "serve.py", timeout=900 if database else 60)
    with started as (_process, base), sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="th-TH")
        for label, query in VIEWS.items():
            query = query.replace(f"fy={YEARS[0]}", f"fy={years[0]}")
            opened = open_map(context, f"{base}/{query}")
            page = opened["page"]
            received: list[bytes | str] = []
            page.on(
                "websocket",
                lambda ws, got=received: ws.on("framereceived", lambda f: got.append(f)),
            )
            page.reload()  # the websocket listener sees the page's own socket from its start
            page.wait_for_selector(MAP_IFRAME, timeout=60_000)
            page.wait_for_timeout(1500)
            changes = [change_year(page, received, years[(i + 1) % 2]) for i in range(rounds)]
            median = medians[label] = statistics.median(c["seconds"] for c in changes)
            most = max(c["map bytes"] for c in changes)
            kept = all(c["same"] for c in changes)
            how = " (a new frame for each drawing)" if new_frames else ""
            print(
                f"== {label}{how}: first map {opened['seconds']:.2f} s, {opened['bytes']:,} bytes"
            )
            print(
                f"  change of year: median {median:.3f} s "
                f"({'OK' if median <= 0.25 else 'OVER'} 0.25 s), runs "
                f"{[round(c['seconds'], 3) for c in changes]}"
            )
            if not new_frames:
                server = statistics.median(c["server"] for c in changes)
                frame = statistics.median(c["frame"] for c in changes)
                print(
                    "  of which: click to the new drawing in the frame (server run and trip), "
                    f"median {server:.3f} s; the frame's own work, median {frame:.3f} s"
                )
            print(
                f"  the map's new drawing per change: at most {most:,} bytes "
                f"({'OK' if most <= 50_000 else 'OVER'} 50 KB), runs "
                f"{[c['map bytes'] for c in changes]}; the whole page's messages: "
                f"{[c['bytes'] for c in changes]}"
            )
            print(f"  the same map frame after every change: {'yes' if kept else 'NO'}")
            page.close()
        browser.close()
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--compare", action="store_true", help="also time a new frame for each drawing"
    )
    parser.add_argument("--database", help="the store to serve (default: the figures that ship)")
    parser.add_argument("--years", default=",".join(YEARS), help="the two fiscal years, A,B")
    args = parser.parse_args()
    first, second = args.years.split(",")
    years = (first.strip(), second.strip())
    kept = rounds(args.rounds, new_frames=False, database=args.database, years=years)
    if args.compare:
        new = rounds(args.rounds, new_frames=True, database=args.database, years=years)
        for label in VIEWS:
            print(
                f"{label}: in place {kept[label]:.3f} s, a new frame {new[label]:.3f} s: "
                f"{new[label] / kept[label]:.2f}x"
            )


if __name__ == "__main__":
    main()
