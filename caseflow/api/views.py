"""The pages around the API: my tokens, the OpenAPI document and its reading page."""

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from caseflow.api import tokens
from caseflow.auth.access import EVERYONE, allow, public
from caseflow.boundary import page_status, submit
from caseflow.forms import Form

bp = Blueprint("api_pages", __name__)


class TokenForm(Form):
    name = StringField(_l("Nom du jeton"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Pour vous rappeler où il sert, par exemple « Site "
                                      "Web du Pôle »."))


class RevokeForm(Form):
    token_id = HiddenField()


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.route("/account/tokens", methods=["GET", "POST"])
@allow(*EVERYONE)
def my_tokens():
    """List my API tokens and make a new one, whose secret is shown once."""
    form = TokenForm()
    made, secret = None, None
    if form.validate_on_submit():
        made = submit(form, lambda: tokens.create(current_user, form.name.data))
        if made.saved:
            secret = made.value[1]
            form = TokenForm(formdata=None)
    status = 200 if secret else page_status(form, made)
    return render_template("api/tokens.html", form=form, secret=secret,
                           tokens=tokens.active(current_user), revoke_form=RevokeForm()), status


@bp.route("/account/tokens/revoke", methods=["POST"])
@allow(*EVERYONE)
def revoke_token():
    """End one of my tokens at once."""
    form = RevokeForm()
    if form.validate_on_submit() and (form.token_id.data or "").isdigit():
        revoked = submit(form, lambda: tokens.revoke(current_user, int(form.token_id.data)))
        if revoked.saved:
            flash(_("Jeton « %(name)s » révoqué : il ne donne plus accès.",
                    name=revoked.value.name), "success")
        else:
            flash(revoked.message, "danger")
    return redirect(url_for("api_pages.my_tokens"), 303)


@bp.route("/api/v1/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 document of the API, made from its code."""
    from caseflow.api.service import openapi_document

    return jsonify(openapi_document())


@bp.route("/api/v1/docs")
@public
def docs():
    """The API's reference, readable in a browser, drawn from the same document."""
    from caseflow.api.service import openapi_document

    return render_template("api/docs.html", spec=openapi_document())
