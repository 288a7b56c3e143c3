"""``vitrina config show``: the resolved profile, secrets masked."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.table import Table

from vitrina.cli.app import app, out_console, settings_from
from vitrina.config import mask_secrets

config_app = typer.Typer(help="Inspect the resolved configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show every setting of the resolved profile (passwords masked)."""
    settings = settings_from(ctx)
    # Spelled as in vitrina.toml, so a row can be pasted back (durations as "5m", not ms).
    rows = [
        (section, key, mask_secrets(value, key))
        for section, kv in settings.as_toml().items()
        for key, value in kv.items()
    ]
    if as_json:
        doc: dict[str, dict[str, object]] = {}
        for section, key, value in rows:
            doc.setdefault(section, {})[key] = value
        out_console.print_json(orjson.dumps(doc).decode())
        return
    table = Table(
        title=f"profile {settings.profile}"
        + (f" ({settings.config_file})" if settings.config_file else "")
    )
    for col in ("section", "key", "value"):
        table.add_column(col)
    for section, key, value in rows:
        table.add_row(section, key, str(value))
    out_console.print(table)
