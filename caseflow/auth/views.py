"""Login, logout, password change and language choice."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth import services
from caseflow.auth.access import EVERYONE, allow, public
from caseflow.auth.forms import (
    EmailPreferencesForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from caseflow.auth.sessions import end_session, start_session
from caseflow.boundary import keep_refusal, page_status, show_refusal, submit
from caseflow.errors import DomainError
from caseflow.templating import current_locale

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Return a local path to go to after login, never another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("desk.home_page")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form and open a session for valid credentials."""
    if current_user.is_authenticated:
        return redirect(url_for("desk.home_page"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         request.remote_addr)
        except services.LoginThrottled as error:
            keep_refusal()  # the attempt counts towards the throttle
            form.form_errors.append(error.message)
            status = 429
        except services.LoginRefused as error:
            keep_refusal()
            form.form_errors.append(error.message)
            status = 401
        else:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")), 303)
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@allow(*EVERYONE)
def logout():
    """End the current session and every copy of its cookie."""
    current_user.rotate_session_token()
    end_session()
    flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@allow(*EVERYONE)
def change_password():
    """Let a user replace their password; their other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            # This session goes on with the new token; every other one has ended.
            start_session(current_user._get_current_object())
            flash(_("Votre mot de passe a été changé."), "success")
            return redirect(url_for("desk.home_page"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/password/set/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """Let a new (or locked-out) person choose a password through their one-time link."""
    if services.password_link(token) is None:
        return render_template("auth/set_password.html", form=None), 404
    form = SetPasswordForm()
    done = None
    if form.validate_on_submit():
        done = submit(form, lambda: services.use_password_link(token, form.new_password.data))
        if done.saved:
            end_session()
            flash(_("Votre mot de passe est choisi. Connectez-vous."), "success")
            return redirect(url_for("auth.login"), 303)
    return render_template("auth/set_password.html", form=form), page_status(form, done)


@bp.route("/account/emails", methods=["GET", "POST"])
@allow(*EVERYONE)
def email_preferences():
    """Let a person turn their follow-up e-mails on or off."""
    form = EmailPreferencesForm(digest_enabled=current_user.digest_enabled)
    if form.validate_on_submit():
        services.set_digest(current_user, form.digest_enabled.data)
        flash(_("Vos préférences de courriel sont enregistrées."), "success")
        return redirect(url_for("auth.email_preferences"), 303)
    return render_template("auth/emails.html", form=form), page_status(form)


@bp.route("/language", methods=["POST"])
@public
def language():
    """Switch the interface language, remembered on the account when logged in."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, description=_("Langue inconnue."))
    if current_user.is_authenticated:
        services.set_locale(current_user, form.locale.data)
    session["locale"] = form.locale.data
    return redirect(_safe_next(request.form.get("next")), 303)


def user_globals() -> dict:
    """Give every page the logout and language forms."""
    return {"logout_form": LogoutForm(formdata=None),
            "language_form": LanguageForm(formdata=None, locale=current_locale())}
