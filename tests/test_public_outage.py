"""A public app whose PostgreSQL server stops: every page the app serves to the public says
the data cannot be read just now, with a reference for the log, and nothing of the database
(host, port, user, driver, SQL); when the server is back the pages recover without a
restart. The outage is real: the app reaches a real PostgreSQL server through a relay that is
cut and restored. Both ways the public is served: public mode, and an internal app without
sign-in (it fails closed)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from codi_geo.ui.widgets import page_url, pages_for
from synthetic.sample import fill_store
from tests.helpers import TcpOutage, empty_database, page_texts, run_page

pytestmark = pytest.mark.postgres
# The pages the app serves to the public, from its own list.
PAGES = [page_url(path) for path, _, _ in pages_for(public=True)]
SERVING = {"public_mode": {"CODI_GEO_MODE": "public"}, "fail_closed": {}}
LEAKS = (
    "psycopg",
    "OperationalError",
    "postgres",
    "connection",
    "127.0.0.1",
    "SELECT",
    "Traceback",
)


@pytest.fixture(scope="module", params=list(SERVING))
def relayed(request, boundary_cache, tmp_path_factory):
    """One filled database per way of serving, behind a relay each test cuts and restores
    (the pages never write to it)."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    with empty_database("postgresql", tmp_path) as url, pytest.MonkeyPatch.context() as monkeypatch:
        fill_store(url, boundary_cache)
        real = sa.make_url(url)
        relay = TcpOutage(real.host or "127.0.0.1", real.port or 5432)
        relay.start()
        through = real.set(host="127.0.0.1", port=relay.port)
        monkeypatch.setenv("CODI_GEO_DATABASE_URL", through.render_as_string(hide_password=False))
        monkeypatch.delenv("CODI_GEO_MODE", raising=False)
        # no users file and no OIDC: an internal app has no sign-in and fails closed
        monkeypatch.setenv("CODI_GEO_USERS_FILE", str(tmp_path / "no-users.toml"))
        for name, value in SERVING[request.param].items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
        monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
        settings.clear()
        try:
            yield relay, real.database  # the database's name: never shown either
        finally:
            relay.stop()
            settings.clear()


def _run(page: str) -> AppTest:
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_stopped_database_gives_a_generic_message_and_recovers(relayed, page) -> None:
    relay, database = relayed
    settings.clear()  # the module's environment, after other tests' settings
    assert "อ่านข้อมูลไม่ได้" not in page_texts(_run(page))
    relay.stop()
    down = _run(page)
    text = page_texts(down) + " ".join(str(e.value) for e in down.error)
    assert "ขณะนี้อ่านข้อมูลไม่ได้" in text and "รหัสอ้างอิง" in text
    port = str(relay.port)
    for leak in (*LEAKS, port, database):
        assert leak not in text, leak
    relay.start()
    back = _run(page)
    assert "อ่านข้อมูลไม่ได้" not in page_texts(back)
    assert back.title and not [e for e in back.error if "รหัสอ้างอิง" in str(e.value)]
