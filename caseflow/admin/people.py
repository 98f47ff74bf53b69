"""People: the coordinator creates accounts, sends one-time links, changes roles."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from caseflow.admin.forms import AccountForm, LinkForm
from caseflow.auth import services
from caseflow.auth.access import allow
from caseflow.auth.models import ROLE_LABELS, User
from caseflow.boundary import page_status, submit
from caseflow.extensions import db
from caseflow.forms import choices
from caseflow.notifications.messages import DEFAULT_BASE_URL
from caseflow.notifications.services import queue_email
from caseflow.reference.models import Organisation


def fill(form: AccountForm) -> AccountForm:
    form.role.choices = choices(ROLE_LABELS.items())
    form.organisation.choices = choices([("", _("— Aucune (Pôle) —")), *(
        (o.code, o.name) for o in db.session.scalars(
            select(Organisation).where(Organisation.active.is_(True))
            .order_by(Organisation.kind, Organisation.name)))])
    return form


def _organisation(code: str | None):
    return db.session.scalar(select(Organisation).where(Organisation.code == code)) \
        if code else None


def link_url(token: str) -> str:
    # Without a configured address, the link points where the coordinator is working.
    base = str(current_app.config.get("BASE_URL") or request.url_root or DEFAULT_BASE_URL
               ).rstrip("/")
    return base + url_for("auth.set_password", token=token)


def _send_link(user: User, url: str) -> None:
    """E-mail a person their link, in their language."""
    with force_locale("en" if user.locale == "en" else "fr_CA"):
        subject = _("Votre accès à caseflow (Pôle d'économie sociale)")
        body = "\n".join([_("Bonjour %(name)s,", name=user.full_name), "",
                          _("Choisissez votre mot de passe avec ce lien (il ne sert qu'une fois "
                            "et expire dans quelques jours) :"), url, ""])
    queue_email(user.email, subject, body)


def _invite(form: AccountForm):
    user = services.invite_user(form.email.data, form.full_name.data, form.role.data,
                                _organisation(form.organisation.data), current_user)
    url = link_url(services.issue_password_link(user, current_user))
    if form.send_email.data:
        _send_link(user, url)
    return user, url


@allow("coordinator")
def new_user():
    """Create an account and give its person a one-time link to choose a password."""
    form = fill(AccountForm())
    created = None
    if form.validate_on_submit():
        created = submit(form, lambda: _invite(form))
        if created.saved:
            user, url = created.value
            flash(_("Compte créé : %(email)s.", email=user.email), "success")
            return render_template("admin/link.html", account=user, url=url,
                                   emailed=form.send_email.data)
    return render_template("admin/user_form.html", form=form, account=None), \
        page_status(form, created)


@allow("coordinator")
def edit_user(user_id: int):
    """Change a person's name, role or organisation."""
    user = db.session.get(User, user_id) or abort(404)
    form = fill(AccountForm(obj=user) if request.method == "GET" else AccountForm())
    if request.method == "GET":
        form.organisation.data = user.organisation.code if user.organisation else ""
    del form.email  # the e-mail is the login: it is not changed here
    del form.send_email
    changed = None
    if form.validate_on_submit():
        changed = submit(form, lambda: services.update_account(
            user, current_user, form.full_name.data, form.role.data,
            _organisation(form.organisation.data)))
        if changed.saved:
            flash(_("Compte enregistré : %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"), 303)
    return render_template("admin/user_form.html", form=form, account=user,
                           link_form=LinkForm(formdata=None)), page_status(form, changed)


@allow("coordinator")
def new_link(user_id: int):
    """Issue a new one-time link for a person to choose a password (the old one stops)."""
    user = db.session.get(User, user_id) or abort(404)
    form = LinkForm()
    if not form.validate_on_submit() or not user.active:
        abort(400)
    url = link_url(services.issue_password_link(user, current_user))
    if form.send_email.data:
        _send_link(user, url)
    return render_template("admin/link.html", account=user, url=url,
                           emailed=form.send_email.data)


RULES = [
    ("/users/new", new_user, ["GET", "POST"]),
    ("/users/<int:user_id>/edit", edit_user, ["GET", "POST"]),
    ("/users/<int:user_id>/link", new_link, ["POST"]),
]
