"""``python -m codi_geo campaigns`` and ``pins anonymise``: a link printed once that opens the
form's campaign, the list, and the retention command on a closed campaign (audited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from codi_geo import settings
from codi_geo.__main__ import main
from codi_geo.access import pinning
from codi_geo.results.community_pins import CommunityPins, PinQuery
from codi_geo.results.schema import pin_campaigns_table
from codi_geo.results.store import open_store


@pytest.fixture()
def store_url(tmp_path: Path, boundary_cache: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
    monkeypatch.setenv("CODI_GEO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CODI_GEO_BOUNDARY_DIR", str(boundary_cache))
    monkeypatch.setenv("CODI_GEO_SESSION_SECRET", "k" * 40)
    settings.clear()
    yield url
    settings.clear()


def test_a_campaign_link_is_printed_once_and_opens_its_campaign(store_url, capsys) -> None:
    ends = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    assert (
        main(
            [
                "campaigns",
                "add",
                "น้ำท่วมสงขลา 2569",
                "--kinds",
                "flood,need",
                "--ends",
                ends,
                "--area",
                "90",
                "--url",
                "https://maps.example.org/",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    link = next(line for line in printed.splitlines() if "/pin?c=" in line)
    assert link.startswith("https://maps.example.org/pin?c=")
    token = link.split("c=", 1)[1]
    store = open_store(store_url)
    try:
        campaign = pinning.campaign_for_token(store, token)
        assert campaign.name == "น้ำท่วมสงขลา 2569" and campaign.area_code == "90"
        assert token not in str(store.audit_events())  # only a keyed hash is kept
    finally:
        store.close()
    assert main(["campaigns", "list"]) == 0
    assert "น้ำท่วมสงขลา 2569" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["campaigns", "add", "x", "--kinds", "picnic", "--ends", ends])


def test_pins_anonymise_drops_points_of_closed_campaigns(store_url, capsys) -> None:
    ends = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    main(["campaigns", "add", "ไฟไหม้", "--kinds", "fire", "--ends", ends])
    token = capsys.readouterr().out.split("c=", 1)[1].strip()
    store = open_store(store_url)
    try:
        campaign = pinning.campaign_for_token(store, token)
        pinning.submit(
            store,
            pinning.Submitter(None, campaign, "10.0.0.1"),
            pinning.PinForm("cli-pin-0001", "fire", 7.0086, 100.4747, note="บ้านนาย ก"),
        )
        assert main(["pins", "anonymise", "--days", "30"]) == 0
        assert "anonymised 0 pin(s)" in capsys.readouterr().out
        with store.engine.begin() as connection:
            connection.execute(
                pin_campaigns_table.update().values(ends_at=datetime.now(UTC) - timedelta(days=31))
            )
        assert main(["pins", "anonymise", "--days", "30"]) == 0
        assert "anonymised 1 pin(s) of 1 campaign(s)" in capsys.readouterr().out
        (pin,) = CommunityPins(store).find(PinQuery())
        assert pin.latitude is None and pin.note == "" and pin.tambon_code.startswith("90")
        assert [e.action for e in store.audit_events()][-1] == "pins_anonymise"
    finally:
        store.close()
