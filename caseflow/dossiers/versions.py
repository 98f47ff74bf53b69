"""Dossiers across versions of their workflow: which would be stranded, and moving them.

A dossier records the workflow version it started on. A new version of a definition may
rename or drop states; it declares where the old ones go (`[migrate]`), and `migrate`
moves each dossier there, with its audit event. Until then a dossier whose state the
current version lacks still opens: its page says what the coordination must do.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from caseflow.audit.services import record
from caseflow.dossiers.models import Dossier
from caseflow.dossiers.workflows import engine, label
from caseflow.extensions import db
from caseflow.i18n import language
from caseflow.workflow.definition import Definition

MIGRATED = "dossier.migrated"


@dataclass(frozen=True)
class Group:
    """Dossiers of one workflow, version and state, and where the current definition puts them."""

    workflow: str
    version: int
    state: str
    count: int
    current_version: int | None  # None: no definition of that workflow is loaded
    target: str | None  # the state they run in now; None when stranded

    @property
    def stranded(self) -> bool:
        return self.target is None

    @property
    def pending(self) -> bool:
        """Whether `migrate` would change these dossiers (their version, or their state)."""
        return not self.stranded and (self.version != self.current_version
                                      or self.target != self.state)

    def problem(self) -> str:
        """Say, for the operator, why these dossiers would be stranded."""
        dossiers = f"{self.count} dossier{'s' if self.count > 1 else ''}"
        if self.current_version is None:
            return (f"{self.workflow}: {dossiers} on a workflow no file defines any more "
                    f"(state {self.state!r}, version {self.version})")
        if self.version > self.current_version:
            return (f"{self.workflow} v{self.current_version}: {dossiers} in state "
                    f"{self.state!r} run on version {self.version}, newer than this file")
        return (f"{self.workflow} v{self.current_version}: {dossiers} in state "
                f"{self.state!r} (version {self.version}), a state this version does not "
                f"have; declare where it goes: [migrate] from_version = {self.version}, "
                f"states = {{ {self.state} = \"...\" }}")


def survey(definitions=None) -> list[Group]:
    """Group every dossier by workflow, version and state, against the loaded definitions."""
    definitions = engine().definitions if definitions is None else definitions
    rows = db.session.execute(
        select(Dossier.workflow, Dossier.workflow_version, Dossier.state, func.count())
        .group_by(Dossier.workflow, Dossier.workflow_version, Dossier.state)
        .order_by(Dossier.workflow, Dossier.workflow_version, Dossier.state))
    groups = []
    for workflow, version, state, count in rows:
        definition = definitions.get(workflow)
        target = definition.migration_of(version, state) if definition else None
        groups.append(Group(workflow, version, state, count,
                            definition.version if definition else None, target))
    return groups


@dataclass(frozen=True)
class Notice:
    """What a dossier's page says when its state is missing from the current definition."""

    state: str
    target: str | None
    message: str


def notice(dossier: Dossier, definition: Definition) -> Notice | None:
    """Say what the coordination must do for a dossier its current definition cannot run."""
    if dossier.state in definition.states and dossier.workflow_version == definition.version:
        return None
    target = definition.migration_of(dossier.workflow_version, dossier.state)
    if target is not None and target == dossier.state:
        return None  # an earlier version whose state still exists: it runs as it is
    if target is not None:
        message = _("Ce dossier est à l'étape « %(state)s » de la version %(old)d du parcours ; "
                    "la version %(new)d la remplace par « %(target)s ». La coordination doit "
                    "lancer la migration des dossiers (commande « caseflow workflows migrate ») "
                    "pour que ses actions reviennent.", state=dossier.state,
                    old=dossier.workflow_version, new=definition.version,
                    target=label(definition.state(target), language()))
    else:
        message = _("Ce dossier est à l'étape « %(state)s », que la version %(new)d du parcours "
                    "n'a plus : aucune action n'est possible. La coordination doit indiquer dans "
                    "la définition du parcours où va cette étape (section [migrate]), puis lancer "
                    "« caseflow workflows migrate ».", state=dossier.state,
                    new=definition.version)
    return Notice(dossier.state, target, message)


def migrate_dossier(dossier: Dossier, definition: Definition) -> dict | None:
    """Move one dossier to the current version of its workflow, with its audit event.

    Returns the changes recorded, or None when there is nothing to do or nowhere to go.
    """
    if dossier.workflow_version == definition.version and dossier.state in definition.states:
        return None
    target = definition.migration_of(dossier.workflow_version, dossier.state)
    if target is None:
        return None
    changes = {"workflow": [f"{dossier.workflow}@{dossier.workflow_version}",
                            f"{definition.name}@{definition.version}"]}
    if target != dossier.state:
        changes["state"] = [dossier.state, target]
    dossier.workflow_version, dossier.state = definition.version, target
    dossier.touch()
    record(MIGRATED, "dossier", dossier.id, dossier_id=dossier.id, changes=changes)
    db.session.flush()
    return changes


@dataclass
class MigrationResult:
    moved: int = 0
    stranded: list[Group] | None = None


def migrate(*, batch: int = 200, commit=None) -> MigrationResult:
    """Move every dossier that a declared migration (or a new version) concerns, each locked
    and audited; `commit`, when given, ends a transaction after each batch (the CLI)."""
    definitions = engine().definitions
    result = MigrationResult()
    for group in survey(definitions):
        if not group.pending:
            continue
        definition = definitions[group.workflow]
        while True:
            ids = list(db.session.scalars(
                select(Dossier.id).where(Dossier.workflow == group.workflow,
                                         Dossier.workflow_version == group.version,
                                         Dossier.state == group.state)
                .order_by(Dossier.id).limit(batch)))
            if not ids:
                break
            dossiers = db.session.scalars(
                select(Dossier).where(Dossier.id.in_(ids), Dossier.workflow_version
                                      == group.version, Dossier.state == group.state)
                .with_for_update(of=Dossier).execution_options(populate_existing=True))
            for dossier in dossiers:
                if migrate_dossier(dossier, definition) is not None:
                    result.moved += 1
            if commit is not None:
                commit()
    result.stranded = [group for group in survey(definitions) if group.stranded]
    return result
