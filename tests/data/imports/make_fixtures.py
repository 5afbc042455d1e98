"""Write the import fixtures in this folder: files shaped like what CODI staff produce.

Run ``python tests/data/imports/make_fixtures.py`` after changing it; the files it writes are
committed, so the tests read exactly these bytes. Places and coordinates are real (checked
against DOPA's register and the OCHA boundaries); people's names and phone numbers are
invented.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_thai_excel_csv() -> None:
    """A CSV saved by Excel on Thai Windows: cp874, CRLF, a title row above the header,
    Thai digits, thousands commas, a totals row at the bottom."""
    lines = [
        "ผลการดำเนินงานบ้านมั่นคงชนบท ปีงบประมาณ ๒๕๖๙,,,,,,,,,",
        "ลำดับ,ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ตำบล,ชื่อชุมชน,จำนวนครัวเรือน,งบประมาณ (บาท),หมายเหตุ",
        '1,๒๕๖๙,ไตรมาส ๑,สระแก้ว,โคกสูง,หนองแวง,ชุมชนบ้านหนองแวง,๑๒๐,"๒,๔๐๐,๐๐๐",',
        '2,2569,Q2,สงขลา,หาดใหญ่,คอหงส์,ชุมชนคลองเตย,45,"1,125,000",',
        "3,2569,2,เชียงใหม่,เมืองเชียงใหม่,สุเทพ,ชุมชนสุเทพ,๓๐,750000,ต่อเนื่องจากปี 2568",
        '4,2026,ไตรมาสที่ 2,ขอนแก่น,เมืองขอนแก่น,บ้านเป็ด,ชุมชนบ้านเป็ด,"1,020","25,500,000",',
        '5,๒๕๖๙,๒,ปทุมธานี,คลองหลวง,คลองหก,ชุมชนคลองหก,-,"๒๗๐,๐๐๐",ยังไม่ระบุจำนวนครัวเรือน',
        'รวม,,,,,,,"1,215","32,045,000",',
    ]
    (HERE / "baan_mankong_rural_thai_excel.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("cp874")
    )


def write_broken_csv() -> None:
    """UTF-8 with BOM; one good row, then one fault per row."""
    lines = [
        "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ตำบล,ชื่อชุมชน,ครัวเรือน,งบประมาณ",
        '2569,2,สระแก้ว,โคกสูง,หนองแวง,ชุมชนดี,10,"100,000"',  # 2: fine
        "2569,5,สงขลา,หาดใหญ่,คอหงส์,ชุมชนไตรมาสผิด,10,1000",  # 3: quarter 5
        "2569,2,สงขลา,หาดใหญ่,คอหงส์,ชุมชนเลขผิด,12o,1000",  # 4: not a number
        "2569,2,นครราชสีมา,,ในเมือง,ชุมชนกำกวม,10,1000",  # 5: two ในเมือง in Nakhon Ratchasima
        "2569,2,สงขลา,หาดใหญ่,ฮฮฮฮฮฮฮฮฮฮ,ชุมชนไม่พบ,10,1000",  # 6: no such tambon
        ",2,สงขลา,หาดใหญ่,คอหงส์,ชุมชนไม่มีปี,10,1000",  # 7: no fiscal year
        "2569,2,สงขลา,หาดใหญ่,คอหงส์,ชุมชนติดลบ,-5,1000",  # 8: negative
        "2569,2,สงขลา,หาดใหญ่,หาดใหญ่,ชุมชนซ้ำ,10,1000",  # 9: fine
        "2569,2,สงขลา,หาดใหญ่,หาดใหญ่,ชุมชนซ้ำ,11,1000",  # 10: same fact as row 9
    ]
    (HERE / "baan_mankong_rural_broken.csv").write_bytes(
        ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    )


def write_xlsx() -> None:
    """A report workbook: title rows, a two-row header starting on row 3 with merged group
    cells, a province merged over two rows, a SUM totals row; a second, simpler sheet."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ผลการดำเนินงาน"
    sheet["A1"] = "รายงานผลการดำเนินงานโครงการที่อยู่อาศัยชั่วคราว ปีงบประมาณ พ.ศ. 2569"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "ข้อมูล ณ วันที่ 31 มีนาคม 2569"
    for column, text in zip("ABCDE", ("ลำดับ", "ภาค", "จังหวัด", "สาเหตุ", "ไตรมาส"), strict=True):
        sheet[f"{column}3"] = text
        sheet.merge_cells(f"{column}3:{column}4")
    sheet["F3"] = "ผลการดำเนินงาน"
    sheet.merge_cells("F3:G3")
    sheet["F4"] = "ครัวเรือน"
    sheet["G4"] = "งบประมาณ (บาท)"
    rows = [
        (1, "ภาคกรุงเทพ ปริมณฑล และตะวันออก", "กรุงเทพมหานคร", "ไฟไหม้", 2, 12, 324000),
        (2, None, None, "ถูกไล่รื้อ", 2, 4, 108000),
        (3, "ภาคกลางและตะวันตก", "สุพรรณบุรี", "ไฟไหม้", 2, 3, 81000),
        (4, "ภาคกลางและตะวันตก", "สมุทรสาคร", "รอที่อยู่อาศัยถาวร", 2, 1, 27000),
        (5, "ภาคกรุงเทพ ปริมณฑล และตะวันออก", "ชลบุรี", "น้ำท่วม", 2, 1, 27000),
    ]
    for offset, values in enumerate(rows):
        for column, value in zip("ABCDEFG", values, strict=True):
            if value is not None:
                sheet[f"{column}{5 + offset}"] = value
    sheet.merge_cells("B5:B6")
    sheet.merge_cells("C5:C6")
    sheet["A10"] = "รวม"
    sheet.merge_cells("A10:E10")
    sheet["F10"] = "=SUM(F5:F9)"
    sheet["G10"] = "=SUM(G5:G9)"

    second = workbook.create_sheet("ไตรมาส 1")
    second.append(["ปีงบประมาณ", "ไตรมาส", "จังหวัด", "สาเหตุ", "จำนวนครัวเรือน", "วงเงิน (ล้านบาท)"])
    second.append([2569, "Q1", "ตรัง", "ไฟไหม้", 2, 0.054])
    second.append([2569, "Q1", "ราชบุรี", "อื่น ๆ", 1, 0.027])
    workbook.save(HERE / "temporary_housing_report.xlsx")


def write_google_forms_csv() -> None:
    """A Google Forms response sheet downloaded as CSV (UTF-8, no BOM), Thai questions, one
    coordinates answer, the respondent's name and phone (never to be stored)."""
    lines = [
        'ประทับเวลา,ชื่อผู้กรอกข้อมูล,เบอร์โทรศัพท์,ชื่อชุมชน,จังหวัด,ประเภทภัย,'
        'จำนวนครัวเรือนที่ได้รับผลกระทบ,จำนวนผู้ได้รับผลกระทบ (คน),"พิกัด (ละติจูด, ลองจิจูด)"',
        '"26/11/2025, 14:05:11",สมชาย ใจดี,081-234-5678,ชุมชนคลองเรียน,สงขลา,อุทกภัย,35,120,'
        '"7.01201, 100.47372"',
        '"27/11/2025, 09:12:45",สมหญิง รักดี,089-111-2222,ชุมชนคอหงส์,สงขลา,อุทกภัย,12,40,'
        '"100.5077, 7.01362"',
        '"28/1/2026, 10:30:00",ประยุทธ์ ทดสอบ,02-000-0000,ชุมชนบ้านหนองแวง,สระแก้ว,'
        'สถานการณ์ชายแดน,20,65,"13.883, 102.67438"',
        '"5/2/2026, 8:00:00",วิไล ตัวอย่าง,090-000-0000,ชุมชนริมคลองหก,ปทุมธานี,อัคคีภัย,3,9,'
        '"https://maps.google.com/?q=14.15471,100.73225"',
    ]
    (HERE / "disaster_google_form.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def write_english_form_csv() -> None:
    """An English-language form export with separate latitude and longitude columns and
    US-style timestamps."""
    lines = [
        "Timestamp,Email Address,Community name,Province,Type of disaster,"
        "Households affected,Latitude,Longitude",
        "11/26/2025 14:05:11,a@example.org,Khlong Rian,Songkhla,Flood,35,7.01201,100.47372",
        "2/5/2026 8:00:00,b@example.org,Ban Pet,Khon Kaen,Fire,2,16.44032,102.77919",
    ]
    (HERE / "disaster_form_latlon.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def _point(lon: float, lat: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def write_geojson() -> None:
    """A COPIN-style pinpoint export: English property names, ISO timestamps with +07:00."""
    features = [
        _point(100.47372, 7.01201, {
            "pin_id": "CP-0001", "title": "จุดอพยพชุมชนคลองเรียน", "type": "อุทกภัย",
            "households": 35, "people": 120, "created_at": "2025-11-26T14:05:11+07:00",
            "reporter": {"name": "สมชาย ใจดี", "phone": "081-234-5678"},
        }),
        _point(102.67438, 13.883, {
            "pin_id": "CP-0002", "title": "ชุมชนบ้านหนองแวง", "type": "สถานการณ์ชายแดน",
            "households": 20, "people": 65, "created_at": "2026-01-28T10:30:00+07:00",
        }),
        _point(98.89552, 18.79471, {
            "pin_id": "CP-0003", "title": "ดินสไลด์ดอยสุเทพ", "type": "ดินโคลนถล่ม",
            "households": 4, "people": None, "created_at": "2026-03-02T16:45:00+07:00",
        }),
    ]
    document = {"type": "FeatureCollection", "features": features}
    (HERE / "disaster_copin.geojson").write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def write_broken_geojson() -> None:
    polygon = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[100.4, 7.0], [100.5, 7.0], [100.5, 7.1], [100.4, 7.0]]],
        },
        "properties": {"title": "พื้นที่น้ำท่วม", "type": "อุทกภัย", "households": 5,
                       "created_at": "2025-11-26"},
    }
    features = [
        _point(100.47372, 7.01201, {"title": "จุดที่ถูกต้อง", "type": "อุทกภัย", "households": 1,
                                    "created_at": "2025-11-26"}),  # 1: fine
        polygon,  # 2: not a point
        _point(101.0, 10.5, {"title": "กลางอ่าวไทย", "type": "อุทกภัย", "households": 1,
                             "created_at": "2025-11-26"}),  # 3: at sea
        _point(102.6, 17.97, {"title": "เวียงจันทน์", "type": "อุทกภัย", "households": 1,
                              "created_at": "2025-11-26"}),  # 4: Laos, inside the bbox
        _point(0, 0, {"title": "ค่าเริ่มต้น", "type": "อุทกภัย", "households": 1,
                      "created_at": "2025-11-26"}),  # 5: null island
        _point(100.5077, 7.01362, {"title": "ไฟป่า", "type": "ไฟป่า", "households": 1,
                                   "created_at": "2025-11-26"}),  # 6: unknown kind
    ]
    (HERE / "disaster_broken.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )


def write_kml() -> None:
    """A Google My Maps / Earth export: folders per kind, ExtendedData, Thai dates."""
    placemark = """    <Placemark>
      <name>{name}</name>
      <description>{description}</description>
      <ExtendedData>
        <Data name="ครัวเรือน"><value>{households}</value></Data>
        <Data name="วันที่"><value>{day}</value></Data>
      </ExtendedData>
      <Point><coordinates>{lon},{lat},0</coordinates></Point>
    </Placemark>"""
    flood = "\n".join([
        placemark.format(name="ชุมชนคอหงส์", description="น้ำท่วมสูง 1 เมตร", households="12",
                         day="27 พ.ย. 2568", lon=100.5077, lat=7.01362),
        placemark.format(name="ชุมชนปริก", description="", households="๘",
                         day="28 พฤศจิกายน 2568", lon=100.47007, lat=6.68134),
    ])
    fire = placemark.format(name="ชุมชนบ้านเป็ด", description="ไฟไหม้บ้าน 2 หลัง",
                            households="2", day="5/2/2569", lon=102.77919, lat=16.44032)
    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>หมุดภัยพิบัติ พอช.</name>
    <Folder>
      <name>อุทกภัย</name>
{flood}
    </Folder>
    <Folder>
      <name>อัคคีภัย</name>
{fire}
    </Folder>
  </Document>
</kml>
"""
    (HERE / "disaster_pins.kml").write_text(document, encoding="utf-8")


SHIPPED_HEADER = (
    "fiscal_year,quarter,level,code,place_text,latitude,longitude,category,name,{metrics},"
    "visibility,source_doc,source_line,note"
)


def write_shipped() -> None:
    """Files in the ``data/programmes`` format. The model-tambon figures are the regional
    table of the FY2569 Q2 report (lines 158-162), written as the report writes the regions."""
    doc = "000_91d7f34609a7394f.txt"
    model = [SHIPPED_HEADER.format(metrics="tambons,criteria_met,budget_baht")]
    regions = [("north", "เหนือ", 51, 57), ("northeast", "ตะวันออกเฉียงเหนือ", 60, 60),
               ("south", "ใต้", 42, 54), ("central_west", "กลาง - ตะวันตก", 39, 53),
               ("bangkok_east", "กทม. - ตะวันออก", 39, 53)]
    for line, (region, written, new, follow_up) in enumerate(regions, start=158):
        model.append(f"2569,2,region,{region},{written},,,new,,{new},,,public,{doc},{line},")
        model.append(
            f"2569,2,region,{region},{written},,,follow_up,,{follow_up},,,public,{doc},{line},"
        )
    (HERE / "shipped" / "model_tambon.csv").write_text("\n".join(model) + "\n", encoding="utf-8")

    disaster = [SHIPPED_HEADER.format(metrics="households,people,communities,budget_baht")]
    disaster.append(f"2569,2,point,,ต.หนองแวง อ.โคกสูง จ.สระแก้ว,13.883,102.67438,copin,"
                    f"COPIN ชายแดนสระแก้ว,,,,,public,{doc},1162,")
    (HERE / "shipped" / "disaster.csv").write_text("\n".join(disaster) + "\n", encoding="utf-8")

    # Quarter 2 temporary housing as line 1605 lists it ("อัครศึกษา" there is อัคคีภัย, fire).
    housing = [SHIPPED_HEADER.format(metrics="households,budget_baht")]
    housing += [
        f"2569,2,national,,7 จังหวัด,,,fire,,28,621000,public,{doc},1605,"
        f"fire cases in 7 provinces (the line names 6)",
        f"2569,2,province,20,จังหวัดชลบุรี,,,flood,,1,27000,public,{doc},1605,",
        f"2569,2,province,74,จังหวัดสมุทรสาคร,,,awaiting_permanent,,1,27000,public,{doc},1605,",
    ]
    (HERE / "shipped" / "temporary_housing.csv").write_text(
        "\n".join(housing) + "\n", encoding="utf-8"
    )

    indicators = [
        "fiscal_year,quarter,plan,indicator_id,programme,name_th,unit_th,target,result,level,"
        "code,source_doc,source_line,note",
        f"2569,2,1,temporary_housing_households,temporary_housing,"
        f"ครัวเรือนได้รับการสนับสนุนที่พักชั่วคราว,ครัวเรือน,165,124,national,,{doc},57,",
        f"2569,2,1,model_tambon_new,model_tambon,ตำบลต้นแบบพื้นที่ใหม่,ตำบล,231,231,national,,"
        f"{doc},163,",
    ]
    (HERE / "shipped" / "indicators.csv").write_text(
        "\n".join(indicators) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write_thai_excel_csv()
    write_broken_csv()
    write_xlsx()
    write_google_forms_csv()
    write_english_form_csv()
    write_geojson()
    write_broken_geojson()
    write_kml()
    write_shipped()
    print("\n".join(sorted(str(p.relative_to(HERE)) for p in HERE.rglob("*.*"))))
