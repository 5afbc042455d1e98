"""Community pins (COPIN) in the store: pins sent from a phone, campaign links, and an approved
pin's way into the disaster programme's results.

A pin is a row of ``community_pins`` from the moment it is received: its exact point, note
(masked, and as typed for the moderator) and photo stay in that table. Approving pins stores
them as one batch of ``results`` rows of the ``disaster`` programme through
``Store.store_results``, the path every imported pin takes (one place for a pin, one counting
path), in the same transaction as the pins' new state and each decision's audit record.

Only reads and writes here; who may submit, moderate or anonymise what is decided in
``codi_geo.access.pinning``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from codi_geo import thai
from codi_geo.programmes import get_programme
from codi_geo.results.audit_events import AuditEntry, write_event
from codi_geo.results.exact import COMMUNITY_SOURCE
from codi_geo.results.records import NewBatch, ResultRow
from codi_geo.results.schema import (
    batches_table,
    community_pins_table,
    pin_campaigns_table,
    results_table,
)
from codi_geo.results.store import Store, StoreError

PROGRAMME = "disaster"
SOURCE_DOC = COMMUNITY_SOURCE  # who sees these rows exactly: ``results.exact``
# The disaster programme's classes a pin may take ("copin" is the class of imported COPIN
# exports whose kind is unknown; a pin from the form always says its kind).
PIN_KINDS: tuple[str, ...] = tuple(
    c.id for c in get_programme(PROGRAMME).categories if c.id != "copin"
)
STATES: tuple[str, ...] = ("received", "approved", "rejected", "needs_info")
PENDING: tuple[str, ...] = ("received", "needs_info")
# What a moderator may change before approving.
EDITABLE: tuple[str, ...] = ("kind", "latitude", "longitude", "tambon_code", "households", "people")
# What a reporter's answer to "needs information" may change.
ANSWERABLE: tuple[str, ...] = (
    *EDITABLE,
    "accuracy_m",
    "note",
    "note_raw",
    "observed_on",
    "photo",
)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every timestamp written here is UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass(frozen=True)
class NewPin:
    """A pin as submitted, already checked and placed (``access.pinning.submit``)."""

    client_id: str
    kind: str
    latitude: float
    longitude: float
    tambon_code: str
    observed_on: date
    households: int | None = None
    people: int | None = None
    note: str = ""  # masked
    note_raw: str = ""
    photo: bytes | None = None
    accuracy_m: float | None = None
    reporter: str | None = None
    campaign_id: int | None = None
    client: str = ""


@dataclass(frozen=True)
class Pin:
    id: int
    client_id: str
    reporter: str | None
    campaign_id: int | None
    client: str
    kind: str
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    tambon_code: str
    households: int | None
    people: int | None
    note: str
    note_raw: str
    has_photo: bool
    photo_public: bool
    observed_on: date
    state: str
    moderator_comment: str
    moderated_by: str | None
    moderated_at: datetime | None
    result_batch_id: int | None
    created_at: datetime
    updated_at: datetime
    anonymised_at: datetime | None
    answer_id: str | None = None

    @property
    def pending(self) -> bool:
        return self.state in PENDING


@dataclass(frozen=True)
class Campaign:
    id: int
    name: str
    kinds: tuple[str, ...]
    area_code: str | None
    ends_at: datetime
    created_at: datetime
    created_by: str
    anonymised_at: datetime | None

    def open_at(self, now: datetime) -> bool:
        return now < self.ends_at


@dataclass(frozen=True)
class PinQuery:
    """Which pins to list: any of these left as None does not filter."""

    states: tuple[str, ...] | None = None
    kinds: tuple[str, ...] | None = None
    areas: tuple[str, ...] | None = None  # code prefixes (province, district or tambon codes)
    campaign_id: int | None = None
    reporter: str | None = None
    client_ids: tuple[str, ...] | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 1000


_PIN_COLUMNS = tuple(c.name for c in community_pins_table.columns if c.name != "photo")
_PIN_FIELDS = {f.name for f in fields(Pin)}


def _pin(row: Any) -> Pin:  # a row's mapping
    values = {k: row[k] for k in _PIN_COLUMNS if k in _PIN_FIELDS}
    for key in ("moderated_at", "created_at", "updated_at", "anonymised_at"):
        values[key] = _aware(values[key])
    values["has_photo"] = bool(row["has_photo"])
    return Pin(**values)


def _campaign(row: Any) -> Campaign:  # a row's mapping
    return Campaign(
        id=row["id"],
        name=row["name"],
        kinds=tuple(k for k in row["kinds"].split(",") if k),
        area_code=row["area_code"],
        ends_at=_aware(row["ends_at"]) or _now(),
        created_at=_aware(row["created_at"]) or _now(),
        created_by=row["created_by"],
        anonymised_at=_aware(row["anonymised_at"]),
    )


def provenance(pin: Pin, submitted_by: str, approved_by: str, approved_at: datetime) -> str:
    """What an approved pin's result row cites."""
    day = approved_at.astimezone(UTC).date().isoformat()
    return f"submitted by {submitted_by}, approved by {approved_by} on {day} (pin {pin.id})"


def result_row(pin: Pin, provenance_text: str) -> ResultRow:
    """The disaster programme's result row of an approved pin: a point in its tambon, its
    kind as the category, its figures; the provenance as the row's note."""
    fiscal_year, quarter = thai.fiscal_period(pin.observed_on)
    metrics = {
        k: float(v)
        for k, v in (("households", pin.households), ("people", pin.people))
        if v is not None
    }
    return ResultRow(
        PROGRAMME,
        fiscal_year,
        quarter,
        "point",
        pin.tambon_code,
        metrics,
        latitude=pin.latitude,
        longitude=pin.longitude,
        category=pin.kind,
        # The rule for points applies: public pages count them per tambon and kind
        # (``access.public.public_rows``); the point itself never leaves the server.
        visibility="public",
        note=provenance_text,
        source_doc=SOURCE_DOC,
        source_line=f"pin {pin.id}",
    )


class PinConflictError(StoreError):
    """Pins changed by someone else meanwhile (another moderator decided first)."""


class CommunityPins:
    """Reads and writes community pins and campaigns in ``store``. Each write is one
    transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def _write(self) -> Any:
        return self.engine.connect().execution_options(codi_geo_write=True)

    # -- pins -----------------------------------------------------------------------

    def add(self, new: NewPin, *, now: datetime | None = None) -> tuple[Pin, bool]:
        """Store ``new`` unless a pin with its client id exists: (the pin, whether it is new).
        Sending the same pin again (a lost answer, a retry) stores it once."""
        existing = self.by_client_id(new.client_id)
        if existing is not None:
            return existing, False
        at = now or _now()
        values = {f.name: getattr(new, f.name) for f in fields(NewPin)}
        values |= {"state": "received", "created_at": at, "updated_at": at}
        try:
            with self._write() as connection, connection.begin():
                connection.execute(community_pins_table.insert().values(**values))
        except sa.exc.IntegrityError:  # the same client id from a second request at once
            existing = self.by_client_id(new.client_id)
            if existing is None:
                raise
            return existing, False
        stored = self.by_client_id(new.client_id)
        assert stored is not None
        return stored, True

    def _select(self) -> sa.Select[Any]:
        p = community_pins_table.c
        return sa.select(
            *(p[name] for name in _PIN_COLUMNS), p.photo.is_not(None).label("has_photo")
        )

    def by_client_id(self, client_id: str) -> Pin | None:
        query = self._select().where(community_pins_table.c.client_id == client_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else _pin(row)

    def get(self, pin_id: int) -> Pin | None:
        found = self.many([pin_id])
        return found[0] if found else None

    def many(self, pin_ids: Sequence[int]) -> list[Pin]:
        query = self._select().where(community_pins_table.c.id.in_(list(pin_ids)))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(community_pins_table.c.id)).mappings()
            return [_pin(row) for row in rows]

    def photo(self, pin_id: int) -> bytes | None:
        p = community_pins_table.c
        with self.engine.connect() as connection:
            return connection.execute(sa.select(p.photo).where(p.id == pin_id)).scalar()

    def find(self, query: PinQuery) -> list[Pin]:
        """Pins that meet ``query``, oldest first."""
        p = community_pins_table.c
        select = self._select()
        if query.states is not None:
            select = select.where(p.state.in_(query.states))
        if query.kinds is not None:
            select = select.where(p.kind.in_(query.kinds))
        if query.areas is not None:
            select = select.where(
                sa.or_(
                    sa.false(),
                    *(p.tambon_code.startswith(area, autoescape=True) for area in query.areas),
                )
            )
        if query.campaign_id is not None:
            select = select.where(p.campaign_id == query.campaign_id)
        if query.reporter is not None:
            select = select.where(p.reporter == query.reporter)
        if query.client_ids is not None:
            select = select.where(p.client_id.in_(query.client_ids))
        if query.since is not None:
            select = select.where(p.observed_on >= query.since)
        if query.until is not None:
            select = select.where(p.observed_on <= query.until)
        select = select.order_by(p.created_at, p.id).limit(query.limit)
        with self.engine.connect() as connection:
            return [_pin(row) for row in connection.execute(select).mappings()]

    def public_photos(self, tambon_code: str, limit: int = 6) -> list[tuple[str, date, bytes]]:
        """(kind, date, photo) of approved pins in ``tambon_code`` whose photo a moderator
        marked public and whose result rows still count (their batch not undone), newest
        first. Nothing else of the pin: no point, note, reporter or id."""
        p, b = community_pins_table.c, batches_table.c
        query = (
            sa.select(p.kind, p.observed_on, p.photo)
            .join(batches_table, b.id == p.result_batch_id)
            .where(
                p.tambon_code == tambon_code,
                p.state == "approved",
                p.photo_public,
                p.photo.is_not(None),
                p.anonymised_at.is_(None),
                b.status == "active",
            )
            .order_by(p.observed_on.desc(), p.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [(k, d, bytes(ph)) for k, d, ph in connection.execute(query)]

    def recent_from(self, client: str, since: datetime) -> int:
        """How many pins ``client`` (an address) sent since ``since`` (the rate limit)."""
        p = community_pins_table.c
        query = sa.select(sa.func.count()).where(p.client == client, p.created_at > since)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    # -- decisions ------------------------------------------------------------------

    def _claim(
        self,
        connection: sa.Connection,
        pins: Sequence[Pin],
        state: str,
        who: str,
        comment: str,
        edits: Mapping[int, Mapping[str, Any]],
        at: datetime,
        audits: Mapping[int, AuditEntry],
        batch_id: int | None,
    ) -> None:
        """Give ``pins`` their new state (only if still pending: ``PinConflictError``
        otherwise) with the edits, and write each decision's audit record."""
        p = community_pins_table.c
        for pin in pins:
            values = dict(edits.get(pin.id, {}))
            values |= {
                "state": state,
                "moderator_comment": comment,
                "moderated_by": who,
                "moderated_at": at,
                "updated_at": at,
                "result_batch_id": batch_id,
            }
            changed = connection.execute(
                community_pins_table.update()
                .where(p.id == pin.id, p.state.in_(PENDING))
                .values(**values)
            ).rowcount
            if changed != 1:
                raise PinConflictError(
                    f"หมุด {pin.id} ถูกเปลี่ยนโดยผู้อื่นระหว่างนี้ ไม่ได้บันทึกการตัดสินใจ โหลดใหม่แล้วลองอีกครั้ง",
                    f"pin {pin.id} was changed by someone else meanwhile; nothing was saved: "
                    f"reload and try again",
                )
            write_event(connection, audits[pin.id], batch_id=batch_id, row_count=1)

    def decide(
        self,
        pins: Sequence[Pin],
        state: str,
        who: str,
        comment: str,
        audits: Mapping[int, AuditEntry],
        *,
        now: datetime | None = None,
    ) -> None:
        """Reject pins or ask for more information: one transaction with the audit records."""
        if state not in ("rejected", "needs_info"):
            raise ValueError(f"not a decision without approval: {state!r}")
        with self._write() as connection, connection.begin():
            self._claim(connection, pins, state, who, comment, {}, now or _now(), audits, None)

    def approve(
        self,
        pins: Sequence[Pin],
        who: str,
        comment: str,
        edits: Mapping[int, Mapping[str, Any]],
        submitters: Mapping[int, str],
        audits: Mapping[int, AuditEntry],
        *,
        now: datetime | None = None,
    ) -> int:
        """Approve ``pins`` (``edits`` applied first): their result rows stored as one batch
        of the disaster programme, the pins marked approved in it and each decision audited,
        all in one transaction. The batch id."""
        at = now or _now()
        edited = [replace(pin, **edits.get(pin.id, {})) for pin in pins]
        rows = [result_row(pin, provenance(pin, submitters[pin.id], who, at)) for pin in edited]
        digest = hashlib.sha256("\n".join(pin.client_id for pin in pins).encode()).hexdigest()
        ids = ", ".join(str(pin.id) for pin in pins)
        meta = NewBatch(
            PROGRAMME,
            f"COPIN pins {ids}"[:500],
            digest,
            "copin",
            len(rows),
            created_by=who,
            note=comment or None,
        )

        def claim(connection: sa.Connection, batch_id: int) -> None:
            self._claim(connection, pins, "approved", who, comment, edits, at, audits, batch_id)

        return self.store.store_results(meta, rows, also=claim).id

    def answer(
        self,
        pin: Pin,
        answer_id: str,
        values: Mapping[str, Any],
        audit: AuditEntry,
        *,
        now: datetime | None = None,
    ) -> Pin:
        """A reporter's answer to "needs information": the pin's new ``values`` (only
        ``ANSWERABLE`` keys), back to received, with the answer's audit record, in one
        transaction; ``PinConflictError`` when the pin no longer waits for an answer."""
        unknown = set(values) - set(ANSWERABLE)
        if unknown:
            raise ValueError(f"not answerable: {sorted(unknown)}")
        at = now or _now()
        p = community_pins_table.c
        with self._write() as connection, connection.begin():
            changed = connection.execute(
                community_pins_table.update()
                .where(p.id == pin.id, p.state == "needs_info")
                .values(**values, state="received", answer_id=answer_id, updated_at=at)
            ).rowcount
            if changed != 1:
                raise PinConflictError(
                    f"หมุด {pin.id} ไม่ได้รอคำตอบแล้ว โหลดหน้าใหม่เพื่อดูสถานะ",
                    f"pin {pin.id} no longer waits for an answer: reload to see its state",
                )
            write_event(connection, audit, row_count=1)
        answered = self.get(pin.id)
        assert answered is not None
        return answered

    def set_photo_public(self, pin: Pin, public: bool, audit: AuditEntry) -> None:
        p = community_pins_table.c
        with self._write() as connection, connection.begin():
            connection.execute(
                community_pins_table.update()
                .where(p.id == pin.id)
                .values(photo_public=public, updated_at=_now())
            )
            write_event(connection, audit, row_count=1)

    # -- campaigns ------------------------------------------------------------------

    def add_campaign(
        self,
        token_key: str,
        name: str,
        kinds: Sequence[str],
        area_code: str | None,
        ends_at: datetime,
        audit: AuditEntry,
        *,
        now: datetime | None = None,
    ) -> Campaign:
        values = {
            "token_key": token_key,
            "name": name,
            "kinds": ",".join(kinds),
            "area_code": area_code,
            "ends_at": ends_at,
            "created_at": now or _now(),
            "created_by": audit.who,
        }
        with self._write() as connection, connection.begin():
            campaign_id = connection.execute(
                pin_campaigns_table.insert().values(**values).returning(pin_campaigns_table.c.id)
            ).scalar_one()
            write_event(connection, audit)
        found = self.campaign(int(campaign_id))
        assert found is not None
        return found

    def campaign(self, campaign_id: int) -> Campaign | None:
        c = pin_campaigns_table.c
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(pin_campaigns_table).where(c.id == campaign_id))
                .mappings()
                .first()
            )
        return None if row is None else _campaign(row)

    def campaign_by_key(self, token_key: str) -> Campaign | None:
        c = pin_campaigns_table.c
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(pin_campaigns_table).where(c.token_key == token_key))
                .mappings()
                .first()
            )
        return None if row is None else _campaign(row)

    def campaigns(self) -> list[Campaign]:
        with self.engine.connect() as connection:
            rows = (
                connection.execute(
                    sa.select(pin_campaigns_table).order_by(pin_campaigns_table.c.id)
                )
                .mappings()
                .all()
            )
        return [_campaign(row) for row in rows]

    # -- retention ------------------------------------------------------------------

    def anonymise(
        self, campaigns: Sequence[Campaign], audit: AuditEntry, *, now: datetime | None = None
    ) -> int:
        """Keep only the tambon, kind, figures and state of the pins of ``campaigns``: their
        points, notes, photos and addresses go, here and in their result rows (which keep
        counting per tambon). One transaction with the audit record; how many pins."""
        if not campaigns:
            return 0
        at = now or _now()
        ids = [c.id for c in campaigns]
        p, r = community_pins_table.c, results_table.c
        with self._write() as connection, connection.begin():
            pins = (
                connection.execute(
                    sa.select(p.id).where(p.campaign_id.in_(ids), p.anonymised_at.is_(None))
                )
                .scalars()
                .all()
            )
            lines = [f"pin {pin_id}" for pin_id in pins]
            for start in range(0, len(lines), 500):
                connection.execute(
                    results_table.update()
                    .where(
                        r.programme == PROGRAMME,
                        r.source_doc == SOURCE_DOC,
                        r.source_line.in_(lines[start : start + 500]),
                    )
                    .values(latitude=None, longitude=None)
                )
            connection.execute(
                community_pins_table.update()
                .where(p.campaign_id.in_(ids), p.anonymised_at.is_(None))
                .values(
                    latitude=None,
                    longitude=None,
                    accuracy_m=None,
                    note="",
                    note_raw="",
                    photo=None,
                    photo_public=False,
                    client="",
                    anonymised_at=at,
                    updated_at=at,
                )
            )
            connection.execute(
                pin_campaigns_table.update()
                .where(pin_campaigns_table.c.id.in_(ids))
                .values(anonymised_at=at)
            )
            write_event(connection, audit, row_count=len(pins))
        return len(pins)

    def closed_before(self, cutoff: datetime) -> list[Campaign]:
        """Campaigns that ended before ``cutoff`` and are not yet anonymised."""
        return [c for c in self.campaigns() if c.ends_at < cutoff and c.anonymised_at is None]


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    return (now or _now()) - timedelta(days=days)
