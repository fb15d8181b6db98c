"""Writing files so that they appear complete or not at all, with the permissions any other
new file would get (0666 less the umask: 0644 under the usual umask), not the 0600 of a bare
temporary file. Every file the tools write goes through here."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from aurules.model.errors import BadInput


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


MODE = 0o666 & ~_umask()
"""The mode of a new file under this process's umask (read once, at import)."""


@contextlib.contextmanager
def atomic_path(target: str | Path, *, replace: bool = True) -> Iterator[Path]:
    """A temporary path beside `target` to write to; when the block ends without an error it
    takes `target`'s name (`replace`: over any file there; otherwise only if none is there,
    so that an existing file is never overwritten). On an error nothing is left behind."""
    target = Path(target)
    if target.is_dir():
        raise BadInput(str(target), "", "is a folder: give a file name")
    made = [folder for folder in (target.parent, *target.parent.parents) if not folder.exists()]
    done = False
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
        except OSError as exc:  # read-only, full, or a file where a folder should be
            raise cannot_write(target, exc) from None
        os.close(handle)
        temporary = Path(name)
        try:
            os.chmod(temporary, MODE)
            yield temporary
            if replace:
                os.replace(temporary, target)
            else:
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, target)
            done = True
        except OSError as exc:  # e.g. the disk filled while writing: nothing is left behind
            raise cannot_write(target, exc) from None
        finally:
            temporary.unlink(missing_ok=True)
    finally:
        if not done:  # the folders made for the file go too (innermost first, if empty)
            for folder in made:
                with contextlib.suppress(OSError):
                    folder.rmdir()


def cannot_write(target: str | Path, exc: OSError) -> BadInput:
    """The one line for a file that could not be written (read-only, full disk...)."""
    return BadInput(str(target), "", f"cannot be written ({exc.strerror or exc})")


def write_text(target: str | Path, text: str, *, replace: bool = True) -> Path:
    """`text` written to `target` atomically (UTF-8, flushed to disk); returns the path."""
    with (
        atomic_path(target, replace=replace) as temporary,
        open(temporary, "w", encoding="utf-8") as stream,
    ):
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return Path(target)
