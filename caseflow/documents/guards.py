"""The documents' guard on the workflow: financing waits for the constitution documents."""

from caseflow.documents.checklist import missing_required
from caseflow.workflow.guards import N_


def documents_refusal(missing: list[str]) -> tuple[str, dict] | None:
    """Return the refusal naming the documents still to validate, or None when none is."""
    if missing:
        return (N_("Documents constitutifs à valider d'abord : %(documents)s."),
                {"documents": ", ".join(missing)})
    return None


def constitution_documents_complete(dossier) -> tuple[str, dict] | None:
    """Refuse until the documents the dossier's legal form requires are validated or N/A."""
    return documents_refusal(missing_required(dossier))
