"""How a choice is shown (a widget's ``format_func``), made here and not in a page.

Streamlit keeps each session's widgets, and with them the ``format_func`` each was given,
until the session ends. A function written in a page script carries the script's whole
namespace: on the disasters page of a million-pin store that is 30,000 filtered rows,
15 MB for every open session. A label made here carries only what it shows (a
language, a programme); ``tests/test_session_memory.py`` checks every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from codi_geo.maps import pagemaps
from codi_geo.programmes import Programme, get_programme
from codi_geo.text import t

Label = Callable[[Any], str]


def text(prefix: str, lang: str) -> Label:
    """The UI text ``{prefix}{choice}``: ``text("mode_", lang)("heat")`` is the text of
    ``mode_heat``."""
    return lambda choice: t(f"{prefix}{choice}", lang)


def programme_name(lang: str) -> Label:
    """A programme id as the programme's name."""
    return lambda programme_id: get_programme(programme_id).name.get(lang)


def metric_name(programme: Programme, lang: str) -> Label:
    """A metric id of ``programme`` as its name."""
    return lambda metric_id: programme.metric(metric_id).name.get(lang)


def category_name(programme: Programme, lang: str) -> Label:
    """A category id of ``programme`` (a kind of disaster) as its name; an id the programme
    does not declare as itself."""

    def label(category_id: str) -> str:
        category = programme.category(category_id)
        return category.name.get(lang) if category else category_id

    return label


def criterion(programme: Programme, lang: str) -> Label:
    """A model-tambon criterion (one category, or all model tambons) by its name."""
    return lambda key: pagemaps.criterion_label(programme, key, lang)


def indicator(lang: str) -> Label:
    """An indicator key ``programme:metric`` (the overview's and the change page's)."""

    def label(key: str) -> str:
        programme_id, metric_id = key.split(":")
        return pagemaps.metric_label(get_programme(programme_id), metric_id, lang)

    return label


def period(lang: str) -> Label:
    """A period of the change page, ``(fiscal year, quarter or None)``."""
    return lambda key: pagemaps.period_name(key, lang)
