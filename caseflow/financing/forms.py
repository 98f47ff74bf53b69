"""Forms of the financing slice."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseflow.financing.models import DECISION_LABELS, STAGE_LABELS
from caseflow.forms import AmountField, Form, VersionField, choices

REQUIRED = _l("Ce champ est obligatoire.")
JOBS = NumberRange(0, 10000, _l("Entrez un nombre d'emplois entre 0 et 10 000."))


class FinancingForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    fund = SelectField(_l("Fonds ou programme"), validators=[InputRequired(REQUIRED)])
    organisation = SelectField(_l("Organisation qui décide"), validators=[Optional()])
    amount_requested = AmountField(_l("Montant demandé"), validators=[Optional()],
                                   render_kw={"placeholder": "12 500,00 $",
                                              "inputmode": "decimal"})
    decision = SelectField(_l("Décision"), choices=choices(DECISION_LABELS.items()),
                           validators=[InputRequired(REQUIRED)])
    amount_authorised = AmountField(_l("Montant autorisé"), validators=[Optional()],
                                    render_kw={"inputmode": "decimal"})
    decided_on = DateField(_l("Date de la décision"), validators=[Optional()])
    stage = SelectField(_l("Étape de la demande (appel de projets)"),
                        choices=choices([("", _l("— Aucune —")), *STAGE_LABELS.items()]),
                        validators=[Optional()])
    investment = AmountField(_l("Investissement total généré"), validators=[Optional()],
                             render_kw={"inputmode": "decimal"})
    jobs_created = IntegerField(_l("Emplois créés"), default=0,
                                validators=[Optional(), JOBS])
    jobs_maintained = IntegerField(_l("Emplois maintenus"), default=0,
                                   validators=[Optional(), JOBS])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Enregistrer"))


class RemoveFinancingForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Retirer"))
