"""The hub's action plans (plans/*.toml): orientations and objectives, loaded and checked once
at start-up; an invalid file stops the app, as an invalid workflow does."""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from caseflow.database import hub_today

EXTENSION = "caseflow.action_plans"
DIRECTORY = Path(__file__).resolve().parent.parent.parent / "plans"


class PlanError(ValueError):
    """A plan file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Item:
    code: str
    label_fr: str
    label_en: str

    @property
    def label(self) -> str:
        locale = get_locale()
        return self.label_en if locale is not None and locale.language == "en" else self.label_fr


@dataclass(frozen=True)
class Objective(Item):
    orientation: str = ""


@dataclass(frozen=True)
class Orientation(Item):
    objectives: tuple[Objective, ...] = ()


@dataclass(frozen=True)
class Plan(Item):
    start: date = date.min
    end: date = date.max
    orientations: tuple[Orientation, ...] = ()
    objectives: dict[str, Objective] = field(default_factory=dict, compare=False)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{where}: '{key}' must be a non-empty text")
    return value.strip()


def _item(data: dict, where: str) -> dict:
    return {key: _text(data, key, where) for key in ("code", "label_fr", "label_en")}


def parse(data: dict, name: str = "plan") -> Plan:
    """Return a plan from a file's data; raise PlanError naming what is wrong."""
    head = _item(data, name)
    start, end = data.get("start"), data.get("end")
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise PlanError(f"{name}: 'start' and 'end' must be dates, the end after the start")
    orientations, objectives = [], {}
    for index, raw in enumerate(data.get("orientations") or (), start=1):
        where = f"{name}: orientation {index}"
        item = _item(raw, where)
        children = []
        for position, child in enumerate(raw.get("objectives") or (), start=1):
            objective = Objective(**_item(child, f"{where}, objective {position}"),
                                  orientation=item["code"])
            if objective.code in objectives:
                raise PlanError(f"{name}: objective {objective.code!r} is defined twice")
            objectives[objective.code] = objective
            children.append(objective)
        if not children:
            raise PlanError(f"{where}: an orientation needs at least one objective")
        orientations.append(Orientation(**item, objectives=tuple(children)))
    if not orientations:
        raise PlanError(f"{name}: a plan needs at least one orientation")
    return Plan(**head, start=start, end=end, orientations=tuple(orientations),
                objectives=objectives)


def load_directory(directory: Path) -> list[Plan]:
    """Read and check every plan of a directory, by start date; periods may not overlap."""
    plans = []
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise PlanError(f"{path.name}: {error}") from None
        plans.append(parse(data, path.name))
    plans.sort(key=lambda plan: plan.start)
    for before, after in zip(plans, plans[1:], strict=False):
        if after.start <= before.end:
            raise PlanError(f"plans {before.code!r} and {after.code!r} overlap")
    if len({plan.code for plan in plans}) != len(plans):
        raise PlanError("two plans have the same code")
    return plans


def load(app, directory=None) -> None:
    """Load the plans at start-up (PLANS_DIRECTORY, else plans/ beside the package)."""
    app.extensions[EXTENSION] = load_directory(
        Path(directory or app.config.get("PLANS_DIRECTORY") or DIRECTORY))


def plans() -> list[Plan]:
    """Return every plan, oldest first."""
    return current_app.extensions[EXTENSION]


def plan_for(day: date) -> Plan | None:
    """Return the plan in force on a day (the latest one before it when none covers it)."""
    candidates = [plan for plan in plans() if plan.start <= day]
    covering = [plan for plan in candidates if plan.covers(day)]
    if covering:
        return covering[-1]
    return candidates[-1] if candidates else (plans()[0] if plans() else None)


def objective(code: str, day: date | None = None) -> Objective | None:
    """Return an objective by code, in the plan of a day or in any plan."""
    if day is not None:
        plan = plan_for(day)
        return plan.objectives.get(code) if plan else None
    for plan in reversed(plans()):
        if code in plan.objectives:
            return plan.objectives[code]
    return None


def objective_choices() -> list[tuple[str, str]]:
    """Return (code, "1.1 · label") of the plan in force today, for forms."""
    plan = plan_for(hub_today())
    if plan is None:
        return []
    return [(o.code, f"{o.code} · {o.label}") for orientation in plan.orientations
            for o in orientation.objectives]
