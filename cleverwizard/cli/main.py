"""The ``cleverwizard`` command: the wizard by default, headless steps as subcommands.

Headless commands never import Textual (cron pays for nothing it doesn't use); only the
wizard and the demo import ``cleverwizard.ui``, inside their functions. Every failure is
one line on standard error with what to do, and an exit code from INTERFACE.md.
"""

from __future__ import annotations

import errno
import functools
import importlib
import os
import sys
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from cleverwizard import config
from cleverwizard.text import one_line

if TYPE_CHECKING:
    from cleverwizard.service.roster_sync import CleverLink

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_HELD = 3

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class Held(Exception):
    """A sync stopped before writing because it would change too much."""


def fail(message: str, code: int = EXIT_FAILED) -> None:
    """One line on standard error (Clever's own words in it made one printable line), then exit."""
    click.echo(f"cleverwizard: {one_line(message)}", err=True)
    sys.exit(code)


def _loaded(error: BaseException, module: str, *names: str) -> bool:
    """``error`` is one of ``module``'s exception classes. A module that was never imported
    raised nothing, so it is not imported here just to be checked (``status`` stays light)."""
    found = sys.modules.get(module)
    return found is not None and isinstance(error, tuple(getattr(found, name) for name in names))


def say(*lines: str) -> None:
    """Print ``lines`` to standard output, each one printable line: they carry Clever's names,
    and a name with a newline or an escape sequence must not forge or colour a line of its own."""
    click.echo("\n".join(one_line(line) for line in lines))


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn every expected failure into one line and the right exit code."""
    try:
        yield
    except Held as error:
        fail(str(error), EXIT_HELD)
    except KeyboardInterrupt:
        fail("stopped; nothing was written", EXIT_FAILED)
    except OSError as error:
        if not reader_gone(error):
            raise_as_line(error)
    except Exception as error:
        raise_as_line(error)


def reader_gone(error: OSError) -> bool:
    """``export … | head``: the reader closed the pipe. That is "enough", not a failure: end with 0.

    Standard output is pointed at the null device first, so the interpreter's last flush is quiet.
    """
    if not isinstance(error, BrokenPipeError) and error.errno != errno.EPIPE:
        return False
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    sys.exit(0)


def raise_as_line(error: BaseException) -> None:
    """One line on stderr and the exit code for an expected failure; anything else is re-raised."""
    service = "cleverwizard.service.roster_sync"
    if _loaded(error, service, "StepOutOfOrder"):
        fail(str(error), EXIT_USAGE)
    elif _loaded(error, "cleverwizard.clever.errors", "CleverError"):
        fail(getattr(error, "message", str(error)))
    elif (
        _loaded(error, "cleverwizard.store.errors", "StoreError")
        or _loaded(error, "cleverwizard.runs.steps", "StalePlan")
        or _loaded(error, service, "EmailRejected")
        or isinstance(error, config.SettingsError)
    ):
        fail(str(error))
    elif isinstance(error, OSError):
        fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    else:
        raise error


def common_options(command: F) -> F:
    """``--data-dir``, ``--clever-url`` and ``--clever-oauth-url`` on every command, as INTERFACE.md asks."""
    command = click.option(
        "--clever-oauth-url",
        metavar="URL",
        default=None,
        help="Where Clever's /oauth/tokens is [env CLEVER_OAUTH_URL; default https://clever.com, "
        "or the --clever-url origin when that is not Clever's].",
    )(command)
    command = click.option(
        "--clever-url",
        metavar="URL",
        default=None,
        help="Clever API base URL [env CLEVER_API_URL; default https://api.clever.com/v3.0].",
    )(command)
    command = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Folder of the platform's data [env CLEVERWIZARD_DATA_DIR].",
    )(command)
    return command


def settings_from(
    ctx: click.Context, data_dir: Path | None, clever_url: str | None, clever_oauth_url: str | None = None
) -> config.Settings:
    parent = ctx.find_root().params
    return config.resolve(
        data_dir or parent.get("data_dir"),
        clever_url or parent.get("clever_url"),
        clever_oauth_url or parent.get("clever_oauth_url"),
    )


def link_from(ctx: click.Context) -> CleverLink | None:
    """The ``CleverLink`` a caller handed in as click's ``obj`` (tests do); ``None``: the default."""
    from cleverwizard.service.roster_sync import CleverLink

    obj = ctx.find_root().obj
    return obj if isinstance(obj, CleverLink) else None


def run(coro: Coroutine[Any, Any, T]) -> T:
    import asyncio  # only the commands that talk to Clever pay for it

    return asyncio.run(coro)


Opener = Callable[[click.Context, config.Settings], AbstractContextManager[Any]]


def _with(opened: Opener) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for a headless command: the common options, the settings they resolve to,
    errors as one line, and what ``opened`` gives for the folder, handed to the command."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @common_options
        @click.pass_context
        @functools.wraps(func)
        def wrapper(
            ctx: click.Context,
            /,
            data_dir: Path | None,
            clever_url: str | None,
            clever_oauth_url: str | None,
            **kwargs: Any,
        ) -> Any:
            with clear_errors():
                settings = settings_from(ctx, data_dir, clever_url, clever_oauth_url)
                with opened(ctx, settings) as resource:
                    return func(resource, **kwargs)

        return wrapper

    return decorate


def _open_sync(ctx: click.Context, settings: config.Settings) -> AbstractContextManager[Any]:
    from cleverwizard.wiring import open_sync

    return open_sync(settings, started_by="cli", link=link_from(ctx))


def _open_store(ctx: click.Context, settings: config.Settings) -> AbstractContextManager[Any]:
    """The roster, kept until exit: ``status`` and ``history`` only read it and end.

    Read with the garbage collector paused, a roster is a few hundred thousand young
    objects; switched back on, the collector's first passes walked them all (30-50 ms at
    20,000 students) only to find them alive, and freeing them at exit cost as much again.
    """
    from cleverwizard.bulk import keep_until_exit, paused_gc
    from cleverwizard.store import RosterStore

    with paused_gc():
        store = RosterStore.open(settings.data_dir)
        keep_until_exit(store)
    return store


with_sync = _with(_open_sync)
"""Open the store for a headless command, hand it a RosterSync, close it after."""

with_store = _with(_open_store)
"""Open the store alone for a command that only reads it (``status``, ``history``).

They never reach Clever, so they skip the service and its client, models and planners:
a scheduled check or a prompt that shows the status starts in tens of milliseconds.
"""


class Listed(NamedTuple):
    """Where a command's click object lives (``module:attribute``), and its one-line help."""

    where: str
    summary: str


COMMANDS: dict[str, Listed] = {
    "connect": Listed(
        "cleverwizard.cli.setup:connect", "Check DISTRICT_ID with Clever and save the connection (and the school)."
    ),
    "districts": Listed(
        "cleverwizard.cli.setup:districts", "List the districts connected to the platform's Clever app: id, name."
    ),
    "schools": Listed("cleverwizard.cli.setup:schools", "List the connected district's schools: id, name, grades."),
    "status": Listed(
        "cleverwizard.cli.setup:status",
        "The Notifications checklist as text: district, school, teachers, students, sections.",
    ),
    "import": Listed(
        "cleverwizard.cli.people:import_people",
        "Import the connected school's teachers, students or sections from Clever.",
    ),
    "export": Listed(
        "cleverwizard.cli.people:export",
        "Write the platform's accounts, sections, courses or enrolments to standard output.",
    ),
    "add": Listed(
        "cleverwizard.cli.files:add", "Add the platform's own teachers, students or courses from a CSV FILE."
    ),
    "emails": Listed("cleverwizard.cli.files:emails", "Login emails for the accounts that have none."),
    "sync": Listed(
        "cleverwizard.cli.daily:sync",
        "The daily sync: the connected school's teachers, students and sections in one run.",
    ),
    "history": Listed(
        "cleverwizard.cli.setup:history",
        "The applied imports, syncs and undos, newest first: id, when, what started it, counts.",
    ),
    "undo": Listed("cleverwizard.cli.daily:undo", "Revert RUN_ID's changes where nothing later depends on them."),
    "sandbox": Listed("cleverwizard.cli.sandbox:sandbox", "The built-in sandbox Clever district."),
    "demo": Listed(
        "cleverwizard.cli.sandbox:demo", "Open the wizard on the sandbox district, in a demo data folder of its own."
    ),
}
"""Every command, listed once. The summary is the first paragraph of the command's own help,
so ``--help`` lists the commands without importing them (a test keeps the two equal)."""


class CommandTable(click.Group):
    """A group whose commands come from ``COMMANDS``, each module imported only when needed.

    Registration is explicit (no command exists because some module happened to be
    imported) and a command's imports are paid only by the command that runs.
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Every command: a reader that stops early (``export … | head``) ends the run quietly, 0.

        The closed pipe is the reader saying it has enough, not a failure; standard output is
        pointed at the null device so the interpreter's last flush cannot complain either.
        """
        try:
            return super().invoke(ctx)
        except OSError as error:
            if not reader_gone(error):
                raise

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        listed = COMMANDS.get(cmd_name)
        if listed is None:
            return None
        module_name, _, attribute = listed.where.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command), listed.where
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help`` from the summaries in ``COMMANDS``: nothing imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, click.Command(name, help=COMMANDS[name].summary).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=CommandTable, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@common_options
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, clever_url: str | None, clever_oauth_url: str | None) -> None:
    """Connect this learning platform to Clever and keep it in sync.

    With no command, opens the wizard on the configured data folder.
    """
    if ctx.invoked_subcommand is None:
        with clear_errors():
            from cleverwizard.wiring import run_wizard

            run_wizard(config.resolve(data_dir, clever_url, clever_oauth_url), link=link_from(ctx))


def main() -> None:
    """Run the command; after a batch command (import, sync), end the process at once.

    By the time ``cli`` returns, the command's store is closed, its locks released and its
    report printed; what is left is freeing every record it built, object by object, which
    the operating system does for free at exit (``bulk.keep_until_exit``). Output is
    flushed first, so nothing printed is lost.

    Pydantic plugins are switched off (unless ``PYDANTIC_DISABLE_PLUGINS`` says otherwise): a
    plugin installed beside us would see every student record validated, and looking for
    them scans every installed package's metadata the first time a record is validated.
    """
    from cleverwizard.bulk import exit_skipping_teardown_requested, one_shot_process

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    one_shot_process()
    try:
        cli(prog_name="cleverwizard")
    except SystemExit as done:
        if not exit_skipping_teardown_requested():
            raise
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if done.code is not None and not isinstance(done.code, int):
            print(done.code, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
