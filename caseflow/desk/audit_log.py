"""The audit log, as the coordinator audits it: filters, pages by sequence (keyset), objects
named as a person reads them, before and after, a CSV export, and the chain's status."""

import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import (
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func, select
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import Select, html_params

from caseflow.audit import services as audit
from caseflow.audit.models import AuditEvent
from caseflow.audit.personal import reveal
from caseflow.audit.timeline import KEY as TIMELINE_KEY
from caseflow.audit.timeline import action_label
from caseflow.auth.access import allow
from caseflow.auth.models import ROLE_LABELS, User
from caseflow.database import HUB_TIME_ZONE, utcnow
from caseflow.desk.audit_names import actor_names, object_names
from caseflow.desk.exports import download
from caseflow.desk.models import AuditCheck
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.timeline import field_label
from caseflow.extensions import db
from caseflow.forms import Form, choices
from caseflow.i18n import colon, language
from caseflow.reference.models import Organisation
from caseflow.reports.periods import Period

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
#: Up to this many events, "verify now" walks the chain during the request; beyond, in the
#: background, the page showing the walk under way until it ends.
INLINE_VERIFY_LIMIT = 20_000


class CachedOptions(Select):
    """A select whose options are escaped and joined once per list of choices (the people, the
    organisations and the actions change seldom), marking only the chosen one per request."""

    cache: dict = {}
    LIMIT = 64

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        key = tuple((choice.value, str(choice.label)) for choice in field.choices)
        options = self.cache.get(key)
        if options is None:
            if len(self.cache) >= self.LIMIT:
                self.cache.clear()
            options = self.cache[key] = {
                value: (f'<option value="{escape(value)}">{escape(label or value)}</option>',
                        f'<option selected value="{escape(value)}">'
                        f'{escape(label or value)}</option>')
                for value, label in key}
        chosen = None if field.data is None else str(field.data)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        html += [both[value == chosen] for value, both in options.items()]
        html.append("</select>")
        return Markup("".join(html))


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    actor = SelectField(_l("Personne"), validators=[Optional()], widget=CachedOptions())
    organisation = SelectField(_l("Organisation"), validators=[Optional()],
                               widget=CachedOptions())
    dossier = StringField(_l("Dossier (référence)"), validators=[Optional(), Length(max=20)])
    action = SelectField(_l("Action"), validators=[Optional()], widget=CachedOptions())
    occurred_from = DateField(_l("Du"), validators=[Optional()])
    occurred_to = DateField(_l("Au"), validators=[Optional()])
    before = IntegerField(validators=[Optional(), NumberRange(1, 2**31 - 1)])


LABELS_KEY = "caseflow.audit_log_labels"


@dataclass
class Labels:
    """What the log reads the same on every page in one language: computed once per process
    and language (the catalog does not change while it runs), not per row and request."""

    actions: dict[str, str]
    action_choices: list
    roles: dict[str, str]
    fields: dict[str, str]
    system: str
    everyone: str
    hub: str
    reason: str

    def field(self, name: str) -> str:
        found = self.fields.get(name)
        if found is None:
            found = self.fields[name] = field_label(name)
        return found

    def action(self, action: str) -> str:
        found = self.actions.get(action)
        if found is None:
            found = self.actions[action] = action_label(action)
        return found


def labels() -> Labels:
    """Return the log's labels in the request's language."""
    cache = current_app.extensions.setdefault(LABELS_KEY, {})
    found = cache.get(language())
    if found is None:
        actions = {a: action_label(a) for a in current_app.extensions[TIMELINE_KEY]}
        found = cache[language()] = Labels(
            actions=actions,
            action_choices=sorted(actions.items(), key=lambda pair: pair[1]),
            roles={role: str(name) for role, name in ROLE_LABELS.items()}, fields={},
            system=_("Système"), everyone=_("Toutes"), hub=_("Pôle d'économie sociale"),
            reason=_("Motif : %(reason)s"))  # formatted per row, translated once
    return found


def _form(args) -> AuditFilterForm:
    form = AuditFilterForm(args)
    read = labels()
    # Every person as others read them (with their organisation): the options, and the names
    # the page's events are signed with.
    form.people = {i: f"{name} ({organisation})" if organisation else name
                   for i, name, organisation in db.session.execute(
                       select(User.id, User.full_name, Organisation.name)
                       .outerjoin(Organisation, Organisation.id == User.organisation_id)
                       .order_by(User.role, User.full_name))}
    form.actor.choices = choices([("", read.everyone), *form.people.items()])
    form.organisation.choices = choices([("", read.everyone), ("hub", read.hub), *(
        db.session.execute(select(Organisation.code, Organisation.name)
                           .order_by(Organisation.name)).all())])
    form.action.choices = choices([("", read.everyone), *read.action_choices])
    return form


def _conditions(form: AuditFilterForm) -> list | None:
    """Return the SQL conditions of the filters, or None when one matches nothing."""
    conditions = []
    if form.actor.data:
        conditions.append(AuditEvent.actor_id == int(form.actor.data))
    if form.organisation.data == "hub":
        conditions.append(AuditEvent.actor_organisation_id.is_(None))
    elif form.organisation.data:
        conditions.append(AuditEvent.actor_organisation_id == select(Organisation.id).where(
            Organisation.code == form.organisation.data).scalar_subquery())
    if (form.dossier.data or "").strip():
        dossier_id = db.session.scalar(select(Dossier.id).where(
            Dossier.reference == form.dossier.data.strip()))
        if dossier_id is None:
            return None
        conditions.append(AuditEvent.dossier_id == dossier_id)
    if form.action.data:
        conditions.append(AuditEvent.action == form.action.data)
    if form.occurred_from.data or form.occurred_to.data:
        start, end = Period(form.occurred_from.data or form.occurred_to.data,
                            form.occurred_to.data or form.occurred_from.data).utc_bounds()
        if form.occurred_from.data:
            conditions.append(AuditEvent.occurred_at >= start)
        if form.occurred_to.data:
            conditions.append(AuditEvent.occurred_at < end)
    return conditions


def changes_read(event, read: Labels | None = None) -> list[tuple[str, object, object, bool]]:
    """Return an event's changes as (field, before, after, is_a_change) a person reads."""
    field = (read or labels()).field
    rows = []
    for name, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            rows.append((field(name), value[0], value[1], True))
        else:
            rows.append((field(name), None, value, False))
    return rows


def _filter_args() -> dict:
    return {k: v for k, v in request.args.items() if k != "before" and v}


@dataclass
class Row:
    """One event as the log's table shows it, every text resolved in the view."""

    seq: int
    moment: str
    actor: str
    role: str
    action: str
    dossier: str | None
    dossier_url: str | None
    thing: str | None
    changes: list
    reason: str | None
    hash: str


#: A dossier id no dossier has: the dossier link is built once and filled in per row.
_SLOT = 987654321


def _rows(events, people: dict) -> list[Row]:
    """Return a page of events as rows: names read in one query per kind of object, people
    as the filter form read them, labels from the per-language cache, one URL built for all
    the dossier links."""
    read = labels()
    names = object_names(events)
    link = url_for("desk.dossier", dossier_id=_SLOT)
    rows = []
    for event in events:
        dossier, thing = names[event.id]
        rows.append(Row(
            seq=event.seq,
            moment=event.occurred_at.astimezone(HUB_TIME_ZONE).strftime("%Y-%m-%d %H:%M"),
            actor=people.get(event.actor_id, read.system),
            role=read.roles.get(event.actor_role, event.actor_role) if event.actor_role
            else "",
            action=read.action(event.action),
            dossier=dossier,
            dossier_url=link.replace(str(_SLOT), str(event.dossier_id)) if dossier else None,
            thing=thing,
            changes=[(name, _shown(before), _shown(after), changed)
                     for name, before, after, changed in changes_read(event, read)],
            reason=read.reason % {"reason": event.reason} if event.reason else None,
            hash=event.hash[:12]))
    return rows


def _shown(value) -> str:
    return "—" if value in (None, "", []) else str(value)


@allow("coordinator")
def audit_log():
    """List audit events, newest first, filtered, a page at a time by sequence."""
    form = _form(request.args)
    if not form.validate():
        return render_template("desk/audit_log.html", form=form, rows=[], check=_last_check(),
                               next_before=None, args={}), 400
    conditions = _conditions(form)
    events = []
    if conditions is not None:
        query = select(AuditEvent).where(*conditions)
        if form.before.data:
            query = query.where(AuditEvent.seq < form.before.data)
        events = db.session.scalars(query.order_by(AuditEvent.seq.desc())
                                    .limit(PAGE_SIZE + 1)).all()
    more = len(events) > PAGE_SIZE
    events = reveal(events[:PAGE_SIZE])  # personal values are sealed out of the chain
    check = _last_check()
    return render_template(
        "desk/audit_log.html", form=form, rows=_rows(events, form.people), check=check,
        next_before=events[-1].seq if more else None, args=_filter_args(),
        refresh=check is not None and check.finished_at is None)


@allow("coordinator")
def audit_export():
    """Download the filtered audit events as CSV."""
    form = _form(request.args)
    if not form.validate():
        abort(400)
    conditions = _conditions(form)
    header = ["seq", _("Moment (UTC)"), _("Personne"), _("Rôle"), _("Action"), _("Dossier"),
              _("Objet"), _("Changements"), _("Motif"), _("Empreinte")]
    if conditions is None:
        return download("csv", "journal-audit", header, [])
    events = db.session.scalars(select(AuditEvent).where(*conditions)
                                .order_by(AuditEvent.seq.desc()).limit(EXPORT_LIMIT)).all()

    def rows():
        for start in range(0, len(events), 1000):  # names resolved a thousand at a time
            chunk = reveal(events[start:start + 1000])
            names, actors = object_names(chunk), actor_names(chunk)
            for event in chunk:
                dossier, thing = names[event.id]
                yield [event.seq, event.occurred_at.isoformat(timespec="seconds"),
                       actors.get(event.actor_id, _("Système")),
                       str(ROLE_LABELS.get(event.actor_role, event.actor_role or "")),
                       action_label(event.action), dossier or "", thing or "",
                       " ; ".join(f"{name}{colon()}{_text(before)} → {_text(after)}" if changed
                                  else f"{name}{colon()}{_text(after)}"
                                  for name, before, after, changed in changes_read(event)),
                       event.reason or "", event.hash]
    return download("csv", "journal-audit", header, rows())


def _text(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _last_check() -> AuditCheck | None:
    return db.session.scalar(select(AuditCheck).order_by(AuditCheck.id.desc()).limit(1))


def _running() -> bool:
    check = _last_check()
    return check is not None and check.finished_at is None


def _finish(check: AuditCheck, result) -> None:
    check.finished_at = utcnow()
    check.ok, check.checked = result.ok, result.checked
    check.first_bad_seq, check.problem = result.first_bad_seq, result.problem


#: The background walk of the chain, when one runs (tests wait for it).
worker: threading.Thread | None = None


def _verify_in_background(app, check_id: int) -> None:
    with app.app_context():
        try:
            result = audit.verify()
        except Exception as error:  # noqa: BLE001 (recorded on the check, shown on the page)
            db.session.rollback()
            check = db.session.get(AuditCheck, check_id)
            check.finished_at, check.ok, check.problem = utcnow(), False, str(error)[:500]
        else:
            db.session.rollback()  # verify read one snapshot; write the result apart
            _finish(db.session.get(AuditCheck, check_id), result)
        db.session.commit()
        db.session.remove()


@allow("coordinator")
def verify_now():
    """Walk the audit chain now (in the background for a large log) and record the result."""
    if not Form().validate_on_submit():
        abort(400)
    if _running() and _last_check().started_at > utcnow() - timedelta(hours=1):
        flash(_("Une vérification est déjà en cours."), "info")
        return redirect(url_for("desk.audit_log"), 303)
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    check = AuditCheck(started_by_id=current_user.id, started_at=utcnow(), total=total,
                       checked=0)
    db.session.add(check)
    db.session.flush()
    limit = current_app.config.get("AUDIT_VERIFY_INLINE_LIMIT", INLINE_VERIFY_LIMIT)
    if total <= limit:
        _finish(check, audit.verify())
        flash(_("Chaîne vérifiée.") if check.ok else _("La chaîne est rompue."),
              "success" if check.ok else "danger")
        return redirect(url_for("desk.audit_log"), 303)
    app, check_id = current_app._get_current_object(), check.id

    @after_this_request
    def start_once_committed(response):
        # The walk reads the check this request writes: it starts once the request committed.
        def start():
            global worker
            worker = threading.Thread(target=_verify_in_background, args=(app, check_id),
                                      daemon=True)
            worker.start()
        response.call_on_close(start)
        return response

    flash(_("Vérification lancée en arrière-plan : la page se met à jour toute seule."), "info")
    return redirect(url_for("desk.audit_log"), 303)


RULES = [
    ("/audit/", audit_log, ["GET"]),
    ("/audit/export.csv", audit_export, ["GET"]),
    ("/audit/verify", verify_now, ["POST"]),
]
