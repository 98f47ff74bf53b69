"""Forms of the auth slice."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from caseflow.forms import Form, choices


class LoginForm(Form):
    email = EmailField(_l("Courriel"), validators=[
        DataRequired(_l("Entrez votre courriel.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Mot de passe"), validators=[
        DataRequired(_l("Entrez votre mot de passe.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Se connecter"))


def _new_password() -> PasswordField:
    """The new password a person chooses, with the rule it must meet."""
    return PasswordField(_l("Nouveau mot de passe"), validators=[
        DataRequired(_l("Entrez un nouveau mot de passe.")), Length(max=1000)],
        description=_l("Au moins 10 caractères; une phrase facile à retenir convient bien."),
        render_kw={"autocomplete": "new-password"})


def _confirmation() -> PasswordField:
    """The new password typed again."""
    return PasswordField(_l("Confirmez le nouveau mot de passe"), validators=[
        DataRequired(_l("Confirmez le nouveau mot de passe.")),
        EqualTo("new_password", _l("Les deux mots de passe ne concordent pas."))],
        render_kw={"autocomplete": "new-password"})


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[
        DataRequired(_l("Entrez votre mot de passe actuel."))],
        render_kw={"autocomplete": "current-password"})
    new_password = _new_password()
    confirmation = _confirmation()
    submit = SubmitField(_l("Changer le mot de passe"))


class LanguageForm(Form):
    locale = SelectField(_l("Langue"), choices=choices([("fr_CA", "Français"), ("en", "English")]))
    submit = SubmitField(_l("Appliquer"))


class LogoutForm(Form):
    submit = SubmitField(_l("Se déconnecter"))


class SetPasswordForm(Form):
    new_password = _new_password()
    confirmation = _confirmation()
    submit = SubmitField(_l("Choisir ce mot de passe"))


class EmailPreferencesForm(Form):
    digest_enabled = BooleanField(_l("Recevoir mes suivis par courriel (chaque jour les suivis "
                                     "dus et en retard; la coordination : un sommaire chaque "
                                     "semaine)"))
    submit = SubmitField(_l("Enregistrer"))
