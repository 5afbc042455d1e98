"""The words of the app's screens and maps, one ``Bilingual`` each, grouped by the screen that
shows them (the community pin form and review page have theirs in ``pins``)."""

from __future__ import annotations

from codi_geo.text.bilingual import Bilingual

SCREENS: dict[str, Bilingual] = {
    # --- App and page names
    "app_caption": Bilingual(
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน) · ผลการดำเนินงานตามพื้นที่",
        "Community Organizations Development Institute · results by area",
    ),
    "language": Bilingual("ภาษา / Language", "ภาษา / Language"),
    "page_overview": Bilingual("ภาพรวม", "Overview"),
    "page_model_tambon": Bilingual("ตำบลต้นแบบ", "Model tambons"),
    "page_integrated": Bilingual("จังหวัดบูรณาการ", "Integrated provinces"),
    "page_housing": Bilingual("ที่อยู่อาศัย", "Housing"),
    "page_disaster": Bilingual("ภัยพิบัติ", "Disasters"),
    "page_change": Bilingual("เปรียบเทียบช่วงเวลา", "Change over time"),
    "page_data": Bilingual("ข้อมูล", "Data"),
    "page_sources": Bilingual("แหล่งข้อมูล", "Sources"),
    # --- Sidebar: filters, place search and map options
    "fiscal_year": Bilingual("ปีงบประมาณ", "Fiscal year"),
    "fy_label": Bilingual("{be}", "{be}"),
    "quarter": Bilingual("ไตรมาส", "Quarter"),
    "whole_year": Bilingual("ทั้งปี", "Whole year"),
    "quarter_n": Bilingual("ไตรมาส {n}", "Q{n}"),
    "region": Bilingual("ภาค (พอช.)", "CODI region"),
    "province": Bilingual("จังหวัด", "Province"),
    "district": Bilingual("อำเภอ/เขต", "District"),
    "tambon": Bilingual("ตำบล/แขวง", "Tambon"),
    "all_regions": Bilingual("ทุกภาค", "All regions"),
    "all_provinces": Bilingual("ทุกจังหวัด", "All provinces"),
    "all_districts": Bilingual("ทุกอำเภอ", "All districts"),
    "whole_country": Bilingual("ทั้งประเทศ", "Whole country"),
    "show_level": Bilingual("ระดับพื้นที่บนแผนที่", "Areas on the map"),
    "level_province": Bilingual("จังหวัด", "Provinces"),
    "level_district": Bilingual("อำเภอ", "Districts"),
    "level_tambon": Bilingual("ตำบล", "Tambons"),
    "basemap": Bilingual("แผนที่ฐาน", "Basemap"),
    "basemap_plain": Bilingual("ไม่ใช้อินเทอร์เน็ต (เส้นขอบจังหวัด)", "Offline (province outlines)"),
    "basemap_osm": Bilingual("OpenStreetMap (ต้องใช้อินเทอร์เน็ต)", "OpenStreetMap (needs internet)"),
    "basemap_carto": Bilingual("CARTO สีอ่อน (ต้องใช้อินเทอร์เน็ต)", "CARTO light (needs internet)"),
    "search_place": Bilingual("ค้นหาสถานที่", "Find a place"),
    "search_placeholder": Bilingual(
        "พิมพ์ชื่อจังหวัด อำเภอ หรือตำบล เช่น โคราช", "Province, district or tambon, e.g. Korat"
    ),
    "search_help": Bilingual(
        "พิมพ์ภาษาไทยหรืออังกฤษ ชื่อย่อหรือสะกดผิดเล็กน้อยก็ได้ แล้วเลือกจากรายการ",
        "Thai or English, short forms and small typos are fine; then pick one",
    ),
    "search_none": Bilingual(
        "ไม่พบ “{q}” ลองสะกดใหม่ หรือเพิ่มชื่ออำเภอ/จังหวัด",
        "Nothing found for “{q}”: check the spelling or add the district/province",
    ),
    "search_ambiguous": Bilingual(
        "ชื่อนี้มีหลายแห่ง พิมพ์ชื่อจังหวัดต่อท้ายเพื่อให้ตรงขึ้น เช่น อ.เมือง จ.ขอนแก่น",
        "Several places have this name: add the province, e.g. Mueang, Khon Kaen",
    ),
    "place_level_province": Bilingual("จังหวัด", "province"),
    "place_level_district": Bilingual("อำเภอ", "district"),
    "place_level_tambon": Bilingual("ตำบล", "tambon"),
    # --- Maps: captions, legends and pinpoints
    "loading_map": Bilingual("กำลังวาดแผนที่…", "Drawing the map…"),
    "geo_failed": Bilingual(
        "โหลดขอบเขตพื้นที่ไม่สำเร็จ แผนที่ยังไม่ครบ",
        "The area boundaries did not load: the map is incomplete",
    ),
    "geo_retry": Bilingual("ลองอีกครั้ง", "Try again"),
    "attribution": Bilingual(
        "ขอบเขตการปกครอง: กรมแผนที่ทหาร ผ่าน OCHA COD-AB",
        "Boundaries: Royal Thai Survey Department via OCHA COD-AB",
    ),
    "empty_filtered": Bilingual(
        "ไม่มีข้อมูลตามตัวกรองที่เลือก ลองเปลี่ยนปีงบประมาณ ไตรมาส หรือพื้นที่",
        "No data for the chosen filters. Try another fiscal year, quarter or area.",
    ),
    "no_figures_at_level": Bilingual(
        "ไม่มีตัวเลขที่ระบุพื้นที่ในระดับนี้ ลองเลือกระดับที่หยาบกว่า",
        "No figures placed at this level; try a coarser level.",
    ),
    "only_with_data_note": Bilingual(
        "แสดงเฉพาะพื้นที่ที่มีข้อมูล (จุด = ตำแหน่งพื้นที่)", "Only areas with data are drawn (dots mark them)."
    ),
    "no_data": Bilingual("ไม่มีข้อมูล", "No data"),
    "zero": Bilingual("0", "0"),
    "other_kind": Bilingual("อื่น ๆ", "Other"),
    "by_category": Bilingual("ตาม{what}", "By {what}"),
    "location": Bilingual("ตำแหน่ง", "Location"),
    "approx_location": Bilingual(
        "โดยประมาณ (จุดกลางพื้นที่ที่รายงาน)", "approximate (inside the reported area)"
    ),
    "approx_note": Bilingual(
        "จุดที่ไม่มีพิกัดวางไว้กลางพื้นที่ที่รายงาน (ตำบล/อำเภอ/จังหวัด)",
        "Rows without coordinates are pinned inside their reported area.",
    ),
    "map_view": Bilingual("มุมมองแผนที่", "Map view"),
    "mode_points": Bilingual("จุด (รวมกลุ่ม)", "Pinpoints (clustered)"),
    "mode_heat": Bilingual("ความหนาแน่น", "Heat"),
    "mode_counts": Bilingual("จำนวนต่อพื้นที่", "Counts per area"),
    "heat_title": Bilingual("ความหนาแน่นของจุด", "Density of pinpoints"),
    "heat_note": Bilingual("สีเข้มขึ้น = จุดมากขึ้นในบริเวณนั้น", "Warmer = more pinpoints nearby"),
    "cell_zoom_hint": Bilingual("คลิกเพื่อซูมเข้า", "Click to zoom in"),
    "cells_note": Bilingual(
        "ตัวเลขในวงกลม = จำนวนจุดในบริเวณนั้น คลิกวงกลมหรือซูมเข้าเพื่อดูทีละจุด คลิกจุดเพื่อดูรายละเอียด",
        "Numbers in circles = pinpoints in that area: click a circle or "
        "zoom in to see single pinpoints; click a pinpoint for its details.",
    ),
    "pinpoints": Bilingual("จุดเหตุ/กิจกรรม", "Pinpoints"),
    "pinpoints_unit": Bilingual("จุด", "pinpoints"),
    # --- Area details panel and area profile
    "details": Bilingual("รายละเอียดพื้นที่", "Area details"),
    "details_hint": Bilingual(
        "คลิกพื้นที่บนแผนที่เพื่อดูตัวเลขทุกแผนงานของพื้นที่นั้น",
        "Click an area on the map to see every programme's figures for it.",
    ),
    "drill_into": Bilingual("ดูภายใน {name}", "Open {name}"),
    "close_details": Bilingual("ปิดรายละเอียด", "Close details"),
    "no_figures_for_area": Bilingual(
        "ไม่มีตัวเลขของพื้นที่นี้ตามตัวกรองที่เลือก", "No figures for this area with the chosen filters."
    ),
    "area_profile": Bilingual("ข้อมูลพื้นที่ทุกปีงบประมาณ", "Area profile, every fiscal year"),
    "area_profile_none": Bilingual(
        "ยังไม่มีตัวเลขของพื้นที่นี้ในปีงบประมาณใด", "No figures for this area in any fiscal year yet"
    ),
    "area_profile_note": Bilingual(
        "ผลรวมของแถวข้อมูลในพื้นที่ในแต่ละปีงบประมาณ{quarter} เส้นแนวโน้มเรียงจากปีเก่าไปปีใหม่",
        "Rows in the area summed per fiscal year{quarter}; "
        "the trend runs from the oldest year to the newest",
    ),
    "area_profile_quarter": Bilingual(" (เฉพาะไตรมาส {q})", " (quarter {q} only)"),
    # --- Table headings and period labels
    "programme": Bilingual("แผนงาน", "Programme"),
    "indicator": Bilingual("ตัวชี้วัด", "Indicator"),
    "target": Bilingual("เป้าหมาย", "Target"),
    "result": Bilingual("ผล", "Result"),
    "progress": Bilingual("ความก้าวหน้า", "Progress"),
    "source": Bilingual("แหล่งที่มา", "Source"),
    "count": Bilingual("จำนวน", "Count"),
    "unit": Bilingual("หน่วย", "Unit"),
    "households": Bilingual("ครัวเรือน", "Households"),
    "figure": Bilingual("รายการ", "Figure"),
    "value": Bilingual("ค่า", "Value"),
    "rows": Bilingual("จำนวนแถว", "Rows"),
    "row_count": Bilingual("จำนวนรายการ", "number of records"),
    "name": Bilingual("ชื่อ", "Name"),
    "plan": Bilingual("แผน/เป้าหมาย", "Plan/target"),
    "note": Bilingual("หมายเหตุ", "Note"),
    "place": Bilingual("พื้นที่", "Area"),
    "category": Bilingual("ประเภท", "Category"),
    "cohort": Bilingual("กลุ่ม", "Cohort"),
    "support_tier": Bilingual("กลุ่มการสนับสนุน", "Support tier"),
    "kinds": Bilingual("ประเภทภัย", "Kinds"),
    "tambons_count": Bilingual("จำนวนตำบล", "Tambons"),
    "tambons_listed": Bilingual("ตำบลที่มีรายชื่อ", "Tambons listed by name"),
    "met_all_criteria": Bilingual("ผ่านเกณฑ์ครบ", "Met all criteria"),
    "yes": Bilingual("ผ่าน ✓", "Yes ✓"),
    "trend": Bilingual("แนวโน้ม", "Trend"),
    "period": Bilingual("ช่วงเวลา", "Period"),
    "period_fy": Bilingual("ปีงบ {fy}", "FY {fy}"),
    "period_fy_q": Bilingual("ปีงบ {fy} ไตรมาส {q}", "FY {fy} Q{q}"),
    "change_column": Bilingual("เปลี่ยนแปลง", "Change"),
    # --- Overview page
    "national_map": Bilingual("แผนที่จังหวัดทั้งประเทศ", "Provinces of Thailand"),
    "provinces_map_caption": Bilingual(
        "77 จังหวัด สีตามภาคของ พอช. คลิกจังหวัดเพื่อดูรายละเอียด",
        "77 provinces, coloured by CODI region. Click a province for its details.",
    ),
    "targets_vs_results": Bilingual("เป้าหมายและผลการดำเนินงาน", "Targets and results"),
    "indicators_note": Bilingual(
        "{n} ตัวชี้วัด ผล/เป้าหมาย ตามรายงานล่าสุดถึงไตรมาสที่เลือก แถบเต็มที่ 100% (เกินเป้าแสดงตัวเลขจริง)",
        "{n} indicators, result vs target, from the "
        "latest report up to the chosen quarter; bars "
        "stop at 100% (the figure shows any excess).",
    ),
    "no_indicators": Bilingual(
        "ยังไม่มีตัวชี้วัดของปีงบประมาณ {fy} นำเข้าได้ที่หน้า ข้อมูล",
        "No indicators for fiscal year {fy} yet; import them on the Data page.",
    ),
    "region_summary": Bilingual("สรุปรายภาค (พอช.)", "Summary by CODI region"),
    "region_summary_note": Bilingual(
        "รวมแถวที่ระบุจังหวัด/อำเภอ/ตำบลได้ "
        "ตามปีและไตรมาสที่เลือก ตัวเลขที่รายงานเป็นรายภาคเท่านั้น "
        "(เช่น ตำบลต้นแบบปี 2569) ดูได้ที่หน้าของแผนงาน",
        "Sum of the rows placed in a province, district "
        "or tambon, for the chosen year and quarter. "
        "Figures reported only per region (e.g. model "
        "tambons in FY2569) are on the programme's page.",
    ),
    # --- Model tambons page
    "model_tambons_map": Bilingual("ตำบลต้นแบบตามกลุ่ม", "Model tambons by cohort"),
    "model_tambons_caption": Bilingual(
        "{n} ตำบลที่มีรายชื่อในข้อมูล สีตามกลุ่ม บนเส้นขอบจังหวัด คลิกตำบลเพื่อดูรายละเอียด",
        "{n} tambons listed in the data, coloured by cohort, "
        "over province outlines. Click a tambon for its details.",
    ),
    "all_model_tambons": Bilingual(
        "ตำบลต้นแบบทั้งหมด (ใหม่ + ติดตาม)", "All model tambons (new + follow-up)"
    ),
    "met_all_note": Bilingual(
        "เส้นขอบหนาสีแดงเข้ม = ผ่านเกณฑ์ครบทุกองค์ประกอบ", "Thick dark red outline = met all criteria"
    ),
    "model_tambons_by_region": Bilingual("ตำบลต้นแบบรายภาค", "Model tambons by region"),
    "model_tambons_per_region": Bilingual("จำนวนตำบลต้นแบบต่อภาค", "Model tambons per region"),
    "criterion": Bilingual("เกณฑ์/กลุ่ม", "Criterion or cohort"),
    "tambon_lists_missing": Bilingual(
        "ข้อมูลมีเฉพาะจำนวนตำบลรายภาค ยังไม่มีรายชื่อตำบล จึงแสดงเป็นภาค",
        "The data has only counts of tambons "
        "per region; the tambon lists are not "
        "in the data yet, so regions are shown.",
    ),
    "tambon_list": Bilingual("รายชื่อตำบล", "Tambon list"),
    # --- Integrated provinces page
    "integrated_caption": Bilingual(
        "{tiers} จังหวัดตามกลุ่มการสนับสนุน · {met} จังหวัดผ่านเกณฑ์ครบ (เส้นขอบหนา)",
        "{tiers} provinces by support tier · {met} met all criteria (thick outline)",
    ),
    "province_list": Bilingual("รายชื่อจังหวัด", "Provinces"),
    "criteria_counts": Bilingual(
        "จำนวนจังหวัดตามเกณฑ์ (ระดับภาค/ประเทศ)", "Provinces per criterion (region / national figures)"
    ),
    # --- Housing page
    "housing_caption": Bilingual(
        "สีตามตัวเลขรวมของพื้นที่ · จุด = ชุมชน/โครงการที่มีชื่อ ({n} จุด) คลิกพื้นที่เพื่อดูรายละเอียด",
        "Shaded by the area totals · dots = named communities "
        "and projects ({n}). Click an area for its details.",
    ),
    "housing_pins_capped": Bilingual(
        "สีตามตัวเลขรวมของพื้นที่ · มีชุมชน/โครงการที่มีชื่อ "
        "{n} จุด มากเกินกว่าจะปักทีละจุด (ไม่เกิน {limit} "
        "จุด) เลือกจังหวัดหรืออำเภอเพื่อดูทีละจุด",
        "Shaded by the area totals · {n} named communities "
        "and projects, too many to pin one by one (at most "
        "{limit}); choose a province or district to see each.",
    ),
    "housing_counted_caption": Bilingual(
        "สีตามตัวเลขรวมของพื้นที่ · จุดและวงกลมตัวเลข = ชุมชน/โครงการที่มีชื่อ คลิกพื้นที่เพื่อดูรายละเอียด",
        "Shaded by the area totals · dots and numbered circles = named "
        "communities and projects. Click an area for its details.",
    ),
    "no_area_rows": Bilingual(
        "แผนงานนี้ไม่มีตัวเลขรายพื้นที่ในช่วงที่เลือก (มีแต่ภาพรวมประเทศ) ดูตารางใต้แผนที่",
        "This programme has no figures by area for the "
        "chosen period (national totals only); see the table.",
    ),
    "rows_listed": Bilingual("รายการตามแหล่งข้อมูล", "Rows as reported"),
    "pins_listing_capped": Bilingual(
        "แสดง {shown} แถวแรกจาก {total} แถว ดาวน์โหลด Excel/CSV เพื่อดูทั้งหมด",
        "The first {shown} of {total} rows; download Excel/CSV for all.",
    ),
    # --- Disasters page
    "pins_caption_pins": Bilingual(
        "แสดง {shown} จุดในกรอบแผนที่ (ทั้งหมด {total} จุด) ชี้ที่จุดเพื่อดูตำบล คลิกเพื่อดูรายละเอียด",
        "{shown} pinpoints in view (of {total}); point "
        "at one for its tambon, click it for its details.",
    ),
    "pins_caption_cells": Bilingual(
        "{in_view} จุดในกรอบแผนที่ (ทั้งหมด {total} "
        "จุด) รวมเป็นกลุ่มตามบริเวณ "
        "ซูมเข้าจนเหลือไม่เกิน {limit} จุดเพื่อดูทีละจุด",
        "{in_view} pinpoints in view (of {total}), counted per "
        "area; zoom in to {limit} or fewer to see them one by one.",
    ),
    "pins_unplaceable": Bilingual(
        "{n} แถวไม่มีพิกัดและไม่ระบุพื้นที่ จึงไม่แสดงบนแผนที่",
        "{n} rows have neither coordinates nor a known area and are not on the map.",
    ),
    "pin_details": Bilingual("รายละเอียดจุดที่เลือก", "Selected pinpoint"),
    "pins_on_map": Bilingual("จุดบนแผนที่", "Points on the map"),
    "pin_place": Bilingual("ชุมชน/โครงการที่มีชื่อ", "Named community or project"),
    "counts_per_tambon": Bilingual("จำนวนต่อตำบล", "Counts per tambon"),
    "no_tambon_rows": Bilingual(
        "ไม่มีรายการที่ระบุถึงระดับตำบลในช่วงที่เลือก", "No rows placed down to a tambon in the chosen period."
    ),
    "tambons_capped": Bilingual(
        "{shown} ตำบลที่มีจุดมากที่สุด จาก {total} ตำบล",
        "The {shown} tambons with the most pinpoints, of {total}.",
    ),
    # --- Change over time page
    "compare_with": Bilingual("เทียบกับ", "Compare with"),
    "compare_none": Bilingual(
        "ยังไม่มีข้อมูลช่วงเวลาอื่นให้เปรียบเทียบ", "No other period is stored to compare with"
    ),
    "change_title": Bilingual("{what}: เปลี่ยนแปลงจาก{then}", "{what}: change since {then}"),
    "change_note": Bilingual(
        "{now} ลบ {then} · แดง = ลดลง · น้ำเงิน = เพิ่มขึ้น",
        "{now} minus {then} · red = fall · blue = rise",
    ),
    "change_caption": Bilingual(
        "พื้นที่ที่มีข้อมูลเพียงช่วงเดียวนับอีกช่วงเป็น 0 · พื้นที่ที่ไม่มีข้อมูลทั้งสองช่วงเป็นสีเทา",
        "An area with figures in one period only counts 0 in "
        "the other; areas with figures in neither are grey",
    ),
    "change_empty": Bilingual(
        "{what} ไม่มีข้อมูลใน{period} จึงเปรียบเทียบไม่ได้",
        "{what} has no figures in {period}: nothing to compare",
    ),
    "change_by_region": Bilingual("รายภาค ทุกปีงบประมาณ", "By region, every fiscal year"),
    "targets_over_time": Bilingual("เป้าหมายและผล ตามช่วงเวลา", "Targets and results over time"),
    "targets_over_time_none": Bilingual(
        "แผนงานนี้ไม่มีตัวชี้วัดที่มีเป้าหมายในช่วงที่เลือก",
        "This programme has no indicators with targets in these periods",
    ),
    # --- Data page: import
    "import": Bilingual("นำเข้าข้อมูล", "Import"),
    "import_help": Bilingual(
        "เลือกแผนงานและไฟล์ (CSV, Excel, GeoJSON, KML) กด ตรวจสอบ "
        "เพื่อดูปัญหาก่อน แล้วจึงกด นำเข้า ทุกการนำเข้าเป็นหนึ่งชุด "
        "ยกเลิกได้ที่แท็บ ชุดข้อมูลที่นำเข้า",
        "Choose the programme and a file (CSV, Excel, GeoJSON, "
        "KML). Check it first, then import. Every import is "
        "one batch, which can be undone on the Batches tab.",
    ),
    "import_file": Bilingual("ไฟล์ผลการดำเนินงาน", "Results file"),
    "valid_only": Bilingual(
        "นำเข้าเฉพาะแถวที่ถูกต้อง (แถวที่มีปัญหาดาวน์โหลดไปแก้ได้)",
        "Import only the valid rows (download the others to fix)",
    ),
    "check_only": Bilingual("ตรวจสอบ (ยังไม่บันทึก)", "Check (store nothing)"),
    "import_now": Bilingual("นำเข้า", "Import"),
    "importing": Bilingual("กำลังตรวจไฟล์…", "Reading the file…"),
    "import_failed": Bilingual("อ่านไฟล์ไม่ได้", "Cannot read the file"),
    "row": Bilingual("แถว", "Row"),
    "column": Bilingual("คอลัมน์", "Column"),
    "severity": Bilingual("ระดับ", "Severity"),
    "problem": Bilingual("ปัญหา", "Problem"),
    "download_rejects": Bilingual("ดาวน์โหลดแถวที่ไม่รับ", "Download the rejected rows"),
    "viewer_no_import": Bilingual(
        "บัญชีผู้ดูข้อมูลนำเข้าหรือยกเลิกข้อมูลไม่ได้", "A viewer account cannot import or undo."
    ),
    "editor_region_note": Bilingual(
        "นำเข้าได้เฉพาะแถวในจังหวัดของ{region}",
        "You can import rows in the provinces of {region} only.",
    ),
    "visibility": Bilingual("การเผยแพร่", "Visibility"),
    "visibility_internal": Bilingual("ใช้ภายในเท่านั้น", "Internal only"),
    "visibility_public": Bilingual("เผยแพร่สาธารณะได้", "Public"),
    # --- Data page: batches and audit log
    "batches": Bilingual("ชุดข้อมูลที่นำเข้า", "Batches"),
    "no_batches": Bilingual("ยังไม่มีข้อมูลที่นำเข้า", "Nothing imported yet."),
    "active": Bilingual("ใช้งาน", "active"),
    "undone": Bilingual("ยกเลิกแล้ว", "undone"),
    "rows_stored": Bilingual("บันทึก {n} จาก {total} แถว", "{n} of {total} rows stored"),
    "undo": Bilingual("ยกเลิกชุดนี้", "Undo"),
    "undo_outside_region": Bilingual(
        "ชุดนี้มีแถวนอกภาคของคุณ ยกเลิกไม่ได้",
        "This batch has rows outside your region: you cannot undo it.",
    ),
    "imported_by": Bilingual("นำเข้าโดย {who}", "imported by {who}"),
    "undone_by": Bilingual("ยกเลิกโดย {who}", "undone by {who}"),
    "audit": Bilingual("บันทึกการใช้งาน", "Audit log"),
    "audit_empty": Bilingual("ยังไม่มีบันทึก", "Nothing recorded yet."),
    "audit_help_db": Bilingual(
        "ทุกการนำเข้า การยกเลิก การนำเข้าที่ถูกปฏิเสธ และการลงชื่อเข้าใช้: "
        "ใคร เมื่อไร อะไร (เก็บในฐานข้อมูลพร้อมกับชุดข้อมูล; python -m "
        "codi_geo audit ส่งออกเป็น JSON Lines)",
        "Every import, undo, refused import and sign-in: who, "
        "when, what (kept in the database with the batch; "
        "python -m codi_geo audit exports it as JSON Lines).",
    ),
    "who": Bilingual("ผู้ใช้", "Who"),
    "when": Bilingual("เวลา (UTC)", "When (UTC)"),
    "action": Bilingual("การกระทำ", "Action"),
    "batch": Bilingual("ชุด", "Batch"),
    "detail": Bilingual("รายละเอียด", "Detail"),
    "client": Bilingual("เครื่องที่ใช้", "Client"),
    # --- Data page: data quality
    "quality": Bilingual("คุณภาพข้อมูล", "Data quality"),
    "unmatched_title": Bilingual("แถวที่ระบุพื้นที่ไม่ได้", "Rows that could not be placed"),
    "all_placed": Bilingual("ทุกแถวระบุพื้นที่ได้", "Every row has a place."),
    "boundary_gaps": Bilingual("ช่องว่างของขอบเขต", "Boundary gaps"),
    "no_gaps": Bilingual("ทุกรหัสตำบลมีขอบเขต", "Every tambon code has a polygon."),
    "gaps_help": Bilingual(
        "{n} รหัสตำบลของกรมการปกครองไม่มีรูปแปลงในแหล่งขอบเขต "
        "(ตั้งขึ้นหลังแหล่งข้อมูลเผยแพร่) "
        "ข้อมูลของตำบลเหล่านี้นับในอำเภอ/จังหวัด แต่ไม่ปรากฏเป็นตำบลบนแผนที่",
        "{n} DOPA tambon codes have no polygon in the boundary "
        "source (created after its release): their figures count in "
        "their district and province but are not drawn as tambons.",
    ),
    "retired_help": Bilingual(
        "รูปแปลงที่ใช้รหัสที่ยกเลิกแล้ว และรหัสที่ใช้แทน",
        "Polygons with retired codes, and the codes used instead",
    ),
    "shipped_title": Bilingual("ข้อมูลที่มากับแอป", "Figures shipped with the app"),
    "unknown_words": Bilingual("คำที่ไม่รู้จัก", "Words the programme does not know"),
    "unknown_words_help": Bilingual(
        "เลือกประเภทให้แต่ละคำครั้งเดียว ระบบจะจำไว้สำหรับการนำเข้าทุกครั้งของ{programme} แล้วนำเข้าไฟล์อีกครั้ง",
        "Choose a category for each word once: it is remembered for every import of "
        "{programme}. Then import the file again.",
    ),
    "remember_words": Bilingual("จำคำเหล่านี้", "Remember these words"),
    "words_remembered": Bilingual(
        "จำไว้แล้ว {n} คำ นำเข้าไฟล์อีกครั้งได้เลย", "{n} word(s) remembered: import the file again"
    ),
    # --- Sources page
    "src_boundaries": Bilingual("ขอบเขตการปกครอง", "Administrative boundaries"),
    "src_boundaries_body": Bilingual(
        "ขอบเขตจังหวัด อำเภอ ตำบล จาก [OCHA COD-AB "
        "ประเทศไทย]({page}) (กรมแผนที่ทหาร) ทำให้เรียบง่ายหลายระดับ "
        "ใช้ระดับหยาบสำหรับทั้งประเทศ ระดับละเอียดเมื่อเลือกจังหวัด",
        "Province, district and tambon boundaries from "
        "[OCHA COD-AB Thailand]({page}) (Royal Thai Survey "
        "Department), simplified at several levels: coarse "
        "for the whole country, fine for one province.",
    ),
    "src_cache": Bilingual(
        "ไฟล์: {file} · sha256 {sha}… · {verified} · สร้างเมื่อ {built}",
        "File: {file} · sha256 {sha}… · {verified} · built {built}",
    ),
    "src_unverified": Bilingual("ยังไม่ได้ตรวจสอบ", "unverified"),
    "src_layer": Bilingual("ชั้นข้อมูล", "Layer"),
    "src_features": Bilingual("จำนวนรูปแปลง", "Features"),
    "src_vertices": Bilingual("จำนวนจุดยอด", "Vertices"),
    "src_tolerance": Bilingual("ความคลาดเคลื่อน (องศา)", "Tolerance (degrees)"),
    "src_decimals": Bilingual("ทศนิยม", "Decimals"),
    "src_names": Bilingual("รหัสและชื่อพื้นที่", "Codes and names"),
    "src_names_body": Bilingual(
        "รหัสและชื่อจังหวัด อำเภอ ตำบล ตามทะเบียนกรมการปกครอง (แพ็กเกจ geothai) เชื่อมกับขอบเขตด้วยรหัสเท่านั้น",
        "Province, district and tambon codes and names "
        "from DOPA's register (the geothai package); "
        "joined to the boundaries on codes only.",
    ),
    "src_regions": Bilingual("ภาคของ พอช.", "CODI regions"),
    "src_regions_body": Bilingual(
        "5 ภาคตามการแบ่งของ พอช. จากรายงานผลการดำเนินงานปีงบประมาณ 2569 "
        "ไตรมาส 2 (ไฟล์ data/codi_regions.csv พร้อมหมายเหตุการแก้ไข)",
        "CODI's own five regions, from its FY2569 Q2 report "
        "(data/codi_regions.csv, with the corrections noted).",
    ),
    "src_figures": Bilingual("ตัวเลขผลการดำเนินงาน", "Programme figures"),
    "src_figures_body": Bilingual(
        "จากรายงานผลการดำเนินงานของ พอช. ทุกแถวอ้างอิงเอกสาร "
        "(ชื่อ ปีงบประมาณ ไตรมาส) และบรรทัดที่มา "
        "ไฟล์ที่ดาวน์โหลดมีชื่อไฟล์ของเอกสารด้วย",
        "From CODI's own reports; every row cites its "
        "document (title, fiscal year, quarter) and line; "
        "downloaded files also carry the document's file name.",
    ),
    "src_software": Bilingual("ซอฟต์แวร์แผนที่", "Map software"),
    "src_software_body": Bilingual(
        "Leaflet, Leaflet.markercluster, Leaflet.heat "
        "(ให้บริการจากแอปเอง ไม่โหลดจากอินเทอร์เน็ต) · แผนที่ฐาน "
        "OpenStreetMap/CARTO ใช้เมื่อเลือกและมีอินเทอร์เน็ตเท่านั้น",
        "Leaflet, Leaflet.markercluster, Leaflet.heat (served by "
        "the app itself, nothing from the internet) · "
        "OpenStreetMap/CARTO basemaps only when chosen and online.",
    ),
    "document": Bilingual("เอกสาร", "Document"),
    "doc_fiscal_year": Bilingual("ปีงบประมาณ {years}", "FY{years}"),
    "doc_quarter": Bilingual("ไตรมาส {n}", "Q{n}"),
    "doc_line": Bilingual("บรรทัด {line}", "line {line}"),
    # --- Downloads, presentation mode and slide pack
    "downloads": Bilingual("ดาวน์โหลด", "Downloads"),
    "downloads_help": Bilingual(
        "ไฟล์ของมุมมองปัจจุบัน (ตัวกรองเดียวกับแผนที่) สร้างเมื่อกดปุ่ม",
        "Files of the current view (the map's filters), made when you click.",
    ),
    "download_png": Bilingual("ภาพ PNG", "PNG image"),
    "download_png_help": Bilingual(
        "ภาพสำหรับสไลด์: แผนที่ 1920×1080 พร้อมชื่อ คำอธิบายสัญลักษณ์ ช่วงเวลา และที่มา",
        "For a slide: the map at 1920×1080 with title, legend, period and source",
    ),
    "download_pdf": Bilingual("PDF", "PDF"),
    "download_pdf_help": Bilingual(
        "แผนที่เดียวกันเป็น PDF (ข้อความภาษาไทยเลือกคัดลอกได้)",
        "The same map as a PDF (selectable Thai text)",
    ),
    "download_xlsx": Bilingual("Excel", "Excel"),
    "download_xlsx_help": Bilingual(
        "ตาราง XLSX: แถวข้อมูลตามตัวกรอง พร้อมแผ่นงานที่มา",
        "XLSX table: the filtered rows, with an about sheet",
    ),
    "download_csv": Bilingual("CSV", "CSV"),
    "download_csv_help": Bilingual(
        "แถวข้อมูลตามตัวกรอง UTF-8 มี BOM เปิดใน Excel ภาษาไทยไม่เพี้ยน",
        "The filtered rows, UTF-8 with BOM: Excel shows the Thai intact",
    ),
    "download_geojson": Bilingual("GeoJSON", "GeoJSON"),
    "download_geojson_help": Bilingual(
        "พื้นที่บนแผนที่พร้อมตัวเลข สำหรับโปรแกรม GIS",
        "The map's areas with their figures, for GIS software",
    ),
    "map_title": Bilingual("แผนที่", "Map"),
    "present": Bilingual("โหมดนำเสนอ", "Presentation mode"),
    "present_help": Bilingual(
        "แผนที่เต็มจอ คำอธิบายสัญลักษณ์ขนาดใหญ่ ไม่มีแถบด้านข้าง (ลิงก์นี้แชร์ได้)",
        "Full-width map, large legend, no sidebar (the link can be shared)",
    ),
    "present_exit": Bilingual("ออกจากโหมดนำเสนอ", "Leave presentation mode"),
    "pack_button": Bilingual("ชุดสไลด์ (PPTX)", "Slide pack (PPTX)"),
    "pack_help": Bilingual(
        "ไฟล์ PowerPoint หนึ่งสไลด์ต่อแผนงานที่มีข้อมูล ตามภาค/พื้นที่และช่วงเวลาที่เลือก (ใช้เวลาสร้างสักครู่)",
        "A PowerPoint file with one slide per programme with figures, "
        "for the area and period chosen (takes a little while to make)",
    ),
    "pack_title": Bilingual("ผลการดำเนินงาน พอช.", "CODI results"),
    "pack_contents": Bilingual("แผนงานในชุดนี้", "Programmes in this pack"),
    "pack_made": Bilingual("จัดทำ {date}", "Made {date}"),
    # --- Sign-in and roles
    "sign_in_title": Bilingual("ลงชื่อเข้าใช้", "Sign in"),
    "sign_in_intro": Bilingual(
        "ระบบภายในของ พอช. ลงชื่อเข้าใช้เพื่อดูและนำเข้าข้อมูล",
        "CODI's internal app: sign in to view and import results.",
    ),
    "sign_in_with": Bilingual("ลงชื่อเข้าใช้ด้วยบัญชีองค์กร", "Sign in with your organisation account"),
    "username": Bilingual("ชื่อผู้ใช้", "Username"),
    "password": Bilingual("รหัสผ่าน", "Password"),
    "sign_in_button": Bilingual("เข้าสู่ระบบ", "Sign in"),
    "sign_in_failed": Bilingual("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password."),
    "sign_in_missing": Bilingual("กรอกชื่อผู้ใช้และรหัสผ่าน", "Enter your username and password."),
    "sign_in_wait": Bilingual(
        "ลงชื่อเข้าใช้ผิดหลายครั้ง ลองใหม่ในอีก {seconds} วินาที",
        "Too many failed sign-ins: try again in {seconds} seconds.",
    ),
    "sign_out": Bilingual("ออกจากระบบ", "Sign out"),
    "no_access": Bilingual(
        "บัญชี {email} ยังไม่มีสิทธิ์ใช้ระบบนี้ ติดต่อผู้ดูแลระบบให้เพิ่มในไฟล์ผู้ใช้",
        "The account {email} has no access yet: ask the administrator to add it to the users file.",
    ),
    "signed_in_as": Bilingual("{name} · {role}", "{name} · {role}"),
    "role_viewer": Bilingual("ผู้ดูข้อมูล", "viewer"),
    "role_regional_editor": Bilingual("ผู้นำเข้าข้อมูล {region}", "regional editor, {region}"),
    "role_admin": Bilingual("ผู้ดูแลระบบ", "administrator"),
    "closed_note": Bilingual(
        "ระบบนี้ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้ "
        "จึงแสดงเฉพาะข้อมูลเผยแพร่สาธารณะแบบอ่านอย่างเดียว "
        "(ผู้ดูแลระบบ: ดูสาเหตุในบันทึกของเซิร์ฟเวอร์ "
        "การนำเข้าและยกเลิกทำผ่านบรรทัดคำสั่ง python -m codi_geo)",
        "Sign-in is not set up, so this app shows public data only, "
        "read-only. (Operator: the server log says why; import and "
        "undo with the command line, python -m codi_geo.)",
    ),
    "dev_admin_banner": Bilingual(
        "โหมดนักพัฒนา (CODI_GEO_DEV_ADMIN): ไม่มีการลงชื่อเข้าใช้ "
        "ทุกคนที่เปิดหน้านี้เป็นผู้ดูแลระบบ "
        "เซิร์ฟเวอร์รับเฉพาะการเชื่อมต่อจากเครื่องนี้ (127.0.0.1) "
        "ห้ามใช้งานจริง",
        "Developer mode (CODI_GEO_DEV_ADMIN): no sign-in, "
        "everyone who opens this app is an administrator. "
        "The server accepts connections from this machine "
        "only (127.0.0.1). Never use it for real work.",
    ),
    # --- Public app
    "public_note": Bilingual(
        "ข้อมูลเผยแพร่สาธารณะ: ตัวเลขรวมระดับตำบลขึ้นไป ไม่มีข้อมูลส่วนบุคคล",
        "Public data: figures at tambon level or above, no personal data.",
    ),
    "not_allowed": Bilingual("หน้านี้ไม่เปิดให้บริการในระบบสาธารณะ", "This page is not served publicly."),
    "internal_only_title": Bilingual("หน้านี้สำหรับเจ้าหน้าที่ พอช.", "This page is for CODI staff"),
    "internal_only_body": Bilingual(
        "หน้าข้อมูล (นำเข้าและแก้ไขข้อมูล) ใช้ได้เฉพาะในระบบภายในของ "
        "พอช. หน้าสาธารณะแสดงแผนที่และตัวเลขที่เผยแพร่ได้ "
        "เลือกหน้าด้านล่าง",
        "The data page (importing and correcting figures) is only "
        "in CODI's internal app. The public pages show the maps "
        "and the figures that may be published: pick one below.",
    ),
    # --- Errors and setup notices
    "error_reference": Bilingual(
        "เกิดข้อผิดพลาดในการแสดงหน้านี้ แจ้งผู้ดูแลระบบพร้อมรหัสอ้างอิง {ref}",
        "This page could not be shown; tell the administrator, with reference {ref}.",
    ),
    "store_unavailable": Bilingual(
        "ขณะนี้อ่านข้อมูลไม่ได้ ลองโหลดหน้าใหม่ในอีกสักครู่ (รหัสอ้างอิง {ref})",
        "The data cannot be read just now. Reload the page in a moment (reference {ref}).",
    ),
    "cache_missing_title": Bilingual("ยังไม่มีข้อมูลขอบเขตการปกครอง", "The boundary cache is not built"),
    "cache_missing_body": Bilingual(
        "แผนที่ต้องใช้ขอบเขตจังหวัด/อำเภอ/ตำบล "
        "ซึ่งยังไม่ได้สร้าง ให้ผู้ดูแลระบบรันคำสั่งนี้ "
        "ครั้งเดียว (ใช้เวลาไม่กี่วินาที) แล้วโหลดหน้านี้ใหม่:",
        "The maps need the province/district/tambon boundaries, "
        "which are not built yet. Ask the administrator to run "
        "this once (a few seconds), then reload this page:",
    ),
    "assets_missing_title": Bilingual(
        "ยังไม่ได้ติดตั้งไฟล์แผนที่ (Leaflet)", "The map files (Leaflet) are not installed"
    ),
    "assets_missing_body": Bilingual(
        "แอปให้บริการไฟล์แผนที่เอง (ไม่โหลดจากอินเทอร์เน็ต) ให้ผู้ดูแลระบบรันคำสั่งนี้ แล้วเริ่มแอปใหม่:",
        "The app serves its map files itself (nothing "
        "from the internet). Ask the administrator to "
        "run this, then restart the app:",
    ),
    # --- Map first: the phone's filter sheet, the developer badge, counted model tambons
    "filters": Bilingual("ตัวกรอง", "Filters"),
    "dev_admin_badge": Bilingual("โหมดนักพัฒนา", "Developer mode"),
    "model_tambons_counted_note": Bilingual(
        "จำนวนตำบลต้นแบบต่อพื้นที่ คลิกจังหวัดเพื่อดูรายตำบลตามกลุ่ม",
        "Model tambons per area. Click a province to see its tambons by cohort",
    ),
}
