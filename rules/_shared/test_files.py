"""Whether a file is a Go test file (``*_test.go``)."""

from __future__ import annotations

from gobex.source import SourceFile


def is_test_file(source: SourceFile) -> bool:
    """True for ``*_test.go`` files, which `go build` leaves out."""
    return source.path.replace("\\", "/").rsplit("/", 1)[-1].endswith("_test.go")


def is_run_by_hand(source: SourceFile) -> bool:
    """A program excluded from every build (``//go:build ignore``, ``// +build
    ignore``): a generator, test harness or demo run with ``go run file.go``,
    not part of the package nor a service."""
    head = source.data[:4096]
    return b"//go:build ignore" in head or b"// +build ignore" in head
