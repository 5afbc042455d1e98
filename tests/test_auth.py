"""Users, passwords, roles, region rules and the audit record."""

from __future__ import annotations

import base64
import hashlib
import io
import stat
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from codi_geo.__main__ import main as cli_main
from codi_geo.access import audit, auth, rules
from codi_geo.results.store import ResultRow

EDITOR_NE = auth.User("somchai", "regional_editor", "สมชาย ใจดี", "somchai@example.org", "northeast")
VIEWER = auth.User("malee", "viewer", "มาลี", None, "south")
ADMIN = auth.User("admin", "admin", "ผู้ดูแล")


# ---------------------------------------------------------------------------------------
# passwords
# ---------------------------------------------------------------------------------------


def test_password_hash_round_trip_and_salt() -> None:
    first = auth.hash_password("รหัสผ่าน-ลับ 2569")
    second = auth.hash_password("รหัสผ่าน-ลับ 2569")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # fresh salt each time
    assert "รหัสผ่าน" not in first
    assert auth.verify_password("รหัสผ่าน-ลับ 2569", first)
    assert auth.verify_password("รหัสผ่าน-ลับ 2569", second)
    assert not auth.verify_password("รหัสผ่าน-ลับ 2568", first)
    assert not auth.verify_password("", first)
    for broken in ("", "scrypt$1$2", "md5$abc$def", first[:-6], "plain text"):
        assert not auth.verify_password("รหัสผ่าน-ลับ 2569", broken)
    with pytest.raises(auth.AuthError):
        auth.hash_password("")


def test_pbkdf2_hashes_are_accepted() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", b"secret", salt, 600_000)
    stored = f"pbkdf2_sha256$600000${base64.b64encode(salt).decode()}$"
    stored += base64.b64encode(digest).decode()
    assert auth.verify_password("secret", stored)
    assert not auth.verify_password("Secret", stored)


# ---------------------------------------------------------------------------------------
# users file
# ---------------------------------------------------------------------------------------


def _users_text(password_hash: str) -> str:
    return f"""
[settings]
oidc_default_role = "viewer"

[users.somchai]
name = "สมชาย ใจดี"
email = "Somchai@Example.org"
role = "regional_editor"
region = "northeast"
password = "{password_hash}"

[users.admin]
role = "admin"
password = "{password_hash}"

[users.oidconly]
email = "oidc@example.org"
role = "viewer"
"""


def test_users_file_loads_and_authenticates(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    path.write_text(_users_text(auth.hash_password("ถูกต้อง")), encoding="utf-8")
    users = auth.load_users(path)
    assert set(users.users) == {"somchai", "admin", "oidconly"}
    assert users.oidc_default_role == "viewer"
    somchai = auth.authenticate(users, "somchai", "ถูกต้อง")
    assert somchai == auth.User(
        "somchai", "regional_editor", "สมชาย ใจดี", "somchai@example.org", "northeast"
    )
    assert auth.authenticate(users, "somchai", "ผิด") is None
    assert auth.authenticate(users, "nobody", "ถูกต้อง") is None
    assert auth.authenticate(users, "oidconly", "") is None  # no password: no password sign-in
    assert auth.load_users(tmp_path / "missing.toml").users == {}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"role": "viewer", "password": "hunter2"}, "plain text"),
        ({"role": "superuser"}, "unknown role"),
        ({"role": "viewer", "region": "east"}, "unknown CODI region"),
        ({"role": "regional_editor"}, "needs a region"),
    ],
)
def test_users_file_mistakes_are_refused(entry: dict, message: str) -> None:
    with pytest.raises(auth.AuthError, match=message):
        auth.parse_users({"users": {"someone": entry}})


def test_duplicate_email_is_refused() -> None:
    data = {
        "users": {
            "a": {"role": "viewer", "email": "x@example.org"},
            "b": {"role": "admin", "email": "X@example.org"},
        }
    }
    with pytest.raises(auth.AuthError, match="also used"):
        auth.parse_users(data)


def test_add_user_writes_a_hash_never_the_password(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "office" / "users.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("รหัส ใหม่ 1234\n"))
    code = cli_main(
        [
            "users",
            "add",
            str(path),
            "somchai",
            "--role",
            "regional_editor",
            "--region",
            "northeast",
            "--name",
            "สมชาย",
            "--password-stdin",
        ]
    )
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert "รหัส ใหม่ 1234" not in text and "scrypt$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    parsed = tomllib.loads(text)["users"]["somchai"]
    assert parsed["region"] == "northeast" and parsed["name"] == "สมชาย"
    users = auth.load_users(path)
    assert auth.authenticate(users, "somchai", "รหัส ใหม่ 1234").role == "regional_editor"
    # changing the role keeps the password; a second user keeps the first
    monkeypatch.setattr("sys.stdin", io.StringIO("อีกคน\n"))
    add = ["users", "add", str(path)]
    assert cli_main([*add, "malee", "--role", "viewer", "--password-stdin"]) == 0
    assert cli_main([*add, "somchai", "--role", "admin", "--no-password"]) == 0
    users = auth.load_users(path)
    assert auth.authenticate(users, "somchai", "รหัส ใหม่ 1234").role == "admin"
    assert auth.authenticate(users, "malee", "อีกคน").role == "viewer"
    # an editor without a region is refused and the file is left as it was
    before = path.read_text(encoding="utf-8")
    assert cli_main([*add, "x", "--role", "regional_editor", "--no-password"]) == 1
    assert path.read_text(encoding="utf-8") == before


# ---------------------------------------------------------------------------------------
# OIDC
# ---------------------------------------------------------------------------------------


SHARED = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s"}
PROVIDER = {
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
}


def test_oidc_providers_from_secrets() -> None:
    assert auth.oidc_providers({}) == []
    assert auth.oidc_providers({"auth": {**SHARED, **PROVIDER}}) == [None]
    named = {"auth": {**SHARED, "google": PROVIDER, "microsoft": PROVIDER, "bad_name": PROVIDER}}
    assert auth.oidc_providers(named) == ["google", "microsoft"]
    no_cookie = {"auth": {"redirect_uri": SHARED["redirect_uri"], **PROVIDER}}
    assert auth.oidc_providers(no_cookie) == []
    partial = {"auth": {**SHARED, "client_id": "id"}}
    assert auth.oidc_providers(partial) == []


def test_sign_in_method() -> None:
    hashed = auth.parse_users(
        {"users": {"a": {"role": "viewer", "password": auth.hash_password("x")}}}
    )
    email_only = auth.parse_users({"users": {"a": {"role": "viewer", "email": "a@b.org"}}})
    assert auth.sign_in_method({"auth": {**SHARED, **PROVIDER}}, hashed) == "oidc"
    assert auth.sign_in_method({}, hashed) == "users_file"
    assert auth.sign_in_method({}, email_only) == "none"


def test_user_from_oidc_claims(tmp_path: Path) -> None:
    users = auth.parse_users(tomllib.loads(_users_text(auth.hash_password("x"))))
    claims = {"is_logged_in": True, "email": "somchai@example.org", "email_verified": True}
    assert auth.user_from_claims(claims, users).username == "somchai"
    assert auth.user_from_claims({**claims, "is_logged_in": False}, users) is None
    assert auth.user_from_claims({**claims, "email_verified": False}, users) is None
    stranger = {"is_logged_in": True, "email": "new@example.org", "name": "คนใหม่"}
    guest = auth.user_from_claims(stranger, users)
    assert guest.role == "viewer" and guest.region is None  # the file's default role
    strict = auth.UsersFile(users.users, None)
    assert auth.user_from_claims(stranger, strict) is None


# ---------------------------------------------------------------------------------------
# roles and regions
# ---------------------------------------------------------------------------------------


def test_permissions_by_role() -> None:
    assert VIEWER.can("view") and VIEWER.can("export") and not VIEWER.can("import")
    assert EDITOR_NE.can("import") and EDITOR_NE.can("undo") and not EDITOR_NE.can("users")
    assert ADMIN.can("import") and ADMIN.can("users") and ADMIN.can("audit")


def test_default_region() -> None:
    assert rules.default_region(EDITOR_NE) == "northeast"
    assert rules.default_region(VIEWER) == "south"
    assert rules.default_region(ADMIN) is None
    assert rules.default_region(None) is None


def test_regional_editor_import_outside_region_lists_the_rows() -> None:
    rows = pd.DataFrame(
        {
            "level": ["tambon", "tambon", "province", "district", "region", "national", "tambon"],
            "code": ["300101", "500101", "34", "1001", "northeast", None, "999999"],
            "source_row": [2, 3, 4, 5, 6, 7, 8],
        }
    )
    offending = rules.check_import_allowed(EDITOR_NE, rows)
    assert [o.source_row for o in offending] == [3, 5, 7, 8]
    assert [o.row for o in offending] == [2, 4, 6, 7]
    chiang_mai, bangkok, national, unknown = offending
    assert chiang_mai.province_code == "50" and chiang_mai.province_th == "เชียงใหม่"
    assert chiang_mai.region == "north" and chiang_mai.region_th == "ภาคเหนือ"
    assert bangkok.province_th == "กรุงเทพมหานคร" and bangkok.region == "bangkok_east"
    assert "national" in national.reason and unknown.region is None
    message = rules.refusal_message(EDITOR_NE, offending)
    assert "4 แถว" in message and "ภาคตะวันออกเฉียงเหนือ" in message
    assert "แถว 3: เชียงใหม่ (ภาคเหนือ)" in message
    inside = rows.iloc[[0, 2, 4]]
    assert rules.check_import_allowed(EDITOR_NE, inside) == []


def test_admin_and_viewer_import_rules() -> None:
    rows = [ResultRow("baan_por_piang", 2569, 1, "tambon", "500101", source_row=9)]
    assert rules.check_import_allowed(ADMIN, rows) == []
    with pytest.raises(rules.PermissionDeniedError):
        rules.check_import_allowed(VIEWER, rows)
    with pytest.raises(rules.PermissionDeniedError):
        rules.check_undo_allowed(VIEWER, rows)
    (row,) = rules.check_import_allowed(EDITOR_NE, rows)  # ResultRow objects work too
    assert row.source_row == 9 and row.province_th == "เชียงใหม่"
    north = auth.User("a", "regional_editor", region="north")
    assert rules.check_undo_allowed(north, rows) == []


def test_refusal_message_is_capped() -> None:
    rows = pd.DataFrame({"level": ["tambon"] * 30, "code": ["500101"] * 30})
    message = rules.refusal_message(EDITOR_NE, rules.check_import_allowed(EDITOR_NE, rows), 5)
    assert message.count("\n- ") == 6 and "อีก 25 แถว" in message


# ---------------------------------------------------------------------------------------
# audit
# ---------------------------------------------------------------------------------------


def test_audit_records_round_trip(tmp_path: Path) -> None:
    bangkok_time = datetime(2026, 1, 15, 16, 30, tzinfo=timezone(timedelta(hours=7)))
    record = audit.audit_record(
        EDITOR_NE, "import", batch_id=12, programme="baan_por_piang", row_count=48, now=bangkok_time
    )
    assert record.when == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    assert (record.who, record.role, record.region) == ("somchai", "regional_editor", "northeast")
    undo = audit.audit_record(
        ADMIN, "undo", batch_id=12, programme="baan_por_piang", row_count=48, detail="ไฟล์ผิดไตรมาส"
    )
    log = tmp_path / "audit" / "audit.jsonl"
    audit.append_audit(log, record)
    audit.append_audit(log, undo)
    assert audit.read_audit(log) == [record, undo]
    assert log.read_text(encoding="utf-8").count("\n") == 2
    assert "ไฟล์ผิดไตรมาส" in log.read_text(encoding="utf-8")
    assert audit.read_audit(tmp_path / "none.jsonl") == []
    with pytest.raises(ValueError):
        audit.audit_record(ADMIN, "delete", batch_id=1, programme="x", row_count=0)  # type: ignore[arg-type]


def test_audit_log_path_from_the_environment(tmp_path: Path) -> None:
    assert audit.audit_log_path({"CODI_GEO_AUDIT_LOG": str(tmp_path / "a.jsonl")}) == (
        tmp_path / "a.jsonl")
    assert audit.audit_log_path({"CODI_GEO_DATA_DIR": str(tmp_path)}) == tmp_path / "audit.jsonl"
    assert audit.audit_log_path({}).name == "audit.jsonl"


def test_the_developer_fallback_is_an_admin_without_region() -> None:
    assert auth.DEVELOPER.role == "admin" and auth.DEVELOPER.region is None
    assert rules.default_region(auth.DEVELOPER) is None
    assert auth.sign_in_method({}, auth.UsersFile({})) == "none"


def test_session_cookie_signs_in_until_it_expires_or_the_password_changes() -> None:
    users = auth.add_user(auth.UsersFile({}), "somchai", role="viewer", password="รหัส-1")
    users = auth.add_user(users, "malee", role="admin", password="รหัส-2")
    now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    token = auth.session_token(users, "somchai", now=now)
    assert auth.verify_session(users, token, now=now).username == "somchai"
    later = now + timedelta(hours=auth.SESSION_HOURS - 1)
    assert auth.verify_session(users, token, now=later).username == "somchai"
    assert auth.verify_session(users, token, now=now + timedelta(hours=auth.SESSION_HOURS)) is None
    name, expires, mac = token.split(".")
    forged_name = base64.urlsafe_b64encode(b"malee").decode().rstrip("=")
    for forged in (f"{forged_name}.{expires}.{mac}",  # another user, same signature
                   f"{name}.{int(expires) + 86400}.{mac}",  # a longer life
                   f"{name}.{expires}.{mac[:-2]}AA", "", "a.b", "x.y.z", None):
        assert auth.verify_session(users, forged, now=now) is None, forged
    changed = auth.add_user(users, "somchai", role="viewer", password="รหัสใหม่")
    assert auth.verify_session(changed, token, now=now) is None  # a new password: signed out
    removed = auth.UsersFile({"malee": users.users["malee"]})
    assert auth.verify_session(removed, token, now=now) is None
    no_password = auth.add_user(auth.UsersFile({}), "somchai", role="viewer",
                                email="s@example.org")
    assert auth.verify_session(no_password, token, now=now) is None
