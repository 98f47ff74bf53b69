"""The enterprise form and the directory's filters."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from caseflow.enterprises.models import STATUS_LABELS
from caseflow.forms import Form, VersionField, choices

REQUIRED = _l("Ce champ est obligatoire.")
MEMBERS = NumberRange(0, 10_000, _l("Entrez un nombre de personnes entre 0 et 10 000."))


def _members(label):
    return IntegerField(label, validators=[Optional(), MEMBERS],
                        render_kw={"inputmode": "numeric", "min": 0})


class EnterpriseForm(Form):
    version = VersionField(validators=[Optional()])
    name = StringField(_l("Nom de l'entreprise"), validators=[InputRequired(REQUIRED),
                                                               Length(max=200)])
    neq = StringField(_l("NEQ (10 chiffres, si connu)"), validators=[Optional(), Length(max=20)],
                      render_kw={"inputmode": "numeric"})
    legal_form = SelectField(_l("Forme juridique"), validators=[Optional()])
    territory = SelectField(_l("MRC"), validators=[Optional()])
    sector = SelectField(_l("Secteur d'activité"), validators=[Optional()])
    founded_year = IntegerField(_l("Année de fondation"),
                                validators=[Optional(), NumberRange(1800, 2100)])
    status = SelectField(_l("Statut"), choices=choices(STATUS_LABELS.items()),
                         validators=[InputRequired(REQUIRED)])
    board_women = _members(_l("Conseil d'administration : femmes"))
    board_men = _members(_l("Conseil d'administration : hommes"))
    team_women = _members(_l("Équipe de travail : femmes"))
    team_men = _members(_l("Équipe de travail : hommes"))
    dossiers = StringField(_l("Dossiers de l'entreprise (références)"),
                           validators=[Optional(), Length(max=2000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Ajouter au répertoire"))


class DirectoryFilterForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Nom ou NEQ"), validators=[Optional(), Length(max=200)])
    territory = SelectField(_l("MRC"), validators=[Optional()])
    sector = SelectField(_l("Secteur"), validators=[Optional()])
    status = SelectField(_l("Statut"), validators=[Optional()])
