"""The hub's privacy settings: the person in charge, the policy text, retention rules."""

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.audit.services import record
from caseflow.auth.models import User
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.privacy.models import PrivacySetting, RetentionRule

# The settings, with their value in a fresh install.
DEFAULTS = {
    "officer_name": "",
    "officer_title": "",
    "officer_email": "",
    "officer_phone": "",
    "policy_fr": "",
    "policy_en": "",
    "removed_files_days": "90",
}
DEFAULT_YEARS = 7  # a closed dossier without a rule of its own is kept 7 years


def values() -> dict[str, str]:
    """Return every privacy setting, defaults filled in."""
    stored = dict(db.session.execute(select(PrivacySetting.name, PrivacySetting.value)).all())
    return {name: stored.get(name, default) for name, default in DEFAULTS.items()}


def save(actor: User, new: dict[str, str]) -> dict:
    """Change privacy settings and record which ones changed (the values are public)."""
    unknown = set(new) - set(DEFAULTS)
    if unknown:
        raise DomainError(_("Réglage inconnu."))
    days = new.get("removed_files_days")
    if days is not None and (not str(days).isdigit() or not 0 <= int(days) <= 3650):
        raise DomainError(_("Indiquez un nombre de jours entre 0 et 3650."),
                          "removed_files_days")
    before = values()
    new = {name: str(value).replace("\r\n", "\n").replace("\r", "\n")
           for name, value in new.items()}
    changed = {name: [before[name], value] for name, value in new.items()
               if before[name] != value}
    for name, (_old, value) in changed.items():
        setting = db.session.get(PrivacySetting, name)
        if setting is None:
            db.session.add(PrivacySetting(name=name, value=value))
        else:
            setting.value = value
    if changed:
        db.session.flush()
        record("privacy.settings", "privacy_setting", None, actor=actor,
               changes={name: pair for name, pair in changed.items()
                        if not name.startswith("policy_")} | {
                   name: "changed" for name in changed if name.startswith("policy_")})
    return changed


def rules() -> dict[str, int]:
    """Return the retention term in years per outcome code."""
    return dict(db.session.execute(select(RetentionRule.outcome, RetentionRule.years)).all())


def set_rules(actor: User, years_by_outcome: dict[str, int | None]) -> dict:
    """Set the retention term of each outcome (None: the default term)."""
    current = rules()
    changed = {}
    for outcome, years in years_by_outcome.items():
        if years is not None and not 0 <= years <= 100:
            raise DomainError(_("Un délai de conservation va de 0 à 100 ans."), outcome)
        if current.get(outcome) == years:
            continue
        changed[outcome] = [current.get(outcome), years]
        rule = db.session.get(RetentionRule, outcome)
        if years is None:
            if rule is not None:
                db.session.delete(rule)
        elif rule is None:
            db.session.add(RetentionRule(outcome=outcome, years=years))
        else:
            rule.years = years
    if changed:
        db.session.flush()
        record("privacy.retention_rules", "retention_rule", None, actor=actor, changes=changed)
    return changed
