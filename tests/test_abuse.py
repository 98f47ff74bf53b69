"""The abuse battery: hostile input and races answer 4xx (or a clear 2xx), quickly, in bounded
memory, and change nothing; each test reproduces one defect found on a running server."""

import io
import time
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from caseflow import create_app
from caseflow.auth.models import LoginAttempt
from caseflow.documents import services as document_services
from caseflow.documents.files import detect
from caseflow.documents.models import Attachment, DocumentKind
from caseflow.dossiers.models import Dossier
from caseflow.imports import reading
from caseflow.imports.catalogue import Catalogue
from caseflow.imports.financing_rows import FinancingRows
from caseflow.imports.reading import FINANCING_COLUMNS, FINANCING_REQUIRED, read_sheet
from caseflow.imports.values import CLOSEST_SEARCHES
from caseflow.reports import services as report_services
from caseflow.reports.models import PublishedReport
from tests.builders import PASSWORD, csrf_token, login, make_dossier, page_text, refer
from tests.conftest import TEST_SETTINGS
from tests.test_documents_financing import upload

INVALID = "Ce champ contient un caractère invalide."


# 1. Sniffing a file's type inflates nothing.

def _zip_with(name: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_inflating_it():
    bomb = _zip_with("mimetype", 64 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        found = detect(bomb)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is None
    assert peak < 4 * 1024 * 1024


def test_a_zip_bomb_upload_is_refused_and_nothing_is_kept(advisor_client, advisor, db):
    dossier = make_dossier(advisor)
    response = upload(advisor_client, dossier, "charte", "statuts.odt",
                      _zip_with("mimetype", 64 * 1024 * 1024))
    assert 400 <= response.status_code < 500
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_real_opendocument_files_are_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert detect(buffer.getvalue()).extension == "odt"


# 2. The closest-value search is bounded.

def test_thousands_of_unknown_dossiers_answer_fast_with_a_clear_report(db, monkeypatch):
    from caseflow.imports import values

    searches = {"references": 0, "codes": 0}
    reference_search, code_search = values.closest_text, values.difflib.get_close_matches

    def count(kind, search):
        def counted(*args, **kwargs):
            searches[kind] += 1
            return search(*args, **kwargs)
        return counted

    monkeypatch.setattr(values, "closest_text", count("references", reference_search))
    monkeypatch.setattr(values.difflib, "get_close_matches", count("codes", code_search))
    known = {f"PES-2020-{number:05d}" for number in range(10_000)}
    lines = ["dossier;fonds;decision"] + [f"PES-2021-{number:05d};fes;accepted"
                                          for number in range(5_000)]
    sheet, problems = read_sheet("financement.csv", "\n".join(lines).encode(),
                                 FINANCING_COLUMNS, FINANCING_REQUIRED)
    assert problems == []
    started = time.perf_counter()
    checked = FinancingRows(sheet, Catalogue.load(), known).read()
    assert time.perf_counter() - started < 30  # it took minutes; about a second when idle
    unknown = [p for p in checked.problems if p.reason.startswith("dossier inconnu")]
    assert len(unknown) == 5_000 and checked.lines == []
    # Each refused value is searched once, and references at most CLOSEST_SEARCHES times.
    assert searches["references"] == CLOSEST_SEARCHES
    assert searches["codes"] <= 2
    assert sum(1 for p in unknown if p.closest) == CLOSEST_SEARCHES
    assert unknown[0].closest.startswith("PES-2020-")


def test_the_import_page_shows_the_first_problems_and_says_how_many(coordinator_client):
    lines = ["dossier;fonds;decision"] + [f"X-{number:05d};fes;accepted"
                                          for number in range(700)]
    interventions = b"dossier;titre\nA;B\n"
    response = coordinator_client.post("/admin/import", data={
        "csrf_token": csrf_token(coordinator_client, "/admin/import"), "dry_run": "y",
        "interventions": (io.BytesIO(interventions), "interventions.csv"),
        "financing": (io.BytesIO("\n".join(lines).encode()), "financement.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    page = page_text(response)
    assert "Les 500 premiers problèmes sont affichés" in page
    assert page.count("<tr>") == 501  # the header and 500 problems


# 3. Rows are counted while they are read, and reading stops at the limit.

def test_a_csv_over_the_row_limit_is_read_only_up_to_the_limit(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    read = []
    original = reading._csv_records

    def counting(text):
        for record in original(text):
            read.append(record)
            yield record

    monkeypatch.setattr(reading, "_csv_records", counting)
    content = "\n".join(["dossier;fonds;decision"] + ["D;fes;accepted"] * 10_000).encode()
    _sheet, problems = read_sheet("f.csv", content, FINANCING_COLUMNS, FINANCING_REQUIRED)
    assert [p.reason for p in problems] == ["le fichier a plus de 50 lignes"]
    assert len(read) == 51


def test_a_workbook_over_the_row_limit_is_refused_before_its_cells_are_read(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["dossier", "fonds", "decision"])
    for number in range(2_000):
        sheet.append([f"D-{number}", "fes", "accepted"])
    content = io.BytesIO()
    workbook.save(content)

    def never(*args, **kwargs):
        raise AssertionError("the cells of a workbook over the limit were read")

    monkeypatch.setattr(reading, "_xlsx_records", never)
    _sheet, problems = read_sheet("f.xlsx", content.getvalue(), FINANCING_COLUMNS,
                                  FINANCING_REQUIRED)
    assert [p.reason for p in problems] == ["le fichier a plus de 50 lignes"]


def test_a_workbook_that_would_inflate_past_any_real_one_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_INFLATED", 8 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    bomb = buffer.getvalue()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w") as member:
            for _ in range(16):
                member.write(b" " * 1024 * 1024)
    bomb = buffer.getvalue()
    _sheet, problems = read_sheet("f.xlsx", bomb, FINANCING_COLUMNS, FINANCING_REQUIRED)
    assert len(problems) == 1 and "lignes" in problems[0].reason


# 4. One base form for every form: NUL and control characters refused, bidi controls removed.

def test_a_nul_byte_in_the_login_email_is_refused_with_a_message(client, advisor, db):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "conseil\x00@exemple.test",
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400
    assert INVALID in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_every_form_derives_from_the_base_form(app):
    import inspect as introspect

    from flask_wtf import FlaskForm

    from caseflow import (
        admin,
        auth,
        documents,
        dossiers,
        financing,
        imports,
        notifications,
        referrals,
        reports,
    )
    from caseflow.forms import Form

    modules = [admin.forms, auth.forms, notifications.forms, documents.forms, dossiers.forms,
               financing.forms, imports.forms, referrals.forms, reports.views]
    forms = [value for module in modules for value in vars(module).values()
             if introspect.isclass(value) and issubclass(value, FlaskForm)]
    assert len(forms) > 15
    assert [form for form in forms if not issubclass(form, Form)] == []


def test_bidi_controls_are_removed_and_control_characters_refused(advisor_client, advisor, db):
    from tests.builders import make_dossier_form

    token = csrf_token(advisor_client, "/dossiers/new")
    response = advisor_client.post("/dossiers/new", data={
        **make_dossier_form(title="Coop \u202eelbaçnavarc\u202c du quartier"),
        "csrf_token": token})
    assert response.status_code == 303
    assert db.session.scalar(select(Dossier.title)) == "Coop elbaçnavarc du quartier"
    refused = advisor_client.post("/dossiers/new", data={
        **make_dossier_form(title="Coop\x1b[31m rouge"), "csrf_token": token})
    assert refused.status_code == 400 and INVALID in page_text(refused)
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 1


# 4 and 8. URL segments: canonical ids, and codes checked before any query.

def test_only_canonical_ids_and_plain_codes_open_a_page(advisor_client, advisor):
    dossier = make_dossier(advisor)
    assert advisor_client.get(f"/dossiers/{dossier.id}").status_code == 200
    full_width = "".join(chr(0xFF10 + int(digit)) for digit in str(dossier.id))
    for path in [f"/dossiers/0{dossier.id}", f"/dossiers/{full_width}",
                 f"/dossiers/{dossier.id}/documents/%00",
                 f"/dossiers/{dossier.id}/documents/charte%00",
                 f"/dossiers/{dossier.id}/documents/chart\u00e9",
                 f"/dossiers/{dossier.id}/actions/%00", "/workflows/%00"]:
        assert advisor_client.get(path).status_code == 404, path
    token = csrf_token(advisor_client, f"/dossiers/{dossier.id}/documents/charte")
    posted = advisor_client.post(f"/dossiers/{dossier.id}/documents/%00",
                                 data={"csrf_token": token, "status": "draft"})
    assert posted.status_code == 404
    assert advisor_client.get(f"/dossiers/{dossier.id}/documents/charte").status_code == 200


# 5. Races end on a clear message, never a 500.

def test_the_same_document_kind_code_added_at_once_answers_409(coordinator_client, db,
                                                              monkeypatch):
    # The other coordinator's kind is committed after this request looked for the code.
    monkeypatch.setattr(document_services, "code_taken", lambda code: False)
    token = csrf_token(coordinator_client, "/admin/document-kinds")
    response = coordinator_client.post("/admin/document-kinds", data={
        "csrf_token": token, "code": "charte", "label_fr": "Charte bis",
        "label_en": "Charter again"})
    assert response.status_code == 409
    assert "en même temps que vous" in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(DocumentKind)
                             .where(DocumentKind.code == "charte")) == 1


def test_the_same_period_published_at_once_says_so(coordinator_client, db, monkeypatch):
    token = csrf_token(coordinator_client, "/rapports/?periode=2023-2024")
    first = coordinator_client.post("/rapports/publier?periode=2023-2024",
                                    data={"csrf_token": token})
    assert first.status_code == 303
    # The second coordinator's check ran before the first one's report was committed.
    monkeypatch.setattr(report_services, "published", lambda period: None)
    second = coordinator_client.post("/rapports/publier?periode=2023-2024",
                                     data={"csrf_token": token}, follow_redirects=True)
    assert second.status_code == 200
    assert "en même temps que vous" in page_text(second)
    assert db.session.scalar(select(func.count()).select_from(PublishedReport)) == 1


# 6. One cheap query decides a 404: a hidden dossier costs what a missing one does.

def _statements(app, client, path) -> list[str]:
    seen = []
    with app.app_context():
        from caseflow.extensions import db

        engine = db.engine

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 404
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_hidden_dossier_answers_like_a_missing_one(app, partner_client, advisor, db):
    hidden = make_dossier(advisor)
    refer(make_dossier(advisor), advisor)  # the partner sees another dossier, not this one
    for suffix in ["", "/documents/charte", "/financing/new", "/referrals/new", "/edit"]:
        on_hidden = _statements(app, partner_client, f"/dossiers/{hidden.id}{suffix}")
        on_missing = _statements(app, partner_client, f"/dossiers/999999{suffix}")
        assert len(on_hidden) == len(on_missing), suffix
        assert not any("FROM intervention" in s or "FROM document " in s for s in on_hidden)


# 7. The login throttle slows guesses where they come from; the owner still gets in.

def _login_from(client, address, email, password=PASSWORD, forwarded=None):
    token = csrf_token(client)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_guesses_from_one_address_do_not_lock_the_owner_out(app, advisor, db):
    guesser = app.test_client()
    for _ in range(app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]):
        assert _login_from(guesser, "198.51.100.7", advisor.email, "wrong guess").status_code \
            == 401
    slowed = _login_from(guesser, "198.51.100.7", advisor.email)
    assert slowed.status_code == 429 and "Réessayez dans" in page_text(slowed)
    assert _login_from(app.test_client(), "192.0.2.10", advisor.email).status_code == 303


def test_the_wait_grows_with_each_failure_and_then_lets_the_right_password_in(app, advisor,
                                                                             db):
    client = app.test_client()
    limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
    delay = app.config["LOGIN_THROTTLE_DELAY"]

    def age_attempts(by):
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.attempted_at -= by
        db.session.commit()

    for _ in range(limit):
        _login_from(client, "198.51.100.7", advisor.email, "wrong guess")
    age_attempts(delay + timedelta(seconds=1))
    assert _login_from(client, "198.51.100.7", advisor.email, "wrong again").status_code == 401
    age_attempts(delay + timedelta(seconds=1))  # the next wait is twice as long
    assert _login_from(client, "198.51.100.7", advisor.email).status_code == 429
    age_attempts(delay)
    assert _login_from(client, "198.51.100.7", advisor.email).status_code == 303


def _app_behind_proxy(app, tmp_path, proxies):
    return create_app({**TEST_SETTINGS, "INSTANCE_PATH": str(tmp_path / f"proxy{proxies}"),
                       "SECRET_KEY": "proxy", "PROXY_COUNT": proxies,
                       "LOGIN_THROTTLE_ADDRESS_LIMIT": 3,
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


def test_behind_a_proxy_the_throttle_counts_each_client(app, advisor, db, tmp_path):
    proxied = _app_behind_proxy(app, tmp_path, 1)
    try:
        for number in range(3):
            _login_from(proxied.test_client(), "10.0.0.1", f"x{number}@exemple.test",
                        forwarded="203.0.113.5")
        assert _login_from(proxied.test_client(), "10.0.0.1", advisor.email,
                           forwarded="203.0.113.5").status_code == 429
        assert _login_from(proxied.test_client(), "10.0.0.1", advisor.email,
                           forwarded="203.0.113.6").status_code == 303
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.address == "10.0.0.1")) == 0
    finally:
        with proxied.app_context():
            from caseflow.extensions import db as database

            database.engine.dispose()


def test_without_a_proxy_setting_forwarded_headers_are_ignored(app, advisor, db):
    app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"] = 3
    for number in range(3):
        _login_from(app.test_client(), "10.0.0.1", f"x{number}@exemple.test",
                    forwarded=f"203.0.113.{number}")
    assert _login_from(app.test_client(), "10.0.0.1", advisor.email,
                       forwarded="203.0.113.99").status_code == 429


# 8. Small defects: a CSV is a CSV, one charset, 303 after a password change.

def test_a_two_column_csv_upload_is_kept_as_csv(advisor_client, advisor, db):
    dossier = make_dossier(advisor)
    response = upload(advisor_client, dossier, "charte", "membres.csv",
                      b"nom,courriel\nAlice,alice@exemple.test\nBob,bob@exemple.test\n")
    assert response.status_code == 303
    attachment = db.session.scalar(select(Attachment))
    assert attachment.original_name == "membres.csv"
    assert attachment.content_type == "text/csv"


def test_the_csv_export_names_its_charset_once(coordinator_client):
    response = coordinator_client.get("/rapports/export.csv?periode=2023-2024")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_password_change_answers_303(advisor_client):
    token = csrf_token(advisor_client, "/account/password")
    response = advisor_client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "une toute nouvelle phrase",
        "confirmation": "une toute nouvelle phrase", "csrf_token": token})
    assert response.status_code == 303


@pytest.mark.parametrize("path", ["/login", "/logout"])
def test_login_and_logout_answer_303(app, advisor, path):
    client = app.test_client()
    response = login(client, advisor.email)
    assert response.status_code == 303
    if path == "/logout":
        token = csrf_token(client, "/")
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
