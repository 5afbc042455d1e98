"""The thin Streamlit layer: widgets, the URL-backed view state and cached loaders. Everything
else lives in pure modules (``codi_geo.maps``, ``codi_geo.outputs`` …) that import no Streamlit."""
