"""Community pins in Chromium at a phone's size (390×844), against ``streamlit run serve.py``
(internal) and a public app on the same database:

- a reporter (users-file account, its cookie) pins by GPS (a granted geolocation) and by
  tapping the map; a send whose answer is lost keeps the form and sending again stores the
  pin once;
- a regional editor of another region sees no pin to review; the region's editor approves
  them from the review page (a rejected one never shows);
- the public disasters page then counts the tambon's pins, and no point, note, reporter or
  photo of them reaches the public browser (websocket frames and HTTP bodies);
- a campaign link lets a browser without an account pin until its end, then says it closed.

- a pin the moderator asks more about is answered from the reporter's own pins.

Screenshots of the form, the queue and an answer land in ``test-artifacts/``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from codi_geo.access import auth, pinning, sessions
from tests.helpers import ARTIFACTS, CHROMIUM, running_app

pytestmark = pytest.mark.browser

HAT_YAI = {"latitude": 7.0086, "longitude": 100.4747}
PHONE = {"width": 390, "height": 844}
SECRET = "browser-copin-secret-0123456789abcdef"
NOTE = "น้ำท่วมบ้านป้าแดง โทร 0891112222"


@pytest.fixture(scope="module")
def apps(boundary_cache, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    data_dir = tmp_path_factory.mktemp("copin")
    url = f"sqlite:///{data_dir / 'store.sqlite'}"
    users = auth.UsersFile({})
    for name, role, region, area in (
        ("somnok_reporter", "reporter", None, "90"),
        ("somsak", "regional_editor", "south", None),
        ("somchai", "regional_editor", "northeast", None),
    ):
        users = auth.add_user(
            users, name, role=role, region=region, area=area, password=f"{name}-รหัส"
        )
    users_file = data_dir / "users.toml"
    users_file.write_text(auth.users_toml(users), encoding="utf-8")
    common = {
        "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
        "CODI_GEO_DATA_DIR": str(data_dir),
        "CODI_GEO_DATABASE_URL": url,
        "CODI_GEO_SESSION_SECRET": SECRET,
    }
    internal_env = {**common, "CODI_GEO_MODE": "internal", "CODI_GEO_USERS_FILE": str(users_file)}
    with (
        running_app(internal_env, data_dir / "internal.log") as internal,
        running_app({**common, "CODI_GEO_MODE": "public"}, data_dir / "public.log") as public,
    ):
        yield SimpleNamespace(
            internal=internal,
            public=public,
            url=url,
            users=users,
            boundary_cache=boundary_cache,
            data_dir=data_dir,
        )


def _store(apps):
    import os

    from codi_geo import settings
    from codi_geo.results.store import open_store

    os.environ["CODI_GEO_SESSION_SECRET"] = SECRET
    os.environ["CODI_GEO_BOUNDARY_DIR"] = str(apps.boundary_cache)
    settings.clear()
    return open_store(apps.url)


def _cookie(apps, username: str) -> str:
    store = _store(apps)
    try:
        live = sessions.Sessions(store, SECRET.encode())
        opened = live.open(username, apps.users.users[username].password_hash)
        token = live.redeem(opened.handoff_code)
        assert token
        return token
    finally:
        store.close()


def _phone(browser, apps, username: str | None = None, geolocation: bool = True):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="th-TH",
        geolocation=HAT_YAI if geolocation else None,
        permissions=["geolocation"] if geolocation else [],
    )
    if username:
        context.add_cookies(
            [
                {
                    "name": sessions.SESSION_COOKIE,
                    "value": _cookie(apps, username),
                    "url": apps.internal,
                }
            ]
        )
    return context


def _status(tab, words: str, timeout: float = 30_000) -> str:
    tab.wait_for_function(
        "(w) => document.getElementById('status').textContent.includes(w)",
        arg=words,
        timeout=timeout,
    )
    return tab.locator("#status").inner_text()


def _pins(apps):
    from codi_geo.results.community_pins import CommunityPins, PinQuery

    store = _store(apps)
    try:
        return CommunityPins(store).find(PinQuery())
    finally:
        store.close()


def test_pin_moderate_and_count_publicly(browser, apps) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = _phone(browser, apps, "somnok_reporter")
    tab = context.new_page()
    tab.goto(f"{apps.internal}/pin")
    tab.wait_for_selector("#pinform")
    # By GPS: the phone's position, its accuracy shown, its tambon named.
    tab.click("#gps")
    tab.wait_for_function(
        "() => document.getElementById('tambon').textContent.includes('สงขลา')", timeout=30_000
    )
    assert "±" in tab.locator("#point").inner_text()
    tab.select_option("#kind", "flood")
    tab.fill("#households", "6")
    tab.fill("#note", NOTE)
    tab.screenshot(path=str(ARTIFACTS / "copin_form_390x844.png"), full_page=True)
    started = time.monotonic()
    tab.click("#send")
    _status(tab, "ส่งแล้ว")
    assert time.monotonic() - started < 30
    # By tapping the map (now around the first pin), with the answer lost on the way back:
    # the form keeps what was typed and sending again stores the pin once.
    box = tab.locator("#map").bounding_box()
    tab.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    tab.wait_for_function(
        "() => document.getElementById('tambon').textContent.includes('สงขลา')", timeout=30_000
    )
    assert "±" not in tab.locator("#point").inner_text()
    tab.select_option("#kind", "damage")
    tab.fill("#note", "หลังคาพัง")

    def lost(route):
        route.fetch()  # the server stores the pin; the phone never hears back
        route.abort()

    tab.route("**/pin/submit", lost)
    tab.click("#send")
    _status(tab, "ยังไม่ได้ส่ง")
    tab.unroute("**/pin/submit")
    tab.reload()  # even a reload keeps it
    tab.wait_for_selector("#pinform")
    assert tab.input_value("#note") == "หลังคาพัง"
    tab.click("#send")
    _status(tab, "ส่งแล้ว")
    pins = _pins(apps)
    assert [p.kind for p in pins] == ["flood", "damage"]
    assert all(p.tambon_code.startswith("90") for p in pins)
    tab.wait_for_function("() => document.querySelectorAll('#mine li').length == 2", timeout=15_000)
    context.close()

    # A third pin, rejected: it must never show.
    store = _store(apps)
    try:
        third, _ = pinning.submit(
            store,
            pinning.Submitter(apps.users.users["somnok_reporter"].user, None, "10.0.0.9"),
            pinning.PinForm("rejected-000001", "need", 7.0090, 100.4750, note="ขยะ"),
        )
        pinning.decide(
            apps.users.users["somsak"].user, store, [third.id], "rejected", comment="ไม่ใช่เหตุจริง"
        )
    finally:
        store.close()

    # Another region's editor sees nothing to review.
    context = _phone(browser, apps, "somchai", geolocation=False)
    tab = context.new_page()
    tab.goto(f"{apps.internal}/review")
    tab.get_by_text("ไม่มีหมุดที่รอตรวจ").wait_for(timeout=60_000)
    context.close()

    # The region's editor approves every pin listed.
    context = _phone(browser, apps, "somsak", geolocation=False)
    tab = context.new_page()
    tab.goto(f"{apps.internal}/review")
    tab.get_by_text("2 หมุด").first.wait_for(timeout=60_000)
    approve = tab.get_by_role("button", name="อนุมัติที่เลือก", exact=True)
    approve.wait_for(timeout=60_000)
    tab.wait_for_timeout(3000)  # the map and the list drawn, for the screenshot
    tab.screenshot(path=str(ARTIFACTS / "copin_queue_390x844.png"), full_page=True)
    tab.get_by_text("เลือกทั้งหมดที่แสดง").click()
    approve.click()
    tab.get_by_text("บันทึกแล้ว: 2 หมุด").wait_for(timeout=60_000)
    context.close()
    assert sorted(p.state for p in _pins(apps)) == ["approved", "approved", "rejected"]

    # The public page counts them in their tambon; nothing personal reaches the browser.
    tambon = pins[0].tambon_code
    fiscal = pins[0].observed_on.year + 543 + (1 if pins[0].observed_on.month >= 10 else 0)
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    tab = context.new_page()
    frames: list[bytes] = []
    responses: list = []
    tab.on(
        "websocket",
        lambda socket: socket.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode("utf-8")
            ),
        ),
    )
    tab.on("response", lambda response: responses.append(response))
    tab.goto(f"{apps.public}/disasters?fy={fiscal}&district={tambon[:4]}&level=tambon")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    tab.wait_for_timeout(4000)
    from codi_geo.places import gazetteer

    name = gazetteer.name_of(tambon) or tambon
    tab.get_by_text(name).first.wait_for(timeout=30_000)
    bodies = []
    for response in responses:
        try:
            bodies.append(response.body())
        except Exception:  # redirects and aborted requests have no body
            continue
    received = b"\n".join([*frames, *bodies])
    for secret in (
        "0891112222",
        "ป้าแดง",
        "หลังคาพัง",
        "ขยะ",
        "7.0086",
        "100.4747",
        "somnok_reporter",
        "ไม่ใช่เหตุจริง",
    ):
        assert secret.encode() not in received, secret
    context.close()

    # The moderator asks for more about a fourth pin; the reporter sees the question in its
    # pins, answers it from the form, and the pin waits for review again.
    store = _store(apps)
    try:
        fourth, _ = pinning.submit(
            store,
            pinning.Submitter(apps.users.users["somnok_reporter"].user, None, "10.0.0.9"),
            pinning.PinForm("asked-0000001", "flood", 7.0095, 100.4760, households="1"),
        )
        pinning.decide(
            apps.users.users["somsak"].user, store, [fourth.id], "needs_info", comment="กี่หลัง?"
        )
    finally:
        store.close()
    context = _phone(browser, apps, "somnok_reporter", geolocation=False)
    tab = context.new_page()
    tab.goto(f"{apps.internal}/pin")
    tab.locator("#mine button.answer").wait_for(timeout=30_000)
    assert "กี่หลัง?" in tab.locator("#mine").inner_text()
    tab.locator("#mine button.answer").click()
    tab.locator("#answering").wait_for(state="visible")
    assert "กี่หลัง?" in tab.locator("#answering").inner_text()  # the question, while answering
    assert tab.input_value("#households") == "1"
    tab.fill("#households", "5")
    tab.screenshot(path=str(ARTIFACTS / "copin_answer_390x844.png"))
    tab.click("#send")
    _status(tab, "ส่งคำตอบแล้ว")
    answered = next(p for p in _pins(apps) if p.id == fourth.id)
    assert (answered.state, answered.households) == ("received", 5)
    assert len(_pins(apps)) == 4  # an answer is not a new pin
    context.close()


def test_a_campaign_link_works_without_an_account_until_its_end(browser, apps) -> None:
    store = _store(apps)
    try:
        admin = auth.User("admin", "admin")
        campaign, token = pinning.create_campaign(
            admin,
            store,
            "น้ำท่วมสงขลา 2569",
            ["flood", "need"],
            "90",
            datetime.now(UTC) + timedelta(days=2),
        )
    finally:
        store.close()
    context = _phone(browser, apps)
    tab = context.new_page()
    tab.goto(f"{apps.internal}/pin?c={token}")
    tab.get_by_text("น้ำท่วมสงขลา 2569").first.wait_for()
    assert tab.locator("#kind option").count() == 2
    tab.click("#gps")
    tab.wait_for_function(
        "() => document.getElementById('tambon').textContent.includes('สงขลา')", timeout=30_000
    )
    tab.select_option("#kind", "need")
    tab.click("#send")
    _status(tab, "ส่งแล้ว")
    tab.wait_for_function("() => document.querySelectorAll('#mine li').length == 1", timeout=15_000)
    from codi_geo.results.schema import pin_campaigns_table

    store = _store(apps)
    try:
        with store.engine.begin() as connection:
            connection.execute(
                pin_campaigns_table.update()
                .where(pin_campaigns_table.c.id == campaign.id)
                .values(ends_at=datetime.now(UTC) - timedelta(minutes=1))
            )
    finally:
        store.close()
    tab.goto(f"{apps.internal}/pin?c={token}")
    assert "ปิดแล้ว" in tab.locator("#message").inner_text()
    tab.goto(f"{apps.internal}/pin?c={token[:-3]}abc")
    assert "ใช้ไม่ได้" in tab.locator("#message").inner_text()
    context.close()
