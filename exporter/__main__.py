"""``python -m exporter`` runs the `packet` command."""

from .cli import run

run()
