"""The two server routes of sign-in sessions, mounted by ``serve.py`` (``st.App``): they set
and clear the HttpOnly session cookie, which page scripts (and so injected scripts) can
neither read nor write. The sessions themselves: ``codi_geo.access.sessions``.

- ``POST /codi/session`` (form: ``code``, ``next``): exchanges a one-time hand-off code for
  the session token, sets the cookie, and goes back to ``next``.
- ``POST /codi/signout`` (form: ``next``): revokes the cookie's session, clears the cookie.

Started without ``serve.py`` (``streamlit run app.py``, AppTest), the routes are absent:
sign-in then lasts for the browser tab only (no cookie at all).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from codi_geo.access import sessions
from codi_geo.results.store import open_store
from codi_geo.ui import guard

SESSION_PATH = "/codi/session"
SIGNOUT_PATH = "/codi/signout"
_MAX_BODY = 4096
_mounted = False
log = logging.getLogger("codi_geo")


def mounted() -> bool:
    """Are the routes served by this process (the app started through ``serve.py``)?"""
    return _mounted


@cache
def _sessions() -> sessions.Sessions:
    return sessions.Sessions(open_store())


def safe_next(value: str | None) -> str:
    """Where to go back to: a path of this site only (no other host, no scheme)."""
    value = (value or "/").strip()
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(c) < 32 for c in value)
    ):
        return "/"
    return value[:2000]


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > _MAX_BODY:
        return {}
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
    return {k: v[0] for k, v in fields.items() if v}


def _same_origin(request: Request) -> bool:
    """A post from a page of this site (browsers send Origin with every POST); a page
    elsewhere must not sign a visitor in or out."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    # Behind a TLS proxy the app sees http; the proxy's header says what the browser used.
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def start_session(request: Request) -> Response:
    form = await _form(request)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    if not _same_origin(request):
        return response
    try:
        token = await run_in_threadpool(_sessions().redeem, form.get("code", ""))
    except Exception:  # the store is unreachable: no cookie; the page says what happened
        log.exception("session hand-off failed")
        token = None
    if token:
        response.set_cookie(
            sessions.SESSION_COOKIE,
            token,
            max_age=sessions.SESSION_HOURS * 3600,
            path="/",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
    response.headers["Cache-Control"] = "no-store"
    return response


async def end_session(request: Request) -> Response:
    form = await _form(request)
    if not _same_origin(request):
        return RedirectResponse("/", status_code=303)
    token = request.cookies.get(sessions.SESSION_COOKIE)
    if token:
        try:
            await run_in_threadpool(lambda: _sessions().revoke(token=token))
        except Exception:  # the cookie is cleared anyway; the page revoked it by id too
            log.exception("session revocation failed")
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.delete_cookie(
        sessions.SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[Any]:
    """The routes for ``st.App(routes=...)``; marks them as mounted in this process."""
    global _mounted
    _mounted = True
    return [
        Route(SESSION_PATH, start_session, methods=["POST"]),
        Route(SIGNOUT_PATH, end_session, methods=["POST"]),
    ]


def on_script_error(error: Exception) -> bool:
    """An exception no page caught: logged with a reference, a generic message shown (never
    the traceback)."""
    guard.show_error(error, "th")
    return True
