"""Sign-in and roles in the running app (AppTest): the users-file form, OIDC through
``st.user``; an app without a working sign-in fails closed (public pages, no upload or undo);
the developer shortcut only with its setting on 127.0.0.1; failed sign-ins are delayed; a
viewer cannot import, a regional editor's import with rows outside its region is refused with
the rows listed, an admin may import anything; every import, refusal, undo and sign-in lands
in the audit trail; a Markdown file name shows as text; the user's region is the default
filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from codi_geo import settings
from codi_geo.access import auth
from codi_geo.access.audit import read_audit as read_audit_store
from synthetic.sample import fill_store
from tests.helpers import APP, TIMEOUT, page_texts, point_app_at_store

PASSWORDS = {"viewer": "ดูอย่างเดียว-123", "editor": "นำเข้า-อีสาน-456", "admin": "ผู้ดูแล-789"}
# One row in Khon Kaen (northeast) and one in Chiang Mai (north), with a phone column that is
# never imported.
MIXED_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน,เบอร์โทร\n"
    "2569,2,ขอนแก่น,เมืองขอนแก่น,ชุมชนหนองคู,35,081-000-0001\n"
    "2569,2,เชียงใหม่,เมืองเชียงใหม่,ชุมชนป่าพร้าว,20,081-000-0002\n"
).encode()
NORTHEAST_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,อำเภอ,ชื่อชุมชน,ครัวเรือน\n"
    "2569,2,ขอนแก่น,เมืองขอนแก่น,ชุมชนโนนทัน,12\n"
    "2569,2,นครราชสีมา,เมืองนครราชสีมา,ชุมชนโพธิ์กลาง,8\n"
).encode()


@pytest.fixture()
def users_file(tmp_path: Path) -> Path:
    users = auth.UsersFile({})
    users = auth.add_user(
        users,
        "viewer",
        role="viewer",
        name="วิไล ดูข้อมูล",
        password=PASSWORDS["viewer"],
        email="wilai@example.org",
    )
    users = auth.add_user(
        users,
        "editor",
        role="regional_editor",
        region="northeast",
        name="สมชาย อีสาน",
        password=PASSWORDS["editor"],
        email="somchai@example.org",
    )
    users = auth.add_user(
        users,
        "admin",
        role="admin",
        name="ผู้ดูแล",
        password=PASSWORDS["admin"],
        email="admin@example.org",
    )
    path = tmp_path / "users.toml"
    path.write_text(auth.users_toml(users), encoding="utf-8")
    return path


@pytest.fixture()
def env(boundary_cache, tmp_path, monkeypatch, users_file):
    url = point_app_at_store(
        monkeypatch, tmp_path, boundary_cache, CODI_GEO_USERS_FILE=str(users_file)
    )
    fill_store(url, boundary_cache)
    yield tmp_path
    settings.clear()


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in {"fy": "2569", **params}.items():
        at.query_params[key] = value
    return at


def _sign_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    at.run()
    at.text_input(key="w_username").input(username)
    at.text_input(key="w_password").input(password or PASSWORDS[username])
    next(b for b in at.button if b.proto.label == "เข้าสู่ระบบ").click().run()
    return at


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}")
    at.run()
    assert not at.exception, at.exception
    return at


def read_audit(env: Path, actions=("import", "undo")):
    store = _store(env)
    try:
        return [r for r in read_audit_store(store) if r.action in actions]
    finally:
        store.close()


def _store(env: Path):
    from codi_geo.results.store import open_store

    return open_store(f"sqlite:///{env / 'store.sqlite'}")


def test_the_form_keeps_the_app_closed_until_the_password_is_right(env) -> None:
    at = _app()
    at.run()
    assert not at.exception
    assert at.title[0].value == "ลงชื่อเข้าใช้"
    assert not at.sidebar.get("page_link")  # no page is reachable before sign-in
    assert not at.get("download_button")
    _sign_in(at, "viewer", "wrong password")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page_texts(at)
    assert at.title[0].value == "ลงชื่อเข้าใช้"
    _sign_in(at, "nobody", PASSWORDS["admin"])
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page_texts(at)
    _sign_in(at, "viewer")
    assert not at.exception, at.exception
    assert at.title[0].value == "ภาพรวม"
    assert any("วิไล ดูข้อมูล" in c.value for c in at.sidebar.caption)
    assert not [w for w in at.warning if "ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้" in str(w.value)]
    next(b for b in at.sidebar.button if b.key == "sign_out").click().run()
    assert at.title[0].value == "ลงชื่อเข้าใช้"


def test_viewer_sees_no_import_and_no_undo(env) -> None:
    at = _open(_sign_in(_app(), "viewer"), "6_data.py")
    assert "บัญชีผู้ดูข้อมูลนำเข้าหรือยกเลิกข้อมูลไม่ได้" in page_texts(at)
    assert not at.get("file_uploader")
    assert not [b for b in at.button if (b.key or "").startswith("undo_")]
    assert len(at.tabs) == 3  # no audit log either


def test_regional_editor_starts_in_its_region_unless_the_url_names_one(env) -> None:
    at = _sign_in(_app(), "editor")
    assert at.query_params["region"] == "northeast"
    assert at.selectbox(key="w_region").value == "northeast"
    at.selectbox(key="w_region").set_value("").run()  # whole country: it stays so
    assert "region" not in at.query_params
    at.run()
    assert "region" not in at.query_params
    shared = _sign_in(_app(province="90"), "editor")
    assert shared.query_params["province"] == "90" and "region" not in shared.query_params


def test_regional_editor_import_outside_its_region_is_refused_with_the_rows(env) -> None:
    store = _store(env)
    at = _open(_sign_in(_app(), "editor"), "6_data.py")
    assert "นำเข้าได้เฉพาะแถวในจังหวัดของภาคตะวันออกเฉียงเหนือ" in page_texts(at)
    at.selectbox(key="w_import_programme").set_value("baan_mankong_urban")
    at.get("file_uploader")[0].set_value(("mixed.csv", MIXED_CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    assert not at.exception, at.exception
    errors = "\n".join(str(e.value) for e in at.error)
    assert "ไม่รับการนำเข้า: 1 แถวอยู่นอกภาคตะวันออกเฉียงเหนือ" in errors
    assert "แถว 3: เชียงใหม่ (ภาคเหนือ)" in errors  # the offending row, by its file row
    assert "ขอนแก่น" not in errors
    listed = at.tabs[0].dataframe[0].value
    assert listed.iloc[0].tolist()[:3] == [3, "เชียงใหม่", "ภาคเหนือ"]
    assert not [b for b in store.batches() if b.file_name == "mixed.csv"]  # nothing stored
    records = read_audit(env)
    assert [(r.who, r.action, r.batch_id) for r in records] == [("editor", "import", None)]
    assert records[0].detail.startswith("refused: 1 row(s) outside the region")
    assert records[0].region == "northeast" and records[0].role == "regional_editor"


def test_regional_editor_imports_and_undoes_in_its_region(env) -> None:
    store = _store(env)
    at = _open(_sign_in(_app(), "editor"), "6_data.py")
    at.selectbox(key="w_import_programme").set_value("baan_mankong_urban")
    at.get("file_uploader")[0].set_value(("northeast.csv", NORTHEAST_CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    assert not at.exception, at.exception
    assert any("บันทึก 2 แถว" in str(s.value) for s in at.success)
    batch = next(b for b in store.batches() if b.file_name == "northeast.csv")
    assert batch.created_by == "editor"
    at.run()
    undo_keys = {b.key for b in at.button if (b.key or "").startswith("undo_")}
    assert undo_keys == {f"undo_{batch.id}"}  # the sample batches lie outside the region
    assert "ชุดนี้มีแถวนอกภาคของคุณ ยกเลิกไม่ได้" in page_texts(at)
    next(b for b in at.button if b.key == f"undo_{batch.id}").click().run()
    assert not at.exception, at.exception
    undone = store.batch(batch.id)
    assert not undone.active and undone.undone_by == "editor"
    records = read_audit(env)
    assert [(r.who, r.action, r.batch_id, r.row_count) for r in records] == [
        ("editor", "import", batch.id, 2),
        ("editor", "undo", batch.id, 2),
    ]
    assert all(r.at.tzinfo is not None for r in records)


def test_admin_imports_any_region_and_reads_the_audit_log(env) -> None:
    store = _store(env)
    at = _open(_sign_in(_app(), "admin"), "6_data.py")
    assert "region" not in at.query_params  # an admin starts with the whole country
    at.selectbox(key="w_import_programme").set_value("baan_mankong_urban")
    at.radio(key="w_import_visibility").set_value("public")
    at.get("file_uploader")[0].set_value(("mixed.csv", MIXED_CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    assert not at.error, [e.value for e in at.error]
    batch = next(b for b in store.batches() if b.file_name == "mixed.csv")
    assert batch.created_by == "admin" and batch.rows_stored == 2
    rows = store.results("baan_mankong_urban")
    assert set(rows[rows["batch_id"] == batch.id]["visibility"]) == {"public"}
    assert "081-000" not in rows.to_csv()  # the phone column is never stored
    at.run()
    assert len(at.tabs) == 4
    audit = at.tabs[3]
    table = audit.dataframe[0].value
    assert table.iloc[0]["ผู้ใช้"] == "admin" and table.iloc[0]["ชุด"] == batch.id
    sample = next(b for b in store.batches() if b.file_name.startswith("sample_"))
    next(b for b in at.button if b.key == f"undo_{sample.id}").click().run()
    assert not store.batch(sample.id).active
    actions = [(r.who, r.action) for r in read_audit(env)]
    assert actions == [("admin", "import"), ("admin", "undo")]


def test_oidc_sign_in_maps_the_email_to_a_role(env) -> None:
    secrets = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "x" * 32,
            "client_id": "id",
            "client_secret": "s",
            "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
        }
    }
    at = _app()
    at.secrets = secrets
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "ลงชื่อเข้าใช้"
    assert any(b.key == "login_default" for b in at.button)
    assert not _sign_in_inputs(at)  # no password form when OIDC is configured
    at = _app()
    at.secrets = secrets
    at.user = {"is_logged_in": True, "email": "Somchai@Example.org", "email_verified": True}
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "ภาพรวม"
    assert at.query_params["region"] == "northeast"
    assert any("สมชาย อีสาน" in c.value for c in at.sidebar.caption)
    stranger = _app()
    stranger.secrets = secrets
    stranger.user = {"is_logged_in": True, "email": "who@elsewhere.org"}
    stranger.run()
    assert "who\u2060\\@elsewhere\\.org ยังไม่มีสิทธิ์ใช้ระบบนี้" in page_texts(stranger)
    assert not stranger.sidebar.get("page_link")


def _assert_closed(at: AppTest) -> None:
    """Public pages, read-only: a note, no sign-in form, no Data page, no upload or undo."""
    at.run()
    assert not at.exception, at.exception
    assert at.title and at.title[0].value == "ภาพรวม", [e.value for e in at.error]
    assert any("ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้" in str(i.value) for i in at.info)
    assert not _sign_in_inputs(at) and not at.get("file_uploader")
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert links and not [p for p in links if "6_data" in p]
    assert not any(b.key == "sign_out" for b in at.sidebar.button)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/6_data.py")  # the Data page is not served at all
    assert not [b for b in at.button if (b.key or "").startswith("undo_")]


def test_without_a_users_file_the_app_fails_closed(env, monkeypatch) -> None:
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(env / "none.toml"))
    _assert_closed(_app())


def test_a_typo_in_the_users_file_setting_fails_closed(env, monkeypatch) -> None:
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(env / "users.tmol"))
    _assert_closed(_app())


def test_oidc_users_without_a_complete_auth_section_fail_closed(env, monkeypatch) -> None:
    oidc_only = env / "oidc.toml"
    oidc_only.write_text(
        '[users.boss]\nrole = "admin"\nemail = "boss@example.org"\n', encoding="utf-8"
    )
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(oidc_only))
    at = _app()
    at.secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "client_id": "id"}
    }
    _assert_closed(at)


def test_a_broken_users_file_fails_closed(env, monkeypatch) -> None:
    broken = env / "broken.toml"
    broken.write_text('[users.x]\nrole = "admin"\npassword = "plain text"\n', encoding="utf-8")
    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(broken))
    at = _app()
    _assert_closed(at)
    assert "plain text" not in page_texts(at)  # the reason goes to the log, not the page


def test_the_developer_shortcut_needs_a_loopback_server(env, monkeypatch) -> None:
    from streamlit import config

    monkeypatch.setenv("CODI_GEO_USERS_FILE", str(env / "none.toml"))
    monkeypatch.setenv("CODI_GEO_DEV_ADMIN", "1")
    settings.clear()
    before = config.get_option("server.address")
    try:
        config.set_option("server.address", "0.0.0.0")
        _assert_closed(_app())  # listening on every interface: the setting is ignored
        config.set_option("server.address", "127.0.0.1")
        at = _open(_app(), "6_data.py")
        # on every page: a badge in the sidebar, its warning as the badge's help
        assert any("โหมดนักพัฒนา" in str(c.value) for c in at.sidebar.caption)
        assert at.get("file_uploader") and len(at.tabs) == 4  # an admin
    finally:
        config.set_option("server.address", before)


def test_the_sixth_wrong_password_is_delayed_and_failures_are_audited(env) -> None:
    at = _app()
    for _ in range(5):
        _sign_in(at, "viewer", "wrong password")
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page_texts(at)
    _sign_in(at, "viewer")  # the right password, too soon: not even checked
    assert "ลองใหม่ในอีก" in page_texts(at)
    assert at.title[0].value == "ลงชื่อเข้าใช้"
    failed = read_audit(env, ("sign_in_failed", "sign_in"))
    assert [(r.who, r.action) for r in failed] == [("viewer", "sign_in_failed")] * 5


def test_sign_in_and_out_are_audited_and_sign_out_ends_the_session(env) -> None:
    at = _sign_in(_app(), "editor")
    session_id = at.session_state["_codi_session_id"]
    next(b for b in at.sidebar.button if b.key == "sign_out").click().run()
    assert at.title[0].value == "ลงชื่อเข้าใช้"
    events = read_audit(env, ("sign_in", "sign_out"))
    assert [(r.who, r.action, r.region) for r in events] == [
        ("editor", "sign_in", "northeast"),
        ("editor", "sign_out", "northeast"),
    ]
    from codi_geo.access import sessions

    store = _store(env)
    try:
        users = auth.load_users(env / "users.toml")
        assert sessions.Sessions(store).check_id(users, session_id) is None
    finally:
        store.close()


def test_a_markdown_file_name_shows_as_text(env) -> None:
    store = _store(env)
    name = "![x](http://evil.example/x.png)[sign in again](https://evil.example) **b**.csv"
    at = _open(_sign_in(_app(), "admin"), "6_data.py")
    at.selectbox(key="w_import_programme").set_value("baan_mankong_urban")
    at.get("file_uploader")[0].set_value((name, NORTHEAST_CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    assert not at.exception, at.exception
    assert any(b.file_name == name for b in store.batches())
    at.run()
    shown = [m.value for m in at.tabs[1].markdown if "evil" in m.value]
    assert shown, "the batch is listed"
    for text in shown:  # every Markdown character escaped: shown as typed, nothing linked
        assert "](" not in text and "![" not in text and "\\*\\*b\\*\\*" in text


def _sign_in_inputs(at: AppTest) -> list:
    """Text inputs other than the place search (which every map page has)."""
    return [i for i in at.text_input if not str(i.key).startswith("w_find_")]


UNKNOWN_WORD_CSV = (
    "ปีงบประมาณ,ไตรมาส,จังหวัด,สาเหตุ,ครัวเรือน\n"
    "2569,2,ขอนแก่น,ไฟไหม้,3\n"
    "2569,2,ชัยภูมิ,รอสร้างบ้านถาวร,4\n"
    "2569,2,อุบลราชธานี,อัคคีภัย,2\n"
).encode()


def test_data_page_keeps_the_valid_rows_and_maps_an_unknown_word(env) -> None:
    """One unknown category word costs only its row (valid rows are the default); the page
    lists the word once with the closest category chosen, and remembers the user's choice
    for the programme (audited), so the same file then imports whole."""
    store = _store(env)
    at = _open(_sign_in(_app(), "admin"), "6_data.py")
    assert at.checkbox(key="w_valid_only").value is True
    at.selectbox(key="w_import_programme").set_value("temporary_housing")
    at.get("file_uploader")[0].set_value(("needs.csv", UNKNOWN_WORD_CSV, "text/csv"))
    at.run()
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    assert not at.exception, at.exception
    first = next(b for b in store.batches() if b.file_name == "needs.csv")
    assert first.rows_stored == 2 and first.rows_rejected == 1
    assert "คำที่ไม่รู้จัก" in page_texts(at)  # the table of words, below the report
    editor = at.session_state["category_words_pending"]
    assert editor[0] == "temporary_housing" and [w[0] for w in editor[1]] == ["รอสร้างบ้านถาวร"]
    at.button(key="w_remember_words").click().run()
    assert not at.exception, at.exception
    assert store.category_words("temporary_housing") == {"รอสร้างบ้านถาวร": "awaiting_permanent"}
    records = read_audit(env, actions=("map_value",))
    assert [(r.who, r.programme) for r in records] == [("admin", "temporary_housing")]
    store.undo(first.id)
    next(b for b in at.button if b.proto.label == "นำเข้า").click().run()
    again = [b for b in store.batches() if b.file_name == "needs.csv" and b.active]
    assert [(b.rows_stored, b.rows_rejected) for b in again] == [(3, 0)]
