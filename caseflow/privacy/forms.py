"""Forms of the privacy slice."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from caseflow.forms import Form, VersionField, choices
from caseflow.privacy.models import METHOD_LABELS, PURPOSE_LABELS, REQUEST_KIND_LABELS

REQUIRED = _l("Ce champ est obligatoire.")
DATE = _l("Date invalide : utilisez le format AAAA-MM-JJ.")


class ConsentForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    purpose = SelectField(_l("Fin"), validators=[InputRequired(REQUIRED)],
                          choices=choices(PURPOSE_LABELS.items()))
    organisation = SelectField(_l("Organisation permise"), validators=[Optional()])
    method = SelectField(_l("Obtenu"), validators=[InputRequired(REQUIRED)],
                         choices=choices((code, label) for code, label in METHOD_LABELS.items()
                                         if code not in ("referral", "migrated")))
    starts_on = DateField(_l("Du"), validators=[Optional()], format="%Y-%m-%d")
    ends_on = DateField(_l("Au (facultatif)"), validators=[Optional()], format="%Y-%m-%d")
    submit = SubmitField(_l("Consigner le consentement"))


class WithdrawConsentForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Retirer"))


class SettingsForm(Form):
    officer_name = StringField(_l("Personne responsable de la protection des renseignements "
                                  "personnels"), validators=[DataRequired(REQUIRED),
                                                             Length(max=200)])
    officer_title = StringField(_l("Fonction"), validators=[Optional(), Length(max=200)])
    officer_email = EmailField(_l("Courriel"), validators=[
        DataRequired(REQUIRED), Email(_l("Adresse courriel invalide.")), Length(max=254)])
    officer_phone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40)])
    policy_fr = TextAreaField(_l("Politique de confidentialité (français)"),
                              validators=[Optional(), Length(max=20000)],
                              render_kw={"rows": 8})
    policy_en = TextAreaField(_l("Politique de confidentialité (anglais)"),
                              validators=[Optional(), Length(max=20000)],
                              render_kw={"rows": 8})
    removed_files_days = IntegerField(
        _l("Jours de conservation d'un fichier retiré d'une liste de documents"),
        validators=[InputRequired(REQUIRED), NumberRange(0, 3650)])
    submit = SubmitField(_l("Enregistrer"))


class RetentionRulesForm(Form):
    """One field per outcome is added at request time from the workflows' outcomes."""

    submit = SubmitField(_l("Enregistrer les délais"))


class ButtonForm(Form):
    submit = SubmitField(_l("Confirmer"))


class RetentionApplyForm(Form):
    confirm = BooleanField(_l("Je confirme : les renseignements personnels de ces dossiers et "
                              "leurs fichiers seront détruits pour de bon."),
                           validators=[DataRequired(_l("Cochez la case pour confirmer."))])
    submit = SubmitField(_l("Anonymiser et détruire maintenant"))


class AccessRequestForm(Form):
    kind = SelectField(_l("Type de demande"), validators=[InputRequired(REQUIRED)],
                       choices=choices(REQUEST_KIND_LABELS.items()))
    requester = StringField(_l("Personne qui fait la demande"),
                            validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("Courriel de la personne (pour retrouver ses dossiers)"),
                       validators=[Optional(), Email(_l("Adresse courriel invalide.")),
                                   Length(max=254)])
    dossier = StringField(_l("Ou numéro du dossier du groupe (ex. 2026-0001)"),
                          validators=[Optional(), Length(max=20)])
    received_on = DateField(_l("Reçue le"), validators=[Optional()], format="%Y-%m-%d")
    submit = SubmitField(_l("Consigner la demande"))


class IncidentForm(Form):
    description = TextAreaField(_l("Description de l'incident"),
                                validators=[DataRequired(REQUIRED), Length(max=10000)])
    information = TextAreaField(_l("Renseignements personnels visés"),
                                validators=[DataRequired(REQUIRED), Length(max=5000)])
    people_count = IntegerField(_l("Nombre de personnes concernées"),
                                validators=[InputRequired(REQUIRED), NumberRange(0, 10**7)])
    occurred_on = DateField(_l("Date de l'incident (si connue)"), validators=[Optional()],
                            format="%Y-%m-%d")
    discovered_on = DateField(_l("Date où l'organisation en a pris connaissance"),
                              validators=[InputRequired(DATE)], format="%Y-%m-%d")
    circumstances = TextAreaField(_l("Circonstances"),
                                  validators=[Optional(), Length(max=10000)])
    risk_assessment = TextAreaField(_l("Évaluation du risque de préjudice"),
                                    validators=[Optional(), Length(max=10000)])
    serious_risk = BooleanField(_l("Risque de préjudice sérieux"))
    commission_notified_on = DateField(_l("Avis à la Commission d'accès à l'information le"),
                                       validators=[Optional()], format="%Y-%m-%d")
    people_notified_on = DateField(_l("Avis aux personnes concernées le"),
                                   validators=[Optional()], format="%Y-%m-%d")
    measures = TextAreaField(_l("Mesures prises"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Inscrire au registre"))
