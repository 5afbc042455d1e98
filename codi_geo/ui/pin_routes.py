"""The pin form's routes, mounted by ``serve.py`` beside the Streamlit app:

- ``GET /pin`` (``?c=TOKEN`` for a campaign link, ``?lang=en``): the form (``pin_page``);
- ``POST /pin/submit`` (multipart, or JSON without a photo): a pin, or with ``answers``
  (the pin's own id) the sender's answer to a moderator's "needs information"; JSON answer;
- ``GET /pin/place?lat=&lon=``: the tambon of a point, shown as soon as it is pinned;
- ``GET /pin/mine``: the sender's own pins and their states.

Why plain routes and not a Streamlit page: a Streamlit session keeps a websocket, a script
thread's state and the page's widgets on the server for as long as the tab is open (about
1 MB each, README), and every tap would be a round trip through the script. A flood brings
hundreds of reporters at once on weak mobile connections: a light page that costs the server
nothing between two requests, and one request per pin, holds where 500 sessions would not.

Who sends: the sign-in cookie of the app (``codi_geo.access.sessions``) for users with an
account, or a campaign link's token. What may be sent and by whom is decided in
``codi_geo.access.pinning``; these routes only read requests and write answers. Every
answer that refuses says why in Thai and English; no traceback or driver text ever leaves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from codi_geo import thai
from codi_geo.access import auth, pinning, sessions
from codi_geo.access.pin_input import PHOTO_UPLOAD_MAX_BYTES, PinInputError
from codi_geo.access.pinning import PinForm, PinRefusedError, Submitter
from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.programmes import get_programme
from codi_geo.results.community_pins import PROGRAMME
from codi_geo.results.store import open_store
from codi_geo.text import t
from codi_geo.ui import pin_page

PIN_PATH = "/pin"
MAX_BODY = PHOTO_UPLOAD_MAX_BYTES + 64 * 1024  # a photo and the form's fields
# Pins with a photo read and re-encoded at once, per process: each holds its upload (up to
# 10 MB) and the decoded image (up to 48 MB); hundreds sending photos at once wait here
# rather than take the server's memory. Pins without a photo never wait.
PHOTO_SLOTS = 6
SMALL_BODY = 64 * 1024
_photo_slots: dict[int, asyncio.Semaphore] = {}
log = logging.getLogger("codi_geo")


@cache
def _store() -> Any:
    return open_store()


@dataclass
class _UsersCache:
    mtime: float = -1.0
    users: auth.UsersFile | None = None


_users_cache = _UsersCache()


def _users() -> auth.UsersFile:
    """The users file, read again when it changes (a removed user stops pinning at once)."""
    path = auth.users_file_path()
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return auth.UsersFile({})
    if mtime != _users_cache.mtime or _users_cache.users is None:
        try:
            _users_cache.users = auth.load_users(Path(path))
        except auth.AuthError:
            log.exception("the users file cannot be read; nobody signs in to pin")
            _users_cache.users = auth.UsersFile({})
        _users_cache.mtime = mtime
    return _users_cache.users


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "th"


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _submitter(request: Request, token: str | None) -> Submitter:
    """Who sends: the campaign link's holder when a token is given (refused when forged or
    closed), else the signed-in user of the cookie, else nobody."""
    client = _client(request)
    if token:
        return Submitter(None, pinning.campaign_for_token(_store(), token), client)
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    if cookie:
        found = sessions.Sessions(_store()).check_token(_users(), cookie)
        if found is not None:
            return Submitter(found[1], None, client)
    return Submitter(None, None, client)


def _refusal(error: CodiGeoError, status: int) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_th": error.th, "error_en": error.en},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _failure(error: Exception) -> JSONResponse:
    """An answer for what went wrong; the detail of an unexpected error only in the log."""
    if isinstance(error, PinRefusedError):
        return _refusal(error, error.status)
    if isinstance(error, (PinInputError, auth.AuthError)):
        return _refusal(error, 400)
    if isinstance(error, CodiGeoError):  # the store cannot be reached, a permission
        status = 403 if isinstance(error, PermissionError) else 503
        if status == 503:
            log.error("pin route: %s", error.en)
            error = CodiGeoError(
                "ระบบบันทึกข้อมูลขัดข้องชั่วคราว ข้อมูลที่กรอกยังอยู่ ลองส่งใหม่อีกครั้ง",
                "the store is unavailable for a moment; what you typed is kept: send again",
            )
        return _refusal(error, status)
    reference = secrets.token_hex(4)
    log.exception("pin route failed (reference %s)", reference)
    return _refusal(
        CodiGeoError(
            f"เกิดข้อผิดพลาด (รหัสอ้างอิง {reference}) ลองใหม่อีกครั้ง",
            f"something went wrong (reference {reference}); try again",
        ),
        500,
    )


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _kinds(lang: str, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    programme = get_programme(PROGRAMME)
    return [(c.id, c.name.get(lang)) for c in programme.categories if c.id in allowed]


def _tambon_name(code: str, lang: str) -> str:
    return gazetteer.full_name(code, lang) or code


async def form(request: Request) -> Response:
    lang = _lang(request)
    token = request.query_params.get("c") or None
    try:
        submitter = await run_in_threadpool(_submitter, request, token)
    except Exception as error:
        answer = _failure(error)
        message = json.loads(bytes(answer.body))
        return HTMLResponse(
            pin_page.message_page(
                lang, t("pin_title", lang), message["error_en" if lang == "en" else "error_th"]
            ),
            status_code=answer.status_code,
            headers={"Cache-Control": "no-store"},
        )
    if submitter.campaign is None and (submitter.user is None or not submitter.user.can("pin")):
        return HTMLResponse(
            pin_page.message_page(
                lang,
                t("pin_title", lang),
                t("pin_sign_in", lang),
                (f"{_base(request)}/", t("pin_sign_in_link", lang)),
            ),
            status_code=401,
            headers={"Cache-Control": "no-store"},
        )
    try:
        where = pinning.pin_scope(submitter)
    except PinRefusedError as error:  # an account with no place to pin: say so, no form
        return HTMLResponse(
            pin_page.message_page(lang, t("pin_title", lang), error.message(lang)),
            status_code=error.status,
            headers={"Cache-Control": "no-store"},
        )
    if submitter.campaign is not None:
        campaign = submitter.campaign
        who = t(
            "pin_campaign",
            lang,
            name=campaign.name,
            date=campaign.ends_at.astimezone(thai.BANGKOK).date().isoformat(),
        )
        scope, kinds = f"c{campaign.id}", campaign.kinds
    else:
        assert submitter.user is not None
        who = t("pin_signed_in", lang, name=submitter.user.display_name)
        scope, kinds = f"u:{submitter.user.username}", pinning.PIN_KINDS
    if where.prefixes is not None:
        who += " · " + t("pin_scope", lang, place=where.th if lang == "th" else where.en)
    nonce = secrets.token_urlsafe(16)
    page = pin_page.form_page(
        lang,
        who=who,
        kinds=_kinds(lang, kinds),
        token=token,
        scope=scope,
        today=thai.today().isoformat(),
        base=_base(request),
        nonce=nonce,
    )
    policy = (
        "default-src 'self'; img-src 'self' data: blob: https://tile.openstreetmap.org; "
        f"script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
    return HTMLResponse(
        page,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": policy,
            "Referrer-Policy": "no-referrer",
        },
    )


class _TooLargeError(Exception):
    pass


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _TooLargeError
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


async def _fields(request: Request, body: bytes) -> dict[str, Any]:
    """The form's fields (text) and ``photo`` (bytes or None), from JSON or multipart."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return {k: v for k, v in data.items() if k != "photo"} | {"photo": None}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    parsed = await Request(request.scope, receive).form(max_files=1, max_fields=20)
    out: dict[str, Any] = {"photo": None}
    for key, value in parsed.multi_items():
        if key == "photo" and not isinstance(value, str):
            data = await value.read()
            out["photo"] = data or None
        elif isinstance(value, str):
            out[key] = value
    return out


def _text(value: Any, limit: int = 2000) -> Any:
    return value[:limit] if isinstance(value, str) else value


async def submit(request: Request) -> Response:
    if not _same_origin(request):
        return _refusal(CodiGeoError("ส่งจากหน้าอื่นไม่ได้", "not sent from this site"), 403)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= SMALL_BODY:
        return await _submit(request)
    loop = id(asyncio.get_running_loop())  # one semaphore per event loop (tests run several)
    async with _photo_slots.setdefault(loop, asyncio.Semaphore(PHOTO_SLOTS)):
        return await _submit(request)


async def _submit(request: Request) -> Response:
    try:
        body = await _body(request)
    except _TooLargeError:
        mb = PHOTO_UPLOAD_MAX_BYTES // 1024 // 1024
        return _refusal(
            CodiGeoError(
                f"ข้อมูลที่ส่งใหญ่เกิน {mb} MB (รูปใหญ่เกินไป) เลือกรูปที่เล็กลง",
                f"what was sent is over {mb} MB (the photo is too big): choose a smaller one",
            ),
            413,
        )
    try:
        fields = await _fields(request, body)
    except Exception:  # a malformed body: never the parser's own words
        return _refusal(
            CodiGeoError(
                "อ่านข้อมูลที่ส่งมาไม่ได้ โหลดหน้าใหม่แล้วลองอีกครั้ง",
                "what was sent cannot be read: reload the page and try again",
            ),
            400,
        )
    form_values = PinForm(
        client_id=_text(fields.get("client_id", ""), 100),
        kind=_text(fields.get("kind", "")),
        latitude=_text(fields.get("latitude")),
        longitude=_text(fields.get("longitude")),
        accuracy_m=_text(fields.get("accuracy_m")),
        households=_text(fields.get("households")),
        people=_text(fields.get("people")),
        note=_text(fields.get("note", ""), 5000),
        observed_on=_text(fields.get("observed_on")),
        photo=fields["photo"],
    )
    lang = "en" if fields.get("lang") == "en" else "th"

    answers = _text(fields.get("answers"), 100) or None

    def work() -> dict[str, Any]:
        submitter = _submitter(request, _text(fields.get("campaign"), 300) or None)
        if answers:
            pin, changed = pinning.answer(_store(), submitter, str(answers), form_values)
            created = False
        else:
            pin, created = pinning.submit(_store(), submitter, form_values)
            changed = created
        return {
            "ok": True,
            "id": pin.id,
            "created": created,
            "changed": changed,
            "answered": bool(answers),
            "state": pin.state,
            "tambon_code": pin.tambon_code,
            "tambon": _tambon_name(pin.tambon_code, lang),
        }

    started = time.perf_counter()
    try:
        answer = await run_in_threadpool(work)
    except Exception as error:
        return _failure(error)
    log.debug("pin stored in %.3f s", time.perf_counter() - started)
    return JSONResponse(
        answer, status_code=201 if answer["created"] else 200, headers={"Cache-Control": "no-store"}
    )


async def place(request: Request) -> Response:
    lang = _lang(request)

    def work() -> dict[str, Any]:
        submitter = _submitter(request, request.query_params.get("c") or None)
        if submitter.user is None and submitter.campaign is None:
            raise PinRefusedError(
                "ต้องลงชื่อเข้าใช้หรือใช้ลิงก์รณรงค์", "sign in or use a campaign link", 401
            )
        _lat, _lon, code = pinning.place_point(
            request.query_params.get("lat"), request.query_params.get("lon")
        )
        return {"ok": True, "code": code, "name": _tambon_name(code, lang)}

    try:
        return JSONResponse(await run_in_threadpool(work), headers={"Cache-Control": "no-store"})
    except Exception as error:
        return _failure(error)


async def mine(request: Request) -> Response:
    lang = _lang(request)
    programme = get_programme(PROGRAMME)

    def work() -> dict[str, Any]:
        submitter = _submitter(request, request.query_params.get("c") or None)
        ids = [i for i in request.query_params.get("ids", "").split(",") if i][:200]
        pins = pinning.pins_of(_store(), submitter, ids)
        listed = []
        for pin in reversed(pins):
            category = programme.category(pin.kind)
            listed.append(
                {
                    "id": pin.id,
                    "client_id": pin.client_id,
                    "state": pin.state,
                    "kind": category.name.get(lang) if category else pin.kind,
                    "tambon": _tambon_name(pin.tambon_code, lang),
                    "observed_on": pin.observed_on.isoformat(),
                    "comment": pin.moderator_comment,
                }
            )
            if pin.state == "needs_info":  # what the sender edits to answer (its own words)
                listed[-1] |= {
                    "kind_id": pin.kind,
                    "latitude": pin.latitude,
                    "longitude": pin.longitude,
                    "households": pin.households,
                    "people": pin.people,
                    "note": pin.note_raw,
                    "observed_on": pin.observed_on.isoformat(),
                }
        return {"ok": True, "pins": listed}

    try:
        return JSONResponse(await run_in_threadpool(work), headers={"Cache-Control": "no-store"})
    except Exception as error:
        return _failure(error)


def routes() -> list[Any]:
    """The routes for ``st.App(routes=...)``."""
    return [
        Route(PIN_PATH, form, methods=["GET"]),
        Route(f"{PIN_PATH}/submit", submit, methods=["POST"]),
        Route(f"{PIN_PATH}/place", place, methods=["GET"]),
        Route(f"{PIN_PATH}/mine", mine, methods=["GET"]),
    ]
