"""The JSON API: tokens, the pages' access rules, versions, problem documents."""

from sqlalchemy import func, select

from caseflow.api import tokens
from caseflow.api.models import ApiToken
from caseflow.audit.models import AuditEvent
from caseflow.dossiers.models import Dossier
from tests import builders


def token_for(db, user) -> dict:
    _, secret = tokens.create(user, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


NEW_DOSSIER = {
    "title": "Coopérative de solidarité de Wôlinak", "promoter_gender": "femme",
    "territory": "becancour", "sector": "commerce-detail", "stage": "predemarrage",
    "legal_form": "cooperative", "origin": "direct", "women_count": 2,
}


def test_no_token_no_session_answers_401_as_a_problem(client, advisor_client):
    for anyone in (client, advisor_client):  # a logged-in browser's cookie opens nothing
        response = anyone.get("/api/v1/dossiers", headers={"Accept-Language": "en"})
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == 401 and problem["title"] == "Authentication required"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_is_shown_once_stored_hashed_and_revocable(db, advisor, advisor_client):
    page = advisor_client.post("/account/tokens", data={
        "csrf_token": builders.csrf_token(advisor_client, "/account/tokens"),
        "name": "Site Web"})
    assert page.status_code == 200
    secret = next(word for word in builders.page_text(page).split('"') if word.startswith("cf_"))
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash
    assert secret not in builders.page_text(advisor_client.get("/account/tokens"))
    headers = {"Authorization": f"Bearer {secret}"}
    assert advisor_client.get("/api/v1/dossiers", headers=headers).status_code == 200
    revoked = advisor_client.post("/account/tokens/revoke", data={
        "csrf_token": builders.csrf_token(advisor_client, "/account/tokens"),
        "token_id": stored.id})
    assert revoked.status_code == 303
    assert advisor_client.get("/api/v1/dossiers", headers=headers).status_code == 401


def test_token_ends_when_the_role_or_organisation_changes(db, client, partner):
    headers = token_for(db, partner)
    assert client.get("/api/v1/referrals", headers=headers).status_code == 200
    partner.organisation = builders.organisation("mrc-nicolet-yamaska")
    db.session.commit()
    assert client.get("/api/v1/referrals", headers=headers).status_code == 401


def test_advisor_creates_edits_and_moves_a_dossier(db, client, advisor):
    headers = token_for(db, advisor)
    created = client.post("/api/v1/dossiers", json=NEW_DOSSIER, headers=headers)
    assert created.status_code == 201, created.get_json()
    dossier = created.get_json()
    assert dossier["title"] == NEW_DOSSIER["title"] and dossier["advisor_id"] == advisor.id
    assert created.headers["Location"].endswith(f"/api/v1/dossiers/{dossier['id']}")
    edited = client.patch(f"/api/v1/dossiers/{dossier['id']}", headers=headers,
                          json={"version": dossier["version"], "men_count": 3})
    assert edited.status_code == 200
    assert edited.get_json()["men_count"] == 3 and edited.get_json()["women_count"] == 2
    options = client.get(f"/api/v1/dossiers/{dossier['id']}/transitions", headers=headers)
    allowed = [o for o in options.get_json() if o["allowed"] and not o["fields"]]
    assert allowed
    moved = client.post(f"/api/v1/dossiers/{dossier['id']}/transitions", headers=headers,
                        json={"trigger": allowed[0]["trigger"],
                              "version": edited.get_json()["version"]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["state"] == allowed[0]["destination"]
    events = client.get(f"/api/v1/dossiers/{dossier['id']}/events", headers=headers)
    assert [e["action"] for e in events.get_json()] == [
        "dossier.created", "dossier.updated", "dossier.transition"]


def test_stale_version_transition_answers_409_and_changes_nothing(db, client, advisor):
    dossier = builders.make_dossier(advisor)
    stale = dossier.version
    builders.add_intervention(dossier, advisor)  # someone moved the dossier meanwhile
    headers = {**token_for(db, advisor), "Accept-Language": "fr-CA"}
    before = (dossier.state, dossier.version,
              db.session.scalar(select(func.count()).select_from(AuditEvent)))
    options = client.get(f"/api/v1/dossiers/{dossier.id}/transitions", headers=headers)
    trigger = next(o["trigger"] for o in options.get_json() if o["allowed"]
                   and not o["fields"])
    response = client.post(f"/api/v1/dossiers/{dossier.id}/transitions", headers=headers,
                           json={"trigger": trigger, "version": stale})
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "modifié par quelqu'un d'autre" in response.get_json()["detail"]
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.state, dossier.version,
            db.session.scalar(select(func.count()).select_from(AuditEvent))) == before


def test_partner_sees_only_what_was_referred_to_their_organisation(db, client, advisor,
                                                                   partner):
    mine = builders.make_dossier(advisor, title="Référé à Bécancour")
    theirs = builders.make_dossier(advisor, title="Référé à Nicolet")
    hidden = builders.make_dossier(advisor, title="Jamais référé")
    builders.refer(mine, advisor)
    builders.refer(theirs, advisor, organisation_code="mrc-nicolet-yamaska")
    headers = token_for(db, partner)
    listed = client.get("/api/v1/dossiers", headers=headers).get_json()
    assert [d["id"] for d in listed["items"]] == [mine.id]
    assert client.get(f"/api/v1/dossiers/{mine.id}", headers=headers).status_code == 200
    for other in (theirs.id, hidden.id, 999_999):
        for path in ("", "/interventions", "/referrals", "/transitions", "/events",
                     "/financing-lines"):
            response = client.get(f"/api/v1/dossiers/{other}{path}", headers=headers)
            assert response.status_code == 404, (other, path)
    inbox = client.get("/api/v1/referrals", headers=headers).get_json()
    assert [r["dossier_id"] for r in inbox] == [mine.id]
    other_referral = theirs.referrals[0].id
    assert client.get(f"/api/v1/referrals/{other_referral}", headers=headers).status_code == 404
    answer = client.post(f"/api/v1/referrals/{other_referral}/answers", headers=headers,
                         json={"action": "accept", "version": 1})
    assert answer.status_code == 404
    assert client.post("/api/v1/dossiers", json=NEW_DOSSIER, headers=headers).status_code == 403
    assert client.get("/api/v1/report", headers=headers).status_code == 403


def test_partner_answers_a_referral_in_their_inbox(db, client, advisor, partner):
    dossier = builders.make_dossier(advisor)
    referral = builders.refer(dossier, advisor)
    headers = token_for(db, partner)
    seen = referral.version
    acknowledged = client.post(f"/api/v1/referrals/{referral.id}/answers", headers=headers,
                               json={"action": "acknowledge", "version": seen})
    assert acknowledged.status_code == 200 and acknowledged.get_json()["state"] == "acknowledged"
    stale = client.post(f"/api/v1/referrals/{referral.id}/answers", headers=headers,
                        json={"action": "accept", "version": seen})
    assert stale.status_code == 409
    accepted = client.post(f"/api/v1/referrals/{referral.id}/answers", headers=headers,
                           json={"action": "accept",
                                 "version": acknowledged.get_json()["version"]})
    assert accepted.get_json()["state"] == "accepted"


def test_refused_input_is_a_problem_naming_the_field_in_the_asked_language(db, client,
                                                                           advisor):
    headers = {**token_for(db, advisor), "Accept-Language": "en"}
    response = client.post("/api/v1/dossiers", headers=headers,
                           json={**NEW_DOSSIER, "title": "  ", "territory": "nowhere"})
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["errors"] == {"title": ["Give the dossier a title."]}
    response = client.post("/api/v1/dossiers", headers=headers,
                           json={**NEW_DOSSIER, "title": "a\x00b"})
    assert response.status_code == 422 and "title" in response.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_keyset_pages_list_every_dossier_once(db, client, advisor):
    made = [builders.make_dossier(advisor, title=f"Dossier {n}").id for n in range(5)]
    headers = token_for(db, advisor)
    seen, after = [], None
    while True:
        query = {"limit": 2, **({"after": after} if after else {})}
        page = client.get("/api/v1/dossiers", headers=headers, query_string=query).get_json()
        seen += [d["id"] for d in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert seen == sorted(made, reverse=True)


def test_financing_lines_and_report(db, client, advisor, coordinator):
    dossier = builders.make_dossier(advisor)
    headers = token_for(db, advisor)
    line = client.post(f"/api/v1/dossiers/{dossier.id}/financing-lines", headers=headers,
                       json={"version": dossier.version, "fund": "fdt-es",
                             "decision": "pending", "amount_requested": "25000.00"})
    assert line.status_code == 201, line.get_json()
    listed = client.get(f"/api/v1/dossiers/{dossier.id}/financing-lines", headers=headers)
    assert [row["amount_requested"] for row in listed.get_json()] == ["25000.00"]
    report = client.get("/api/v1/report", headers=token_for(db, coordinator),
                        query_string={"period": "2025-2026"})
    assert report.status_code == 200 and report.get_json()["period"]
    assert client.get("/api/v1/report", headers=headers).status_code == 403


def test_openapi_document_and_docs_page(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/dossiers/{dossier_id}/transitions" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/referrals/{referral_id}/answers" in builders.page_text(page)
    assert "cdn" not in page.get_data(as_text=True).lower()
