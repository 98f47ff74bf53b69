"""Importing the hub's own work: projects, activities and the enterprise directory.

Each file is read and checked in full; a file with any problem writes nothing and every
problem is given by row and column, as for the dossier import. A row already recorded (an
activity with the same date, kind, title, body and project; a project with the same code;
an enterprise with the same name or NEQ) is not written again, so importing the same file
twice changes nothing. Nothing here commits.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from caseflow.activities import plan as plans
from caseflow.activities import services as activities
from caseflow.activities.models import (
    ACTIVITY_KINDS,
    MAX_MINUTES,
    MAX_PARTICIPANTS,
    Activity,
    Project,
)
from caseflow.database import hub_today
from caseflow.dossiers.models import Dossier
from caseflow.enterprises import services as enterprises
from caseflow.errors import DomainError
from caseflow.extensions import db
from caseflow.imports.catalogue import Catalogue
from caseflow.imports.problems import Problem, sorted_problems
from caseflow.imports.reading import Sheet, read_sheet
from caseflow.imports.rows import INVALID, missing_reason
from caseflow.imports.values import (
    Matcher,
    ValueProblem,
    closest_text,
    parse_count,
    parse_date,
    split_list,
)

ACTIVITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "kind": ("type",),
    "title": ("titre",),
    "body": ("instance", "table"),
    "objective": ("objectif",),
    "project": ("projet",),
    "participants": ("participants",),
    "participants_women": ("femmes", "participantes"),
    "participants_men": ("hommes",),
    "minutes": ("minutes", "duree"),
    "territories": ("territoires", "territoire"),
    "organisations": ("organisations", "organismes"),
    "dossiers": ("dossiers",),
    "notes": ("notes",),
}
ACTIVITY_REQUIRED = ("date", "kind", "title", "objective")
PROJECT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "name": ("nom",),
    "objective": ("objectif",),
    "start_on": ("debut",),
    "end_on": ("fin",),
    "funder": ("bailleur_de_fonds", "bailleur"),
    "partners": ("partenaires",),
    "deliverables": ("livrables",),
    "deliverables_label": ("nature_des_livrables",),
    "notes": ("notes",),
}
PROJECT_REQUIRED = ("code", "name", "objective")
ENTERPRISE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("nom",),
    "neq": ("neq",),
    "legal_form": ("forme_juridique",),
    "territory": ("mrc", "territoire"),
    "sector": ("secteur",),
    "founded_year": ("annee_de_fondation", "fondation"),
    "status": ("statut",),
    "board_women": ("ca_femmes", "conseil_femmes"),
    "board_men": ("ca_hommes", "conseil_hommes"),
    "team_women": ("equipe_femmes",),
    "team_men": ("equipe_hommes",),
    "dossiers": ("dossiers",),
    "notes": ("notes",),
}
ENTERPRISE_REQUIRED = ("name",)
KIND_WORDS = {code: (str(label), singular, plural)
              for code, (label, singular, plural) in ACTIVITY_KINDS.items()}
KIND_WORDS["call"] += ("Appel", "Conférence téléphonique")
KIND_WORDS["event"] += ("Forum", "Gala", "Colloque", "AGA")
STATUS_WORDS = {"active": ("Active", "Actif"), "project": ("En démarrage", "Projet"),
                "closed": ("Fermée", "Fermé", "Closed")}


@dataclass
class HubImportResult:
    """The problems found, or how many of each thing were (or would be) created."""

    problems: list[Problem]
    rows: int = 0
    projects: int = 0
    activities: int = 0
    enterprises: int = 0
    links: int = 0
    written: bool = False

    @property
    def changes(self) -> int:
        return self.projects + self.activities + self.enterprises + self.links


class _Reader:
    """Checks the rows of one sheet, collecting problems by row and column."""

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, value: str, reason: str, closest: str = ""):
        self.problems.append(Problem(row, self.sheet.column(column), value, reason, closest,
                                     self.sheet.name))

    def required(self, number: int, row: dict, names) -> bool:
        ok = True
        for name in names:
            if not row.get(name):
                ok = False
                if name in self.sheet.headers:
                    self.problem(number, name, "", missing_reason())
        return ok

    def value(self, number: int, row: dict, name: str, parse, default=None):
        text = row.get(name, "")
        if not text:
            return default
        try:
            return parse(text)
        except ValueProblem as problem:
            self.problem(number, name, text, problem.reason, problem.closest)
            return INVALID

    def items(self, number: int, row: dict, name: str, parse) -> list | object:
        found, bad = [], False
        for text in split_list(row.get(name, "")):
            try:
                found.append(parse(text))
            except ValueProblem as problem:
                self.problem(number, name, text, problem.reason, problem.closest)
                bad = True
        return INVALID if bad else found


def _objective_matcher() -> Matcher:
    return Matcher((code, (o.label_fr, o.label_en)) for plan in plans.plans()
                   for code, o in plan.objectives.items())


def _dossier_parser(known: dict[str, Dossier]):
    def parse(text: str) -> Dossier:
        if text not in known:
            raise ValueProblem(_("dossier inconnu"), closest_text(text, known))
        return known[text]
    return parse


def _dossiers(sheets) -> dict[str, Dossier]:
    wanted = {ref for sheet in sheets for _n, row in sheet.rows
              for ref in split_list(row.get("dossiers", ""))}
    if not wanted:
        return {}
    return {d.reference: d for d in db.session.scalars(
        select(Dossier).where(Dossier.reference.in_(wanted)))}


@dataclass
class _Checked:
    projects: list = field(default_factory=list)
    activities: list = field(default_factory=list)


def _read_projects(sheet: Sheet, objectives: Matcher, existing: dict) -> tuple[list, list]:
    reader, specs, seen = _Reader(sheet), [], {}
    for number, row in sheet.rows:
        reader.required(number, row, PROJECT_REQUIRED)
        code = row.get("code", "").strip()
        if code in seen:
            reader.problem(number, "code", code, _("code en double dans le fichier (ligne "
                                                   "%(row)d)", row=seen[code]))
            continue
        seen[code] = number
        values = {
            "objective": reader.value(number, row, "objective", objectives.code),
            "start_on": reader.value(number, row, "start_on", parse_date),
            "end_on": reader.value(number, row, "end_on",
                                   lambda t: parse_date(t, hub_today() + timedelta(days=3660))),
            "deliverables": reader.value(number, row, "deliverables",
                                         lambda t: parse_count(t, MAX_PARTICIPANTS), 0),
        }
        if INVALID in values.values() or not code or not row.get("name") \
                or values["objective"] is None:
            continue
        fields = activities.ProjectFields(
            code=code, name=row.get("name", ""), funder=row.get("funder", ""),
            partners=split_list(row.get("partners", "")),
            deliverables_label=row.get("deliverables_label", ""),
            notes=row.get("notes", ""), **values)
        try:
            activities.check_project(fields)
        except DomainError as error:
            name = error.field or "code"
            reader.problem(number, name, row.get(name, ""), error.message.rstrip("."))
            continue
        if code not in existing:
            specs.append(fields)
    return specs, reader.problems


def _read_activities(sheet: Sheet, catalogue: Catalogue, objectives: Matcher,
                     projects: dict, dossiers: dict) -> tuple[list, list]:
    reader, specs = _Reader(sheet), []
    kinds = Matcher(KIND_WORDS.items())
    bodies = catalogue.items["activity_body"]
    territories = catalogue.items["territory"]
    project_matcher = Matcher((code, (name,)) for code, name in projects.items())
    horizon = hub_today() + timedelta(days=730)
    for number, row in sheet.rows:
        reader.required(number, row, ACTIVITY_REQUIRED)
        values = {
            "occurred_on": reader.value(number, row, "date", lambda t: parse_date(t, horizon)),
            "kind": reader.value(number, row, "kind", kinds.code),
            "body": reader.value(number, row, "body", lambda t: bodies[
                catalogue.matchers["activity_body"].code(t)]),
            "objective": reader.value(number, row, "objective", objectives.code),
            "project": reader.value(number, row, "project", project_matcher.code),
        }
        for name in ("participants", "participants_women", "participants_men"):
            values[name] = reader.value(number, row, name,
                                        lambda t: parse_count(t, MAX_PARTICIPANTS))
        values["minutes"] = reader.value(number, row, "minutes",
                                         lambda t: parse_count(t, MAX_MINUTES))
        values["territories"] = reader.items(number, row, "territories", lambda t: territories[
            catalogue.matchers["territory"].code(t)])
        values["organisations"] = reader.items(number, row, "organisations",
                                               lambda t: catalogue.organisations[
                                                   catalogue.matchers["organisation"].code(t)])
        values["dossiers"] = reader.items(number, row, "dossiers", _dossier_parser(dossiers))
        title = row.get("title", "")
        if INVALID in values.values() or None in (values["occurred_on"], values["kind"],
                                                  values["objective"]) or not title:
            continue
        fields = activities.ActivityFields(title=title, notes=row.get("notes", ""), **values)
        if fields.objective and plans.objective(fields.objective, fields.occurred_on) is None:
            reader.problem(number, "objective", row.get("objective", ""),
                           _("n'est pas un objectif du plan d'action en vigueur à cette date"))
            continue
        try:
            activities.check(fields)
        except DomainError as error:
            name = {"occurred_on": "date"}.get(error.field, error.field) or "title"
            reader.problem(number, name, row.get(name, ""), error.message.rstrip("."))
            continue
        specs.append((number, fields))
    return specs, reader.problems


def _activity_key(fields) -> tuple:
    return (fields.occurred_on, fields.kind, fields.title.strip(),
            fields.body.code if fields.body else None, fields.project)


def import_activities(activities_file, projects_file=None, *, actor=None,
                      dry_run: bool = False) -> HubImportResult:
    """Check a projects file and an activities file and, when both are clean, write them."""
    sheets, problems = [], []
    if projects_file is not None:
        sheet, found = read_sheet(projects_file.name, projects_file.content, PROJECT_COLUMNS,
                                  PROJECT_REQUIRED)
        sheets.append(sheet)
        problems += found
    if activities_file is not None:
        sheet, found = read_sheet(activities_file.name, activities_file.content,
                                  ACTIVITY_COLUMNS, ACTIVITY_REQUIRED)
        sheets.append(sheet)
        problems += found
    files = [sheet.name for sheet in sheets]
    catalogue = Catalogue.load()
    objectives = _objective_matcher()
    existing_projects = {p.code: p for p in db.session.scalars(select(Project))}
    new_projects = []
    if projects_file is not None:
        new_projects, found = _read_projects(sheets[0], objectives, existing_projects)
        problems += found
    names = {code: p.name for code, p in existing_projects.items()}
    names.update({p.code: p.name for p in new_projects})
    checked = []
    if activities_file is not None:
        checked, found = _read_activities(sheets[-1], catalogue, objectives, names,
                                          _dossiers(sheets))
        problems += found
    result = HubImportResult(sorted_problems(problems, files),
                             rows=sum(len(sheet.rows) for sheet in sheets))
    if result.problems:
        return result
    held = {}
    for activity in db.session.scalars(select(Activity)):
        key = (activity.occurred_on, activity.kind, activity.title,
               activity.body.code if activity.body else None,
               activity.project.code if activity.project else None)
        held[key] = held.get(key, 0) + 1
    fresh = []
    for _number, fields in checked:
        key = _activity_key(fields)
        if held.get(key, 0) > 0:
            held[key] -= 1
        else:
            fresh.append(fields)
    result.projects, result.activities = len(new_projects), len(fresh)
    if dry_run or not result.changes:
        return result
    source = "Import : " + ", ".join(files)
    for fields in new_projects:
        existing_projects[fields.code] = activities.add_project(fields, actor, source)
    for fields in fresh:
        fields.project = existing_projects[fields.project] if fields.project else None
        activities.add_activity(fields, actor, source)
    result.written = True
    return result


def _members(text: str) -> int:
    return parse_count(text, enterprises.MAX_MEMBERS)


def import_enterprises(upload, *, actor=None, dry_run: bool = False) -> HubImportResult:
    """Check an enterprise file (duplicates by NEQ or close name refused) and write it."""
    sheet, problems = read_sheet(upload.name, upload.content, ENTERPRISE_COLUMNS,
                                 ENTERPRISE_REQUIRED)
    catalogue = Catalogue.load()
    reader = _Reader(sheet)
    directory = enterprises.Directory()
    in_file = enterprises.Directory(rows=())
    statuses = Matcher(STATUS_WORDS.items())
    dossiers = _dossiers([sheet])
    linked = {}
    specs, already, links = [], 0, []
    for number, row in sheet.rows:
        reader.required(number, row, ENTERPRISE_REQUIRED)
        values = {
            "legal_form": reader.value(number, row, "legal_form", lambda t: catalogue.items[
                "legal_form"][catalogue.matchers["legal_form"].code(t)]),
            "territory": reader.value(number, row, "territory", lambda t: catalogue.items[
                "territory"][catalogue.matchers["territory"].code(t)]),
            "sector": reader.value(number, row, "sector", lambda t: catalogue.items[
                "sector"][catalogue.matchers["sector"].code(t)]),
            "founded_year": reader.value(number, row, "founded_year",
                                         lambda t: parse_count(t, 2100)),
            "status": reader.value(number, row, "status", statuses.code, "active"),
            **{name: reader.value(number, row, name, _members) for name in enterprises.COMPOSITION},
        }
        owned = reader.items(number, row, "dossiers", _dossier_parser(dossiers))
        name = row.get("name", "")
        if INVALID in values.values() or owned is INVALID or not name:
            continue
        fields = enterprises.EnterpriseFields(name=name, neq=enterprises.clean_neq(
            row.get("neq")), notes=row.get("notes", ""), **values)
        try:
            enterprises.check(fields)
        except DomainError as error:
            column = error.field or "name"
            reader.problem(number, column, row.get(column, ""), error.message.rstrip("."))
            continue
        twin = in_file.duplicate(fields.name, fields.neq)
        if twin:
            reader.problem(number, "neq" if twin[1] == "neq" else "name",
                           row.get("neq" if twin[1] == "neq" else "name", ""),
                           _("en double dans le fichier (ligne %(row)d)", row=twin[0]))
            continue
        in_file.add(number, fields.name, fields.neq)
        found = directory.duplicate(fields.name, fields.neq)
        if found:
            same = enterprises.name_key(directory.labels[found[0]]) == \
                enterprises.name_key(fields.name)
            if not same or (found[1] == "name" and fields.neq and
                            fields.neq not in directory.neqs):
                column = "neq" if found[1] == "neq" else "name"
                reader.problem(number, column, row.get(column, ""),
                               enterprises.duplicate_message(directory, found))
                continue
            already += 1
            links += [(found[0], dossier) for dossier in owned]
            continue
        for dossier in owned:
            if dossier.reference in linked:
                reader.problem(number, "dossiers", dossier.reference,
                               _("déjà lié à l'entreprise de la ligne %(row)d",
                                 row=linked[dossier.reference]))
            linked[dossier.reference] = number
        specs.append((fields, owned))
    problems += reader.problems
    result = HubImportResult(sorted_problems(problems, [sheet.name]), rows=len(sheet.rows))
    if result.problems:
        return result
    from caseflow.enterprises.models import Enterprise, enterprise_dossier

    current = dict(db.session.execute(select(enterprise_dossier.c.dossier_id,
                                             enterprise_dossier.c.enterprise_id)).all())
    links = [(eid, dossier) for eid, dossier in links if current.get(dossier.id) != eid]
    result.enterprises = len(specs)
    result.links = len(links) + sum(len(owned) for _fields, owned in specs)
    if dry_run or not result.changes:
        return result
    source = "Import : " + sheet.name
    for fields, owned in specs:
        enterprise = enterprises.add_enterprise(fields, actor, directory, source)
        for dossier in owned:
            enterprises.link_dossier(enterprise, dossier, actor)
    for enterprise_id, dossier in links:
        enterprises.link_dossier(db.session.get(Enterprise, enterprise_id), dossier, actor)
    result.written = True
    return result


def summary(result: HubImportResult, dry_run: bool = False) -> str:
    """Return what the import created (or would create), in one sentence."""
    counts = dict(projects=result.projects, activities=result.activities,
                  enterprises=result.enterprises, links=result.links)
    if not result.changes:
        return _("Rien à ajouter : ces fichiers sont déjà importés (%(rows)d lignes lues).",
                 rows=result.rows)
    if dry_run:
        return _("Vérification réussie, rien n'a été écrit. L'import créerait : projets "
                 "%(projects)d · activités %(activities)d · entreprises %(enterprises)d · "
                 "liens entreprise-dossier %(links)d.", **counts)
    return _("Import terminé. Créés : projets %(projects)d · activités %(activities)d · "
             "entreprises %(enterprises)d · liens entreprise-dossier %(links)d.", **counts)
