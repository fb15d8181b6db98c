"""What every `aurules` command shares: exit codes, the bad-input guard, reading rulesets and
scenarios, printing JSON.

Exit codes (the public contract): 0 success / all hold; 1 some check violated; 2 bad input
(one line on stderr naming the file, the field and the problem; never a traceback);
3 some check unknown and none violated; 70 an internal error (a bug: one line, or the
traceback with AURULES_DEBUG=1).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

import click

from aurules.model.errors import BadInput

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_VIOLATED, EXIT_BAD_INPUT, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 70
EXIT_INTERRUPTED = 130
"""Stopped by an interrupt (Ctrl-C): 128 + SIGINT, as shells report it."""


class OneLineErrors(click.Group):
    """The command group, with every usage error (a missing argument, an unknown option, a
    bad value) as one line on stderr and exit code 2; the usage text only with --help."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(EXIT_BAD_INPUT)
        except click.ClickException as exc:
            message = " ".join(exc.format_message().split())
            click.echo(f"aurules: {message}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:  # Ctrl-C while click itself was reading
            click.echo("aurules: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


def fail(message: str) -> NoReturn:
    """One line on stderr and exit code 2 (bad input)."""
    click.echo(f"aurules: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def guarded(command: F) -> F:
    """Turn BadInput into one line on stderr and exit code 2."""
    import functools

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _interrupts() as interrupted:
            try:
                result = _run(command, args, kwargs)
            except SystemExit as exit_:
                if interrupted and exit_.code != EXIT_INTERRUPTED:
                    _interrupted()
                raise
            if interrupted:
                _interrupted()
            return result

    return wrapper  # type: ignore[return-value]


def _interrupted() -> NoReturn:
    click.echo("aurules: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


@contextlib.contextmanager
def _interrupts() -> Iterator[list[bool]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is remembered. Python only prints (and
    so loses) a KeyboardInterrupt raised inside a garbage-collector callback or a destructor,
    and the command would run on as if nothing happened: so each interrupt also sends itself
    again a moment later, until one lands where it propagates, and one lost is kept out of
    stderr. The list is true once an interrupt came; the command then ends with exit 130."""
    import threading

    seen: list[bool] = []
    timers: list[threading.Timer] = []

    def again() -> None:
        os.kill(os.getpid(), signal.SIGINT)

    def handler(signum: int, frame: Any) -> None:
        seen.append(True)
        if len(seen) <= RESENDS:
            timer = threading.Timer(RESEND_SECONDS, again)
            timer.daemon = True
            timers.append(timer)
            timer.start()
        raise KeyboardInterrupt

    def unraisable(report: Any) -> None:
        if not isinstance(report.exc_value, KeyboardInterrupt):
            previous_hook(report)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals as they are
        yield seen
        return
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield seen
    finally:
        for timer in timers:
            timer.cancel()
        sys.unraisablehook = previous_hook
        # once interrupted the process ends: a resent signal still in flight is ignored
        signal.signal(signal.SIGINT, signal.SIG_IGN if seen else previous)


RESENDS = 40
RESEND_SECONDS = 0.25
"""An interrupt is sent again every quarter second, at most 40 times, until it propagates."""


def _run(command: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    """The command, with BadInput as one line and exit 2, an interrupt as exit 130, a broken
    pipe as a quiet exit, and any other exception as one line and exit 70."""
    try:
        return command(*args, **kwargs)
    except BadInput as exc:
        fail(str(exc))
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing to report
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:  # an interrupt is not a verdict: 130, as shells use
        _interrupted()
    except Exception as exc:  # a bug, not bad input: one line, unless debugging
        if os.environ.get("AURULES_DEBUG"):
            raise
        click.echo(
            f"aurules: internal error: {type(exc).__name__}: {exc} "
            "(set AURULES_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


def load_rules(ref: str | None, *, several: bool = False, what: str = "--rules") -> Any:
    """The ruleset named by id or path (default: the official one); with `several`, a
    comma-separated list gives `Editions`."""
    from aurules.model.editions import is_several, load_editions

    if is_several(ref):
        assert ref is not None
        if not several:
            raise BadInput(
                what,
                "",
                f"{ref!r}: this command takes one ruleset (several, comma-separated, are for "
                "evaluate, explain, impact and check)",
            )
        return load_editions(ref, _load_one)
    return _load_one(ref)


def _load_one(ref: str | None) -> Any:
    from aurules.model.rulebook import check_rules
    from aurules.model.ruleset import load_ruleset

    ruleset = load_ruleset(ref)
    check_rules(ruleset)
    if ruleset.structure.expect_violated:
        from aurules.properties.runner import check_expectation

        check_expectation(ruleset)
    return ruleset


def read_scenario(path: str, ruleset: Any = None) -> Any:
    """A learner scenario or, when it says `"kind": "access"`, an access trace; the
    fields a proposal `ruleset` adds are read beside the contract's. A counterexample file
    gives its scenario (see `read_record`)."""
    return read_record(path, ruleset)[0]


def read_record(path: str, ruleset: Any = None) -> tuple[Any, dict[str, Any] | None]:
    """The scenario of a file, and the counterexample record around it when the file is a
    saved counterexample (`invariant`, `scenario`, `violation`), else None."""
    from aurules.model.scenario import Scenario, is_access, read_json, read_text

    source = "<stdin>" if path == "-" else path
    data = read_json(_stdin_text() if path == "-" else read_text(path), source)
    record = None
    if isinstance(data, dict) and {"invariant", "scenario", "violation"} <= set(data):
        record, data, source = data, data["scenario"], f"{source}: scenario"
    if is_access(data):
        from aurules.model.access_scenario import AccessScenario

        return AccessScenario.from_data(data, source), record
    return Scenario.from_data(data, source, ruleset.new_facts if ruleset else ()), record


def _stdin_text() -> str:
    """Standard input as text, or BadInput when it is not UTF-8."""
    try:
        return sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(
            "<stdin>", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def for_start(rules: Any, parsed: Any, path: str) -> Any:
    """The ruleset for a scenario: of several editions, the one whose period holds its
    start date (an access trace takes the first); one ruleset is itself."""
    from aurules.model.editions import Editions

    if not isinstance(rules, Editions):
        return rules
    if getattr(parsed, "kind", None) == "access":
        return rules.rulesets[0]
    return rules.choose(parsed.plan.start_date, "<stdin>" if path == "-" else path)


def print_json(data: Any) -> None:
    """Pretty-printed JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


RULES_OPTION = click.option(
    "--rules",
    "rules",
    metavar="FILE|ID",
    default=None,
    help="Ruleset id or TOML file (default: the official ruleset 2026-04).",
)
