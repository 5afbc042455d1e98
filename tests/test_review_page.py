"""The moderation page under AppTest: an admin (the developer shortcut) sees the queue,
approves several pins at once and rejects one with a comment; the pins' states and the
disaster results follow. Not in a public deployment's pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codi_geo import settings
from codi_geo.access import pinning
from codi_geo.access.auth import User
from codi_geo.access.public import page_allowed
from codi_geo.results.community_pins import CommunityPins, PinQuery
from codi_geo.results.store import open_store
from tests.helpers import page_texts, point_app_at_store, run_page

REPORTER = User("nok", "reporter", "นก", None, None, "90", None)
POINTS = [(7.0086, 100.4747), (7.0200, 100.4700), (7.1900, 100.5950)]


@pytest.fixture()
def queue_env(boundary_cache, tmp_path, monkeypatch, dev_admin):
    url = point_app_at_store(
        monkeypatch, tmp_path, boundary_cache, CODI_GEO_SESSION_SECRET="s" * 40
    )
    store = open_store(url)
    now = datetime.now(UTC)
    ids = []
    for number, (lat, lon) in enumerate(POINTS):
        form = pinning.PinForm(
            f"review-{number:04d}",
            "flood",
            lat,
            lon,
            households=2,
            note=f"บ้าน <b>{number}</b> โทร 0812345678",
        )
        pin, _ = pinning.submit(
            store, pinning.Submitter(REPORTER, None, f"10.0.0.{number}"), form, now=now
        )
        ids.append(pin.id)
    yield store, ids
    store.close()
    settings.clear()


def test_the_review_page_is_never_public() -> None:
    assert not page_allowed("app_pages/9_review.py", public=True)
    assert page_allowed("app_pages/9_review.py", public=False)


def test_an_admin_clears_the_queue_from_the_page(queue_env) -> None:
    store, ids = queue_env
    at = run_page("review")
    assert not at.exception, at.exception
    shipped = store.count_results("disaster")  # the app loads the shipped figures first
    text = page_texts(at)
    assert "3 หมุด" in text
    assert "0812345678" not in text  # the masked note only in the list
    at.multiselect(key="w_review_chosen").set_value(ids[:2]).run()
    at.button(key="w_review_approve").click().run()
    assert not at.exception, at.exception
    assert "บันทึกแล้ว: 2 หมุด" in page_texts(at)
    assert store.count_results("disaster") == shipped + 2
    at.multiselect(key="w_review_chosen").set_value([ids[2]]).run()
    at.text_area(key="w_review_comment").input("ซ้ำกับหมุดอื่น").run()
    at.button(key="w_review_reject").click().run()
    assert not at.exception, at.exception
    pins = {p.id: p for p in CommunityPins(store).find(PinQuery())}
    assert [pins[i].state for i in ids] == ["approved", "approved", "rejected"]
    assert pins[ids[2]].moderator_comment == "ซ้ำกับหมุดอื่น"
    assert pins[ids[0]].moderated_by == "developer"
    assert "ไม่มีหมุดที่รอตรวจ" in page_texts(at)
