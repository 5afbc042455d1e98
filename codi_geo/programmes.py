"""One declaration per CODI programme: the single place pages, legends, importers and the
public mode read. Adding a programme means adding one ``Programme(...)`` to ``PROGRAMMES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SpatialLevel = Literal["region", "province", "district", "tambon", "point"]
Family = Literal["model_tambon", "integrated_province", "housing", "disaster", "community"]


@dataclass(frozen=True)
class Metric:
    id: str
    name_th: str
    name_en: str
    unit_th: str = ""
    unit_en: str = ""
    public: bool = True


@dataclass(frozen=True)
class Category:
    """A legend class. Colours are chosen to stay apart in greyscale and for colour-blind
    viewers (ColorBrewer qualitative / sequential schemes)."""

    id: str
    name_th: str
    name_en: str
    colour: str


@dataclass(frozen=True)
class Programme:
    id: str
    name_th: str
    name_en: str
    family: Family
    level: SpatialLevel
    metrics: tuple[Metric, ...]
    categories: tuple[Category, ...] = ()
    category_label_th: str = "ประเภท"
    category_label_en: str = "Category"
    # Text fields (besides metrics) a public page may show. Anything else (notes, contact
    # people, beneficiary names) is internal.
    public_fields: tuple[str, ...] = ("name", "category")
    description_th: str = ""
    description_en: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(f"programme {self.id} has no metric {metric_id!r}")

    def category(self, category_id: str) -> Category | None:
        for c in self.categories:
            if c.id == category_id:
                return c
        return None

    @property
    def public_metric_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.metrics if m.public)


HOUSEHOLDS = Metric("households", "ครัวเรือน", "Households", "ครัวเรือน", "households")
COMMUNITIES = Metric("communities", "ชุมชน", "Communities", "ชุมชน", "communities")
TAMBONS = Metric("tambons", "ตำบล", "Tambons", "ตำบล", "tambons")
PROVINCES = Metric("provinces", "จังหวัด", "Provinces", "จังหวัด", "provinces")
PEOPLE = Metric("people", "คน", "People", "คน", "people")
PROJECTS = Metric("projects", "โครงการ", "Projects", "โครงการ", "projects")
BUDGET = Metric("budget_baht", "งบประมาณ", "Budget", "บาท", "baht")
CRITERIA_MET = Metric("criteria_met", "ผ่านเกณฑ์ (ข้อ)", "Criteria met", "ข้อ", "criteria")
FUNDS = Metric("funds", "กองทุน", "Funds", "กองทุน", "funds")
MEMBERS = Metric("members", "สมาชิก", "Members", "คน", "members")
RAI = Metric("area_rai", "พื้นที่", "Area", "ไร่", "rai")

# Sequential purple-orange scheme (ColorBrewer PuOr / YlGnBu) readable in greyscale.
_TIER_COLOURS = ("#253494", "#2c7fb8", "#41b6c4", "#c7e9b4")

PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        "model_tambon",
        "ตำบลต้นแบบ",
        "Model sub-districts",
        "model_tambon",
        "tambon",
        (TAMBONS, CRITERIA_MET, BUDGET),
        (
            Category("new", "กลุ่มใหม่", "New cohort", "#d95f02"),
            Category("follow_up", "กลุ่มติดตาม (ต่อเนื่อง)", "Follow-up cohort", "#1b9e77"),
            Category("met_all", "ผ่านเกณฑ์ครบ", "Met all criteria", "#7570b3"),
        ),
        category_label_th="กลุ่ม",
        category_label_en="Cohort",
    ),
    Programme(
        "eco_tambon",
        "ตำบลเชิงระบบนิเวศ",
        "Eco-system tambons",
        "model_tambon",
        "tambon",
        (TAMBONS, BUDGET),
        (
            Category("forest", "ป่า", "Forest", "#1b9e77"),
            Category("coastal", "ชายฝั่งทะเล", "Coastal", "#377eb8"),
            Category("river", "ลุ่มน้ำ", "River basin", "#80b1d3"),
            Category("other", "อื่น ๆ", "Other", "#999999"),
        ),
    ),
    Programme(
        "integrated_province",
        "จังหวัดบูรณาการ",
        "Integrated provinces",
        "integrated_province",
        "province",
        (PROVINCES, CRITERIA_MET, BUDGET),
        (
            Category(
                "tier_1", "กลุ่ม 1 สู่จังหวัดจัดการตนเอง", "Tier 1: to self-management",
                _TIER_COLOURS[0],
            ),
            Category(
                "tier_2", "กลุ่ม 2 บูรณาการต่อเนื่อง (เดิม)", "Tier 2: continuing",
                _TIER_COLOURS[1],
            ),
            Category(
                "tier_3", "กลุ่ม 3 บูรณาการขยายผล (ใหม่)", "Tier 3: expanding (new)",
                _TIER_COLOURS[2],
            ),
            Category(
                "tier_4", "กลุ่ม 4 เตรียมการพัฒนา", "Tier 4: preparing", _TIER_COLOURS[3],
            ),
        ),
        category_label_th="กลุ่มการสนับสนุน",
        category_label_en="Support tier",
    ),
    Programme(
        "baan_mankong_urban",
        "บ้านมั่นคงเมือง",
        "Baan Mankong (urban)",
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, PROJECTS, BUDGET),
    ),
    Programme(
        "baan_mankong_rural",
        "บ้านมั่นคงชนบท",
        "Baan Mankong (rural)",
        "housing",
        "tambon",
        (HOUSEHOLDS, COMMUNITIES, TAMBONS, BUDGET),
    ),
    Programme(
        "baan_por_piang",
        "บ้านพอเพียง",
        "Baan Por Piang",
        "housing",
        "tambon",
        (HOUSEHOLDS, TAMBONS, BUDGET),
    ),
    Programme(
        "prem_prachakorn_canal",
        "ที่อยู่อาศัยริมคลองเปรมประชากร",
        "Prem Prachakorn canal housing",
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, BUDGET),
    ),
    Programme(
        "rail_housing",
        "ที่อยู่อาศัยชุมชนริมทางรถไฟ",
        "Rail-affected communities housing",
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, BUDGET),
    ),
    Programme(
        "temporary_housing",
        "ที่อยู่อาศัยชั่วคราว",
        "Temporary housing",
        "housing",
        "province",
        (HOUSEHOLDS, BUDGET),
        (
            Category("fire", "ไฟไหม้", "Fire", "#e41a1c"),
            Category("flood", "น้ำท่วม", "Flood", "#377eb8"),
            Category("eviction", "ถูกไล่รื้อ", "Eviction", "#984ea3"),
            Category("awaiting_permanent", "รอที่อยู่อาศัยถาวร", "Awaiting a permanent home",
                     "#ff7f00"),
            Category("other", "อื่น ๆ", "Other", "#999999"),
        ),
        category_label_th="สาเหตุ",
        category_label_en="Need",
    ),
    Programme(
        "land",
        "ที่ดิน",
        "Land",
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, RAI),
    ),
    Programme(
        "disaster",
        "ภัยพิบัติ",
        "Disasters",
        "disaster",
        "point",
        (HOUSEHOLDS, PEOPLE, COMMUNITIES, BUDGET),
        (
            Category("flood", "อุทกภัย", "Flood", "#377eb8"),
            Category("fire", "อัคคีภัย", "Fire", "#e41a1c"),
            Category("border_conflict", "สถานการณ์ชายแดน", "Border conflict", "#984ea3"),
            Category("storm", "วาตภัย", "Storm", "#4daf4a"),
            Category("landslide", "ดินโคลนถล่ม", "Landslide", "#a65628"),
            Category("copin", "หมุดชุมชน (COPIN)", "Community pinpoint (COPIN)", "#ff7f00"),
            Category("other", "อื่น ๆ", "Other", "#999999"),
        ),
        category_label_th="ประเภทภัย",
        category_label_en="Kind",
    ),
    Programme(
        "community_council",
        "สภาองค์กรชุมชนตำบล",
        "Community councils",
        "community",
        "tambon",
        (TAMBONS, COMMUNITIES),
    ),
    Programme(
        "welfare_fund",
        "กองทุนสวัสดิการชุมชน",
        "Community welfare funds",
        "community",
        "tambon",
        (FUNDS, MEMBERS, BUDGET),
    ),
)

PROGRAMME_BY_ID: dict[str, Programme] = {p.id: p for p in PROGRAMMES}


def get_programme(programme_id: str) -> Programme:
    try:
        return PROGRAMME_BY_ID[programme_id]
    except KeyError:
        known = ", ".join(PROGRAMME_BY_ID)
        raise KeyError(
            f"ไม่รู้จักแผนงาน {programme_id!r} / unknown programme {programme_id!r} "
            f"(known: {known})"
        ) from None
