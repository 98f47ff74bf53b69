"""Forms of the documents slice."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from caseflow.documents.models import STATUS_LABELS
from caseflow.forms import CheckboxesField, Form, VersionField, choices

REQUIRED = _l("Ce champ est obligatoire.")


class DocumentStatusForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    status = SelectField(_l("Statut"), choices=choices(STATUS_LABELS.items()),
                         validators=[InputRequired(REQUIRED)])
    due_on = DateField(_l("Échéance"), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer le statut"))


class UploadForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    file = FileField(_l("Fichier"), validators=[FileRequired(_l("Choisissez un fichier."))],
                     description=_l("PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT ou CSV."))
    submit = SubmitField(_l("Téléverser"))


class RemoveFileForm(Form):
    version = VersionField(validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Retirer"))


class DocumentKindForm(Form):
    code = StringField(_l("Code"), validators=[
        DataRequired(REQUIRED), Length(max=64),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l(
            "Lettres minuscules, chiffres et traits d'union seulement."))])
    label_fr = StringField(_l("Libellé (français)"), validators=[DataRequired(REQUIRED),
                                                                Length(max=200)])
    label_en = StringField(_l("Libellé (anglais)"), validators=[DataRequired(REQUIRED),
                                                               Length(max=200)])
    required_for = CheckboxesField(_l("Requis avant le financement pour"),
                                   validators=[Optional()])
    active = BooleanField(_l("Actif"), default=True)
    submit = SubmitField(_l("Ajouter"))
