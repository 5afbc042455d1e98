"""The public and the internal app side by side on one database, in Chromium, as the README
describes them (two ``streamlit run`` with different ``CODI_GEO_MODE``, the same
``CODI_GEO_DATABASE_URL``):

- public: with internal rows, personal fields, single points and an imported file with a
  phone column in the store, none of it is in any page's DOM, in any websocket frame or HTTP
  response the browser receives, nor in a downloaded file; the data page's URL does not
  serve it; the layout holds on a 390×844 phone;
- internal: sign-in with the users file, a regional editor starts in its region, its import
  with a row outside the region is refused with the row listed, an import inside is stored,
  recorded in the audit trail, and shows on the public app at once; the session cookie is
  HttpOnly and SameSite (page scripts cannot read it), a forged one is refused, and a token
  copied before sign-out no longer works after it; a Markdown file name shows as text;
- an internal app without a users file fails closed: public pages, no Data page.

Runs on SQLite, and on PostgreSQL too when ``CODI_GEO_TEST_POSTGRES_URL`` is set."""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from codi_geo.access import audit, auth
from synthetic.sample import LEAKS, PUBLIC_COMMUNITY, fill_leak_rows, fill_store
from tests.helpers import (
    ARTIFACTS,
    BACKENDS,
    CHROMIUM,
    MAP_IFRAME,
    after_rerun,
    app_idle,
    box_still,
    empty_database,
    map_frame,
    running_app,
)

pytestmark = pytest.mark.browser

EDITOR_PASSWORD = "อีสาน-รหัส-2569"
PUBLIC_VIEWS = [
    "?fy=2569",
    "?fy=2569&province=50",
    "model-tambons?fy=2569",
    "integrated-provinces?fy=2569&region=north",
    "housing?fy=2569",
    "housing?fy=2569&district=1005&metric=prem_prachakorn_canal",
    "housing?fy=2569&province=40&metric=baan_mankong_urban",
    "disasters?fy=2569",
    "disasters?fy=2569&province=50&layer=points",
    "disasters?fy=2569&district=5001&level=tambon",
    "sources?fy=2569",
    "?fy=2569&area=500101&lang=en",
]
MIXED_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน\n"
    "2569,2,ขอนแก่น,เมืองขอนแก่น,ชุมชนบ้านโคก,30\n"
    "2569,2,ลำปาง,เมืองลำปาง,ชุมชนริมวัง,15\n"
).encode()
NEW_PUBLIC_COMMUNITY = "ชุมชนใหม่จากภาคอีสาน"
SESSION_COOKIE = "codi_geo_session"
MARKDOWN_NAME = "![x](https://evil.example/x.png)[sign in again](https://evil.example).csv"
MARKDOWN_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน\n2569,2,ขอนแก่น,เมืองขอนแก่น,ชุมชนชื่อแปลก,4\n"
).encode()
NORTHEAST_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน\n"
    f"2569,2,ขอนแก่น,เมืองขอนแก่น,{NEW_PUBLIC_COMMUNITY},18\n"
).encode()


@pytest.fixture(scope="module", params=BACKENDS)
def apps(request, boundary_cache, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    data_dir = tmp_path_factory.mktemp(f"side_by_side_{request.param}")
    with empty_database(request.param, data_dir) as url:
        fill_store(url, boundary_cache)
        fill_leak_rows(url, boundary_cache)
        users = auth.add_user(
            auth.UsersFile({}),
            "somchai",
            role="regional_editor",
            region="northeast",
            name="สมชาย อีสาน",
            password=EDITOR_PASSWORD,
        )
        users_file = data_dir / "users.toml"
        users_file.write_text(auth.users_toml(users), encoding="utf-8")
        common = {
            "CODI_GEO_BOUNDARY_DIR": str(boundary_cache),
            "CODI_GEO_DATA_DIR": str(data_dir),
            "CODI_GEO_DATABASE_URL": url,
        }
        internal_env = {
            **common,
            "CODI_GEO_MODE": "internal",
            "CODI_GEO_USERS_FILE": str(users_file),
        }
        with (
            running_app(
                {**common, "CODI_GEO_MODE": "public"}, data_dir / "public.log"
            ) as public_url,
            running_app(internal_env, data_dir / "internal.log") as internal_url,
        ):
            yield SimpleNamespace(
                public=public_url,
                internal=internal_url,
                data_dir=data_dir,
                backend=request.param,
                url=url,
            )


class Received:
    """Everything the browser receives from the app: websocket frames and HTTP bodies."""

    def __init__(self, tab) -> None:
        self.frames: list[bytes] = []
        self.responses: list = []
        tab.on("websocket", self._socket)
        tab.on("response", lambda response: self.responses.append(response))

    def _socket(self, socket) -> None:
        socket.on(
            "framereceived",
            lambda payload: self.frames.append(
                payload if isinstance(payload, bytes) else payload.encode("utf-8")
            ),
        )

    def payload(self) -> bytes:
        bodies = []
        for response in self.responses:
            try:
                bodies.append(response.body())
            except Exception:  # redirects and aborted requests have no body
                continue
        return b"\n".join([*self.frames, *bodies])


def _leaks(data: bytes | str) -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [key for key, value in LEAKS.items() if value.encode("utf-8") in raw]


def _wait_page(tab, map_page: bool = True) -> None:
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    if map_page:
        map_frame(tab)
    app_idle(tab)


def _dom(tab) -> str:
    """The rendered DOM of the page and of every frame in it (the maps)."""
    parts = [tab.content()]
    for frame in tab.frames:
        try:
            parts.append(frame.content())
        except Exception:
            continue
    return "\n".join(parts)


@pytest.fixture()
def public_tab(browser, apps):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1100}, locale="th-TH", accept_downloads=True
    )
    tab = context.new_page()
    yield tab
    context.close()


def test_public_pages_send_nothing_internal(apps, public_tab) -> None:
    received = Received(public_tab)
    seen_public_row = False
    for view in PUBLIC_VIEWS:
        public_tab.goto(f"{apps.public}/{view}")
        _wait_page(public_tab, map_page=not view.startswith("sources"))
        assert public_tab.locator('[data-testid="stException"]').count() == 0, view
        dom = _dom(public_tab)
        assert _leaks(dom) == [], view
        seen_public_row |= PUBLIC_COMMUNITY in dom
    payload = received.payload()
    assert len(received.frames) > 20 and len(payload) > 100_000  # the pages really loaded
    assert _leaks(payload) == []
    assert seen_public_row, "the public rows themselves are shown"


def test_public_download_carries_nothing_internal(apps, public_tab, tmp_path) -> None:
    public_tab.goto(f"{apps.public}/housing?fy=2569&district=1005&metric=prem_prachakorn_canal")
    _wait_page(public_tab)
    for label in ("CSV", "Excel", "GeoJSON", "ภาพ PNG"):
        button = public_tab.get_by_test_id("stDownloadButton").filter(has_text=label)
        with public_tab.expect_download(timeout=60_000) as info:
            button.click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        data = path.read_bytes()
        assert _leaks(data) == [], label
        if label == "CSV":
            assert data.startswith(b"\xef\xbb\xbf")
            text = data.decode("utf-8-sig")
            assert PUBLIC_COMMUNITY in text and "หมายเหตุ" not in text.splitlines()[0]


@pytest.mark.parametrize("path", ["data", "Data", "data?fy=2569", "6_data"])
def test_the_data_page_is_not_served_publicly(apps, public_tab, path) -> None:
    received = Received(public_tab)
    public_tab.goto(f"{apps.public}/{path}")
    _wait_page(public_tab, map_page=False)
    # a friendly page saying what the address is, not a "Page not found" dialog
    assert public_tab.locator("h1").first.inner_text().strip() == "หน้านี้สำหรับเจ้าหน้าที่ พอช."
    assert public_tab.get_by_text("Page not found").count() == 0
    assert public_tab.get_by_test_id("stFileUploader").count() == 0
    assert public_tab.get_by_role("tab").count() == 0
    assert public_tab.get_by_text("นำเข้าข้อมูล").count() == 0
    assert b"w_import_file" not in received.payload()


def test_public_pages_fit_a_phone(apps, browser) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="th-TH",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    tab = context.new_page()
    try:
        for name, view in (("overview", "?fy=2569"), ("housing", "housing?fy=2569")):
            tab.goto(f"{apps.public}/{view}")
            _wait_page(tab)
            overflow = tab.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 1, f"{name}: the page is {overflow}px wider than the phone"
            assert not tab.get_by_test_id("stSidebar").is_visible()  # collapsed on a phone
            # the filters are a sheet that opens over the map
            tab.get_by_test_id("stExpandSidebarButton").click()
            filters = tab.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")
            filters.first.wait_for(timeout=10_000)
            tab.wait_for_function(
                """() => document.querySelector('[data-testid="stSidebar"]')
                .getBoundingClientRect().left >= 0""",
                timeout=10_000,
            )
            box_still(tab, '[data-testid="stSidebar"]')  # the sheet has slid in and laid out
            boxes = [b.bounding_box() for b in filters.all()[:2]]
            assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2  # two filters a row
            assert boxes[1]["x"] + boxes[1]["width"] <= 391
            ARTIFACTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / f"public_phone_{name}.png"))
            tab.get_by_test_id("stSidebar").get_by_test_id("stSidebarCollapseButton").locator(
                "button"
            ).click()
            tab.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
            box = tab.locator(MAP_IFRAME).first.bounding_box()
            assert box["width"] <= 390 and box["width"] >= 300
            tab.screenshot(path=str(ARTIFACTS / f"public_phone_{name}_map.png"))
    finally:
        context.close()


def _sign_in(tab, url: str) -> None:
    tab.goto(f"{url}/?fy=2569")
    tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
    assert tab.locator("h1").first.inner_text().strip() == "ลงชื่อเข้าใช้"
    tab.get_by_label("ชื่อผู้ใช้").fill("somchai")
    tab.get_by_label("รหัสผ่าน").fill(EDITOR_PASSWORD)
    tab.get_by_role("button", name="เข้าสู่ระบบ").click()
    tab.wait_for_function("() => location.search.includes('region=northeast')", timeout=20_000)
    # The page shows the user at once; the cookie follows when the page has posted its
    # hand-off code to the cookie route and come back (later on a busy machine).
    deadline = time.monotonic() + 30
    while not any(c["name"] == SESSION_COOKIE for c in tab.context.cookies()):
        assert time.monotonic() < deadline, "no session cookie 30 s after signing in"
        tab.wait_for_timeout(200)
    _wait_page(tab)


def _audit(apps) -> list:
    from codi_geo.results.store import open_store

    store = open_store(apps.url)
    try:
        return audit.read_audit(store)
    finally:
        store.close()


def _fresh_browser_title(browser, url: str, token: str) -> str:
    """The first heading a new browser with only this session cookie sees."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="th-TH")
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": url}])
    tab = context.new_page()
    try:
        tab.goto(f"{url}/?fy=2569")
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
        app_idle(tab)
        return tab.locator("h1").first.inner_text().strip()
    finally:
        context.close()


def _import(tab, name: str, data: bytes, public: bool) -> None:
    tab.get_by_test_id("stSelectbox").filter(has_text="แผนงาน").click()
    after_rerun(tab, tab.get_by_role("option", name="บ้านมั่นคงเมือง").click)
    if public:
        after_rerun(tab, tab.get_by_text("เผยแพร่สาธารณะได้").click)
    mime = "application/octet-stream" if not name.endswith(".csv") else "text/csv"
    after_rerun(
        tab,
        lambda: tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            {"name": name, "mimeType": mime, "buffer": data}
        ),
    )
    # The file is read in a separate process (a second or more): wait for the outcome.
    after_rerun(tab, tab.get_by_role("button", name="นำเข้า", exact=True).click, timeout=90)
    tab.wait_for_selector('[data-testid="stSpinner"]', state="detached", timeout=90_000)


def test_internal_editor_side_by_side_with_the_public_app(apps, browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="th-TH")
    tab = context.new_page()
    tab.outside = []
    tab.on(
        "request",
        lambda r: tab.outside.append(r.url) if not r.url.startswith(apps.internal) else None,
    )
    try:
        _sign_in(tab, apps.internal)
        assert tab.get_by_text("สมชาย อีสาน").count() >= 1
        # the session cookie: set by the server, HttpOnly, SameSite; no page script sees it
        (cookie,) = [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert SESSION_COOKIE not in tab.evaluate("document.cookie")
        assert cookie["value"] not in tab.evaluate("document.cookie")
        # a reload, or a link opened afresh, stays signed in
        tab.reload()
        _wait_page(tab)
        assert tab.locator("h1").first.inner_text().strip() == "ภาพรวม"
        assert _fresh_browser_title(browser, apps.internal, cookie["value"]) == "ภาพรวม"
        forged = cookie["value"][:-4] + ("AAAA" if not cookie["value"].endswith("AAAA") else "BBBB")
        assert _fresh_browser_title(browser, apps.internal, forged) == "ลงชื่อเข้าใช้"
        tab.goto(f"{apps.internal}/data?fy=2569")
        tab.wait_for_selector('[data-testid="stFileUploader"]', timeout=30_000)
        _import(tab, "mixed.csv", MIXED_CSV, public=True)
        alert = tab.get_by_test_id("stAlert").filter(has_text="ไม่รับการนำเข้า").inner_text()
        assert "1 แถวอยู่นอกภาคตะวันออกเฉียงเหนือ" in alert
        assert re.search(r"แถว 3: ลำปาง \(ภาคเหนือ\)", alert)
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "editor_import_refused.png"), full_page=True)
        _import(tab, "northeast.csv", NORTHEAST_CSV, public=True)
        assert tab.get_by_text("บันทึก 1 แถว").count() >= 1
        records = [r for r in _audit(apps) if r.action == "import"]
        assert [(r.who, r.action, r.batch_id is None) for r in records][-2:] == [
            ("somchai", "import", True),
            ("somchai", "import", False),
        ]
        # a Markdown file name is listed as typed: no image loads, no link appears
        _import(tab, MARKDOWN_NAME, MARKDOWN_CSV, public=False)
        tab.get_by_role("tab", name="ชุดข้อมูลที่นำเข้า").click()
        tab.wait_for_function(  # the tab's list is showing
            "(name) => document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
            ".innerText.replaceAll('\\u2060', '').includes(name)",
            arg=MARKDOWN_NAME,
            timeout=30_000,
        )
        batches = tab.get_by_test_id("stMainBlockContainer")
        shown = batches.inner_text().replace("\u2060", "")  # word joiners: invisible
        assert MARKDOWN_NAME in shown
        assert batches.locator("img[src*='evil'], a[href*='evil']").count() == 0
        assert not [u for u in tab.outside if "evil" in u]
        # signing out forgets the session cookie: a reload asks again
        tab.get_by_role("button", name="ออกจากระบบ").click()
        tab.wait_for_selector("h1:has-text('ลงชื่อเข้าใช้')", timeout=20_000)
        # the page then posts to the sign-out route, which clears the cookie
        deadline = time.monotonic() + 30
        while any(c["name"] == SESSION_COOKIE for c in context.cookies()):
            assert time.monotonic() < deadline, "the session cookie is kept 30 s after sign-out"
            tab.wait_for_timeout(200)
        tab.reload()
        tab.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
        assert tab.locator("h1").first.inner_text().strip() == "ลงชื่อเข้าใช้"
        assert not [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
        # the token copied before signing out is dead in any browser
        assert _fresh_browser_title(browser, apps.internal, cookie["value"]) == "ลงชื่อเข้าใช้"
        assert {"sign_in", "sign_out"} <= {r.action for r in _audit(apps)}
    finally:
        context.close()
    # the public app, another process on the same database, shows the new row at once
    viewer = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="th-TH")
    tab = viewer.new_page()
    try:
        tab.goto(f"{apps.public}/housing?fy=2569&province=40&metric=baan_mankong_urban")
        _wait_page(tab)
        assert NEW_PUBLIC_COMMUNITY in _dom(tab)
        assert _leaks(_dom(tab)) == []
    finally:
        viewer.close()


def test_a_hostile_upload_is_refused_while_the_app_keeps_answering(apps, browser) -> None:
    """A 5 KB XLSX claiming the whole sheet is refused with the cell named, read in
    a capped worker process; meanwhile another user's page opens as usual."""
    from synthetic import bombs

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="th-TH")
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    tab, reader = context.new_page(), other.new_page()
    try:
        _sign_in(tab, apps.internal)
        tab.goto(f"{apps.internal}/data?fy=2569")
        tab.wait_for_selector('[data-testid="stFileUploader"]', timeout=30_000)
        _import(tab, "claimed.xlsx", bombs.xlsx_claiming_huge_sheet(), public=False)
        reader.goto(f"{apps.public}/?fy=2569")
        reader.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=30_000)
        alert = tab.get_by_test_id("stAlert").filter(has_text="XFD1048576").first.inner_text()
        assert "ลบเซลล์ที่ไม่ใช้" in alert and "Traceback" not in tab.content()
        tab.get_by_role("button", name="นำเข้า", exact=True).wait_for(timeout=10_000)
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "import_hostile_refused.png"), full_page=True)
    finally:
        context.close()
        other.close()
