"""User-facing words of the app and its maps, Thai first, English when switched.

``t(key, lang, **values)`` formats one entry. Keep entries short and plain: they are read in
briefings. Data-derived values passed in are not escaped here; callers that build HTML escape
them (see ``maps.esc``).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("th", "en")


@dataclass(frozen=True)
class Bilingual:
    """One piece of text in Thai and English. ``get(lang)`` falls back to the other language
    when the asked one is empty, so a declaration with only a Thai name still shows."""

    th: str
    en: str = ""

    def get(self, lang: str = "th") -> str:
        if lang == "en":
            return self.en or self.th or ""
        return self.th or self.en or ""

    def __str__(self) -> str:
        return self.get("th")


class Named:
    """Mixin for declarations with ``name_th`` and ``name_en`` fields: ``.name`` is the pair as
    one value. (Not a dataclass: its annotations do not become fields of the subclasses.)"""

    name_th: str
    name_en: str

    @property
    def name(self) -> Bilingual:
        return Bilingual(self.name_th, self.name_en)

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("แผนที่ผลการดำเนินงาน พอช.", "CODI results map"),
    "app_caption": (
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) · ผลการดำเนินงานตามพื้นที่",
        "Community Organizations Development Institute · results by area",
    ),
    "language": ("ภาษา / Language", "ภาษา / Language"),
    "page_overview": ("ภาพรวม", "Overview"),
    "page_model_tambon": ("ตำบลต้นแบบ", "Model tambons"),
    "page_integrated": ("จังหวัดบูรณาการ", "Integrated provinces"),
    "page_housing": ("ที่อยู่อาศัย", "Housing"),
    "page_disaster": ("ภัยพิบัติ", "Disasters"),
    "page_data": ("ข้อมูล", "Data"),
    "page_sources": ("แหล่งข้อมูล", "Sources"),
    "filters": ("ตัวกรอง", "Filters"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "fy_label": ("{be}", "{be}"),
    "quarter": ("ไตรมาส", "Quarter"),
    "whole_year": ("ทั้งปี", "Whole year"),
    "quarter_n": ("ไตรมาส {n}", "Q{n}"),
    "region": ("ภาค (พอช.)", "CODI region"),
    "province": ("จังหวัด", "Province"),
    "district": ("อำเภอ/เขต", "District"),
    "tambon": ("ตำบล/แขวง", "Tambon"),
    "all_regions": ("ทุกภาค", "All regions"),
    "all_provinces": ("ทุกจังหวัด", "All provinces"),
    "all_districts": ("ทุกอำเภอ", "All districts"),
    "whole_country": ("ทั้งประเทศ", "Whole country"),
    "basemap": ("แผนที่ฐาน", "Basemap"),
    "basemap_plain": ("ไม่ใช้อินเทอร์เน็ต (เส้นขอบจังหวัด)", "Offline (province outlines)"),
    "basemap_osm": ("OpenStreetMap (ต้องใช้อินเทอร์เน็ต)", "OpenStreetMap (needs internet)"),
    "basemap_carto": ("CARTO สีอ่อน (ต้องใช้อินเทอร์เน็ต)", "CARTO light (needs internet)"),
    "reset": ("ล้างตัวกรอง", "Clear filters"),
    "no_data": ("ไม่มีข้อมูล", "No data"),
    "zero": ("0", "0"),
    "national_map": ("แผนที่จังหวัดทั้งประเทศ", "Provinces of Thailand"),
    "provinces_map_caption": (
        "77 จังหวัด สีตามภาคของ พอช. คลิกจังหวัดเพื่อดูรายละเอียด",
        "77 provinces, coloured by CODI region. Click a province for its details.",
    ),
    "cache_missing_title": (
        "ยังไม่มีข้อมูลขอบเขตการปกครอง",
        "The boundary cache is not built",
    ),
    "cache_missing_body": (
        "แผนที่ต้องใช้ขอบเขตจังหวัด/อำเภอ/ตำบล ซึ่งยังไม่ได้สร้าง ให้ผู้ดูแลระบบรันคำสั่งนี้ "
        "ครั้งเดียว (ใช้เวลาไม่กี่วินาที) แล้วโหลดหน้านี้ใหม่:",
        "The maps need the province/district/tambon boundaries, which are not built yet. "
        "Ask the administrator to run this once (a few seconds), then reload this page:",
    ),
    "assets_missing_title": (
        "ยังไม่ได้ติดตั้งไฟล์แผนที่ (Leaflet)",
        "The map files (Leaflet) are not installed",
    ),
    "assets_missing_body": (
        "แอปให้บริการไฟล์แผนที่เอง (ไม่โหลดจากอินเทอร์เน็ต) ให้ผู้ดูแลระบบรันคำสั่งนี้ แล้วเริ่มแอปใหม่:",
        "The app serves its map files itself (nothing from the internet). Ask the administrator "
        "to run this, then restart the app:",
    ),
    "loading_map": ("กำลังวาดแผนที่…", "Drawing the map…"),
    "details": ("รายละเอียดพื้นที่", "Area details"),
    "details_hint": (
        "คลิกพื้นที่บนแผนที่เพื่อดูตัวเลขทุกแผนงานของพื้นที่นั้น",
        "Click an area on the map to see every programme's figures for it.",
    ),
    "drill_into": ("ดูภายใน {name}", "Open {name}"),
    "back_to": ("กลับไป {name}", "Back to {name}"),
    "programme": ("แผนงาน", "Programme"),
    "indicator": ("ตัวชี้วัด", "Indicator"),
    "target": ("เป้าหมาย", "Target"),
    "result": ("ผล", "Result"),
    "progress": ("ความก้าวหน้า", "Progress"),
    "source": ("แหล่งที่มา", "Source"),
    "count": ("จำนวน", "Count"),
    "households": ("ครัวเรือน", "Households"),
    "attribution": (
        "ขอบเขตการปกครอง: กรมแผนที่ทหาร ผ่าน OCHA COD-AB",
        "Boundaries: Royal Thai Survey Department via OCHA COD-AB",
    ),
    "error_title": ("เกิดข้อผิดพลาด", "Something went wrong"),
    "empty_filtered": (
        "ไม่มีข้อมูลตามตัวกรองที่เลือก ลองเปลี่ยนปีงบประมาณ ไตรมาส หรือพื้นที่",
        "No data for the chosen filters. Try another fiscal year, quarter or area.",
    ),
    "show_level": ("ระดับพื้นที่บนแผนที่", "Areas on the map"),
    "level_province": ("จังหวัด", "Provinces"),
    "level_district": ("อำเภอ", "Districts"),
    "level_tambon": ("ตำบล", "Tambons"),
    "no_figures_for_area": ("ไม่มีตัวเลขของพื้นที่นี้ตามตัวกรองที่เลือก",
                            "No figures for this area with the chosen filters."),
    "figure": ("รายการ", "Figure"),
    "value": ("ค่า", "Value"),
    "rows": ("จำนวนแถว", "Rows"),
    "close_details": ("ปิดรายละเอียด", "Close details"),
    "targets_vs_results": ("เป้าหมายและผลการดำเนินงาน", "Targets and results"),
    "store_error": ("อ่านคลังข้อมูลไม่ได้ แจ้งผู้ดูแลระบบ", "Cannot read the data store; tell "
                    "the administrator."),
    "no_indicators": ("ยังไม่มีตัวชี้วัดของปีงบประมาณ {fy} นำเข้าได้ที่หน้า ข้อมูล",
                      "No indicators for fiscal year {fy} yet; import them on the Data page."),
    "no_share": ("ไม่มีเป้าหมาย/ผล จึงไม่คำนวณร้อยละ", "no target or result, so no percentage"),
    "row_count": ("จำนวนรายการ", "number of records"),
    "no_figures_at_level": ("ไม่มีตัวเลขที่ระบุพื้นที่ในระดับนี้ ลองเลือกระดับที่หยาบกว่า",
                            "No figures placed at this level; try a coarser level."),
    "region_summary": ("สรุปรายภาค (พอช.)", "Summary by CODI region"),
    "region_summary_note": (
        "รวมแถวที่ระบุจังหวัด/อำเภอ/ตำบลได้ ตามปีและไตรมาสที่เลือก ตัวเลขที่รายงานเป็นรายภาคเท่านั้น "
        "(เช่น ตำบลต้นแบบปี 2569) ดูได้ที่หน้าของแผนงาน",
        "Sum of the rows placed in a province, district or tambon, for the chosen year and "
        "quarter. Figures reported only per region (e.g. model tambons in FY2569) are on the "
        "programme's page."),
    "model_tambons_map": ("ตำบลต้นแบบตามกลุ่ม", "Model tambons by cohort"),
    "model_tambons_caption": (
        "{n} ตำบลที่มีรายชื่อในข้อมูล สีตามกลุ่ม บนเส้นขอบจังหวัด คลิกตำบลเพื่อดูรายละเอียด",
        "{n} tambons listed in the data, coloured by cohort, over province outlines. Click a "
        "tambon for its details."),
    "model_tambons_by_region": ("ตำบลต้นแบบรายภาค", "Model tambons by region"),
    "criterion": ("เกณฑ์/กลุ่ม", "Criterion or cohort"),
    "tambons_count": ("จำนวนตำบล", "Tambons"),
    "tambon_lists_missing": (
        "ข้อมูลมีเฉพาะจำนวนตำบลรายภาค ยังไม่มีรายชื่อตำบล จึงแสดงเป็นภาค",
        "The data has only counts of tambons per region; the tambon lists are not in the data "
        "yet, so regions are shown."),
    "model_tambons_per_region": ("จำนวนตำบลต้นแบบต่อภาค", "Model tambons per region"),
    "tambons_listed": ("ตำบลที่มีรายชื่อ", "Tambons listed by name"),
    "tambon_list": ("รายชื่อตำบล", "Tambon list"),
    "cohort": ("กลุ่ม", "Cohort"),
    "yes": ("ผ่าน ✓", "Yes ✓"),
    "met_all_criteria": ("ผ่านเกณฑ์ครบ", "Met all criteria"),
    "met_all_note": ("เส้นขอบหนาสีแดงเข้ม = ผ่านเกณฑ์ครบทุกองค์ประกอบ",
                     "Thick dark red outline = met all criteria"),
    "integrated_caption": (
        "{tiers} จังหวัดตามกลุ่มการสนับสนุน · {met} จังหวัดผ่านเกณฑ์ครบ (เส้นขอบหนา)",
        "{tiers} provinces by support tier · {met} met all criteria (thick outline)"),
    "province_list": ("รายชื่อจังหวัด", "Provinces"),
    "support_tier": ("กลุ่มการสนับสนุน", "Support tier"),
    "criteria_counts": ("จำนวนจังหวัดตามเกณฑ์ (ระดับภาค/ประเทศ)",
                        "Provinces per criterion (region / national figures)"),
    "error_what_to_do": (
        "ลองเปลี่ยนตัวกรองหรือโหลดหน้าใหม่ ถ้ายังเป็นอยู่ ส่งลิงก์ของหน้านี้ (จากแถบที่อยู่) "
        "พร้อมข้อความนี้ให้ผู้ดูแลระบบ",
        "Try other filters or reload the page. If it persists, send this page's link (from the "
        "address bar) and this message to the administrator."),
    "error_details": ("รายละเอียดสำหรับผู้ดูแลระบบ", "Details for the administrator"),
    "all_model_tambons": ("ตำบลต้นแบบทั้งหมด (ใหม่ + ติดตาม)", "All model tambons (new + "
                          "follow-up)"),
    "location": ("ตำแหน่ง", "Location"),
    "approx_location": ("โดยประมาณ (จุดกลางพื้นที่ที่รายงาน)",
                        "approximate (inside the reported area)"),
    "approx_note": ("จุดที่ไม่มีพิกัดวางไว้กลางพื้นที่ที่รายงาน (ตำบล/อำเภอ/จังหวัด)",
                    "Rows without coordinates are pinned inside their reported area."),
    "heat_title": ("ความหนาแน่นของจุด", "Density of pinpoints"),
    "heat_note": ("สีเข้มขึ้น = จุดมากขึ้นในบริเวณนั้น", "Warmer = more pinpoints nearby"),
    "no_area_rows": ("แผนงานนี้ไม่มีตัวเลขรายพื้นที่ในช่วงที่เลือก (มีแต่ภาพรวมประเทศ) ดูตารางใต้แผนที่",
                     "This programme has no figures by area for the chosen period (national "
                     "totals only); see the table."),
    "housing_pins_capped": (
        "สีตามตัวเลขรวมของพื้นที่ · มีชุมชน/โครงการที่มีชื่อ {n} จุด มากเกินกว่าจะปักทีละจุด "
        "(ไม่เกิน {limit} จุด) เลือกจังหวัดหรืออำเภอเพื่อดูทีละจุด",
        "Shaded by the area totals · {n} named communities and projects, too many to pin one "
        "by one (at most {limit}); choose a province or district to see each."),
    "housing_caption": (
        "สีตามตัวเลขรวมของพื้นที่ · จุด = ชุมชน/โครงการที่มีชื่อ ({n} จุด) คลิกพื้นที่เพื่อดูรายละเอียด",
        "Shaded by the area totals · dots = named communities and projects ({n}). Click an "
        "area for its details."),
    "by_category": ("ตาม{what}", "By {what}"),
    "category": ("ประเภท", "Category"),
    "rows_listed": ("รายการตามแหล่งข้อมูล", "Rows as reported"),
    "place": ("พื้นที่", "Area"),
    "name": ("ชื่อ", "Name"),
    "plan": ("แผน/เป้าหมาย", "Plan/target"),
    "note": ("หมายเหตุ", "Note"),
    "map_view": ("มุมมองแผนที่", "Map view"),
    "mode_points": ("จุด (รวมกลุ่ม)", "Pinpoints (clustered)"),
    "mode_heat": ("ความหนาแน่น", "Heat"),
    "mode_counts": ("จำนวนต่อพื้นที่", "Counts per area"),
    "kinds": ("ประเภทภัย", "Kinds"),
    "pinpoints": ("จุดเหตุ/กิจกรรม", "Pinpoints"),
    "pinpoints_unit": ("จุด", "pinpoints"),
    "disaster_caption": (
        "{n} จุด สีตามประเภทภัย ({approx} จุดไม่มีพิกัด วางไว้กลางพื้นที่ที่รายงาน) ตัวเลขในวงกลม = "
        "จำนวนจุดที่อยู่ใกล้กัน",
        "{n} pinpoints coloured by kind ({approx} without coordinates, pinned inside their "
        "reported area). Numbers in circles = pinpoints close together."),
    "counts_per_tambon": ("จำนวนต่อตำบล", "Counts per tambon"),
    "no_tambon_rows": ("ไม่มีรายการที่ระบุถึงระดับตำบลในช่วงที่เลือก",
                       "No rows placed down to a tambon in the chosen period."),
    "import": ("นำเข้าข้อมูล", "Import"),
    "batches": ("ชุดข้อมูลที่นำเข้า", "Batches"),
    "quality": ("คุณภาพข้อมูล", "Data quality"),
    "import_help": (
        "เลือกแผนงานและไฟล์ (CSV, Excel, GeoJSON, KML) กด ตรวจสอบ เพื่อดูปัญหาก่อน แล้วจึงกด นำเข้า "
        "ทุกการนำเข้าเป็นหนึ่งชุด ยกเลิกได้ที่แท็บ ชุดข้อมูลที่นำเข้า",
        "Choose the programme and a file (CSV, Excel, GeoJSON, KML). Check it first, then "
        "import. Every import is one batch, which can be undone on the Batches tab."),
    "import_file": ("ไฟล์ผลการดำเนินงาน", "Results file"),
    "valid_only": ("นำเข้าเฉพาะแถวที่ถูกต้อง (แถวที่มีปัญหาดาวน์โหลดไปแก้ได้)",
                   "Import only the valid rows (download the others to fix)"),
    "check_only": ("ตรวจสอบ (ยังไม่บันทึก)", "Check (store nothing)"),
    "import_now": ("นำเข้า", "Import"),
    "importing": ("กำลังตรวจไฟล์…", "Reading the file…"),
    "import_failed": ("อ่านไฟล์ไม่ได้", "Cannot read the file"),
    "row": ("แถว", "Row"),
    "column": ("คอลัมน์", "Column"),
    "severity": ("ระดับ", "Severity"),
    "problem": ("ปัญหา", "Problem"),
    "download_rejects": ("ดาวน์โหลดแถวที่ไม่รับ", "Download the rejected rows"),
    "no_batches": ("ยังไม่มีข้อมูลที่นำเข้า", "Nothing imported yet."),
    "active": ("ใช้งาน", "active"),
    "undone": ("ยกเลิกแล้ว", "undone"),
    "rows_stored": ("บันทึก {n} จาก {total} แถว", "{n} of {total} rows stored"),
    "undo": ("ยกเลิกชุดนี้", "Undo"),
    "unmatched_title": ("แถวที่ระบุพื้นที่ไม่ได้", "Rows that could not be placed"),
    "all_placed": ("ทุกแถวระบุพื้นที่ได้", "Every row has a place."),
    "boundary_gaps": ("ช่องว่างของขอบเขต", "Boundary gaps"),
    "no_gaps": ("ทุกรหัสตำบลมีขอบเขต", "Every tambon code has a polygon."),
    "gaps_help": (
        "{n} รหัสตำบลของกรมการปกครองไม่มีรูปแปลงในแหล่งขอบเขต (ตั้งขึ้นหลังแหล่งข้อมูลเผยแพร่) "
        "ข้อมูลของตำบลเหล่านี้นับในอำเภอ/จังหวัด แต่ไม่ปรากฏเป็นตำบลบนแผนที่",
        "{n} DOPA tambon codes have no polygon in the boundary source (created after its "
        "release): their figures count in their district and province but are not drawn as "
        "tambons."),
    "retired_help": ("รูปแปลงที่ใช้รหัสที่ยกเลิกแล้ว และรหัสที่ใช้แทน",
                     "Polygons with retired codes, and the codes used instead"),
    "shipped_title": ("ข้อมูลที่มากับแอป", "Figures shipped with the app"),
    "src_boundaries": ("ขอบเขตการปกครอง", "Administrative boundaries"),
    "src_boundaries_body": (
        "ขอบเขตจังหวัด อำเภอ ตำบล จาก [OCHA COD-AB ประเทศไทย]({page}) (กรมแผนที่ทหาร) "
        "ทำให้เรียบง่ายหลายระดับ ใช้ระดับหยาบสำหรับทั้งประเทศ ระดับละเอียดเมื่อเลือกจังหวัด",
        "Province, district and tambon boundaries from [OCHA COD-AB Thailand]({page}) (Royal "
        "Thai Survey Department), simplified at several levels: coarse for the whole country, "
        "fine for one province."),
    "src_cache": ("ไฟล์: {file} · sha256 {sha}… · {verified} · สร้างเมื่อ {built}",
                  "File: {file} · sha256 {sha}… · {verified} · built {built}"),
    "src_unverified": ("ยังไม่ได้ตรวจสอบ", "unverified"),
    "src_layer": ("ชั้นข้อมูล", "Layer"),
    "src_features": ("จำนวนรูปแปลง", "Features"),
    "src_vertices": ("จำนวนจุดยอด", "Vertices"),
    "src_tolerance": ("ความคลาดเคลื่อน (องศา)", "Tolerance (degrees)"),
    "src_decimals": ("ทศนิยม", "Decimals"),
    "src_names": ("รหัสและชื่อพื้นที่", "Codes and names"),
    "src_names_body": (
        "รหัสและชื่อจังหวัด อำเภอ ตำบล ตามทะเบียนกรมการปกครอง (แพ็กเกจ geothai) "
        "เชื่อมกับขอบเขตด้วยรหัสเท่านั้น",
        "Province, district and tambon codes and names from DOPA's register (the geothai "
        "package); joined to the boundaries on codes only."),
    "src_regions": ("ภาคของ พอช.", "CODI regions"),
    "src_regions_body": (
        "5 ภาคตามการแบ่งของ พอช. จากรายงานผลการดำเนินงานปีงบประมาณ 2569 ไตรมาส 2 "
        "(ไฟล์ data/codi_regions.csv พร้อมหมายเหตุการแก้ไข)",
        "CODI's own five regions, from its FY2569 Q2 report (data/codi_regions.csv, with the "
        "corrections noted)."),
    "src_figures": ("ตัวเลขผลการดำเนินงาน", "Programme figures"),
    "src_figures_body": (
        "จากรายงานผลการดำเนินงานของ พอช. ทุกแถวอ้างอิงเอกสาร (ชื่อ ปีงบประมาณ ไตรมาส) และบรรทัด"
        "ที่มา ไฟล์ที่ดาวน์โหลดมีชื่อไฟล์ของเอกสารด้วย",
        "From CODI's own reports; every row cites its document (title, fiscal year, quarter) "
        "and line; downloaded files also carry the document's file name."),
    "src_software": ("ซอฟต์แวร์แผนที่", "Map software"),
    "src_software_body": (
        "Leaflet, Leaflet.markercluster, Leaflet.heat (ให้บริการจากแอปเอง ไม่โหลดจากอินเทอร์เน็ต) "
        "· แผนที่ฐาน OpenStreetMap/CARTO ใช้เมื่อเลือกและมีอินเทอร์เน็ตเท่านั้น",
        "Leaflet, Leaflet.markercluster, Leaflet.heat (served by the app itself, nothing from "
        "the internet) · OpenStreetMap/CARTO basemaps only when chosen and online."),
    "unit": ("หน่วย", "Unit"),
    "indicators_note": (
        "{n} ตัวชี้วัด ผล/เป้าหมาย ตามรายงานล่าสุดถึงไตรมาสที่เลือก แถบเต็มที่ 100% (เกินเป้าแสดงตัวเลขจริง)",
        "{n} indicators, result vs target, from the latest report up to the chosen quarter; "
        "bars stop at 100% (the figure shows any excess)."),
    "only_with_data_note": ("แสดงเฉพาะพื้นที่ที่มีข้อมูล (จุด = ตำแหน่งพื้นที่)",
                            "Only areas with data are drawn (dots mark them)."),
    # --- downloads and presentation mode ------------------------------------------------
    "downloads": ("ดาวน์โหลด", "Downloads"),
    "downloads_help": (
        "ไฟล์ของมุมมองปัจจุบัน (ตัวกรองเดียวกับแผนที่) สร้างเมื่อกดปุ่ม",
        "Files of the current view (the map's filters), made when you click."),
    "download_png": ("ภาพ PNG", "PNG image"),
    "download_png_help": ("ภาพสำหรับสไลด์: แผนที่ 1920×1080 พร้อมชื่อ คำอธิบายสัญลักษณ์ ช่วงเวลา "
                          "และที่มา", "For a slide: the map at 1920×1080 with title, legend, "
                          "period and source"),
    "download_pdf": ("PDF", "PDF"),
    "download_pdf_help": ("แผนที่เดียวกันเป็น PDF (ข้อความภาษาไทยเลือกคัดลอกได้)",
                          "The same map as a PDF (selectable Thai text)"),
    "download_xlsx": ("Excel", "Excel"),
    "download_xlsx_help": ("ตาราง XLSX: แถวข้อมูลตามตัวกรอง พร้อมแผ่นงานที่มา",
                           "XLSX table: the filtered rows, with an about sheet"),
    "download_csv": ("CSV", "CSV"),
    "download_csv_help": ("แถวข้อมูลตามตัวกรอง UTF-8 มี BOM เปิดใน Excel ภาษาไทยไม่เพี้ยน",
                          "The filtered rows, UTF-8 with BOM: Excel shows the Thai intact"),
    "download_geojson": ("GeoJSON", "GeoJSON"),
    "download_geojson_help": ("พื้นที่บนแผนที่พร้อมตัวเลข สำหรับโปรแกรม GIS",
                              "The map's areas with their figures, for GIS software"),
    "map_title": ("แผนที่", "Map"),
    "present": ("โหมดนำเสนอ", "Presentation mode"),
    "present_help": ("แผนที่เต็มจอ คำอธิบายสัญลักษณ์ขนาดใหญ่ ไม่มีแถบด้านข้าง (ลิงก์นี้แชร์ได้)",
                     "Full-width map, large legend, no sidebar (the link can be shared)"),
    "present_exit": ("ออกจากโหมดนำเสนอ", "Leave presentation mode"),
    "records_unit": ("รายการ", "records"),
    # --- public mode ----------------------------------------------------------------------
    "public_note": (
        "ข้อมูลเผยแพร่สาธารณะ: ตัวเลขรวมระดับตำบลขึ้นไป ไม่มีข้อมูลส่วนบุคคล",
        "Public data: figures at tambon level or above, no personal data."),
    "not_allowed": ("หน้านี้ไม่เปิดให้บริการในระบบสาธารณะ", "This page is not served publicly."),
    "error_public": (
        "เกิดข้อผิดพลาดในการแสดงหน้านี้ ลองโหลดหน้าใหม่ หากยังเกิดขึ้นโปรดแจ้ง พอช.",
        "This page could not be shown. Reload it; if it happens again, please tell CODI."),
    # --- sign-in and roles ----------------------------------------------------------------
    "sign_in_title": ("ลงชื่อเข้าใช้", "Sign in"),
    "sign_in_intro": ("ระบบภายในของ พอช. ลงชื่อเข้าใช้เพื่อดูและนำเข้าข้อมูล",
                      "CODI's internal app: sign in to view and import results."),
    "sign_in_with": ("ลงชื่อเข้าใช้ด้วยบัญชีองค์กร", "Sign in with your organisation account"),
    "username": ("ชื่อผู้ใช้", "Username"),
    "password": ("รหัสผ่าน", "Password"),
    "sign_in_button": ("เข้าสู่ระบบ", "Sign in"),
    "sign_in_failed": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password."),
    "sign_in_missing": ("กรอกชื่อผู้ใช้และรหัสผ่าน", "Enter your username and password."),
    "sign_out": ("ออกจากระบบ", "Sign out"),
    "no_access": (
        "บัญชี {email} ยังไม่มีสิทธิ์ใช้ระบบนี้ ติดต่อผู้ดูแลระบบให้เพิ่มในไฟล์ผู้ใช้",
        "The account {email} has no access yet: ask the administrator to add it to the "
        "users file."),
    "signed_in_as": ("{name} · {role}", "{name} · {role}"),
    "role_viewer": ("ผู้ดูข้อมูล", "viewer"),
    "role_regional_editor": ("ผู้นำเข้าข้อมูล {region}", "regional editor, {region}"),
    "role_admin": ("ผู้ดูแลระบบ", "administrator"),
    "viewer_no_import": ("บัญชีผู้ดูข้อมูลนำเข้าหรือยกเลิกข้อมูลไม่ได้",
                         "A viewer account cannot import or undo."),
    "editor_region_note": ("นำเข้าได้เฉพาะแถวในจังหวัดของ{region}",
                           "You can import rows in the provinces of {region} only."),
    "import_refused_rows": ("แถวที่อยู่นอกภาคของคุณ", "Rows outside your region"),
    "visibility": ("การเผยแพร่", "Visibility"),
    "visibility_internal": ("ใช้ภายในเท่านั้น", "Internal only"),
    "visibility_public": ("เผยแพร่สาธารณะได้", "Public"),
    "undo_outside_region": ("ชุดนี้มีแถวนอกภาคของคุณ ยกเลิกไม่ได้",
                            "This batch has rows outside your region: you cannot undo it."),
    "undo_refused": ("ยกเลิกไม่ได้", "Cannot undo"),
    "imported_by": ("นำเข้าโดย {who}", "imported by {who}"),
    "undone_by": ("ยกเลิกโดย {who}", "undone by {who}"),
    "audit": ("บันทึกการใช้งาน", "Audit log"),
    "audit_empty": ("ยังไม่มีบันทึก", "Nothing recorded yet."),
    "who": ("ผู้ใช้", "Who"),
    "when": ("เวลา (UTC)", "When (UTC)"),
    "action": ("การกระทำ", "Action"),
    "batch": ("ชุด", "Batch"),
    "detail": ("รายละเอียด", "Detail"),
    # --- issue 11 (access): fail closed, sessions, rate limit, errors ----------------------
    "closed_note": (
        "ระบบนี้ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้ จึงแสดงเฉพาะข้อมูลเผยแพร่สาธารณะแบบอ่านอย่างเดียว "
        "(ผู้ดูแลระบบ: ดูสาเหตุในบันทึกของเซิร์ฟเวอร์ การนำเข้าและยกเลิกทำผ่านบรรทัดคำสั่ง "
        "python -m codi_geo)",
        "Sign-in is not set up, so this app shows public data only, read-only. (Operator: the "
        "server log says why; import and undo with the command line, python -m codi_geo.)"),
    "dev_admin_banner": (
        "โหมดนักพัฒนา (CODI_GEO_DEV_ADMIN): ไม่มีการลงชื่อเข้าใช้ ทุกคนที่เปิดหน้านี้เป็นผู้ดูแลระบบ "
        "เซิร์ฟเวอร์รับเฉพาะการเชื่อมต่อจากเครื่องนี้ (127.0.0.1) ห้ามใช้งานจริง",
        "Developer mode (CODI_GEO_DEV_ADMIN): no sign-in, everyone who opens this app is an "
        "administrator. The server accepts connections from this machine only (127.0.0.1). "
        "Never use it for real work."),
    "sign_in_wait": (
        "ลงชื่อเข้าใช้ผิดหลายครั้ง ลองใหม่ในอีก {seconds} วินาที",
        "Too many failed sign-ins: try again in {seconds} seconds."),
    "store_unavailable": (
        "ขณะนี้อ่านข้อมูลไม่ได้ ลองโหลดหน้าใหม่ในอีกสักครู่ (รหัสอ้างอิง {ref})",
        "The data cannot be read just now. Reload the page in a moment (reference {ref})."),
    "error_reference": (
        "เกิดข้อผิดพลาดในการแสดงหน้านี้ แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิง {ref}",
        "This page could not be shown; tell the administrator, with reference {ref}."),
    "audit_help_db": (
        "ทุกการนำเข้า การยกเลิก การนำเข้าที่ถูกปฏิเสธ และการลงชื่อเข้าใช้: ใคร เมื่อไร อะไร "
        "(เก็บในฐานข้อมูลพร้อมกับชุดข้อมูล; python -m codi_geo audit ส่งออกเป็น JSON Lines)",
        "Every import, undo, refused import and sign-in: who, when, what (kept in the "
        "database with the batch; python -m codi_geo audit exports it as JSON Lines)."),
    "client": ("เครื่องที่ใช้", "Client"),
    # --- issue 9, map side: pinpoints at scale (w-points) --------------------------------
    "cell_zoom_hint": ("คลิกเพื่อซูมเข้า", "Click to zoom in"),
    "cells_note": ("ตัวเลขในวงกลม = จำนวนจุดในบริเวณนั้น คลิกวงกลมหรือซูมเข้าเพื่อดูทีละจุด "
                   "คลิกจุดเพื่อดูรายละเอียด",
                   "Numbers in circles = pinpoints in that area: click a circle or zoom in "
                   "to see single pinpoints; click a pinpoint for its details."),
    "pins_caption_pins": ("แสดง {shown} จุดในกรอบแผนที่ (ทั้งหมด {total} จุด) "
                          "ชี้ที่จุดเพื่อดูตำบล คลิกเพื่อดูรายละเอียด",
                          "{shown} pinpoints in view (of {total}); point at one for its "
                          "tambon, click it for its details."),
    "pins_caption_cells": ("{in_view} จุดในกรอบแผนที่ (ทั้งหมด {total} จุด) รวมเป็นกลุ่มตามบริเวณ "
                           "ซูมเข้าจนเหลือไม่เกิน {limit} จุดเพื่อดูทีละจุด",
                           "{in_view} pinpoints in view (of {total}), counted per area; zoom "
                           "in to {limit} or fewer to see them one by one."),
    "pins_unplaceable": ("{n} แถวไม่มีพิกัดและไม่ระบุพื้นที่ จึงไม่แสดงบนแผนที่",
                         "{n} rows have neither coordinates nor a known area and are not "
                         "on the map."),
    "pin_details": ("รายละเอียดจุดที่เลือก", "Selected pinpoint"),
    "pins_listing_capped": ("แสดง {shown} แถวแรกจาก {total} แถว ดาวน์โหลด Excel/CSV เพื่อดูทั้งหมด",
                            "The first {shown} of {total} rows; download Excel/CSV for all."),
    "tambons_capped": ("{shown} ตำบลที่มีจุดมากที่สุด จาก {total} ตำบล",
                       "The {shown} tambons with the most pinpoints, of {total}."),
    # --- issue 10 (w-ux): documents by title, map-first layout, region totals, public ---
    "doc_fiscal_year": ("ปีงบประมาณ {years}", "FY{years}"),
    "doc_quarter": ("ไตรมาส {n}", "Q{n}"),
    "doc_line": ("บรรทัด {line}", "line {line}"),
    "src_documents": ("เอกสารอ้างอิง", "Documents cited"),
    "document": ("เอกสาร", "Document"),
    "other_kind": ("อื่น ๆ", "Other"),
    "internal_only_title": ("หน้านี้สำหรับเจ้าหน้าที่ พอช.", "This page is for CODI staff"),
    "internal_only_body": (
        "หน้าข้อมูล (นำเข้าและแก้ไขข้อมูล) ใช้ได้เฉพาะในระบบภายในของ พอช. "
        "หน้าสาธารณะแสดงแผนที่และตัวเลขที่เผยแพร่ได้ เลือกหน้าด้านล่าง",
        "The data page (importing and correcting figures) is only in CODI's internal app. "
        "The public pages show the maps and the figures that may be published: pick one below."),
    # --- w-explore (issue 10): place search, area profile, change over time, slide pack ---
    "search_place": ("ค้นหาสถานที่", "Find a place"),
    "search_placeholder": ("พิมพ์ชื่อจังหวัด อำเภอ หรือตำบล เช่น โคราช",
                           "Province, district or tambon, e.g. Korat"),
    "search_help": ("พิมพ์ภาษาไทยหรืออังกฤษ ชื่อย่อหรือสะกดผิดเล็กน้อยก็ได้ แล้วเลือกจากรายการ",
                    "Thai or English, short forms and small typos are fine; then pick one"),
    "search_none": ("ไม่พบ “{q}” ลองสะกดใหม่ หรือเพิ่มชื่ออำเภอ/จังหวัด",
                    "Nothing found for “{q}”: check the spelling or add the district/province"),
    "search_ambiguous": ("ชื่อนี้มีหลายแห่ง พิมพ์ชื่อจังหวัดต่อท้ายเพื่อให้ตรงขึ้น เช่น อ.เมือง จ.ขอนแก่น",
                         "Several places have this name: add the province, e.g. "
                         "Mueang, Khon Kaen"),
    "search_pick": ("เลือกสถานที่", "Pick a place"),
    "place_level_province": ("จังหวัด", "province"),
    "place_level_district": ("อำเภอ", "district"),
    "place_level_tambon": ("ตำบล", "tambon"),
    "area_profile": ("ข้อมูลพื้นที่ทุกปีงบประมาณ", "Area profile, every fiscal year"),
    "area_profile_none": ("ยังไม่มีตัวเลขของพื้นที่นี้ในปีงบประมาณใด",
                          "No figures for this area in any fiscal year yet"),
    "area_profile_note": ("ผลรวมของแถวข้อมูลในพื้นที่ในแต่ละปีงบประมาณ{quarter} "
                          "เส้นแนวโน้มเรียงจากปีเก่าไปปีใหม่",
                          "Rows in the area summed per fiscal year{quarter}; the trend runs "
                          "from the oldest year to the newest"),
    "area_profile_quarter": (" (เฉพาะไตรมาส {q})", " (quarter {q} only)"),
    "trend": ("แนวโน้ม", "Trend"),
    "period_fy": ("ปีงบ {fy}", "FY {fy}"),
    "period_fy_q": ("ปีงบ {fy} ไตรมาส {q}", "FY {fy} Q{q}"),
    "page_change": ("เปรียบเทียบช่วงเวลา", "Change over time"),
    "compare_with": ("เทียบกับ", "Compare with"),
    "compare_none": ("ยังไม่มีข้อมูลช่วงเวลาอื่นให้เปรียบเทียบ",
                     "No other period is stored to compare with"),
    "change_title": ("{what}: เปลี่ยนแปลงจาก{then}", "{what}: change since {then}"),
    "change_note": ("{now} ลบ {then} · แดง = ลดลง · น้ำเงิน = เพิ่มขึ้น",
                    "{now} minus {then} · red = fall · blue = rise"),
    "change_caption": ("พื้นที่ที่มีข้อมูลเพียงช่วงเดียวนับอีกช่วงเป็น 0 · "
                       "พื้นที่ที่ไม่มีข้อมูลทั้งสองช่วงเป็นสีเทา",
                       "An area with figures in one period only counts 0 in the other; "
                       "areas with figures in neither are grey"),
    "change_empty": ("{what} ไม่มีข้อมูลใน{period} จึงเปรียบเทียบไม่ได้",
                     "{what} has no figures in {period}: nothing to compare"),
    "change_by_region": ("รายภาค ทุกปีงบประมาณ", "By region, every fiscal year"),
    "change_column": ("เปลี่ยนแปลง", "Change"),
    "targets_over_time": ("เป้าหมายและผล ตามช่วงเวลา", "Targets and results over time"),
    "targets_over_time_none": ("แผนงานนี้ไม่มีตัวชี้วัดที่มีเป้าหมายในช่วงที่เลือก",
                               "This programme has no indicators with targets in these periods"),
    "period": ("ช่วงเวลา", "Period"),
    "pack_button": ("ชุดสไลด์ (PPTX)", "Slide pack (PPTX)"),
    "pack_help": ("ไฟล์ PowerPoint หนึ่งสไลด์ต่อแผนงานที่มีข้อมูล ตามภาค/พื้นที่และช่วงเวลาที่เลือก "
                  "(ใช้เวลาสร้างสักครู่)",
                  "A PowerPoint file with one slide per programme with figures, for the area and "
                  "period chosen (takes a little while to make)"),
    "pack_title": ("ผลการดำเนินงาน พอช.", "CODI results"),
    "pack_contents": ("แผนงานในชุดนี้", "Programmes in this pack"),
    "pack_made": ("จัดทำ {date}", "Made {date}"),
    "dev_admin_badge": ("โหมดนักพัฒนา", "Developer mode"),
    "model_tambons_counted_note": (
        "จำนวนตำบลต้นแบบต่อพื้นที่ คลิกจังหวัดเพื่อดูรายตำบลตามกลุ่ม",
        "Model tambons per area. Click a province to see its tambons by cohort"),
}


def t(key: str, lang: str = "th", **values: object) -> str:
    """The text ``key`` in ``lang`` (``th`` or ``en``), formatted with ``values``."""
    th, en = TEXT[key]
    text = en if lang == "en" else th
    return text.format(**values) if values else text

