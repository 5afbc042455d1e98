"""The pin form's routes called as ASGI (what uvicorn does): the form for a campaign link or a
signed-in reporter, a pin sent (multipart with a photo, or JSON) and sent again, refusals in
Thai and English with nothing stored (forged link, sea, too big, another site, garbage), the
sender's own pins and its answer to "needs information", the tambon of a point. On SQLite
and PostgreSQL."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image
from starlette.applications import Starlette

from codi_geo import settings
from codi_geo.access import auth, pinning, sessions
from codi_geo.results.community_pins import CommunityPins, PinQuery
from codi_geo.ui import pin_routes
from tests.helpers import BACKENDS, asgi_call, empty_database, table_contents

HAT_YAI = ("7.0086", "100.4747")
ADMIN = auth.User("admin", "admin", "ผู้ดูแล")


def request(
    method: str,
    path: str,
    *,
    query: dict | None = None,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    app = Starlette(routes=pin_routes.routes())
    raw = [
        (b"host", b"maps.example.org"),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(query or {}).encode(),
        "headers": raw,
        "scheme": "http",
        "http_version": "1.1",
        "server": ("maps.example.org", 80),
        "client": ("10.0.0.7", 5000),
        "root_path": "",
    }
    messages = asgi_call(app, scope, body)
    start = messages[0]
    found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    content = b"".join(m.get("body", b"") for m in messages[1:])
    return start["status"], found, content


def multipart(fields: dict[str, str], photo: bytes | None = None) -> tuple[bytes, str]:
    boundary = "----codigeotest"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
            f'filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(params=BACKENDS)
def live(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    boundary_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    with empty_database(request.param, tmp_path) as url:
        yield from _live(url, tmp_path, boundary_cache, monkeypatch)


def _live(url: str, tmp_path: Path, boundary_cache: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    users_file = tmp_path / "users.toml"
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(users_file))
    settings.clear()
    users = auth.add_user(auth.UsersFile({}), "nok", role="reporter", area="90", password="รหัส-1")
    users_file.write_text(auth.users_toml(users), encoding="utf-8")
    pin_routes._store.cache_clear()
    pin_routes._users_cache.users = None
    store = pin_routes._store()
    yield store, users
    store.close()
    pin_routes._store.cache_clear()
    settings.clear()


def _campaign(store, name: str = "น้ำท่วมสงขลา <b>2569</b>", days: int = 7) -> str:
    _campaign_row, token = pinning.create_campaign(
        ADMIN, store, name, ["flood", "need"], "90", datetime.now(UTC) + timedelta(days=days)
    )
    return token


def _cookie(store, users) -> str:
    live = sessions.Sessions(store)
    opened = live.open("nok", users.users["nok"].password_hash)
    token = live.redeem(opened.handoff_code)
    assert token
    return f"{sessions.SESSION_COOKIE}={token}"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(out, "JPEG")
    return out.getvalue()


def test_the_form_needs_a_sign_in_or_a_campaign_link(live) -> None:
    store, users = live
    status, _, body = request("GET", "/pin")
    assert status == 401 and "ลงชื่อเข้าใช้" in body.decode()
    status, _, body = request("GET", "/pin", query={"c": "forged-token-123"})
    assert status == 403 and "ลิงก์รณรงค์นี้ใช้ไม่ได้" in body.decode()
    token = _campaign(store)
    status, headers, body = request("GET", "/pin", query={"c": token})
    page = body.decode()
    assert status == 200 and 'id="pinform"' in page
    assert "/app/static/vendor/leaflet/leaflet.js" in page
    assert "&lt;b&gt;2569&lt;/b&gt;" in page and "<b>2569</b>" not in page
    assert "script-src 'self' 'nonce-" in headers["content-security-policy"]
    assert "อุทกภัย" in page and "กลุ่มเปราะบาง" not in page  # the campaign's kinds only
    status, _, body = request(
        "GET", "/pin", headers={"cookie": _cookie(store, users)}, query={"lang": "en"}
    )
    assert status == 200 and "Pinning as nok" in body.decode()


def test_a_pin_sent_twice_is_stored_once_with_its_photo(live) -> None:
    store, _users = live
    token = _campaign(store)
    fields = {
        "client_id": "c0ffee00c0ffee00",
        "kind": "flood",
        "latitude": HAT_YAI[0],
        "longitude": HAT_YAI[1],
        "households": "4",
        "note": "โทร 0812345678",
        "campaign": token,
    }
    body, kind = multipart(fields, _jpeg())
    status, _, answer = request(
        "POST",
        "/pin/submit",
        body=body,
        headers={"content-type": kind, "origin": "http://maps.example.org"},
    )
    first = json.loads(answer)
    assert status == 201 and first["ok"] and first["tambon_code"].startswith("90")
    assert "สงขลา" in first["tambon"]
    status, _, answer = request("POST", "/pin/submit", body=body, headers={"content-type": kind})
    again = json.loads(answer)
    assert status == 200 and again["id"] == first["id"] and not again["created"]
    (pin,) = CommunityPins(store).find(PinQuery())
    assert pin.has_photo and "0812345678" not in pin.note
    photo = CommunityPins(store).photo(pin.id)
    assert photo[:2] == b"\xff\xd8" and photo != _jpeg()  # re-encoded
    status, _, answer = request(
        "GET", "/pin/mine", query={"c": token, "ids": "c0ffee00c0ffee00,other123"}
    )
    listed = json.loads(answer)["pins"]
    assert [p["id"] for p in listed] == [pin.id] and listed[0]["state"] == "received"
    assert listed[0]["kind"] == "อุทกภัย"


def test_a_signed_in_reporter_pins_with_json_and_sees_its_pins(live) -> None:
    store, users = live
    cookie = _cookie(store, users)
    body = json.dumps(
        {
            "client_id": "json-pin-0001",
            "kind": "vulnerable",
            "latitude": HAT_YAI[0],
            "longitude": HAT_YAI[1],
            "people": "3",
        }
    ).encode()
    status, _, answer = request(
        "POST",
        "/pin/submit",
        body=body,
        headers={"content-type": "application/json", "cookie": cookie},
    )
    assert status == 201, answer
    status, _, answer = request("GET", "/pin/mine", headers={"cookie": cookie})
    assert [p["client_id"] for p in json.loads(answer)["pins"]] == ["json-pin-0001"]
    status, _, answer = request(
        "GET",
        "/pin/place",
        headers={"cookie": cookie},
        query={"lat": HAT_YAI[0], "lon": HAT_YAI[1]},
    )
    assert status == 200 and json.loads(answer)["code"].startswith("9011")


def test_a_reporter_answers_the_moderators_question_once(live) -> None:
    store, users = live
    cookie = _cookie(store, users)
    sent = {"client_id": "ask-pin-0001", "kind": "flood", "households": "2"}
    sent |= {"latitude": HAT_YAI[0], "longitude": HAT_YAI[1], "note": "น้ำท่วมถึงเอว"}
    headers = {"content-type": "application/json", "cookie": cookie}
    status, _, answer = request(
        "POST", "/pin/submit", body=json.dumps(sent).encode(), headers=headers
    )
    pin_id = json.loads(answer)["id"]
    pinning.decide(ADMIN, store, [pin_id], "needs_info", comment="กี่ครัวเรือน <i>จริง</i>?")
    status, _, answer = request("GET", "/pin/mine", headers={"cookie": cookie})
    (mine,) = json.loads(answer)["pins"]
    assert mine["state"] == "needs_info" and mine["comment"] == "กี่ครัวเรือน <i>จริง</i>?"
    assert (mine["kind_id"], mine["households"], mine["note"]) == ("flood", 2, "น้ำท่วมถึงเอว")
    reply = sent | {"client_id": "ans-0001-aaaa", "answers": "ask-pin-0001", "households": "7"}
    reply |= {"note": "7 ครัวเรือน น้ำถึงเอว", "latitude": "7.0100"}
    for attempt in range(2):  # a lost answer sent again changes the pin once
        status, _, answer = request(
            "POST", "/pin/submit", body=json.dumps(reply).encode(), headers=headers
        )
        found = json.loads(answer)
        assert status == 200 and found["answered"] and found["id"] == pin_id, found
        assert found["changed"] is (attempt == 0) and found["state"] == "received"
    pin = CommunityPins(store).get(pin_id)
    assert (pin.households, pin.note, pin.latitude) == (7, "7 ครัวเรือน น้ำถึงเอว", 7.01)
    answers = [e for e in store.audit_events() if e.action == "pin_answer"]
    assert len(answers) == 1 and answers[0].who == "nok" and "households" in answers[0].detail
    before = table_contents(store)
    # now received: another answer is refused, in both languages, and changes nothing
    again = reply | {"client_id": "ans-0002-bbbb"}
    status, _, answer = request(
        "POST", "/pin/submit", body=json.dumps(again).encode(), headers=headers
    )
    refused = json.loads(answer)
    assert status == 409 and "not waiting for an answer" in refused["error_en"]
    assert "รอคำตอบ" in refused["error_th"]
    status, _, answer = request(
        "POST",
        "/pin/submit",
        body=json.dumps(reply | {"client_id": "ans-0003-cccc", "answers": "not-mine-01"}).encode(),
        headers=headers,
    )
    assert status == 404 and "not among your pins" in json.loads(answer)["error_en"]
    assert table_contents(store) == before


def test_refusals_are_bilingual_and_store_nothing(live) -> None:
    store, _users = live
    token = _campaign(store)
    before = table_contents(store)
    cases = [
        ({"campaign": "forged-token-xyz"}, 403, "campaign link is not valid"),
        ({"latitude": "10.0", "longitude": "101.5"}, 400, "at sea"),
        ({"kind": "<script>alert(1)</script>"}, 400, "not a pin kind"),
        ({"campaign": ""}, 401, "sign in"),
    ]
    for change, expected, words in cases:
        fields = {
            "client_id": "refused-0001",
            "kind": "flood",
            "latitude": HAT_YAI[0],
            "longitude": HAT_YAI[1],
            "campaign": token,
        } | change
        body, kind = multipart(fields)
        status, _, answer = request(
            "POST", "/pin/submit", body=body, headers={"content-type": kind}
        )
        refusal = json.loads(answer)
        assert status == expected and words in refusal["error_en"], (change, refusal)
        assert refusal["error_th"] and not refusal["ok"]
    status, _, answer = request(
        "POST", "/pin/submit", body=b"\x00garbage{", headers={"content-type": "application/json"}
    )
    assert status == 400 and "cannot be read" in json.loads(answer)["error_en"]
    status, _, answer = request(
        "POST",
        "/pin/submit",
        body=b"{}",
        headers={"content-type": "application/json", "origin": "https://evil.example"},
    )
    assert status == 403
    assert table_contents(store) == before


def test_a_fifty_megabyte_photo_is_refused_quickly(live) -> None:
    store, _users = live
    token = _campaign(store)
    fields = {
        "client_id": "bigphoto-0001",
        "kind": "flood",
        "latitude": HAT_YAI[0],
        "longitude": HAT_YAI[1],
        "campaign": token,
    }
    body, kind = multipart(fields, b"\xff\xd8" + b"\0" * (50 * 1024 * 1024))
    started = time.perf_counter()
    status, _, answer = request("POST", "/pin/submit", body=body, headers={"content-type": kind})
    assert status == 413 and "MB" in json.loads(answer)["error_th"]
    assert time.perf_counter() - started < 5
    assert CommunityPins(store).find(PinQuery()) == []


def test_a_closed_campaign_link_stops_working(live) -> None:
    store, _users = live
    token = _campaign(store)
    pins = CommunityPins(store)
    (campaign,) = pins.campaigns()
    with store.engine.begin() as connection:  # the campaign ended an hour ago
        from codi_geo.results.schema import pin_campaigns_table

        connection.execute(
            pin_campaigns_table.update().values(ends_at=datetime.now(UTC) - timedelta(hours=1))
        )
    status, _, body = request("GET", "/pin", query={"c": token})
    assert status == 403 and "ปิดแล้ว" in body.decode()
    assert campaign.name
