"""Plain functions that build test data through the service layer."""

import itertools
import re

from sqlalchemy import select

from caseflow.auth.models import User
from caseflow.auth.services import create_user
from caseflow.database import hub_today
from caseflow.extensions import db
from caseflow.reference.models import Organisation

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def organisation(code: str) -> Organisation:
    """Return a seeded organisation by its code."""
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def make_user(role: str = "advisor", *, email: str | None = None,
              organisation_code: str | None = None, password: str = PASSWORD,
              active: bool = True, full_name: str | None = None,
              locale: str | None = None) -> User:
    """Create and commit a user; partners default to the MRC de Bécancour."""
    if role == "partner" and organisation_code is None:
        organisation_code = "mrc-becancour"
    email = email or f"{role}{next(_sequence)}@exemple.test"
    user = create_user(email, full_name or f"Test {role}", role, password,
                       organisation(organisation_code) if organisation_code else None, locale)
    user.active = active
    db.session.commit()
    return user


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """Return the CSRF token of the client's session, as a page would carry it."""
    response = client.get(path)
    match = CSRF_META.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD, follow: bool = False):
    """Log a client in through the login form."""
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token}, follow_redirects=follow)


def logout(client):
    """Log a client out through the logout button."""
    token = csrf_token(client, "/")
    return client.post("/logout", data={"csrf_token": token})


def dossier_fields(**overrides):
    """Return valid dossier fields, with reference values looked up by code."""
    from caseflow.dossiers.services import ContactFields, DossierFields
    from caseflow.reference.models import (
        LegalForm,
        Origin,
        PromoterGender,
        Sector,
        Stage,
        Territory,
    )

    def item(model, code):
        return db.session.scalar(select(model).where(model.code == code))

    values = {
        "title": "Épicerie coopérative de Gentilly",
        "promoter_name": "Comité promoteur de Gentilly",
        "promoter_gender": item(PromoterGender, overrides.pop("gender", "femme")),
        "territory": item(Territory, overrides.pop("territory_code", "becancour")),
        "sector": item(Sector, overrides.pop("sector_code", "commerce-detail")),
        "stage": item(Stage, "predemarrage"),
        "legal_form": item(LegalForm, overrides.pop("legal_form_code", "cooperative")),
        "origin": item(Origin, "direct"),
        "women_count": 3,
        "men_count": 1,
        "contacts": [ContactFields("Présidence du comité", "comite@gentilly.exemple")],
    }
    values.update(overrides)
    return DossierFields(**values)


def make_dossier(actor, workflow: str = "accompagnement", **overrides):
    """Open and commit a dossier through the service layer."""
    from caseflow.dossiers.services import open_dossier

    fields = dossier_fields(advisor=overrides.pop("advisor", actor), **overrides)
    dossier = open_dossier(actor, fields, workflow)
    db.session.commit()
    return dossier


def add_intervention(dossier, actor, subjects=("info-programmes",), **overrides):
    """Log and commit an intervention through the service layer."""

    from caseflow.dossiers.services import InterventionFields
    from caseflow.dossiers.services import add_intervention as add
    from caseflow.reference.models import Subject

    fields = InterventionFields(
        occurred_on=overrides.pop("occurred_on", hub_today()),
        kind=overrides.pop("kind", "meeting"),
        subjects=list(db.session.scalars(select(Subject).where(Subject.code.in_(subjects)))),
        minutes=overrides.pop("minutes", 60), notes=overrides.pop("notes", ""))
    intervention = add(dossier, actor, dossier.version, fields)
    db.session.commit()
    return intervention


def make_dossier_form(**changes) -> dict:
    """Return a valid new-dossier form as a browser posts it, with `changes` applied."""
    form = {
        "title": "Coopérative agricole du village", "promoter_name": "Groupe promoteur",
        "description": "Une coopérative de producteurs maraîchers.",
        "workflow": "accompagnement", "promoter_gender": "femme", "women_count": "2",
        "men_count": "1", "territory": "becancour", "sector": "agriculture",
        "stage": "predemarrage", "legal_form": "cooperative", "origin": "direct",
        "advisor": "", "opened_on": "2025-01-15",
        "contacts-0-name": "Ana Tremblay", "contacts-0-email": "ana@coop-village.ca",
        "contacts-0-phone": "819-555-0101",
        "contacts-1-name": "", "contacts-1-email": "", "contacts-1-phone": "",
        "contacts-2-name": "", "contacts-2-email": "", "contacts-2-phone": "",
    }
    form.update(changes)
    return form


def make_dossier_edit_form(version: int, **changes) -> dict:
    """Return a valid dossier edit form at `version`, with `changes` applied."""
    form = make_dossier_form(title="Coopérative agricole du village (corrigé)",
                             version=str(version))
    del form["workflow"]
    form.update(changes)
    return form


def make_intervention_form(version: int, **changes) -> dict:
    """Return a valid intervention form at the dossier's `version`, with `changes` applied."""
    form = {"version": str(version), "occurred_on": "2025-03-03", "kind": "call",
            "subjects": ["plan-affaires", "gouvernance"], "minutes": "30",
            "notes": "Appel de suivi du plan d'affaires."}
    form.update(changes)
    return form


def page_text(response) -> str:
    """Return a page's text as a person reads it (HTML entities decoded)."""
    import html

    return html.unescape(response.get_data(as_text=True))


def refer(dossier, actor, organisation_code: str = "mrc-becancour", consent: bool = False,
          reason: str = "Demande au fonds dédié de la MRC."):
    """Refer and commit a dossier to an organisation through the service layer."""
    from caseflow.referrals.services import ReferralFields, send

    referral = send(dossier, actor, dossier.version, ReferralFields(
        organisation(organisation_code), reason, "Analyser la demande", consent))
    db.session.commit()
    return referral


def fr(text: str) -> str:
    """Return French text as the app prints it: a non-breaking space before each colon and
    inside guillemets, as French typography sets them."""
    from caseflow.i18n import typeset

    return typeset(text)


def plain_text(response) -> str:
    """Return a page's words without markup, spaces collapsed, as a reader sees them."""
    import html
    import re

    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(words)).replace(" :", " :")


def give_consent(dossier, actor, purpose: str = "share_contacts",
                 organisation_code: str | None = "mrc-becancour", method: str = "written",
                 **dates):
    """Record a promoter group's consent for a purpose (with an organisation)."""
    from caseflow.privacy.consents import ConsentFields, record_consent

    consent = record_consent(dossier, actor, dossier.version, ConsentFields(
        purpose, organisation(organisation_code) if organisation_code else None, method,
        **dates))
    db.session.commit()
    return consent
