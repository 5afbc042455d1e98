"""The thin Streamlit layer: widgets, the URL-backed view state and cached loaders. Everything
else lives in pure modules (``maps``, ``map_state``, ``map_data``) that import no Streamlit."""
