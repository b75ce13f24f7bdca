"""Whether a file is a Go test file (``*_test.go``)."""

from __future__ import annotations

from gobex.source import SourceFile


def is_test_file(source: SourceFile) -> bool:
    """True for ``*_test.go`` files, which `go build` leaves out."""
    return source.path.replace("\\", "/").rsplit("/", 1)[-1].endswith("_test.go")
