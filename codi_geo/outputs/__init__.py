"""Outputs: briefing slides (PNG, PDF), exports (XLSX, CSV, GeoJSON) and the downloads of a
page's view, all made on the server from the same computed map."""
