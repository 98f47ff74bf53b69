"""What the documents' part of the dossier page shows: the checklist."""

from caseflow.documents.checklist import checklist


def checklist_section(dossier) -> dict:
    """Return the dossier's checklist lines, for the staff's and the partner's partials."""
    return {"checklist": checklist(dossier)}
