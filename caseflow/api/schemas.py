"""What the API reads and answers, as marshmallow schemas; the OpenAPI document is made
from them, so the contract and the checks of the input are one and the same."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

MAX_INT = 2**31 - 1
CODE = validate.Length(min=1, max=64)


class Text(fields.String):
    """A text no database refuses: no NUL or other control character but newline and tab."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
            raise ValidationError(str(_l("Ce champ contient un caractère invalide.")))
        return text


def _text(maximum: int, **options) -> Text:
    return Text(validate=validate.Length(max=maximum), **options)


def _code(**options) -> Text:
    return Text(validate=CODE, **options)


def _count(**options) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(0, 10_000), **options)


class Strict(Schema):
    class Meta:
        ordered = True


class ProblemSchema(Strict):
    """An error, as RFC 9457 describes it, in the language the client asked for."""

    class Meta:
        ordered = True
        unknown = "include"

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    request_id = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.Raw()), metadata={
        "description": "What was wrong with each field, by name."})


# ---- answers -------------------------------------------------------------------------

class ContactSchema(Strict):
    name = _text(200, required=True)
    email = _text(254, load_default="")
    phone = _text(40, load_default="")


class DossierSchema(Strict):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    promoter_name = fields.String(required=True)
    promoter_gender = fields.String(attribute="promoter_gender.code", required=True)
    women_count = fields.Integer(required=True)
    men_count = fields.Integer(required=True)
    territory = fields.String(attribute="territory.code", required=True)
    sector = fields.String(attribute="sector.code", required=True)
    stage = fields.String(attribute="stage.code", required=True)
    legal_form = fields.String(attribute="legal_form.code", required=True)
    origin = fields.String(attribute="origin.code", required=True)
    advisor_id = fields.Integer(allow_none=True, required=True)
    workflow = fields.String(required=True)
    state = fields.String(required=True)
    next_follow_up = fields.Date(allow_none=True, required=True)
    outcome = fields.String(allow_none=True, required=True)
    opened_on = fields.Date(required=True)
    updated_at = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={
        "description": "Send it back with a change: a stale version answers 409."})
    objectives = fields.List(fields.String(), attribute="protocol_objectives", required=True)
    contacts = fields.List(fields.Nested(ContactSchema), required=True)


class DossierPageSchema(Strict):
    items = fields.List(fields.Nested(DossierSchema), required=True)
    next = fields.String(allow_none=True, required=True, metadata={
        "description": "The `after` value of the next page, or null on the last page."})


class TransitionOptionSchema(Strict):
    trigger = fields.String(required=True)
    label = fields.String(required=True)
    destination = fields.String(required=True)
    needs = fields.List(fields.String(), required=True, data_key="fields", attribute="fields",
                        metadata={
        "description": "What the transition asks for: comment, outcome, referral."})
    allowed = fields.Boolean(required=True)
    refusal = fields.String(allow_none=True, required=True)


class InterventionSchema(Strict):
    id = fields.Integer(required=True)
    occurred_on = fields.Date(required=True)
    kind = fields.String(required=True)
    minutes = fields.Integer(allow_none=True, required=True)
    notes = fields.String(required=True)
    private = fields.Boolean(required=True)
    subjects = fields.List(fields.String(), required=True)
    author_id = fields.Integer(allow_none=True, required=True)


class ReferralSchema(Strict):
    id = fields.Integer(required=True)
    dossier_id = fields.Integer(required=True)
    dossier_reference = fields.String(attribute="dossier.reference", required=True)
    organisation = fields.String(attribute="organisation.code", required=True)
    state = fields.String(required=True)
    reason = fields.String(required=True)
    request = fields.String(required=True)
    sent_at = fields.DateTime(required=True)
    acknowledged_at = fields.DateTime(allow_none=True, required=True)
    accepted_at = fields.DateTime(allow_none=True, required=True)
    returned_at = fields.DateTime(allow_none=True, required=True)
    completed_at = fields.DateTime(allow_none=True, required=True)
    result = fields.String(allow_none=True, required=True)
    version = fields.Integer(required=True)


class FinancingLineSchema(Strict):
    id = fields.Integer(required=True)
    fund = fields.String(attribute="fund.code", required=True)
    organisation = fields.String(attribute="organisation.code", allow_none=True,
                                 required=True)
    decision = fields.String(required=True)
    amount_requested = fields.Decimal(as_string=True, required=True)
    amount_authorised = fields.Decimal(as_string=True, allow_none=True, required=True)
    decided_on = fields.Date(allow_none=True, required=True)
    investment = fields.Decimal(as_string=True, required=True)
    jobs_created = fields.Integer(required=True)
    jobs_maintained = fields.Integer(required=True)
    notes = fields.String(required=True)


class AuditEventSchema(Strict):
    seq = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    action = fields.String(required=True)
    entity_type = fields.String(required=True)
    entity_id = fields.Integer(allow_none=True, required=True)
    actor_id = fields.Integer(allow_none=True, required=True)
    changes = fields.Dict(required=True)
    reason = fields.String(allow_none=True, required=True)


class ReportSchema(Strict):
    period = fields.String(required=True)
    published = fields.Boolean(required=True)
    figures = fields.Dict(required=True)


# ---- questions -----------------------------------------------------------------------

class CaseloadQuerySchema(Strict):
    q = _text(200, load_default="")
    scope = fields.String(validate=validate.OneOf(["mine", "all"]), load_default=None,
                          metadata={"description": "Staff: my dossiers or all (default: "
                                                   "mine for an advisor, all otherwise)."})
    state = _text(64, load_default="")
    territory = _text(64, load_default="")
    sector = _text(64, load_default="")
    follow_up = fields.String(validate=validate.OneOf(["", "overdue", "week"]),
                              load_default="")
    limit = fields.Integer(validate=validate.Range(1, 100), load_default=25)
    after = _text(40, load_default=None, metadata={
        "description": "The `next` value of the previous page."})


def _dossier_input(defaults: bool) -> dict:
    """The fields of a dossier a client sends; an edit has no defaults (left out: kept)."""

    def default(value):
        return {"load_default": value} if defaults else {}

    return {
        "title": _text(200, required=defaults),
        **{name: _code(required=defaults) for name in (
            "promoter_gender", "territory", "sector", "stage", "legal_form", "origin")},
        "description": _text(10_000, **default("")),
        "promoter_name": _text(200, **default("")),
        "women_count": _count(**default(0)),
        "men_count": _count(**default(0)),
        "advisor_id": fields.Integer(validate=validate.Range(1, MAX_INT), allow_none=True,
                                     metadata={"description": "Default: me."}),
        "opened_on": fields.Date(allow_none=True, **default(None)),
        "objectives": fields.List(_code(), validate=validate.Length(max=50),
                                  **default(list)),
        "contacts": fields.List(fields.Nested(ContactSchema), validate=validate.Length(max=3),
                                **default(list)),
    }


DossierInputSchema = Strict.from_dict(
    {**_dossier_input(True), "workflow": _code(load_default=None)}, name="DossierInputSchema")
DossierEditSchema = Strict.from_dict(
    {**_dossier_input(False), "version": fields.Integer(
        required=True, validate=validate.Range(0, MAX_INT))}, name="DossierEditSchema")


class TransitionInputSchema(Strict):
    trigger = _code(required=True)
    version = fields.Integer(required=True, validate=validate.Range(0, MAX_INT))
    comment = _text(5_000, load_default="")
    outcome = _code(load_default=None)
    organisation = _code(load_default=None, metadata={
        "description": "For a transition that refers the dossier: the organisation's code."})
    request = _text(5_000, load_default="")


class InterventionInputSchema(Strict):
    version = fields.Integer(required=True, validate=validate.Range(0, MAX_INT))
    occurred_on = fields.Date(required=True)
    kind = _code(required=True)
    subjects = fields.List(_code(), validate=validate.Length(max=50), load_default=list)
    minutes = fields.Integer(validate=validate.Range(0, 100_000), allow_none=True,
                             load_default=None)
    notes = _text(10_000, load_default="")
    private = fields.Boolean(load_default=True, metadata={
        "description": "Internal note, not shown to partners (default)."})


class ReferralInputSchema(Strict):
    version = fields.Integer(required=True, validate=validate.Range(0, MAX_INT))
    organisation = _code(required=True)
    reason = _text(5_000, required=True)
    request = _text(5_000, load_default="")
    consent_to_share = fields.Boolean(load_default=False)


class ReferralQuerySchema(Strict):
    state = _text(20, load_default="")


class AnswerInputSchema(Strict):
    action = fields.String(required=True, validate=validate.OneOf(
        ["acknowledge", "accept", "return", "complete", "withdraw"]))
    version = fields.Integer(required=True, validate=validate.Range(0, MAX_INT))
    text = _text(5_000, load_default="")
    result = fields.String(validate=validate.OneOf(["successful", "unsuccessful"]),
                           allow_none=True, load_default=None)


class FinancingInputSchema(Strict):
    version = fields.Integer(required=True, validate=validate.Range(0, MAX_INT))
    fund = _code(required=True)
    organisation = _code(load_default=None)
    decision = fields.String(required=True, validate=validate.OneOf(
        ["pending", "authorised", "refused", "withdrawn"]))
    # Amounts in dollars, as JSON numbers; the service refuses negative or too large ones.
    amount_requested = fields.Decimal(places=2, load_default=Decimal("0"))
    amount_authorised = fields.Decimal(places=2, allow_none=True, load_default=None)
    decided_on = fields.Date(allow_none=True, load_default=None)
    investment = fields.Decimal(places=2, load_default=Decimal("0"))
    jobs_created = _count(load_default=0)
    jobs_maintained = _count(load_default=0)
    notes = _text(5_000, load_default="")


class ReportQuerySchema(Strict):
    period = _text(40, load_default=None, metadata={
        "description": "A fiscal year (2025-2026) or two dates (2025-04-01..2026-03-31); "
                       "the last complete fiscal year by default."})
