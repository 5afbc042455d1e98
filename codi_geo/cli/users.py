"""``python -m codi_geo users add FILE USERNAME --role ROLE [--region REGION]``: add a user to
the users file of the internal app, or change one (asks for the password; only its salted
scrypt hash is written, and the file gets mode 0600). ``users hash`` prints the hash of a
password. The file's format and the sign-in it serves: ``codi_geo.access.auth``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from codi_geo.access import auth
from codi_geo.access.rules import ROLES
from codi_geo.places import gazetteer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = __doc__
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = parser.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser("add", help="add a user or change one (asks for the password)")
    add.add_argument("file", type=Path)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", choices=list(gazetteer.REGION_BY_ID))
    add.add_argument("--area", help="reporters: the province/district/tambon code they pin in")
    add.add_argument("--network", help="reporters: the community network they pin for")
    add.add_argument("--name", default="")
    add.add_argument("--email")
    add.add_argument("--no-password", action="store_true", help="OIDC-only user")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    sub.add_parser("hash", help="print the hash of a password (asks for it)")


def run(args: argparse.Namespace) -> int:
    try:
        if args.users_command == "hash":
            print(auth.hash_password(getpass.getpass("รหัสผ่าน / password: ")))
            return 0
        password = None
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        elif not args.no_password:
            password = getpass.getpass("รหัสผ่าน / password: ")
            if password != getpass.getpass("อีกครั้ง / again: "):
                print("รหัสผ่านไม่ตรงกัน / passwords differ", file=sys.stderr)
                return 1
        users = auth.add_user(
            auth.load_users(args.file),
            args.username,
            role=args.role,
            region=args.region,
            name=args.name,
            email=args.email,
            password=password,
            area=args.area,
            network=args.network,
        )
    except auth.AuthError as error:
        print(error, file=sys.stderr)
        return 1
    except UnicodeDecodeError as error:
        print(
            f"ไฟล์ผู้ใช้ {args.file} ไม่ใช่ข้อความ UTF-8 (ไบต์ที่ {error.start}) / the users file "
            f"{args.file} is not UTF-8 text (byte {error.start})",
            file=sys.stderr,
        )
        return 1
    except OSError as error:
        print(
            f"อ่านไฟล์ผู้ใช้ {args.file} ไม่ได้ / cannot read the users file {args.file}: "
            f"{error.strerror or type(error).__name__}",
            file=sys.stderr,
        )
        return 1
    # Written beside the file, made private, then moved over it: a failed write leaves the
    # old file whole.
    temporary = args.file.with_suffix(".tmp")
    try:
        args.file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(auth.users_toml(users), encoding="utf-8")
        os.chmod(temporary, 0o600)
        temporary.replace(args.file)
    except OSError as error:
        print(
            f"เขียนไฟล์ {args.file} ไม่ได้ / cannot write {args.file}: "
            f"{error.strerror or type(error).__name__}",
            file=sys.stderr,
        )
        return 1
    print(f"บันทึกผู้ใช้ {args.username} ใน {args.file} / saved user {args.username}")
    return 0
