"""Alembic environment: migrations run against the Flask app's engine and metadata."""

import logging

from alembic import context
from flask import current_app

log = logging.getLogger("alembic.env")
target_db = current_app.extensions["migrate"].db


def _include_object(obj, name, type_, reflected, compare_to):
    from caseflow.dossiers.search import is_search_object

    # SQLite keeps its own bookkeeping tables; they are not ours to manage. The search index
    # differs by database and is written by its migration alone, not by the models.
    return not (type_ == "table" and name.startswith("sqlite_")) and not is_search_object(name)


def _render_item(type_, obj, autogen_context):
    # Migrations must not import the app: our column types are written as plain SQLAlchemy.
    if type_ == "type" and type(obj).__module__.startswith("caseflow"):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations_offline() -> None:
    """Write the SQL of the migrations instead of running it."""
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the app's database."""

    def skip_empty_revision(context_, revision, directives):
        if getattr(context_.config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                log.info("No changes in schema detected.")

    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty_revision)
    options.setdefault("compare_type", True)
    options.setdefault("render_as_batch", True)
    options.setdefault("render_item", _render_item)
    with target_db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_object=_include_object,
            **options,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
