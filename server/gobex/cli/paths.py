"""Paths as CI systems want them: relative to the working directory, forward slashes."""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def ci_path(path: str, cwd: Path) -> tuple[str, bool]:
    """`path` (as reported) relative to `cwd` with forward slashes, and True; or, for a
    path outside `cwd`, the absolute path with forward slashes and False. A name that
    is no file (``<stdin>``) stays as it is, relative."""
    given = PurePath(path)
    absolute = Path(os.path.normpath(given if given.is_absolute() else cwd / given))
    try:
        return absolute.relative_to(cwd).as_posix(), True
    except ValueError:
        return absolute.as_posix(), False
