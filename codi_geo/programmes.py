"""One declaration per CODI programme: the single place pages, legends, importers and the
public mode read. Adding a programme means adding one ``Programme(...)`` to ``PROGRAMMES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from codi_geo.text import Bilingual, Named

SpatialLevel = Literal["region", "province", "district", "tambon", "point"]
Family = Literal["model_tambon", "integrated_province", "housing", "disaster", "community"]


@dataclass(frozen=True)
class Metric(Named):
    id: str
    name_th: str
    name_en: str
    unit_th: str = ""
    unit_en: str = ""
    public: bool = True

    @property
    def unit(self) -> Bilingual:
        return Bilingual(self.unit_th, self.unit_en)


@dataclass(frozen=True)
class Category(Named):
    """A legend class. Colours are chosen to stay apart in greyscale and for colour-blind
    viewers (ColorBrewer qualitative / sequential schemes)."""

    id: str
    name_th: str
    name_en: str
    colour: str
    # Everyday words people write for this class in their files (the importer reads them as
    # the class; reports and legends keep the formal name).
    aliases: tuple[str, ...] = ()
    # People whose place and condition are personal data (vulnerable households): public
    # pages hide counts of this class below ``CODI_GEO_SMALL_COUNT_THRESHOLD`` per tambon.
    sensitive: bool = False


@dataclass(frozen=True)
class Programme(Named):
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

    @property
    def category_label(self) -> Bilingual:
        return Bilingual(self.category_label_th, self.category_label_en)

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
            # Per-criterion counts of the FY2569 progress table (000 lines 177-185).
            Category("criterion_1_plan", "เกณฑ์ 1 แผนพัฒนาชุมชนที่ดี",
                     "Criterion 1: a good community plan", "#e7298a"),
            Category("criterion_2_leaders", "เกณฑ์ 2 ผู้นำเป็นวิทยากร/กรรมการ",
                     "Criterion 2: leaders serve as speakers or committee members", "#66a61e"),
            Category("criterion_3_resources", "เกณฑ์ 3 ได้รับการสนับสนุนทรัพยากร/งบประมาณ",
                     "Criterion 3: received resources or budget", "#e6ab02"),
            Category("criterion_4_learning", "เกณฑ์ 4 เป็นแหล่งเรียนรู้/ศึกษาดูงาน",
                     "Criterion 4: a learning or study-visit site", "#a6761d"),
            Category("follow_up_active", "ตำบลเดิมที่ยังดำเนินการ (Active)",
                     "Follow-up cohort still active", "#1f78b4"),
            Category("follow_up_met_all", "ตำบลเดิมรายงานตามเกณฑ์ครบถ้วน",
                     "Follow-up cohort reported complete", "#6a3d9a"),
            # The FY2560 structure (001), before model tambons existed.
            Category("pilot_area", "พื้นที่รูปธรรม (โครงสร้างเดิม)", "Pilot area (former structure)",
                     "#b15928"),
            Category("plan_done", "มีแผนพัฒนาชุมชนท้องถิ่นระดับตำบลแล้ว", "Tambon plan made",
                     "#33a02c"),
            Category("plan_linked", "เชื่อมโยงแผนตำบลกับหน่วยงานท้องถิ่นแล้ว",
                     "Tambon plan linked with local government", "#08519c"),
            Category("plan_in_progress", "อยู่ระหว่างจัดทำแผนพัฒนาตำบล", "Tambon plan in progress",
                     "#fdbf6f"),
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
            # Per-criterion counts of the FY2569 progress table (000 lines 295-300) and the
            # provinces that met all four criteria (000 lines 302-338).
            Category("criterion_1_committee", "เกณฑ์ 1 มีคณะทำงานร่วมระดับจังหวัด",
                     "Criterion 1: a joint provincial working group", "#e7298a"),
            Category("criterion_2_office", "เกณฑ์ 2 มีศูนย์ประสานงาน/สำนักงานขบวนองค์กรชุมชน",
                     "Criterion 2: a coordination centre or office", "#66a61e"),
            Category("criterion_3_plan", "เกณฑ์ 3 มีแผนพัฒนาพื้นที่เชื่อมโยงแผนจังหวัด",
                     "Criterion 3: a people's plan linked to the provincial plan", "#e6ab02"),
            Category("criterion_4_results", "เกณฑ์ 4 มีรูปธรรมการพัฒนาและแก้ไขปัญหา",
                     "Criterion 4: concrete development results", "#a6761d"),
            Category("met_all", "ผ่านเกณฑ์ครบ 4 องค์ประกอบ", "Met all four criteria", "#7570b3"),
            Category("pilot", "จังหวัดนำร่อง (ภาคีสานพลังพื้นที่เข้มแข็ง)",
                     "Pilot province (strong-area partners)", "#d95f02"),
            # The FY2560 structure (001): provincial strategic plans, before integrated provinces.
            Category("strategy_2560", "จัดทำ/ทบทวนแผนยุทธศาสตร์จังหวัด (โครงสร้างเดิม)",
                     "Provincial strategic plan (former structure)", "#b15928"),
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
        (
            HOUSEHOLDS,
            TAMBONS,
            BUDGET,
            # The FY2560 regional table gives provinces and completed repairs
            # (001 lines 92-99).
            PROVINCES,
            Metric("households_completed", "ซ่อม/สร้างแล้วเสร็จ", "Repairs completed",
                   "ครัวเรือน", "households"),
        ),
    ),
    Programme(
        "prem_prachakorn_canal",
        "ที่อยู่อาศัยริมคลองเปรมประชากร",
        "Prem Prachakorn canal housing",
        "housing",
        "district",
        (
            HOUSEHOLDS,
            COMMUNITIES,
            BUDGET,
            # The whole programme's target group by district and its progress since it began
            # (000 lines 514-525), beside the year's figures.
            Metric("target_group_households", "ครัวเรือนกลุ่มเป้าหมายทั้งโครงการ",
                   "Target-group households (whole programme)", "ครัวเรือน", "households"),
            Metric("target_group_communities", "ชุมชนกลุ่มเป้าหมายทั้งโครงการ",
                   "Target-group communities (whole programme)", "ชุมชน", "communities"),
            Metric("cumulative_households", "ครัวเรือนที่ดำเนินการแล้วสะสม",
                   "Households developed since the programme began", "ครัวเรือน",
                   "households"),
            Metric("cumulative_communities", "ชุมชนที่ดำเนินการแล้วสะสม",
                   "Communities developed since the programme began", "ชุมชน", "communities"),
        ),
        (
            # The canal programme worked on Khlong Lat Phrao first (FY2560, 001 line 25),
            # then on Khlong Prem Prachakorn (FY2569, 000 line 513).
            Category("prem_prachakorn", "คลองเปรมประชากร", "Khlong Prem Prachakorn", "#1f78b4"),
            Category("lat_phrao", "คลองลาดพร้าว", "Khlong Lat Phrao", "#33a02c"),
        ),
        category_label_th="คลอง",
        category_label_en="Canal",
    ),
    Programme(
        "rail_housing",
        "ที่อยู่อาศัยชุมชนริมทางรถไฟ",
        "Rail-affected communities housing",
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, BUDGET, PROJECTS),
    ),
    Programme(
        "temporary_housing",
        "ที่อยู่อาศัยชั่วคราว",
        "Temporary housing",
        "housing",
        "province",
        (HOUSEHOLDS, BUDGET),
        (
            # The formal words (อัคคีภัย, อุทกภัย) as the disaster programme writes them.
            Category("fire", "ไฟไหม้", "Fire", "#e41a1c", ("อัคคีภัย", "เพลิงไหม้")),
            Category("flood", "น้ำท่วม", "Flood", "#377eb8", ("อุทกภัย", "น้ำท่วมฉับพลัน")),
            # 003 line 969: "ที่อยู่อาศัยชั่วคราว กรณีไฟไหม้ ไล่รื้อ ภัยพิบัติ".
            Category("eviction", "ถูกไล่รื้อ", "Eviction", "#984ea3", ("ไล่รื้อ", "รื้อย้าย")),
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
        (
            HOUSEHOLDS,
            COMMUNITIES,
            RAI,
            # Railway land leases held for communities (000 lines 1279-1287).
            Metric("lease_contracts", "สัญญาเช่าที่ดิน", "Land lease contracts", "ฉบับ",
                   "contracts"),
        ),
    ),
    Programme(
        "disaster",
        "ภัยพิบัติ",
        "Disasters",
        "disaster",
        "point",
        (HOUSEHOLDS, PEOPLE, COMMUNITIES, BUDGET),
        (
            # The reports use both the formal and the everyday word for the same kind: น้ำท่วม
            # beside อุทกภัย (000 lines 499, 926, 1156), ไฟไหม้ (000 lines 57, 607),
            # ความไม่สงบชายแดน for สถานการณ์ชายแดน (000 lines 495, 501, 581). The other
            # everyday words (พายุ, ดินถล่ม, สู้รบ, ปะทะ) are how people say the rest.
            Category("flood", "อุทกภัย", "Flood", "#377eb8",
                     ("น้ำท่วม", "น้ำท่วมฉับพลัน", "น้ำป่า", "น้ำป่าไหลหลาก", "น้ำหลาก",
                      "flooding")),
            Category("fire", "อัคคีภัย", "Fire", "#e41a1c",
                     ("ไฟไหม้", "เพลิงไหม้", "ไฟไหม้ชุมชน", "ไฟไหม้บ้าน")),
            Category("border_conflict", "สถานการณ์ชายแดน", "Border conflict", "#984ea3",
                     ("สู้รบ", "สู้รบชายแดน", "การสู้รบ", "ปะทะ", "ปะทะชายแดน", "การปะทะ",
                      "ความไม่สงบชายแดน", "เหตุการณ์ความไม่สงบชายแดน",
                      "ชายแดนไทยกัมพูชา", "border")),
            Category("storm", "วาตภัย", "Storm", "#4daf4a",
                     ("พายุ", "ลมพายุ", "พายุฤดูร้อน", "พายุฝน", "ลมกระโชกแรง")),
            # ดินโคลนถล่ม: 000 line 306.
            Category("landslide", "ดินโคลนถล่ม", "Landslide", "#a65628",
                     ("ดินถล่ม", "โคลนถล่ม", "ดินสไลด์", "ดินไหล")),
            Category("copin", "หมุดชุมชน (COPIN)", "Community pinpoint (COPIN)", "#ff7f00",
                     ("copin", "หมุดชุมชน", "หมุด")),
            # What community networks pin with COPIN (000 lines 1156-1162): vulnerable
            # groups, risk points and community resources; after a disaster, damage and needs.
            Category("vulnerable", "กลุ่มเปราะบาง", "Vulnerable household or group", "#f781bf",
                     ("ครัวเรือนเปราะบาง", "เปราะบาง"), sensitive=True),
            Category("risk_point", "จุดเสี่ยง", "Risk point", "#e6ab02",
                     ("พื้นที่เสี่ยง", "จุดอันตราย")),
            Category("community_resource", "ทรัพยากรชุมชน", "Community resource", "#1b9e77",
                     ("ทุนชุมชน", "แหล่งทรัพยากร")),
            Category("damage", "ความเสียหาย", "Damage", "#d95f02",
                     ("บ้านเสียหาย", "เสียหาย")),
            Category("need", "ความต้องการ", "Need", "#7570b3",
                     ("ความต้องการช่วยเหลือ", "ต้องการความช่วยเหลือ")),
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
        (
            Category("established", "จัดตั้งสภาฯ แล้ว", "Council established", "#1b9e77"),
            Category("establishing", "อยู่ระหว่าง/เป้าหมายจัดตั้งสภาฯ", "Council being established",
                     "#a6d96a"),
            Category("developed", "พัฒนาศักยภาพ/กิจการสภาฯ", "Council capacity developed",
                     "#377eb8"),
            Category("reviewed", "ทบทวนสภาฯ ที่สมาชิกครบวาระ", "Council membership renewed",
                     "#984ea3"),
            Category("activity", "พื้นที่จัดกิจกรรม", "Activity venue", "#999999"),
        ),
    ),
    Programme(
        "welfare_fund",
        "กองทุนสวัสดิการชุมชน",
        "Community welfare funds",
        "community",
        "tambon",
        (FUNDS, MEMBERS, BUDGET, TAMBONS),
        (
            Category("supported", "ได้รับงบสมทบ", "Received matching funds", "#1b9e77"),
            Category("registered", "กองทุนที่จัดตั้งแล้ว (สะสม)", "Registered funds (cumulative)",
                     "#7570b3"),
            Category("award", "กองทุนดีเด่น (ได้รับรางวัล)", "Award-winning fund", "#e6ab02"),
            Category("reviewed", "ติดตามสอบทานกองทุน", "Fund reviewed", "#377eb8"),
            Category("case_study", "กรณีศึกษา/สรุปบทเรียน", "Case study", "#a6761d"),
            Category("activity", "พื้นที่จัดกิจกรรม", "Activity venue", "#999999"),
            # Training in the funds' accounting software (SWF), by province (000 line 1118).
            Category("software_training", "อบรมโปรแกรมบริหารการเงินและบัญชีกองทุน (SWF)",
                     "Trained in the funds' accounting software (SWF)", "#e7298a"),
        ),
    ),
    # Added for issue 12 (place-tied figures of the reports that had no programme).
    Programme(
        "anti_corruption",
        "ป้องกันและต่อต้านการทุจริต",
        "Anti-corruption areas",
        "community",
        "province",
        (
            Metric("tambons", "ตำบลใหม่", "New tambons", "ตำบล", "tambons"),
            Metric("networks", "เครือข่ายองค์กรชุมชน", "Community networks", "เครือข่าย",
                   "networks"),
        ),
    ),
    Programme(
        "community_economy",
        "เศรษฐกิจชุมชน",
        "Community economy",
        "community",
        "region",
        (
            Metric("organisations", "องค์กรผู้รับผลประโยชน์", "Beneficiary organisations",
                   "องค์กร", "organisations"),
            Metric("members", "สมาชิกเข้าร่วม", "Members taking part", "คน", "people"),
            BUDGET,
            Metric("income_baht", "รายได้ที่เกิดขึ้นแก่สมาชิก", "Income earned by members", "บาท",
                   "baht"),
        ),
    ),
    Programme(
        "cooperation",
        "บันทึกความร่วมมือกับภาคี",
        "Cooperation agreements",
        "community",
        "tambon",
        (
            Metric("partners", "หน่วยงานภาคี", "Partner agencies", "หน่วยงาน", "agencies"),
            Metric("villages", "หมู่บ้าน", "Villages", "หมู่บ้าน", "villages"),
            HOUSEHOLDS,
        ),
    ),
    Programme(
        "housing_loan",
        "สินเชื่อที่อยู่อาศัย",
        "Housing loans",
        "housing",
        "district",
        (
            Metric("organisations", "องค์กรผู้ใช้สินเชื่อ", "Borrowing organisations", "องค์กร",
                   "organisations"),
            HOUSEHOLDS,
            Metric("loan_baht", "วงเงินสินเชื่ออนุมัติ", "Loans approved", "บาท", "baht"),
        ),
        (
            Category("prem_prachakorn", "บ้านมั่นคง (คลองเปรมประชากร)",
                     "Baan Mankong (Khlong Prem Prachakorn)", "#1f78b4"),
            Category("rail", "บ้านมั่นคง (ระบบราง)", "Baan Mankong (rail-side)", "#6a3d9a"),
            Category("thai_khemkhaeng", "บ้านมั่นคงไทยเข้มแข็ง", "Baan Mankong Thai Khemkhaeng",
                     "#33a02c"),
            Category("chao_phraya", "ริมแม่น้ำเจ้าพระยา", "Chao Phraya riverside", "#ff7f00"),
        ),
        category_label_th="ประเภทสินเชื่อ",
        category_label_en="Loan type",
    ),
    Programme(
        "homeless_housing",
        "ที่อยู่อาศัยคนไร้บ้าน",
        "Homeless people's housing",
        "housing",
        "province",
        (HOUSEHOLDS, PEOPLE, BUDGET),
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
