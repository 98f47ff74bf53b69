"""Bad input on the dossier pages: refused in French, never a 5xx, and nothing written.

Every bad request is compared with a valid one that differs by a single field, so a
refusal proves the validation of that field. After each refusal the rows of dossier,
intervention, promoter_contact and audit_event are the same as before, and the audit
chain still verifies. The last tests check that the caseload and the dossier page cost
the same number of SQL statements however much data there is.
"""

import html
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from jinja2 import BytecodeCache
from sqlalchemy import event, func, select

from caseflow.audit.models import AuditEvent
from caseflow.database import hub_today
from caseflow.dossiers import services
from caseflow.dossiers.models import Dossier, Intervention, PromoterContact
from caseflow.referrals import services as referrals
from tests.builders import (
    add_intervention,
    csrf_token,
    dossier_fields,
    make_dossier,
    make_dossier_edit_form,
    make_dossier_form,
    make_intervention_form,
    make_user,
    organisation,
)

BIG = "x" * 100_000  # 100 kB of text
NUL = "du texte\x00avec un octet nul"
# Two days ahead, so a run that crosses midnight still tries a date in the future.
IN_TWO_DAYS = (hub_today() + timedelta(days=2)).isoformat()

REQUIRED = "Ce champ est obligatoire."
NOT_A_CHOICE = "N'est pas un choix valide."
NOT_A_DATE = "N'est pas une date valide."
NOT_AN_INTEGER = "N'est pas un entier valide."
INVALID_CHARACTER = "Ce champ contient un caractère invalide."
CONFLICT = ("Ce dossier a été modifié par quelqu'un d'autre pendant que vous le consultiez. "
            "Rien n'a été enregistré.")
NOT_FOUND = "Page introuvable"
BAD_FILTERS = "Ces filtres ne sont pas valides. Corrigez-les ou effacez-les."


def too_long(limit: int) -> str:
    return f"Le champ ne peut pas contenir plus de {limit} caractères."


# --- Each test builds a new app: let them share their compiled templates -----------------

class SharedTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory for the whole module.

    Compiling the templates again for each test's new app took most of the file's time;
    the apps are configured alike, so the compiled code is the same.
    """

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATES = SharedTemplates()


@pytest.fixture(autouse=True)
def _share_compiled_templates(app):
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES


# --- Reading pages as a person does -------------------------------------------------------

ERROR_BLOCK = re.compile(
    r'<div class="(?:invalid-feedback|alert alert-danger|alert alert-warning)[^"]*"[^>]*>'
    r"(.*?)</div>", re.S)


def page_text(response) -> str:
    """The page as read: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.get_data(as_text=True)).replace("\xa0", " ")


def shown_errors(response) -> list[str]:
    """Every message shown as an error: under a field or in an alert box."""
    messages = []
    for block in ERROR_BLOCK.findall(response.get_data(as_text=True)):
        for line in re.sub(r"<[^>]+>", "\n", block).splitlines():
            text = html.unescape(line).replace("\xa0", " ").strip()
            if text:
                messages.append(text)
    return messages


# --- Building realistic data through the services, with tests/builders.py ---------------

# What the dossiers of this file say, as overrides of builders.dossier_fields.
VILLAGE = {"title": "Coopérative agricole du village",
           "promoter_name": "Groupe promoteur du village",
           "description": "Une coopérative de producteurs maraîchers.",
           "sector_code": "agriculture", "women_count": 2, "men_count": 1,
           "opened_on": date(2025, 1, 15)}
# The intervention each dossier is opened with, as arguments of builders.add_intervention.
FIRST_MEETING = {"subjects": ("gouvernance",), "occurred_on": date(2025, 2, 1), "minutes": 45,
                 "notes": "Première rencontre avec le comité."}


@dataclass
class Built:
    id: int
    interventions: list[int]


def built_dossier(db, actor, *, interventions=0, workflow="accompagnement",
                  **overrides) -> Built:
    """Open a dossier as `actor`, with some interventions; keep only the ids of what was built."""
    contacts = [services.ContactFields("Ana Tremblay", "ana@coop-village.ca", "819-555-0101")]
    dossier = make_dossier(actor, workflow, **{**VILLAGE, "contacts": contacts, **overrides})
    logged = [add_intervention(dossier, actor, **FIRST_MEETING) for _ in range(interventions)]
    built = Built(dossier.id, [intervention.id for intervention in logged])
    db.session.rollback()
    return built


def version_of(db, dossier_id: int) -> int:
    version = db.session.get(Dossier, dossier_id).version
    db.session.rollback()
    return version


def snapshot(db):
    """Row counts of the four tables, and what each dossier and intervention says."""
    counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
              for model in (Dossier, Intervention, PromoterContact, AuditEvent)}
    dossiers = db.session.execute(
        select(Dossier.id, Dossier.version, Dossier.title, Dossier.state, Dossier.outcome)
        .order_by(Dossier.id)).all()
    interventions = db.session.execute(
        select(Intervention.id, Intervention.occurred_on, Intervention.kind,
               Intervention.minutes, Intervention.notes).order_by(Intervention.id)).all()
    contacts = db.session.execute(
        select(PromoterContact.dossier_id, PromoterContact.name, PromoterContact.email)
        .order_by(PromoterContact.id)).all()
    db.session.rollback()
    return counts, dossiers, interventions, contacts


def assert_nothing_changed(db, runner, before) -> None:
    assert snapshot(db) == before
    result = runner.invoke(args=["audit", "verify"])
    db.session.rollback()
    assert result.exit_code == 0, result.output
    assert "Audit chain intact" in result.output


def refusals(db, runner, cases, send) -> list[str]:
    """Send each bad case; return how any of them was not cleanly refused.

    A case is (name, changes, French message, status). A clean refusal answers the status
    with the message shown as an error, and leaves every row as it was.
    """
    problems = []
    for name, changes, message, status in cases:
        before = snapshot(db)
        response = send(changes)
        errors = shown_errors(response)
        if response.status_code != status or message not in errors:
            problems.append(f"{name}: answered {response.status_code} showing {errors}; "
                            f"expected {status} showing {message!r}")
        if snapshot(db) != before:
            problems.append(f"{name}: the database changed")
    result = runner.invoke(args=["audit", "verify"])
    db.session.rollback()
    if result.exit_code != 0 or "Audit chain intact" not in result.output:
        problems.append(f"audit verify: {result.output}")
    return problems


def case(name, changes, message, status=400):
    return (name, changes, message, status)


# --- Valid payloads: each bad case changes one field of a form from tests/builders.py
# (make_dossier_form, make_dossier_edit_form, make_intervention_form) ----------------------

@pytest.fixture
def token(advisor_client):
    return csrf_token(advisor_client, "/dossiers/")


@pytest.fixture
def dossier(db, advisor) -> Built:
    return built_dossier(db, advisor, interventions=1)


# --- The valid payloads are accepted (so each refusal below is about one bad field) -------

def test_the_valid_new_dossier_form_opens_a_dossier(db, runner, advisor_client, token):
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={**make_dossier_form(),
                                                          "csrf_token": token})
    assert response.status_code == 303
    dossier_id = int(response.headers["Location"].rsplit("/", 1)[1])
    counts, *_ = snapshot(db)
    added = {name: counts[name] - before[0][name] for name in counts}
    assert added == {"dossier": 1, "intervention": 0, "promoter_contact": 1, "audit_event": 1}
    stored = db.session.get(Dossier, dossier_id)
    assert (stored.title, stored.territory.code, stored.contacts[0].email) == (
        "Coopérative agricole du village", "becancour", "ana@coop-village.ca")
    db.session.rollback()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_the_valid_edit_intervention_and_closing_forms_are_accepted(db, advisor_client, token,
                                                                      dossier):
    path = f"/dossiers/{dossier.id}"
    response = advisor_client.post(f"{path}/edit", data={
        **make_dossier_edit_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(f"{path}/interventions/new", data={
        **make_intervention_form(version_of(db, dossier.id)), "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(
        f"{path}/interventions/{dossier.interventions[0]}/edit",
        data={**make_intervention_form(version_of(db, dossier.id), notes="Notes corrigées."),
              "csrf_token": token})
    assert response.status_code == 303
    response = advisor_client.post(f"{path}/actions/close", data={
        "version": version_of(db, dossier.id), "outcome": "abandon", "csrf_token": token})
    assert response.status_code == 303
    stored = db.session.get(Dossier, dossier.id)
    assert stored.title == "Coopérative agricole du village (corrigé)"
    assert (stored.state, stored.outcome) == ("closed", "abandon")
    assert sorted(i.notes for i in stored.interventions) == [
        "Appel de suivi du plan d'affaires.", "Notes corrigées."]


# --- The dossier form, when opening and when editing ---------------------------------------

DOSSIER_CASES = {
    "required-and-codes": [
        case("title empty", {"title": ""}, REQUIRED),
        case("title blank", {"title": "   "}, REQUIRED),
        case("territory empty", {"territory": ""}, REQUIRED),
        case("origin empty", {"origin": ""}, REQUIRED),
        case("gender empty", {"promoter_gender": ""}, REQUIRED),
        case("territory", {"territory": "atlantide"}, NOT_A_CHOICE),
        case("sector", {"sector": "atlantide"}, NOT_A_CHOICE),
        case("stage", {"stage": "atlantide"}, NOT_A_CHOICE),
        case("legal form", {"legal_form": "atlantide"}, NOT_A_CHOICE),
        case("origin", {"origin": "atlantide"}, NOT_A_CHOICE),
        case("gender", {"promoter_gender": "atlantide"}, NOT_A_CHOICE),
        case("advisor unknown", {"advisor": "999999"}, NOT_A_CHOICE),
        case("advisor not an id", {"advisor": "abc"}, NOT_A_CHOICE),
        case("territory with NUL", {"territory": "becancour\x00"}, NOT_A_CHOICE),
    ],
    "dates-and-numbers": [
        case("February 30", {"opened_on": "2026-02-30"}, NOT_A_DATE),
        case("other date format", {"opened_on": "15/01/2025"}, NOT_A_DATE),
        case("future date", {"opened_on": IN_TWO_DAYS},
             "La date d'ouverture ne peut pas être dans le futur."),
        case("negative women", {"women_count": "-1"}, "Entrez un nombre entre 0 et 999."),
        case("too many men", {"men_count": "1000"}, "Entrez un nombre entre 0 et 999."),
        case("women not a number", {"women_count": "abc"}, NOT_AN_INTEGER),
        case("contact e-mail", {"contacts-0-email": "pas-un-courriel"},
             "Adresse courriel invalide."),
    ],
    "100kB-and-NUL-text": [
        case("title 100 kB", {"title": BIG}, too_long(200)),
        case("promoter 100 kB", {"promoter_name": BIG}, too_long(200)),
        case("description 100 kB", {"description": BIG}, too_long(5000)),
        case("contact name 100 kB", {"contacts-0-name": BIG}, too_long(200)),
        case("third contact name 100 kB", {"contacts-2-name": BIG}, too_long(200)),
        case("contact e-mail 100 kB", {"contacts-0-email": BIG}, too_long(254)),
        case("contact phone 100 kB", {"contacts-0-phone": BIG}, too_long(40)),
        case("title NUL", {"title": NUL}, INVALID_CHARACTER),
        case("promoter NUL", {"promoter_name": NUL}, INVALID_CHARACTER),
        case("description NUL", {"description": NUL}, INVALID_CHARACTER),
        case("contact name NUL", {"contacts-0-name": NUL}, INVALID_CHARACTER),
        case("contact e-mail NUL", {"contacts-0-email": "ana\x00@coop-village.ca"},
             INVALID_CHARACTER),
        case("contact phone NUL", {"contacts-0-phone": NUL}, INVALID_CHARACTER),
    ],
}


@pytest.mark.parametrize("group", DOSSIER_CASES)
def test_a_bad_new_dossier_form_is_refused_in_french(db, runner, advisor_client, token, group):
    def send(changes):
        return advisor_client.post("/dossiers/new", data={**make_dossier_form(**changes),
                                                          "csrf_token": token})

    assert refusals(db, runner, DOSSIER_CASES[group], send) == []


@pytest.mark.parametrize("group", DOSSIER_CASES)
def test_a_bad_dossier_edit_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                                 group):
    def send(changes):
        return advisor_client.post(f"/dossiers/{dossier.id}/edit", data={
            **make_dossier_edit_form(version_of(db, dossier.id), **changes), "csrf_token": token})

    assert refusals(db, runner, DOSSIER_CASES[group], send) == []


def test_an_unknown_workflow_or_objective_is_refused(db, runner, advisor_client, token):
    cases = [
        case("workflow", {"workflow": "atlantide"}, NOT_A_CHOICE),
        case("objective", {"workflow": "protocole-nicolet-yamaska",
                           "objectives": ["accueil-orientation", "atlantide"]},
             "« atlantide » n'est pas un choix valide pour ce champ."),
    ]
    assert refusals(db, runner, cases, lambda changes: advisor_client.post(
        "/dossiers/new", data={**make_dossier_form(**changes), "csrf_token": token})) == []


def test_every_text_field_at_100_kB_at_once_is_refused(db, runner, advisor_client, token):
    texts = ["title", "promoter_name", "description"] + [
        f"contacts-{row}-{name}" for row in range(3) for name in ("name", "email", "phone")]
    before = snapshot(db)
    response = advisor_client.post("/dossiers/new", data={
        **make_dossier_form(**dict.fromkeys(texts, BIG)), "csrf_token": token})
    assert response.status_code in (400, 413)
    if response.status_code == 400:
        errors = shown_errors(response)
        assert errors.count(too_long(200)) == 5  # title, promoter, three contact names
        assert errors.count(too_long(254)) == 3 and errors.count(too_long(40)) == 3
        assert too_long(5000) in errors
    else:
        assert "Fichier trop volumineux" in page_text(response)
    assert_nothing_changed(db, runner, before)


def test_a_dossier_edit_without_a_version_is_refused(db, runner, advisor_client, token,
                                                     dossier):
    form = make_dossier_edit_form(0)
    del form["version"]
    before = snapshot(db)
    response = advisor_client.post(f"/dossiers/{dossier.id}/edit",
                                   data={**form, "csrf_token": token})
    assert response.status_code in (400, 409)
    assert_nothing_changed(db, runner, before)


def test_a_contact_with_an_email_but_no_name_is_refused(db, runner, advisor_client, token):
    cases = [case("e-mail without name", {
        "contacts-1-name": "", "contacts-1-email": "luc@coop-village.ca",
        "contacts-1-phone": "819-555-0102"}, REQUIRED)]
    assert refusals(db, runner, cases, lambda changes: advisor_client.post(
        "/dossiers/new", data={**make_dossier_form(**changes), "csrf_token": token})) == []


# --- The version on every form that has one: stale, or not a number ----------------------

def _version_forms(db, dossier):
    version = version_of(db, dossier.id)
    base = f"/dossiers/{dossier.id}"
    return {
        "dossier-edit": (f"{base}/edit", make_dossier_edit_form(version)),
        "intervention-new": (f"{base}/interventions/new", make_intervention_form(version)),
        "intervention-edit": (f"{base}/interventions/{dossier.interventions[0]}/edit",
                              make_intervention_form(version)),
        "transition": (f"{base}/actions/close", {"version": str(version),
                                                 "outcome": "abandon"}),
    }


def test_a_stale_version_is_a_french_conflict_on_every_form(db, runner, advisor_client, token,
                                                           dossier):
    before = snapshot(db)
    for name, (path, form) in _version_forms(db, dossier).items():
        for stale in (int(form["version"]) - 1, int(form["version"]) + 1):
            response = advisor_client.post(path, data={**form, "version": str(stale),
                                                       "csrf_token": token})
            assert (name, stale, response.status_code) == (name, stale, 409)
            assert CONFLICT in page_text(response)
    assert_nothing_changed(db, runner, before)


@pytest.mark.parametrize("form_name", ["dossier-edit", "intervention-new", "intervention-edit",
                                       "transition"])
def test_a_version_that_is_not_a_number_is_explained(db, runner, advisor_client, token, dossier,
                                                     form_name):
    path, form = _version_forms(db, dossier)[form_name]
    cases = [case("letters", {"version": "abc"}, NOT_AN_INTEGER),
             case("decimal", {"version": "1.5"}, NOT_AN_INTEGER)]
    if form_name != "dossier-edit":  # the dossier form's version is Optional (see above)
        cases.append(case("empty", {"version": ""}, REQUIRED))
    assert refusals(db, runner, cases, lambda changes: advisor_client.post(
        path, data={**form, **changes, "csrf_token": token})) == []


# --- The intervention form, when logging and when correcting ------------------------------

INTERVENTION_CASES = {
    "date-kind-subjects": [
        case("date empty", {"occurred_on": ""}, "Entrez une date valide (AAAA-MM-JJ)."),
        case("February 30", {"occurred_on": "2026-02-30"}, NOT_A_DATE),
        case("future date", {"occurred_on": IN_TWO_DAYS},
             "La date d'une intervention ne peut pas être dans le futur."),
        case("kind empty", {"kind": ""}, REQUIRED),
        case("kind unknown", {"kind": "visite"}, NOT_A_CHOICE),
        case("no subject", {"subjects": []}, "Choisissez au moins un sujet abordé."),
        case("subject unknown", {"subjects": ["gouvernance", "atlantide"]},
             "« atlantide » n'est pas un choix valide pour ce champ."),
    ],
    "minutes-and-notes": [
        case("negative minutes", {"minutes": "-1"},
             "La durée doit être comprise entre 0 et 1440 minutes."),
        case("minutes over a day", {"minutes": "1441"},
             "La durée doit être comprise entre 0 et 1440 minutes."),
        case("minutes in letters", {"minutes": "abc"}, NOT_AN_INTEGER),
        case("notes 100 kB", {"notes": BIG}, too_long(10000)),
        case("notes NUL", {"notes": NUL}, INVALID_CHARACTER),
    ],
}


@pytest.mark.parametrize("route", ["new", "edit"])
@pytest.mark.parametrize("group", INTERVENTION_CASES)
def test_a_bad_intervention_form_is_refused_in_french(db, runner, advisor_client, token,
                                                      dossier, route, group):
    path = f"/dossiers/{dossier.id}/interventions/" + (
        "new" if route == "new" else f"{dossier.interventions[0]}/edit")
    assert refusals(db, runner, INTERVENTION_CASES[group], lambda changes: advisor_client.post(
        path, data={**make_intervention_form(version_of(db, dossier.id), **changes),
                    "csrf_token": token})) == []


# --- Removing an intervention --------------------------------------------------------------

def test_a_bad_removal_is_refused_in_french(db, runner, advisor_client, token, dossier):
    invalid = "La demande n'a pas pu être traitée."  # the 400 page: a button, not a form
    version = version_of(db, dossier.id)
    cases = [
        ("version letters", {"version": "abc"}, 400, invalid),
        ("version empty", {"version": ""}, 400, invalid),
        ("version stale", {"version": str(version - 1)}, 409, CONFLICT),
        ("reason 100 kB", {"reason": BIG}, 400, invalid),
        ("reason NUL", {"reason": NUL}, 400, invalid),
        ("no CSRF token", {"csrf_token": ""}, 400,
         "Le formulaire a expiré ou n'est pas valide. Rechargez la page et soumettez-le de "
         "nouveau."),
    ]
    path = f"/dossiers/{dossier.id}/interventions/{dossier.interventions[0]}/remove"
    before = snapshot(db)
    for name, changes, status, message in cases:
        response = advisor_client.post(path, data={
            "version": str(version), "reason": "Consignée par erreur.", "csrf_token": token,
            **changes})
        assert (name, response.status_code) == (name, status)
        assert message in page_text(response), name
    assert_nothing_changed(db, runner, before)


# --- Transitions ---------------------------------------------------------------------------

def test_a_trigger_that_does_not_exist_is_a_404(db, runner, advisor_client, token, dossier):
    before = snapshot(db)
    for trigger in ["voler", "CLOSE", "close%00", "x" * 300]:
        for method in ("get", "post"):
            response = getattr(advisor_client, method)(
                f"/dossiers/{dossier.id}/actions/{trigger}",
                data={"version": version_of(db, dossier.id), "csrf_token": token})
            assert (trigger, method, response.status_code) == (trigger, method, 404)
            assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


TRANSITION_CASES = {
    "wrong-state": [
        case("reopen", {"trigger": "reopen"},
             "L'action « Rouvrir le dossier » n'est pas possible à l'étape « Accueil et "
             "analyse des besoins ».", 422),
        case("return to reception", {"trigger": "return_to_reception", "comment": "Retour."},
             "L'action « Ramener le dossier à l'accueil » n'est pas possible à "
             "l'étape « Accueil et analyse des besoins ».", 422),
    ],
    "outcome": [
        case("empty", {"trigger": "close", "outcome": ""}, "Choisissez le bilan du dossier.",
             422),
        case("missing", {"trigger": "close"}, "Choisissez le bilan du dossier.", 422),
        case("unknown", {"trigger": "close", "outcome": "atlantide"}, NOT_A_CHOICE),
    ],
    "referral": [
        case("refer without a referral", {"trigger": "refer", "comment": "Vers la MRC."},
             "Choisissez l'organisation à qui référer le dossier.", 422),
    ],
}


REFERRAL_CASES = [
    case("no organisation", {"organisation": ""}, REQUIRED),
    case("unknown organisation", {"organisation": "atlantide"}, NOT_A_CHOICE),
    case("empty reason", {"reason": ""}, REQUIRED),
    case("blank reason", {"reason": "   "}, REQUIRED),
    case("100 kB reason", {"reason": BIG}, too_long(5000)),
    case("NUL reason", {"reason": NUL}, INVALID_CHARACTER),
    case("100 kB request", {"request": BIG}, too_long(5000)),
]


@pytest.mark.parametrize("through", ["", "refer"])
def test_a_bad_referral_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                             through):
    def send(changes):
        data = {"version": str(version_of(db, dossier.id)), "organisation": "mrc-becancour",
                "reason": "Demande au fonds dédié.", "csrf_token": token, **changes}
        return advisor_client.post(f"/dossiers/{dossier.id}/referrals/new?through={through}",
                                   data=data)

    assert refusals(db, runner, REFERRAL_CASES, send) == []


@pytest.mark.parametrize("group", TRANSITION_CASES)
def test_a_bad_transition_is_refused_in_french(db, runner, advisor_client, token, dossier,
                                               group):
    def send(changes):
        changes = dict(changes)
        trigger = changes.pop("trigger")
        return advisor_client.post(f"/dossiers/{dossier.id}/actions/{trigger}", data={
            "version": version_of(db, dossier.id), **changes, "csrf_token": token})

    assert refusals(db, runner, TRANSITION_CASES[group], send) == []


def test_closing_before_any_intervention_is_refused(db, runner, advisor, advisor_client, token):
    dossier = built_dossier(db, advisor)
    cases = [case("no intervention", {"outcome": "abandon"},
                  "Consignez au moins une intervention avant cette étape.", 422)]
    assert refusals(db, runner, cases, lambda changes: advisor_client.post(
        f"/dossiers/{dossier.id}/actions/close",
        data={"version": version_of(db, dossier.id), **changes, "csrf_token": token})) == []


def test_an_advisor_cannot_reopen_a_closed_dossier(db, runner, advisor, advisor_client, token,
                                                   dossier):
    services.apply_transition(db.session.get(Dossier, dossier.id), advisor, "close", None,
                              outcome="formalise")
    db.session.commit()
    cases = [case("advisor reopens", {"comment": "Le groupe revient."},
                  "Votre rôle ne permet pas l'action « Rouvrir le dossier ».", 422),
             case("closing again", {"outcome": "formalise"},
                  "L'action « Fermer le dossier et consigner le bilan » n'est pas possible à "
                  "l'étape « Fermé ».", 422)]

    def send(changes):
        trigger = "reopen" if "comment" in changes else "close"
        return advisor_client.post(f"/dossiers/{dossier.id}/actions/{trigger}", data={
            "version": version_of(db, dossier.id), **changes, "csrf_token": token})

    assert refusals(db, runner, cases, send) == []


# --- The caseload's query string -----------------------------------------------------------

def test_bad_caseload_filters_get_a_clean_french_page(db, advisor, advisor_client):
    built_dossier(db, advisor, title="Coopérative agricole du village")
    queries = [{"page": "-1"}, {"page": "0"}, {"page": "abc"}, {"page": "1.5"},
               {"page": "99999999999999999999"}, {"sort": "inconnu"}, {"state": "inconnu"},
               {"scope": "inconnu"}, {"territory": "atlantide"}, {"sector": "atlantide"},
               {"follow_up": "hier"}, {"q": BIG}, {"q": "caf\x00e"}]
    for query in queries:
        response = advisor_client.get("/dossiers/", query_string={"scope": "all", **query})
        assert (str(query)[:40], response.status_code) == (str(query)[:40], 400)
        assert BAD_FILTERS in shown_errors(response)
        assert "Coopérative agricole du village" not in page_text(response)  # no stale list


def test_odd_but_valid_caseload_filters_answer_a_clean_page(db, advisor, advisor_client):
    built_dossier(db, advisor, title="Coopérative agricole du village")
    nothing = [{"page": "99999"}, {"q": "%"}, {"q": "_"}, {"q": "\\"}, {"q": "'; --"},
               {"q": "agricole%village"}]
    for query in nothing:
        response = advisor_client.get("/dossiers/", query_string={"scope": "all", **query})
        assert (query, response.status_code) == (query, 200)
        assert "Aucun dossier ne correspond à ces critères." in page_text(response), query
    response = advisor_client.get("/dossiers/", query_string={"scope": "all",
                                                              "q": "  AGRICOLE du "})
    assert response.status_code == 200
    assert "Coopérative agricole du village" in page_text(response)


# --- Ids in the URL that do not exist ------------------------------------------------------

def test_an_id_that_does_not_exist_is_a_404(db, runner, advisor_client, token, dossier):
    requests = [
        ("get", "/dossiers/999999"),
        ("get", "/dossiers/999999/edit"),
        ("post", "/dossiers/999999/edit"),
        ("get", "/dossiers/999999/actions/close"),
        ("post", "/dossiers/999999/actions/close"),
        ("get", "/dossiers/999999/interventions/new"),
        ("post", "/dossiers/999999/interventions/new"),
        ("post", f"/dossiers/999999/interventions/{dossier.interventions[0]}/remove"),
        ("get", f"/dossiers/{dossier.id}/interventions/999999/edit"),
        ("post", f"/dossiers/{dossier.id}/interventions/999999/edit"),
        ("post", f"/dossiers/{dossier.id}/interventions/999999/remove"),
        ("get", "/dossiers/0"),
        ("get", "/dossiers/-1"),
        ("get", "/dossiers/abc"),
    ]
    before = snapshot(db)
    for method, path in requests:
        response = getattr(advisor_client, method)(path, data={
            **make_intervention_form(version_of(db, dossier.id)), "csrf_token": token})
        assert (method, path, response.status_code) == (method, path, 404)
        assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


def test_an_intervention_of_another_dossier_is_a_404(db, runner, advisor, advisor_client,
                                                     token, dossier):
    other = built_dossier(db, advisor, interventions=1, title="Autre dossier")
    path = f"/dossiers/{dossier.id}/interventions/{other.interventions[0]}"
    before = snapshot(db)
    for method, action in [("get", "edit"), ("post", "edit"), ("post", "remove")]:
        response = getattr(advisor_client, method)(f"{path}/{action}", data={
            **make_intervention_form(version_of(db, dossier.id)), "csrf_token": token})
        assert (method, action, response.status_code) == (method, action, 404)
        assert NOT_FOUND in page_text(response)
    assert_nothing_changed(db, runner, before)


def test_an_id_just_past_32_bits_is_a_404(request, app, advisor_client, dossier):
    for path in ("/dossiers/2147483648",
                 f"/dossiers/{dossier.id}/interventions/2147483648/edit"):
        response = advisor_client.get(path)
        assert (path, response.status_code) == (path, 404)
        assert NOT_FOUND in page_text(response)


def test_an_id_past_64_bits_is_a_404(advisor_client, token, dossier):
    for method, path in [("get", "/dossiers/9223372036854775808"),
                         ("get", "/dossiers/99999999999999999999/edit"),
                         ("post", "/dossiers/9223372036854775808/actions/close"),
                         ("get", f"/dossiers/{dossier.id}/interventions/"
                                 "9223372036854775808/edit")]:
        response = getattr(advisor_client, method)(path, data={"csrf_token": token})
        assert (path, response.status_code) == (path, 404)
        assert NOT_FOUND in page_text(response)


# --- SQL statements do not grow with the data ----------------------------------------------

@contextmanager
def counting_statements(engine):
    statements = []

    def count(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(db, client, path: str) -> list[str]:
    client.get(path)  # warm up: connections, first-use caches
    with counting_statements(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


def grow(db, actors, first: Built, dossiers: int, interventions: int) -> None:
    """Add dossiers of both workflows, interventions, edits, transitions and a removal."""
    for number in range(dossiers):
        actor = actors[number % len(actors)]
        workflow = "protocole-nicolet-yamaska" if number % 3 == 0 else "accompagnement"
        objectives = ["accueil-orientation", "viabilite"] if number % 3 == 0 else []
        built_dossier(db, actor, workflow=workflow, objectives=objectives,
                      title=f"Projet collectif numéro {number}", interventions=interventions,
                      contacts=[services.ContactFields("Ana Tremblay", "ana@coop-village.ca", ""),
                                services.ContactFields("Luc Gagnon", "", "819-555-0102")])
    dossier = db.session.get(Dossier, first.id)
    follow_ups = [add_intervention(dossier, actors[number % len(actors)],
                                   ("gouvernance", "plan-affaires", "info-es"),
                                   occurred_on=date(2025, 2, 1), minutes=45,
                                   notes=f"Suivi {number}")
                  for number in range(interventions - 1)]
    for number in range(3):
        services.update_dossier(dossier, actors[number % len(actors)], None, dossier_fields(**{
            **VILLAGE, "advisor": actors[(number + 1) % len(actors)],
            "title": f"Coopérative, version {number}",
            "contacts": [services.ContactFields("Ana Tremblay", "ana@coop-village.ca", ""),
                         services.ContactFields("Luc Gagnon", "", str(number))]}))
    referral = referrals.refer_through_workflow(dossier, actors[0], None, referrals.ReferralFields(
        organisation("mrc-drummond"), "Vers la MRC."))
    for number in range(3):
        referrals.add_note(referral, actors[0], f"Note {number}")
    services.apply_transition(dossier, actors[0], "return_to_reception", None, comment="Retour.")
    services.remove_intervention(follow_ups[-1], actors[0], None, "Doublon.")
    db.session.commit()


def test_pages_cost_the_same_statements_with_ten_times_the_data(db, advisor, coordinator,
                                                                 advisor_client):
    other = make_user("advisor", full_name="Autre conseillère")
    first = built_dossier(db, advisor, interventions=1)
    referrals.send(db.session.get(Dossier, first.id), advisor, None, referrals.ReferralFields(
        organisation("mrc-becancour"), "Premier référencement."))
    db.session.commit()
    for number in range(2):
        built_dossier(db, coordinator, interventions=1, title=f"Petit dossier {number}")
    paths = ["/dossiers/?scope=all", f"/dossiers/{first.id}"]
    small = {path: statements_for(db, advisor_client, path) for path in paths}

    grow(db, [advisor, coordinator, other], first, dossiers=27, interventions=6)
    counts, *_ = snapshot(db)
    assert (counts["dossier"], counts["intervention"]) == (30, 3 + 27 * 6 + 5 - 1)
    assert counts["audit_event"] > 200
    large = {path: statements_for(db, advisor_client, path) for path in paths}

    for path in paths:
        assert len(large[path]) == len(small[path]), (path, small[path], large[path])
    # The large caseload really shows a full page, and the dossier its history.
    assert "Projet collectif numéro" in page_text(advisor_client.get(paths[0]))
    assert "Changement d'étape" in page_text(advisor_client.get(paths[1]))
