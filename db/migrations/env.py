"""Alembic environment: runs against the engine handed over by db.migrate."""
from alembic import context
from sqlalchemy import text

from db.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
    connection.commit()
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
