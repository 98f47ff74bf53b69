"""A partner sees only the dossiers referred to their organisation, by every route.

The routes are read from the URL map, so a new route that takes a dossier, referral,
attachment or intervention id cannot escape: it must appear in the policy table below.
"""

import re

import pytest

from caseflow.database import hub_today
from caseflow.documents.demo import tiny_pdf
from caseflow.referrals.services import act
from tests.builders import (
    add_intervention,
    csrf_token,
    give_consent,
    login,
    make_dossier,
    make_user,
    page_text,
    refer,
)

OBJECT_PARAMETERS = {"dossier_id", "referral_id", "attachment_id", "intervention_id",
                     "line_id"}

# What a partner of the organisation the dossier is referred to gets on each route:
# "see" means the page answers (200 on GET, anything but 404 on POST); "staff" means the
# route is the hub's own and answers 404 to every partner, exactly as for a missing dossier.
POLICY = {
    "desk.dossier": "see",
    "documents.download": "see",
    "partners.referral": "see",
    "partners.answer": "see",
    "partners.note": "see",
    "partners.financing_decision": "see",
    "dossiers.edit": "staff",
    "dossiers.follow_up": "staff",
    "dossiers.transition": "staff",
    "dossiers.new_intervention": "staff",
    "dossiers.edit_intervention": "staff",
    "dossiers.remove_intervention": "staff",
    "documents.item": "staff",
    "documents.upload": "staff",
    "documents.remove": "staff",
    "financing.line": "staff",
    "financing.remove": "staff",
    "referrals.new": "staff",
    "referrals.withdraw": "staff",
    "privacy.give_consent": "staff",
    "privacy.withdraw_consent": "staff",
}


class World:
    """Dossiers referred to MRC A (Bécancour), to MRC B (Drummond), and never referred."""

    def __init__(self, db, advisor):
        self.advisor = advisor
        self.dossiers = {}
        for name, organisation in [("A", "mrc-becancour"), ("B", "mrc-drummond"),
                                   ("never", None)]:
            dossier = make_dossier(advisor, title=f"Projet {name} secret",
                                   promoter_name=f"Promoteur confidentiel {name}")
            intervention = add_intervention(dossier, advisor)
            from sqlalchemy import select

            from caseflow.documents import services as documents
            from caseflow.documents.models import DocumentKind

            kind = db.session.scalar(select(DocumentKind).where(DocumentKind.code == "charte"))
            attachment = documents.attach(dossier, advisor, dossier.version, kind, "charte.pdf",
                                          tiny_pdf("x"), _folder(), 10_000_000)
            from caseflow.financing.services import FinancingFields, add_line
            from caseflow.reference.models import Fund
            from tests.builders import organisation as organisation_named

            fund = db.session.scalar(select(Fund).where(Fund.code == "fdt-es"))
            line = add_line(dossier, advisor, dossier.version, FinancingFields(
                fund=fund, decision="pending", organisation=organisation_named("mrc-becancour")))
            db.session.commit()
            referral = refer(dossier, advisor, organisation) if organisation else None
            self.dossiers[name] = {
                "dossier": dossier, "dossier_id": dossier.id, "intervention_id": intervention.id,
                "attachment_id": attachment.id, "line_id": line.id,
                "referral_id": referral.id if referral else 999_999,
                "referral": referral, "reference": dossier.reference,
            }


def _folder():
    from caseflow.documents.views import upload_folder

    return upload_folder()


def _object_rules(app):
    # The API opens to a bearer token, never to this session: tests/test_api.py checks a
    # partner's 404s there with the same rules.
    return [rule for rule in app.url_map.iter_rules()
            if set(rule.arguments) & OBJECT_PARAMETERS and not rule.endpoint.startswith("api.")]


def _url(rule, values) -> str:
    arguments = {name: values.get(name, {"code": "charte", "trigger": "close",
                                         "action": "acknowledge"}.get(name, 1))
                 for name in rule.arguments}
    return rule.build(arguments)[1]


def _request(client, rule, url, token):
    method = "GET" if "GET" in rule.methods else "POST"
    return client.open(url, method=method, data={"csrf_token": token, "version": "1"})


@pytest.fixture
def world(app, db, advisor, partner):
    with app.test_request_context():
        built = World(db, advisor)
    referral = built.dossiers["A"]["referral"]
    act(referral, partner, "accept", referral.version)  # so its financing page opens too
    for name, code in (("A", "mrc-becancour"), ("B", "mrc-drummond")):
        # Each group consented to its files reaching the organisation it was referred to.
        give_consent(built.dossiers[name]["dossier"], advisor, "share_documents", code)
    db.session.commit()
    return built


@pytest.fixture
def drummond_client(app, db):
    user = make_user("partner", organisation_code="mrc-drummond")
    client = app.test_client()
    login(client, user.email)
    return client


def test_every_object_route_has_a_policy(app):
    assert {rule.endpoint for rule in _object_rules(app)} == set(POLICY)


def test_a_partner_sees_only_what_is_referred_to_their_organisation(app, db, world,
                                                                    partner_client):
    token = csrf_token(partner_client, "/")
    checked = 0
    for rule in _object_rules(app):
        for name in ("B", "never"):
            response = _request(partner_client, rule, _url(rule, world.dossiers[name]), token)
            assert (rule.endpoint, name, response.status_code) == (rule.endpoint, name, 404)
            assert world.dossiers[name]["reference"] not in page_text(response)
        response = _request(partner_client, rule, _url(rule, world.dossiers["A"]), token)
        if POLICY[rule.endpoint] == "staff":
            assert (rule.endpoint, response.status_code) == (rule.endpoint, 404)
        elif "GET" in rule.methods:
            assert (rule.endpoint, response.status_code) == (rule.endpoint, 200)
        else:
            assert (rule.endpoint, response.status_code) != (rule.endpoint, 404)
        checked += 1
    assert checked == len(_object_rules(app)) >= len(POLICY)


def test_after_the_referral_is_withdrawn_everything_is_404_again(app, db, world,
                                                                  partner_client):
    a = world.dossiers["A"]
    assert partner_client.get(f"/dossiers/{a['dossier_id']}").status_code == 200
    act(a["referral"], world.advisor, "withdraw", a["referral"].version, "Le groupe renonce.")
    db.session.commit()
    token = csrf_token(partner_client, "/")
    for rule in _object_rules(app):
        response = _request(partner_client, rule, _url(rule, a), token)
        assert (rule.endpoint, response.status_code) == (rule.endpoint, 404)


def test_lists_and_counts_never_show_another_organisations_dossier(app, db, world,
                                                                   partner_client,
                                                                   drummond_client):
    secrets_of = {name: [d["reference"], f"Projet {name} secret",
                         f"Promoteur confidentiel {name}"] for name, d in world.dossiers.items()}
    pages = ["/", "/partenaires/", "/partenaires/?onglet=new", "/partenaires/?onglet=accepted",
             "/partenaires/?onglet=closed", "/partenaires/?onglet=all", "/notifications",
             "/dossiers/", "/dossiers/?q=secret", "/referencements/", "/audit/"]
    for client, mine, others in [(partner_client, "A", ("B", "never")),
                                 (drummond_client, "B", ("A", "never"))]:
        seen_mine = False
        for path in pages:
            text = page_text(client.get(path))
            for name in others:
                for secret in secrets_of[name]:
                    assert secret not in text, (path, secret)
            seen_mine = seen_mine or secrets_of[mine][0] in text
        assert seen_mine, mine


def test_contact_details_wait_for_the_promoters_consent(app, db, advisor, partner_client):
    without = make_dossier(advisor, title="Sans consentement")
    refer(without, advisor, consent=False)
    with_consent = make_dossier(advisor, title="Avec consentement")
    refer(with_consent, advisor, consent=True)
    hidden = page_text(partner_client.get(f"/dossiers/{without.id}"))
    assert "comite@gentilly.exemple" not in hidden and "pas encore consenti" in hidden
    shown = page_text(partner_client.get(f"/dossiers/{with_consent.id}"))
    assert "comite@gentilly.exemple" in shown


def test_private_notes_stay_with_the_hub(app, db, advisor, partner_client, advisor_client):
    dossier = make_dossier(advisor)
    add_intervention(dossier, advisor, notes="Note publique sur la rencontre")

    from sqlalchemy import select

    from caseflow.dossiers.services import InterventionFields
    from caseflow.dossiers.services import add_intervention as add
    from caseflow.reference.models import Subject

    subject = db.session.scalar(select(Subject).where(Subject.code == "gouvernance"))
    add(dossier, advisor, dossier.version, InterventionFields(
        hub_today(), "call", [subject], 30, "Tension interne dans le comité", private=True))
    db.session.commit()
    refer(dossier, advisor)
    partner_page = page_text(partner_client.get(f"/dossiers/{dossier.id}"))
    assert "Note publique sur la rencontre" in partner_page
    assert "Tension interne" not in partner_page
    assert "Tension interne" in page_text(advisor_client.get(f"/dossiers/{dossier.id}"))
    assert re.search(r"note interne", page_text(advisor_client.get(f"/dossiers/{dossier.id}")))
