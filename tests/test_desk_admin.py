"""The coordinator's pages: people, one-time links, reference lists, reassignment, audit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.auth.models import PasswordLink, User
from caseflow.dossiers.models import Dossier
from caseflow.notifications.models import Notification, OutgoingEmail
from caseflow.reference.models import Organisation, Sector
from tests.builders import (
    add_intervention,
    csrf_token,
    fr,
    login,
    make_dossier,
    make_user,
    page_text,
)


def _coordinator_rules(app):
    from caseflow.auth.access import access_of

    with app.test_request_context():
        return [rule for rule in app.url_map.iter_rules()
                if access_of(rule.endpoint) == frozenset({"coordinator"})]


def _url(rule, advisor_id: int) -> str:
    values = {name: advisor_id if "int" in type(rule._converters[name]).__name__.lower()
              else "csv" for name in rule.arguments}
    return rule.build(values)[1]


def test_advisors_and_partners_get_403_on_every_coordinator_page(
        app, advisor, advisor_client, partner_client, coordinator_client):
    rules = _coordinator_rules(app)
    assert len(rules) >= 15
    token = {client: csrf_token(client, "/") for client in (advisor_client, partner_client)}
    checked = 0
    for rule in rules:
        path = _url(rule, advisor.id)
        # A route about one object answers 404 to those who may not see it (it never confirms
        # the object exists); every other coordinator page answers 403.
        expected = 404 if any(name.endswith("_id") for name in rule.arguments) else 403
        for client in (advisor_client, partner_client):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = client.open(path, method=method, data={"csrf_token": token[client]})
                assert response.status_code == expected, (path, method)
                checked += 1
    assert checked >= 30
    for path in ["/desk/advisors/{}/reassign", "/audit/", "/admin/users/new", "/admin/lists",
                 "/admin/lists/sector", "/admin/lists/organisations"]:
        assert coordinator_client.get(path.format(advisor.id)).status_code == 200, path


def _link_from(response) -> str:
    return re.search(r'id="one-time-link">https?://[^/]+(/password/set/[^<]+)<',
                     response.get_data(as_text=True))[1]


def test_a_new_accounts_one_time_link_works_once(app, db, coordinator_client):
    token = csrf_token(coordinator_client, "/admin/users/new")
    response = coordinator_client.post("/admin/users/new", data={
        "csrf_token": token, "full_name": "Nouvelle Conseillère", "email": "nouvelle@pole.test",
        "role": "advisor", "organisation": "", "send_email": "y"})
    assert response.status_code == 200
    path = _link_from(response)
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail).where(
        OutgoingEmail.to_address == "nouvelle@pole.test")) == 1
    newcomer = app.test_client()
    # The account cannot log in before the link is used.
    assert login(newcomer, "nouvelle@pole.test", "une phrase assez longue").status_code == 401
    page = newcomer.get(path)
    assert page.status_code == 200
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                           page.get_data(as_text=True))[1]
    done = newcomer.post(path, data={"csrf_token": form_token,
                                     "new_password": "une phrase assez longue",
                                     "confirmation": "une phrase assez longue"})
    assert done.status_code == 303
    assert newcomer.get(path).status_code == 404  # used: it works once
    assert "n'est plus valide" in page_text(newcomer.get(path))
    assert login(newcomer, "nouvelle@pole.test", "une phrase assez longue").status_code == 303
    assert "Nouvelle Conseillère" in page_text(newcomer.get("/"))
    user = db.session.scalar(select(User).where(User.email == "nouvelle@pole.test"))
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id)))
    assert {"user.created", "user.password_link", "user.password_set"} <= actions


def test_an_expired_link_and_a_partner_without_organisation_are_refused(
        app, db, coordinator_client):
    token = csrf_token(coordinator_client, "/admin/users/new")
    refused = coordinator_client.post("/admin/users/new", data={
        "csrf_token": token, "full_name": "Sans organisation", "email": "x@mrc.test",
        "role": "partner", "organisation": ""})
    assert refused.status_code == 400
    assert "appartenir à une organisation" in page_text(refused)
    made = coordinator_client.post("/admin/users/new", data={
        "csrf_token": token, "full_name": "Agente MRC", "email": "agente@mrc.test",
        "role": "partner", "organisation": "mrc-drummond"})
    path = _link_from(made)
    db.session.execute(update(PasswordLink).values(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_deactivating_ends_open_sessions_and_keeps_history(app, db, coordinator_client,
                                                           advisor, advisor_client):
    make_dossier(advisor)
    assert advisor_client.get("/dossiers/").status_code == 200
    token = csrf_token(coordinator_client, "/admin/users")
    coordinator_client.post(f"/admin/users/{advisor.id}/active", data={"csrf_token": token})
    response = advisor_client.get("/dossiers/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == advisor.id)) >= 1
    assert db.session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.advisor_id == advisor.id)) == 1


def test_changing_a_role_ends_sessions_and_is_audited(db, coordinator_client, advisor,
                                                      advisor_client):
    token = csrf_token(coordinator_client, f"/admin/users/{advisor.id}/edit")
    response = coordinator_client.post(f"/admin/users/{advisor.id}/edit", data={
        "csrf_token": token, "full_name": "Conseil Test", "role": "partner",
        "organisation": "mrc-erable"})
    assert response.status_code == 303
    assert advisor_client.get("/dossiers/").status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated"))
    assert event.changes["role"] == ["advisor", "partner"]
    assert event.changes["organisation"] == [None, "mrc-erable"]


def test_a_code_in_use_is_never_deleted_and_old_dossiers_keep_its_label(
        db, coordinator_client, advisor, advisor_client):
    dossier = make_dossier(advisor, sector_code="culture")
    culture = db.session.scalar(select(Sector).where(Sector.code == "culture"))
    token = csrf_token(coordinator_client, "/admin/lists/sector")
    path = f"/admin/lists/sector/{culture.id}"
    response = coordinator_client.post(path, data={"csrf_token": token, "action": "delete"},
                                       follow_redirects=True)
    assert fr("est utilisé : il ne peut pas être supprimé") in page_text(response)
    coordinator_client.post(path, data={"csrf_token": token, "action": "rename",
                                        "label_fr": "Arts et culture", "label_en": "Arts"})
    coordinator_client.post(path, data={"csrf_token": token, "action": "deactivate"})
    db.session.expire_all()
    assert db.session.get(Sector, culture.id).active is False
    assert "Arts et culture" in page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    form = page_text(advisor_client.get("/dossiers/new"))
    assert 'value="culture"' not in form  # no longer offered to new dossiers
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "sector").order_by(AuditEvent.seq)))
    assert actions == ["reference.renamed", "reference.deactivated"]
    # An unused item is added, moved up, then deleted.
    coordinator_client.post("/admin/lists/sector", data={
        "csrf_token": token, "code": "economie-circulaire", "label_fr": "Économie circulaire",
        "label_en": "Circular economy"})
    added = db.session.scalar(select(Sector).where(Sector.code == "economie-circulaire"))
    coordinator_client.post(f"/admin/lists/sector/{added.id}",
                            data={"csrf_token": token, "action": "up"})
    coordinator_client.post(f"/admin/lists/sector/{added.id}",
                            data={"csrf_token": token, "action": "delete"})
    db.session.expire_all()
    assert db.session.scalar(select(Sector).where(Sector.code == "economie-circulaire")) is None


def test_organisations_are_added_and_renamed(db, coordinator_client):
    token = csrf_token(coordinator_client, "/admin/lists/organisations")
    coordinator_client.post("/admin/lists/organisations", data={
        "csrf_token": token, "code": "cdc-drummond", "name": "CDC Drummond",
        "kind": "partenaire", "territory": "drummond"})
    made = db.session.scalar(select(Organisation).where(Organisation.code == "cdc-drummond"))
    coordinator_client.post(f"/admin/lists/organisations/{made.id}", data={
        "csrf_token": token, "name": "CDC de Drummond", "kind": "partenaire",
        "territory": "drummond"})
    db.session.expire_all()
    assert db.session.get(Organisation, made.id).name == "CDC de Drummond"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "organisation")) == 2


def test_reassignment_is_audited_per_dossier_and_notifies_the_new_advisor(
        db, coordinator, advisor, coordinator_client):
    other = make_user("advisor", full_name="Relève Test")
    first, second, kept = (make_dossier(advisor, title=f"Dossier {n}") for n in range(3))
    token = csrf_token(coordinator_client, f"/desk/advisors/{advisor.id}/reassign")
    refused = coordinator_client.post(f"/desk/advisors/{advisor.id}/reassign", data={
        "csrf_token": token, "dossiers": [first.id], "advisor": str(other.id), "reason": ""})
    assert refused.status_code == 400
    response = coordinator_client.post(f"/desk/advisors/{advisor.id}/reassign", data={
        "csrf_token": token, "dossiers": [first.id, second.id], "advisor": str(other.id),
        "reason": "Départ en congé"})
    assert response.status_code == 303
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier.reassigned").order_by(AuditEvent.dossier_id)).all()
    assert [e.dossier_id for e in events] == [first.id, second.id]
    assert all(e.reason == "Départ en congé" and e.changes["advisor"] ==
               [advisor.email, other.email] for e in reveal(events))  # reasons are sealed
    # The audit viewer and its export read the sealed reason back, never show its token.
    for path in ("/audit/", "/audit/export.csv"):
        path += "?action=dossier.reassigned"
        shown = coordinator_client.get(path).get_data(as_text=True)
        assert "Départ en congé" in shown and "pi:" not in shown, path
    assert db.session.get(Dossier, kept.id).advisor_id == advisor.id
    notices = db.session.scalars(select(Notification).where(
        Notification.user_id == other.id)).all()
    assert sorted(n.dossier_id for n in notices) == [first.id, second.id]
    # "All of this advisor's open dossiers" moves what is left.
    coordinator_client.post(f"/desk/advisors/{advisor.id}/reassign", data={
        "csrf_token": token, "everything": "y", "advisor": str(other.id), "reason": "Départ"})
    db.session.expire_all()
    assert db.session.get(Dossier, kept.id).advisor_id == other.id


def test_the_audit_viewer_filters_names_objects_and_exports(db, coordinator, advisor,
                                                            partner, coordinator_client):
    from tests.builders import refer

    dossier = make_dossier(advisor, title="Coopérative du viewer")
    add_intervention(dossier, advisor)
    refer(db.session.get(Dossier, dossier.id), advisor, "mrc-becancour")
    text = page_text(coordinator_client.get("/audit/?action=referral.sent"))
    assert text.count('class="audit-event"') == 1
    assert f"{dossier.reference} — Coopérative du viewer" in text
    assert "Référencement à MRC de Bécancour" in text
    by_dossier = page_text(coordinator_client.get(f"/audit/?dossier={dossier.reference}"))
    assert by_dossier.count('class="audit-event"') == 3
    assert page_text(coordinator_client.get("/audit/?dossier=1999-9999")).count(
        'class="audit-event"') == 0
    export = coordinator_client.get("/audit/export.csv?action=referral.sent")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).strip().splitlines()
    assert len(lines) == 2 and "Référencement à MRC de Bécancour" in lines[1]
    assert "Conseil Test" in lines[1]


def test_a_partner_is_named_with_their_organisation_in_the_audit_viewer(
        db, advisor, coordinator_client):
    from caseflow.referrals import services as referrals
    from tests.builders import refer

    partner = make_user("partner", full_name="Service de développement économique",
                        organisation_code="mrc-drummond")
    dossier = make_dossier(advisor)
    referral = refer(dossier, advisor, "mrc-drummond")
    referrals.act(referral, partner, "acknowledge", referral.version)
    db.session.commit()
    text = page_text(coordinator_client.get("/audit/?organisation=mrc-drummond"))
    assert "Service de développement économique (MRC de Drummond)" in text
    assert text.count('class="audit-event"') == 1


def test_verify_now_shows_the_chain_status(app, db, advisor, coordinator_client):
    make_dossier(advisor)
    token = csrf_token(coordinator_client, "/audit/")
    assert "Jamais vérifiée ici" in page_text(coordinator_client.get("/audit/"))
    coordinator_client.post("/audit/verify", data={"csrf_token": token})
    assert "Chaîne intacte" in page_text(coordinator_client.get("/audit/"))


def test_verify_now_walks_a_large_log_in_the_background(app, db, advisor, coordinator_client):
    from caseflow.desk import audit_log

    make_dossier(advisor)
    app.config["AUDIT_VERIFY_INLINE_LIMIT"] = 0
    token = csrf_token(coordinator_client, "/audit/")
    response = coordinator_client.post("/audit/verify", data={"csrf_token": token})
    assert response.status_code == 303
    response.close()  # the walk starts once the response is done with, as a server does
    audit_log.worker.join(timeout=30)
    assert "Chaîne intacte" in page_text(coordinator_client.get("/audit/"))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_caseload_export_is_the_filtered_list_with_neutralised_cells(
        db, advisor, advisor_client, kind):
    make_dossier(advisor, title="=HYPERLINK(\"http://x\")")
    make_dossier(advisor, title="Autre", territory_code="drummond")
    response = advisor_client.get(f"/desk/dossiers.{kind}?territory=becancour")
    assert response.status_code == 200
    if kind == "csv":
        body = response.get_data(as_text=True)
        assert "'=HYPERLINK" in body and "Autre" not in body
    else:
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.data)).active
        titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert titles == ["'=HYPERLINK(\"http://x\")"]
