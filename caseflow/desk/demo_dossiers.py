"""About sixty demo dossiers across the five MRCs, created through the services.

Every dossier, intervention and transition goes through the same service functions as
the interface, so the demo's audit trail is real. A fixed seed makes the demo identical
from one install to the next.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from caseflow.auth.models import User
from caseflow.database import HUB_TIME_ZONE, hub_today, utcnow
from caseflow.documents import services as documents
from caseflow.documents.demo import tiny_pdf
from caseflow.documents.models import DocumentKind
from caseflow.documents.views import upload_folder
from caseflow.dossiers import services
from caseflow.dossiers.models import Counter
from caseflow.dossiers.services import ContactFields, DossierFields, InterventionFields
from caseflow.extensions import db
from caseflow.financing import services as financing
from caseflow.reference.models import (
    Fund,
    LegalForm,
    Organisation,
    Origin,
    PromoterGender,
    Sector,
    Stage,
    Subject,
    Territory,
)
from caseflow.referrals import services as referrals

MARKER = "demo-dossiers"
DOSSIER_COUNT = 60

PLACES = {
    "arthabaska": ["Victoriaville", "Warwick", "Kingsey Falls", "Saint-Albert"],
    "becancour": ["Bécancour", "Gentilly", "Saint-Pierre-les-Becquets", "Fortierville"],
    "drummond": ["Drummondville", "Saint-Cyrille-de-Wendover", "Wickham", "Saint-Germain"],
    "erable": ["Plessisville", "Princeville", "Lyster", "Laurierville"],
    "nicolet-yamaska": ["Nicolet", "Pierreville", "Saint-Léonard-d'Aston", "Baie-du-Febvre"],
}

PROJECTS = {
    "services-personnes": ["Coopérative de services à domicile", "Répit pour proches aidants",
                           "Halte-garderie communautaire"],
    "commerce-detail": ["Épicerie coopérative", "Friperie solidaire", "Magasin général"],
    "emploi": ["Entreprise d'insertion en menuiserie", "Plateau de travail en récupération"],
    "services-proximite": ["Dépanneur coopératif", "Transport collectif rural"],
    "services-entreprises": ["Coopérative de travail en comptabilité",
                             "Services informatiques partagés"],
    "assurances": ["Mutuelle de prévention"],
    "culture": ["Théâtre d'été", "Centre d'artistes autogéré", "Diffuseur de spectacles"],
    "sante": ["Coopérative de santé", "Clinique de physiothérapie solidaire"],
    "agriculture": ["Jardins collectifs", "Abattoir de proximité", "Serre communautaire"],
    "numerique": ["Coopérative de développement web", "Laboratoire de fabrication numérique"],
    "loisir": ["Centre de plein air", "Camp de jour communautaire", "Club de ski de fond"],
}

CONTACT_ROLES = ["Présidence du comité promoteur", "Secrétariat du conseil provisoire",
                 "Direction générale", "Trésorerie du groupe"]

# Paths through each workflow: (triggers in order, objectives served when a protocol).
PATHS = {
    "accompagnement": [
        ["close"], ["refer"], ["refer", "return_to_reception"], ["start_constitution"],
        ["start_constitution", "start_financing"], ["refer", "start_financing"],
        ["refer", "start_financing", "start_follow_up"],
        ["start_constitution", "start_financing", "start_follow_up", "close"],
        ["refer", "close"], ["close", "reopen"], [],
    ],
    "protocole-nicolet-yamaska": [
        [], ["analyse"], ["analyse", "accompany"], ["refer"], ["analyse", "close"],
        ["accompany", "start_follow_up"], ["refer", "close"],
    ],
}
PROTOCOL_OBJECTIVES = ["accueil-orientation", "analyse-besoins", "viabilite", "accompagnement",
                       "plan-affaires", "documents-constitutifs", "outils-gestion"]
OUTCOMES = ["formalise", "entreprise-traditionnelle", "travail-autonome",
            "hors-economie-sociale", "ne-pas-formaliser", "accompagnement-complete"]
NOTES = [
    "Présentation des structures de l'économie sociale et des étapes de démarrage.",
    "Revue du projet de charte et des règlements généraux avec le comité.",
    "Discussion sur le montage financier et les programmes admissibles.",
    "Appel de suivi : le groupe valide son intérêt avant la prochaine rencontre.",
    "Envoi d'outils de gestion et d'un gabarit de plan d'affaires.",
    "Préparation de l'assemblée de fondation.",
]


def _pick(items_by_code: dict, rng: random.Random, code: str | None = None):
    return items_by_code[code] if code else rng.choice(list(items_by_code.values()))


def _catalogue(model) -> dict:
    return {item.code: item for item in db.session.scalars(select(model))}


def load_demo_dossiers(today: date | None = None) -> int:
    """Create the demo dossiers once; return how many were created."""
    if db.session.get(Counter, MARKER) is not None:
        return 0
    today = today or hub_today()
    rng = random.Random(2026)
    advisors = list(db.session.scalars(select(User).where(User.role == "advisor")
                                       .order_by(User.email)))
    coordinator = db.session.scalar(select(User).where(User.role == "coordinator")
                                    .order_by(User.email))
    if not advisors or coordinator is None:
        return 0
    lists = {model: _catalogue(model) for model in
             (Territory, Sector, Stage, LegalForm, Origin, PromoterGender, Subject, Fund,
              DocumentKind)}
    start = date(today.year - 2 if today.month < 4 else today.year - 1, 4, 1)
    span = (today - start).days
    for number in range(DOSSIER_COUNT):
        territory = list(PLACES)[number % len(PLACES)]
        workflow = ("protocole-nicolet-yamaska" if territory == "nicolet-yamaska"
                    else "accompagnement")
        opened = start + timedelta(days=rng.randrange(max(span - 20, 1)))
        _demo_dossier(rng, lists, advisors, coordinator, territory, workflow, opened, today)
    db.session.add(Counter(name=MARKER, value=DOSSIER_COUNT))
    db.session.flush()
    return DOSSIER_COUNT


def _demo_dossier(rng, lists, advisors, coordinator, territory, workflow, opened, today):
    sector = _pick(lists[Sector], rng)
    place = rng.choice(PLACES[territory])
    title = f"{rng.choice(PROJECTS[sector.code])} de {place}"
    advisor = rng.choice(advisors)
    gender = rng.choices(["femme", "homme", "les-deux"], weights=[6, 3, 1])[0]
    women = rng.randint(1, 5) if gender in ("femme", "les-deux") else rng.randint(0, 2)
    men = rng.randint(1, 4) if gender in ("homme", "les-deux") else rng.randint(0, 2)
    slug = "".join(c for c in place.lower() if c.isalnum())[:12]
    fields = DossierFields(
        title=title, promoter_name=f"Comité promoteur de {place}",
        description=f"{title} : accompagnement du groupe promoteur dans son projet collectif.",
        promoter_gender=lists[PromoterGender][gender], women_count=women, men_count=men,
        territory=lists[Territory][territory], sector=sector,
        stage=_pick(lists[Stage], rng), legal_form=_pick(lists[LegalForm], rng),
        origin=_pick(lists[Origin], rng), advisor=advisor, opened_on=opened,
        contacts=[ContactFields(rng.choice(CONTACT_ROLES), f"info@{slug}.exemple",
                                f"819 555-{rng.randint(1000, 9999)}")],
        objectives=(rng.sample(PROTOCOL_OBJECTIVES, rng.randint(1, 3))
                    if workflow != "accompagnement" else []))
    dossier = services.open_dossier(advisor, fields, workflow)
    moment = opened
    subjects = list(lists[Subject].values())
    for _ in range(rng.randint(1, 4)):
        moment = min(moment + timedelta(days=rng.randint(3, 40)), today)
        services.add_intervention(dossier, advisor, dossier.version, InterventionFields(
            occurred_on=moment, kind=rng.choice(["meeting", "call", "email", "meeting"]),
            subjects=rng.sample(subjects, rng.randint(1, 3)),
            minutes=rng.choice([30, 45, 60, 90, 120]), notes=rng.choice(NOTES)))
    entered = opened
    for trigger in rng.choice(PATHS[workflow]):
        moment = min(moment + timedelta(days=rng.randint(5, 60)), today)
        entered = moment
        actor = coordinator if trigger == "reopen" else advisor
        if trigger == "start_constitution":
            _start_documents(dossier, advisor, lists, rng, moment)
        if trigger == "start_financing":
            _complete_documents(dossier, advisor, lists, moment)
        if trigger == "refer":
            _refer(dossier, advisor, rng, moment)
            db.session.flush()
            continue
        services.apply_transition(
            dossier, actor, trigger, dossier.version, today=moment,
            comment="Suivi consigné lors de la démonstration." if trigger in (
                "refer", "return_to_reception", "return_to_accueil", "reopen") else "",
            outcome=rng.choice(OUTCOMES) if trigger == "close" else None)
        db.session.flush()
        if trigger == "start_financing":
            _apply_for_financing(dossier, advisor, lists, rng, moment)
    # The demo plays months of work in one run: each dossier entered its step when the
    # story says, so the dashboard's aging reads as a hub's would.
    dossier.state_entered_at = min(datetime.combine(entered, time(10), tzinfo=HUB_TIME_ZONE),
                                   utcnow())
    _decide_financing(dossier, advisor, rng, today)


def _upload(dossier, advisor, kind, name: str, lines: list[str]) -> None:


    documents.attach(dossier, advisor, dossier.version, kind, name, tiny_pdf(*lines),
                     upload_folder(), current_app.config["UPLOAD_MAX_BYTES"])


def _start_documents(dossier, advisor, lists, rng, moment) -> None:
    """Receive first drafts of the charter and by-laws."""
    for code in ("charte", "reglements-generaux"):
        kind = lists[DocumentKind][code]
        _upload(dossier, advisor, kind, f"{code}-projet.pdf",
                [kind.label_fr, dossier.title, f"Projet reçu le {moment.isoformat()}"])


def _complete_documents(dossier, advisor, lists, moment) -> None:
    """Validate what the legal form requires, as the advisor would before financing."""

    for kind in lists[DocumentKind].values():
        if dossier.legal_form.code in kind.required_for:
            item = next((i for i in dossier.documents if i.kind_id == kind.id), None)
            if item is None or not item.attachments:
                _upload(dossier, advisor, kind, f"{kind.code}.pdf",
                        [kind.label_fr, dossier.title, "Version adoptée"])
            documents.set_status(dossier, advisor, dossier.version, kind, "validated", None)
    plan = lists[DocumentKind]["plan-affaires"]
    documents.set_status(dossier, advisor, dossier.version, plan, "review",
                         moment + timedelta(days=30))


def _mrc_of(dossier):

    return db.session.scalar(select(Organisation).where(
        Organisation.kind == "mrc", Organisation.territory_id == dossier.territory_id))


def _apply_for_financing(dossier, advisor, lists, rng, moment) -> None:
    """Apply to the MRC's dedicated fund and, sometimes, to the local investment fund."""

    funds = [("fdt-es", rng.randrange(10_000, 40_000, 500))]
    if rng.random() < 0.4:
        funds.append(("fli", rng.randrange(15_000, 60_000, 1000)))
    for code, amount in funds:
        financing.add_line(dossier, advisor, dossier.version, financing.FinancingFields(
            fund=lists[Fund][code], organisation=_mrc_of(dossier), decision="pending",
            amount_requested=Decimal(amount), investment=Decimal(0)))


def _decide_financing(dossier, advisor, rng, today) -> None:
    """Record the MRC's decisions on dossiers that moved past financing."""

    if dossier.state not in ("follow_up", "closed"):
        return
    for line in list(dossier.financing_lines):
        authorised = rng.random() < 0.8
        decided_on = min(dossier.opened_on + timedelta(days=rng.randint(60, 200)), today)
        financing.update_line(line, dossier, advisor, dossier.version, financing.FinancingFields(
            fund=line.fund, organisation=line.organisation, amount_requested=line.amount_requested,
            decision="authorised" if authorised else "refused",
            amount_authorised=(line.amount_requested * Decimal(rng.choice([1, 1, 0.8, 0.6]))
                               ).quantize(Decimal("1")) if authorised else None,
            decided_on=decided_on,
            # The project's investment and jobs are carried once, by its dedicated-fund line.
            investment=Decimal(rng.randrange(60_000, 600_000, 5000))
            if authorised and line.fund.code == "fdt-es" else Decimal(0),
            jobs_created=rng.randint(0, 4) if authorised and line.fund.code == "fdt-es" else 0,
            jobs_maintained=rng.randint(0, 6)
            if authorised and line.fund.code == "fdt-es" else 0))


REFERRAL_REASONS = [
    "Le projet est prêt pour une demande au fonds dédié à l'économie sociale de la MRC.",
    "Le groupe a besoin d'un accompagnement au plan d'affaires avec la MRC.",
    "Le promoteur préfère le mode traditionnel : accompagnement par la MRC.",
    "Projet à la limite de l'action communautaire : référé pour préciser les objectifs.",
]
REFERRAL_ENDINGS = ["sent", "acknowledged", "accepted", "accepted", "completed", "returned",
                    "withdrawn"]


def _refer(dossier, advisor, rng, moment) -> None:
    """Refer the dossier to its MRC and play the partner's answers up to a chosen state."""

    partner_organisation = _mrc_of(dossier)
    if dossier.workflow != "accompagnement" and rng.random() < 0.3:

        partner_organisation = db.session.scalar(select(Organisation).where(
            Organisation.code == "cdc-nicolet-yamaska"))
    now = utcnow()
    sent = min(datetime.combine(moment, time(10), tzinfo=HUB_TIME_ZONE), now)
    referral = referrals.refer_through_workflow(
        dossier, advisor, dossier.version, referrals.ReferralFields(
            partner_organisation, rng.choice(REFERRAL_REASONS),
            "Analyser l'admissibilité du projet et confirmer la suite.", rng.random() < 0.7),
        today=moment, at=sent)

    def later(days_low: int, days_high: int) -> datetime:
        nonlocal sent
        sent = min(sent + timedelta(days=rng.randint(days_low, days_high), hours=3), now)
        return sent

    partner = db.session.scalar(select(User).where(
        User.role == "partner", User.organisation_id == partner_organisation.id))
    ending = rng.choice(REFERRAL_ENDINGS)
    if partner is None or ending == "sent":
        return
    if ending == "withdrawn":
        referrals.act(referral, advisor, "withdraw", referral.version,
                      "Le groupe a choisi de poursuivre avec le Pôle seulement.",
                      at=later(5, 30))
        return
    referrals.act(referral, partner, "acknowledge", referral.version, at=later(0, 6))
    if ending == "returned":
        referrals.act(referral, partner, "return", referral.version,
                      "Le projet relève plutôt de la CDC du territoire.", at=later(2, 12))
    elif ending in ("accepted", "completed"):
        referrals.act(referral, partner, "accept", referral.version, at=later(1, 15))
        referrals.add_note(referral, partner, "Première rencontre prévue avec le groupe.")
        if ending == "completed":
            referrals.act(referral, partner, "complete", referral.version,
                          "Demande déposée au comité d'investissement.", "successful",
                          at=later(20, 90))
