"""Sign-in sessions kept on the server, and the rate limit of password sign-ins.

A session is a row of the store's ``sessions`` table. The browser holds only a random token
in an HttpOnly, SameSite cookie set by a server route (``codi_geo/ui/session_routes.py``), so
page scripts never see it; the table holds HMAC(secret, token), so neither a copy of the
table nor the users file gives a usable token (the secret is ``CODI_GEO_SESSION_SECRET``, or
a random one generated once in ``data/session_secret`` with mode 0600). A session ends at
sign-out (revoked), after ``SESSION_HOURS``, or when the user's password changes (each row
keeps a fingerprint of the password hash it was opened with).

Signing in is two steps, because a Streamlit script cannot set an HttpOnly cookie: the
script checks the password and opens a session with a one-time *hand-off code* valid for
``HANDOFF_SECONDS``; the browser posts the code to the route, which exchanges it (once) for
the token and sets the cookie.

Failed password sign-ins are rows of ``sign_in_failures``, counted per user name and per
client (IP address) over ``FAILURE_WINDOW``: after ``FREE_FAILURES`` the next attempt must
wait ``FIRST_DELAY``, doubling with each further failure up to ``MAX_DELAY``. In the
database, so the limit holds across replicas and restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from codi_geo.access.auth import UsersFile
from codi_geo.access.rules import User
from codi_geo.errors import SettingsError
from codi_geo.results.schema import sessions_table, sign_in_failures_table
from codi_geo.settings import get_settings

if TYPE_CHECKING:
    from codi_geo.results.store import Store

SESSION_COOKIE = "codi_geo_session"
SESSION_HOURS = 12  # a working day
HANDOFF_SECONDS = 60
FREE_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
FIRST_DELAY = timedelta(seconds=15)
MAX_DELAY = timedelta(minutes=15)
SECRET_FILE = "session_secret"


def _now(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every timestamp written here is UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


# ---------------------------------------------------------------------------------------
# The secret
# ---------------------------------------------------------------------------------------


class SessionSecretError(SettingsError):
    """The secret file holds no usable key (another process is still writing it, or it was
    cut short): sessions are never signed with a weak key."""


def session_secret() -> bytes:
    """``CODI_GEO_SESSION_SECRET``, else the secret file in the data folder (created once,
    mode 0600). Several replicas must share it: set the variable, or share the data folder."""
    settings = get_settings()
    if settings.session_secret:
        return settings.session_secret.encode("utf-8")
    return _secret_file(settings.data_dir / SECRET_FILE)


@cache
def _secret_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # created exclusively with mode 0600: two processes starting at once agree
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
    value = path.read_text(encoding="ascii").strip()
    if len(value) < 32:  # another process is writing it; never run on a weak key
        raise SessionSecretError(
            f"{path}: กุญแจของเซสชันสั้นเกินไปหรือยังเขียนไม่เสร็จ ลองใหม่อีกครั้ง หรือลบไฟล์นี้ให้สร้างใหม่",
            f"{path}: the session secret is too short or not yet written; try again, or "
            f"delete the file to have it made anew",
        )
    return value.encode("ascii")


def _key(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode("utf-8"), hashlib.sha256).hexdigest()


def password_fingerprint(password_hash: str | None) -> str:
    """What a session remembers of the password it was opened with (a changed password, or a
    user removed from the users file, ends the session)."""
    return hashlib.sha256(f"codi-geo session v2\n{password_hash or ''}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    session_id: int
    handoff_code: str


class Sessions:
    """Open, hand off, check and revoke sessions in ``store``."""

    def __init__(self, store: Store, secret: bytes | None = None) -> None:
        self.engine = store.engine
        self.secret = secret if secret is not None else session_secret()

    def _write(self):
        return self.engine.connect().execution_options(codi_geo_write=True)

    def open(
        self,
        username: str,
        password_hash: str | None,
        *,
        client: str | None = None,
        now: datetime | None = None,
        hours: int = SESSION_HOURS,
    ) -> Opened:
        """A new session for ``username``; its hand-off code is good once, for
        ``HANDOFF_SECONDS``."""
        at = _now(now)
        code = secrets.token_urlsafe(32)
        with self._write() as connection, connection.begin():
            # Old sessions go (kept a day after they end, for the record of who was in).
            connection.execute(
                sessions_table.delete().where(sessions_table.c.expires_at < at - timedelta(days=1))
            )
            result = connection.execute(
                sessions_table.insert()
                .values(
                    handoff_key=_key(self.secret, code),
                    handoff_expires_at=at + timedelta(seconds=HANDOFF_SECONDS),
                    username=username,
                    password_fp=password_fingerprint(password_hash),
                    created_at=at,
                    expires_at=at + timedelta(hours=hours),
                    client=client,
                )
                .returning(sessions_table.c.id)
            )
            session_id = int(result.scalar_one())
        return Opened(session_id, code)

    def redeem(self, code: str, *, now: datetime | None = None) -> str | None:
        """Exchange a hand-off code for the session's cookie token (once; None for an unknown,
        used, expired or revoked code)."""
        if not isinstance(code, str) or not code or len(code) > 200:
            return None
        at = _now(now)
        token = secrets.token_urlsafe(32)
        s = sessions_table.c
        with self._write() as connection, connection.begin():
            changed = connection.execute(
                sessions_table.update()
                .where(
                    s.handoff_key == _key(self.secret, code),
                    s.handoff_expires_at > at,
                    s.revoked_at.is_(None),
                    s.token_key.is_(None),
                    s.expires_at > at,
                )
                .values(
                    token_key=_key(self.secret, token), handoff_key=None, handoff_expires_at=None
                )
            ).rowcount
        return token if changed == 1 else None

    def _user(self, users: UsersFile, row: sa.Row | None, at: datetime) -> User | None:
        if row is None or row.revoked_at is not None:
            return None
        expires = _aware(row.expires_at)
        if expires is None or expires <= at:
            return None
        record = users.users.get(row.username)
        if record is None or not record.password_hash:
            return None
        if not hmac.compare_digest(row.password_fp, password_fingerprint(record.password_hash)):
            return None  # the password changed since: sign in again
        return record.user

    def check_id(
        self, users: UsersFile, session_id: int, *, now: datetime | None = None
    ) -> User | None:
        """The user of session ``session_id`` (kept in server memory by this browser tab),
        or None when it has ended."""
        query = sa.select(sessions_table).where(sessions_table.c.id == session_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return self._user(users, row, _now(now))

    def check_token(
        self, users: UsersFile, token: str | None, *, now: datetime | None = None
    ) -> tuple[int, User] | None:
        """(session id, user) of a cookie token, or None: unknown, forged, revoked, expired,
        or made before the user's password changed."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        query = sa.select(sessions_table).where(
            sessions_table.c.token_key == _key(self.secret, token)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        user = self._user(users, row, _now(now))
        return None if user is None or row is None else (int(row.id), user)

    def revoke(
        self,
        *,
        session_id: int | None = None,
        token: str | None = None,
        now: datetime | None = None,
    ) -> int:
        """End a session (by id or cookie token); how many ended."""
        s = sessions_table.c
        if session_id is not None:
            which = s.id == session_id
        elif token:
            which = s.token_key == _key(self.secret, token)
        else:
            return 0
        with self._write() as connection, connection.begin():
            return int(
                connection.execute(
                    sessions_table.update()
                    .where(which, s.revoked_at.is_(None))
                    .values(revoked_at=_now(now), handoff_key=None)
                ).rowcount
            )


# ---------------------------------------------------------------------------------------
# Failed sign-ins
# ---------------------------------------------------------------------------------------


def limit_key(username: str) -> str:
    return " ".join(username.split()).casefold()[:200]


class SignInLimiter:
    """Growing delays after failed password sign-ins, per user name and per client."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def wait(self, username: str, client: str, *, now: datetime | None = None) -> int:
        """Seconds to wait before the next attempt of ``username`` from ``client`` may be
        checked (0: go ahead)."""
        at = _now(now)
        since = at - FAILURE_WINDOW
        f = sign_in_failures_table.c
        longest = timedelta(0)
        with self.engine.connect() as connection:
            for column, value in ((f.username, limit_key(username)), (f.client, client)):
                count, last = connection.execute(
                    sa.select(sa.func.count(), sa.func.max(f.at)).where(
                        column == value, f.at > since
                    )
                ).one()
                if count < FREE_FAILURES or last is None:
                    continue
                delay = min(FIRST_DELAY * 2 ** (count - FREE_FAILURES), MAX_DELAY)
                longest = max(longest, _aware(last) + delay - at)
        return max(0, int(longest.total_seconds() + 0.999))

    def failed(self, username: str, client: str, *, now: datetime | None = None) -> None:
        at = _now(now)
        f = sign_in_failures_table.c
        with (
            self.engine.connect().execution_options(codi_geo_write=True) as connection,
            connection.begin(),
        ):
            connection.execute(sign_in_failures_table.delete().where(f.at < at - timedelta(days=1)))
            connection.execute(
                sign_in_failures_table.insert().values(
                    at=at, username=limit_key(username), client=client
                )
            )

    def succeeded(self, username: str) -> None:
        """A right password clears the user's count (not the client's: one account of an
        attacker's own must not reset the limit of the address it guesses from)."""
        f = sign_in_failures_table.c
        with (
            self.engine.connect().execution_options(codi_geo_write=True) as connection,
            connection.begin(),
        ):
            # The failures stay in the client's count and leave the user's (an empty name is
            # never checked: the form refuses it).
            connection.execute(
                sign_in_failures_table.update()
                .where(f.username == limit_key(username))
                .values(username="")
            )
