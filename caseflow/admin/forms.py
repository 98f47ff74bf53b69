"""Forms of the admin slice."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from caseflow.forms import Form


class ActivationForm(Form):
    """A button: activate or deactivate one account."""

    submit = SubmitField()


class AccountForm(Form):
    """A person's account, as the coordinator creates or changes it."""

    full_name = StringField(_l("Nom"), validators=[
        DataRequired(_l("Ce champ est obligatoire.")), Length(max=200)])
    email = EmailField(_l("Courriel"), validators=[
        DataRequired(_l("Ce champ est obligatoire.")), Length(max=254)])
    role = SelectField(_l("Rôle"), validators=[DataRequired(_l("Ce champ est obligatoire."))])
    organisation = SelectField(_l("Organisation (partenaires)"), validators=[Optional()])
    send_email = BooleanField(_l("Envoyer le lien par courriel (sinon, il s'affiche une seule "
                                 "fois ici)"))
    submit = SubmitField(_l("Enregistrer"))


class LinkForm(Form):
    """A button: issue a new one-time link to set the password."""

    send_email = BooleanField(_l("Envoyer par courriel"))
    submit = SubmitField(_l("Nouveau lien de mot de passe"))
