"""What the financing part of the dossier page shows: the lines' totals."""

from caseflow.financing.services import totals


def financing_section(dossier) -> dict:
    """Return the sums shown under the dossier's financing lines."""
    return {"financing_totals": totals(dossier.financing_lines)}
