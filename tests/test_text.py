"""Every user-facing text is one Thai/English value, and every error a person can act on is a
``CodiGeoError`` that carries the two languages apart."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pandas as pd
import pytest

import codi_geo
from codi_geo.access import auth, rules
from codi_geo.errors import CodiGeoError
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMMES, UnknownProgrammeError, get_programme
from codi_geo.text import TEXT, Bilingual, t

THAI = re.compile("[\u0e00-\u0e7f]")
# Exceptions that never reach a person: control flow inside one module, and the guard that
# stops a developer's map element from loading assets off the internet.
NOT_FOR_USERS = {"AssetError"}


def test_every_text_entry_is_one_bilingual_value() -> None:
    assert len(TEXT) > 200
    for key, value in TEXT.items():
        assert isinstance(value, Bilingual), key
        assert value.th and value.en, key
        assert t(key, "th") == value.th and t(key, "en") == value.en, key
        # the two languages take the same placeholders
        assert set(re.findall(r"{(\w+)}", value.th)) == set(re.findall(r"{(\w+)}", value.en)), key
    assert t("rows_stored", "en", n=3, total=4) == "3 of 4 rows stored"


def test_english_text_has_no_thai_and_the_thai_text_is_thai() -> None:
    both = {"language"}  # the switch names both languages on purpose
    for key, value in TEXT.items():
        if key not in both:
            assert not THAI.search(value.en), key
    assert sum(bool(THAI.search(v.th)) for v in TEXT.values()) > 0.9 * len(TEXT)


def test_declared_names_are_bilingual_values() -> None:
    named = [*PROGRAMMES, *gazetteer.CODI_REGIONS]
    named += [m for p in PROGRAMMES for m in p.metrics]
    named += [c for p in PROGRAMMES for c in p.categories]
    for item in named:
        assert isinstance(item.name, Bilingual), item
        assert THAI.search(item.name.th) and not THAI.search(item.name.en), item
    for programme in PROGRAMMES:
        label = programme.category_label
        assert THAI.search(label.th) and label.en and not THAI.search(label.en), programme.id
        for metric in programme.metrics:
            assert bool(metric.unit.th) == bool(metric.unit.en), metric.id
            assert not THAI.search(metric.unit.en), metric.id


def test_an_unknown_programme_says_so_in_both_languages() -> None:
    with pytest.raises(UnknownProgrammeError) as error:
        get_programme("no_such_programme")
    assert isinstance(error.value, CodiGeoError) and isinstance(error.value, KeyError)
    assert "ไม่รู้จักแผนงาน" in error.value.th and THAI.search(error.value.th)
    assert "unknown programme" in error.value.en and not THAI.search(error.value.en)
    assert error.value.message("en") == error.value.en


def test_region_refusal_speaks_the_page_language() -> None:
    editor = auth.User("somchai", "regional_editor", "Somchai", None, "northeast")
    rows = pd.DataFrame({"level": ["tambon", "national"], "code": ["500101", None]})
    offending = rules.check_import_allowed(editor, rows)
    assert all(isinstance(o.reason, Bilingual) for o in offending)
    thai = rules.refusal_message(editor, offending, lang="th")
    english = rules.refusal_message(editor, offending, lang="en")
    assert "ไม่รับการนำเข้า" in thai and "ภาคตะวันออกเฉียงเหนือ" in thai
    assert english.startswith("import refused: 2 row(s) outside Northeast")
    assert "national row" in english and "ระดับประเทศ" not in english
    assert " / " not in thai and " / " not in english  # one language each, never "th / en"


def _exception_classes() -> list[type[BaseException]]:
    found = {}
    for module in pkgutil.walk_packages(codi_geo.__path__, "codi_geo."):
        if module.name.endswith("__main__") or ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == loaded.__name__
            ):
                found[f"{value.__module__}.{name}"] = value
    return list(found.values())


def test_every_error_a_person_can_act_on_is_a_codi_geo_error() -> None:
    classes = _exception_classes()
    assert len(classes) > 10
    outside = [
        c.__qualname__
        for c in classes
        if not issubclass(c, CodiGeoError)
        and not c.__name__.startswith("_")
        and c.__name__ not in NOT_FOR_USERS
    ]
    assert outside == []
