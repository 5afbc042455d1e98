"""The briefing pack: one PowerPoint file with a cover and one slide per programme that has
figures for the view's area and period, because CODI's offices brief from slides.

Each programme slide carries the same image as that programme's single-slide PNG download
(``downloads.briefing_bytes`` of the ``PageMap`` its page computes, see ``programme_map``),
under a title; the slide notes repeat title, period, area and source as text. Thai text in
the file names the Thai font the images use (``fonts.thai_font``), so PowerPoint picks it
where it is installed.

Pure: no Streamlit here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from codi_geo import thai
from codi_geo.maps import base, figures, pagemaps
from codi_geo.maps.pagemaps import PageMap
from codi_geo.maps.viewstate import ViewState
from codi_geo.outputs import briefing, downloads, fonts
from codi_geo.places import gazetteer
from codi_geo.programmes import PROGRAMMES, Programme
from codi_geo.text import t

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, PowerPoint's default
TITLE_HEIGHT = Inches(0.62)
TITLE_ONLY, BLANK, TITLE_SLIDE = 5, 6, 0  # layouts of python-pptx's default template
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def programme_map(
    programme: Programme, rows: pd.DataFrame, state: ViewState, lang: str
) -> PageMap | None:
    """The map a programme's own page shows for ``state`` (its first figure with data), or
    for a programme without a page the overview's map of it; a programme reported only per
    CODI region gets its regions shaded. None when it has no figures in the view."""
    own = rows[rows["programme"] == programme.id] if not rows.empty else rows
    if own.empty or figures.within(own, state.within).empty:
        return None
    state = replace(state, area=None, level=None, metric=None, disaster_mode=None, compare=None)
    page_map: PageMap | None
    if programme.id == "model_tambon":
        page_map = pagemaps.model_tambons(own, state, lang)
    elif programme.id == "integrated_province":
        page_map = pagemaps.integrated_provinces(own, state, lang)
    elif programme.id == "disaster":
        page_map = pagemaps.disasters(
            figures.within(own, state.within), state, "counts", None, lang
        )
    else:
        page_map = _figure_map(programme, own, state, lang)
    return page_map if page_map is not None and page_map.has_data else None


def _figure_map(
    programme: Programme, own: pd.DataFrame, state: ViewState, lang: str
) -> PageMap | None:
    choices = [metric for p, metric in figures.metric_choices(own) if p.id == programme.id]
    level = base.extent_for(state.scope, state.within, programme.level).level
    for metric in choices:  # the first figure with areas to shade (else the result count)
        if programme.family == "housing":
            page_map = pagemaps.housing(own, state, programme, metric, level, lang)
        else:
            page_map = pagemaps.overview(
                own, state, f"{programme.id}:{metric or pagemaps.COUNT}", level, lang
            )
        if page_map.has_data:
            return page_map
    regional = own[own["level"] == "region"]
    if state.within and state.within not in gazetteer.REGION_BY_ID:
        return None  # a province or district in view: region totals do not say anything
    for declared in programme.metrics:
        counts = figures.region_counts(regional, None, declared.id)
        if state.region:
            counts = {k: v for k, v in counts.items() if k == state.region}
        if counts:
            return PageMap(
                programme,
                "region_counts",
                base.Extent("national", None, "region", state.fiscal_year),
                pd.Series(counts, dtype="float64"),
                pagemaps.metric_label(programme, declared.id, lang),
                regional,
                unit=declared.unit.get(lang),
                metric=declared.id,
            )
    return None


def programme_maps(rows: pd.DataFrame, state: ViewState, lang: str) -> list[PageMap]:
    """The maps of every programme with figures in the view, in declaration order."""
    found = (programme_map(p, rows, state, lang) for p in PROGRAMMES)
    return [m for m in found if m is not None]


def _text(frame, text: str, size: float, bold: bool = False, colour: str = "1A1A1A") -> None:
    frame.text = text
    font_name = fonts.thai_font().family
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = font_name
            run.font.color.rgb = RGBColor.from_string(colour)
            # PowerPoint shapes Thai with the complex-script font: name it too
            r_pr = run._r.get_or_add_rPr()
            for tag in ("a:cs", "a:ea"):
                found = r_pr.find(
                    f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{tag.split(':')[1]}"
                )
                if found is None:
                    found = r_pr.makeelement(
                        f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}"
                        f"{tag.split(':')[1]}",
                        {},
                    )
                    r_pr.append(found)
                found.set("typeface", font_name)


def _date_text(day: date, lang: str) -> str:
    """``30 พ.ย. 2568`` / ``30 Nov 2025``."""
    if lang == "en":
        return f"{day.day} {thai.MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} {thai.MONTHS_TH[day.month - 1]} {day.year + thai.BE_OFFSET}"


def _cover(presentation, state: ViewState, titles: list[str], lang: str, today: date) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[BLANK])
    area = " · ".join(value for _, value in pagemaps.filter_labels(state, lang))
    period = briefing.period_label(state.fiscal_year, state.quarter, lang)
    lines = [
        (t("pack_title", lang), 40, True, "1A1A1A"),
        (period, 24, False, "333333"),
        (area, 22, False, "333333"),
        (t("pack_made", lang, date=_date_text(today, lang)), 14, False, "555555"),
    ]
    top: int = Inches(1.3)
    for text, size, bold, colour in lines:
        box = slide.shapes.add_textbox(
            Inches(0.8), top, SLIDE_WIDTH - Inches(1.6), Inches(0.9 if size > 30 else 0.6)
        )
        box.text_frame.word_wrap = True
        _text(box.text_frame, text, size, bold, colour)
        top += Inches(1.0 if size > 30 else 0.65)
    box = slide.shapes.add_textbox(
        Inches(0.8), top + Inches(0.3), SLIDE_WIDTH - Inches(1.6), Inches(3)
    )
    box.text_frame.word_wrap = True
    _text(
        box.text_frame,
        t("pack_contents", lang)
        + "\n"
        + "\n".join(f"{n}. {title}" for n, title in enumerate(titles, start=1)),
        14,
        False,
        "333333",
    )
    source = briefing.CODI.get(lang)
    slide.notes_slide.notes_text_frame.text = f"{period}\n{area}\n{source}"


def briefing_pack(
    rows: pd.DataFrame,
    state: ViewState,
    *,
    public_page: bool,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PPTX bytes: a cover, then per programme with figures in the view the slide image
    of its map under its name. ``rows``: the period's rows (every programme)."""
    lang = "en" if state.lang == "en" else "th"
    maps = programme_maps(rows, state, lang)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _cover(
        presentation, state, [m.programme.name.get(lang) for m in maps], lang, today or thai.today()
    )
    period = briefing.period_label(state.fiscal_year, state.quarter, lang)
    area = " · ".join(value for _, value in pagemaps.filter_labels(state, lang))
    source = briefing.CODI.get(lang)
    for number, page_map in enumerate(maps, start=1):
        image = downloads.briefing_bytes(page_map, state, "png", public_page=public_page)
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY])
        title = slide.shapes.title
        title.left, title.top = Inches(0.3), Inches(0.05)
        title.width, title.height = SLIDE_WIDTH - Inches(0.6), TITLE_HEIGHT
        _text(title.text_frame, page_map.programme.name.get(lang), 24, True)
        # the image is 16:9 like the slide: as high as the space under the title, centred
        height = SLIDE_HEIGHT - TITLE_HEIGHT - Inches(0.1)
        width = Emu(int(height * 16 / 9))
        slide.shapes.add_picture(
            io.BytesIO(image),
            Emu(int((SLIDE_WIDTH - width) / 2)),
            TITLE_HEIGHT + Inches(0.05),
            width=width,
            height=height,
        )
        slide.notes_slide.notes_text_frame.text = "\n".join(
            (page_map.title, period, area, f"{t('source', lang)}: {source}")
        )
        if progress is not None:
            progress(number, len(maps))
    presentation.core_properties.title = t("pack_title", lang)
    presentation.core_properties.author = source
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def pack_filename(state: ViewState) -> str:
    """``codi_briefing_2569_q2_northeast.pptx`` (ASCII)."""
    return downloads.view_stem("briefing", state) + ".pptx"
