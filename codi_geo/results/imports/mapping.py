"""Column headers -> fields: the base fields every programme has and the programme's own
metrics (from its declaration), named in Thai or English. A guess never maps a column that
may hold personal data, a target or a percentage; it says why it left a column alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codi_geo.programmes import Programme
from codi_geo.results.imports.problems import ImportFileError, ignored_reason
from codi_geo.thai import header_key

# Joins a group label to the header below it ("ผลการดำเนินงาน / ครัวเรือน").
GROUP_SEPARATOR = " / "


@dataclass(frozen=True)
class MappingResult:
    """Field -> column header, plus what the guesser chose to leave alone and why."""

    columns: dict[str, str]
    ignored: dict[str, str]  # header -> reason (Thai / English)


# Fields every programme has. Metric fields come from the programme declaration.
BASE_FIELDS: dict[str, tuple[str, ...]] = {
    "fiscal_year": (
        "fiscal_year",
        "ปีงบประมาณ",
        "ปีงบ",
        "ปีงปม",
        "ปีงบประมาณพศ",
        "ปี",
        "พศ",
        "fiscal year",
        "fy",
        "year",
        "budget year",
    ),
    "quarter": ("quarter", "ไตรมาส", "ไตรมาสที่", "qtr", "q"),
    "date": (
        "date",
        "วันที่",
        "วันเดือนปี",
        "วันที่เกิดเหตุ",
        "วันที่เกิดภัย",
        "วันที่ดำเนินการ",
        "วันที่สำรวจ",
        "วันที่ปักหมุด",
        "event date",
    ),
    "timestamp": ("timestamp", "ประทับเวลา", "เวลาประทับ", "submitted at", "created at"),
    "region": ("region", "ภาค", "ภูมิภาค", "codi region", "ภาค พอช"),
    "province": ("province", "จังหวัด", "จ", "changwat", "province name", "ชื่อจังหวัด"),
    "district": (
        "district",
        "อำเภอ",
        "เขต",
        "อำเภอ/เขต",
        "เขต/อำเภอ",
        "อ",
        "amphoe",
        "khet",
        "ชื่ออำเภอ",
    ),
    "tambon": (
        "tambon",
        "ตำบล",
        "แขวง",
        "ตำบล/แขวง",
        "แขวง/ตำบล",
        "ต",
        "subdistrict",
        "sub-district",
        "khwaeng",
        "ชื่อตำบล",
    ),
    "place": (
        "place_text",
        "place",
        "สถานที่",
        "พื้นที่",
        "พื้นที่ดำเนินการ",
        "พื้นที่เป้าหมาย",
        "ที่ตั้ง",
        "ที่อยู่",
        "ที่ตั้งชุมชน",
        "location",
        "address",
        "area",
        "พื้นที่ตำบล",
    ),
    "code": (
        "code",
        "รหัส",
        "รหัสพื้นที่",
        "รหัสตำบล",
        "รหัสอำเภอ",
        "รหัสจังหวัด",
        "dopa code",
        "geocode",
        "pcode",
        "adm3_pcode",
        "adm2_pcode",
        "adm1_pcode",
        "tambon code",
        "district code",
        "province code",
        "subdistrict code",
        "รหัสมหาดไทย",
    ),
    "level": ("level", "ระดับ", "ระดับพื้นที่"),
    "latitude": ("latitude", "ละติจูด", "ลติจูด", "ละติจูต", "lat", "y"),
    "longitude": ("longitude", "ลองจิจูด", "ลองติจูด", "ลองจิจูต", "long", "lon", "lng", "x"),
    "coordinates": (
        "coordinates",
        "พิกัด",
        "พิกัดที่ตั้ง",
        "พิกัดชุมชน",
        "พิกัดgps",
        "ตำแหน่ง",
        "coordinate",
        "latlng",
        "latlong",
        "latlon",
        "gps",
        "location coordinates",
        "ละติจูดลองจิจูด",
        "latitudelongitude",
    ),
    "category": (
        "category",
        "ประเภท",
        "กลุ่ม",
        "stage",
        "ระยะ",
        "ประเภทภัย",
        "กลุ่มเป้าหมาย",
        "type",
        "kind",
        "folder",
        "ชั้นข้อมูล",
    ),
    "name": (
        "name",
        "ชื่อ",
        "ชื่อชุมชน",
        "ชุมชน",
        "ชื่อโครงการ",
        "โครงการ",
        "community",
        "community name",
        "project",
        "project name",
        "ชื่อองค์กร",
        "ชื่อกองทุน",
        "ชื่อสภาองค์กรชุมชน",
        "title",
        "ชื่อจุด",
        "ชื่อหมุด",
    ),
    "visibility": ("visibility", "การเผยแพร่", "เผยแพร่", "public"),
    "note": (
        "note",
        "หมายเหตุ",
        "notes",
        "remark",
        "remarks",
        "comment",
        "รายละเอียด",
        "description",
    ),
    "source_doc": ("source_doc", "แหล่งที่มา", "source", "ที่มา", "เอกสารอ้างอิง", "อ้างอิง"),
    "source_line": ("source_line", "บรรทัด", "line", "source line"),
}

# Extra words for metric ids (a vocabulary of metric ids, not of programmes: a new programme
# needs nothing here, its declared Thai and English metric names are used).
METRIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "households": (
        "หลังคาเรือน",
        "ครัวเรือน",
        "จำนวนครัวเรือน",
        "จำนวนหลังคาเรือน",
        "hh",
        "ครัวเรือนที่ได้รับผลกระทบ",
        "ครัวเรือนผู้ประสบภัย",
    ),
    "budget_baht": (
        "งบประมาณ",
        "วงเงิน",
        "วงเงินอนุมัติ",
        "งบประมาณอนุมัติ",
        "งบ",
        "budget",
        "amount",
        "งบประมาณบาท",
        "จำนวนเงิน",
    ),
    "people": (
        "ประชากร",
        "จำนวนคน",
        "ผู้ได้รับประโยชน์",
        "persons",
        "population",
        "ผู้ได้รับผลกระทบ",
        "จำนวนผู้ได้รับผลกระทบ",
    ),
    "communities": ("จำนวนชุมชน",),
    "tambons": ("จำนวนตำบล",),
    "provinces": ("จำนวนจังหวัด",),
    "projects": ("จำนวนโครงการ",),
    "members": ("จำนวนสมาชิก",),
    "funds": ("จำนวนกองทุน",),
    "area_rai": ("เนื้อที่", "ไร่", "เนื้อที่ไร่"),
    "criteria_met": ("ผ่านเกณฑ์", "จำนวนข้อที่ผ่านเกณฑ์"),
}

# Headers a guess never maps: they hold personal data (never stored) or are not results.
_PERSONAL_WORDS = (
    "ผู้ประสานงาน",
    "ผู้ติดต่อ",
    "ผู้กรอก",
    "ผู้รายงาน",
    "ผู้บันทึก",
    "เบอร์",
    "โทร",
    "phone",
    "mobile",
    "email",
    "อีเมล",
    "อีเมล์",
    "contact",
    "นามสกุล",
    "ชื่อสกุล",
    "บัตรประชาชน",
    "เลขบัตร",
    "idcard",
    "yourname",
    "fullname",
    "firstname",
    "lastname",
    "surname",
    "หัวหน้าครอบครัว",
    "เจ้าของบ้าน",
    "line id",
    "ไลน์",
)
_TARGET_WORDS = ("เป้าหมาย", "เป้า", "target", "แผนงบ")
_RATIO_WORDS = ("ร้อยละ", "%", "percent", "สัดส่วน")
_LAT_WORDS = ("latitude", "ละติจูด", "ลติจูด", "lat")
_LON_WORDS = ("longitude", "ลองจิจูด", "ลองติจูด", "long", "lon", "lng")
# Synonyms this short match a whole header only ("x" must not match "tax").
_MIN_CONTAINED = 4


def field_vocabulary(programme: Programme | None) -> list[tuple[str, str, bool]]:
    """(normalised synonym, field, is_metric) for the base fields and the programme's
    metrics (id, Thai and English names, with and without unit and จำนวน)."""
    vocabulary = [
        (header_key(word), name, False) for name, words in BASE_FIELDS.items() for word in words
    ]
    if programme is not None:
        label = programme.category_label
        if label.th:
            vocabulary.append((header_key(label.th), "category", False))
            vocabulary.append((header_key(label.en), "category", False))
        for metric in programme.metrics:
            name, unit = metric.name, metric.unit
            words = [
                metric.id,
                name.en,
                name.th,
                f"จำนวน{name.th}",
                f"{name.th} ({unit.th})",
                f"{name.en} ({unit.en})",
                f"number of {name.en}",
                *METRIC_SYNONYMS.get(metric.id, ()),
            ]
            vocabulary += [(header_key(w), metric.id, True) for w in words if header_key(w)]
    return vocabulary


def match_header(header: str, vocabulary: Sequence[tuple[str, str, bool]]) -> str | None:
    """The field a header names: an exact synonym first, else the longest synonym it
    contains; a base field wins a tie with a metric (``ตำบล`` is the place, ``จำนวนตำบล``
    the count)."""
    key = header_key(header)
    if not key:
        return None
    if any(w in key for w in _LAT_WORDS) and any(w in key for w in _LON_WORDS):
        return "coordinates"
    best: tuple[int, int, int] | None = None
    chosen = None
    for word, name, is_metric in vocabulary:
        if not word:
            continue
        if key == word:
            rank = (2, len(word), 0 if is_metric else 1)
        elif len(word) >= _MIN_CONTAINED and word in key:
            rank = (1, len(word), 0 if is_metric else 1)
        else:
            continue
        if best is None or rank > best:
            best, chosen = rank, name
    return chosen


def guess_mapping(
    headers: Sequence[str],
    programme: Programme,
    geometry_columns: Mapping[str, str] | None = None,
) -> MappingResult:
    """Field -> header for the headers a guess can name, leftmost column first; headers that
    look like personal data, targets or percentages are left out, with the reason."""
    vocabulary = field_vocabulary(programme)
    columns: dict[str, str] = dict(geometry_columns or {})
    ignored: dict[str, str] = {}
    metric_ids = {m.id for m in programme.metrics}
    for header in headers:
        if header in columns.values():
            continue
        key = header_key(header)
        if any(header_key(w) in key for w in _PERSONAL_WORDS):
            ignored[header] = ignored_reason("personal")
            continue
        # A joined header ("ผลการดำเนินงาน / ครัวเรือน") is named by its own line first; the
        # group label above only helps when that says nothing.
        name = match_header(header.rsplit(GROUP_SEPARATOR, 1)[-1], vocabulary) or match_header(
            header, vocabulary
        )
        if name is None:
            ignored[header] = ignored_reason("unknown")
            continue
        if name in metric_ids and any(header_key(w) in key for w in _TARGET_WORDS):
            ignored[header] = ignored_reason("target")
            continue
        if name in metric_ids and any(w in key for w in _RATIO_WORDS):
            ignored[header] = ignored_reason("percentage")
            continue
        if name in columns:
            ignored[header] = ignored_reason("used", column=columns[name], field=name)
            continue
        columns[name] = header
    # Separate latitude/longitude columns win over a single coordinates column.
    if "latitude" in columns and "longitude" in columns:
        dropped = columns.pop("coordinates", None)
        if dropped:
            ignored[dropped] = ignored_reason("latlon")
    return MappingResult(columns, ignored)


def adjust_mapping(mapping: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """``mapping`` with some fields pointed at other columns (a column serves one field, so
    it leaves any field it served) or dropped (``None`` or ``""``)."""
    adjusted = dict(mapping)
    for name, header in changes.items():
        adjusted.pop(name, None)
        if header:
            adjusted = {f: h for f, h in adjusted.items() if h != header}
            adjusted[name] = header
    return adjusted


def mappable_fields(programme: Programme) -> list[str]:
    """Every field a mapping may name, base fields then the programme's metrics."""
    return [*BASE_FIELDS, *(m.id for m in programme.metrics)]


def check_mapping(
    mapping: Mapping[str, str], headers: Sequence[str], programme: Programme, filename: str
) -> None:
    """Raise ``ImportFileError`` if a chosen mapping names a field or column that is not
    there."""
    allowed = set(mappable_fields(programme))
    for name, header in mapping.items():
        if name not in allowed:
            raise ImportFileError(
                "mapping_field", file=filename, field=name, fields=", ".join(sorted(allowed))
            )
        if header not in headers:
            raise ImportFileError(
                "mapping_column", file=filename, column=header, columns=", ".join(headers)
            )
