"""Category words as offices write them: a clear near-miss is read as the nearest declared
category with a warning naming both; an unclear word is listed once in the report with the
closest categories, costs only its own rows (``valid_only``), and once the user maps it the
mapping is remembered for the programme in the store (audited) and used by later imports,
from the command line too (``--map-value``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codi_geo.__main__ import main
from codi_geo.programmes import get_programme
from codi_geo.results import imports
from codi_geo.results.imports.values import category_suggestions, nearest_category
from codi_geo.results.store import Store, StoreError
from tests.helpers import BACKENDS, empty_database, empty_store

TEMPORARY = get_programme("temporary_housing")
UNKNOWN = "รอสร้างบ้านถาวร"  # the declared word is รอที่อยู่อาศัยถาวร


def sheet(*needs: str) -> bytes:
    """A temporary-housing sheet, one province row per need word."""
    provinces = [
        "ตรัง",
        "สงขลา",
        "ชลบุรี",
        "ราชบุรี",
        "นราธิวาส",
        "ขอนแก่น",
        "ชัยภูมิ",
        "เชียงใหม่",
        "สุพรรณบุรี",
        "สมุทรสาคร",
        "นครราชสีมา",
        "อุบลราชธานี",
    ]
    lines = ["ปีงบประมาณ,ไตรมาส,จังหวัด,สาเหตุ,ครัวเรือน"]
    lines += [f"2569,2,{provinces[i]},{need},{i + 1}" for i, need in enumerate(needs)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with empty_store(request.param, tmp_path) as opened:
        yield opened


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ไฟใหม้", "fire"),  # a wrong vowel
        ("น้ำทวม", "flood"),  # a letter missing
        ("flod", "flood"),  # a typo
        ("awaiting permanent home", "awaiting_permanent"),  # shared words
        ("fire at the market", "fire"),
        (UNKNOWN, None),  # too far from every word: the user decides
        ("ภัยแล้ง", None),  # drought: no declared category
    ],
)
def test_nearest_category_only_when_clear(word: str, expected: str | None) -> None:
    assert nearest_category(word, TEMPORARY.categories) == expected


def test_suggestions_put_the_likeliest_first() -> None:
    assert category_suggestions(UNKNOWN, TEMPORARY.categories)[0] == "awaiting_permanent"


def test_a_clear_near_miss_is_stored_with_a_warning_naming_both() -> None:
    report = imports.prepare_import(sheet("ไฟไหม้", "ไฟใหม้"), "t.csv", TEMPORARY.id).report
    assert report.rows_accepted == 2 and report.rows_rejected == 0
    warned = [i for i in report.warnings if i.kind == "category_guessed"]
    assert len(warned) == 1 and warned[0].row == 3
    assert "'ไฟใหม้'" in warned[0].message_en and "fire (Fire)" in warned[0].message_en
    assert "ไฟไหม้" in warned[0].message_th


def test_an_unknown_word_costs_only_its_rows_and_is_listed_once(store: Store) -> None:
    data = sheet(*(["ไฟไหม้"] * 5 + ["น้ำท่วม"] * 4 + [UNKNOWN] * 2 + ["อุทกภัย"]))
    prepared = imports.prepare_import(
        data, "t.csv", TEMPORARY.id, imports.ImportOptions(valid_only=True), store=store
    )
    report = prepared.report
    assert (report.rows_accepted, report.rows_rejected) == (10, 2)
    assert report.unknown_words() == [
        (UNKNOWN, 2, tuple(category_suggestions(UNKNOWN, TEMPORARY.categories)))
    ]
    assert report.text().count(f"unknown word {UNKNOWN!r}") == 1
    stored = imports.store_import(store, prepared)
    assert stored.status == "stored" and store.count_results(TEMPORARY.id) == 10


def test_a_mapping_is_remembered_per_programme_and_audited(store: Store) -> None:
    store.remember_category_word(TEMPORARY.id, UNKNOWN, "awaiting_permanent", who="ภาคใต้")
    assert store.category_words(TEMPORARY.id) == {UNKNOWN: "awaiting_permanent"}
    assert store.category_words("disaster") == {}
    event = store.audit_events()[-1]
    assert (event.action, event.who, event.programme) == ("map_value", "ภาคใต้", TEMPORARY.id)
    assert UNKNOWN in event.detail and "awaiting_permanent" in event.detail

    report = imports.prepare_import(
        sheet(UNKNOWN, "ไฟไหม้"), "t.csv", TEMPORARY.id, store=store
    ).report
    assert (report.rows_accepted, report.rows_rejected) == (2, 0)
    assert report.warnings == []
    # A later choice replaces the earlier one; a category the programme lacks is refused.
    store.remember_category_word(TEMPORARY.id, f" {UNKNOWN} ", "other")
    assert store.category_words(TEMPORARY.id) == {UNKNOWN: "other"}
    with pytest.raises(StoreError):
        store.remember_category_word(TEMPORARY.id, UNKNOWN, "no_such_category")
    assert store.category_words(TEMPORARY.id) == {UNKNOWN: "other"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_command_line_maps_a_word(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "temporary.csv"
    path.write_bytes(sheet(UNKNOWN, "ไฟไหม้"))
    with empty_database(backend, tmp_path) as url:
        monkeypatch.setenv("CODI_GEO_DATABASE_URL", url)
        code = main(["import", str(path), "--programme", TEMPORARY.id])
        out = capsys.readouterr().out
        assert code == 1 and f"unknown word {UNKNOWN!r}" in out and "awaiting_permanent" in out

        code = main(
            ["import", str(path), "--programme", TEMPORARY.id, "--map-value", f"{UNKNOWN}=nothing"]
        )
        assert code == 2 and "has no category 'nothing'" in capsys.readouterr().err

        code = main(
            [
                "import",
                str(path),
                "--programme",
                TEMPORARY.id,
                "--who",
                "ภาคใต้",
                "--map-value",
                f"{UNKNOWN}=awaiting_permanent",
            ]
        )
        assert code == 0, capsys.readouterr().out
        from codi_geo.results.store import open_store

        store = open_store(url)
        try:
            assert store.category_words(TEMPORARY.id) == {UNKNOWN: "awaiting_permanent"}
            assert [e.action for e in store.audit_events()].count("map_value") == 1
        finally:
            store.close()
