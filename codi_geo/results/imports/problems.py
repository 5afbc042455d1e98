"""Every problem an import can report, in one table: a kind (the code in reports), a
severity, and the Thai and English message templates. Readers, converters and checks name a
problem and give its values; nothing else writes a message.

Several problems may share a kind (``number`` is "not a number", "a percentage" or "a
misplaced comma"): the kind is what reports and tests group by, the problem id picks the
words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from codi_geo.errors import CodiGeoError
from codi_geo.text import Bilingual

Severity = Literal["error", "warning", "skipped"]


@dataclass(frozen=True)
class ProblemKind:
    kind: str
    severity: Severity
    th: str
    en: str

    def text(self, **values: Any) -> Bilingual:
        return Bilingual(self.th.format(**values), self.en.format(**values))


def _error(kind: str, th: str, en: str) -> ProblemKind:
    return ProblemKind(kind, "error", th, en)


def _warning(kind: str, th: str, en: str) -> ProblemKind:
    return ProblemKind(kind, "warning", th, en)


PROBLEMS: dict[str, ProblemKind] = {
    # -- the file as a whole (ImportFileError) ------------------------------------------
    "empty": _error("empty", "{file}: ไฟล์ว่าง", "{file}: the file is empty"),
    "too_big": _error(
        "too_big",
        "{file}: ไฟล์ใหญ่ {size} MB เกินขีดจำกัด {mb} MB แบ่งเป็นหลายไฟล์",
        "{file}: the file is {size} MB, over the limit of {mb} MB; split it",
    ),
    "old_excel": _error(
        "old_excel",
        "{file}: เป็นไฟล์ Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx หรือ CSV",
        "{file}: an old Excel file (.xls); save it as .xlsx or CSV",
    ),
    "encoding": _error(
        "encoding",
        "{file}: อ่านรหัสอักขระไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620/cp874) ที่ไบต์ {byte}",
        "{file}: unknown text encoding (neither UTF-8 nor TIS-620/cp874), at byte {byte}",
    ),
    "encoding_bom": _error(
        "encoding",
        "{file}: ขึ้นต้นว่าเป็น UTF-8 (มี BOM) แต่มีไบต์ที่ไม่ใช่ UTF-8 ที่ไบต์ {byte} บันทึกใหม่เป็น CSV UTF-8",
        "{file}: starts as UTF-8 (with a byte-order mark) but has a byte that is not UTF-8 at "
        "byte {byte}; save it again as CSV UTF-8",
    ),
    "encoding_bom_unicode": _error(
        "encoding",
        "{file}: ขึ้นต้นว่าเป็น {encoding} (มี BOM) แต่ที่ไบต์ {byte} ไม่ใช่ {encoding} บันทึกใหม่เป็น CSV UTF-8",
        "{file}: starts as {encoding} (with a byte-order mark) but is not {encoding} at byte "
        "{byte}; save it again as CSV UTF-8",
    ),
    "encoding_unknown": _error(
        "encoding",
        "{file}: ไม่ใช่รหัสอักขระ UTF-8, UTF-16 หรือภาษาไทยของ Windows (cp874/TIS-620) "
        "อ่านแล้วจะเป็นอักษรผิด ๆ เช่น '{sample}' บันทึกใหม่เป็น CSV UTF-8",
        "{file}: not in UTF-8, UTF-16 or Thai Windows (cp874/TIS-620) encoding; read as Thai it "
        "is garbled (e.g. '{sample}'); save it again as CSV UTF-8",
    ),
    "not_text": _error(
        "encoding",
        "{file}: ไบต์ที่ {byte} เป็นไบต์ศูนย์ (NUL) ไม่ใช่ไฟล์ข้อความ หรือเป็น UTF-16 ที่ไม่มี BOM บันทึกใหม่เป็น UTF-8",
        "{file}: byte {byte} is a zero (NUL) byte: not a text file, or UTF-16 without a "
        "byte-order mark; save it again as UTF-8",
    ),
    "csv": _error(
        "csv",
        "{file}: อ่านแถว {row} เป็น CSV ไม่ได้ ตรวจว่าเป็นไฟล์ CSV (ข้อความ) จริง",
        "{file}: row {row} cannot be read as CSV; check that it is a CSV (text) file",
    ),
    "xlsx": _error(
        "xlsx",
        "{file}: เปิดไฟล์ Excel ไม่ได้ ไฟล์เสียหายหรือไม่ใช่สมุดงาน Excel เปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx",
        "{file}: cannot open the Excel file: it is damaged or not an Excel workbook; open it "
        "in Excel and save it again as .xlsx",
    ),
    "sheet": _error(
        "sheet",
        "{file}: ไม่มีแผ่นงาน {sheet!r} (มี: {sheets})",
        "{file}: there is no sheet {sheet!r} (sheets: {sheets})",
    ),
    "sheet_not_table": _error(
        "sheet",
        "{file}: แผ่นงาน {sheet!r} เป็นแผนภูมิ ไม่ใช่ตาราง เลือกแผ่นงานอื่น",
        "{file}: sheet {sheet!r} is a chart, not a table; choose another sheet",
    ),
    "geojson_invalid": _error(
        "geojson",
        "{file}: ไม่ใช่ JSON ที่ถูกต้อง ที่บรรทัด {line} ตำแหน่ง {column}",
        "{file}: not valid JSON at line {line}, column {column}",
    ),
    "geojson_number_too_long": _error(
        "geojson",
        "{file}: ตัวเลขที่บรรทัด {line} ยาวเกิน {limit} หลัก",
        "{file}: the number at line {line} has more than {limit} digits",
    ),
    "geojson_not_features": _error(
        "geojson",
        "{file}: ไม่ใช่ GeoJSON FeatureCollection",
        "{file}: not a GeoJSON FeatureCollection",
    ),
    "geojson_too_deep": _error(
        "geojson", "{file}: GeoJSON ซ้อนกันลึกเกินไป", "{file}: the GeoJSON is nested too deeply"
    ),
    "xml_entities": _error(
        "xml",
        "{file}: XML มี DOCTYPE/ENTITY ซึ่งไม่รับ",
        "{file}: XML with DOCTYPE/ENTITY declarations is not accepted",
    ),
    "xml_invalid": _error(
        "xml",
        "{file}: XML ไม่ถูกต้อง ที่บรรทัด {line} ตำแหน่ง {column}",
        "{file}: the XML is not well-formed at line {line}, column {column}",
    ),
    "xml_invalid_part": _error(
        "xml",
        "{file}: ส่วน {part} มี XML ไม่ถูกต้อง ที่บรรทัด {line} ตำแหน่ง {column}",
        "{file}: part {part}: the XML is not well-formed at line {line}, column {column}",
    ),
    "xml_encoding": _error(
        "xml",
        "{file}: XML ระบุรหัสอักขระที่ไม่รู้จัก บันทึกใหม่เป็น UTF-8",
        "{file}: the XML declares a text encoding that is not known; save it as UTF-8",
    ),
    "xml_empty": _error(
        "xml",
        "{file}: ไม่มีข้อมูล XML (ไฟล์ว่างหรือไม่ใช่ KML)",
        "{file}: holds no XML (empty, or not a KML file)",
    ),
    "merged_range_invalid": _error(
        "xml",
        "{file}: แผ่นงาน {sheet!r} ช่วงที่ผสาน {ref!r} ไม่ใช่ช่วงของเซลล์",
        "{file}: sheet {sheet!r}: the merged range {ref!r} is not a range of cells",
    ),
    "kmz": _error("kmz", "{file}: ไม่มีไฟล์ KML ใน KMZ", "{file}: the KMZ holds no KML"),
    # -- limits (``limits``): checked before the work, each naming its limit -------------
    "archive_damaged": _error(
        "archive",
        "{file}: ไฟล์บีบอัด (zip) เสียหายหรืออ่านไม่ได้ (ไม่ใช่ zip หรือไฟล์ขาดหาย)",
        "{file}: the zip archive is damaged or unreadable (not a zip, or cut short)",
    ),
    "archive_member_damaged": _error(
        "archive",
        "{file}: ส่วน {member} ในไฟล์บีบอัด (zip) เสียหาย (ข้อมูลไม่ตรงกับสารบัญ หรือขาดหาย)",
        "{file}: part {member} of the zip archive is damaged (its data does not match the "
        "archive's directory, or is cut short)",
    ),
    "archive_member_encrypted": _error(
        "archive",
        "{file}: ส่วน {member} ในไฟล์บีบอัด (zip) ตั้งรหัสผ่านไว้ จึงอ่านไม่ได้",
        "{file}: part {member} of the zip archive is protected by a password",
    ),
    "archive_member_compression": _error(
        "archive",
        "{file}: ส่วน {member} ในไฟล์บีบอัด (zip) ใช้วิธีบีบอัดที่อ่านไม่ได้",
        "{file}: part {member} of the zip archive uses a compression method that cannot be read",
    ),
    "archive_member_too_big": _error(
        "limit",
        "{file}: ส่วน {member} ขยายแล้วใหญ่ {size} MB เกินขีดจำกัด {limit} MB",
        "{file}: member {member} unpacks to {size} MB, over the limit of {limit} MB",
    ),
    "archive_too_big": _error(
        "limit",
        "{file}: ขยายแล้วใหญ่ {size} MB เกินขีดจำกัด {limit} MB",
        "{file}: unpacks to {size} MB, over the limit of {limit} MB",
    ),
    "too_many_rows": _error(
        "limit",
        "{file}: มี {rows} แถว เกินขีดจำกัด {limit} แถวต่อไฟล์ แบ่งเป็นหลายไฟล์",
        "{file}: {rows} rows, over the limit of {limit} rows per file; split it",
    ),
    "too_many_columns": _error(
        "limit",
        "{file}: มี {columns} คอลัมน์ เกินขีดจำกัด {limit} คอลัมน์",
        "{file}: {columns} columns, over the limit of {limit} columns",
    ),
    "sheet_extent": _error(
        "limit",
        "{file}: แผ่นงาน {sheet!r} มีข้อมูลถึงเซลล์ {cell} เกินขีดจำกัด {rows} แถว × {columns} "
        "คอลัมน์ ลบเซลล์ที่ไม่ใช้แล้วบันทึกใหม่",
        "{file}: sheet {sheet!r} has content at cell {cell}, beyond the limit of {rows} rows × "
        "{columns} columns; delete the unused cells and save again",
    ),
    "too_many_cells": _error(
        "limit", "{file}: มีเซลล์เกินขีดจำกัด {limit} เซลล์", "{file}: more than {limit} cells"
    ),
    "too_many_merged": _error(
        "limit",
        "{file}: มีช่องผสาน (merge) เกินขีดจำกัด {limit} ช่วง",
        "{file}: more than {limit} merged ranges",
    ),
    # One cell longer than Excel allows: the sheet's cell, or a CSV's row and column
    # (``chars_th``/``chars_en``: the length, or "more than" it when reading stopped there).
    "cell_too_long": _error(
        "cell_too_long",
        "{file}: แผ่นงาน {sheet!r} เซลล์ {cell} (แถว {row} คอลัมน์ {column}) ยาว {chars_th} "
        "ตัวอักษร เกินขีดจำกัด {limit} ตัวอักษรต่อเซลล์",
        "{file}: sheet {sheet!r}, cell {cell} (row {row}, column {column}) holds {chars_en} "
        "characters, over the limit of {limit} characters per cell",
    ),
    "csv_cell_too_long": _error(
        "cell_too_long",
        "{file}: แถว {row} คอลัมน์ {column} ยาว {chars_th} ตัวอักษร เกินขีดจำกัด {limit} ตัวอักษรต่อเซลล์",
        "{file}: row {row}, column {column} holds {chars_en} characters, over the limit of "
        "{limit} characters per cell",
    ),
    "too_slow": _error(
        "limit",
        "{file}: อ่านไฟล์นานเกิน {seconds} วินาที จึงหยุด แบ่งเป็นไฟล์เล็กลง",
        "{file}: reading took longer than {seconds} seconds and was stopped; split the file",
    ),
    "too_much_memory": _error(
        "limit",
        "{file}: อ่านไฟล์ต้องใช้หน่วยความจำเกิน {mb} MB จึงหยุด แบ่งเป็นไฟล์เล็กลง",
        "{file}: reading needed more than {mb} MB of memory and was stopped; split the file",
    ),
    "reader_failed": _error(
        "unreadable",
        "{file}: อ่านไฟล์ไม่ได้ (ข้อผิดพลาดที่ไม่คาดคิด รหัสอ้างอิง {ref})",
        "{file}: the file cannot be read (an unexpected fault; reference {ref})",
    ),
    "no_header": _error(
        "no_header",
        "{file}: ไม่พบแถวหัวตาราง (ไฟล์ว่างหรือไม่มีข้อมูล)",
        "{file}: no header row found (the file or sheet is empty)",
    ),
    "mapping_field": _error(
        "mapping",
        "{file}: ไม่มีช่องข้อมูล {field!r} (มี: {fields})",
        "{file}: there is no field {field!r} (fields: {fields})",
    ),
    "mapping_column": _error(
        "mapping",
        "{file}: ไม่มีคอลัมน์ {column!r} ในไฟล์ (มี: {columns})",
        "{file}: the file has no column {column!r} (columns: {columns})",
    ),
    # -- the file, found while checking its columns or placing its points --------------
    "no_place_column": _error(
        "no_place_column",
        "ไม่พบคอลัมน์พื้นที่ (จังหวัด อำเภอ ตำบล รหัส หรือพิกัด) กรุณาระบุคอลัมน์",
        "no place column found (province, district, tambon, code or coordinates); map one",
    ),
    "no_fiscal_year_column": _error(
        "no_fiscal_year_column",
        "ไม่พบคอลัมน์ปีงบประมาณหรือวันที่ กรุณาเลือกปีงบประมาณของทั้งไฟล์",
        "no fiscal-year or date column; choose the fiscal year of the whole file",
    ),
    "no_rows": _error("no_rows", "ไม่มีแถวข้อมูล", "there are no data rows"),
    "boundaries": _error(
        "boundaries",
        "วางพิกัดในตำบลไม่ได้: {error_th}",
        "cannot place the points in tambons: {error_en}",
    ),
    # -- one cell (CellValueError) -----------------------------------------------------
    "required": _error("required", "ต้องมีค่า", "must not be empty"),
    "not_a_number": _error("number", "ไม่ใช่ตัวเลข", "not a number"),
    "percentage": _error("number", "เป็นร้อยละ ไม่ใช่จำนวน", "a percentage, not a count"),
    "unclear_number": _error(
        "number", "ตัวเลขอ่านไม่ชัด (จุลภาคผิดที่)", "unclear number (misplaced comma)"
    ),
    "negative": _error("negative", "ตัวเลขติดลบ", "a negative figure"),
    "fiscal_year": _error("fiscal_year", "อ่านปีงบประมาณไม่ได้", "cannot read the fiscal year"),
    "implausible_fiscal_year": _error(
        "fiscal_year", "ปีงบประมาณไม่สมเหตุผล", "not a plausible fiscal year"
    ),
    "no_fiscal_year": _error(
        "fiscal_year",
        "ไม่มีปีงบประมาณ (ใส่ในคอลัมน์ หรือเลือกปีงบประมาณของทั้งไฟล์)",
        "no fiscal year (fill the column, or choose a fiscal year for the whole file)",
    ),
    "quarter": _error(
        "quarter", "อ่านไตรมาสไม่ได้ (ต้องเป็น 1-4)", "cannot read the quarter (must be 1-4)"
    ),
    "date": _error("date", "อ่านวันที่ไม่ได้", "cannot read the date"),
    "coordinate": _error("coordinates", "อ่านพิกัดไม่ได้", "cannot read the coordinate"),
    "coordinate_pair": _error(
        "coordinates",
        "อ่านพิกัดไม่ได้ (ควรเป็น ละติจูด, ลองจิจูด เช่น 13.75, 100.50)",
        "cannot read the coordinates (expected latitude, longitude, e.g. 13.75, 100.50)",
    ),
    "incomplete_coordinates": _error(
        "coordinates",
        "มีพิกัดไม่ครบ (ต้องมีทั้งละติจูดและลองจิจูด)",
        "incomplete coordinates (need both latitude and longitude)",
    ),
    "outside_thailand": _error(
        "outside_thailand",
        "พิกัด ({lat}, {lon}) อยู่นอกประเทศไทย",
        "coordinates ({lat}, {lon}) are outside Thailand",
    ),
    "code_digits": _error("code", "รหัสต้องมี 2, 4 หรือ 6 หลัก", "a code must have 2, 4 or 6 digits"),
    "code_abolished": _error(
        "code_abolished",
        "รหัส {code} ถูกยกเลิกแล้ว (รหัสที่ใช้แทน: {successors})",
        "code {code} was abolished (replaced by: {successors})",
    ),
    "code_unknown": _error("code", "ไม่มีรหัส {code} ในทะเบียน", "no area has code {code}"),
    "code_invalid": _error("code", "รหัสพื้นที่ไม่ถูกต้อง", "not an area code or CODI region"),
    "code_level": _error(
        "level",
        "ระดับ {level} ไม่ตรงกับรหัส {code} ({code_level})",
        "level {level} does not fit code {code} ({code_level})",
    ),
    "unknown_level": _error("level", "ไม่รู้จักระดับ {level!r}", "unknown level {level!r}"),
    "unknown_programme": _error(
        "programme", "ไม่มีแผนงาน {programme!r}", "no programme {programme!r}"
    ),
    # -- one row -----------------------------------------------------------------------
    "no_data": ProblemKind(
        "no_data", "skipped", "ไม่มีข้อมูลในคอลัมน์ที่ใช้", "nothing in the columns used"
    ),
    "total_row": ProblemKind(
        "total_row",
        "skipped",
        "แถวผลรวม ไม่นำเข้า (คำนวณจากแถวอื่นได้)",
        "a totals row, not imported (it is the sum of other rows)",
    ),
    "geometry": _error(
        "geometry", "รูปทรงเป็น {shape} ไม่ใช่จุด", "the geometry is a {shape}, not a point"
    ),
    "feature_invalid": _error(
        "feature", "อ่านข้อมูลของรายการนี้ไม่ได้ ({detail})", "cannot read this feature ({detail})"
    ),
    "geometry_invalid": _error(
        "geometry", "อ่านรูปทรงไม่ได้ ({detail})", "cannot read the geometry ({detail})"
    ),
    "place_ambiguous": _error(
        "place_ambiguous",
        "ชื่อพื้นที่ {place!r} ตรงกับหลายแห่ง ระบุอำเภอ/จังหวัดเพิ่ม หรือเลือกรหัส",
        "place {place!r} fits several areas: add the district/province or pick a code",
    ),
    "place_unmatched": _error(
        "place_unmatched",
        "ไม่พบชื่อพื้นที่ {place!r} ในทะเบียนของกรมการปกครอง",
        "place {place!r} is not in DOPA's register",
    ),
    "no_place": _error(
        "no_place",
        "ไม่มีพื้นที่ (จังหวัด/อำเภอ/ตำบล รหัส หรือพิกัด)",
        "no place (province/district/tambon, a code, or coordinates)",
    ),
    "region": _error(
        "region",
        "ไม่รู้จักภาค {region!r} (ภาคของ พอช.: {names_th})",
        "unknown CODI region {region!r} (regions: {names_en})",
    ),
    "category": _error(
        "category",
        "ไม่รู้จัก{label_th} {value!r}{closest_th} (ใช้ได้: {names_th})",
        "unknown {label_en} {value!r}{closest_en} (allowed: {names_en})",
    ),
    "category_guessed": _warning(
        "category_guessed",
        "{label_th} {value!r} ไม่ตรงกับที่ประกาศไว้ ใช้ {category_th} ที่ใกล้เคียงที่สุด ตรวจสอบ",
        "{label_en} {value!r} is not a declared word: read as the nearest, {category_en}; check",
    ),
    "visibility": _error(
        "visibility",
        "การเผยแพร่ต้องเป็น public (สาธารณะ) หรือ internal (ภายใน)",
        "visibility must be public or internal",
    ),
    "coordinates_swapped": _warning(
        "coordinates_swapped",
        "ละติจูดและลองจิจูดสลับกัน ใช้ ({lat}, {lon})",
        "latitude and longitude were the wrong way round; used ({lat}, {lon})",
    ),
    "merged_figure": _warning(
        "merged_figure",
        "ช่องที่ผสานไว้หลายแถว นับตัวเลขครั้งเดียวที่แถว {origin}",
        "a cell merged over several rows: the figure counts once, on row {origin}",
    ),
    "outside_tambons": _error(
        "outside_tambons",
        "พิกัด ({lat}, {lon}) ไม่อยู่ในตำบลใดของประเทศไทย และห่างตำบลที่ใกล้ที่สุดเกิน {limit} เมตร "
        "(ในทะเลหรือนอกพรมแดน?)",
        "coordinates ({lat}, {lon}) are not inside any Thai tambon nor within {limit} m of one "
        "(at sea or abroad?)",
    ),
    "near_tambon": _warning(
        "near_tambon",
        "พิกัด ({lat}, {lon}) อยู่นอกเขตตำบล ห่างตำบล{name_th} (รหัส {code}) {metres} เมตร "
        "(ไม่เกิน {limit} เมตร) จึงนับในตำบลนั้น ตรวจสอบพิกัด",
        "coordinates ({lat}, {lon}) are outside every tambon, {metres} m from {name_en} "
        "(code {code}), within {limit} m, so counted there; check the point",
    ),
    "point_code": _warning(
        "point_code",
        "พิกัดอยู่ในตำบลรหัส {code} ไม่ใช่ {given} (ใช้ตามพิกัด)",
        "the point lies in tambon {code}, not {given} (the point is used)",
    ),
    "point_elsewhere": _warning(
        "point_elsewhere",
        "พิกัดอยู่ในจังหวัด{province_th} ไม่ใช่จังหวัดที่ระบุ (ใช้ตามพิกัด)",
        "the coordinates are in {province_en}, not the province given (the coordinates are used)",
    ),
    "duplicate_in_file": _error(
        "duplicate_in_file",
        "ซ้ำกับ{label_th} {first} (ปี ไตรมาส พื้นที่ ประเภท และชื่อเดียวกัน)",
        "the same as {label_en} {first} (same year, quarter, place, category and name)",
    ),
    "duplicate_fact_in_file": _error(
        "duplicate_fact",
        "ข้อมูลเดียวกับ{label_th} {first} (ปี ไตรมาส พื้นที่ ประเภท ชื่อ และตัวเลขเท่ากัน "
        "ต่างกันแค่แหล่งที่มา) จะนับซ้ำ จึงไม่รับ",
        "the same fact as {label_en} {first} (same year, quarter, place, category, name and "
        "figures; only the source differs): it would be counted twice, so it is rejected",
    ),
    "duplicate_fact_stored": _error(
        "duplicate_fact",
        "ข้อมูลเดียวกันอยู่ในคลังแล้ว (ชุดที่ {batch} แถว {stored_row}; ตัวเลขเท่ากัน ต่างกันแค่แหล่งที่มา) "
        "จะนับซ้ำ จึงไม่รับ",
        "the same fact is already stored (batch {batch}, row {stored_row}; same figures, only "
        "the source differs): it would be counted twice, so it is rejected",
    ),
    "duplicate_stored": _error(
        "duplicate_stored",
        "มีข้อมูลนี้ในคลังแล้ว (ชุดที่ {batch} แถว {stored_row}) ยกเลิกชุดเดิมก่อนถ้าจะแก้",
        "already stored (batch {batch}, row {stored_row}); undo that batch first to change it",
    ),
}

# Why a column is not used (shown beside the mapping, both languages on one line).
IGNORED_COLUMN: dict[str, Bilingual] = {
    "personal": Bilingual("อาจเป็นข้อมูลส่วนบุคคล ไม่นำเข้า", "may be personal data, not imported"),
    "unknown": Bilingual("ไม่รู้จักคอลัมน์นี้", "not a known column"),
    "target": Bilingual("เป็นค่าเป้าหมาย ไม่ใช่ผล", "a target, not a result"),
    "percentage": Bilingual("เป็นร้อยละ ไม่ใช่จำนวน", "a percentage, not a count"),
    "used": Bilingual(
        "ใช้คอลัมน์ {column!r} เป็น {field} แล้ว", "{column!r} is already used as {field}"
    ),
    "latlon": Bilingual("ใช้คอลัมน์ละติจูด/ลองจิจูดแทน", "latitude/longitude columns used"),
    "not_mapped": Bilingual("ไม่ได้เลือก", "not mapped"),
}


def ignored_reason(reason: str, **values: Any) -> str:
    text = IGNORED_COLUMN[reason]
    return f"{text.th.format(**values)} / {text.en.format(**values)}"


@dataclass(frozen=True)
class Issue:
    """One thing the user should know, at a row (as they see it) and column of their file.
    ``row`` is None for the whole file. ``message`` in Thai and English (``.get(lang)``)."""

    row: int | None
    column: str | None
    value: str
    severity: Severity
    kind: str
    message: Bilingual
    candidates: tuple[str, ...] = ()

    @property
    def message_th(self) -> str:
        return self.message.th

    @property
    def message_en(self) -> str:
        return self.message.en

    @classmethod
    def of(
        cls,
        problem: str,
        row: int | None,
        column: str | None = None,
        value: str = "",
        candidates: tuple[str, ...] = (),
        /,
        **values: Any,
    ) -> Issue:
        """The issue of a problem in ``PROBLEMS``, its templates filled with ``values``."""
        found = PROBLEMS[problem]
        return cls(row, column, value, found.severity, found.kind, found.text(**values), candidates)


def chars_over(length: int | None, limit: int) -> dict[str, str]:
    """The ``chars_th``/``chars_en`` values of the cell-length problems: the length, or
    "more than" the limit when reading stopped before the cell's end (``length`` None)."""
    if length is None:
        return {"chars_th": f"มากกว่า {limit:,}", "chars_en": f"more than {limit:,}"}
    return {"chars_th": f"{length:,}", "chars_en": f"{length:,}"}


class _ProblemError(CodiGeoError):
    """An error naming a problem of ``PROBLEMS``; ``kind`` is its code in reports."""

    def __init__(self, problem: str, **values: Any) -> None:
        found = PROBLEMS[problem]
        self.kind = found.kind
        text = found.text(**values)
        super().__init__(text.th, text.en)


class ImportFileError(_ProblemError):
    """The file as a whole cannot be used."""

    @classmethod
    def from_text(cls, kind: str, th: str, en: str) -> ImportFileError:
        """The error again from its parts (it came from a reader in another process)."""
        error = cls.__new__(cls)
        CodiGeoError.__init__(error, th, en)
        error.kind = kind
        return error

    def issue(self) -> Issue:
        return Issue(None, None, "", "error", self.kind, self.text)


# Also a ValueError: a cell that cannot be read is a bad value, and callers outside the
# importer (the command line's --fiscal-year) treat it as one.
class CellValueError(_ProblemError, ValueError):
    """A cell that cannot be read as the field needs."""

    def issue(self, row: int | None, column: str | None, value: str) -> Issue:
        return Issue(row, column, value, "error", self.kind, self.text)
