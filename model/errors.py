"""Bad input: one exception type that carries the file, the field path and the problem.

The command line turns a `BadInput` into exactly one line on stderr and exit code 2. Every
parser in the model raises it (never a bare ValueError or KeyError) so that no traceback
reaches a user.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class BadInput(Exception):
    """Input that the model refuses: `source` is a file name (or `<stdin>`), `field` a dotted
    path inside it (empty for the whole file), `problem` a short sentence."""

    source: str
    field: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return one_line(f"{where}: {self.problem}")


def one_line(text: str) -> str:
    """The text with control characters escaped (a file or field name with a newline in it
    must not split the one line an error is)."""
    return "".join(repr(char)[1:-1] if not char.isprintable() else char for char in text)


class FieldError(ValueError):
    """A problem with one value, raised inside structuring; the path is added by the caller."""
