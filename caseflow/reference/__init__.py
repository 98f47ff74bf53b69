"""Reference lists (territories, sectors, funds...) and the organisations dossiers go to."""


def init_app(app) -> None:
    """Give templates the organisation kinds' labels and organisations' names by code."""
    from caseflow.reference.lookups import organisation_name
    from caseflow.reference.models import ORGANISATION_KIND_LABELS

    app.add_template_global(lambda kind: ORGANISATION_KIND_LABELS.get(kind, kind),
                            "organisation_kind_label")
    app.add_template_global(organisation_name, "organisation_name")
