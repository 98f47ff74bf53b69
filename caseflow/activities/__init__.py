"""The hub's own work outside dossiers: activities by action-plan objective, and projects."""

from flask_babel import lazy_gettext as _l


def init_app(app) -> None:
    """Load the action plans, add the bodies to the reference lists and their seed, and
    register the activity pages and the audit labels."""
    from caseflow.activities import plan
    from caseflow.activities.models import ACTIVITY_KINDS, Body
    from caseflow.activities.seed import seed_bodies
    from caseflow.activities.views import bp
    from caseflow.audit import timeline
    from caseflow.reference.models import REFERENCE_LISTS
    from caseflow.reference.seed import add_seeder

    plan.load(app)
    REFERENCE_LISTS.setdefault("activity_body", Body)
    add_seeder(app, seed_bodies)
    app.register_blueprint(bp)
    app.add_template_global(lambda kind: ACTIVITY_KINDS[kind][0] if kind in ACTIVITY_KINDS
                            else kind, "activity_kind")
    app.add_template_global(plan.objective, "plan_objective")
    app.add_template_filter(_month_name, "month_name")
    app.add_template_global(_weekday_names, "weekday_names")
    app.add_template_global(plan.plan_for, "plan_for")
    timeline.register(app, {"activity.added": _l("Activité ajoutée"),
                            "activity.edited": _l("Activité modifiée"),
                            "activity.removed": _l("Activité retirée"),
                            "project.added": _l("Projet ajouté"),
                            "project.edited": _l("Projet modifié"),
                            "activity_body.added": _l("Instance ajoutée"),
                            "activity_body.edited": _l("Instance modifiée")})


def _month_name(day) -> str:
    """Return "décembre 2026" / "December 2026"."""
    from flask_babel import format_date

    return format_date(day, "LLLL y")


def _weekday_names() -> list[str]:
    """Return the days' short names, Monday first, in the request's language."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    names = get_day_names("abbreviated", locale=get_locale() or "fr_CA")
    return [names[index] for index in range(7)]
