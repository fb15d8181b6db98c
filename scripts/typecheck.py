"""Type-check the package as it installs: `python scripts/typecheck.py [mypy options]`.

The folders `model/` and `properties/` install as `aurules.model` and `aurules.properties`
(setuptools `package-dir`), a mapping mypy cannot read. This script lays the package out as
it installs, as a tree of symbolic links in a temporary folder (`aurules/` with `model` and
`properties` inside), runs mypy on it with the project's settings, and prints every path as
the file's place in the repository (`aurules/model/x.py` -> `model/x.py`). Exit code: mypy's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"model": ROOT / "model", "properties": ROOT / "properties"}


def link_tree(folder: Path) -> Path:
    """`folder/aurules`: every entry of the repository's `aurules/`, plus the mapped folders."""
    package = folder / "aurules"
    package.mkdir()
    for entry in (ROOT / "aurules").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for name, target in MAPPED.items():
        (package / name).symlink_to(target)
    return package


def repository_path(line: str) -> str:
    """A mypy output line with the installed path turned back into the repository's."""
    for name in MAPPED:
        line = line.replace(f"aurules/{name}/", f"{name}/")
    return line


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="aurules-typecheck-") as folder:
        link_tree(Path(folder))
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "-p",
            "aurules",
            *sys.argv[1:],
        ]
        env = {**os.environ, "MYPY_CACHE_DIR": str(ROOT / ".mypy_cache")}
        result = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, env=env, check=False
        )
    for stream, text in ((sys.stdout, result.stdout), (sys.stderr, result.stderr)):
        for line in text.splitlines():
            print(repository_path(line), file=stream)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
