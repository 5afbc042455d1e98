"""Sign-in for the internal app (the rules are in ``codi_geo.access.auth``):

1. ``.streamlit/secrets.toml`` has an ``[auth]`` section → ``st.login`` (OIDC) and
   ``st.user``; the users file says what the person may do (``auth.user_from_claims``).
2. else a users file (``CODI_GEO_USERS_FILE``, default ``data/users.toml``) with passwords →
   a username / password form (``auth.authenticate``); a signed cookie
   (``auth.session_token``, 12 hours) keeps the user signed in across reloads and tabs.
3. else (a developer machine with neither) → open as ``auth.DEVELOPER`` (an admin) under a
   warning banner saying sign-in is not configured.

A public deployment (``CODI_GEO_MODE=public``) never signs anyone in.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from codi_geo.access import auth
from codi_geo.access.auth import User
from codi_geo.places import gazetteer
from codi_geo.text import t

SESSION_USERNAME = "_codi_username"  # users-file sign-in: who signed in in this session
SESSION_USER = "_codi_user"  # the user of this run (any method)
_COOKIE_TO_WRITE = "_codi_cookie"  # a session cookie to set (or "" to clear) in this run
_SIGNED_OUT = "_codi_signed_out"  # signed out in this session: its request cookie is stale


def secrets_data() -> dict[str, Any]:
    """``st.secrets`` as a dict, empty when there is no secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml (or an unreadable one: then no OIDC either)
        return {}


def _user_info() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:
        return {}


def current_user() -> User | None:
    """The signed-in user of this run (set by ``require_user``)."""
    return st.session_state.get(SESSION_USER)


def role_label(user: User, lang: str) -> str:
    if user.role == "regional_editor":
        region = gazetteer.REGION_BY_ID.get(user.region or "")
        name = region.name.get(lang) if region else "-"
        return t("role_regional_editor", lang, region=name)
    return t(f"role_{user.role}", lang)


def require_user(lang: str) -> User:
    """The user of this run; draws the sign-in (and stops the run) when nobody is signed
    in. Never returns None."""
    st.session_state.pop(SESSION_USER, None)
    try:
        users = auth.load_users(auth.users_file_path())
    except auth.AuthError as error:  # a broken users file keeps the app closed
        st.error(f"**{t('users_file_error', lang)}**\n\n{error}")
        st.stop()
    method = auth.sign_in_method(secrets_data(), users)
    if method == "oidc":
        user = _oidc_user(users, lang)
    elif method == "users_file":
        user = _users_file_user(users, lang)
    else:
        st.warning(t("auth_not_configured", lang), icon=":material/lock_open:")
        user = auth.DEVELOPER
    st.session_state[SESSION_USER] = user
    return user


def _oidc_user(users: auth.UsersFile, lang: str) -> User:
    info = _user_info()
    if not info.get("is_logged_in"):
        providers = auth.oidc_providers(secrets_data())
        st.title(t("sign_in_title", lang))
        st.write(t("sign_in_intro", lang))
        for provider in providers:
            label = t("sign_in_with", lang) + (f" ({provider})" if provider else "")
            if st.button(label, type="primary", key=f"login_{provider or 'default'}"):
                if provider:
                    st.login(provider)
                else:
                    st.login()
        st.stop()
    user = auth.user_from_claims(info, users)
    if user is None:
        st.error(t("no_access", lang, email=info.get("email") or "-"))
        if st.button(t("sign_out", lang), key="logout_no_access"):
            st.logout()
        st.stop()
    return user


def _cookie_script(value: str) -> str:
    """JavaScript that sets the session cookie (or clears it, for an empty value)."""
    secure = "; Secure" if str(st.context.url or "").startswith("https:") else ""
    age = auth.SESSION_HOURS * 3600 if value else 0
    return (f'<script>document.cookie = "{auth.SESSION_COOKIE}={value}; Path=/; '
            f'Max-Age={age}; SameSite=Strict{secure}";</script>')


def _write_cookie() -> None:
    """Set or clear the session cookie asked for in the previous run (a script that runs in
    the page; Streamlit has no server-side cookie API)."""
    value = st.session_state.pop(_COOKIE_TO_WRITE, None)
    if value is not None:
        with st.sidebar:
            st.html(_cookie_script(value), unsafe_allow_javascript=True)


def _users_file_user(users: auth.UsersFile, lang: str) -> User:
    _write_cookie()
    username = st.session_state.get(SESSION_USERNAME)
    if not username and not st.session_state.get(_SIGNED_OUT):
        # a new session (reload, new tab): the signed cookie, if still valid
        remembered = auth.verify_session(users, st.context.cookies.get(auth.SESSION_COOKIE))
        if remembered is not None:
            username = st.session_state[SESSION_USERNAME] = remembered.username
    record = users.users.get(username) if username else None
    if record is not None and record.password_hash:
        return record.user
    st.session_state.pop(SESSION_USERNAME, None)
    st.title(t("sign_in_title", lang))
    st.write(t("sign_in_intro", lang))
    with st.form("sign_in", enter_to_submit=True):
        name = st.text_input(t("username", lang), key="w_username", autocomplete="username")
        password = st.text_input(t("password", lang), type="password", key="w_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("sign_in_button", lang), type="primary")
    if submitted:
        if not name.strip() or not password:
            st.error(t("sign_in_missing", lang))
        else:
            user = auth.authenticate(users, name, password)
            if user is None:
                st.error(t("sign_in_failed", lang))
            else:
                st.session_state[SESSION_USERNAME] = user.username
                st.session_state[_COOKIE_TO_WRITE] = auth.session_token(users, user.username)
                st.session_state.pop(_SIGNED_OUT, None)
                st.rerun()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def sidebar_status(user: User, lang: str) -> None:
    """Who is signed in, in which role, and a way out."""
    st.caption(t("signed_in_as", lang, name=user.display_name, role=role_label(user, lang)))
    if user is auth.DEVELOPER:
        return
    if st.button(t("sign_out", lang), key="sign_out", icon=":material/logout:"):
        if st.session_state.pop(SESSION_USERNAME, None):
            st.session_state[_COOKIE_TO_WRITE] = ""  # forget the session cookie too
            st.session_state[_SIGNED_OUT] = True
        st.session_state.pop(SESSION_USER, None)
        if _user_info().get("is_logged_in"):
            st.logout()
        st.rerun()
