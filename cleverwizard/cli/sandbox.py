"""The sandbox district over HTTP, and the demo that opens the wizard on it."""

from __future__ import annotations

from pathlib import Path

import click

from cleverwizard.cli.main import EXIT_USAGE, clear_errors, common_options, fail, link_from, settings_from


@click.group()
def sandbox() -> None:
    """The built-in sandbox Clever district."""


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, type=int, help="0 picks a free port.")
@click.option("--seed", default=2026, type=int, show_default=True)
@click.option("--schools", default=3, type=int, show_default=True)
@click.option("--teachers", default=24, type=int, show_default=True, help="Per school.")
@click.option("--students", default=450, type=int, show_default=True, help="Per school.")
@common_options
def serve(
    host: str,
    port: int,
    seed: int,
    schools: int,
    teachers: int,
    students: int,
    data_dir: Path | None,
    clever_url: str | None,
    clever_oauth_url: str | None,
) -> None:
    """Serve the sandbox district over HTTP; prints `URL DISTRICT_ID TOKEN` first.

    The second line is the sandbox app's `CLIENT_ID CLIENT_SECRET`: set them as
    CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET to fetch the token as a real app does.
    """
    from cleverwizard.sandbox import SandboxAPI, SandboxDistrict
    from cleverwizard.sandbox import serve as serve_http

    if not 0 <= port <= 65535:
        fail(f"--port {port} is not a port: use 1-65535, or 0 to pick a free one.", EXIT_USAGE)
    district = SandboxDistrict.generate(seed=seed, schools=schools, teachers=teachers, students=students)
    try:
        server, base_url = serve_http(SandboxAPI(district), host=host, port=port)
    except (OSError, OverflowError) as error:  # in use, not ours to bind, or a host that is not here
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        fail(f"cannot serve on {host}:{port} ({reason}): choose another --port or --host.", EXIT_USAGE)
        return
    click.echo(f"{base_url} {district.district_id} {district.token}", nl=True)
    click.echo(f"{district.client_id} {district.client_secret}", nl=True)
    click.echo(f"Sandbox district {district.district['name']!r} is being served; ctrl+c stops it.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command()
@click.option("--fresh", is_flag=True, help="Start the demo over from the beginning.")
@click.option("--seed", default=2026, type=int, hidden=True)
@click.option(
    "--clever-state",
    type=click.Choice(["success", "paused", "error", "running", "pending"]),
    help="Show Clever's own sync of the sandbox district in this state (paused for two weeks, an error...).",
)
@common_options
@click.pass_context
def demo(
    ctx: click.Context,
    fresh: bool,
    seed: int,
    clever_state: str | None,
    data_dir: Path | None,
    clever_url: str | None,
    clever_oauth_url: str | None,
) -> None:
    """Open the wizard on the sandbox district, in a demo data folder of its own."""
    from cleverwizard.demo import prepare_demo

    with clear_errors():
        base = settings_from(ctx, data_dir, clever_url).data_dir
        settings = prepare_demo(base / "demo", seed=seed, fresh=fresh, clever_state=clever_state)
        from cleverwizard.wiring import run_wizard

        run_wizard(settings, link=link_from(ctx))
