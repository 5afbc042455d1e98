"""The server routes of the session cookie, called as ASGI (what uvicorn does): a one-time
code becomes an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS) once; sign-out revokes
the session on the server and clears the cookie; a post from another site changes nothing;
``next`` never leaves the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from codi_geo import settings
from codi_geo.access import auth, sessions
from codi_geo.results.store import open_store
from codi_geo.ui import session_routes
from tests.helpers import asgi_call


def call(
    path: str, body: str, headers: dict[str, str] | None = None, scheme: str = "http"
) -> tuple[int, dict[str, list[str]]]:
    app = Starlette(routes=session_routes.routes())
    raw = [
        (b"host", b"maps.example.org"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
    ]
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": raw,
        "scheme": scheme,
        "http_version": "1.1",
        "server": ("maps.example.org", 80),
        "client": ("10.0.0.1", 5000),
        "root_path": "",
    }
    start = asgi_call(app, scope, body.encode())[0]
    found: dict[str, list[str]] = {}
    for key, value in start["headers"]:
        found.setdefault(key.decode().lower(), []).append(value.decode())
    return start["status"], found


@pytest.fixture()
def live(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    settings.clear()
    monkeypatch.setattr(session_routes, "_mounted", False)  # restored: AppTests run unmounted
    session_routes._sessions.cache_clear()
    store = open_store()
    users = auth.add_user(auth.UsersFile({}), "somchai", role="viewer", password="รหัส-1")
    yield sessions.Sessions(store), users
    session_routes._sessions().engine.dispose()
    session_routes._sessions.cache_clear()
    store.close()
    settings.clear()


def _cookie(headers: dict[str, list[str]]) -> str:
    (cookie,) = [c for c in headers.get("set-cookie", []) if c.startswith("codi_geo_session=")]
    return cookie


def test_a_code_becomes_an_httponly_cookie_once(live) -> None:
    store_sessions, users = live
    opened = store_sessions.open("somchai", users.users["somchai"].password_hash)
    status, headers = call("/codi/session", f"code={opened.handoff_code}&next=/housing?fy=2569")
    assert status == 303 and headers["location"] == ["/housing?fy=2569"]
    cookie = _cookie(headers)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert store_sessions.check_token(users, token)[1].username == "somchai"
    status, headers = call("/codi/session", f"code={opened.handoff_code}&next=/")
    assert status == 303 and "set-cookie" not in headers  # used once
    again = store_sessions.open("somchai", users.users["somchai"].password_hash)
    _, headers = call("/codi/session", f"code={again.handoff_code}", {"X-Forwarded-Proto": "https"})
    assert "Secure" in _cookie(headers)  # behind a TLS proxy


def test_sign_out_revokes_and_clears(live) -> None:
    store_sessions, users = live
    opened = store_sessions.open("somchai", users.users["somchai"].password_hash)
    token = store_sessions.redeem(opened.handoff_code)
    status, headers = call("/codi/signout", "next=/", {"Cookie": f"codi_geo_session={token}"})
    assert status == 303 and 'codi_geo_session=""' in _cookie(headers)
    assert "Max-Age=0" in _cookie(headers)
    assert store_sessions.check_token(users, token) is None


def test_other_sites_and_other_destinations_are_refused(live) -> None:
    store_sessions, users = live
    opened = store_sessions.open("somchai", users.users["somchai"].password_hash)
    token = store_sessions.redeem(opened.handoff_code)
    evil = {"Origin": "https://evil.example", "Cookie": f"codi_geo_session={token}"}
    status, headers = call("/codi/signout", "next=/", evil)
    assert status == 303 and "set-cookie" not in headers
    assert store_sessions.check_token(users, token) is not None  # not signed out
    fresh = store_sessions.open("somchai", users.users["somchai"].password_hash)
    _, headers = call("/codi/session", f"code={fresh.handoff_code}", evil)
    assert "set-cookie" not in headers
    for target in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "evil",
        "/ok\r\nSet-Cookie: x=1",
    ):
        assert session_routes.safe_next(target) == "/", target
    assert session_routes.safe_next("/data?fy=2569") == "/data?fy=2569"
