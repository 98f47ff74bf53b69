"""What each kind of notification says, on the "À traiter" page and by e-mail."""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Breaks a header cannot hold (a non-breaking space is kept: French sets one before ":").
LINE_BREAKS = re.compile(r"[ \t\r\n]+")

#: Every parameter a message may use; a missing one reads as an empty string.
PARAM_KEYS = ("reference", "title", "organisation", "reason", "note")


@dataclass(frozen=True)
class Kind:
    """The headline (also the e-mail subject) of a kind and its optional detail line."""

    headline: object
    detail: object = None


KINDS: dict[str, Kind] = {
    "referral.sent": Kind(_l("Nouveau référencement : %(reference)s — %(title)s")),
    "referral.acknowledged": Kind(
        _l("Référencement reçu par %(organisation)s : %(reference)s — %(title)s")),
    "referral.accepted": Kind(
        _l("Référencement accepté par %(organisation)s : %(reference)s — %(title)s")),
    "referral.returned": Kind(
        _l("Référencement retourné par %(organisation)s : %(reference)s — %(title)s"),
        _l("Motif : %(reason)s")),
    "referral.completed": Kind(
        _l("Référencement terminé par %(organisation)s : %(reference)s — %(title)s")),
    "referral.withdrawn": Kind(
        _l("Référencement retiré par le Pôle : %(reference)s — %(title)s"),
        _l("Motif : %(reason)s")),
    "financing.decided": Kind(
        _l("Décision de financement de %(organisation)s : %(reference)s — %(title)s")),
    "dossier.reassigned": Kind(
        _l("Dossier qui vous est confié : %(reference)s — %(title)s"),
        _l("Motif : %(reason)s")),
    "referral.note": Kind(
        _l("Note de %(organisation)s : %(reference)s — %(title)s"),
        _l("Note : %(note)s")),
}


@dataclass(frozen=True)
class Entry:
    """A notification as one line of the page: headline, detail and where it leads."""

    notification: object
    headline: str
    detail: str | None
    path: str | None


def _values(params: dict | None) -> dict:
    """Return the params with every known key present, empty when not given."""
    return {key: "" for key in PARAM_KEYS} | dict(params or {})


def headline(kind: str, params: dict | None) -> str:
    """Return the headline of a notification in the current language."""
    spec = KINDS.get(kind)
    if spec is None:  # a kind stored by a newer version, or since retired
        return kind
    return str(spec.headline % _values(params))


def detail(kind: str, params: dict | None) -> str | None:
    """Return the reason or note line of a notification, if it has one."""
    spec = KINDS.get(kind)
    values = _values(params)
    if spec is None or spec.detail is None or not (values["reason"] or values["note"]):
        return None
    return str(spec.detail % values)


def link_path(role: str, dossier_id: int | None, referral_id: int | None) -> str | None:
    """Return the path a notification leads to: the dossier for staff, the referral else."""
    if role == "partner":
        return f"/partenaires/referencements/{referral_id}" if referral_id else None
    return f"/dossiers/{dossier_id}" if dossier_id else None


def entry(notification, role: str) -> Entry:
    """Describe a notification for its page, in the current language."""
    return Entry(notification, headline(notification.kind, notification.params),
                 detail(notification.kind, notification.params),
                 link_path(role, notification.dossier_id, notification.referral_id))


def _one_line(text: str, limit: int) -> str:
    """Fold a text to one line of at most ``limit`` characters (a header refuses line breaks)."""
    return " ".join(LINE_BREAKS.split(text.strip()))[:limit]


def email(user, kind: str, params: dict, path: str | None) -> tuple[str, str]:
    """Return the subject and body of the e-mail, in the user's language (French unless 'en')."""
    base_url = str(current_app.config.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    with force_locale("en" if user.locale == "en" else "fr_CA"):
        subject = _one_line(headline(kind, params), 300)
        lines = [_("Bonjour %(name)s,", name=user.full_name), "", subject]
        extra = detail(kind, params)
        if extra:
            lines += ["", extra]
        lines += ["", _("Pour consulter : %(link)s", link=base_url + (path or "/notifications")),
                  "", "-- ",
                  _("Courriel envoyé automatiquement par caseflow (Pôle d'économie sociale). "
                    "Vos notifications sont aussi dans la page « À traiter ».")]
    return subject, "\n".join(lines) + "\n"
