"""The coordinator's import form: the files, and whether to check only."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SubmitField

from caseflow.forms import Form


class ImportForm(Form):
    """The files to import and whether to check only."""
    interventions = FileField(
        _l("Fichier des interventions"),
        validators=[FileRequired(_l("Choisissez le fichier des interventions."))],
        description=_l("CSV (UTF-8, virgule ou point-virgule) ou XLSX : une ligne par "
                       "intervention."))
    financing = FileField(
        _l("Fichier du financement (facultatif)"),
        description=_l("Une ligne par demande de financement; chaque dossier doit figurer "
                       "dans le fichier des interventions ou déjà dans caseflow."))
    dry_run = BooleanField(_l("Vérifier seulement (aucune écriture)"))
    submit = SubmitField(_l("Importer"))
