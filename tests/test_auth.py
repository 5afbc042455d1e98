"""Users, passwords, roles, region rules and the audit record."""

from __future__ import annotations

import base64
import hashlib
import io
import stat
import tomllib
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


def _setup(
    tmp_path: Path, text: str | None, secrets: dict | None = None, **options
) -> auth.SignInSetup:
    path = tmp_path / f"users{len(list(tmp_path.iterdir()))}.toml"  # a new file each time
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return auth.sign_in_setup(secrets or {}, path, **options)


def test_sign_in_fails_closed_unless_it_is_set_up(tmp_path: Path) -> None:
    """Never admin by default: no users file, a typo in its name, a broken one, OIDC users
    without a complete [auth] section all close the app (read-only public pages)."""
    hashed = _users_text(auth.hash_password("x"))
    email_only = '[users.a]\nrole = "admin"\nemail = "a@b.org"\n'
    assert _setup(tmp_path, hashed, {"auth": {**SHARED, **PROVIDER}}).method == "oidc"
    assert _setup(tmp_path, hashed).method == "users_file"
    missing = _setup(tmp_path, None)
    assert missing.closed and "does not exist" in missing.problem
    broken = _setup(tmp_path, '[users.x]\nrole = "admin"\npassword = "plain"\n')
    assert broken.closed and "cannot be used" in broken.problem
    oidc_only = _setup(tmp_path, email_only, {"auth": {**SHARED, "client_id": "id"}})
    assert oidc_only.closed and "incomplete (missing client_secret" in oidc_only.problem
    assert _setup(tmp_path, email_only).closed
    assert not tomllib.loads(email_only)["users"]["a"].get("password")


def test_the_developer_shortcut_needs_the_setting_and_a_loopback_address(tmp_path: Path) -> None:
    for address in ("127.0.0.1", "localhost", "::1"):
        assert _setup(tmp_path, None, dev_admin=True, server_address=address).method == (
            "dev_admin"
        )
    for address in ("", "0.0.0.0", "192.168.1.20", "::"):
        found = _setup(tmp_path, None, dev_admin=True, server_address=address)
        assert found.closed and "CODI_GEO_DEV_ADMIN is ignored" in found.problem
    assert _setup(tmp_path, None, server_address="127.0.0.1").closed  # not asked for
    hashed = _users_text(auth.hash_password("x"))  # a real sign-in wins over the shortcut
    assert (
        _setup(tmp_path, hashed, dev_admin=True, server_address="127.0.0.1").method == "users_file"
    )


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
    assert "national" in national.reason.en and unknown.region is None
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


def test_audit_entries() -> None:
    entry = audit.entry_for(EDITOR_NE, "import", programme="baan_por_piang", row_count=48)
    assert (entry.who, entry.role, entry.region) == ("somchai", "regional_editor", "northeast")
    failed = audit.entry_for(None, "sign_in_failed", who="mallory", client="10.0.0.9")
    assert (failed.who, failed.role, failed.client) == ("mallory", "", "10.0.0.9")
    assert '"action": "sign_in_failed"' in failed.to_json()
    with pytest.raises(ValueError):
        audit.entry_for(ADMIN, "delete")


def test_the_developer_user_is_an_admin_without_region() -> None:
    assert auth.DEVELOPER.role == "admin" and auth.DEVELOPER.region is None
    assert rules.default_region(auth.DEVELOPER) is None
