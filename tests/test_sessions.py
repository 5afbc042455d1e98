"""Sign-in sessions kept on the server and the sign-in rate limit, on a real SQLite file and
a real PostgreSQL server: a token is random and stored only as a keyed hash (nothing in the
users file makes one), a hand-off code works once, sign-out and a password change end a
session, and failed sign-ins are delayed per user and per client."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from codi_geo import settings
from codi_geo.access import auth, sessions
from codi_geo.results.schema import sessions_table
from codi_geo.results.store import Store, open_store
from tests.helpers import BACKENDS, empty_database

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with empty_database(request.param, tmp_path) as url:
        opened = open_store(url)
        yield opened
        opened.close()


@pytest.fixture()
def users() -> auth.UsersFile:
    found = auth.add_user(auth.UsersFile({}), "somchai", role="viewer", password="รหัส-1")
    return auth.add_user(found, "malee", role="admin", password="รหัส-2")


def _signed_in(
    live: sessions.Sessions, users: auth.UsersFile, name: str = "somchai", now: datetime = NOW
) -> tuple[int, str]:
    opened = live.open(name, users.users[name].password_hash, client="10.0.0.1", now=now)
    token = live.redeem(opened.handoff_code, now=now)
    assert token
    return opened.session_id, token


def test_a_session_lives_until_sign_out_expiry_or_a_new_password(store, users) -> None:
    live = sessions.Sessions(store, b"k" * 32)
    session_id, token = _signed_in(live, users)
    assert live.check_token(users, token, now=NOW) == (session_id, users.users["somchai"].user)
    assert live.check_id(users, session_id, now=NOW).username == "somchai"
    later = NOW + timedelta(hours=sessions.SESSION_HOURS)
    assert live.check_token(users, token, now=later - timedelta(minutes=1)) is not None
    assert live.check_token(users, token, now=later) is None  # expired
    changed = auth.add_user(users, "somchai", role="viewer", password="รหัสใหม่")
    assert live.check_token(changed, token, now=NOW) is None  # a new password: signed out
    assert live.check_id(changed, session_id, now=NOW) is None
    removed = auth.UsersFile({"malee": users.users["malee"]})
    assert live.check_token(removed, token, now=NOW) is None
    assert live.revoke(token=token, now=NOW) == 1
    assert live.check_token(users, token, now=NOW) is None  # a copied token is dead too
    assert live.check_id(users, session_id, now=NOW) is None
    again_id, again = _signed_in(live, users)
    assert live.revoke(session_id=again_id) == 1 and live.check_token(users, again) is None


def test_a_hand_off_code_works_once_and_briefly(store, users) -> None:
    live = sessions.Sessions(store, b"k" * 32)
    opened = live.open("somchai", users.users["somchai"].password_hash, now=NOW)
    late = NOW + timedelta(seconds=sessions.HANDOFF_SECONDS + 1)
    assert live.redeem(opened.handoff_code, now=late) is None
    opened = live.open("somchai", users.users["somchai"].password_hash, now=NOW)
    assert live.redeem("not-a-code", now=NOW) is None
    assert live.redeem(opened.handoff_code, now=NOW)
    assert live.redeem(opened.handoff_code, now=NOW) is None  # used
    revoked = live.open("somchai", users.users["somchai"].password_hash, now=NOW)
    live.revoke(session_id=revoked.session_id, now=NOW)
    assert live.redeem(revoked.handoff_code, now=NOW) is None


def test_tokens_cannot_be_made_from_the_users_file_or_the_table(
    store, users, tmp_path: Path
) -> None:
    live = sessions.Sessions(store, b"k" * 32)
    _, token = _signed_in(live, users)
    with store.engine.connect() as connection:
        stored = connection.execute(sa.select(sessions_table)).mappings().one()
    assert token not in str(dict(stored))  # only a keyed hash of it is kept
    forged = [
        stored["token_key"],
        users.users["somchai"].password_hash,
        users.users["malee"].password_hash,
        "",
        "x" * 500,
        None,
    ]
    for guess in forged:
        assert live.check_token(users, guess, now=NOW) is None
    other_secret = sessions.Sessions(store, b"another secret, another replica!")
    assert other_secret.check_token(users, token, now=NOW) is None


def test_the_secret_is_generated_once_private_or_taken_from_the_setting(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CODI_GEO_SESSION_SECRET", raising=False)
    settings.clear()
    sessions._secret_file.cache_clear()
    first = sessions.session_secret()
    path = tmp_path / sessions.SECRET_FILE
    assert len(first) >= 64 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    sessions._secret_file.cache_clear()
    assert sessions.session_secret() == first  # kept across restarts
    monkeypatch.setenv("CODI_GEO_SESSION_SECRET", "a-shared-secret-for-every-replica-000000")
    settings.clear()
    assert sessions.session_secret() == b"a-shared-secret-for-every-replica-000000"


def test_the_sixth_wrong_password_in_a_minute_is_delayed(store) -> None:
    limiter = sessions.SignInLimiter(store)
    for second in range(5):
        assert limiter.wait("somchai", "10.0.0.1", now=NOW + timedelta(seconds=second)) == 0
        limiter.failed("somchai", "10.0.0.1", now=NOW + timedelta(seconds=second))
    sixth = NOW + timedelta(seconds=5)
    assert limiter.wait("somchai", "10.0.0.1", now=sixth) == 14  # 15 s after the fifth
    assert limiter.wait("SomChai ", "10.9.9.9", now=sixth) == 14  # per user, any client
    assert limiter.wait("malee", "10.0.0.1", now=sixth) == 14  # per client, any user
    assert limiter.wait("malee", "10.9.9.9", now=sixth) == 0
    assert limiter.wait("somchai", "10.0.0.1", now=NOW + timedelta(seconds=20)) == 0
    limiter.failed("somchai", "10.0.0.1", now=NOW + timedelta(seconds=20))
    assert limiter.wait("somchai", "10.0.0.1", now=NOW + timedelta(seconds=21)) == 29  # grows
    for step in range(10):
        limiter.failed("somchai", "10.0.0.1", now=NOW + timedelta(seconds=60 + step))
    capped = limiter.wait("somchai", "10.0.0.1", now=NOW + timedelta(seconds=70))
    assert capped == int(sessions.MAX_DELAY.total_seconds()) - 1
    window = NOW + timedelta(seconds=70) + sessions.FAILURE_WINDOW
    assert limiter.wait("somchai", "10.0.0.1", now=window) == 0  # old failures age out
    limiter.succeeded("somchai")  # a right password clears the user, not the client
    assert limiter.wait("somchai", "10.9.9.9", now=NOW + timedelta(seconds=70)) == 0
    assert limiter.wait("malee", "10.0.0.1", now=NOW + timedelta(seconds=70)) > 0
