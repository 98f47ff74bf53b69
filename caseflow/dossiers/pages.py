"""The dossier page, as the slices that write to a dossier answer with it.

The page shows several slices, so it is composed above them; the composing slice registers
its renderer here at start-up. A button on the page whose change is refused or meets a
conflict answers with the page again, drawn with that button's form.
"""

from flask import current_app

KEY = "caseflow.dossier_page"


def register(app, render) -> None:
    """Set the function that draws the dossier page: render(dossier, status, **forms)."""
    app.extensions[KEY] = render


def dossier_page(dossier, status: int = 200, **forms):
    """Answer with the dossier page, its forms replaced by the ones given."""
    return current_app.extensions[KEY](dossier, status=status, **forms)


TOOLS = "caseflow.caseload_tools"


def add_caseload_tools(app, partial: str) -> None:
    """Add a partial drawn above the caseload's table (export, saved filters), given `filters`."""
    app.extensions.setdefault(TOOLS, []).append(partial)


def caseload_tools() -> list[str]:
    """Return the partials registered for the caseload's toolbar."""
    return list(current_app.extensions.get(TOOLS, ()))
