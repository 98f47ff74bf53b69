"""Workflow definitions as data, and the engine that applies them to dossiers.

Pure on purpose: neither Flask nor the database session is imported here, so the rules
can be loaded, checked and tested on their own.
"""

from caseflow.workflow.definition import (
    FIELDS,
    ROLES,
    Choice,
    Definition,
    DefinitionError,
    State,
    Transition,
    load_definition,
    load_definitions,
)
from caseflow.workflow.diagram import mermaid
from caseflow.workflow.engine import (
    Actor,
    Engine,
    Placement,
    Refusal,
    TransitionRefused,
    UnknownWorkflow,
)
from caseflow.workflow.guards import GUARDS, N_, guard

__all__ = [
    "FIELDS", "GUARDS", "ROLES", "N_", "Actor", "Choice", "Definition", "DefinitionError",
    "Engine", "Placement", "Refusal", "State", "Transition", "TransitionRefused",
    "UnknownWorkflow",
    "guard", "load_definition", "load_definitions", "mermaid",
]
