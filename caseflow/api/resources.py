"""The operations of /api/v1: each one checks access with the pages' own functions and
changes data only through the services, so the API cannot do what the pages refuse."""


from flask import abort, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from caseflow.api import schemas
from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.auth.models import STAFF, User
from caseflow.database import hub_today
from caseflow.dossiers import choices as dossier_choices
from caseflow.dossiers import queries
from caseflow.dossiers import services as dossier_services
from caseflow.dossiers.access import visible_dossier, visible_to
from caseflow.dossiers.models import Dossier, Intervention
from caseflow.dossiers.workflows import DEFAULT_WORKFLOW, engine
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.financing import services as financing
from caseflow.i18n import language
from caseflow.reference.lookups import by_code
from caseflow.reference.models import Fund, Organisation, Subject
from caseflow.referrals import services as referrals
from caseflow.referrals.lifecycle import PARTNER_STATES
from caseflow.referrals.models import Referral
from caseflow.reports import services as report_services
from caseflow.reports.figures import compute
from caseflow.reports.periods import PeriodError, fiscal_year_of, parse_period

blp = Blueprint("api", __name__, url_prefix="/api/v1",
                description="Dossiers, referrals, financing and the report of the hub.")



def fails(*answers: tuple[int, str]):
    """Document the error answers of an operation: problem documents (RFC 9457)."""
    def document(view):
        for status, description in reversed(answers):
            view = blp.alt_response(status, schema=schemas.ProblemSchema,
                                    description=description,
                                    content_type="application/problem+json")(view)
        return view
    return document


def hidden(thing: str) -> tuple[int, str]:
    return 404, f"No such {thing}, or not mine to see"


def stale(thing: str) -> tuple[int, str]:
    return 409, f"The {thing} changed since `version`"


NO_TOKEN = (401, "No valid token")
REFUSED = (422, "Refused input")
READS_DOSSIER = (NO_TOKEN, hidden("dossier"))
CHANGES_DOSSIER = (*READS_DOSSIER, stale("dossier"), REFUSED)


def require(*roles: str, about_object: bool = True) -> None:
    """Refuse a role the operation is not for: 404 on an object, as for a missing one."""
    if current_user.role not in roles:
        abort(404 if about_object else 403)


def _dossier(dossier_id: int, *, lock: bool = False, staff_only: bool = False) -> Dossier:
    if staff_only:
        require(*STAFF)
    return visible_dossier(dossier_id, current_user, lock=lock)


class _SharedDossier:
    """A dossier as a partner sees it: its facts, the contacts only with the group's consent."""

    def __init__(self, dossier: Dossier, contacts: list):
        self._dossier = dossier
        self.contacts = contacts

    def __getattr__(self, name):
        return getattr(self._dossier, name)


def _dossier_answer(dossier: Dossier):
    if current_user.role in STAFF:
        return dossier
    shared = any(r.consent_to_share for r in referrals.active_for(current_user, dossier.id))
    return _SharedDossier(dossier, dossier.contacts if shared else [])


# ---- dossiers ------------------------------------------------------------------------

@blp.route("/dossiers")
class Dossiers(MethodView):
    @blp.arguments(schemas.CaseloadQuerySchema, location="query")
    @blp.response(200, schemas.DossierPageSchema)
    @fails(NO_TOKEN, (422, "Invalid filters"))
    def get(self, query):
        """List the dossiers I may see, with the caseload's filters, newest first.

        Keyset pagination: pass the previous page's `next` as `after`."""
        staff = current_user.role in STAFF
        scope = query["scope"] or ("mine" if current_user.role == "advisor" else "all")
        filters = queries.CaseloadFilters(
            q=query["q"], scope=scope if staff else "all", state=query["state"],
            territory=query["territory"], sector=query["sector"],
            follow_up=query["follow_up"])
        statement = queries.filtered(filters, current_user).where(visible_to(current_user))
        try:
            after = int(query["after"]) if query["after"] else None
        except ValueError:
            after = -1
        if after is not None and not 0 < after < schemas.MAX_INT:
            abort(422, description=_("Valeur « after » invalide : reprenez celle de la page "
                                     "précédente."))
        if after is not None:
            statement = statement.where(Dossier.id < after)
        limit = query["limit"]
        statement = statement.order_by(None).order_by(Dossier.id.desc())  # keyset: by id
        rows = list(db.session.scalars(statement.limit(limit + 1)))
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": [_dossier_answer(d) for d in rows],
                "next": str(rows[-1].id) if more else None}

    @blp.arguments(schemas.DossierInputSchema)
    @blp.response(201, schemas.DossierSchema)
    @fails(NO_TOKEN, (403, "Not for this role"), REFUSED)
    def post(self, data):
        """Open a dossier (the hub's staff)."""
        require(*STAFF, about_object=False)
        workflow = data["workflow"] or DEFAULT_WORKFLOW
        if workflow not in engine().definitions:
            raise DomainError(_("Processus inconnu."), "workflow")
        dossier = dossier_services.open_dossier(current_user, _fields(data), workflow)
        return dossier, 201, {"Location": url_for("api.DossierResource", dossier_id=dossier.id)}


def _advisor(advisor_id):
    if advisor_id is None:
        return None
    advisor = db.session.get(User, advisor_id)
    if advisor is None:
        raise DomainError(_("Le dossier doit être confié à une personne du Pôle."),
                          "advisor_id")
    return advisor


def _fields(data: dict, dossier: Dossier | None = None) -> dossier_services.DossierFields:
    """Turn the JSON of a dossier into the service's fields; an edit keeps what is left out."""
    current = {}
    if dossier is not None:
        current = {name: getattr(dossier, name) for name in dossier_choices.DOSSIER_LISTS}
        current.update(title=dossier.title, description=dossier.description,
                       promoter_name=dossier.promoter_name, women_count=dossier.women_count,
                       men_count=dossier.men_count, advisor=dossier.advisor,
                       opened_on=dossier.opened_on, objectives=dossier.protocol_objectives,
                       contacts=[dossier_services.ContactFields(c.name, c.email, c.phone)
                                 for c in dossier.contacts])
    values = dict(current)
    for name, model in dossier_choices.DOSSIER_LISTS.items():
        if name in data:
            values[name] = by_code(model, data[name])
    for name in ("title", "description", "promoter_name", "women_count", "men_count",
                 "opened_on", "objectives"):
        if name in data:
            values[name] = data[name]
    if "advisor_id" in data:
        values["advisor"] = _advisor(data["advisor_id"])
    elif dossier is None:
        values["advisor"] = current_user
    if dossier is None:
        values.setdefault("opened_on", None)
    if "contacts" in data:
        values["contacts"] = [dossier_services.ContactFields(**c) for c in data["contacts"]]
    values.setdefault("description", "")
    return dossier_services.DossierFields(**values)


@blp.route("/dossiers/<int:dossier_id>")
class DossierResource(MethodView):
    @blp.response(200, schemas.DossierSchema)
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """Read a dossier."""
        return _dossier_answer(_dossier(dossier_id))

    @blp.arguments(schemas.DossierEditSchema)
    @blp.response(200, schemas.DossierSchema)
    @fails(*CHANGES_DOSSIER)
    def patch(self, data, dossier_id):
        """Change a dossier's facts; fields left out keep their value."""
        dossier = _dossier(dossier_id, lock=True, staff_only=True)
        dossier_services.update_dossier(dossier, current_user, data["version"],
                                        _fields(data, dossier))
        return dossier


@blp.route("/dossiers/<int:dossier_id>/transitions")
class Transitions(MethodView):
    @blp.response(200, schemas.TransitionOptionSchema(many=True))
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """List the transitions my role may take from the dossier's step, and why one is
        not possible now."""
        dossier = _dossier(dossier_id, staff_only=True)
        lang = language()
        return [{"trigger": t.trigger, "label": t.label(lang), "destination": t.dest,
                 "fields": list(t.fields), "allowed": refusal is None,
                 "refusal": _(refusal.message, **refusal.params) if refusal else None}
                for t, refusal in engine().options(dossier, dossier_services.actor_of(
                    current_user), language=lang)]

    @blp.arguments(schemas.TransitionInputSchema)
    @blp.response(200, schemas.DossierSchema)
    @fails(*READS_DOSSIER, stale("dossier"),
           (422, "Transition refused or a field it needs is missing"))
    def post(self, data, dossier_id):
        """Move the dossier along a transition, giving the version I saw."""
        dossier = _dossier(dossier_id, lock=True, staff_only=True)
        chosen = engine().definition(dossier.workflow).transition(data["trigger"],
                                                                  dossier.state)
        if chosen is not None and "referral" in chosen.fields:
            organisation = by_code(Organisation, data["organisation"])
            referrals.refer_through_workflow(
                dossier, current_user, data["version"], referrals.ReferralFields(
                    organisation, data["comment"], data["request"]),
                trigger=data["trigger"], language=language())
        else:
            dossier_services.apply_transition(
                dossier, current_user, data["trigger"], data["version"],
                comment=data["comment"], outcome=data["outcome"], language=language())
        return dossier


# ---- interventions -------------------------------------------------------------------

def _intervention_answer(intervention: Intervention) -> dict:
    hidden = intervention.private and current_user.role not in STAFF
    return {"id": intervention.id, "occurred_on": intervention.occurred_on,
            "kind": intervention.kind, "minutes": intervention.minutes,
            "notes": "" if hidden else intervention.notes, "private": intervention.private,
            "subjects": [s.code for s in intervention.subjects],
            "author_id": intervention.author_id}


@blp.route("/dossiers/<int:dossier_id>/interventions")
class Interventions(MethodView):
    @blp.response(200, schemas.InterventionSchema(many=True))
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """List a dossier's interventions, newest first (partners: without internal notes)."""
        return [_intervention_answer(i) for i in _dossier(dossier_id).interventions]

    @blp.arguments(schemas.InterventionInputSchema)
    @blp.response(201, schemas.InterventionSchema)
    @fails(*CHANGES_DOSSIER)
    def post(self, data, dossier_id):
        """Log an intervention (internal note by default)."""
        dossier = _dossier(dossier_id, lock=True, staff_only=True)
        subjects = [by_code(Subject, code) for code in data["subjects"]]
        if any(subject is None for subject in subjects):
            raise DomainError(_("Sujet inconnu."), "subjects")
        if data["occurred_on"] > hub_today():
            raise DomainError(_("La date ne peut pas être dans le futur."), "occurred_on")
        if data["occurred_on"] < dossier_services.EARLIEST:
            raise DomainError(_("Cette date est trop ancienne (avant 1950)."), "occurred_on")
        intervention = dossier_services.add_intervention(
            dossier, current_user, data["version"], dossier_services.InterventionFields(
                occurred_on=data["occurred_on"], kind=data["kind"], subjects=subjects,
                minutes=data["minutes"], notes=data["notes"], private=data["private"]))
        return _intervention_answer(intervention), 201


# ---- referrals -----------------------------------------------------------------------

def _referral(referral_id: int) -> Referral:
    referral = referrals.visible_referral(referral_id, current_user)
    if referral is None:
        abort(404)
    return referral


@blp.route("/dossiers/<int:dossier_id>/referrals")
class DossierReferrals(MethodView):
    @blp.response(200, schemas.ReferralSchema(many=True))
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """List a dossier's referrals (a partner: those to their organisation)."""
        dossier = _dossier(dossier_id)
        if current_user.role in STAFF:
            return dossier.referrals
        return referrals.active_for(current_user, dossier.id)

    @blp.arguments(schemas.ReferralInputSchema)
    @blp.response(201, schemas.ReferralSchema)
    @fails(*CHANGES_DOSSIER)
    def post(self, data, dossier_id):
        """Refer the dossier to an organisation, outside any change of its step."""
        dossier = _dossier(dossier_id, lock=True, staff_only=True)
        fields = referrals.ReferralFields(by_code(Organisation, data["organisation"]),
                                          data["reason"], data["request"],
                                          data["consent_to_share"])
        return referrals.send(dossier, current_user, data["version"], fields), 201


@blp.route("/referrals")
class ReferralList(MethodView):
    @blp.arguments(schemas.ReferralQuerySchema, location="query")
    @blp.response(200, schemas.ReferralSchema(many=True))
    @fails(NO_TOKEN, (422, "Invalid filter"))
    def get(self, query):
        """A partner's inbox (every referral to their organisation they still see); for the
        hub's staff, every referral. Filter by `state`."""
        statement = select(Referral).order_by(Referral.sent_at.desc(), Referral.id.desc())
        if current_user.role not in STAFF:
            statement = statement.where(Referral.organisation_id == current_user.organisation_id,
                                        Referral.state.in_(PARTNER_STATES))
        if query["state"]:
            statement = statement.where(Referral.state == query["state"])
        return list(db.session.scalars(statement.limit(500)))


@blp.route("/referrals/<int:referral_id>")
class ReferralResource(MethodView):
    @blp.response(200, schemas.ReferralSchema)
    @fails(NO_TOKEN, hidden("referral"))
    def get(self, referral_id):
        """Read a referral."""
        return _referral(referral_id)


@blp.route("/referrals/<int:referral_id>/answers")
class Answers(MethodView):
    @blp.arguments(schemas.AnswerInputSchema)
    @blp.response(200, schemas.ReferralSchema)
    @fails(NO_TOKEN, hidden("referral"), stale("referral"), (422, "Refused answer"))
    def post(self, data, referral_id):
        """Answer a referral: acknowledge, accept, return or complete (partners), withdraw
        (the hub), giving the referral's version I saw."""
        referral = _referral(referral_id)
        return referrals.act(referral, current_user, data["action"], data["version"],
                             text=data["text"], result=data["result"])


# ---- financing -----------------------------------------------------------------------

@blp.route("/dossiers/<int:dossier_id>/financing-lines")
class FinancingLines(MethodView):
    @blp.response(200, schemas.FinancingLineSchema(many=True))
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """List a dossier's financing lines (the hub's staff)."""
        return _dossier(dossier_id, staff_only=True).financing_lines

    @blp.arguments(schemas.FinancingInputSchema)
    @blp.response(201, schemas.FinancingLineSchema)
    @fails(*CHANGES_DOSSIER)
    def post(self, data, dossier_id):
        """Record an application to a fund, or its decision."""
        dossier = _dossier(dossier_id, lock=True, staff_only=True)
        organisation = None
        if data["organisation"]:
            organisation = by_code(Organisation, data["organisation"])
            if organisation is None:
                raise DomainError(_("Organisation inconnue."), "organisation")
        fields = financing.FinancingFields(
            fund=by_code(Fund, data["fund"]), decision=data["decision"],
            amount_requested=data["amount_requested"],
            amount_authorised=data["amount_authorised"], decided_on=data["decided_on"],
            investment=data["investment"], jobs_created=data["jobs_created"],
            jobs_maintained=data["jobs_maintained"], organisation=organisation,
            notes=data["notes"])
        return financing.add_line(dossier, current_user, data["version"], fields), 201


# ---- audit and report ----------------------------------------------------------------

@blp.route("/dossiers/<int:dossier_id>/events")
class Events(MethodView):
    @blp.response(200, schemas.AuditEventSchema(many=True))
    @fails(*READS_DOSSIER)
    def get(self, dossier_id):
        """A dossier's audit events, oldest first (the hub's staff)."""
        dossier = _dossier(dossier_id, staff_only=True)
        events = reveal(db.session.scalars(select(AuditEvent).where(
            AuditEvent.dossier_id == dossier.id).order_by(AuditEvent.seq)))
        return [{"seq": e.seq, "at": e.occurred_at, "action": e.action,
                 "entity_type": e.entity_type, "entity_id": e.entity_id,
                 "actor_id": e.actor_id, "changes": e.changes or {}, "reason": e.reason}
                for e in events]


@blp.route("/report")
class Report(MethodView):
    @blp.arguments(schemas.ReportQuerySchema, location="query")
    @blp.response(200, schemas.ReportSchema)
    @fails(NO_TOKEN, (403, "Not for this role"), (422, "Invalid period"))
    def get(self, query):
        """The report of a period, as published if it was (the coordination)."""
        require("coordinator", about_object=False)
        if query["period"]:
            try:
                period = parse_period(query["period"])
            except PeriodError:
                raise DomainError(_("Période invalide : choisissez une année financière "
                                    "(2017-2018) ou deux dates, la seconde après la "
                                    "première."), "period") from None
        else:
            period = fiscal_year_of(hub_today()).previous()
        report = report_services.published(period)
        figures = report.figures if report else compute(period)
        return {"period": period.label, "published": report is not None, "figures": figures}
