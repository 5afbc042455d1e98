"""The words of the community pin form (``/pin``) and of the review page, one ``Bilingual``
each."""

from __future__ import annotations

from codi_geo.text.bilingual import Bilingual

PINS: dict[str, Bilingual] = {
    # --- Community pins (the /pin form and the review page)
    "pin_title": Bilingual("ปักหมุดชุมชน", "Community pin"),
    "pin_intro": Bilingual(
        "ปักหมุดสิ่งที่พบในชุมชน ผู้ตรวจของภาคจะตรวจก่อนขึ้นแผนที่ "
        "หน้าสาธารณะแสดงเพียงจำนวนต่อตำบล ไม่แสดงจุด บันทึก หรือรูป",
        "Pin what you see in your community. Your region's moderator checks it before "
        "it joins the map; public pages show only counts per tambon, never the point, "
        "note or photo",
    ),
    "pin_campaign": Bilingual("รณรงค์: {name} (ถึง {date})", "Campaign: {name} (until {date})"),
    "pin_signed_in": Bilingual("ปักหมุดในนาม {name}", "Pinning as {name}"),
    "pin_scope": Bilingual("ปักหมุดได้ใน{place}", "You may pin in {place}"),
    "pin_sign_in": Bilingual(
        "ลงชื่อเข้าใช้ในแอปก่อน แล้วกลับมาที่หน้านี้ หรือเปิดลิงก์รณรงค์ที่ได้รับ",
        "Sign in to the app first and come back here, or open the campaign link you were sent",
    ),
    "pin_sign_in_link": Bilingual("ไปลงชื่อเข้าใช้", "Sign in"),
    "pin_kind": Bilingual("ประเภท", "Kind"),
    "pin_where": Bilingual("ตำแหน่ง", "Location"),
    "pin_gps": Bilingual("ใช้ตำแหน่งของฉัน (GPS)", "Use my location (GPS)"),
    "pin_tap": Bilingual("หรือแตะบนแผนที่ตรงจุดที่ต้องการ", "or tap the map where it is"),
    "pin_accuracy": Bilingual("GPS แม่นยำ ± {m} เมตร", "GPS accurate to ± {m} m"),
    "pin_gps_failed": Bilingual(
        "ใช้ GPS ไม่ได้: {why} แตะบนแผนที่แทน", "The GPS cannot be used: {why}. Tap the map instead"
    ),
    "pin_no_point": Bilingual("ยังไม่ได้ปักหมุด", "No point yet"),
    "pin_tambon": Bilingual("ตำบล", "Tambon"),
    "pin_households": Bilingual("ครัวเรือนที่ได้รับผลกระทบ", "Households affected"),
    "pin_people": Bilingual("จำนวนคน", "People"),
    "pin_note": Bilingual("บันทึกสั้น ๆ", "Short note"),
    "pin_note_help": Bilingual(
        "ไม่ต้องใส่เบอร์โทรหรือเลขบัตรประชาชน (ระบบจะซ่อนไว้)",
        "No phone or ID numbers, please (they are hidden)",
    ),
    "pin_photo": Bilingual("รูปถ่าย (ไม่บังคับ)", "Photo (optional)"),
    "pin_date": Bilingual("วันที่", "Date"),
    "pin_send": Bilingual("ส่งหมุด", "Send pin"),
    "pin_sending": Bilingual("กำลังส่ง…", "Sending…"),
    "pin_sent": Bilingual(
        "ส่งแล้ว รอผู้ตรวจของภาค (หมุดที่ {id})", "Sent; waiting for the region's moderator (pin {id})"
    ),
    "pin_not_sent": Bilingual(
        "ยังไม่ได้ส่ง: สัญญาณขาดหาย ข้อมูลที่กรอกเก็บไว้ในเครื่องแล้ว กดส่งอีกครั้งเมื่อมีสัญญาณ",
        "Not sent: the connection failed. What you typed is kept on this phone; press "
        "send again when you have signal",
    ),
    "pin_new": Bilingual("ปักหมุดใหม่", "New pin"),
    "pin_mine": Bilingual("หมุดของฉัน", "My pins"),
    "pin_mine_none": Bilingual("ยังไม่มีหมุด", "No pins yet"),
    "pin_comment": Bilingual("ความเห็นผู้ตรวจ", "Moderator's comment"),
    "pin_answer": Bilingual("แก้ไขและส่งคำตอบ", "Edit and answer"),
    "pin_public_photos": Bilingual("ภาพจากชุมชนในตำบลนี้", "Photos from the community here"),
    "pin_public_photos_note": Bilingual(
        "ผู้ตรวจของภาคเลือกเผยแพร่ ไม่แสดงตำแหน่งหรือบันทึกของหมุด",
        "Chosen for the public by the region's moderator; no pin's location or note is shown",
    ),
    "pin_answering": Bilingual(
        "กำลังตอบหมุดที่ {id}: แก้ไขข้อมูลด้านบนแล้วกดส่ง", "Answering pin {id}: edit above and send"
    ),
    "pin_answer_cancel": Bilingual("ยกเลิกการตอบ", "Stop answering"),
    "pin_answered": Bilingual(
        "ส่งคำตอบแล้ว หมุดที่ {id} กลับไปรอตรวจ", "Answer sent; pin {id} is waiting for review again"
    ),
    "pin_state_received": Bilingual("รอตรวจ", "Waiting for review"),
    "pin_state_approved": Bilingual("อนุมัติแล้ว", "Approved"),
    "pin_state_rejected": Bilingual("ไม่อนุมัติ", "Rejected"),
    "pin_state_needs_info": Bilingual("ขอข้อมูลเพิ่ม", "More information needed"),
    "role_reporter": Bilingual("ผู้ปักหมุดชุมชน", "community reporter"),
    "reporter_app": Bilingual("บัญชีนี้ใช้ปักหมุดชุมชนเท่านั้น", "This account is for community pins only"),
    "reporter_app_link": Bilingual("ไปที่หน้าปักหมุด", "Go to the pin form"),
    "page_review": Bilingual("ตรวจหมุดชุมชน", "Review community pins"),
    "review_not_allowed": Bilingual(
        "หน้านี้สำหรับผู้ตรวจหมุดของภาคและผู้ดูแลระบบ", "This page is for regional moderators and admins"
    ),
    "review_campaign": Bilingual("รณรงค์", "Campaign"),
    "review_area": Bilingual(
        "พื้นที่ (รหัสจังหวัด อำเภอ หรือตำบล)", "Area (province, district or tambon code)"
    ),
    "review_since": Bilingual("ตั้งแต่วันที่", "From"),
    "review_empty": Bilingual("ไม่มีหมุดที่รอตรวจตามตัวกรองนี้", "No pins waiting under these filters"),
    "review_count": Bilingual("{n} หมุด", "{n} pins"),
    "review_select": Bilingual("เลือกหมุด", "Select pins"),
    "review_any": Bilingual("ทุกประเภท", "Every kind"),
    "review_choose": Bilingual("เลือกหมุดจากรายการ", "Choose pins from the list"),
    "review_select_all": Bilingual("เลือกทั้งหมดที่แสดง ({n} หมุด)", "Select every pin listed ({n})"),
    "review_comment": Bilingual("ความเห็นถึงผู้ส่ง", "Comment for the sender"),
    "review_approve": Bilingual("อนุมัติที่เลือก", "Approve selected"),
    "review_reject": Bilingual("ไม่อนุมัติที่เลือก", "Reject selected"),
    "review_needs_info": Bilingual("ขอข้อมูลเพิ่ม", "Ask for more information"),
    "review_done": Bilingual("บันทึกแล้ว: {n} หมุด", "Saved: {n} pins"),
    "review_none_selected": Bilingual("ยังไม่ได้เลือกหมุด", "No pin selected"),
    "review_edit": Bilingual(
        "แก้ไขก่อนอนุมัติ (หมุดที่เลือกหมุดเดียว)", "Edit before approving (one pin selected)"
    ),
    "review_note_raw": Bilingual("บันทึกตามที่พิมพ์ (เห็นเฉพาะผู้ตรวจ)", "Note as typed (moderators only)"),
    "review_photo_public": Bilingual("เผยแพร่รูปนี้", "Make this photo public"),
}
