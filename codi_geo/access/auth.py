"""Who someone is: users, passwords and sign-in for the internal app.

Pure: no Streamlit (the page layer, ``codi_geo/ui/signin.py``, calls ``st.login`` /
``st.user`` and hands the claims here). What a signed-in user may do is in
``codi_geo.access.rules``. Two ways to sign in:

1. **OIDC** (Google, Microsoft Entra ID, Okta …) through Streamlit's ``st.login``, when
   ``.streamlit/secrets.toml`` has an ``[auth]`` section (needs the ``Authlib>=1.3.2``
   package)::

       [auth]
       redirect_uri = "https://maps.example.org/oauth2callback"
       cookie_secret = "a long random string"
       client_id = "…"
       client_secret = "…"
       server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"

   The identity provider says who someone is; the users file below says what they may do
   (matched on ``email``). Nobody in the file: no access, unless ``oidc_default_role``.

2. **A users file** for a single office without an identity provider
   (``CODI_GEO_USERS_FILE``, default ``data/users.toml``, never committed)::

       [settings]
       oidc_default_role = "viewer"          # optional, OIDC only

       [users.somchai]
       name = "สมชาย ใจดี"
       email = "somchai@example.org"          # for OIDC sign-in
       role = "regional_editor"               # reporter | viewer | regional_editor | admin
       region = "northeast"                   # a CODI region id (required for editors)
       area = "9011"                          # reporters: a province/district/tambon code
       network = "เครือข่ายบ้านมั่นคงสงขลา"       # reporters: the network they pin for (without
                                              # an area: in its region, required then)
       password = "scrypt$16384$8$1$<salt>$<hash>"   # for the users-file sign-in

   Add a user or reset a password with
   ``python -m codi_geo users add data/users.toml somchai --role regional_editor
   --region northeast`` (asks for the password; only the salted scrypt hash is written).
   A plain-text password in the file is refused at load time. Sessions (a server-side
   record, an HttpOnly cookie) are in ``codi_geo.access.sessions``.

3. Neither, or either configured badly (no users file, a broken one, OIDC users without a
   complete ``[auth]`` section): the app **fails closed**, serving the read-only public
   pages to everyone with a note for the operator (``sign_in_setup``). Import and undo stay
   on the command line. A developer machine may open as ``DEVELOPER`` (an admin) only with
   ``CODI_GEO_DEV_ADMIN=1`` and a server listening on 127.0.0.1 / localhost only, under a
   banner on every page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from codi_geo.access.rules import ROLES, Role, User
from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.settings import Settings, get_settings

# scrypt cost: n=2**14, r=8, p=1 (16 MiB, tens of milliseconds), the common interactive
# setting; stored with each hash so it can be raised later without breaking old hashes.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
HASH_PREFIXES = ("scrypt$", "pbkdf2_sha256$")


class AuthError(CodiGeoError, ValueError):
    """A users file or account problem."""


# Who a developer machine runs as with ``CODI_GEO_DEV_ADMIN=1`` (see ``sign_in_setup``).
DEVELOPER = User("developer", "admin", "นักพัฒนา (ไม่มีการลงชื่อเข้าใช้)")


@dataclass(frozen=True)
class UserRecord:
    """One entry of the users file (the password hash stays here, not on ``User``)."""

    user: User
    password_hash: str | None = None


@dataclass(frozen=True)
class UsersFile:
    users: dict[str, UserRecord]
    oidc_default_role: Role | None = None


# ---------------------------------------------------------------------------------------
# Passwords
# ---------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(
    password: str,
    *,
    salt: bytes | None = None,
    n: int = SCRYPT_N,
    r: int = SCRYPT_R,
    p: int = SCRYPT_P,
) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64), with a fresh 16-byte random salt."""
    if not password:
        raise AuthError("รหัสผ่านว่างไม่ได้", "the password must not be empty")
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=32
    )
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches ``stored`` (scrypt or pbkdf2_sha256), in constant time.
    A malformed hash never matches."""
    try:
        kind, *fields = stored.split("$")
        if kind == "scrypt":
            n, r, p, salt, expected = fields
            digest = hashlib.scrypt(
                password.encode("utf-8"),
                salt=base64.b64decode(salt),
                n=int(n),
                r=int(r),
                p=int(p),
                maxmem=256 * int(n) * int(r),
                dklen=len(base64.b64decode(expected)),
            )
        elif kind == "pbkdf2_sha256":
            iterations, salt, expected = fields
            digest = hashlib.pbkdf2_hmac(
                "sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations)
            )
        else:
            return False
        return hmac.compare_digest(digest, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


# ---------------------------------------------------------------------------------------
# Users file
# ---------------------------------------------------------------------------------------


def users_file_path(environ: Mapping[str, str] | None = None) -> Path:
    return (get_settings() if environ is None else Settings.from_env(environ)).users_file


def _check_role(role: Any, where: str) -> Role:
    if role not in ROLES:
        raise AuthError(
            f"{where}: บทบาท {role!r} ไม่ถูกต้อง (ใช้ได้: {', '.join(ROLES)})",
            f"{where}: unknown role {role!r} (one of {', '.join(ROLES)})",
        )
    return role


def _check_region(region: Any, where: str) -> str | None:
    if region is None or region == "":
        return None
    if region not in gazetteer.REGION_BY_ID:
        regions = ", ".join(gazetteer.REGION_BY_ID)
        raise AuthError(
            f"{where}: ภาค {region!r} ไม่ถูกต้อง (ใช้ได้: {regions})",
            f"{where}: unknown CODI region {region!r} (one of {regions})",
        )
    return str(region)


def _check_scope(
    entry: Mapping[str, Any], role: str, region: str | None, where: str
) -> tuple[str | None, str | None]:
    """A reporter's area (a DOPA province, district or tambon code) and network; a network's
    reporter without an area pins in its region."""
    area = str(entry.get("area") or "").strip() or None
    network = str(entry.get("network") or "").strip() or None
    if area is not None and (
        len(area) not in (2, 4, 6) or not area.isdigit() or gazetteer.name_of(area) is None
    ):
        raise AuthError(
            f"{where}: พื้นที่ {area!r} ไม่ใช่รหัสจังหวัด อำเภอ หรือตำบล",
            f"{where}: area {area!r} is not a province, district or tambon code",
        )
    if role == "reporter" and area is None and network is None:
        raise AuthError(
            f"{where}: ผู้ปักหมุดชุมชนต้องระบุ area หรือ network",
            f"{where}: a reporter needs an area or a network",
        )
    if role == "reporter" and area is None and region is None:
        # a network pins in its region: without one its reporters could pin anywhere
        raise AuthError(
            f"{where}: ผู้ปักหมุดของเครือข่ายที่ไม่มี area ต้องระบุ region ของเครือข่าย",
            f"{where}: a network's reporter without an area needs the network's region",
        )
    return area, network


def parse_users(data: Mapping[str, Any], source: str = "users file") -> UsersFile:
    """Check and read the parsed TOML of a users file."""
    settings = data.get("settings", {})
    default_role = settings.get("oidc_default_role")
    if default_role is not None:
        _check_role(default_role, f"{source} [settings]")
    users: dict[str, UserRecord] = {}
    emails: dict[str, str] = {}
    for username, entry in (data.get("users") or {}).items():
        where = f"{source} [users.{username}]"
        if not isinstance(entry, Mapping):
            raise AuthError(f"{where}: ต้องเป็นตาราง", f"{where}: must be a table")
        role = _check_role(entry.get("role"), where)
        region = _check_region(entry.get("region"), where)
        if role == "regional_editor" and region is None:
            raise AuthError(
                f"{where}: ผู้นำเข้าข้อมูลระดับภาคต้องระบุ region",
                f"{where}: a regional editor needs a region",
            )
        area, network = _check_scope(entry, role, region, where)
        password = entry.get("password")
        if password is not None and not str(password).startswith(HASH_PREFIXES):
            raise AuthError(
                f"{where}: รหัสผ่านต้องเก็บเป็นค่าแฮช ไม่ใช่ข้อความ ใช้คำสั่ง `python -m codi_geo users add`",
                f"{where}: the password must be a salted hash, not plain text: set it with "
                f"`python -m codi_geo users add`",
            )
        email = str(entry["email"]).strip().lower() if entry.get("email") else None
        if email:
            if email in emails:
                raise AuthError(
                    f"{where}: อีเมล {email} ซ้ำกับผู้ใช้ {emails[email]}",
                    f"{where}: email {email} also used by {emails[email]}",
                )
            emails[email] = username
        user = User(str(username), role, str(entry.get("name", "")), email, region, area, network)
        users[str(username)] = UserRecord(user, password)
    return UsersFile(users, default_role)


def load_users(path: Path | None = None) -> UsersFile:
    """Read the users file (empty when it does not exist)."""
    path = Path(path) if path else users_file_path()
    if not path.exists():
        return UsersFile({})
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise AuthError(
            f"{path}: อ่านไฟล์ผู้ใช้ไม่ได้: {error}", f"{path}: cannot read users file: {error}"
        ) from None
    return parse_users(data, str(path))


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def users_toml(users: UsersFile) -> str:
    """The users file text for ``users`` (what ``users add`` writes)."""
    lines = [
        "# codi-geo users. Passwords are salted scrypt hashes; never write one by hand.",
        "# Add or change a user: python -m codi_geo users add FILE USERNAME …",
        "",
    ]
    if users.oidc_default_role:
        lines += ["[settings]", f"oidc_default_role = {_toml_string(users.oidc_default_role)}", ""]
    for username in sorted(users.users):
        record = users.users[username]
        lines.append(f"[users.{_toml_string(username)}]")
        user = record.user
        for key, value in (
            ("name", user.name),
            ("email", user.email),
            ("role", user.role),
            ("region", user.region),
            ("area", user.area),
            ("network", user.network),
            ("password", record.password_hash),
        ):
            if value:
                lines.append(f"{key} = {_toml_string(value)}")
        lines.append("")
    return "\n".join(lines)


def add_user(
    users: UsersFile,
    username: str,
    *,
    role: str,
    region: str | None = None,
    name: str = "",
    email: str | None = None,
    password: str | None = None,
    area: str | None = None,
    network: str | None = None,
) -> UsersFile:
    """``users`` with ``username`` added or replaced (checked like a loaded file)."""
    data: dict[str, Any] = {
        "settings": {"oidc_default_role": users.oidc_default_role}
        if users.oidc_default_role
        else {},
        "users": {
            k: {
                key: value
                for key, value in (
                    ("name", r.user.name),
                    ("email", r.user.email),
                    ("role", r.user.role),
                    ("region", r.user.region),
                    ("area", r.user.area),
                    ("network", r.user.network),
                    ("password", r.password_hash),
                )
                if value
            }
            for k, r in users.users.items()
        },
    }
    entry: dict[str, Any] = {"role": role}
    previous = users.users.get(username)
    for key, value in (
        ("name", name),
        ("email", email),
        ("region", region),
        ("area", area),
        ("network", network),
    ):
        if value:
            entry[key] = value
    if password:
        entry["password"] = hash_password(password)
    elif previous and previous.password_hash:
        entry["password"] = previous.password_hash
    data["users"][username] = entry
    return parse_users(data)


def authenticate(users: UsersFile, username: str, password: str) -> User | None:
    """The user if the name and password match the users file, else None. The password is
    checked (against a dummy hash) even for unknown names, so timing does not reveal them."""
    record = users.users.get(username.strip())
    stored = record.password_hash if record and record.password_hash else _dummy_hash()
    matched = verify_password(password, stored)
    return record.user if (record and record.password_hash and matched) else None


@cache
def _dummy_hash() -> str:
    return hash_password("not a password", salt=b"\0" * 16)


# ---------------------------------------------------------------------------------------
# OIDC (st.login): configuration and claims -> user
# ---------------------------------------------------------------------------------------

OIDC_SHARED_KEYS = ("redirect_uri", "cookie_secret")
OIDC_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def oidc_providers(secrets_data: Mapping[str, Any]) -> list[str | None]:
    """Providers ``st.login`` can use from the secrets: ``None`` for the default provider
    (keys directly in ``[auth]``) and the names of ``[auth.NAME]`` sections. Empty when
    OIDC is not (completely) configured. Names with ``_`` are skipped (Streamlit refuses
    them)."""
    auth = secrets_data.get("auth")
    if not isinstance(auth, Mapping) or any(k not in auth for k in OIDC_SHARED_KEYS):
        return []
    found: list[str | None] = []
    if all(k in auth for k in OIDC_PROVIDER_KEYS):
        found.append(None)
    for name, section in auth.items():
        if (
            isinstance(section, Mapping)
            and "_" not in name
            and all(k in section for k in OIDC_PROVIDER_KEYS)
        ):
            found.append(str(name))
    return found


SignIn = Literal["oidc", "users_file", "dev_admin", "closed"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(address: str | None) -> bool:
    """Does the server listen on this machine only? (An empty address: every interface.)"""
    address = (address or "").strip().lower()
    return address in LOOPBACK or address.startswith("127.")


@dataclass(frozen=True)
class SignInSetup:
    """How the internal app signs people in, and, when it cannot, why (for the operator:
    logged, never shown in full to visitors)."""

    method: SignIn
    users: UsersFile
    problem: str = ""  # English, for the server log

    @property
    def closed(self) -> bool:
        return self.method == "closed"


def sign_in_setup(
    secrets_data: Mapping[str, Any],
    users_path: Path,
    *,
    dev_admin: bool = False,
    server_address: str | None = None,
) -> SignInSetup:
    """OIDC when ``[auth]`` is complete; else the users file when it has users with
    passwords; else ``dev_admin`` when ``CODI_GEO_DEV_ADMIN`` is set and the server listens
    on 127.0.0.1 only; else **closed** (read-only public pages; never admin by default)."""
    problems: list[str] = []
    users = UsersFile({})
    if not users_path.exists():
        problems.append(f"the users file {users_path} does not exist")
    else:
        try:
            users = load_users(users_path)
        except AuthError as error:
            problems.append(f"the users file cannot be used: {error.en}")
    if oidc_providers(secrets_data):
        return SignInSetup("oidc", users)
    auth = secrets_data.get("auth")
    if isinstance(auth, Mapping):
        missing = [k for k in (*OIDC_SHARED_KEYS, *OIDC_PROVIDER_KEYS) if k not in auth]
        problems.append(
            "the [auth] section of .streamlit/secrets.toml is incomplete"
            + (f" (missing {', '.join(missing)})" if missing else "")
        )
    if any(r.password_hash for r in users.users.values()):
        return SignInSetup("users_file", users)
    if users.users:
        problems.append("no user in the users file has a password, and OIDC is not configured")
    if dev_admin:
        if is_loopback(server_address):
            return SignInSetup("dev_admin", users)
        problems.append(
            f"CODI_GEO_DEV_ADMIN is ignored: the server listens on "
            f"{server_address or 'every interface'}, not 127.0.0.1 only"
        )
    return SignInSetup("closed", users, "; ".join(problems) or "no sign-in is configured")


def user_from_claims(claims: Mapping[str, Any], users: UsersFile) -> User | None:
    """The user for an OIDC identity (``st.user`` as a dict): matched on a verified email
    in the users file; else a ``oidc_default_role`` user without region; else None."""
    if not claims.get("is_logged_in"):
        return None
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        return None
    for record in users.users.values():
        if record.user.email == email:
            return record.user
    if users.oidc_default_role:
        return User(email, users.oidc_default_role, str(claims.get("name") or ""), email)
    return None
