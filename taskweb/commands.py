"""`flask` CLI commands of taskweb."""

from __future__ import annotations

import click
from flask import Flask

from taskweb.services.maintenance import purge_expired_records
from taskweb.wiring import unit_of_work


def register_commands(app: Flask) -> None:
    @app.cli.command("purge-expired")
    def purge_expired() -> None:
        """Delete expired token records and old idempotency keys (run it daily)."""
        removed = purge_expired_records(unit_of_work())
        click.echo(f"Removed {removed} expired records.")
