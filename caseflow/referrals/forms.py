"""Forms of the referrals slice."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from caseflow.forms import Form, VersionField, choices
from caseflow.referrals.labels import RESULT_LABELS, STATE_LABELS

REQUIRED = _l("Ce champ est obligatoire.")


class ReferralForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    organisation = SelectField(_l("Organisation"), validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Raison du référencement"),
                           validators=[DataRequired(REQUIRED), Length(max=5000)])
    request = TextAreaField(_l("Ce qui est demandé au partenaire"),
                            validators=[Optional(), Length(max=5000)])
    consent_to_share = BooleanField(
        _l("Le groupe promoteur consent à ce que ses coordonnées soient transmises à "
           "cette organisation"))
    submit = SubmitField(_l("Référer le dossier"))


class ReferralActionForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    text = TextAreaField(_l("Raison ou commentaire"), validators=[Optional(), Length(max=5000)])
    result = SelectField(_l("Résultat"), validators=[Optional()],
                         choices=choices([("", _l("— Choisir —")), *RESULT_LABELS.items()]))
    submit = SubmitField(_l("Confirmer"))


class NoteForm(Form):
    body = TextAreaField(_l("Note"), validators=[DataRequired(REQUIRED), Length(max=5000)])
    submit = SubmitField(_l("Ajouter la note"))


class ReferralFilterForm(Form):
    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    state = SelectField(_l("État"), validators=[Optional()],
                        choices=choices([("", _l("Tous")), *STATE_LABELS.items()]))
    waiting = IntegerField(_l("En attente depuis plus de (jours)"),
                           validators=[Optional(), NumberRange(0, 3650)])
