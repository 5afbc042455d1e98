"""Briefing images (PNG/PDF made with matplotlib) and the shared map scales."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pypdf
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from codi_geo import settings
from codi_geo.maps import scales
from codi_geo.outputs import briefing, fonts
from codi_geo.places.boundaries import load_layer
from codi_geo.programmes import get_programme
from codi_geo.text import Bilingual

INTEGRATED = get_programme("integrated_province")
POR_PIANG = get_programme("baan_por_piang")
TITLE_TH = "จังหวัดบูรณาการ ปีงบประมาณ 2569 ที่ผ่านเกณฑ์"


# ---------------------------------------------------------------------------------------
# scales
# ---------------------------------------------------------------------------------------


def test_zero_and_no_data_are_distinct_classes() -> None:
    values = [0, 0, 1, 2, 3, 5, 8, 13, 40, None, float("nan"), pd.NA]
    scheme = scales.classify(values, n=4)
    assert scheme.key_of(0) == scales.ZERO_KEY
    assert scheme.key_of(None) == scheme.key_of(float("nan")) == scheme.key_of(pd.NA)
    assert scheme.key_of(None) == scales.NO_DATA_KEY
    assert scheme.colour_of(0) != scheme.colour_of(None)
    assert scheme.colour_of(None) == scales.NO_DATA_COLOUR
    assert scheme.colour_of(0) not in scheme.colours  # zero is apart from "a few" too
    assert scheme.hatch_of(None) == scales.NO_DATA_HATCH and scheme.hatch_of(0) is None
    assert len(scheme.colours) == 4
    keys = [e.key for e in scheme.legend()]
    assert keys == ["zero", "c0", "c1", "c2", "c3", "no_data"]


def test_class_colours_stay_apart_in_greyscale_and_no_data_has_no_hue() -> None:
    for n in range(scales.MIN_CLASSES, scales.MAX_CLASSES + 1):
        for values in (list(range(1, 100)), list(range(0, 100))):
            scheme = scales.classify(values, n=n)
            ramp = [scheme.zero_colour] if scheme.zero_class else []
            ramp += list(scheme.colours)
            lightness = [scales.lightness(c) for c in ramp]
            steps = np.diff(lightness)
            assert (steps < -5).all(), (n, ramp, lightness)  # darker with every class
    grey = scales.NO_DATA_COLOUR
    assert grey[1:3] == grey[3:5] == grey[5:7]
    for palette in scales.YLGNBU.values():
        for colour in palette:
            rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
            assert max(rgb) - min(rgb) > 20  # every class colour has a hue; no-data none


def test_every_value_falls_in_a_class_that_holds_it() -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(1, 500, 300).astype(float)
    scheme = scales.classify(values, n=5)
    assert len(scheme.colours) == 5 and len(scheme.bins) == 6
    assert scheme.bins[0] == values.min() and scheme.bins[-1] == values.max()
    for value in values:
        index = scheme.index_of(value)
        assert index is not None
        low, high = scheme.bins[index], scheme.bins[index + 1]
        assert (low <= value <= high) if index == 0 else (low < value <= high)
    counts = pd.Series([scheme.index_of(v) for v in values]).value_counts()
    assert counts.min() >= 300 / 5 * 0.5  # quantiles: no class nearly empty


def test_classify_edge_cases() -> None:
    assert scales.classify([5, 5, 5]).labels_th == ("5",)
    two = scales.classify([1, 1, 2, 2], n=5)
    assert len(two.colours) == 2  # no more scales than distinct values
    fixed = scales.classify([0.5, 3, 250], breaks=(0, 10, 100, 1000))
    assert fixed.bins == (0, 10, 100, 1000) and fixed.labels_th[1] == "10–100"
    assert fixed.key_of(250) == "c2" and fixed.key_of(3) == "c0"
    assert scales.classify([1.25, 2.5, 3.75], n=3).labels_th == ("1.25", "2.50", "3.75")
    floats = scales.classify(np.linspace(0.1, 0.9, 50), n=4)
    assert floats.labels_th[0] == "0.10–0.30" and len(floats.colours) == 4
    assert scales.classify([], n=3).legend() == (
        scales.LegendEntry(
            "no_data",
            Bilingual("ไม่มีข้อมูล", "No data"),
            scales.NO_DATA_COLOUR,
            scales.NO_DATA_HATCH,
        ),
    )
    with pytest.raises(ValueError, match="negative"):
        scales.classify([-1, 2])
    with pytest.raises(ValueError, match="classes"):
        scales.classify([1, 2], n=9)
    with pytest.raises(ValueError, match="increasing"):
        scales.classify([1, 2], breaks=(5, 5, 10))


def test_categorical_scheme_is_the_declaration() -> None:
    scheme = scales.categorical(INTEGRATED)
    assert [e.key for e in scheme.entries] == [c.id for c in INTEGRATED.categories]
    for category in INTEGRATED.categories:
        assert scheme.colour_of(category.id) == category.colour
    assert scheme.colour_of("not_declared") == scales.NO_DATA_COLOUR
    assert scheme.colour_of(None) == scales.NO_DATA_COLOUR
    with pytest.raises(ValueError):
        scales.categorical(POR_PIANG)  # declares no categories


# ---------------------------------------------------------------------------------------
# period labels
# ---------------------------------------------------------------------------------------


def test_period_labels_follow_the_thai_fiscal_year() -> None:
    assert briefing.period_label(2569, None) == "ปีงบประมาณ 2569"
    assert briefing.period_label(2569, 1) == "ปีงบประมาณ 2569 ไตรมาส 1 (ต.ค.–ธ.ค. 2568)"
    assert briefing.period_label(2569, 2) == "ปีงบประมาณ 2569 ไตรมาส 2 (ม.ค.–มี.ค. 2569)"
    assert briefing.period_label(2569, 4) == "ปีงบประมาณ 2569 ไตรมาส 4 (ก.ค.–ก.ย. 2569)"
    assert (
        briefing.period_label(2569, 2, cumulative=True)
        == "ปีงบประมาณ 2569 สะสมถึงไตรมาส 2 (ต.ค. 2568–มี.ค. 2569)"
    )
    assert (
        briefing.period_label(2569, 1, "en") == "Fiscal year 2569 BE (2025/26), Q1 (Oct–Dec 2025)"
    )
    with pytest.raises(ValueError):
        briefing.period_label(2569, 5)


# ---------------------------------------------------------------------------------------
# spec, figure, files
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provinces(boundary_cache: Path) -> pd.DataFrame:
    layer = load_layer("province", "low", boundary_cache).copy()
    tiers = ["tier_1", "tier_2", "tier_3", "tier_4", None, "tier_2", "tier_1"]
    layer["category"] = [tiers[i % len(tiers)] for i in range(len(layer))]
    layer["households"] = [float(i % 9) if i % 5 else None for i in range(len(layer))]
    return layer


@pytest.fixture(scope="module")
def view() -> briefing.SlideRequest:
    return briefing.SlideRequest(
        "integrated_province",
        2569,
        2,
        title=TITLE_TH,
        filters=(("ภาค", "ทั้งประเทศ"),),
        source="รายงานผลการดำเนินงาน พอช. ไตรมาส 2/2569",
    )


def test_spec_uses_the_declared_categories_and_colours(provinces, view) -> None:
    spec = briefing.briefing_spec(provinces, INTEGRATED, view)
    assert spec.title == TITLE_TH
    assert spec.period == "ปีงบประมาณ 2569 ไตรมาส 2 (ม.ค.–มี.ค. 2569)"
    assert spec.legend_title == INTEGRATED.category_label.th
    for colour, category in zip(spec.face_colours, provinces["category"], strict=True):
        declared = INTEGRATED.category(category) if category else None
        assert colour == (declared.colour if declared else scales.NO_DATA_COLOUR)
    assert [e.key for e in spec.legend] == ["tier_1", "tier_2", "tier_3", "tier_4", "no_data"]
    expected = provinces["category"].fillna("no_data").value_counts()
    assert spec.legend_counts == tuple(int(expected[e.key]) for e in spec.legend)
    assert spec.legend_labels[0] == f"{INTEGRATED.categories[0].name.th} ({expected['tier_1']})"
    assert spec.summary[-1] == f"มีข้อมูล {77 - expected['no_data']} จาก 77 จังหวัด"
    assert "รายงานผลการดำเนินงาน พอช. ไตรมาส 2/2569" in spec.footer[0]
    assert "กรมแผนที่ทหาร" in spec.footer[1]
    assert spec.watermark is None


def test_spec_classes_are_the_interactive_maps(provinces) -> None:
    view = briefing.SlideRequest("baan_por_piang", 2569, None, metric="households")
    spec = briefing.briefing_spec(provinces, POR_PIANG, view)
    values = list(provinces["households"])
    shared = scales.classify(values, n=5)
    assert list(spec.face_colours) == shared.colours_for(values)
    assert spec.legend_title == "ครัวเรือน"
    total = provinces["households"].sum()
    assert spec.summary[0] == f"รวม {total:,.0f} ครัวเรือน"
    assert spec.legend[0].key == "zero" and spec.legend[-1].key == "no_data"


def test_png_is_full_hd_with_thai_text_and_legend(provinces, view) -> None:
    spec = briefing.briefing_spec(provinces, INTEGRATED, view)
    with briefing._rendering() as caught:
        fig = briefing.draw_briefing(spec, provinces)
        png = briefing.save_figure(fig, "png", spec.dpi, spec.title)
    assert briefing._missing_glyphs(caught) == ()
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size == (1920, 1080)
    assert round(image.info["dpi"][0]) == 150
    # the legend in the figure is the spec's legend, same colours
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == list(spec.legend_labels)
    assert legend.get_title().get_text() == INTEGRATED.category_label.th
    faces = [to_hex(h.get_facecolor()) for h in legend.legend_handles]
    assert faces == [e.colour for e in spec.legend]
    drawn = {t.get_text() for t in fig.texts}
    assert {spec.title, spec.period, *spec.footer} <= drawn
    # every text uses the Thai font, which has every Thai character shown
    for text in [*fig.texts, *legend.get_texts()]:
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert Path(path).name.startswith(fonts.thai_font().family.split()[0])
        assert fonts.font_covers(path, "".join(c for c in text.get_text() if c >= "\u0e00"))
    # the map is drawn: the centre of Thailand is coloured, not white
    pixels = np.asarray(image.convert("RGB"))
    assert (pixels[200:900, 100:900] != 255).any(axis=2).mean() > 0.15


def _render_text(text: str, family: list[str]) -> tuple[np.ndarray, list[str]]:
    fig = Figure(figsize=(6, 1), dpi=100)
    fig.text(0.02, 0.5, text, fontproperties=FontProperties(family=family, size=24), va="center")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    messages = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    return np.asarray(canvas.buffer_rgba())[..., :3].copy(), messages


def test_thai_font_draws_thai_where_a_latin_font_draws_boxes() -> None:
    font = fonts.thai_font()
    assert fonts.font_covers(font.path, fonts.THAI_PROBE)
    assert not fonts.font_covers(font_manager.findfont("DejaVu Sans"), "ก")
    thai, thai_missing = _render_text(TITLE_TH, [font.family, "DejaVu Sans"])
    tofu, tofu_missing = _render_text(TITLE_TH, ["DejaVu Sans"])
    assert thai_missing == []
    assert tofu_missing  # the control: without a Thai font matplotlib reports missing glyphs
    assert (thai != 255).any() and (thai != tofu).any()


def test_a_missing_thai_font_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    latin_only = font_manager.findfont("DejaVu Sans")
    try:
        for setting in (latin_only, "No Such Thai Family"):
            monkeypatch.setenv(fonts.THAI_FONT_ENV, setting)
            settings.clear()
            with pytest.raises(fonts.ThaiFontMissingError) as error:
                fonts.thai_font()
            assert "ฟอนต์" in str(error.value) and "Thai" in str(error.value)
            assert "fonts-thai-tlwg" in str(error.value) or latin_only in str(error.value)
    finally:
        monkeypatch.delenv(fonts.THAI_FONT_ENV)
        settings.clear()
    assert fonts.thai_font().family


def test_pdf_opens_with_thai_title_and_embedded_font(provinces, view) -> None:
    rendered = briefing.render_briefing(provinces, INTEGRATED, view, fmt="pdf")
    assert rendered.data.startswith(b"%PDF") and rendered.missing_glyphs == ()
    reader = pypdf.PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (921.6, 518.4)  # 16:9
    assert reader.metadata.title == TITLE_TH
    embedded = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    family = fonts.thai_font().family
    assert any(family in name for name in embedded)  # TrueType embedded, not outlines
    text = page.extract_text()
    # Words without vowel or tone marks come back exactly (matplotlib maps each glyph of a
    # cluster to the whole cluster, so marked syllables are doubled when copied).
    for word in ("ขอบเขตการปกครอง", "ภาค", "กลุ่ม"[:2], "2569"):
        assert word in text
    assert "CC BY-IGO 3.0" in text


def test_same_view_same_pdf(provinces, view) -> None:
    first = briefing.briefing_pdf(provinces, INTEGRATED, view)
    second = briefing.briefing_pdf(provinces, INTEGRATED, view)
    assert first == second  # no creation date inside


def test_national_tambon_map_with_demo_watermark(boundary_cache: Path) -> None:
    tambons = load_layer("tambon", "low", boundary_cache).copy()
    rng = np.random.default_rng(3)
    values = rng.poisson(4, len(tambons)).astype(float)
    values[rng.random(len(tambons)) < 0.4] = np.nan
    tambons["households"] = values
    view = briefing.SlideRequest("baan_por_piang", 2569, 2, metric="households", demo=True)
    spec = briefing.briefing_spec(tambons, POR_PIANG, view)
    assert spec.level == "tambon" and spec.watermark == "ข้อมูลตัวอย่าง ไม่ใช่ผลจริง"
    assert set(spec.hatches) == {None}  # thousands of hatched tambons would be noise
    assert spec.legend[-1].key == "no_data" and spec.legend[-1].hatch is None
    outlines = load_layer("province", "low", boundary_cache)
    rendered = briefing.render_briefing(tambons, POR_PIANG, view, outlines=outlines)
    assert rendered.missing_glyphs == ()
    assert Image.open(io.BytesIO(rendered.data)).size == (1920, 1080)


def test_region_view_and_points(boundary_cache: Path) -> None:
    disaster = get_programme("disaster")
    provinces = load_layer("province", "medium", boundary_cache)
    north = provinces[provinces["region"] == "north"].copy()
    north["households"] = np.arange(len(north), dtype=float)
    points = pd.DataFrame(
        {"latitude": [18.79, 19.9], "longitude": [98.98, 99.83], "category": ["flood", "fire"]}
    )
    view = briefing.SlideRequest(
        "disaster",
        2569,
        1,
        metric="households",
        filters=(("ภาค", "ภาคเหนือ"),),
        dpi=200,
        width_px=2560,
        height_px=1440,
    )
    spec = briefing.briefing_spec(north, disaster, view, points=points)
    assert spec.point_colours == ("#377eb8", "#e41a1c")
    assert spec.summary[-1] == "มีข้อมูล 17 จาก 17 จังหวัด"
    png = briefing.briefing_png(north, disaster, view, points=points)
    assert Image.open(io.BytesIO(png)).size == (2560, 1440)
    with pytest.raises(ValueError, match="differ in length"):
        briefing.draw_briefing(spec, north.iloc[:3])


def test_long_legends_and_titles_fit_the_slide(boundary_cache: Path) -> None:
    provinces = load_layer("province", "low", boundary_cache).copy()
    values = [float(i * 37 % 101) for i in range(len(provinces))]
    values[:3] = [None, None, 0.0]
    provinces["households"] = values
    view = briefing.SlideRequest(
        "baan_por_piang",
        2569,
        1,
        cumulative=True,
        metric="households",
        n_classes=7,
        filters=(("ภาค", "ทั้งประเทศ"), ("ระดับ", "จังหวัด")),
        title="ภัยพิบัติและการฟื้นฟูที่อยู่อาศัยของชุมชนริมคลองและชุมชนริมทางรถไฟทั่วประเทศ ปีงบประมาณ 2569",
    )
    spec = briefing.briefing_spec(provinces, POR_PIANG, view)
    assert len(spec.legend) == 8 and len(spec.summary) == 2  # zero, 6 scales, no data
    fig = briefing.draw_briefing(spec, provinces)
    renderer = FigureCanvasAgg(fig).get_renderer()
    (legend,) = fig.legends
    legend_box = legend.get_window_extent(renderer)
    assert legend_box.y0 >= briefing.FOOTER_TOP * spec.height_px  # clear of the footer
    assert legend_box.x1 <= spec.width_px
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= spec.width_px, text.get_text()
        if text.get_text() in spec.summary:
            assert box.y0 > legend_box.y1  # summary above the legend, not on it


def test_a_dozen_declared_categories_still_fit(boundary_cache: Path) -> None:
    model = get_programme("model_tambon")
    provinces = load_layer("province", "low", boundary_cache).copy()
    kinds = [c.id for c in model.categories] + [None]
    provinces["category"] = [kinds[i % len(kinds)] for i in range(len(provinces))]
    view = briefing.SlideRequest(
        "model_tambon", 2569, 2, filters=(("ภาค", "ทั้งประเทศ"), ("ระดับ", "จังหวัด"))
    )
    spec = briefing.briefing_spec(provinces, model, view)
    assert len(spec.legend) == len(model.categories) + 1 >= 12
    fig = briefing.draw_briefing(spec, provinces)
    renderer = FigureCanvasAgg(fig).get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    assert box.y0 >= briefing.FOOTER_TOP * spec.height_px and box.x1 <= spec.width_px
    assert legend.prop.get_size() >= 8
