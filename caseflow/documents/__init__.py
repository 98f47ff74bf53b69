"""Constitution documents: a checklist per dossier, with attached files and their versions."""

from flask_babel import lazy_gettext as _l

DETAILS = "documents/_timeline.html"


def init_app(app) -> None:
    """Register the checklist pages, the workflow's documents guard, the seeded kinds, the
    timeline entries and what templates need of documents."""
    from caseflow.audit import timeline
    from caseflow.documents import storage
    from caseflow.documents.checklist import kind_label
    from caseflow.documents.cli import files
    from caseflow.documents.guards import constitution_documents_complete
    from caseflow.documents.models import STATUS_CLASSES, STATUS_LABELS
    from caseflow.documents.seed import seed_document_kinds
    from caseflow.documents.views import bp
    from caseflow.dossiers.workflows import add_guard
    from caseflow.reference.seed import add_seeder

    kind = app.config.get("FILE_STORAGE")
    if kind not in storage.KINDS:
        raise ValueError(f"FILE_STORAGE (CASEFLOW_FILE_STORAGE) is {kind!r}: expected one of "
                         + ", ".join(storage.KINDS))
    app.register_blueprint(bp)
    app.cli.add_command(files)
    add_guard(app, "constitution_documents_complete", constitution_documents_complete)
    add_seeder(app, seed_document_kinds)
    app.add_template_global(lambda status: STATUS_LABELS.get(status, status), "document_status")
    app.add_template_global(lambda status: STATUS_CLASSES.get(status, "text-bg-light"),
                            "document_status_class")
    app.add_template_global(kind_label, "document_kind_label")
    timeline.register(app, {"document.updated": _l("Document mis à jour"),
                            "attachment.added": _l("Fichier déposé"),
                            "attachment.removed": _l("Fichier retiré")}, DETAILS)
    timeline.register(app, {"document_kind.created": _l("Type de document créé"),
                            "document_kind.updated": _l("Type de document modifié")})
