"""Fixed facts about the boundary source: where the official archive is, the releases we have
checked, and the attribution every map, slide and export carries."""

from __future__ import annotations

from codi_geo.text import Bilingual

# The official OCHA COD-AB release for Thailand (Royal Thai Survey Department, 2022-01-21),
# as listed on the Humanitarian Data Exchange dataset "cod-ab-tha". Set
# CODI_GEO_BOUNDARY_SOURCE to use another copy (a local file or another URL).
OCHA_DATASET_PAGE = "https://data.humdata.org/dataset/cod-ab-tha"
OCHA_ARCHIVE_URL = (
    "https://data.humdata.org/dataset/d24bdc45-eb4c-4e3d-8b16-44db02667c27/resource/"
    "d0c722ff-6939-4423-ac0d-6501830b1759/download/tha_adm_rtsd_itos_20210121_shp.zip"
)
# sha256 of archives we have checked. An unknown archive is still built, and its hash is
# recorded in the manifest, but the build says it is unverified.
KNOWN_ARCHIVE_SHA256 = {
    "40390e8e218206fca3b8f98e8f8fceddb09dea82fe075555172b7ef52275f30d": (
        "OCHA COD-AB Thailand ADM3, release 2022-01-21, simplified copy (7,425 tambons)"
    ),
}
ATTRIBUTION = Bilingual(
    "ขอบเขตการปกครอง: กรมแผนที่ทหาร ผ่าน OCHA COD-AB (cod-ab-tha) สัญญาอนุญาต CC BY-IGO 3.0",
    "Boundaries: Royal Thai Survey Department, via OCHA COD-AB (cod-ab-tha), CC BY-IGO 3.0",
)
