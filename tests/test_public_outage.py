"""A public app whose PostgreSQL server stops: every page says the data cannot be read just
now, with a reference for the log, and nothing of the database (host, port, user, driver,
SQL); when the server is back the pages recover without a restart. The outage is real: the
app reaches a real PostgreSQL server through a relay that is cut and restored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from synthetic.sample import fill_store
from tests.helpers import TcpOutage, empty_database, page_texts, run_page

pytestmark = pytest.mark.postgres
PAGES = ["overview", "model-tambons", "housing", "disasters", "sources"]
LEAKS = ("psycopg", "OperationalError", "postgres", "connection", "127.0.0.1", "SELECT",
         "Traceback")


@pytest.fixture()
def relayed(boundary_cache, tmp_path, monkeypatch):
    with empty_database("postgresql", tmp_path) as url:
        fill_store(url, boundary_cache)
        real = sa.make_url(url)
        relay = TcpOutage(real.host or "127.0.0.1", real.port or 5432)
        relay.start()
        through = real.set(host="127.0.0.1", port=relay.port)
        monkeypatch.setenv("CODI_GEO_DATABASE_URL",
                           through.render_as_string(hide_password=False))
        monkeypatch.setenv("CODI_GEO_MODE", "public")
        monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
        monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
        settings.clear()
        try:
            yield relay
        finally:
            relay.stop()
            settings.clear()


def _run(page: str) -> AppTest:
    at = run_page(page, fy="2569")
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_stopped_database_gives_a_generic_message_and_recovers(relayed, page) -> None:
    assert "อ่านข้อมูลไม่ได้" not in page_texts(_run(page))
    relayed.stop()
    down = _run(page)
    text = page_texts(down) + " ".join(str(e.value) for e in down.error)
    assert "ขณะนี้อ่านข้อมูลไม่ได้" in text and "รหัสอ้างอิง" in text
    port = str(relayed.port)
    for leak in (*LEAKS, port):
        assert leak not in text, leak
    relayed.start()
    back = _run(page)
    assert "อ่านข้อมูลไม่ได้" not in page_texts(back)
    assert back.title and not [e for e in back.error if "รหัสอ้างอิง" in str(e.value)]
