"""One declaration per CODI programme: the single place pages, legends, importers and the
public mode read. Adding a programme means adding one ``Programme(...)`` to ``PROGRAMMES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from codi_geo.errors import CodiGeoError
from codi_geo.text import Bilingual

SpatialLevel = Literal["region", "province", "district", "tambon", "point"]
Family = Literal["model_tambon", "integrated_province", "housing", "disaster", "community"]

# Defaults of the declarations (one frozen value each, shared safely).
_NO_TEXT = Bilingual("")
_CATEGORY = Bilingual("ประเภท", "Category")


@dataclass(frozen=True)
class Metric:
    id: str
    name: Bilingual
    unit: Bilingual = _NO_TEXT
    public: bool = True
    # A running total counts everything since a start date (``since``: the programme's
    # start, the first fund ...), not what happened in the row's period. Two of its rows of
    # different periods are the same stock seen twice: totals take the latest period's
    # value, never a sum across periods (``results.frames.countable``), and labels say since
    # when.
    running_total: bool = False
    since: Bilingual = _NO_TEXT


@dataclass(frozen=True)
class Category:
    """A legend class. Colours are chosen to stay apart in greyscale and for colour-blind
    viewers (ColorBrewer qualitative / sequential schemes)."""

    id: str
    name: Bilingual
    colour: str
    # Everyday words people write for this class in their files (the importer reads them as
    # the class; reports and legends keep the formal name).
    aliases: tuple[str, ...] = ()
    # People whose place and condition are personal data (vulnerable households): public
    # pages hide counts of this class below ``CODI_GEO_SMALL_COUNT_THRESHOLD`` per tambon.
    sensitive: bool = False


@dataclass(frozen=True)
class Programme:
    id: str
    name: Bilingual
    family: Family
    level: SpatialLevel
    metrics: tuple[Metric, ...]
    categories: tuple[Category, ...] = ()
    category_label: Bilingual = _CATEGORY
    # Text fields (besides metrics) a public page may show. Anything else (notes, contact
    # people, beneficiary names) is internal.
    public_fields: tuple[str, ...] = ("name", "category")
    description: Bilingual = _NO_TEXT
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


# The declarations are laid out by hand, as a table is (one programme, metric or class a
# few lines), not by the formatter.
# fmt: off
HOUSEHOLDS = Metric("households", Bilingual("ครัวเรือน", "Households"),
                    Bilingual("ครัวเรือน", "households"))
COMMUNITIES = Metric("communities", Bilingual("ชุมชน", "Communities"),
                     Bilingual("ชุมชน", "communities"))
TAMBONS = Metric("tambons", Bilingual("ตำบล", "Tambons"), Bilingual("ตำบล", "tambons"))
PROVINCES = Metric("provinces", Bilingual("จังหวัด", "Provinces"),
                   Bilingual("จังหวัด", "provinces"))
PEOPLE = Metric("people", Bilingual("คน", "People"), Bilingual("คน", "people"))
PROJECTS = Metric("projects", Bilingual("โครงการ", "Projects"), Bilingual("โครงการ", "projects"))
BUDGET = Metric("budget_baht", Bilingual("งบประมาณ", "Budget"), Bilingual("บาท", "baht"))
CRITERIA_MET = Metric("criteria_met", Bilingual("ผ่านเกณฑ์ (ข้อ)", "Criteria met"),
                      Bilingual("ข้อ", "criteria"))
FUNDS = Metric("funds", Bilingual("กองทุน", "Funds"), Bilingual("กองทุน", "funds"))
MEMBERS = Metric("members", Bilingual("สมาชิก", "Members"), Bilingual("คน", "members"))
RAI = Metric("area_rai", Bilingual("พื้นที่", "Area"), Bilingual("ไร่", "rai"))

# Start dates of the running totals (the reports' own words: 001 lines 25, 37; 000 lines
# 513, 521, 1089-1097, 398, 932).
_CANAL_SINCE_TH = "ตั้งแต่เริ่มโครงการ (คลองลาดพร้าว 2559, คลองเปรมประชากร 2563)"
_CANAL_SINCE_EN = "since the programme began (Lat Phrao 2559, Prem Prachakorn 2563)"
_LOAN_SINCE_TH = "ตั้งแต่เริ่มโครงการสินเชื่อแต่ละประเภท"
_LOAN_SINCE_EN = "since each loan programme began"
_ECONOMY_SINCE_TH = "ตั้งแต่การสนับสนุนปีงบประมาณ 2568"
_ECONOMY_SINCE_EN = "since the support of FY2568"
_FUNDS_SINCE_TH = "ตั้งแต่จัดตั้งกองทุนแรก"
_FUNDS_SINCE_EN = "since the first fund was registered"

# Sequential purple-orange scheme (ColorBrewer PuOr / YlGnBu) readable in greyscale.
_TIER_COLOURS = ("#253494", "#2c7fb8", "#41b6c4", "#c7e9b4")

PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        "model_tambon",
        Bilingual("ตำบลต้นแบบ", "Model sub-districts"),
        "model_tambon",
        "tambon",
        (TAMBONS, CRITERIA_MET, BUDGET),
        (
            Category("new", Bilingual("กลุ่มใหม่", "New cohort"), "#d95f02"),
            Category("follow_up", Bilingual("กลุ่มติดตาม (ต่อเนื่อง)", "Follow-up cohort"),
                     "#1b9e77"),
            Category("met_all", Bilingual("ผ่านเกณฑ์ครบ", "Met all criteria"), "#7570b3"),
            # Per-criterion counts of the FY2569 progress table (000 lines 177-185).
            Category("criterion_1_plan",
                     Bilingual("เกณฑ์ 1 แผนพัฒนาชุมชนที่ดี", "Criterion 1: a good community plan"),
                     "#e7298a"),
            Category("criterion_2_leaders",
                     Bilingual("เกณฑ์ 2 ผู้นำเป็นวิทยากร/กรรมการ",
                               "Criterion 2: leaders serve as speakers or committee members"),
                     "#66a61e"),
            Category("criterion_3_resources",
                     Bilingual("เกณฑ์ 3 ได้รับการสนับสนุนทรัพยากร/งบประมาณ",
                               "Criterion 3: received resources or budget"), "#e6ab02"),
            Category("criterion_4_learning",
                     Bilingual("เกณฑ์ 4 เป็นแหล่งเรียนรู้/ศึกษาดูงาน",
                               "Criterion 4: a learning or study-visit site"), "#a6761d"),
            Category("follow_up_active",
                     Bilingual("ตำบลเดิมที่ยังดำเนินการ (Active)", "Follow-up cohort still active"),
                     "#1f78b4"),
            Category("follow_up_met_all",
                     Bilingual("ตำบลเดิมรายงานตามเกณฑ์ครบถ้วน",
                               "Follow-up cohort reported complete"), "#6a3d9a"),
            # The FY2560 structure (001), before model tambons existed.
            Category("pilot_area",
                     Bilingual("พื้นที่รูปธรรม (โครงสร้างเดิม)", "Pilot area (former structure)"),
                     "#b15928"),
            Category("plan_done",
                     Bilingual("มีแผนพัฒนาชุมชนท้องถิ่นระดับตำบลแล้ว", "Tambon plan made"),
                     "#33a02c"),
            Category("plan_linked",
                     Bilingual("เชื่อมโยงแผนตำบลกับหน่วยงานท้องถิ่นแล้ว",
                               "Tambon plan linked with local government"), "#08519c"),
            Category("plan_in_progress",
                     Bilingual("อยู่ระหว่างจัดทำแผนพัฒนาตำบล", "Tambon plan in progress"),
                     "#fdbf6f"),
        ),
        category_label=Bilingual("กลุ่ม", "Cohort"),
    ),
    Programme(
        "eco_tambon",
        Bilingual("ตำบลเชิงระบบนิเวศ", "Eco-system tambons"),
        "model_tambon",
        "tambon",
        (TAMBONS, BUDGET),
        (
            Category("forest", Bilingual("ป่า", "Forest"), "#1b9e77"),
            Category("coastal", Bilingual("ชายฝั่งทะเล", "Coastal"), "#377eb8"),
            Category("river", Bilingual("ลุ่มน้ำ", "River basin"), "#80b1d3"),
            Category("other", Bilingual("อื่น ๆ", "Other"), "#999999"),
        ),
    ),
    Programme(
        "integrated_province",
        Bilingual("จังหวัดบูรณาการ", "Integrated provinces"),
        "integrated_province",
        "province",
        (PROVINCES, CRITERIA_MET, BUDGET),
        (
            Category("tier_1",
                     Bilingual("กลุ่ม 1 สู่จังหวัดจัดการตนเอง", "Tier 1: to self-management"),
                     _TIER_COLOURS[0]),
            Category("tier_2", Bilingual("กลุ่ม 2 บูรณาการต่อเนื่อง (เดิม)", "Tier 2: continuing"),
                     _TIER_COLOURS[1]),
            Category("tier_3",
                     Bilingual("กลุ่ม 3 บูรณาการขยายผล (ใหม่)", "Tier 3: expanding (new)"),
                     _TIER_COLOURS[2]),
            Category("tier_4", Bilingual("กลุ่ม 4 เตรียมการพัฒนา", "Tier 4: preparing"),
                     _TIER_COLOURS[3]),
            # Per-criterion counts of the FY2569 progress table (000 lines 295-300) and the
            # provinces that met all four criteria (000 lines 302-338).
            Category("criterion_1_committee",
                     Bilingual("เกณฑ์ 1 มีคณะทำงานร่วมระดับจังหวัด",
                               "Criterion 1: a joint provincial working group"), "#e7298a"),
            Category("criterion_2_office",
                     Bilingual("เกณฑ์ 2 มีศูนย์ประสานงาน/สำนักงานขบวนองค์กรชุมชน",
                               "Criterion 2: a coordination centre or office"), "#66a61e"),
            Category("criterion_3_plan",
                     Bilingual("เกณฑ์ 3 มีแผนพัฒนาพื้นที่เชื่อมโยงแผนจังหวัด",
                               "Criterion 3: a people's plan linked to the provincial plan"),
                     "#e6ab02"),
            Category("criterion_4_results",
                     Bilingual("เกณฑ์ 4 มีรูปธรรมการพัฒนาและแก้ไขปัญหา",
                               "Criterion 4: concrete development results"), "#a6761d"),
            Category("met_all", Bilingual("ผ่านเกณฑ์ครบ 4 องค์ประกอบ", "Met all four criteria"),
                     "#7570b3"),
            Category("pilot",
                     Bilingual("จังหวัดนำร่อง (ภาคีสานพลังพื้นที่เข้มแข็ง)",
                               "Pilot province (strong-area partners)"), "#d95f02"),
            # The FY2560 structure (001): provincial strategic plans, before integrated provinces.
            Category("strategy_2560",
                     Bilingual("จัดทำ/ทบทวนแผนยุทธศาสตร์จังหวัด (โครงสร้างเดิม)",
                               "Provincial strategic plan (former structure)"), "#b15928"),
            # 001 line 266: provinces developing a provincial housing plan.
            Category("housing_plan_2560",
                     Bilingual("พัฒนาแผนที่อยู่อาศัยระดับจังหวัด (โครงสร้างเดิม)",
                               "Provincial housing plan (former structure)"), "#fb9a99"),
        ),
        category_label=Bilingual("กลุ่มการสนับสนุน", "Support tier"),
    ),
    Programme(
        "baan_mankong_urban",
        Bilingual("บ้านมั่นคงเมือง", "Baan Mankong (urban)"),
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, PROJECTS, BUDGET),
    ),
    Programme(
        "baan_mankong_rural",
        Bilingual("บ้านมั่นคงชนบท", "Baan Mankong (rural)"),
        "housing",
        "tambon",
        (HOUSEHOLDS, COMMUNITIES, TAMBONS, BUDGET),
    ),
    Programme(
        "baan_por_piang",
        Bilingual("บ้านพอเพียง", "Baan Por Piang"),
        "housing",
        "tambon",
        (
            HOUSEHOLDS,
            TAMBONS,
            BUDGET,
            # The FY2560 regional table gives provinces and completed repairs
            # (001 lines 92-99).
            PROVINCES,
            Metric("households_completed", Bilingual("ซ่อม/สร้างแล้วเสร็จ", "Repairs completed"),
                   Bilingual("ครัวเรือน", "households")),
            # Vulnerable people visited and helped beside the repairs (000 line 603).
            Metric("people", Bilingual("กลุ่มเปราะบางที่ได้รับการดูแล", "Vulnerable people helped"),
                   Bilingual("คน", "people")),
        ),
    ),
    Programme(
        "prem_prachakorn_canal",
        Bilingual("ที่อยู่อาศัยริมคลองเปรมประชากร", "Prem Prachakorn canal housing"),
        "housing",
        "district",
        (
            HOUSEHOLDS,
            COMMUNITIES,
            BUDGET,
            # The whole programme's target group by district and its progress since it began
            # (000 lines 514-525), beside the year's figures.
            # The target group belongs to the whole programme, not to a period: counted like
            # a running total (the latest, never added across periods).
            Metric("target_group_households",
                   Bilingual("ครัวเรือนกลุ่มเป้าหมายทั้งโครงการ",
                             "Target-group households (whole programme)"),
                   Bilingual("ครัวเรือน", "households"), running_total=True,
                   since=Bilingual(_CANAL_SINCE_TH, _CANAL_SINCE_EN)),
            Metric("target_group_communities",
                   Bilingual("ชุมชนกลุ่มเป้าหมายทั้งโครงการ",
                             "Target-group communities (whole programme)"),
                   Bilingual("ชุมชน", "communities"), running_total=True,
                   since=Bilingual(_CANAL_SINCE_TH, _CANAL_SINCE_EN)),
            Metric("cumulative_households",
                   Bilingual("ครัวเรือนที่ดำเนินการแล้วสะสม",
                             "Households developed since the programme began"),
                   Bilingual("ครัวเรือน", "households"), running_total=True,
                   since=Bilingual(_CANAL_SINCE_TH, _CANAL_SINCE_EN)),
            Metric("cumulative_communities",
                   Bilingual("ชุมชนที่ดำเนินการแล้วสะสม",
                             "Communities developed since the programme began"),
                   Bilingual("ชุมชน", "communities"), running_total=True,
                   since=Bilingual(_CANAL_SINCE_TH, _CANAL_SINCE_EN)),
        ),
        (
            # The canal programme worked on Khlong Lat Phrao first (FY2560, 001 line 25),
            # then on Khlong Prem Prachakorn (FY2569, 000 line 513).
            Category("prem_prachakorn", Bilingual("คลองเปรมประชากร", "Khlong Prem Prachakorn"),
                     "#1f78b4"),
            Category("lat_phrao", Bilingual("คลองลาดพร้าว", "Khlong Lat Phrao"), "#33a02c"),
        ),
        category_label=Bilingual("คลอง", "Canal"),
    ),
    Programme(
        "rail_housing",
        Bilingual("ที่อยู่อาศัยชุมชนริมทางรถไฟ", "Rail-affected communities housing"),
        "housing",
        "district",
        (HOUSEHOLDS, COMMUNITIES, BUDGET, PROJECTS),
    ),
    Programme(
        "temporary_housing",
        Bilingual("ที่อยู่อาศัยชั่วคราว", "Temporary housing"),
        "housing",
        "province",
        (HOUSEHOLDS, BUDGET),
        (
            # The formal words (อัคคีภัย, อุทกภัย) as the disaster programme writes them.
            Category("fire", Bilingual("ไฟไหม้", "Fire"), "#e41a1c", ("อัคคีภัย", "เพลิงไหม้")),
            Category("flood", Bilingual("น้ำท่วม", "Flood"), "#377eb8",
                     ("อุทกภัย", "น้ำท่วมฉับพลัน")),
            # 003 line 969: "ที่อยู่อาศัยชั่วคราว กรณีไฟไหม้ ไล่รื้อ ภัยพิบัติ".
            Category("eviction", Bilingual("ถูกไล่รื้อ", "Eviction"), "#984ea3",
                     ("ไล่รื้อ", "รื้อย้าย")),
            Category("awaiting_permanent",
                     Bilingual("รอที่อยู่อาศัยถาวร", "Awaiting a permanent home"), "#ff7f00"),
            Category("other", Bilingual("อื่น ๆ", "Other"), "#999999"),
        ),
        category_label=Bilingual("สาเหตุ", "Need"),
    ),
    Programme(
        "land",
        Bilingual("ที่ดิน", "Land"),
        "housing",
        "district",
        (
            HOUSEHOLDS,
            COMMUNITIES,
            RAI,
            # Railway land leases held for communities (000 lines 1279-1287).
            Metric("lease_contracts", Bilingual("สัญญาเช่าที่ดิน", "Land lease contracts"),
                   Bilingual("ฉบับ", "contracts")),
        ),
    ),
    Programme(
        "disaster",
        Bilingual("ภัยพิบัติ", "Disasters"),
        "disaster",
        "point",
        # Tambons: the target area of a recovery project (000 line 639).
        (HOUSEHOLDS, PEOPLE, COMMUNITIES, BUDGET, TAMBONS),
        (
            # The reports use both the formal and the everyday word for the same kind: น้ำท่วม
            # beside อุทกภัย (000 lines 499, 926, 1156), ไฟไหม้ (000 lines 57, 607),
            # ความไม่สงบชายแดน for สถานการณ์ชายแดน (000 lines 495, 501, 581). The other
            # everyday words (พายุ, ดินถล่ม, สู้รบ, ปะทะ) are how people say the rest.
            Category("flood", Bilingual("อุทกภัย", "Flood"), "#377eb8",
                     ("น้ำท่วม", "น้ำท่วมฉับพลัน", "น้ำป่า", "น้ำป่าไหลหลาก", "น้ำหลาก",
                      "flooding")),
            Category("fire", Bilingual("อัคคีภัย", "Fire"), "#e41a1c",
                     ("ไฟไหม้", "เพลิงไหม้", "ไฟไหม้ชุมชน", "ไฟไหม้บ้าน")),
            Category("border_conflict", Bilingual("สถานการณ์ชายแดน", "Border conflict"), "#984ea3",
                     ("สู้รบ", "สู้รบชายแดน", "การสู้รบ", "ปะทะ", "ปะทะชายแดน", "การปะทะ",
                      "ความไม่สงบชายแดน", "เหตุการณ์ความไม่สงบชายแดน",
                      "ชายแดนไทยกัมพูชา", "border")),
            Category("storm", Bilingual("วาตภัย", "Storm"), "#4daf4a",
                     ("พายุ", "ลมพายุ", "พายุฤดูร้อน", "พายุฝน", "ลมกระโชกแรง")),
            # ดินโคลนถล่ม: 000 line 306.
            Category("landslide", Bilingual("ดินโคลนถล่ม", "Landslide"), "#a65628",
                     ("ดินถล่ม", "โคลนถล่ม", "ดินสไลด์", "ดินไหล")),
            Category("copin", Bilingual("หมุดชุมชน (COPIN)", "Community pinpoint (COPIN)"),
                     "#ff7f00", ("copin", "หมุดชุมชน", "หมุด")),
            # What community networks pin with COPIN (000 lines 1156-1162): vulnerable
            # groups, risk points and community resources; after a disaster, damage and needs.
            Category("vulnerable", Bilingual("กลุ่มเปราะบาง", "Vulnerable household or group"),
                     "#f781bf", ("ครัวเรือนเปราะบาง", "เปราะบาง"), sensitive=True),
            Category("risk_point", Bilingual("จุดเสี่ยง", "Risk point"), "#e6ab02",
                     ("พื้นที่เสี่ยง", "จุดอันตราย")),
            Category("community_resource", Bilingual("ทรัพยากรชุมชน", "Community resource"),
                     "#1b9e77", ("ทุนชุมชน", "แหล่งทรัพยากร")),
            Category("damage", Bilingual("ความเสียหาย", "Damage"), "#d95f02",
                     ("บ้านเสียหาย", "เสียหาย")),
            Category("need", Bilingual("ความต้องการ", "Need"), "#7570b3",
                     ("ความต้องการช่วยเหลือ", "ต้องการความช่วยเหลือ")),
            Category("other", Bilingual("อื่น ๆ", "Other"), "#999999"),
        ),
        category_label=Bilingual("ประเภทภัย", "Kind"),
    ),
    Programme(
        "community_council",
        Bilingual("สภาองค์กรชุมชนตำบล", "Community councils"),
        "community",
        "tambon",
        (TAMBONS, COMMUNITIES),
        (
            Category("established", Bilingual("จัดตั้งสภาฯ แล้ว", "Council established"),
                     "#1b9e77"),
            Category("establishing",
                     Bilingual("อยู่ระหว่าง/เป้าหมายจัดตั้งสภาฯ", "Council being established"),
                     "#a6d96a"),
            Category("developed",
                     Bilingual("พัฒนาศักยภาพ/กิจการสภาฯ", "Council capacity developed"), "#377eb8"),
            Category("reviewed",
                     Bilingual("ทบทวนสภาฯ ที่สมาชิกครบวาระ", "Council membership renewed"),
                     "#984ea3"),
            Category("activity", Bilingual("พื้นที่จัดกิจกรรม", "Activity venue"), "#999999"),
        ),
    ),
    Programme(
        "welfare_fund",
        Bilingual("กองทุนสวัสดิการชุมชน", "Community welfare funds"),
        "community",
        "tambon",
        (
            FUNDS,
            MEMBERS,
            BUDGET,
            TAMBONS,
            # Registered funds and their members, counted since the first fund (000 line 932).
            Metric("cumulative_funds",
                   Bilingual("กองทุนที่จัดตั้งแล้วสะสม", "Registered funds (running total)"),
                   Bilingual("กองทุน", "funds"), running_total=True,
                   since=Bilingual(_FUNDS_SINCE_TH, _FUNDS_SINCE_EN)),
            Metric("cumulative_members",
                   Bilingual("สมาชิกกองทุนสะสม", "Fund members (running total)"),
                   Bilingual("คน", "members"), running_total=True,
                   since=Bilingual(_FUNDS_SINCE_TH, _FUNDS_SINCE_EN)),
            # Provinces reached in the year so far (software training: 000 line 1711).
            PROVINCES,
        ),
        (
            Category("supported", Bilingual("ได้รับงบสมทบ", "Received matching funds"), "#1b9e77"),
            Category("registered",
                     Bilingual("กองทุนที่จัดตั้งแล้ว (สะสม)", "Registered funds (cumulative)"),
                     "#7570b3"),
            Category("award", Bilingual("กองทุนดีเด่น (ได้รับรางวัล)", "Award-winning fund"),
                     "#e6ab02"),
            Category("reviewed", Bilingual("ติดตามสอบทานกองทุน", "Fund reviewed"), "#377eb8"),
            Category("case_study", Bilingual("กรณีศึกษา/สรุปบทเรียน", "Case study"), "#a6761d"),
            Category("activity", Bilingual("พื้นที่จัดกิจกรรม", "Activity venue"), "#999999"),
            # Training in the funds' accounting software (SWF), by province (000 line 1118).
            Category("software_training",
                     Bilingual("อบรมโปรแกรมบริหารการเงินและบัญชีกองทุน (SWF)",
                               "Trained in the funds' accounting software (SWF)"), "#e7298a"),
        ),
    ),
    # Place-tied figures of the reports that no other programme holds.
    Programme(
        "anti_corruption",
        Bilingual("ป้องกันและต่อต้านการทุจริต", "Anti-corruption areas"),
        "community",
        "province",
        (
            Metric("tambons", Bilingual("ตำบลใหม่", "New tambons"), Bilingual("ตำบล", "tambons")),
            Metric("networks", Bilingual("เครือข่ายองค์กรชุมชน", "Community networks"),
                   Bilingual("เครือข่าย", "networks")),
        ),
    ),
    Programme(
        "community_economy",
        Bilingual("เศรษฐกิจชุมชน", "Community economy"),
        "community",
        "region",
        (
            # The organisations were supported from the FY2568 economic plan and are followed
            # up since (000 line 398): every figure is a running total since that support.
            Metric("organisations",
                   Bilingual("องค์กรผู้รับผลประโยชน์ (สะสม)",
                             "Beneficiary organisations (running total)"),
                   Bilingual("องค์กร", "organisations"), running_total=True,
                   since=Bilingual(_ECONOMY_SINCE_TH, _ECONOMY_SINCE_EN)),
            Metric("members",
                   Bilingual("สมาชิกเข้าร่วม (สะสม)", "Members taking part (running total)"),
                   Bilingual("คน", "people"), running_total=True,
                   since=Bilingual(_ECONOMY_SINCE_TH, _ECONOMY_SINCE_EN)),
            Metric("budget_baht", Bilingual("งบประมาณ (สะสม)", "Budget (running total)"),
                   Bilingual("บาท", "baht"), running_total=True,
                   since=Bilingual(_ECONOMY_SINCE_TH, _ECONOMY_SINCE_EN)),
            Metric("income_baht",
                   Bilingual("รายได้ที่เกิดขึ้นแก่สมาชิก (สะสม)",
                             "Income earned by members (running total)"), Bilingual("บาท", "baht"),
                   running_total=True, since=Bilingual(_ECONOMY_SINCE_TH, _ECONOMY_SINCE_EN)),
            # Figures of their period: tambons per economic cluster (001 lines 183-190),
            # households of a group (000 line 471), organic plots certified (001 line 135).
            TAMBONS,
            HOUSEHOLDS,
            Metric("plots", Bilingual("แปลงที่ได้รับรอง", "Plots certified"),
                   Bilingual("แปลง", "plots")),
        ),
        (
            # The economic clusters of the FY2560 structure (001 lines 183-190).
            Category("organic_farming", Bilingual("เกษตรอินทรีย์", "Organic farming"), "#1b9e77"),
            Category("rice", Bilingual("ข้าว", "Rice"), "#e6ab02"),
            Category("community_enterprise", Bilingual("วิสาหกิจชุมชน", "Community enterprise"),
                     "#7570b3"),
            Category("financial_institution",
                     Bilingual("สถาบันการเงินชุมชน", "Community financial institution"), "#a6761d"),
            Category("community_tourism", Bilingual("ท่องเที่ยวชุมชน", "Community tourism"),
                     "#e7298a"),
        ),
        category_label=Bilingual("คลัสเตอร์", "Cluster"),
    ),
    Programme(
        "cooperation",
        Bilingual("บันทึกความร่วมมือกับภาคี", "Cooperation agreements"),
        "community",
        "tambon",
        (
            Metric("partners", Bilingual("หน่วยงานภาคี", "Partner agencies"),
                   Bilingual("หน่วยงาน", "agencies")),
            Metric("villages", Bilingual("หมู่บ้าน", "Villages"),
                   Bilingual("หมู่บ้าน", "villages")),
            HOUSEHOLDS,
            TAMBONS,
        ),
    ),
    Programme(
        "housing_loan",
        Bilingual("สินเชื่อที่อยู่อาศัย", "Housing loans"),
        "housing",
        "district",
        (
            Metric("organisations", Bilingual("องค์กรผู้ใช้สินเชื่อ", "Borrowing organisations"),
                   Bilingual("องค์กร", "organisations")),
            HOUSEHOLDS,
            Metric("loan_baht", Bilingual("วงเงินสินเชื่ออนุมัติ", "Loans approved"),
                   Bilingual("บาท", "baht")),
            # Approvals since each loan programme began (000 lines 1089-1097), beside the
            # period's approvals above.
            Metric("cumulative_organisations",
                   Bilingual("องค์กรผู้ใช้สินเชื่อสะสม",
                             "Borrowing organisations since the programme began"),
                   Bilingual("องค์กร", "organisations"), running_total=True,
                   since=Bilingual(_LOAN_SINCE_TH, _LOAN_SINCE_EN)),
            Metric("cumulative_households",
                   Bilingual("ครัวเรือนผู้รับประโยชน์สะสม",
                             "Households benefiting since the programme began"),
                   Bilingual("ครัวเรือน", "households"), running_total=True,
                   since=Bilingual(_LOAN_SINCE_TH, _LOAN_SINCE_EN)),
            Metric("cumulative_loan_baht",
                   Bilingual("วงเงินสินเชื่ออนุมัติสะสม",
                             "Loans approved since the programme began"), Bilingual("บาท", "baht"),
                   running_total=True, since=Bilingual(_LOAN_SINCE_TH, _LOAN_SINCE_EN)),
            # Principal still owed on loans in default for over 3 months (000 lines
            # 1079-1081): a balance on the report's date, never added across periods.
            Metric("npl_baht",
                   Bilingual("เงินต้นคงเหลือสินเชื่อผิดนัด (NPL)",
                             "Principal outstanding on loans in default (NPL)"),
                   Bilingual("บาท", "baht"), running_total=True,
                   since=Bilingual("ยอดคงเหลือ ณ วันที่รายงาน", "balance on the report's date")),
        ),
        (
            Category("prem_prachakorn",
                     Bilingual("บ้านมั่นคง (คลองเปรมประชากร)",
                               "Baan Mankong (Khlong Prem Prachakorn)"), "#1f78b4"),
            Category("rail", Bilingual("บ้านมั่นคง (ระบบราง)", "Baan Mankong (rail-side)"),
                     "#6a3d9a"),
            Category("thai_khemkhaeng",
                     Bilingual("บ้านมั่นคงไทยเข้มแข็ง", "Baan Mankong Thai Khemkhaeng"), "#33a02c"),
            Category("chao_phraya", Bilingual("ริมแม่น้ำเจ้าพระยา", "Chao Phraya riverside"),
                     "#ff7f00"),
        ),
        category_label=Bilingual("ประเภทสินเชื่อ", "Loan type"),
    ),
    Programme(
        "homeless_housing",
        Bilingual("ที่อยู่อาศัยคนไร้บ้าน", "Homeless people's housing"),
        "housing",
        "province",
        (
            HOUSEHOLDS,
            PEOPLE,
            BUDGET,
            # How many people a centre can take (001 line 84), not how many it houses.
            Metric("capacity_people", Bilingual("รองรับได้", "Capacity"),
                   Bilingual("คน", "people")),
        ),
    ),
)
# fmt: on

PROGRAMME_BY_ID: dict[str, Programme] = {p.id: p for p in PROGRAMMES}


def is_running_total(programme_id: str, metric_id: str) -> bool:
    """Whether ``metric_id`` of the programme is a running total (False for an unknown
    programme or metric: a figure of its period)."""
    programme = PROGRAMME_BY_ID.get(programme_id)
    if programme is None:
        return False
    return any(m.id == metric_id and m.running_total for m in programme.metrics)


def running_total_ids() -> frozenset[str]:
    """Metric ids that are a running total in at least one programme."""
    return frozenset(m.id for p in PROGRAMMES for m in p.metrics if m.running_total)


class UnknownProgrammeError(CodiGeoError, KeyError):
    """A programme id no declaration has (a ``KeyError`` too, for lookups that expect one)."""


def get_programme(programme_id: str) -> Programme:
    try:
        return PROGRAMME_BY_ID[programme_id]
    except KeyError:
        known = ", ".join(PROGRAMME_BY_ID)
        raise UnknownProgrammeError(
            f"ไม่รู้จักแผนงาน {programme_id!r} (แผนงานที่มี: {known})",
            f"unknown programme {programme_id!r} (known: {known})",
        ) from None
