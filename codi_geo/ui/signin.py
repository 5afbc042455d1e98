"""Sign-in for the internal app (the rules are in ``codi_geo.access.auth`` and
``codi_geo.access.sessions``):

1. ``.streamlit/secrets.toml`` has a complete ``[auth]`` section → ``st.login`` (OIDC) and
   ``st.user``; the users file says what the person may do (``auth.user_from_claims``).
2. else a users file (``CODI_GEO_USERS_FILE``, default ``data/users.toml``) with passwords →
   a username / password form (``auth.authenticate``), rate-limited per user and per client;
   a server-side session (``sessions.Sessions``) whose token only the server routes of
   ``serve.py`` put in an HttpOnly cookie, so a reload or a new tab stays signed in.
3. ``CODI_GEO_DEV_ADMIN=1`` on a server listening on 127.0.0.1 only → ``auth.DEVELOPER``
   (an admin), with a banner on every page.
4. else → **closed**: the public, read-only pages for everyone, a note, and the reason in
   the server log. Never admin by default.

A public deployment (``CODI_GEO_MODE=public``) never signs anyone in.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import streamlit as st

from codi_geo.access import audit, auth, sessions
from codi_geo.access.auth import SignInSetup
from codi_geo.access.rules import User
from codi_geo.places import gazetteer
from codi_geo.settings import get_settings
from codi_geo.text import t
from codi_geo.ui import guard, loaders, session_routes
from codi_geo.ui import state as ui_state

SESSION_ID = "_codi_session_id"  # users-file sign-in: this tab's session (server memory)
SESSION_USER = "_codi_user"  # the user of this run (any method)
_HANDOFF = "_codi_handoff"  # a hand-off code to post to the cookie route in this run
_SIGN_OUT = "_codi_sign_out"  # post to the sign-out route (clears the cookie) in this run
log = logging.getLogger("codi_geo")
_logged_problems: set[str] = set()


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


def setup() -> SignInSetup:
    """How this run signs people in (read each run: fixing the users file takes effect at
    once). A closed setup's reason is logged once per process."""
    found = auth.sign_in_setup(
        secrets_data(),
        auth.users_file_path(),
        dev_admin=get_settings().dev_admin,
        server_address=str(st.get_option("server.address") or ""),
    )
    if found.closed and found.problem not in _logged_problems:
        _logged_problems.add(found.problem)
        log.warning("sign-in is closed, serving the public pages read-only: %s", found.problem)
    return found


def require_user(found: SignInSetup, lang: str) -> User:
    """The user of this run; draws the sign-in (and stops the run) when nobody is signed
    in. Not for a closed setup. Never returns None."""
    st.session_state.pop(SESSION_USER, None)
    if found.method == "oidc":
        user = _oidc_user(found.users, lang)
    elif found.method == "users_file":
        user = _users_file_user(found.users, lang)
    elif found.method == "dev_admin":
        user = auth.DEVELOPER
    else:
        raise ValueError("a closed sign-in has no user")
    st.session_state[SESSION_USER] = user
    return user


def banner(found: SignInSetup, lang: str) -> None:
    """What every page says about how it was opened, when it is not a normal sign-in: in the
    sidebar, so the map keeps the first screen (developer mode as a badge, its warning in
    the badge's help)."""
    if found.method == "dev_admin":
        st.sidebar.caption(
            f":orange-badge[:material/lock_open: {t('dev_admin_badge', lang)}]",
            help=t("dev_admin_banner", lang),
        )
    elif found.closed:
        st.sidebar.info(t("closed_note", lang), icon=":material/lock:")


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
        st.error(t("no_access", lang, email=guard.plain(info.get("email") or "-")))
        if st.button(t("sign_out", lang), key="logout_no_access"):
            st.logout()
        st.stop()
    return user


def _post_script(path: str, fields: dict[str, str]) -> str:
    """A script that posts ``fields`` (and the page's own path, to come back to) to one of
    the session routes, from the top window, so the route's cookie applies to the app."""
    base = ui_state.base_url_path().strip("/")
    action = f"/{base}{path}" if base else path
    data = json.dumps(fields).replace("<", "\\u003c")
    return (
        "<script>(function(){const f=document.createElement('form');f.method='POST';"
        f"f.action={json.dumps(action)};const d={data};"
        "d.next=window.location.pathname+window.location.search;"
        "for(const k in d){const i=document.createElement('input');i.type='hidden';"
        "i.name=k;i.value=d[k];f.appendChild(i);}"
        "document.body.appendChild(f);f.submit();})();</script>"
    )


def _run_route_posts() -> None:
    """Set or clear the HttpOnly cookie through the server routes, when asked in the last run
    (a Streamlit script cannot set one itself)."""
    code = st.session_state.pop(_HANDOFF, None)
    sign_out = st.session_state.pop(_SIGN_OUT, None)
    if not session_routes.mounted():
        return
    if code:
        st.html(
            _post_script(session_routes.SESSION_PATH, {"code": code}), unsafe_allow_javascript=True
        )
    elif sign_out:
        st.html(_post_script(session_routes.SIGNOUT_PATH, {}), unsafe_allow_javascript=True)


def client_id() -> str:
    """The visitor's address, for the per-client limit (``local`` on this machine)."""
    try:
        return str(st.context.ip_address or "local")
    except Exception:
        return "unknown"


def _store():
    try:
        return loaders.store()
    except guard.StoreUnavailableError as error:  # no store, no sessions
        guard.store_unavailable(error, "th")
        st.stop()


def _users_file_user(users: auth.UsersFile, lang: str) -> User:
    store = _store()
    live = sessions.Sessions(store)
    _run_route_posts()
    session_id = st.session_state.get(SESSION_ID)
    if session_id is not None:
        user = live.check_id(users, session_id)
        if user is not None:
            return user
        st.session_state.pop(SESSION_ID, None)  # signed out elsewhere, expired, or changed
    found = live.check_token(users, st.context.cookies.get(sessions.SESSION_COOKIE))
    if found is not None:  # a new tab or a reload, with a session cookie still valid
        st.session_state[SESSION_ID] = found[0]
        return found[1]
    st.title(t("sign_in_title", lang))
    st.write(t("sign_in_intro", lang))
    with st.form("sign_in", enter_to_submit=True):
        name = st.text_input(
            t("username", lang), key="w_username", autocomplete="username", max_chars=200
        )
        password = st.text_input(
            t("password", lang),
            type="password",
            key="w_password",
            autocomplete="current-password",
            max_chars=1000,
        )
        submitted = st.form_submit_button(t("sign_in_button", lang), type="primary")
    if submitted:
        _check_password(store, live, users, name, password, lang)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _check_password(
    store, live: sessions.Sessions, users: auth.UsersFile, name: str, password: str, lang: str
) -> None:
    if not name.strip() or not password:
        st.error(t("sign_in_missing", lang))
        return
    client = client_id()
    limiter = sessions.SignInLimiter(store)
    wait = limiter.wait(name, client)
    if wait:  # not even checked: guessing gets slower, whoever guesses
        st.error(t("sign_in_wait", lang, seconds=wait))
        return
    user = auth.authenticate(users, name, password)
    if user is None:
        limiter.failed(name, client)
        audit.record(
            store, audit.entry_for(None, "sign_in_failed", who=name.strip()[:200], client=client)
        )
        st.error(t("sign_in_failed", lang))
        return
    limiter.succeeded(name)
    record = users.users[user.username]
    opened = live.open(user.username, record.password_hash, client=client)
    audit.record(store, audit.entry_for(user, "sign_in", client=client))
    st.session_state[SESSION_ID] = opened.session_id
    st.session_state[_HANDOFF] = opened.handoff_code
    st.rerun()


def sidebar_status(user: User, lang: str) -> None:
    """Who is signed in, in which role, and a way out."""
    st.caption(
        t("signed_in_as", lang, name=guard.plain(user.display_name), role=role_label(user, lang))
    )
    if user is auth.DEVELOPER:
        return
    if st.button(t("sign_out", lang), key="sign_out", icon=":material/logout:"):
        session_id = st.session_state.pop(SESSION_ID, None)
        if session_id is not None:
            store = _store()
            sessions.Sessions(store).revoke(session_id=session_id)
            audit.record(store, audit.entry_for(user, "sign_out", client=client_id()))
            st.session_state[_SIGN_OUT] = True  # and clear the cookie (a server route)
        st.session_state.pop(SESSION_USER, None)
        if _user_info().get("is_logged_in"):
            st.logout()
        st.rerun()
