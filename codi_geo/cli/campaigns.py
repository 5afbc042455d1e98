"""Community pins from the command line:

- ``python -m codi_geo campaigns add NAME --kinds flood,need --ends 2026-12-31 [--area 90]
  [--url https://maps.example.org]``: a campaign link that lets anyone holding it pin without
  an account until its end (Bangkok time, end of that day); the link is printed once (only a
  keyed hash of its token is stored);
- ``python -m codi_geo campaigns list``: the campaigns, open or closed;
- ``python -m codi_geo pins anonymise [--days N]``: the pins of campaigns closed more than N
  days ago (``CODI_GEO_PIN_RETENTION_DAYS``) keep only their tambon counts: points, notes,
  photos and addresses are dropped.

The command line runs as an admin (someone with the server's shell can do everything anyway),
through the same service as the app (``codi_geo.access.pinning``), audited.
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date, datetime, time, timedelta

from codi_geo.access import pinning
from codi_geo.access.auth import User
from codi_geo.results.community_pins import PIN_KINDS, CommunityPins
from codi_geo.results.store import open_store
from codi_geo.thai import BANGKOK


def _shell_user() -> User:
    try:
        who = getpass.getuser()
    except Exception:  # no user name in this environment
        who = "cli"
    return User(f"{who} (command line)", "admin")


def _end_of(day: str) -> datetime:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD, Gregorian): {day!r}") from None
    return datetime.combine(parsed + timedelta(days=1), time(), BANGKOK)


def _kinds(value: str) -> list[str]:
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in PIN_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown kinds {unknown}; one or more of {', '.join(PIN_KINDS)}"
        )
    return kinds


def add_campaign_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="campaigns_command", required=True)
    add = sub.add_parser("add", help="create a campaign link (printed once)")
    add.add_argument("name")
    add.add_argument(
        "--kinds", type=_kinds, required=True, help=f"comma-separated: {', '.join(PIN_KINDS)}"
    )
    add.add_argument(
        "--ends", type=_end_of, required=True, help="last day the link works (YYYY-MM-DD, Bangkok)"
    )
    add.add_argument("--area", help="a province, district or tambon code pins must lie in")
    add.add_argument("--url", default="", help="the site's address, to print the whole link")
    sub.add_parser("list", help="list campaigns")


def run_campaigns(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        if args.campaigns_command == "list":
            for campaign in CommunityPins(store).campaigns():
                print(
                    f"{campaign.id}\t{campaign.name}\t{','.join(campaign.kinds)}\t"
                    f"{campaign.area_code or '-'}\tends {campaign.ends_at.isoformat()}\t"
                    f"{'anonymised' if campaign.anonymised_at else ''}"
                )
            return 0
        try:
            campaign, token = pinning.create_campaign(
                _shell_user(), store, args.name, args.kinds, args.area, args.ends
            )
        except pinning.PinRefusedError as error:
            print(error)
            return 1
        print(
            f"รณรงค์ {campaign.id} «{campaign.name}» / campaign {campaign.id}; "
            f"ลิงก์ (แสดงครั้งเดียว) / link (shown once):"
        )
        print(f"{args.url.rstrip('/')}/pin?c={token}")
        return 0
    finally:
        store.close()


def add_pins_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="pins_command", required=True)
    anonymise = sub.add_parser("anonymise", help="anonymise the pins of closed campaigns")
    anonymise.add_argument(
        "--days",
        type=int,
        default=None,
        help="days after a campaign ends (default CODI_GEO_PIN_RETENTION_DAYS)",
    )


def run_pins(args: argparse.Namespace) -> int:
    store = open_store()
    try:
        closed, count = pinning.anonymise_closed(_shell_user(), store, days=args.days)
    finally:
        store.close()
    names = ", ".join(f"{c.id} «{c.name}»" for c in closed) or "-"
    print(
        f"ลบข้อมูลระบุตัวตนของ {count} หมุด จาก {len(closed)} รณรงค์ / anonymised {count} "
        f"pin(s) of {len(closed)} campaign(s): {names}"
    )
    return 0


COMMANDS = {
    "campaigns": (add_campaign_arguments, run_campaigns),
    "pins": (add_pins_arguments, run_pins),
}
