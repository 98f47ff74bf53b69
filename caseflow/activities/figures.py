"""The activities' figures of a period, arranged by the action plan in force on its first day:
orientation, objective, then each body (with its committees) and project with its counts."""

from collections import defaultdict
from datetime import date

from sqlalchemy import or_, select

from caseflow.activities import plan as plans
from caseflow.activities.models import KINDS, Activity, Body, Project
from caseflow.extensions import db


def _group() -> dict:
    return {"activities": 0, "kinds": {}, "participants": 0, "participants_women": 0,
            "participants_men": 0}


def _add(group: dict, row) -> None:
    group["activities"] += 1
    group["kinds"][row.kind] = group["kinds"].get(row.kind, 0) + 1
    group["participants"] += row.participants or 0
    group["participants_women"] += row.participants_women or 0
    group["participants_men"] += row.participants_men or 0


def _ordered_kinds(group: dict) -> None:
    group["kinds"] = {kind: group["kinds"][kind] for kind in KINDS if kind in group["kinds"]}


def compute(start: date, end: date) -> dict:
    """Return the period's activities by orientation, objective, body and project."""
    plan = plans.plan_for(start)
    bodies = {body.id: body for body in db.session.scalars(select(Body))}
    order = {body.code: (body.position, body.code) for body in bodies.values()}

    def root(body_id):
        body = bodies.get(body_id)
        seen = set()
        while body is not None and body.parent_id is not None and body.id not in seen:
            seen.add(body.id)
            body = bodies.get(body.parent_id)
        return body

    rows = db.session.execute(
        select(Activity.id, Activity.kind, Activity.body_id, Activity.objective,
               Activity.project_id, Activity.participants, Activity.participants_women,
               Activity.participants_men)
        .where(Activity.occurred_on >= start, Activity.occurred_on <= end)
        .order_by(Activity.occurred_on, Activity.id)).all()
    projects = {p.id: p for p in db.session.scalars(select(Project).where(or_(
        Project.id.in_({row.project_id for row in rows if row.project_id}),
        (Project.start_on <= end) & ((Project.end_on.is_(None)) | (Project.end_on >= start)))))}
    by_objective: dict[str, dict] = defaultdict(lambda: {"bodies": {}, "projects": {}})
    for project in projects.values():
        by_objective[project.objective]["projects"][project.code] = {
            **_group(), "parts": {}, "calls": 0, "collaborations": len(project.partners or []),
            "deliverables": project.deliverables or 0}
    for row in rows:
        if row.project_id:
            project = projects[row.project_id]
            group = by_objective[project.objective]["projects"][project.code]
        else:
            top = root(row.body_id)
            code = top.code if top else ""
            group = by_objective[row.objective]["bodies"].setdefault(code,
                                                                     {**_group(), "parts": {}})
        _add(group, row)
        body = bodies.get(row.body_id)
        part = body.code if body else ""
        _add(group["parts"].setdefault(part, _group()), row)
    # A standing body with no meeting in the period still has its line under its objective.
    seen = {root(row.body_id).code for row in rows if not row.project_id and root(row.body_id)}
    planned = {o.code for orientation in (plan.orientations if plan else ())
               for o in orientation.objectives}
    for body in bodies.values():
        if body.objective in planned and body.parent_id is None and body.active \
                and body.code not in seen:
            by_objective[body.objective]["bodies"][body.code] = {**_group(), "parts": {}}
    counted = set()
    result = {"plan": plan.code if plan else None, "activities": len(rows),
              "participants": sum(row.participants or 0 for row in rows), "orientations": {}}

    def finish(objective: dict) -> dict:
        for group in (*objective["bodies"].values(), *objective["projects"].values()):
            _ordered_kinds(group)
            for part in group["parts"].values():
                _ordered_kinds(part)
            group["parts"] = dict(sorted(group["parts"].items(),
                                         key=lambda item: order.get(item[0], (0, item[0]))))
            if "calls" in group:
                group["calls"] = group["kinds"].get("call", 0)
        objective["bodies"] = dict(sorted(objective["bodies"].items(),
                                          key=lambda item: order.get(item[0], (10**6, item[0]))))
        groups = (*objective["bodies"].values(), *objective["projects"].values())
        objective["activities"] = sum(g["activities"] for g in groups)
        objective["participants"] = sum(g["participants"] for g in groups)
        return objective

    for orientation in (plan.orientations if plan else ()):
        result["orientations"][orientation.code] = {"objectives": {
            objective.code: finish(by_objective[objective.code])
            for objective in orientation.objectives}}
        counted |= {objective.code for objective in orientation.objectives}
    outside = {code: finish(value) for code, value in by_objective.items()
               if code not in counted}
    if outside:
        result["outside_plan"] = outside
    return result


def counted_in_objective(figures: dict, objective: str) -> dict | None:
    """Return one objective's figures from `compute`'s result."""
    for orientation in figures.get("orientations", {}).values():
        if objective in orientation["objectives"]:
            return orientation["objectives"][objective]
    return (figures.get("outside_plan") or {}).get(objective)
