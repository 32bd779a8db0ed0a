"""The honest floor for a Typer CLI: a hello-world app with one command and a version flag."""

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)


def _version(value: bool) -> None:
    if value:
        typer.echo("hello 1.0")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """Say hello."""


@app.command()
def hello(name: str = "world") -> None:
    """Greet someone."""
    typer.echo(f"Hello {name}")


if __name__ == "__main__":
    app()
