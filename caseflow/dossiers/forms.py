"""Forms of the dossiers slice; their choices come from the reference lists and workflows."""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from caseflow.dossiers.models import INTERVENTION_KIND_LABELS
from caseflow.forms import CheckboxesField, Form, VersionField, choices

REQUIRED = _l("Ce champ est obligatoire.")


class ContactForm(Form):
    class Meta:
        csrf = False

    name = StringField(_l("Nom"), validators=[Length(max=200)])

    def validate_name(self, field) -> None:
        """Refuse an e-mail or phone with nobody's name: it would be lost."""
        if not (field.data or "").strip() and ((self.email.data or "").strip()
                                               or (self.phone.data or "").strip()):
            raise ValidationError(str(REQUIRED))
    email = StringField(_l("Courriel"), validators=[
        Optional(), Length(max=254), Email(_l("Adresse courriel invalide."))])
    phone = StringField(_l("Téléphone"), validators=[Optional(), Length(max=40)])


class DossierForm(Form):
    version = VersionField(validators=[Optional()])
    title = StringField(_l("Titre du projet ou de l'entreprise"),
                        validators=[DataRequired(REQUIRED), Length(max=200)])
    promoter_name = StringField(_l("Groupe promoteur"), validators=[Optional(), Length(max=200)],
                                description=_l("Nom du groupe ou de l'organisme promoteur."))
    description = TextAreaField(_l("Description et besoins"),
                                validators=[Optional(), Length(max=5000)])
    workflow = SelectField(_l("Parcours"), validators=[InputRequired(REQUIRED)])
    promoter_gender = SelectField(_l("Groupe promoteur représenté par"),
                                  validators=[InputRequired(REQUIRED)])
    women_count = IntegerField(_l("Nombre de femmes dans le groupe"), default=0,
                               validators=[Optional(), NumberRange(0, 999, _l(
                                   "Entrez un nombre entre 0 et 999."))])
    men_count = IntegerField(_l("Nombre d'hommes dans le groupe"), default=0,
                             validators=[Optional(), NumberRange(0, 999, _l(
                                 "Entrez un nombre entre 0 et 999."))])
    territory = SelectField(_l("Territoire (MRC)"), validators=[InputRequired(REQUIRED)])
    sector = SelectField(_l("Secteur d'activité"), validators=[InputRequired(REQUIRED)])
    stage = SelectField(_l("Phase"), validators=[InputRequired(REQUIRED)])
    legal_form = SelectField(_l("Forme juridique"), validators=[InputRequired(REQUIRED)])
    origin = SelectField(_l("Provenance"), validators=[InputRequired(REQUIRED)])
    advisor = SelectField(_l("Conseiller ou conseillère"), validators=[Optional()])
    opened_on = DateField(_l("Ouvert le"), validators=[Optional()],
                          render_kw={"placeholder": "AAAA-MM-JJ"})
    objectives = CheckboxesField(_l("Objectifs du protocole servis"), validators=[Optional()])
    contacts = FieldList(FormField(ContactForm), min_entries=3, max_entries=3,
                         label=_l("Personnes-ressources"))
    submit = SubmitField(_l("Enregistrer"))


class EditDossierForm(DossierForm):
    """Editing needs the version the user saw, so two edits cannot both win."""

    version = VersionField(validators=[InputRequired(REQUIRED)])


class TransitionForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    outcome = SelectField(_l("Bilan"), validators=[Optional()])
    comment = TextAreaField(_l("Commentaire"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Confirmer"))


class InterventionForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    occurred_on = DateField(_l("Date"), validators=[InputRequired(_l(
        "Entrez une date valide (AAAA-MM-JJ)."))])
    kind = SelectField(_l("Type"), choices=choices(INTERVENTION_KIND_LABELS.items()),
                       validators=[InputRequired(REQUIRED)])
    subjects = CheckboxesField(_l("Sujets abordés"), validators=[DataRequired(_l(
        "Choisissez au moins un sujet abordé."))])
    minutes = IntegerField(_l("Temps consacré (minutes)"), validators=[
        Optional(), NumberRange(0, 1440, _l("La durée doit être comprise entre 0 et 1440 "
                                            "minutes."))])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    # On by default: a note reaches partners only when its author chooses so.
    private = BooleanField(_l("Note interne : ne pas montrer ces notes aux partenaires"),
                           default=True)
    submit = SubmitField(_l("Enregistrer l'intervention"))


class RemoveInterventionForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    reason = StringField(_l("Raison du retrait"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Retirer l'intervention"))


class PlainSelect:
    """A <select> drawn in one pass, as wtforms' own draws it: the caseload's filters offer
    some ninety options, and wtforms formats the attributes of each one apart, which cost
    a third of the caseload page."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        options = "".join(
            f'<option {"selected " if choice.selected else ""}value="{escape(choice.value)}">'
            f"{escape(choice.label or choice.value)}</option>"
            for choice in field.iter_choices())
        return Markup(f"<select {attributes(name=field.name, **kwargs)}>{options}</select>")


def attributes(**kwargs) -> Markup:
    """Write HTML attributes as wtforms' html_params does (sorted; True alone, False left
    out), without formatting each one through an escaping formatter."""
    written = []
    for key, value in sorted(kwargs.items()):
        key = key.rstrip("_")
        if key.startswith(("data_", "aria_")):
            key = key.replace("_", "-")
        if value is True:
            written.append(key)
        elif value is not False:
            written.append(f'{key}="{escape(value)}"')
    return Markup(" ".join(written))


class FilterSelect(SelectField):
    widget = PlainSelect()


class CaseloadFilterForm(Form):
    """The caseload's filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Recherche"), validators=[Optional(), Length(max=200)],
                    render_kw={"placeholder": _l("Référence, titre ou promoteur")})
    scope = FilterSelect(_l("Dossiers"), choices=choices([("mine", _l("Mes dossiers")),
                                                         ("all", _l("Tous les dossiers"))]),
                        validators=[Optional()])
    state = FilterSelect(_l("Étape"), validators=[Optional()])
    territory = FilterSelect(_l("Territoire"), validators=[Optional()])
    sector = FilterSelect(_l("Secteur"), validators=[Optional()])
    follow_up = FilterSelect(_l("Suivi"), choices=choices([("", _l("Tous")),
                                                          ("overdue", _l("En retard")),
                                                          ("week", _l("Dû cette semaine"))]),
                            validators=[Optional()])
    status = FilterSelect(_l("Statut"), choices=choices([("", _l("Tous")),
                                                        ("open", _l("En cours")),
                                                        ("closed", _l("Fermés"))]),
                         validators=[Optional()])
    advisor = FilterSelect(_l("Conseiller ou conseillère"), validators=[Optional()])
    organisation = FilterSelect(_l("Référé à"), validators=[Optional()])
    waiting = IntegerField(_l("Sans réponse depuis (jours)"),
                           validators=[Optional(), NumberRange(0, 3650)])
    opened_from = DateField(_l("Ouvert depuis le"), validators=[Optional()])
    opened_to = DateField(_l("Ouvert jusqu'au"), validators=[Optional()])
    state_days_min = IntegerField(_l("À cette étape depuis au moins (jours)"),
                                  validators=[Optional(), NumberRange(0, 36500)])
    state_days_max = IntegerField(_l("À cette étape depuis au plus (jours)"),
                                  validators=[Optional(), NumberRange(0, 36500)])
    sort = FilterSelect(_l("Trier par"), choices=choices([
        ("-updated", _l("Modifiés récemment")), ("reference", _l("Référence")),
        ("follow_up", _l("Prochain suivi")), ("title", _l("Titre")),
        ("-state_age", _l("Plus longtemps à l'étape")), ("opened", _l("Date d'ouverture")),
        ("-opened", _l("Ouverts récemment")), ("advisor", _l("Conseiller ou conseillère")),
        ("state", _l("Étape")), ("-reference", _l("Référence (décroissante)")),
        ("-title", _l("Titre (décroissant)")), ("-follow_up", _l("Prochain suivi (décroissant)")),
        ("state_age", _l("Plus récemment à l'étape"))]), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, 100000)])
    # Where the next page starts (keyset): written by the list's own "next page" link.
    apres = StringField(validators=[Optional(), Length(max=400)])


class FollowUpForm(Form):
    version = VersionField(validators=[Optional()])
    due = DateField(_l("Date du prochain suivi"), validators=[Optional()],
                    description=_l("Laissez vide pour n'en prévoir aucun."))
    note = StringField(_l("Ce qui est attendu"), validators=[Optional(), Length(max=300)],
                       render_kw={"placeholder": _l("Un retour du groupe est attendu...")})
    submit = SubmitField(_l("Enregistrer le suivi"))
