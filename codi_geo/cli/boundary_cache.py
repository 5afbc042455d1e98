"""``python -m codi_geo boundaries build|info``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from codi_geo.places.boundaries import (
    BOUNDARY_SOURCE_ENV,
    BoundaryError,
    build_cache,
    load_manifest,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="build the cache from an ADM3 archive")
    build.add_argument(
        "--source",
        help=f"zipped shapefile, GeoJSON or GeoPackage: a path or URL (default: "
        f"${BOUNDARY_SOURCE_ENV}, else the official OCHA archive)",
    )
    build.add_argument("--cache-dir", type=Path, help="where to write (default data/boundaries)")
    info = actions.add_parser("info", help="print the manifest of the built cache")
    info.add_argument("--cache-dir", type=Path)


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "build":
            manifest = build_cache(args.source, args.cache_dir, log=_log)
            print(summary(manifest))
        else:
            print(json.dumps(load_manifest(args.cache_dir), ensure_ascii=False, indent=1))
    except BoundaryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1  # the source or cache is at fault, not the usage (2)
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def summary(manifest: dict) -> str:
    counts = manifest["counts"]
    report = manifest["reconciliation"]
    lines = [
        f"built in {manifest['build_seconds']} s: {counts['province']} provinces, "
        f"{counts['district']} districts, {counts['tambon']} tambon polygons",
        f"gazetteer tambons without a polygon: {len(report['dopa_codes_without_polygon'])}",
    ]
    for gap in report["dopa_codes_without_polygon"]:
        lines.append(f"  {gap['code']} {gap['name_th']}: {gap['resolution']}")
    lines.append(f"polygons with retired codes: {len(report['polygons_with_retired_codes'])}")
    for item in report["polygons_with_retired_codes"]:
        lines.append(
            f"  {item['source_pcode']} {item['name_th_in_source']}: {item['status']} -> "
            f"code used {item['code_used']}, successors {' '.join(item['successors'])}"
        )
    for key, layer in manifest["layers"].items():
        lines.append(f"  {key}: {layer['vertices']} vertices, decimals {layer['decimals']}")
    return "\n".join(lines)
