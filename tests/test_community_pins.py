"""Community pins (COPIN) end to end in the store, on SQLite and PostgreSQL: a pin sent, placed
in its tambon, moderated by its region, approved into the disaster programme through the
import path, counted per tambon on public pages with nothing personal; refusals that store
nothing; idempotent resending; the rate limit; campaign links; retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from codi_geo.access import pinning
from codi_geo.access.auth import User
from codi_geo.access.pinning import PinForm, PinRefusedError, Submitter
from codi_geo.access.public import public_results
from codi_geo.access.rules import PermissionDeniedError
from codi_geo.results.community_pins import CommunityPins, PinQuery
from codi_geo.results.store import Store
from tests.helpers import BACKENDS, empty_store, table_contents

REPORTER = User("nok", "reporter", "นก", None, None, "9011", "เครือข่ายหาดใหญ่")  # Hat Yai
# A network's reporters pin in the network's region (no area).
NETWORK_SOUTH = User("dao", "reporter", "ดาว", None, "south", None, "เครือข่ายภาคใต้")
NETWORK_NE = User("kaew", "reporter", "แก้ว", None, "northeast", None, "เครือข่ายอีสาน")
EDITOR_SOUTH = User("somsak", "regional_editor", "สมศักดิ์", None, "south")
EDITOR_NE = User("somchai", "regional_editor", "สมชาย", None, "northeast")
VIEWER = User("malee", "viewer", "มาลี")
ADMIN = User("admin", "admin", "ผู้ดูแล")
HAT_YAI = (7.0086, 100.4747)
KHON_KAEN = (16.4419, 102.8360)
GULF = (10.0, 101.5)  # the Gulf of Thailand, far from any coast
PHNOM_PENH = (11.5564, 104.9282)
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    boundary_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Store]:
    from codi_geo import settings

    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODI_GEO_SESSION_SECRET", "s" * 40)
    settings.clear()
    with empty_store(request.param, tmp_path) as opened:
        yield opened


def _form(client_id: str, point=HAT_YAI, kind: str = "flood", **values) -> PinForm:
    return PinForm(client_id, kind, point[0], point[1], **values)


def _send(
    store: Store,
    client_id: str,
    who: User | None = REPORTER,
    point=HAT_YAI,
    kind: str = "flood",
    client: str = "10.0.0.1",
    campaign=None,
    **values,
):
    return pinning.submit(
        store, Submitter(who, campaign, client), _form(client_id, point, kind, **values), now=NOW
    )


def test_a_pin_is_placed_masked_and_sent_once(store: Store) -> None:
    pin, created = _send(
        store,
        "pin-0001",
        households="12",
        people="40",
        note="บ้านน้ำท่วม โทร 081-234-5678 บัตร 1 1037 02071 81 1 <b>x</b>",
        observed_on="2026-11-19",
    )
    assert created and pin.state == "received"
    assert pin.tambon_code.startswith("9011") and len(pin.tambon_code) == 6
    assert (pin.households, pin.people) == (12, 40)
    assert "081" not in pin.note and "02071" not in pin.note
    assert "[ซ่อนเบอร์โทร]" in pin.note and "[ซ่อนเลขบัตร]" in pin.note
    assert "<b>x</b>" in pin.note  # kept as typed text; every page shows it as text
    assert "081-234-5678" in pin.note_raw  # for the moderator
    again, created_again = _send(store, "pin-0001", households="12", people="40")
    assert again.id == pin.id and not created_again
    assert len(CommunityPins(store).find(PinQuery())) == 1


@pytest.mark.parametrize("point", [GULF, PHNOM_PENH, (48.85, 2.35)])
def test_points_at_sea_or_abroad_are_refused_and_nothing_stored(store: Store, point) -> None:
    before = table_contents(store)
    with pytest.raises(PinRefusedError) as refused:
        _send(store, "pin-sea-01", NETWORK_SOUTH, point=point)
    assert "ทะเล" in refused.value.th and "at sea" in refused.value.en
    assert table_contents(store) == before


def test_refusals_say_what_and_store_nothing(store: Store) -> None:
    before = table_contents(store)
    cases = [
        (dict(who=REPORTER, point=KHON_KAEN), "outside the area"),  # outside its area
        (dict(who=VIEWER), "may not pin"),
        (dict(who=None), "sign in"),
        (dict(kind="picnic"), "not a pin kind"),
        (dict(households="-3"), "households"),
        (dict(people="lots"), "people"),
        (dict(observed_on="2030-01-01"), "future"),
        (dict(note="ก" * 1001), "longer than"),
        (dict(photo=b"not an image at all"), "photo"),
    ]
    for values, words in cases:
        with pytest.raises((PinRefusedError, ValueError)) as refused:
            _send(store, "pin-bad-01", **values)
        assert words in refused.value.en, (values, refused.value.en)
        assert refused.value.th and refused.value.th != refused.value.en
    with pytest.raises(PinRefusedError):
        _send(store, "x", REPORTER)  # a client id too short to be the phone's own
    assert table_contents(store) == before


def test_a_network_pins_in_its_region_and_an_unscoped_account_nowhere(store: Store) -> None:
    before = table_contents(store)
    refusals = [
        (NETWORK_SOUTH, KHON_KAEN, "outside the area you may pin in (South"),
        (NETWORK_NE, HAT_YAI, "outside the area you may pin in (Northeast"),
        (EDITOR_NE, HAT_YAI, "outside the area you may pin in (Northeast"),
        (User("oidc", "reporter", network="เครือข่าย"), HAT_YAI, "no area or region"),
    ]
    for who, point, words in refusals:
        with pytest.raises(PinRefusedError) as refused:
            _send(store, "pin-scope1", who, point=point)
        assert words in refused.value.en and refused.value.status == 403, who
        assert "ภาค" in refused.value.th or "พื้นที่" in refused.value.th
    assert table_contents(store) == before
    for number, (who, point) in enumerate(
        ((NETWORK_SOUTH, HAT_YAI), (NETWORK_NE, KHON_KAEN), (ADMIN, KHON_KAEN))
    ):
        assert _send(store, f"pin-scope{number + 2}", who, point=point, client=f"10.3.{number}")[1]


def test_a_networks_reporter_without_an_area_needs_its_region_in_the_users_file() -> None:
    from codi_geo.access import auth

    entry = {"role": "reporter", "network": "เครือข่ายภาคใต้"}
    with pytest.raises(auth.AuthError) as refused:
        auth.parse_users({"users": {"dao": entry}})
    assert "needs the network's region" in refused.value.en and "region" in refused.value.th
    users = auth.parse_users({"users": {"dao": entry | {"region": "south"}}})
    assert users.users["dao"].user.region == "south"


def test_one_client_cannot_send_a_hundred_pins_a_minute(store: Store) -> None:
    refused = 0
    for number in range(30):
        try:
            _send(store, f"spam-{number:04d}", NETWORK_SOUTH, client="10.9.9.9")
        except PinRefusedError as error:
            assert error.status == 429 and "too many" in error.en
            refused += 1
    assert refused == 30 - 20  # CODI_GEO_PIN_RATE_PER_MINUTE's default
    assert len(CommunityPins(store).find(PinQuery())) == 20
    # Another address is not slowed down; resending a stored pin always works.
    assert _send(store, "other-0001", NETWORK_SOUTH, client="10.1.1.1")[1]
    assert not _send(store, "spam-0000", NETWORK_SOUTH, client="10.9.9.9")[1]


def test_the_region_moderates_and_approval_reaches_the_public_counts(store: Store) -> None:
    flood, _ = _send(store, "pin-flood1", households="5", note="โทร 0812345678")
    rejected, _ = _send(store, "pin-junk01", kind="damage")
    own, _ = _send(store, "pin-own-01", EDITOR_SOUTH)
    # Another region's editor sees none of them and may decide none; a reporter none.
    assert pinning.queue(EDITOR_NE, store) == []
    for user, error in (
        (EDITOR_NE, PinRefusedError),
        (REPORTER, PermissionDeniedError),
        (VIEWER, PermissionDeniedError),
    ):
        with pytest.raises(error):
            pinning.decide(user, store, [flood.id], "approved")
    with pytest.raises(PinRefusedError, match="your own"):
        pinning.decide(EDITOR_SOUTH, store, [own.id], "approved")
    assert {p.id for p in pinning.queue(EDITOR_SOUTH, store)} == {flood.id, rejected.id, own.id}
    assert store.count_results("disaster") == 0

    pinning.decide(EDITOR_SOUTH, store, [rejected.id], "rejected", comment="ซ้ำ", now=NOW)
    batch_id = pinning.decide(
        EDITOR_SOUTH, store, [flood.id], "approved", now=NOW, edits={flood.id: {"people": "20"}}
    )
    assert batch_id is not None
    with pytest.raises(PinRefusedError, match="already decided"):
        pinning.decide(ADMIN, store, [flood.id], "rejected")

    rows = store.results("disaster")
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["category"] == "flood" and row["code"] == flood.tambon_code
    assert row["households"] == 5 and row["people"] == 20
    assert "submitted by nok, approved by somsak on 2026-11-20" in row["note"]
    assert row["batch_id"] == batch_id

    public = public_results(store.results("disaster"))
    assert public["rows"].sum() == 1
    assert public.iloc[0]["code"] == flood.tambon_code and public.iloc[0]["level"] == "tambon"
    shown = [str(v) for v in public.to_numpy().ravel()]
    assert not any("081" in v or "nok" in v or "7.008" in v for v in shown)
    assert public[["latitude", "longitude", "note"]].isna().all().all()

    decisions = [e for e in store.audit_events() if e.action == "pin_decision"]
    assert [e.who for e in decisions] == ["somsak", "somsak"]
    assert "people None -> 20" in decisions[1].detail and decisions[1].batch_id == batch_id
    assert CommunityPins(store).get(rejected.id).moderator_comment == "ซ้ำ"


def test_needs_info_needs_a_comment_and_approving_several_is_one_batch(store: Store) -> None:
    pins = [_send(store, f"pin-many{n:02d}", client=f"10.0.1.{n}")[0] for n in range(3)]
    with pytest.raises(PinRefusedError, match="needs a comment"):
        pinning.decide(ADMIN, store, [pins[0].id], "needs_info")
    pinning.decide(ADMIN, store, [pins[0].id], "needs_info", comment="กี่ครัวเรือน?")
    batch_id = pinning.decide(ADMIN, store, [p.id for p in pins], "approved")
    assert store.batch(batch_id).rows_stored == 3
    states = {p.state for p in CommunityPins(store).many([p.id for p in pins])}
    assert states == {"approved"}


def test_an_answer_outside_the_area_or_to_another_pin_changes_nothing(store: Store) -> None:
    pin, _ = _send(store, "pin-ask-001", households="1")
    pinning.decide(ADMIN, store, [pin.id], "needs_info", comment="ที่ไหน?", now=NOW)
    before = table_contents(store)
    submitter = Submitter(REPORTER, None, "10.0.0.1")
    cases = [
        (REPORTER, _form("ans-bad-001", KHON_KAEN), "pin-ask-001", "outside the area"),
        (NETWORK_SOUTH, _form("ans-bad-002"), "pin-ask-001", "not among your pins"),
        (REPORTER, _form("ans-bad-003", households="-1"), "pin-ask-001", "households"),
        (REPORTER, _form("x"), "pin-ask-001", "not valid"),
    ]
    for who, form, pin_client_id, words in cases:
        with pytest.raises(PinRefusedError) as refused:
            pinning.answer(store, Submitter(who, None, "10.0.0.1"), pin_client_id, form, now=NOW)
        assert words in refused.value.en and refused.value.th != refused.value.en
    assert table_contents(store) == before
    answered, changed = pinning.answer(
        store, submitter, "pin-ask-001", _form("ans-good-01", households="4"), now=NOW
    )
    assert changed and answered.state == "received" and answered.households == 4
    assert answered.moderator_comment == "ที่ไหน?" and answered.answer_id == "ans-good-01"
    # the moderator sees it again, and may approve it
    assert pin.id in {p.id for p in pinning.queue(EDITOR_SOUTH, store)}
    assert pinning.decide(EDITOR_SOUTH, store, [pin.id], "approved") is not None


def test_a_failed_approval_leaves_every_pin_pending(store: Store) -> None:
    good, _ = _send(store, "pin-good01")
    other, _ = _send(store, "pin-ne-001", NETWORK_NE, point=KHON_KAEN)
    before = table_contents(store)
    with pytest.raises(PinRefusedError):
        pinning.decide(EDITOR_SOUTH, store, [good.id, other.id], "approved")
    with pytest.raises(PinRefusedError):  # moved out of the editor's region
        pinning.decide(
            EDITOR_SOUTH,
            store,
            [good.id],
            "approved",
            edits={good.id: {"latitude": KHON_KAEN[0], "longitude": KHON_KAEN[1]}},
        )
    assert table_contents(store) == before


def test_small_counts_of_vulnerable_households_stay_hidden(store: Store) -> None:
    ids = [
        _send(store, f"pin-vuln{n:02d}", kind="vulnerable", client=f"10.0.2.{n}")[0].id
        for n in range(3)
    ]
    pinning.decide(ADMIN, store, ids[:2], "approved")
    public = public_results(store.results("disaster"))
    assert public.empty  # two vulnerable households in a tambon would point at them
    pinning.decide(ADMIN, store, ids[2:], "approved")
    public = public_results(store.results("disaster"))
    assert public["rows"].tolist() == [3] and public["category"].tolist() == ["vulnerable"]


def test_a_campaign_link_works_until_its_end_and_only_in_its_area(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        pinning.create_campaign(EDITOR_SOUTH, store, "x", ["flood"], None, NOW + timedelta(1))
    campaign, token = pinning.create_campaign(
        ADMIN, store, "น้ำท่วมสงขลา 2569", ["flood", "need"], "90", NOW + timedelta(days=7), now=NOW
    )
    found = pinning.campaign_for_token(store, token, now=NOW)
    assert found.id == campaign.id and found.kinds == ("flood", "need")
    for forged in (token[:-2] + "xx", "", None, "a" * 500):
        with pytest.raises(PinRefusedError, match="not valid"):
            pinning.campaign_for_token(store, forged, now=NOW)
    pin, created = _send(store, "camp-0001", None, campaign=found, kind="need")
    assert created and pin.campaign_id == campaign.id and pin.reporter is None
    with pytest.raises(PinRefusedError, match="outside the area"):
        _send(store, "camp-0002", None, campaign=found, point=KHON_KAEN)
    with pytest.raises(PinRefusedError, match="not a pin kind"):
        _send(store, "camp-0003", None, campaign=found, kind="vulnerable")
    later = NOW + timedelta(days=8)
    with pytest.raises(PinRefusedError, match="closed"):
        pinning.campaign_for_token(store, token, now=later)
    with pytest.raises(PinRefusedError, match="closed"):
        pinning.submit(store, Submitter(None, found, "10.0.0.5"), _form("camp-0004"), now=later)
    # The link holder sees its own pin (by the ids its phone kept), nobody else's.
    mine = pinning.pins_of(store, Submitter(None, found), ["camp-0001", "pin-other1"])
    assert [p.id for p in mine] == [pin.id]
    batch_id = pinning.decide(EDITOR_SOUTH, store, [pin.id], "approved", now=NOW)
    assert (
        "submitted by campaign link «น้ำท่วมสงขลา 2569»" in store.results("disaster").iloc[0]["note"]
    )
    assert batch_id


def test_retention_keeps_tambon_counts_and_drops_everything_personal(store: Store) -> None:
    campaign, token = pinning.create_campaign(
        ADMIN, store, "ไฟไหม้", ["fire"], None, NOW + timedelta(days=1), now=NOW
    )
    found = pinning.campaign_for_token(store, token, now=NOW)
    pin, _ = _send(
        store, "ret-00001", None, campaign=found, kind="fire", note="บ้านนายก", photo=_jpeg()
    )
    _send(store, "ret-00002", None, campaign=found, kind="fire", client="10.3.3.3")
    pinning.decide(ADMIN, store, [pin.id], "approved", now=NOW)
    kept = _send(store, "ret-00003", REPORTER)[0]  # no campaign: not touched
    assert pinning.anonymise_closed(ADMIN, store, days=30, now=NOW + timedelta(days=10)) == ([], 0)
    with pytest.raises(PermissionDeniedError):
        pinning.anonymise_closed(EDITOR_SOUTH, store, days=30, now=NOW + timedelta(days=40))
    closed, count = pinning.anonymise_closed(ADMIN, store, days=30, now=NOW + timedelta(days=40))
    assert [c.id for c in closed] == [campaign.id] and count == 2
    pins = CommunityPins(store)
    gone = pins.get(pin.id)
    assert gone.latitude is None and gone.note == "" and gone.note_raw == ""
    assert not gone.has_photo and gone.client == "" and gone.tambon_code == pin.tambon_code
    assert pins.get(kept.id).latitude is not None
    rows = store.results("disaster")
    assert rows["latitude"].isna().all() and rows["code"].tolist() == [pin.tambon_code]
    assert public_results(rows)["rows"].tolist() == [1]
    assert [e.row_count for e in store.audit_events() if e.action == "pins_anonymise"] == [2]
    assert pinning.anonymise_closed(ADMIN, store, days=30, now=NOW + timedelta(days=41)) == ([], 0)


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return out.getvalue()
