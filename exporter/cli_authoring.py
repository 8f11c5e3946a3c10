"""The `packet` commands for authoring a bank and its roles: `init` (a workspace), `schema` (editor schemas),
`import` and `export` (questions as Markdown). Registered on the `packet` group in :mod:`exporter.cli`."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_options import bank_option, folder_options


@click.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "role", metavar="ROLE", help="Start from a shipped role: the whole bank and ROLE's layouts.")
@click.option("--blank", is_flag=True, help="Start a new role from a commented skeleton (the default).")
def init(folder: Path, role: str | None, blank: bool) -> None:
    """Make a workspace in FOLDER (default: the current folder): packet.toml, bank/ and layouts/, yours to
    edit and keep in git. Every command run in FOLDER or below reads them, with no --bank or --layouts.

    --blank writes a skeleton that validates as it is: placeholder categories, two example questions and a
    layout named after the folder. --from ROLE copies the shipped bank, ROLE's layout and the loops that use
    it. An existing workspace is never overwritten.

    \b
    Examples:
      packet init staff-backend --blank
      packet init infra --from infra-m3
    """
    from .workspace import init_workspace, role_name

    if role is not None and blank:
        raise click.UsageError("--from and --blank exclude each other; give one of them")
    for path in init_workspace(folder, role):
        click.echo(str(path))
    there = "" if folder == Path(".") else f"cd {folder}, "
    made = role or role_name(folder)
    click.echo(f"Next: {there}edit the files, then `packet validate` and `packet make --role {made}`", err=True)


@click.command()
@click.argument("kind", type=click.Choice(["taxonomy", "questions", "layout", "loop"]))
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind of file: bank/taxonomy.yaml, bank/questions/*.yaml,
    layouts/<role>.yaml or layouts/loops/<name>.yaml. Editors that use the YAML language server check a file
    against the schema named on its first line (`packet init` writes both).

    \b
    Examples:
      packet schema layout > .packet/schemas/layout.json
      packet schema questions
    """
    from .schema import schema_text

    click.echo(schema_text(kind), nl=False)


@click.command("import")
@click.argument("markdown_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the questions to this bank file, e.g. bank/questions/NAME.yaml (default: print the YAML).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing --into file.")
@bank_option
def import_command(markdown_file: Path, into: Path | None, force: bool, bank_dir: Path | None) -> None:
    """Read questions drafted in Markdown into bank YAML: a numbered or headed title, the question, "Goal",
    "A great answer will mention", "Negative signals to look out for", "Technologies that may come up",
    follow-ups and category notes. The shape it reads: docs/formats.md.

    What it cannot place is named with its line on stderr; a malformed line is an error and nothing is
    written. The categories come from the bank (--bank, the bank --into is in, the workspace's, or the
    shipped one), whose questions it never overwrites: an id the bank already holds is an error. Teams and
    domains the Markdown does not name are left empty for you to fill in; `packet validate` lists them.

    \b
    Examples:
      packet import drafts/sre.md
      packet import drafts/sre.md --into bank/questions/sre.yaml
    """
    from .errors import warn
    from .markdown_import import check_into, import_markdown, questions_yaml, write_questions

    if into is not None:
        check_into(into, force)
    imported = import_markdown(markdown_file, bank_dir, into)
    for note in imported.notes:
        warn(note)
    if into is None:
        click.echo(questions_yaml(imported), nl=False)
    else:
        click.echo(str(write_questions(imported, into, force)))


@click.command("export")
@click.option("--markdown", "as_markdown", is_flag=True, help="Write Markdown (the one format so far).")
@click.option("--role", "-r", help="Only this role's questions, in interview order (default: the whole bank).")
@click.option(
    "--out", "-o", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file, not stdout."
)
@click.option("--force", is_flag=True, help="Overwrite an existing --out file.")
@folder_options()
def export_command(
    as_markdown: bool,
    role: str | None,
    out_file: Path | None,
    force: bool,
    bank_dir: Path | None,
    layouts_dir: Path | None,
) -> None:
    """Write the bank, or one role's questions in order, as Markdown for reviewing content in a doc.

    The shape is the one `packet import` reads, so an edited export imports again (under new ids, or into
    another bank: import never overwrites a bank question).

    \b
    Examples:
      packet export --markdown --role infra-m3 --out infra-m3-questions.md
      packet export --markdown > bank.md
    """
    from .markdown_export import export_markdown, write_markdown

    if not as_markdown:
        raise click.UsageError("say which format: --markdown")
    text = export_markdown(role, bank_dir, layouts_dir)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        click.echo(str(write_markdown(text, out_file, force)))
