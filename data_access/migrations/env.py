"""Alembic's environment for the bureau database. Run through `data_access.migrate`, never on
its own: there is no alembic.ini, and the caller hands over an open connection in
`config.attributes["connection"]`.

`target_metadata` is the schema as the code declares it today; only autogenerate (a developer
writing a new revision) reads it. The revisions themselves never import `data_access.schema`.
SQLite runs in batch mode, so an ALTER that SQLite lacks is done by copying the table.
"""

from alembic import context

from data_access import schema

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=schema.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
