"""The activity form (short: date, kind, title, objective come first) and the list's filters."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseflow.activities.models import ACTIVITY_KINDS, MAX_MINUTES, MAX_PARTICIPANTS
from caseflow.forms import CheckboxesField, Form, VersionField, choices

REQUIRED = _l("Ce champ est obligatoire.")
PEOPLE = NumberRange(0, MAX_PARTICIPANTS, _l("Entrez un nombre entre 0 et 100 000."))


class ActivityForm(Form):
    version = VersionField(validators=[Optional()])
    occurred_on = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    kind = SelectField(_l("Type"), choices=choices((code, label) for code, (label, *_r)
                                                   in ACTIVITY_KINDS.items()),
                       validators=[InputRequired(REQUIRED)])
    title = StringField(_l("Titre"), validators=[InputRequired(REQUIRED), Length(max=200)])
    body = SelectField(_l("Instance ou table"), validators=[Optional()])
    objective = SelectField(_l("Objectif du plan d'action"), validators=[InputRequired(REQUIRED)])
    project = SelectField(_l("Projet"), validators=[Optional()])
    participants = IntegerField(_l("Participants"), validators=[Optional(), PEOPLE],
                                render_kw={"inputmode": "numeric", "min": 0})
    participants_women = IntegerField(_l("dont femmes"), validators=[Optional(), PEOPLE],
                                      render_kw={"inputmode": "numeric", "min": 0})
    participants_men = IntegerField(_l("dont hommes"), validators=[Optional(), PEOPLE],
                                    render_kw={"inputmode": "numeric", "min": 0})
    minutes = IntegerField(_l("Temps consacré (minutes)"),
                           validators=[Optional(), NumberRange(0, MAX_MINUTES)],
                           render_kw={"inputmode": "numeric", "min": 0})
    territories = CheckboxesField(_l("Territoires"), validators=[Optional()])
    organisations = SelectMultipleField(_l("Organisations présentes"), validators=[Optional()])
    dossiers = StringField(_l("Dossiers liés (références, séparées par des virgules)"),
                           validators=[Optional(), Length(max=2000)],
                           render_kw={"placeholder": "2026-0012, 2026-0031"})
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Enregistrer"))


class RemoveActivityForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Retirer"))


class ActivityFilterForm(Form):
    class Meta:
        csrf = False

    start = DateField(_l("Du"), validators=[Optional()])
    end = DateField(_l("Au"), validators=[Optional()])
    kind = SelectField(_l("Type"), validators=[Optional()])
    body = SelectField(_l("Instance ou table"), validators=[Optional()])
    objective = SelectField(_l("Objectif"), validators=[Optional()])
    project = SelectField(_l("Projet"), validators=[Optional()])
    q = StringField(_l("Recherche"), validators=[Optional(), Length(max=200)])


class ProjectForm(Form):
    version = VersionField(validators=[Optional()])
    code = StringField(_l("Code court"), validators=[InputRequired(REQUIRED), Length(max=64)])
    name = StringField(_l("Nom du projet"), validators=[InputRequired(REQUIRED),
                                                         Length(max=200)])
    objective = SelectField(_l("Objectif du plan d'action"), validators=[InputRequired(REQUIRED)])
    start_on = DateField(_l("Début"), validators=[Optional()])
    end_on = DateField(_l("Fin"), validators=[Optional()])
    funder = StringField(_l("Bailleur de fonds"), validators=[Optional(), Length(max=200)])
    partners = TextAreaField(_l("Partenaires (un par ligne)"),
                             validators=[Optional(), Length(max=5000)])
    deliverables = IntegerField(_l("Livrables"), default=0,
                                validators=[Optional(), NumberRange(0, MAX_PARTICIPANTS)])
    deliverables_label = StringField(_l("Nature des livrables (ex. : plans d'affaires créés)"),
                                     validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Enregistrer"))


class BodyForm(Form):
    """A body or committee, and how the report words its line."""

    version = VersionField(validators=[Optional()])
    label_fr = StringField(_l("Nom en français"), validators=[InputRequired(REQUIRED),
                                                               Length(max=200)])
    label_en = StringField(_l("Nom en anglais"), validators=[Optional(), Length(max=200)],
                           description=_l("Laissé vide, le nom français sert aussi en anglais."))
    code = StringField(_l("Code"), validators=[Optional(), Length(max=64)],
                       description=_l("Minuscules, chiffres et traits d'union; laissé vide, il "
                                      "est tiré du nom. Il ne change plus ensuite."))
    parent = SelectField(_l("Comité de"), validators=[Optional()],
                         description=_l("Un comité est compté sur la ligne de son instance."))
    objective = SelectField(_l("Objectif du plan d'action"), validators=[Optional()],
                            description=_l("Une instance permanente garde sa ligne sous cet "
                                           "objectif même sans rencontre dans l'année."))
    meeting_qualifier = SelectField(
        _l("Ses propres rencontres s'écrivent"), validators=[Optional()],
        choices=choices([("", _l("« 6 rencontres »")),
                         ("regular", _l("« 6 rencontres régulières »"))]))
    phrase_fr = StringField(_l("Formule d'un comité, en français"),
                            validators=[Optional(), Length(max=120)],
                            render_kw={"placeholder": "de l'exécutif"},
                            description=_l("Au lieu de son nom sur la ligne de son instance : "
                                           "« 1 rencontre de l'exécutif »."))
    phrase_en = StringField(_l("Formule d'un comité, en anglais"),
                            validators=[Optional(), Length(max=120)],
                            render_kw={"placeholder": "of the executive"})
    prints_total = BooleanField(_l("Donner d'abord le total de ses comités (« | 9 rencontres "
                                   "| »)"))
    names_events = BooleanField(_l("Nommer ses événements par leur titre (« | Gala régional »)"))
    active = BooleanField(_l("Offerte dans le formulaire d'activité"), default=True)
    submit = SubmitField(_l("Enregistrer"))
