"""The Go version of a file: go.mod's `go` line, `//go:build go1.N` overrides, parsing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gobex.goversion import (
    GoVersion,
    build_constraint_version,
    effective_version,
    parse_go_mod,
    version_from_go_mod,
)
from gobex.source import SourceFile

V = GoVersion


# -- GoVersion.parse ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.22", V(1, 22)),
        ("go1.22", V(1, 22)),
        ("1.22.3", V(1, 22)),
        ("go1.21.0", V(1, 21)),
        ("1.21rc1", V(1, 21)),
        ("go1.23beta2", V(1, 23)),
        ("  1.20\n", V(1, 20)),
        ("1.9", V(1, 9)),
        ("2.0", V(2, 0)),
    ],
)
def test_parse(text: str, expected: GoVersion) -> None:
    assert GoVersion.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "1", "go1", "1.x", "x.22", "1.22.3.4", "go 1.22", "v1.22", "1.22-foo", "1..2", "1.-2"],
)
def test_parse_errors_name_the_text(text: str) -> None:
    with pytest.raises(ValueError, match="not a Go version") as raised:
        GoVersion.parse(text)
    assert repr(text) in str(raised.value)


@given(st.integers(0, 3), st.integers(0, 99), st.integers(0, 20))
def test_parse_round_trips_and_orders(major: int, minor: int, patch: int) -> None:
    version = GoVersion.parse(f"go{major}.{minor}.{patch}")
    assert version == V(major, minor)
    assert GoVersion.parse(str(version)) == version
    assert (version < V(major, minor + 1)) and (V(major, minor) <= version)


def test_at_least() -> None:
    assert V(1, 22).at_least(22)
    assert V(1, 22).at_least(21)
    assert not V(1, 21).at_least(22)
    assert V(2, 0).at_least(99)


# -- go.mod ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("go_mod", "expected"),
    [
        (b"module example.com/m\n\ngo 1.21\n", V(1, 21)),
        (b"module m\ngo 1.22.3\n", V(1, 22)),
        (b"module m\ngo 1.21rc1\n", V(1, 21)),
        (b"module m\r\n\r\ngo 1.20\r\n", V(1, 20)),
        (b"module m\n\ngo 1.22 // the language version\n", V(1, 22)),
        (b"module m\n\n\tgo 1.19\n", V(1, 19)),
        (b"\xef\xbb\xbfgo 1.18\nmodule m\n", V(1, 18)),
        # toolchain is not the language version, before or after the go line.
        (b"module m\n\ngo 1.21\n\ntoolchain go1.23.4\n", V(1, 21)),
        (b"module m\ntoolchain go1.23.4\ngo 1.20\n", V(1, 20)),
        (b"module m\ntoolchain go1.23.4\n", None),
        # Commented-out and lookalike lines do not count.
        (b"module m\n// go 1.10\ngo 1.21\n", V(1, 21)),
        (b"module m\ngodebug default=go1.20\ngo 1.22\n", V(1, 22)),
        (b"module m\nrequire (\n\tgo.uber.org/zap v1.27.0\n)\ngo 1.21\n", V(1, 21)),
        (b"module m\n", None),
        (b"", None),
    ],
)
def test_parse_go_mod(go_mod: bytes, expected: GoVersion | None) -> None:
    assert parse_go_mod(go_mod) == expected


def test_nearest_go_mod_upward(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module outer\n\ngo 1.19\n")
    inner = tmp_path / "services" / "billing"
    (inner / "internal" / "store").mkdir(parents=True)
    (inner / "go.mod").write_text("module billing\n\ngo 1.22.1\n\ntoolchain go1.23.0\n")
    store_file = inner / "internal" / "store" / "store.go"
    store_file.write_text("package store\n")
    other = tmp_path / "tools" / "gen"
    other.mkdir(parents=True)

    assert version_from_go_mod(store_file) == V(1, 22)
    assert version_from_go_mod(store_file.parent) == V(1, 22)
    assert version_from_go_mod(inner) == V(1, 22)
    assert version_from_go_mod(other / "main.go") == V(1, 19)  # a file that does not exist
    assert version_from_go_mod(tmp_path) == V(1, 19)


def test_go_mod_without_go_line_means_go_1_16(tmp_path: Path) -> None:
    """The nearest go.mod decides, even without a `go` line (the go command then
    assumes 1.16); an outer go.mod is not consulted."""
    (tmp_path / "go.mod").write_text("module outer\n\ngo 1.22\n")
    inner = tmp_path / "legacy"
    inner.mkdir()
    (inner / "go.mod").write_text("module legacy\n")
    assert version_from_go_mod(inner / "x.go") == V(1, 16)


def test_no_go_mod_anywhere(tmp_path: Path) -> None:
    if any((parent / "go.mod").exists() for parent in (tmp_path, *tmp_path.parents)):
        pytest.skip(f"a go.mod above {tmp_path} (the test needs a tree without one)")
    assert version_from_go_mod(tmp_path / "a.go") is None


def test_go_mod_changes_are_seen(tmp_path: Path) -> None:
    """A long-running server sees go.mod appear, change and disappear."""
    file = tmp_path / "a.go"
    if any((parent / "go.mod").exists() for parent in tmp_path.parents):
        pytest.skip(f"a go.mod above {tmp_path} (the test needs a tree without one)")
    assert version_from_go_mod(file) is None
    go_mod = tmp_path / "go.mod"
    go_mod.write_text("module m\n\ngo 1.20\n")
    assert version_from_go_mod(file) == V(1, 20)
    go_mod.write_text("module m\n\ngo 1.22\n")
    stat = go_mod.stat()
    os.utime(go_mod, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert version_from_go_mod(file) == V(1, 22)
    go_mod.unlink()
    assert version_from_go_mod(file) is None


def test_a_directory_named_go_mod_is_not_a_go_mod(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.20\n")
    inner = tmp_path / "inner"
    (inner / "go.mod").mkdir(parents=True)
    assert version_from_go_mod(inner / "a.go") == V(1, 20)


# -- //go:build -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"//go:build go1.22\n\npackage p\n", V(1, 22)),
        (b"//go:build go1.21 && linux\n\npackage p\n", V(1, 21)),
        (b"//go:build linux && go1.21\n\npackage p\n", V(1, 21)),
        (b"//go:build go1.18 && go1.22\n\npackage p\n", V(1, 22)),
        # || needs every side to imply a version; the smallest one is implied.
        (b"//go:build go1.21 || linux\n\npackage p\n", None),
        (b"//go:build go1.18 || go1.21\n\npackage p\n", V(1, 18)),
        (b"//go:build (go1.21 && linux) || (go1.22 && darwin)\n\npackage p\n", V(1, 21)),
        # Negated terms imply nothing; double negation is the term itself.
        (b"//go:build !go1.22\n\npackage p\n", None),
        (b"//go:build !go1.22 && go1.20\n\npackage p\n", V(1, 20)),
        (b"//go:build !(go1.20 || linux)\n\npackage p\n", None),
        (b"//go:build !!go1.21\n\npackage p\n", V(1, 21)),
        (b"//go:build !(!go1.21 || !go1.23)\n\npackage p\n", V(1, 23)),
        (b"//go:build go1\n\npackage p\n", V(1, 0)),
        (b"//go:build linux\n\npackage p\n", None),
        (b"//go:build ignore\n\npackage main\n", None),
        # Header details: CRLF, BOM, other comments first, tabs.
        (b"//go:build go1.22\r\n\r\npackage p\r\n", V(1, 22)),
        (b"\xef\xbb\xbf//go:build go1.22\n\npackage p\n", V(1, 22)),
        (b"// Copyright 2024\n\n/* license\n */\n//go:build\tgo1.22\n\npackage p\n", V(1, 22)),
        (b"//go:build go1.20\n// +build go1.20\n\npackage p\n", V(1, 20)),
        # Not a build line, or not in the header.
        (b"// go:build go1.22\n\npackage p\n", None),
        (b"//go:buildgo1.22\n\npackage p\n", None),
        (b"//go:build\n\npackage p\n", None),
        (b"package p\n\n//go:build go1.22\n", None),
        (b"package p\n\nvar s = `\n//go:build go1.22\n`\n", None),
        (b"/*\n//go:build go1.22\n*/\npackage p\n", None),
        # Malformed expressions imply nothing.
        (b"//go:build go1.22 &&\n\npackage p\n", None),
        (b"//go:build (go1.22\n\npackage p\n", None),
        (b"//go:build go1.22 linux\n\npackage p\n", None),
        (b"//go:build go1.22 $\n\npackage p\n", None),
        (b"", None),
    ],
)
def test_build_constraint_version(header: bytes, expected: GoVersion | None) -> None:
    assert build_constraint_version(header) == expected


def test_deeply_nested_constraint_does_not_crash() -> None:
    header = b"//go:build " + b"(" * 5000 + b"go1.22" + b")" * 5000 + b"\n\npackage p\n"
    assert build_constraint_version(header) is None
    header = b"//go:build " + b"!" * 5000 + b"go1.22\n\npackage p\n"
    assert build_constraint_version(header) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_build_constraint_version_takes_any_bytes(data: bytes) -> None:
    result = build_constraint_version(b"//go:build " + data + b"\n\npackage p\n")
    assert result is None or result.major == 1


# -- effective version ----------------------------------------------------------------

GO_BUILD_18 = b"//go:build go1.18\n\npackage p\n"
GO_BUILD_21 = b"//go:build go1.21\n\npackage p\n"
GO_BUILD_22 = b"//go:build go1.22\n\npackage p\n"
GO_BUILD_23 = b"//go:build go1.23\n\npackage p\n"
NO_BUILD = b"package p\n"


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # No constraint: the module's version.
        (V(1, 20), NO_BUILD, V(1, 20)),
        (None, NO_BUILD, None),
        # Upgrade: a newer constraint wins, whatever the module.
        (V(1, 16), GO_BUILD_22, V(1, 22)),
        (V(1, 21), GO_BUILD_23, V(1, 23)),
        (V(1, 22), GO_BUILD_22, V(1, 22)),
        # Downgrade: allowed in modules at 1.21 or later, but not below 1.21.
        (V(1, 23), GO_BUILD_21, V(1, 21)),
        (V(1, 23), GO_BUILD_18, V(1, 21)),
        (V(1, 22), GO_BUILD_18, V(1, 21)),
        (V(1, 21), GO_BUILD_18, V(1, 21)),
        # ...and ignored in modules older than 1.21.
        (V(1, 20), GO_BUILD_18, V(1, 20)),
        (V(1, 19), GO_BUILD_18, V(1, 19)),
        # Negated terms are ignored.
        (V(1, 20), b"//go:build !go1.22\n\npackage p\n", V(1, 20)),
        (V(1, 22), b"//go:build !go1.23 && go1.21\n\npackage p\n", V(1, 21)),
        # Unknown module version: the constraint's version (how fixtures pick theirs).
        (None, GO_BUILD_22, V(1, 22)),
        (None, GO_BUILD_18, V(1, 18)),
    ],
)
def test_effective_version(
    module: GoVersion | None, source: bytes, expected: GoVersion | None
) -> None:
    assert effective_version(module, source) == expected
    assert SourceFile.parse("a.go", source, module).go_version == expected
